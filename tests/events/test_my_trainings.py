"""The member's "Mes formations" page: sessions to come, past ones, their personal calendar."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import CalendarFeed, Registration, RegistrationStatus, SessionStatus
from events.services.feeds import calendar_feed_renew
from network.models import Role

URL = "/formations/mes-formations/"


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def register(session, member, status=RegistrationStatus.REGISTERED, **fields) -> Registration:
    return Registration.objects.create(session=session, member=member, status=status, **fields)


def section(page: str, heading: str, next_heading: str) -> str:
    return page.split(heading, 1)[1].split(next_heading, 1)[0]


@pytest.mark.django_db
def test_the_page_lists_registered_waiting_and_past_sessions(
    client_for, manager, member_factory, session_factory, geography
):
    registered = session_factory(place="Salle des fêtes", commune=geography["Sulignat"], capacity=5)
    registered.training.title = "Accueillir les randonneurs"
    registered.training.save()
    waiting = session_factory(capacity=1, is_online=True, online_link="https://visio.example/a")
    register(registered, manager, places=2)
    register(waiting, member_factory())
    register(waiting, manager, status=RegistrationStatus.WAITING)
    past = session_factory(starts_in=-timedelta(days=10))
    register(past, manager, attended=False)
    left = session_factory(place="Mairie de Lagrasse")
    register(left, manager, status=RegistrationStatus.CANCELLED)
    someone_elses = session_factory(place="Chez un autre")
    register(someone_elses, member_factory())

    response = client_for(manager).get(URL)

    page = text(response)
    assert response.status_code == 200
    assert "<h1>Mes formations</h1>" in page
    upcoming = section(page, "À venir", "Sessions passées")
    assert "Accueillir les randonneurs" in upcoming
    assert "Salle des fêtes, Sulignat" in upcoming
    assert "Inscription confirmée (2 places)" in upcoming
    assert f'href="/formations/sessions/{registered.pk}/"' in upcoming
    assert "En liste d'attente" in upcoming
    assert f'href="/formations/sessions/{waiting.pk}/"' in upcoming
    assert "en ligne" in upcoming
    # Only registered participants get the link to join.
    assert "visio.example" not in page
    past_part = section(page, "Sessions passées", "Mon agenda personnel")
    assert f'href="/formations/sessions/{past.pk}/"' in past_part
    assert "Absence enregistrée." in past_part
    assert "attestation.pdf" not in page
    assert "Mairie de Lagrasse" not in page
    assert "Chez un autre" not in page


@pytest.mark.django_db
def test_a_registered_member_sees_the_link_to_join_an_online_session(
    client_for, manager, session_factory
):
    session = session_factory(is_online=True, online_link="https://visio.example/salle")
    register(session, manager)

    page = text(client_for(manager).get(URL))

    assert 'href="https://visio.example/salle"' in page
    assert "Rejoindre la session" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("attended", "expected", "has_link"),
    [
        (True, "Présence enregistrée.", True),
        (False, "Absence enregistrée.", False),
        (None, "Présence pas encore relevée.", False),
    ],
)
def test_the_attestation_link_shows_only_once_presence_is_recorded(
    client_for, manager, session_factory, attended, expected, has_link
):
    session = session_factory(starts_in=-timedelta(days=3))
    registration = register(session, manager, attended=attended)

    page = text(client_for(manager).get(URL))

    assert expected in page
    link = f'href="/formations/inscriptions/{registration.pk}/attestation.pdf"'
    assert (link in page) is has_link
    assert ("Télécharger mon attestation de présence (PDF)" in page) is has_link


@pytest.mark.django_db
def test_cancelled_sessions_are_flagged(client_for, manager, session_factory):
    upcoming = session_factory(
        status=SessionStatus.CANCELLED, cancellation_reason="Trop peu d'inscrits."
    )
    register(upcoming, manager)
    past = session_factory(status=SessionStatus.CANCELLED, starts_in=-timedelta(days=5))
    register(past, manager)

    page = text(client_for(manager).get(URL))

    assert section(page, "À venir", "Sessions passées").count("Cette session a été annulée.") == 1
    assert "Trop peu d'inscrits." in page
    past_part = section(page, "Sessions passées", "Mon agenda personnel")
    assert "Cette session a été annulée." in past_part


@pytest.mark.django_db
def test_a_waiting_registration_that_never_got_a_place_says_so(
    client_for, manager, session_factory
):
    session = session_factory(starts_in=-timedelta(days=2))
    register(session, manager, status=RegistrationStatus.WAITING)

    page = text(client_for(manager).get(URL))

    assert "Vous étiez en liste d'attente : aucune place ne s'est libérée." in page.replace(
        "\u00a0", " "
    )


@pytest.mark.django_db
def test_empty_page_invites_to_the_sessions(client_for, manager):
    page = text(client_for(manager).get(URL))

    assert "Aucune inscription à une session à venir." in page
    assert "Aucune session passée pour l'instant." in page
    assert 'href="/formations/"' in page


def _queries_for(client_for, member) -> int:
    client = client_for(member)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_registrations(
    client_for, member_factory, session_factory, geography
):
    few, many = member_factory(), member_factory()
    for member, count in ((few, 1), (many, 8)):
        calendar_feed_renew(member=member)
        for i in range(count):
            upcoming = session_factory(capacity=20, commune=geography["Sulignat"])
            register(upcoming, member)
            past = session_factory(starts_in=-timedelta(days=i + 1), capacity=20)
            register(past, member, attended=True)

    _queries_for(client_for, few)  # the first request of a process warms caches up

    assert _queries_for(client_for, many) == _queries_for(client_for, few)


@pytest.mark.django_db
def test_the_calendar_section_creates_then_shows_the_feed_address(client_for, manager):
    client = client_for(manager)

    before = text(client.get(URL))
    response = client.post("/formations/mes-formations/agenda/renouveler/", follow=True)

    assert "Mon agenda personnel" in before
    assert 'action="/formations/mes-formations/agenda/renouveler/"' in before
    assert "Créer l'adresse de mon agenda" in before
    assert "/formations/agenda/" not in before
    token = CalendarFeed.objects.get(member=manager).token
    page = text(response)
    assert response.redirect_chain[-1][0] == URL + "#agenda"
    assert "Votre agenda personnel est prêt" in page
    assert '<label for="feed-url">Adresse de mon agenda</label>' in page
    assert f'value="http://127.0.0.1:8000/formations/agenda/{token}.ics" readonly' in page
    assert f'href="webcal://127.0.0.1:8000/formations/agenda/{token}.ics"' in page
    assert "Changer d'adresse" in page
    assert "Supprimer mon agenda personnel" in page
    assert "Créer l'adresse de mon agenda" not in page


@pytest.mark.django_db
def test_residents_and_visitors_cannot_open_the_page(client_for, member_factory):
    assert client_for(member_factory(role=Role.RESIDENT)).get(URL).status_code == 403
    assert client_for(None).get(URL).status_code == 302
