"""The trainer's session dashboard: participants, waiting list, CSV export and check-in."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from events.models import Registration, RegistrationStatus, SessionStatus, TrainingSession
from events.services.attendance import attendance_record
from network.models import Role

PARIS = ZoneInfo("Europe/Paris")


def text(response) -> str:
    # French typography puts a non-breaking space before ":" and inside « »; read it as a space.
    return response.content.decode().replace("&#x27;", "'").replace("\xa0", " ")


def register(session, member, *, cafe=None, status=RegistrationStatus.REGISTERED, places=1):
    return Registration.objects.create(
        session=session, member=member, cafe=cafe, status=status, places=places
    )


def trainer_of(session):
    return session.training.trainers.get()


@pytest.fixture
def running_session(session_factory):
    """A session that began an hour ago: attendance may be recorded."""
    return session_factory(capacity=10, starts_in=timedelta(hours=-1))


@pytest.fixture
def participant(running_session, member_factory):
    member = member_factory(role=Role.MANAGER, first_name="Léa", last_name="Martin")
    return register(running_session, member)


def dashboard_url(session) -> str:
    return f"/formations/animer/sessions/{session.pk}/"


def check_in_url(registration) -> str:
    return f"/formations/animer/inscriptions/{registration.pk}/presence/"


# --- The dashboard ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dashboard_shows_participants_with_their_cafe_and_the_waiting_list_in_order(
    client_for, member_factory, session_factory, cafe_factory
):
    session = session_factory(capacity=3, is_online=False, place="Salle des fêtes")
    cafe = cafe_factory(name="Le Balto", commune="Lagrasse")
    lea = member_factory(first_name="Léa", last_name="Martin")
    register(session, lea, cafe=cafe, places=2)
    register(session, member_factory(first_name="Paul", last_name="Aubert"))
    register(
        session,
        member_factory(first_name="Zoé", last_name="Premier"),
        places=2,
        status=RegistrationStatus.WAITING,
    )
    register(
        session,
        member_factory(first_name="Yves", last_name="Second"),
        status=RegistrationStatus.WAITING,
    )
    register(
        session,
        member_factory(first_name="Anne", last_name="Partie"),
        status=RegistrationStatus.CANCELLED,
    )

    response = client_for(trainer_of(session)).get(dashboard_url(session))
    page = text(response)

    assert response.status_code == 200
    assert "Tenir sa trésorerie" in page
    assert "Salle des fêtes" in page
    assert "3 places prises sur 3" in page
    assert "Personnes inscrites (2)" in page
    # By name: Aubert before Martin.
    assert page.index("Paul Aubert") < page.index("Léa Martin")
    assert "Le Balto" in page
    assert "Lagrasse (11)" in page
    assert lea.email in page
    assert "Liste d'attente (2)" in page
    assert page.index("Zoé Premier") < page.index("Yves Second")
    assert re.search(r"Inscriptions annulées</dt>\s*<dd>1</dd>", page)
    assert "Anne Partie" not in page


@pytest.mark.django_db
def test_the_dashboard_query_count_does_not_grow_with_the_participants(
    client_for, member_factory, session_factory, cafe_factory, django_assert_max_num_queries
):
    session = session_factory(capacity=40, starts_in=timedelta(hours=-1))
    client = client_for(trainer_of(session))
    register(session, member_factory(), cafe=cafe_factory())
    register(session, member_factory(), status=RegistrationStatus.WAITING)
    with django_assert_max_num_queries(12) as few:
        client.get(dashboard_url(session))

    for number in range(15):
        commune = ["Sulignat", "Pérouges", "Lagrasse"][number % 3]
        register(session, member_factory(), cafe=cafe_factory(commune=commune))
        register(session, member_factory(), cafe=cafe_factory(), status="waiting")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(dashboard_url(session))

    assert "Personnes inscrites (16)" in text(response)


@pytest.mark.django_db
def test_staff_see_any_dashboard(client_for, staff_member, participant):
    response = client_for(staff_member).get(dashboard_url(participant.session))

    assert response.status_code == 200
    assert "Léa Martin" in text(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "visitor",
    [
        {"role": Role.PROFESSIONAL, "is_trainer": True},  # a trainer of another training
        {"role": Role.MANAGER},
        {"role": Role.RESIDENT},
    ],
)
def test_others_get_neither_the_dashboard_nor_the_list_nor_the_check_in(
    client_for, member_factory, participant, visitor
):
    client = client_for(member_factory(**visitor))
    session = participant.session

    page = client.get(dashboard_url(session))
    export = client.get(f"{dashboard_url(session)}participants.csv")
    check_in = client.post(check_in_url(participant), {"attended": "yes"})

    for response in (page, export, check_in):
        assert response.status_code in (403, 404)
        assert "Martin" not in text(response)
    participant.refresh_from_db()
    assert participant.attended is None


@pytest.mark.django_db
def test_an_unknown_session_is_not_found(client_for, staff_member):
    assert client_for(staff_member).get("/formations/animer/sessions/987654/").status_code == 404


# --- CSV export ---------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.django_db
def test_the_csv_lists_participants_then_the_waiting_list_for_french_spreadsheets(
    client_for, member_factory, session_factory, cafe_factory
):
    session = session_factory(capacity=2)
    cafe = cafe_factory(name="@SOMME(A1)", commune="Pérouges")
    register(
        session,
        member_factory(first_name="Léa", last_name='=HYPERLINK("http://x")', email="l@ex.fr"),
        cafe=cafe,
        places=2,
    )
    register(session, member_factory(first_name="Zoé", last_name="Attente"), status="waiting")
    register(session, member_factory(first_name="Yves", last_name="Ensuite"), status="waiting")
    register(session, member_factory(first_name="Anne", last_name="Partie"), status="cancelled")

    response = client_for(trainer_of(session)).get(
        f"/formations/animer/sessions/{session.pk}/participants.csv"
    )
    rows = read_csv(response)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    day = timezone.localtime(session.starts_at).date()
    assert response["Content-Disposition"] == (
        f'attachment; filename="participants-tenir-sa-tresorerie-{day:%Y-%m-%d}.csv"'
    )
    assert rows[0] == [
        "Statut",
        "Rang en liste d'attente",
        "Nom",
        "Prénom",
        "E-mail",
        "Café",
        "Commune",
        "Département",
        "Places",
        "Date d'inscription",
        "Présence",
    ]
    assert len(rows) == 4
    registered, first_waiting, second_waiting = rows[1:]
    assert registered[:9] == [
        "Inscrit",
        "",
        '\'=HYPERLINK("http://x")',
        "Léa",
        "l@ex.fr",
        "'@SOMME(A1)",
        "Pérouges",
        "01",
        "2",
    ]
    assert registered[10] == "Pas encore notée"
    assert first_waiting[:4] == ["En liste d'attente", "1", "Attente", "Zoé"]
    assert second_waiting[:4] == ["En liste d'attente", "2", "Ensuite", "Yves"]


@pytest.mark.django_db
def test_the_csv_header_follows_the_viewers_language(client_for, participant):
    client = client_for(trainer_of(participant.session))
    client.cookies["django_language"] = "en"

    rows = read_csv(client.get(f"{dashboard_url(participant.session)}participants.csv"))

    assert rows[0][:4] == ["Status", "Waiting list position", "Last name", "First name"]


# --- Check-in -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_present_then_absent_is_recorded_and_shown(client_for, participant):
    client = client_for(trainer_of(participant.session))

    response = client.post(check_in_url(participant), {"attended": "yes"}, follow=True)

    participant.refresh_from_db()
    assert participant.attended is True
    assert participant.checked_in_at is not None
    assert response.redirect_chain[-1][0] == (
        f"{dashboard_url(participant.session)}#participant-{participant.pk}"
    )
    page = text(response)
    assert "Léa Martin : présence notée." in page
    assert "Présences notées : 1 / 1" in page
    attestation = f"/formations/inscriptions/{participant.pk}/attestation.pdf"
    assert f'href="{attestation}" data-attestation-link>' in page

    page = text(client.post(check_in_url(participant), {"attended": "no"}, follow=True))

    participant.refresh_from_db()
    assert participant.attended is False
    assert "Léa Martin : absence notée." in page
    assert "Absence notée</span>" in page
    assert f'href="{attestation}" data-attestation-link hidden>' in page


@pytest.mark.django_db
def test_the_dashboard_offers_big_present_and_absent_buttons_on_the_day(client_for, participant):
    page = text(client_for(trainer_of(participant.session)).get(dashboard_url(participant.session)))

    assert f'action="{check_in_url(participant)}"' in page
    assert 'name="attended" value="yes"' in page
    assert 'name="attended" value="no"' in page
    assert "Pas encore notée" in page


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["peut-être", "", "YES"])
def test_a_bad_value_is_refused_in_french(client_for, participant, value):
    client = client_for(trainer_of(participant.session))

    response = client.post(check_in_url(participant), {"attended": value}, follow=True)

    assert response.status_code == 200
    assert "Choisissez « Présent » ou « Absent »." in text(response)
    participant.refresh_from_db()
    assert participant.attended is None
    assert participant.checked_in_at is None


@pytest.mark.django_db
def test_check_in_before_the_day_is_refused_and_explained(
    client_for, session_factory, member_factory
):
    session = session_factory(starts_in=timedelta(days=2))
    registration = register(session, member_factory())
    client = client_for(trainer_of(session))
    day = timezone.localtime(session.starts_at).day

    page = text(client.get(dashboard_url(session)))
    response = client.post(check_in_url(registration), {"attended": "yes"}, follow=True)

    assert "La présence peut être notée à partir du jour de la session" in page
    assert 'name="attended"' not in page
    assert f"La présence peut être notée à partir du jour de la session, le {day} " in text(
        response
    )
    registration.refresh_from_db()
    assert registration.attended is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "recorded"),
    [
        # 23:30 in Paris the evening before: still the day before.
        (datetime(2030, 3, 11, 23, 30, tzinfo=PARIS), False),
        # 00:30 in Paris on the day, although it is 23:30 the day before in UTC.
        (datetime(2030, 3, 12, 0, 30, tzinfo=PARIS), True),
        # Later on, after the session, attendance may still be filled in.
        (datetime(2030, 3, 20, 10, 0, tzinfo=PARIS), True),
    ],
)
def test_check_in_opens_on_the_sessions_day_in_the_site_time_zone(
    client_for, session_factory, member_factory, monkeypatch, now, recorded
):
    session = session_factory()
    starts = datetime(2030, 3, 12, 9, 0, tzinfo=PARIS)
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        registration_deadline=starts - timedelta(days=1),
    )
    registration = register(session, member_factory())
    monkeypatch.setattr(timezone, "now", lambda: now.astimezone(UTC))

    client_for(trainer_of(session)).post(check_in_url(registration), {"attended": "yes"})

    registration.refresh_from_db()
    assert registration.attended is (True if recorded else None)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [RegistrationStatus.WAITING, RegistrationStatus.CANCELLED])
def test_only_registered_participants_are_checked_in(
    client_for, running_session, member_factory, status
):
    registration = register(running_session, member_factory(), status=status)

    response = client_for(trainer_of(running_session)).post(
        check_in_url(registration), {"attended": "yes"}, follow=True
    )

    assert "Seules les personnes inscrites peuvent être notées présentes ou absentes." in text(
        response
    )
    registration.refresh_from_db()
    assert registration.attended is None


@pytest.mark.django_db
def test_no_check_in_for_a_cancelled_session(client_for, participant):
    session = participant.session
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status"])
    client = client_for(trainer_of(session))

    response = client.post(check_in_url(participant), {"attended": "yes"}, follow=True)

    assert "Cette session a été annulée : la présence ne peut pas être notée." in text(response)
    assert 'name="attended"' not in text(response)
    participant.refresh_from_db()
    assert participant.attended is None


@pytest.mark.django_db
def test_check_in_is_sent_by_post_only(client_for, participant):
    response = client_for(trainer_of(participant.session)).get(check_in_url(participant))

    assert response.status_code == 405
    participant.refresh_from_db()
    assert participant.attended is None


@pytest.mark.django_db
def test_the_script_gets_a_json_answer(client_for, participant):
    client = client_for(trainer_of(participant.session))

    done = client.post(
        check_in_url(participant), {"attended": "yes"}, HTTP_ACCEPT="application/json"
    )
    refused = client.post(
        check_in_url(participant), {"attended": "bof"}, HTTP_ACCEPT="application/json"
    )

    assert done.status_code == 200
    assert done.json() == {
        "message": "Léa Martin\xa0: présence notée.",
        "attended": True,
        "state": "Présence notée",
        "summary": "Présences notées\xa0: 1 / 1",
    }
    assert refused.status_code == 400
    assert refused.json() == {"error": "Choisissez «\xa0Présent\xa0» ou «\xa0Absent\xa0»."}
    participant.refresh_from_db()
    assert participant.attended is True
    # The answer was given to the script, not kept for the next page.
    assert "présence notée" not in text(client.get(dashboard_url(participant.session)))


@pytest.mark.django_db
def test_the_service_itself_refuses_whoever_does_not_run_the_session(participant, member_factory):
    other_trainer = member_factory(role=Role.PROFESSIONAL, is_trainer=True)

    with pytest.raises(PermissionDenied):
        attendance_record(actor=other_trainer, registration=participant, attended=True)

    participant.refresh_from_db()
    assert participant.attended is None
