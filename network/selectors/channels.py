"""Reads of the discussion channels, narrowed to what the viewer may read."""

from datetime import datetime, timedelta

from django.db.models import (
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from ..models import Channel, ChannelKind, ChannelMembership, Member, Message
from ..permissions import can_browse_open_channels, can_manage_channels, can_read_channel

HISTORY_PAGE = 50
CATCH_UP_LIMIT = 500
# How far back a request for changes looks beyond the moment the client names.
CHANGES_MARGIN = timedelta(seconds=5)
SEARCH_LIMIT = 50


def channel_list_readable(member: Member) -> QuerySet[Channel]:
    """Every channel the member may read (not the archived filter: archives stay readable)."""
    mine = Q(memberships__member=member)
    query = mine
    if can_browse_open_channels(member):
        query |= Q(kind__in=[ChannelKind.TOPIC, ChannelKind.REGION])
    if can_manage_channels(member):
        query |= Q(kind=ChannelKind.PRIVATE)
    return Channel.objects.filter(query).distinct()


def channel_list_for_member(member: Member) -> QuerySet[Channel]:
    """The member's channels, newest activity first, each with ``unread``: the messages
    after the member's read mark."""
    return (
        Channel.objects.filter(memberships__member=member)
        .select_related("region")
        .annotate(
            unread=Greatest(F("last_seq") - F("memberships__last_read_seq"), Value(0)),
        )
        .order_by(F("last_message_at").desc(nulls_last=True), "name")
    )


def channel_list_to_join(member: Member) -> QuerySet[Channel]:
    """Open channels the member has not joined, for the channel list."""
    if not can_browse_open_channels(member):
        return Channel.objects.none()
    return (
        Channel.objects.filter(
            kind__in=[ChannelKind.TOPIC, ChannelKind.REGION], archived_at__isnull=True
        )
        .exclude(memberships__member=member)
        .select_related("region")
        .order_by("kind", "name")
    )


def unread_total(member: Member) -> int:
    """Unread messages over all the member's channels, for the navigation."""
    return ChannelMembership.objects.filter(member=member).aggregate(
        total=Coalesce(
            Sum(Greatest(F("channel__last_seq") - F("last_read_seq"), Value(0))), Value(0)
        )
    )["total"]


def channel_get_for_member(member: Member, channel_id: int) -> Channel | None:
    """The channel, with the viewer's membership prefetched, or None when it may not be read."""
    channel = (
        Channel.objects.filter(pk=channel_id)
        .select_related("region")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=ChannelMembership.objects.filter(member=member),
                to_attr="viewer_memberships",
            )
        )
        .first()
    )
    if channel is None or not can_read_channel(member, channel):
        return None
    return channel


def membership_of(channel: Channel) -> ChannelMembership | None:
    """The viewer's membership, from :func:`channel_get_for_member`."""
    memberships = getattr(channel, "viewer_memberships", [])
    return memberships[0] if memberships else None


def _messages(channel: Channel) -> QuerySet[Message]:
    return Message.objects.filter(channel=channel).select_related("author")


def message_list_before(
    channel: Channel, *, before_seq: int | None = None, limit: int = HISTORY_PAGE
) -> list[Message]:
    """A page of history going backwards, returned oldest first."""
    messages = _messages(channel)
    if before_seq is not None:
        messages = messages.filter(seq__lt=before_seq)
    return list(reversed(messages.order_by("-seq")[:limit]))


def message_list_after(
    channel: Channel, *, after_seq: int, limit: int = CATCH_UP_LIMIT
) -> list[Message]:
    """What a client that has seen up to ``after_seq`` missed, in order."""
    return list(_messages(channel).filter(seq__gt=after_seq).order_by("seq")[:limit])


def message_list_changed(
    channel: Channel, *, up_to_seq: int, since: datetime, limit: int = CATCH_UP_LIMIT
) -> list[Message]:
    """Messages a client already has (``seq`` up to ``up_to_seq``) that were edited, deleted
    or hidden since ``since``, in order. The few seconds before count too: a change stamped
    just before ``since`` may have been committed just after it."""
    since = since - CHANGES_MARGIN
    return list(
        _messages(channel)
        .filter(seq__lte=up_to_seq)
        .filter(Q(edited_at__gt=since) | Q(deleted_at__gt=since) | Q(hidden_at__gt=since))
        .order_by("seq")[:limit]
    )


def message_search(member: Member, text: str, *, limit: int = SEARCH_LIMIT) -> QuerySet[Message]:
    """Visible messages containing the text, in the channels the member may read."""
    return (
        Message.objects.filter(
            channel__in=channel_list_readable(member),
            body__icontains=text,
            deleted_at__isnull=True,
            hidden_at__isnull=True,
        )
        .select_related("author", "channel")
        .order_by("-created_at")[:limit]
    )
