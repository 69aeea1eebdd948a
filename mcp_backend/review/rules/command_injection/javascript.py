"""command-injection: child_process exec/execSync with request data or string building;
spawn/execFile with shell: true."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mcp_backend.review.javascript.astutil import is_dynamic_string, local_value
from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.command_injection import RULE

SHELL_CALLS = frozenset({"exec", "execSync"})
ARGV_CALLS = frozenset({"spawn", "spawnSync", "execFile", "execFileSync"})
CHILD_PROCESS = re.compile(
    r"^(child_process|cp|childProcess|proc|require\(['\"](node:)?child_process['\"]\)|shell|shelljs)$"
)


class CommandInjection:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if not ctx.has_call(SHELL_CALLS | ARGV_CALLS):
            return
        if ctx.is_test or not ctx.has(b"child_process", b"shelljs", b"execa"):
            return
        for call in ctx.calls_named(SHELL_CALLS | ARGV_CALLS):
            bare = call.obj == "" and ctx.has(b"child_process")
            if not (bare or CHILD_PROCESS.match(call.obj)) or not call.args:
                continue
            first = call.args[0]
            if call.name in SHELL_CALLS:
                value = local_value(ctx, first) if first.type == "identifier" else first
                target = value if value is not None else first
                from_request = ctx.is_request_data(first) or ctx.is_request_data(target)
                if from_request or (
                    is_dynamic_string(ctx, target) and ctx.enclosing_handler(call.node) is not None
                ):
                    origin = "request data" if from_request else "a dynamic string"
                    yield ctx.finding(
                        RULE,
                        call.node,
                        f"shell command built from {origin} runs through {call.callee}()",
                        fix=(
                            "Use execFile/spawn with an argument array (no shell) and validate "
                            "inputs against an allow-list."
                        ),
                        severity="critical" if from_request else "high",
                    )
            elif call.name in ARGV_CALLS:
                options = ctx.text(call.node.child_by_field_name("arguments"))
                if re.search(r"shell\s*:\s*true", options) and ctx.mentions_request_data(
                    options, ctx.tainted_names(ctx.enclosing_function(call.node))
                ):
                    yield ctx.finding(
                        RULE,
                        call.node,
                        f"{call.callee}() with shell: true and request data",
                        fix="Drop shell: true and pass arguments as an array.",
                    )


DETECTOR = CommandInjection()
