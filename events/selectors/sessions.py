"""Reads for the training pages."""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from network.models import Member

from ..models import Registration, RegistrationStatus, SessionStatus, TrainingSession


def session_list_upcoming(
    *,
    month: date | None = None,
    departement: str = "",
    mode: str = "",
    theme: str = "",
) -> QuerySet[TrainingSession]:
    """Open (and cancelled, so members see it) sessions still to come, with places taken."""
    sessions = (
        TrainingSession.objects.filter(
            starts_at__gte=timezone.now(),
            status__in=[SessionStatus.OPEN, SessionStatus.CANCELLED],
        )
        .select_related("training", "commune__departement")
        .annotate(
            places_taken=Sum(
                "registrations__places",
                filter=Q(registrations__status=RegistrationStatus.REGISTERED),
                default=0,
            )
        )
        .order_by("starts_at")
    )
    if month is not None:
        sessions = sessions.filter(starts_at__year=month.year, starts_at__month=month.month)
    if departement:
        sessions = sessions.filter(commune__departement_id=departement)
    if mode == "online":
        sessions = sessions.filter(is_online=True)
    elif mode == "in_person":
        sessions = sessions.filter(is_online=False)
    if theme:
        sessions = sessions.filter(training__tags__name__iexact=theme).distinct()
    return sessions


def session_get_for_member(*, session_id: int) -> TrainingSession | None:
    return (
        TrainingSession.objects.filter(pk=session_id)
        .exclude(status=SessionStatus.DRAFT)
        .select_related("training", "commune__departement")
        .prefetch_related(
            "training__trainers",
            Prefetch(
                "registrations",
                queryset=Registration.objects.exclude(status=RegistrationStatus.CANCELLED),
                to_attr="live_registrations",
            ),
        )
        .first()
    )


def registration_of(*, member: Member, session: TrainingSession) -> Registration | None:
    return next(
        (r for r in getattr(session, "live_registrations", []) if r.member_id == member.pk), None
    )


def places_taken(session: TrainingSession) -> int:
    return sum(
        r.places
        for r in getattr(session, "live_registrations", [])
        if r.status == RegistrationStatus.REGISTERED
    )
