"""Every write of the network app: members (approval) and discussion channels."""

from .members import (
    PROGRAMME_STAFF_GROUP,
    MembershipError,
    member_approve,
    member_refuse,
    programme_staff_group_ensure,
)

__all__ = [
    "PROGRAMME_STAFF_GROUP",
    "MembershipError",
    "member_approve",
    "member_refuse",
    "programme_staff_group_ensure",
]
