"""Handing a broadcast to the channel layer from synchronous code (the services, on commit).

With a Redis layer, each server process publishes from an event loop of its own, in a thread
that does nothing else, rather than through the server's loop as ``async_to_sync`` would: that
loop may be busy writing the previous message to hundreds of sockets, and a broadcast that
waits behind it is late for every reader; worse, it may be overtaken by the next message's,
published by another server process (bench/chat_fanout.py measured both). The in-memory layer
(the embedded default, one process) lives on the server's loop, so it keeps ``async_to_sync``.
"""

import asyncio
import os
import threading
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import BaseChannelLayer, InMemoryChannelLayer

# Seconds a database thread waits for the layer to take a broadcast before giving up (Redis
# unreachable): the message is saved, and sockets catch up from the database.
SEND_TIMEOUT = 5.0

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_loop_pid: int | None = None


def _publishing_loop() -> asyncio.AbstractEventLoop:
    """This process's publishing loop, started on first use (again in a forked child)."""
    global _loop, _loop_pid
    with _lock:
        if _loop is None or _loop_pid != os.getpid() or _loop.is_closed():
            loop = asyncio.new_event_loop()
            threading.Thread(
                target=loop.run_forever, name="comptoir-broadcasts", daemon=True
            ).start()
            _loop, _loop_pid = loop, os.getpid()
        return _loop


def layer_group_send(layer: BaseChannelLayer | Any, group: str, event: dict[str, Any]) -> None:
    """Send ``event`` to ``group`` and return once the layer has taken it, so that the
    broadcasts of one process leave in the order of their calls. Raises what the layer
    raises (Redis away), or TimeoutError."""
    if isinstance(layer, InMemoryChannelLayer):
        async_to_sync(layer.group_send)(group, event)
        return
    future = asyncio.run_coroutine_threadsafe(layer.group_send(group, event), _publishing_loop())
    try:
        future.result(timeout=SEND_TIMEOUT)
    except TimeoutError:
        future.cancel()
        raise
