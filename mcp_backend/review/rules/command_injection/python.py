"""command-injection: shell commands built at run time, argv from request data."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mcp_backend.review.model import Finding
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.command_injection import RULE

_ALWAYS_SHELL = {
    "os.system",
    "os.popen",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "commands.getoutput",
    "asyncio.create_subprocess_shell",
}
_SUBPROCESS = {
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
    "asyncio.create_subprocess_exec",
}
_QUOTERS = {"quote", "escape", "join"}  # shlex.quote / shlex.join / pipes.quote
_FIX = (
    "Pass an argument list without a shell (subprocess.run([prog, '--', value], timeout=...)), "
    "validate values against an allow-list, and quote with shlex.quote if a shell is unavoidable."
)


def _quoted(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and au.call_method(node) in _QUOTERS


class CommandInjection:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        lowered = ctx.source.lower()
        if not any(w in lowered for w in ("system", "popen", "subprocess", "getoutput")):
            return  # cheap pre-check: nothing this rule looks for appears in the file
        if ctx.is_test:
            return
        info = au.module_info(ctx.tree)
        for scope in au.iter_scopes(ctx.tree):
            for node in au.scope_calls(scope):
                qualified = info.qualify(node.func) or ""
                if qualified not in _ALWAYS_SHELL and qualified not in _SUBPROCESS:
                    continue
                finding = self._check_call(ctx, info, au.scope_flow(ctx.tree, scope), node)
                if finding is not None:
                    yield finding

    def _check_call(
        self, ctx: PythonFileContext, info: au.ModuleInfo, flow: au.ScopeFlow, call: ast.Call
    ) -> Finding | None:
        qualified = info.qualify(call.func) or ""
        command = au.argument(call, 0, "args") or au.keyword(call, "cmd")
        if command is None:
            return None
        shell = qualified in _ALWAYS_SHELL or (
            qualified in _SUBPROCESS and au.is_true(au.keyword(call, "shell"))
        )
        if shell:
            return self._shell_command(ctx, flow, call, command, qualified)
        if qualified in _SUBPROCESS:
            return self._argv(ctx, flow, call, command, qualified)
        return None

    def _shell_command(
        self,
        ctx: PythonFileContext,
        flow: au.ScopeFlow,
        call: ast.Call,
        command: ast.expr,
        qualified: str,
    ) -> Finding | None:
        if au.const_str(command) is not None or isinstance(command, ast.List | ast.Tuple):
            return None
        build = au.string_build(flow, command)
        if build is not None:
            unsafe = [p for p in build.parts if not _quoted(p) and not au.is_safe_fragment(flow, p)]
            if not unsafe:
                return None
            taint = max(au.taint_of(flow, p, line=call.lineno) for p in unsafe)
        else:
            taint = au.taint_of(flow, command, line=call.lineno)
            if taint < au.Taint.PARAM or _quoted(command):
                return None  # a command chosen by the program itself
        severity = au.severity_for(taint, request="critical", param="medium", local="medium")
        return ctx.finding(
            RULE,
            call,
            f"{qualified}() runs a shell command built from {au.TAINT_WORDS[taint]}: shell "
            "metacharacters in it run extra commands",
            severity=severity,
            fix=_FIX,
        )

    def _argv(
        self,
        ctx: PythonFileContext,
        flow: au.ScopeFlow,
        call: ast.Call,
        command: ast.expr,
        qualified: str,
    ) -> Finding | None:
        elements: list[ast.expr]
        if isinstance(command, ast.List | ast.Tuple):
            elements = list(command.elts)
        elif qualified == "asyncio.create_subprocess_exec":
            elements = list(call.args)
        else:
            return None
        tainted = [
            e for e in elements if au.taint_of(flow, e, line=call.lineno) >= au.Taint.REQUEST
        ]
        if not tainted:
            return None
        program = elements[0] in tainted
        return ctx.finding(
            RULE,
            call,
            (
                "The program to run comes from request data"
                if program
                else f"Request data ({ast.unparse(tainted[0])[:40]}) is passed as a command "
                "argument: a value starting with '-' becomes an option"
            ),
            severity="critical" if program else "medium",
            fix=_FIX,
        )


DETECTOR = CommandInjection()
