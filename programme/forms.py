"""Input validation for the programme's forms."""

from django import forms
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from comptoir.forms import ModelMultipleChoiceField, validate_year_in_range
from directory.forms import CommuneField
from directory.models import Commune, Region
from network.models import Member

from . import selectors
from .models import (
    ActionStatus,
    Application,
    ApplicationStatus,
    Diagnostic,
    FollowUp,
    FollowUpKind,
    SupportKind,
)

MAX_TEXT = 5000


def _date_field(label, **kwargs) -> forms.DateField:
    """A date typed in the browser's picker, or by hand as 31/12/2026."""
    return forms.DateField(
        label=label,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_year_in_range],
        **kwargs,
    )


class ApplicationCommuneField(CommuneField):
    """A commune typed by its postal code, its name, or both ("01400", "Sulignat",
    "01400 Sulignat"). When the text names no commune or several, the form offers the communes
    it could mean (see ``ApplicationForm.candidates``). A commune picked in that list comes as
    "insee:<code>"."""

    default_error_messages = {
        "unknown": _(
            "No commune matches “%(value)s”. Type its postal code or the beginning of its name, "
            "then choose it in the list."
        ),
        "ambiguous": _("Several communes match “%(value)s”: choose yours in the list."),
    }

    def clean(self, value) -> Commune | None:
        text = (forms.CharField.clean(self, value) or "").strip()
        if not text:
            return None
        communes = Commune.objects.select_related("departement__region")
        if text.startswith(PICKED):
            found = communes.filter(insee_code=text[len(PICKED) :]).first()
            if found is None:
                raise forms.ValidationError(self.error_messages["unknown"], params={"value": text})
            return found
        if text.isdigit() and len(text) == 5:
            # A postal code first: people know theirs, few know the INSEE code.
            matches = list(
                communes.filter(
                    Q(postal_codes__startswith=text) | Q(postal_codes__contains=" " + text)
                )[:2]
            )
            if not matches:
                matches = list(communes.filter(insee_code=text))
            if not matches:
                raise forms.ValidationError(self.error_messages["unknown"], params={"value": text})
            if len(matches) > 1:
                raise forms.ValidationError(
                    self.error_messages["ambiguous"], params={"value": text}
                )
            return matches[0]
        return super().clean(text)

    def prepare_value(self, value):
        if isinstance(value, str) and value.startswith(PICKED):
            commune = Commune.objects.filter(insee_code=value[len(PICKED) :]).first()
            if commune:
                return super().prepare_value(commune)
        return super().prepare_value(value)


PICKED = "insee:"


class ApplicationForm(forms.Form):
    cafe = forms.ModelChoiceField(
        label=_("Café"),
        queryset=None,
        empty_label=None,
        error_messages={
            "invalid_choice": _(
                "You can only apply for a café you manage. If you manage this café, ask the "
                "programme team to add you as its manager in the directory."
            ),
            "required": _("Choose your café."),
        },
    )
    commune = ApplicationCommuneField(
        label=_("Commune"),
        max_length=150,
        help_text=_("Postal code or name, for example “01400” or “Sulignat”."),
    )
    commune_pick = forms.ModelChoiceField(
        label=_("Which commune?"),
        queryset=Commune.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        to_field_name="insee_code",
    )
    current_operation = forms.CharField(
        label=_("How the café runs today"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Opening days and hours, services, staff, customers, what works, what is hard."
        ),
    )
    needs = forms.MultipleChoiceField(
        label=_("Support wanted"),
        required=False,
        choices=SupportKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose the support you want in the list.")},
    )
    needs_details = forms.CharField(
        label=_("What you need, in your words"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    declares_last_cafe = forms.BooleanField(
        label=_("My café is the last one open in the commune"), required=False
    )
    declares_dedicated_space = forms.BooleanField(
        label=_("My café has a dedicated café-bar or tea-room space (with or without a licence)"),
        required=False,
    )
    explanation = forms.CharField(
        label=_("Explanation if a rule is not met"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example a commune nouvelle whose village has fewer than 3,500 inhabitants."
        ),
    )

    def __init__(self, *args, member: Member, application: Application | None = None, **kwargs):
        if application is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "cafe": application.cafe_id,
                "commune": application.commune,
                **{
                    name: getattr(application, name)
                    for name in (
                        "current_operation",
                        "needs",
                        "needs_details",
                        "declares_last_cafe",
                        "declares_dedicated_space",
                        "explanation",
                    )
                },
            }
        super().__init__(*args, **kwargs)
        self.fields["cafe"].queryset = selectors.cafe_list_for_applicant(member=member)
        self.candidates: list[Commune] = []
        if self.is_bound:
            text = (self.data.get("commune") or "").strip()
            if text:
                self.candidates = selectors.commune_search(text=text)
            self.fields["commune_pick"].queryset = Commune.objects.filter(
                insee_code__in=[c.insee_code for c in self.candidates]
            )
            self.fields["commune_pick"].choices = [
                (c.insee_code, commune_label(c)) for c in self.candidates
            ]

    def full_clean(self) -> None:
        # A commune chosen in the list of candidates wins over the typed text.
        if self.is_bound and self.data.get("commune_pick"):
            data = self.data.copy()
            data["commune"] = PICKED + data["commune_pick"]
            data.pop("commune_pick")
            self.data = data
        super().full_clean()

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "current_operation": data["current_operation"],
            "needs": list(data["needs"]),
            "needs_details": data["needs_details"],
            "declares_last_cafe": data["declares_last_cafe"],
            "declares_dedicated_space": data["declares_dedicated_space"],
            "explanation": data["explanation"],
        }


def commune_label(commune: Commune) -> str:
    population = (
        _("%(n)s inhabitants")
        % {"n": formats.number_format(commune.population, force_grouping=True)}
        if commune.population is not None
        else _("population unknown")
    )
    postal = " ".join(commune.postal_code_list) or commune.departement_id
    return f"{commune.name} ({postal}) – {commune.departement.name} – {population}"


class CommuneSearchForm(forms.Form):
    q = forms.CharField(label=_("Postal code or name of the commune"), max_length=150, min_length=2)


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))]
        + [c for c in ApplicationStatus.choices if c[0] != ApplicationStatus.DRAFT],
    )
    region = forms.ChoiceField(label=_("Région"), required=False)
    eligible = forms.ChoiceField(
        label=_("Eligibility"),
        required=False,
        choices=[
            ("", _("All")),
            ("yes", _("The four rules are met")),
            ("no", _("At least one rule is not met")),
        ],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All"))] + [
            (r.code, r.name) for r in Region.objects.order_by("name")
        ]

    def filters(self) -> selectors.QueueFilters:
        if not self.is_valid():
            return selectors.QueueFilters(
                **{
                    name: self.cleaned_data.get(name, "")
                    for name in ("status", "region", "eligible")
                    if name not in self.errors
                }
            )
        return selectors.QueueFilters(**self.cleaned_data)


class InfoRequestForm(forms.Form):
    message = forms.CharField(
        label=_("What should the manager add or explain?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AcceptForm(forms.Form):
    coach = forms.ModelChoiceField(label=_("Coach"), queryset=None)
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=None,
        error_messages={"required": _("Choose a cohort; staff create them in the administration.")},
    )
    message = forms.CharField(
        label=_("Message to the manager (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = selectors.coach_list_eligible()
        self.fields["cohort"].queryset = selectors.cohort_list_open()


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason of the refusal (sent to the manager)"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DiagnosticForm(forms.ModelForm):
    carried_out_on = _date_field(_("Carried out on"))

    class Meta:
        model = Diagnostic
        fields = [
            "carried_out_on",
            "activity",
            "finances",
            "services",
            "town_hall",
            "associations",
            "producers",
            "other_shops",
            "strengths",
            "weaknesses",
            "opportunities",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3}) for name in fields if name != "carried_out_on"
        }

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    description = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    category = forms.ChoiceField(label=_("Kind of support"), choices=SupportKind.choices)
    owner = forms.ModelChoiceField(
        label=_("Who carries it"),
        queryset=None,
        empty_label=None,
        error_messages={
            "invalid_choice": _("An action is carried by the café's manager or its coach.")
        },
    )
    due_on = _date_field(_("Due date"))
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    training_sessions = ModelMultipleChoiceField(
        label=_("Recommended training sessions"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    resources = ModelMultipleChoiceField(
        label=_("Resources of the library"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    resources_note = forms.CharField(
        label=_("Other useful resources"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Titles or addresses of tools and guides that are not in the library."),
    )

    def __init__(self, *args, support_file, action=None, **kwargs) -> None:
        if action is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "title": action.title,
                "description": action.description,
                "category": action.category,
                "owner": action.owner_id,
                "due_on": action.due_on,
                "status": action.status,
                "training_sessions": [s.pk for s in action.training_sessions.all()],
                "resources": [page.pk for page in action.resources.all()],
                "resources_note": action.resources_note,
            }
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.people_of_file(support_file=support_file)
        self.fields["training_sessions"].queryset = selectors.session_list_linkable(action=action)
        self.fields["resources"].queryset = selectors.resource_list_linkable(action=action)
        self.fields["training_sessions"].label_from_instance = lambda s: (
            f"{s.training.title} – {s.starts_at:%d/%m/%Y}"
        )

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "title",
                "description",
                "category",
                "owner",
                "due_on",
                "status",
                "resources_note",
            )
        }


class PlanAgreementForm(forms.Form):
    agreed_on = _date_field(_("Agreed with the manager on"))


class FollowUpForm(forms.ModelForm):
    happened_on = _date_field(_("Date"))
    next_visit_on = _date_field(_("Next visit or call"), required=False)

    class Meta:
        model = FollowUp
        fields = [
            "kind",
            "happened_on",
            "people",
            "notes",
            "decisions",
            "next_steps",
            "next_visit_on",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, actions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = FollowUpKind.choices
        self.fields["people"].help_text = _(
            "Who took part, for example “Sophie (manager), Karim (coach)”."
        )
        self.actions = list(actions)
        for action in self.actions:
            self.fields[f"action_{action.pk}"] = forms.ChoiceField(
                label=action.title, choices=ActionStatus.choices, initial=action.status
            )

    def clean(self):
        data = super().clean()
        happened, following = data.get("happened_on"), data.get("next_visit_on")
        if happened and following and following <= happened:
            self.add_error("next_visit_on", _("The next visit or call must come after this one."))
        return data

    def action_fields(self):
        return [self[f"action_{action.pk}"] for action in self.actions]

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def action_statuses(self) -> dict[int, str]:
        return {action.pk: self.cleaned_data[f"action_{action.pk}"] for action in self.actions}


class DashboardForm(forms.Form):
    weeks = forms.IntegerField(
        label=_("Cafés without a visit for more than (weeks)"),
        min_value=1,
        max_value=52,
        required=False,
        initial=6,
    )

    def weeks_value(self) -> int:
        if self.is_valid() and self.cleaned_data.get("weeks"):
            return self.cleaned_data["weeks"]
        return 6
