"""Every non-trivial read of the network app; channel reads are in .channels."""

from .members import member_list_pending, member_list_reviewers

__all__ = ["member_list_pending", "member_list_reviewers"]
