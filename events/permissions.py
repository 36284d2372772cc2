"""Who may schedule, run and follow trainings. Views and templates call these helpers."""

from django.http import Http404

from directory.permissions import can_use_directory, is_staff
from network.models import Member

from .models import Registration, Training, TrainingSession


def can_attend_trainings(member: Member) -> bool:
    """Members of the professional network (not residents) see and join sessions."""
    return can_use_directory(member)


def can_create_training(member: Member) -> bool:
    return is_staff(member) or (can_attend_trainings(member) and member.is_trainer)


def can_manage_training(member: Member, training: Training) -> bool:
    """Edit the training, schedule and cancel its sessions, follow and check in participants."""
    if is_staff(member):
        return True
    return (
        can_attend_trainings(member)
        and member.is_trainer
        and training.trainers.filter(pk=member.pk).exists()
    )


def can_manage_session(member: Member, session: TrainingSession) -> bool:
    return can_manage_training(member, session.training)


def can_download_attestation(member: Member, registration: Registration) -> bool:
    """The attendee themself, or whoever runs the session; only once presence is recorded."""
    if not registration.attended:
        return False
    return registration.member_id == member.pk or can_manage_session(member, registration.session)


def get_training_for_manager_or_404(member: Member, training_id: int) -> Training:
    training = Training.objects.filter(pk=training_id).first()
    if training is None or not can_manage_training(member, training):
        raise Http404
    return training


def get_session_for_manager_or_404(member: Member, session_id: int) -> TrainingSession:
    session = TrainingSession.objects.select_related("training").filter(pk=session_id).first()
    if session is None or not can_manage_session(member, session):
        raise Http404
    return session
