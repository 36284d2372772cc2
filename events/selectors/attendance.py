"""Reads for the trainer's session dashboard, its CSV export and the attestations.

The caller has already checked that the viewer may manage the session (events.permissions):
these selectors narrow to one session, they do not decide who may see it.
"""

from django.db.models import Count, Q, QuerySet

from ..models import Registration, RegistrationStatus, TrainingSession

# Everything a participant row shows, fetched with the registration: one query for the whole
# table, whatever the number of participants.
_ROW_RELATIONS = ("member", "cafe__commune__departement")


def registration_list_participants(*, session: TrainingSession) -> QuerySet[Registration]:
    """Registered participants, by name: the order a trainer calls the roll in."""
    return (
        Registration.objects.filter(session=session, status=RegistrationStatus.REGISTERED)
        .select_related(*_ROW_RELATIONS)
        .order_by("member__last_name", "member__first_name", "pk")
    )


def registration_list_waiting(*, session: TrainingSession) -> QuerySet[Registration]:
    """The waiting list in the order places are offered (as registrations._promote_waiting)."""
    return (
        Registration.objects.filter(session=session, status=RegistrationStatus.WAITING)
        .select_related(*_ROW_RELATIONS)
        .order_by("created_at", "pk")
    )


def registration_count_cancelled(*, session: TrainingSession) -> int:
    return Registration.objects.filter(session=session, status=RegistrationStatus.CANCELLED).count()


def registration_count_present(*, session: TrainingSession) -> tuple[int, int]:
    """(marked present, registered): the tally the dashboard shows above the table."""
    counts = Registration.objects.filter(
        session=session, status=RegistrationStatus.REGISTERED
    ).aggregate(present=Count("pk", filter=Q(attended=True)), total=Count("pk"))
    return counts["present"], counts["total"]


def registration_get_for_attestation(*, registration_id: int) -> Registration | None:
    """A registration with everything its attestation prints (and its permission check reads)."""
    return (
        Registration.objects.filter(pk=registration_id)
        .select_related(
            "member",
            "cafe__commune",
            "session__training",
            "session__commune",
        )
        .prefetch_related("session__training__trainers")
        .first()
    )
