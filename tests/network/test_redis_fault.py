"""Redis dies in the middle of a conversation and comes back: nobody loses a message, nobody
gets one twice, everybody gets them in order.

The test starts its own redis-server and two daphne processes on it. Three members post a
stream of messages through the first process while four listeners follow the channel, two on
each process. Redis is killed during the stream (posts go on: they are saved in the database)
and restarted empty, its groups forgotten. One listener also loses its connection during the
outage and comes back on the other process with the last number it saw. At the end every
listener has received messages 1 to N exactly once, in order, and the database holds exactly
the N messages that were posted.
"""

import asyncio
import random
import time

import pytest

from network.models import Channel, ChannelKind, Role

from .live_servers import (
    AsgiServer,
    RedisServer,
    open_socket,
    receive,
    receive_until,
    send,
    session_cookie,
    shared_database,
)

pytestmark = pytest.mark.django_db(transaction=True)

POSTERS = 3
POSTS_EACH = 12
POST_INTERVAL = 0.12  # seconds between two posts of a poster: the stream lasts about 1.5 s
REDIS_DOWN_AFTER = 0.5
REDIS_DOWN_FOR = 0.8
DEADLINE = 20.0


class Listener:
    """A client following one channel as channels.js does: on any lost connection it
    reconnects (with a backoff) and subscribes again from the last number it saw. It keeps
    every message frame it receives, as received: duplicates and disorder would show."""

    def __init__(self, name, servers, cookie, channel_id) -> None:
        self.name = name
        self.servers = servers
        self.cookie = cookie
        self.channel_id = channel_id
        self.received: list[int] = []
        self.bodies: list[str] = []
        self.connections = 0
        self.socket = None

    @property
    def last_seq(self) -> int:
        return self.received[-1] if self.received else 0

    async def run(self, until: asyncio.Event) -> None:
        delay = 0.1
        while not until.is_set():
            server = self.servers[self.connections % len(self.servers)]
            try:
                self.socket = await open_socket(server, self.cookie)
                self.connections += 1
                await send(
                    self.socket, action="subscribe", channel=self.channel_id, last_seq=self.last_seq
                )
                delay = 0.1
                async for text in self.socket:
                    self.take(text)
            except (OSError, TimeoutError, ConnectionError):
                pass
            except Exception as error:  # websockets' ConnectionClosed and handshake errors
                if type(error).__module__.split(".")[0] != "websockets":
                    raise
            await asyncio.sleep(delay + random.random() * 0.05)
            delay = min(delay * 2, 1.0)

    def take(self, text: str) -> None:
        import json

        frame = json.loads(text)
        if frame["type"] == "message":
            self.received.append(frame["message"]["seq"])
            self.bodies.append(frame["message"]["body"])
        elif frame["type"] == "error":
            raise AssertionError(f"{self.name} got an error frame: {frame}")

    async def drop_connection(self) -> None:
        if self.socket is not None:
            await self.socket.close()


class Poster:
    """Posts its messages one after the other; a post without ``posted`` answer is sent again,
    with the same client id, on a new connection if need be."""

    def __init__(self, number, server, cookie, channel_id) -> None:
        self.number = number
        self.server = server
        self.cookie = cookie
        self.channel_id = channel_id
        self.acknowledged: dict[str, int] = {}
        self.acknowledged_at: list[float] = []
        self.resends = 0

    async def run(self) -> None:
        socket = None
        for index in range(POSTS_EACH):
            client_id = f"p{self.number}-{index}"
            body = f"Poste {self.number}, message {index}"
            while client_id not in self.acknowledged:
                try:
                    if socket is None:
                        socket = await open_socket(self.server, self.cookie)
                    await send(
                        socket,
                        action="post",
                        channel=self.channel_id,
                        body=body,
                        client_id=client_id,
                    )
                    answer = await receive(socket, timeout=3)
                    if answer["type"] == "posted":
                        assert answer["client_id"] == client_id
                        self.acknowledged[client_id] = answer["seq"]
                        self.acknowledged_at.append(time.monotonic())
                    else:
                        self.resends += 1
                        await asyncio.sleep(0.2)
                except Exception as error:
                    if not isinstance(error, OSError | TimeoutError) and (
                        type(error).__module__.split(".")[0] != "websockets"
                    ):
                        raise
                    self.resends += 1
                    socket = None
                    await asyncio.sleep(0.2)
            await asyncio.sleep(POST_INTERVAL)
        if socket is not None:
            await socket.close()


async def scenario(redis, servers, cookies, channel_id) -> dict:
    first, second = servers
    listeners = [
        Listener("L1", [first], cookies["l1"], channel_id),
        Listener("L2", [first], cookies["l2"], channel_id),
        Listener("L3", [second], cookies["l3"], channel_id),
        # Comes back on the other process when its connection drops.
        Listener("L4", [second, first], cookies["l4"], channel_id),
    ]
    posters = [Poster(n, first, cookies[f"p{n}"], channel_id) for n in range(POSTERS)]
    total = POSTERS * POSTS_EACH
    done = asyncio.Event()
    listening = [asyncio.create_task(listener.run(done)) for listener in listeners]
    while any(listener.connections == 0 for listener in listeners):
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # subscribed

    posting = [asyncio.create_task(poster.run()) for poster in posters]
    await asyncio.sleep(REDIS_DOWN_AFTER)
    redis.kill()
    killed_at = time.monotonic()
    await asyncio.sleep(REDIS_DOWN_FOR / 2)
    await listeners[3].drop_connection()  # its client reconnects while Redis is away
    await asyncio.sleep(REDIS_DOWN_FOR / 2)
    restarted_at = time.monotonic()
    redis.start()
    await asyncio.gather(*posting)

    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline and any(len(x.received) < total for x in listeners):
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)  # anything extra (a duplicate) would arrive now
    done.set()
    for listener in listeners:
        await listener.drop_connection()
    await asyncio.gather(*listening)

    # What the database holds, read back through a fresh socket.
    check = await open_socket(second, cookies["l1"])
    try:
        await send(check, action="subscribe", channel=channel_id, last_seq=0)
        history = [
            f["message"] for f in await receive_until(check, "subscribed") if f["type"] == "message"
        ]
    finally:
        await check.close()
    return {
        "total": total,
        "listeners": listeners,
        "posters": posters,
        "history": history,
        "posted_during_outage": sum(
            killed_at < at < restarted_at for poster in posters for at in poster.acknowledged_at
        ),
        "posted_after_restart": sum(
            at > restarted_at for poster in posters for at in poster.acknowledged_at
        ),
    }


def test_every_listener_gets_every_message_once_in_order_across_a_redis_restart(
    tmp_path, member_factory
):
    channel = Channel.objects.create(kind=ChannelKind.TOPIC, name="Approvisionnement")
    members = {f"p{n}": member_factory(role=Role.MANAGER) for n in range(POSTERS)}
    members.update({f"l{n}": member_factory(role=Role.PROFESSIONAL) for n in range(1, 5)})
    cookies = {name: session_cookie(member) for name, member in members.items()}
    redis = RedisServer(tmp_path)
    redis.start()
    env = {
        **shared_database(tmp_path),
        "REDIS_URL": redis.url,
        "COMPTOIR_TEST_RESYNC_SECONDS": "3600",
    }
    servers = [AsgiServer(tmp_path, "un", env), AsgiServer(tmp_path, "deux", env)]
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait()
        outcome = asyncio.run(scenario(redis, servers, cookies, channel.pk))
    finally:
        for server in servers:
            server.stop()
        redis.stop()

    total = outcome["total"]
    expected = list(range(1, total + 1))
    for listener in outcome["listeners"]:
        assert listener.received == expected, (
            f"{listener.name} received {listener.received}\n"
            f"--- daphne un ---\n{servers[0].tail()}\n--- daphne deux ---\n{servers[1].tail()}"
        )
    history = outcome["history"]
    assert [m["seq"] for m in history] == expected
    posted = {
        client_id: seq
        for poster in outcome["posters"]
        for client_id, seq in poster.acknowledged.items()
    }
    assert len(posted) == total
    assert sorted(posted.values()) == expected
    assert {m["client_id"]: m["seq"] for m in history} == posted
    # Every listener has the text of every message, in the database's order.
    for listener in outcome["listeners"]:
        assert listener.bodies == [m["body"] for m in history]
    # The scenario did what it says: messages were posted while Redis was away and after it
    # came back, and one listener reconnected.
    assert outcome["posted_during_outage"] >= 5
    assert outcome["posted_after_restart"] >= 5
    assert outcome["listeners"][3].connections >= 2
