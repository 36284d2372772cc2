"""Walk every URL pattern of the project as anonymous, pending and approved visitors.

The list of routes is read from the URL configuration, not written by hand, so a route added
later is walked too. What each visitor may see is stated here a second time, independently of
comptoir/access.py, so a change to the policy shows up as a failing test.
"""

import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from network.models import MembershipStatus, Role

PUBLIC = {
    "health",
    # A personal calendar address: its secret token is the credential (tests/events).
    "events:calendar_feed",
    "set_language",
    "wagtail_serve",
    "wagtailcore_authenticate_with_password",
    "account_login",
    "account_logout",
    "account_signup",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_inactive",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    # A café's invitation to its residents: its secret token is the credential (tests/network).
    "projects:invitation_join",
}
SIGNED_IN = {
    "membership_status",
    "account_change_password",
    "account_set_password",
    "account_email",
    "account_reauthenticate",
    "privacy:my_data",
    "privacy:download",
    "privacy:erase",
}
SAMPLE_VALUES = ["1", "exemple", str(uuid.UUID(int=1)), "images/exemple.png", "exemple/"]

# Wagtail's admin has a route that raises on purpose, to test error reporting.
DELIBERATE_ERRORS = {"/cms/failwhale/"}


@dataclass(frozen=True)
class Route:
    name: str | None  # url_name without namespace
    url: str
    full_name: str = ""  # with its namespaces


def _kwarg_names(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        regex = re.compile(pattern._regex)
        # Django passes unnamed groups as positional arguments: named "#0", "#1" here.
        return list(regex.groupindex) or [f"#{i}" for i in range(regex.groups)]
    return []


def _walk(resolver: URLResolver, namespaces: tuple[str, ...] = (), kwargs_so_far=()):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry, ns, (*kwargs_so_far, *_kwarg_names(entry.pattern)))
        elif isinstance(entry, URLPattern) and entry.name:
            yield (
                ":".join((*namespaces, entry.name)),
                entry.name,
                (
                    *kwargs_so_far,
                    *_kwarg_names(entry.pattern),
                ),
            )


def _reverse(full_name: str, values: dict[str, str]) -> str | None:
    positional = [value for name, value in values.items() if name.startswith("#")]
    named = {name: value for name, value in values.items() if not name.startswith("#")}
    try:
        if positional:
            return reverse(full_name, args=positional)
        return reverse(full_name, kwargs=named)
    except NoReverseMatch:
        return None


def _sample_url(full_name: str, kwarg_names: tuple[str, ...]) -> str | None:
    # Same value everywhere first, then an integer id beside a slug or a path.
    candidates = [dict.fromkeys(kwarg_names, value) for value in SAMPLE_VALUES]
    candidates += [
        {name: (first if i == 0 else rest) for i, name in enumerate(kwarg_names)}
        for first in SAMPLE_VALUES
        for rest in SAMPLE_VALUES
    ]
    for values in candidates:
        url = _reverse(full_name, values)
        if url is not None:
            return url
    return None


def all_routes() -> list[Route]:
    routes, unreachable = {}, []
    for full_name, name, kwarg_names in _walk(get_resolver()):
        url = _sample_url(full_name, tuple(dict.fromkeys(kwarg_names)))
        if url is None:
            unreachable.append(full_name)
            continue
        routes[url] = Route(name=name, url=url, full_name=full_name)
    assert not unreachable, f"no sample URL could be built for {unreachable}"
    # Logout routes last, so that a signed-in visitor stays signed in for the rest of the walk.
    return sorted(routes.values(), key=lambda route: ("logout" in route.url, route.url))


ROUTES = all_routes()


def test_the_walk_covers_the_whole_project():
    names = {route.name for route in ROUTES}
    assert {"members_home", "membership_status", "account_login", "wagtailadmin_home"} <= names
    assert len(ROUTES) > 100  # Wagtail's admin alone has hundreds of routes


def _is_cms(route: Route) -> bool:
    return route.url.startswith("/cms/")


def _expected_kind(route: Route) -> str:
    if _is_cms(route):
        return "staff"
    if route.full_name in PUBLIC:
        return "public"
    if route.full_name in SIGNED_IN:
        return "signed_in"
    return "members"


def _redirect_path(response) -> str:
    return urlsplit(response["Location"]).path if response.status_code in (301, 302) else ""


# What a village resident may open of the members' routes (their café's projects and the
# project channels), stated again here apart from comptoir/access.py; everything else is 403.
RESIDENT_NAMESPACES = {"projects"}
RESIDENT_ROUTES = {
    "members_home",
    "media",
    "network:channels",
    "network:channel",
    "network:channel_poll",
    "network:channel_read",
    "network:message_edit",
    "network:message_delete",
    "network:message_report",
    "network:search",
    "network:notification_settings",
}
MEMBERS = ("manager", "supplier", "professional", "trainer")
RESIDENTS = ("resident of café A", "resident of café B")


def _open_to_residents(route: Route) -> bool:
    return route.full_name in RESIDENT_ROUTES or route.full_name.split(":")[0] in (
        RESIDENT_NAMESPACES
    )


@pytest.fixture
def visitors(member_factory, cafe_factory, home_page):
    cafe_a = cafe_factory(name="Café A", managers=[member_factory(role=Role.MANAGER)])
    cafe_b = cafe_factory(name="Café B", managers=[member_factory(role=Role.MANAGER)])
    return {
        "anonymous": None,
        "pending": member_factory(status=MembershipStatus.PENDING),
        "refused": member_factory(status=MembershipStatus.REFUSED, refusal_reason="Hors zone"),
        "manager": member_factory(role=Role.MANAGER),
        "supplier": member_factory(role=Role.SUPPLIER),
        "professional": member_factory(role=Role.PROFESSIONAL),
        "trainer": member_factory(role=Role.PROFESSIONAL, is_trainer=True),
        "resident of café A": member_factory(role=Role.RESIDENT, resident_cafe=cafe_a),
        "resident of café B": member_factory(role=Role.RESIDENT, resident_cafe=cafe_b),
        "staff": member_factory(role=Role.STAFF),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "visitor", ["anonymous", "pending", "refused", *MEMBERS, *RESIDENTS, "staff"]
)
def test_every_route_answers_each_visitor_by_the_rule(visitor, visitors, client_for):
    client = client_for(visitors[visitor])
    client.raise_request_exception = False
    login_path = reverse("account_login")
    status_path = reverse("membership_status")
    wrong = []
    for route in ROUTES:
        response = client.get(route.url)
        kind = _expected_kind(route)
        redirect = _redirect_path(response)
        to_login = redirect == login_path
        if response.status_code >= 500 and route.url not in DELIBERATE_ERRORS:
            wrong.append((route.url, response.status_code, "server error"))
        elif visitor == "anonymous":
            if kind == "public" and to_login:
                wrong.append((route.url, response.status_code, "public route sent to login"))
            if kind != "public":
                expected_next = f"next={route.url}"
                if not to_login or expected_next not in response["Location"].replace("%2F", "/"):
                    wrong.append((route.url, response.status_code, "not sent to login with next"))
        elif visitor in {"pending", "refused"}:
            if to_login:
                wrong.append((route.url, response.status_code, "signed-in member sent to login"))
            if kind in {"members", "staff"} and redirect != status_path:
                wrong.append((route.url, response.status_code, "not sent to membership status"))
            if kind in {"public", "signed_in"} and redirect == status_path:
                wrong.append((route.url, response.status_code, "open route closed"))
        elif visitor in MEMBERS:
            if to_login or redirect == status_path:
                wrong.append((route.url, response.status_code, "approved member turned away"))
            if kind == "staff" and response.status_code != 403:
                wrong.append((route.url, response.status_code, "staff-only route not refused"))
        elif visitor in RESIDENTS:
            if to_login or redirect == status_path:
                wrong.append((route.url, response.status_code, "approved resident turned away"))
            closed = kind == "staff" or (kind == "members" and not _open_to_residents(route))
            if closed and response.status_code != 403:
                wrong.append((route.url, response.status_code, "route not refused to residents"))
        elif visitor == "staff" and (
            to_login or redirect == status_path or response.status_code == 403
        ):
            wrong.append((route.url, response.status_code, f"staff turned away to {redirect}"))
    assert not wrong, "\n".join(f"{url} -> {code}: {why}" for url, code, why in wrong)
