"""A real SMTP server (aiosmtpd) on 127.0.0.1 and a database with a few HS codes and EUN."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
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

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox does not exist"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted"


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
        controller.stop()


def mail_settings(db: Database, tmp_path: Path, port: int) -> Settings:
    return Settings.load(env={}, dotenv=tmp_path / "absent.env", database_url=db.url,
                         var_dir=str(tmp_path / "var"), secret_key="k", smtp_host="127.0.0.1",
                         smtp_port=port, public_url="https://tradewind.example")


@pytest.fixture
def watch_db(db: Database) -> Database:
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
