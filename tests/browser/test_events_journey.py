"""Collective training sessions in a real browser: a trainer schedules a session through the
site's forms, three café managers register for its two places, and the third one moves up
from the waiting list when a place frees up."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from events.models import Registration, SessionStatus, TrainingSession
from network.models import Member, Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "Tenir sa trésorerie au quotidien"
MEMBERS_HOME = re.compile(r"/espace/$")
TRAINER_HOME = re.compile(r"/formations/animer/(#.*)?$")
SESSION_PAGE = re.compile(r"/formations/sessions/\d+/$")


def signed_in_page(context: BrowserContext, member: Member) -> Page:
    page = context.new_page()
    page.goto("/compte/login/")
    form = page.locator("main form:has(input[name='password'])")
    form.locator("input[name='login']").fill(member.email)
    form.locator("input[name='password']").fill(PASSWORD)
    form.locator("button[type='submit']").click()
    expect(page).to_have_url(MEMBERS_HOME)
    return page


def picker_value(value) -> str:
    """What a person types into a date and time picker: the site's local time."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def trainer_schedules_a_session(page: Page) -> TrainingSession:
    page.goto("/formations/")
    page.get_by_role("link", name="Formations que j'anime").click()
    expect(page).to_have_url(TRAINER_HOME)
    page.get_by_role("link", name="Créer une formation").click()

    form = page.locator("main form")
    form.get_by_label("Titre").fill(TITLE)
    form.get_by_label("Description").fill(
        "Suivre sa caisse et sa banque sans y passer ses soirées."
    )
    form.get_by_label("Thèmes (mots-clés)").fill("trésorerie, gestion")
    form.get_by_role("button", name="Enregistrer").click()

    expect(page).to_have_url(TRAINER_HOME)
    expect(page.locator(".messages")).to_contain_text("La formation a été enregistrée.")
    training = page.get_by_role("region", name=TITLE)
    training.get_by_role("link", name=re.compile("^Programmer une session")).click()

    starts_at = (timezone.now() + timedelta(days=14)).replace(hour=9, minute=30)
    form = page.locator("main form")
    form.get_by_label("Début").fill(picker_value(starts_at))
    form.get_by_label(re.compile(r"^Fin\b")).fill(picker_value(starts_at + timedelta(hours=3)))
    form.get_by_label("En présentiel").check()
    form.get_by_label("Lieu").fill("Salle des fêtes, place de la Mairie")
    form.get_by_label("Nombre de places").fill("2")
    form.get_by_label("Ouverte aux inscriptions").check()
    form.get_by_role("button", name="Enregistrer la session").click()

    expect(page).to_have_url(TRAINER_HOME)
    expect(page.locator(".messages")).to_contain_text("ouverte aux inscriptions")
    row = page.get_by_role("region", name=TITLE).get_by_role("row").nth(1)
    expect(row).to_contain_text("0 place prise sur 2")
    expect(row).to_contain_text("Ouverte aux inscriptions")
    session = TrainingSession.objects.get(training__title=TITLE)
    assert session.status == SessionStatus.OPEN
    assert session.capacity == 2
    assert picker_value(session.starts_at) == picker_value(starts_at)
    return session


def manager_registers(page: Page) -> None:
    page.goto("/formations/")
    page.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(SESSION_PAGE)
    page.get_by_role("button", name="S'inscrire").click()
    expect(page).to_have_url(SESSION_PAGE)


def test_a_trainer_schedules_a_session_and_the_waiting_list_moves_up(
    site, new_context, member_factory
):
    trainer = member_factory(role=Role.PROFESSIONAL, is_trainer=True, first_name="Aline")
    first, second, third = (
        member_factory(role=Role.MANAGER, first_name=name) for name in ("Marc", "Nadia", "Odile")
    )

    trainer_page = signed_in_page(new_context(), trainer)
    session = trainer_schedules_a_session(trainer_page)

    pages = [signed_in_page(new_context(), member) for member in (first, second, third)]
    for page in pages[:2]:
        manager_registers(page)
        expect(page.locator("#registration-title + p")).to_have_text("Vous êtes inscrit (1 place).")
    manager_registers(pages[2])
    expect(pages[2].locator(".messages")).to_contain_text("liste d'attente")
    expect(pages[2].get_by_text("Vous êtes en liste d'attente.")).to_be_visible()

    # The trainer sees the session full, with someone waiting.
    trainer_page.goto("/formations/animer/")
    row = trainer_page.locator(f"#session-{session.pk}")
    expect(row).to_contain_text("Complet")
    expect(row).to_contain_text("1 en attente")

    pages[0].get_by_role("button", name="Annuler mon inscription").click()
    expect(pages[0].locator(".messages")).to_contain_text("Votre inscription a été annulée.")

    pages[2].reload()
    expect(pages[2].locator("#registration-title + p")).to_have_text("Vous êtes inscrit (1 place).")
    statuses = dict(Registration.objects.values_list("member_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "registered", third.pk: "registered"}
    promoted = [m for m in mail.outbox if m.to == [third.email]]
    assert "Une place s'est libérée" in promoted[-1].subject
