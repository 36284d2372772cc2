"""Site search goes through Wagtail's search interface: the database backend by default,
Elasticsearch when ELASTICSEARCH_URL is set.

No Elasticsearch server can run on this machine, so the Elasticsearch path is tested as far as
it goes without one: the backend is built from the same settings the project uses, and the
queries and index settings it would send are checked.
"""

import importlib
import os

import pytest
from wagtail.search.backends import get_search_backend

from comptoir.models import HomePage, StandardPage


@pytest.mark.django_db
def test_database_backend_finds_public_pages(home_page):
    backend = get_search_backend()

    results = list(backend.search("déclaration accessibilité", StandardPage))

    assert [page.slug for page in results] == ["accessibilite"]


@pytest.fixture
def elasticsearch_settings(monkeypatch):
    monkeypatch.setenv("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
    import comptoir.settings.base as base

    reloaded = importlib.reload(base)
    yield reloaded.WAGTAILSEARCH_BACKENDS["default"]
    monkeypatch.delenv("ELASTICSEARCH_URL")
    importlib.reload(base)
    assert "ELASTICSEARCH_URL" not in os.environ


def test_elasticsearch_backend_is_built_from_the_project_settings(elasticsearch_settings):
    backend = get_search_backend("default", **elasticsearch_settings)

    assert type(backend).__name__ == "Elasticsearch8SearchBackend"
    assert backend.get_index_for_model(HomePage).name == "comptoir_wagtailcore_page"
    analyzer = backend.settings["settings"]["analysis"]["analyzer"]["default"]
    assert "asciifolding" in analyzer["filter"]
    assert "lowercase" in analyzer["filter"]
    # Wagtail's own analyzers (autocomplete) are kept beside ours.
    assert "edgengram_analyzer" in backend.settings["settings"]["analysis"]["analyzer"]


@pytest.mark.django_db
def test_elasticsearch_query_is_the_same_call_as_the_database_one(elasticsearch_settings):
    backend = get_search_backend("default", **elasticsearch_settings)

    query = backend.search("dernier café", HomePage).query_compiler.get_query()

    assert query["bool"]["must"]["multi_match"]["query"] == "dernier café"
    assert query["bool"]["filter"] == {"match": {"_django_content_type": "comptoir.HomePage"}}


def test_elasticsearch_mapping_indexes_the_page_text(elasticsearch_settings):
    backend = get_search_backend("default", **elasticsearch_settings)

    properties = backend.mapping_class(HomePage).get_mapping()["properties"]

    assert "comptoir_homepage__intro" in properties
    assert properties["title"]["type"] == "text"
