"""One log line and one latency observation per request, tagged with a request id.

The id comes from the caller's ``X-Request-ID`` when it looks like one (a proxy in front usually
sets it, so its logs and ours join up), otherwise it is generated; it is echoed in the response.
With ``TRADEWIND_LOG_FORMAT=json`` each line is a JSON object (time, level, request_id, method,
path, route, status, duration_ms) for log collectors; ``text`` is for people.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from tradewind.operations.metrics import observe_request
from tradewind.web.hardening import ASGIApp, Message, Receive, Scope, Send

ACCESS_LOGGER = "tradewind.access"
REQUEST_ID_HEADER = b"x-request-id"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# Probes and metrics scrapes would drown the log; they are still measured.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")


def incoming_request_id(headers: list[tuple[bytes, bytes]]) -> str:
    """The caller's id when it is short and plain, else a fresh one."""
    for name, value in headers:
        if name.lower() == REQUEST_ID_HEADER:
            candidate = value.decode("latin-1").strip()
            if _VALID_ID.match(candidate):
                return candidate
            break
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    """Log records as JSON lines; ``extra`` fields of access records are kept."""

    FIELDS = ("request_id", "method", "path", "route", "status", "duration_ms", "client")

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id.get()),
        }
        for field in self.FIELDS[1:]:
            if hasattr(record, field):
                data[field] = getattr(record, field)
        if record.exc_info:
            data["error"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def configure_logging(log_format: str, level: str = "INFO") -> None:
    """Install one handler on the ``tradewind`` logger in the chosen format."""
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("tradewind")
    logger.handlers[:] = [handler]
    logger.setLevel(level.upper())
    logger.propagate = False


class RequestLogMiddleware:
    """Request id in and out, an access-log line and a latency sample per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.logger = logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = incoming_request_id(scope.get("headers", []))
        token = current_request_id.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != REQUEST_ID_HEADER]
                message["headers"] = [*headers, (REQUEST_ID_HEADER, request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            observe_request(scope.get("method", "GET"), route, status, elapsed)
            path = scope.get("path", "")
            if path not in QUIET_PATHS:
                self.logger.info(
                    "%s %s %s %.1fms", scope.get("method"), path, status, elapsed * 1000,
                    extra={"request_id": request_id, "method": scope.get("method"),
                           "path": path, "route": route, "status": status,
                           "duration_ms": round(elapsed * 1000, 2)})
            current_request_id.reset(token)
