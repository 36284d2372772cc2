import re
from datetime import datetime
from typing import Any

from django import forms
from django.utils.dateparse import parse_datetime
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .models import SELF_SIGNUP_ROLES, ChannelKind, Member
from .models.channels import MESSAGE_MAX_LENGTH
from .permissions import is_approved_member


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


# --- Discussion channels ----------------------------------------------------------------------


class MessageForm(forms.Form):
    """The plain form of a channel page (and of a message's edit page). The text itself is
    checked by the services, which give the same French errors to the WebSocket."""

    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        strip=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _(
            "Plain text, %(max)s characters at most; web addresses become links."
        ) % {"max": number_format(MESSAGE_MAX_LENGTH, force_grouping=True)}


class PostForm(MessageForm):
    # Generated when the form is shown: sending the same form twice saves one message.
    client_id = forms.CharField(widget=forms.HiddenInput, required=False)


class ChannelCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of channel"),
        choices=[
            (ChannelKind.TOPIC.value, _("Topic channel, open to every member of the network")),
            (ChannelKind.PRIVATE.value, _("Private channel, for the members chosen below")),
        ],
        widget=forms.RadioSelect,
        initial=ChannelKind.TOPIC.value,
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("What the channel is about"), max_length=300, required=False
    )
    members = forms.CharField(
        label=_("Members of a private channel"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "Their e-mail addresses, one per line or separated by commas. "
            "You are a member of the private channels you open."
        ),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the channel a name."))
        return name

    def clean_members(self) -> list[Member]:
        emails = [
            email.strip().lower()
            for email in re.split(r"[\s,;]+", self.cleaned_data["members"])
            if email.strip()
        ]
        if not emails:
            return []
        found = {
            member.email: member
            for member in Member.objects.filter(email__in=emails)
            if is_approved_member(member)
        }
        unknown = [email for email in dict.fromkeys(emails) if email not in found]
        if unknown:
            raise forms.ValidationError(
                _("No approved member has these addresses: %(emails)s.")
                % {"emails": ", ".join(unknown)}
            )
        return list(found.values())

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("kind") == ChannelKind.TOPIC and cleaned.get("members"):
            self.add_error(
                "members",
                _("A topic channel is open to every member: choose members for a private one."),
            )
        return cleaned


def instant_from_client(value: Any) -> datetime | None:
    """A moment the server gave a client earlier (``at`` of a ``subscribed`` frame or of a
    poll), sent back to ask what changed since: an ISO 8601 text with its offset. None when
    it is anything else."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment
