"""Trainings and their sessions, written from the site by their trainers and by staff."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.models import Commune
from directory.permissions import is_staff
from network.models import Member

from ..models import Registration, RegistrationStatus, SessionStatus, Training, TrainingSession
from ..permissions import can_create_training, can_manage_training
from ..selectors.trainers import session_is_over, trainer_list_eligible
from .registrations import _places_taken, _promote_waiting

# What a trainer may set; "cancelled" goes through session_cancel, "done" is reached by time.
EDITABLE_STATUSES = (SessionStatus.DRAFT, SessionStatus.OPEN)
SESSION_FIELDS = [
    "starts_at",
    "ends_at",
    "is_online",
    "place",
    "commune",
    "online_link",
    "capacity",
    "registration_deadline",
    "status",
]


class SessionError(Exception):
    """A change to a training or a session that is refused; the message is shown to the
    member, next to the field it is about when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def session_problems(
    *,
    starts_at: datetime,
    ends_at: datetime,
    registration_deadline: datetime,
    is_online: bool,
    place: str,
    commune: Commune | None,
    online_link: str,
    status: str,
    must_start_in_future: bool,
) -> dict[str, str]:
    """What is wrong with these session details, field name -> message (empty when nothing).
    The form shows them beside the fields; the services refuse the same."""
    problems = {}
    if must_start_in_future and starts_at <= timezone.now():
        problems["starts_at"] = _("The session must start in the future.")
    if ends_at <= starts_at:
        problems["ends_at"] = _("The session must end after it starts.")
    if registration_deadline > starts_at:
        problems["registration_deadline"] = _(
            "The registration deadline cannot be after the start of the session."
        )
    if is_online and not online_link.strip():
        problems["online_link"] = _("For an online session, give the link to join it.")
    if not is_online and not place.strip() and commune is None:
        problems["place"] = _("For a session in person, give the place or the commune.")
    if status not in EDITABLE_STATUSES:
        problems["status"] = _("A session is saved as a draft or open for registration.")
    return problems


def _raise_first(problems: dict[str, str]) -> None:
    for field, message in problems.items():
        raise SessionError(message, field=field)


def _trainers_for(*, actor: Member, trainers: Iterable[Member]) -> list[Member]:
    """Staff choose the trainers; a trainer always stays one of the trainers they set."""
    chosen = {member.pk: member for member in trainers}
    eligible = set(trainer_list_eligible().filter(pk__in=chosen).values_list("pk", flat=True))
    for pk, member in chosen.items():
        if pk not in eligible:
            raise SessionError(
                _("%(name)s is not a trainer of the network.") % {"name": member},
                field="trainers",
            )
    if not is_staff(actor):
        chosen[actor.pk] = actor
    if not chosen:
        raise SessionError(_("Choose at least one trainer."), field="trainers")
    return list(chosen.values())


def _set_tags(training: Training, names: Iterable[str]) -> None:
    training.tags.set(sorted({name.strip() for name in names if name.strip()}))


@transaction.atomic
def training_create(
    *,
    actor: Member,
    title: str,
    description: str = "",
    objectives: str = "",
    audience: str = "",
    tags: Iterable[str] = (),
    trainers: Iterable[Member] = (),
) -> Training:
    """Create a training: the trainer creating it is one of its trainers, with the co-trainers
    they chose; staff choose its trainers."""
    if not can_create_training(actor):
        raise PermissionDenied
    trainers = _trainers_for(actor=actor, trainers=trainers)
    training = Training(
        title=title.strip(),
        description=description.strip(),
        objectives=objectives.strip(),
        audience=audience.strip(),
    )
    training.full_clean()
    training.save()
    training.trainers.set(trainers)
    _set_tags(training, tags)
    return training


@transaction.atomic
def training_update(
    *,
    actor: Member,
    training: Training,
    title: str,
    description: str = "",
    objectives: str = "",
    audience: str = "",
    tags: Iterable[str] = (),
    trainers: Iterable[Member] = (),
) -> Training:
    if not can_manage_training(actor, training):
        raise PermissionDenied
    trainers = _trainers_for(actor=actor, trainers=trainers)
    training = Training.objects.select_for_update().get(pk=training.pk)
    training.title = title.strip()
    training.description = description.strip()
    training.objectives = objectives.strip()
    training.audience = audience.strip()
    training.full_clean()
    training.save(update_fields=["title", "description", "objectives", "audience"])
    training.trainers.set(trainers)
    _set_tags(training, tags)
    return training


def _assign_session(
    session: TrainingSession,
    *,
    starts_at: datetime,
    ends_at: datetime,
    is_online: bool,
    place: str,
    commune: Commune | None,
    online_link: str,
    capacity: int,
    registration_deadline: datetime | None,
    status: str,
    must_start_in_future: bool,
) -> None:
    registration_deadline = registration_deadline or starts_at
    _raise_first(
        session_problems(
            starts_at=starts_at,
            ends_at=ends_at,
            registration_deadline=registration_deadline,
            is_online=is_online,
            place=place,
            commune=commune,
            online_link=online_link,
            status=status,
            must_start_in_future=must_start_in_future,
        )
    )
    if capacity < 1:
        raise SessionError(_("A session has at least one place."), field="capacity")
    session.starts_at = starts_at
    session.ends_at = ends_at
    session.is_online = is_online
    # Only what applies to the format is kept: no stale address on an online session.
    session.place = "" if is_online else place.strip()
    session.commune = None if is_online else commune
    session.online_link = online_link.strip() if is_online else ""
    session.capacity = capacity
    session.registration_deadline = registration_deadline
    session.status = status


@transaction.atomic
def session_create(
    *,
    actor: Member,
    training: Training,
    starts_at: datetime,
    ends_at: datetime,
    is_online: bool = False,
    place: str = "",
    commune: Commune | None = None,
    online_link: str = "",
    capacity: int,
    registration_deadline: datetime | None = None,
    status: str = SessionStatus.DRAFT,
) -> TrainingSession:
    """Schedule a session of a training, as a draft (seen by its trainers only) or open for
    registration. The registration deadline defaults to the start."""
    if not can_manage_training(actor, training):
        raise PermissionDenied
    session = TrainingSession(training=training)
    _assign_session(
        session,
        starts_at=starts_at,
        ends_at=ends_at,
        is_online=is_online,
        place=place,
        commune=commune,
        online_link=online_link,
        capacity=capacity,
        registration_deadline=registration_deadline,
        status=status,
        must_start_in_future=True,
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic(durable=True)
def session_update(
    *,
    actor: Member,
    session: TrainingSession,
    starts_at: datetime,
    ends_at: datetime,
    is_online: bool = False,
    place: str = "",
    commune: Commune | None = None,
    online_link: str = "",
    capacity: int,
    registration_deadline: datetime | None = None,
    status: str = SessionStatus.DRAFT,
) -> list[Registration]:
    """Change a session; returns the registrations promoted from the waiting list when places
    were added (first come, first served; they are mailed once this commits).

    Under the session row lock, as registrations are: the places counted are those no
    registration can take in the meantime.
    """
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if not can_manage_training(actor, session.training):
        raise PermissionDenied
    if session.status == SessionStatus.CANCELLED:
        raise SessionError(_("This session has been cancelled: it can no longer be changed."))
    if session_is_over(session):
        raise SessionError(_("This session is over: it can no longer be changed."))
    taken = _places_taken(session)
    if capacity < taken:
        raise SessionError(
            ngettext(
                "%(count)s place is already taken: the capacity cannot be lower.",
                "%(count)s places are already taken: the capacity cannot be lower.",
                taken,
            )
            % {"count": taken},
            field="capacity",
        )
    if status == SessionStatus.DRAFT and session.status != SessionStatus.DRAFT:
        someone = Registration.objects.filter(session=session).exclude(
            status=RegistrationStatus.CANCELLED
        )
        if someone.exists():
            raise SessionError(
                _("Members have registered: the session can no longer go back to draft."),
                field="status",
            )
    before = _when_and_where(session)
    _assign_session(
        session,
        starts_at=starts_at,
        ends_at=ends_at,
        is_online=is_online,
        place=place,
        commune=commune,
        online_link=online_link,
        capacity=capacity,
        registration_deadline=registration_deadline,
        status=status,
        # A session already under way keeps its start; a new start must be to come.
        must_start_in_future=starts_at != session.starts_at,
    )
    session.full_clean()
    session.save(update_fields=SESSION_FIELDS)
    if _when_and_where(session) != before:
        _tell_of_change(session, moved=_when_and_where(session)[0] != before[0])
    if session.status == SessionStatus.OPEN:
        return _promote_waiting(session)
    return []


def _when_and_where(session: TrainingSession) -> tuple:
    # To the minute, as the form gives times: seconds lost on the way are no change.
    return (
        session.starts_at.replace(second=0, microsecond=0),
        session.ends_at.replace(second=0, microsecond=0),
        session.is_online,
        session.place,
        session.commune_id,
        session.online_link,
    )


def _tell_of_change(session: TrainingSession, *, moved: bool) -> None:
    """Call under the session lock, after a change of date or place: everyone registered or
    waiting hears of it once this commits; a new start date means new reminders."""
    from ..tasks import send_session_changed_mail

    live = Registration.objects.filter(session=session).exclude(status=RegistrationStatus.CANCELLED)
    if moved:
        live.update(reminded_day_before_at=None, reminded_same_day_at=None)
    if session.status != SessionStatus.OPEN:
        return
    for registration_id in live.values_list("pk", flat=True):
        transaction.on_commit(
            lambda pk=registration_id: send_session_changed_mail.enqueue(registration_id=pk)
        )


@transaction.atomic(durable=True)
def session_cancel(*, actor: Member, session: TrainingSession, reason: str = "") -> TrainingSession:
    """Cancel a session; once this commits, every member registered or waiting is mailed,
    one mail each, in their language. Their registrations stay as they were, so members
    still find the session, marked cancelled, among theirs."""
    from ..tasks import send_session_cancelled_mail

    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if not can_manage_training(actor, session.training):
        raise PermissionDenied
    if session.status == SessionStatus.CANCELLED:
        raise SessionError(_("This session is already cancelled."))
    if session_is_over(session):
        raise SessionError(_("This session is over: it can no longer be cancelled."))
    session.status = SessionStatus.CANCELLED
    session.cancelled_at = timezone.now()
    session.cancellation_reason = reason.strip()
    session.full_clean()
    session.save(update_fields=["status", "cancelled_at", "cancellation_reason"])
    to_tell = list(
        Registration.objects.filter(
            session=session,
            status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING],
        ).values_list("pk", flat=True)
    )
    for registration_id in to_tell:
        transaction.on_commit(
            lambda pk=registration_id: send_session_cancelled_mail.enqueue(registration_id=pk)
        )
    return session
