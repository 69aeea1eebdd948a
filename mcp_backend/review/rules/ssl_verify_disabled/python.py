"""ssl-verify-disabled: TLS certificate checks switched off."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mcp_backend.review.model import Finding, Severity
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.ssl_verify_disabled import RULE

_HTTP_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "request", "send"}
_CLIENTS = {"Client", "AsyncClient", "Session", "TCPConnector", "ClientSession", "stream"}
_HTTP_ROOTS = ("requests", "httpx", "aiohttp", "urllib3")
_FIX = (
    "Keep certificate verification on; for an internal CA pass its bundle "
    "(verify='/path/ca.pem' or an ssl context with cafile=...)."
)


class SslVerifyDisabled:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        lowered = ctx.source.lower()
        if not ("verify" in lowered or "ssl" in lowered or "cert_none" in lowered):
            return  # cheap pre-check: nothing this rule looks for appears in the file
        if ctx.is_test:
            return
        info = au.module_info(ctx.tree)
        optional: set[int] | None = None
        for node in au.nodes_of(ctx.tree, ast.Call, ast.Assign):
            found = self._disabled(info, node)
            if found is not None:
                what, severity = found
                if optional is None:
                    optional = self._optional_nodes(info, ctx.tree)
                message = f"{what}: anyone on the network path can impersonate the server"
                if id(node) in optional:
                    # an opt-in mode beside a verifying one (libpq's sslmode=require): the
                    # operator chooses it, so it is worth a look, not an alarm
                    severity = "medium"
                    message += " (in a mode the configuration selects; the default verifies)"
                yield ctx.finding(RULE, node, message, severity=severity, fix=_FIX)

    def _disabled(self, info: au.ModuleInfo, node: ast.AST) -> tuple[str, Severity] | None:
        if isinstance(node, ast.Call):
            qualified = info.qualify(node.func) or ""
            method = au.call_method(node) or ""
            if qualified.endswith("_create_unverified_context"):
                return "ssl._create_unverified_context()", "high"
            http_call = qualified.startswith(_HTTP_ROOTS) or (
                isinstance(node.func, ast.Attribute)
                and (method in _HTTP_METHODS or method in _CLIENTS)
                and "jwt" not in qualified
            )
            if http_call:
                for name in ("verify", "ssl", "verify_ssl"):
                    if au.is_false(au.keyword(node, name)):
                        return f"{method}({name}=False)", "high"
            cert_reqs = au.keyword(node, "cert_reqs")
            if cert_reqs is not None and self._is_cert_none(info, cert_reqs):
                return "cert_reqs=CERT_NONE", "high"
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if not isinstance(target, ast.Attribute):
                    continue
                if target.attr == "verify" and au.is_false(node.value):
                    return f"{ast.unparse(target)} = False", "high"
                if target.attr == "verify_mode" and self._is_cert_none(info, node.value):
                    return f"{ast.unparse(target)} = CERT_NONE", "high"
                if target.attr == "_create_default_https_context":
                    value = info.qualify(node.value) or ""
                    if value.endswith("_create_unverified_context"):
                        return "default HTTPS context replaced by an unverified one", "high"
        return None

    def _optional_nodes(self, info: au.ModuleInfo, tree: ast.Module) -> set[int]:
        """Nodes that switch verification off only in one mode: inside an if/else branch, or
        in a function that also switches it back on (`verify_mode = CERT_REQUIRED` later)."""
        optional: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.If):
                for statement in [*node.body, *node.orelse]:
                    optional.update(id(sub) for sub in ast.walk(statement))
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = list(ast.walk(node))
                if any(self._re_enables(info, sub) for sub in inner):
                    optional.update(id(sub) for sub in inner)
        return optional

    def _re_enables(self, info: au.ModuleInfo, node: ast.AST) -> bool:
        if not isinstance(node, ast.Assign):
            return False
        for target in node.targets:
            if isinstance(target, ast.Attribute) and target.attr == "verify_mode":
                return (info.qualify(node.value) or "").endswith("CERT_REQUIRED")
            if isinstance(target, ast.Attribute) and target.attr == "check_hostname":
                return au.is_true(node.value)
        return False

    def _is_cert_none(self, info: au.ModuleInfo, node: ast.AST) -> bool:
        return (info.qualify(node) or "").endswith("CERT_NONE") or au.const_str(node) == "CERT_NONE"


DETECTOR = SslVerifyDisabled()
