"""Find the site's forms the way a visitor does: follow links, read the HTML.

Used by tests/comptoir/test_form_fuzz.py. Each visitor (a Django test ``Client``, signed in or
not) follows every link of the site from its starting pages, breadth first, at most a few pages
per route, and every ``<form method="post">`` of the pages reached is kept with its action, its
fields (name, type, options, required, maxlength, min/max) and the route of the page it was on.

Left out, as in tests/browser/test_accessibility.py: Wagtail's admin under /cms/ (its own
forms, tested by its authors), the sign-out and language links, and files.
"""

from __future__ import annotations

import functools
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

SKIPPED_PREFIXES = ("/cms/", "/compte/logout/", "/i18n/", "/static/", "/media/", "/documents/")
FILE_SUFFIXES = (".ics", ".pdf", ".csv", ".xlsx", ".ods", ".odt", ".docx", ".png", ".jpg")
PER_ROUTE = 2
PER_VISITOR = 160


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""
    required: bool = False
    multiple: bool = False
    checked: bool = False
    maxlength: int | None = None
    minimum: str | None = None
    maximum: str | None = None
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str  # path (and query) the form posts to
    page: str  # the page it was found on
    enctype: str = ""
    fields: list[Field] = field(default_factory=list)

    @property
    def route(self) -> str:
        return route_name(urlsplit(self.action).path) or self.action

    @property
    def signature(self) -> tuple:
        return (self.route, tuple(sorted({f.name for f in self.fields})))


@functools.lru_cache(maxsize=4096)
def route_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


class _PageParser(HTMLParser):
    """Links and post forms of one page."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._option_value: str | None = None
        self._option_text: list[str] = []
        # Inputs outside their form but tied to it with form="id".
        self._by_id: dict[str, Form] = {}
        self._orphans: list[tuple[str, Field]] = []

    def _add(self, attrs: dict, item: Field) -> None:
        owner = attrs.get("form")
        if owner:
            self._orphans.append((owner, item))
        elif self._form is not None:
            self._form.fields.append(item)

    def handle_starttag(self, tag, attrs):
        attrs = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "a" and attrs.get("href"):
            self.links.append(urljoin(self.url, attrs["href"]))
        elif tag == "form":
            if attrs.get("method", "get").lower() == "post":
                action = urljoin(self.url, attrs.get("action") or self.url)
                self._form = Form(action=action, page=self.url, enctype=attrs.get("enctype", ""))
                self.forms.append(self._form)
                if attrs.get("id"):
                    self._by_id[attrs["id"]] = self._form
            else:
                self._form = None
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text").lower()
            self._add(
                attrs,
                Field(
                    name=attrs["name"],
                    kind=kind,
                    value=attrs.get("value", ""),
                    required="required" in attrs,
                    checked="checked" in attrs,
                    maxlength=_int_or_none(attrs.get("maxlength")),
                    minimum=attrs.get("min"),
                    maximum=attrs.get("max"),
                    multiple="multiple" in attrs,
                ),
            )
        elif tag in ("button",) and attrs.get("name") and attrs.get("type", "submit") == "submit":
            self._add(attrs, Field(name=attrs["name"], kind="submit", value=attrs.get("value", "")))
        elif tag == "select" and attrs.get("name"):
            self._select = Field(
                name=attrs["name"],
                kind="select",
                required="required" in attrs,
                multiple="multiple" in attrs,
            )
            self._add(attrs, self._select)
        elif tag == "option" and self._select is not None:
            self._option_value = attrs.get("value")
            self._option_text = []
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = Field(
                name=attrs["name"],
                kind="textarea",
                required="required" in attrs,
                maxlength=_int_or_none(attrs.get("maxlength")),
            )
            self._add(attrs, self._textarea)

    def handle_data(self, data):
        if self._select is not None and self._option_value is None:
            self._option_text.append(data)
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "option" and self._select is not None:
            value = self._option_value
            if value is None:
                value = "".join(self._option_text).strip()
            self._select.options.append(value)
            self._option_value = None
        elif tag == "select":
            if self._select is not None and self._option_value is not None:
                self._select.options.append(self._option_value)
            self._select = None
            self._option_value = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None

    def close(self):
        super().close()
        for owner, item in self._orphans:
            if owner in self._by_id:
                self._by_id[owner].fields.append(item)
        for form in self.forms:
            form.fields = _grouped(form.fields)


def _grouped(fields: list[Field]) -> list[Field]:
    """Radio buttons and checkboxes of one name become one field with their values as options
    (a single checkbox keeps its value as its only option)."""
    grouped: list[Field] = []
    by_name: dict[tuple[str, str], Field] = {}
    for item in fields:
        if item.kind not in ("radio", "checkbox", "submit"):
            grouped.append(item)
            continue
        key = (item.kind, item.name)
        if key not in by_name:
            by_name[key] = Field(
                name=item.name,
                kind=item.kind,
                required=item.required,
                multiple=item.kind == "checkbox",
            )
            grouped.append(by_name[key])
        group = by_name[key]
        group.options.append(item.value or "on")
        group.required = group.required or item.required
        if item.checked:
            group.checked = True
            group.value = item.value or "on"
    return grouped


def forms_of(html: str, path: str) -> list[Form]:
    """The post forms of a page shown at ``path``, with their actions made local paths."""
    parser = _PageParser(f"http://testserver{path}")
    parser.feed(html)
    parser.close()
    for form in parser.forms:
        form.action = _local(form.action) or form.action
        form.page = path
    return parser.forms


def _local(url: str) -> str | None:
    url = urldefrag(url).url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc not in ("testserver", ""):
        return None
    if parts.path.startswith(SKIPPED_PREFIXES) or parts.path.endswith(FILE_SUFFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client: Client, start: list[str]) -> tuple[list[Form], set[str]]:
    """Forms of every page reachable from ``start``; and the routes of the pages reached."""
    queue, seen, per_route = deque(start), set(start), {}
    forms: list[Form] = []
    pages = 0

    def key_of(url: str) -> str:
        name = route_name(urlsplit(url).path) or url
        return url if name == "wagtail_serve" else name

    while queue and pages < PER_VISITOR:
        # Pages of a route not seen yet first: every kind of page is reached within the budget.
        fresh = next((i for i, url in enumerate(queue) if key_of(url) not in per_route), 0)
        url = queue[fresh]
        del queue[fresh]
        key = key_of(url)
        if per_route.get(key, 0) >= PER_ROUTE:
            continue
        response = client.get(url, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        final = response.request["PATH_INFO"]
        query = response.request.get("QUERY_STRING", "")
        shown = final + (f"?{query}" if query else "")
        if _local(f"http://testserver{shown}") is None:
            continue
        per_route[key] = per_route.get(key, 0) + 1
        pages += 1
        parser = _PageParser(f"http://testserver{shown}")
        parser.feed(response.content.decode(response.charset or "utf-8"))
        parser.close()
        for form in parser.forms:
            action = _local(form.action)
            if action is None:
                continue
            form.action = action
            form.page = shown
            forms.append(form)
        for link in parser.links:
            local = _local(link)
            if local and local not in seen:
                seen.add(local)
                queue.append(local)
    return forms, set(per_route)
