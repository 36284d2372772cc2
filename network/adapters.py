from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from .models import MembershipStatus


class MemberAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Set role and language before the first save: a member always has a valid role."""
        user = super().save_user(request, user, form, commit=False)
        # The resident sign-up form (invitation of a café) fixes the role instead of asking it.
        user.role = getattr(form, "signup_role", None) or form.cleaned_data["role"]
        user.status = MembershipStatus.PENDING
        language = translation.get_language() or settings.LANGUAGE_CODE
        supported = {code for code, _name in settings.LANGUAGES}
        user.language = language if language in supported else settings.LANGUAGE_CODE
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request):
        """Residents land on their café's projects: the members' space is the network's."""
        from .models import Role

        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) and user.role == Role.RESIDENT:
            from django.urls import reverse

            return reverse("projects:list")
        return super().get_login_redirect_url(request)
