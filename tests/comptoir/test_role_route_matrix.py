"""Every route of the site, with real objects, requested by every kind of visitor.

The routes are read from the URL configuration (as in test_route_walk.py, which walks them with
sample values: parameterised routes mostly answer 404 there). Here each parameter is a real
object of a seeded world (tests/comptoir/world.py): café A's project and café B's, a direct
conversation, another trainer's training... and the rule of each page, for each visitor, is
written below in a table, apart from the code. A new route fails
``test_every_route_has_objects_and_a_rule`` until it is given its objects and its rule.

Private texts of the world are canaries: no answer to a visitor who may not read one contains
it, and each is shown where it should be to one visitor who may read it (CANARY_SHOWN), else the
check could pass for a canary nobody is ever shown. A visitor refused a page is refused its POST
too, and refused POSTs change no row of the site's tables and send no mail.

Routes of the Wagtail admin (/cms/) stay on the sample-value walk of test_route_walk.py.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from .world import ROLES, World, build_world

# --- The routes, read from the URL configuration -----------------------------------------------


def _kwarg_names(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        regex = re.compile(pattern._regex)
        return list(regex.groupindex) or [f"#{i}" for i in range(regex.groups)]
    return []


def _walk(resolver: URLResolver, namespaces=(), kwargs_so_far=(), prefix=""):
    for entry in resolver.url_patterns:
        here = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry, ns, (*kwargs_so_far, *_kwarg_names(entry.pattern)), here)
        elif isinstance(entry, URLPattern) and entry.name:
            names = tuple(dict.fromkeys((*kwargs_so_far, *_kwarg_names(entry.pattern))))
            yield ":".join((*namespaces, entry.name)), names, here


def site_routes() -> dict[str, tuple[str, ...]]:
    """Route name -> its parameters, for every route outside the Wagtail admin."""
    routes = {}
    for full_name, kwarg_names, pattern in _walk(get_resolver()):
        if pattern.lstrip("^").startswith("cms/"):
            continue
        routes.setdefault(full_name, kwarg_names)
    return routes


ROUTES = site_routes()


# --- Real objects for each route's parameters ---------------------------------------------------
# Route name -> {variant: world -> keyword arguments (or (arguments, query string))}. Routes
# without parameters have the one variant "". Wagtail's pages are requested at the real URLs of
# every live page of the world (World.page_urls), with a rule for each type of page.


def _kw(**names: str) -> Callable[[World], dict]:
    """Keyword arguments from world objects: _kw(cafe_id="cafe_a") gives the café's pk."""

    def build(world: World) -> dict:
        values = {}
        for kwarg, spec in names.items():
            obj_name, _, attr = spec.partition(".")
            obj = world.members[obj_name] if obj_name in world.members else world[obj_name]
            values[kwarg] = getattr(obj, attr or "pk")
        return values

    return build


def _fixed(values: dict, query: str = "") -> Callable[[World], tuple[dict, str]]:
    return lambda world: (values, query)


CHANNELS = ("topic", "region", "private", "dm", "project_channel_a", "project_channel_b")
MESSAGES = ("topic_message", "private_message", "dm_message", "project_message")
IDEAS = ("idea_a", "idea_b", "hidden_idea")
APPLICATIONS = ("application_a", "refused_application", "application_b", "application_c")


def _each(kwarg: str, names) -> dict[str, Callable]:
    return {name: _kw(**{kwarg: name}) for name in names}


VARIANTS: dict[str, dict[str, Callable | None]] = {
    # Searches, for the canaries: what a search finds must be what the visitor may read.
    **{
        route: {"": None, "canari": _fixed({}, "q=canari")}
        for route in ("network:search", "resources:home", "directory:search")
    },
    # Directory
    "directory:cafe_detail": _each("cafe_id", ("cafe_a", "cafe_b", "cafe_closed")),
    "directory:cafe_edit": _each("cafe_id", ("cafe_a", "cafe_b")),
    "directory:manager_detail": _each("profile_id", ("manager_profile", "manager_b_profile")),
    "directory:manager_profile_edit_by_staff": _each(
        "profile_id", ("manager_profile", "manager_b_profile")
    ),
    "directory:professional_detail": _each(
        "professional_id", ("professional_entry", "proposed_entry")
    ),
    "directory:professional_edit": _each(
        "professional_id", ("professional_entry", "proposed_entry")
    ),
    "directory:supplier_detail": _each("supplier_id", ("supplier_entry",)),
    "directory:supplier_edit": _each("supplier_id", ("supplier_entry",)),
    "directory:review_entry": {
        "proposed_entry": lambda w: {"kind": "professional", "object_id": w["proposed_entry"].pk}
    },
    "directory:mark_verified": {"cafe_a": lambda w: {"kind": "cafe", "object_id": w["cafe_a"].pk}},
    "directory:contact": {
        "cafe_a": lambda w: {"kind": "cafe", "object_id": w["cafe_a"].pk},
        "supplier_entry": lambda w: {"kind": "supplier", "object_id": w["supplier_entry"].pk},
    },
    "directory:entry_delete": {
        "proposed_entry": lambda w: {"kind": "professional", "object_id": w["proposed_entry"].pk}
    },
    # Trainings
    "events:session_detail": _each("session_id", ("session_1", "session_2", "draft_session")),
    "events:session_ical": _each("session_id", ("session_1", "session_2")),
    "events:registration_cancel": _each("registration_id", ("registration",)),
    "events:calendar_feed": {"feed": _kw(token="feed.token")},
    "events:attestation": _each("registration_id", ("registration",)),
    "events:training_edit": _each("training_id", ("training_1", "training_2")),
    "events:session_create": _each("training_id", ("training_1", "training_2")),
    "events:session_edit": _each("session_id", ("session_1", "session_2")),
    "events:session_cancel": _each("session_id", ("session_1", "session_2")),
    "events:dashboard": _each("session_id", ("session_1", "session_2")),
    "events:participants_csv": _each("session_id", ("session_1", "session_2")),
    "events:attendance_record": _each("registration_id", ("registration",)),
    # Channels
    "network:channel": _each("channel_id", CHANNELS),
    "network:channel_poll": {
        name: (lambda w, name=name: ({"channel_id": w[name].pk}, "apres=0")) for name in CHANNELS
    },
    "network:channel_read": _each("channel_id", CHANNELS),
    "network:channel_join": _each("channel_id", CHANNELS),
    "network:channel_leave": _each("channel_id", CHANNELS),
    "network:channel_archive": _each("channel_id", CHANNELS),
    "network:conversation_open": _each("member_id", ("supplier", "resident_a")),
    "network:message_edit": _each("message_id", MESSAGES),
    "network:message_delete": _each("message_id", MESSAGES),
    "network:message_report": _each("message_id", MESSAGES),
    "network:message_hide": _each("message_id", MESSAGES),
    # Projects
    **{
        f"projects:{name}": _each("project_id", ("project_a", "project_b"))
        for name in ("detail", "edit", "summary", "idea_create", "idea_on_behalf", "reports")
    },
    **{
        f"projects:{name}": _each("idea_id", IDEAS)
        for name in (
            "idea",
            "idea_support",
            "idea_support_withdraw",
            "idea_comment",
            "idea_answer",
            "idea_report",
            "idea_hide",
        )
    },
    "projects:comment_report": _each("comment_id", ("comment_a", "comment_b")),
    "projects:comment_hide": _each("comment_id", ("comment_a", "comment_b")),
    "projects:create": _each("cafe_id", ("cafe_a", "cafe_b")),
    "projects:residents": _each("cafe_id", ("cafe_a", "cafe_b")),
    "projects:invitation_create": _each("cafe_id", ("cafe_a", "cafe_b")),
    "projects:resident_remove": {
        "resident_a": _kw(cafe_id="cafe_a", member_id="resident_a"),
        "resident_b": _kw(cafe_id="cafe_b", member_id="resident_b"),
    },
    "projects:invitation_poster": _each("invitation_id", ("invitation_a", "invitation_b")),
    "projects:invitation_revoke": _each("invitation_id", ("invitation_a", "invitation_b")),
    "projects:invitation_join": {"invitation_a": _kw(token="invitation_a.token")},
    # Library
    **{
        f"resources:{name}": _each("page_id", ("resource", "draft"))
        for name in ("draft_detail", "contribution_edit", "bookmark", "vote", "file_add")
    },
    **{
        f"resources:{name}": _each("file_id", ("published_file", "draft_file"))
        for name in ("file_download", "file_delete", "file_version_add")
    },
    "resources:file_version_download": {
        name: (lambda w, name=name: {"file_id": w[name].pk, "number": 1})
        for name in ("published_file", "draft_file")
    },
    # Programme
    "programme:application_detail": _each("application_id", APPLICATIONS),
    "programme:review_detail": _each("application_id", APPLICATIONS),
    "programme:review_request_info": _each("application_id", ("application_c",)),
    "programme:review_accept": _each("application_id", ("application_c",)),
    "programme:review_refuse": _each("application_id", ("application_c",)),
    **{
        f"programme:{name}": _each("file_id", ("file_a", "file_b"))
        for name in (
            "support_file",
            "diagnostic_edit",
            "action_create",
            "plan_agreement",
            "follow_up_create",
        )
    },
    "programme:action_edit": {
        "file_a": _kw(file_id="file_a", action_id="action_a"),
        "file_b": _kw(file_id="file_b", action_id="action_b"),
    },
    # Accounts: secrets made for an unconfirmed account of the world.
    "account_confirm_email": {"key": lambda w: {"key": w["email_key"]}},
    "account_reset_password_from_key": {
        "key": lambda w: {"uidb36": w["reset_uid"], "key": w["reset_key"]}
    },
    # Uploads, Wagtail documents and view restrictions.
    "media": {"upload": lambda w: {"path": w["media_path"]}},
    "wagtaildocs_serve": {
        "document": lambda w: {"#0": w["document"].pk, "#1": w["document"].filename}
    },
    "wagtaildocs_authenticate_with_password": _each("restriction_id", ("collection_restriction",)),
    "wagtailcore_authenticate_with_password": {
        "protected": _kw(page_view_restriction_id="page_restriction", page_id="protected")
    },
}


# A valid password-reset key signs the visitor out (allauth), as logging out does.
SESSION_ENDING = ("account_confirm_email", "account_reset_password_from_key", "account_logout")


@dataclass(frozen=True)
class Request:
    route: str  # full route name
    variant: str  # "" for a route without parameters, else the name of its object
    url: str

    @property
    def key(self) -> str:
        return f"{self.route}[{self.variant}]" if self.variant else self.route


def _reverse(route: str, values: dict) -> str:
    positional = [str(value) for name, value in values.items() if name.startswith("#")]
    if positional:
        return reverse(route, args=positional)
    return reverse(route, kwargs=values)


def requests_of(world: World) -> list[Request]:
    requests = []
    for route, kwarg_names in ROUTES.items():
        if route == "wagtail_serve":
            requests += [Request(route, name, url) for name, url in sorted(world.page_urls.items())]
            continue
        # A route with parameters but no objects yet is reported by
        # test_every_route_has_objects_and_a_rule.
        variants = VARIANTS.get(route, {} if kwarg_names else {"": None})
        for variant, build in variants.items():
            values, query = {}, ""
            if build is not None:
                built = build(world)
                values, query = built if isinstance(built, tuple) else (built, "")
            url = _reverse(route, values)
            requests.append(Request(route, variant, f"{url}?{query}" if query else url))
    # Routes that may end the visitor's session last, so that they stay signed in meanwhile.
    return sorted(requests, key=lambda request: request.route in SESSION_ENDING)


def outcome(response, login_path: str, status_path: str) -> object:
    """What a visitor got: a status code, or where they were sent."""
    if response.status_code in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"]).path
        if target == login_path:
            return "login"
        if target == status_path:
            return "status"
        return "redirect"
    return response.status_code


# --- The rule of each page ------------------------------------------------------------------------
# For each request (route, or route[object]), what each visitor gets: 200, 403, 404, 405,
# "login" (sent to log in, with next), "status" (a member not approved yet, sent to the page
# about their membership) or "redirect" (sent on elsewhere). Written from what each page is for,
# not read from the code.

NETWORK = "manager professional coach supplier trainer staff"  # the professional network
RESIDENTS = "resident_a resident_b"
APPROVED = f"{RESIDENTS} {NETWORK}"
NOT_STAFF = f"{RESIDENTS} manager professional coach supplier trainer"
REFUSALS = (403, 404, "login", "status", "redirect")


@dataclass
class Rule:
    get: dict[str, object]
    # POST-only routes: who may act (not sent: acting changes the world) and what every other
    # visitor gets for a POST; nothing may change. For other routes, a visitor refused the page
    # is refused its POST too, with the same answer, and nothing changes.
    post: dict[str, object] | None = None
    acts: frozenset[str] = frozenset()


def _roles(spec: str) -> list[str]:
    return spec.split()


def _table(outcomes: dict[object, str], rest: object) -> dict[str, object]:
    table = {}
    for code, spec in outcomes.items():
        for role in _roles(spec):
            assert role not in table, f"{role} given twice"
            table[role] = code
    for role in ROLES:
        table.setdefault(role, rest)
    return table


def public(code: object = 200, **others: str) -> Rule:
    """A page anybody opens: ``others`` maps an outcome to the visitors who get it instead."""
    return Rule(get=_table({_code(k): v for k, v in others.items()}, code))


def signed_in(code: object = 200, **others: str) -> Rule:
    """An account page: any signed-in visitor, approved or not."""
    return Rule(
        get=_table({"login": "anonymous", **{_code(k): v for k, v in others.items()}}, code)
    )


def members(ok: str = "", rest: object = 404, **others: str) -> Rule:
    """A members' page: 200 for ``ok``; ``others`` maps outcomes (e403="...") to visitors;
    every other approved member gets ``rest``."""
    return Rule(
        get=_table(
            {
                "login": "anonymous",
                "status": "pending",
                200: ok,
                **{_code(k): v for k, v in others.items()},
            },
            rest,
        )
    )


def post_only(acts: str = "", rest: object = 404, gate: str = RESIDENTS, **others: str) -> Rule:
    """A route that only takes POST: a GET answers 405 once past the members' gate (``gate``
    are the approved visitors the site keeps out of this area: 403)."""
    get = _table({"login": "anonymous", "status": "pending", 403: gate}, 405)
    refusals = {"login": "anonymous", "status": "pending", 403: gate}
    for name, spec in others.items():
        refusals[_code(name)] = f"{refusals.get(_code(name), '')} {spec}"
    post = _table(refusals, rest)
    for role in _roles(acts):
        post.pop(role)
    return Rule(get=get, post=post, acts=frozenset(_roles(acts)))


def _code(name: str) -> object:
    return int(name[1:]) if name.startswith("e") and name[1:].isdigit() else name


RULES: dict[str, Rule] = {
    # --- Site, accounts -------------------------------------------------------------------------
    "health": public(),
    "set_language": public("redirect"),
    "account_login": public("redirect", e200="anonymous"),  # signed in: sent on
    "account_signup": public("redirect", e200="anonymous"),
    "account_logout": public(200, redirect="anonymous"),
    "account_inactive": public(),
    "account_email_verification_sent": public(),
    "account_reset_password": public(),
    "account_reset_password_done": public(),
    "account_reset_password_from_key_done": public(),
    "account_confirm_email[key]": public(),
    # The key is kept in the session and the visitor sent to the same page without it.
    "account_reset_password_from_key[key]": public("redirect"),
    "account_reauthenticate": signed_in(),
    "account_email": signed_in(),
    "account_change_password": signed_in(),
    "account_set_password": signed_in("redirect"),  # they have a password already
    # Codes by e-mail (allauth) are members' routes, closed to residents like the rest.
    "account_request_reauthentication_code": members(NETWORK, e403=RESIDENTS),
    "account_confirm_reauthentication_code": members(rest="redirect", e403=RESIDENTS),
    "account_confirm_login_code": members(rest="redirect", e403=RESIDENTS),
    "membership_status": signed_in(),
    "members_home": members(APPROVED),
    # Each member's own data (GDPR): theirs to read, download and erase.
    "privacy:my_data": signed_in(),
    "privacy:download": signed_in(),
    "privacy:erase": signed_in(),
    # An upload that is no project's photo: the network's (tests/comptoir/test_uploads.py).
    "media[upload]": members(NETWORK),
    # --- Directory: the professional network's who's who (residents are kept out) ----------------
    "directory:search": members(NETWORK, e403=RESIDENTS),
    "directory:my_profile": members(rest="redirect", e403=RESIDENTS),
    "directory:manager_profile_edit": members("manager staff", rest=403),
    "directory:cafe_create": members("manager staff", rest=403),
    "directory:cafe_detail": members(NETWORK, e403=RESIDENTS),
    # A closed café leaves the directory: its managers and staff still find it.
    "directory:cafe_detail[cafe_closed]": members("staff", e403=RESIDENTS),
    # A manager edits their own café, not another manager's.
    "directory:cafe_edit[cafe_a]": members("manager staff", e403=RESIDENTS),
    "directory:cafe_edit[cafe_b]": members("staff", e403=RESIDENTS),
    "directory:manager_detail": members(NETWORK, e403=RESIDENTS),
    "directory:manager_profile_edit_by_staff": members("staff", rest=403),
    "directory:professional_propose": members(NETWORK, e403=RESIDENTS),
    "directory:supplier_propose": members(NETWORK, e403=RESIDENTS),
    # Professionals write their own entry (or are sent to it when they have one).
    "directory:professional_create_own": members(
        "coach trainer staff", rest=403, redirect="professional"
    ),
    "directory:supplier_create_own": members("staff", rest=403, redirect="supplier"),
    "directory:professional_detail[professional_entry]": members(NETWORK, e403=RESIDENTS),
    # A proposal not validated yet: its proposer and staff.
    "directory:professional_detail[proposed_entry]": members("supplier staff", e403=RESIDENTS),
    "directory:professional_edit[professional_entry]": members(
        "professional staff", e403=RESIDENTS
    ),
    "directory:professional_edit[proposed_entry]": members("staff", e403=RESIDENTS),
    "directory:supplier_detail": members(NETWORK, e403=RESIDENTS),
    "directory:supplier_edit": members("supplier staff", e403=RESIDENTS),
    "directory:contact": members(NETWORK, e403=RESIDENTS),
    "directory:review_queue": members("staff", rest=403),
    "directory:review_entry": post_only("staff", rest=403, gate=NOT_STAFF),
    "directory:mark_verified": post_only("staff", rest=403, gate=NOT_STAFF),
    "directory:entry_delete": members("staff", rest=403),
    "directory:export_csv": members("staff", rest=403),
    "directory:import_suppliers": members("staff", rest=403),
    "directory:import_template": members("staff", rest=403),
    # --- Trainings: the professional network's; trainers run their own ------------------------
    "events:calendar": members(NETWORK, e403=RESIDENTS),
    "events:my_trainings": members(NETWORK, e403=RESIDENTS),
    "events:session_detail[session_1]": members(NETWORK, e403=RESIDENTS),
    "events:session_detail[session_2]": members(NETWORK, e403=RESIDENTS),
    # A draft is seen on its trainers' own pages only, not as a session members open.
    "events:session_detail[draft_session]": members(e403=RESIDENTS),
    "events:session_ical": members(NETWORK, e403=RESIDENTS),
    "events:registration_cancel": post_only("supplier"),  # the registered member's
    "events:feed_renew": post_only(NETWORK),  # each member's own feed
    "events:feed_revoke": post_only(NETWORK),
    # The token is the credential (a calendar app sends no cookie).
    "events:calendar_feed": public(),
    # The attendee and whoever runs the session.
    "events:attestation": members("supplier trainer staff", e403=RESIDENTS),
    "events:trainer_home": members("trainer staff", rest=403),
    "events:training_create": members("trainer staff", rest=403),
    # Another trainer's training: refused, with a page saying so (403).
    **{
        f"events:{name}[training_1]": members("trainer staff", rest=403)
        for name in ("training_edit", "session_create")
    },
    **{
        f"events:{name}[training_2]": members("staff", rest=403)
        for name in ("training_edit", "session_create")
    },
    **{
        f"events:{name}[session_1]": members("trainer staff", rest=403)
        for name in ("session_edit", "session_cancel", "dashboard", "participants_csv")
    },
    **{
        f"events:{name}[session_2]": members("staff", rest=403)
        for name in ("session_edit", "session_cancel", "dashboard", "participants_csv")
    },
    "events:attendance_record": post_only("trainer staff", rest=403),
    # --- Channels -------------------------------------------------------------------------------
    "network:channels": members(APPROVED),
    "network:channel_create": members("staff", rest=403),
    "network:search": members(APPROVED),
    "network:notification_settings": members(APPROVED),
    "network:reports": members("staff", rest=403),
}

# Who reads each channel: topic and région channels are the professional network's; a private
# channel its members' (and staff's); a direct conversation its two members' only (not staff's);
# a project's channel its café's managers, residents and coach, and staff.
READERS = {
    "topic": NETWORK,
    "region": NETWORK,
    "private": "professional staff",
    "dm": "manager supplier",
    "project_channel_a": "resident_a manager coach staff",
    "project_channel_b": "resident_b staff",
}
# Residents may open channel pages (their project's channel is one); other channel actions are
# closed to them.
for _channel, _readers in READERS.items():
    RULES[f"network:channel[{_channel}]"] = members(_readers)
    RULES[f"network:channel_poll[{_channel}]"] = members(_readers)
    RULES[f"network:channel_read[{_channel}]"] = post_only(_readers, gate="")
    RULES[f"network:channel_join[{_channel}]"] = post_only(
        " ".join(r for r in _roles(_readers) if "resident" not in r)
    )
    RULES[f"network:channel_leave[{_channel}]"] = post_only(
        " ".join(r for r in _roles(_readers) if "resident" not in r)
    )
    # Archiving is for staff; a conversation is not theirs to see, let alone archive.
    RULES[f"network:channel_archive[{_channel}]"] = post_only(
        "" if _channel == "dm" else "staff", rest=403, e404="staff" if _channel == "dm" else ""
    )

# A message: its author edits and deletes it; other readers of its channel may report it; staff
# hide it (not in a conversation, whose messages they do not read).
MESSAGE_CHANNELS = {
    "topic_message": ("topic", "supplier"),
    "private_message": ("private", "staff"),
    "dm_message": ("dm", "manager"),
    "project_message": ("project_channel_a", "resident_a"),
}
for _message, (_channel, _author) in MESSAGE_CHANNELS.items():
    _others = " ".join(r for r in _roles(READERS[_channel]) if r != _author)
    for _name in ("message_edit", "message_delete"):
        RULES[f"network:{_name}[{_message}]"] = members(_author, e403=_others)
    RULES[f"network:message_report[{_message}]"] = members(READERS[_channel])
    RULES[f"network:message_hide[{_message}]"] = (
        members(rest=403, e404="staff") if _channel == "dm" else members("staff", rest=403)
    )

RULES["network:conversation_open[supplier]"] = post_only(
    "manager professional coach trainer staff",
    redirect="supplier",  # not with oneself
)
# Residents are not in the professional network: nobody opens a conversation with them.
RULES["network:conversation_open[resident_a]"] = post_only(rest="redirect")

# --- Projects: a café's managers and residents, its coach, staff; 404 for everybody else, so
# that a resident of another café learns nothing of them. ----------------------------------------
PROJECT_VIEWERS = {"a": "resident_a manager coach staff", "b": "resident_b staff"}
PROJECT_MANAGERS = {"a": "manager staff", "b": "staff"}
RULES["projects:list"] = members(f"{RESIDENTS} manager coach staff")
RULES["projects:account"] = members(RESIDENTS)  # a resident's own account
RULES["projects:invitation_join"] = public()  # its token is the credential
for _cafe in ("a", "b"):
    _viewers, _managers = PROJECT_VIEWERS[_cafe], PROJECT_MANAGERS[_cafe]
    for _name in ("detail", "summary", "idea_create"):
        RULES[f"projects:{_name}[project_{_cafe}]"] = members(_viewers)
    for _name in ("edit", "idea_on_behalf", "reports"):
        RULES[f"projects:{_name}[project_{_cafe}]"] = members(_managers)
    for _name in ("idea", "idea_report"):
        RULES[f"projects:{_name}[idea_{_cafe}]"] = members(_viewers)
    RULES[f"projects:idea_hide[idea_{_cafe}]"] = members(_managers)
    for _name in ("idea_support", "idea_support_withdraw", "idea_comment"):
        RULES[f"projects:{_name}[idea_{_cafe}]"] = post_only(_viewers, gate="")
    RULES[f"projects:idea_answer[idea_{_cafe}]"] = post_only(_managers, gate="")
    RULES[f"projects:comment_report[comment_{_cafe}]"] = members(_viewers)
    RULES[f"projects:comment_hide[comment_{_cafe}]"] = members(_managers)
    for _name in ("create", "residents"):
        RULES[f"projects:{_name}[cafe_{_cafe}]"] = members(_managers)
    RULES[f"projects:resident_remove[resident_{_cafe}]"] = members(_managers)
    RULES[f"projects:invitation_create[cafe_{_cafe}]"] = post_only(_managers, gate="")
    RULES[f"projects:invitation_poster[invitation_{_cafe}]"] = members(_managers)
    RULES[f"projects:invitation_revoke[invitation_{_cafe}]"] = post_only(_managers, gate="")
# A hidden idea: for those who moderate the project only.
for _name in ("idea", "idea_report", "idea_hide"):
    RULES[f"projects:{_name}[hidden_idea]"] = members("manager staff")
for _name in ("idea_support", "idea_support_withdraw", "idea_comment", "idea_answer"):
    RULES[f"projects:{_name}[hidden_idea]"] = post_only("manager staff", gate="")

# --- Library: the professional network's; a resource in review is its contributor's and staff's.
RULES.update(
    {
        "resources:home": members(NETWORK, e403=RESIDENTS),
        "resources:toolbox": members(NETWORK, e403=RESIDENTS),
        "resources:contribute": members(NETWORK, e403=RESIDENTS),
        "resources:my_contributions": members(NETWORK, e403=RESIDENTS),
        # A published resource has its page in the library: sent there.
        "resources:draft_detail[resource]": members(rest="redirect", e403=RESIDENTS),
        "resources:draft_detail[draft]": members("professional staff", e403=RESIDENTS),
        # Changes are asked by staff first; nothing is asked of these yet.
        "resources:contribution_edit[resource]": members(rest=403),
        "resources:contribution_edit[draft]": members(
            rest=404, e403=f"{RESIDENTS} professional staff"
        ),
        "resources:bookmark[resource]": post_only(NETWORK),
        "resources:bookmark[draft]": post_only("professional staff"),
        "resources:vote[resource]": post_only(NETWORK),
        "resources:vote[draft]": post_only(),  # votes are for published resources
        "resources:file_add[resource]": members("staff", rest=403),
        "resources:file_add[draft]": members("professional staff", e403=RESIDENTS),
        "resources:file_version_add[published_file]": members("staff", rest=403),
        "resources:file_version_add[draft_file]": members("professional staff", e403=RESIDENTS),
        "resources:file_download[published_file]": members(NETWORK, e403=RESIDENTS),
        "resources:file_download[draft_file]": members("professional staff", e403=RESIDENTS),
        "resources:file_version_download[published_file]": members(NETWORK, e403=RESIDENTS),
        "resources:file_version_download[draft_file]": members(
            "professional staff", e403=RESIDENTS
        ),
        "resources:file_delete[published_file]": post_only("staff", rest=403),
        "resources:file_delete[draft_file]": post_only("professional staff"),
    }
)

# --- Programme: managers apply; a café's support file is for its managers, its coach and staff;
# the coach and staff change it. Suppliers and residents are kept out of the area (403). --------
PROGRAMME_OUT = f"{RESIDENTS} supplier"
RULES.update(
    {
        "programme:home": members("manager professional coach trainer staff", rest=403),
        "programme:application_create": members(
            "manager",
            rest=403,
            e404="staff",  # staff apply for no café
        ),
        "programme:eligibility": members("manager staff", rest=403),
        "programme:commune_search": members("manager professional coach trainer staff", rest=403),
        "programme:review_queue": members("staff", rest=403),
        "programme:review_detail": members("staff", rest=403),
        "programme:review_request_info": post_only("staff", rest=403, gate=NOT_STAFF),
        "programme:review_accept": post_only("staff", rest=403, gate=NOT_STAFF),
        "programme:review_refuse": post_only("staff", rest=403, gate=NOT_STAFF),
        "programme:dashboard": members("staff", rest=403),
        "programme:dashboard_csv": members("staff", rest=403),
        # Café A's applications are its manager's; cafés B and C are another manager's.
        "programme:application_detail[application_a]": members("manager staff", e403=PROGRAMME_OUT),
        "programme:application_detail[refused_application]": members(
            "manager staff", e403=PROGRAMME_OUT
        ),
        "programme:application_detail[application_b]": members("staff", e403=PROGRAMME_OUT),
        "programme:application_detail[application_c]": members("staff", e403=PROGRAMME_OUT),
        "programme:support_file[file_a]": members("manager coach staff", e403=PROGRAMME_OUT),
        "programme:support_file[file_b]": members("staff", e403=PROGRAMME_OUT),
        "programme:plan_agreement[file_a]": post_only(
            "coach staff", gate=PROGRAMME_OUT, e403="manager"
        ),
        "programme:plan_agreement[file_b]": post_only("staff", gate=PROGRAMME_OUT),
    }
)
for _name in ("diagnostic_edit", "action_create", "action_edit", "follow_up_create"):
    # The café's manager reads the file but does not change it: told so (403).
    RULES[f"programme:{_name}[file_a]"] = members("coach staff", e403=f"{PROGRAMME_OUT} manager")
    RULES[f"programme:{_name}[file_b]"] = members("staff", e403=PROGRAMME_OUT)

# --- Wagtail: pages at their real addresses, documents, view restrictions ------------------------
RULES.update(
    {
        # Pages by type. The site's own pages are public; a password-protected one shows
        # anybody the form asking for its password.
        "wagtail_serve[HomePage]": public(),
        "wagtail_serve[StandardPage]": public(),
        # The library is the professional network's.
        "wagtail_serve[ResourceLibraryPage]": members(NETWORK, e403=RESIDENTS),
        "wagtail_serve[ResourceCategoryPage]": members(NETWORK, e403=RESIDENTS),
        "wagtail_serve[ResourcePage]": members(NETWORK, e403=RESIDENTS),
        "wagtail_serve[draft resource]": public(404),
        "wagtaildocs_serve": members(NETWORK, e403=RESIDENTS),
        "wagtaildocs_authenticate_with_password": members(NETWORK, e403=RESIDENTS),
        # Anybody may type the password of a protected page (the password is the credential).
        "wagtailcore_authenticate_with_password": public(),
        "wagtailcore_login": members(NETWORK, e403=RESIDENTS),
    }
)


def rule_for(request: Request) -> Rule | None:
    """The rule of this request, of its kind of page (Wagtail's "<type>/<slug>"), or of its
    route."""
    page_type = request.variant.split("/")[0]
    return (
        RULES.get(request.key)
        or RULES.get(f"{request.route}[{page_type}]")
        or RULES.get(request.route)
    )


# --- Canaries: where each must show (for a visitor who may read it) -----------------------------
CANARY_SHOWN: dict[str, list[tuple[str, str]]] = {
    "cafe_a_phone": [("manager", "directory:cafe_detail[cafe_a]")],
    "supplier_phone": [("supplier", "directory:supplier_detail[supplier_entry]")],
    "supplier_email": [("supplier", "directory:supplier_detail[supplier_entry]")],
    "idea_a": [("resident_a", "projects:idea[idea_a]")],
    "idea_b": [("resident_b", "projects:idea[idea_b]")],
    "hidden_idea": [("manager", "projects:idea[hidden_idea]")],
    "idea_report": [("manager", "projects:reports[project_a]")],
    "invitation_token": [("manager", "projects:residents[cafe_a]")],
    "refusal": [("manager", "programme:application_detail[refused_application]")],
    "application": [("manager", "programme:application_detail[application_a]")],
    "diagnostic": [("manager", "programme:support_file[file_a]")],
    "follow_up": [("coach", "programme:support_file[file_a]")],
    "message_report": [("staff", "network:reports")],
    "private_channel": [
        ("professional", "network:channel[private]"),
        ("professional", "network:search[canari]"),
    ],
    "direct": [("supplier", "network:channel[dm]"), ("manager", "network:search[canari]")],
    "project_channel": [
        ("resident_a", "network:channel[project_channel_a]"),
        ("resident_a", "network:search[canari]"),
    ],
    "online_link": [("supplier", "events:session_detail[session_1]")],
    "feed_token": [("supplier", "events:my_trainings")],
    "draft_resource": [("professional", "resources:draft_detail[draft]")],
    "supplier_account_email": [("trainer", "events:dashboard[session_1]")],
    "resident_email": [("resident_a", "account_email")],
}
# A secret address stands for its owner: whoever holds the calendar feed's token reads the
# feed of the member it belongs to.
ACTING_AS = {"events:calendar_feed[feed]": "supplier"}


def _body(response) -> str:
    """The answer's text, and the same without its tags (a search marks the words it found:
    "<mark>CANARI</mark>-X" still shows "CANARI-X")."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    text = content.decode("utf-8", errors="replace")
    return f"{text}\n{html.unescape(re.sub(r'<[^>]*>', '', text))}"


# --- POST: what a refused visitor sends (what would change the world if they were let through) --
POST_DATA: dict[str, Callable[[World], dict]] = {
    "network:channel": lambda w: {"body": "Message d'un intrus"},
    "network:channel_create": lambda w: {"kind": "topic", "name": "Canal d'un intrus"},
    "network:channel_read": lambda w: {"seq": "1"},
    "network:message_edit": lambda w: {"body": "Modifié par un intrus"},
    "network:message_report": lambda w: {"reason": "Signalé par un intrus"},
    "network:message_hide": lambda w: {"reason": "Masqué par un intrus"},
    "network:reports": lambda w: {"dismiss": str(w["topic_message"].pk)},
    "network:notification_settings": lambda w: {"digest_frequency": "off"},
    "projects:edit": lambda w: {"title": "Titre d'un intrus", "description": "X", "stage": "done"},
    "projects:create": lambda w: (
        {"title": "Projet d'un intrus", "description": "X"} | {"stage": "collecting"}
    ),
    "projects:idea_create": lambda w: {"title": "Idée d'un intrus", "body": "X"},
    "projects:idea_on_behalf": lambda w: {"title": "Idée", "body": "X", "resident_name": "Y"},
    "projects:idea_comment": lambda w: {"body": "Commentaire d'un intrus"},
    "projects:idea_answer": lambda w: {"status": "declined", "answer": "Non."},
    "projects:idea_report": lambda w: {"reason": "Signalée par un intrus"},
    "projects:idea_hide": lambda w: {"reason": "Masquée par un intrus"},
    "projects:comment_report": lambda w: {"reason": "Signalé par un intrus"},
    "projects:comment_hide": lambda w: {"reason": "Masqué par un intrus"},
    "projects:account": lambda w: {"action": "leave"},
    "events:attendance_record": lambda w: {"attended": "no"},
    "events:session_cancel": lambda w: {"reason": "Annulée par un intrus"},
    "events:session_detail": lambda w: {"places": "1"},
    "directory:review_entry": lambda w: {"decision": "reject"},
    "directory:manager_profile_edit_by_staff": lambda w: {"can_share": "Écrit par un intrus"},
    "programme:review_refuse": lambda w: {"reason": "Refusée par un intrus"},
    "programme:review_request_info": lambda w: {"message": "Précisions d'un intrus"},
    "programme:review_accept": lambda w: (
        {"coach": w.members["coach"].pk} | {"cohort": w["file_a"].cohort_id}
    ),
    "programme:plan_agreement": lambda w: {"agreed_on": "2026-01-05"},
    "programme:diagnostic_edit": lambda w: {"carried_out_on": "2026-01-05", "weaknesses": "X"},
    "programme:follow_up_create": lambda w: {
        "kind": "phone",
        "happened_on": "2026-01-05",
        "people": "Intrus",
    },
    "resources:contribution_edit": lambda w: (
        {"title": "Titre d'un intrus", "summary": "X"} | {"resource_type": "guide"}
    ),
}


def _fingerprint() -> dict[str, list]:
    """Every row of the site's own tables (and Wagtail's pages and documents), but the time
    of each member's last login (the test signs the visitor in again)."""
    from django.apps import apps

    models = [
        model
        for label in ("directory", "network", "events", "programme", "resources", "wagtaildocs")
        for model in apps.get_app_config(label).get_models()
    ]
    models += [apps.get_model("wagtailcore", "Page"), apps.get_model("wagtailcore", "Revision")]
    rows = {}
    for model in models:
        columns = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        rows[model._meta.label] = sorted(map(repr, model.objects.values_list(*columns)))
    return rows


# --- The tests --------------------------------------------------------------------------------


def _request_keys() -> set[str]:
    """The keys of every request the walk makes, without building the world."""
    keys = set()
    for route, kwarg_names in ROUTES.items():
        if route == "wagtail_serve":
            keys |= {f"wagtail_serve[{name}]" for name in (*_page_types(), "draft resource")}
        else:
            variants = VARIANTS.get(route, {} if kwarg_names else {"": None})
            keys |= {f"{route}[{variant}]" if variant else route for variant in variants}
    return keys


def _page_types() -> set[str]:
    """Every type of Wagtail page of the project (wagtail_serve answers for each)."""
    from wagtail.models import get_page_models

    return {model.__name__ for model in get_page_models() if model._meta.app_label != "wagtailcore"}


def test_every_route_has_objects_and_a_rule():
    unmapped = [
        route
        for route, kwarg_names in ROUTES.items()
        if kwarg_names and route != "wagtail_serve" and not VARIANTS.get(route)
    ]
    assert not unmapped, f"give these routes real objects of the world in VARIANTS: {unmapped}"
    stale = sorted(set(VARIANTS) - set(ROUTES))
    assert not stale, f"VARIANTS names routes that no longer exist: {stale}"
    keys = _request_keys()
    without_rule = sorted(
        key for key in keys if key not in RULES and key.split("[")[0] not in RULES
    )
    assert not without_rule, f"state the rule of these pages in RULES: {without_rule}"
    unused = sorted(
        name
        for name in RULES
        if name not in keys and not any(k.startswith(f"{name}[") for k in keys)
    )
    assert not unused, f"RULES names pages the walk never requests: {unused}"
    assert {"projects:detail", "network:channel", "programme:support_file"} <= set(ROUTES)
    for name, places in CANARY_SHOWN.items():
        for _role, key in places:
            assert key in keys, f"canary {name} is looked for on {key}, which the walk skips"


@pytest.fixture
def world(
    member_factory,
    cafe_factory,
    supplier_factory,
    professional_factory,
    staff_member,
    geography,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RESOURCES_PRIVATE_ROOT = tmp_path / "private"
    # The posting rate limit counts per member id in the cache, and SQLite gives the same ids
    # to the members of each world.
    settings.NETWORK_POST_RATE_LIMIT = (1000, 60)
    built = build_world(
        member_factory=member_factory,
        cafe_factory=cafe_factory,
        supplier_factory=supplier_factory,
        professional_factory=professional_factory,
        staff_member=staff_member,
        geography=geography,
    )
    # The walk asks for a page of each type, so that each type's rule is tried.
    assert {name.split("/")[0] for name in built.page_urls} >= _page_types()
    assert set(built.canaries) == set(CANARY_SHOWN)
    return built


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_visitor_gets_the_rule_of_each_page_and_no_private_data(role, world, client_for):
    client = client_for(world.members[role])
    client.raise_request_exception = False
    login_path, status_path = reverse("account_login"), reverse("membership_status")
    requests = requests_of(world)
    wrong, leaks, refused_posts = [], [], []
    to_show = {
        (name, key) for name, places in CANARY_SHOWN.items() for who, key in places if who == role
    }
    shown = set()
    for request in requests:
        rule = rule_for(request)
        response = client.get(request.url)
        got = outcome(response, login_path, status_path)
        expected = rule.get[role]
        if response.status_code >= 500 or got != expected:
            wrong.append(f"GET {request.key} ({request.url}): {got}, expected {expected}")
        body = _body(response)
        reader = ACTING_AS.get(request.key, role)
        for name, canary in world.canaries.items():
            if canary.text not in body:
                continue
            shown.add((name, request.key))
            if reader not in canary.may_see and canary.text not in request.url:
                leaks.append(f"{request.key}: {canary.what} ({name})")
        if request.route in SESSION_ENDING:
            continue
        if rule.post is not None:
            if role not in rule.acts:
                refused_posts.append((request, rule.post[role]))
        elif expected in (403, 404, "login", "status"):
            # A page that only shows (GET) may answer a POST 405 before looking at who asks.
            refused_posts.append((request, (expected, 405)))
    assert not wrong and not leaks, (
        f"{role}:\n" + "\n".join(wrong) + "\nprivate data shown:\n" + "\n".join(leaks)
    )
    missing = sorted(to_show - shown)
    assert not missing, (
        f"{role} should read these canaries where CANARY_SHOWN says: {missing} "
        "(else the check for leaks could pass for a canary nobody is ever shown)"
    )

    # Refused visitors change nothing by posting, and nobody is told anything by e-mail.
    if world.members[role] is not None:
        client.force_login(world.members[role])  # the walk ended with logging out
    before, outbox = _fingerprint(), len(mail.outbox)
    for request, expected in refused_posts:
        data = POST_DATA.get(request.route, lambda world: {})(world)
        response = client.post(request.url, data)
        got = outcome(response, login_path, status_path)
        allowed = expected if isinstance(expected, tuple) else (expected,)
        if response.status_code >= 500 or got not in allowed:
            wrong.append(f"POST {request.key}: {got}, expected {expected}")
        elif got not in (*REFUSALS, 405):
            wrong.append(f"POST {request.key}: {got} is not a refusal")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
    after = _fingerprint()
    changed = sorted(label for label in before if before[label] != after[label])
    assert not changed, f"refused POSTs of {role} changed {changed}"
    assert len(mail.outbox) == outbox, [message.subject for message in mail.outbox[outbox:]]
