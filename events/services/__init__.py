"""Every write of the events app, one module an area; import from here."""

from .registrations import (
    MAX_PLACES_PER_REGISTRATION,
    RegistrationError,
    registration_cancel,
    registration_create,
    registrations_cancel_upcoming,
)

__all__ = [
    "MAX_PLACES_PER_REGISTRATION",
    "RegistrationError",
    "registration_cancel",
    "registration_create",
    "registrations_cancel_upcoming",
]
