"""Forms of the account's data page: erasing one's own account, staff erasing on request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Member

REASON_MAX_LENGTH = 1000


class AccountEraseForm(forms.Form):
    """The member confirms with their current password: a session left open on a shared
    computer is not enough to erase an account."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Type your current password to confirm.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data will be erased for good."),
        error_messages={
            "required": _("Tick the box to confirm that you want to erase your account.")
        },
    )

    def __init__(self, *args, member: Member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError(_("This password is not correct."), code="wrong_password")
        return password


class StaffEraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason of the erasure"),
        help_text=_(
            "For example: request received by e-mail on 3 March. Kept in the record of "
            "erasures; do not write personal data here. 1,000 characters at most."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": _("Please give the reason for erasing this account."),
            "max_length": _("Keep the reason under 1,000 characters."),
        },
    )


class MemberSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
