"""Who may do what in the library. Views and services call these same helpers."""

from django.http import Http404

from network.models import Role
from network.permissions import is_approved_member

from .models import ResourceFile, ResourcePage


def can_use_library(member) -> bool:
    """The professional network reads the library: approved members but village residents,
    who take part in their café's projects only (comptoir/access.py)."""
    return is_approved_member(member) and member.role != Role.RESIDENT


def can_curate_library(member) -> bool:
    return is_approved_member(member) and member.is_programme_staff


def is_contributor(member, page: ResourcePage) -> bool:
    contribution = getattr(page, "contribution", None) if page.pk else None
    return bool(contribution) and contribution.contributor_id == getattr(member, "pk", None)


def can_read_resource(member, page: ResourcePage) -> bool:
    """Published resources for every member; a resource in review for staff and its author."""
    if not can_use_library(member):
        return False
    if page.live:
        return True
    return can_curate_library(member) or is_contributor(member, page)


def can_manage_files(member, page: ResourcePage) -> bool:
    """Staff add files and new versions; a contributor too, while their resource is in review."""
    if can_curate_library(member):
        return True
    return can_use_library(member) and not page.live and is_contributor(member, page)


def can_contribute(member) -> bool:
    return can_use_library(member)


def get_file_for_member_or_404(member, file_id: int) -> ResourceFile:
    """The file, if this member may download it; 404 otherwise (a draft's file is not shown
    to exist)."""
    file = (
        ResourceFile.objects.select_related("page", "page__contribution")
        .prefetch_related("versions")
        .filter(pk=file_id)
        .first()
    )
    if file is None or not can_read_resource(member, file.page):
        raise Http404
    return file


def can_edit_contribution(member, page: ResourcePage) -> bool:
    """A contributor edits their proposal when staff have asked for changes."""
    if page.live or not is_contributor(member, page) or not can_use_library(member):
        return False
    state = page.current_workflow_state
    return state is not None and state.status == state.STATUS_NEEDS_CHANGES
