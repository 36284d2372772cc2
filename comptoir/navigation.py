"""The areas shown in the navigation, each for the members who may use it."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from network.permissions import can_use_admin, can_use_channels, is_approved_member


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    url_name: str
    # A number shown beside the label (unread messages), and what it counts, for screen readers.
    badge: int = 0
    badge_label: str | Promise = ""


def navigation_for(member) -> list[NavItem]:
    if member is None or not is_approved_member(member):
        return []
    from directory.permissions import can_use_directory

    items = [NavItem(_("My space"), reverse("members_home"), "members_home")]
    if can_use_directory(member):
        items.append(NavItem(_("Directory"), reverse("directory:search"), "directory:search"))
        items.append(NavItem(_("Trainings"), reverse("events:calendar"), "events:calendar"))
    from resources.permissions import can_use_library

    if can_use_library(member):
        items.append(NavItem(_("Resources"), reverse("resources:home"), "resources:home"))
    from network.project_permissions import can_use_projects

    if can_use_projects(member):
        items.append(NavItem(_("Ideas and projects"), reverse("projects:list"), "projects:list"))
    from programme.permissions import can_use_programme

    if can_use_programme(member):
        items.append(NavItem(_("Support"), reverse("programme:home"), "programme:home"))
    if can_use_channels(member):
        items.append(_discussions_item(member))
    if can_use_admin(member):
        items.append(
            NavItem(_("Administration"), reverse("wagtailadmin_home"), "wagtailadmin_home")
        )
    return items


def _discussions_item(member) -> NavItem:
    """The channels, with the member's unread messages: one query, once per request (the
    count is kept on the member object, which lives as long as the request)."""
    from network.selectors.channels import unread_total

    unread = getattr(member, "_nav_unread_total", None)
    if unread is None:
        unread = unread_total(member)
        member._nav_unread_total = unread
    return NavItem(
        _("Discussions"),
        reverse("network:channels"),
        "network:channels",
        badge=unread,
        badge_label=ngettext("unread message", "unread messages", unread),
    )
