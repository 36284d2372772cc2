"""Members find a session, register, and cancel, in the pages."""

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Registration, SessionStatus
from network.models import Role


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


@pytest.mark.django_db
def test_the_calendar_lists_open_sessions_only(client_for, manager, session_factory):
    session_factory()
    session_factory(status=SessionStatus.DRAFT)

    page = text(client_for(manager).get("/formations/"))

    assert page.count("Tenir sa trésorerie") == 1
    assert "0 place prise sur 2" in page


@pytest.mark.django_db
def test_register_then_the_next_one_waits_and_is_promoted(
    client_for, member_factory, session_factory, django_capture_on_commit_callbacks
):
    session = session_factory(capacity=1, online_link="https://visio.example/salle", is_online=True)
    first, second = member_factory(role=Role.MANAGER), member_factory(role=Role.MANAGER)
    url = f"/formations/sessions/{session.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        client_for(first).post(url, {"places": "1"})
        client_for(second).post(url, {"places": "1"})

    assert "visio.example" in text(client_for(first).get(url))
    assert "visio.example" not in text(client_for(second).get(url))
    assert "Vous êtes en liste d'attente." in text(client_for(second).get(url))
    assert [m.to for m in mail.outbox] == [[first.email], [second.email]]
    assert "liste d'attente" in mail.outbox[1].subject.lower()

    registration = Registration.objects.get(member=first)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(first).post(f"/formations/inscriptions/{registration.pk}/annuler/")

    assert Registration.objects.get(member=second).status == "registered"
    assert mail.outbox[-1].to == [second.email]
    assert "visio.example" in text(client_for(second).get(url))


@pytest.mark.django_db
def test_bad_registration_input_is_refused_in_french(client_for, manager, session_factory):
    session = session_factory(capacity=10)
    url = f"/formations/sessions/{session.pk}/"

    too_many = client_for(manager).post(url, {"places": "9"})
    not_a_number = client_for(manager).post(url, {"places": "deux"})

    assert too_many.status_code == 200
    assert "inférieure ou égale à 5" in text(too_many)
    assert "Saisissez un nombre entier." in text(not_a_number)
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_a_cancelled_session_says_so_and_refuses_registrations(
    client_for, manager, session_factory
):
    session = session_factory()
    session.status = SessionStatus.CANCELLED
    session.save()

    response = client_for(manager).post(f"/formations/sessions/{session.pk}/", {"places": "1"})

    assert "Cette session a été annulée." in text(response)
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_drafts_and_other_members_registrations_stay_hidden(
    client_for, manager, member_factory, session_factory, resident
):
    draft = session_factory(status=SessionStatus.DRAFT)
    session = session_factory()
    other = member_factory()
    client_for(other).post(f"/formations/sessions/{session.pk}/", {"places": "1"})
    registration = Registration.objects.get(member=other)

    assert client_for(manager).get(f"/formations/sessions/{draft.pk}/").status_code == 404
    cancel = client_for(manager).post(f"/formations/inscriptions/{registration.pk}/annuler/")
    assert cancel.status_code == 404
    assert Registration.objects.get(pk=registration.pk).status == "registered"
    assert client_for(resident).get("/formations/").status_code == 403


@pytest.mark.django_db
def test_a_session_downloads_as_an_ical_event(client_for, member_factory, session_factory):
    from icalendar import Calendar

    session = session_factory(is_online=True, online_link="https://visio.example/salle")
    registered, curious = member_factory(), member_factory()
    client_for(registered).post(f"/formations/sessions/{session.pk}/", {"places": "1"})
    url = f"/formations/sessions/{session.pk}/agenda.ics"

    response = client_for(registered).get(url)
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    other = Calendar.from_ical(client_for(curious).get(url).content).walk("VEVENT")[0]

    assert response["Content-Type"].startswith("text/calendar")
    assert str(event["SUMMARY"]) == "Tenir sa trésorerie"
    assert event.decoded("DTSTART") == session.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") == session.ends_at.replace(microsecond=0)
    assert str(event["UID"]) == f"session-{session.pk}@comptoir"
    assert "visio.example" in str(event["LOCATION"])
    assert "visio.example" not in str(other["LOCATION"])  # the link is for participants only


@pytest.mark.django_db
def test_the_confirmation_gives_the_local_time_and_the_places(
    client_for, manager, session_factory, django_capture_on_commit_callbacks
):
    session = session_factory(capacity=5)
    local_start = timezone.localtime(session.starts_at)

    with django_capture_on_commit_callbacks(execute=True):
        client_for(manager).post(f"/formations/sessions/{session.pk}/", {"places": "2"})

    assert f"{local_start:%H:%M}" in mail.outbox[0].body
    assert "(2 places)" in mail.outbox[0].body
