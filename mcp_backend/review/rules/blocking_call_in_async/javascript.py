"""blocking-call-in-async: fs.*Sync, execSync, sync crypto/bcrypt inside request handlers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.blocking_call_in_async import RULE

BLOCKING = re.compile(
    r"^(readFileSync|writeFileSync|appendFileSync|readdirSync|copyFileSync|unlinkSync|renameSync|"
    r"mkdirSync|rmSync|rmdirSync|statSync|lstatSync|openSync|readSync|writeSync|execSync|execFileSync|"
    r"spawnSync|pbkdf2Sync|scryptSync|hashSync|compareSync|gzipSync|gunzipSync|deflateSync|inflateSync|"
    r"brotliCompressSync|generateKeyPairSync)$"
)

BLOCKING_NAMES = frozenset(BLOCKING.pattern.strip("^$()").split("|"))


class BlockingCallInAsync:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if not ctx.has_call(BLOCKING_NAMES):
            return
        if ctx.is_test or not ctx.has(b"Sync("):
            return
        for call in ctx.calls_named(BLOCKING_NAMES):
            if not BLOCKING.match(call.name):
                continue
            handler = ctx.enclosing_handler(call.node)
            if handler is None:
                continue
            yield ctx.finding(
                RULE,
                call.node,
                f"{call.callee}() blocks the event loop inside a request handler; every other "
                f"request waits",
                fix=(
                    "Use the async form (fs.promises, exec with a callback/promisify, "
                    "bcrypt.hash) or move the work off the request path."
                ),
            )


DETECTOR = BlockingCallInAsync()
