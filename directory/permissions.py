"""Who may see and change what in the directory. Views and templates call these helpers."""

from django.http import Http404

from network.models import Member, Role
from network.permissions import is_approved_member

from .models import Cafe, ManagerProfile, Professional, Supplier, Visibility

# Residents see only their own café's projects: the professional network's who's-who is not
# theirs to browse.
DIRECTORY_ROLES = (Role.MANAGER, Role.PROFESSIONAL, Role.SUPPLIER, Role.STAFF)


def is_staff(member: Member) -> bool:
    return is_approved_member(member) and member.is_programme_staff


def can_use_directory(member: Member) -> bool:
    return is_approved_member(member) and (member.role in DIRECTORY_ROLES or member.is_superuser)


def can_edit_cafe(member: Member, cafe: Cafe) -> bool:
    if is_staff(member):
        return True
    return can_use_directory(member) and cafe.managers.filter(pk=member.pk).exists()


def can_create_cafe(member: Member) -> bool:
    return is_staff(member) or (can_use_directory(member) and member.role == Role.MANAGER)


def can_edit_profile(member: Member, profile: Professional | Supplier | ManagerProfile) -> bool:
    if is_staff(member):
        return True
    return can_use_directory(member) and profile.member_id == member.pk


def can_review_entries(member: Member) -> bool:
    return is_staff(member)


def can_exchange_files(member: Member) -> bool:
    """CSV export of the directory and import of suppliers."""
    return is_staff(member)


def can_see_contact(member: Member, profile, visibility: str) -> bool:
    """Phone, e-mail and address: each group is for all members or for staff only; the owner
    always sees their own."""
    if is_staff(member) or visibility == Visibility.MEMBERS:
        return True
    if isinstance(profile, Cafe):
        return profile.managers.filter(pk=member.pk).exists()
    return getattr(profile, "member_id", None) == member.pk


def check_can_edit_or_404(allowed: bool) -> None:
    """A profile someone may not edit looks like one that does not exist."""
    if not allowed:
        raise Http404


def is_own_entry(member: Member, entry: Cafe | ManagerProfile | Professional | Supplier) -> bool:
    """A café belongs to its managers, a profile to its member account."""
    if isinstance(entry, Cafe):
        # Reads the prefetched managers when the selector loaded them.
        return any(manager.pk == member.pk for manager in entry.managers.all())
    return getattr(entry, "member_id", None) == member.pk


def can_contact(
    member: Member,
    entry: Cafe | ManagerProfile | Professional | Supplier,
    recipients: list[tuple[Member | None, str]],
) -> bool:
    """Approved directory members may write to an entry someone can receive, unless it is
    their own: ``recipients`` comes from ``selectors.contact_recipients_for``."""
    if not can_use_directory(member) or not recipients or is_own_entry(member, entry):
        return False
    own_email = member.email.casefold()
    return all(
        (account is None or account.pk != member.pk) and email.casefold() != own_email
        for account, email in recipients
    )
