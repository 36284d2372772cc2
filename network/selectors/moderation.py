"""Reads for staff moderation and for reporting a message."""

from django.db.models import QuerySet

from ..models import Member, Message, MessageReport

REPORT_LIST_LIMIT = 200


def report_list_open(*, limit: int = REPORT_LIST_LIMIT) -> list[MessageReport]:
    """The open reports, oldest first, with their message, channel, author and reporter."""
    return list(
        MessageReport.objects.filter(resolved_at__isnull=True)
        .select_related("message__channel", "message__author", "reporter")
        .order_by("created_at", "pk")[:limit]
    )


def report_list_open_for_message(message: Message) -> QuerySet[MessageReport]:
    return (
        MessageReport.objects.filter(message=message, resolved_at__isnull=True)
        .select_related("reporter")
        .order_by("created_at", "pk")
    )


def report_exists(*, member: Member, message: Message) -> bool:
    return MessageReport.objects.filter(message=message, reporter=member).exists()
