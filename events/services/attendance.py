"""Attendance: the trainer marks each registered participant present or absent on the day."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from network.models import Member

from ..models import Registration, RegistrationStatus, SessionStatus, TrainingSession
from ..permissions import can_manage_session


class AttendanceError(Exception):
    """Attendance the session refuses to record; the message is shown to the trainer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def session_day(session: TrainingSession) -> date:
    """The session's first day in the site's time zone: a session at 00:30 in Paris starts on
    that Paris day, although it is still the day before in UTC."""
    return timezone.localdate(session.starts_at, timezone=timezone.get_default_timezone())


def attendance_is_open(session: TrainingSession) -> bool:
    """Whether attendance may be recorded now: from the session's day on, unless cancelled."""
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    return session.status != SessionStatus.CANCELLED and today >= session_day(session)


def _check_can_record(session: TrainingSession, registration: Registration) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise AttendanceError(_("This session has been cancelled: attendance cannot be recorded."))
    if not attendance_is_open(session):
        raise AttendanceError(
            _("Attendance can be recorded from the day of the session, %(date)s.")
            % {"date": formats.date_format(session_day(session), "DATE_FORMAT")}
        )
    if registration.status != RegistrationStatus.REGISTERED:
        raise AttendanceError(_("Only registered participants can be marked present or absent."))


@transaction.atomic(durable=True)
def attendance_record(*, actor: Member, registration: Registration, attended: bool) -> Registration:
    """Mark a registered participant present (True) or absent (False); the trainer may change
    their mind, the last choice counts and ``checked_in_at`` says when it was made.

    The registration row is locked and read again, so its status is the one of the moment of
    writing (not of the page the trainer loaded).
    """
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("session__training")
        .get(pk=registration.pk)
    )
    session = registration.session
    # The views check this already; a service is also called from elsewhere (shell, tasks).
    if not can_manage_session(actor, session):
        raise PermissionDenied
    _check_can_record(session, registration)
    registration.attended = attended
    registration.checked_in_at = timezone.now()
    registration.full_clean()
    registration.save(update_fields=["attended", "checked_in_at"])
    return registration
