"""``tradewind mcp``: the MCP server over stdio, for assistants that launch a command."""

from __future__ import annotations

import typer

from tradewind.cli.app import app, database


@app.command("mcp")
def mcp_stdio() -> None:
    """Serve Tradewind's tools to an AI assistant over stdin/stdout (MCP)."""
    from tradewind.assistant.server import build_server

    build_server(database()).run("stdio")
    raise typer.Exit(0)
