"""The discussion channels' WebSocket (network/PROTOCOL.md), through the real stack:
same-origin check, session authentication, approved members only, then the consumer.

The channel layer is the one the settings give: in-memory, or channels-redis with REDIS_URL.
"""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers, get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.utils import timezone

from comptoir.websocket import websocket_application
from network import consumers
from network.models import Channel, ChannelKind, ChannelMembership, Message, Role
from network.routing import websocket_urlpatterns
from network.services.channels import channel_members_add, message_payload, message_post

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

application = websocket_application(websocket_urlpatterns)
TIMEOUT = 3


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test (and its event loop) gets its own layer instance."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def cookie_for(member) -> str:
    client = Client()
    client.force_login(member)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@pytest.fixture
def world(member_factory):
    """A topic channel, a private channel of two managers, and who is who."""
    alice = member_factory(role=Role.MANAGER, first_name="Alice", last_name="Martin")
    bruno = member_factory(role=Role.MANAGER, first_name="Bruno", last_name="Petit")
    outsider = member_factory(role=Role.MANAGER, first_name="Chloé", last_name="Roux")
    resident = member_factory(role=Role.RESIDENT, first_name="Denis", last_name="Blanc")
    staff = member_factory(role=Role.STAFF, first_name="Eva", last_name="Noir")
    topic = Channel.objects.create(kind=ChannelKind.TOPIC, name="Approvisionnement")
    private = Channel.objects.create(kind=ChannelKind.PRIVATE, name="Projet de Sulignat")
    channel_members_add(channel=private, members=[alice, bruno, resident])
    return {
        "alice": alice,
        "bruno": bruno,
        "outsider": outsider,
        "resident": resident,
        "staff": staff,
        "topic": topic,
        "private": private,
        "cookies": {
            name: cookie_for(member)
            for name, member in [
                ("alice", alice),
                ("bruno", bruno),
                ("outsider", outsider),
                ("resident", resident),
                ("staff", staff),
            ]
        },
    }


def post_many(channel, author, count, prefix="Message"):
    for number in range(1, count + 1):
        message_post(author=author, channel=channel, body=f"{prefix} {number}")


async def open_socket(cookie: str | None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, "/ws/canaux/", headers=headers)
    connected, _code = await communicator.connect()
    assert connected
    return communicator


async def send(communicator, **frame) -> None:
    await communicator.send_to(text_data=json.dumps(frame))


async def receive(communicator) -> dict:
    return await communicator.receive_json_from(timeout=TIMEOUT)


async def receive_until(communicator, frame_type: str) -> list[dict]:
    """Every frame up to and including the first of the given type."""
    frames = []
    while True:
        frame = await receive(communicator)
        frames.append(frame)
        if frame["type"] == frame_type:
            return frames


async def subscribe(communicator, channel, last_seq=0) -> list[dict]:
    await send(communicator, action="subscribe", channel=channel.pk, last_seq=last_seq)
    return await receive_until(communicator, "subscribed")


async def assert_still_open(communicator) -> None:
    await send(communicator, action="ping", ref="encore-là")
    assert await receive(communicator) == {"type": "pong", "ref": "encore-là"}


def seqs(frames) -> list[int]:
    return [f["message"]["seq"] for f in frames if f["type"] == "message"]


@database_sync_to_async
def stored(channel) -> list[tuple[int, str]]:
    return list(Message.objects.filter(channel=channel).values_list("seq", "body"))


# --- The stack in front of the consumer --------------------------------------------------------


async def test_anonymous_visitors_are_refused_at_the_handshake():
    communicator = WebsocketCommunicator(
        application,
        "/ws/canaux/",
        headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")],
    )
    connected, code = await communicator.connect()

    assert not connected
    assert code == 4403
    await communicator.disconnect()


# --- Subscribing and catching up ------------------------------------------------------------


async def test_subscribing_sends_what_was_missed_in_order_then_live_messages(world):
    await database_sync_to_async(post_many)(world["topic"], world["alice"], 5)
    bruno = await open_socket(world["cookies"]["bruno"])
    alice = await open_socket(world["cookies"]["alice"])
    try:
        frames = await subscribe(bruno, world["topic"], last_seq=2)

        assert seqs(frames) == [3, 4, 5]
        assert [f["message"]["body"] for f in frames[:3]] == ["Message 3", "Message 4", "Message 5"]
        subscribed = frames[-1]
        assert subscribed.pop("at")  # the moment, for the next changes_since
        assert subscribed == {"type": "subscribed", "channel": world["topic"].pk, "last_seq": 5}
        assert frames[0]["message"]["author"]["name"] == "Alice Martin"

        await send(alice, action="post", channel=world["topic"].pk, body="Six", client_id="c6")
        assert (await receive(alice))["type"] == "posted"
        live = await receive(bruno)
        assert (live["type"], live["message"]["seq"], live["message"]["body"]) == (
            "message",
            6,
            "Six",
        )
    finally:
        await bruno.disconnect()
        await alice.disconnect()


async def test_subscribing_with_no_last_seq_sends_only_what_comes_next(world):
    await database_sync_to_async(post_many)(world["topic"], world["alice"], 3)
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        await send(bruno, action="subscribe", channel=world["topic"].pk, last_seq=None, ref=1)

        subscribed = await receive(bruno)
        subscribed.pop("at")
        assert subscribed == {
            "type": "subscribed",
            "channel": world["topic"].pk,
            "last_seq": 3,
            "ref": 1,
        }
    finally:
        await bruno.disconnect()


async def test_a_long_absence_is_caught_up_in_several_batches(world, monkeypatch):
    monkeypatch.setattr(consumers, "CATCH_UP_LIMIT", 4)
    monkeypatch.setattr("network.selectors.channels.CATCH_UP_LIMIT", 4)
    await database_sync_to_async(post_many)(world["topic"], world["alice"], 11)
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        frames = await subscribe(bruno, world["topic"], last_seq=1)

        assert seqs(frames) == list(range(2, 12))
    finally:
        await bruno.disconnect()


async def test_a_message_both_caught_up_and_broadcast_is_sent_once(world):
    await database_sync_to_async(post_many)(world["topic"], world["alice"], 3)
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        assert seqs(await subscribe(bruno, world["topic"], last_seq=0)) == [1, 2, 3]
        third = await database_sync_to_async(
            lambda: message_payload(Message.objects.get(channel=world["topic"], seq=3))
        )()

        # The broadcast of message 3, arriving after the catch-up that already sent it.
        await get_channel_layer().group_send(
            world["topic"].group_name, {"type": "chat.message", "message": third}
        )

        assert await bruno.receive_nothing(timeout=0.3)
        await assert_still_open(bruno)
    finally:
        await bruno.disconnect()


async def test_a_lost_broadcast_is_filled_in_from_the_database_before_the_next(world):
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        await subscribe(bruno, world["topic"])

        @database_sync_to_async
        def save_silently():  # message 1 is saved but its broadcast never arrives
            Message.objects.create(
                channel=world["topic"], seq=1, author=world["alice"], body="Perdu en route"
            )
            Channel.objects.filter(pk=world["topic"].pk).update(last_seq=1)
            message_post(author=world["alice"], channel=world["topic"], body="Suivant")

        await save_silently()

        first, second = await receive(bruno), await receive(bruno)
        assert [first["message"]["seq"], second["message"]["seq"]] == [1, 2]
        assert [first["message"]["body"], second["message"]["body"]] == [
            "Perdu en route",
            "Suivant",
        ]
        assert await bruno.receive_nothing(timeout=0.3)
    finally:
        await bruno.disconnect()


@database_sync_to_async
def saved_without_broadcast(channel, author, bodies) -> list[dict]:
    """Messages saved as posting saves them, whose broadcasts the test sends itself."""
    for seq, body in enumerate(bodies, start=1):
        Message.objects.create(channel=channel, seq=seq, author=author, body=body)
    Channel.objects.filter(pk=channel.pk).update(last_seq=len(bodies))
    return [message_payload(m) for m in Message.objects.filter(channel=channel).order_by("seq")]


async def broadcast(channel, payload) -> None:
    await get_channel_layer().group_send(
        channel.group_name, {"type": "chat.message", "message": payload}
    )


async def test_broadcasts_that_cross_on_the_way_are_sent_in_order_without_a_database_read(
    world, settings, monkeypatch
):
    """Two server processes may publish messages 1 and 2 in either order."""
    settings.NETWORK_GAP_WAIT_SECONDS = 30  # the reorder must not wait for the timer
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        await subscribe(bruno, world["topic"])
        reads = []
        read_after = consumers.ChannelConsumer._payloads_after
        monkeypatch.setattr(
            consumers.ChannelConsumer,
            "_payloads_after",
            lambda self, *args: reads.append(args) or read_after(self, *args),
        )
        first, second, third = await saved_without_broadcast(
            world["topic"], world["alice"], ["Un", "Deux", "Trois"]
        )

        for payload in (third, second, first):
            await broadcast(world["topic"], payload)
        frames = [await receive(bruno) for _ in range(3)]

        assert seqs(frames) == [1, 2, 3]
        assert [f["message"]["body"] for f in frames] == ["Un", "Deux", "Trois"]
        assert reads == []
        assert await bruno.receive_nothing(timeout=0.3)
    finally:
        await bruno.disconnect()


async def test_a_broadcast_that_never_comes_is_read_from_the_database_after_a_short_wait(
    world, settings
):
    settings.NETWORK_GAP_WAIT_SECONDS = 0.3
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        await subscribe(bruno, world["topic"])
        first, second = await saved_without_broadcast(
            world["topic"], world["alice"], ["Perdu", "Arrivé"]
        )

        await broadcast(world["topic"], second)
        assert await bruno.receive_nothing(timeout=0.1)  # waiting for message 1
        frames = [await receive(bruno), await receive(bruno)]
        await broadcast(world["topic"], first)  # too late: already sent

        assert seqs(frames) == [1, 2]
        assert [f["message"]["body"] for f in frames] == ["Perdu", "Arrivé"]
        assert await bruno.receive_nothing(timeout=0.5)
        await assert_still_open(bruno)
    finally:
        await bruno.disconnect()


async def test_the_periodic_check_sends_a_lost_last_message(world, settings):
    settings.NETWORK_RESYNC_SECONDS = 0.2
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        await subscribe(bruno, world["topic"])

        @database_sync_to_async
        def save_silently():
            Message.objects.create(
                channel=world["topic"], seq=1, author=world["alice"], body="Sans diffusion"
            )
            Channel.objects.filter(pk=world["topic"].pk).update(last_seq=1)

        await save_silently()

        frame = await receive(bruno)
        assert (frame["type"], frame["message"]["seq"]) == ("message", 1)
    finally:
        await bruno.disconnect()


async def test_a_member_removed_from_a_private_channel_stops_receiving_it(world, settings):
    settings.NETWORK_RESYNC_SECONDS = 0.2
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        await subscribe(bruno, world["private"])
        await database_sync_to_async(
            ChannelMembership.objects.filter(member=world["bruno"], channel=world["private"]).delete
        )()

        assert await receive(bruno) == {"type": "unsubscribed", "channel": world["private"].pk}
        await database_sync_to_async(message_post)(
            author=world["alice"], channel=world["private"], body="Entre nous"
        )
        assert await bruno.receive_nothing(timeout=0.3)
    finally:
        await bruno.disconnect()


async def test_an_unsubscribed_channel_is_no_longer_sent(world):
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        await subscribe(bruno, world["topic"])
        await send(bruno, action="unsubscribe", channel=world["topic"].pk)
        assert await receive(bruno) == {"type": "unsubscribed", "channel": world["topic"].pk}

        await database_sync_to_async(message_post)(
            author=world["alice"], channel=world["topic"], body="Personne ?"
        )

        assert await bruno.receive_nothing(timeout=0.3)
    finally:
        await bruno.disconnect()


# --- Posting --------------------------------------------------------------------------------


async def test_a_post_is_acknowledged_to_its_sender_and_broadcast_to_others(world):
    alice = await open_socket(world["cookies"]["alice"])
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        await subscribe(alice, world["private"])
        await subscribe(bruno, world["private"])

        await send(
            alice,
            action="post",
            channel=world["private"].pk,
            body="  On commande le café vendredi ?  ",
            client_id="a-1",
            ref="r1",
        )

        frames = [await receive(alice), await receive(alice)]
        posted = next(f for f in frames if f["type"] == "posted")
        message_id = (await stored_ids(world["private"]))[0]
        assert posted == {
            "type": "posted",
            "channel": world["private"].pk,
            "client_id": "a-1",
            "id": message_id,
            "seq": 1,
            "created": True,
            "ref": "r1",
        }
        assert seqs(frames) == [1]
        received = await receive(bruno)
        assert received["type"] == "message"
        assert received["message"]["body"] == "On commande le café vendredi ?"
        assert received["message"]["client_id"] == "a-1"
        assert await stored(world["private"]) == [(1, "On commande le café vendredi ?")]
    finally:
        await alice.disconnect()
        await bruno.disconnect()


@database_sync_to_async
def stored_ids(channel) -> list[int]:
    return list(Message.objects.filter(channel=channel).values_list("pk", flat=True))


async def test_a_resend_with_the_same_client_id_is_not_saved_or_broadcast_twice(world):
    alice = await open_socket(world["cookies"]["alice"])
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        await subscribe(bruno, world["topic"])
        frame = {
            "action": "post",
            "channel": world["topic"].pk,
            "body": "Une fois",
            "client_id": "x",
        }

        await send(alice, **frame)
        first = await receive(alice)
        alice_again = await open_socket(world["cookies"]["alice"])  # after a reconnection
        await send(alice_again, **frame)
        second = await receive(alice_again)
        await alice_again.disconnect()

        assert (first["created"], second["created"]) == (True, False)
        assert (first["id"], first["seq"]) == (second["id"], second["seq"])
        assert seqs([await receive(bruno)]) == [1]
        assert await bruno.receive_nothing(timeout=0.3)
        assert await stored(world["topic"]) == [(1, "Une fois")]
    finally:
        await alice.disconnect()
        await bruno.disconnect()


async def test_posting_in_an_open_channel_joins_it(world):
    outsider = await open_socket(world["cookies"]["outsider"])
    try:
        await send(outsider, action="post", channel=world["topic"].pk, body="Salut", client_id="o")

        assert (await receive(outsider))["type"] == "posted"
        assert await database_sync_to_async(
            ChannelMembership.objects.filter(
                channel=world["topic"], member=world["outsider"]
            ).exists
        )()
    finally:
        await outsider.disconnect()


@pytest.mark.parametrize(
    ("who", "channel", "action", "code", "text"),
    [
        ("outsider", "private", "subscribe", "not_found", "Ce canal n'existe pas"),
        ("outsider", "private", "post", "not_found", "Ce canal n'existe pas"),
        ("resident", "topic", "subscribe", "not_found", "Ce canal n'existe pas"),
        ("resident", "topic", "post", "not_found", "Ce canal n'existe pas"),
        # Staff read private channels to moderate them, but only their members post.
        ("staff", "private", "post", "forbidden", "Vous ne pouvez pas faire cela dans ce canal."),
    ],
)
async def test_who_may_not_read_or_post_gets_an_error_and_nothing_is_written(
    world, who, channel, action, code, text
):
    socket = await open_socket(world["cookies"][who])
    try:
        await send(
            socket,
            action=action,
            channel=world[channel].pk,
            last_seq=0,
            body="Je passe par là",
            client_id="intrus",
            ref="q",
        )

        error = await receive(socket)
        assert error["type"] == "error"
        assert (error["code"], error["ref"], error["channel"]) == (code, "q", world[channel].pk)
        assert text in error["message"]
        await assert_still_open(socket)
        assert await stored(world[channel]) == []
        await database_sync_to_async(world[channel].refresh_from_db)()
        assert world[channel].last_seq == 0
    finally:
        await socket.disconnect()


async def test_a_resident_takes_part_in_the_private_channel_of_the_project(world):
    resident = await open_socket(world["cookies"]["resident"])
    try:
        await subscribe(resident, world["private"])
        await send(
            resident, action="post", channel=world["private"].pk, body="Bonjour", client_id="r1"
        )

        frames = [await receive(resident), await receive(resident)]
        assert sorted(f["type"] for f in frames) == ["message", "posted"]
    finally:
        await resident.disconnect()


async def test_posting_too_fast_is_refused_with_a_clear_message(world, monkeypatch):
    within_one_minute = timezone.now().replace(second=1)
    monkeypatch.setattr(timezone, "now", lambda: within_one_minute)
    alice = await open_socket(world["cookies"]["alice"])
    try:
        for number in range(22):
            await send(
                alice,
                action="post",
                channel=world["topic"].pk,
                body=f"Vite {number}",
                client_id=f"v{number}",
            )
        answers = [await receive(alice) for _ in range(22)]

        assert [a["type"] for a in answers] == ["posted"] * 20 + ["error"] * 2
        assert answers[-1]["code"] == "rate_limited"
        assert answers[-1]["message"] == (
            "Vous envoyez des messages trop vite : attendez une minute avant le suivant."
        )
        assert [seq for seq, _body in await stored(world["topic"])] == list(range(1, 21))
    finally:
        await alice.disconnect()


async def test_an_overlong_or_empty_message_is_refused(world):
    alice = await open_socket(world["cookies"]["alice"])
    try:
        await send(alice, action="post", channel=world["topic"].pk, body="x" * 4001, client_id="l")
        too_long = await receive(alice)
        await send(alice, action="post", channel=world["topic"].pk, body="   ", client_id="e")
        empty = await receive(alice)

        assert too_long["code"] == "too_long"
        assert "4000" in too_long["message"].replace("\u202f", "").replace(" ", "")
        assert empty["code"] == "empty"
        assert await stored(world["topic"]) == []
    finally:
        await alice.disconnect()


async def test_an_archived_channel_tells_its_sockets_and_takes_no_more_posts(world):
    from network.services.channels import channel_archive

    alice = await open_socket(world["cookies"]["alice"])
    try:
        await subscribe(alice, world["private"])
        await database_sync_to_async(channel_archive)(
            actor=world["staff"], channel=world["private"]
        )

        assert await receive(alice) == {"type": "archived", "channel": world["private"].pk}
        await send(alice, action="post", channel=world["private"].pk, body="Encore", client_id="z")
        error = await receive(alice)
        assert error["code"] == "archived"
        assert await stored(world["private"]) == []
    finally:
        await alice.disconnect()


# --- Editing, deleting, reading, typing -------------------------------------------------------


async def test_edits_and_deletions_reach_the_subscribers(world):
    message, _created = await database_sync_to_async(message_post)(
        author=world["alice"], channel=world["topic"], body="Livraison lundi"
    )
    alice = await open_socket(world["cookies"]["alice"])
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        await subscribe(bruno, world["topic"])

        await send(alice, action="edit", message=message.pk, body="Livraison mardi", ref=5)
        assert await receive(alice) == {"type": "edited", "message": message.pk, "ref": 5}
        update = await receive(bruno)
        assert update["type"] == "update"
        assert (update["message"]["body"], update["message"]["edited"]) == ("Livraison mardi", True)

        await send(alice, action="delete", message=message.pk)
        assert await receive(alice) == {"type": "deleted", "message": message.pk}
        update = await receive(bruno)
        assert (update["message"]["seq"], update["message"]["body"]) == (1, "")
        assert update["message"]["deleted"] is True
    finally:
        await alice.disconnect()
        await bruno.disconnect()


async def test_editing_or_deleting_another_members_message_is_refused(world):
    message, _created = await database_sync_to_async(message_post)(
        author=world["alice"], channel=world["topic"], body="Mon texte"
    )
    bruno = await open_socket(world["cookies"]["bruno"])
    outsider = await open_socket(world["cookies"]["resident"])
    try:
        await send(bruno, action="edit", message=message.pk, body="Le texte de Bruno")
        edit_error = await receive(bruno)
        await send(bruno, action="delete", message=message.pk)
        delete_error = await receive(bruno)
        # A message in a channel one cannot read does not even exist.
        await send(outsider, action="edit", message=message.pk, body="Je passe")
        hidden_error = await receive(outsider)

        assert (edit_error["code"], edit_error["message"]) == (
            "forbidden",
            "Vous ne pouvez modifier que vos propres messages.",
        )
        assert (delete_error["code"], delete_error["message"]) == (
            "forbidden",
            "Vous ne pouvez supprimer que vos propres messages.",
        )
        assert hidden_error["code"] == "not_found"
        await message.arefresh_from_db()
        assert (message.body, message.edited_at, message.deleted_at) == ("Mon texte", None, None)
        await assert_still_open(bruno)
    finally:
        await bruno.disconnect()
        await outsider.disconnect()


async def test_marking_read_moves_forward_only_and_refuses_the_future(world):
    await database_sync_to_async(post_many)(world["private"], world["alice"], 4)
    bruno = await open_socket(world["cookies"]["bruno"])
    membership = ChannelMembership.objects.filter(member=world["bruno"], channel=world["private"])
    try:
        await send(bruno, action="read", channel=world["private"].pk, seq=3)
        assert await receive(bruno) == {
            "type": "marked_read",
            "channel": world["private"].pk,
            "seq": 3,
        }
        await send(bruno, action="read", channel=world["private"].pk, seq=1)
        await receive(bruno)
        await send(bruno, action="read", channel=world["private"].pk, seq=9)
        future = await receive(bruno)

        assert (future["code"], future["message"]) == (
            "future",
            "Ce numéro de message n'existe pas encore.",
        )
        assert (await membership.aget()).last_read_seq == 3
    finally:
        await bruno.disconnect()


async def test_subscribing_from_a_sequence_number_of_the_future_is_refused(world):
    await database_sync_to_async(post_many)(world["topic"], world["alice"], 2)
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        await send(bruno, action="subscribe", channel=world["topic"].pk, last_seq=7)
        error = await receive(bruno)
        assert (error["type"], error["code"]) == ("error", "future")

        # Not subscribed: nothing of the channel comes.
        await database_sync_to_async(message_post)(
            author=world["alice"], channel=world["topic"], body="Trois"
        )
        assert await bruno.receive_nothing(timeout=0.3)
    finally:
        await bruno.disconnect()


async def test_typing_reaches_the_others_once_in_a_while_and_is_not_saved(world):
    alice = await open_socket(world["cookies"]["alice"])
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        await subscribe(alice, world["private"])
        await subscribe(bruno, world["private"])

        await send(alice, action="typing", channel=world["private"].pk)
        await send(alice, action="typing", channel=world["private"].pk)  # too soon: dropped

        assert await receive(bruno) == {
            "type": "typing",
            "channel": world["private"].pk,
            "member": {"id": world["alice"].pk, "name": "Alice Martin"},
        }
        assert await bruno.receive_nothing(timeout=0.3)
        assert await alice.receive_nothing(timeout=0.1)
        assert await stored(world["private"]) == []
    finally:
        await alice.disconnect()
        await bruno.disconnect()


async def test_typing_needs_a_subscription(world):
    alice = await open_socket(world["cookies"]["alice"])
    try:
        await send(alice, action="typing", channel=world["topic"].pk)
        error = await receive(alice)
        assert (error["code"], error["message"]) == (
            "not_subscribed",
            "Abonnez-vous d'abord à ce canal.",
        )
    finally:
        await alice.disconnect()


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{", "bad_json"),
        ("pas du json", "bad_json"),
        ("[1, 2]", "bad_frame"),
        ('"subscribe"', "bad_frame"),
        ('{"action": "dance"}', "unknown_action"),
        ('{"channel": 1}', "unknown_action"),
        ('{"action": ["post"]}', "unknown_action"),
        ('{"action": "subscribe"}', "bad_frame"),
        ('{"action": "subscribe", "channel": "1"}', "bad_frame"),
        ('{"action": "subscribe", "channel": true}', "bad_frame"),
        ('{"action": "subscribe", "channel": 1.0}', "bad_frame"),
        ('{"action": "subscribe", "channel": -4}', "invalid"),
        ('{"action": "subscribe", "channel": 99999999999999999999999}', "invalid"),
        ('{"action": "subscribe", "channel": 999999, "last_seq": 0}', "not_found"),
        ('{"action": "read", "channel": 1, "seq": -1}', "invalid"),
        ('{"action": "post", "channel": 1, "body": 12, "client_id": "a"}', "bad_frame"),
        ('{"action": "post", "channel": 1, "body": "Oui"}', "bad_frame"),
        ('{"action": "post", "channel": 1, "body": "Oui", "client_id": ""}', "invalid"),
        ('{"action": "ping", "ref": {"a": 1}}', "bad_frame"),
        ('{"action": "ping", "ref": "' + "r" * 65 + '"}', "bad_frame"),
        ('{"action": "edit", "message": 424242, "body": "Oui"}', "not_found"),
        ('{"action": "delete", "message": false}', "bad_frame"),
        ("[" * 5000 + "]" * 5000, "bad_json"),
    ],
)
async def test_bad_frames_get_an_error_frame_and_the_socket_stays_open(world, text, code):
    alice = await open_socket(world["cookies"]["alice"])
    try:
        await alice.send_to(text_data=text)

        error = await receive(alice)
        assert error["type"] == "error"
        assert error["code"] == code
        assert isinstance(error["message"], str) and len(error["message"]) > 10
        await assert_still_open(alice)
        assert await database_sync_to_async(Message.objects.count)() == 0
    finally:
        await alice.disconnect()


async def test_error_messages_are_french(world):
    alice = await open_socket(world["cookies"]["alice"])
    try:
        await alice.send_to(text_data="{")
        bad_json = await receive(alice)
        await send(alice, action="dance")
        unknown = await receive(alice)

        assert bad_json["message"] == "Cette trame n'est pas du JSON valide."
        assert unknown["message"] == "Action inconnue."
    finally:
        await alice.disconnect()


async def test_oversized_and_binary_frames_are_refused(world):
    alice = await open_socket(world["cookies"]["alice"])
    try:
        body = "é" * 70_000
        await send(alice, action="post", channel=world["topic"].pk, body=body, client_id="big")
        too_large = await receive(alice)
        await alice.send_to(bytes_data=b'{"action": "ping"}')
        binary = await receive(alice)

        assert too_large["code"] == "too_large"
        assert "65536" in too_large["message"].replace("\u202f", "").replace("\xa0", "")
        assert binary["code"] == "bad_json"
        await assert_still_open(alice)
        assert await stored(world["topic"]) == []
    finally:
        await alice.disconnect()


async def test_a_full_length_message_fits_in_a_frame_however_it_is_escaped(world):
    alice = await open_socket(world["cookies"]["alice"])
    try:
        body = "☕🥐" * 2000
        frame = {"action": "post", "channel": world["topic"].pk, "body": body, "client_id": "f"}
        await alice.send_to(text_data=json.dumps(frame, ensure_ascii=True))

        assert (await receive(alice))["type"] == "posted"
        assert await stored(world["topic"]) == [(1, body)]
    finally:
        await alice.disconnect()


async def test_a_flood_of_frames_is_answered_with_rate_limited_errors(world):
    alice = await open_socket(world["cookies"]["alice"])
    try:
        for number in range(45):
            await send(alice, action="ping", ref=number)
        answers = [await receive(alice) for _ in range(45)]

        pongs = [a for a in answers if a["type"] == "pong"]
        limited = [a for a in answers if a["type"] == "error"]
        assert 30 <= len(pongs) <= 40  # the bucket refills a little while the frames go
        assert len(pongs) + len(limited) == 45
        assert {a["code"] for a in limited} == {"rate_limited"}
        assert limited[0]["message"] == "Trop de trames à la fois : attendez quelques secondes."
        await asyncio.sleep(0.5)  # the bucket refills
        await assert_still_open(alice)
    finally:
        await alice.disconnect()


async def test_a_flood_of_posts_loses_or_duplicates_nothing(world, member_factory):
    """Several members posting at once through their sockets: everyone subscribed gets every
    message once, in order, and the database holds exactly what was acknowledged."""
    posters = [world["alice"], world["bruno"], world["outsider"]]
    sockets = [await open_socket(world["cookies"][n]) for n in ("alice", "bruno", "outsider")]
    listener = await open_socket(world["cookies"]["staff"])
    try:
        await subscribe(listener, world["topic"])
        for round_number in range(8):
            for number, socket in enumerate(sockets):
                await send(
                    socket,
                    action="post",
                    channel=world["topic"].pk,
                    body=f"{posters[number].first_name} {round_number}",
                    client_id=f"p{number}-{round_number}",
                )
        acks = [await receive(socket) for socket in sockets for _ in range(8)]
        heard = [await receive(listener) for _ in range(24)]

        assert {a["type"] for a in acks} == {"posted"}
        assert sorted(a["seq"] for a in acks) == list(range(1, 25))
        assert seqs(heard) == list(range(1, 25))
        assert await listener.receive_nothing(timeout=0.3)
        assert len(await stored(world["topic"])) == 24
    finally:
        for socket in [*sockets, listener]:
            await socket.disconnect()


async def test_deliveries_skip_the_per_event_connection_cleanup(world, monkeypatch):
    """The consumer does its ORM work in database_sync_to_async, so channels' per-event
    ``aclose_old_connections`` (a thread handoff) is skipped without losing anything."""
    import channels.consumer

    calls = []

    async def counting():
        calls.append(1)

    monkeypatch.setattr(channels.consumer, "aclose_old_connections", counting)
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        await subscribe(bruno, world["topic"])
        await database_sync_to_async(post_many)(world["topic"], world["alice"], 5)

        assert seqs([await receive(bruno) for _ in range(5)]) == [1, 2, 3, 4, 5]
        assert calls == []
    finally:
        await bruno.disconnect()


async def test_a_member_who_is_no_longer_approved_is_disconnected(world, settings):
    settings.NETWORK_RESYNC_SECONDS = 0.2
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        await subscribe(bruno, world["topic"])
        await database_sync_to_async(
            lambda: (
                type(world["bruno"])
                .objects.filter(pk=world["bruno"].pk)
                .update(is_active=False, last_login=timezone.now())
            )
        )()

        assert (await bruno.receive_output(timeout=TIMEOUT)) == {
            "type": "websocket.close",
            "code": 4403,
        }
    finally:
        await bruno.disconnect()


async def test_the_subscription_survives_a_second_subscribe_as_a_resync(world):
    await database_sync_to_async(post_many)(world["topic"], world["alice"], 3)
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        assert seqs(await subscribe(bruno, world["topic"], last_seq=3)) == []
        assert seqs(await subscribe(bruno, world["topic"], last_seq=1)) == [2, 3]
        await database_sync_to_async(message_post)(
            author=world["alice"], channel=world["topic"], body="Quatre"
        )
        assert seqs([await receive(bruno)]) == [4]
    finally:
        await bruno.disconnect()


async def test_a_client_gone_while_frames_are_sent_ends_its_socket_quietly(world, caplog):
    """Under load a client may vanish between two frames: the server then raises an OSError
    from ``send`` (uvicorn's ClientDisconnected). The socket leaves its groups without an
    error in the log, and the others go on receiving."""
    gone = asyncio.Event()

    async def vanishing(scope, receive, send):
        async def send_unless_gone(message):
            if gone.is_set() and message["type"] == "websocket.send":
                raise OSError("client disconnected")
            await send(message)

        await application(scope, receive, send_unless_gone)

    headers = [
        (b"origin", b"http://localhost"),
        (b"host", b"localhost"),
        (b"cookie", world["cookies"]["alice"].encode()),
    ]
    alice = WebsocketCommunicator(vanishing, "/ws/canaux/", headers=headers)
    assert (await alice.connect())[0]
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        await subscribe(alice, world["topic"])
        await subscribe(bruno, world["topic"])
        gone.set()
        await database_sync_to_async(post_many)(world["topic"], world["bruno"], 3)

        assert seqs([await receive(bruno) for _ in range(3)]) == [1, 2, 3]
        await alice.wait(TIMEOUT)  # the consumer ended, and raised nothing
        layer = get_channel_layer()  # in memory or on Redis, groups are kept by name
        group = world["topic"].group_name
        assert sum(len(c) for name, c in layer.groups.items() if name.endswith(group)) == 1
        assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
    finally:
        await bruno.disconnect()


async def test_edits_made_while_away_come_with_the_catch_up(world):
    """A member who was away gets what changed among the messages they had, then what is
    new: the moment of their last subscription says since when."""

    def post_three():
        return [
            message_post(author=world["alice"], channel=world["topic"], body=body)[0]
            for body in ("Livraison lundi", "Rendez-vous à 9 h", "Sans changement")
        ]

    first, second, _third = await database_sync_to_async(post_three)()
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        subscribed = (await subscribe(bruno, world["topic"], last_seq=3))[-1]
    finally:
        await bruno.disconnect()

    def change_while_away():
        from network.services.channels import message_delete, message_edit

        message_edit(actor=world["alice"], message=first, body="Livraison mardi")
        message_delete(actor=world["alice"], message=second)
        message_post(author=world["alice"], channel=world["topic"], body="Nouveau")

    await database_sync_to_async(change_while_away)()
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        await send(
            bruno,
            action="subscribe",
            channel=world["topic"].pk,
            last_seq=3,
            changes_since=subscribed["at"],
        )
        frames = await receive_until(bruno, "subscribed")

        assert [(f["type"], f["message"]["seq"]) for f in frames[:-1]] == [
            ("update", 1),
            ("update", 2),
            ("message", 4),
        ]
        assert frames[0]["message"]["body"] == "Livraison mardi"
        assert frames[1]["message"]["deleted"] is True
        assert frames[-1]["last_seq"] == 4 and frames[-1]["at"] > subscribed["at"]
    finally:
        await bruno.disconnect()


@pytest.mark.parametrize("moment", ["hier", "2026-11-30T10:00:00", 12, ["x"]])
async def test_a_moment_the_server_did_not_give_is_refused(world, moment):
    bruno = await open_socket(world["cookies"]["bruno"])
    try:
        await send(
            bruno, action="subscribe", channel=world["topic"].pk, last_seq=0, changes_since=moment
        )
        error = await receive(bruno)

        assert (error["type"], error["code"]) == ("error", "bad_frame")
        assert error["message"] == (
            "Le champ changes_since doit être un moment donné par le serveur."
        )
        await assert_still_open(bruno)
    finally:
        await bruno.disconnect()
