"""A form sent back with errors: the focus lands on the error summary, whose links lead to the
fields, each field saying what is wrong through aria-describedby (WCAG 3.3.1, RGAA 11.10)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from comptoir.demo import DEMO_PASSWORD
from directory.models import Cafe, Supplier, ValidationStatus
from network.models import Idea, Member

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(site):
    call_command("seed_demo", verbosity=0)


def log_in(page: Page, email: str) -> None:
    page.goto("/compte/login/")
    form = page.locator("main form:has(input[name='password'])")
    form.locator("input[name='login']").fill(email)
    form.locator("input[name='password']").fill(DEMO_PASSWORD)
    form.locator("button[type='submit']").click()
    expect(page.locator("main h1")).not_to_have_text("Connexion")


def assert_errors_announced(page: Page, field_name: str, error_text: str) -> None:
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(error_text)
    field = page.locator(f"main [name='{field_name}']").first
    expect(field).to_have_attribute("aria-invalid", "true")
    field_id = field.get_attribute("id")
    assert summary.locator(f"a[href='#{field_id}']").count() == 1
    described = " ".join(
        page.locator(f"[id='{ref}']").inner_text()
        for ref in field.get_attribute("aria-describedby").split()
    )
    assert error_text in described


def test_a_failed_login_brings_the_focus_to_the_error(page: Page, demo):
    page.goto("/compte/login/")
    form = page.locator("main form:has(input[name='password'])")
    form.locator("input[name='login']").fill("gerante@comptoir.example")
    form.locator("input[name='password']").fill("pas le bon mot de passe")
    form.locator("button[type='submit']").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("mot de passe")


def test_a_manager_s_cafe_form_with_an_unknown_commune(page: Page, demo):
    manager = Member.objects.get(email="gerante@comptoir.example")
    cafe = Cafe.objects.filter(managers=manager).first()
    log_in(page, manager.email)
    page.goto(f"/annuaire/cafes/{cafe.pk}/modifier/")

    page.locator("main [name='commune']").fill("99999 Nullepart")
    page.locator("main form button[type='submit']").last.click()

    assert_errors_announced(page, "commune", "commune")


def test_a_message_to_a_supplier_without_text(page: Page, demo):
    supplier = Supplier.objects.filter(status=ValidationStatus.VALIDATED).first()
    log_in(page, "gerante@comptoir.example")
    page.goto(f"/annuaire/supplier/{supplier.pk}/contacter/")

    page.locator("main [name='body']").fill("   ")
    page.locator("main form button[type='submit']").last.click()

    assert_errors_announced(page, "body", "obligatoire")


def test_a_resident_s_empty_comment_keeps_the_idea_page(page: Page, demo):
    resident = Member.objects.get(email="habitant@comptoir.example")
    idea = Idea.objects.filter(project__cafe=resident.resident_cafe).first()
    log_in(page, resident.email)
    page.goto(f"/projets/idees/{idea.pk}/")

    page.locator("main [name='body']").fill("")
    page.locator("main form:has([name='body']) button[type='submit']").click()

    expect(page.locator("main h1")).to_have_text(idea.title)
    assert_errors_announced(page, "body", "Écrivez votre commentaire")
