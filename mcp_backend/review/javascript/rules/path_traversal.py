"""path-traversal: res.sendFile/res.download/fs.* with a path built from request data."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.javascript.rules._util import local_value, pair_value
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.path_traversal import RULE

SEND_CALLS = frozenset({"sendFile", "download", "attachment", "sendfile"})
FS_CALLS = frozenset(
    {
        "readFile",
        "readFileSync",
        "createReadStream",
        "writeFile",
        "writeFileSync",
        "createWriteStream",
        "unlink",
        "unlinkSync",
        "rm",
        "rmSync",
        "appendFile",
        "readdir",
        "stat",
        "access",
        "open",
        "copyFile",
    }
)
FS_OBJECTS = re.compile(r"^(fs|fsp|fs\.promises|fsPromises|promises|fse|fs_extra)$")
SANITIZED = re.compile(
    r"basename\(|startsWith\(|includes\(['\"]\.\.|indexOf\(['\"]\.\.|replace\([^)]*\\\.\\\.|normalize\(|isSafe\w*|sanitize\w*|realpath|\.relative\("
)


class PathTraversal:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if not ctx.has_call(SEND_CALLS | FS_CALLS):
            return
        if ctx.is_test or not ctx.has(
            b"sendFile", b"download", b"fs", b"readFile", b"createReadStream"
        ):
            return
        for call in ctx.calls_named(SEND_CALLS | FS_CALLS):
            is_send = (
                call.name in SEND_CALLS
                and re.match(r"^(res|response|reply)\b", call.obj) is not None
            )
            is_fs = call.name in FS_CALLS and (
                FS_OBJECTS.match(call.obj) is not None
                or (call.obj == "" and ctx.has(b"'fs'", b'"fs"', b"fs/promises"))
            )
            if not (is_send or is_fs) or not call.args:
                continue
            first = call.args[0]
            candidates = [first]
            if first.type == "identifier":
                value = local_value(ctx, first)
                if value is not None:
                    candidates.append(value)
            if not any(ctx.is_request_data(c) for c in candidates):
                continue
            function = ctx.enclosing_function(call.node)
            if function is not None and SANITIZED.search(ctx.text(function)):
                continue
            if (
                is_send
                and len(call.args) > 1
                and call.args[1].type == "object"
                and pair_value(ctx, call.args[1], "root") is not None
            ):
                continue  # send() refuses '..' outside `root`
            yield ctx.finding(
                RULE,
                call.node,
                f"{call.callee}() opens a path built from request data: `../` reaches any file",
                fix=(
                    "Resolve against a base directory and check the result stays inside it "
                    "(path.resolve + startsWith), or use path.basename."
                ),
            )


DETECTOR = PathTraversal()
