"""Who may schedule, run and follow trainings. Views and templates call these helpers."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from directory.permissions import can_use_directory, is_staff
from network.models import Member

from .models import Registration, SessionStatus, Training, TrainingSession
from .selectors.trainers import session_is_over


def can_attend_trainings(member: Member) -> bool:
    """Members of the professional network (not residents) see and join sessions."""
    return can_use_directory(member)


def can_create_training(member: Member) -> bool:
    """Trainers (and staff) schedule trainings from the site; they also have the page listing
    the trainings they run."""
    return is_staff(member) or (can_attend_trainings(member) and member.is_trainer)


def can_manage_training(member: Member, training: Training) -> bool:
    """Edit the training, schedule and cancel its sessions, follow and check in participants."""
    if is_staff(member):
        return True
    # Reads the prefetched trainers when the page fetched them; a training has only a few.
    return (
        can_attend_trainings(member)
        and member.is_trainer
        and any(trainer.pk == member.pk for trainer in training.trainers.all())
    )


def can_manage_session(member: Member, session: TrainingSession) -> bool:
    return can_manage_training(member, session.training)


def can_change_session(member: Member, session: TrainingSession) -> bool:
    """Edit or cancel it: for those who manage it, while it is neither cancelled nor over."""
    return (
        session.status != SessionStatus.CANCELLED
        and not session_is_over(session)
        and can_manage_session(member, session)
    )


def can_download_attestation(member: Member, registration: Registration) -> bool:
    """The attendee themself, or whoever runs the session; only once presence is recorded."""
    if not registration.attended:
        return False
    return registration.member_id == member.pk or can_manage_session(member, registration.session)


def get_training_for_manager(member: Member, training_id: int) -> Training:
    """404 when the training does not exist; 403 (a page that says so) when it is someone
    else's, so a trainer who follows a colleague's link understands why."""
    training = Training.objects.prefetch_related("trainers").filter(pk=training_id).first()
    if training is None:
        raise Http404
    if not can_manage_training(member, training):
        raise PermissionDenied
    return training


def get_session_for_manager(member: Member, session_id: int) -> TrainingSession:
    """As :func:`get_training_for_manager`, for one of its sessions."""
    session = (
        TrainingSession.objects.select_related("training", "commune")
        .prefetch_related("training__trainers")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404
    if not can_manage_session(member, session):
        raise PermissionDenied
    return session
