"""The MCP server driven by the SDK's own client over stdio (``tradewind mcp`` subprocess)
and Streamable HTTP (``/mcp`` mounted in a live app); results equal the library's answers."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.live import running_server

pytest.importorskip("mcp")
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tradewind.access import market_access
from tradewind.db import Database
from tradewind.settings import Settings

ACCESS = {"product": "610910", "origin": "KEN", "destination": "FRA", "date": "2025-06-02"}
VALID: dict[str, dict[str, Any]] = {
    "hs_search": {"query": "roasted coffee"},
    "hs_guided": {"query": "cotton shirts", "answers": ["construction:woven"]},
    "hs_code": {"code": "0901"},
    "market_access": ACCESS,
    "landed_cost": {**ACCESS, "value": "10000"},
    "rank_markets": {"product": "610910", "origin": "KEN"},
    "rank_products": {"market": "FRA", "origin": "KEN", "limit": 5},
    "statistics": {"product": "610910", "market": "FRA", "origin": "KEN"},
    "agreements": {"a": "KEN", "b": "FRA"},
    "requirements": {"product": "610910", "destination": "FRA"},
    "notifications": {"member": "KEN"},
    "brief": {**ACCESS, "value": "10000", "incoterm": "FOB"},
}
INVALID: dict[str, dict[str, Any]] = {
    "hs_search": {"query": ""},
    "hs_guided": {"query": "cotton shirts", "answers": ["colour:red"]},
    "hs_code": {"code": "not-a-code"},
    "convert_code": {"code": "090111", "to_edition": "HS1066"},
    "market_access": {**ACCESS, "product": "61"},
    "landed_cost": {**ACCESS, "value": "-5"},
    "rank_markets": {"product": "610910", "origin": "Atlantis"},
    "rank_products": {"market": "KEN", "origin": "KEN"},
    "statistics": {"product": "abc", "market": "FRA"},
    "agreements": {"a": "KEN", "b": "FRA", "date": "yesterday"},
    "requirements": {"product": "x", "destination": "FRA"},
    "brief": {**ACCESS, "destination": "KEN"},
}


async def _exercise(client: Client) -> dict[str, Any]:
    tools = {t.name: t for t in (await client.list_tools()).tools}
    out: dict[str, Any] = {"tools": tools, "valid": {}, "invalid": {}}
    for name, args in VALID.items():
        out["valid"][name] = await client.call_tool(name, args)
    for name, args in INVALID.items():
        out["invalid"][name] = await client.call_tool(name, args)
    out["term"] = await client.read_resource("tradewind://glossary/mfn")
    return out


def _check(result: dict[str, Any], db: Database) -> None:
    tools = result["tools"]
    assert set(VALID) | set(INVALID) <= set(tools)
    schema = tools["market_access"].input_schema
    assert schema["properties"]["product"]["description"]
    assert schema["properties"]["product"]["examples"]
    for name, r in result["valid"].items():
        assert not r.is_error, f"{name}: {r.content}"
        assert isinstance(r.structured_content, dict), name
    for name, r in result["invalid"].items():
        assert r.is_error, f"{name} accepted bad input"
        assert r.content and r.content[0].text, name
    with db.connect() as conn:
        expected = market_access(conn, "610910", "KEN", "FRA", date(2025, 6, 2)).as_dict()
    got = result["valid"]["market_access"].structured_content
    assert got["sentences"] == expected["sentences"]
    assert got["sample"] is True and got["provenance"]
    brief = result["valid"]["brief"].structured_content
    assert brief["product"]["code"] == "610910" and brief["cost"]["total"]
    guided = result["valid"]["hs_guided"].structured_content
    assert guided["answers"][0]["answer"] == "construction:woven" and guided["candidates"]
    assert guided["question"] is None or guided["question"]["options"][-1]["id"] == "other"
    text = result["term"].contents[0].text
    assert json.loads(text)["slug"] == "mfn"


def _tradewind_command() -> str:
    found = Path(sys.executable).with_name("tradewind")
    return str(found) if found.exists() else (shutil.which("tradewind") or "tradewind")


def _run_isolated(make_coro):  # type: ignore[no-untyped-def]
    """Run a client coroutine on its own event loop in its own thread.

    Another test in the same worker may have left an event loop running in this thread
    (pytest-xdist reuses workers), where ``asyncio.run`` refuses to start.
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coro())).result()


def test_stdio_transport(hs_db: Database) -> None:
    env = {**os.environ, "TRADEWIND_DATABASE_URL": hs_db.url}
    params = StdioServerParameters(command=_tradewind_command(), args=["mcp"], env=env)

    async def run() -> dict[str, Any]:
        async with Client(params) as client:
            return await _exercise(client)

    _check(_run_isolated(run), hs_db)


@pytest.fixture(scope="module")
def mcp_url(hs_db: Database, app_settings: Settings) -> Iterator[str]:

    from tradewind.web.app import create_app

    with running_server(create_app(app_settings, db=hs_db)) as base:
        yield base + "/mcp"


def test_http_transport(mcp_url: str, hs_db: Database) -> None:
    async def run() -> dict[str, Any]:
        async with Client(mcp_url) as client:
            return await _exercise(client)

    _check(_run_isolated(run), hs_db)


def test_bearer_token(hs_db: Database, app_settings: Settings) -> None:
    from fastapi.testclient import TestClient

    from tradewind.web.app import create_app

    settings = Settings.load(env={"TRADEWIND_MCP_TOKEN": "s3cret"},
                             dotenv=Path("/nonexistent.env"), database_url=hs_db.url,
                             var_dir=str(app_settings.var_dir), secret_key="test-secret-key")
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    with TestClient(create_app(settings, db=hs_db)) as client:
        assert client.post("/mcp", json=body).status_code == 401
        assert client.post("/mcp", json=body,
                           headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = client.post("/mcp", json=body, headers={
            "Authorization": "Bearer s3cret", "Accept": "application/json, text/event-stream",
            "MCP-Protocol-Version": "2025-06-18"})
        assert ok.status_code != 401
        assert ok.status_code == 200, ok.text
        assert "tools" in ok.json()["result"]
        assert client.get("/").status_code == 200  # the rest of the app still up
