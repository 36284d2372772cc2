"""Events fixtures."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import SessionStatus, Training, TrainingSession
from network.models import Role


@pytest.fixture
def session_factory(db, member_factory):
    def make(*, capacity=2, status=SessionStatus.OPEN, starts_in=timedelta(days=7), **fields):
        trainer = member_factory(role=Role.PROFESSIONAL, is_trainer=True)
        training = Training.objects.create(title="Tenir sa trésorerie")
        training.trainers.add(trainer)
        starts_at = timezone.now() + starts_in
        return TrainingSession.objects.create(
            training=training,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            capacity=capacity,
            registration_deadline=fields.pop("deadline", starts_at - timedelta(days=1)),
            status=status,
            **fields,
        )

    return make
