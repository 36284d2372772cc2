"""axe-core on every page a member, a resident, a trainer and staff can reach, on a phone.

The pages are not listed by hand: the demo site is seeded (``seed_demo``), then each demo
account, signed in, follows every link of the site from its home, breadth first. Every page
reached is checked with axe-core (from the npm registry, ``node_modules/axe-core``, injected
by the test: visitors never load it). Every route of the project's own apps must have been
reached by someone, or be listed in ``NOT_PAGES`` with the reason it is not a page; a new
page nobody links to fails here too.

The pages are shown 360 pixels wide (an old phone): nothing may overflow horizontally, and a
screenshot of each is left in test-results/phone/ to look at.

Left out, and said so: Wagtail's admin under /cms/ (Wagtail's own interface, checked by its
authors), the sign-out and language links (they change the visitor's state), and files
(calendars, PDF, CSV, downloads).
"""

import json
import re
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from comptoir.demo import DEMO_PASSWORD
from network.models import Role
from tests.browser.conftest import TIMEOUT_MS
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-results" / "phone"
PHONE = {"width": 360, "height": 740}

ACCOUNTS = {
    "manager": "gerante@comptoir.example",
    "resident": "habitant@comptoir.example",
    "trainer": "pro@comptoir.example",
    "staff": "equipe@comptoir.example",
}
SKIPPED_PREFIXES = ("/cms/", "/compte/logout/", "/i18n/", "/static/", "/media/", "/documents/")
FILE_SUFFIXES = (".ics", ".pdf", ".csv", ".xlsx", ".ods", ".odt", ".docx", ".png", ".jpg")
# Pages of one route checked at most (a café page is laid out like every other café page).
PER_ROUTE = 2
PER_ACCOUNT = 150

# Routes of the project's apps that are not pages a link leads to, and why.
NOT_PAGES = {
    "health": "a health check for the proxy (plain text)",
    "calendar_feed": "an iCalendar file",
    "media": "uploaded files",
    "membership_status": "only for members not (yet) approved",
    "directory:my_profile": "a redirection to the member's own entry (reached through it)",
    "directory:export_csv": "a CSV file",
    "directory:import_template": "a CSV file",
    "directory:mark_verified": "POST (a button)",
    "directory:review_entry": "POST (a button)",
    "events:attendance_record": "POST (a button)",
    "events:attestation": "a PDF file",
    "events:calendar_feed": "an iCalendar file",
    "events:feed_renew": "POST (a button)",
    "events:feed_revoke": "POST (a button)",
    "events:participants_csv": "a CSV file",
    "events:registration_cancel": "POST (a button)",
    "events:session_ical": "an iCalendar file",
    "network:channel_archive": "POST (a button)",
    "network:channel_join": "POST (a button)",
    "network:channel_leave": "POST (a button)",
    "network:channel_poll": "JSON for the channel page's script",
    "network:channel_read": "POST from the channel page's script",
    "network:conversation_open": "POST (a button)",
    "programme:dashboard_csv": "a CSV file",
    "programme:eligibility": "a fragment for the application form's script (the form shows it)",
    "programme:plan_agreement": "POST (a button)",
    "programme:review_accept": "POST (a form on the application's page)",
    "programme:review_refuse": "POST (a form on the application's page)",
    "programme:review_request_info": "POST (a form on the application's page)",
    "projects:idea_answer": "POST (a form on the idea's page)",
    "projects:idea_comment": "POST (a form on the idea's page)",
    "projects:idea_create": "the form is on the project's page; this shows it again with errors",
    "projects:idea_support": "POST (a button)",
    "projects:idea_support_withdraw": "POST (a button)",
    "projects:invitation_create": "POST (a button)",
    "projects:invitation_revoke": "POST (a button)",
    "privacy:download": "a zip file (the member's data)",
    "resources:bookmark": "POST (a button)",
    "resources:vote": "POST (a button)",
    "resources:file_delete": "POST (a button)",
    "resources:file_download": "a file",
    "resources:file_version_download": "a file",
    "resources:draft_detail": "a draft's page, linked from Wagtail's editor (none in the demo)",
    "resources:contribution_edit": "a contribution sent back for changes (none in the demo)",
}
OWN_NAMESPACES = ("directory", "events", "network", "projects", "resources", "programme", "privacy")
OWN_ROUTES = {"members_home"}


@pytest.fixture
def demo_site(live_server, transactional_db, home_page):
    call_command("seed_demo", verbosity=0)
    return live_server.url


def route_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/compte/login/")
    form = page.locator("main form:has(input[name='password'])")
    form.locator("input[name='login']").fill(email)
    form.locator("input[name='password']").fill(password)
    form.locator("button[type='submit']").click()
    # Members land on their space, residents on their café's projects.
    page.wait_for_url(re.compile(r"/(espace|projets)/$"))


def overflow_of(page: Page) -> list[str]:
    """What sticks out to the right of a phone's screen (a page wider than the window)."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            return [...document.querySelectorAll("body *")]
                .filter(el => el.getBoundingClientRect().right > width + 1)
                .filter(el => !el.closest(".visually-hidden"))
                .slice(0, 3)
                .map(el => `horizontal overflow: <${el.tagName.toLowerCase()}`
                    + `${el.className ? ' class=\"' + el.className + '\"' : ''}>`
                    + ` ends at ${Math.round(el.getBoundingClientRect().right)} px`);
        }"""
    )


def violations_of(page: Page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(json.dumps(node["target"]) for node in v["nodes"][:3])
        for v in found
    ]


def links_of(page: Page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        href = urldefrag(href).url
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        if parts.path.startswith(SKIPPED_PREFIXES) or parts.path.endswith(FILE_SUFFIXES):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(page: Page, origin: str, start: list[str]) -> dict[str, list[str]]:
    """Every page reachable by links from ``start``; returns the axe violations by URL."""
    queue, seen, per_route, results = deque(start), set(start), {}, {}

    def key_of(url: str) -> str:
        name = route_name(urlsplit(url).path) or url
        return url if name == "wagtail_serve" else name

    while queue and len(results) < PER_ACCOUNT:
        # Pages of a route not seen yet first: every kind of page is reached within the budget.
        fresh = next((i for i, url in enumerate(queue) if key_of(url) not in per_route), 0)
        url = queue[fresh]
        del queue[fresh]
        key = key_of(url)
        if per_route.get(key, 0) >= PER_ROUTE:
            continue
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a file (a resource's document): not a page
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        per_route[key] = per_route.get(key, 0) + 1
        final = urlsplit(page.url)
        if f"{final.scheme}://{final.netloc}" != origin:
            continue
        # Keyed by where the link led (a redirection names the page really shown).
        shown = final.path + (f"?{final.query}" if final.query else "")
        results[shown] = violations_of(page) + overflow_of(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{re.sub(r'[^a-z0-9]+', '-', shown.lower())}.png")
        for link in links_of(page, origin):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return results


def invitation_links() -> list[str]:
    from network.models import ResidentInvitation

    return [
        urlsplit(invitation.get_absolute_url()).path
        for invitation in ResidentInvitation.objects.all()[:2]
    ]


def admin_links(page: Page, origin: str) -> list[str]:
    """The site's own pages that Wagtail's admin menu leads staff to."""
    page.goto("/cms/")
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    starts = []
    for href in hrefs:
        parts = urlsplit(urldefrag(href).url)
        if f"{parts.scheme}://{parts.netloc}" == origin and not parts.path.startswith(
            SKIPPED_PREFIXES
        ):
            starts.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return starts


def test_every_page_each_role_reaches_has_no_axe_violation(
    demo_site, browser: Browser, member_factory
):
    origin = demo_site
    reached: dict[str, set[str]] = {}
    problems = []
    visitors = {"anonymous": (None, None)}
    visitors.update({role: (email, DEMO_PASSWORD) for role, email in ACCOUNTS.items()})
    # Newcomers whose directory entry is still to be written see the pages that ask for it.
    for role in (Role.PROFESSIONAL, Role.SUPPLIER):
        visitors[f"new {role}"] = (member_factory(role=role).email, PASSWORD)
    for role, (email, password) in visitors.items():
        # axe is injected by the test, which the site's policy would refuse (rightly).
        context = browser.new_context(
            base_url=origin,
            locale="fr-FR",
            bypass_csp=True,
            viewport=PHONE,
        )
        context.set_default_timeout(TIMEOUT_MS)
        try:
            page = context.new_page()
            # The invitations the demo cafés hand out to their residents.
            start = ["/", "/compte/login/", "/compte/signup/", *invitation_links()]
            if email:
                sign_in(page, email, password)
                start = ["/espace/", "/"]
                if role == "staff":
                    start += admin_links(page, origin)
            results = crawl(page, origin, start)
        finally:
            context.close()
        assert len(results) > (3 if email is None else 5), f"{role} reached too few pages"
        for url, violations in results.items():
            reached.setdefault(route_name(urlsplit(url).path) or url, set()).add(role)
            problems += [f"[{role}] {url}: {violation}" for violation in violations]

    assert not problems, "\n".join(problems)

    from django.urls import get_resolver

    from tests.comptoir.test_route_walk import ROUTES, _walk  # the URL patterns, walked

    own = {
        full_name
        for full_name, _name, _kwargs in _walk(get_resolver())
        if full_name.split(":")[0] in OWN_NAMESPACES or full_name in OWN_ROUTES
    }
    assert ROUTES  # the walk found the project's routes
    unreached = sorted(own - set(reached) - set(NOT_PAGES))
    assert not unreached, f"routes no demo account reached by a link: {unreached}"
