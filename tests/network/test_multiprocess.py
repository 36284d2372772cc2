"""Several daphne processes serve one discussion channel through the Redis channel layer.

The test starts its own redis-server on a free port (where none can be started, it uses the
Redis of REDIS_URL or 127.0.0.1:6379 under a key prefix of its own), and two daphne processes
on it, sharing the test's database; a message posted through a socket
of one process reaches a socket of the other, live.
"""

import asyncio
import time

import pytest

from network.models import Channel, ChannelKind, Role

from .live_servers import (
    AsgiServer,
    layer_prefix,
    open_socket,
    receive,
    receive_until,
    redis_for_test,
    send,
    session_cookie,
    shared_database,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_message_posted_on_one_process_reaches_a_socket_on_the_other(tmp_path, member_factory):
    alice = member_factory(role=Role.MANAGER, first_name="Alice", last_name="Martin")
    bruno = member_factory(role=Role.SUPPLIER, first_name="Bruno", last_name="Petit")
    topic = Channel.objects.create(kind=ChannelKind.TOPIC, name="Approvisionnement")
    cookies = {"alice": session_cookie(alice), "bruno": session_cookie(bruno)}
    redis = redis_for_test(tmp_path)
    # The periodic check against the database is pushed far away: what reaches the other
    # process's socket can only have come through Redis.
    env = {
        **shared_database(tmp_path),
        "REDIS_URL": redis.url,
        "COMPTOIR_TEST_LAYER_PREFIX": layer_prefix(),
        "COMPTOIR_TEST_RESYNC_SECONDS": "3600",
    }
    first, second = AsgiServer(tmp_path, "un", env), AsgiServer(tmp_path, "deux", env)
    try:
        first.start()
        second.start()
        first.wait()
        second.wait()
        outcome = asyncio.run(exchange(first, second, topic.pk, cookies))
    finally:
        first.stop()
        second.stop()
        redis.stop()

    heard_by_bruno, heard_by_alice, resent = (
        outcome["heard_by_bruno"],
        outcome["heard_by_alice"],
        outcome["resent"],
    )
    assert (heard_by_bruno["type"], heard_by_bruno["message"]["seq"]) == ("message", 1)
    assert heard_by_bruno["message"]["body"] == "Bonjour depuis le premier serveur"
    assert heard_by_bruno["message"]["author"]["name"] == "Alice Martin"
    assert outcome["delay"] < 2.0
    assert (heard_by_alice["message"]["seq"], heard_by_alice["message"]["body"]) == (
        2,
        "Bien reçu, depuis le second",
    )
    # Alice's client, reconnected to the other process, resends its first message.
    assert (resent["type"], resent["seq"], resent["created"]) == ("posted", 1, False)
    assert outcome["silence_after_resend"]
    assert outcome["history"] == [1, 2]


async def exchange(first, second, channel_id, cookies) -> dict:
    alice = await open_socket(first, cookies["alice"])
    bruno = await open_socket(second, cookies["bruno"])
    try:
        for socket in (alice, bruno):
            await send(socket, action="subscribe", channel=channel_id, last_seq=0)
            await receive_until(socket, "subscribed")

        started = time.monotonic()
        await send(
            alice,
            action="post",
            channel=channel_id,
            body="Bonjour depuis le premier serveur",
            client_id="alice-1",
        )
        heard_by_bruno = await receive(bruno)
        delay = time.monotonic() - started
        own = sorted(f["type"] for f in [await receive(alice), await receive(alice)])
        assert own == ["message", "posted"]

        await send(
            bruno,
            action="post",
            channel=channel_id,
            body="Bien reçu, depuis le second",
            client_id="bruno-1",
        )
        heard_by_alice = await receive(alice)
        own = sorted(f["type"] for f in [await receive(bruno), await receive(bruno)])
        assert own == ["message", "posted"]

        again = await open_socket(second, cookies["alice"])
        try:
            await send(
                again,
                action="post",
                channel=channel_id,
                body="Bonjour depuis le premier serveur",
                client_id="alice-1",
            )
            resent = await receive(again)
            await send(again, action="subscribe", channel=channel_id, last_seq=0)
            history = [
                f["message"]["seq"]
                for f in await receive_until(again, "subscribed")
                if f["type"] == "message"
            ]
        finally:
            await again.close()
        try:
            await receive(bruno, timeout=0.5)
            silence = False
        except TimeoutError:
            silence = True
    finally:
        await alice.close()
        await bruno.close()
    return {
        "heard_by_bruno": heard_by_bruno,
        "delay": delay,
        "heard_by_alice": heard_by_alice,
        "resent": resent,
        "silence_after_resend": silence,
        "history": history,
    }
