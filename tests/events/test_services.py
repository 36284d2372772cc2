"""Registering for a training session: places, waiting list, cancellation and promotion."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from events.models import Registration, RegistrationStatus, SessionStatus
from events.services import RegistrationError, registration_cancel, registration_create
from network.models import Role


def statuses(session) -> list[str]:
    return list(
        Registration.objects.filter(session=session)
        .order_by("created_at", "pk")
        .values_list("status", flat=True)
    )


@pytest.mark.django_db
def test_the_third_manager_waits_and_is_promoted_when_a_place_frees_up(
    session_factory, member_factory
):
    session = session_factory(capacity=2)
    first, second, third = (member_factory(role=Role.MANAGER) for _ in range(3))

    registrations = [registration_create(member=m, session=session) for m in (first, second, third)]

    assert [r.status for r in registrations] == ["registered", "registered", "waiting"]
    promoted = registration_cancel(registration=registrations[0], actor=first)
    assert [r.member for r in promoted] == [third]
    assert statuses(session) == ["cancelled", "registered", "registered"]
    assert Registration.objects.get(member=third).promoted_at is not None


@pytest.mark.django_db
def test_the_waiting_list_is_first_come_first_served(session_factory, member_factory):
    session = session_factory(capacity=3)
    members = [member_factory() for _ in range(4)]
    group = registration_create(member=members[0], session=session, places=3)
    big = registration_create(member=members[1], session=session, places=2)
    small = registration_create(member=members[2], session=session, places=1)

    # A small group never jumps ahead of a bigger one that waits before it.
    assert (big.status, small.status) == ("waiting", "waiting")
    promoted = registration_cancel(registration=group, actor=members[0])
    assert [r.pk for r in promoted] == [big.pk, small.pk]


@pytest.mark.django_db
def test_newcomers_join_the_queue_behind_those_waiting(session_factory, member_factory):
    session = session_factory(capacity=2)
    a, b, c, d = (member_factory() for _ in range(4))
    registration_create(member=a, session=session, places=2)
    registration_create(member=b, session=session, places=2)
    ra = Registration.objects.get(member=a)
    registration_cancel(registration=ra, actor=a)  # b moves up

    late = registration_create(member=c, session=session)

    assert late.status == RegistrationStatus.WAITING
    assert d.registrations.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ({"status": SessionStatus.CANCELLED}, "Cette session a été annulée."),
        ({"status": SessionStatus.DRAFT}, "Cette session n'est pas ouverte aux inscriptions."),
        (
            {"deadline": timezone.now() - timedelta(hours=1), "starts_in": timedelta(hours=2)},
            "Les inscriptions à cette session sont closes.",
        ),
    ],
)
def test_closed_sessions_refuse_registrations(session_factory, manager, setup, message):
    session = session_factory(**setup)

    with pytest.raises(RegistrationError) as error:
        registration_create(member=manager, session=session)

    assert error.value.message == message
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_registering_twice_or_for_too_many_places_is_refused(session_factory, manager):
    session = session_factory(capacity=10)
    registration_create(member=manager, session=session)

    with pytest.raises(RegistrationError) as twice:
        registration_create(member=manager, session=session)
    with pytest.raises(RegistrationError) as too_many:
        registration_create(member=manager, session=session_factory(capacity=10), places=6)

    assert "déjà inscrit" in twice.value.message
    assert "de 1 à 5 places" in too_many.value.message
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_only_the_member_cancels_their_registration(session_factory, manager, member_factory):
    session = session_factory()
    registration = registration_create(member=manager, session=session)

    with pytest.raises(RegistrationError):
        registration_cancel(registration=registration, actor=member_factory())

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_registrations_never_overbook(session_factory, member_factory):
    """50 threads, each with its own PostgreSQL connection, race for 10 places."""
    assert connection.vendor == "postgresql"
    session = session_factory(capacity=10)
    members = [member_factory(role=Role.MANAGER) for _ in range(50)]
    start = threading.Barrier(50)

    def register(member):
        start.wait()
        try:
            return registration_create(member=member, session=session).status
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=50) as pool:
        outcomes = list(pool.map(register, members))

    assert outcomes.count("registered") == 10
    assert outcomes.count("waiting") == 40
    rows = Registration.objects.filter(session=session)
    assert rows.count() == 50
    assert rows.filter(status="registered").count() == 10
    assert len(set(rows.values_list("member_id", flat=True))) == 50
