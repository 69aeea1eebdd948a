"""weak-password-hash: passwords hashed with a fast digest, weak hashers or few iterations."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mcp_backend.review.model import Finding
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.weak_password_hash import RULE

_FAST_DIGESTS = {
    "md5",
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
    "sha3_256",
    "sha3_512",
    "blake2b",
    "blake2s",
}
_WEAK_DJANGO_HASHERS = ("MD5PasswordHasher", "SHA1PasswordHasher", "UnsaltedMD5", "UnsaltedSHA1")
_WEAK_PASSLIB = {"md5_crypt", "hex_md5", "hex_sha1", "hex_sha256", "ldap_md5", "plaintext"}
_STRONG_FUNCTIONS = {
    "bcrypt.hashpw": "bcrypt",
    "bcrypt.checkpw": "bcrypt",
    "bcrypt.gensalt": "bcrypt",
    "argon2.PasswordHasher": "argon2",
    "argon2.hash_password": "argon2",
    "passlib.context.CryptContext": "passlib CryptContext",
    "passlib.hash.bcrypt.hash": "passlib bcrypt",
    "passlib.hash.argon2.hash": "passlib argon2",
    "werkzeug.security.generate_password_hash": "werkzeug generate_password_hash",
    "werkzeug.security.check_password_hash": "werkzeug check_password_hash",
    "django.contrib.auth.hashers.make_password": "Django make_password",
    "django.contrib.auth.hashers.check_password": "Django check_password",
    "hashlib.scrypt": "scrypt",
    "hashlib.pbkdf2_hmac": "PBKDF2",
    "pwdlib.PasswordHash": "pwdlib",
    "pwdlib.PasswordHash.recommended": "pwdlib",
}
_STRONG_METHODS = {"set_password", "check_password", "create_user", "create_superuser"}
_MIN_PBKDF2_ITERATIONS = 10_000
_FIX = (
    "Use a password hashing function: argon2-cffi PasswordHasher, bcrypt, passlib/pwdlib "
    "CryptContext, werkzeug generate_password_hash or Django's make_password/set_password."
)


def _password_source(node: ast.AST) -> str | None:
    """The password-like name inside an expression (`password.encode()` -> password)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name | ast.Attribute | ast.Subscript | ast.Call):
            name = au.terminal_name(sub)
            if name and au.is_password_name(name):
                return name
    return None


def _mentions_salt(node: ast.AST) -> bool:
    return any(
        "salt" in au.name_words(name)
        for sub in ast.walk(node)
        if (name := au.terminal_name(sub)) is not None
    )


_HINTS = (
    "hashlib",
    "password_hashers",
    "passlib",
    "bcrypt",
    "argon2",
    "werkzeug",
    "make_password",
    "set_password",
    "create_user",
    "pwdlib",
)


_QUALIFIED_PREFIXES = (
    "hashlib.",
    "bcrypt.",
    "argon2.",
    "passlib.",
    "werkzeug.",
    "django.",
    "pwdlib.",
)


class WeakPasswordHash:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        lowered = ctx.source.lower()
        if not any(w in lowered for w in _HINTS):
            return  # cheap pre-check: nothing this rule looks for appears in the file
        if ctx.is_test:
            return
        info = au.module_info(ctx.tree)
        once = au.SignalOnce()
        for scope in au.iter_scopes(ctx.tree):
            for node in au.scope_calls(scope):
                if au.call_method(node) == "update":  # h.update(password): needs the flow
                    yield from self._check_call(
                        ctx, info, au.scope_flow(ctx.tree, scope), node, once
                    )
                elif (info.qualify(node.func) or "").startswith(_QUALIFIED_PREFIXES) or (
                    au.call_method(node) in _STRONG_METHODS
                ):
                    yield from self._check_call(ctx, info, None, node, once)
        yield from self._django_hashers(ctx)

    def _check_call(
        self,
        ctx: PythonFileContext,
        info: au.ModuleInfo,
        flow: au.ScopeFlow | None,
        call: ast.Call,
        once: au.SignalOnce,
    ) -> Iterator[Finding]:
        qualified = info.qualify(call.func) or ""
        method = au.call_method(call) or ""
        strong = _STRONG_FUNCTIONS.get(qualified)
        if strong is None and method in _STRONG_METHODS and isinstance(call.func, ast.Attribute):
            strong = f"{method}()"
        if strong is not None:
            if once.first(strong):
                ctx.signal("password-hashing", f"passwords hashed with {strong}", call)
            if qualified == "hashlib.pbkdf2_hmac":
                yield from self._pbkdf2_iterations(ctx, call)
            if qualified == "django.contrib.auth.hashers.make_password":
                hasher = au.const_str(au.argument(call, 2, "hasher"))
                if hasher and hasher.lower() in {"md5", "sha1", "unsalted_md5", "unsalted_sha1"}:
                    yield ctx.finding(
                        RULE, call, f"make_password with the weak '{hasher}' hasher", fix=_FIX
                    )
            return
        data: ast.AST | None = None
        digest = ""
        if qualified.startswith("hashlib.") and qualified.split(".")[-1] in _FAST_DIGESTS:
            data, digest = au.argument(call, 0, "data"), qualified.split(".")[-1]
        elif qualified == "hashlib.new":
            digest = (au.const_str(au.argument(call, 0, "name")) or "").lower()
            data = au.argument(call, 1, "data") if digest in _FAST_DIGESTS else None
        elif (
            method == "update"
            and flow is not None
            and isinstance(call.func, ast.Attribute)
            and call.args
        ):
            digest = self._digest_of(info, flow, call.func.value) or ""
            data = call.args[0] if digest else None
        elif qualified.startswith("passlib.hash.") and qualified.split(".")[2] in _WEAK_PASSLIB:
            data, digest = au.argument(call, 0), qualified.split(".")[2]
        if data is None or au.is_false(au.keyword(call, "usedforsecurity")):
            return
        source = _password_source(data)
        if source is None:
            return
        salted = _mentions_salt(data)
        yield ctx.finding(
            RULE,
            call,
            f"Password ({source}) hashed with {digest}"
            + (" and a salt" if salted else "")
            + ": a fast digest lets a leaked hash be brute-forced at GPU speed",
            severity="medium" if salted else "high",
            fix=_FIX,
        )

    def _digest_of(self, info: au.ModuleInfo, flow: au.ScopeFlow, node: ast.expr) -> str | None:
        """`h` in `h.update(...)` when `h = hashlib.sha256()`."""
        if not isinstance(node, ast.Name):
            return None
        for binding in flow.values_of(node.id, getattr(node, "lineno", 10**9)):
            if isinstance(binding.value, ast.Call):
                qualified = info.qualify(binding.value.func) or ""
                name = qualified.split(".")[-1]
                if qualified.startswith("hashlib.") and name in _FAST_DIGESTS:
                    return name
        return None

    def _pbkdf2_iterations(self, ctx: PythonFileContext, call: ast.Call) -> Iterator[Finding]:
        iterations = au.argument(call, 3, "iterations")
        if (
            isinstance(iterations, ast.Constant)
            and isinstance(iterations.value, int)
            and iterations.value < _MIN_PBKDF2_ITERATIONS
            and _password_source(call) is not None
        ):
            yield ctx.finding(
                RULE,
                call,
                f"PBKDF2 with only {iterations.value} iterations: far below the 600,000 OWASP "
                "recommends for SHA-256",
                severity="medium",
                fix="Raise the iteration count (600,000 for PBKDF2-SHA256) or use argon2id.",
            )

    def _django_hashers(self, ctx: PythonFileContext) -> Iterator[Finding]:
        for stmt in ctx.tree.body:
            if not (
                isinstance(stmt, ast.Assign)
                and any(
                    isinstance(t, ast.Name) and t.id == "PASSWORD_HASHERS" for t in stmt.targets
                )
                and isinstance(stmt.value, ast.List | ast.Tuple)
                and stmt.value.elts
            ):
                continue
            first = au.const_str(stmt.value.elts[0]) or ""
            if first.endswith(_WEAK_DJANGO_HASHERS) and not au.is_dev_settings_file(ctx.file):
                yield ctx.finding(
                    RULE,
                    stmt,
                    f"PASSWORD_HASHERS starts with {first.rsplit('.', 1)[-1]}: new passwords "
                    "are stored with a fast digest",
                    fix="Put Argon2PasswordHasher or PBKDF2PasswordHasher first.",
                )


DETECTOR = WeakPasswordHash()
