"""Who may open which route: the members-only rule of Comptoir, decided in one place.

Every route needs an approved member unless it is on the public allow-list below. A route may
narrow that further to some roles with :func:`roles_required` (or, for the Wagtail admin, a path
prefix). Wagtail pages are served by one route, so the page's own ``members_only`` flag is read
through the same :func:`decide` from a ``before_serve_page`` hook.
"""

from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse


class Access(Enum):
    PUBLIC = "public"
    SIGNED_IN = "signed_in"  # any signed-in account, approved or not (its own account pages)
    MEMBERS = "members"  # approved members
    STAFF = "staff"  # approved programme staff


# Routes anybody may open: sign-up, login and password flows, language switch, health check,
# and the CMS pages (whose own flag is checked by the page hook).
PUBLIC_URL_NAMES = frozenset(
    {
        "health",
        # A personal calendar address: its secret token is the credential.
        "events:calendar_feed",
        "set_language",
        "wagtail_serve",
        # The password form of a page staff protected with a password: the password is the
        # credential (a members-only page is closed by its own flag before it is asked).
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
        # A café's invitation to its residents: its secret token is the credential.
        "projects:invitation_join",
    }
)

# Routes of a signed-in account whatever its membership status: a pending member may still
# manage their password and e-mail, and read where their request stands.
SIGNED_IN_URL_NAMES = frozenset(
    {
        "membership_status",
        "account_change_password",
        "account_set_password",
        "account_email",
        "account_reauthenticate",
        # Their own data (GDPR): whatever the request's outcome, it is theirs to take or erase.
        "privacy:my_data",
        "privacy:download",
        "privacy:erase",
    }
)

STAFF_PATH_PREFIXES = ("/cms/",)

# Village residents take part in their café's projects and nothing else of the network: of the
# members' routes they open only these (an allow-list, so that an area added later stays closed
# to them). The project channels are network pages; opening conversations is not for them.
RESIDENT_NAMESPACES = frozenset({"projects"})
RESIDENT_VIEW_NAMES = frozenset(
    {
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
)


def resident_may_open(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    return bool(set(match.namespaces) & RESIDENT_NAMESPACES) or (
        match.view_name in RESIDENT_VIEW_NAMES
    )


ROLES_ATTRIBUTE = "comptoir_roles"


def roles_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a view as open to approved members of these roles only (staff always may)."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        setattr(view, ROLES_ATTRIBUTE, frozenset(roles))
        return view

    return mark


def route_access(request: HttpRequest, view_func: Callable[..., Any]) -> Access:
    match = request.resolver_match
    # The full name, namespace included: another app's route of the same name stays closed.
    url_name = match.view_name if match else None
    if any(request.path_info.startswith(prefix) for prefix in STAFF_PATH_PREFIXES):
        return Access.STAFF
    if url_name in PUBLIC_URL_NAMES:
        return Access.PUBLIC
    if url_name in SIGNED_IN_URL_NAMES:
        return Access.SIGNED_IN
    return Access.MEMBERS


def decide(
    request: HttpRequest, access: Access, roles: Iterable[str] | None = None
) -> HttpResponse | None:
    """None when the visitor may go on; otherwise the answer they get instead.

    Anonymous visitors go to login with ``next``; signed-in members whose membership is not
    approved go to the page that tells them where their request stands; approved members of
    another role get a 403.
    """
    if access is Access.PUBLIC:
        return None
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    if access is Access.SIGNED_IN:
        return None
    if not user.is_approved:
        return HttpResponseRedirect(reverse("membership_status"))
    is_staff = user.is_programme_staff
    if access is Access.STAFF and not is_staff:
        raise PermissionDenied
    if roles and not is_staff and user.role not in roles:
        raise PermissionDenied
    if user.role == "resident" and not resident_may_open(request):  # network.models.Role
        raise PermissionDenied
    return None


class MembersOnlyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        roles = getattr(view_func, ROLES_ATTRIBUTE, None)
        return decide(request, route_access(request, view_func), roles)


def page_access(page: Any) -> Access:
    """CMS pages are for members unless their type says they are public."""
    return Access.MEMBERS if getattr(page.specific_class, "members_only", True) else Access.PUBLIC
