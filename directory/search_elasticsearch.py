"""The directory search on Elasticsearch, behind the same interface as the database engine.

:func:`directory.search.get_directory_search` returns :class:`ElasticsearchDirectorySearch` when
``ELASTICSEARCH_URL`` is set. It takes the same :class:`~directory.search.DirectoryQuery` and
gives back the same :class:`~directory.search.DirectoryResults`: one page of
:class:`~directory.models.DirectoryEntry` objects read from the database in Elasticsearch's order,
the total and the disjunctive facet counts.

The index holds one document per DirectoryEntry (``_id`` is the entry's primary key). Its text
fields share a French analyser (elision of l', d', qu'..., lower case, accents folded,
light French stemming) so that "epicerie" finds "Épicerie" and "saint etienne" finds
"Saint-Étienne". Facet fields are keywords filled from the entry's DirectoryEntryFacet rows, the
same rows the database engine counts, so both engines agree on filters and counts.

The pure parts (:func:`index_definition`, :func:`entry_to_document`,
:func:`build_faceted_search`, :func:`build_search_body`, :func:`results_from_response`) need no
server and are tested offline.
"""

import os
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from elasticsearch import BadRequestError, Elasticsearch, helpers
from elasticsearch_dsl import (
    Boolean,
    Date,
    Document,
    FacetedSearch,
    Index,
    Keyword,
    Long,
    MetaField,
    Search,
    TermsFacet,
    Text,
    analyzer,
    normalizer,
    token_filter,
)
from elasticsearch_dsl.response import Response

from .models import DirectoryEntry
from .search import (
    FACETS,
    DirectoryQuery,
    DirectoryResults,
    clamp_page,
    order_facet_counts,
)

DEFAULT_INDEX_PREFIX = "comptoir_"
# More values than the search page ever lists for one facet (about 100 départements, a few
# dozen tags in use); the counts are exact because the index has a single shard.
FACET_SIZE = 100
# Elasticsearch refuses from + size beyond index.max_result_window (10,000 by default).
MAX_RESULT_WINDOW = 10_000
BATCH_SIZE = 500
# Same timeout as the Wagtail search backend (comptoir/settings/base.py).
REQUEST_TIMEOUT = 5

# --- Analysis -----------------------------------------------------------------------------------

FRENCH_ELISION = token_filter(
    "french_elision",
    type="elision",
    # "L'Épicerie" as well as "l'épicerie": the filter runs before lowercase.
    articles_case=True,
    articles=["l", "d", "j", "m", "n", "s", "t", "qu", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
FRENCH_STEMMER = token_filter("french_stemmer", type="stemmer", language="light_french")
FRENCH_FOLDED = analyzer(
    "french_folded",
    # The standard tokenizer splits "Saint-Étienne" into two words and keeps "l'épicerie"
    # whole for the elision filter.
    tokenizer="standard",
    filter=[FRENCH_ELISION, "lowercase", "asciifolding", FRENCH_STEMMER],
)
# Sorting by name ignores case and accents, as the database engine's title_search does.
FOLDED_SORT = normalizer("folded_sort", filter=["lowercase", "asciifolding"])


class DirectoryEntryDocument(Document):
    """Mapping of the directory index; documents are built by :func:`entry_to_document`."""

    entry_id = Long()  # the DirectoryEntry pk again, as a sortable tie-breaker (_id is not)
    object_id = Long()
    title = Text(analyzer=FRENCH_FOLDED, fields={"sort": Keyword(normalizer=FOLDED_SORT)})
    summary = Text(analyzer=FRENCH_FOLDED)
    # Title, summary and search words together, so that every word of a query ("boulangerie
    # ardeche") can be found in one field even when they come from different parts.
    text = Text(analyzer=FRENCH_FOLDED)
    is_listed = Boolean()
    last_verified_at = Date(format="strict_date")
    # One keyword per facet of directory.search.FACETS; all multi-valued lists.
    kind = Keyword()
    departement = Keyword()
    region = Keyword()
    population_band = Keyword()
    category = Keyword()
    delivers_to = Keyword()
    tag = Keyword()

    class Meta:
        # A field missing here would be mapped by guess (text with no French analysis):
        # refuse it instead.
        dynamic = MetaField("strict")


def index_name() -> str:
    """Read at call time, so that tests and deployments can change the prefix."""
    prefix = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", DEFAULT_INDEX_PREFIX)
    return f"{prefix}directory"


def index_definition() -> dict[str, Any]:
    """Settings (with the analysis chain) and mappings, as sent to the create-index API."""
    index = Index(index_name())
    # One shard: a directory of a few thousand entries, and exact terms counts and scores.
    index.settings(number_of_shards=1)
    index.document(DirectoryEntryDocument)
    return index.to_dict()


# --- Documents ----------------------------------------------------------------------------------


def entry_to_document(entry: DirectoryEntry) -> dict[str, Any]:
    """The indexed fields of one entry; ``entry.facets`` should be prefetched."""
    facets: dict[str, set[str]] = {name: set() for name in FACETS}
    for facet in entry.facets.all():
        if facet.name in facets:
            facets[facet.name].add(facet.value)
    text = " ".join(part for part in (entry.title, entry.summary, entry.search_text) if part)
    return {
        "entry_id": entry.pk,
        "object_id": entry.object_id,
        "title": entry.title,
        "summary": entry.summary,
        "text": text,
        "is_listed": entry.is_listed,
        "last_verified_at": (
            entry.last_verified_at.isoformat() if entry.last_verified_at else None
        ),
        **{name: sorted(values) for name, values in facets.items()},
    }


def _index_actions(name: str, entries: Iterable[DirectoryEntry]) -> Iterator[dict[str, Any]]:
    for entry in entries:
        yield {
            "_op_type": "index",
            "_index": name,
            "_id": str(entry.pk),
            "_source": entry_to_document(entry),
        }


# --- Queries ------------------------------------------------------------------------------------

SORT_ORDERS: dict[str, list[Any]] = {
    "relevance": ["_score", {"title.sort": {"order": "asc"}}, {"entry_id": {"order": "asc"}}],
    "name": [{"title.sort": {"order": "asc"}}, {"entry_id": {"order": "asc"}}],
    "verified": [
        {"last_verified_at": {"order": "desc", "missing": "_last"}},
        {"title.sort": {"order": "asc"}},
        {"entry_id": {"order": "asc"}},
    ],
}
TEXT_FIELDS = ("title^3", "summary", "text")


class DirectoryFacetedSearch(FacetedSearch):
    """Free text, one terms facet per directory facet, post_filter for the selected values.

    FacetedSearch puts the facet filters in ``post_filter`` and gives each facet's aggregation
    every filter but its own: the disjunctive counts of the database engine.
    """

    fields = TEXT_FIELDS

    def __init__(
        self,
        query: DirectoryQuery,
        *,
        include_unlisted: bool = False,
        index: str | None = None,
        using: Any = "default",
    ) -> None:
        # Instance attributes: the index name is read at call time, the client is injected.
        self.index = index or index_name()
        self.using = using
        self.facets = {name: TermsFacet(field=name, size=FACET_SIZE) for name in FACETS}
        self._include_unlisted = include_unlisted
        filters = {name: list(values) for name, values in query.filters.items() if values}
        super().__init__(query.text.strip() or None, filters, SORT_ORDERS[query.sort])

    def search(self) -> Search:
        # The entries are read from the database: no _source to transfer. Exact totals, even
        # past 10,000, for the page count.
        search = super().search().source(False).extra(track_total_hits=True)
        if not self._include_unlisted:
            # In the query, not the post_filter: unlisted entries must not be counted either.
            search = search.filter("term", is_listed=True)
        return search

    def query(self, search: Search, query: str) -> Search:
        # Every word must match, as on the database engine. No fuzziness: it would let "pain"
        # find "bain" or "main"; accents and case are the analyser's business.
        return search.query(
            "multi_match", query=query, fields=list(self.fields), type="best_fields", operator="and"
        )

    def highlight(self, search: Search) -> Search:
        # The page shows the database's title and summary; highlights would go unused.
        return search


def _reachable_pages(page_size: int) -> int:
    return max(1, MAX_RESULT_WINDOW // page_size)


def build_faceted_search(
    query: DirectoryQuery,
    include_unlisted: bool = False,
    *,
    page: int | None = None,
    index: str | None = None,
    using: Any = "default",
) -> DirectoryFacetedSearch:
    """The search for one page (``query.page`` unless ``page`` is given), not yet executed."""
    page = max(1, query.page if page is None else page)
    start = (page - 1) * query.page_size
    faceted = DirectoryFacetedSearch(
        query, include_unlisted=include_unlisted, index=index, using=using
    )
    return faceted[start : start + query.page_size]


def build_search_body(
    query: DirectoryQuery, include_unlisted: bool = False, *, page: int | None = None
) -> dict[str, Any]:
    """The request body that :func:`build_faceted_search` sends, for reading and testing."""
    return build_faceted_search(query, include_unlisted, page=page)._s.to_dict()


def _total(response: Response) -> int:
    return int(response.hits.total.value)


def _page_of(response: Response, query: DirectoryQuery) -> tuple[int, int, bool]:
    # Pages beyond Elasticsearch's result window cannot be fetched: count only the reachable
    # ones (a directory of more than 10,000 matching entries is far off).
    reachable = min(_total(response), _reachable_pages(query.page_size) * query.page_size)
    return clamp_page(query.page, reachable, query.page_size)


def results_from_response(response: Response, query: DirectoryQuery) -> DirectoryResults:
    """DirectoryResults from an executed :class:`DirectoryFacetedSearch`.

    The response must hold the page that :func:`clamp_page` picks for ``query`` (what
    :meth:`ElasticsearchDirectorySearch.search` runs). Entries come from the database, in the
    order of the hits; an id deleted since it was indexed is dropped.
    """
    page, num_pages, out_of_range = _page_of(response, query)
    ids = [int(hit.meta.id) for hit in response.hits]
    found = DirectoryEntry.objects.select_related("commune", "departement", "region").in_bulk(ids)
    entries = [found[pk] for pk in ids if pk in found]
    facets = {}
    for name in FACETS:
        counts = {str(value): count for value, count, _selected in response.facets[name]}
        facets[name] = order_facet_counts(counts, query.filters.get(name, ()))
    return DirectoryResults(
        entries=entries,
        total=_total(response),
        page=page,
        num_pages=num_pages,
        facets=facets,
        page_out_of_range=out_of_range,
    )


# --- The engine ---------------------------------------------------------------------------------


class ElasticsearchDirectorySearch:
    """Directory search on Elasticsearch; same inputs and outputs as DatabaseDirectorySearch."""

    def __init__(self, client: Elasticsearch, index: str | None = None) -> None:
        self.client = client
        self._index = index

    @classmethod
    def from_settings(cls) -> "ElasticsearchDirectorySearch":
        # The client connects lazily, on its first request: building the engine (on every
        # get_directory_search() call) costs no round trip.
        return cls(Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=REQUEST_TIMEOUT))

    @property
    def index_name(self) -> str:
        return self._index or index_name()

    def _execute(self, query: DirectoryQuery, include_unlisted: bool, page: int) -> Response:
        faceted = build_faceted_search(
            query, include_unlisted, page=page, index=self.index_name, using=self.client
        )
        return faceted.execute()

    def search(self, query: DirectoryQuery, *, include_unlisted: bool = False) -> DirectoryResults:
        # The total is only known once the query has run: ask for the requested page (within
        # the result window), and ask again for the last page if that one was beyond it.
        asked = min(max(query.page, 1), _reachable_pages(query.page_size))
        response = self._execute(query, include_unlisted, asked)
        page, _num_pages, _out_of_range = _page_of(response, query)
        if page != asked:
            response = self._execute(query, include_unlisted, page)
        return results_from_response(response, query)

    def _ensure_index(self) -> None:
        # Indexing into a missing index would create it with guessed mappings (no French
        # analysis, no title.sort): create it properly first.
        name = self.index_name
        if self.client.indices.exists(index=name):
            return
        try:
            self.client.indices.create(index=name, **index_definition())
        except BadRequestError as error:
            if error.error != "resource_already_exists_exception":  # created meanwhile
                raise

    def index_entries(self, entries: Iterable[DirectoryEntry]) -> None:
        actions = list(_index_actions(self.index_name, entries))
        if not actions:
            return
        self._ensure_index()
        helpers.bulk(self.client, actions)

    def remove_entries(self, entry_ids: Iterable[int]) -> None:
        name = self.index_name
        actions = [{"_op_type": "delete", "_index": name, "_id": str(pk)} for pk in entry_ids]
        if not actions:
            return
        # An entry that never reached the index (or is already gone) is not an error.
        helpers.bulk(self.client, actions, ignore_status=(404,))

    def rebuild(self) -> int:
        """Recreate the index with the current mapping and index every entry; returns the count.

        Searches fail between the delete and the end of the indexing; the directory is small
        enough for this to last seconds.
        """
        name = self.index_name
        self.client.options(ignore_status=404).indices.delete(index=name)
        self.client.indices.create(index=name, **index_definition())
        entries = (
            DirectoryEntry.objects.order_by("pk")
            .prefetch_related("facets")
            .iterator(chunk_size=BATCH_SIZE)
        )
        indexed, _errors = helpers.bulk(
            self.client, _index_actions(name, entries), chunk_size=BATCH_SIZE
        )
        # Searchable right away rather than after the next refresh interval.
        self.client.indices.refresh(index=name)
        return indexed
