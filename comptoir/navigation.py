"""The areas shown in the navigation, each for the members who may use it."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from network.permissions import can_use_admin, is_approved_member


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    url_name: str


def navigation_for(member) -> list[NavItem]:
    if member is None or not is_approved_member(member):
        return []
    from directory.permissions import can_use_directory

    items = [NavItem(_("My space"), reverse("members_home"), "members_home")]
    if can_use_directory(member):
        items.append(NavItem(_("Directory"), reverse("directory:search"), "directory:search"))
        items.append(NavItem(_("Trainings"), reverse("events:calendar"), "events:calendar"))
    if can_use_admin(member):
        items.append(
            NavItem(_("Administration"), reverse("wagtailadmin_home"), "wagtailadmin_home")
        )
    return items
