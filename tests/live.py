"""A real uvicorn server on a free loopback port in a background thread, for browser, MCP and
webhook tests. Readiness is an event set by the server's own start-up, not a timed poll: under
a loaded CI machine start-up (finder warm-up included) can take far longer than any fixed wait."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def free_loopback_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(app: Any) -> Iterator[str]:
    """Serve ``app`` until the block ends; yields its base URL once it accepts connections."""
    import uvicorn

    ready = threading.Event()

    class _Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets=sockets)
            ready.set()

    port = free_loopback_port()
    server = _Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not ready.wait(timeout=1.0):
        if not thread.is_alive():
            raise RuntimeError("the test server stopped before it started listening")
    if not server.started:
        raise RuntimeError(f"the test server could not listen on 127.0.0.1:{port}")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
