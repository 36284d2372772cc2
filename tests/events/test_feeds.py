"""The personal calendar feed: created, read by a calendar app without login, renewed, revoked."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from icalendar import Calendar

from events.models import CalendarFeed, Registration, RegistrationStatus, SessionStatus
from events.services.feeds import calendar_feed_renew, calendar_feed_revoke
from network.models import MembershipStatus, Role

RENEW = "/formations/mes-formations/agenda/renouveler/"
REVOKE = "/formations/mes-formations/agenda/supprimer/"


def feed_path(token: str) -> str:
    return f"/formations/agenda/{token}.ics"


def register(session, member, status=RegistrationStatus.REGISTERED, **fields) -> Registration:
    return Registration.objects.create(session=session, member=member, status=status, **fields)


def read_feed(token: str):
    """What a calendar app gets: a fresh client, no cookie."""
    return Client().get(feed_path(token))


def events_by_uid(response) -> dict:
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid(session) -> str:
    return f"session-{session.pk}@comptoir"


@pytest.mark.django_db
def test_a_member_creates_their_feed_and_a_calendar_app_reads_it_without_login(
    client_for, manager, session_factory
):
    session = session_factory(
        is_online=True, online_link="https://visio.example/salle-42", capacity=5
    )
    register(session, manager)

    response = client_for(manager).post(RENEW)

    feed = CalendarFeed.objects.get(member=manager)
    assert response.status_code == 302
    assert len(feed.token) >= 43
    answer = read_feed(feed.token)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in answer["Cache-Control"]
    assert "sessionid" not in answer.cookies
    assert b"\r\n" in answer.content
    calendar = Calendar.from_ical(answer.content)
    assert str(calendar["X-WR-CALNAME"]) == "Mes formations – Comptoir"
    assert "REFRESH-INTERVAL" in calendar
    event = events_by_uid(answer)[uid(session)]
    assert str(event["SUMMARY"]) == "Tenir sa trésorerie"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "https://visio.example/salle-42"
    assert event["DTSTART"].dt == session.starts_at.replace(microsecond=0)
    assert event["DTEND"].dt == session.ends_at.replace(microsecond=0)


@pytest.mark.django_db
def test_the_feed_marks_the_waiting_list_tentative_without_the_online_link(
    manager, member_factory, session_factory
):
    session = session_factory(capacity=1, is_online=True, online_link="https://visio.example/x")
    register(session, member_factory())
    register(session, manager, status=RegistrationStatus.WAITING)
    feed = calendar_feed_renew(member=manager)

    answer = read_feed(feed.token)

    event = events_by_uid(answer)[uid(session)]
    assert str(event["STATUS"]) == "TENTATIVE"
    assert str(event["SUMMARY"]) == "Tenir sa trésorerie (liste d'attente)"
    assert "visio.example" not in event.to_ical().decode()
    assert "liste d'attente" in str(event["DESCRIPTION"])


@pytest.mark.django_db
def test_the_feed_holds_only_the_members_own_sessions_in_its_window(
    manager, member_factory, session_factory, geography
):
    mine = session_factory(place="Salle des fêtes", commune=geography["Sulignat"])
    cancelled = session_factory(
        status=SessionStatus.CANCELLED, cancellation_reason="Formatrice malade."
    )
    someone_elses = session_factory()
    left = session_factory()
    draft = session_factory(status=SessionStatus.DRAFT)
    long_ago = session_factory(starts_in=-timedelta(days=200))
    last_month = session_factory(starts_in=-timedelta(days=30))
    for session in (mine, cancelled, draft, long_ago, last_month):
        register(session, manager)
    register(left, manager, status=RegistrationStatus.CANCELLED)
    register(someone_elses, member_factory())
    feed = calendar_feed_renew(member=manager)

    events = events_by_uid(read_feed(feed.token))

    assert set(events) == {uid(mine), uid(cancelled), uid(last_month)}
    assert str(events[uid(mine)]["LOCATION"]) == "Salle des fêtes, Sulignat"
    assert str(events[uid(cancelled)]["STATUS"]) == "CANCELLED"
    assert str(events[uid(cancelled)]["SUMMARY"]) == "Annulée\u00a0: Tenir sa trésorerie"
    assert "Formatrice malade." in str(events[uid(cancelled)]["DESCRIPTION"])


@pytest.mark.django_db
def test_a_session_cancelled_with_its_registrations_stays_in_the_feed_as_cancelled(
    manager, session_factory
):
    session = session_factory()
    registration = register(session, manager)
    # However the session's cancellation treats registrations, the member's app must drop it.
    session.status = SessionStatus.CANCELLED
    session.cancelled_at = session.starts_at - timedelta(days=3)
    session.save()
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = session.cancelled_at
    registration.save()
    feed = calendar_feed_renew(member=manager)

    events = events_by_uid(read_feed(feed.token))

    assert str(events[uid(session)]["STATUS"]) == "CANCELLED"


@pytest.mark.django_db
def test_renewing_the_address_makes_the_old_one_404_at_once(client_for, manager):
    client = client_for(manager)
    client.post(RENEW)
    old = CalendarFeed.objects.get(member=manager).token

    response = client.post(RENEW, follow=True)

    new = CalendarFeed.objects.get(member=manager).token
    assert new != old
    assert CalendarFeed.objects.filter(member=manager).count() == 1
    assert read_feed(old).status_code == 404
    assert read_feed(new).status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert "l'ancienne ne fonctionne plus" in page
    assert f"http://127.0.0.1:8000/formations/agenda/{new}.ics" in page
    assert old not in page


@pytest.mark.django_db
def test_revoking_the_feed_404s_its_address(client_for, manager):
    feed = calendar_feed_renew(member=manager)

    response = client_for(manager).post(REVOKE, follow=True)

    assert not CalendarFeed.objects.filter(member=manager).exists()
    assert read_feed(feed.token).status_code == 404
    page = response.content.decode().replace("&#x27;", "'")
    assert "Votre agenda personnel a été supprimé" in page
    assert "Créer l'adresse de mon agenda" in page


@pytest.mark.django_db
def test_revoking_without_a_feed_is_harmless(manager):
    calendar_feed_revoke(member=manager)

    assert not CalendarFeed.objects.filter(member=manager).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", [MembershipStatus.PENDING, MembershipStatus.REFUSED])
def test_the_feed_of_a_member_no_longer_approved_404s(manager, session_factory, status):
    register(session_factory(), manager)
    feed = calendar_feed_renew(member=manager)
    assert read_feed(feed.token).status_code == 200

    manager.status = status
    manager.save()

    assert read_feed(feed.token).status_code == 404


@pytest.mark.django_db
def test_the_feed_of_a_deactivated_account_404s(manager):
    feed = calendar_feed_renew(member=manager)
    manager.is_active = False
    manager.save()

    assert read_feed(feed.token).status_code == 404


@pytest.mark.django_db
def test_an_unknown_token_gets_the_same_404_as_a_revoked_one(manager):
    feed = calendar_feed_renew(member=manager)
    calendar_feed_revoke(member=manager)

    revoked = read_feed(feed.token)
    unknown = read_feed("n-importe-quoi")

    def page(response, token):
        text = response.content.decode().replace(token, "TOKEN")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert revoked.status_code == unknown.status_code == 404
    assert page(revoked, feed.token) == page(unknown, "n-importe-quoi")


@pytest.mark.django_db
def test_feed_buttons_only_answer_post_from_members_of_the_network(
    client_for, manager, member_factory
):
    resident = member_factory(role=Role.RESIDENT)

    assert client_for(manager).get(RENEW).status_code == 405
    assert client_for(manager).get(REVOKE).status_code == 405
    assert client_for(resident).post(RENEW).status_code == 403
    assert client_for(None).post(RENEW).status_code == 302
    assert not CalendarFeed.objects.exists()
