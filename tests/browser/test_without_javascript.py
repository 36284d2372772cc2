"""The site with JavaScript turned off (an old phone, a strict browser setting): members read
and post with the plain forms the server renders.
"""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from comptoir.demo import DEMO_PASSWORD
from events.models import Registration, SessionStatus, TrainingSession
from network.models import Idea, Member, Message
from tests.browser.conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(site):
    call_command("seed_demo", verbosity=0)


def page_without_script(browser: Browser, base_url: str, email: str) -> Page:
    context = browser.new_context(base_url=base_url, locale="fr-FR", java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/compte/login/")
    form = page.locator("main form:has(input[name='password'])")
    form.locator("input[name='login']").fill(email)
    form.locator("input[name='password']").fill(DEMO_PASSWORD)
    form.locator("button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/(espace|projets)/$"))
    return page


def test_a_manager_reads_posts_and_registers_without_javascript(browser, live_server, demo):
    manager = Member.objects.get(email="gerante@comptoir.example")
    session = (
        TrainingSession.objects.filter(status=SessionStatus.OPEN, starts_at__gt=timezone.now())
        .exclude(registrations__member=manager)
        .order_by("starts_at")
        .first()
    )
    page = page_without_script(browser, live_server.url, manager.email)
    try:
        # A channel: the history is on the page, the plain form posts.
        page.get_by_role("link", name=re.compile("^Échanges")).click()
        page.get_by_role("link", name="Animer son café").first.click()
        expect(page.locator(".chat-message")).to_have_count(3)
        # The page's script did not run (it marks the connection's state when it does).
        assert page.locator("[data-chat]").get_attribute("data-connection") is None
        page.get_by_label("Votre message").fill("Envoyé sans JavaScript, ça marche aussi.")
        page.get_by_role("button", name="Envoyer").click()
        expect(page.locator(".chat-message").last).to_contain_text("Envoyé sans JavaScript")
        assert Message.objects.filter(author=manager, body__startswith="Envoyé sans").count() == 1

        # A training session: register with the plain form.
        page.get_by_role("link", name="Formations").first.click()
        page.get_by_role("link", name=session.training.title).first.click()
        page.get_by_role("button", name="S'inscrire").click()
        expect(page.locator(".message--success")).to_contain_text(
            re.compile(r"Vous êtes inscrit|liste d'attente")
        )
        assert Registration.objects.filter(session=session, member=manager).exists()
    finally:
        page.context.close()


def test_a_resident_posts_an_idea_without_javascript(browser, live_server, demo):
    page = page_without_script(browser, live_server.url, "habitant@comptoir.example")
    try:
        page.get_by_role("link", name="Un dépôt de pain au café").first.click()
        page.get_by_label("Votre idée en quelques mots").fill("Un panier pour les anciens")
        page.get_by_label("Détails").fill("Livrer le pain aux personnes qui ne se déplacent plus.")
        page.get_by_role("button", name="Publier mon idée").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Un panier pour les anciens")
        assert Idea.objects.filter(title="Un panier pour les anciens").exists()
    finally:
        page.context.close()
