"""Reminder e-mails for registered members: the day before a session, and on the day.

Run by ``manage.py send_session_reminders``, which a scheduler starts every hour. Each reminder
is claimed by one conditional UPDATE before its mail goes out, so running twice, or two runs at
once, never mails a member twice; a mail that fails to go releases its claim for the next run.
"""

import logging
from datetime import datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import formats, timezone, translation

from network.models import MembershipStatus

from ..models import Registration, RegistrationStatus, SessionStatus

logger = logging.getLogger(__name__)

# kind -> (the registration field that records the reminder, the mail's template prefix)
REMINDERS = {
    "day_before": ("reminded_day_before_at", "events/email/reminder_day_before"),
    "same_day": ("reminded_same_day_at", "events/email/reminder_same_day"),
}


def _start_of_day(day, tz) -> datetime:
    # Built from the date rather than by adding 24 hours, so days of 23 or 25 hours (daylight
    # saving changes) start at local midnight too.
    return timezone.make_aware(datetime.combine(day, time.min), tz)


def _due(kind: str, *, start: datetime, end: datetime) -> QuerySet[Registration]:
    field, _template = REMINDERS[kind]
    return (
        Registration.objects.filter(
            status=RegistrationStatus.REGISTERED,
            session__status=SessionStatus.OPEN,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
            member__is_active=True,
            member__status=MembershipStatus.APPROVED,
            **{f"{field}__isnull": True},
        )
        .select_related("member", "session__training", "session__commune")
        .order_by("session__starts_at", "pk")
    )


def _claim(registration: Registration, field: str, now: datetime) -> bool:
    """Mark the reminder as sent unless it already is; True when this run won it."""
    return (
        Registration.objects.filter(
            pk=registration.pk, status=RegistrationStatus.REGISTERED, **{f"{field}__isnull": True}
        ).update(**{field: now})
        == 1
    )


def _release(registration: Registration, field: str, now: datetime) -> None:
    Registration.objects.filter(pk=registration.pk, **{field: now}).update(**{field: None})


def _send(registration: Registration, template_prefix: str) -> int:
    from ..tasks import mail_about_session, session_url

    session = registration.session
    starts_at = timezone.localtime(session.starts_at)
    with translation.override(registration.member.language):
        day = formats.date_format(starts_at, "l j F Y")
        start_time = formats.time_format(starts_at, "TIME_FORMAT")
        end_time = formats.time_format(timezone.localtime(session.ends_at), "TIME_FORMAT")
    return mail_about_session(
        registration,
        template_prefix=template_prefix,
        url=session_url(registration),
        day=day,
        start_time=start_time,
        end_time=end_time,
        place=session.location,
        online_link=session.online_link if session.is_online else "",
    )


def reminders_send(*, now: datetime | None = None) -> dict[str, int]:
    """Send the reminders due at ``now`` (default: the current time); returns how many went
    out of each kind, and how many failed (they are tried again at the next run).

    Day before: sessions starting on the next local day (site time zone). Same day: sessions
    starting later today. Only open sessions and registered members (not the waiting list).
    Call outside a transaction: each claim must be committed at once to be seen by another run.
    """
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    today = timezone.localtime(now, tz).date()
    tomorrow = _start_of_day(today + timedelta(days=1), tz)
    day_after = _start_of_day(today + timedelta(days=2), tz)
    windows = {"day_before": (tomorrow, day_after), "same_day": (now, tomorrow)}
    counts = {"day_before": 0, "same_day": 0, "failed": 0}
    for kind, (start, end) in windows.items():
        field, template_prefix = REMINDERS[kind]
        # Read once, then claim row by row: the claims are separate statements.
        for registration in list(_due(kind, start=start, end=end)):
            if not _claim(registration, field, now):
                continue  # another run got it first
            try:
                sent = _send(registration, template_prefix)
            except Exception:
                logger.exception("Reminder %s for registration %s failed", kind, registration.pk)
                sent = 0
            if sent:
                counts[kind] += 1
            else:
                _release(registration, field, now)
                counts["failed"] += 1
    return counts
