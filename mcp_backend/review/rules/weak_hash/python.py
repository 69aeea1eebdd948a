"""weak-hash: MD5/SHA-1 where the digest protects something (tokens, signatures, secrets).

Checksums, cache keys and ETags are left alone (see the rule's documentation); passwords belong
to weak-password-hash.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mcp_backend.review.model import Finding
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.weak_hash import RULE

_WEAK = {"md5", "sha1"}
_SECURITY_WORDS = re.compile(
    r"(token|signature|signed|sign\b|_sig\b|^sig$|secret|api_?key|session_?id|nonce|otp|"
    r"reset_?code|verif\w*_?code|hmac|\bmac\b|csrf|auth_?code)",
    re.IGNORECASE,
)
_NOT_SECURITY = re.compile(r"(etag|cache|checksum|fingerprint|digest_of_file|shard|dedup)", re.I)
_FIX = "Sign with hmac.new(key, msg, hashlib.sha256); make tokens with secrets.token_urlsafe()."


def _weak_call(node: ast.AST, info: au.ModuleInfo) -> str | None:
    if not isinstance(node, ast.Call):
        return None
    qualified = info.qualify(node.func) or ""
    if au.is_false(au.keyword(node, "usedforsecurity")):
        return None
    if qualified in {"hashlib.md5", "hashlib.sha1"}:
        return qualified.rsplit(".", 1)[1]
    if qualified == "hashlib.new":
        name = (au.const_str(au.argument(node, 0, "name")) or "").lower()
        return name if name in _WEAK else None
    return None


def _names(node: ast.AST) -> list[str]:
    out = []
    for sub in ast.walk(node):
        name = au.terminal_name(sub) if isinstance(sub, ast.Name | ast.Attribute) else None
        if name:
            out.append(name)
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and len(sub.value) < 40:
            out.append(sub.value)
    return out


class WeakHash:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        if ctx.is_test or ("md5" not in ctx.source and "sha1" not in ctx.source):
            return
        info = au.module_info(ctx.tree)
        reported: set[int] = set()
        for node in au.nodes_of(ctx.tree, ast.Assign, ast.AnnAssign, ast.Return, ast.Call):
            for call, purpose in self._uses(node, info):
                if call.lineno in reported:
                    continue
                reported.add(call.lineno)
                yield ctx.finding(
                    RULE,
                    call,
                    f"{_weak_call(call, info) or 'MD5/SHA-1'} protects {purpose}: collisions "
                    "make it forgeable",
                    fix=_FIX,
                )

    def _uses(self, node: ast.AST, info: au.ModuleInfo) -> Iterator[tuple[ast.Call, str]]:
        if isinstance(node, ast.Call):
            qualified = info.qualify(node.func) or ""
            if qualified == "hmac.compare_digest":
                for arg in node.args:
                    for sub in ast.walk(arg):
                        if isinstance(sub, ast.Call) and _weak_call(sub, info):
                            yield sub, "a signature compared with hmac.compare_digest"
            return  # HMAC-MD5/SHA-1 do not rest on collision resistance: not reported
        value = getattr(node, "value", None)
        if value is None:
            return
        calls = [c for c in ast.walk(value) if isinstance(c, ast.Call) and _weak_call(c, info)]
        if not calls:
            return
        targets: list[str] = []
        if isinstance(node, ast.Assign):
            for target in node.targets:
                targets.extend(_names(target))
        elif isinstance(node, ast.AnnAssign):
            targets.extend(_names(node.target))
        for call in calls:
            hashed = [n for a in call.args for n in _names(a)]
            words = targets + hashed
            if any(_NOT_SECURITY.search(w) for w in words):
                continue
            hit = next((w for w in words if _SECURITY_WORDS.search(w)), None)
            if hit and not any(au.is_password_name(w) for w in hashed):
                yield call, f"a security value ({hit})"


DETECTOR = WeakHash()
