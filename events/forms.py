from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.forms import ModelMultipleChoiceField, validate_year_in_range
from directory.forms import CommuneField, NamesField
from directory.permissions import is_staff
from network.models import Member

from .models import SessionStatus, Training, TrainingSession
from .selectors.trainers import trainer_list_eligible
from .services import MAX_PLACES_PER_REGISTRATION
from .services.sessions import session_problems

MAX_SESSION_CAPACITY = 500


class CalendarFilterForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    departement = forms.CharField(label=_("Département (code)"), required=False, max_length=3)
    mode = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("All")), ("in_person", _("In person")), ("online", _("Online"))],
    )
    theme = forms.CharField(label=_("Theme"), required=False, max_length=100)


class RegistrationForm(forms.Form):
    places = forms.IntegerField(
        label=_("Number of places"),
        min_value=1,
        max_value=MAX_PLACES_PER_REGISTRATION,
        initial=1,
    )
    cafe = forms.ModelChoiceField(label=_("For the café"), queryset=None, required=False)

    def __init__(self, *args, member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cafe"].queryset = member.cafes.all()
        if not member.cafes.exists():
            del self.fields["cafe"]


class TrainingForm(forms.ModelForm):
    """A training as its trainers describe it. Trainers add co-trainers; staff choose all the
    trainers. The service sets the tags and the trainers."""

    tags_text = NamesField(label=_("Themes (tags)"))
    trainers = ModelMultipleChoiceField(
        label=_("Trainers"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Training
        fields = ["title", "description", "objectives", "audience"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, member: Member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        trainers = self.fields["trainers"]
        trainers.queryset = trainer_list_eligible()
        if not is_staff(member):
            # The trainer filling the form is always one of the trainers.
            trainers.queryset = trainers.queryset.exclude(pk=member.pk)
            trainers.label = _("Co-trainers")
            trainers.required = False
            trainers.help_text = _(
                "You are one of the trainers; add the colleagues who run it with you."
            )
        if self.instance.pk:
            self.initial["tags_text"] = ", ".join(tag.name for tag in self.instance.tags.all())
            self.initial["trainers"] = [trainer.pk for trainer in self.instance.trainers.all()]
        elif is_staff(member) and member.is_trainer:
            self.initial["trainers"] = [member.pk]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "objectives": data["objectives"],
            "audience": data["audience"],
            "tags": data["tags_text"],
            "trainers": list(data.get("trainers") or []),
        }


def _datetime_field(label, **kwargs) -> forms.DateTimeField:
    """A date and time typed in the browser's picker, read in the site's time zone."""
    return forms.DateTimeField(
        label=label,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        validators=[validate_year_in_range],
        **kwargs,
    )


class SessionForm(forms.Form):
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))
    mode = forms.ChoiceField(
        label=_("Format"),
        choices=[("in_person", _("In person")), ("online", _("Online"))],
        widget=forms.RadioSelect,
        initial="in_person",
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=300,
        help_text=_("The café or the hall, with its address."),
    )
    commune = CommuneField(
        label=_("Commune"),
        required=False,
        help_text=_("Postal code and name, for example “01400 Sulignat”."),
    )
    online_link = forms.URLField(
        label=_("Link to join the session"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Shown to registered participants only."),
    )
    capacity = forms.IntegerField(
        label=_("Number of places"), min_value=1, max_value=MAX_SESSION_CAPACITY
    )
    registration_deadline = _datetime_field(
        _("Registration deadline"),
        required=False,
        help_text=_("At the latest the start of the session, which is the default."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (SessionStatus.DRAFT, _("Draft: seen by the trainers only")),
            (SessionStatus.OPEN, _("Open for registration")),
        ],
        widget=forms.RadioSelect,
        initial=SessionStatus.DRAFT,
    )

    def __init__(self, *args, session: TrainingSession | None = None, **kwargs) -> None:
        self.session = session
        if session is not None:
            kwargs.setdefault(
                "initial",
                {
                    "starts_at": session.starts_at,
                    "ends_at": session.ends_at,
                    "mode": "online" if session.is_online else "in_person",
                    "place": session.place,
                    "commune": session.commune,
                    "online_link": session.online_link,
                    "capacity": session.capacity,
                    "registration_deadline": session.registration_deadline,
                    "status": session.status,
                },
            )
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at is None or ends_at is None or "commune" in self.errors:
            return data
        problems = session_problems(
            starts_at=starts_at,
            ends_at=ends_at,
            registration_deadline=data.get("registration_deadline") or starts_at,
            is_online=data.get("mode") == "online",
            place=data.get("place", ""),
            commune=data.get("commune"),
            online_link=data.get("online_link", ""),
            status=data.get("status") or SessionStatus.DRAFT,
            must_start_in_future=self.session is None or starts_at != self.session.starts_at,
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "is_online": data["mode"] == "online",
            "place": data["place"],
            "commune": data["commune"],
            "online_link": data["online_link"],
            "capacity": data["capacity"],
            "registration_deadline": data["registration_deadline"],
            "status": data["status"],
        }


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent in the e-mail to the members registered and waiting."),
    )
