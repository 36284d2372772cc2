from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SELF_SIGNUP_ROLES


class MemberSignupForm(forms.Form):
    """Extra sign-up fields, merged by allauth into its own sign-up form."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    role = forms.ChoiceField(
        label=_("You join Comptoir as"),
        choices=[(role.value, role.label) for role in SELF_SIGNUP_ROLES],
        widget=forms.RadioSelect,
        help_text=_(
            "Village residents join through the invitation of their café; "
            "programme staff accounts are created by the team."
        ),
    )

    def clean_first_name(self) -> str:
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self) -> str:
        return self.cleaned_data["last_name"].strip()

    def signup(self, request, user) -> None:
        """allauth calls this after saving; the adapter has already set every field."""


class MembershipRefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Sent to the applicant in the e-mail that tells them of the decision."),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Please give the reason for refusing this membership."))
        return reason
