"""A manager applies from the site: the rules explained on the page, drafts, sending, bad
input answered in French."""

import html

import pytest
from django.urls import reverse

from network.models import Role
from programme.models import Application, ApplicationStatus

pytestmark = pytest.mark.django_db

CREATE = reverse("programme:application_create")


def text(response) -> str:
    """The page as a person reads it: entities decoded."""
    return html.unescape(response.content.decode())


def form_data(cafe, **overrides) -> dict:
    data = {
        "cafe": cafe.pk,
        "commune": "01680 Lhuis",
        "current_operation": "Ouvert tous les jours sauf le lundi.",
        "needs": ["new_services", "networking"],
        "needs_details": "Un point poste.",
        "declares_last_cafe": "on",
        "declares_dedicated_space": "on",
        "explanation": "",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_the_form_shows_the_four_rules_for_the_cafes_commune(village_cafe, manager, client_for):
    response = client_for(manager).get(CREATE)
    page = text(response)
    assert response.status_code == 200
    assert "Les quatre conditions du programme" in page
    assert "Lhuis compte 900" in page
    assert "INSEE" in page
    assert 'value="01680 Lhuis"' in page


def test_checking_the_rules_saves_nothing_and_explains_a_town_too_big(
    village_cafe, manager, client_for
):
    response = client_for(manager).post(
        CREATE, form_data(village_cafe, commune="01170 Gex", action="check")
    )
    page = text(response)
    assert "Non remplie :" in page
    assert "Gex compte 12" in page
    assert not Application.objects.exists()


def test_a_draft_is_saved_then_sent(village_cafe, manager, client_for):
    client = client_for(manager)
    response = client.post(CREATE, form_data(village_cafe), follow=True)
    application = Application.objects.get()
    assert application.status == ApplicationStatus.DRAFT
    assert "Votre brouillon est enregistré" in text(response)
    detail = application.get_absolute_url()
    response = client.post(detail, form_data(village_cafe, action="send"), follow=True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SENT
    assert "Votre candidature a été envoyée" in text(response)
    # Sent: the page no longer offers the form, and a post changes nothing.
    response = client.post(detail, form_data(village_cafe, needs_details="Changé"), follow=True)
    application.refresh_from_db()
    assert application.needs_details == "Un point poste."
    assert "ne peut être modifiée que si l'équipe du programme" in text(response)


def test_a_failing_application_without_explanation_stays_a_draft(
    communes, cafe_factory, manager, client_for
):
    cafe = cafe_factory(name="Café de Gex", commune="Gex", managers=[manager])
    response = client_for(manager).post(CREATE, form_data(cafe, commune="01170 Gex", action="send"))
    page = text(response)
    assert "Au moins une condition n'est pas remplie : expliquez" in page
    assert Application.objects.get().status == ApplicationStatus.DRAFT


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Zzyzx", "Aucune commune ne correspond à « Zzyzx »"),
        ("01400", "Plusieurs communes correspondent à « 01400 »"),
    ],
)
def test_unknown_or_ambiguous_communes_get_a_french_message(
    village_cafe, manager, client_for, geography, typed, message
):
    from directory.models import Commune

    # Two communes share the postal code 01400.
    Commune.objects.filter(name="Sulignat").update(postal_codes="01400")
    Commune.objects.create(
        insee_code="01093",
        name="Châtillon-sur-Chalaronne",
        departement_id="01",
        postal_codes="01400",
        population=5000,
        search_name="chatillon sur chalaronne",
    )
    response = client_for(manager).post(CREATE, form_data(village_cafe, commune=typed))
    page = text(response)
    assert message in page
    assert not Application.objects.exists()
    if typed == "01400":
        # The page offers the communes it could mean.
        assert "Châtillon-sur-Chalaronne" in page
        assert 'name="commune_pick"' in page


def test_a_commune_picked_in_the_list_is_used(village_cafe, manager, client_for, communes):
    client_for(manager).post(CREATE, form_data(village_cafe, commune="01400", commune_pick="01216"))
    assert Application.objects.get().commune.name == "Lhuis"


def test_applying_for_someone_elses_cafe_by_a_forged_post(
    village_cafe, cafe_factory, member_factory, client_for
):
    other_manager = member_factory(role=Role.MANAGER)
    cafe_factory(name="Mon café", managers=[other_manager])
    response = client_for(other_manager).post(CREATE, form_data(village_cafe))
    assert "Vous ne pouvez candidater que pour un café que vous gérez" in text(response)
    assert not Application.objects.exists()


def test_a_second_application_for_the_same_cafe_by_a_co_manager(
    village_cafe, manager, member_factory, client_for
):
    client_for(manager).post(CREATE, form_data(village_cafe))
    co_manager = member_factory(role=Role.MANAGER)
    village_cafe.managers.add(co_manager)
    response = client_for(co_manager).post(CREATE, form_data(village_cafe))
    assert "Ce café a déjà une candidature en cours" in text(response)
    assert Application.objects.count() == 1


def test_others_get_a_404_on_an_application(sent_application, member_factory, client_for):
    url = sent_application.get_absolute_url()
    for role in (Role.MANAGER, Role.PROFESSIONAL):
        response = client_for(member_factory(role=role)).get(url)
        assert response.status_code == 404
        assert "Le Café de Lhuis" not in text(response)


def test_a_manager_without_a_cafe_is_told_to_add_it(manager, client_for, home_page):
    response = client_for(manager).get(CREATE)
    assert "votre café doit d'abord figurer dans l'annuaire" in text(response)


def test_suppliers_may_not_apply(supplier_member, client_for, home_page):
    assert client_for(supplier_member).get(CREATE).status_code == 403


def test_commune_search_by_name_or_postal_code(communes, manager, client_for):
    client = client_for(manager)
    url = reverse("programme:commune_search")
    page = text(client.get(url, {"q": "lhu"}))
    assert "Lhuis" in page and "900" in page
    page = text(client.get(url, {"q": "01170"}))
    assert "Gex" in page
    page = text(client.get(url, {"q": "qwerty"}))
    assert "Aucune commune ne correspond" in page
    data = client.get(url, {"q": "Lhuis"}, headers={"accept": "application/json"}).json()
    assert data["communes"][0]["value"] == "01216"


def test_the_rules_fragment_follows_the_form(village_cafe, manager, client_for):
    response = client_for(manager).get(
        reverse("programme:eligibility"),
        {"cafe": village_cafe.pk, "commune": "01170 Gex", "declares_last_cafe": "on"},
    )
    page = text(response)
    assert "Gex compte 12" in page
    assert page.count("Non remplie :") == 2  # population and dedicated space
