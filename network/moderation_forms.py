"""Forms of reporting, moderation, search in the channels and the member's e-mail choice."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DigestFrequency

REASON_MAX_LENGTH = 1000
SEARCH_MIN_LENGTH = 2
SEARCH_MAX_LENGTH = 100


def _reason_field(*, label, help_text, required: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": required,
            "max_length": _("Keep the reason under 1,000 characters."),
        },
    )


class MessageReportForm(forms.Form):
    reason = _reason_field(
        label=_("What is wrong with this message?"),
        help_text=_("Only programme staff read it. 1,000 characters at most."),
        required=_("Say what is wrong with this message."),
    )


class MessageHideForm(forms.Form):
    reason = _reason_field(
        label=_("Reason for hiding"),
        help_text=_("Kept with the message for the team; its author does not see it."),
        required=_("Say why the message is hidden."),
    )


class MessageSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Words to look for"),
        min_length=SEARCH_MIN_LENGTH,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={
            "required": _("Type what you are looking for."),
            "min_length": _("Type at least 2 characters."),
            "max_length": _("Type 100 characters at most."),
        },
    )


class NotificationSettingsForm(forms.Form):
    digest_frequency = forms.ChoiceField(
        label=_("Tell me by e-mail of what I missed in my channels"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "The daily summary lists, at most once a day, the messages you have not read "
            "30 minutes after they were posted, with those that mention you."
        ),
        error_messages={
            "required": _("Choose one of the options."),
            "invalid_choice": _("Choose one of the options."),
        },
    )
