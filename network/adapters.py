from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from .models import MembershipStatus


class MemberAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Set role and language before the first save: a member always has a valid role."""
        user = super().save_user(request, user, form, commit=False)
        user.role = form.cleaned_data["role"]
        user.status = MembershipStatus.PENDING
        language = translation.get_language() or settings.LANGUAGE_CODE
        supported = {code for code, _name in settings.LANGUAGES}
        user.language = language if language in supported else settings.LANGUAGE_CODE
        if commit:
            user.save()
        return user
