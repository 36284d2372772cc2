"""The listening side of bench/chat_fanout.py: many WebSocket clients in one process.

Started by chat_fanout.py as a subprocess (no Django here); it reads one JSON command a line on
standard input and answers each with one JSON line on standard output:

- ``connect``: open the sockets (each with its session cookie and a same-origin ``Origin``) and,
  against the application, ``subscribe`` each to the channel from ``last_seq``;
- ``phase_end``: once the posting of a rate is over, wait for the sockets to go quiet (or to have
  the last message), then, against the application, ``subscribe`` again from the last seq
  received (the catch-up), and answer the phase's figures: latencies, messages received live
  and through catch-up, and per socket the numbers missing, duplicated and out of order;
- ``close``: close the sockets (the next ``connect`` may open them on another server);
- ``quit``.

Every ``message`` frame carries ``seq`` (the channel's sequence, or the floor's counter) and a
body starting ``bench t=<time the poster sent it> ``: its latency is the time it is received
here minus that time (same machine, same clock).
"""

import asyncio
import json
import math
import sys
import time

from websockets.asyncio.client import connect

OPEN_AT_ONCE = 20  # handshakes in flight at a time


class Client:
    def __init__(self, number: int, cookie: str) -> None:
        self.number = number
        self.cookie = cookie
        self.ws = None
        self.task: asyncio.Task | None = None
        # (seq, received at, sent at, through catch-up) for every message frame of the phase
        self.arrivals: list[tuple[int, float, float, bool]] = []
        self.max_seq = 0
        self.catching_up = False
        self.subscribed = asyncio.Event()
        self.errors: list[str] = []
        self.closed: str | None = None

    async def open(self, state: "State") -> None:
        self.ws = await connect(
            state.url,
            origin=state.origin,
            additional_headers={"Cookie": self.cookie},
            compression=state.compression,
            ping_interval=None,
            open_timeout=60,
            close_timeout=5,
            max_size=2**20,
        )
        self.closed = None
        self.task = asyncio.create_task(self.listen(state))

    async def listen(self, state: "State") -> None:
        try:
            async for frame in self.ws:
                now = time.time()
                state.last_frame_at = now
                data = json.loads(frame)
                kind = data.get("type")
                if kind == "message":
                    message = data["message"]
                    seq = message["seq"]
                    sent = float(message["body"].split(" ", 2)[1][2:])
                    self.arrivals.append((seq, now, sent, self.catching_up))
                    if seq > self.max_seq:
                        self.max_seq = seq
                elif kind == "subscribed":
                    self.subscribed.set()
                elif kind == "error":
                    self.errors.append(data.get("code", "?"))
                    if data.get("ref") == "sub":
                        self.subscribed.set()
        except Exception as error:  # a dropped socket is counted, not fatal
            self.closed = f"{type(error).__name__}: {error}"
        else:
            self.closed = self.closed or f"closed {self.ws.close_code}"

    async def subscribe(self, channel: int, last_seq: int, timeout: float) -> bool:
        self.subscribed.clear()
        await self.ws.send(
            json.dumps(
                {"action": "subscribe", "channel": channel, "last_seq": last_seq, "ref": "sub"}
            )
        )
        try:
            await asyncio.wait_for(self.subscribed.wait(), timeout)
        except TimeoutError:
            return False
        return True


class State:
    def __init__(self) -> None:
        self.clients: list[Client] = []
        self.mode = "app"
        self.channel = 0
        self.url = self.origin = ""
        self.compression: str | None = None
        self.last_frame_at = time.time()


def percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


async def do_connect(state: State, command: dict) -> dict:
    state.mode = command["mode"]
    state.channel = command.get("channel", 0)
    state.url, state.origin = command["url"], command["origin"]
    state.compression = "deflate" if command.get("deflate", True) else None
    cookies = command["cookies"]
    state.clients = [Client(n, cookie) for n, cookie in enumerate(cookies)]
    limiter = asyncio.Semaphore(OPEN_AT_ONCE)
    began = time.perf_counter()
    failures: list[str] = []

    async def open_one(client: Client) -> None:
        async with limiter:
            try:
                await client.open(state)
            except Exception as error:
                failures.append(f"{type(error).__name__}: {error}")
                return
            if state.mode == "app":
                ok = await client.subscribe(state.channel, command["last_seq"], timeout=60)
                if not ok:
                    failures.append("no answer to subscribe")

    await asyncio.gather(*(open_one(c) for c in state.clients))
    for client in state.clients:
        client.arrivals.clear()
        client.max_seq = max(client.max_seq, command.get("last_seq", 0))
    state.clients = [c for c in state.clients if c.ws is not None]
    return {
        "connected": len(state.clients),
        "seconds": round(time.perf_counter() - began, 2),
        "failures": failures[:5],
        "failed": len(failures),
    }


async def do_phase_end(state: State, command: dict) -> dict:
    first, last = command["first"], command["last"]
    cap = command["drain"]
    began = time.time()
    # Wait for what is still on its way: until every socket has the last message, or no frame
    # came for a second, or the cap.
    while time.time() - began < cap:
        if all(c.max_seq >= last for c in state.clients if c.closed is None):
            break
        if time.time() - state.last_frame_at > 1.0 and time.time() - began > 1.0:
            break
        await asyncio.sleep(0.05)
    drained = time.time() - began
    # Sockets the server closed (an overloaded server closes those whose pings go unanswered)
    # come back as a client does: a new connection, then the catch-up from the last seq.
    dropped = [c for c in state.clients if c.closed is not None]
    for client in dropped:
        try:
            await client.open(state)
        except Exception as error:
            client.closed = f"{type(error).__name__}: {error}"
    unanswered = 0
    if state.mode == "app" and last >= first:
        # The catch-up: every socket subscribes again from the last seq it received.
        for client in state.clients:
            client.catching_up = True
        limiter = asyncio.Semaphore(50)

        async def again(client: Client) -> bool:
            if client.closed is not None:
                return False
            async with limiter:
                return await client.subscribe(state.channel, client.max_seq, timeout=60)

        answers = await asyncio.gather(*(again(c) for c in state.clients))
        unanswered = answers.count(False)
        for client in state.clients:
            client.catching_up = False
    caught_up_in = time.time() - began - drained

    expected = last - first + 1
    latencies: list[float] = []
    live = caught = missing = duplicated = out_of_order = complete = 0
    for client in state.clients:
        seen: set[int] = set()
        previous = 0
        for seq, received, sent, through_catch_up in client.arrivals:
            if not first <= seq <= last:
                continue
            if seq < previous:
                out_of_order += 1
            previous = max(previous, seq)
            if seq in seen:
                duplicated += 1
                continue
            seen.add(seq)
            latencies.append((received - sent) * 1000)
            if through_catch_up:
                caught += 1
            else:
                live += 1
        missing += expected - len(seen)
        complete += len(seen) == expected
        client.arrivals.clear()
    latencies.sort()
    return {
        "expected": expected * len(state.clients),
        "live": live,
        "caught_up": caught,
        "missing": missing,
        "duplicated": duplicated,
        "out_of_order": out_of_order,
        "complete_clients": complete,
        "clients": len(state.clients),
        "closed": len(dropped),
        "not_reopened": sum(c.closed is not None for c in state.clients),
        "errors": sum(len(c.errors) for c in state.clients),
        "error_codes": sorted({code for c in state.clients for code in c.errors})[:5],
        "unanswered": unanswered,
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "max": latencies[-1] if latencies else math.nan,
        "drained": round(drained, 2),
        "catch_up_seconds": round(caught_up_in, 2),
    }


async def do_close(state: State) -> dict:
    async def close(client: Client) -> None:
        try:
            await client.ws.close()
        except Exception:  # already gone
            return
        if client.task is not None:
            await asyncio.gather(client.task, return_exceptions=True)

    await asyncio.gather(*(close(c) for c in state.clients))
    state.clients = []
    return {"closed": True}


async def main() -> None:
    state = State()
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        command = json.loads(line)
        name = command["cmd"]
        if name == "connect":
            answer = await do_connect(state, command)
        elif name == "phase_start":
            for client in state.clients:
                client.arrivals.clear()
                client.errors.clear()
            answer = {"ok": True}
        elif name == "phase_end":
            answer = await do_phase_end(state, command)
        elif name == "close":
            answer = await do_close(state)
        elif name == "cpu":
            answer = {}
        elif name == "quit":
            break
        else:
            answer = {"error": f"unknown command {name}"}
        answer["cpu"] = time.process_time()
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    asyncio.run(main())
