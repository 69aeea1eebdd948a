"""code-eval: eval, new Function, vm.run*, string setTimeout on request data."""

from __future__ import annotations

from collections.abc import Iterator

from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.code_eval import RULE

EVALUATORS = frozenset(
    {
        "eval",
        "Function",
        "vm.runInNewContext",
        "vm.runInThisContext",
        "vm.runInContext",
        "vm.compileFunction",
        "setTimeout",
        "setInterval",
    }
)

EVALUATOR_NAMES = frozenset(name.rsplit(".", maxsplit=1)[-1] for name in EVALUATORS)


class CodeEval:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if not ctx.has_call(EVALUATOR_NAMES):
            return
        if ctx.is_test or not ctx.has(
            b"eval", b"Function(", b"vm.", b"setTimeout(", b"setInterval("
        ):
            return
        for call in ctx.calls_named(EVALUATOR_NAMES):
            if call.callee not in EVALUATORS or not call.args:
                continue
            arguments = call.args if call.callee == "Function" else call.args[:1]
            if call.callee in {"setTimeout", "setInterval"} and arguments[0].type in {
                "arrow_function",
                "function_expression",
                "identifier",
                "member_expression",
            }:
                continue
            if all(a.type == "string" for a in arguments):
                continue
            if any(ctx.is_request_data(a) for a in arguments):
                yield ctx.finding(
                    RULE,
                    call.node,
                    f"{call.callee}() runs code taken from the request: remote code execution",
                    fix=(
                        "Never evaluate input; parse it (JSON.parse) or map it to an "
                        "allow-list of operations."
                    ),
                    severity="critical",
                )


DETECTOR = CodeEval()
