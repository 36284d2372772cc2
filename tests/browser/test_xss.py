"""Script payloads written where members write (their name, a café's description, a message, an
idea and its comment, a resource, a training), then shown in a real browser: nothing runs.

The pages are opened with the Content-Security-Policy bypassed: the policy would block an
inline script anyway, and this test is about the escaping itself. Each payload calls
``alert``; any dialog fails the test, and the payloads must show as text.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from comptoir.demo import DEMO_PASSWORD
from directory.models import Cafe
from events.models import Training
from network.models import Channel, ChannelKind, Idea, Member, Project
from network.services.channels import message_post
from network.services.ideas import idea_comment_post, idea_post
from resources.models import ResourcePage
from tests.browser.conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser

PAYLOAD = (
    '<script>alert("script")</script><img src=x onerror=alert("img")>'
    '<svg onload=alert("svg")></svg>"><iframe src="javascript:alert(\'frame\')"></iframe>'
    " javascript:alert('link') https://exemple.fr/\"onmouseover=\"alert('attr')"
)
SHORT = '<img src=x onerror=alert("nom")>'  # fits a name field


@pytest.fixture
def poisoned(site):
    call_command("seed_demo", verbosity=0)
    manager = Member.objects.get(email="gerante@comptoir.example")
    resident = Member.objects.get(email="habitant@comptoir.example")
    Member.objects.filter(pk=manager.pk).update(last_name=SHORT)
    manager.refresh_from_db()
    cafe = Cafe.objects.filter(managers=manager).first()
    Cafe.objects.filter(pk=cafe.pk).update(description=PAYLOAD)
    channel = Channel.objects.get(kind=ChannelKind.TOPIC, name="Animer son café")
    message_post(author=manager, channel=channel, body=PAYLOAD)
    project = Project.objects.filter(cafe=cafe).order_by("pk").first()
    idea = idea_post(author=resident, project=project, title=SHORT, body=PAYLOAD)
    idea_comment_post(author=manager, idea=idea, body=PAYLOAD)
    resource = ResourcePage.objects.live().order_by("pk").first().specific
    resource.summary = PAYLOAD
    resource.save_revision().publish()
    training = Training.objects.order_by("pk").first()
    Training.objects.filter(pk=training.pk).update(description=PAYLOAD)
    session = training.sessions.order_by("starts_at").first()
    return {
        "manager": [
            channel.get_absolute_url(),
            cafe.get_absolute_url(),
            resource.url,
            session.get_absolute_url(),
            project.get_absolute_url(),
            Idea.objects.get(pk=idea.pk).get_absolute_url(),
        ],
        "resident": [project.get_absolute_url(), idea.get_absolute_url()],
    }


def test_nothing_members_write_runs_in_a_browser(browser: Browser, live_server, poisoned):
    dialogs = []

    def refuse(dialog, who: str) -> None:
        dialogs.append((who, dialog.message))
        dialog.dismiss()

    accounts = {"manager": "gerante@comptoir.example", "resident": "habitant@comptoir.example"}
    for who, paths in poisoned.items():
        context = browser.new_context(base_url=live_server.url, locale="fr-FR", bypass_csp=True)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.on("dialog", lambda dialog, who=who: refuse(dialog, who))
        try:
            page.goto("/compte/login/")
            form = page.locator("main form:has(input[name='password'])")
            form.locator("input[name='login']").fill(accounts[who])
            form.locator("input[name='password']").fill(DEMO_PASSWORD)
            form.locator("button[type='submit']").click()
            expect(page).to_have_url(re.compile(r"/(espace|projets)/$"))
            for path in paths:
                page.goto(path)
                page.wait_for_timeout(200)  # time for an onerror or onload to fire
                assert page.locator("main iframe, main svg[onload], main img[onerror]").count() == 0
                assert "<script>" in page.locator("main").inner_text() or SHORT in (
                    page.locator("main").inner_text()
                ), f"{path}: the payload is not shown as text"
        finally:
            context.close()

    assert dialogs == []
