"""The "attestation de présence" PDF: its text, and who may download it."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from pypdf import PdfReader

from events.attestations import attestation_pdf
from events.models import Registration, RegistrationStatus, TrainingSession
from events.selectors.attendance import registration_get_for_attestation
from network.models import Role


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # Lines wrap where the page ends: read the text as one line, as a person would.
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("\xa0", " ")


def attestation_url(registration) -> str:
    return f"/formations/inscriptions/{registration.pk}/attestation.pdf"


@pytest.fixture
def session(session_factory):
    # Started an hour ago, for three hours (session_factory).
    return session_factory(
        capacity=5, starts_in=timedelta(hours=-1), place="Salle des fêtes", is_online=False
    )


@pytest.fixture
def trainer(session):
    trainer = session.training.trainers.get()
    trainer.first_name, trainer.last_name = "Hélène", "Durand"
    trainer.save(update_fields=["first_name", "last_name"])
    return trainer


@pytest.fixture
def attendee(member_factory):
    return member_factory(role=Role.MANAGER, first_name="Léa", last_name="Martin")


def registration_for(session, member, *, attended, cafe=None) -> Registration:
    return Registration.objects.create(
        session=session,
        member=member,
        cafe=cafe,
        status=RegistrationStatus.REGISTERED,
        attended=attended,
        checked_in_at=timezone.now() if attended is not None else None,
    )


@pytest.mark.django_db
def test_the_attestation_says_who_attended_what_where_and_when(
    session, trainer, attendee, cafe_factory
):
    cafe = cafe_factory(name="Café de l’Église « Chez Léa » – Œnologie", commune="Sulignat")
    registration = registration_for(session, attendee, attended=True, cafe=cafe)

    content = pdf_text(
        attestation_pdf(registration_get_for_attestation(registration_id=registration.pk))
    )

    assert "Attestation de présence" in content
    assert "Comptoir" in content
    assert "Le programme Comptoir atteste que Léa Martin a participé" in content
    # French letters and signs come out as themselves, not as black boxes.
    assert "Café de l’Église « Chez Léa » – Œnologie, Sulignat (01)" in content
    assert "Tenir sa trésorerie" in content
    starts = timezone.localtime(session.starts_at)
    assert f"{starts:%H:%M} à" in content
    assert "Durée 3 h" in content
    assert "Lieu Salle des fêtes" in content
    assert "Animée par Hélène Durand" in content
    assert "pour servir et valoir ce que de droit" in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts", "ends", "expected", "duration"),
    [
        ((2030, 3, 12, 9, 0), (2030, 3, 12, 11, 30), "le 12 mars 2030, de 09:00 à 11:30", "2,5 h"),
        (
            (2030, 3, 12, 9, 0),
            (2030, 3, 13, 17, 0),
            "du 12 mars 2030 à 09:00 au 13 mars 2030 à 17:00",
            None,
        ),
    ],
)
def test_the_attestation_gives_dates_and_times_in_the_sites_time_zone(
    session, attendee, starts, ends, expected, duration
):
    paris = ZoneInfo("Europe/Paris")
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=datetime(*starts, tzinfo=paris),
        ends_at=datetime(*ends, tzinfo=paris),
        registration_deadline=datetime(*starts, tzinfo=paris) - timedelta(days=1),
    )
    registration = registration_for(session, attendee, attended=True)

    content = pdf_text(
        attestation_pdf(registration_get_for_attestation(registration_id=registration.pk))
    )

    assert f"Date {expected}" in content
    if duration:
        assert f"Durée {duration}" in content
    else:
        assert "Durée" not in content


@pytest.mark.django_db
def test_the_attestation_is_in_the_attendees_language(session_factory, member_factory):
    session = session_factory(is_online=True, starts_in=timedelta(hours=-1))
    attendee = member_factory(first_name="Jane", last_name="Doe", language="en")
    registration = registration_for(session, attendee, attended=True)

    content = pdf_text(
        attestation_pdf(registration_get_for_attestation(registration_id=registration.pk))
    )

    assert "Certificate of attendance" in content
    assert "Jane Doe attended" in content
    assert "Place online" in content
    assert "Attestation" not in content


@pytest.mark.django_db
def test_a_name_with_letters_helvetica_lacks_still_reads(session, member_factory):
    attendee = member_factory(first_name="Antonín", last_name="Dvořák <b>")
    registration = registration_for(session, attendee, attended=True)

    content = pdf_text(
        attestation_pdf(registration_get_for_attestation(registration_id=registration.pk))
    )

    assert "Antonín Dvorák <b>" in content


@pytest.mark.django_db
def test_the_attendee_downloads_their_attestation_once_present(client_for, session, attendee):
    registration = registration_for(session, attendee, attended=True)

    response = client_for(attendee).get(attestation_url(registration))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    day = timezone.localtime(session.starts_at).date()
    assert response["Content-Disposition"] == (
        f'attachment; filename="attestation-presence-lea-martin-{day:%Y-%m-%d}.pdf"'
    )
    assert "Léa Martin" in pdf_text(response.content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("attended", "explanation"),
    [
        (None, "L'attestation de présence peut être téléchargée une fois la présence notée"),
        (False, "Une absence a été notée pour cette session"),
    ],
)
def test_no_attestation_until_presence_is_recorded(
    client_for, session, trainer, attendee, attended, explanation
):
    registration = registration_for(session, attendee, attended=attended)

    for member in (attendee, trainer):
        response = client_for(member).get(attestation_url(registration))

        assert response.status_code == 403
        assert response["Content-Type"].startswith("text/html")
        assert "Pas d'attestation de présence pour l'instant" in text(response)
        assert explanation in text(response)


@pytest.mark.django_db
def test_the_trainer_and_staff_download_it_others_do_not(
    client_for, session, trainer, attendee, member_factory, staff_member
):
    registration = registration_for(session, attendee, attended=True)
    other_trainer = member_factory(role=Role.PROFESSIONAL, is_trainer=True)
    other_member = member_factory(role=Role.MANAGER)

    for member in (trainer, staff_member):
        response = client_for(member).get(attestation_url(registration))
        assert response.status_code == 200
        assert "Léa Martin" in pdf_text(response.content)
    for member in (other_trainer, other_member):
        response = client_for(member).get(attestation_url(registration))
        assert response.status_code in (403, 404)
        assert not response.content.startswith(b"%PDF")
        assert "Martin" not in text(response)


@pytest.mark.django_db
def test_an_unknown_registration_is_not_found(client_for, attendee):
    response = client_for(attendee).get("/formations/inscriptions/987654/attestation.pdf")

    assert response.status_code == 404


@pytest.mark.django_db
def test_the_dashboard_links_the_attestation_of_each_attendee_marked_present(
    client_for, session, trainer, attendee, member_factory
):
    present = registration_for(session, attendee, attended=True)
    absent = registration_for(session, member_factory(), attended=False)

    page = text(client_for(trainer).get(f"/formations/animer/sessions/{session.pk}/"))

    assert f'href="{attestation_url(present)}" data-attestation-link>' in page
    assert f'href="{attestation_url(absent)}" data-attestation-link hidden>' in page
