"""Tradewind for AI assistants: an MCP server (tools and resources) over the library.

Named ``assistant`` so that it never shadows the ``mcp`` SDK package.
"""
