"""mcp-backend: a senior backend engineer's judgement, served over MCP."""

__version__ = "0.1.0"
