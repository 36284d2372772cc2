"""Wagtail's admin works under its Content-Security-Policy: staff edit a page, preview it,
upload an image and review members without the browser refusing anything (the `new_context`
fixture fails the test on any policy refusal it sees in the console)."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page, expect

from comptoir.demo import DEMO_PASSWORD
from comptoir.models import StandardPage

pytestmark = pytest.mark.browser


@pytest.fixture
def staff_page(page: Page, site) -> Page:
    call_command("seed_demo", verbosity=0)
    page.goto("/compte/login/")
    form = page.locator("main form:has(input[name='password'])")
    form.locator("input[name='login']").fill("equipe@comptoir.example")
    form.locator("input[name='password']").fill(DEMO_PASSWORD)
    form.locator("button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/espace/$"))
    return page


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_staff_edit_preview_and_upload_in_the_admin(staff_page: Page):
    page = staff_page
    legal = StandardPage.objects.get(slug="mentions-legales")

    page.goto("/cms/")
    expect(page.locator("#wagtail")).to_be_visible()

    # Edit a page: the editor's scripts (StreamField, rich text, side panels) must run.
    page.goto(f"/cms/pages/{legal.pk}/edit/")
    title = page.locator("#id_title")
    expect(title).to_have_value(legal.title)
    title.fill("Mentions légales du réseau")
    page.locator("button[data-side-panel-toggle='preview']").click()
    preview = page.frame_locator(
        "iframe#w-preview-iframe, [data-side-panel='preview'] iframe"
    ).first
    expect(preview.locator("h1")).to_contain_text("Mentions légales du réseau", timeout=15000)
    page.get_by_role("button", name=re.compile("Enregistrer le brouillon")).click()
    expect(page.locator(".messages").first).to_contain_text("mise à jour")
    legal.refresh_from_db()
    assert legal.get_latest_revision_as_object().title == "Mentions légales du réseau"

    # Upload an image (the preview of the chosen file is a blob: URL).
    page.goto("/cms/images/multiple/add/")
    page.locator("input[type='file']").set_input_files(
        files=[{"name": "terrasse.png", "mimeType": "image/png", "buffer": _png()}]
    )
    expect(page.locator("text=terrasse").first).to_be_visible(timeout=15000)

    # The membership review page the network app adds to the admin.
    page.goto(reverse("network_admin:pending_members"))
    expect(page.locator("main")).to_contain_text("Lefèvre")  # the demo's pending member
