"""Directory search: one interface, two engines.

A :class:`DirectoryQuery` (free text, facet filters, sort, page) goes in; a
:class:`DirectoryResults` (one page of :class:`~directory.models.DirectoryEntry`, the total and the
facet counts) comes out. :class:`DatabaseDirectorySearch` runs on the project's database
(PostgreSQL full text with a French, accent-blind configuration; folded-text matching on SQLite).
:class:`~directory.search_elasticsearch.ElasticsearchDirectorySearch` runs on Elasticsearch when
``ELASTICSEARCH_URL`` is set. :func:`get_directory_search` picks one.

Facet counts are disjunctive: the count shown beside a value is what the results would be with
that value added to the other filters (values of one facet are OR-ed, facets are AND-ed).
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, F, OuterRef, QuerySet

from .models import DirectoryEntry, DirectoryEntryFacet
from .text import fold

# Facet names, in the order the search page shows them.
FACETS = ("kind", "departement", "region", "population_band", "category", "delivers_to", "tag")
SORTS = ("relevance", "name", "verified")
MAX_PAGE_SIZE = 100
TEXT_SEARCH_CONFIG = "french_unaccent"


@dataclass(frozen=True)
class DirectoryQuery:
    text: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20

    def __post_init__(self) -> None:
        unknown = set(self.filters) - set(FACETS)
        if unknown:
            raise ValueError(f"unknown facets: {sorted(unknown)}")
        if self.sort not in SORTS:
            raise ValueError(f"unknown sort: {self.sort}")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise ValueError("page_size out of range")


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    selected: bool


@dataclass
class DirectoryResults:
    entries: list[DirectoryEntry]
    total: int
    page: int
    num_pages: int
    facets: dict[str, list[FacetCount]]
    page_out_of_range: bool = False


class DirectorySearchEngine(Protocol):
    def search(
        self, query: DirectoryQuery, *, include_unlisted: bool = False
    ) -> DirectoryResults: ...

    def index_entries(self, entries: Iterable[DirectoryEntry]) -> None: ...

    def remove_entries(self, entry_ids: Iterable[int]) -> None: ...

    def rebuild(self) -> int: ...


def unfiltered_facets_cache_key(include_unlisted: bool) -> str:
    return f"directory:facets:unfiltered:{'all' if include_unlisted else 'listed'}"


def clamp_page(page: int, total: int, page_size: int) -> tuple[int, int, bool]:
    """(page to show, number of pages, whether the asked page was out of range)."""
    num_pages = max(1, math.ceil(total / page_size))
    if page < 1:
        return 1, num_pages, True
    if page > num_pages:
        return num_pages, num_pages, True
    return page, num_pages, False


def order_facet_counts(counts: dict[str, int], selected: Iterable[str]) -> list[FacetCount]:
    """Largest first; selected values always shown, even when nothing matches them any more."""
    selected = set(selected)
    for value in selected:
        counts.setdefault(value, 0)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [FacetCount(value=v, count=n, selected=v in selected) for v, n in ordered]


class DatabaseDirectorySearch:
    """Search on the project's database; nothing to maintain beyond the DirectoryEntry rows."""

    def _base(self, include_unlisted: bool) -> QuerySet[DirectoryEntry]:
        entries = DirectoryEntry.objects.all()
        if not include_unlisted:
            entries = entries.filter(is_listed=True)
        return entries

    def _match_text(self, entries: QuerySet[DirectoryEntry], text: str):
        text = text.strip()
        if not text:
            return entries, None
        if connection.vendor == "postgresql":
            search_query = SearchQuery(text, config=TEXT_SEARCH_CONFIG, search_type="websearch")
            entries = entries.filter(search_vector=search_query)
            return entries, search_query
        for word in fold(text).split():
            entries = entries.filter(search_text__contains=word)
        return entries, None

    @staticmethod
    def _filter_facets(
        entries: QuerySet[DirectoryEntry], filters: Mapping[str, tuple[str, ...]], skip: str = ""
    ) -> QuerySet[DirectoryEntry]:
        for name, values in filters.items():
            if name == skip or not values:
                continue
            entries = entries.filter(
                Exists(
                    DirectoryEntryFacet.objects.filter(
                        entry=OuterRef("pk"), name=name, value__in=values
                    )
                )
            )
        return entries

    def search(self, query: DirectoryQuery, *, include_unlisted: bool = False) -> DirectoryResults:
        matching, search_query = self._match_text(self._base(include_unlisted), query.text)
        results = self._filter_facets(matching, query.filters)

        if query.text.strip() or any(query.filters.values()):
            counts = self._facet_counts(matching, query.filters)
        else:
            # The directory's landing page, the most visited: its counts change only when an
            # entry does (indexing clears this key).
            key = unfiltered_facets_cache_key(include_unlisted)
            counts = cache.get(key)
            if counts is None:
                counts = self._facet_counts(matching, query.filters)
                cache.set(key, counts, timeout=60 * 60)
        # Every entry has exactly one "kind" facet row, so the kind counts add up to the total
        # (within the chosen kinds when some are chosen): no separate COUNT query.
        chosen_kinds = query.filters.get("kind")
        total = sum(
            count
            for kind, count in counts.get("kind", {}).items()
            if not chosen_kinds or kind in chosen_kinds
        )
        page, num_pages, out_of_range = clamp_page(query.page, total, query.page_size)
        if query.sort == "name":
            results = results.order_by("title_search", "pk")
        elif query.sort == "verified":
            results = results.order_by(F("last_verified_at").desc(nulls_last=True), "title_search")
        elif search_query is not None:
            results = results.annotate(rank=SearchRank(F("search_vector"), search_query)).order_by(
                "-rank", "title_search", "pk"
            )
        else:
            results = results.order_by("title_search", "pk")
        start = (page - 1) * query.page_size
        entries = list(
            results.select_related("commune", "departement", "region").defer(
                # Large columns the result list never shows.
                "search_text",
                "search_vector",
            )[start : start + query.page_size]
        )

        facets = {
            name: order_facet_counts(counts.get(name, {}), query.filters.get(name, ()))
            for name in FACETS
        }
        return DirectoryResults(
            entries=entries,
            total=total,
            page=page,
            num_pages=num_pages,
            facets=facets,
            page_out_of_range=out_of_range,
        )

    @staticmethod
    def _facet_counts(
        matching: QuerySet[DirectoryEntry], filters: Mapping[str, tuple[str, ...]]
    ) -> dict[str, dict[str, int]]:
        """Every facet's counts in one statement.

        The matching entries carry one flag per active filter; a facet row counts when its
        entry passes every filter but the one of its own facet. (One GROUP BY per facet was
        measured three times slower on 10,000 entries: each re-ran the text match.)
        """
        active = [name for name in FACETS if filters.get(name)]
        table = DirectoryEntryFacet._meta.db_table
        # Only fixed facet names and ORM-built SQL are interpolated; every value is a parameter.
        if len(active) >= 2:
            # An entry failing two filters counts for no facet: the candidates come straight
            # from the facet index, each with its flags (measured 3x faster than testing every
            # matching entry when no text narrows the search).
            entries_sql, entries_params = matching.values("pk").order_by().query.sql_with_params()
            tests, test_params = [], []
            for name in active:
                placeholders = ", ".join(["%s"] * len(filters[name]))
                tests.append(f"(name = %s AND value IN ({placeholders}))")
                test_params += [name, *filters[name]]
            flag_columns = ", ".join(
                f"MAX(CASE WHEN {test} THEN 1 ELSE 0 END) AS f_{name}"
                for name, test in zip(active, tests, strict=True)
            )
            passed = " + ".join(f"MAX(CASE WHEN {test} THEN 1 ELSE 0 END)" for test in tests)
            conditions = " AND ".join(f"(f.name = %s OR m.f_{name} = 1)" for name in active)
            sql = (
                f"WITH m AS (SELECT entry_id AS id, {flag_columns} FROM {table} "  # noqa: S608
                f"WHERE ({' OR '.join(tests)}) AND entry_id IN ({entries_sql}) "
                f"GROUP BY entry_id HAVING {passed} >= %s) "
                f"SELECT f.name, f.value, COUNT(*) FROM {table} f "
                f"JOIN m ON m.id = f.entry_id WHERE {conditions} GROUP BY f.name, f.value"
            )
            params = [
                *test_params,
                *test_params,
                *entries_params,
                *test_params,
                len(active) - 1,
                *active,
            ]
        else:
            flags = {
                f"f_{name}": Exists(
                    DirectoryEntryFacet.objects.filter(
                        entry=OuterRef("pk"), name=name, value__in=filters[name]
                    )
                )
                for name in active
            }
            entries_sql, entries_params = (
                matching.annotate(**flags).values("pk", *flags).order_by().query.sql_with_params()
            )
            columns = ", ".join(["id", *flags])
            conditions = " AND ".join(f"(f.name = %s OR m.f_{name})" for name in active)
            sql = (
                f"WITH m({columns}) AS ({entries_sql}) "  # noqa: S608
                f"SELECT f.name, f.value, COUNT(*) FROM {table} f "
                f"JOIN m ON m.id = f.entry_id WHERE {conditions or '1 = 1'} "
                f"GROUP BY f.name, f.value"
            )
            params = [*entries_params, *active]
        counts: dict[str, dict[str, int]] = {}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for name, value, count in cursor.fetchall():
                counts.setdefault(name, {})[value] = count
        return counts

    # The database engine reads DirectoryEntry directly: nothing else to keep current.
    def index_entries(self, entries: Iterable[DirectoryEntry]) -> None:
        return None

    def remove_entries(self, entry_ids: Iterable[int]) -> None:
        return None

    def rebuild(self) -> int:
        return DirectoryEntry.objects.count()


def get_directory_search() -> DirectorySearchEngine:
    if settings.ELASTICSEARCH_URL:
        from .search_elasticsearch import ElasticsearchDirectorySearch

        return ElasticsearchDirectorySearch.from_settings()
    return DatabaseDirectorySearch()
