from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_PLACES_PER_REGISTRATION


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
