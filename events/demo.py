"""Demo trainings for `make run`: the demo trainer's trainings, sessions to come and one past
session attended by the demo manager, so every page has something to show."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from directory.models import Commune
from network.models import Member

from .models import Registration, RegistrationStatus, SessionStatus, Training, TrainingSession
from .services import registration_create
from .services.sessions import session_create, training_create


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def demo_trainings_ensure(*, trainer: Member, manager: Member) -> None:
    if Training.objects.filter(trainers=trainer).exists():
        return
    commune = Commune.objects.filter(insee_code="01412").first()
    treasury = training_create(
        actor=trainer,
        title="Tenir sa trésorerie au mois le mois",
        description="Un tableau simple pour voir venir les échéances et les mois creux.",
        objectives="Construire son plan de trésorerie sur douze mois et le mettre à jour.",
        audience="Gérantes et gérants de café",
        tags=["gestion", "trésorerie"],
    )
    events = training_create(
        actor=trainer,
        title="Animer son café : un programme d'événements",
        description="Concerts, marchés, soirées jeux : choisir, planifier, faire connaître.",
        audience="Gérants et habitants bénévoles",
        tags=["animation"],
    )
    in_person = session_create(
        actor=trainer,
        training=treasury,
        starts_at=_at(12, 9),
        ends_at=_at(12, 12),
        place="Le Comptoir, salle du fond",
        commune=commune,
        capacity=8,
        registration_deadline=_at(10, 18),
        status=SessionStatus.OPEN,
    )
    session_create(
        actor=trainer,
        training=events,
        starts_at=_at(20, 14),
        ends_at=_at(20, 16),
        is_online=True,
        online_link="https://visio.comptoir.example/animer-son-cafe",
        capacity=12,
        status=SessionStatus.OPEN,
    )
    registration_create(member=manager, session=in_person, cafe=manager.cafes.first())
    # A session already given, with the manager's presence recorded: its attendance
    # certificate can be downloaded. Written directly, as the services only schedule ahead.
    past = TrainingSession.objects.create(
        training=treasury,
        starts_at=_at(-14, 9),
        ends_at=_at(-14, 12),
        place="Mairie, salle du conseil",
        commune=commune,
        capacity=8,
        registration_deadline=_at(-15, 18),
        status=SessionStatus.OPEN,
    )
    Registration.objects.create(
        session=past,
        member=manager,
        cafe=manager.cafes.first(),
        status=RegistrationStatus.REGISTERED,
        attended=True,
        checked_in_at=_at(-14, 9),
    )
