from django.db.models import QuerySet

from ..models import Member, MembershipStatus, Role


def member_list_pending() -> QuerySet[Member]:
    """Members whose e-mail is verified and who wait for staff review, oldest first."""
    return (
        Member.objects.filter(
            status=MembershipStatus.PENDING,
            is_active=True,
            emailaddress__verified=True,
        )
        .distinct()
        .order_by("date_joined")
    )


def member_list_reviewers() -> QuerySet[Member]:
    """Approved programme staff, who are told of new membership requests."""
    return Member.objects.filter(
        status=MembershipStatus.APPROVED, is_active=True, role=Role.STAFF
    ).order_by("email")
