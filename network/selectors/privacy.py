"""A member's own data, as one zip archive (GDPR right of access and portability).

The archive holds ``donnees.json`` (everything, by area) and CSV files for the long lists
(``messages.csv``, ``inscriptions.csv``, ``idees.csv``, ``commentaires.csv``), in UTF-8 with a
byte order mark and ";" like the directory's export, so French spreadsheets open them as they
are.

Only the member's own data goes in, never another member's private data:
  - messages: the ones they wrote, with their channel and date; not the others' messages, even
    in a direct conversation (the other side's words are that member's data);
  - mentions: that someone named them, with the channel and date, not the message's text;
  - reports they filed: their reason and the reported message's number, not its text;
  - contact messages they sent through the directory: not the recipient's address, which the
    site never shows to the sender;
  - ideas, comments and supports they wrote or gave; the official answer to their ideas (sent
    to them by e-mail already).

Each area is one query, or a few with prefetches: the number of queries does not grow with
the number of rows.
"""

import io
import json
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ..models import ChannelMembership, IdeaComment, IdeaSupport, Member, Mention, Message

ARCHIVE_JSON_NAME = "donnees.json"


def _when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _account(member: Member) -> dict[str, Any]:
    from allauth.account.models import EmailAddress

    return {
        "id": member.pk,
        "email": member.email,
        "first_name": member.first_name,
        "last_name": member.last_name,
        "role": member.role,
        "role_label": str(member.get_role_display()),
        "membership_status": member.status,
        "refusal_reason": member.refusal_reason,
        "is_trainer": member.is_trainer,
        "language": member.language,
        "date_joined": _when(member.date_joined),
        "last_login": _when(member.last_login),
        "resident_of_cafe": str(member.resident_cafe) if member.resident_cafe_id else None,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=member).order_by("pk")
        ],
    }


def _notification_settings(member: Member) -> dict[str, Any]:
    from events.models import CalendarFeed

    feed = CalendarFeed.objects.filter(member=member).first()
    return {
        "channel_emails": member.digest_frequency,
        "channel_emails_label": str(member.get_digest_frequency_display()),
        # The token itself is a credential: the archive says it exists, not what it is.
        "personal_calendar_since": _when(feed.created_at) if feed else None,
    }


def _contact(entry) -> dict[str, Any]:
    return {
        "phone": entry.phone,
        "phone_visibility": entry.phone_visibility,
        "email": entry.email,
        "email_visibility": entry.email_visibility,
        "address": entry.address,
        "address_visibility": entry.address_visibility,
    }


def _directory(member: Member) -> dict[str, Any]:
    from directory.models import ContactMessage, ManagerProfile, Professional, Supplier

    manager = ManagerProfile.objects.prefetch_related("tags").filter(member=member).first()
    professionals = Professional.objects.select_related("commune").prefetch_related(
        "skills", "tags", "departements_served"
    )
    suppliers = Supplier.objects.select_related("commune").prefetch_related(
        "categories", "tags", "departements_delivered"
    )
    return {
        "cafes_managed": [
            {"id": cafe.pk, "name": cafe.name, "commune": cafe.commune.name}
            for cafe in member.cafes.select_related("commune").order_by("name")
        ],
        "manager_profile": {
            "can_share": manager.can_share,
            "tags": sorted(tag.name for tag in manager.tags.all()),
            "updated_at": _when(manager.updated_at),
        }
        if manager
        else None,
        "professional_profile": [
            {
                "name": entry.name,
                "commune": entry.commune.name if entry.commune else None,
                "description": entry.description,
                **_contact(entry),
                "skills": sorted(tag.name for tag in entry.skills.all()),
                "tags": sorted(tag.name for tag in entry.tags.all()),
                "departements_served": sorted(d.code for d in entry.departements_served.all()),
                "is_trainer": entry.is_trainer,
                "conditions": entry.conditions,
                "availability": entry.availability,
                "status": entry.status,
            }
            for entry in professionals.filter(member=member)
        ],
        "supplier_profile": [
            {
                "name": entry.name,
                "commune": entry.commune.name if entry.commune else None,
                "description": entry.description,
                **_contact(entry),
                "categories": sorted(c.category for c in entry.categories.all()),
                "tags": sorted(tag.name for tag in entry.tags.all()),
                "departements_delivered": sorted(
                    d.code for d in entry.departements_delivered.all()
                ),
                "minimum_order": entry.minimum_order,
                "conditions": entry.conditions,
                "status": entry.status,
            }
            for entry in suppliers.filter(member=member)
        ],
        "entries_proposed": [
            {"kind": kind, "name": name}
            for kind, queryset in (("professional", Professional), ("supplier", Supplier))
            for name in queryset.objects.filter(proposed_by=member).values_list("name", flat=True)
        ],
        # Without the recipient's address, which the site never shows to the sender.
        "contact_messages_sent": [
            {
                "to_entry": f"{row['about_kind']}:{row['about_object_id']}",
                "subject": row["subject"],
                "body": row["body"],
                "sent_at": _when(row["created_at"]),
            }
            for row in ContactMessage.objects.filter(sender=member)
            .order_by("created_at", "pk")
            .values("about_kind", "about_object_id", "subject", "body", "created_at")
            .distinct()
        ],
    }


def _messages(member: Member) -> list[dict[str, Any]]:
    return [
        {
            "id": message.pk,
            "channel": message.channel.name,
            "channel_kind": message.channel.kind,
            "number": message.seq,
            "sent_at": _when(message.created_at),
            "edited_at": _when(message.edited_at),
            "deleted_at": _when(message.deleted_at),
            "hidden_at": _when(message.hidden_at),
            "body": message.body,
        }
        for message in Message.objects.filter(author=member)
        .select_related("channel")
        .order_by("created_at", "pk")
    ]


def _channels(member: Member) -> dict[str, Any]:
    from ..models import MessageReport

    return {
        "memberships": [
            {
                "channel": membership.channel.name,
                "kind": membership.channel.kind,
                "joined_at": _when(membership.joined_at),
                "last_message_read": membership.last_read_seq,
            }
            for membership in ChannelMembership.objects.filter(member=member)
            .select_related("channel")
            .order_by("channel__name")
        ],
        "mentions": [
            {
                "message_id": mention.message_id,
                "channel": mention.message.channel.name,
                "at": _when(mention.message.created_at),
            }
            for mention in Mention.objects.filter(member=member)
            .select_related("message__channel")
            .order_by("message__created_at")
        ],
        "reports_filed": [
            {
                "message_id": report.message_id,
                "reason": report.reason,
                "reported_at": _when(report.created_at),
                "resolved_at": _when(report.resolved_at),
            }
            for report in MessageReport.objects.filter(reporter=member).order_by("created_at")
        ],
    }


def _projects(member: Member) -> dict[str, Any]:
    from ..models import Idea, IdeaReport, Project

    return {
        "projects_created": [
            {
                "title": project.title,
                "cafe": project.cafe.name,
                "created_at": _when(project.created_at),
            }
            for project in Project.objects.filter(created_by=member).select_related("cafe")
        ],
        "ideas": [
            {
                "id": idea.pk,
                "project": idea.project.title,
                "title": idea.title,
                "body": idea.body,
                "status": idea.status,
                "official_answer": idea.answer,
                "posted_at": _when(idea.created_at),
                "hidden_at": _when(idea.hidden_at),
            }
            for idea in Idea.objects.filter(author=member)
            .select_related("project")
            .order_by("created_at", "pk")
        ],
        "comments": [
            {
                "idea": comment.idea.title,
                "body": comment.body,
                "posted_at": _when(comment.created_at),
                "hidden_at": _when(comment.hidden_at),
            }
            for comment in IdeaComment.objects.filter(author=member)
            .select_related("idea")
            .order_by("created_at", "pk")
        ],
        "supports": [
            {"idea": support.idea.title, "supported_at": _when(support.created_at)}
            for support in IdeaSupport.objects.filter(member=member)
            .select_related("idea")
            .order_by("created_at")
        ],
        "reports_filed": [
            {
                "idea": report.idea.title if report.idea_id else None,
                "comment_id": report.comment_id,
                "reason": report.reason,
                "reported_at": _when(report.created_at),
            }
            for report in IdeaReport.objects.filter(reporter=member).select_related("idea")
        ],
    }


def _registrations(member: Member) -> list[dict[str, Any]]:
    from events.models import Registration

    return [
        {
            "training": registration.session.training.title,
            "session_starts_at": _when(registration.session.starts_at),
            "status": registration.status,
            "places": registration.places,
            "for_cafe": registration.cafe.name if registration.cafe_id else None,
            "registered_at": _when(registration.created_at),
            "cancelled_at": _when(registration.cancelled_at),
            "attended": registration.attended,
        }
        for registration in Registration.objects.filter(member=member)
        .select_related("session__training", "cafe")
        .order_by("session__starts_at", "pk")
    ]


def _programme(member: Member) -> dict[str, Any]:
    from programme.models import Action, Application, SupportFile

    return {
        "applications": [
            {
                "cafe": application.cafe.name,
                "commune": application.commune.name,
                "status": application.status,
                "current_operation": application.current_operation,
                "needs": application.needs,
                "needs_details": application.needs_details,
                "declares_last_cafe": application.declares_last_cafe,
                "declares_dedicated_space": application.declares_dedicated_space,
                "explanation": application.explanation,
                "info_request": application.info_request,
                "decision_reason": application.decision_reason,
                "created_at": _when(application.created_at),
                "sent_at": _when(application.sent_at),
                "reviewed_at": _when(application.reviewed_at),
            }
            for application in Application.objects.filter(applicant=member)
            .select_related("cafe", "commune")
            .order_by("created_at")
        ],
        "cafes_coached": [
            str(support_file.cafe)
            for support_file in SupportFile.objects.filter(coach=member).select_related(
                "cafe__commune"
            )
        ],
        "actions_carried": [
            {
                "cafe": action.support_file.cafe.name,
                "title": action.title,
                "due_on": _when(action.due_on),
                "status": action.status,
            }
            for action in Action.objects.filter(owner=member).select_related("support_file__cafe")
        ],
    }


def _resources(member: Member) -> dict[str, Any]:
    from resources.models import Bookmark, Contribution, UsefulVote

    return {
        "bookmarks": [
            {"title": bookmark.page.title, "saved_at": _when(bookmark.created_at)}
            for bookmark in Bookmark.objects.filter(member=member).select_related("page")
        ],
        "found_useful": [
            {"title": vote.page.title, "at": _when(vote.created_at)}
            for vote in UsefulVote.objects.filter(member=member).select_related("page")
        ],
        "contributions": [
            {
                "title": contribution.page.title,
                "submitted_at": _when(contribution.submitted_at),
                "published_at": _when(contribution.published_at),
                "review_comment": contribution.review_comment,
            }
            for contribution in Contribution.objects.filter(contributor=member).select_related(
                "page"
            )
        ],
    }


def member_data(*, member: Member) -> dict[str, Any]:
    """Everything the site holds about ``member`` that is theirs, as JSON-ready data."""
    from events.models import Training

    return {
        "exported_at": _when(timezone.now()),
        "account": _account(member),
        "notification_settings": _notification_settings(member),
        "directory": _directory(member),
        "channels": _channels(member),
        "messages": _messages(member),
        "projects": _projects(member),
        "trainings_run": list(
            Training.objects.filter(trainers=member)
            .order_by("title")
            .values_list("title", flat=True)
        ),
        "registrations": _registrations(member),
        "programme": _programme(member),
        "resources": _resources(member),
    }


def _csv(rows: Iterable[Iterable[Any]]) -> bytes:
    from directory.exchange import csv_lines

    return "".join(csv_lines(rows)).encode("utf-8")


def _table(items: list[dict[str, Any]], columns: list[str]) -> bytes:
    return _csv([columns, *([item.get(column) for column in columns] for item in items)])


def member_data_archive(*, member: Member) -> bytes:
    """The zip archive a member downloads: ``donnees.json`` and CSV files of the long lists."""
    data = member_data(member=member)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            ARCHIVE_JSON_NAME, json.dumps(data, ensure_ascii=False, indent=2, default=str)
        )
        archive.writestr(
            "messages.csv",
            _table(
                data["messages"],
                [
                    "id",
                    "channel",
                    "channel_kind",
                    "number",
                    "sent_at",
                    "edited_at",
                    "deleted_at",
                    "body",
                ],
            ),
        )
        archive.writestr(
            "inscriptions.csv",
            _table(
                data["registrations"],
                [
                    "training",
                    "session_starts_at",
                    "status",
                    "places",
                    "for_cafe",
                    "registered_at",
                    "cancelled_at",
                    "attended",
                ],
            ),
        )
        archive.writestr(
            "idees.csv",
            _table(
                data["projects"]["ideas"],
                ["id", "project", "title", "body", "status", "official_answer", "posted_at"],
            ),
        )
        archive.writestr(
            "commentaires.csv",
            _table(data["projects"]["comments"], ["idea", "body", "posted_at"]),
        )
    return buffer.getvalue()


def member_list_for_staff(*, query: str = "") -> QuerySet[Member]:
    """Accounts staff may export or erase on request, found by name or e-mail; erased ones
    (tombstones) are left out."""
    from django.db.models import Q

    members = Member.objects.filter(erased_at__isnull=True)
    for word in query.split():
        members = members.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return members.order_by("last_name", "first_name", "email")


def erasure_list_recent(*, limit: int = 20) -> QuerySet:
    """The latest erasures, for staff: when, which account (by id), by whom, why."""
    from ..models import MemberErasure

    return MemberErasure.objects.select_related("erased_by").order_by("-erased_at")[:limit]
