"""Reads for the trainers' pages: the trainings someone runs and who may run one."""

from django.db.models import Case, CharField, Count, F, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from directory.permissions import DIRECTORY_ROLES, is_staff
from network.models import Member, MembershipStatus

from ..models import RegistrationStatus, SessionStatus, Training, TrainingSession


def trainer_list_eligible() -> QuerySet[Member]:
    """Approved members of the professional network flagged as trainers."""
    return Member.objects.filter(
        is_active=True,
        is_trainer=True,
        status=MembershipStatus.APPROVED,
        role__in=DIRECTORY_ROLES,
    ).order_by("last_name", "first_name", "email")


def session_is_over(session: TrainingSession) -> bool:
    """Done, whether marked so or simply ended."""
    return session.status == SessionStatus.DONE or session.ends_at <= timezone.now()


def session_list_managed() -> QuerySet[TrainingSession]:
    """Sessions as their trainers see them: places taken, members registered and waiting, and
    the status shown, where "full" and "done" are computed (full when the places taken reach
    the capacity, done once the session has ended)."""
    registered = Q(registrations__status=RegistrationStatus.REGISTERED)
    waiting = Q(registrations__status=RegistrationStatus.WAITING)
    return (
        TrainingSession.objects.select_related("commune")
        .annotate(
            places_taken=Sum("registrations__places", filter=registered, default=0),
            registered_count=Count("registrations", filter=registered),
            waiting_count=Count("registrations", filter=waiting),
        )
        .annotate(
            shown_status=Case(
                When(status=SessionStatus.CANCELLED, then=Value("cancelled")),
                When(
                    Q(status=SessionStatus.DONE) | Q(ends_at__lte=timezone.now()),
                    then=Value("done"),
                ),
                When(status=SessionStatus.DRAFT, then=Value("draft")),
                When(places_taken__gte=F("capacity"), then=Value("full")),
                default=Value("open"),
                output_field=CharField(),
            )
        )
        .order_by("starts_at", "pk")
    )


def training_list_for_manager(*, member: Member) -> QuerySet[Training]:
    """The trainings a trainer runs (staff: all of them), each with its trainers and its
    sessions (``managed_sessions``), drafts included."""
    trainings = Training.objects.all() if is_staff(member) else member.trainings.all()
    return trainings.prefetch_related(
        "trainers",
        Prefetch("sessions", queryset=session_list_managed(), to_attr="managed_sessions"),
    ).order_by("title", "pk")
