"""insecure-cookie: a session or auth cookie set without Secure, or readable by scripts.

Three shapes: `response.set_cookie(...)` (Flask/Werkzeug, Starlette/FastAPI and Django share
the signature, and all default to secure=False, httponly=False), Starlette's SessionMiddleware
(https_only defaults to False), and the settings that switch the flags off (Django settings,
Flask `app.config`). A setting left at its default is not reported: only what the file says.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from mcp_backend.review.model import Confidence, Finding, Severity
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.insecure_cookie import (
    NOT_CREDENTIAL_WORDS,
    RULE,
    names_a_credential,
)

_COOKIE_SETTERS = {"set_cookie", "set_signed_cookie"}
# Positions of secure/httponly in set_cookie(key, value, max_age, expires, path, domain, ...).
_SECURE_POSITION = 6
_HTTPONLY_POSITION = 7
# Receivers that are HTTP clients or test tools, not a response.
_CLIENT_WORDS = {"client", "jar", "browser", "driver", "page", "session"}
# Sample data and demos, not the application's configuration (as hardcoded-secret skips).
_NOT_SHIPPED = re.compile(
    r"(^|/)(benchmarks?|examples?|fixtures?|demos?|samples?|playground)/|(^|/)conftest\.py$"
)
# `if DEBUG:`, `if settings.ENV == "development":`: a development branch.
_DEV_CONDITION = re.compile(r"debug|\bdev|local|test", re.IGNORECASE)
_LOCAL_ENTRY_FUNCTIONS = {"main", "run", "dev", "run_dev", "debug"}
# Base settings that per-environment modules extend (settings/base.py, settings/common.py):
# a False there is usually overridden in production.py, which we cannot see from here.
_BASE_SETTINGS_STEMS = {"base", "common", "defaults", "default", "shared"}

_GENERIC_NAME_WORDS = {"cookie", "cookies", "name", "key", "settings", "config", "self", "app"}
_GENERIC_VALUE_WORDS = {"id", "value", "data", "key", "raw", "str", "string", "val"}
_MAKER_WORDS = {"encode", "decode", "sign", "dumps", "generate", "create", "issue", "get", "make"}

# Settings that switch a flag off: name -> (severity, what the cookie is).
_SECURE_SETTINGS: dict[str, tuple[Severity, str]] = {
    "SESSION_COOKIE_SECURE": ("high", "the session cookie"),
    "REMEMBER_COOKIE_SECURE": ("high", "the remember-me cookie"),
    "JWT_COOKIE_SECURE": ("high", "the JWT cookies"),
    # A CSRF token alone grants nothing; sent in clear it still weakens the defence.
    "CSRF_COOKIE_SECURE": ("medium", "the CSRF cookie"),
}
_HTTPONLY_SETTINGS = {
    "SESSION_COOKIE_HTTPONLY": "the session cookie",
    "REMEMBER_COOKIE_HTTPONLY": "the remember-me cookie",
}
_COOKIE_FIX = "Pass secure=True, httponly=True, samesite='lax' to set_cookie()."
_SETTINGS_FIX = (
    "Set SESSION_COOKIE_SECURE = True, SESSION_COOKIE_HTTPONLY = True and CSRF_COOKIE_SECURE "
    "= True (False only in development settings)."
)
_MIDDLEWARE_FIX = "Pass https_only=True (and same_site='lax') to SessionMiddleware."


def _string_of(info: au.ModuleInfo, tree: ast.Module, node: ast.AST) -> str:
    """The cookie name as text to take words from: the literal, or a constant's name plus the
    string a module-level assignment gives it."""
    literal = au.const_str(node)
    if literal is not None:
        return literal
    text = au.dotted_name(node) or ""
    if isinstance(node, ast.Name) and node.id in info.constants:
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == node.id for t in stmt.targets
            ):
                text += " " + (au.const_str(stmt.value) or "")
    return text


def _value_names(node: ast.AST | None, depth: int = 0) -> list[str]:
    """The names a cookie's value is about: `token`, `tokens.access` -> access,
    `request.session.session_key` -> session_key, `jwt.encode(...)` -> encode and jwt."""
    if node is None or depth > 4:
        return []
    if isinstance(node, ast.Await):
        return _value_names(node.value, depth + 1)
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        names = [node.attr]
        if set(au.name_words(node.attr)) <= _GENERIC_VALUE_WORDS:
            names += _value_names(node.value, depth + 1)
        return names
    if isinstance(node, ast.Subscript):
        key = au.const_str(node.slice)
        return [key] if key else []
    if isinstance(node, ast.Call):
        method = au.call_method(node) or ""
        if method == "str" and node.args:
            return _value_names(node.args[0], depth + 1)
        if method in {"get", "pop"} and node.args and au.const_str(node.args[0]):
            return [au.const_str(node.args[0]) or ""]  # session.get("lang") is about lang
        names = [method]
        if set(au.name_words(method)) <= _MAKER_WORDS and isinstance(node.func, ast.Attribute):
            names += _value_names(node.func.value, depth + 1)
        return names
    if isinstance(node, ast.BoolOp):
        return [n for v in node.values for n in _value_names(v, depth + 1)]
    if isinstance(node, ast.IfExp):
        return _value_names(node.body, depth + 1) + _value_names(node.orelse, depth + 1)
    if isinstance(node, ast.JoinedStr):
        return [
            n
            for v in node.values
            if isinstance(v, ast.FormattedValue)
            for n in _value_names(v.value, depth + 1)
        ]
    return []


def _skipped_ids(tree: ast.Module) -> set[int]:
    """Nodes under a development condition (its body, not its else), under
    `if __name__ == "__main__":` or in a main()/run() function: local runs, not production."""
    ids: set[int] = set()
    for node in au.nodes_of(tree, ast.If, ast.FunctionDef, ast.AsyncFunctionDef):
        if isinstance(node, ast.If):
            if au.is_main_guard(node):
                ids.update(id(n) for n in ast.walk(node))
            elif _DEV_CONDITION.search(ast.unparse(node.test)):
                ids.update(id(n) for stmt in node.body for n in ast.walk(stmt))
        elif (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name in _LOCAL_ENTRY_FUNCTIONS
        ):
            ids.update(id(n) for n in ast.walk(node))
    return ids


def _argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args):
        return call.args[position]
    return au.keyword(call, name)


def _has_double_star(call: ast.Call) -> bool:
    return any(kw.arg is None for kw in call.keywords)


class InsecureCookie:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        lowered = ctx.source.lower()
        if "cookie" not in lowered and "sessionmiddleware" not in lowered:
            return  # cheap pre-check: nothing this rule looks for appears in the file
        if ctx.is_test or _NOT_SHIPPED.search(ctx.file):
            return
        info = au.module_info(ctx.tree)
        skipped = _skipped_ids(ctx.tree)
        for node in au.nodes_of(ctx.tree, ast.Call, ast.Assign):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Call):
                method = au.call_method(node)
                if method in _COOKIE_SETTERS and isinstance(node.func, ast.Attribute):
                    yield from self._set_cookie(ctx, info, node)
                elif method in {"update", "from_mapping"}:
                    yield from self._config_update(ctx, node)
                else:
                    yield from self._session_middleware(ctx, info, node)
            elif isinstance(node, ast.Assign):
                yield from self._config_item(ctx, node)
        yield from self._settings(ctx)

    # ---- response.set_cookie(...) ---------------------------------------------------------

    def _set_cookie(
        self, ctx: PythonFileContext, info: au.ModuleInfo, call: ast.Call
    ) -> Iterator[Finding]:
        assert isinstance(call.func, ast.Attribute)
        receiver = au.dotted_name(call.func.value) or ""
        if set(au.name_words(receiver)) & _CLIENT_WORDS:
            return
        key = au.argument(call, 0, "key")
        value = au.argument(call, 1, "value")
        if key is None:
            return
        if (
            value is None
            or au.const_str(value) == ""
            or (isinstance(value, ast.Constant) and value.value is None)
        ):
            return  # no value: the call clears the cookie
        for expiry in ("max_age", "expires"):
            limit = au.keyword(call, expiry)
            if isinstance(limit, ast.Constant) and limit.value == 0:
                return
        name_text = _string_of(info, ctx.tree, key)
        if name_text.startswith(("__Secure-", "__Host-")):
            return  # browsers refuse these prefixes without Secure
        name_words = [w for w in au.name_words(name_text) if w not in _GENERIC_NAME_WORDS]
        if set(name_words) & NOT_CREDENTIAL_WORDS:
            return
        if not (
            names_a_credential(name_words)
            or any(names_a_credential(au.name_words(n)) for n in _value_names(value))
        ):
            return
        secure = _argument(call, _SECURE_POSITION, "secure")
        httponly = _argument(call, _HTTPONLY_POSITION, "httponly")
        problems: list[tuple[Severity, Confidence, str]] = []
        if au.is_false(secure):
            problems.append(("high", "high", "secure=False: it travels in clear text over HTTP"))
        elif secure is None and not _has_double_star(call):
            problems.append(
                ("medium", "medium", "no secure=True: the browser also sends it over plain HTTP")
            )
        if au.is_false(httponly):
            problems.append(
                ("medium", "high", "httponly=False: any script on the page (one XSS) reads it")
            )
        if not problems:
            if secure is not None and not au.is_false(secure):
                ctx.signal("transport-security", "credential cookie set with secure", call)
            return
        severity, confidence, _ = problems[0]
        literal = au.const_str(key)
        label = f"set_cookie({literal!r})" if literal is not None else "set_cookie()"
        message = f"{label} sets a credential cookie with " + "; ".join(p[2] for p in problems)
        yield ctx.finding(
            RULE, call, message, severity=severity, confidence=confidence, fix=_COOKIE_FIX
        )

    # ---- Starlette SessionMiddleware ------------------------------------------------------

    def _session_middleware(
        self, ctx: PythonFileContext, info: au.ModuleInfo, call: ast.Call
    ) -> Iterator[Finding]:
        # SessionMiddleware(app, ...), app.add_middleware(SessionMiddleware, ...),
        # Middleware(SessionMiddleware, ...)
        target: ast.AST = call.func
        if au.call_method(call) in {"add_middleware", "Middleware"} and call.args:
            target = call.args[0]
        qualified = info.qualify(target) or ""
        if not qualified.endswith("SessionMiddleware") or not qualified.startswith(
            ("starlette", "fastapi")
        ):
            return
        https_only = au.keyword(call, "https_only")
        if au.is_false(https_only):
            severity: Severity = "high"
            confidence: Confidence = "high"
            what = "https_only=False"
        elif https_only is None and not _has_double_star(call):
            severity, confidence, what = "medium", "medium", "no https_only=True"
        else:
            return
        yield ctx.finding(
            RULE,
            call,
            f"SessionMiddleware with {what}: the session cookie is also sent over plain HTTP",
            severity=severity,
            confidence=confidence,
            fix=_MIDDLEWARE_FIX,
        )

    # ---- settings ---------------------------------------------------------------------------

    def _config_item(self, ctx: PythonFileContext, node: ast.Assign) -> Iterator[Finding]:
        """app.config["SESSION_COOKIE_SECURE"] = False"""
        for target in node.targets:
            if (
                isinstance(target, ast.Subscript)
                and (au.dotted_name(target.value) or "").endswith("config")
                and au.const_str(target.slice) is not None
            ):
                setting = au.const_str(target.slice) or ""
                yield from self._setting(ctx, node, setting, node.value, f"config[{setting!r}]")

    def _config_update(self, ctx: PythonFileContext, call: ast.Call) -> Iterator[Finding]:
        """app.config.update(SESSION_COOKIE_SECURE=False) or .update({...})"""
        if not isinstance(call.func, ast.Attribute):
            return
        if not (au.dotted_name(call.func.value) or "").endswith("config"):
            return
        pairs: list[tuple[str, ast.expr]] = [(kw.arg, kw.value) for kw in call.keywords if kw.arg]
        for arg in call.args:
            if isinstance(arg, ast.Dict):
                pairs.extend(
                    (au.const_str(k) or "", v) for k, v in zip(arg.keys, arg.values, strict=True)
                )
        for setting, value in pairs:
            yield from self._setting(ctx, call, setting, value, setting)

    def _settings(self, ctx: PythonFileContext) -> Iterator[Finding]:
        """Module-level assignments in a settings module; class attributes of a production
        config class (`class ProductionConfig:`)."""
        stem = PurePosixPath(ctx.file).stem
        is_settings = au.looks_like_settings_module(ctx.file, ctx.tree)
        if au.is_dev_settings_file(ctx.file) or stem in _BASE_SETTINGS_STEMS:
            is_settings = False
        for stmt in ctx.tree.body:
            body: list[ast.stmt] = []
            if isinstance(stmt, ast.ClassDef) and "prod" in stmt.name.lower():
                body = stmt.body
            elif is_settings:
                body = [stmt]
            for inner in body:
                if isinstance(inner, ast.Assign):
                    for target in inner.targets:
                        if isinstance(target, ast.Name):
                            yield from self._setting(ctx, inner, target.id, inner.value, target.id)

    def _setting(
        self, ctx: PythonFileContext, node: ast.AST, setting: str, value: ast.AST, label: str
    ) -> Iterator[Finding]:
        if setting in _SECURE_SETTINGS:
            if au.is_true(value):
                ctx.signal("transport-security", f"{setting} = True", node)
            if not au.is_false(value):
                return
            severity, cookie = _SECURE_SETTINGS[setting]
            message = f"{label} = False: {cookie} is also sent over plain HTTP"
        elif setting in _HTTPONLY_SETTINGS:
            if not au.is_false(value):
                return
            severity = "medium"
            cookie = _HTTPONLY_SETTINGS[setting]
            message = f"{label} = False: any script on the page (one XSS) can read {cookie}"
        else:
            return
        yield ctx.finding(
            RULE, node, message, severity=severity, confidence="high", fix=_SETTINGS_FIX
        )


DETECTOR = InsecureCookie()
