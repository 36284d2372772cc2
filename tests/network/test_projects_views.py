"""The project pages, as managers, residents and residents of another café use them."""

import io
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from network.models import Idea, IdeaStatus, IdeaSupport, Project, ResidentInvitation
from network.services.ideas import idea_answer, idea_post, idea_support

from .projects_fixtures import *  # noqa: F403 (the fixtures)

pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "orange").save(buffer, format="PNG")
    return SimpleUploadedFile("pain.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def idea(project, village_resident):
    return idea_post(author=village_resident, project=project, title="Des croissants le dimanche")


def test_the_manager_opens_a_project_with_a_photo(client_for, manager, cafe, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(manager)
    page = client.get(reverse("projects:list"))
    assert "Ouvrir un projet" in page.content.decode()
    response = client.post(
        reverse("projects:create", args=[cafe.pk]),
        {
            "title": "Soirée réparation",
            "description": "Un café-réparation un vendredi par mois.",
            "stage": "collecting",
            "ideas_deadline": "2099-06-30",
            "photo_upload": _png(),
            "photo_alt": "Un fer à souder",
        },
        follow=True,
    )
    project = Project.objects.get(title="Soirée réparation")
    assert project.photo.file.name.endswith(".png")
    assert project.channel is not None
    body = response.content.decode()
    assert "Le projet est ouvert." in body
    assert 'alt="Un fer à souder"' in body
    assert "idées jusqu&#x27;au 30 juin 2099" in body or "idées jusqu'au 30 juin 2099" in body


def test_a_file_that_is_not_an_image_is_refused_in_french(client_for, manager, cafe):
    response = client_for(manager).post(
        reverse("projects:create", args=[cafe.pk]),
        {
            "title": "Marché",
            "description": "Des producteurs locaux.",
            "stage": "collecting",
            "photo_upload": SimpleUploadedFile("x.png", b"pas une image", "image/png"),
        },
    )
    assert response.status_code == 200
    assert "image" in response.content.decode().lower()
    assert not Project.objects.filter(title="Marché").exists()


def test_bad_dates_and_stages_are_refused(client_for, manager, cafe):
    response = client_for(manager).post(
        reverse("projects:create", args=[cafe.pk]),
        {"title": "Marché", "description": "Oui", "stage": "bientot", "ideas_deadline": "31/02"},
    )
    assert response.status_code == 200
    assert not Project.objects.exists()
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_another_manager_or_a_resident_cannot_open_or_edit(
    client_for, other_manager, village_resident, cafe, project
):
    for member in (other_manager, village_resident):
        client = client_for(member)
        assert client.get(reverse("projects:create", args=[cafe.pk])).status_code == 404
        assert client.get(reverse("projects:edit", args=[project.pk])).status_code == 404
        assert client.get(reverse("projects:residents", args=[cafe.pk])).status_code == 404


def test_a_resident_of_another_cafe_gets_404_everywhere(client_for, outsider, project, idea):
    client = client_for(outsider)
    for url in (
        reverse("projects:detail", args=[project.pk]),
        reverse("projects:summary", args=[project.pk]),
        reverse("projects:idea", args=[idea.pk]),
        reverse("projects:idea_report", args=[idea.pk]),
        project.channel.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Un dépôt de pain" not in response.content.decode()
    response = client.post(reverse("projects:idea_support", args=[idea.pk]))
    assert response.status_code == 404
    assert not IdeaSupport.objects.exists()
    listing = client.get(reverse("projects:list")).content.decode()
    assert "Un dépôt de pain" not in listing


def test_a_resident_posts_an_idea_shown_as_text(client_for, village_resident, project):
    client = client_for(village_resident)
    response = client.post(
        reverse("projects:idea_create", args=[project.pk]),
        {"title": "<script>alert(1)</script>", "body": "<b>gras</b>"},
        follow=True,
    )
    body = response.content.decode()
    assert "Merci : votre idée est publiée." in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)</script>" not in body
    assert "&lt;b&gt;gras&lt;/b&gt;" in body


def test_supporting_twice_says_so_and_counts_once(client_for, resident_factory, cafe, idea):
    neighbour = resident_factory(cafe)
    client = client_for(neighbour)
    url = reverse("projects:idea_support", args=[idea.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "Vous soutenez déjà cette idée." in response.content.decode()
    assert IdeaSupport.objects.filter(idea=idea).count() == 1
    response = client.post(reverse("projects:idea_support_withdraw", args=[idea.pk]), follow=True)
    assert "Votre soutien est retiré." in response.content.decode()
    assert not IdeaSupport.objects.exists()


def test_a_closed_project_refuses_supports_in_french(client_for, village_resident, idea, project):
    project.stage = "done"
    project.save(update_fields=["stage"])
    client = client_for(village_resident)
    response = client.post(reverse("projects:idea_support", args=[idea.pk]), follow=True)
    assert "Ce projet ne recueille plus d&#x27;idées" in response.content.decode()
    assert not IdeaSupport.objects.exists()
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Je soutiens" not in page
    assert "Proposer une idée" not in page


def test_sort_by_support_and_filter_by_status(
    client_for, village_resident, resident_factory, cafe, project, manager
):
    quiet = idea_post(author=village_resident, project=project, title="Idée discrète")
    popular = idea_post(author=village_resident, project=project, title="Idée populaire")
    for _ in range(2):
        idea_support(member=resident_factory(cafe), idea=popular)
    idea_answer(actor=manager, idea=quiet, status=IdeaStatus.ACCEPTED, answer="Oui")
    client = client_for(village_resident)
    body = client.get(project.get_absolute_url(), {"sort": "support"}).content.decode()
    assert body.index("Idée populaire") < body.index("Idée discrète")
    assert "2 soutiens" in body
    body = client.get(project.get_absolute_url(), {"sort": "recent"}).content.decode()
    assert body.index("Idée populaire") < body.index("Idée discrète")
    body = client.get(project.get_absolute_url(), {"sort": "oldest"}).content.decode()
    assert body.index("Idée discrète") < body.index("Idée populaire")
    body = client.get(project.get_absolute_url(), {"status": "accepted"}).content.decode()
    assert "Idée discrète" in body and "Idée populaire" not in body
    # Unknown values fall back to the defaults instead of failing.
    assert client.get(project.get_absolute_url(), {"sort": "x", "status": "y"}).status_code == 200


def test_the_project_page_does_not_query_per_idea(
    client_for, village_resident, project, django_assert_max_num_queries
):
    for number in range(15):
        idea_post(author=village_resident, project=project, title=f"Idée {number}")
    client = client_for(village_resident)
    with django_assert_max_num_queries(20):
        response = client.get(project.get_absolute_url())
    assert response.content.decode().count('class="result idea') == 15


def test_the_manager_answers_and_the_resident_sees_the_status(
    client_for, manager, village_resident, idea, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post(
            reverse("projects:idea_answer", args=[idea.pk]),
            {"status": "accepted", "answer": "Dès le mois prochain."},
            follow=True,
        )
    assert "La réponse est enregistrée" in response.content.decode()
    assert [m.to for m in mailoutbox] == [[village_resident.email]]
    page = client_for(village_resident).get(idea.get_absolute_url()).content.decode()
    assert "Retenue" in page and "Dès le mois prochain." in page


def test_a_resident_cannot_answer(client_for, village_resident, idea):
    response = client_for(village_resident).post(
        reverse("projects:idea_answer", args=[idea.pk]), {"status": "accepted", "answer": ""}
    )
    assert response.status_code == 404
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.NEW


def test_the_manager_enters_an_anonymous_paper_idea(client_for, manager, village_resident, project):
    client_for(manager).post(
        reverse("projects:idea_on_behalf", args=[project.pk]),
        {"title": "Un banc devant le café", "resident_name": ""},
    )
    idea = Idea.objects.get(title="Un banc devant le café")
    assert idea.entered_by == manager and idea.author is None
    page = client_for(village_resident).get(project.get_absolute_url()).content.decode()
    assert "anonyme (saisie par le café depuis le papier)" in page


def test_report_then_hide_a_comment_and_an_idea(
    client_for, manager, village_resident, resident_factory, cafe, idea
):
    neighbour = resident_factory(cafe)
    client = client_for(neighbour)
    client.post(reverse("projects:idea_comment", args=[idea.pk]), {"body": "Nul !"})
    comment = idea.comments.get()
    response = client_for(village_resident).post(
        reverse("projects:comment_report", args=[comment.pk]),
        {"reason": "Pas aimable"},
        follow=True,
    )
    assert "Merci : votre signalement est envoyé." in response.content.decode()
    manager_client = client_for(manager)
    reports = manager_client.get(reverse("projects:reports", args=[idea.project_id]))
    assert "Pas aimable" in reports.content.decode()
    # A resident cannot hide.
    assert (
        client.post(
            reverse("projects:comment_hide", args=[comment.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    response = manager_client.post(
        reverse("projects:comment_hide", args=[comment.pk]), {"reason": ""}
    )
    assert "Indiquez le motif." in response.content.decode()
    manager_client.post(reverse("projects:comment_hide", args=[comment.pk]), {"reason": "Impoli"})
    assert "Nul !" not in client.get(idea.get_absolute_url()).content.decode()
    manager_client.post(reverse("projects:idea_hide", args=[idea.pk]), {"reason": "Doublon"})
    assert client.get(idea.get_absolute_url()).status_code == 404
    assert "Des croissants" not in client.get(idea.project.get_absolute_url()).content.decode()
    assert "Masqué : Doublon" in manager_client.get(idea.get_absolute_url()).content.decode()


def test_the_summary_lists_ideas_supports_and_answers(client_for, manager, village_resident, idea):
    idea_answer(actor=manager, idea=idea, status=IdeaStatus.UNDER_STUDY, answer="On en parle.")
    body = (
        client_for(village_resident)
        .get(reverse("projects:summary", args=[idea.project_id]))
        .content.decode()
    )
    assert "Des croissants le dimanche" in body
    assert "À l&#x27;étude" in body or "À l'étude" in body
    assert "On en parle." in body
    assert "css/projects.css" in body


def test_invitation_poster_has_a_qr_code_and_the_link(client_for, manager, cafe):
    client = client_for(manager)
    response = client.post(reverse("projects:invitation_create", args=[cafe.pk]), follow=True)
    invitation = ResidentInvitation.objects.get(cafe=cafe)
    body = response.content.decode()
    assert "<svg" in body
    assert f"/projets/rejoindre/{invitation.token}/" in body
    assert "Le Comptoir de Sulignat construit ses projets avec vous" in body
    assert "@page" not in body  # the print rules live in the stylesheet
    residents = client.get(reverse("projects:residents", args=[cafe.pk])).content.decode()
    assert invitation.token in residents


def test_revoking_an_invitation(client_for, manager, invitation, other_manager):
    url = reverse("projects:invitation_revoke", args=[invitation.pk])
    assert client_for(other_manager).post(url).status_code == 404
    response = client_for(manager).post(url, follow=True)
    assert "Le lien d&#x27;invitation est retiré" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.is_revoked


def test_the_manager_removes_a_resident(client_for, manager, village_resident, cafe, project):
    client = client_for(manager)
    page = client.get(reverse("projects:residents", args=[cafe.pk])).content.decode()
    assert "Jeanne Roux" in page
    remove_url = reverse("projects:resident_remove", args=[cafe.pk, village_resident.pk])
    confirm = unescape(client.get(remove_url).content.decode())
    assert "Retirer Jeanne Roux des habitants de Le Comptoir de Sulignat ?" in confirm
    village_resident.refresh_from_db()
    assert village_resident.resident_cafe_id == cafe.pk  # asking removes nobody
    response = client.post(
        reverse("projects:resident_remove", args=[cafe.pk, village_resident.pk]), follow=True
    )
    assert "Jeanne Roux n&#x27;est plus habitant du café." in response.content.decode()
    resident_client = client_for(village_resident)
    assert resident_client.get(project.get_absolute_url()).status_code == 404
    assert (
        "Vous n'êtes plus habitant"
        in resident_client.get(reverse("projects:list")).content.decode()
    )


def test_a_comment_too_long_comes_back_with_its_text_and_the_error(
    client_for, village_resident, idea
):
    from network.models.projects import COMMENT_MAX_LENGTH

    text = "Pourquoi pas un marché le samedi ? " * (COMMENT_MAX_LENGTH // 30)
    response = client_for(village_resident).post(
        reverse("projects:idea_comment", args=[idea.pk]), {"body": text}
    )

    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert 'id="error-summary"' in page
    assert text.strip() in page  # what was typed is not lost
    assert not idea.comments.exists()


def test_an_answer_with_an_unknown_status_comes_back_with_the_typed_answer(
    client_for, manager, idea
):
    response = client_for(manager).post(
        reverse("projects:idea_answer", args=[idea.pk]),
        {"status": "peut-etre", "answer": "Nous en parlons jeudi au conseil."},
    )

    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert 'id="error-summary"' in page and "Nous en parlons jeudi au conseil." in page
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.NEW and idea.answer == ""


def test_a_deadline_out_of_the_calendar_is_refused_in_french(client_for, manager, cafe):
    response = client_for(manager).post(
        reverse("projects:create", args=[cafe.pk]),
        {
            "title": "Marché",
            "description": "Des producteurs locaux.",
            "stage": "collecting",
            "ideas_deadline": "0001-01-01",
        },
    )

    assert response.status_code == 200
    assert "Saisissez une date entre 2000 et 2100." in response.content.decode()
    assert not Project.objects.filter(title="Marché").exists()
