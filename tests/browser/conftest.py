"""Playwright fixtures for the browser journeys: one headless Chromium per session, a fresh
context (cookies, storage) per test, pages served by pytest-django's ``live_server``.

The browser is Debian's Chromium; ``playwright install`` cannot download browsers here. When it
cannot be launched the fixture raises, so every browser test fails: nothing is skipped.
"""

import os
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

CHROMIUM_PATH = os.environ.get("COMPTOIR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Long enough for a slow CI machine, short enough that a wrong selector fails fast.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # while one is running unless told to. Set here rather than when this conftest is imported,
    # so that the fast suite (which collects this directory too) keeps Django's guard.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


def watch_security_policy(context: BrowserContext, refusals: list[str]) -> None:
    """Record what the browser refuses under the site's Content-Security-Policy (Chromium
    says so in the console): a journey that meets a refusal fails, so no page of the site
    needs an inline script or a foreign resource to work."""

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            refusals.append(f"{message.page.url if message.page else ''}: {message.text}")

    context.on("console", on_console)


@pytest.fixture
def new_context(browser: Browser, live_server) -> Iterator[Callable[[], BrowserContext]]:
    """Make a new browser context: one per person in a journey (visitor, staff...)."""
    contexts: list[BrowserContext] = []
    refusals: list[str] = []

    def make() -> BrowserContext:
        context = browser.new_context(
            base_url=live_server.url,
            locale="fr-FR",
            extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"},
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        watch_security_policy(context, refusals)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not refusals, "\n".join(refusals)


@pytest.fixture
def page(new_context: Callable[[], BrowserContext]) -> Page:
    """The page of the test's main visitor, in its own context."""
    return new_context().new_page()


@pytest.fixture
def site(live_server, transactional_db, home_page):
    """The page tree, recreated in the live server's database.

    Transactional tests flush Wagtail's Site and root page; ``home_page`` (tests/conftest.py)
    recreates them. Requesting ``live_server`` and ``transactional_db`` first makes
    it run against the database the live server reads.
    """
    return home_page
