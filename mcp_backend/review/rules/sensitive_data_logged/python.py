"""sensitive-data-logged: passwords, tokens, secrets, auth headers or card data in logs."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mcp_backend.review.model import Finding, Severity
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.sensitive_data_logged import RULE

_LOG_METHODS = {
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "fatal",
    "log",
    "msg",
}
_NOT_LOGGED_KEYWORDS = {"exc_info", "stack_info", "stacklevel"}
# Wrappers whose result does not reveal the value.
_SAFE_WRAPPERS = {
    "len",
    "bool",
    "type",
    "id",
    "isinstance",
    "hasattr",
    "any",
    "all",
    "mask",
    "redact",
    "masked",
    "obfuscate",
    "hash",
    "sha256",
    "hexdigest",
    "startswith",
    "endswith",
}
# Helpers named for what they keep of a value: fingerprint_token(t), masked_key(k),
# redact_secret(s), truncate_token(t), anonymize_email(e).
_SAFE_WORDS = {
    "fingerprint",
    "mask",
    "masked",
    "redact",
    "redacted",
    "obfuscate",
    "obfuscated",
    "truncate",
    "truncated",
    "anonymize",
    "anonymise",
    "hashed",
    "digest",
}
_EXTRA_SENSITIVE = {"authorization", "cookie", "cookies", "cvv", "cvc", "ssn", "pan"}
_HIGH_WORDS = {"password", "passwd", "pwd", "secret", "privatekey", "passphrase", "card", "cvv"}
_FIX = (
    "Log identifiers (user id, request id), never credentials; if a value must be traced, log "
    "a masked form or a hash, and configure redaction in the log formatter."
)


def _is_sensitive_name(name: str) -> bool:
    words = au.name_words(name)
    if not words:
        return False
    if au.is_secret_name(name) or words[-1] in _EXTRA_SENSITIVE:
        return True
    joined = "".join(words)
    return "creditcard" in joined or "cardnumber" in joined


def _sensitive_in(node: ast.AST, depth: int = 0) -> str | None:
    """The first sensitive value an expression would print, if any."""
    if depth > 8 or isinstance(node, ast.Constant | ast.Compare | ast.BoolOp):
        return None
    if isinstance(node, ast.Call):
        method = au.call_method(node) or ""
        if (
            method in _SAFE_WRAPPERS
            or method.startswith(("mask", "redact", "hash"))
            or set(au.name_words(method)) & _SAFE_WORDS
        ):
            return None
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
        return None  # token[:6]: a deliberate prefix
    keyed = isinstance(node, ast.Subscript) and au.const_str(node.slice) is not None
    keyed = keyed or (
        isinstance(node, ast.Call)
        and au.call_method(node) == "get"
        and au.argument(node, 0) is not None
        and au.const_str(au.argument(node, 0)) is not None
    )
    if keyed:
        key_name = au.terminal_name(node) or ""
        return key_name if _is_sensitive_name(key_name) else None  # headers["User-Agent"]: fine
    if isinstance(node, ast.Attribute) and node.attr in {"headers", "cookies", "COOKIES"}:
        base = au.dotted_name(node.value) or ""
        if base in au.REQUEST_OBJECT_NAMES:
            return f"{base}.{node.attr}"
    if isinstance(node, ast.Name | ast.Attribute | ast.Subscript) or (
        isinstance(node, ast.Call) and au.call_method(node) == "get"
    ):
        name = au.terminal_name(node)
        if name and _is_sensitive_name(name):
            return name
    if isinstance(node, ast.Attribute):
        return None  # only the terminal name of `a.b.c` is what gets printed
    if isinstance(node, ast.IfExp):  # `"set" if token else "unset"` prints a branch, not the test
        return _sensitive_in(node.body, depth + 1) or _sensitive_in(node.orelse, depth + 1)
    for child in ast.iter_child_nodes(node):
        found = _sensitive_in(child, depth + 1)
        if found:
            return found
    return None


def _is_log_call(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "print"
    if not isinstance(func, ast.Attribute) or func.attr not in _LOG_METHODS:
        return False
    receiver = au.dotted_name(func.value) or ""
    last = receiver.split(".")[-1].lower().lstrip("_")
    return last in {"logging", "log", "structlog"} or last.endswith(("logger", "_log"))


_CLI_PACKAGES = ("click", "typer", "argparse", "fire", "docopt")


def _is_command_line(ctx: PythonFileContext) -> bool:
    """A module of a command-line program: under cli/ or commands/, a __main__ or manage
    script, or one that builds its interface with click, typer, argparse, fire or docopt."""
    parts = ctx.file.split("/")
    if {"cli", "commands", "management"} & set(parts[:-1]) or parts[-1] in {
        "__main__.py",
        "cli.py",
        "manage.py",
    }:
        return True
    info = au.module_info(ctx.tree)
    return any(info.uses_module(package) for package in _CLI_PACKAGES)


class SensitiveDataLogged:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        lowered = ctx.source.lower()
        if not ("log" in lowered or "print" in lowered):
            return  # cheap pre-check: nothing this rule looks for appears in the file
        if ctx.is_test or "/migrations/" in f"/{ctx.file}":
            return
        configured = False
        demo_code = {
            id(n)
            for guard in au.nodes_of(ctx.tree, ast.If)
            if au.is_main_guard(guard)
            for n in ast.walk(guard)
        }
        # In a command-line program print() is what the user asked to see (a token the
        # `login` command obtained, a secret `create-secret` generated), not a log.
        terminal = _is_command_line(ctx)
        for node in au.nodes_of(ctx.tree, ast.Call):
            if not isinstance(node, ast.Call):
                continue
            if not configured and au.call_method(node) in {
                "basicConfig",
                "dictConfig",
                "fileConfig",
                "configure",
            }:
                configured = True
                ctx.signal("logging", "logging configured", node)
            if not _is_log_call(node) or (
                au.call_method(node) == "print" and (terminal or id(node) in demo_code)
            ):
                continue
            found = self._sensitive_argument(node)
            if found is None:
                continue
            words = set(au.name_words(found))
            severity: Severity = "high" if words & _HIGH_WORDS else "medium"
            yield ctx.finding(
                RULE,
                node,
                f"{au.dotted_name(node.func)}() writes {found} to the log",
                severity=severity,
                fix=_FIX,
            )

    def _sensitive_argument(self, call: ast.Call) -> str | None:
        args = list(call.args)
        if args and isinstance(args[0], ast.Constant):
            args = args[1:]  # the message template itself
        for arg in args:
            found = _sensitive_in(arg)
            if found:
                return found
        for kw in call.keywords:
            if kw.arg in _NOT_LOGGED_KEYWORDS:
                continue
            if kw.arg and kw.arg != "extra" and _is_sensitive_name(kw.arg):
                if not isinstance(kw.value, ast.Constant | ast.Compare):
                    return kw.arg  # structlog: log.info("login", password=pw)
                continue
            found = _sensitive_in(kw.value)
            if found:
                return found
        return None


DETECTOR = SensitiveDataLogged()
