"""Discussion channels: creating, joining, and messages numbered without gaps.

A message is saved, under its channel's row lock, with the next number of the channel's
sequence, before anyone is told; sockets hear of it once the transaction commits. Delivery by
the channel layer is at most once: clients that miss a broadcast catch up by number.
"""

import logging
import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..broadcasting import layer_group_send
from ..models import Channel, ChannelKind, ChannelMembership, Member, Mention, Message
from ..models.channels import MESSAGE_MAX_LENGTH
from ..permissions import (
    can_change_message,
    can_hide_message,
    can_join_channel,
    can_manage_channels,
    can_post_in_channel,
    can_read_channel,
    can_report_message,
)

logger = logging.getLogger(__name__)

# Posting: at most this many messages per member in this many seconds.
POST_RATE_LIMIT = (20, 60)
CLIENT_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MENTION_PATTERN = re.compile(r"(?<![\w@])@([^\W\d_][\w'’-]*)(?:[ \u00a0]([^\W\d_][\w'’-]*))?")


class ChannelError(Exception):
    """A refused action on a channel or a message. ``code`` is for machines (the WebSocket
    error frame), ``message`` for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def channel_not_found() -> ChannelError:
    return ChannelError("not_found", _("This channel does not exist or you cannot read it."))


def _forbidden() -> ChannelError:
    return ChannelError("forbidden", _("You may not do this in this channel."))


def broadcast_on_commit(group: str, event: dict[str, Any]) -> None:
    """Tell the sockets of a channel once the change is committed (and never if it is not).

    A failed broadcast (Redis away) is logged, not raised: the change is saved, and sockets
    catch up from the database, so the caller must not see the action as failed."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            layer_group_send(layer, group, event)
        except Exception as error:
            logger.warning("Broadcast to %s lost: %r", group, error)

    transaction.on_commit(send, robust=True)


def message_payload(message: Message) -> dict[str, Any]:
    """What clients see of a message: a deleted or hidden one keeps its place in the
    sequence, without its text."""
    author = message.author
    return {
        "id": message.pk,
        "channel": message.channel_id,
        "seq": message.seq,
        "author": {"id": author.pk, "name": str(author)} if author else None,
        "body": message.body if message.is_visible else "",
        "client_id": message.client_id,
        "created_at": message.created_at.isoformat(),
        "edited": message.edited_at is not None,
        "deleted": message.deleted_at is not None,
        "hidden": message.hidden_at is not None,
    }


# --- Channels --------------------------------------------------------------------------------


@transaction.atomic
def channel_create(
    *,
    actor: Member,
    kind: str,
    name: str,
    description: str = "",
    members: Iterable[Member] = (),
) -> Channel:
    """Staff open a topic channel or a private one (with its members)."""
    if not can_manage_channels(actor):
        raise _forbidden()
    if kind not in (ChannelKind.TOPIC, ChannelKind.PRIVATE):
        raise ChannelError("invalid", _("Only topic and private channels are created by hand."))
    channel = Channel(kind=kind, name=name.strip(), description=description.strip())
    channel.created_by = actor
    channel.full_clean()
    channel.save()
    if kind == ChannelKind.PRIVATE:
        for member in {actor, *members}:
            ChannelMembership.objects.get_or_create(channel=channel, member=member)
    return channel


def channel_members_add(*, channel: Channel, members: Iterable[Member]) -> None:
    for member in members:
        ChannelMembership.objects.get_or_create(channel=channel, member=member)


@transaction.atomic
def channel_archive(*, actor: Member, channel: Channel) -> Channel:
    """Archived channels stay readable; nobody posts in them any more."""
    if not can_manage_channels(actor):
        raise _forbidden()
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    if channel.archived_at is None:
        channel.archived_at = timezone.now()
        channel.save(update_fields=["archived_at"])
        broadcast_on_commit(channel.group_name, {"type": "channel.archived", "channel": channel.pk})
    return channel


def channel_join(*, member: Member, channel: Channel) -> ChannelMembership:
    if not can_join_channel(member, channel):
        raise _forbidden()
    try:
        with transaction.atomic():
            membership, _created = ChannelMembership.objects.get_or_create(
                channel=channel, member=member, defaults={"last_read_seq": channel.last_seq}
            )
    except IntegrityError:  # joined twice at once: the other request made it
        membership = ChannelMembership.objects.get(channel=channel, member=member)
    return membership


def channel_leave(*, member: Member, channel: Channel) -> None:
    if channel.kind == ChannelKind.DIRECT:
        raise ChannelError("invalid", _("A conversation cannot be left."))
    ChannelMembership.objects.filter(channel=channel, member=member).delete()


def region_channel_ensure(*, region) -> Channel:
    """The channel of a région, opened the first time one of its members needs it."""
    channel = Channel.objects.filter(kind=ChannelKind.REGION, region=region).first()
    if channel is not None:
        return channel
    try:
        with transaction.atomic():
            return Channel.objects.create(
                kind=ChannelKind.REGION,
                region=region,
                name=_("Région %(name)s") % {"name": region.name},
            )
    except IntegrityError:
        return Channel.objects.get(kind=ChannelKind.REGION, region=region)


def region_channels_join(*, member: Member) -> list[Channel]:
    """Members join their région's channel automatically: the régions of their cafés and of
    their professional or supplier profile."""
    from directory.models import Region

    from ..permissions import can_browse_open_channels

    if not can_browse_open_channels(member):
        return []
    regions = Region.objects.filter(
        Q(departements__communes__cafes__managers=member)
        | Q(departements__communes__professionals__member=member)
        | Q(departements__communes__suppliers__member=member)
    ).distinct()
    channels = []
    for region in regions:
        channel = region_channel_ensure(region=region)
        if not channel.is_archived:
            channel_join(member=member, channel=channel)
        channels.append(channel)
    return channels


def direct_conversation_open(*, member: Member, other: Member) -> Channel:
    """The one conversation between two members, opened the first time."""
    from ..permissions import can_talk_directly

    if not can_talk_directly(member, other):
        raise ChannelError("invalid", _("This conversation cannot be opened."))
    low, high = sorted([member.pk, other.pk])
    key = f"{low}-{high}"
    channel = Channel.objects.filter(direct_key=key).first()
    if channel is None:
        try:
            with transaction.atomic():
                channel = Channel.objects.create(
                    kind=ChannelKind.DIRECT,
                    direct_key=key,
                    name=f"{member} · {other}",
                )
                channel_members_add(channel=channel, members=[member, other])
        except IntegrityError:
            channel = Channel.objects.get(direct_key=key)
    return channel


# --- Messages --------------------------------------------------------------------------------


def _clean_body(body: Any) -> str:
    if not isinstance(body, str) or not body.strip():
        raise ChannelError("empty", _("Write a message before sending it."))
    body = body.strip()
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ChannelError(
            "too_long",
            _("A message holds %(max)s characters at most; this one has %(length)s.")
            % {"max": MESSAGE_MAX_LENGTH, "length": len(body)},
        )
    return body


def _mentioned_members(channel: Channel, body: str, author: Member) -> list[Member]:
    """Members named with @First or @First Last who may read the channel. The word after the
    first name is a last name only if it matches one ("@Alice bonjour" names Alice); a first
    name alone names its member only when a single reader of the channel bears it."""
    names = MENTION_PATTERN.findall(body)[:20]
    if not names:
        return []
    query = Q()
    for first, _last in names:
        query |= Q(first_name__iexact=first)
    readers = [
        member
        for member in Member.objects.filter(query).exclude(pk=author.pk)[:50]
        if can_read_channel(member, channel)
    ]
    found: dict[int, Member] = {}
    for first, last in names:
        same_first = [m for m in readers if m.first_name.lower() == first.lower()]
        full = [m for m in same_first if last and m.last_name.lower() == last.lower()]
        for member in full or (same_first if len(same_first) == 1 else []):
            found[member.pk] = member
    return list(found.values())


def message_post(
    *, author: Member, channel: Channel, body: Any, client_id: Any = ""
) -> tuple[Message, bool]:
    """Save a message with the channel's next number; returns (message, created). A resend
    with the same ``client_id`` returns the message already saved, and tells nobody again.

    Everything is decided on the channel as it is under its row lock: whether the author may
    still read and post, whether the message is a resend, and whether the author has posted
    too much in the last minute. Posting is the hot path of a busy channel
    (bench/chat_fanout.py), so it takes one of two ways:

    - given a channel read from the database that the author may post in, on PostgreSQL and
      outside a transaction, one statement numbers and saves the message, provided that what
      the decision rested on still holds under the lock (``_message_save_in_one_statement``);
    - otherwise, or when that statement refuses, a transaction whose first statement numbers
      the message, takes the lock and reads all three (``channel`` only names the channel),
      and which is rolled back on a refusal, with the reason."""
    body = _clean_body(body)
    if client_id is None:
        client_id = ""
    if not isinstance(client_id, str) or (client_id and not CLIENT_ID_PATTERN.match(client_id)):
        raise ChannelError("invalid", _("The message identifier is not valid."))
    if _may_post_in_one_statement(author, channel, body):
        try:
            saved = _message_save_in_one_statement(
                author=author, channel=channel, body=body, client_id=client_id
            )
        except IntegrityError:  # a resend that raced: the lookup below finds it
            saved = None
        if saved is not None:
            message, read_mark_moved = saved
            if not read_mark_moved:  # no membership yet: posting in an open channel joins it
                _author_read_up_to(message, membership_id=None)
            return message, True
        # Refused, or the channel has changed since it was read: decide on it as it is now.
    try:
        message, created = _message_save(
            author=author, channel_id=channel.pk, body=body, client_id=client_id
        )
    except _AlreadySaved as resent:
        return Message.objects.select_related("author").get(pk=resent.message_id), False
    except IntegrityError:
        # Resends that raced: the lookup made with the lock read the database as it was
        # when that query began, before the first send committed. Its row is there now.
        existing = (
            Message.objects.select_related("author")
            .filter(channel_id=channel.pk, author=author, client_id=client_id)
            .first()
            if client_id
            else None
        )
        if existing is None:
            raise
        return existing, False
    # After the commit and its broadcast: the author's read mark is not what the channel's
    # readers wait for.
    _author_read_up_to(message, membership_id=message.channel.membership_id)
    return message, created


def _author_read_up_to(message: Message, *, membership_id: int | None) -> None:
    # Done outside the lock, so two posts of the same author may get here in either order:
    # the mark only moves forward.
    try:
        if membership_id is None:  # posting in an open channel joins it
            membership, joined = ChannelMembership.objects.get_or_create(
                channel_id=message.channel_id,
                member_id=message.author_id,
                defaults={"last_read_seq": message.seq},
            )
            if joined:
                return
            membership_id = membership.pk
        ChannelMembership.objects.filter(pk=membership_id, last_read_seq__lt=message.seq).update(
            last_read_seq=message.seq
        )
    except DatabaseError:  # the message is saved and broadcast: do not report it as failed
        logger.warning("Read mark of message %s not saved", message.pk, exc_info=True)


class _AlreadySaved(Exception):  # noqa: N818 (not an error: a resend)
    def __init__(self, message_id: int) -> None:
        self.message_id = message_id


@transaction.atomic
def _message_save(
    *, author: Member, channel_id: int, body: str, client_id: str
) -> tuple[Message, bool]:
    count, seconds = getattr(settings, "NETWORK_POST_RATE_LIMIT", POST_RATE_LIMIT)
    now = timezone.now()
    channel = _channel_numbered(
        channel_id,
        author,
        client_id,
        now=now,
        recent_since=now - timedelta(seconds=seconds),
        recent_cap=count,
    )
    # Every refusal below rolls the numbering back with the transaction.
    if channel is None or not can_read_channel(author, channel):
        raise channel_not_found()
    if channel.resent_message_id is not None:
        raise _AlreadySaved(channel.resent_message_id)
    if not can_post_in_channel(author, channel):
        if channel.is_archived:
            raise ChannelError("archived", _("This channel is archived: it is read-only."))
        raise _forbidden()
    # Counted only now, so that resending what was already saved is never refused.
    if channel.recent_posts >= count:
        raise ChannelError(
            "rate_limited",
            _("You are sending messages too quickly: wait a minute before the next one."),
        )
    message = _message_checked(channel, channel.last_seq, author, body, client_id)
    message.save()
    mentioned = _mentioned_members(channel, body, author) if "@" in body else []
    if mentioned:
        Mention.objects.bulk_create(Mention(message=message, member=m) for m in mentioned)
    broadcast_on_commit(
        channel.group_name, {"type": "chat.message", "message": message_payload(message)}
    )
    if mentioned:
        from ..tasks import send_mention_mails

        transaction.on_commit(lambda: send_mention_mails.enqueue(message_id=message.pk))
    return message, True


def _message_checked(
    channel: Channel, seq: int, author: Member, body: str, client_id: str
) -> Message:
    """A new message, its fields validated. Its number is unique by the channel's lock; a
    resend was looked for under it, and one that raced is caught by the constraint
    (message_post)."""
    message = Message(channel=channel, seq=seq, author=author, body=body, client_id=client_id)
    message.full_clean(
        exclude=["channel", "author"], validate_unique=False, validate_constraints=False
    )
    return message


def _may_post_in_one_statement(author: Member, channel: Channel, body: str) -> bool:
    """Whether a post may take the one-statement path: on PostgreSQL, outside any
    transaction (the statement is one by itself), into a channel read from the database
    that the author may post in as it was read, without mentions (saved with the message)."""
    return (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and channel._state.db is not None
        and "@" not in body
        and can_post_in_channel(author, channel)
    )


def _message_save_in_one_statement(
    *, author: Member, channel: Channel, body: str, client_id: str
) -> tuple[Message, bool] | None:
    """Number and save the message in a single PostgreSQL statement, or return None (nothing
    written, no number taken) if the channel is no longer as it was when the decision to let
    the author post was made: archived since, the membership the decision relied on gone, a
    message already saved with this ``client_id``, or the posting limit reached. The same
    statement moves the author's read mark to their message if they have a membership: the
    message comes back with whether it did.

    The channel object may have been read a while ago (a socket reads it when it subscribes),
    so the statement checks again, under the row lock its UPDATE takes, the facts that
    ``can_post_in_channel`` decided on; who may post stays decided in network/permissions.py.
    Numbering and saving are one statement, hence one transaction: no gap, and one round trip
    to the database before the broadcast instead of four (bench/chat_fanout.py)."""
    count, seconds = getattr(settings, "NETWORK_POST_RATE_LIMIT", POST_RATE_LIMIT)
    message = _message_checked(channel, 1, author, body, client_id)  # numbered by the SQL
    quote = connection.ops.quote_name
    channels, memberships, messages = (
        quote(model._meta.db_table) for model in (Channel, ChannelMembership, Message)
    )
    columns, values, params = [], [], []
    for field in Message._meta.concrete_fields:
        if field.primary_key or field.name in ("channel", "seq"):
            continue
        value = field.pre_save(message, add=True)  # created_at is set here
        if value is None:
            continue  # the column's default is NULL
        columns.append(quote(field.column))
        # Typed as the column, as a SELECT's parameters are not; text is not cast, as a cast
        # to varchar(n) would cut a value too long rather than refuse it.
        text = field.get_internal_type() in ("CharField", "TextField")
        values.append("%s" if text else f"CAST(%s AS {field.cast_db_type(connection)})")
        params.append(field.get_db_prep_save(value, connection))
    sql = f"""
        WITH numbered AS (
            UPDATE {channels} SET last_seq = last_seq + 1, last_message_at = %s
            WHERE id = %s AND archived_at IS NULL
              AND (%s OR EXISTS (SELECT 1 FROM {memberships} m
                                  WHERE m.channel_id = {channels}.id AND m.member_id = %s))
              AND NOT EXISTS (SELECT 1 FROM {messages} x
                               WHERE x.channel_id = {channels}.id AND x.author_id = %s
                                 AND x.client_id = %s AND x.client_id <> '')
              AND (SELECT COUNT(*) FROM (SELECT 1 FROM {messages} r
                    WHERE r.author_id = %s AND r.created_at >= %s LIMIT %s) recent) < %s
            RETURNING id, last_seq
        ),
        saved AS (
            INSERT INTO {messages} ({quote("channel_id")}, {quote("seq")}, {", ".join(columns)})
            SELECT numbered.id, numbered.last_seq, {", ".join(values)} FROM numbered
            RETURNING {quote("id")}, {quote("seq")}
        ),
        marked AS (
            UPDATE {memberships} SET last_read_seq = GREATEST(last_read_seq, numbered.last_seq)
            FROM numbered WHERE channel_id = numbered.id AND member_id = %s
            RETURNING 1
        )
        SELECT saved.id, saved.seq, EXISTS (SELECT 1 FROM marked) FROM saved
    """  # noqa: S608 (names from the models' metadata, values as parameters)
    moment = connection.ops.adapt_datetimefield_value
    now = message.created_at
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                moment(now),
                channel.pk,
                can_join_channel(author, channel),  # open channels need no membership
                author.pk,
                author.pk,
                client_id,
                author.pk,
                moment(now - timedelta(seconds=seconds)),
                count,
                count,
                *params,
                author.pk,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    message.pk, message.seq, read_mark_moved = row
    message._state.adding, message._state.db = False, connection.alias
    # Not in a transaction: the broadcast leaves now, the message being saved.
    broadcast_on_commit(
        channel.group_name, {"type": "chat.message", "message": message_payload(message)}
    )
    return message, read_mark_moved


def _channel_numbered(
    channel_id: int,
    author: Member,
    client_id: str,
    *,
    now: datetime,
    recent_since: datetime,
    recent_cap: int,
) -> Channel | None:
    """Gives the channel's next number to the message being posted, which takes the channel's
    row lock until the transaction ends, and reads what posting decides on, in one statement:
    the channel as it is now (``last_seq`` is the new message's number), the author's
    membership (``membership_id``, also as the selectors prefetch it, in
    ``viewer_memberships``), the id of the author's message already saved with this
    ``client_id`` (``resent_message_id``) and how many messages the author saved since
    ``recent_since``, counted up to ``recent_cap`` (``recent_posts``).

    Written in SQL because posting is the busy path of a live channel (bench/chat_fanout.py):
    the ORM would take a SELECT ... FOR UPDATE, a separate UPDATE, and a few milliseconds of
    query building. UPDATE ... RETURNING runs on PostgreSQL and SQLite alike."""
    quote = connection.ops.quote_name
    channels, memberships, messages = (
        quote(model._meta.db_table) for model in (Channel, ChannelMembership, Message)
    )
    fields = ", ".join(quote(field.column) for field in Channel._meta.concrete_fields)
    sql = f"""
        UPDATE {channels} SET last_seq = last_seq + 1, last_message_at = %s WHERE id = %s
        RETURNING {fields},
            (SELECT m.id FROM {memberships} m
              WHERE m.channel_id = {channels}.id AND m.member_id = %s) AS membership_id,
            (SELECT x.id FROM {messages} x
              WHERE x.channel_id = {channels}.id AND x.author_id = %s
                AND x.client_id = %s AND x.client_id <> '') AS resent_message_id,
            (SELECT COUNT(*) FROM (SELECT 1 FROM {messages} r
              WHERE r.author_id = %s AND r.created_at >= %s LIMIT %s) recent) AS recent_posts
    """  # noqa: S608 (names from the models' metadata, values as parameters)
    moment = connection.ops.adapt_datetimefield_value
    params = [
        moment(now),
        channel_id,
        author.pk,
        author.pk,
        client_id,
        author.pk,
        moment(recent_since),
        recent_cap,
    ]
    channel = next(iter(Channel.objects.raw(sql, params)), None)
    if channel is not None:
        channel.viewer_memberships = (
            [ChannelMembership(pk=channel.membership_id, channel=channel, member=author)]
            if channel.membership_id
            else []
        )
    return channel


def _locked_message(message: Message) -> Message:
    # Lock the message row only: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer join to the author.
    return (
        Message.objects.select_for_update(of=("self",))
        .select_related("channel", "author")
        .get(pk=message.pk)
    )


@transaction.atomic
def message_edit(*, actor: Member, message: Message, body: Any) -> Message:
    body = _clean_body(body)
    message = _locked_message(message)
    if not can_change_message(actor, message):
        raise ChannelError("forbidden", _("You can only change your own messages."))
    message.body = body
    message.edited_at = timezone.now()
    message.save(update_fields=["body", "edited_at"])
    broadcast_on_commit(
        message.channel.group_name, {"type": "chat.update", "message": message_payload(message)}
    )
    return message


@transaction.atomic
def message_delete(*, actor: Member, message: Message) -> Message:
    message = _locked_message(message)
    if not can_change_message(actor, message):
        raise ChannelError("forbidden", _("You can only delete your own messages."))
    message.deleted_at = timezone.now()
    message.save(update_fields=["deleted_at"])
    broadcast_on_commit(
        message.channel.group_name, {"type": "chat.update", "message": message_payload(message)}
    )
    return message


@transaction.atomic
def message_hide(*, actor: Member, message: Message, reason: str) -> Message:
    """Staff moderation: the message keeps its place, without its text; who hid it and why
    is kept on the message, and its open reports are closed."""
    message = _locked_message(message)
    if not can_hide_message(actor, message):
        raise _forbidden()
    reason = (reason or "").strip()
    if not reason:
        raise ChannelError("invalid", _("Say why the message is hidden."))
    if message.hidden_at is None:
        message.hidden_at = timezone.now()
        message.hidden_by = actor
        message.hidden_reason = reason
        message.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        message.reports.filter(resolved_at__isnull=True).update(
            resolved_at=message.hidden_at, resolved_by=actor
        )
        broadcast_on_commit(
            message.channel.group_name,
            {"type": "chat.update", "message": message_payload(message)},
        )
    return message


@transaction.atomic
def message_report(*, reporter: Member, message: Message, reason: str):
    """A member points a message out to staff, once per message."""
    from ..models import MessageReport

    message = Message.objects.select_related("channel").get(pk=message.pk)
    if not can_report_message(reporter, message):
        if message.author_id == reporter.pk:
            raise ChannelError("own", _("You cannot report your own message."))
        if can_read_channel(reporter, message.channel) and not message.is_visible:
            raise ChannelError("gone", _("This message is no longer shown: nothing to report."))
        raise _forbidden()
    reason = (reason or "").strip()
    if not reason:
        raise ChannelError("invalid", _("Say what is wrong with this message."))
    if len(reason) > 1000:
        raise ChannelError("too_long", _("Keep the reason under 1,000 characters."))
    report, created = MessageReport.objects.get_or_create(
        message=message, reporter=reporter, defaults={"reason": reason}
    )
    if not created:
        raise ChannelError("duplicate", _("You have already reported this message."))
    from ..tasks import notify_staff_of_report

    # The report is saved whatever happens to the mail.
    transaction.on_commit(lambda: notify_staff_of_report.enqueue(report_id=report.pk), robust=True)
    return report


def channel_mark_read(*, member: Member, channel: Channel, seq: Any) -> None:
    """Move the member's read mark forward, never back."""
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
        raise ChannelError("invalid", _("The message number is not valid."))
    channel = Channel.objects.get(pk=channel.pk)
    if not can_read_channel(member, channel):
        raise _forbidden()
    if seq > channel.last_seq:
        raise ChannelError("future", _("This message number does not exist yet."))
    ChannelMembership.objects.filter(channel=channel, member=member, last_read_seq__lt=seq).update(
        last_read_seq=seq
    )
