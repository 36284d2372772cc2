"""Who may do what with members. Views, admin views and consumers call these same helpers."""

from .models import Member, Role


def is_approved_member(member: object) -> bool:
    return bool(getattr(member, "is_authenticated", False)) and getattr(
        member, "is_approved", False
    )


def can_review_members(member: Member) -> bool:
    return is_approved_member(member) and (member.role == Role.STAFF or member.is_superuser)


def can_use_admin(member: Member) -> bool:
    """The Wagtail admin is for programme staff only."""
    return can_review_members(member)
