"""A member's data in a real browser: from their space to *Mes données*, they download the
archive, then erase their account (a wrong password first), are logged out and cannot log in
again; their message stays in the channel, signed « Ancien membre »."""

import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from network.models import ChannelKind, ChannelMembership, Member, Message, Role
from network.services.channels import channel_create, message_post
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

EMAIL = "odette.brisebois@exemple.fr"


def test_a_member_downloads_their_data_and_erases_their_account(
    site, page, member_factory, new_context
):
    member = member_factory(
        role=Role.MANAGER, email=EMAIL, first_name="Odette", last_name="Brisebois"
    )
    staff = member_factory(role=Role.STAFF)
    channel = channel_create(actor=staff, kind=ChannelKind.TOPIC, name="Entraide")
    ChannelMembership.objects.create(channel=channel, member=member)
    message_post(author=member, channel=channel, body="Qui livre du café en grains ?")

    page.goto("/compte/login/")
    form = page.locator("main form:has(input[name='password'])")
    form.locator("input[name='login']").fill(EMAIL)
    form.locator("input[name='password']").fill(PASSWORD)
    form.locator("button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/espace/$"))

    page.get_by_role("link", name="Mes données : les télécharger, effacer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger mes données (zip)").click()
    archive = zipfile.ZipFile(download_info.value.path())
    data = json.loads(archive.read("donnees.json"))
    assert data["account"]["email"] == EMAIL
    assert [m["body"] for m in data["messages"]] == ["Qui livre du café en grains ?"]

    page.get_by_role("link", name="Effacer mon compte…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Effacer mon compte")
    page.get_by_label("Votre mot de passe actuel").fill("pas-le-bon")
    page.get_by_label(re.compile("^Je comprends")).check()
    page.get_by_role("button", name="Effacer définitivement mon compte").click()
    expect(page.locator("#error-summary")).to_contain_text("Ce mot de passe n’est pas le bon.")
    assert Member.objects.get(pk=member.pk).erased_at is None

    page.get_by_label("Votre mot de passe actuel").fill(PASSWORD)
    page.get_by_label(re.compile("^Je comprends")).check()
    page.get_by_role("button", name="Effacer définitivement mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre compte a été effacé")
    expect(page.get_by_role("button", name="Se déconnecter")).to_have_count(0)

    # Logged out for good: the old address and password no longer open anything.
    page.goto("/compte/login/")
    form = page.locator("main form:has(input[name='password'])")
    form.locator("input[name='login']").fill(EMAIL)
    form.locator("input[name='password']").fill(PASSWORD)
    form.locator("button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/compte/login/"))

    # Others still read the message, signed « Ancien membre ».
    assert Message.objects.filter(author_id=member.pk).count() == 1
    staff_page = new_context().new_page()
    staff_page.goto("/compte/login/")
    form = staff_page.locator("main form:has(input[name='password'])")
    form.locator("input[name='login']").fill(staff.email)
    form.locator("input[name='password']").fill(PASSWORD)
    form.locator("button[type='submit']").click()
    staff_page.goto(f"/reseau/canaux/{channel.pk}/")
    expect(staff_page.locator("main")).to_contain_text("Qui livre du café en grains ?")
    expect(staff_page.locator("main")).to_contain_text("Ancien membre")
    expect(staff_page.locator("main")).not_to_contain_text("Brisebois")
