"""The staff export of the whole directory: one row per café, manager, professional and
supplier, streamed chunk by chunk."""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network.models import Member

from .. import permissions
from ..models import Cafe, Commune, EntryKind, ManagerProfile, Professional, Supplier
from ..text import fold

# Rows fetched per query; prefetches run once per chunk, never once per row.
EXPORT_CHUNK_SIZE = 500


EXPORT_HEADER = (
    gettext_lazy("Type"),
    gettext_lazy("Name"),
    gettext_lazy("Commune"),
    gettext_lazy("INSEE code"),
    gettext_lazy("Département"),
    gettext_lazy("Région"),
    gettext_lazy("Phone"),
    gettext_lazy("E-mail"),
    gettext_lazy("Address"),
    gettext_lazy("Services, skills or categories"),
    gettext_lazy("Tags"),
    gettext_lazy("Status"),
    gettext_lazy("Last verified"),
    gettext_lazy("Page"),
)


def _location(commune: Commune | None) -> list[str]:
    if commune is None:
        return ["", "", "", ""]
    departement = commune.departement
    return [commune.name, commune.insee_code, str(departement), departement.region.name]


def _names(manager) -> str:
    # .all() reads the prefetched tags; sorting keeps the cell stable from one export to the next.
    return ", ".join(sorted((tag.name for tag in manager.all()), key=fold))


def _date(value) -> str:
    # ISO dates are read as dates by every spreadsheet, whatever its language.
    return value.isoformat() if value else ""


def _cafe_row(cafe: Cafe, url_for: Callable[[str], str]) -> list[Any]:
    return [
        EntryKind.CAFE.label,
        cafe.name,
        *_location(cafe.commune),
        cafe.phone,
        cafe.email,
        cafe.address,
        _names(cafe.services),
        _names(cafe.tags),
        _("Open") if cafe.is_active else _("Closed"),
        _date(cafe.last_verified_at),
        url_for(cafe.get_absolute_url()),
    ]


def _manager_row(profile: ManagerProfile, url_for: Callable[[str], str]) -> list[Any]:
    member = profile.member
    cafes = list(member.cafes.all())
    # Managers have no address of their own: like the search index, they are placed at their
    # first café.
    commune = cafes[0].commune if cafes else None
    return [
        EntryKind.MANAGER.label,
        member.get_full_name() or member.email,
        *_location(commune),
        "",
        member.email,
        "",
        profile.can_share,
        _names(profile.tags),
        member.get_status_display(),
        "",
        url_for(profile.get_absolute_url()),
    ]


def _professional_row(professional: Professional, url_for: Callable[[str], str]) -> list[Any]:
    return [
        EntryKind.PROFESSIONAL.label,
        professional.name,
        *_location(professional.commune),
        professional.phone,
        professional.email,
        professional.address,
        _names(professional.skills),
        _names(professional.tags),
        professional.get_status_display(),
        _date(professional.last_verified_at),
        url_for(professional.get_absolute_url()),
    ]


def _supplier_row(supplier: Supplier, url_for: Callable[[str], str]) -> list[Any]:
    categories = sorted(
        (str(item.get_category_display()) for item in supplier.categories.all()), key=fold
    )
    return [
        EntryKind.SUPPLIER.label,
        supplier.name,
        *_location(supplier.commune),
        supplier.phone,
        supplier.email,
        supplier.address,
        ", ".join(categories),
        _names(supplier.tags),
        supplier.get_status_display(),
        _date(supplier.last_verified_at),
        url_for(supplier.get_absolute_url()),
    ]


def _export_sources() -> list[tuple[Iterable[Any], Callable[..., list[Any]]]]:
    location = "commune__departement__region"
    cafes_of_member = Prefetch(
        "member__cafes",
        queryset=Cafe.objects.select_related(location).order_by("name", "pk"),
    )
    return [
        (
            Cafe.objects.select_related(location)
            .prefetch_related("services", "tags")
            .order_by("name", "pk")
            .iterator(chunk_size=EXPORT_CHUNK_SIZE),
            _cafe_row,
        ),
        (
            ManagerProfile.objects.select_related("member")
            .prefetch_related("tags", cafes_of_member)
            .order_by("member__last_name", "member__first_name", "pk")
            .iterator(chunk_size=EXPORT_CHUNK_SIZE),
            _manager_row,
        ),
        (
            Professional.objects.select_related(location)
            .prefetch_related("skills", "tags")
            .order_by("name", "pk")
            .iterator(chunk_size=EXPORT_CHUNK_SIZE),
            _professional_row,
        ),
        (
            Supplier.objects.select_related(location)
            .prefetch_related("categories", "tags")
            .order_by("name", "pk")
            .iterator(chunk_size=EXPORT_CHUNK_SIZE),
            _supplier_row,
        ),
    ]


def directory_export_rows(
    *, actor: Member, url_for: Callable[[str], str] = str
) -> Iterator[list[Any]]:
    """The header, then one row per café, manager, professional and supplier, whatever their
    status and with every contact detail: the export is for programme staff only.

    ``url_for`` turns a page path into the address written in the file (the view passes
    ``request.build_absolute_uri``). Rows are produced lazily, chunk by chunk, for streaming.
    """
    if not permissions.can_exchange_files(actor):
        raise PermissionDenied
    # A streamed response is written after the view has returned: keep the language the
    # request asked for, whatever the thread's language is by then.
    language = translation.get_language()
    return _export_rows(language, url_for)


def _export_rows(language: str | None, url_for: Callable[[str], str]) -> Iterator[list[Any]]:
    with translation.override(language):
        header = [str(label) for label in EXPORT_HEADER]
    yield header
    for objects, build in _export_sources():
        for obj in objects:
            with translation.override(language):
                row = [str(value) for value in build(obj, url_for)]
            yield row
