"""Registrations: lock the session, check, write; the waiting list moves on cancellation."""

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from network.models import Member

from ..models import Registration, RegistrationStatus, SessionStatus, TrainingSession

MAX_PLACES_PER_REGISTRATION = 5


class RegistrationError(Exception):
    """A registration the session refuses; the message is shown to the member."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _mail_on_commit(registration: Registration, event: str) -> None:
    from ..tasks import send_registration_mail

    transaction.on_commit(
        lambda: send_registration_mail.enqueue(registration_id=registration.pk, event=event)
    )


def _places_taken(session: TrainingSession) -> int:
    return (
        Registration.objects.filter(
            session=session, status=RegistrationStatus.REGISTERED
        ).aggregate(total=Sum("places"))["total"]
        or 0
    )


def _check_open(session: TrainingSession) -> None:
    now = timezone.now()
    if session.status == SessionStatus.CANCELLED:
        raise RegistrationError(_("This session has been cancelled."))
    if session.status != SessionStatus.OPEN or session.starts_at <= now:
        raise RegistrationError(_("This session is not open for registration."))
    if session.registration_deadline < now:
        raise RegistrationError(_("Registrations for this session are closed."))


@transaction.atomic(durable=True)
def registration_create(
    *, member: Member, session: TrainingSession, places: int = 1, cafe=None
) -> Registration:
    """Register a member, or put them on the waiting list when the places are taken.

    Lock, check, create in one durable transaction: the session row is locked first, so two
    registrations for the last place are decided one after the other. The partial unique
    constraint on (session, member) is the backstop against duplicates.
    """
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    _check_open(session)
    if not 1 <= places <= min(MAX_PLACES_PER_REGISTRATION, session.capacity):
        raise RegistrationError(
            _("You can book from 1 to %(max)s places.")
            % {"max": min(MAX_PLACES_PER_REGISTRATION, session.capacity)}
        )
    # One read for every check, while the lock is held: the lock is the bottleneck of a rush.
    state = (
        Registration.objects.filter(session=session)
        .exclude(status=RegistrationStatus.CANCELLED)
        .aggregate(
            taken=Sum("places", filter=Q(status=RegistrationStatus.REGISTERED), default=0),
            waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
            mine=Count("pk", filter=Q(member=member)),
        )
    )
    if state["mine"]:
        raise RegistrationError(_("You are already registered for this session."))
    # Newcomers never pass people already waiting.
    fits = not state["waiting"] and state["taken"] + places <= session.capacity
    registration = Registration(
        session=session,
        member=member,
        cafe=cafe,
        places=places,
        status=RegistrationStatus.REGISTERED if fits else RegistrationStatus.WAITING,
    )
    # The related rows and the constraints were just checked under the lock (and the database
    # enforces them anyway): validating them again would cost four more queries under it.
    registration.full_clean(exclude=["session", "member", "cafe"], validate_constraints=False)
    registration.save()
    _mail_on_commit(registration, registration.status)
    return registration


def _promote_waiting(session: TrainingSession) -> list[Registration]:
    """Call with the session row locked. First come, first served: the first waiting
    registration moves up when its places fit, and the next one only after it."""
    promoted = []
    free = session.capacity - _places_taken(session)
    for waiting in Registration.objects.filter(
        session=session, status=RegistrationStatus.WAITING
    ).order_by("created_at", "pk"):
        if waiting.places > free:
            break
        waiting.status = RegistrationStatus.REGISTERED
        waiting.promoted_at = timezone.now()
        waiting.save(update_fields=["status", "promoted_at"])
        free -= waiting.places
        promoted.append(waiting)
        _mail_on_commit(waiting, "promoted")
    return promoted


@transaction.atomic(durable=True)
def registration_cancel(*, registration: Registration, actor: Member) -> list[Registration]:
    """Cancel one's registration (or leave the waiting list) until the deadline; returns the
    registrations promoted from the waiting list in its place."""
    session = TrainingSession.objects.select_for_update().get(pk=registration.session_id)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.member_id != actor.pk:
        raise RegistrationError(_("You can only cancel your own registration."))
    if registration.status == RegistrationStatus.CANCELLED:
        raise RegistrationError(_("This registration is already cancelled."))
    if session.registration_deadline < timezone.now():
        raise RegistrationError(
            _("The registration deadline has passed: write to the trainer to cancel.")
        )
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    return _promote_waiting(session)


def registrations_cancel_upcoming(*, member: Member) -> list[Registration]:
    """Cancel the member's registrations (and waiting-list places) for the sessions still to
    come, whatever their deadline, when their account is erased; returns the registrations
    promoted in their place (told by e-mail after commit). Sessions already started keep the
    registration as an attendance record.

    Call inside the caller's transaction (the erasure's): each session row is locked, in id
    order, before its waiting list moves on."""
    now = timezone.now()
    live = Registration.objects.filter(member=member, session__starts_at__gt=now).exclude(
        status=RegistrationStatus.CANCELLED
    )
    promoted: list[Registration] = []
    for session_id in sorted(set(live.values_list("session_id", flat=True))):
        session = TrainingSession.objects.select_for_update().get(pk=session_id)
        freed = live.filter(session=session).update(
            status=RegistrationStatus.CANCELLED, cancelled_at=now
        )
        if freed and session.status == SessionStatus.OPEN:
            promoted += _promote_waiting(session)
    return promoted
