"""Recording demand signals from web handlers, cheaply and without ever failing a request.

A handler gets one line, ``@observe("access")``, under its route decorator.  After the
handler returns (or raises), the matching extractor reads what the question was about from
the request and the rendered context, and :class:`Recorder` buffers the event in memory.
Batches are written by one background thread, so the visitor's request only pays for building
a small dict (measured by ``tradewind bench policy``).

Nothing personal is kept: no IP address, cookie, user id or e-mail; finder text only scrubbed
and only when ``policy_raw_text`` is on.  Visitors sending ``DNT: 1`` or ``Sec-GPC: 1`` and
sites with ``policy_signals`` off are not recorded at all.
"""

from __future__ import annotations

import functools
import inspect
import logging
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request

from tradewind import i18n
from tradewind.db import Database
from tradewind.errors import NotFound, TradewindError
from tradewind.policy import store
from tradewind.policy.scrub import barrier_topic, query_hash, scrub

log = logging.getLogger(__name__)

KINDS = ("finder_search", "finder_pick", "access", "cost", "markets", "market_products",
         "requirements", "watch", "guide", "library", "feedback")
OUTCOMES = ("answered", "unanswered", "no_data", "picked")
USER_TYPES = ("business", "advisor", "public_body", "unknown")
AUDIENCE_COOKIE = "tw_audience"
_ISO3 = re.compile(r"^[A-Z]{3}$")
_HS = re.compile(r"\D")

F = TypeVar("F", bound=Callable[..., Any])


def now_day() -> date:
    return datetime.now(UTC).date()


class Recorder:
    """An in-memory buffer of events for one database, written in batches off the request."""

    def __init__(self, db: Database, batch: int = 50, max_age_seconds: float = 10.0,
                 retention_days: int | None = None) -> None:
        self.db = db
        self.retention_days = retention_days
        self._pruned_on: date | None = None
        self.batch = max(1, batch)
        self.max_age = max_age_seconds
        self._lock = threading.Lock()
        self._buffer: list[dict[str, Any]] = []
        self._oldest = 0.0
        self._executor: ThreadPoolExecutor | None = None
        self._pending: list[Future[int]] = []
        self.failures = 0

    def add(self, event: dict[str, Any]) -> None:
        with self._lock:
            if not self._buffer:
                self._oldest = time.monotonic()
            self._buffer.append(event)
            if len(self._buffer) < self.batch and time.monotonic() - self._oldest < self.max_age:
                return
            taken, self._buffer = self._buffer, []
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="policy-signals")
            self._pending = [f for f in self._pending if not f.done()]
            self._pending.append(self._executor.submit(self._write, taken))

    def _write(self, events: list[dict[str, Any]]) -> int:
        """Write one batch; a failure is logged and counted, never raised."""
        try:
            with self.db.transaction() as conn:
                written = store.write_events(conn, events)
                today = now_day()
                if self.retention_days is not None and self._pruned_on != today:
                    # The writer is also the retention worker: once a day, drop old raw events.
                    store.maintain(conn, self.retention_days, today)
                    self._pruned_on = today
                return written
        except Exception:  # analytics must never break anything
            self.failures += 1
            log.exception("could not write %d demand signals", len(events))
            return 0

    def flush(self) -> int:
        """Write what is buffered now and wait for batches in flight (tests, shutdown)."""
        with self._lock:
            taken, self._buffer = self._buffer, []
            pending, self._pending = self._pending, []
        written = sum(f.result() for f in pending)
        return written + (self._write(taken) if taken else 0)


_recorders: dict[int, Recorder] = {}
_recorders_lock = threading.Lock()


def recorder_for(request: Request) -> Recorder:
    state = request.app.state
    found = getattr(state, "policy_recorder", None)
    if found is None:
        with _recorders_lock:
            found = getattr(state, "policy_recorder", None)
            if found is None:
                s = state.settings
                found = Recorder(state.db, int(s.policy_flush_events),
                                 float(s.policy_flush_seconds),
                                 int(s.policy_retention_days))
                state.policy_recorder = found
    return found  # type: ignore[no-any-return]


def tracking_refused(request: Request) -> bool:
    """True when the visitor asked not to be tracked (Do Not Track, Global Privacy Control)."""
    headers = request.headers
    return headers.get("dnt", "").strip() == "1" or headers.get("sec-gpc", "").strip() == "1"


def user_type(request: Request) -> str:
    """The audience the visitor chose on the site (cookie), when known."""
    value = request.cookies.get(AUDIENCE_COOKIE, "")
    return value if value in USER_TYPES else "unknown"


def _code(value: object) -> str:
    return _HS.sub("", str(value or ""))[:6]


def _iso3(value: object) -> str:
    text = str(value or "").strip().upper()
    return text if _ISO3.match(text) else ""


def make_event(request: Request, kind: str, outcome: str, *, hs: object = "",
               origin: object = "", destination: object = "", topic: str = "",
               text: str | None = None, qhash: str = "") -> dict[str, Any]:
    """One event row: only the dimensions of the question, nothing about the visitor."""
    settings = request.app.state.settings
    keep_text = bool(settings.policy_raw_text) and text is not None
    return {
        "day": now_day(), "kind": kind, "outcome": outcome, "hs": _code(hs),
        "origin": _iso3(origin), "destination": _iso3(destination),
        "lang": i18n.current_language.get()[:2], "user_type": user_type(request),
        "topic": topic[:60], "query_hash": qhash,
        "query_text": scrub(text) if keep_text and text else None,
    }


# ------------------------------------------------------------------ extractors
Extractor = Callable[[Request, Any, BaseException | None, dict[str, Any]], dict[str, Any] | None]


def _ctx(response: Any) -> dict[str, Any]:
    context = getattr(response, "context", None)
    return context if isinstance(context, dict) else {}


def _param(request: Request, name: str) -> str:
    return request.query_params.get(name, "").strip()[:60]


def _error_outcome(exc: BaseException | None, ctx: dict[str, Any]) -> str:
    return "no_data" if isinstance(exc, NotFound) else "unanswered"


def _finder(request: Request, response: Any, exc: BaseException | None,
            kwargs: dict[str, Any]) -> dict[str, Any] | None:
    q = (request.query_params.get("q") or "").strip()
    if not q:
        return None
    result = _ctx(response).get("result")
    candidates = getattr(result, "candidates", None) or []
    return make_event(request, "finder_search", "answered" if candidates else "unanswered",
                      hs=candidates[0].code if candidates else "", text=q, qhash=query_hash(q))


def _code_page(request: Request, response: Any, exc: BaseException | None,
               kwargs: dict[str, Any]) -> dict[str, Any] | None:
    """A code opened from the finder's results: the search was answered by a pick."""
    referer = urlsplit(request.headers.get("referer", ""))
    if not referer.path.endswith("/hs/search") or referer.netloc not in ("", request.url.netloc):
        return None
    if getattr(response, "status_code", 200) >= 400:
        return None
    q = (parse_qs(referer.query).get("q") or [""])[0].strip()
    return make_event(request, "finder_pick", "picked", hs=kwargs.get("code", ""),
                      qhash=query_hash(q) if q else "")


def _answer_like(kind: str) -> Extractor:
    def extract(request: Request, response: Any, exc: BaseException | None,
                kwargs: dict[str, Any]) -> dict[str, Any] | None:
        ctx = _ctx(response)
        answer = ctx.get("answer")
        product, origin, dest = (_param(request, n) for n in ("product", "origin",
                                                               "destination"))
        if answer is not None:
            has_schedule = getattr(answer, "has_schedule", True)
            return make_event(request, kind, "answered" if has_schedule else "no_data",
                              hs=answer.product, origin=answer.origin,
                              destination=answer.destination)
        if exc is None and not ctx.get("error"):
            return None  # the empty form, or a redirect
        status = getattr(response, "status_code", 200)
        return make_event(request, kind, "no_data" if isinstance(exc, NotFound)
                          or status == 404 else "unanswered",
                          hs=product, origin=origin, destination=dest)
    return extract


def _markets(request: Request, response: Any, exc: BaseException | None,
             kwargs: dict[str, Any]) -> dict[str, Any] | None:
    ranking = _ctx(response).get("ranking")
    product, origin, market = (_param(request, n) for n in ("product", "origin", "market"))
    kind = "market_products" if "/products" in request.url.path else "markets"
    if ranking is None and exc is None:
        return None
    if ranking is None:
        return make_event(request, kind, _error_outcome(exc, {}), hs=product, origin=origin,
                          destination=market)
    rows = getattr(ranking, "rows", [])
    return make_event(request, kind, "answered" if rows else "no_data",
                      hs=getattr(ranking, "product", None) or product,
                      origin=getattr(ranking, "origin", origin),
                      destination=getattr(ranking, "market", None) or market)


def _requirements(request: Request, response: Any, exc: BaseException | None,
                  kwargs: dict[str, Any]) -> dict[str, Any] | None:
    ctx = _ctx(response)
    result = ctx.get("result")
    if result is None:
        if not ctx.get("error"):
            return None
        return make_event(request, "requirements", "unanswered", hs=_param(request, "product"),
                          origin=_param(request, "origin"),
                          destination=_param(request, "destination"))
    return make_event(request, "requirements",
                      "answered" if getattr(result, "market_covered", True) else "no_data",
                      hs=result.product, origin=result.origin or "",
                      destination=result.destination)


def _guide(request: Request, response: Any, exc: BaseException | None,
           kwargs: dict[str, Any]) -> dict[str, Any] | None:
    if exc is not None:
        return None
    return make_event(request, "guide", "answered", topic=str(kwargs.get("slug", ""))[:60])


def _library(request: Request, response: Any, exc: BaseException | None,
             kwargs: dict[str, Any]) -> dict[str, Any] | None:
    entries = _ctx(response).get("entries")
    topic = str(kwargs.get("topic") or "")[:60]
    return make_event(request, "library", "answered" if entries else "unanswered",
                      topic=topic)


def _form(request: Request) -> Any:
    return getattr(request, "_form", None) or {}


def _feedback(request: Request, response: Any, exc: BaseException | None,
              kwargs: dict[str, Any]) -> dict[str, Any] | None:
    if exc is not None or getattr(response, "status_code", 200) >= 400:
        return None
    form = _form(request)
    obstacle = str(form.get("obstacle") or "")
    if not obstacle:
        return None
    return make_event(request, "feedback", "answered", origin=form.get("country"),
                      topic=barrier_topic(obstacle))


def _watch(request: Request, response: Any, exc: BaseException | None,
           kwargs: dict[str, Any]) -> dict[str, Any] | None:
    if exc is not None or getattr(response, "status_code", 200) >= 400:
        return None
    form = _form(request)
    hs = (str(form.get("hs") or "").replace(",", " ").split() or [""])[0]
    market = (str(form.get("market") or "").replace(",", " ").split() or [""])[0]
    return make_event(request, "watch", "answered", hs=hs, destination=market)


EXTRACTORS: dict[str, Extractor] = {
    "finder": _finder, "hs_code": _code_page, "access": _answer_like("access"),
    "cost": _answer_like("cost"), "markets": _markets, "requirements": _requirements,
    "guide": _guide, "library": _library, "feedback": _feedback, "watch": _watch,
}


def record(request: Request | None, what: str, response: Any, exc: BaseException | None,
           kwargs: dict[str, Any]) -> None:
    """Extract and buffer one signal; every failure is caught and logged."""
    if request is None:
        return
    try:
        settings = request.app.state.settings
        if not settings.policy_signals or tracking_refused(request):
            return
        event = EXTRACTORS[what](request, response, exc, kwargs)
        if event is not None:
            recorder_for(request).add(event)
    except Exception:  # analytics must never fail a user's request
        log.exception("demand signal %s not recorded", what)


def observe(what: str) -> Callable[[F], F]:
    """Decorate a page handler so its question is recorded (see module docstring)."""
    if what not in EXTRACTORS:
        raise ValueError(f"unknown signal {what!r}")

    def decorate(func: F) -> F:
        if inspect.iscoroutinefunction(func):
            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                try:
                    response = await func(*args, **kwargs)
                except TradewindError as exc:
                    record(kwargs.get("request"), what, None, exc, kwargs)
                    raise
                record(kwargs.get("request"), what, response, None, kwargs)
                return response
            async_wrapper.__signature__ = inspect.signature(  # type: ignore[attr-defined]
                func, eval_str=True)
            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                response = func(*args, **kwargs)
            except TradewindError as exc:
                record(kwargs.get("request"), what, None, exc, kwargs)
                raise
            record(kwargs.get("request"), what, response, None, kwargs)
            return response
        # Annotations resolved here, so FastAPI reads the handler's types, not this module's.
        wrapper.__signature__ = inspect.signature(func, eval_str=True)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]
    return decorate
