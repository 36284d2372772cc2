"""Co-construction in real browsers: a manager opens a project and prints the poster, a
resident joins through the invitation link and posts an idea, a neighbour supports it, the
manager accepts it with an answer and the author sees the status; a resident of another café
sees none of it."""

import io
import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from network.models import Idea, IdeaStatus, Member, Role
from tests.browser.test_membership_journey import CONFIRM_LINK, log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def village(site, member_factory, cafe_factory):
    manager = member_factory(role=Role.MANAGER, first_name="Sophie", last_name="Bernard")
    cafe = cafe_factory(name="Le Comptoir de Sulignat", commune="Sulignat", managers=[manager])
    neighbour = member_factory(
        role=Role.RESIDENT, resident_cafe=cafe, first_name="Paul", last_name="Voisin"
    )
    other_manager = member_factory(role=Role.MANAGER)
    other_cafe = cafe_factory(name="Café de Lagrasse", commune="Lagrasse", managers=[other_manager])
    outsider = member_factory(
        role=Role.RESIDENT, resident_cafe=other_cafe, first_name="Marc", last_name="Ailleurs"
    )
    return {"manager": manager, "cafe": cafe, "neighbour": neighbour, "outsider": outsider}


def _manager_opens_a_project_and_prints_the_poster(page: Page, manager: Member) -> str:
    log_in(page, manager.email)
    page.get_by_role("navigation").get_by_role("link", name="Idées et projets").click()
    page.get_by_role("link", name="Ouvrir un projet").click()
    page.get_by_label("Titre").fill("Un dépôt de pain")
    page.get_by_label("Description").fill("Du pain frais au café trois matins par semaine.")
    page.get_by_label("Étape").select_option("collecting")
    page.get_by_role("button", name="Ouvrir le projet").click()
    expect(page.locator("main h1")).to_have_text("Un dépôt de pain")
    expect(page.locator("main")).to_contain_text("Le projet est ouvert.")
    project_url = page.url

    page.get_by_role("link", name="Habitants et invitations").first.click()
    page.get_by_role("button", name="Créer un lien d'invitation").click()
    expect(page.locator("main h1")).to_have_text(
        "Le Comptoir de Sulignat construit ses projets avec vous"
    )
    qr = page.locator(".poster__qr svg")
    expect(qr).to_be_visible()
    invitation_url = page.locator(".poster__url").inner_text().strip()
    assert re.search(r"/projets/rejoindre/[\w-]+/$", invitation_url), invitation_url

    # Printed: the site's header and the help line go, the poster fits one A4 page.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("p.no-print")).to_be_hidden()
    expect(qr).to_be_visible()
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 1
    assert "Le Comptoir de Sulignat" in pdf.pages[0].extract_text()
    page.emulate_media(media="screen")
    page.goto(project_url)
    return invitation_url


def _resident_joins_and_posts_an_idea(page: Page, invitation_url: str) -> None:
    page.goto(invitation_url)
    expect(page.locator("main h1")).to_have_text("Rejoindre les projets de Le Comptoir de Sulignat")
    form = page.locator("main form")
    form.locator("input[name='first_name']").fill("Lucie")
    form.locator("input[name='last_name']").fill("Martin")
    form.locator("input[name='email']").fill("lucie.martin@exemple.fr")
    form.locator("input[name='password1']").fill(PASSWORD)
    form.locator("input[name='password2']").fill(PASSWORD)
    # The declaration is required: without it the form says why, in French.
    form.get_by_role("button", name="Créer mon compte").click()
    expect(page.locator("main")).to_contain_text("cochez la case pour dire que vous en êtes")
    form = page.locator("main form")
    form.locator("input[name='password1']").fill(PASSWORD)
    form.locator("input[name='password2']").fill(PASSWORD)
    form.get_by_label("J'habite à Sulignat ou dans les environs.").check()
    form.get_by_role("button", name="Créer mon compte").click()
    expect(page).to_have_url(re.compile(r"/compte/confirm-email/$"))

    message = [m for m in mail.outbox if "lucie.martin@exemple.fr" in m.to][-1]
    page.goto(CONFIRM_LINK.search(message.body).group(0))
    page.locator("main form[action*='/compte/confirm-email/'] button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/projets/$"))
    expect(page.locator("main h1")).to_have_text("Les projets de Le Comptoir de Sulignat")
    # Nothing of the professional network in the navigation.
    navigation = page.get_by_role("navigation")
    expect(navigation.get_by_role("link", name="Annuaire")).to_have_count(0)
    expect(navigation.get_by_role("link", name="Formations")).to_have_count(0)

    page.get_by_role("link", name="Un dépôt de pain").click()
    page.get_by_label("Votre idée en quelques mots").fill("Le pain du <b>dimanche</b>")
    page.get_by_label("Détails").fill("Le dimanche, tout le village passe au café.")
    page.get_by_role("button", name="Publier mon idée").click()
    expect(page.locator("main")).to_contain_text("Merci : votre idée est publiée.")
    # HTML typed in an idea is shown as text.
    expect(page.locator("main h1")).to_have_text("Le pain du <b>dimanche</b>")


def test_a_project_from_the_poster_to_the_answer(village, new_context):
    manager_page = new_context().new_page()
    invitation_url = _manager_opens_a_project_and_prints_the_poster(
        manager_page, village["manager"]
    )

    author_page = new_context().new_page()
    _resident_joins_and_posts_an_idea(author_page, invitation_url)
    idea = Idea.objects.get(title="Le pain du <b>dimanche</b>")
    assert idea.author.email == "lucie.martin@exemple.fr"

    neighbour_page = new_context().new_page()
    log_in(neighbour_page, village["neighbour"].email)
    expect(neighbour_page).to_have_url(re.compile(r"/projets/$"))
    neighbour_page.get_by_role("link", name="Un dépôt de pain").click()
    neighbour_page.get_by_role("button", name=re.compile("^Je soutiens")).click()
    expect(neighbour_page.locator("main")).to_contain_text("Vous soutenez cette idée.")
    expect(neighbour_page.locator("main")).to_contain_text("1 soutien")
    expect(
        neighbour_page.get_by_role("button", name=re.compile("^Retirer mon soutien"))
    ).to_be_visible()

    manager_page.reload()
    manager_page.get_by_role("link", name="Le pain du <b>dimanche</b>").click()
    manager_page.get_by_label("Statut").select_option(IdeaStatus.ACCEPTED)
    manager_page.get_by_label("Réponse officielle du café").fill(
        "Le boulanger livre dès dimanche prochain."
    )
    manager_page.get_by_role("button", name="Enregistrer la réponse").click()
    expect(manager_page.locator("main")).to_contain_text("La réponse est enregistrée")

    author_page.reload()
    expect(author_page.locator("main .lead .badge")).to_have_text("Retenue")
    expect(author_page.locator("main")).to_contain_text("Le boulanger livre dès dimanche prochain.")
    told = [m for m in mail.outbox if m.to == ["lucie.martin@exemple.fr"] and "statut" in m.subject]
    assert len(told) == 1 and "Retenue" in told[0].body

    # A resident of another café sees none of it, even with the addresses.
    outsider_page = new_context().new_page()
    log_in(outsider_page, village["outsider"].email)
    expect(outsider_page).to_have_url(re.compile(r"/projets/$"))
    expect(outsider_page.locator("main")).not_to_contain_text("Un dépôt de pain")
    for url in (idea.project.get_absolute_url(), idea.get_absolute_url()):
        response = outsider_page.goto(url)
        assert response.status == 404
        expect(outsider_page.locator("main")).not_to_contain_text("dimanche")
    response = outsider_page.goto(idea.project.channel.get_absolute_url())
    assert response.status == 404
