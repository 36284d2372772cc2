"""A café manager finds, in a real browser, a supplier who delivers to their département and
writes to them through the site without ever seeing their address."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from directory.models import Supplier
from network.models import Role
from tests.browser.test_membership_journey import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def village(site, member_factory, cafe_factory, supplier_factory):
    manager = member_factory(role=Role.MANAGER, first_name="Sophie", last_name="Bernard")
    supplier_account = member_factory(role=Role.SUPPLIER, email="brasserie@exemple.fr")
    cafe_factory(name="Le Comptoir de Sulignat", managers=[manager], services=["Épicerie"])
    dombes = supplier_factory(
        name="Brasserie de la Dombes", categories=["drinks"], delivers=["01", "42"]
    )
    Supplier.objects.filter(pk=dombes.pk).update(member=supplier_account)
    supplier_factory(
        name="Brasserie du Lot",
        commune="Saint-Cirq-Lapopie",
        categories=["drinks"],
        delivers=["46"],
    )
    return manager


def test_a_manager_finds_a_supplier_for_their_departement_and_writes_to_them(page, village):
    log_in(page, village.email)
    page.goto("/annuaire/")

    # Filters are plain form controls (no JavaScript needed): tick them and submit.
    page.get_by_label("Fournisseur", exact=False).first.check()
    page.locator("#delivers-home").focus()
    page.keyboard.press("Space")
    page.locator("#id_q").fill("brasserie")
    page.locator("#id_q").press("Enter")

    results = page.locator(".result-list")
    expect(results).to_contain_text("Brasserie de la Dombes")
    expect(results).not_to_contain_text("Brasserie du Lot")
    assert "delivers_to=01" in page.url and "kind=supplier" in page.url

    results.get_by_role("link", name="Brasserie de la Dombes").click()
    expect(page.locator("h1")).to_have_text("Brasserie de la Dombes")
    page.locator("a[href$='/contacter/']").click()

    page.locator("input[name='subject']").fill("Livraison de bière pour l'été")
    page.locator("textarea[name='body']").fill("Bonjour, livrez-vous Sulignat le jeudi ?")
    page.locator("main form button[type='submit']").click()

    expect(page.locator(".messages")).to_be_visible()
    assert page.url.endswith(
        f"/annuaire/fournisseurs/{Supplier.objects.get(name='Brasserie de la Dombes').pk}/"
    )
    sent = [m for m in mail.outbox if m.to == ["brasserie@exemple.fr"]]
    assert len(sent) == 1
    assert "livrez-vous Sulignat le jeudi" in sent[0].body
    assert sent[0].reply_to == [village.email]
    # The supplier's address was never shown to the manager.
    assert "brasserie@exemple.fr" not in page.content()
