"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# SQLite keeps integers on 64 bits and refuses a bigger one in a query (OverflowError, a server
# error). Django guards the lookups of integer fields against it, but not a lookup through a
# relation (the id a Wagtail page inherits from Page) nor the list ModelMultipleChoiceField
# checks: a row chosen by an id out of that range is simply not a valid choice.
INTEGER_RANGE = (-(2**63), 2**63 - 1)


def _out_of_range(field: forms.ModelChoiceField, value) -> bool:
    meta = field.queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    while key.is_relation:
        key = key.target_field
    if not isinstance(key, models.IntegerField):
        return False
    try:
        number = int(str(value).strip())
    except ValueError:
        return False  # not a number: the field itself says it is not a valid choice
    return not INTEGER_RANGE[0] <= number <= INTEGER_RANGE[1]


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, with ids too big for the database refused as invalid choices."""

    def to_python(self, value):
        if value not in self.empty_values and _out_of_range(self, value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with ids too big for the database refused as invalid choices."""

    def _check_values(self, value):
        for item in value:
            if _out_of_range(self, item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)


# Dates far from today are typing mistakes; the first days of the calendar cannot even be
# converted to UTC (a server error when a date and time is saved), nor the last ones be moved
# forward by a reminder's delay.
YEARS = (2000, 2100)


def validate_year_in_range(value) -> None:
    """For date and date-and-time fields: a year between 2000 and 2100."""
    if value is not None and not YEARS[0] <= value.year <= YEARS[1]:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s."),
            code="year_out_of_range",
            params={"first": YEARS[0], "last": YEARS[1]},
        )
