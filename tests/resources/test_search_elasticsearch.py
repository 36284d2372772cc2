"""The library's search on Wagtail's Elasticsearch 8 backend, checked offline.

No Elasticsearch server runs here: these tests check the request body the backend would send
(folded text, every filter as page paths) and that hits come back as pages in the backend's order.
Whether Elasticsearch itself ranks them well needs a real cluster.
"""

import pytest
from modelsearch.backends.elasticsearch8 import Elasticsearch8SearchResults

from resources.search import LibraryQuery, resource_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def elasticsearch(settings, monkeypatch):
    sent = []

    def fake_search(self, body, **params):
        sent.append({"body": body, **params})
        return {"hits": {"hits": [{"fields": {"pk": [str(pk)]}, "_score": 1.0} for pk in hits]}}

    hits: list[int] = []
    monkeypatch.setattr(Elasticsearch8SearchResults, "_backend_do_search", fake_search)

    def switch():
        settings.WAGTAILSEARCH_BACKENDS = {
            "default": {
                "BACKEND": "wagtail.search.backends.elasticsearch8",
                "URLS": ["http://127.0.0.1:9"],
                "INDEX_PREFIX": "test_",
            }
        }

    return sent, hits, switch


def test_query_is_folded_and_filters_become_paths(resource_factory, elasticsearch):
    sent, hits, switch = elasticsearch
    wanted = resource_factory(title="Plan de trésorerie", resource_type="spreadsheet")
    other = resource_factory(title="Liste HACCP", resource_type="checklist")
    hits.append(wanted.pk)
    switch()  # after the pages are saved: indexing would try to reach the server

    results = resource_search(LibraryQuery(text="TRÉSORERIE", resource_type="spreadsheet"))

    assert [page.title for page in results] == ["Plan de trésorerie"]
    body = str(sent[0]["body"])
    assert "tresorerie" in body and "TRÉSORERIE" not in body
    assert wanted.path in body and other.path not in body
    assert "resources.ResourcePage" in body  # only resource pages of the shared page index
