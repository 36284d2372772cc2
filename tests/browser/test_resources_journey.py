"""The resource library in a real browser: a manager finds a spreadsheet by a word that is only
inside the file, downloads it and keeps it in their toolbox; an anonymous visitor cannot
download it; a professional proposes a resource that staff approve in the admin, and it is
published with its author credited."""

import io

import pytest
from django.core import mail
from playwright.sync_api import expect

from network.models import Role
from resources.models import Contribution, ResourceCategoryPage, ResourcePage
from resources.services import library_ensure, resource_create, resource_file_add
from tests.browser.test_membership_journey import log_in
from tests.resources.conftest import pdf_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.browser


@pytest.fixture
def library(site, settings, tmp_path, staff_member):
    settings.RESOURCES_PRIVATE_ROOT = tmp_path / "private"
    library_ensure()
    accounts = ResourceCategoryPage.objects.get(slug="gestion-et-comptabilite")
    spreadsheet = resource_create(
        category=accounts,
        title="Suivre ses comptes au mois le mois",
        summary="Un tableau pour voir venir les échéances.",
        resource_type="spreadsheet",
        tags=["gestion"],
    )
    file = resource_file_add(
        actor=staff_member,
        page=spreadsheet,
        title="Le tableau",
        upload=upload(
            "comptes.xlsx", xlsx_bytes(("Décaissements prévisionnels", 300), ("Loyer", 500))
        ),
    )
    resource_create(
        category=accounts,
        title="Un guide sans rapport",
        summary="Rien sur les comptes.",
        resource_type="guide",
    )
    return file


def test_find_download_bookmark_and_anonymous_refusal(page, new_context, library, member_factory):
    file = library
    # An anonymous visitor following the file's address is sent to log in, without the file.
    anonymous = new_context().new_page()
    response = anonymous.goto(file.get_absolute_url())
    assert response is not None and "/compte/login/" in anonymous.url
    assert "spreadsheetml" not in (response.headers.get("content-type") or "")

    manager = member_factory(role=Role.MANAGER, first_name="Sophie", last_name="Bernard")
    log_in(page, manager.email)
    page.get_by_role("navigation").get_by_role("link", name="Ressources").click()
    # No accent, capital letters: the word is only inside the spreadsheet.
    page.get_by_label("Chercher dans la bibliothèque").fill("DECAISSEMENTS")
    page.get_by_label("Chercher dans la bibliothèque").press("Enter")
    results = page.locator(".result-list")
    expect(page.locator("#results-title")).to_have_text("1 ressource trouvée")
    expect(results).not_to_contain_text("Un guide sans rapport")
    results.get_by_role("link", name="Suivre ses comptes au mois le mois").click()
    expect(page.locator("h1")).to_have_text("Suivre ses comptes au mois le mois")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger comptes.xlsx").click()
    download = download_info.value
    assert download.suggested_filename == "comptes.xlsx"
    with open(download.path(), "rb") as handle:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(handle.read())).active
        assert sheet["A1"].value == "Décaissements prévisionnels"
    file.refresh_from_db()
    assert file.download_count == 1

    page.get_by_role("button", name="Ajouter à ma boîte à outils").click()
    expect(page.locator(".messages")).to_contain_text("Ajoutée à votre boîte à outils")
    expect(page.get_by_role("button", name="Retirer de ma boîte à outils")).to_be_visible()
    page.get_by_role("navigation").get_by_role("link", name="Ressources").click()
    page.get_by_role("link", name="Ma boîte à outils").click()
    expect(page.locator("main .result-list")).to_contain_text("Suivre ses comptes au mois le mois")


def test_a_contribution_is_reviewed_and_published_by_staff(
    page, new_context, library, member_factory, staff_member
):
    author = member_factory(role=Role.PROFESSIONAL, first_name="Aline", last_name="Roux")
    log_in(page, author.email)
    page.goto("/ressources/proposer/")
    page.get_by_label("Titre").fill("Calendrier des déclarations fiscales")
    page.get_by_label("Résumé").fill("Les échéances de TVA et d'impôts d'un café, mois par mois.")
    page.get_by_label("Catégorie").select_option(label="Gestion et comptabilité")
    page.get_by_label("Type").select_option(label="Modèle")
    page.get_by_label("Fichiers").set_input_files(
        [
            {
                "name": "echeances.pdf",
                "mimeType": "application/pdf",
                "buffer": pdf_bytes("TVA trimestrielle et CFE"),
            }
        ]
    )
    page.get_by_role("button", name="Envoyer à l'équipe du programme").click()
    expect(page.locator("h1")).to_have_text("Mes contributions")
    expect(page.locator("main")).to_contain_text("En cours de relecture par l'équipe du programme")
    contribution = Contribution.objects.get(contributor=author)
    assert not contribution.page.live

    # Staff approve it in the Wagtail admin.
    staff = new_context().new_page()
    log_in(staff, staff_member.email)
    staff.goto(f"/cms/pages/{contribution.page_id}/edit/")
    # The review actions are in the menu beside the footer's main button.
    staff.locator("footer [data-w-dropdown-target='toggle']").first.click()
    staff.locator("footer").get_by_role("button", name="Accepter et Publier").click()
    expect(staff.locator(".messages")).to_be_visible()
    page_after = ResourcePage.objects.get(pk=contribution.page_id)
    assert page_after.live

    sent = [m for m in mail.outbox if m.to == [author.email]]
    assert len(sent) == 1 and "est publiée" in sent[0].subject

    page.goto(page_after.url)
    expect(page.locator("main")).to_contain_text("Proposée par")
    expect(page.locator("main")).to_contain_text("Aline Roux")
    expect(page.get_by_role("link", name="Télécharger echeances.pdf")).to_be_visible()
