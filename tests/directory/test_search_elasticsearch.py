"""The Elasticsearch engine of the directory search, tested offline.

No live Elasticsearch is queried here: there is no server in the test environment. These tests
check what can be checked without one: the index definition (French analysis chain, keyword
facet fields, the sort field), the request bodies the engine sends, the documents built from
DirectoryEntry rows, the conversion of canned ES 8 responses into DirectoryResults, and the bulk
actions of indexing, removal and rebuild, all against a fake client. Whether Elasticsearch really
analyses "Saint-Étienne" as "saint etienne", or returns the expected hits, is *not* tested here;
that needs a run against a real cluster.
"""

import datetime
import socket
from typing import Any

import elastic_transport
import pytest
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
from elasticsearch import BadRequestError, Elasticsearch, helpers

from directory.models import (
    Commune,
    Departement,
    DirectoryEntry,
    DirectoryEntryFacet,
    EntryKind,
    PopulationBand,
    Region,
)
from directory.search import (
    FACETS,
    DatabaseDirectorySearch,
    DirectoryQuery,
    DirectoryResults,
    FacetCount,
    get_directory_search,
)
from directory.search_elasticsearch import (
    DirectoryEntryDocument,
    ElasticsearchDirectorySearch,
    build_faceted_search,
    build_search_body,
    entry_to_document,
    index_definition,
    index_name,
    results_from_response,
)

# --- Fakes and helpers --------------------------------------------------------------------------


class FakeIndices:
    def __init__(self, client: "FakeClient", exists: bool) -> None:
        self.client = client
        self._exists = exists

    def exists(self, *, index: str) -> bool:
        self.client.calls.append(("indices.exists", index, {}))
        return self._exists

    def create(self, *, index: str, **body: Any) -> dict:
        self.client.calls.append(("indices.create", index, body))
        if self.client.create_error is not None:
            raise self.client.create_error
        return {"acknowledged": True}

    def delete(self, *, index: str) -> dict:
        self.client.calls.append(("indices.delete", index, {"options": self.client.last_options}))
        return {"acknowledged": True}

    def refresh(self, *, index: str) -> dict:
        self.client.calls.append(("indices.refresh", index, {}))
        return {}


class FakeSearchResponse:
    """What Elasticsearch.search() returns: an object whose ``body`` is the decoded JSON."""

    def __init__(self, body: dict) -> None:
        self.body = body


class FakeClient:
    """Records every call; search() answers with the canned responses given, in order."""

    def __init__(
        self,
        responses: list[dict] | None = None,
        *,
        index_exists: bool = True,
        create_error: Exception | None = None,
    ) -> None:
        self.responses = list(responses or [])
        self.calls: list[tuple[str, str, dict]] = []
        self.create_error = create_error
        self.last_options: dict = {}
        self.indices = FakeIndices(self, index_exists)

    def options(self, **options: Any) -> "FakeClient":
        self.last_options = options
        return self

    def search(self, *, index: str, body: dict, **params: Any) -> FakeSearchResponse:
        self.calls.append(("search", index, body))
        return FakeSearchResponse(self.responses.pop(0))

    @property
    def searches(self) -> list[dict]:
        return [body for name, _index, body in self.calls if name == "search"]


@pytest.fixture
def captured_bulk(monkeypatch) -> list[dict]:
    """Replace elasticsearch.helpers.bulk; the list receives one record per call."""
    calls: list[dict] = []

    def fake_bulk(client, actions, *args, **kwargs):
        actions = list(actions)  # consume the generator, as the real helper does
        calls.append({"client": client, "actions": actions, "kwargs": kwargs})
        return len(actions), []

    monkeypatch.setattr(helpers, "bulk", fake_bulk)
    return calls


@pytest.fixture(autouse=True)
def index_prefix(monkeypatch) -> str:
    monkeypatch.setenv("ELASTICSEARCH_INDEX_PREFIX", "test_")
    return "test_directory"


def bucket_agg(buckets: dict[str, int]) -> dict:
    return {
        "doc_count_error_upper_bound": 0,
        "sum_other_doc_count": 0,
        "buckets": [{"key": key, "doc_count": count} for key, count in buckets.items()],
    }


def es_response(ids: list[int], total: int, facets: dict[str, dict[str, int]] | None = None):
    """A search response shaped like Elasticsearch 8's, for the faceted search's request."""
    facets = facets or {}
    return {
        "took": 4,
        "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {
            "total": {"value": total, "relation": "eq"},
            "max_score": None,
            "hits": [
                {
                    "_index": "test_directory",
                    "_id": str(pk),
                    "_score": 1.5,
                    "sort": [1.5, f"title {pk}", pk],
                }
                for pk in ids
            ],
        },
        "aggregations": {
            f"_filter_{name}": {
                "doc_count": total,
                name: bucket_agg(facets.get(name, {})),
            }
            for name in FACETS
        },
    }


def execute_canned(query: DirectoryQuery, raw: dict, include_unlisted: bool = False):
    """Run the real FacetedSearch.execute() against a fake client answering ``raw``."""
    faceted = build_faceted_search(query, include_unlisted, using=FakeClient([raw]))
    return faceted.execute()


@pytest.fixture
def places(db) -> dict[str, Any]:
    region = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes")
    ardeche = Departement.objects.create(code="07", name="Ardèche", region=region)
    loire = Departement.objects.create(code="42", name="Loire", region=region)
    privas = Commune.objects.create(
        insee_code="07186",
        name="Privas",
        departement=ardeche,
        postal_codes="07000",
        population=8000,
        population_band=PopulationBand.FROM_3500,
        search_name="privas",
    )
    saint_etienne = Commune.objects.create(
        insee_code="42218",
        name="Saint-Étienne",
        departement=loire,
        postal_codes="42000 42100",
        population=170000,
        population_band=PopulationBand.FROM_3500,
        search_name="saint etienne",
    )
    return {
        "region": region,
        "ardeche": ardeche,
        "loire": loire,
        "privas": privas,
        "se": saint_etienne,
    }


def make_entry(
    commune: Commune | None,
    *,
    kind: str = EntryKind.CAFE,
    object_id: int = 1,
    title: str = "L'Épicerie du Village",
    facets: list[tuple[str, str]] = (),
    **fields: Any,
) -> DirectoryEntry:
    entry = DirectoryEntry.objects.create(
        kind=kind,
        object_id=object_id,
        title=title,
        title_search=title.lower(),
        commune=commune,
        departement=commune.departement if commune else None,
        region=commune.departement.region if commune else None,
        population_band=commune.population_band if commune else PopulationBand.UNKNOWN,
        **fields,
    )
    DirectoryEntryFacet.objects.bulk_create(
        DirectoryEntryFacet(entry=entry, name=name, value=value) for name, value in facets
    )
    return entry


# --- Index definition ---------------------------------------------------------------------------


def test_index_name_reads_the_prefix_at_call_time(monkeypatch):
    assert index_name() == "test_directory"
    monkeypatch.setenv("ELASTICSEARCH_INDEX_PREFIX", "staging_")
    assert index_name() == "staging_directory"
    monkeypatch.delenv("ELASTICSEARCH_INDEX_PREFIX")
    assert index_name() == "comptoir_directory"


def test_french_analyser_chain():
    # Offline stand-in for the _analyze API: the chain that makes "L'Épicerie" -> "epicer"
    # and "Saint-Étienne" -> "saint", "etien" on a real server.
    analysis = index_definition()["settings"]["analysis"]
    analyser = analysis["analyzer"]["french_folded"]
    assert analyser["type"] == "custom"
    # standard splits on hyphens ("Saint-Étienne") and keeps "l'épicerie" whole for elision.
    assert analyser["tokenizer"] == "standard"
    # Elision first (it knows upper-case articles), stemming last on folded words.
    assert analyser["filter"] == ["french_elision", "lowercase", "asciifolding", "french_stemmer"]

    elision = analysis["filter"]["french_elision"]
    assert elision["type"] == "elision"
    assert elision["articles_case"] is True
    assert {"l", "d", "qu", "j", "m", "n", "s", "t", "c"} <= set(elision["articles"])
    assert analysis["filter"]["french_stemmer"] == {"type": "stemmer", "language": "light_french"}


def test_text_fields_use_the_french_analyser_and_title_has_a_folded_sort_field():
    definition = index_definition()
    properties = definition["mappings"]["properties"]
    for name in ("title", "summary", "text"):
        assert properties[name]["type"] == "text"
        assert properties[name]["analyzer"] == "french_folded"
    assert properties["title"]["fields"]["sort"] == {"type": "keyword", "normalizer": "folded_sort"}
    assert definition["settings"]["analysis"]["normalizer"]["folded_sort"] == {
        "type": "custom",
        "filter": ["lowercase", "asciifolding"],
    }


def test_facet_fields_are_keywords_and_other_fields_are_typed():
    definition = index_definition()
    properties = definition["mappings"]["properties"]
    for name in FACETS:
        assert properties[name] == {"type": "keyword"}, name
    assert properties["is_listed"] == {"type": "boolean"}
    assert properties["last_verified_at"]["type"] == "date"
    assert properties["entry_id"] == {"type": "long"}
    # Unknown fields are refused rather than mapped by guess.
    assert definition["mappings"]["dynamic"] == "strict"
    assert definition["settings"]["number_of_shards"] == 1


def test_document_class_and_index_definition_agree():
    mapping = DirectoryEntryDocument._doc_type.mapping.to_dict()
    assert mapping["properties"] == index_definition()["mappings"]["properties"]


# --- Query bodies -------------------------------------------------------------------------------


def test_empty_text_has_no_full_text_clause():
    body = build_search_body(DirectoryQuery())
    # Only the listing filter: every listed entry matches.
    assert body["query"] == {"bool": {"filter": [{"term": {"is_listed": True}}]}}
    assert "post_filter" not in body
    assert "multi_match" not in str(body)


def test_empty_text_including_unlisted_matches_everything():
    body = build_search_body(DirectoryQuery(text="   "), include_unlisted=True)
    assert body.get("query", {"match_all": {}}) == {"match_all": {}}
    assert "is_listed" not in str(body)


def test_text_and_two_facet_filters():
    query = DirectoryQuery(
        text="épicerie ardèche", filters={"kind": ("cafe",), "tag": ("pain", "relais-poste")}
    )
    body = build_search_body(query)

    assert body["query"]["bool"]["must"] == [
        {
            "multi_match": {
                "query": "épicerie ardèche",
                "fields": ["title^3", "summary", "text"],
                "type": "best_fields",
                "operator": "and",
            }
        }
    ]
    assert "fuzziness" not in str(body)
    # Listing is a query filter, so it narrows the facet counts as well as the hits.
    assert body["query"]["bool"]["filter"] == [{"term": {"is_listed": True}}]

    kind_filter = {"terms": {"kind": ["cafe"]}}
    tag_filter = {"terms": {"tag": ["pain", "relais-poste"]}}
    # The facet filters narrow the hits only (post_filter), values of one facet OR-ed.
    assert body["post_filter"] == {"bool": {"must": [kind_filter, tag_filter]}}

    aggs = body["aggs"]
    assert set(aggs) == {f"_filter_{name}" for name in FACETS}
    # Disjunctive counts: each facet's aggregation has every filter except its own.
    assert aggs["_filter_kind"]["filter"] == tag_filter
    assert aggs["_filter_tag"]["filter"] == kind_filter
    for name in ("departement", "region", "population_band", "category", "delivers_to"):
        assert aggs[f"_filter_{name}"]["filter"] == {"bool": {"must": [kind_filter, tag_filter]}}
    for name in FACETS:
        assert aggs[f"_filter_{name}"]["aggs"] == {name: {"terms": {"field": name, "size": 100}}}


def test_no_filter_aggregations_count_everything():
    body = build_search_body(DirectoryQuery(filters={"tag": ()}))
    assert "post_filter" not in body
    for name in FACETS:
        assert body["aggs"][f"_filter_{name}"]["filter"] == {"match_all": {}}


def test_unlisted_entries_are_filtered_out_unless_asked_for():
    query = DirectoryQuery(text="café")
    assert {"term": {"is_listed": True}} in build_search_body(query)["query"]["bool"]["filter"]
    body = build_search_body(query, include_unlisted=True)
    assert set(body["query"]) == {"multi_match"}
    assert "is_listed" not in str(body)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (
            "relevance",
            ["_score", {"title.sort": {"order": "asc"}}, {"entry_id": {"order": "asc"}}],
        ),
        ("name", [{"title.sort": {"order": "asc"}}, {"entry_id": {"order": "asc"}}]),
        (
            "verified",
            [
                {"last_verified_at": {"order": "desc", "missing": "_last"}},
                {"title.sort": {"order": "asc"}},
                {"entry_id": {"order": "asc"}},
            ],
        ),
    ],
)
def test_sorts(sort, expected):
    assert build_search_body(DirectoryQuery(text="café", sort=sort))["sort"] == expected


@pytest.mark.parametrize(
    ("page", "page_size", "expected_from"), [(1, 20, 0), (3, 20, 40), (2, 50, 50), (0, 20, 0)]
)
def test_pagination(page, page_size, expected_from):
    body = build_search_body(DirectoryQuery(page=page, page_size=page_size))
    assert (body["from"], body["size"]) == (expected_from, page_size)


def test_page_argument_overrides_the_query_page():
    body = build_search_body(DirectoryQuery(page=9, page_size=10), page=2)
    assert (body["from"], body["size"]) == (10, 10)


def test_only_ids_and_exact_totals_are_asked_for():
    body = build_search_body(DirectoryQuery(text="café"))
    assert body["_source"] is False
    assert body["track_total_hits"] is True
    assert "highlight" not in body


# --- Documents ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_entry_to_document(places):
    entry = make_entry(
        places["se"],
        object_id=42,
        title="L'Épicerie de Saint-Étienne",
        summary="Saint-Étienne, Épicerie, Pain",
        search_text="l epicerie de saint etienne pain relais poste loire",
        last_verified_at=datetime.date(2025, 3, 14),
        facets=[
            ("kind", "cafe"),
            ("departement", "42"),
            ("region", "84"),
            ("population_band", "3500+"),
            ("tag", "relais poste"),
            ("tag", "epicerie"),
            ("delivers_to", "07"),
            ("delivers_to", "42"),
        ],
    )
    entry = DirectoryEntry.objects.prefetch_related("facets").get(pk=entry.pk)

    document = entry_to_document(entry)

    assert document == {
        "entry_id": entry.pk,
        "object_id": 42,
        "title": "L'Épicerie de Saint-Étienne",
        "summary": "Saint-Étienne, Épicerie, Pain",
        "text": "L'Épicerie de Saint-Étienne Saint-Étienne, Épicerie, Pain "
        "l epicerie de saint etienne pain relais poste loire",
        "is_listed": True,
        "last_verified_at": "2025-03-14",
        "kind": ["cafe"],
        "departement": ["42"],
        "region": ["84"],
        "population_band": ["3500+"],
        "category": [],
        "delivers_to": ["07", "42"],
        "tag": ["epicerie", "relais poste"],
    }
    # The mapping is strict: every field of the document must be mapped.
    assert set(document) <= set(index_definition()["mappings"]["properties"])


@pytest.mark.django_db
def test_entry_to_document_without_commune_date_or_facets(places):
    entry = make_entry(None, kind=EntryKind.SUPPLIER, title="Brasserie", is_listed=False)
    document = entry_to_document(entry)
    assert document["last_verified_at"] is None
    assert document["is_listed"] is False
    assert document["text"] == "Brasserie"
    assert all(document[name] == [] for name in FACETS)


# --- Responses ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_results_from_response(places):
    first = make_entry(places["privas"], object_id=1, title="Le Bistrot")
    make_entry(places["se"], object_id=2, title="Au Comptoir")  # in the DB, not on this page
    third = make_entry(places["se"], object_id=3, title="Zinc")
    gone = third.pk + 100  # indexed, then deleted from the database
    query = DirectoryQuery(text="cafe", filters={"tag": ("pain", "tabac")}, page=2, page_size=3)
    raw = es_response(
        [third.pk, gone, first.pk],
        total=6,
        facets={
            "kind": {"cafe": 5, "supplier": 1},
            "departement": {"42": 4, "07": 2},
            "tag": {"poste": 4, "pain": 3, "epicerie": 3},
        },
    )

    results = results_from_response(execute_canned(query, raw), query)

    assert isinstance(results, DirectoryResults)
    # Elasticsearch's order, not the database's; the deleted id is dropped.
    assert results.entries == [third, first]
    # Related rows come with the entries (select_related): no query per row in templates.
    assert results.entries[0].commune.name == "Saint-Étienne"
    assert results.total == 6
    assert (results.page, results.num_pages, results.page_out_of_range) == (2, 2, False)
    assert set(results.facets) == set(FACETS)
    assert results.facets["kind"] == [
        FacetCount("cafe", 5, False),
        FacetCount("supplier", 1, False),
    ]
    assert results.facets["departement"] == [FacetCount("42", 4, False), FacetCount("07", 2, False)]
    # Selected values are flagged, and shown even when no bucket came back for them.
    assert results.facets["tag"] == [
        FacetCount("poste", 4, False),
        FacetCount("epicerie", 3, False),
        FacetCount("pain", 3, True),
        FacetCount("tabac", 0, True),
    ]
    assert results.facets["category"] == []


@pytest.mark.django_db
def test_results_from_an_empty_response(places):
    query = DirectoryQuery(text="introuvable")
    results = results_from_response(execute_canned(query, es_response([], total=0)), query)
    assert results.entries == []
    assert (results.total, results.page, results.num_pages) == (0, 1, 1)
    assert results.page_out_of_range is False
    assert all(results.facets[name] == [] for name in FACETS)


# --- The engine's search, against a fake client -------------------------------------------------


@pytest.mark.django_db
def test_search_runs_once_for_a_page_in_range(places, index_prefix):
    entry = make_entry(places["privas"])
    client = FakeClient([es_response([entry.pk], total=1, facets={"kind": {"cafe": 1}})])
    engine = ElasticsearchDirectorySearch(client)

    results = engine.search(DirectoryQuery(text="épicerie"))

    assert [name for name, _index, _body in client.calls] == ["search"]
    assert client.calls[0][1] == [index_prefix]
    assert results.entries == [entry]
    assert results.facets["kind"] == [FacetCount("cafe", 1, False)]
    assert {"term": {"is_listed": True}} in client.searches[0]["query"]["bool"]["filter"]


@pytest.mark.django_db
def test_search_beyond_the_last_page_runs_again_for_the_last_page(places):
    entry = make_entry(places["privas"])
    client = FakeClient([es_response([], total=25), es_response([entry.pk], total=25)])
    engine = ElasticsearchDirectorySearch(client)

    results = engine.search(DirectoryQuery(page=7, page_size=10), include_unlisted=True)

    first, second = client.searches
    assert (first["from"], first["size"]) == (60, 10)
    assert (second["from"], second["size"]) == (20, 10)
    assert "is_listed" not in str(second)
    assert (results.page, results.num_pages, results.page_out_of_range) == (3, 3, True)
    assert results.entries == [entry]
    assert results.total == 25


@pytest.mark.django_db
def test_search_never_asks_beyond_the_result_window(places):
    client = FakeClient([es_response([], total=30_000), es_response([], total=30_000)])
    engine = ElasticsearchDirectorySearch(client)

    results = engine.search(DirectoryQuery(page=100_000, page_size=20))

    # Elasticsearch refuses from + size > 10,000: the first request stays inside the window.
    first = client.searches[0]
    assert first["from"] + first["size"] <= 10_000
    assert len(client.searches) == 1  # already the last reachable page
    assert (results.page, results.num_pages, results.page_out_of_range) == (500, 500, True)
    assert results.total == 30_000


@pytest.mark.django_db
def test_search_with_a_page_below_one_shows_the_first(places):
    client = FakeClient([es_response([], total=5)])
    results = ElasticsearchDirectorySearch(client).search(DirectoryQuery(page=0))
    assert client.searches[0]["from"] == 0
    assert (results.page, results.page_out_of_range) == (1, True)


# --- Indexing, removal, rebuild -----------------------------------------------------------------


@pytest.mark.django_db
def test_index_entries(places, captured_bulk, index_prefix):
    first = make_entry(places["privas"], object_id=1, facets=[("kind", "cafe")])
    second = make_entry(places["se"], object_id=2, title="Au Comptoir")
    client = FakeClient()
    entries = DirectoryEntry.objects.filter(pk__in=[first.pk, second.pk]).prefetch_related("facets")

    ElasticsearchDirectorySearch(client).index_entries(entries.order_by("pk"))

    [call] = captured_bulk
    assert call["client"] is client
    assert [(a["_op_type"], a["_index"], a["_id"]) for a in call["actions"]] == [
        ("index", index_prefix, str(first.pk)),
        ("index", index_prefix, str(second.pk)),
    ]
    assert call["actions"][0]["_source"] == entry_to_document(first)
    assert call["actions"][0]["_source"]["kind"] == ["cafe"]
    # The index existed: checked, not recreated.
    assert [name for name, _index, _body in client.calls] == ["indices.exists"]


@pytest.mark.django_db
def test_index_entries_creates_a_missing_index_with_its_mapping(places, captured_bulk):
    entry = make_entry(places["privas"])
    client = FakeClient(index_exists=False)

    ElasticsearchDirectorySearch(client).index_entries([entry])

    assert [name for name, _index, _body in client.calls] == ["indices.exists", "indices.create"]
    assert client.calls[1][2] == index_definition()
    assert len(captured_bulk) == 1


def already_exists_error() -> BadRequestError:
    meta = ApiResponseMeta(
        status=400,
        http_version="1.1",
        headers=HttpHeaders(),
        duration=0.0,
        node=NodeConfig("http", "localhost", 9200),
    )
    return BadRequestError(
        "resource_already_exists_exception",
        meta,
        {"error": {"type": "resource_already_exists_exception"}, "status": 400},
    )


@pytest.mark.django_db
def test_index_created_meanwhile_by_another_process_is_fine(places, captured_bulk):
    entry = make_entry(places["privas"])
    client = FakeClient(index_exists=False, create_error=already_exists_error())
    ElasticsearchDirectorySearch(client).index_entries([entry])
    assert len(captured_bulk) == 1


def test_index_entries_with_nothing_sends_nothing(captured_bulk):
    client = FakeClient()
    engine = ElasticsearchDirectorySearch(client)
    engine.index_entries([])
    engine.remove_entries([])
    assert captured_bulk == []
    assert client.calls == []


def test_remove_entries(captured_bulk, index_prefix):
    client = FakeClient()

    ElasticsearchDirectorySearch(client).remove_entries([3, 5])

    [call] = captured_bulk
    assert call["actions"] == [
        {"_op_type": "delete", "_index": index_prefix, "_id": "3"},
        {"_op_type": "delete", "_index": index_prefix, "_id": "5"},
    ]
    # Already absent from the index: not an error.
    assert call["kwargs"]["ignore_status"] == (404,)


@pytest.mark.django_db
def test_rebuild(places, captured_bulk, index_prefix):
    entries = [
        make_entry(places["privas"], object_id=n, title=f"Café {n}", facets=[("kind", "cafe")])
        for n in range(1, 4)
    ]
    client = FakeClient()

    count = ElasticsearchDirectorySearch(client).rebuild()

    assert count == 3
    assert [(name, index) for name, index, _body in client.calls] == [
        ("indices.delete", index_prefix),
        ("indices.create", index_prefix),
        ("indices.refresh", index_prefix),
    ]
    assert client.calls[0][2]["options"] == {"ignore_status": 404}
    assert client.calls[1][2] == index_definition()
    [call] = captured_bulk
    assert [a["_id"] for a in call["actions"]] == [str(entry.pk) for entry in entries]
    assert {a["_op_type"] for a in call["actions"]} == {"index"}
    assert {a["_index"] for a in call["actions"]} == {index_prefix}
    assert all(a["_source"]["kind"] == ["cafe"] for a in call["actions"])


# --- Choosing the engine ------------------------------------------------------------------------


def test_get_directory_search_returns_the_elasticsearch_engine_without_connecting(
    settings, monkeypatch
):
    requests = []

    def no_request(*args, **kwargs):
        requests.append((args, kwargs))
        raise AssertionError("building the engine must not talk to Elasticsearch")

    def no_socket(*args, **kwargs):
        raise AssertionError("building the engine must not open a connection")

    monkeypatch.setattr(elastic_transport.Transport, "perform_request", no_request)
    monkeypatch.setattr(socket, "create_connection", no_socket)
    settings.ELASTICSEARCH_URL = "http://search.internal:9200"

    engine = get_directory_search()

    assert isinstance(engine, ElasticsearchDirectorySearch)
    assert isinstance(engine.client, Elasticsearch)
    [node] = engine.client.transport.node_pool.all()
    assert (node.config.host, node.config.port) == ("search.internal", 9200)
    assert engine.index_name == "test_directory"
    assert requests == []


def test_get_directory_search_without_url_uses_the_database(settings):
    settings.ELASTICSEARCH_URL = ""
    assert isinstance(get_directory_search(), DatabaseDirectorySearch)
