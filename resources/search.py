"""Searching the library through Wagtail's search backend (the database one by default,
Elasticsearch when ``ELASTICSEARCH_URL`` is set, see settings).

Pages index a folded copy of their text and of the text inside their files
(:attr:`ResourcePage.search_text`); the query is folded the same way, so accents and case never
matter, whatever the backend's own analysis. Filters are applied with the ORM first and handed
to the backend as a list of page paths (a filter every backend understands).
"""

from dataclasses import dataclass

from wagtail.search.backends import get_search_backend

from directory.text import fold

from .models import ResourceCategoryPage, ResourcePage, ResourceType
from .selectors import resource_list_live

MAX_RESULTS = 60


@dataclass(frozen=True)
class LibraryQuery:
    text: str = ""
    category: ResourceCategoryPage | None = None
    resource_type: str = ""
    tag: str = ""

    @property
    def is_empty(self) -> bool:
        return not (fold(self.text) or self.category or self.resource_type or self.tag)


def resource_search(query: LibraryQuery) -> list[ResourcePage]:
    pages = resource_list_live()
    if query.category is not None:
        pages = pages.child_of(query.category)
    if query.resource_type in ResourceType.values:
        pages = pages.filter(resource_type=query.resource_type)
    if query.tag:
        pages = pages.filter(tags__slug=query.tag)
    folded = fold(query.text)
    if not folded:
        return list(pages.order_by("-first_published_at", "-pk")[:MAX_RESULTS])
    # Paths, not ids: a filter on a specific page type's id is its parent pointer, which
    # Wagtail's search backends drop silently; the path is unique and indexed as a filter.
    paths = list(pages.values_list("path", flat=True).distinct())
    if not paths:
        return []
    backend = get_search_backend()
    found = backend.search(folded, ResourcePage.objects.filter(path__in=paths), operator="and")
    found_ids = [page.pk for page in found[:MAX_RESULTS]]
    # Back to annotated pages, in the backend's order of relevance.
    by_id = {page.pk: page for page in resource_list_live().filter(pk__in=found_ids)}
    return [by_id[pk] for pk in found_ids if pk in by_id]
