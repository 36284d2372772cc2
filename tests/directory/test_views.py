"""The directory as members use it: searching, reading profiles, keeping them true."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Cafe, Supplier, ValidationStatus, Visibility
from network.models import Role

SEARCH = "/annuaire/"


def page_text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


@pytest.mark.django_db
def test_residents_and_visitors_do_not_reach_the_directory(client, client_for, resident):
    assert client.get(SEARCH)["Location"].startswith("/compte/login/?next=/annuaire/")
    assert client_for(resident).get(SEARCH).status_code == 403


@pytest.mark.django_db
def test_a_manager_finds_a_supplier_delivering_to_their_departement(
    client_for, manager, cafe_factory, supplier_factory
):
    cafe_factory(name="Le Comptoir de Sulignat", managers=[manager])
    supplier_factory(name="Brasserie de la Dombes", delivers=["01"], categories=["drinks"])
    supplier_factory(name="Brasserie du Lot", commune="Saint-Cirq-Lapopie", delivers=["46"])

    page = client_for(manager).get(SEARCH, {"kind": "supplier", "delivers_to": "01"})
    text = page_text(page)

    assert "Brasserie de la Dombes" in text
    assert "Brasserie du Lot" not in text
    # The shortcut for the manager's own département is offered and ticked.
    assert 'id="delivers-home" checked' in text
    assert "Ain (01)" in text


@pytest.mark.django_db
def test_results_url_can_be_shared(client_for, manager, staff_member, cafe_factory):
    cafe_factory(name="Le Lavoir", commune="Lagrasse", services=["Épicerie"])
    cafe_factory(name="Café de la Place", commune="Pérouges")
    url = f"{SEARCH}?q=epicerie&kind=cafe&sort=name"

    for member in (manager, staff_member):
        text = page_text(client_for(member).get(url))
        assert "Le Lavoir" in text
        assert "Café de la Place" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"kind": "alien"}, "Type"),
        ({"departement": "99"}, "Département"),
        ({"page": "abc"}, "Page"),
        ({"sort": "random"}, "Trier par"),
        ({"q": "x" * 5000}, "Rechercher"),
    ],
)
def test_bad_search_parameters_are_ignored_with_a_message(
    client_for, manager, cafe_factory, params, notice
):
    cafe_factory(name="Le Lavoir", commune="Lagrasse")

    response = client_for(manager).get(SEARCH, params)

    assert response.status_code == 200
    text = page_text(response)
    assert "a été ignoré" in text
    assert notice in text
    assert "Le Lavoir" in text  # the rest of the search still runs


@pytest.mark.django_db
def test_a_page_beyond_the_last_shows_the_last_with_a_message(client_for, manager, cafe_factory):
    cafe_factory(name="Le Lavoir", commune="Lagrasse")

    response = client_for(manager).get(SEARCH, {"page": "40"})

    assert response.status_code == 200
    assert "Le Lavoir" in page_text(response)
    assert "Cette page n'existe pas" in page_text(response)


@pytest.mark.django_db
def test_search_query_count_does_not_grow_with_the_page(
    client_for, manager, cafe_factory, supplier_factory
):
    client = client_for(manager)
    searches = [{}, {"q": "cafe", "kind": ["cafe", "supplier"], "delivers_to": "01"}]

    def queries_per_search() -> list[int]:
        counts = []
        for params in searches:
            client.get(SEARCH, params)  # the landing page's counts are cached after a visit
            with CaptureQueriesContext(connection) as queries:
                client.get(SEARCH, params)
            counts.append(len(queries))
        return counts

    cafe_factory(name="Premier café", services=["Épicerie"])
    few = queries_per_search()
    for number in range(19):
        cafe_factory(name=f"Café {number}", services=["Épicerie", f"Service {number}"])
        supplier_factory(name=f"Fournisseur {number}", delivers=["01"])
    many = queries_per_search()

    response = client.get(SEARCH)
    assert response.context["results"].total == 39
    assert len(response.context["results"].entries) == 20
    assert many == few


@pytest.mark.django_db
def test_staff_only_contact_details_stay_hidden_from_other_members(
    client_for, manager, staff_member, supplier_member, supplier_factory
):
    supplier = supplier_factory(
        name="Brasserie de la Dombes",
        phone="04 74 12 34 56",
        phone_visibility=Visibility.STAFF,
        email="commandes@brasserie.example",
        email_visibility=Visibility.MEMBERS,
    )
    Supplier.objects.filter(pk=supplier.pk).update(member=supplier_member)
    url = f"/annuaire/fournisseurs/{supplier.pk}/"

    as_manager = page_text(client_for(manager).get(url))
    as_staff = page_text(client_for(staff_member).get(url))
    as_owner = page_text(client_for(supplier_member).get(url))

    assert "04 74 12 34 56" not in as_manager
    assert "commandes@brasserie.example" in as_manager
    assert "04 74 12 34 56" in as_staff
    assert "04 74 12 34 56" in as_owner


@pytest.mark.django_db
def test_a_proposed_supplier_waits_for_staff_before_it_is_listed(
    client_for, manager, staff_member, geography
):
    proposer = client_for(manager)
    response = proposer.post(
        "/annuaire/fournisseurs/proposer/",
        {
            "name": "Torréfaction du Bugey",
            "commune": "01400 Sulignat",
            "categories": ["drinks"],
            "departements_delivered": ["01"],
            "phone_visibility": "staff",
            "email_visibility": "staff",
            "address_visibility": "members",
        },
    )
    supplier = Supplier.objects.get(name="Torréfaction du Bugey")

    assert response.status_code == 302
    assert supplier.status == ValidationStatus.PROPOSED
    assert supplier.proposed_by == manager
    assert "Torréfaction" not in page_text(proposer.get(SEARCH))

    staff = client_for(staff_member)
    assert "Torréfaction du Bugey" in page_text(staff.get("/annuaire/a-valider/"))
    staff.post(f"/annuaire/a-valider/supplier/{supplier.pk}/", {"decision": "validate"})

    supplier.refresh_from_db()
    assert supplier.status == ValidationStatus.VALIDATED
    assert supplier.last_verified_at is not None
    assert "Torréfaction du Bugey" in page_text(proposer.get(SEARCH))


@pytest.mark.django_db
def test_only_staff_review_proposals(client_for, manager, supplier_factory, member_factory):
    proposal = supplier_factory(name="En attente", actor=member_factory())

    response = client_for(manager).post(
        f"/annuaire/a-valider/supplier/{proposal.pk}/", {"decision": "validate"}
    )

    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ValidationStatus.PROPOSED


@pytest.mark.django_db
def test_a_manager_adds_their_cafe_with_its_commune(client_for, manager, geography):
    response = client_for(manager).post(
        "/annuaire/cafes/ajouter/",
        {
            "name": "Le Comptoir de Sulignat",
            "commune": "01400 Sulignat",
            "licence_type": "licence_iv",
            "has_dedicated_space": "on",
            "is_last_cafe": "on",
            "contact_preference": "message",
            "services_text": "Épicerie, Dépôt de pain",
            "phone_visibility": "staff",
            "email_visibility": "staff",
            "address_visibility": "members",
        },
    )

    cafe = Cafe.objects.get(name="Le Comptoir de Sulignat")
    assert response["Location"] == f"/annuaire/cafes/{cafe.pk}/"
    assert cafe.commune.insee_code == "01412"
    assert list(cafe.managers.all()) == [manager]
    assert sorted(tag.name for tag in cafe.services.all()) == ["Dépôt de pain", "Épicerie"]
    assert cafe.last_verified_at is None  # only staff vouch for an entry


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("commune", "message"),
    [
        ("99999 Nullepart", "Aucune commune ne correspond"),
        ("Saint-Étienne-la-Lune", "Aucune commune ne correspond"),
        ("", "Ce champ est obligatoire."),
    ],
)
def test_a_cafe_in_an_unknown_commune_is_refused_in_french(
    client_for, manager, geography, commune, message
):
    response = client_for(manager).post(
        "/annuaire/cafes/ajouter/",
        {"name": "Café fantôme", "commune": commune, "licence_type": "none"},
    )

    assert response.status_code == 200
    assert message in page_text(response)
    assert 'id="error-summary"' in page_text(response)
    assert not Cafe.objects.filter(name="Café fantôme").exists()


@pytest.mark.django_db
def test_only_its_managers_and_staff_edit_a_cafe(
    client_for, manager, member_factory, staff_member, cafe_factory
):
    cafe = cafe_factory(name="Le Lavoir", commune="Lagrasse", managers=[manager])
    other_manager = member_factory(role=Role.MANAGER)
    url = f"/annuaire/cafes/{cafe.pk}/modifier/"

    assert client_for(manager).get(url).status_code == 200
    assert client_for(staff_member).get(url).status_code == 200
    assert client_for(other_manager).get(url).status_code == 404
    response = client_for(other_manager).post(url, {"name": "Piraté", "commune": "11220 Lagrasse"})
    assert response.status_code == 404
    cafe.refresh_from_db()
    assert cafe.name == "Le Lavoir"


@pytest.mark.django_db
def test_html_in_a_profile_is_shown_as_text(client_for, manager, cafe_factory):
    cafe = cafe_factory(
        name="<b>Café</b>", description="<script>alert('x')</script>", managers=[manager]
    )

    text = client_for(manager).get(f"/annuaire/cafes/{cafe.pk}/").content.decode()

    assert "<script>alert" not in text
    assert "&lt;script&gt;" in text
    assert "&lt;b&gt;Café&lt;/b&gt;" in text


@pytest.mark.django_db
def test_a_supplier_member_creates_their_own_entry(client_for, supplier_member, geography):
    client = client_for(supplier_member)

    assert client.get("/annuaire/mon-profil/")["Location"] == "/annuaire/fournisseurs/ma-fiche/"
    client.post(
        "/annuaire/fournisseurs/ma-fiche/",
        {
            "name": "Fromagerie du Val",
            "commune": "01412",
            "categories": ["local_products"],
            "phone_visibility": "staff",
            "email_visibility": "staff",
            "address_visibility": "members",
        },
    )

    supplier = Supplier.objects.get(member=supplier_member)
    assert supplier.status == ValidationStatus.PROPOSED
    assert (
        client.get("/annuaire/mon-profil/")["Location"]
        == f"/annuaire/fournisseurs/{supplier.pk}/modifier/"
    )


@pytest.mark.django_db
def test_managers_see_peers_like_them_on_their_home(client_for, manager, cafe_factory):
    cafe_factory(name="Le Comptoir de Sulignat", services=["Épicerie"], managers=[manager])
    cafe_factory(name="Café de la Place", commune="Pérouges", services=["Épicerie"])
    cafe_factory(name="Le Lavoir", commune="Lagrasse", services=["Épicerie"])
    cafe_factory(name="Bar des Sports", commune="Saint-Étienne-le-Molard")

    text = page_text(client_for(manager).get("/espace/"))

    assert "Pairs qui me ressemblent" in text or "Peers like me" in text
    # Same région (Auvergne-Rhône-Alpes) only, nearest first.
    assert text.index("Café de la Place") < text.index("Bar des Sports")
    assert "Le Lavoir" not in text


def _png_bytes() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 30), (122, 46, 14)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_manager_adds_a_photo_shown_resized_to_members_only(
    client, client_for, manager, cafe_factory, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    cafe = cafe_factory(name="Le Lavoir", commune="Lagrasse", managers=[manager])
    member = client_for(manager)
    form = member.get(f"/annuaire/cafes/{cafe.pk}/modifier/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "photo_upload"}
    data.update(commune="11220 Lagrasse", services_text="", tags_text="")

    member.post(
        f"/annuaire/cafes/{cafe.pk}/modifier/",
        {**data, "photo_upload": SimpleUploadedFile("salle.png", _png_bytes(), "image/png")},
    )

    cafe.refresh_from_db()
    assert cafe.photo is not None
    page = member.get(f"/annuaire/cafes/{cafe.pk}/").content.decode()
    rendition_url = page.split('src="')[1].split('"')[0]
    assert rendition_url.startswith("/media/images/")
    assert member.get(rendition_url).status_code == 200
    assert client.get(rendition_url)["Location"].startswith("/compte/login/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (("virus.png", b"MZ\x90\x00 not an image", "image/png"), "n'est pas une photo lisible"),
        (("page.pdf", b"%PDF-1.4 ...", "application/pdf"), "n'est pas une photo lisible"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused(
    client_for, manager, cafe_factory, upload, message, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    cafe = cafe_factory(name="Le Lavoir", commune="Lagrasse", managers=[manager])

    response = client_for(manager).post(
        f"/annuaire/cafes/{cafe.pk}/modifier/",
        {
            "name": "Le Lavoir",
            "commune": "11220 Lagrasse",
            "licence_type": "none",
            "contact_preference": "message",
            "phone_visibility": "staff",
            "email_visibility": "staff",
            "address_visibility": "members",
            "photo_upload": SimpleUploadedFile(*upload),
        },
    )

    assert response.status_code == 200
    assert message in page_text(response)
    cafe.refresh_from_db()
    assert cafe.photo is None


@pytest.mark.django_db
def test_staff_remove_an_entry_and_it_leaves_the_search(
    client_for, staff_member, manager, supplier_factory
):
    supplier = supplier_factory(name="Ancienne brasserie")
    staff = client_for(staff_member)
    assert "Ancienne brasserie" in page_text(client_for(manager).get(SEARCH))

    confirm = staff.get(f"/annuaire/supprimer/supplier/{supplier.pk}/")
    staff.post(f"/annuaire/supprimer/supplier/{supplier.pk}/")

    assert confirm.status_code == 200
    assert not Supplier.objects.filter(pk=supplier.pk).exists()
    assert "Ancienne brasserie" not in page_text(client_for(manager).get(SEARCH))
    assert (
        client_for(manager).post(f"/annuaire/supprimer/supplier/{supplier.pk}/").status_code == 403
    )


@pytest.mark.django_db
def test_a_deleted_account_leaves_the_directory(client_for, manager, staff_member, cafe_factory):
    from directory.models import DirectoryEntry
    from directory.services import manager_profile_save

    cafe_factory(name="Le Lavoir", commune="Lagrasse", managers=[manager])
    manager_profile_save(actor=manager, member=manager, fields={"can_share": "Marchés"})
    assert DirectoryEntry.objects.filter(kind="manager").count() == 1

    manager.delete()

    assert DirectoryEntry.objects.filter(kind="manager").count() == 0


@pytest.mark.django_db
def test_staff_edit_a_managers_profile_and_others_cannot(
    client_for, manager, staff_member, member_factory
):
    from directory.services import manager_profile_save

    profile = manager_profile_save(actor=manager, member=manager, fields={"can_share": "Marchés"})
    url = f"/annuaire/gerants/{profile.pk}/modifier/"

    client_for(staff_member).post(url, {"can_share": "Marchés de producteurs", "tags_text": ""})
    other = client_for(member_factory(role=Role.MANAGER)).post(url, {"can_share": "Piraté"})

    profile.refresh_from_db()
    assert profile.can_share == "Marchés de producteurs"
    assert other.status_code == 403


@pytest.mark.django_db
def test_tags_without_a_letter_or_digit_are_left_out(client_for, manager):
    """A tag made of emoji or punctuation only would be stored with an empty slug (found by
    tests/comptoir/test_form_fuzz.py)."""
    from taggit.models import Tag

    response = client_for(manager).post(
        "/annuaire/mon-profil/gerant/",
        {"can_share": "Des conseils", "tags_text": "🙂, ..., épicerie, 👍🏽 !"},
    )

    assert response.status_code == 302
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["épicerie"]
    for tag in Tag.objects.all():
        tag.full_clean()
