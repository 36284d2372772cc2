"""A member's data: the archive they download, and the erasure of their account (by them or by
staff on request), which keeps what others depend on as written by « Ancien membre »."""

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory.models import Cafe, DirectoryEntry, ManagerProfile, Professional
from directory.services import manager_profile_save
from events.models import Registration, RegistrationStatus, SessionStatus, Training, TrainingSession
from events.services import registration_create
from network.models import (
    ChannelKind,
    ChannelMembership,
    IdeaSupport,
    Member,
    MemberErasure,
    Mention,
    Message,
    MessageReport,
    Role,
)
from network.services.channels import (
    channel_create,
    direct_conversation_open,
    message_post,
    message_report,
)
from network.services.ideas import idea_comment_post, idea_post, idea_support
from network.services.privacy import ErasureError, member_erase
from network.services.projects import project_create
from programme.models import Application, ApplicationStatus
from programme.services import application_save, application_send
from tests.conftest import PASSWORD

NAME = ("Alixandrine", "Quelquepart")
EMAIL = "alixandrine.quelquepart@exemple.fr"
PHONE = "+33 6 98 76 54 32"
SHARE = "Ma recette secrète de tarte aux noix"


def _session(*, starts_in: timedelta, capacity: int = 1) -> TrainingSession:
    training = Training.objects.create(title="Tenir sa trésorerie")
    starts_at = timezone.now() + starts_in
    return TrainingSession.objects.create(
        training=training,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        capacity=capacity,
        registration_deadline=starts_at - timedelta(hours=1),
        status=SessionStatus.OPEN if starts_in > timedelta(0) else SessionStatus.DONE,
    )


@pytest.fixture
def world(member_factory, cafe_factory, staff_member):
    """Alixandrine, a café manager with a bit of everything, and the people around her."""
    alix = member_factory(role=Role.MANAGER, email=EMAIL, first_name=NAME[0], last_name=NAME[1])
    bob = member_factory(role=Role.MANAGER, first_name="Bertrand", last_name="Voisin")
    carol = member_factory(role=Role.PROFESSIONAL, first_name="Carole", last_name="Attente")
    cafe = cafe_factory(name="Le Comptoir de Sulignat", managers=[alix], phone="04 74 00 00 00")
    manager_profile_save(actor=alix, member=alix, fields={"can_share": SHARE}, tags=["noix"])

    topic = channel_create(actor=staff_member, kind=ChannelKind.TOPIC, name="Épicerie")
    ChannelMembership.objects.create(channel=topic, member=alix)
    ChannelMembership.objects.create(channel=topic, member=bob)
    alix_said, _ = message_post(author=alix, channel=topic, body="Bonjour à tous, du pain ?")
    bob_said, _ = message_post(author=bob, channel=topic, body="Chez moi le mardi.")
    message_report(reporter=alix, message=bob_said, reason="Pas sur le sujet du canal")

    direct = direct_conversation_open(member=alix, other=bob)
    message_post(author=alix, channel=direct, body="Tu me donnes ton fournisseur ?")
    message_post(author=bob, channel=direct, body="Confidentiel : la Minoterie Dubois")

    project = project_create(
        actor=alix, cafe=cafe, title="Un dépôt de pain", description="Du pain frais."
    )
    idea = idea_post(author=alix, project=project, title="Des croissants le dimanche")
    idea_comment_post(author=alix, idea=idea, body="Et des chocolatines aussi")
    bob_idea = idea_post(author=staff_member, project=project, title="Un four à pain")
    idea_support(member=alix, idea=bob_idea)

    upcoming = _session(starts_in=timedelta(days=10), capacity=1)
    registration_create(member=alix, session=upcoming)
    waiting = registration_create(member=carol, session=upcoming)
    past = _session(starts_in=-timedelta(days=10))
    Registration.objects.create(
        session=past, member=alix, status=RegistrationStatus.REGISTERED, attended=True
    )

    application = application_save(
        applicant=alix,
        cafe=cafe,
        commune=cafe.commune,
        fields={
            "current_operation": "Ouvert six jours sur sept.",
            "needs": ["skills"],
            "needs_details": "Tenir la comptabilité.",
            "declares_last_cafe": True,
            "declares_dedicated_space": True,
            "explanation": "",
        },
    )
    application_send(applicant=alix, application=application)
    return {
        "alix": alix,
        "bob": bob,
        "carol": carol,
        "cafe": cafe,
        "topic": topic,
        "direct": direct,
        "alix_said": alix_said,
        "bob_said": bob_said,
        "idea": idea,
        "upcoming": upcoming,
        "waiting": waiting,
        "past": past,
        "application": application,
        "staff": staff_member,
    }


def _archive(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(response.content))


def _csv(archive: zipfile.ZipFile, name: str) -> list[list[str]]:
    raw = archive.read(name)
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


# --- Export -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_archive_holds_the_members_own_data_and_not_others_private_words(world, client_for):
    response = client_for(world["alix"]).get(reverse("privacy:download"))
    archive = _archive(response)
    assert {"donnees.json", "messages.csv", "inscriptions.csv", "idees.csv"} <= set(
        archive.namelist()
    )
    data = json.loads(archive.read("donnees.json"))

    assert data["account"]["email"] == EMAIL
    assert data["account"]["first_name"] == NAME[0]
    assert data["directory"]["manager_profile"]["can_share"] == SHARE
    assert data["directory"]["cafes_managed"][0]["name"] == "Le Comptoir de Sulignat"
    bodies = [message["body"] for message in data["messages"]]
    assert "Bonjour à tous, du pain ?" in bodies
    assert "Tu me donnes ton fournisseur ?" in bodies
    assert {m["channel_kind"] for m in data["messages"]} == {"topic", "direct"}
    assert data["projects"]["ideas"][0]["title"] == "Des croissants le dimanche"
    assert data["projects"]["comments"][0]["body"] == "Et des chocolatines aussi"
    assert data["projects"]["supports"][0]["idea"] == "Un four à pain"
    assert data["channels"]["reports_filed"][0]["reason"] == "Pas sur le sujet du canal"
    assert len(data["registrations"]) == 2
    assert data["programme"]["applications"][0]["needs_details"] == "Tenir la comptabilité."
    assert data["notification_settings"]["channel_emails"] == "daily"

    # Nothing the other member wrote, even in their conversation or the reported message.
    whole = archive.read("donnees.json").decode() + archive.read("messages.csv").decode()
    assert "Minoterie Dubois" not in whole
    assert "Chez moi le mardi" not in whole

    messages = _csv(archive, "messages.csv")
    assert messages[0][0] == "id"
    assert sorted(row[-1] for row in messages[1:]) == sorted(bodies)
    registrations = _csv(archive, "inscriptions.csv")
    assert len(registrations) == 3
    assert {row[2] for row in registrations[1:]} == {"registered"}


@pytest.mark.django_db
def test_the_archive_costs_the_same_queries_whatever_the_number_of_rows(
    world, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world["alix"])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("privacy:download"))
    for number in range(15):
        message_post(author=world["alix"], channel=world["topic"], body=f"Encore {number}")
        Registration.objects.create(
            session=_session(starts_in=-timedelta(days=20 + number)),
            member=world["alix"],
            status=RegistrationStatus.REGISTERED,
        )
        idea_post(author=world["alix"], project=world["idea"].project, title=f"Idée {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("privacy:download"))
    data = json.loads(_archive(response).read("donnees.json"))
    assert len(data["messages"]) == 17


# --- Erasure ----------------------------------------------------------------------------------


def _dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_erasing_leaves_no_personal_data_anywhere_in_the_database(world, client_for):
    alix = world["alix"]
    before = _dump()
    assert NAME[1] in before and EMAIL in before and SHARE in before  # the check can fail

    member_erase(member=alix, by=alix)

    dump = _dump()
    for trace in (NAME[0], NAME[1], EMAIL, SHARE):
        assert trace not in dump
    alix.refresh_from_db()
    assert str(alix) == "Ancien membre"  # the site's language
    assert alix.email == f"ancien-membre-{alix.pk}@invalid"
    assert not alix.has_usable_password() and not alix.is_active
    erasure = MemberErasure.objects.get()
    assert erasure.member_id == alix.pk and erasure.by_member and erasure.erased_by is None


@pytest.mark.django_db
def test_an_erased_member_can_no_longer_log_in_and_is_logged_out_everywhere(world):
    alix = world["alix"]
    browser = Client()
    assert browser.login(email=EMAIL, password=PASSWORD)
    assert browser.get(reverse("members_home")).status_code == 200

    member_erase(member=alix, by=alix)

    assert browser.get(reverse("members_home")).status_code == 302  # to login
    assert not Client().login(email=EMAIL, password=PASSWORD)
    assert not get_user_model().objects.filter(email=EMAIL).exists()


@pytest.mark.django_db
def test_what_others_depend_on_stays_signed_former_member(world, client_for, settings):
    settings.LANGUAGE_CODE = "fr"
    alix, bob = world["alix"], world["bob"]
    member_erase(member=alix, by=alix)

    # Bob still reads the topic channel and his conversation, with Alixandrine's words.
    bob_client = client_for(bob)
    page = bob_client.get(reverse("network:channel", args=[world["topic"].pk])).content.decode()
    assert "Bonjour à tous, du pain ?" in page and "Ancien membre" in page
    assert NAME[0] not in page
    page = bob_client.get(reverse("network:channel", args=[world["direct"].pk])).content.decode()
    assert "Tu me donnes ton fournisseur ?" in page
    assert "Confidentiel : la Minoterie Dubois" in page
    assert "Ancien membre" in page
    assert Message.objects.filter(author=alix).count() == 2
    world["direct"].refresh_from_db()
    assert NAME[0] not in world["direct"].name

    # Ideas, comments and supports stay; the idea page names her « Ancien membre ».
    idea = world["idea"]
    page = client_for(world["staff"]).get(reverse("projects:idea", args=[idea.pk])).content.decode()
    assert "Des croissants le dimanche" in page and "Ancien membre" in page
    assert IdeaSupport.objects.filter(member=alix).count() == 1
    assert MessageReport.objects.filter(reporter=alix).exists()

    # The café stays, without her; her profile and its search entry go.
    cafe = Cafe.objects.get(pk=world["cafe"].pk)
    assert list(cafe.managers.all()) == []
    assert not ManagerProfile.objects.filter(member=alix).exists()
    assert not DirectoryEntry.objects.filter(kind="manager").exists()
    assert DirectoryEntry.objects.filter(kind="cafe", object_id=cafe.pk).exists()
    assert not ChannelMembership.objects.filter(member=alix).exists()
    assert ChannelMembership.objects.filter(member=bob, channel=world["direct"]).exists()

    # Programme records stay intact.
    application = Application.objects.get(pk=world["application"].pk)
    assert application.applicant_id == alix.pk
    assert application.status == ApplicationStatus.SENT
    assert application.needs_details == "Tenir la comptabilité."


@pytest.mark.django_db
def test_erasing_cancels_upcoming_registrations_and_promotes_the_waiting_list(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    alix = world["alix"]
    with django_capture_on_commit_callbacks(execute=True):
        member_erase(member=alix, by=alix)

    upcoming = Registration.objects.get(session=world["upcoming"], member=alix)
    assert upcoming.status == RegistrationStatus.CANCELLED
    world["waiting"].refresh_from_db()
    assert world["waiting"].status == RegistrationStatus.REGISTERED
    assert any(world["carol"].email in mail.to for mail in mailoutbox)
    # The past session keeps her attendance, as a former member's.
    past = Registration.objects.get(session=world["past"], member=alix)
    assert past.status == RegistrationStatus.REGISTERED and past.attended is True


@pytest.mark.django_db
def test_a_professionals_profile_and_phone_are_erased(member_factory, professional_factory):
    pro = member_factory(role=Role.PROFESSIONAL, first_name="Prosper", last_name="Conseil")
    professional_factory(name="Prosper Conseil", member=pro, phone=PHONE, email="p@conseil.fr")
    assert PHONE in _dump()

    member_erase(member=pro, by=pro)

    assert not Professional.objects.filter(member=pro).exists()
    dump = _dump()
    assert PHONE not in dump and "Prosper" not in dump and "p@conseil.fr" not in dump


@pytest.mark.django_db
def test_mentions_of_the_member_go(world):
    alix, bob = world["alix"], world["bob"]
    Mention.objects.create(message=world["bob_said"], member=alix)
    member_erase(member=alix, by=alix)
    assert not Mention.objects.filter(member=alix).exists()
    assert Message.objects.filter(pk=world["bob_said"].pk, author=bob).exists()


@pytest.mark.django_db
def test_a_contributed_resource_loses_the_credit_to_her_name(member_factory, home_page):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.models import Revision

    from resources.models import ResourceCategoryPage, ResourcePage
    from resources.services import contribution_submit, library_ensure

    library_ensure()
    alix = member_factory(role=Role.MANAGER, first_name=NAME[0], last_name=NAME[1])
    contribution = contribution_submit(
        contributor=alix,
        category=ResourceCategoryPage.objects.first(),
        title="Mon tableau de caisse",
        summary="Un tableau simple.",
        resource_type="guide",
        uploads=[SimpleUploadedFile("caisse.txt", b"Caisse du jour", content_type="text/plain")],
    )
    assert ResourcePage.objects.get(pk=contribution.page_id).credit == " ".join(NAME)

    member_erase(member=alix, by=alix)

    assert ResourcePage.objects.get(pk=contribution.page_id).credit == ""
    for revision in Revision.page_revisions.filter(object_id=str(contribution.page_id)):
        assert NAME[1] not in json.dumps(revision.content)
    assert NAME[1] not in _dump()


# --- The member's pages -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_data_page_is_linked_from_the_members_home(world, client_for):
    page = client_for(world["alix"]).get(reverse("members_home")).content.decode()
    assert reverse("privacy:my_data") in page
    page = client_for(world["alix"]).get(reverse("privacy:my_data")).content.decode()
    assert reverse("privacy:download") in page and reverse("privacy:erase") in page


@pytest.mark.django_db
def test_a_wrong_password_erases_nothing_and_says_so_in_french(world, client_for, settings):
    settings.LANGUAGE_CODE = "fr"
    alix = world["alix"]
    response = client_for(alix).post(
        reverse("privacy:erase"), {"password": "pas-le-bon", "confirm": "on"}
    )
    assert response.status_code == 200
    assert "Ce mot de passe n’est pas le bon." in response.content.decode()
    alix.refresh_from_db()
    assert alix.erased_at is None and alix.email == EMAIL and alix.is_active
    assert not MemberErasure.objects.exists()


@pytest.mark.django_db
def test_the_member_erases_their_account_and_sees_a_public_confirmation(world, settings):
    settings.LANGUAGE_CODE = "fr"
    client = Client()
    client.login(email=EMAIL, password=PASSWORD)
    response = client.post(reverse("privacy:erase"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200
    assert "Votre compte a été effacé" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert Member.objects.get(pk=world["alix"].pk).erased_at is not None
    # Signed out: the members' pages send them to login.
    assert client.get(reverse("privacy:my_data")).status_code == 302


@pytest.mark.django_db
def test_a_resident_reaches_their_data_page(member_factory, cafe_factory, client_for):
    cafe = cafe_factory()
    resident = member_factory(role=Role.RESIDENT, resident_cafe=cafe)
    client = client_for(resident)
    assert client.get(reverse("privacy:my_data")).status_code == 200
    assert client.get(reverse("privacy:download")).status_code == 200
    assert client.get(reverse("privacy:erase")).status_code == 200


# --- Staff, on request ------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_download_and_erase_an_account_on_request(world, staff_member, client_for):
    alix = world["alix"]
    client = client_for(staff_member)
    listing = client.get(reverse("privacy_admin:members"), {"q": "quelquepart"})
    assert EMAIL in listing.content.decode()
    assert world["bob"].email not in listing.content.decode()

    archive = _archive(client.get(reverse("privacy_admin:download", args=[alix.pk])))
    assert json.loads(archive.read("donnees.json"))["account"]["email"] == EMAIL

    # A reason is required.
    response = client.post(reverse("privacy_admin:erase", args=[alix.pk]), {"reason": ""})
    assert response.status_code == 200
    assert Member.objects.get(pk=alix.pk).erased_at is None

    response = client.post(
        reverse("privacy_admin:erase", args=[alix.pk]), {"reason": "Demande par courriel"}
    )
    assert response.status_code == 302
    alix.refresh_from_db()
    assert alix.erased_at is not None
    erasure = MemberErasure.objects.get()
    assert erasure.erased_by == staff_member and not erasure.by_member
    assert erasure.reason == "Demande par courriel"
    # A tombstone is no longer listed, nor erased twice.
    assert client.get(reverse("privacy_admin:erase", args=[alix.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["members", "download", "erase"])
def test_members_cannot_reach_the_staff_tools(world, client_for, url_name):
    args = [] if url_name == "members" else [world["bob"].pk]
    response = client_for(world["alix"]).get(reverse(f"privacy_admin:{url_name}", args=args))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "/cms/login" in response["Location"]
    assert Member.objects.get(pk=world["bob"].pk).erased_at is None


@pytest.mark.django_db
def test_a_member_cannot_erase_someone_else(world):
    with pytest.raises(ErasureError):
        member_erase(member=world["bob"], by=world["alix"], reason="Parce que")
    assert Member.objects.get(pk=world["bob"].pk).erased_at is None


@pytest.mark.django_db
def test_the_last_active_staff_member_cannot_be_erased(member_factory, client_for, settings):
    settings.LANGUAGE_CODE = "fr"
    only = member_factory(role=Role.STAFF)
    with pytest.raises(ErasureError) as refused:
        member_erase(member=only, by=only)
    assert "dernier compte" in refused.value.message
    response = client_for(only).post(
        reverse("privacy_admin:erase", args=[only.pk]), {"reason": "Départ"}
    )
    assert "dernier compte" in response.content.decode()
    only.refresh_from_db()
    assert only.erased_at is None and only.is_active

    second = member_factory(role=Role.STAFF)
    member_erase(member=only, by=second, reason="Départ de l’équipe")
    assert Member.objects.get(pk=only.pk).erased_at is not None
