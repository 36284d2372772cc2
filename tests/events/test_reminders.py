"""Reminder e-mails: the day before and on the day, each sent once whatever happens."""

import smtplib
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from events import tasks as events_tasks
from events.models import Registration, RegistrationStatus, SessionStatus, TrainingSession
from events.services.reminders import reminders_send

PARIS = ZoneInfo("Europe/Paris")
NBSP = "\u00a0"


def paris(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of May 2031 (Tuesday the 20th is the usual session day), Paris time."""
    return datetime(2031, 5, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def session_at(session_factory):
    def make(starts_at: datetime, **fields) -> TrainingSession:
        fields.setdefault("capacity", 10)
        session = session_factory(**fields)
        TrainingSession.objects.filter(pk=session.pk).update(
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            registration_deadline=starts_at - timedelta(days=2),
        )
        session.refresh_from_db()
        return session

    return make


def register(session, member, status=RegistrationStatus.REGISTERED) -> Registration:
    return Registration.objects.create(session=session, member=member, status=status)


def run_command() -> str:
    out = StringIO()
    call_command("send_session_reminders", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_the_day_before_reminder_goes_once_even_when_run_again(session_at, manager, member_factory):
    tomorrow = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=1), time(14, 0))
    )
    session = session_at(tomorrow, capacity=1)
    register(session, manager)
    register(session, member_factory(), status=RegistrationStatus.WAITING)

    first = reminders_send()
    second = reminders_send()
    outputs = [run_command(), run_command()]

    assert first == {"day_before": 1, "same_day": 0, "failed": 0}
    assert second == {"day_before": 0, "same_day": 0, "failed": 0}
    assert [message.to for message in mail.outbox] == [[manager.email]]
    assert "demain à 14:00" in mail.outbox[0].subject
    assert outputs == ["Reminders sent: 0 (day before: 0, same day: 0).\n"] * 2
    assert Registration.objects.get(member=manager).reminded_day_before_at is not None


@pytest.mark.django_db
def test_the_command_sends_and_says_how_many(session_at, manager):
    tomorrow = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=1), time(10, 30))
    )
    register(session_at(tomorrow), manager)

    output = run_command()

    assert output == "Reminders sent: 1 (day before: 1, same day: 0).\n"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_day_before_reminder_is_in_french_with_the_date_and_place(
    session_at, manager, geography
):
    session = session_at(paris(20, 9, 30), place="Salle des fêtes", commune=geography["Sulignat"])
    register(session, manager)

    counts = reminders_send(now=paris(19, 18))

    assert counts["day_before"] == 1
    message = mail.outbox[0]
    # A subject is one line of ordinary spaces, whatever the template holds.
    assert message.subject == "[Comptoir] Rappel : « Tenir sa trésorerie » demain à 09:30"
    body = message.body.replace(NBSP, " ")
    assert f"Bonjour {manager.first_name}," in body
    assert "demain, mardi 20 mai 2031, de 09:30 à 12:30" in body
    assert "« Tenir sa trésorerie »" in body
    assert "Lieu : Salle des fêtes, Sulignat" in body
    assert f"http://127.0.0.1:8000/formations/sessions/{session.pk}/" in body


@pytest.mark.django_db
def test_the_reminder_is_in_the_members_language(session_at, member_factory):
    member = member_factory(language="en")
    register(session_at(paris(20, 9, 30)), member)

    reminders_send(now=paris(19, 8))

    message = mail.outbox[0]
    assert message.subject == "[Comptoir] Reminder: “Tenir sa trésorerie” tomorrow at 9:30 a.m."
    assert "tomorrow, Tuesday 20 May 2031, from 9:30 a.m. to 12:30 p.m." in message.body


@pytest.mark.django_db
def test_the_same_day_reminder_goes_on_the_day_with_the_online_link(
    session_at, manager, member_factory
):
    session = session_at(paris(20, 14), is_online=True, online_link="https://visio.example/s")
    register(session, manager)
    waiting = member_factory()
    register(session, waiting, status=RegistrationStatus.WAITING)

    counts = reminders_send(now=paris(20, 7))
    again = reminders_send(now=paris(20, 8))

    assert counts == {"day_before": 0, "same_day": 1, "failed": 0}
    assert again == {"day_before": 0, "same_day": 0, "failed": 0}
    assert [message.to for message in mail.outbox] == [[manager.email]]
    message = mail.outbox[0]
    assert message.subject == "[Comptoir] Aujourd'hui à 14:00 : « Tenir sa trésorerie »"
    body = message.body.replace(NBSP, " ")
    assert "commence à 14:00 et se termine à 17:00 (mardi 20 mai 2031)" in body
    assert "En ligne. Pour rejoindre la session : https://visio.example/s" in body
    registration = Registration.objects.get(member=manager)
    # Registered too late for the day-before one: it is not sent on the day itself.
    assert registration.reminded_day_before_at is None
    assert registration.reminded_same_day_at == paris(20, 7)


@pytest.mark.django_db
def test_both_reminders_go_out_on_their_days(session_at, manager):
    register(session_at(paris(20, 9, 30)), manager)

    day_before = reminders_send(now=paris(19, 10))
    same_day = reminders_send(now=paris(20, 0, 5))

    assert day_before["day_before"] == 1
    assert same_day["same_day"] == 1
    assert [m.subject.split(" :")[0] for m in mail.outbox] == [
        "[Comptoir] Rappel",
        "[Comptoir] Aujourd'hui à 09:30",
    ]


@pytest.mark.django_db
def test_no_reminder_once_the_session_has_started(session_at, manager):
    register(session_at(paris(20, 9, 30)), manager)

    counts = reminders_send(now=paris(20, 9, 45))

    assert counts == {"day_before": 0, "same_day": 0, "failed": 0}
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "registration_status", "starts_at"),
    [
        (SessionStatus.CANCELLED, RegistrationStatus.REGISTERED, paris(20, 9)),
        (SessionStatus.DRAFT, RegistrationStatus.REGISTERED, paris(20, 9)),
        (SessionStatus.OPEN, RegistrationStatus.WAITING, paris(20, 9)),
        (SessionStatus.OPEN, RegistrationStatus.CANCELLED, paris(20, 9)),
        (SessionStatus.OPEN, RegistrationStatus.REGISTERED, paris(22, 9)),
    ],
    ids=["cancelled session", "draft", "waiting list", "cancelled registration", "in 3 days"],
)
def test_no_reminder_when_none_is_due(session_at, manager, status, registration_status, starts_at):
    register(session_at(starts_at, status=status), manager, status=registration_status)

    day_before = reminders_send(now=paris(19, 10))
    same_day = reminders_send(now=paris(20, 7))

    assert day_before == same_day == {"day_before": 0, "same_day": 0, "failed": 0}
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_failed_send_releases_the_claim_and_the_next_run_sends(session_at, manager, monkeypatch):
    register(session_at(paris(20, 9, 30)), manager)

    def broken(**kwargs):
        raise smtplib.SMTPServerDisconnected("le serveur SMTP ne répond pas")

    monkeypatch.setattr(events_tasks, "send_templated_mail", broken)
    failed = reminders_send(now=paris(19, 10))
    monkeypatch.undo()
    assert Registration.objects.get(member=manager).reminded_day_before_at is None
    retried = reminders_send(now=paris(19, 11))

    assert failed == {"day_before": 0, "same_day": 0, "failed": 1}
    assert retried == {"day_before": 1, "same_day": 0, "failed": 0}
    assert len(mail.outbox) == 1
    assert Registration.objects.get(member=manager).reminded_day_before_at == paris(19, 11)


@pytest.mark.django_db
def test_one_failure_does_not_stop_the_others(session_at, manager, member_factory, monkeypatch):
    session = session_at(paris(20, 9, 30))
    unlucky = member_factory(email="injoignable@exemple.fr")
    register(session, unlucky)
    register(session, manager)
    send = events_tasks.send_templated_mail

    def flaky(**kwargs):
        if kwargs["recipients"] == ["injoignable@exemple.fr"]:
            raise smtplib.SMTPRecipientsRefused({})
        return send(**kwargs)

    monkeypatch.setattr(events_tasks, "send_templated_mail", flaky)
    counts = reminders_send(now=paris(19, 10))

    assert counts == {"day_before": 1, "same_day": 0, "failed": 1}
    assert [message.to for message in mail.outbox] == [[manager.email]]


@pytest.mark.django_db
def test_the_days_follow_paris_time_across_the_clock_change(session_at, manager):
    # Clocks go forward on Sunday 30 March 2031: that day has 23 hours.
    register(session_at(datetime(2031, 3, 31, 0, 30, tzinfo=PARIS)), manager)

    on_saturday = reminders_send(now=datetime(2031, 3, 29, 23, 50, tzinfo=PARIS))
    on_sunday = reminders_send(now=datetime(2031, 3, 30, 23, 50, tzinfo=PARIS))

    assert on_saturday["day_before"] == 0
    assert on_sunday["day_before"] == 1


@pytest.mark.django_db
def test_a_member_no_longer_approved_gets_no_reminder(session_at, manager):
    register(session_at(paris(20, 9, 30)), manager)
    manager.is_active = False
    manager.save()

    assert reminders_send(now=paris(19, 10))["day_before"] == 0
    assert mail.outbox == []


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_runs_never_mail_twice(session_at, member_factory):
    """Eight runs at once, each on its own PostgreSQL connection, for twenty members."""
    assert connection.vendor == "postgresql"
    session = session_at(paris(20, 9, 30))
    members = [member_factory() for _ in range(20)]
    for member in members:
        register(session, member)
    start = threading.Barrier(8)

    def run(_):
        start.wait()
        try:
            return reminders_send(now=paris(19, 10))["day_before"]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        sent = list(pool.map(run, range(8)))

    assert sum(sent) == 20
    assert sorted(message.to[0] for message in mail.outbox) == sorted(m.email for m in members)
