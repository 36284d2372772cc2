"""Keeps the DirectoryEntry rows (and, when configured, Elasticsearch) in step with the profiles.

Services call :func:`directory_entry_refresh` after every write on a café, manager profile,
professional or supplier; :func:`directory_rebuild` redoes everything (management command
``rebuild_directory_index``).
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Model, Value
from django.utils import translation

from network.models import MembershipStatus, Role

from .models import (
    Cafe,
    Commune,
    DirectoryEntry,
    DirectoryEntryFacet,
    EntryKind,
    ManagerProfile,
    PopulationBand,
    Professional,
    Supplier,
    ValidationStatus,
)
from .search import TEXT_SEARCH_CONFIG, get_directory_search, unfiltered_facets_cache_key
from .text import fold

logger = logging.getLogger(__name__)


@dataclass
class EntryData:
    kind: str
    object_id: int
    title: str
    summary: str
    commune: Commune | None
    is_listed: bool
    last_verified_at: object = None
    words: list[str] = field(default_factory=list)
    facets: set[tuple[str, str]] = field(default_factory=set)


def _location_facets(commune: Commune | None) -> set[tuple[str, str]]:
    if commune is None:
        return {("population_band", PopulationBand.UNKNOWN)}
    return {
        ("departement", commune.departement_id),
        ("region", commune.departement.region_id),
        ("population_band", commune.population_band),
    }


def _location_words(commune: Commune | None) -> list[str]:
    if commune is None:
        return []
    return [
        commune.name,
        commune.postal_codes,
        commune.departement.name,
        commune.departement.region.name,
    ]


def _tag_names(manager) -> list[str]:
    return [tag.name for tag in manager.all()]


def _cafe_data(cafe: Cafe) -> EntryData:
    services = _tag_names(cafe.services)
    tags = _tag_names(cafe.tags)
    managers = [str(member) for member in cafe.managers.all()]
    data = EntryData(
        kind=EntryKind.CAFE,
        object_id=cafe.pk,
        title=cafe.name,
        summary=", ".join(services[:5]),
        commune=cafe.commune,
        is_listed=cafe.is_active,
        last_verified_at=cafe.last_verified_at,
        words=[cafe.name, cafe.description, *services, *tags, *managers],
    )
    data.words += _location_words(cafe.commune)
    data.facets = {("kind", EntryKind.CAFE), *_location_facets(cafe.commune)}
    data.facets |= {("tag", name) for name in services + tags}
    return data


def _manager_data(profile: ManagerProfile) -> EntryData:
    member = profile.member
    cafes = list(member.cafes.select_related("commune__departement__region"))
    commune = cafes[0].commune if cafes else None
    tags = _tag_names(profile.tags)
    data = EntryData(
        kind=EntryKind.MANAGER,
        object_id=profile.pk,
        title=member.get_full_name() or member.email,
        summary=", ".join(f"{cafe.name} ({cafe.commune.name})" for cafe in cafes),
        commune=commune,
        is_listed=member.is_active
        and member.status == MembershipStatus.APPROVED
        and member.role == Role.MANAGER,
        words=[member.get_full_name(), profile.can_share, *tags],
    )
    for cafe in cafes:
        data.words += [cafe.name, *_location_words(cafe.commune)]
        data.facets |= _location_facets(cafe.commune)
    if not cafes:
        data.facets |= _location_facets(None)
    data.facets |= {("kind", EntryKind.MANAGER)} | {("tag", name) for name in tags}
    return data


def _professional_data(professional: Professional) -> EntryData:
    skills = _tag_names(professional.skills)
    tags = _tag_names(professional.tags)
    served = list(professional.departements_served.all())
    data = EntryData(
        kind=EntryKind.PROFESSIONAL,
        object_id=professional.pk,
        title=professional.name,
        summary=", ".join(skills[:5]),
        commune=professional.commune,
        is_listed=professional.status == ValidationStatus.VALIDATED,
        last_verified_at=professional.last_verified_at,
        words=[
            professional.name,
            professional.description,
            professional.conditions,
            *skills,
            *tags,
            *(departement.name for departement in served),
        ],
    )
    data.words += _location_words(professional.commune)
    data.facets = {("kind", EntryKind.PROFESSIONAL), *_location_facets(professional.commune)}
    data.facets |= {("tag", name) for name in skills + tags}
    data.facets |= {("delivers_to", departement.code) for departement in served}
    if professional.is_trainer:
        data.facets.add(("tag", "formation"))
    return data


def _supplier_data(supplier: Supplier) -> EntryData:
    categories = list(supplier.categories.all())
    tags = _tag_names(supplier.tags)
    delivered = list(supplier.departements_delivered.all())
    # Category names are indexed in French, the language members search in.
    with translation.override(settings.LANGUAGE_CODE):
        category_names = [str(category.get_category_display()) for category in categories]
    data = EntryData(
        kind=EntryKind.SUPPLIER,
        object_id=supplier.pk,
        title=supplier.name,
        summary=", ".join(category_names),
        commune=supplier.commune,
        is_listed=supplier.status == ValidationStatus.VALIDATED,
        last_verified_at=supplier.last_verified_at,
        words=[
            supplier.name,
            supplier.description,
            supplier.conditions,
            *category_names,
            *tags,
            *(departement.name for departement in delivered),
        ],
    )
    data.words += _location_words(supplier.commune)
    data.facets = {("kind", EntryKind.SUPPLIER), *_location_facets(supplier.commune)}
    data.facets |= {("category", category.category) for category in categories}
    data.facets |= {("tag", name) for name in tags}
    data.facets |= {("delivers_to", departement.code) for departement in delivered}
    return data


BUILDERS = {
    Cafe: (EntryKind.CAFE, _cafe_data),
    ManagerProfile: (EntryKind.MANAGER, _manager_data),
    Professional: (EntryKind.PROFESSIONAL, _professional_data),
    Supplier: (EntryKind.SUPPLIER, _supplier_data),
}


def _save(data: EntryData) -> DirectoryEntry:
    commune = data.commune
    search_text = fold(" ".join(word for word in data.words if word))
    entry, _created = DirectoryEntry.objects.update_or_create(
        kind=data.kind,
        object_id=data.object_id,
        defaults={
            "title": data.title[:300],
            "title_search": fold(data.title)[:300],
            "summary": data.summary[:500],
            "commune": commune,
            "departement_id": commune.departement_id if commune else None,
            "region_id": commune.departement.region_id if commune else None,
            "population_band": commune.population_band if commune else PopulationBand.UNKNOWN,
            "search_text": search_text,
            "is_listed": data.is_listed,
            "last_verified_at": data.last_verified_at,
        },
    )
    _forget_cached_counts()
    entry.facets.all().delete()
    DirectoryEntryFacet.objects.bulk_create(
        DirectoryEntryFacet(entry=entry, name=name, value=str(value)[:100])
        for name, value in sorted(data.facets)
    )
    if connection.vendor == "postgresql":
        # The name weighs more than the rest; the unaccented French configuration makes
        # "epicerie" find "Épicerie".
        DirectoryEntry.objects.filter(pk=entry.pk).update(
            search_vector=SearchVector(Value(data.title), weight="A", config=TEXT_SEARCH_CONFIG)
            + SearchVector(
                Value(" ".join(word for word in data.words if word)),
                weight="B",
                config=TEXT_SEARCH_CONFIG,
            )
        )
    return entry


def _forget_cached_counts() -> None:
    cache.delete_many([unfiltered_facets_cache_key(True), unfiltered_facets_cache_key(False)])


def _notify_engine(entry_ids: list[int], removed_ids: list[int]) -> None:
    """Runs after commit: the member's change is saved whatever happens here. If the search
    server is unreachable the change is logged, and `rebuild_directory_index` catches up."""
    _forget_cached_counts()
    engine = get_directory_search()
    try:
        if removed_ids:
            engine.remove_entries(removed_ids)
        if entry_ids:
            entries = DirectoryEntry.objects.filter(pk__in=entry_ids).prefetch_related("facets")
            engine.index_entries(entries)
    except Exception:  # any transport or server error: never undo or fail the saved change
        logger.exception(
            "Directory search index not updated for entries %s (removed %s); "
            "run `manage.py rebuild_directory_index`.",
            entry_ids,
            removed_ids,
        )


@transaction.atomic
def directory_entry_refresh(obj: Model) -> DirectoryEntry:
    """Rebuild the directory entry of one café, manager profile, professional or supplier."""
    _kind, build = BUILDERS[type(obj)]
    entry = _save(build(obj))
    transaction.on_commit(lambda: _notify_engine([entry.pk], []))
    return entry


@transaction.atomic
def directory_entry_remove(obj: Model) -> None:
    kind, _build = BUILDERS[type(obj)]
    ids = list(
        DirectoryEntry.objects.filter(kind=kind, object_id=obj.pk).values_list("pk", flat=True)
    )
    DirectoryEntry.objects.filter(pk__in=ids).delete()
    _forget_cached_counts()
    transaction.on_commit(lambda: _notify_engine([], ids))


def _all_profiles() -> Iterable[Model]:
    yield from Cafe.objects.select_related("commune__departement__region").prefetch_related(
        "managers", "services", "tags"
    )
    yield from ManagerProfile.objects.select_related("member").prefetch_related("tags")
    yield from Professional.objects.select_related("commune__departement__region").prefetch_related(
        "skills", "tags", "departements_served"
    )
    yield from Supplier.objects.select_related("commune__departement__region").prefetch_related(
        "categories", "tags", "departements_delivered"
    )


def directory_rebuild() -> int:
    """Rebuild every entry from the profiles, then the search engine's index."""
    with transaction.atomic():
        seen: set[tuple[str, int]] = set()
        for obj in _all_profiles():
            kind, build = BUILDERS[type(obj)]
            _save(build(obj))
            seen.add((kind, obj.pk))
        stale = [
            entry.pk
            for entry in DirectoryEntry.objects.only("pk", "kind", "object_id")
            if (entry.kind, entry.object_id) not in seen
        ]
        DirectoryEntry.objects.filter(pk__in=stale).delete()
    _forget_cached_counts()
    return get_directory_search().rebuild()
