"""The library as members see it: pages, downloads, forms and their errors."""

import html

import pytest
from wagtail.models import WorkflowState

from network.models import Role
from resources.models import Bookmark, Contribution, ResourceFile, ResourcePage
from resources.services import resource_file_add

from .conftest import pdf_bytes, upload, xlsx_bytes, zip_bomb_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def spreadsheet(resource_factory, staff_member):
    page = resource_factory(
        title="Plan de trésorerie",
        summary="Voir venir les mois creux.",
        resource_type="spreadsheet",
    )
    file = resource_file_add(
        actor=staff_member,
        page=page,
        title="Tableau",
        upload=upload("tresorerie.xlsx", xlsx_bytes(("Décaissements prévisionnels", 100))),
    )
    return page, file


def test_anonymous_visitor_cannot_download_a_file(client, spreadsheet):
    _page, file = spreadsheet
    response = client.get(file.get_absolute_url())
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]
    file.refresh_from_db()
    assert file.download_count == 0


def test_pending_member_cannot_download(client_for, pending_member, spreadsheet):
    _page, file = spreadsheet
    response = client_for(pending_member).get(file.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == "/adhesion/"


def test_member_downloads_the_file_and_it_is_counted(client_for, manager, spreadsheet):
    _page, file = spreadsheet
    response = client_for(manager).get(file.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "tresorerie.xlsx" in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:2] == b"PK"
    file.refresh_from_db()
    assert file.download_count == 1


def test_file_has_no_public_media_address(spreadsheet):
    _page, file = spreadsheet
    with pytest.raises(ValueError):
        file.latest_version.blob.url  # noqa: B018


def test_files_of_a_draft_are_hidden_from_other_members(
    client_for, resource_factory, staff_member, manager
):
    page = resource_factory(title="Brouillon", publish=False)
    file = resource_file_add(actor=staff_member, page=page, title="x", upload=upload("a.txt", b"a"))
    assert client_for(manager).get(file.get_absolute_url()).status_code == 404
    assert client_for(staff_member).get(file.get_absolute_url()).status_code == 200


def test_resource_page_shows_files_versions_and_actions(client_for, manager, spreadsheet):
    page, file = spreadsheet
    from resources.services import resource_file_version_add

    resource_file_version_add(
        actor=None, file=file, upload=upload("tresorerie-v2.xlsx", xlsx_bytes(("Loyer", 1)))
    )
    response = client_for(manager).get(page.url)
    content = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Plan de trésorerie" in content
    assert "Télécharger tresorerie-v2.xlsx" in content
    assert "Versions précédentes" in content
    assert f'href="/ressources/fichiers/{file.pk}/versions/1/"' in content
    assert "Ajouter à ma boîte à outils" in content
    # Members do not manage files of a published resource.
    assert "Déposer une nouvelle version" not in content


def test_search_page_finds_a_word_inside_a_file(client_for, manager, spreadsheet):
    response = client_for(manager).get("/ressources/", {"q": "decaissements"})
    content = html.unescape(response.content.decode())
    assert "1 ressource trouvée" in content
    assert "Plan de trésorerie" in content


def test_search_page_with_bad_filters_answers_in_french(client_for, manager, spreadsheet):
    response = client_for(manager).get(
        "/ressources/", {"q": "x", "type": "pirate", "category": "a"}
    )
    assert response.status_code == 200
    assert "Veuillez corriger" in response.content.decode()


def test_bookmark_then_toolbox(client_for, manager, spreadsheet):
    page, _file = spreadsheet
    client = client_for(manager)
    response = client.post(f"/ressources/{page.pk}/boite-a-outils/")
    assert response.status_code == 302
    assert Bookmark.objects.filter(member=manager, page=page).exists()
    toolbox = client.get("/ressources/ma-boite-a-outils/").content.decode()
    assert "Plan de trésorerie" in toolbox


def test_vote_shows_on_the_most_useful_list(client_for, manager, spreadsheet):
    page, _file = spreadsheet
    client = client_for(manager)
    client.post(f"/ressources/{page.pk}/utile/")
    home = html.unescape(client.get("/ressources/").content.decode())
    assert "Les plus utiles" in home
    assert "1 membre l'a trouvée utile" in home


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Ce type de fichier n'est pas accepté"),
        ("tableau.xlsx", b"MZ\x90\x00" + b"\x00" * 100, "ne correspond pas à son nom"),
        ("tableau.xlsx", zip_bomb_xlsx(), "bombe"),
    ],
)
def test_staff_upload_errors_are_explained(
    client_for, staff_member, spreadsheet, name, data, message
):
    page, file = spreadsheet
    response = client_for(staff_member).post(
        f"/ressources/fichiers/{file.pk}/nouvelle-version/", {"upload": upload(name, data)}
    )
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert file.versions.count() == 1


def test_unreadable_pdf_is_saved_with_a_warning(client_for, staff_member, spreadsheet):
    page, _file = spreadsheet
    response = client_for(staff_member).post(
        f"/ressources/{page.pk}/fichiers/ajouter/",
        {"title": "Guide", "upload": upload("guide.pdf", b"%PDF-1.5\nnot really")},
        follow=True,
    )
    assert response.status_code == 200
    assert "son texte n'a pas pu être lu" in response.content.decode()
    assert ResourceFile.objects.filter(page=page, title="Guide").exists()


def test_member_cannot_add_files_to_a_published_resource(client_for, manager, spreadsheet):
    page, _file = spreadsheet
    response = client_for(manager).post(
        f"/ressources/{page.pk}/fichiers/ajouter/", {"title": "x", "upload": upload("a.txt", b"a")}
    )
    assert response.status_code == 403


def test_member_contributes_a_resource(client_for, member_factory, category):
    author = member_factory(role=Role.PROFESSIONAL)
    client = client_for(author)
    response = client.post(
        "/ressources/proposer/",
        {
            "title": "Tableau des heures d'ouverture",
            "summary": "Pour afficher les horaires d'été et d'hiver.",
            "category": category.pk,
            "resource_type": "template",
            "files": [upload("horaires.pdf", pdf_bytes("Horaires d'ete"))],
        },
        follow=True,
    )
    content = html.unescape(response.content.decode())
    assert "relu par l'équipe du programme" in content or "En cours de relecture" in content
    contribution = Contribution.objects.get(contributor=author)
    assert contribution.page.title == "Tableau des heures d'ouverture"
    assert contribution.page.files.count() == 1
    assert not contribution.page.live
    assert WorkflowState.objects.filter(object_id=str(contribution.page_id)).exists()
    # The contributor sees the draft; another member does not.
    assert client.get(f"/ressources/{contribution.page_id}/").status_code == 200
    other = client_for(member_factory())
    assert other.get(f"/ressources/{contribution.page_id}/").status_code == 404


def test_contribution_form_errors_are_in_french(client_for, manager, category):
    response = client_for(manager).post(
        "/ressources/proposer/",
        {
            "title": "",
            "summary": "",
            "category": category.pk,
            "resource_type": "guide",
            "files": [upload("x.exe", b"MZ")],
        },
    )
    content = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in content
    assert "Ce type de fichier n'est pas accepté" in content
    assert not ResourcePage.objects.filter(title="").exists()


def test_library_and_category_pages_for_members_only(client, client_for, manager, spreadsheet):
    page, _file = spreadsheet
    category = page.get_parent()
    assert client.get(category.url).status_code == 302
    response = client_for(manager).get(category.url)
    assert "Plan de trésorerie" in response.content.decode()
    library = category.get_parent()
    response = client_for(manager).get(library.url)
    assert "Hygiène et réglementation" in response.content.decode()


def test_navigation_has_the_library(client_for, manager, home_page):
    content = client_for(manager).get("/espace/").content.decode()
    assert 'href="/ressources/"' in content
    assert "Ressources" in content


def test_files_live_outside_the_media_folder(client_for, manager, spreadsheet, settings):
    from pathlib import Path

    _page, file = spreadsheet
    stored = Path(file.latest_version.blob.path)
    assert stored.exists()
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT))
    # Neither the media route nor Wagtail's documents route knows the file.
    response = client_for(manager).get("/media/" + file.latest_version.blob.name)
    assert response.status_code == 404


def test_contributor_answers_a_request_for_changes(
    client_for, member_factory, category, staff_member
):
    from resources.services import contribution_submit

    author = member_factory()
    contribution = contribution_submit(
        contributor=author,
        category=category,
        title="Mon outil",
        summary="Trop court.",
        resource_type="guide",
        uploads=[],
    )
    client = client_for(author)
    # Nothing to change while staff are reading it.
    assert client.get(f"/ressources/{contribution.page_id}/modifier/").status_code == 403
    state = WorkflowState.objects.get(object_id=str(contribution.page_id))
    state.current_task_state.reject(user=staff_member, comment="Ajoutez un exemple chiffré.")

    listing = html.unescape(client.get("/ressources/mes-contributions/").content.decode())
    assert "Modifications demandées" in listing
    assert "Ajoutez un exemple chiffré." in listing
    response = client.post(
        f"/ressources/{contribution.page_id}/modifier/",
        {
            "title": "Mon outil",
            "summary": "Avec un exemple : 120 € par mois.",
            "resource_type": "guide",
        },
    )
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    page = ResourcePage.objects.get(pk=contribution.page_id)
    assert page.summary == "Avec un exemple : 120 € par mois."
    assert page.get_latest_revision().as_object().summary == "Avec un exemple : 120 € par mois."
    listing = html.unescape(client.get("/ressources/mes-contributions/").content.decode())
    assert "En cours de relecture par l'équipe du programme" in listing
    # Another member cannot edit it.
    other = client_for(member_factory())
    assert other.get(f"/ressources/{contribution.page_id}/modifier/").status_code == 404


def test_wagtail_documents_linked_from_a_resource_need_membership(
    client, client_for, manager, settings, tmp_path
):
    """Staff may link a Wagtail document from a resource's text: it is served by Wagtail's
    view (WAGTAILDOCS_SERVE_METHOD = "serve_view"), behind the same membership check."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    settings.MEDIA_ROOT = tmp_path / "media"
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    document = Document(title="Affiche")
    document.file.save("affiche.pdf", ContentFile(pdf_bytes("Affiche")), save=True)
    url = document.url
    assert url.startswith("/documents/")
    response = client.get(url)
    assert response.status_code == 302 and "/compte/login/" in response["Location"]
    assert client.get("/media/" + document.file.name).status_code == 302
    assert client_for(manager).get(url).status_code == 200


def test_staff_remove_a_file_and_its_stored_versions(
    client_for, staff_member, manager, spreadsheet, django_capture_on_commit_callbacks
):
    from pathlib import Path

    page, file = spreadsheet
    stored = Path(file.latest_version.blob.path)
    assert client_for(manager).post(f"/ressources/fichiers/{file.pk}/supprimer/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff_member).post(f"/ressources/fichiers/{file.pk}/supprimer/")
    assert response.status_code == 302
    assert not ResourceFile.objects.filter(pk=file.pk).exists()
    assert not stored.exists()
    assert client_for(manager).get(f"/ressources/fichiers/{file.pk}/").status_code == 404


def test_residents_do_not_use_the_library(client_for, resident, spreadsheet):
    page, file = spreadsheet
    client = client_for(resident)
    assert client.get("/ressources/").status_code == 403
    assert client.get(page.url).status_code == 403
    assert client.get(file.get_absolute_url()).status_code in (403, 404)
    assert 'href="/ressources/"' not in client.get("/espace/").content.decode()


TOO_BIG_FOR_SQLITE = "99999999999999999999"  # over 2**63: SQLite's integers raise OverflowError


def test_a_category_id_too_big_for_the_database_is_an_invalid_choice(client_for, manager, category):
    """Found by tests/comptoir/test_form_fuzz.py: a page chosen by an id out of SQLite's range
    was a server error, on the contribution form and on the search filters."""
    client = client_for(manager)
    response = client.post(
        "/ressources/proposer/",
        {
            "title": "Un outil",
            "summary": "Un résumé.",
            "category": TOO_BIG_FOR_SQLITE,
            "resource_type": "guide",
        },
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in html.unescape(response.content.decode())
    assert not Contribution.objects.exists()

    search = client.get("/ressources/", {"q": "x", "category": TOO_BIG_FOR_SQLITE})
    assert search.status_code == 200
