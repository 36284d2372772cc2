"""Reads for the directory pages, narrowed to what the viewer may see."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from network.models import Member, Role

from . import permissions
from .models import (
    Cafe,
    Departement,
    DirectoryEntry,
    EntryKind,
    ManagerProfile,
    Professional,
    Region,
    Supplier,
    ValidationStatus,
)
from .search import DirectoryQuery, DirectoryResults, get_directory_search


def directory_search(*, viewer: Member, query: DirectoryQuery) -> DirectoryResults:
    """Staff also see entries waiting for validation and closed cafés."""
    return get_directory_search().search(
        query, include_unlisted=permissions.can_review_entries(viewer)
    )


def cafe_get_for_viewer(*, viewer: Member, cafe_id: int) -> Cafe | None:
    cafes = Cafe.objects.select_related("commune__departement__region", "photo").prefetch_related(
        "managers", "services", "tags"
    )
    if not permissions.can_review_entries(viewer):
        cafes = cafes.filter(Q(is_active=True) | Q(managers=viewer)).distinct()
    return cafes.filter(pk=cafe_id).first()


def manager_profile_get_for_viewer(*, viewer: Member, profile_id: int) -> ManagerProfile | None:
    profiles = ManagerProfile.objects.select_related("member").prefetch_related(
        "tags", "member__cafes__commune"
    )
    if not permissions.can_review_entries(viewer):
        profiles = profiles.filter(
            Q(member__status="approved", member__is_active=True, member__role=Role.MANAGER)
            | Q(member=viewer)
        )
    return profiles.filter(pk=profile_id).first()


def _listed_or_own(queryset: QuerySet, viewer: Member) -> QuerySet:
    if permissions.can_review_entries(viewer):
        return queryset
    return queryset.filter(
        Q(status=ValidationStatus.VALIDATED) | Q(member=viewer) | Q(proposed_by=viewer)
    ).distinct()


def professional_get_for_viewer(*, viewer: Member, professional_id: int) -> Professional | None:
    professionals = Professional.objects.select_related(
        "commune__departement__region", "member"
    ).prefetch_related("skills", "tags", "departements_served")
    return _listed_or_own(professionals, viewer).filter(pk=professional_id).first()


def supplier_get_for_viewer(*, viewer: Member, supplier_id: int) -> Supplier | None:
    suppliers = Supplier.objects.select_related(
        "commune__departement__region", "member"
    ).prefetch_related("categories", "tags", "departements_delivered")
    return _listed_or_own(suppliers, viewer).filter(pk=supplier_id).first()


def entry_list_awaiting_review() -> dict[str, QuerySet]:
    return {
        "professionals": Professional.objects.filter(status=ValidationStatus.PROPOSED)
        .select_related("proposed_by", "commune")
        .order_by("created_at"),
        "suppliers": Supplier.objects.filter(status=ValidationStatus.PROPOSED)
        .select_related("proposed_by", "commune")
        .order_by("created_at"),
    }


@dataclass(frozen=True)
class HomeDepartement:
    code: str
    label: str

    def __str__(self) -> str:
        return self.label


def member_home_departement(member: Member) -> HomeDepartement | None:
    """The département of a manager's (first) café, or where a professional's or supplier's
    own entry is based. It runs on every directory search: one light query, and the name
    comes from the cached labels."""
    if member.role == Role.MANAGER:
        codes = member.cafes.order_by("pk").values_list("commune__departement_id", flat=True)
    else:
        model = {Role.PROFESSIONAL: Professional, Role.SUPPLIER: Supplier}.get(member.role)
        if model is None:
            return None
        codes = model.objects.filter(member=member).values_list(
            "commune__departement_id", flat=True
        )
    code = codes.first()
    if code is None:
        return None
    return HomeDepartement(code=code, label=geography_labels()["departement"].get(code, code))


def peer_list_for_manager(*, member: Member, limit: int = 6) -> list[DirectoryEntry]:
    """Cafés like the manager's own: same département first, then région, similar population,
    most services in common."""
    cafes = list(member.cafes.select_related("commune__departement").prefetch_related("services"))
    if not cafes:
        return []
    own = cafes[0]
    services = {tag.name for cafe in cafes for tag in cafe.services.all()}
    candidates = (
        Cafe.objects.filter(is_active=True)
        .exclude(pk__in=[cafe.pk for cafe in cafes])
        .filter(
            Q(commune__departement=own.commune.departement)
            | Q(commune__departement__region=own.commune.departement.region_id)
        )
        .annotate(
            shared_services=Count("services", filter=Q(services__name__in=services), distinct=True)
        )
        .select_related("commune__departement")
    )
    scored = sorted(
        candidates[:200],
        key=lambda cafe: (
            cafe.commune.departement_id != own.commune.departement_id,
            cafe.commune.population_band != own.commune.population_band,
            -cafe.shared_services,
            cafe.name,
        ),
    )[:limit]
    entries = DirectoryEntry.objects.filter(
        kind=EntryKind.CAFE, object_id__in=[cafe.pk for cafe in scored]
    ).select_related("commune", "departement")
    by_id = {entry.object_id: entry for entry in entries}
    return [by_id[cafe.pk] for cafe in scored if cafe.pk in by_id]


GEOGRAPHY_CACHE_KEY = "directory:geography:v1"


def geography_labels() -> dict[str, dict[str, str]]:
    """Département and région names by code, for facet labels and the search form's choices.

    They change only when communes are imported (which clears the cache), so every search
    page does not have to read them again.
    """
    labels = cache.get(GEOGRAPHY_CACHE_KEY)
    if labels is None:
        labels = {
            "departement": {d.code: str(d) for d in Departement.objects.only("code", "name")},
            "region": {r.code: r.name for r in Region.objects.only("code", "name")},
        }
        cache.set(GEOGRAPHY_CACHE_KEY, labels, timeout=60 * 60)
    return labels


# --- Contact between members --------------------------------------------------------------------

ContactEntry = Cafe | ManagerProfile | Professional | Supplier


def contact_entry_get_for_viewer(
    *, viewer: Member, kind: str, object_id: int
) -> ContactEntry | None:
    """The entry behind a contact link, if the viewer may see it; None for an unknown kind."""
    if kind == EntryKind.CAFE:
        return cafe_get_for_viewer(viewer=viewer, cafe_id=object_id)
    if kind == EntryKind.MANAGER:
        return manager_profile_get_for_viewer(viewer=viewer, profile_id=object_id)
    if kind == EntryKind.PROFESSIONAL:
        return professional_get_for_viewer(viewer=viewer, professional_id=object_id)
    if kind == EntryKind.SUPPLIER:
        return supplier_get_for_viewer(viewer=viewer, supplier_id=object_id)
    return None


def contact_entry_get(*, kind: str, object_id: int) -> ContactEntry | None:
    """The entry a message was about, whoever looks (for the mail sent in the background)."""
    model = {
        EntryKind.CAFE: Cafe,
        EntryKind.MANAGER: ManagerProfile,
        EntryKind.PROFESSIONAL: Professional,
        EntryKind.SUPPLIER: Supplier,
    }.get(kind)
    return model.objects.filter(pk=object_id).first() if model else None


def contact_recipients_for(kind: str, obj: ContactEntry) -> list[tuple[Member | None, str]]:
    """Who receives a message written to an entry, as (account or None, e-mail address).

    A café: its managers, each on their own mail. A manager: that member. A professional or a
    supplier: its member account, or else the e-mail of its profile, but only once staff have
    validated the entry (otherwise anyone could propose an entry with any address and have the
    site write to it). Accounts that are not approved and active receive nothing. An empty list
    means the entry cannot be contacted through the site.
    """
    if kind == EntryKind.CAFE:
        accounts = [manager for manager in obj.managers.all() if manager.is_approved]
    elif kind == EntryKind.MANAGER:
        accounts = [obj.member] if obj.member.is_approved else []
    elif kind in (EntryKind.PROFESSIONAL, EntryKind.SUPPLIER):
        if obj.member is not None and obj.member.is_approved:
            accounts = [obj.member]
        elif obj.member_id is None and obj.email and obj.status == ValidationStatus.VALIDATED:
            return [(None, obj.email)]
        else:
            accounts = []
    else:
        accounts = []
    return [(account, account.email) for account in sorted(accounts, key=lambda a: a.pk)]
