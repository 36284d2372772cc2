"""Forms of the projects area: input validation and normalisation only."""

from allauth.account.forms import SignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.forms import validate_year_in_range
from comptoir.uploads import PhotoField

from .models import IdeaStatus, ProjectStage, Role
from .models.projects import COMMENT_MAX_LENGTH, IDEA_BODY_MAX_LENGTH, IDEA_TITLE_MAX_LENGTH
from .selectors.projects import DEFAULT_IDEA_SORT


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the project is, and what the café asks the residents."),
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=ProjectStage.choices)
    ideas_deadline = forms.DateField(
        label=_("Deadline for ideas"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional. After this day, no new ideas or supports."),
        validators=[validate_year_in_range],
    )
    photo_upload = PhotoField(label=_("Photo"), required=False)
    photo_alt = forms.CharField(
        label=_("What the photo shows"),
        max_length=200,
        required=False,
        help_text=_("For people who cannot see it."),
    )
    remove_photo = forms.BooleanField(label=_("Remove the current photo"), required=False)

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the project a title."))
        return title

    def clean_description(self) -> str:
        description = self.cleaned_data["description"].strip()
        if not description:
            raise forms.ValidationError(_("Describe the project in a few words."))
        return description


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Your idea in a few words"), max_length=IDEA_TITLE_MAX_LENGTH)
    body = forms.CharField(
        label=_("Details"),
        max_length=IDEA_BODY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Plain text."),
    )

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give your idea a title."))
        return title


class IdeaOnBehalfForm(IdeaForm):
    resident_name = forms.CharField(
        label=_("Name of the resident"),
        max_length=150,
        required=False,
        help_text=_("Leave empty for an anonymous idea. Shown as entered by the café."),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your comment.")},
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write your comment."))
        return body


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=IdeaStatus.choices)
    answer = forms.CharField(
        label=_("Official answer of the café"),
        max_length=IDEA_BODY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown under the idea; the author receives it by e-mail with the status."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason."))
        return reason


class IdeaFilterForm(forms.Form):
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("support", _("Most supported")),
            ("recent", _("Newest first")),
            ("oldest", _("Oldest first")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *IdeaStatus.choices],
    )

    def values(self) -> tuple[str, str]:
        """The chosen sort and status; unknown values fall back to the defaults."""
        if not self.is_valid():
            return DEFAULT_IDEA_SORT, ""
        return (
            self.cleaned_data.get("sort") or DEFAULT_IDEA_SORT,
            self.cleaned_data.get("status") or "",
        )


class ResidentSignupForm(SignupForm):
    """allauth's sign-up form for a resident invited by their café: no role to choose, and a
    light declaration that they live in or near the commune."""

    signup_role = Role.RESIDENT

    def __init__(self, *args, commune_name: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("role", None)
        self.fields["lives_nearby"] = forms.BooleanField(
            label=_("I live in or near %(commune)s.") % {"commune": commune_name},
            error_messages={
                "required": _(
                    "Residents of the village and its neighbourhood join the café's projects: "
                    "tick the box to say you are one."
                )
            },
        )
