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
        for node in au.nodes_of(ctx.tree, ast.Call, ast.Assign):
            found = self._disabled(info, node)
            if found is not None:
                what, severity = found
                yield ctx.finding(
                    RULE,
                    node,
                    f"{what}: anyone on the network path can impersonate the server",
                    severity=severity,
                    fix=_FIX,
                )

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

    def _is_cert_none(self, info: au.ModuleInfo, node: ast.AST) -> bool:
        return (info.qualify(node) or "").endswith("CERT_NONE") or au.const_str(node) == "CERT_NONE"


DETECTOR = SslVerifyDisabled()
