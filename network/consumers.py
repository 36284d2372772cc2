"""The discussion channels' WebSocket: one socket per browser tab, see network/PROTOCOL.md.

The channel layer delivers at most once. Each socket keeps, per subscribed channel, the number
of the last message it sent; a broadcast already sent is dropped, and one that shows a gap is
preceded by the missing messages, read from the database. The database is the truth; the layer
only says "look now".
"""

import asyncio
import contextlib
import json
import logging
import random
import time
from dataclasses import dataclass, field
from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .forms import instant_from_client
from .models import Channel, Member, Message
from .permissions import can_post_in_channel, can_read_channel, is_approved_member
from .selectors.channels import (
    CATCH_UP_LIMIT,
    channel_get_for_member,
    channel_list_readable,
    message_list_after,
    message_list_changed,
)
from .services.channels import (
    ChannelError,
    channel_mark_read,
    channel_not_found,
    message_delete,
    message_edit,
    message_payload,
    message_post,
)

logger = logging.getLogger(__name__)

# Characters of a text frame: the longest message fits however its JSON is escaped (4,000
# emoji written as \ud83d\ude00 pairs take 48,000 characters).
MAX_FRAME_LENGTH = 65_536
MAX_SUBSCRIPTIONS = 50
FRAME_BURST = 30  # frames a socket may send at once ...
FRAME_WINDOW = 10.0  # ... refilled over this many seconds
TYPING_INTERVAL = 3.0  # seconds between two typing frames of a socket in a channel
REF_MAX_LENGTH = 64
BIGINT_MAX = 2**63 - 1
# Every so often each socket checks its channels against the database (a lost last broadcast,
# a group wiped by a Redis restart, an access withdrawn); settings may shorten it.
RESYNC_SECONDS = 20.0
# A broadcast that comes ahead of one not received yet waits this long for it before the
# missing messages are read from the database: broadcasts posted through two server
# processes may cross on their way, and a database read by every socket of a busy channel
# at once would cost more than the wait; settings may change it.
GAP_WAIT_SECONDS = 0.5
EARLY_MAX = 100  # broadcasts held per channel while waiting; past this, read at once
CLOSE_NOT_ALLOWED = 4403
LAYER_RETRY_FIRST, LAYER_RETRY_LAST = 0.1, 2.0  # seconds between attempts to reach the layer


class TokenBucket:
    """``capacity`` actions at once, refilled at ``capacity / seconds`` per second."""

    def __init__(self, capacity: int, seconds: float) -> None:
        self.capacity = capacity
        self.rate = capacity / seconds
        self.tokens = float(capacity)
        self.updated = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


@dataclass
class Subscription:
    channel: Channel
    delivered: int  # the last seq sent on this socket
    may_post: bool
    typing_sent_at: float = 0.0
    # Broadcasts that came ahead of a missing one, by seq, and the timer that gives up
    # waiting for it.
    early: dict[int, dict] = field(default_factory=dict)
    gap_timer: asyncio.TimerHandle | None = None

    def stop_waiting(self) -> None:
        if self.gap_timer is not None:
            self.gap_timer.cancel()
            self.gap_timer = None


# --- Frame validation ------------------------------------------------------------------------


def _bad_frame(message: str) -> ChannelError:
    return ChannelError("bad_frame", message)


def _number(content: dict, name: str, *, minimum: int) -> int:
    value = content.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad_frame(
            _("The field %(field)s is missing or is not a whole number.") % {"field": name}
        )
    if not minimum <= value <= BIGINT_MAX:
        raise ChannelError("invalid", _("The field %(field)s is out of range.") % {"field": name})
    return value


def _text(content: dict, name: str) -> str:
    value = content.get(name)
    if not isinstance(value, str):
        raise _bad_frame(_("The field %(field)s is missing or is not text.") % {"field": name})
    return value


def _ref(content: dict) -> str | int | None:
    ref = content.get("ref")
    if ref is None:
        return None
    if isinstance(ref, bool) or not isinstance(ref, str | int):
        raise _bad_frame(_("The field ref must be a number or a text of 64 characters at most."))
    if isinstance(ref, str) and len(ref) > REF_MAX_LENGTH:
        raise _bad_frame(_("The field ref must be a number or a text of 64 characters at most."))
    return ref


def _message_not_found() -> ChannelError:
    return ChannelError("not_found", _("This message does not exist or you cannot read it."))


class ChannelConsumer(AsyncWebsocketConsumer):
    """Subscribe, catch up, post, edit, delete, mark read, typing: the actions of PROTOCOL.md.

    ORM work happens only in ``database_sync_to_async`` helpers that fetch and check
    permission in one step; the domain rules are the services' and permissions'.
    """

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        # AsyncConsumer.__call__, with the layer's receive made to survive the layer's outages
        # and a timer that makes the socket check its channels against the database.
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.channel_name = await self.channel_layer.new_channel()
        self.base_send = send
        self.member: Member | None = None
        self.subscriptions: dict[int, Subscription] = {}
        # A setting may lift the limit (bench/chat_fanout.py posts 50 messages a second).
        self.frames = TokenBucket(
            *getattr(settings, "NETWORK_FRAME_LIMIT", (FRAME_BURST, FRAME_WINDOW))
        )
        self.layer_down = False
        self.layer_retry_delay = LAYER_RETRY_FIRST
        # The timers' events (the periodic check, the end of a wait for a missing broadcast).
        self.own_events: asyncio.Queue[dict] = asyncio.Queue()
        self.resync_timer: asyncio.TimerHandle | None = None
        self._schedule_resync()
        try:
            with contextlib.suppress(StopConsumer):
                await self._dispatch_from([receive, self._layer_receive, self.own_events.get])
        finally:
            self.resync_timer.cancel()
            for subscription in self.subscriptions.values():
                subscription.stop_waiting()

    async def _dispatch_from(self, sources: list[Any]) -> None:
        """Handle the events of every source, one at a time, until a handler stops the
        consumer (StopConsumer) or fails.

        What channels' await_many_dispatch does, without its cost per event (a new task, and
        a wait on every source's task): about 14 microseconds, measured, where a broadcast to
        200 sockets at 50 messages a second is 10,000 events a second (bench/chat_fanout.py).
        Here each source has a task of its own that takes its next event only once the last
        one is handled, as there; a lock keeps handlers from running side by side."""
        handling = asyncio.Lock()

        async def take_from(source: Any) -> None:
            while True:
                event = await source()
                async with handling:
                    await self.dispatch(event)

        takers = [asyncio.create_task(take_from(source)) for source in sources]
        try:
            done, _pending = await asyncio.wait(takers, return_when=asyncio.FIRST_EXCEPTION)
            for taker in done:
                taker.result()  # StopConsumer, or the failure of a handler
        finally:
            for taker in takers:
                taker.cancel()
            await asyncio.gather(*takers, return_exceptions=True)

    async def dispatch(self, message: dict) -> None:
        # channels 4.3 awaits aclose_old_connections() before every handler: a thread handoff
        # per frame and per broadcast. Every ORM call here runs in database_sync_to_async,
        # which closes stale connections in its own thread, so it is skipped.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            logger.warning("Ignored event of type %r", message.get("type"))
            return
        await handler(message)

    async def _layer_receive(self) -> dict:
        """The next event from the layer. When the layer fails (Redis restarting), wait, join
        the groups again (a restarted Redis has forgotten them) and report the recovery, so
        that what was missed meanwhile is read from the database."""
        while True:
            try:
                if self.layer_down and self.subscriptions:
                    for subscription in list(self.subscriptions.values()):
                        await self.channel_layer.group_add(
                            subscription.channel.group_name, self.channel_name
                        )
                    self.layer_down = False
                    self.layer_retry_delay = LAYER_RETRY_FIRST
                    logger.warning("Channel layer available again for %s", self.channel_name)
                    return {"type": "layer.recovered"}
                event = await self.channel_layer.receive(self.channel_name)
                self.layer_down = False
                self.layer_retry_delay = LAYER_RETRY_FIRST
                return event
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if not self.layer_down:
                    logger.warning("Channel layer unavailable: %r", error)
                self.layer_down = True
                await asyncio.sleep(self.layer_retry_delay)
                self.layer_retry_delay = min(self.layer_retry_delay * 2, LAYER_RETRY_LAST)

    def _schedule_resync(self) -> None:
        # Spread over a quarter of the period either way: sockets that connected together
        # (after a server restart) do not all query the database in the same second.
        period = getattr(settings, "NETWORK_RESYNC_SECONDS", RESYNC_SECONDS)
        self.resync_timer = asyncio.get_running_loop().call_later(
            period * random.uniform(0.75, 1.25),  # noqa: S311 (not a secret)
            self.own_events.put_nowait,
            {"type": "resync.due"},
        )

    # --- Connection ----------------------------------------------------------------------------

    async def connect(self) -> None:
        self.member = await self._fresh_member()
        if self.member is None:
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        await self.accept()

    async def websocket_disconnect(self, message: dict) -> None:
        for subscription in self.subscriptions.values():
            subscription.stop_waiting()
            await self._group_discard(subscription.channel.group_name)
        self.subscriptions = {}
        raise StopConsumer()

    # --- Frames from the client --------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.member is None:
            return
        if not self.frames.take():
            await self._send_error(
                ChannelError("rate_limited", _("Too many frames at once: wait a few seconds."))
            )
            return
        try:
            content = self._decode(text_data)
            ref = _ref(content)
        except ChannelError as error:
            await self._send_error(error)
            return
        channel = content.get("channel")
        channel = channel if isinstance(channel, int) and not isinstance(channel, bool) else None
        action = content.get("action")
        handler = self.actions.get(action) if isinstance(action, str) else None
        try:
            if handler is None:
                raise ChannelError("unknown_action", _("Unknown action."))
            await handler(self, content, ref)
        except ChannelError as error:
            await self._send_error(error, ref=ref, channel=channel)
        except StopConsumer:
            raise
        except Exception:
            logger.exception("WebSocket action %r failed", action)
            await self._send_error(
                ChannelError(
                    "server_error",
                    _("Something went wrong on the server; try again in a moment."),
                ),
                ref=ref,
                channel=channel,
            )

    def _decode(self, text_data: str | None) -> dict:
        if text_data is None:
            raise ChannelError("bad_json", _("Frames are JSON text, not binary data."))
        if len(text_data) > MAX_FRAME_LENGTH:
            raise ChannelError(
                "too_large",
                _("This frame is too large: %(max)s characters at most.")
                % {"max": MAX_FRAME_LENGTH},
            )
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
            raise ChannelError("bad_json", _("This frame is not valid JSON.")) from None
        if not isinstance(content, dict):
            raise _bad_frame(_("A frame must be a JSON object."))
        return content

    async def action_subscribe(self, content: dict, ref: Any) -> None:
        channel_id = _number(content, "channel", minimum=1)
        last_seq = content.get("last_seq")
        if last_seq is not None:
            last_seq = _number(content, "last_seq", minimum=0)
        if channel_id not in self.subscriptions and len(self.subscriptions) >= MAX_SUBSCRIPTIONS:
            raise ChannelError(
                "too_many_channels",
                _("A page follows %(max)s channels at most.") % {"max": MAX_SUBSCRIPTIONS},
            )
        changes_since = content.get("changes_since")
        if changes_since is not None:
            changes_since = instant_from_client(changes_since)
            if changes_since is None:
                raise _bad_frame(_("The field changes_since must be a moment given by the server."))
        channel, may_post = await self._channel_to_subscribe(channel_id)
        if last_seq is not None and last_seq > channel.last_seq:
            raise ChannelError("future", _("This message number does not exist yet."))
        subscription = Subscription(
            channel=channel,
            delivered=channel.last_seq if last_seq is None else last_seq,
            may_post=may_post,
        )
        if channel_id in self.subscriptions:
            self.subscriptions[channel_id].stop_waiting()
        self.subscriptions[channel_id] = subscription
        # Join first, read second: a message committed in between is both read and
        # broadcast, and the broadcast is then dropped as already sent.
        await self._group_add(channel.group_name)
        # Taken after joining: a change made later is broadcast to this socket.
        now = timezone.now()
        if changes_since is not None and subscription.delivered:
            for payload in await self._changes_of(channel, subscription.delivered, changes_since):
                await self._send_json({"type": "update", "message": payload})
        await self._catch_up(subscription)
        await self._reply(
            {
                "type": "subscribed",
                "channel": channel_id,
                "last_seq": subscription.delivered,
                "at": now.isoformat(),
            },
            ref,
        )

    async def action_unsubscribe(self, content: dict, ref: Any) -> None:
        channel_id = _number(content, "channel", minimum=1)
        subscription = self.subscriptions.pop(channel_id, None)
        if subscription is not None:
            subscription.stop_waiting()
            await self._group_discard(subscription.channel.group_name)
        await self._reply({"type": "unsubscribed", "channel": channel_id}, ref)

    async def action_post(self, content: dict, ref: Any) -> None:
        channel_id = _number(content, "channel", minimum=1)
        body = _text(content, "body")
        client_id = _text(content, "client_id")
        if not client_id:
            raise ChannelError("invalid", _("The message identifier is not valid."))
        # The channel as this socket read it when subscribing, if it did: the service may
        # then save the message in one statement (it checks what may have changed since).
        subscription = self.subscriptions.get(channel_id)
        channel = subscription.channel if subscription is not None else Channel(pk=channel_id)
        posted = await self._post(channel, body, client_id)
        await self._reply({"type": "posted", "channel": channel_id, **posted}, ref)

    async def action_edit(self, content: dict, ref: Any) -> None:
        message_id = _number(content, "message", minimum=1)
        body = _text(content, "body")
        await self._edit(message_id, body)
        await self._reply({"type": "edited", "message": message_id}, ref)

    async def action_delete(self, content: dict, ref: Any) -> None:
        message_id = _number(content, "message", minimum=1)
        await self._delete(message_id)
        await self._reply({"type": "deleted", "message": message_id}, ref)

    async def action_read(self, content: dict, ref: Any) -> None:
        channel_id = _number(content, "channel", minimum=1)
        seq = _number(content, "seq", minimum=0)
        await self._mark_read(channel_id, seq)
        await self._reply({"type": "marked_read", "channel": channel_id, "seq": seq}, ref)

    async def action_typing(self, content: dict, ref: Any) -> None:
        channel_id = _number(content, "channel", minimum=1)
        subscription = self.subscriptions.get(channel_id)
        if subscription is None:
            raise ChannelError("not_subscribed", _("Subscribe to this channel first."))
        if not subscription.may_post:
            raise ChannelError("forbidden", _("You may not do this in this channel."))
        now = time.monotonic()
        if now - subscription.typing_sent_at < TYPING_INTERVAL:
            return  # said a moment ago
        subscription.typing_sent_at = now
        try:
            await self.channel_layer.group_send(
                subscription.channel.group_name,
                {
                    "type": "chat.typing",
                    "channel": channel_id,
                    "member": {"id": self.member.pk, "name": str(self.member)},
                },
            )
        except Exception as error:  # typing is a courtesy: never worth an error
            logger.warning("Typing not broadcast: %r", error)

    async def action_ping(self, content: dict, ref: Any) -> None:
        await self._reply({"type": "pong"}, ref)

    actions = {
        "subscribe": action_subscribe,
        "unsubscribe": action_unsubscribe,
        "post": action_post,
        "edit": action_edit,
        "delete": action_delete,
        "read": action_read,
        "typing": action_typing,
        "ping": action_ping,
    }

    # --- Events from the channel layer ---------------------------------------------------------

    async def chat_message(self, event: dict) -> None:
        payload = event["message"]
        subscription = self.subscriptions.get(payload["channel"])
        if subscription is None or payload["seq"] <= subscription.delivered:
            return  # not followed here, or already sent (by the catch-up)
        if payload["seq"] == subscription.delivered + 1:
            await self._send_json({"type": "message", "message": payload})
            subscription.delivered = payload["seq"]
            if subscription.early:
                await self._send_early(subscription)
        elif len(subscription.early) < EARLY_MAX:
            # Ahead of a message not received yet: hold it until that one comes, or until
            # the wait is over and what is missing is read from the database.
            subscription.early[payload["seq"]] = payload
            if subscription.gap_timer is None:
                wait = getattr(settings, "NETWORK_GAP_WAIT_SECONDS", GAP_WAIT_SECONDS)
                subscription.gap_timer = asyncio.get_running_loop().call_later(
                    wait,
                    self.own_events.put_nowait,
                    {"type": "subscription.gap", "channel": payload["channel"]},
                )
        else:
            await self._catch_up_safely(subscription)

    async def subscription_gap(self, event: dict) -> None:
        """The wait for a missing broadcast is over: it was lost (the layer dropped it, Redis
        restarted); send what is missing, in order, from the database."""
        subscription = self.subscriptions.get(event["channel"])
        if subscription is None:
            return
        subscription.gap_timer = None
        if subscription.early:
            await self._catch_up_safely(subscription)

    async def _send_early(self, subscription: Subscription) -> None:
        """Send the held broadcasts that now follow on, and forget those already sent."""
        early = subscription.early
        while (payload := early.pop(subscription.delivered + 1, None)) is not None:
            await self._send_json({"type": "message", "message": payload})
            subscription.delivered = payload["seq"]
        for seq in [seq for seq in early if seq <= subscription.delivered]:
            del early[seq]
        if not early:
            subscription.stop_waiting()

    async def chat_update(self, event: dict) -> None:
        payload = event["message"]
        subscription = self.subscriptions.get(payload["channel"])
        if subscription is None:
            return
        if payload["seq"] > subscription.delivered:
            # The message itself was not sent yet: the catch-up sends it as it is now.
            await self._catch_up_safely(subscription)
            return
        await self._send_json({"type": "update", "message": payload})

    async def chat_typing(self, event: dict) -> None:
        if event["channel"] in self.subscriptions and event["member"]["id"] != self.member.pk:
            await self._send_json(
                {"type": "typing", "channel": event["channel"], "member": event["member"]}
            )

    async def channel_archived(self, event: dict) -> None:
        subscription = self.subscriptions.get(event["channel"])
        if subscription is not None:
            subscription.may_post = False
            await self._send_json({"type": "archived", "channel": event["channel"]})

    async def layer_recovered(self, event: dict) -> None:
        await self.subscriptions_resync(event)

    async def resync_due(self, event: dict) -> None:
        self._schedule_resync()
        await self.subscriptions_resync(event)

    async def subscriptions_resync(self, event: dict) -> None:
        """Check the followed channels against the database: send what was missed, drop
        channels no longer readable, join the groups again."""
        if self.member is None:
            return
        try:
            member, states = await self._resync_state(list(self.subscriptions))
            if member is None:
                self.member = None
                await self.close(code=CLOSE_NOT_ALLOWED)
                return
            self.member = member
            if not self.subscriptions:
                return
        except Exception:
            logger.warning("Subscriptions not checked", exc_info=True)
            return
        for channel_id, subscription in list(self.subscriptions.items()):
            state = states.get(channel_id)
            if state is None:
                del self.subscriptions[channel_id]
                await self._group_discard(subscription.channel.group_name)
                await self._send_json({"type": "unsubscribed", "channel": channel_id})
                continue
            last_seq, archived = state
            await self._group_add(subscription.channel.group_name)
            if archived and subscription.may_post:
                subscription.may_post = False
                await self._send_json({"type": "archived", "channel": channel_id})
            if last_seq > subscription.delivered:
                await self._catch_up_safely(subscription)

    # --- Sending -------------------------------------------------------------------------------

    async def _send_json(self, content: dict) -> None:
        try:
            await self.send(
                text_data=json.dumps(content, ensure_ascii=False, separators=(",", ":"))
            )
        except OSError:
            # The client went away while a frame was on its way: ASGI servers say so with an
            # OSError (uvicorn's ClientDisconnected). Leave quietly, as on a disconnect.
            await self.websocket_disconnect({"type": "websocket.disconnect", "code": 1006})

    async def _reply(self, content: dict, ref: Any) -> None:
        if ref is not None:
            content["ref"] = ref
        await self._send_json(content)

    async def _send_error(
        self, error: ChannelError, *, ref: Any = None, channel: int | None = None
    ) -> None:
        content: dict[str, Any] = {"type": "error", "code": error.code, "message": error.message}
        if channel is not None:
            content["channel"] = channel
        await self._reply(content, ref)

    async def _catch_up(self, subscription: Subscription) -> None:
        """Send, in order, every message after the last one sent on this socket."""
        # Held broadcasts are read again from the database, as they are now.
        subscription.early.clear()
        subscription.stop_waiting()
        while True:
            payloads = await self._payloads_after(subscription.channel, subscription.delivered)
            for payload in payloads:
                if payload["seq"] > subscription.delivered:
                    await self._send_json({"type": "message", "message": payload})
                    subscription.delivered = payload["seq"]
            if len(payloads) < CATCH_UP_LIMIT:
                return

    async def _catch_up_safely(self, subscription: Subscription) -> None:
        try:
            await self._catch_up(subscription)
        except StopConsumer:
            raise
        except Exception:  # the database is away: the next check sends what is missing
            logger.warning("Catch-up failed", exc_info=True)

    async def _group_add(self, group: str) -> None:
        try:
            await self.channel_layer.group_add(group, self.channel_name)
        except Exception as error:  # the layer is away: the next check joins again
            logger.warning("Group %s not joined: %r", group, error)

    async def _group_discard(self, group: str) -> None:
        try:
            await self.channel_layer.group_discard(group, self.channel_name)
        except Exception as error:
            logger.warning("Group %s not left: %r", group, error)

    # --- Database: fetch and check permission in one step --------------------------------------

    @database_sync_to_async
    def _fresh_member(self) -> Member | None:
        return self._current_member()

    def _current_member(self) -> Member | None:
        user = self.scope.get("user")
        if not is_approved_member(user):
            return None
        member = Member.objects.filter(pk=user.pk).first()
        return member if is_approved_member(member) else None

    @database_sync_to_async
    def _channel_to_subscribe(self, channel_id: int) -> tuple[Channel, bool]:
        channel = channel_get_for_member(self.member, channel_id)
        if channel is None:
            raise channel_not_found()
        return channel, can_post_in_channel(self.member, channel)

    @database_sync_to_async
    def _payloads_after(self, channel: Channel, after_seq: int) -> list[dict]:
        return [
            message_payload(message) for message in message_list_after(channel, after_seq=after_seq)
        ]

    @database_sync_to_async
    def _changes_of(self, channel: Channel, up_to_seq: int, since) -> list[dict]:
        return [
            message_payload(message)
            for message in message_list_changed(channel, up_to_seq=up_to_seq, since=since)
        ]

    @database_sync_to_async
    def _resync_state(
        self, channel_ids: list[int]
    ) -> tuple[Member | None, dict[int, tuple[int, bool]]]:
        """The member as they are now, and the number and state of each followed channel
        they may still read: one trip to the database thread."""
        member = self._current_member()
        if member is None or not channel_ids:
            return member, {}
        rows = (
            channel_list_readable(member)
            .filter(pk__in=channel_ids)
            .values_list("pk", "last_seq", "archived_at")
        )
        return member, {pk: (last, archived is not None) for pk, last, archived in rows}

    @database_sync_to_async
    def _post(self, channel: Channel, body: str, client_id: str) -> dict:
        # The service decides on the channel as it is in the database: reading it here
        # first would only cost the busiest path more queries.
        message, created = message_post(
            author=self.member, channel=channel, body=body, client_id=client_id
        )
        return {"client_id": client_id, "id": message.pk, "seq": message.seq, "created": created}

    def _readable_message(self, message_id: int) -> Message:
        message = Message.objects.select_related("channel").filter(pk=message_id).first()
        if message is None or not can_read_channel(self.member, message.channel):
            raise _message_not_found()
        return message

    @database_sync_to_async
    def _edit(self, message_id: int, body: str) -> None:
        message_edit(actor=self.member, message=self._readable_message(message_id), body=body)

    @database_sync_to_async
    def _delete(self, message_id: int) -> None:
        message_delete(actor=self.member, message=self._readable_message(message_id))

    @database_sync_to_async
    def _mark_read(self, channel_id: int, seq: int) -> None:
        channel = channel_get_for_member(self.member, channel_id)
        if channel is None:
            raise channel_not_found()
        channel_mark_read(member=self.member, channel=channel, seq=seq)
