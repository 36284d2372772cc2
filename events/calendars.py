"""iCalendar files for sessions, made with the icalendar package."""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from comptoir.mail import absolute_url

from .models import SessionStatus, TrainingSession


def _event(session: TrainingSession, *, show_link: bool) -> Event:
    event = Event()
    # A stable UID: calendar apps update the event instead of adding a second one.
    event.add("uid", f"session-{session.pk}@comptoir")
    event.add("summary", session.training.title)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("dtstamp", timezone.now())
    url = absolute_url(reverse("events:session_detail", args=[session.pk]))
    event.add("url", url)
    if session.is_online:
        event.add("location", session.online_link if show_link and session.online_link else url)
    else:
        place = ", ".join(p for p in [session.place, getattr(session.commune, "name", "")] if p)
        event.add("location", place)
    description = session.training.description
    event.add("description", f"{description}\n\n{url}".strip())
    if session.status == SessionStatus.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    return event


def sessions_calendar(sessions: Iterable[tuple[TrainingSession, bool]]) -> bytes:
    """(session, whether the online link may be shown) pairs -> an .ics file."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.WAGTAIL_SITE_NAME}//Formations//FR")
    calendar.add("version", "2.0")
    for session, show_link in sessions:
        calendar.add_component(_event(session, show_link=show_link))
    return calendar.to_ical()
