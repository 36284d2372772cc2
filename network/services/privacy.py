"""Erasing a member's account (GDPR): by the member, or by programme staff on request.

Erasure anonymises in place instead of deleting the row: applications, actions and support
files point at their member with ``PROTECT``, votes and memberships carry unique constraints,
and what others depend on (messages, ideas, comments...) must keep an author. The row becomes a
"former member" tombstone (``Member.erased_at``): no name, a non-deliverable address, no
password, inactive; every page shows it as « Ancien membre » through ``Member.__str__`` and
``get_full_name``. Each erasure is recorded in :class:`~network.models.MemberErasure` (ids,
date, reason; no personal data).

What happens to each model that points at the member:

Erased (personal data)
  - ``Member``: first and last name, e-mail (``ancien-membre-<id>@invalid``), password
    (unusable), active, staff flags, groups and permissions, reason of a refusal, digest
    settings, trainer flag, language, village of a resident (``resident_cafe``).
  - allauth ``EmailAddress`` (and its confirmations), every Django session of the member
    (database sessions, the default engine; with any engine the inactive account and changed
    password hash end them at the next request anyway).
  - ``directory.ManagerProfile`` and the ``directory.Professional`` whose account it is (a
    person's profile: name, phone, e-mail, address, description), with their search entries.
  - ``events.CalendarFeed``; the member leaves the trainers of ``events.Training``.
  - ``network.ChannelMembership`` (read markers, digest markers) and ``network.Mention`` rows
    naming them; the name of a direct conversation is rebuilt without theirs.
  - ``resources.Bookmark``; the credit of a resource they contributed when it is their name or
    e-mail (on the page, its revisions and the search index).
  - ``directory.ContactMessage`` they sent (a copy of a message relayed by e-mail, only used to
    limit sendings); on those they received, the recipient address is replaced.
  - ``network.Idea.on_behalf_of`` of ideas that are theirs (the name typed on a paper idea).
  - Wagtail's ``UserProfile`` (avatar, preferences), ``EditingSession``, ``FormState``,
    ``APIToken``, ``PageSubscription``.

Cancelled
  - ``events.Registration`` to sessions still to come (registered or waiting), through
    ``events.services.registrations_cancel_upcoming``: the waiting list moves on and the
    promoted members are told. Past sessions keep the registration as an attendance record of
    a former member.

Removed as a link, the other side stays
  - ``directory.Cafe.managers``: the café stays, without them (its search entry is rebuilt).
  - ``directory.Supplier.member``: a supplier is a business, its entry stays, unlinked.

Kept, signed « Ancien membre » (others depend on them)
  - ``network.Message`` (in every channel, direct conversations included: the other member
    keeps the thread), ``network.Idea``, ``network.IdeaComment``, ``network.Project`` and
    ``network.ResidentInvitation`` (``created_by``), ``network.Channel.created_by``.
  - ``network.IdeaSupport`` and ``resources.UsefulVote``: counted as before, by nobody named.
  - ``network.MessageReport`` and ``network.IdeaReport`` they filed (staff's moderation record).
  - ``resources.Contribution`` (the resource stays in the library), ``ResourceFileVersion``.
  - ``programme.Application`` (its free text describes the café, not the person),
    ``programme.SupportFile.coach`` and ``programme.Action.owner`` (staff reassign them),
    ``Diagnostic``/``FollowUp`` (the café's record; names typed by others in ``people`` or notes
    are others' writing), every ``reviewed_by``/``hidden_by``/``answered_by``/``recorded_by``.
  - Wagtail pages, revisions, log entries and comments they wrote as staff (the site's record).

Not rewritten: others' text that quotes the member's name (an ``@mention`` in someone else's
message, notes of a visit): it is theirs, and staff can hide or edit it on request.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import (
    FORMER_MEMBER_LABEL,
    ChannelKind,
    ChannelMembership,
    DigestFrequency,
    Member,
    MemberErasure,
    MembershipStatus,
    Mention,
    Role,
)
from ..permissions import can_review_members


class ErasureError(Exception):
    """An erasure that cannot be made; the message is shown to whoever asked for it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def former_member_email(member: Member) -> str:
    # ".invalid" is reserved (RFC 2606): nothing is ever delivered there, and it stays unique.
    return f"ancien-membre-{member.pk}@invalid"


def _is_active_staff(member: Member) -> bool:
    return (
        member.is_active
        and member.erased_at is None
        and member.status == MembershipStatus.APPROVED
        and (member.role == Role.STAFF or member.is_superuser)
    )


def _check_not_last_staff(member: Member) -> None:
    if not _is_active_staff(member):
        return
    others = (
        Member.objects.select_for_update()
        .filter(is_active=True, erased_at__isnull=True, status=MembershipStatus.APPROVED)
        .filter(Q(role=Role.STAFF) | Q(is_superuser=True))
        .exclude(pk=member.pk)
    )
    if not list(others.values_list("pk", flat=True)[:1]):
        raise ErasureError(
            _(
                "This account is the last active programme staff account: it cannot be erased. "
                "Give the staff role to someone else first."
            )
        )


def _end_sessions(member: Member) -> None:
    """Log the member out everywhere: delete every stored session that is theirs."""
    if settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        return  # inactive and without password, the account is refused at the next request
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    member_id = str(member.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == member_id:
            store(session_key=session.session_key).delete()


def _erase_directory(member: Member) -> None:
    from directory.indexing import directory_entry_refresh
    from directory.models import ContactMessage, ManagerProfile, Professional, Supplier

    for cafe in list(member.cafes.all()):
        cafe.managers.remove(member)
        directory_entry_refresh(cafe)
    # Their search entries go with them (directory.signals).
    for profile in ManagerProfile.objects.filter(member=member):
        profile.delete()
    for professional in Professional.objects.filter(member=member):
        professional.delete()
    for supplier in Supplier.objects.filter(member=member):
        supplier.member = None
        supplier.save(update_fields=["member", "updated_at"])
        directory_entry_refresh(supplier)
    ContactMessage.objects.filter(sender=member).delete()
    ContactMessage.objects.filter(recipient=member).update(
        recipient_email=former_member_email(member)
    )


def _erase_events(member: Member) -> None:
    from events.models import CalendarFeed
    from events.services import registrations_cancel_upcoming

    registrations_cancel_upcoming(member=member)
    CalendarFeed.objects.filter(member=member).delete()
    member.trainings.clear()


def _erase_network(member: Member) -> None:
    from ..models import Channel, Idea

    direct_ids = list(
        ChannelMembership.objects.filter(
            member=member, channel__kind=ChannelKind.DIRECT
        ).values_list("channel_id", flat=True)
    )
    ChannelMembership.objects.filter(member=member).delete()
    Mention.objects.filter(member=member).delete()
    Idea.objects.filter(author=member).exclude(on_behalf_of="").update(on_behalf_of="")
    # A conversation is named after its two members: rebuild it (the tombstone's name is
    # « Ancien membre », in the site's language like the names given at creation).
    with translation.override(settings.LANGUAGE_CODE):
        for channel in Channel.objects.filter(pk__in=direct_ids):
            ids = [int(part) for part in (channel.direct_key or "").split("-") if part]
            people = {m.pk: str(m) for m in Member.objects.filter(pk__in=ids)}
            people[member.pk] = str(FORMER_MEMBER_LABEL)  # the row is erased last
            channel.name = " · ".join(people[pk] for pk in ids if pk in people)[:120]
            channel.save(update_fields=["name"])


def _erase_resources(member: Member, old_credits: set[str]) -> None:
    from wagtail.models import Revision
    from wagtail.search.index import insert_or_update_object

    from resources.models import Bookmark, Contribution, ResourcePage

    Bookmark.objects.filter(member=member).delete()
    page_ids = list(
        Contribution.objects.filter(contributor=member).values_list("page_id", flat=True)
    )
    for page in ResourcePage.objects.filter(pk__in=page_ids, credit__in=old_credits):
        ResourcePage.objects.filter(pk=page.pk).update(credit="")
        page.credit = ""
        insert_or_update_object(page)
    for revision in Revision.page_revisions.filter(object_id__in=[str(pk) for pk in page_ids]):
        if revision.content.get("credit") in old_credits:
            revision.content["credit"] = ""
            revision.save(update_fields=["content"])


def _erase_wagtail(member: Member) -> None:
    from wagtail.admin.models import EditingSession
    from wagtail.models import PageSubscription
    from wagtail.users.models import UserProfile

    for profile in UserProfile.objects.filter(user=member):
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.delete()
    EditingSession.objects.filter(user=member).delete()
    PageSubscription.objects.filter(user=member).delete()
    for label in ("wagtailadmin.FormState", "wagtailcore.APIToken"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model.objects.filter(user=member).delete()


def _erase_account(member: Member) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=member).delete()
    if apps.is_installed("allauth.socialaccount"):
        apps.get_model("socialaccount", "SocialAccount").objects.filter(user=member).delete()
    member.groups.clear()
    member.user_permissions.clear()
    member.first_name = ""
    member.last_name = ""
    member.email = former_member_email(member)
    member.set_unusable_password()
    member.is_active = False
    member.is_staff = False
    member.is_superuser = False
    member.is_trainer = False
    member.refusal_reason = ""
    member.resident_cafe = None
    member.digest_frequency = DigestFrequency.OFF
    member.last_digest_at = None
    member.language = settings.LANGUAGE_CODE
    member.erased_at = timezone.now()
    member.save()


@transaction.atomic
def member_erase(*, member: Member, by: Member, reason: str = "") -> Member:
    """Erase ``member``'s personal data and close the account, keeping what others depend on
    as written by « Ancien membre » (see the module's docstring for each kind of data).

    ``by`` is the member themselves, or programme staff acting on a request, who must give a
    reason. One transaction: the member's row is locked first, so two erasures (or an
    erasure and a staff approval) are decided one after the other. Refuses the last active
    staff account, so the site always keeps someone to run it.
    """
    by_member = by.pk == member.pk
    reason = reason.strip()
    if not by_member:
        if not can_review_members(by):
            raise ErasureError(_("Only programme staff can erase another member's account."))
        if not reason:
            raise ErasureError(_("Please give the reason for erasing this account."))
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.erased_at is not None:
        raise ErasureError(_("This account has already been erased."))
    _check_not_last_staff(member)

    old_credits = {value for value in (member.get_full_name(), member.email) if value}
    _erase_events(member)
    _erase_directory(member)
    _erase_network(member)
    _erase_resources(member, old_credits)
    _erase_wagtail(member)
    _end_sessions(member)
    _erase_account(member)
    MemberErasure.objects.create(
        member=member, erased_by=None if by_member else by, by_member=by_member, reason=reason
    )
    return member
