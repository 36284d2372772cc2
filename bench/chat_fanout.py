"""200 members listen to one discussion channel while messages come at rising rates
(PostgreSQL + Redis, the ASGI server as a subprocess).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench \\
    REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/chat_fanout.py [--clients 200] [--rates 1,5,10,20,50]
            [--seconds 20] [--server uvicorn|daphne] [--layer pubsub|core]

``--server`` and ``--layer`` take comma lists (``--server uvicorn,daphne --layer pubsub,core``
compares the four); ``--seconds 5`` makes a quick run. The defaults are the configuration kept
(README): uvicorn with two workers and without per-message deflate, channels-redis's pub/sub
layer, the database pool on (``DATABASE_POOL=1`` unless set). REDIS_URL must name a Redis
database of the bench's own (not 0): its keys are removed at the end.

For each configuration, two parts, each with its own server process:

- the floor: the listeners connect to bench/fanout_floor_asgi.py (a socket per client in group
  ``floor``, nothing else), and this process calls ``channel_layer.group_send`` at each rate: no
  session, no database, no sequence, no catch-up. What the layer and the server can do at best;
  the layer may lose messages (none are resent): the floor's "missing" are those lost or not
  yet delivered ``--drain`` seconds after the last was sent.
- the application: ``comptoir.asgi`` (settings bench/fanout_settings.py: the embedded default's
  with the posting limits lifted, DJANGO_DEBUG=0); the listeners are approved members with a
  session cookie, subscribed to a topic channel; posters (other members, a socket each,
  subscribed to the channel too, as the channel's page is before its member writes) send
  ``post`` frames, so each message is saved with its number, then broadcast, as in use.

The listeners run in another process (bench/fanout_clients.py, the ``websockets`` package).
Each message body starts with the time the poster sent it; its latency is the time a listener
gets it minus that. After each rate the listeners wait for the last message (or a quiet second,
at most ``--drain`` seconds), then, against the application, subscribe again from the last
number they received, as a client does after a reconnection: what that brings is "caught up".
Latencies are over every message each listener got (live or caught up), once.

Columns: the rate asked and achieved; p50/p95/max latency; messages received live and through
the catch-up (listeners x messages); missing/duplicated/out of order (over every listener);
listeners that got every message; p95 of a poster's wait for ``posted``; server and listeners'
CPU while posting (100 = one core); peak server memory (VmRSS, with any child process); how
long the listeners took to subscribe again all at once (the catch-up, as after a reconnection).

Targets (the issue): every listener ends with every message exactly once and in order; where the
floor loses nothing, the application's p95 is at most 1.5 times the floor's; the knee rate (the
highest rate up to which p95 stays under 1 s) is at least 75 % of the floor's.

Generated rows (members, sessions, the channel and its messages) are removed at the end.
"""

import argparse
import asyncio
import contextlib
import json
import math
import os
import secrets
import signal
import socket
import sys
import time
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings.dev")
os.environ.setdefault("DJANGO_DEBUG", "0")  # the dev settings would record every query
# The server's database calls each open a connection without the pool (about 15 ms here).
os.environ.setdefault("DATABASE_POOL", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402

from network.models import Channel, ChannelKind, Member, MembershipStatus, Role  # noqa: E402
from network.services.channels import channel_create  # noqa: E402

EMAIL_DOMAIN = "fanout.comptoir.example"
CHANNEL_NAME = "Bench: fan-out"
CACHE_KEY_PREFIX = "comptoir-bench-fanout"
BIN = Path(sys.executable).parent
# About the length of a chat message: the frames weigh what real ones do.
PADDING = "Bonjour à tous, la livraison de café arrive jeudi matin ; qui peut ouvrir à 7 h ?"
KNEE_P95_MS = 1000.0


# --- Setup and cleanup (synchronous, before and after the event loop) ------------------------


def create_fixture(listeners: int, posters: int) -> dict:
    remove_fixture(None)
    people = []
    for number in range(listeners + posters + 1):
        if number == 0:
            name, role = ("Staff", Role.STAFF)
        elif number <= listeners:
            name, role = (f"Listener {number}", Role.MANAGER)
        else:
            name, role = (f"Poster {number - listeners}", Role.MANAGER)
        member = Member(
            email=f"m{number}@{EMAIL_DOMAIN}",
            first_name="Bench",
            last_name=name,
            role=role,
            status=MembershipStatus.APPROVED,
        )
        member.set_unusable_password()
        people.append(member)
    people = Member.objects.bulk_create(people)
    staff, listening, posting = people[0], people[1 : listeners + 1], people[listeners + 1 :]
    channel = channel_create(
        actor=staff, kind=ChannelKind.TOPIC, name=CHANNEL_NAME, description="bench/chat_fanout.py"
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    cookie = settings.SESSION_COOKIE_NAME

    def session_for(member: Member) -> str:
        # What django.contrib.auth.login() stores: the socket's AuthMiddleware reads it back.
        session = store()
        session[SESSION_KEY] = member._meta.pk.value_to_string(member)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = member.get_session_auth_hash()
        session.create()
        return session.session_key

    listener_keys = [session_for(m) for m in listening]
    poster_keys = [session_for(m) for m in posting]
    return {
        "channel": channel.pk,
        "listener_cookies": [f"{cookie}={key}" for key in listener_keys],
        "poster_cookies": [f"{cookie}={key}" for key in poster_keys],
        "session_keys": listener_keys + poster_keys,
    }


def remove_fixture(fixture: dict | None) -> None:
    """Also removes what an interrupted run left behind."""
    Channel.objects.filter(name=CHANNEL_NAME, description="bench/chat_fanout.py").delete()
    Member.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()
    if fixture is not None:
        store = import_module(settings.SESSION_ENGINE).SessionStore
        for key in fixture["session_keys"]:
            store(session_key=key).delete()


def redis_clean() -> None:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    for pattern in (f"{CACHE_KEY_PREFIX}:*", "asgi*"):
        keys = list(client.scan_iter(match=pattern, count=1000))
        if keys:
            client.delete(*keys)
    client.close()


# --- The server process ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_command(
    server: str, application: str, port: int, deflate: bool, workers: int, loop: str
) -> list[str]:
    if server == "daphne":
        return [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), "-v", "0", application]
    if server == "uvicorn":
        return [
            str(BIN / "uvicorn"),
            application,
            "--host=127.0.0.1",
            f"--port={port}",
            "--lifespan=off",
            "--log-level=warning",
            "--no-access-log",
            f"--ws-per-message-deflate={'true' if deflate else 'false'}",
            f"--workers={workers}",
            f"--loop={loop}",
        ]
    raise SystemExit(f"Unknown server {server!r}: daphne or uvicorn.")


class Server:
    def __init__(self, server: str, part: str, layer: str, args) -> None:
        self.port = free_port()
        application = args.app if part == "app" else "bench.fanout_floor_asgi:application"
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="bench.fanout_settings",
            DJANGO_DEBUG="0",
            CHANNEL_LAYER=layer,
            CACHE_KEY_PREFIX=CACHE_KEY_PREFIX,
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )
        name = f"chat_fanout_{server}_{layer}_{part}_{os.getpid()}.log"
        self.log_path = Path("/tmp") / name  # noqa: S108
        self.log = self.log_path.open("w")
        self.command = server_command(
            server,
            application,
            self.port,
            args.uvicorn_deflate == "on",
            args.workers,
            args.uvicorn_loop,
        )
        self.process = None
        self.env = env

    async def start(self) -> None:
        # A session of its own: stop() ends the server's worker processes with it.
        self.process = await asyncio.create_subprocess_exec(
            *self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.returncode is not None:
                raise SystemExit(f"The server stopped:\n{self.log_path.read_text()[-3000:]}")
            try:
                _reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError:
                await asyncio.sleep(0.2)
                continue
            writer.close()
            return
        raise SystemExit(f"The server did not listen:\n{self.log_path.read_text()[-3000:]}")

    async def stop(self) -> None:
        # An overloaded uvicorn may be killed before its workers stop, which would leave them
        # running into the next part: the whole process group goes.
        self.process.terminate()
        try:
            await asyncio.wait_for(self.process.wait(), 15)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()

    def problems(self) -> list[str]:
        lines = self.log_path.read_text(errors="replace").splitlines()
        return [line for line in lines if "Error" in line or "Traceback" in line]

    def pids(self) -> list[int]:
        pids, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                todo.extend(int(child) for child in task.read_text().split())
        return pids

    def rss_mb(self) -> float:
        total = 0
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except FileNotFoundError:
                continue
        return total / 1024

    def cpu_seconds(self) -> float:
        ticks = 0
        for pid in self.pids():
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except FileNotFoundError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")


# --- The listeners' process -------------------------------------------------------------------


class Listeners:
    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "bench" / "fanout_clients.py"),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )

    async def ask(self, **command) -> dict:
        self.process.stdin.write((json.dumps(command) + "\n").encode())
        await self.process.stdin.drain()
        line = await self.process.stdout.readline()
        if not line:
            raise SystemExit("The listeners' process stopped.")
        return json.loads(line)

    async def stop(self) -> None:
        self.process.stdin.write(b'{"cmd": "quit"}\n')
        await self.process.stdin.drain()
        await self.process.wait()


# --- Posting -----------------------------------------------------------------------------------


class Poster:
    """A member's socket that posts and collects the answers (``posted`` or ``error``)."""

    def __init__(self, url: str, origin: str, cookie: str, deflate: bool, channel: int) -> None:
        self.channel = channel
        self.options = {
            "origin": origin,
            "additional_headers": {"Cookie": cookie},
            "compression": "deflate" if deflate else None,
            "ping_interval": None,
            "open_timeout": 60,
        }
        self.url = url
        self.pending: dict[str, tuple[asyncio.Future, float]] = {}
        self.task: asyncio.Task | None = None

    async def open(self) -> None:
        """Opens the socket, or opens it again after the server closed it (an overloaded
        server closes the sockets whose pings go unanswered)."""
        if self.task is None or self.task.done():
            self.ws = await connect(self.url, **self.options)
            # As the channel's page does before its member writes (static/js/channels.js).
            await self.ws.send(json.dumps({"action": "subscribe", "channel": self.channel}))
            while (answer := json.loads(await self.ws.recv()))["type"] != "subscribed":
                if answer["type"] == "error":
                    raise SystemExit(f"A poster could not subscribe: {answer['message']}")
            self.task = asyncio.create_task(self.listen())

    async def listen(self) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for frame in self.ws:
                data = json.loads(frame)
                ref = data.get("ref")
                if ref in self.pending and data.get("type") in ("posted", "error"):
                    future, sent = self.pending.pop(ref)
                    data["answered_in"] = (time.perf_counter() - sent) * 1000
                    future.set_result(data)
        for future, _sent in self.pending.values():
            future.set_result({"type": "error", "code": "closed", "answered_in": math.nan})
        self.pending.clear()

    async def post(self, ref: str, frame: dict) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        if self.task.done():
            future.set_result({"type": "error", "code": "closed", "answered_in": math.nan})
            return future
        self.pending[ref] = (future, time.perf_counter())
        with contextlib.suppress(ConnectionClosed):  # listen() answers the pending posts
            await self.ws.send(json.dumps(frame, ensure_ascii=False))
        return future

    async def close(self) -> None:
        if self.task is not None and not self.task.done():
            await self.ws.close()
        if self.task is not None:
            await self.task


def message_body(number: int) -> str:
    return f"bench t={time.time():.6f} n={number} {PADDING}"


async def post_at_rate(rate: float, count: int, send_one) -> float:
    """Calls ``send_one(i)`` ``count`` times, the i-th at ``i / rate`` seconds (open loop: a late
    call does not delay the schedule); returns the rate achieved."""
    began = time.perf_counter()
    for number in range(count):
        delay = began + number / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        await send_one(number)
    elapsed = time.perf_counter() - began
    return (count - 1) / elapsed if elapsed > 0 and count > 1 else rate


# --- One part (floor or application) at every rate ---------------------------------------------


def percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


async def sample_rss(server: Server, peak: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], server.rss_mb())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.25)


async def run_part(args, fixture: dict, state: dict, server_name: str, layer: str, part: str):
    server = Server(server_name, part, layer, args)
    await server.start()
    listeners: Listeners = state["listeners"]
    origin = f"http://127.0.0.1:{server.port}"
    url = f"ws://127.0.0.1:{server.port}/ws/canaux/"
    answer = await listeners.ask(
        cmd="connect",
        mode=part,
        url=url,
        origin=origin,
        cookies=fixture["listener_cookies"],
        channel=fixture["channel"],
        last_seq=state["seq"] if part == "app" else state["floor_n"],
        deflate=args.client_deflate == "on",
    )
    print(
        f"  {part}: {answer['connected']} listeners connected in {answer['seconds']} s"
        + (f", {answer['failed']} failed: {answer['failures']}" if answer["failed"] else ""),
        flush=True,
    )
    posters: list[Poster] = []
    floor_layer = None
    if part == "app":
        deflate = args.client_deflate == "on"
        posters = [
            Poster(url, origin, c, deflate, fixture["channel"]) for c in fixture["poster_cookies"]
        ]
    else:
        config = settings.CHANNEL_LAYERS["default"]["CONFIG"]
        floor_layer = import_string(settings.CHANNEL_LAYER_BACKENDS[layer])(**config)

    rows = []
    for rate in args.rates:
        await asyncio.sleep(1)
        await listeners.ask(cmd="phase_start")
        count = max(1, round(rate * args.seconds))
        cpu_before, wall_before = server.cpu_seconds(), time.perf_counter()
        clients_cpu_before = (await listeners.ask(cmd="cpu"))["cpu"]
        peak, stop = [server.rss_mb()], asyncio.Event()
        sampler = asyncio.create_task(sample_rss(server, peak, stop))
        row = {"rate": rate}
        if part == "app":
            tag = secrets.token_hex(3)
            futures = []
            for poster in posters:
                await poster.open()

            async def send_post(number: int, tag=tag, futures=futures) -> None:
                ref = f"{tag}-{number}"
                frame = {
                    "action": "post",
                    "channel": fixture["channel"],
                    "body": message_body(number),
                    "client_id": ref,
                    "ref": ref,
                }
                futures.append(await posters[number % len(posters)].post(ref, frame))

            row["sent_rate"] = await post_at_rate(rate, count, send_post)
            await asyncio.wait(futures, timeout=120)
            answers = [f.result() for f in futures if f.done()]
            seqs = sorted(a["seq"] for a in answers if a["type"] == "posted")
            row["post_errors"] = count - len(seqs)
            row["post_error_codes"] = sorted({a["code"] for a in answers if a["type"] == "error"})
            answered = sorted(a["answered_in"] for a in answers if a["type"] == "posted")
            row["post_p95"] = percentile(answered, 0.95)
            first, last = (seqs[0], seqs[-1]) if seqs else (state["seq"] + 1, state["seq"])
            row["gapless"] = seqs == list(range(first, last + 1))
            state["seq"] = max(state["seq"], last)
        else:
            first = state["floor_n"] + 1
            last = state["floor_n"] + count
            state["floor_n"] = last

            async def send_event(number: int, first=first) -> None:
                seq = first + number
                payload = {
                    "id": seq,
                    "channel": 0,
                    "seq": seq,
                    "author": {"id": 0, "name": "Bench Poster"},
                    "body": message_body(number),
                    "client_id": f"floor-{seq}",
                    "created_at": datetime.now(tz=UTC).isoformat(),
                    "edited": False,
                    "deleted": False,
                    "hidden": False,
                }
                await floor_layer.group_send("floor", {"type": "floor.message", "message": payload})

            row["sent_rate"] = await post_at_rate(rate, count, send_event)
            row["post_errors"], row["post_p95"], row["gapless"] = 0, math.nan, True
        # CPU while posting (not during the wait and the catch-up that follow)
        wall = time.perf_counter() - wall_before
        row["server_cpu"] = (server.cpu_seconds() - cpu_before) / wall * 100
        row["clients_cpu"] = (
            ((await listeners.ask(cmd="cpu"))["cpu"] - clients_cpu_before) / wall * 100
        )
        stats = await listeners.ask(cmd="phase_end", first=first, last=last, drain=args.drain)
        stop.set()
        await sampler
        row.update(stats)
        row["rss"] = peak[0]
        rows.append(row)
        print_row(part, row, flush=True)

    for poster in posters:
        await poster.close()
    if floor_layer is not None and hasattr(floor_layer, "flush"):
        await floor_layer.flush()
    await listeners.ask(cmd="close")
    await asyncio.sleep(3)  # the server's consumers leave their groups before it stops
    await server.stop()
    problems = server.problems()
    if problems:
        print(f"  server log ({server.log_path}): {len(problems)} error lines, e.g.:")
        for line in problems[:3]:
            print("    " + line[:200])
    else:
        server.log_path.unlink()
    return rows


# --- Printing -----------------------------------------------------------------------------------

HEADER = (
    "    rate/s  sent/s  p50 ms  p95 ms  max ms    live  caught up  miss/dup/ooo  "
    "complete  post p95  server CPU %  clients CPU %  RSS MB  resubscribe s"
)


def fmt(value: float, width: int) -> str:
    return f"{'-':>{width}}" if value is None or math.isnan(value) else f"{value:>{width}.0f}"


def print_row(part: str, row: dict, flush: bool = False) -> None:
    errors = ""
    if row["post_errors"]:
        errors += f"  post errors {row['post_errors']} {row['post_error_codes']}"
    if not row["gapless"]:
        errors += "  posted seqs not gapless"
    if row["closed"] or row["errors"] or row["unanswered"]:
        errors += (
            f"  closed {row['closed']}, error frames {row['errors']} {row['error_codes']},"
            f" unanswered subscribes {row['unanswered']}"
        )
    line = (
        f"  {part:5} {row['rate']:>4g} {row['sent_rate']:>7.1f} {fmt(row['p50'], 7)} "
        f"{fmt(row['p95'], 7)} {fmt(row['max'], 7)} {row['live']:>7} {row['caught_up']:>10} "
        f"{row['missing']:>5}/{row['duplicated']}/{row['out_of_order']:<4} "
        f"{row['complete_clients']:>5}/{row['clients']:<3} {fmt(row['post_p95'], 9)} "
        f"{fmt(row['server_cpu'], 13)} {fmt(row['clients_cpu'], 14)} {row['rss']:>7.0f}"
        + (f" {row['catch_up_seconds']:>14.1f}" if part == "app" else "")
    )
    print(line + errors, flush=flush)


def knee(rows: list[dict]) -> float:
    """The highest rate up to which p95 stays under a second."""
    best = 0.0
    for row in rows:
        if math.isnan(row["p95"]) or row["p95"] >= KNEE_P95_MS:
            break
        best = row["rate"]
    return best


def verdict(floor: list[dict], app: list[dict]) -> dict:
    exact = all(
        r["missing"] == r["duplicated"] == r["out_of_order"] == r["not_reopened"] == 0 for r in app
    )
    posts_lost = {r["rate"]: r["post_errors"] for r in app if r["post_errors"]}
    ratios = []
    for f, a in zip(floor, app, strict=True):
        if f["missing"] == 0 and f["p95"] > 0:
            ratios.append((f["rate"], a["p95"] / f["p95"]))
    within = all(ratio <= 1.5 for _rate, ratio in ratios)
    floor_knee, app_knee = knee(floor), knee(app)
    return {
        "exact": exact,
        "posts_lost": posts_lost,
        "ratios": ratios,
        "within": within,
        "floor_knee": floor_knee,
        "app_knee": app_knee,
        "knee_ok": app_knee >= 0.75 * floor_knee,
    }


def print_verdict(result: dict) -> None:
    v = result["verdict"]
    ok = {True: "OK", False: "MISSED"}
    ratios = ", ".join(f"{rate:g}/s {ratio:.2f}x" for rate, ratio in v["ratios"]) or "none"
    print(f"  every message once and in order, on every socket, at every rate: {ok[v['exact']]}")
    for rate, lost in v["posts_lost"].items():
        print(f"  at {rate:g}/s {lost} posts got no answer (their socket closed or timed out)")
    print(f"  p95 app/floor where the floor lost nothing (<= 1.5x): {ratios}: {ok[v['within']]}")
    print(
        f"  knee (p95 < 1 s): floor {v['floor_knee']:g}/s, app {v['app_knee']:g}/s "
        f"(>= 75 % of the floor's): {ok[v['knee_ok']]}"
    )


async def run(args, fixture: dict) -> list[dict]:
    listeners = Listeners()
    await listeners.start()
    state = {"listeners": listeners, "seq": 0, "floor_n": 0}
    results = []
    try:
        for server_name in args.server:
            for layer in args.layer:
                backend = settings.CHANNEL_LAYER_BACKENDS[layer]
                print(
                    f"\n{server_name} + {backend}: {args.clients} listeners, "
                    f"{args.seconds:g} s per rate, {len(fixture['poster_cookies'])} posters, "
                    f"database pool {'on' if os.environ.get('DATABASE_POOL') else 'off'}",
                    flush=True,
                )
                print(HEADER, flush=True)
                floor = app = []
                if "floor" in args.parts:
                    floor = await run_part(args, fixture, state, server_name, layer, "floor")
                if "app" in args.parts:
                    app = await run_part(args, fixture, state, server_name, layer, "app")
                if not (floor and app):
                    continue
                result = {
                    "name": f"{server_name} + {layer}",
                    "floor": floor,
                    "app": app,
                    "verdict": verdict(floor, app),
                }
                print_verdict(result)
                results.append(result)
    finally:
        await listeners.stop()
    return results


def print_summary(results: list[dict], rates: list[float]) -> None:
    print("\nSummary: p95 ms floor / app at each rate, knee rates, targets")
    print("  " + f"{'configuration':24}" + "".join(f"{r:>14g}/s" for r in rates) + "   knee f/a")
    for result in results:
        cells = "".join(
            f"{fmt(f['p95'], 7)} /{fmt(a['p95'], 6)}"
            for f, a in zip(result["floor"], result["app"], strict=True)
        )
        v = result["verdict"]
        targets = "all targets met" if v["exact"] and v["within"] and v["knee_ok"] else "MISSED"
        print(f"  {result['name']:24}{cells}   {v['floor_knee']:g}/{v['app_knee']:g}   {targets}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rates", default="1,5,10,20,50")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--server", default="uvicorn", help="uvicorn, daphne or both: a,b")
    parser.add_argument("--layer", default="pubsub", help="pubsub, core or both: a,b")
    parser.add_argument("--posters", type=int, default=4, help="posting members, a socket each")
    parser.add_argument("--drain", type=float, default=15, help="seconds to wait after a rate")
    parser.add_argument("--client-deflate", choices=["on", "off"], default="on")
    parser.add_argument("--uvicorn-deflate", choices=["on", "off"], default="off")
    parser.add_argument("--uvicorn-loop", default="asyncio", help="asyncio, uvloop (if installed)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn's worker processes")
    parser.add_argument("--app", default="comptoir.asgi:application", help=argparse.SUPPRESS)
    parser.add_argument("--parts", default="floor,app", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.rates = [float(r) for r in args.rates.split(",")]
    args.server = args.server.split(",")
    args.layer = args.layer.split(",")

    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL (see the docstring).")
    if not getattr(settings, "REDIS_URL", ""):
        sys.exit("This benchmark needs Redis: set REDIS_URL (see the docstring).")
    if urlparse(settings.REDIS_URL).path.strip("/") in ("", "0"):
        sys.exit("Give the bench a Redis database of its own, e.g. REDIS_URL=redis://host:6379/3")
    for layer in args.layer:
        if layer not in settings.CHANNEL_LAYER_BACKENDS:
            sys.exit(f"Unknown layer {layer!r}: {', '.join(settings.CHANNEL_LAYER_BACKENDS)}.")
    call_command("migrate", verbosity=0)
    fixture = create_fixture(args.clients, args.posters)
    connection.close()
    try:
        results = asyncio.run(run(args, fixture))
    finally:
        remove_fixture(fixture)
        redis_clean()
    print_summary(results, args.rates)


if __name__ == "__main__":
    main()
