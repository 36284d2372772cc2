"""Writes on members: approval and refusal by staff."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Member, MembershipStatus, Role

PROGRAMME_STAFF_GROUP = "Programme staff"


class MembershipError(Exception):
    """A membership decision that cannot be made; the message is shown to staff."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def programme_staff_group_ensure() -> Group:
    """The group whose members use the Wagtail admin: edit and publish every page, manage
    images and documents, review members. Idempotent; also run after every migrate."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    group, _created = Group.objects.get_or_create(name=PROGRAMME_STAFF_GROUP)
    codenames = {
        ("wagtailadmin", "access_admin"),
        ("network", "view_member"),
        ("network", "change_member"),
        ("wagtailcore", "add_page"),
        ("wagtailcore", "change_page"),
        ("wagtailcore", "publish_page"),
        ("wagtailcore", "lock_page"),
        ("wagtailcore", "unlock_page"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
    }
    permissions = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in={codename for _app, codename in codenames}
        )
    }
    found = [permissions[key] for key in codenames if key in permissions]
    group.permissions.add(
        *[p for p in found if p.content_type.app_label in {"wagtailadmin", "network"}]
    )
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for permission in found:
        app_label = permission.content_type.app_label
        if app_label == "wagtailcore" and root_page is not None:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=permission
            )
        elif app_label in {"wagtailimages", "wagtaildocs"} and root_collection is not None:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
    return group


def _lock_pending(member_id: int) -> Member:
    member = Member.objects.select_for_update().get(pk=member_id)
    if member.status != MembershipStatus.PENDING:
        raise MembershipError(
            str(_("This membership request has already been reviewed by someone else."))
        )
    return member


@transaction.atomic
def member_approve(*, member: Member, reviewer: Member) -> Member:
    """Approve a pending member and tell them by e-mail once the decision is saved."""
    from ..tasks import send_membership_decision

    member = _lock_pending(member.pk)
    member.status = MembershipStatus.APPROVED
    member.refusal_reason = ""
    member.reviewed_at = timezone.now()
    member.reviewed_by = reviewer
    update_fields = ["status", "refusal_reason", "reviewed_at", "reviewed_by"]
    if member.role == Role.STAFF:
        member.is_staff = True
        update_fields.append("is_staff")
    member.full_clean(exclude=["password"])
    member.save(update_fields=update_fields)
    if member.role == Role.STAFF:
        member.groups.add(programme_staff_group_ensure())
    transaction.on_commit(lambda: send_membership_decision.enqueue(member_id=member.pk))
    return member


@transaction.atomic
def member_refuse(*, member: Member, reviewer: Member, reason: str) -> Member:
    """Refuse a pending member with a reason, which the member receives by e-mail."""
    from ..tasks import send_membership_decision

    reason = reason.strip()
    if not reason:
        raise MembershipError(str(_("Please give the reason for refusing this membership.")))
    member = _lock_pending(member.pk)
    member.status = MembershipStatus.REFUSED
    member.refusal_reason = reason
    member.reviewed_at = timezone.now()
    member.reviewed_by = reviewer
    member.full_clean(exclude=["password"])
    member.save(update_fields=["status", "refusal_reason", "reviewed_at", "reviewed_by"])
    transaction.on_commit(lambda: send_membership_decision.enqueue(member_id=member.pk))
    return member
