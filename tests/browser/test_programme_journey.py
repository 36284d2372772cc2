"""The support programme in a real browser: a manager applies for a café in a village of 900
inhabitants and sees the four rules met; another applies for a town of 12,000 and sees why it
fails; staff accept the first; the coach records a diagnostic, an action plan and a visit; the
manager sees their plan."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from directory.models import Commune, Departement, PopulationBand, Region
from directory.services import cafe_save
from directory.text import fold
from network.models import Member, Role
from programme.models import Action, Application, ApplicationStatus, Cohort, FollowUp
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

MEMBERS_HOME = re.compile(r"/espace/$")
APPLICATION_PAGE = re.compile(r"/accompagnement/candidatures/\d+/$")
FILE_PAGE = re.compile(r"/accompagnement/suivis/\d+/(#\w+)?$")


def signed_in_page(context: BrowserContext, member: Member) -> Page:
    page = context.new_page()
    page.goto("/compte/login/")
    form = page.locator("main form:has(input[name='password'])")
    form.locator("input[name='login']").fill(member.email)
    form.locator("input[name='password']").fill(PASSWORD)
    form.locator("button[type='submit']").click()
    expect(page).to_have_url(MEMBERS_HOME)
    return page


def make_geography() -> dict[str, Commune]:
    region = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes")
    Departement.objects.create(code="01", name="Ain", region=region)
    communes = {}
    for insee, name, population, postal in [
        ("01216", "Lhuis", 900, "01680"),
        ("01173", "Gex", 12000, "01170"),
    ]:
        communes[name] = Commune.objects.create(
            insee_code=insee,
            name=name,
            departement_id="01",
            population=population,
            population_band=PopulationBand.for_population(population),
            postal_codes=postal,
            search_name=fold(name),
        )
    return communes


def open_application_form(page: Page) -> None:
    page.get_by_role("link", name="Accompagnement", exact=True).click()
    page.get_by_role("link", name="Candidater pour mon café").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Candidater au programme d'accompagnement"
    )


def village_manager_applies(page: Page) -> None:
    open_application_form(page)
    form = page.locator("#application-form")
    expect(form.get_by_role("textbox", name=re.compile(r"^Commune"))).to_have_value("01680 Lhuis")
    rules = page.locator("#eligibility")
    expect(rules).to_contain_text("Lhuis compte 900 habitants")
    expect(rules).to_contain_text("INSEE")
    form.get_by_label("Mon café est le dernier ouvert de la commune").check()
    form.get_by_label("Mon café a un espace café-bar ou salon de thé dédié").check()
    # The rules follow the form as it is filled (and the button does it without script).
    expect(rules).to_contain_text("Les quatre conditions sont remplies.")
    form.get_by_label("Comment le café fonctionne aujourd'hui").fill(
        "Ouvert six jours sur sept, dépôt de pain et épicerie."
    )
    form.get_by_label("Développement de nouveaux services").check()
    form.get_by_label("Compétences techniques et gestion comptable").check()
    form.get_by_label("Vos besoins, avec vos mots").fill("Tenir la trésorerie l'hiver.")
    form.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page).to_have_url(APPLICATION_PAGE)
    expect(page.locator(".messages")).to_contain_text("Votre brouillon est enregistré.")
    page.get_by_role("link", name="Reprendre la candidature").click()
    page.locator("#application-form").get_by_role("button", name="Envoyer la candidature").click()
    expect(page).to_have_url(APPLICATION_PAGE)
    expect(page.locator(".messages")).to_contain_text("Votre candidature a été envoyée.")
    expect(page.locator("#eligibility")).to_contain_text("Les quatre conditions sont remplies.")
    expect(page.locator("#eligibility .rule--met")).to_have_count(4)


def town_manager_sees_why_it_fails(page: Page) -> None:
    open_application_form(page)
    form = page.locator("#application-form")
    form.get_by_role("textbox", name=re.compile(r"^Commune")).fill("01170")
    form.get_by_label("Mon café est le dernier ouvert de la commune").check()
    form.get_by_label("Mon café a un espace café-bar ou salon de thé dédié").check()
    form.get_by_role("button", name="Vérifier les conditions").click()
    rules = page.locator("#eligibility")
    expect(rules.locator(".rule--unmet")).to_have_count(1)
    expect(rules.locator(".rule--unmet")).to_contain_text("Un village de moins de 3 500 habitants")
    expect(rules).to_contain_text(re.compile(r"Gex compte 12\s000 habitants"))
    expect(rules).to_contain_text("Une condition n'est pas remplie")
    # Sending without explanation is refused, with what to do.
    form = page.locator("#application-form")
    form.get_by_label("Comment le café fonctionne aujourd'hui").fill("Bar-tabac en centre-ville.")
    form.get_by_label("Outils pratiques").check()
    form.get_by_role("button", name="Envoyer la candidature").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "Au moins une condition n'est pas remplie : expliquez pourquoi"
    )


def staff_accept(page: Page, coach: Member, cohort: Cohort) -> None:
    page.goto("/accompagnement/")
    page.get_by_role("link", name="Candidatures à examiner").click()
    page.get_by_label("Éligibilité").select_option(label="Les quatre conditions sont remplies")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Le Café de Lhuis").click()
    expect(page.get_by_role("heading", name="Vérification dans l'annuaire")).to_be_visible()
    expect(page.get_by_text("Aucun autre café ouvert à Lhuis dans l'annuaire.")).to_be_visible()
    accept = page.locator("form[action$='/accepter/']")
    accept.get_by_label("Accompagnateur").select_option(label=str(coach))
    accept.get_by_label("Promotion").select_option(label=cohort.name)
    accept.get_by_role("button", name="Accepter la candidature").click()
    expect(page.locator(".messages")).to_contain_text("La candidature est acceptée")


def coach_follows_the_cafe(page: Page) -> None:
    page.get_by_role("link", name="Accompagnement", exact=True).click()
    page.get_by_role("link", name="Ouvrir le dossier d'accompagnement").click()
    expect(page).to_have_url(FILE_PAGE)

    page.get_by_role("link", name="Enregistrer le diagnostic").click()
    form = page.locator("main form")
    yesterday = timezone.localdate() - timedelta(days=1)
    form.get_by_label("Réalisé le").fill(yesterday.isoformat())
    form.get_by_label("Activité").fill("Une cinquantaine de passages par jour.")
    form.get_by_label("Relations avec la mairie").fill("La mairie loue les murs.")
    form.get_by_label("Forces").fill("Seul lieu de rencontre du village.")
    form.get_by_role("button", name="Enregistrer le diagnostic").click()
    expect(page.locator(".messages")).to_contain_text("Le diagnostic a été enregistré.")
    expect(page.locator("#diagnostic")).to_contain_text("La mairie loue les murs.")

    page.get_by_role("link", name="Ajouter une action").click()
    form = page.locator("main form")
    form.get_by_role("textbox", name=re.compile(r"^Action")).fill("Ouvrir un relais colis")
    form.get_by_label("Type d'accompagnement").select_option(
        label="Développement de nouveaux services"
    )
    form.get_by_label("Qui la porte").select_option(label="Sophie Bernard")
    form.get_by_label("Échéance").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    form.get_by_role("button", name="Enregistrer l'action").click()
    expect(page.locator(".messages")).to_contain_text("L'action a été enregistrée.")
    expect(page.locator("#plan")).to_contain_text("Ouvrir un relais colis")

    page.get_by_role("link", name="Enregistrer une visite ou un suivi").click()
    form = page.locator("main form")
    form.get_by_label("Visite sur place").check()
    form.get_by_label(re.compile(r"^Date")).fill(timezone.localdate().isoformat())
    form.get_by_label("Personnes présentes").fill("Sophie (gérante), Karim (accompagnateur)")
    form.get_by_label("Décisions").fill("Signer avec le transporteur.")
    form.get_by_label("Prochaine visite ou prochain appel").fill(
        (timezone.localdate() + timedelta(days=21)).isoformat()
    )
    form.get_by_label("Ouvrir un relais colis").select_option(label="En cours")
    form.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("La visite ou le suivi a été enregistré.")
    expect(page.locator("#visits")).to_contain_text("Ouvrir un relais colis : À faire → En cours")


def test_apply_review_and_follow_a_cafe(site, new_context, member_factory):
    communes = make_geography()
    staff = member_factory(role=Role.STAFF, first_name="Claire", last_name="Morel")
    village_manager = member_factory(role=Role.MANAGER, first_name="Sophie", last_name="Bernard")
    town_manager = member_factory(role=Role.MANAGER, first_name="Marc", last_name="Petit")
    coach = member_factory(role=Role.PROFESSIONAL, first_name="Karim", last_name="Haddad")
    for name, commune, manager in [
        ("Le Café de Lhuis", "Lhuis", village_manager),
        ("Le Grand Café", "Gex", town_manager),
    ]:
        cafe_save(
            actor=staff,
            fields={"name": name, "commune": communes[commune]},
            managers=[manager],
        )
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        name="Promotion 2027", starts_on=today, ends_on=today + timedelta(days=365)
    )

    village_page = signed_in_page(new_context(), village_manager)
    village_manager_applies(village_page)
    town_manager_sees_why_it_fails(signed_in_page(new_context(), town_manager))
    statuses = dict(Application.objects.values_list("cafe__name", "status"))
    assert statuses == {"Le Café de Lhuis": ApplicationStatus.SENT, "Le Grand Café": "draft"}

    staff_accept(signed_in_page(new_context(), staff), coach, cohort)
    assert Application.objects.get(cafe__name="Le Café de Lhuis").status == "accepted"
    assert any("est acceptée" in m.subject for m in mail.outbox if m.to == [village_manager.email])

    coach_follows_the_cafe(signed_in_page(new_context(), coach))
    assert Action.objects.get().status == "in_progress"
    assert FollowUp.objects.get().people.startswith("Sophie")

    village_page.get_by_role("link", name="Accompagnement", exact=True).click()
    main = village_page.locator("main")
    expect(main.get_by_role("heading", name="Mon plan d'action")).to_be_visible()
    expect(main).to_contain_text("Ouvrir un relais colis")
    expect(main).to_contain_text("En cours")
    expect(main).to_contain_text("Accompagnateur : Karim Haddad")
    expect(main).to_contain_text("0 action réalisée sur 1 (0 %)")
    next_visit = today + timedelta(days=21)
    expect(main).to_contain_text(f"Prochaine visite : {next_visit.day}")
