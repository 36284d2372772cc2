"""The contract every directory search engine keeps.

It runs against the database engine always (SQLite or PostgreSQL, whichever the suite runs on)
and against Elasticsearch as well when ELASTICSEARCH_URL is set. No Elasticsearch server exists
on the development and CI machines, so there the Elasticsearch engine is checked offline in
test_search_elasticsearch.py instead.
"""

import os

import pytest

from directory.indexing import directory_rebuild
from directory.search import DatabaseDirectorySearch, DirectoryQuery

ENGINES = ["database"] + (["elasticsearch"] if os.environ.get("ELASTICSEARCH_URL") else [])


@pytest.fixture(params=ENGINES)
def engine(request):
    if request.param == "database":
        return DatabaseDirectorySearch()
    from directory.search_elasticsearch import ElasticsearchDirectorySearch

    engine = ElasticsearchDirectorySearch.from_settings()
    request.getfixturevalue("directory_data")
    engine.rebuild()
    return engine


@pytest.fixture
def directory_data(cafe_factory, supplier_factory, professional_factory, member_factory):
    cafe_factory(name="Le Comptoir de Sulignat", services=["Épicerie", "Dépôt de pain"])
    cafe_factory(name="Café de la Place", commune="Pérouges", services=["Restauration"])
    cafe_factory(name="Bar des Sports", commune="Saint-Étienne-le-Molard", services=["PMU"])
    cafe_factory(name="Le Lavoir", commune="Lagrasse", services=["Épicerie", "Animations"])
    cafe_factory(name="Café fermé", commune="Lagrasse", is_active=False)
    supplier_factory(name="Brasserie de la Dombes", categories=["drinks"], delivers=["01", "42"])
    supplier_factory(
        name="Coopérative du Lot",
        commune="Saint-Cirq-Lapopie",
        categories=["local_products", "grocery"],
        delivers=["46", "11"],
    )
    supplier_factory(
        name="Proposition en attente",
        categories=["drinks"],
        delivers=["01"],
        actor=member_factory(),
    )
    professional_factory(name="Hygiène Sud", skills=["hygiène"], serves=["11", "46"])
    directory_rebuild()


def titles(results) -> list[str]:
    return [entry.title for entry in results.entries]


@pytest.mark.django_db
def test_accents_and_case_do_not_matter(engine, directory_data):
    # Two cafés with a grocery corner, and the supplier whose category is "Épicerie" (category
    # names are indexed in French, the language members search in).
    assert set(titles(engine.search(DirectoryQuery(text="epicerie")))) == {
        "Le Comptoir de Sulignat",
        "Le Lavoir",
        "Coopérative du Lot",
    }
    # The village name finds who is there: the café and the brewery based in Sulignat.
    assert set(titles(engine.search(DirectoryQuery(text="SULIGNAT")))) == {
        "Le Comptoir de Sulignat",
        "Brasserie de la Dombes",
    }
    assert "Bar des Sports" in titles(engine.search(DirectoryQuery(text="saint etienne")))


@pytest.mark.django_db
def test_every_word_must_match(engine, directory_data):
    assert titles(engine.search(DirectoryQuery(text="épicerie lagrasse"))) == ["Le Lavoir"]


@pytest.mark.django_db
def test_empty_query_lists_everything_listed_by_name(engine, directory_data):
    results = engine.search(DirectoryQuery(sort="name", page_size=50))

    assert results.total == 7
    assert "Café fermé" not in titles(results)
    assert "Proposition en attente" not in titles(results)
    assert titles(results) == sorted(titles(results), key=lambda t: t.lower())


@pytest.mark.django_db
def test_staff_also_see_unlisted_entries(engine, directory_data):
    results = engine.search(DirectoryQuery(page_size=50), include_unlisted=True)

    assert {"Café fermé", "Proposition en attente"} <= set(titles(results))


@pytest.mark.django_db
def test_filters_combine_and_facet_counts_stay_disjunctive(engine, directory_data):
    results = engine.search(DirectoryQuery(filters={"kind": ("supplier",), "delivers_to": ("01",)}))

    assert titles(results) == ["Brasserie de la Dombes"]
    kinds = {count.value: count.count for count in results.facets["kind"]}
    # Other types stay countable: what choosing them would give with the other filters.
    assert kinds == {"supplier": 1}
    delivers = {count.value: count.count for count in results.facets["delivers_to"]}
    assert delivers["01"] == 1
    assert delivers["46"] == 1  # the Lot cooperative, if "46" were chosen instead
    assert next(c for c in results.facets["kind"] if c.value == "supplier").selected


@pytest.mark.django_db
def test_values_of_one_facet_are_alternatives(engine, directory_data):
    results = engine.search(DirectoryQuery(filters={"departement": ("11", "46")}))

    assert set(titles(results)) == {"Le Lavoir", "Coopérative du Lot", "Hygiène Sud"}


@pytest.mark.django_db
def test_region_population_band_and_category_facets(engine, directory_data):
    occitanie = engine.search(DirectoryQuery(filters={"region": ("76",)}))
    small = engine.search(DirectoryQuery(filters={"population_band": ("0-499",)}))
    grocery = engine.search(DirectoryQuery(filters={"category": ("grocery",)}))

    assert set(titles(occitanie)) == {"Le Lavoir", "Coopérative du Lot", "Hygiène Sud"}
    assert titles(small) == ["Coopérative du Lot"]
    assert titles(grocery) == ["Coopérative du Lot"]
    bands = {count.value: count.count for count in occitanie.facets["population_band"]}
    assert bands == {"500-999": 2, "0-499": 1}


@pytest.mark.django_db
def test_tags_facet_uses_the_services_and_skills(engine, directory_data):
    results = engine.search(DirectoryQuery(filters={"tag": ("Épicerie", "hygiène")}))

    assert set(titles(results)) == {"Le Comptoir de Sulignat", "Le Lavoir", "Hygiène Sud"}
    tags = {count.value for count in engine.search(DirectoryQuery()).facets["tag"]}
    assert {"Épicerie", "hygiène", "Restauration"} <= tags


@pytest.mark.django_db
def test_pages_and_pages_out_of_range(engine, directory_data):
    first = engine.search(DirectoryQuery(sort="name", page_size=3))
    last = engine.search(DirectoryQuery(sort="name", page_size=3, page=3))
    beyond = engine.search(DirectoryQuery(sort="name", page_size=3, page=40))

    assert (first.total, first.num_pages, len(first.entries)) == (7, 3, 3)
    assert len(last.entries) == 1
    assert beyond.page == 3 and beyond.page_out_of_range
    assert titles(beyond) == titles(last)
    assert not set(titles(first)) & set(titles(last))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE directory_directoryentry; --",
        "<script>alert(1)</script>",
        "a" * 5000,
        '"unbalanced quote',
        "zzz & | ! ( :* <-> zzz",
    ],
)
def test_hostile_text_finds_nothing_and_breaks_nothing(engine, directory_data, text):
    results = engine.search(DirectoryQuery(text=text))

    assert results.total == 0
    assert engine.search(DirectoryQuery()).total == 7


@pytest.mark.django_db
def test_unknown_filter_values_find_nothing(engine, directory_data):
    results = engine.search(DirectoryQuery(filters={"departement": ("99",)}))

    assert results.total == 0
    assert [count.value for count in results.facets["departement"] if count.selected] == ["99"]


def test_a_query_refuses_unknown_facets_and_sorts():
    with pytest.raises(ValueError):
        DirectoryQuery(filters={"colour": ("red",)})
    with pytest.raises(ValueError):
        DirectoryQuery(sort="random")


@pytest.mark.django_db
def test_with_three_filters_each_count_leaves_out_only_its_own(engine, directory_data):
    results = engine.search(
        DirectoryQuery(
            filters={"kind": ("supplier",), "delivers_to": ("01",), "category": ("grocery",)}
        )
    )

    def counts(name):
        return {c.value: c.count for c in results.facets[name] if c.count}

    assert results.total == 0
    assert counts("category") == {"drinks": 1}  # suppliers delivering to the Ain
    assert counts("delivers_to") == {"46": 1, "11": 1}  # grocery suppliers, wherever they go
    assert counts("kind") == {}  # nothing delivers to the Ain and sells groceries
    assert counts("region") == {}
