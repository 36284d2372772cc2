"""The public pages, the members' home, the error pages and the language switch."""

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from comptoir.models import HomePage, StandardPage
from events.models import TrainingSession
from network.models import Member, MembershipStatus, Role


@pytest.mark.django_db
def test_home_presents_the_scheme_and_who_can_apply(client, home_page):
    page = client.get("/").content.decode()

    assert '<html lang="fr">' in page
    assert "moins de 3 500 habitants" in page
    assert "dernier encore ouvert dans sa commune" in page
    assert "portée par la gérante ou le gérant" in page
    assert "café-bar ou salon de thé" in page
    assert 'href="/compte/signup/"' in page
    # Landmarks and the skip link a keyboard or screen-reader user relies on.
    for landmark in ('<header class="site-header">', '<main id="main"', "<footer", "<nav"):
        assert landmark in page
    assert 'href="#main"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/mentions-legales/", "Mentions légales"),
        ("/accessibilite/", "Déclaration d'accessibilité"),
    ],
)
def test_legal_pages_are_public_and_linked_from_every_page(client, home_page, path, title):
    response = client.get(path)

    assert response.status_code == 200
    assert title in response.content.decode().replace("&#x27;", "'")
    assert f'href="{path}"' in client.get("/compte/login/").content.decode()


@pytest.mark.django_db
def test_accessibility_statement_follows_the_rgaa_outline(client, home_page):
    page = client.get("/accessibilite/").content.decode().replace("&#x27;", "'")

    for heading in ("État de conformité", "Contenus non accessibles", "Voies de recours"):
        assert heading in page


@pytest.mark.django_db
def test_members_home_greets_the_member_and_shows_their_areas(client_for, manager, home_page):
    page = client_for(manager).get("/espace/").content.decode()

    assert f"Bonjour {manager.first_name}" in page
    assert 'aria-current="page"' in page
    assert "/cms/" not in page  # no administration link for a café manager


@pytest.mark.django_db
def test_staff_home_counts_the_requests_waiting(
    client_for, staff_member, member_factory, home_page
):
    member_factory(status=MembershipStatus.PENDING)
    member_factory(status=MembershipStatus.PENDING)

    page = client_for(staff_member).get("/espace/").content.decode()

    assert "2 demandes attendent d'être examinées" in page.replace("&#x27;", "'")
    assert 'href="/cms/"' in page


@pytest.mark.django_db
def test_a_residents_home_is_about_their_cafes_projects(
    client_for, member_factory, cafe_factory, manager, home_page
):
    cafe = cafe_factory(name="Le Comptoir de Sulignat", managers=[manager])
    resident = member_factory(role=Role.RESIDENT, resident_cafe=cafe)

    page = client_for(resident).get("/espace/").content.decode().replace("&#x27;", "'")

    assert "Vous participez aux projets de Le Comptoir de Sulignat" in page
    assert 'href="/projets/"' in page
    assert "membre du réseau" not in page
    assert "conversations avec les membres du réseau" not in page


@pytest.mark.django_db
def test_staff_home_leads_to_the_directory_entries_to_review(
    client_for, staff_member, manager, professional_factory, supplier_factory, home_page
):
    professional_factory(actor=manager)  # proposed by a member: staff review it
    supplier_factory(actor=manager)

    staff_page = client_for(staff_member).get("/espace/").content.decode().replace("&#x27;", "'")
    manager_page = client_for(manager).get("/espace/").content.decode()

    assert (
        '<a href="/annuaire/a-valider/">2 fiches proposées attendent d\'être examinées</a>'
        in staff_page
    )
    assert "/annuaire/a-valider/" not in manager_page


@pytest.mark.django_db
def test_refused_member_reads_the_reason(client_for, member_factory, home_page):
    refused = member_factory(status=MembershipStatus.REFUSED, refusal_reason="Commune trop grande")

    page = client_for(refused).get("/adhesion/").content.decode()

    assert "Commune trop grande" in page
    assert "Votre demande d'adhésion n'a pas été acceptée" in page.replace("&#x27;", "'")


@pytest.mark.django_db
def test_unknown_page_gets_a_french_404(client, home_page):
    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    assert "Cette page est introuvable" in response.content.decode()


@pytest.mark.django_db
def test_wrong_role_gets_a_french_403(client_for, manager, home_page):
    response = client_for(manager).get("/cms/")

    assert response.status_code == 403
    assert "Vous ne pouvez pas ouvrir cette page" in response.content.decode()


@pytest.mark.django_db
def test_server_error_page_is_french(client, home_page, settings):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Une erreur est survenue de notre côté" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_turns_the_interface_to_english(client, home_page):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    page = client.get("/").content.decode()

    assert '<html lang="en">' in page
    assert "Skip to main content" in page
    assert "Log in" in page


@pytest.mark.django_db
def test_dates_and_numbers_follow_the_locale():
    from datetime import date

    from django.utils import formats, translation

    with translation.override("fr"):
        assert formats.date_format(date(2026, 11, 29)) == "29 novembre 2026"
    with translation.override("en"):
        assert formats.date_format(date(2026, 11, 29)) == "Nov. 29, 2026"

    with translation.override("fr"):
        assert formats.number_format(3500, force_grouping=True) == "3\xa0500"
    with translation.override("en"):
        assert formats.number_format(3500, force_grouping=True) == "3,500"


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_the_accounts(capsys):
    call_command("seed_demo")
    first = (
        Member.objects.count(),
        Page.objects.count(),
        Site.objects.count(),
        TrainingSession.objects.count(),
    )
    call_command("seed_demo")

    assert (
        Member.objects.count(),
        Page.objects.count(),
        Site.objects.count(),
        TrainingSession.objects.count(),
    ) == first
    assert first[3] == 3
    output = capsys.readouterr().out
    assert "equipe@comptoir.example" in output
    assert "comptoir-demo" in output
    assert HomePage.objects.count() == 1
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    assert Member.objects.get(email="en-attente@comptoir.example").status == "pending"


class TestPageTree(WagtailPageTestCase):
    def setUp(self):
        from comptoir.services import site_tree_ensure

        self.home = site_tree_ensure()

    def test_editors_can_create_standard_pages_under_home(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanNotCreateAt(StandardPage, HomePage)

    def test_the_resource_library_lives_under_home(self):
        from resources.models import ResourceLibraryPage

        self.assertCanCreateAt(HomePage, ResourceLibraryPage)
        self.assertCanNotCreateAt(StandardPage, ResourceLibraryPage)

    def test_standard_page_can_be_created_in_the_admin(self):
        from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

        self.login()
        self.assertCanCreate(
            self.home,
            StandardPage,
            nested_form_data(
                {
                    "title": "Nous contacter",
                    "slug": "contact",
                    "intro": "Écrivez-nous.",
                    "body": streamfield([("paragraph", rich_text("<p>Par e-mail.</p>"))]),
                }
            ),
        )

    def test_pages_render(self):
        self.assertPageIsRenderable(self.home)
        self.assertPageIsRenderable(StandardPage.objects.get(slug="accessibilite"))


@pytest.mark.django_db
def test_footer_follows_the_pages_editors_publish(client, home_page):
    from django.core.cache import cache

    from comptoir.templatetags.comptoir_tags import FOOTER_GENERATION_KEY

    cache.delete(FOOTER_GENERATION_KEY)
    assert 'href="/accessibilite/"' in client.get("/").content.decode()

    page = StandardPage.objects.get(slug="accessibilite")
    page.unpublish()

    assert 'href="/accessibilite/"' not in client.get("/").content.decode()
    page.save_revision().publish()
    assert 'href="/accessibilite/"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_legal_notice_states_how_long_traces_are_kept(client, home_page, settings):
    page = client.get("/mentions-legales/").content.decode().replace("&#x27;", "'")

    assert "Journaux et durées de conservation" in page
    assert "conservé un an" in page
    # The notice says sessions expire after two weeks: keep the setting and the text together.
    assert "deux semaines" in page and settings.SESSION_COOKIE_AGE == 14 * 24 * 3600
    assert "Mes données" in page


@pytest.mark.django_db
def test_a_visitor_unlocks_a_page_staff_protected_with_a_password(client, home_page):
    import re

    from wagtail.models import PageViewRestriction

    from comptoir.models import StandardPage

    page = home_page.add_child(
        instance=StandardPage(title="Programme de la fête", slug="fete", intro="Rendez-vous à 18 h")
    )
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="guinguette"
    )
    form_page = client.get("/fete/").content.decode()
    assert "Rendez-vous à 18 h" not in form_page
    action = re.search(r'<form[^>]*action="([^"]+)"', form_page).group(1)

    response = client.post(action, {"password": "guinguette", "return_url": "/fete/"})

    assert response.status_code == 302
    assert "Rendez-vous à 18 h" in client.get("/fete/").content.decode()
