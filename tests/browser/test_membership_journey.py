"""Membership journeys in a real browser: sign-up, e-mail verification, staff review in the
Wagtail admin, and what each member then sees.

The interface is French by default and its translations are still being written, so where a
test reads text it accepts the French or the English wording; otherwise it relies on URLs,
roles, form field names and accessible names.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from network.models import Member, MembershipStatus, Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PENDING_HEADING = re.compile(r"en cours d['’]examen|being reviewed", re.IGNORECASE)
REFUSED_HEADING = re.compile(r"n['’]a pas été acceptée|was not accepted", re.IGNORECASE)
REVIEW_MENU_ITEM = re.compile(r"Demandes d['’]adhésion|Membership requests", re.IGNORECASE)
CONFIRM_LINK = re.compile(r"https?://\S+?/compte/confirm-email/[^\s/]+/")

MEMBERS_HOME = re.compile(r"/espace/$")
MEMBERSHIP_STATUS = re.compile(r"/adhesion/$")
REVIEW_LISTING = re.compile(r"/cms/adhesions/$")


def greeting(first_name: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*(Bonjour|Hello) {re.escape(first_name)}\s*$")


def mails_to(email: str) -> list:
    return [message for message in mail.outbox if email in message.to]


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Fill allauth's login form on the current page (opening it first if needed)."""
    if "/compte/login/" not in page.url:
        page.goto("/compte/login/")
    form = page.locator("main form:has(input[name='password'])")
    form.locator("input[name='login']").fill(email)
    form.locator("input[name='password']").fill(password)
    form.locator("button[type='submit']").click()


def sign_up_and_verify(page: Page, *, email: str, first_name: str, last_name: str) -> Member:
    """A visitor signs up as a café manager, opens the link of the verification e-mail and
    confirms it; they end on the page saying their request is being reviewed."""
    page.goto("/compte/signup/")
    form = page.locator("main form:has(input[name='password2'])")
    form.locator("input[name='email']").fill(email)
    form.locator("input[name='first_name']").fill(first_name)
    form.locator("input[name='last_name']").fill(last_name)
    # Only the roles a visitor may choose are offered.
    roles = form.locator("input[type='radio'][name='role']")
    expect(roles).to_have_count(3)
    assert sorted(roles.evaluate_all("inputs => inputs.map(input => input.value)")) == sorted(
        [Role.MANAGER, Role.PROFESSIONAL, Role.SUPPLIER]
    )
    form.locator(f"input[name='role'][value='{Role.MANAGER}']").check()
    form.locator("input[name='password1']").fill(PASSWORD)
    form.locator("input[name='password2']").fill(PASSWORD)
    form.locator("button[type='submit']").click()

    # allauth's "verification sent" page.
    expect(page).to_have_url(re.compile(r"/compte/confirm-email/$"))
    member = Member.objects.get(email=email)
    assert member.role == Role.MANAGER
    assert member.status == MembershipStatus.PENDING

    verification_mails = mails_to(email)
    assert len(verification_mails) == 1, [m.subject for m in mail.outbox]
    link = CONFIRM_LINK.search(verification_mails[0].body)
    assert link, verification_mails[0].body

    page.goto(link.group(0))
    page.locator("main form[action*='/compte/confirm-email/'] button[type='submit']").click()

    expect(page).to_have_url(MEMBERSHIP_STATUS)
    expect(page.locator("main h1")).to_have_text(PENDING_HEADING)
    expect(page.locator("main")).to_contain_text(email)
    return member


def staff_opens_review_listing(page: Page, staff: Member) -> None:
    """Staff logs in through the site's login page, opens the Wagtail admin and follows its
    menu to the membership requests."""
    log_in(page, staff.email)
    expect(page).to_have_url(MEMBERS_HOME)
    page.goto("/cms/")
    expect(page).to_have_url(re.compile(r"/cms/$"))
    page.locator("#wagtail-sidebar").get_by_role("link", name=REVIEW_MENU_ITEM).click()
    expect(page).to_have_url(REVIEW_LISTING)
    expect(page.get_by_role("heading", level=1)).to_have_text(REVIEW_MENU_ITEM)


def test_visitor_signs_up_verifies_email_and_waits_for_review(site, page: Page, staff_member):
    member = sign_up_and_verify(
        page, email="camille.durand@exemple.fr", first_name="Camille", last_name="Durand"
    )

    # The verified request reaches staff by e-mail.
    assert len(mails_to(staff_member.email)) == 1
    assert "Camille Durand" in mails_to(staff_member.email)[0].body

    # The members' space stays closed until staff approves: back to the pending page.
    page.goto("/espace/")
    expect(page).to_have_url(MEMBERSHIP_STATUS)
    expect(page.locator("main h1")).to_have_text(PENDING_HEADING)
    member.refresh_from_db()
    assert member.status == MembershipStatus.PENDING


def test_new_member_is_approved_by_staff_then_reaches_members_home(site, new_context, staff_member):
    visitor = new_context().new_page()
    email = "basile.fournier@exemple.fr"
    member = sign_up_and_verify(visitor, email=email, first_name="Basile", last_name="Fournier")

    staff = new_context().new_page()
    staff_opens_review_listing(staff, staff_member)
    row = staff.get_by_role("row").filter(has_text=email)
    expect(row).to_have_count(1)
    mails_before = len(mails_to(email))
    approve = row.locator(
        f"form[action$='/cms/adhesions/{member.pk}/approve/'] button[type='submit']"
    )
    # The button names whom it approves, for screen-reader users going through the buttons.
    expect(approve).to_have_accessible_name(re.compile(r"\bBasile Fournier$"))
    approve.click()

    expect(staff).to_have_url(REVIEW_LISTING)
    expect(staff.locator(".messages")).to_contain_text("Basile Fournier")
    expect(staff.get_by_role("row").filter(has_text=email)).to_have_count(0)
    member.refresh_from_db()
    assert member.status == MembershipStatus.APPROVED
    assert member.reviewed_by == staff_member

    approval_mails = mails_to(email)[mails_before:]
    assert len(approval_mails) == 1, [m.subject for m in approval_mails]
    assert "/compte/login/" in approval_mails[0].body

    # The member logs in from another browser and reaches the members' space.
    again = new_context().new_page()
    log_in(again, email)
    expect(again).to_have_url(MEMBERS_HOME)
    expect(again.locator("main h1")).to_have_text(greeting("Basile"))


def test_anonymous_visitor_logs_in_and_lands_on_members_home(site, page: Page, member_factory):
    member = member_factory(role=Role.SUPPLIER, first_name="Hélène", last_name="Marchand")

    page.goto("/espace/")
    expect(page).to_have_url(re.compile(r"/compte/login/\?next=(/|%2F)espace(/|%2F)$"))

    log_in(page, member.email)
    expect(page).to_have_url(MEMBERS_HOME)
    expect(page.locator("main h1")).to_have_text(greeting("Hélène"))


def test_wrong_password_keeps_visitor_on_login_page(site, page: Page, member_factory):
    member = member_factory(role=Role.MANAGER)

    page.goto("/espace/")
    log_in(page, member.email, password="pas-le-bon-mot-de-passe")
    expect(page.locator("main form .errorlist")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/compte/login/"))
    page.goto("/espace/")
    expect(page).to_have_url(re.compile(r"/compte/login/\?next="))


def test_staff_refuses_request_with_reason_shown_to_member(
    site, new_context, staff_member, member_factory
):
    member = member_factory(
        role=Role.PROFESSIONAL,
        status=MembershipStatus.PENDING,
        first_name="Lucie",
        last_name="Garnier",
    )
    reason = "Votre activité ne concerne pas les cafés de village du réseau."

    staff = new_context().new_page()
    staff_opens_review_listing(staff, staff_member)
    row = staff.get_by_role("row").filter(has_text=member.email)
    refuse = row.locator(f"a[href$='/cms/adhesions/{member.pk}/refuse/']")
    expect(refuse).to_have_accessible_name(re.compile(r"\bLucie Garnier$"))
    refuse.click()

    expect(staff).to_have_url(re.compile(rf"/cms/adhesions/{member.pk}/refuse/$"))
    form = staff.locator("form:has(textarea[name='reason'])")
    form.locator("textarea[name='reason']").fill(reason)
    form.locator("button[type='submit']").click()

    expect(staff).to_have_url(REVIEW_LISTING)
    expect(staff.locator(".messages")).to_contain_text("Lucie Garnier")
    expect(staff.get_by_role("row").filter(has_text=member.email)).to_have_count(0)
    member.refresh_from_db()
    assert member.status == MembershipStatus.REFUSED
    assert member.refusal_reason == reason
    refusal_mails = mails_to(member.email)
    assert len(refusal_mails) == 1
    assert reason in refusal_mails[0].body

    # The refused member logs in and reads why on the membership page.
    visitor = new_context().new_page()
    log_in(visitor, member.email)
    expect(visitor).to_have_url(MEMBERSHIP_STATUS)
    expect(visitor.locator("main h1")).to_have_text(REFUSED_HEADING)
    expect(visitor.locator("main blockquote")).to_have_text(reason)
    visitor.goto("/espace/")
    expect(visitor).to_have_url(MEMBERSHIP_STATUS)
