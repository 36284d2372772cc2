"""Directory services: permissions, validation, and the search entry kept in step."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from directory.models import DirectoryEntry, ValidationStatus
from directory.services import (
    DirectoryError,
    cafe_save,
    entry_review,
    manager_profile_save,
    supplier_save,
)
from network.models import Role


@pytest.mark.django_db
def test_saving_a_cafe_refreshes_its_search_entry(cafe_factory, staff_member, geography):
    cafe = cafe_factory(name="Le Lavoir", commune="Lagrasse", services=["Épicerie"])

    cafe_save(actor=staff_member, cafe=cafe, fields={"name": "Le Nouveau Lavoir"})

    entry = DirectoryEntry.objects.get(kind="cafe", object_id=cafe.pk)
    assert entry.title == "Le Nouveau Lavoir"
    assert entry.departement_id == "11"
    assert entry.region_id == "76"
    assert "epicerie" in entry.search_text
    assert {(f.name, f.value) for f in entry.facets.all()} >= {
        ("kind", "cafe"),
        ("tag", "Épicerie"),
        ("population_band", "500-999"),
    }


@pytest.mark.django_db
def test_an_invalid_save_changes_nothing(cafe_factory, staff_member):
    cafe = cafe_factory(name="Le Lavoir", commune="Lagrasse")

    with pytest.raises(ValidationError):
        cafe_save(actor=staff_member, cafe=cafe, fields={"name": "x" * 500})

    cafe.refresh_from_db()
    assert cafe.name == "Le Lavoir"
    assert DirectoryEntry.objects.get(kind="cafe", object_id=cafe.pk).title == "Le Lavoir"


@pytest.mark.django_db
def test_a_manager_cannot_edit_someone_elses_cafe(cafe_factory, manager):
    cafe = cafe_factory(name="Le Lavoir", commune="Lagrasse")

    with pytest.raises(PermissionDenied):
        cafe_save(actor=manager, cafe=cafe, fields={"name": "À moi"})


@pytest.mark.django_db
def test_only_managers_have_a_manager_profile(member_factory):
    supplier = member_factory(role=Role.SUPPLIER)

    with pytest.raises(DirectoryError):
        manager_profile_save(actor=supplier, member=supplier, fields={})


@pytest.mark.django_db
def test_members_proposals_wait_and_staff_entries_are_trusted(manager, staff_member, geography):
    proposed = supplier_save(actor=manager, fields={"name": "Proposé"}, categories=["drinks"])
    trusted = supplier_save(actor=staff_member, fields={"name": "Vérifié"}, categories=["drinks"])

    assert proposed.status == ValidationStatus.PROPOSED
    assert not DirectoryEntry.objects.get(kind="supplier", object_id=proposed.pk).is_listed
    assert trusted.status == ValidationStatus.VALIDATED
    assert trusted.last_verified_at is not None

    entry_review(actor=staff_member, obj=proposed, approve=True)

    assert DirectoryEntry.objects.get(kind="supplier", object_id=proposed.pk).is_listed


@pytest.mark.django_db
def test_only_staff_review(manager, geography):
    proposed = supplier_save(actor=manager, fields={"name": "Proposé"}, categories=["drinks"])

    with pytest.raises(PermissionDenied):
        entry_review(actor=manager, obj=proposed, approve=True)


@pytest.mark.django_db
def test_a_member_has_one_own_entry(supplier_member, geography):
    supplier_save(actor=supplier_member, fields={"name": "Ma fiche"}, for_self=True)

    with pytest.raises(DirectoryError):
        supplier_save(actor=supplier_member, fields={"name": "Autre fiche"}, for_self=True)


@pytest.mark.django_db
def test_an_unreachable_search_server_never_undoes_a_save(
    cafe_factory, staff_member, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    class Unreachable:
        def index_entries(self, entries):
            raise ConnectionError("search server down")

        def remove_entries(self, ids):
            raise ConnectionError("search server down")

    monkeypatch.setattr("directory.indexing.get_directory_search", lambda: Unreachable())

    with django_capture_on_commit_callbacks(execute=True):
        cafe = cafe_factory(name="Le Lavoir", commune="Lagrasse")

    assert DirectoryEntry.objects.filter(kind="cafe", object_id=cafe.pk).exists()
    assert "rebuild_directory_index" in caplog.text
