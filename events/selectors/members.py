"""Reads for a member's own trainings: their page and their personal calendar feed."""

from datetime import datetime

from django.db.models import F, Q, QuerySet

from network.models import Member

from ..models import CalendarFeed, Registration, RegistrationStatus, SessionStatus


def registration_list_for_member(
    *, member: Member, since: datetime | None = None
) -> QuerySet[Registration]:
    """The member's registrations worth showing, one per session, by session start.

    Live registrations (registered or waiting), and the ones that were cancelled together with
    their session, so a session called off by its trainer stays visible, flagged, whether or not
    its cancellation also cancelled the registrations. The member's own cancellations are left
    out, and so are draft sessions. ``since`` keeps the sessions starting from then on.
    """
    cancelled_with_session = Q(
        session__status=SessionStatus.CANCELLED,
        status=RegistrationStatus.CANCELLED,
        cancelled_at__gte=F("session__cancelled_at"),
    )
    registrations = (
        Registration.objects.filter(member=member)
        .filter(
            Q(status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING])
            | cancelled_with_session
        )
        .exclude(session__status=SessionStatus.DRAFT)
        .select_related("session__training", "session__commune")
        .order_by("session__starts_at", "session_id")
    )
    if since is not None:
        registrations = registrations.filter(session__starts_at__gte=since)
    return registrations


def calendar_feed_of(*, member: Member) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(member=member).first()


def calendar_feed_get_by_token(*, token: str) -> CalendarFeed | None:
    """The feed behind an address, with its member; the caller checks the member may still
    follow trainings."""
    return CalendarFeed.objects.select_related("member").filter(token=token).first()
