"""path-traversal: res.sendFile/res.download/fs.* with a path built from request data."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from mcp_backend.review.javascript.astutil import local_value, pair_value
from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.path_traversal import RULE

# res.attachment(name) only sets Content-Disposition: it opens nothing
SEND_CALLS = frozenset({"sendFile", "download", "sendfile"})
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
# the temporary file express-fileupload wrote for the upload: a path the server chose
SERVER_CHOSEN = re.compile(r"\.tempFilePath\s*$")
# `/^[\w-]+$/.test(name)` or `VALID_NAME.test(name)` with `const VALID_NAME = /^[a-z0-9_-]+$/`
REGEX_TEST = re.compile(r"(/(?:\\/|[^/\n])+/[a-z]*|\b[A-Za-z_$][\w$]*)\.test\(")
REGEX_CONST = r"\b{name}\s*=\s*(/(?:\\/|[^/\n])+/[a-z]*)"
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
            if not any(
                ctx.is_request_data(c)
                and not ctx.holds_call_result(c)
                and not SERVER_CHOSEN.search(ctx.text(c))
                for c in candidates
            ):
                continue
            function = ctx.enclosing_function(call.node)
            if function is not None and (
                SANITIZED.search(ctx.text(function)) or _tests_a_safe_name(ctx, function)
            ):
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


def _tests_a_safe_name(ctx: JsFileContext, function: Node) -> bool:
    """The handler tests a value against an anchored pattern that admits no dot, slash or
    backslash (`if (!VALID_NAME.test(name)) return res.status(400)`): it cannot walk out."""
    for match in REGEX_TEST.finditer(ctx.text(function)):
        literal = match.group(1)
        if not literal.startswith("/"):
            bound = re.search(REGEX_CONST.format(name=re.escape(literal)), ctx.text(ctx.root))
            if bound is None:
                continue
            literal = bound.group(1)
        if path_safe_pattern(literal[1 : literal.rindex("/")]):
            return True
    return False


def path_safe_pattern(pattern: str) -> bool:
    """Anchored at both ends, and every character it admits is a letter, a digit, `_` or `-`:
    `^[a-zA-Z0-9_-]+$`, `^\\w+$`. Anything with `.`, a slash, `\\S` or a negated class is not."""
    if not (pattern.startswith("^") and pattern.endswith("$")):
        return False
    body = pattern[1:-1]
    body = re.sub(r"\{\d+(,\d*)?\}|[+*?]", "", body)  # quantifiers admit nothing themselves
    while body:
        if body.startswith("\\w") or body.startswith("\\d") or body.startswith("\\-"):
            body = body[2:]
        elif body.startswith("[") and "]" in body:
            inner = body[1 : body.index("]")]
            if inner.startswith("^") or not re.fullmatch(r"(?:[A-Za-z0-9_]|\\[wd-]|-)+", inner):
                return False
            body = body[body.index("]") + 1 :]
        elif re.match(r"[A-Za-z0-9_()|-]", body):  # a literal safe character or a group
            body = body[1:]
        else:
            return False
    return True


DETECTOR = PathTraversal()
