"""`python -m mcp_backend` is the same as the `mcp-backend` command."""

from mcp_backend.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
