"""A manager who uses no mouse: log in, search the directory, register for a training
session and post a message, with the keyboard alone (Tab, Shift+Tab, Enter, typing).

Pages are only opened by URL where a person would type one (the login page); everything else is
reached by moving the focus to a link or a field and pressing a key, so a control that cannot be
reached or used from the keyboard fails here.
"""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from comptoir.demo import DEMO_PASSWORD
from events.models import Registration, SessionStatus, TrainingSession
from network.models import Channel, ChannelKind, Member, Message

pytestmark = pytest.mark.browser

MOST_TABS = 80  # more than any page of the site needs to reach a control


@pytest.fixture
def demo(site):
    call_command("seed_demo", verbosity=0)
    return Member.objects.get(email="gerante@comptoir.example")


def focus(page: Page, target: Locator) -> None:
    """Press Tab until the target has the focus (as a keyboard user does)."""
    handle = target.element_handle()
    for _press in range(MOST_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("el => el === document.activeElement", handle):
            return
    raise AssertionError(f"{target} cannot be reached with the Tab key")


def test_a_manager_does_everything_with_the_keyboard(page: Page, demo):
    manager = demo
    session = (
        TrainingSession.objects.filter(status=SessionStatus.OPEN, starts_at__gt=timezone.now())
        .exclude(registrations__member=manager)
        .order_by("starts_at")
        .first()
    )
    assert session is not None, "the demo has a session the manager has not joined"
    channel = Channel.objects.get(kind=ChannelKind.TOPIC, name="Animer son café")

    # Log in.
    page.goto("/compte/login/")
    focus(page, page.locator("main form:has(input[name='password']) input[name='login']"))
    page.keyboard.type(manager.email)
    focus(page, page.locator("main form input[name='password']"))
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/espace/$"))

    # Search the directory.
    focus(page, page.get_by_role("navigation").get_by_role("link", name="Annuaire"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire du réseau")
    focus(page, page.get_by_role("searchbox"))
    page.keyboard.type("Sulignat")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Le Comptoir de Sulignat")).to_be_visible()

    # Register for a session.
    focus(page, page.get_by_role("navigation").get_by_role("link", name="Formations"))
    page.keyboard.press("Enter")
    focus(page, page.get_by_role("link", name=session.training.title).first)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(session.training.title)
    focus(page, page.get_by_role("button", name="S'inscrire"))
    page.keyboard.press("Enter")
    expect(page.locator(".message--success")).to_contain_text(
        re.compile(r"Vous êtes inscrit|liste d'attente")
    )
    assert Registration.objects.filter(session=session, member=manager).exists()

    # Post a message in a channel (Ctrl+Enter sends, as the page says).
    focus(page, page.get_by_role("navigation").get_by_role("link", name=re.compile("^Échanges")))
    page.keyboard.press("Enter")
    focus(page, page.get_by_role("link", name="Animer son café").first)
    page.keyboard.press("Enter")
    focus(page, page.get_by_label("Votre message"))
    page.keyboard.type("Merci pour l'idée du concours de belote !")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".chat-message").last).to_contain_text("concours de belote")
    expect(page.locator(".chat-message").last.locator(".chat-message__state")).to_have_text(
        "envoyé", timeout=15_000
    )
    assert Message.objects.filter(channel=channel, author=manager).last().body == (
        "Merci pour l'idée du concours de belote !"
    )
