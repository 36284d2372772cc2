"""Real processes for the WebSocket tests that need them: a redis-server of the test's own on a
free port, daphne processes serving comptoir.asgi on the Redis channel layer and a database
shared with the test, and a raw WebSocket client (the ``websockets`` package)."""

import asyncio
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 40.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, log: Path, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} stopped at start (code {process.returncode}):\n{_tail(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"{what} did not listen on port {port} within {START_TIMEOUT} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _stop(process: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


class RedisServer:
    """A redis-server of the test's own, without persistence: killed, it forgets everything
    (groups included), as a restarted Redis does."""

    def __init__(self, directory: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail(
                "redis-server is needed by this test: install it (apt-get install redis-server)."
            )
        self.binary = binary
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log = directory / "redis.log"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [
                    self.binary,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(self.directory),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        _wait_for_port(self.port, self.process, self.log, "redis-server")

    def kill(self) -> None:
        _stop(self.process, signal.SIGKILL)

    def stop(self) -> None:
        _stop(self.process)


class ExternalRedis:
    """A Redis server already running (CI's service), used under a key prefix of the test's
    own when no redis-server can be started here."""

    def __init__(self, url: str) -> None:
        self.url = url

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass


def redis_for_test(directory: Path) -> RedisServer | ExternalRedis:
    """A redis-server of the test's own if one can be started, else the Redis of REDIS_URL
    or of 127.0.0.1:6379 if it answers; never a skip."""
    if shutil.which("redis-server"):
        redis = RedisServer(directory)
        redis.start()
        return redis
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    import redis as redis_client

    try:
        redis_client.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis_client.RedisError as error:
        pytest.fail(
            f"This test needs Redis: install redis-server, or run Redis at {url} ({error})."
        )
    return ExternalRedis(url)


def layer_prefix() -> str:
    """Channel layer keys of this test only (channels-redis's default prefix is "asgi")."""
    return f"comptoir-test-{uuid.uuid4().hex[:12]}"


def shared_database(directory: Path) -> dict[str, str]:
    """Environment giving a server process the test's database. On PostgreSQL, the test
    database itself (the test must be transactional, so that what it writes is committed);
    on the embedded SQLite, whose test database lives in memory, a copy of it in a file, made
    by SQLite's backup (call it once the test's data is written)."""
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        auth = quote(params["USER"] or "")
        if params["PASSWORD"]:
            auth += ":" + quote(params["PASSWORD"])
        host = f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        return {"DATABASE_URL": f"postgres://{auth}@{host}/{params['NAME']}"}
    assert connection.vendor == "sqlite"
    connection.ensure_connection()
    target = sqlite3.connect(directory / "comptoir.sqlite3")
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    # Without DATABASE_URL the settings open COMPTOIR_VAR_DIR/comptoir.sqlite3, with a
    # generous busy timeout for the processes sharing it.
    return {"DATABASE_URL": "", "COMPTOIR_VAR_DIR": str(directory)}


class AsgiServer:
    """daphne serving comptoir.asgi:application with the test settings."""

    def __init__(self, directory: Path, name: str, env: dict[str, str]) -> None:
        self.port = free_port()
        self.log = directory / f"daphne-{name}.log"
        self.name = name
        self.env = env
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/canaux/"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.network.live_settings",
            "PYTHONPATH": str(REPO),
            **self.env,
        }
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "daphne",
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "comptoir.asgi:application",
                ],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait(self) -> None:
        _wait_for_port(self.port, self.process, self.log, f"daphne {self.name}")

    def stop(self) -> None:
        _stop(self.process)

    def tail(self) -> str:
        return _tail(self.log)


def session_cookie(member) -> str:
    client = Client()
    client.force_login(member)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def open_socket(server: AsgiServer, cookie: str):
    from websockets.asyncio.client import connect

    return await connect(
        server.url,
        origin=server.origin,
        additional_headers={"Cookie": cookie},
        open_timeout=5,
        close_timeout=1,
    )


async def send(socket, **frame) -> None:
    await socket.send(json.dumps(frame))


async def receive(socket, timeout: float = 5.0) -> dict:
    return json.loads(await asyncio.wait_for(socket.recv(), timeout))


async def receive_until(socket, frame_type: str, timeout: float = 5.0) -> list[dict]:
    frames = []
    while True:
        frames.append(await receive(socket, timeout))
        if frames[-1]["type"] == frame_type:
            return frames
