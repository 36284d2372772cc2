"""Every write on the directory's profiles. Each ends by refreshing the search entry."""

from collections.abc import Iterable, Mapping
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.uploads import photo_image_create, photo_image_discard
from network.models import Member, Role

from . import permissions, selectors, tasks
from .indexing import directory_entry_refresh
from .models import (
    Cafe,
    ContactMessage,
    ManagerProfile,
    Professional,
    Supplier,
    SupplierCategoryAssignment,
    ValidationStatus,
)


class DirectoryError(Exception):
    """A change the directory refuses; the message is shown to the member."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _assign(obj: Any, fields: Mapping[str, Any]) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


def _set_tags(manager, names: Iterable[str] | None) -> None:
    if names is not None:
        manager.set(sorted({name.strip() for name in names if name.strip()}))


@transaction.atomic
def cafe_save(
    *,
    actor: Member,
    cafe: Cafe | None = None,
    fields: Mapping[str, Any],
    services: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
    managers: Iterable[Member] | None = None,
    photo: UploadedFile | None = None,
    remove_photo: bool = False,
) -> Cafe:
    """Create a café (its manager creating it becomes one of its managers) or update one."""
    if cafe is None:
        if not permissions.can_create_cafe(actor):
            raise PermissionDenied
        cafe = Cafe()
    elif not permissions.can_edit_cafe(actor, cafe):
        raise PermissionDenied
    else:
        cafe = Cafe.objects.select_for_update().get(pk=cafe.pk)
    _assign(cafe, fields)
    if permissions.is_staff(actor):
        cafe.last_verified_at = timezone.localdate()
    cafe.full_clean(exclude=["photo"])
    cafe.save()
    _set_tags(cafe.services, services)
    _set_tags(cafe.tags, tags)
    if photo is not None or (remove_photo and cafe.photo_id):
        previous = cafe.photo
        cafe.photo = photo_image_create(photo, title=cafe.name) if photo is not None else None
        cafe.save(update_fields=["photo"])
        photo_image_discard(previous)
    if managers is not None and permissions.is_staff(actor):
        cafe.managers.set(managers)
    if actor.role == Role.MANAGER and not cafe.managers.filter(pk=actor.pk).exists():
        cafe.managers.add(actor)
        manager_profile_save(actor=actor, member=actor, fields={})
    directory_entry_refresh(cafe)
    for profile in ManagerProfile.objects.filter(member__cafes=cafe):
        directory_entry_refresh(profile)
    return cafe


@transaction.atomic
def manager_profile_save(
    *, actor: Member, member: Member, fields: Mapping[str, Any], tags: Iterable[str] | None = None
) -> ManagerProfile:
    if member.role != Role.MANAGER:
        raise DirectoryError(_("Only café managers have a manager profile."))
    profile, _created = ManagerProfile.objects.get_or_create(member=member)
    if not permissions.can_edit_profile(actor, profile):
        raise PermissionDenied
    _assign(profile, fields)
    profile.full_clean()
    profile.save()
    _set_tags(profile.tags, tags)
    directory_entry_refresh(profile)
    return profile


def _professional_or_supplier_save(
    model: type[Professional] | type[Supplier],
    *,
    actor: Member,
    obj: Professional | Supplier | None,
    fields: Mapping[str, Any],
    tags: Iterable[str] | None,
    for_self: bool,
) -> Professional | Supplier:
    if obj is None:
        if not permissions.can_use_directory(actor):
            raise PermissionDenied
        obj = model(proposed_by=actor)
        if for_self:
            if model.objects.filter(member=actor).exists():
                raise DirectoryError(_("You already have a profile in the directory."))
            obj.member = actor
        # Staff entries are trusted at once; members' proposals wait for staff.
        if permissions.is_staff(actor):
            obj.status = ValidationStatus.VALIDATED
            obj.last_verified_at = timezone.localdate()
    else:
        if not permissions.can_edit_profile(actor, obj):
            raise PermissionDenied
        obj = model.objects.select_for_update().get(pk=obj.pk)
    _assign(obj, fields)
    obj.full_clean()
    obj.save()
    _set_tags(obj.tags, tags)
    return obj


@transaction.atomic
def professional_save(
    *,
    actor: Member,
    professional: Professional | None = None,
    fields: Mapping[str, Any],
    skills: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
    departements_served: Iterable[Any] | None = None,
    for_self: bool = False,
) -> Professional:
    """Propose a professional (or one's own profile), or update one."""
    professional = _professional_or_supplier_save(
        Professional, actor=actor, obj=professional, fields=fields, tags=tags, for_self=for_self
    )
    _set_tags(professional.skills, skills)
    if departements_served is not None:
        professional.departements_served.set(departements_served)
    directory_entry_refresh(professional)
    return professional


@transaction.atomic
def supplier_save(
    *,
    actor: Member,
    supplier: Supplier | None = None,
    fields: Mapping[str, Any],
    categories: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
    departements_delivered: Iterable[Any] | None = None,
    for_self: bool = False,
) -> Supplier:
    """Propose a supplier (or one's own profile), or update one."""
    supplier = _professional_or_supplier_save(
        Supplier, actor=actor, obj=supplier, fields=fields, tags=tags, for_self=for_self
    )
    if categories is not None:
        wanted = set(categories)
        supplier.categories.exclude(category__in=wanted).delete()
        existing = set(supplier.categories.values_list("category", flat=True))
        SupplierCategoryAssignment.objects.bulk_create(
            SupplierCategoryAssignment(supplier=supplier, category=category)
            for category in sorted(wanted - existing)
        )
    if departements_delivered is not None:
        supplier.departements_delivered.set(departements_delivered)
    directory_entry_refresh(supplier)
    return supplier


@transaction.atomic
def entry_review(
    *, actor: Member, obj: Professional | Supplier, approve: bool
) -> Professional | Supplier:
    """Staff validate (or reject) a proposed professional or supplier."""
    if not permissions.can_review_entries(actor):
        raise PermissionDenied
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    obj.status = ValidationStatus.VALIDATED if approve else ValidationStatus.REJECTED
    obj.last_verified_at = timezone.localdate()
    obj.save(update_fields=["status", "last_verified_at", "updated_at"])
    directory_entry_refresh(obj)
    return obj


@transaction.atomic
def entry_mark_verified(*, actor: Member, obj: Cafe | Professional | Supplier) -> None:
    """Staff confirm an entry is still true today."""
    if not permissions.can_review_entries(actor):
        raise PermissionDenied
    type(obj).objects.filter(pk=obj.pk).update(last_verified_at=timezone.localdate())
    obj.refresh_from_db()
    directory_entry_refresh(obj)


@transaction.atomic
def entry_delete(*, actor: Member, obj: Cafe | Professional | Supplier) -> None:
    """Staff remove an entry for good (its search entry goes with it, see signals)."""
    if not permissions.can_review_entries(actor):
        raise PermissionDenied
    obj.delete()


# --- Contact between members --------------------------------------------------------------------

# Against abuse of the relay: sendings per member in a sliding window. A message to a café
# with several managers is one sending.
CONTACT_LIMIT = 10
CONTACT_LIMIT_WINDOW = timedelta(hours=1)


@transaction.atomic
def contact_message_send(
    *,
    sender: Member,
    kind: str,
    obj: Cafe | ManagerProfile | Professional | Supplier,
    subject: str,
    body: str,
) -> list[ContactMessage]:
    """Save a message once per recipient of the entry, then relay each by e-mail after commit.

    ``obj`` comes from ``selectors.contact_entry_get_for_viewer``: the caller has checked that
    the sender may see it. The sender's row is locked while their recent sendings are counted,
    so that two sendings at once cannot both slip under the limit.
    """
    if not permissions.can_use_directory(sender):
        raise PermissionDenied
    recipients = selectors.contact_recipients_for(kind, obj)
    if not recipients:
        raise DirectoryError(_("No one can receive messages for this entry through the site."))
    if not permissions.can_contact(sender, obj, recipients):
        raise DirectoryError(_("You cannot send a message to yourself."))

    Member.objects.select_for_update().only("pk").get(pk=sender.pk)
    now = timezone.now()
    recent_sendings = (
        ContactMessage.objects.filter(sender=sender, created_at__gt=now - CONTACT_LIMIT_WINDOW)
        .order_by()
        .values("created_at")
        .distinct()
        .count()
    )
    if recent_sendings >= CONTACT_LIMIT:
        raise DirectoryError(
            _(
                "You have already sent %(limit)s messages in the last hour, the most allowed. "
                "Please try again later."
            )
            % {"limit": CONTACT_LIMIT}
        )

    messages = []
    for account, email in recipients:
        # One created_at for every row of this sending: the limit counts sendings, not rows.
        message = ContactMessage(
            sender=sender,
            recipient=account,
            recipient_email=email,
            about_kind=kind,
            about_object_id=obj.pk,
            subject=subject,
            body=body,
            created_at=now,
        )
        message.full_clean()
        message.save()
        messages.append(message)
    for message in messages:
        # robust: a mail server down must not turn a saved message into an error page.
        transaction.on_commit(
            partial(tasks.contact_message_relay.enqueue, message_id=message.pk), robust=True
        )
    return messages
