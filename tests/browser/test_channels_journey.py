"""A discussion channel in two real browsers: Aline and Bruno have the channel open; what one
writes appears at once on the other's page; Bruno's connection drops while Aline writes twice,
and when it comes back his page shows what he missed, in order, each message once.

pytest-django's ``live_server`` speaks HTTP only, so this journey serves the site's ASGI
application (HTTP and WebSocket, comptoir/asgi.py) with daphne, in a thread of the test
process: it reads the test database and shares the in-memory channel layer. Bruno's "network"
is Playwright's WebSocket routing: his page's sockets go through the test, which can cut them
and refuse new ones, as a lost connection would.
"""

import re
import threading
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, WebSocketRoute, expect

from network.models import ChannelKind, ChannelMembership, Member, Message, Role
from network.services.channels import channel_create, channel_join
from tests.browser.conftest import TIMEOUT_MS, watch_security_policy
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

# Reconnection waits up to 30 s between attempts; after a short outage it is a few seconds.
RECONNECT_TIMEOUT_MS = 40_000


@pytest.fixture(scope="session")
def asgi_server(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The whole site (HTTP and WebSocket) served by daphne in a thread; yields its URL."""
    # Importing daphne's server installs Twisted's asyncio reactor, before anything else
    # imports a reactor.
    from daphne.endpoints import build_endpoint_description_strings
    from daphne.server import Server
    from twisted.internet import reactor

    from comptoir.asgi import application

    server = Server(
        application=application,
        endpoints=build_endpoint_description_strings(host="127.0.0.1", port=0),
        signal_handlers=False,
        verbosity=0,
    )
    thread = threading.Thread(target=server.run, name="daphne", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.listening_addresses:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("daphne did not start")
        time.sleep(0.05)
    host, port = server.listening_addresses[0]
    yield f"http://{host}:{port}"
    reactor.callFromThread(reactor.stop)
    thread.join(timeout=10)


@pytest.fixture
def live_site(asgi_server, transactional_db, home_page) -> str:
    return asgi_server


class Network:
    """One person's connection as their page's sockets see it: up, or cut."""

    def __init__(self, page: Page) -> None:
        self.online = True
        self.routes: list[WebSocketRoute] = []
        page.route_web_socket(re.compile(r"/ws/canaux/$"), self._route)

    def _route(self, socket: WebSocketRoute) -> None:
        if not self.online:
            socket.close(code=4000, reason="hors ligne")
            return
        socket.connect_to_server()
        self.routes.append(socket)

    def cut(self) -> None:
        self.online = False
        for socket in self.routes:
            socket.close(code=4000, reason="hors ligne")
        self.routes.clear()

    def restore(self) -> None:
        self.online = True


@pytest.fixture
def refusals() -> Iterator[list[str]]:
    """What the browser refused under the Content-Security-Policy: nothing, at the end."""
    refused: list[str] = []
    yield refused
    assert not refused, "\n".join(refused)


def new_context(browser: Browser, base_url: str, refused: list[str]) -> BrowserContext:
    context = browser.new_context(
        base_url=base_url,
        locale="fr-FR",
        extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"},
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    watch_security_policy(context, refused)
    return context


def sign_in(page: Page, member: Member) -> None:
    page.goto("/compte/login/")
    form = page.locator("main form:has(input[name='password'])")
    form.locator("input[name='login']").fill(member.email)
    form.locator("input[name='password']").fill(PASSWORD)
    form.locator("button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/espace/$"))


def open_channel(page: Page, name: str) -> None:
    page.get_by_role("link", name=re.compile(r"^Échanges")).click()
    page.get_by_role("link", name=name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator("[data-chat]")).to_have_attribute("data-connection", "live")


def write(page: Page, text: str) -> None:
    page.get_by_label("Votre message").fill(text)
    page.get_by_role("button", name="Envoyer").click()


def bodies(page: Page) -> list[str]:
    return page.locator(
        ".chat-message:not(.chat-message--pending) .chat-message__body"
    ).all_text_contents()


@pytest.fixture
def people(member_factory, staff_member):
    aline = member_factory(role=Role.MANAGER, first_name="Aline", last_name="Roux")
    bruno = member_factory(role=Role.PROFESSIONAL, first_name="Bruno", last_name="Petit")
    channel = channel_create(actor=staff_member, kind=ChannelKind.TOPIC, name="Animer son café")
    for member in (aline, bruno):
        channel_join(member=member, channel=channel)
    return aline, bruno, channel


def test_two_members_talk_live_and_the_one_who_was_offline_catches_up(
    live_site, browser, people, refusals
):
    aline, bruno, channel = people
    aline_context = new_context(browser, live_site, refusals)
    bruno_context = new_context(browser, live_site, refusals)
    try:
        aline_page = aline_context.new_page()
        bruno_page = bruno_context.new_page()
        bruno_network = Network(bruno_page)
        sign_in(aline_page, aline)
        sign_in(bruno_page, bruno)
        open_channel(aline_page, "Animer son café")
        open_channel(bruno_page, "Animer son café")
        # A mark that a reload would wipe: Bruno's page is never reloaded in this journey.
        bruno_page.evaluate("window.stillTheSamePage = true")

        # Aline writes; her message shows as sent, and Bruno sees it without reloading.
        write(aline_page, "Bonjour Bruno, tu viens jeudi ?")
        mine = aline_page.locator(".chat-message--mine").last
        expect(mine).to_contain_text("Bonjour Bruno, tu viens jeudi ?")
        expect(mine.locator(".chat-message__state")).to_have_text("envoyé")
        expect(bruno_page.locator(".chat-message").last).to_contain_text(
            "Bonjour Bruno, tu viens jeudi ?"
        )
        expect(bruno_page.locator(".chat-message").last).to_contain_text("Aline Roux")

        # Bruno answers, with a link and some HTML that must stay text.
        write(bruno_page, "Oui ! <b>promis</b> Le programme : https://exemple.fr/jeudi")
        answer = aline_page.locator(".chat-message").last
        expect(answer).to_contain_text("Oui ! <b>promis</b> Le programme :")
        expect(answer.get_by_role("link", name="https://exemple.fr/jeudi")).to_have_attribute(
            "href", "https://exemple.fr/jeudi"
        )
        assert answer.locator("b").count() == 0

        # Bruno's connection drops; Aline writes twice meanwhile.
        bruno_context.set_offline(True)
        bruno_network.cut()
        expect(bruno_page.locator("[data-chat-status]")).to_have_text(
            "Connexion perdue, nouvelle tentative…"
        )
        write(aline_page, "Tu as vu le devis ?")
        expect(aline_page.locator(".chat-message--mine").last).to_contain_text(
            "Tu as vu le devis ?"
        )
        write(aline_page, "Je l'envoie à l'équipe ce soir.")
        expect(
            aline_page.locator(".chat-message--mine").last.locator(".chat-message__state")
        ).to_have_text("envoyé")
        # Bruno writes too, offline: his message waits on his page.
        write(bruno_page, "Je suis dans le train, je regarde ce soir.")
        waiting = bruno_page.locator(".chat-message--pending")
        expect(waiting).to_contain_text("Je suis dans le train")
        expect(waiting.locator(".chat-message__state")).to_have_text("envoi…")
        assert Message.objects.filter(channel=channel).count() == 4
        assert "Tu as vu le devis ?" not in bruno_page.locator("[data-chat-messages]").inner_text()
        # Aline corrects her first message meanwhile.
        aline_page.locator(".chat-message--mine").first.get_by_role(
            "link", name="Modifier mon message"
        ).click()
        aline_page.locator("main form textarea").fill("Bonjour Bruno, tu viens vendredi ?")
        aline_page.get_by_role("button", name="Enregistrer le message").click()
        expect(aline_page.locator(".chat-message--mine").first).to_contain_text("vendredi")
        expect(aline_page.locator("[data-chat]")).to_have_attribute("data-connection", "live")

        # The connection comes back: Bruno's page catches up by itself.
        bruno_context.set_offline(False)
        bruno_network.restore()
        expect(bruno_page.locator("[data-chat]")).to_have_attribute(
            "data-connection", "live", timeout=RECONNECT_TIMEOUT_MS
        )
        expect(bruno_page.locator("[data-chat-status]")).to_have_text("Connexion rétablie.")
        # What he missed comes first, then his own message, sent once the socket is back.
        expect(bruno_page.locator(".chat-message--pending")).to_have_count(0)
        expect(bruno_page.locator(".chat-message")).to_have_count(5)
        # The correction made while he was away included.
        assert bodies(bruno_page) == [
            "Bonjour Bruno, tu viens vendredi ?",
            "Oui ! <b>promis</b> Le programme : https://exemple.fr/jeudi",
            "Tu as vu le devis ?",
            "Je l'envoie à l'équipe ce soir.",
            "Je suis dans le train, je regarde ce soir.",
        ]
        expect(
            bruno_page.locator(".chat-message").last.locator(".chat-message__state")
        ).to_have_text("envoyé")
        expect(aline_page.locator(".chat-message").last).to_contain_text("Je suis dans le train")
        assert bruno_page.evaluate("window.stillTheSamePage === true")

        # Live again both ways, each message saved once with its number.
        write(bruno_page, "Vu, merci !")
        expect(aline_page.locator(".chat-message").last).to_contain_text("Vu, merci !")
        expect(aline_page.locator(".chat-message")).to_have_count(6)
        assert [m.seq for m in Message.objects.filter(channel=channel)] == [1, 2, 3, 4, 5, 6]
    finally:
        aline_context.close()
        bruno_context.close()


def test_without_websocket_the_page_falls_back_on_polling(live_site, browser, people, refusals):
    """A network that blocks WebSockets: the page says so, sends through the plain form and
    asks the server for new messages every 15 seconds."""
    aline, bruno, channel = people
    aline_context = new_context(browser, live_site, refusals)
    bruno_context = new_context(browser, live_site, refusals)
    try:
        aline_page = aline_context.new_page()
        bruno_page = bruno_context.new_page()
        Network(bruno_page).cut()  # every socket of Bruno's is refused, from the start
        sign_in(aline_page, aline)
        sign_in(bruno_page, bruno)
        open_channel(aline_page, "Animer son café")
        bruno_page.goto(channel.get_absolute_url())
        expect(bruno_page.locator("[data-chat]")).to_have_attribute(
            "data-connection", "polling", timeout=RECONNECT_TIMEOUT_MS
        )
        expect(bruno_page.locator("[data-chat-status]")).to_contain_text(
            "Connexion en direct impossible"
        )

        write(bruno_page, "Je passe par le formulaire.")
        expect(
            bruno_page.locator(".chat-message--mine").last.locator(".chat-message__state")
        ).to_have_text("envoyé")
        expect(aline_page.locator(".chat-message").last).to_contain_text(
            "Je passe par le formulaire."
        )

        write(aline_page, "Bien reçu, même sans connexion en direct.")
        expect(bruno_page.locator(".chat-message").last).to_contain_text(
            "Bien reçu, même sans connexion en direct.", timeout=20_000
        )
        assert bodies(bruno_page) == [
            "Je passe par le formulaire.",
            "Bien reçu, même sans connexion en direct.",
        ]
        assert Message.objects.filter(channel=channel).count() == 2
        # What his page showed is marked read, as the socket would have done.
        read_mark = ChannelMembership.objects.filter(channel=channel, member=bruno)
        for _attempt in range(50):
            if read_mark.get().last_read_seq == 2:
                break
            bruno_page.wait_for_timeout(100)
        assert read_mark.get().last_read_seq == 2
    finally:
        aline_context.close()
        bruno_context.close()
