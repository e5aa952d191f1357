"""A real SMTP server (aiosmtpd) and a real HTTP webhook receiver (threading http.server) on
127.0.0.1, and a database with a few HS codes and EUN.

Both servers can misbehave on demand (refuse, hang, answer 410 …) and both let a test wait for
a number of received messages (a condition variable, never a sleep)."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import insert

from tradewind.agreements.models import economy_groups, group_members
from tradewind.db import Database
from tradewind.nomenclature.models import hs_codes, hs_sections
from tradewind.settings import Settings


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()
        self.data_replies: list[str] = []  # answers to the next DATA commands (then 250)
        self.hanging = False  # DATA waits for ``release`` and then answers 451
        self.release = threading.Event()
        self.changed = threading.Condition()

    def wait_for(self, count: int, timeout: float = 60) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: len(self.messages) >= count, timeout)

    def by_message_id(self) -> dict[str, list[EmailMessage]]:
        out: dict[str, list[EmailMessage]] = {}
        for m in list(self.messages):
            out.setdefault(str(m["Message-ID"]), []).append(m)
        return out

    def delivery_keys(self) -> list[str]:
        """Outbox keys carried, after dropping repeated Message-IDs (what a mail client
        shows)."""
        return [k for msgs in self.by_message_id().values()
                for k in str(msgs[0]["X-Tradewind-Deliveries"] or "").split()]

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox does not exist"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.hanging:
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
            return "451 4.3.0 server was too slow"
        if self.data_replies:
            return self.data_replies.pop(0)
        assert isinstance(envelope.content, bytes)
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self.changed:
            self.messages.append(message)
            self.changed.notify_all()
        return "250 Message accepted"


class Receiver:
    """Records every POST (headers, body); answers ``statuses`` in turn, then 204."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []
        self.hold_from: int | None = None  # requests numbered >= this wait for ``gate``
        # The first ``rendezvous.parties`` requests wait for each other: proves they were in
        # flight at the same time (``broken`` when they were not, within a minute).
        self.rendezvous: threading.Barrier | None = None
        self.broken = False
        self.gate = threading.Event()
        self.changed = threading.Condition()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def wait_for(self, count: int, timeout: float = 60) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: len(self.requests) >= count, timeout)

    def by_id(self) -> dict[str, list[tuple[dict[str, str], bytes]]]:
        out: dict[str, list[tuple[dict[str, str], bytes]]] = {}
        for headers, body in list(self.requests):
            out.setdefault(headers["webhook-id"], []).append((headers, body))
        return out

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _h, body in self.requests]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            with receiver.changed:
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()},
                                          body))
                number = len(receiver.requests)
                status = receiver.statuses.pop(0) if receiver.statuses else 204
                receiver.changed.notify_all()
            if receiver.hold_from is not None and number >= receiver.hold_from:
                receiver.gate.wait(60)
            if receiver.rendezvous is not None and number <= receiver.rendezvous.parties:
                try:
                    receiver.rendezvous.wait(60)
                except threading.BrokenBarrierError:
                    receiver.broken = True
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    box = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(box))
    server.daemon_threads = True
    box.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield box
    finally:
        box.gate.set()
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        inbox.release.set()
        controller.stop()


def mail_settings(db: Database, tmp_path: Path, port: int, **extra: Any) -> Settings:
    """Settings for the test SMTP server; webhooks to 127.0.0.1 allowed unless told."""
    values: dict[str, Any] = {"watch_webhook_allow_private": True, "smtp_timeout": 5,
                              "watch_webhook_timeout": 5, **extra}
    return Settings.load(env={}, dotenv=tmp_path / "absent.env", database_url=db.url,
                         var_dir=str(tmp_path / "var"), secret_key="k", smtp_host="127.0.0.1",
                         smtp_port=port, public_url="https://tradewind.example", **values)


@pytest.fixture
def watch_db(db: Database) -> Database:
    return seed_watch_db(db)


def seed_watch_db(db: Database) -> Database:
    """A few HS 2022 codes (09, 0901, 090111, 0902) and the EU with DEU (and GBR until 2020)."""
    with db.transaction() as conn:
        conn.execute(insert(hs_sections), [{"edition": "HS2022", "section": "II", "position": 2,
                                            "name": "Vegetable products"}])
        rows: list[dict[str, Any]] = [
            {"code": "09", "level": 2, "parent": None},
            {"code": "0901", "level": 4, "parent": "09"},
            {"code": "090111", "level": 6, "parent": "0901"},
            {"code": "0902", "level": 4, "parent": "09"}]
        conn.execute(insert(hs_codes), [{**r, "edition": "HS2022", "section": "II",
                                         "description": r["code"]} for r in rows])
        conn.execute(insert(economy_groups).values(code="EUN", name="European Union",
                                                   kind="customs union", customs_union=True))
        conn.execute(insert(group_members), [
            {"group_code": "EUN", "member": "DEU", "valid_from": None, "valid_to": None},
            {"group_code": "EUN", "member": "GBR", "valid_from": None,
             "valid_to": __import__("datetime").date(2020, 1, 31)}])
    return db
