"""code-eval: eval/exec/compile on values that are not constants."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mcp_backend.review.model import Finding
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.code_eval import RULE

_EVALUATORS = {"eval", "exec", "compile"}
# Template engines evaluate expressions too: a template *source* from the request is
# server-side template injection (code execution in Jinja2).
_TEMPLATE_SOURCES = {
    "flask.render_template_string",
    "quart.render_template_string",
    "jinja2.Template",
    "jinja2.environment.Template",
    "django.template.Template",
    "mako.template.Template",
}
_FIX = (
    "Parse data instead of running it: json.loads / ast.literal_eval for literals, a dispatch "
    "table or allow-list for operations, a real expression parser for formulas."
)


def _is_constant_source(node: ast.AST | None) -> bool:
    if node is None or isinstance(node, ast.Constant):
        return True
    return isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values)


_SOURCE_HINT = re.compile(
    r"\b(eval|exec|compile)\s*\(|render_template_string|Template\(|from_string"
)


def _is_jinja_from_string(call: ast.Call) -> bool:
    """env.from_string(...) on a Jinja2 environment (not PhoneNumber.from_string)."""
    if au.call_method(call) != "from_string" or not isinstance(call.func, ast.Attribute):
        return False
    receiver = (au.dotted_name(call.func.value) or "").rsplit(".", 1)[-1].lower()
    return "env" in receiver or "jinja" in receiver or "template" in receiver


def _is_loaded_code(flow: au.ScopeFlow, node: ast.AST | None) -> bool:
    """compile(...) results and file contents (`f.read()`): code the program loads itself
    (plugins, startup scripts, generated modules), directly or through a local name."""
    candidates: list[ast.AST] = [node] if node is not None else []
    if isinstance(node, ast.Name):
        candidates += [b.value for b in flow.values_of(node.id, getattr(node, "lineno", 10**9))]
    return any(
        isinstance(c, ast.Call) and au.call_method(c) in {"compile", "read", "read_text"}
        for c in candidates
    )


def _into_module(call: ast.Call) -> bool:
    """`exec(code, module.__dict__)` / `exec(code, vars(module))`: the code becomes a module,
    the way importers and plugin loaders load source they ship or were given to install."""
    namespace = au.argument(call, 1, "globals")
    if isinstance(namespace, ast.Attribute):
        return namespace.attr == "__dict__"
    return (
        isinstance(namespace, ast.Call)
        and au.call_method(namespace) == "vars"
        and len(namespace.args) == 1
    )


class CodeEval:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        if not _SOURCE_HINT.search(ctx.source):
            return  # cheap pre-check: nothing this rule looks for appears in the file
        info = au.module_info(ctx.tree)
        for scope in au.iter_scopes(ctx.tree):
            for node in au.scope_calls(scope):
                name = self._evaluator(info, node)
                if name is None:
                    if self._is_template_call(info, node):
                        flow = au.scope_flow(ctx.tree, scope)
                        finding = self._template_source(ctx, info, flow, node)
                        if finding is not None:
                            yield finding
                    continue
                flow = au.scope_flow(ctx.tree, scope)
                source = au.argument(node, 0, "source")
                if _is_constant_source(source) or (
                    isinstance(source, ast.Name) and au.is_safe_fragment(flow, source)
                ):
                    continue
                taint = au.taint_of(flow, source, line=node.lineno)
                if taint == au.Taint.CONSTANT:
                    continue
                compiled = _is_loaded_code(flow, source)
                if (name == "compile" or compiled) and taint < au.Taint.REQUEST:
                    continue  # compile() of ASTs and templates built by the program
                if name == "exec" and _into_module(node) and taint < au.Taint.REQUEST:
                    continue  # a module loader: exec(code, module.__dict__) is an import
                if taint == au.Taint.LOCAL and au.string_build(flow, source) is None:
                    continue  # a script or code object the program loads itself (shells, CLIs)
                if ctx.is_test and taint < au.Taint.REQUEST:
                    continue
                severity = au.severity_for(
                    taint, request="critical", param="medium", local="medium"
                )
                yield ctx.finding(
                    RULE,
                    node,
                    f"{name}() runs code built from {au.TAINT_WORDS[taint]}",
                    severity=severity,
                    fix=_FIX,
                )

    def _is_template_call(self, info: au.ModuleInfo, call: ast.Call) -> bool:
        return _is_jinja_from_string(call) or (info.qualify(call.func) or "") in _TEMPLATE_SOURCES

    def _template_source(
        self, ctx: PythonFileContext, info: au.ModuleInfo, flow: au.ScopeFlow, call: ast.Call
    ) -> Finding | None:
        qualified = info.qualify(call.func) or ""
        is_from_string = _is_jinja_from_string(call)
        if qualified not in _TEMPLATE_SOURCES and not is_from_string:
            return None
        source = au.argument(call, 0, "source")
        if source is None or au.taint_of(flow, source, line=call.lineno) < au.Taint.REQUEST:
            return None
        name = qualified.rsplit(".", 1)[-1] if not is_from_string else "from_string"
        return ctx.finding(
            RULE,
            call,
            f"{name}() compiles a template from request data: template expressions run on "
            "the server (server-side template injection)",
            severity="critical",
            fix="Render a fixed template file and pass request values as context variables.",
        )

    def _evaluator(self, info: au.ModuleInfo, call: ast.Call) -> str | None:
        func = call.func
        if isinstance(func, ast.Name) and func.id in _EVALUATORS and func.id not in info.imports:
            return func.id
        qualified = info.qualify(func) or ""
        if qualified in {"builtins.eval", "builtins.exec"}:
            return qualified.split(".")[1]
        return None


DETECTOR = CodeEval()
