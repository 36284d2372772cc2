"""iCalendar files for sessions, made with the icalendar package.

Times are written in UTC (``...Z``), which every calendar app reads without a VTIMEZONE, and
shows in its own time zone. Line endings (CRLF) and folding of long lines come from icalendar.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from comptoir.mail import absolute_url

from .models import Registration, RegistrationStatus, SessionStatus, TrainingSession

# How often a subscribed app should fetch a personal feed again (apps may wait longer).
FEED_REFRESH = timedelta(hours=1)


def _event(
    session: TrainingSession,
    *,
    show_link: bool,
    status: str | None = None,
    summary: str | None = None,
    note: str = "",
) -> Event:
    event = Event()
    # A stable UID: calendar apps update the event instead of adding a second one.
    event.add("uid", f"session-{session.pk}@comptoir")
    event.add("summary", summary or session.training.title)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("dtstamp", timezone.now())
    url = absolute_url(reverse("events:session_detail", args=[session.pk]))
    event.add("url", url)
    if session.is_online:
        event.add("location", session.online_link if show_link and session.online_link else url)
    else:
        event.add("location", session.location)
    parts = [note, session.training.description, url]
    event.add("description", "\n\n".join(p.strip() for p in parts if p and p.strip()))
    if status is None:
        status = "CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED"
    event.add("status", status)
    return event


def _calendar(name: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.WAGTAIL_SITE_NAME}//Formations//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def sessions_calendar(sessions: Iterable[tuple[TrainingSession, bool]]) -> bytes:
    """(session, whether the online link may be shown) pairs -> an .ics file."""
    calendar = _calendar()
    for session, show_link in sessions:
        calendar.add_component(_event(session, show_link=show_link))
    return calendar.to_ical()


def registrations_calendar(registrations: Iterable[Registration], *, name: str) -> bytes:
    """A member's personal feed, one event per registration (one registration per session).

    Registered: CONFIRMED, with the online link. Waiting list: TENTATIVE, said in the title,
    no link. Session cancelled, or registration cancelled with it: CANCELLED, so that apps
    which already show the event drop it. Call inside the member's language.
    """
    calendar = _calendar(name)
    # Apple Calendar and Outlook read REFRESH-INTERVAL (RFC 7986), others X-PUBLISHED-TTL.
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    for registration in registrations:
        session = registration.session
        title = session.training.title
        if (
            session.status == SessionStatus.CANCELLED
            or registration.status == RegistrationStatus.CANCELLED
        ):
            reason = session.cancellation_reason.strip()
            note = _("This session has been cancelled.") + (f"\n{reason}" if reason else "")
            event = _event(
                session,
                show_link=False,
                status="CANCELLED",
                summary=_("Cancelled: %(title)s") % {"title": title},
                note=note,
            )
        elif registration.status == RegistrationStatus.WAITING:
            event = _event(
                session,
                show_link=False,
                status="TENTATIVE",
                summary=_("%(title)s (waiting list)") % {"title": title},
                note=_(
                    "You are on the waiting list: if a place frees up, you will be registered "
                    "and told by e-mail."
                ),
            )
        else:
            event = _event(session, show_link=True, status="CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
