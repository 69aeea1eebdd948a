"""blocking-call-in-async: execSync, sync key stretching (bcrypt/scrypt/pbkdf2) and sync
compression inside request handlers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.blocking_call_in_async import RULE

# Calls that hold the event loop for a long, unbounded time: another process's whole run,
# deliberate key-stretching work, compression. A local file-system call (readFileSync of a
# config file, mkdirSync, renameSync) returns in microseconds on the small files handlers touch,
# and reporting every one made the rule noise; a read of a large upload is the exception the
# rule cannot tell from the common case, so those are left out.
BLOCKING = re.compile(
    r"^(execSync|execFileSync|spawnSync|pbkdf2Sync|scryptSync|hashSync|compareSync|gzipSync|"
    r"gunzipSync|deflateSync|inflateSync|brotliCompressSync|generateKeyPairSync)$"
)

BLOCKING_NAMES = frozenset(BLOCKING.pattern.strip("^$()").split("|"))


class BlockingCallInAsync:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if not ctx.has_call(BLOCKING_NAMES):
            return
        if ctx.is_test or not ctx.has(b"Sync("):  # every name above ends in Sync
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
