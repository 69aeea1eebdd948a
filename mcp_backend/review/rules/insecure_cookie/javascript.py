"""insecure-cookie: a session or auth cookie set without Secure, or with httpOnly: false.

Which calls count, and what their options default to:

- Express `res.cookie()`, Hono `setCookie()`, express-session: no Secure unless asked, so a
  missing `secure` is reported;
- @fastify/cookie `reply.setCookie()`: the same, but the plugin's `parseOptions` (often in
  another file) supply defaults, so a missing `secure` is reported with low confidence;
- Koa `ctx.cookies.set()`, cookie-session, koa-session (the `cookies` package underneath) and
  @fastify/session are Secure on HTTPS by default: only a written `false` is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from mcp_backend.review.javascript.astutil import local_value, unwrap
from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.model import Confidence, Finding, Severity
from mcp_backend.review.rules.insecure_cookie import (
    NOT_CREDENTIAL_WORDS,
    RULE,
    names_a_credential,
)
from mcp_backend.review.words import name_words

# Last callee segments of the calls that set a cookie; session middleware is found by import.
COOKIE_CALLS = frozenset({"cookie", "setCookie", "setSignedCookie", "set"})
RESPONSE_OBJECTS = frozenset({"res", "response", "resp", "_res", "reply", "rep"})
FASTIFY_REPLIES = frozenset({"reply", "rep"})
HONO_COOKIE_MODULES = frozenset({"hono/cookie"})
SESSION_MODULES = {
    "express-session": "express-session",
    "cookie-session": "cookie-session",
    "koa-session": "koa-session",
    "@fastify/session": "fastify-session",
    "fastify-session": "fastify-session",
    "@fastify/secure-session": "fastify-session",
    "fastify-secure-session": "fastify-session",
}
_MODULES = frozenset(SESSION_MODULES) | HONO_COOKIE_MODULES
_MODULE_NEEDLES = (b"session", b"hono/cookie")
# Session libraries whose cookie is not Secure unless configured.
INSECURE_BY_DEFAULT = frozenset({"express-session"})
# Sample data and demos, not the application's configuration (as hardcoded-secret skips).
NOT_SHIPPED = re.compile(
    r"(^|/)(benchmarks?|examples?|fixtures?|__fixtures__|mocks?|demos?|samples?|playground)/"
    r"|\.(stories|example|sample)\.[cm]?[jt]sx?$"
)
# `if (process.env.NODE_ENV !== 'production')`, `isDev ? {...} : {...}`: a development branch.
DEV_GUARD = re.compile(
    r"NODE_ENV|development|\bisDev|\bdev\b|isLocal|localhost|isTest|\btest\b", re.IGNORECASE
)

# Words in a cookie's name expression that say nothing about what it holds.
_GENERIC_NAME_WORDS = frozenset({"cookie", "cookies", "name", "names", "key", "this", "config"})
# `session.id`, `tokens.value`: the object says what the property is.
_GENERIC_VALUE_WORDS = frozenset({"id", "value", "data", "key", "raw", "str", "string", "val"})
# `jwt.sign(...)`, `this.jwtService.signAsync(...)`: the object says what the call makes.
_MAKER_WORDS = frozenset(
    {"sign", "async", "encode", "generate", "create", "issue", "encrypt", "make", "new", "get"}
)
_TRACKED_KEYS = ("secure", "httpOnly", "maxAge", "expires", "prefix", "cookie")
_CLEARED_EXPIRY = re.compile(r"^(0|new\s+Date\(\s*[01]?\s*\)|-\d+)$")
_FIX = "Set secure: true, httpOnly: true, sameSite: 'lax' (behind a TLS proxy: trust proxy)."
_SESSION_FIX = (
    "Configure the session cookie as cookie: { secure: true, httpOnly: true, sameSite: 'lax' } "
    "(behind a TLS proxy also app.set('trust proxy', 1))."
)


def _imports(ctx: JsFileContext) -> dict[str, tuple[str, str]]:
    """Local name -> (module, imported name or "" for the module itself), for the modules this
    rule cares about: `import x from`, `import * as x`, `import { a as x }`, TypeScript
    `import x = require()`, and `const x = require()`."""
    if not ctx.has(*_MODULE_NEEDLES):
        return {}
    found: dict[str, tuple[str, str]] = {}
    for statement in ctx.root.named_children:
        if statement.type != "import_statement":
            continue
        source = statement.child_by_field_name("source")
        clauses = [c for c in statement.named_children if c.type.startswith("import_")]
        for clause in clauses:
            if clause.type == "import_require_clause":
                source = next((c for c in clause.named_children if c.type == "string"), source)
        module = ctx.text(source)[1:-1]
        if module not in _MODULES:
            continue
        for clause in clauses:
            for part in clause.named_children:
                if part.type == "identifier":
                    found[ctx.text(part)] = (module, "")
                elif part.type == "namespace_import" and part.named_children:
                    found[ctx.text(part.named_children[0])] = (module, "")
                elif part.type == "named_imports":
                    for spec in part.named_children:
                        imported = spec.child_by_field_name("name")
                        local = spec.child_by_field_name("alias") or imported
                        if local is not None:
                            found[ctx.text(local)] = (module, ctx.text(imported))
    for require in ctx.calls_named(frozenset({"require"})):
        module = _required_module(ctx, require.node) or ""
        holder = require.node.parent
        if module in _MODULES and holder is not None and holder.type == "variable_declarator":
            name = holder.child_by_field_name("name")
            if name is not None and name.type == "identifier":
                found[ctx.text(name)] = (module, "")
    return found


def _binding_value(ctx: JsFileContext, identifier: Node) -> Node | None:
    """What a `const` name was set to, in the same function or at module level."""
    value = local_value(ctx, identifier)
    if value is not None:
        return unwrap(value)
    name = ctx.text(identifier)
    for declarator in ctx.bindings_in(ctx.root):
        if (
            declarator.type != "variable_declarator"
            or declarator.start_byte > identifier.start_byte
        ):
            continue
        target = declarator.child_by_field_name("name")
        if (
            target is not None
            and ctx.text(target) == name
            and ctx.enclosing_function(target) is None
        ):
            value = declarator.child_by_field_name("value")
    return unwrap(value)


@dataclass
class _Options:
    """What an options object says about the keys that matter here. Each key is "missing",
    "false", "set" (any other value: deliberate) or "unknown" (a spread may supply it)."""

    keys: dict[str, str]
    values: dict[str, Node]
    known: bool = True

    def state(self, key: str) -> str:
        return self.keys.get(key, "missing")

    def text(self, ctx: JsFileContext, key: str) -> str:
        value = self.values.get(key)
        return " ".join(ctx.text(value).split()) if value is not None else ""

    def cleared(self, ctx: JsFileContext) -> bool:
        """maxAge: 0 or an expiry in the past: the call deletes the cookie."""
        return any(_CLEARED_EXPIRY.match(self.text(ctx, key)) for key in ("maxAge", "expires"))


_UNKNOWN = _Options(keys={}, values={}, known=False)


def _options_of(ctx: JsFileContext, node: Node | None) -> _Options:
    """The options argument as an _Options: an object literal, or a local const holding one
    that nothing else in the file changes. No argument at all is an empty object."""
    node = unwrap(node)
    if node is None:
        return _Options(keys={}, values={})
    if node.type == "identifier":
        name = ctx.text(node)
        mutated = re.compile(
            rf"\b{re.escape(name)}\s*(\.\s*(secure|cookie|httpOnly)\b|\[)|Object\.assign\(\s*"
            rf"{re.escape(name)}\b"
        )
        value = _binding_value(ctx, node)
        if (
            value is None
            or value.type != "object"
            or mutated.search(ctx.source.decode("utf-8", "replace"))
        ):
            return _UNKNOWN
        node = value
    if node.type != "object":
        return _UNKNOWN
    keys: dict[str, str] = {}
    values: dict[str, Node] = {}
    for child in node.named_children:
        if child.type == "spread_element":
            # A later spread may override anything written before it.
            keys = dict.fromkeys(_TRACKED_KEYS, "unknown")
        elif child.type == "shorthand_property_identifier" and ctx.text(child) in _TRACKED_KEYS:
            keys[ctx.text(child)] = "set"
        elif child.type == "pair":
            key = ctx.text(child.child_by_field_name("key")).strip("'\"")
            value = unwrap(child.child_by_field_name("value"))
            if key in _TRACKED_KEYS and value is not None:
                keys[key] = "false" if value.type == "false" else "set"
                values[key] = value
    return _Options(keys=keys, values=values)


@dataclass
class _Target:
    """One cookie (or session cookie) being set: where, what it is, the options it gets."""

    node: Node
    label: str  # "the 'token' cookie", "the express-session cookie"
    options: _Options
    missing_secure_confidence: Confidence | None  # None: the library is Secure by default
    is_session: bool = False


class InsecureCookie:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if ctx.is_test or NOT_SHIPPED.search(ctx.file):
            return
        if not ctx.has(b"ookie", b"session"):
            return  # cheap pre-check: no cookie or session in the file
        imports = _imports(ctx)
        targets = [*self._cookie_calls(ctx, imports), *self._sessions(ctx, imports)]
        for target in targets:
            if ctx.guarded_by(target.node, DEV_GUARD):
                continue
            finding = self._judge(ctx, target)
            if finding is not None:
                yield finding

    # ---- cookie-setting calls ---------------------------------------------------------------

    def _cookie_calls(
        self, ctx: JsFileContext, imports: dict[str, tuple[str, str]]
    ) -> Iterator[_Target]:
        # Hono's helpers under the names the file imports them as.
        hono = {
            local: imported
            for local, (module, imported) in imports.items()
            if module in HONO_COOKIE_MODULES and imported in {"setCookie", "setSignedCookie"}
        }
        names = COOKIE_CALLS | frozenset(hono)
        if not ctx.has_call(names):
            return
        for call in ctx.calls_named(names):
            receiver = call.obj.split(".")[-1]
            confidence: Confidence | None
            if call.name in hono and not call.obj:
                # Hono: setCookie(c, name, value, options); setSignedCookie(c, n, v, secret, o)
                if len(call.args) < 3:
                    continue
                name, value = call.args[1], call.args[2]
                options_index = 3 if hono[call.name] == "setCookie" else 4
                confidence = "medium"
            elif call.name in {"cookie", "setCookie"} and receiver in RESPONSE_OBJECTS:
                if len(call.args) < 2:
                    continue
                name, value = call.args[0], call.args[1]
                options_index = 2
                # @fastify/cookie merges the plugin's parseOptions, which we may not see.
                fastify = receiver in FASTIFY_REPLIES or call.name == "setCookie"
                confidence = "low" if fastify else "medium"
                if fastify and ctx.has(b"parseOptions"):
                    confidence = None
            elif call.name == "set" and receiver == "cookies" and len(call.args) >= 2:
                name, value = call.args[0], call.args[1]  # Koa / `cookies`: Secure on HTTPS
                options_index = 2
                confidence = None
            else:
                continue
            if _is_empty(ctx, value) or not self._holds_credential(ctx, name, value):
                continue
            if ctx.text(name).strip("'\"`").startswith(("__Secure-", "__Host-")):
                continue  # browsers refuse these prefixes without Secure
            options_node = call.args[options_index] if len(call.args) > options_index else None
            options = _options_of(ctx, options_node)
            if options.cleared(ctx):
                continue
            if options.text(ctx, "prefix").strip("'\"`") in {"secure", "host"}:
                continue  # Hono adds Secure for these prefixes
            yield _Target(call.node, _label(ctx, name), options, confidence)

    def _holds_credential(self, ctx: JsFileContext, name: Node, value: Node) -> bool:
        words = [w for w in name_words(_name_text(ctx, name)) if w not in _GENERIC_NAME_WORDS]
        if NOT_CREDENTIAL_WORDS.intersection(words):
            return False
        if names_a_credential(words):
            return True
        return any(names_a_credential(name_words(text)) for text in _value_names(ctx, value))

    # ---- session middleware -----------------------------------------------------------------

    def _sessions(
        self, ctx: JsFileContext, imports: dict[str, tuple[str, str]]
    ) -> Iterator[_Target]:
        kinds = {
            local: SESSION_MODULES[module]
            for local, (module, _) in imports.items()
            if module in SESSION_MODULES
        }
        for call in ctx.calls_named(frozenset(kinds)):
            if not call.obj and not call.is_new:
                yield from self._session_target(ctx, call.node, kinds[call.name], call.args)
        inline = ctx.calls_named(frozenset({"require"})) if ctx.has(b"-session") else []
        for require in inline:
            module = _required_module(ctx, require.node)
            outer = require.node.parent
            if module in SESSION_MODULES and outer is not None and outer.type == "call_expression":
                args_node = outer.child_by_field_name("arguments")
                children = args_node.named_children if args_node is not None else []
                args = [a for a in children if a.type != "comment"]
                yield from self._session_target(ctx, outer, SESSION_MODULES[module], args)
        for call in ctx.calls_named(frozenset({"register"})):
            plugin = unwrap(call.args[0]) if len(call.args) >= 2 else None
            if plugin is None:
                continue
            module = imports.get(ctx.text(plugin), ("", ""))[0]
            if plugin.type == "call_expression":
                module = _required_module(ctx, plugin) or ""
            if SESSION_MODULES.get(module) == "fastify-session":
                yield from self._session_target(ctx, call.node, "fastify-session", call.args[1:])

    def _session_target(
        self, ctx: JsFileContext, node: Node, kind: str, args: list[Node]
    ) -> Iterator[_Target]:
        if kind == "koa-session":  # session(app, opts) in old releases, session(opts, app) now
            args = [a for a in args if (unwrap(a) or a).type == "object"]
        options = _options_of(ctx, args[0]) if args else _Options(keys={}, values={})
        if kind in {"express-session", "fastify-session"} and options.known:
            # These two keep the cookie's flags under `cookie: {...}`.
            cookie = options.values.get("cookie")
            state = options.state("cookie")
            if state == "missing":
                options = _Options(keys={}, values={})
            elif state == "unknown" or cookie is None:  # `{ cookie }`, or a spread after it
                options = _UNKNOWN
            else:
                options = _options_of(ctx, cookie)
        confidence: Confidence | None = "medium" if kind in INSECURE_BY_DEFAULT else None
        yield _Target(node, f"the {kind} cookie", options, confidence, is_session=True)

    # ---- verdict ----------------------------------------------------------------------------

    def _judge(self, ctx: JsFileContext, target: _Target) -> Finding | None:
        options = target.options
        if not options.known:
            return None
        problems: list[tuple[Severity, Confidence, str]] = []
        secure = options.state("secure")
        if secure == "false":
            problems.append(
                ("high", "high", "`secure: false`: it travels in clear text over plain HTTP")
            )
        elif secure == "missing" and target.missing_secure_confidence is not None:
            problems.append(
                (
                    "medium",
                    target.missing_secure_confidence,
                    "no `secure`: the browser also sends it over plain HTTP",
                )
            )
        if options.state("httpOnly") == "false":
            problems.append(
                ("medium", "high", "`httpOnly: false`: any script on the page (one XSS) reads it")
            )
        if not problems:
            return None
        severity, confidence, _ = problems[0]
        message = f"{target.label[0].upper()}{target.label[1:]} is set with " + "; ".join(
            text for _, _, text in problems
        )
        return ctx.finding(
            RULE,
            target.node,
            message,
            severity=severity,
            confidence=confidence,
            fix=_SESSION_FIX if target.is_session else _FIX,
        )


def _required_module(ctx: JsFileContext, call: Node) -> str | None:
    """'express-session' for `require('express-session')` (or a dynamic `import(...)`)."""
    callee = call.child_by_field_name("function")
    args = call.child_by_field_name("arguments")
    if callee is None or args is None or ctx.text(callee) not in {"require", "import"}:
        return None
    first = args.named_children[0] if args.named_children else None
    if first is None or first.type != "string":
        return None
    return ctx.text(first)[1:-1]


def _is_empty(ctx: JsFileContext, value: Node) -> bool:
    """'' / null / undefined: the call clears the cookie."""
    value = unwrap(value) or value
    return value.type in {"null", "undefined"} or ctx.text(value) in {"''", '""', "``"}


def _name_text(ctx: JsFileContext, name: Node) -> str:
    """The cookie name as words can be taken from: the literal, the constant's text and
    value, or the constant parts of a template."""
    name = unwrap(name) or name
    if name.type == "string":
        return ctx.text(name)[1:-1]
    if name.type == "template_string":
        return " ".join(ctx.text(c) for c in name.named_children if c.type == "string_fragment")
    if name.type == "identifier":
        value = _binding_value(ctx, name)
        resolved = ctx.text(value)[1:-1] if value is not None and value.type == "string" else ""
        return f"{ctx.text(name)} {resolved}"
    if name.type == "member_expression":
        return ctx.text(name)
    return ""


def _label(ctx: JsFileContext, name: Node) -> str:
    name = unwrap(name) or name
    if name.type == "string":
        return f"the '{ctx.text(name)[1:-1]}' cookie"
    return f"the {ctx.text(name)} cookie"[:80]


def _value_names(ctx: JsFileContext, value: Node | None, depth: int = 0) -> list[str]:
    """The names a cookie's value is 'about': `token`, `tokens.access` -> access, `session.id`
    -> id and session, `jwt.sign(...)` -> sign and jwt, `a || ''` -> both sides."""
    value = unwrap(value)
    if value is None or depth > 4:
        return []
    if value.type in {"identifier", "property_identifier"}:
        return [ctx.text(value)]
    if value.type == "member_expression":
        prop = ctx.text(value.child_by_field_name("property"))
        names = [prop]
        if set(name_words(prop)) <= _GENERIC_VALUE_WORDS:
            names += _value_names(ctx, value.child_by_field_name("object"), depth + 1)
        return names
    if value.type == "call_expression":
        callee = unwrap(value.child_by_field_name("function"))
        if callee is None:
            return []
        if callee.type != "member_expression":
            return [ctx.text(callee)] if callee.type == "identifier" else []
        last = ctx.text(callee.child_by_field_name("property"))
        args = value.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        if last in {"get", "getItem"} and first is not None and first.type == "string":
            return [ctx.text(first)[1:-1]]  # session.get('lang') is about lang
        names = [last]
        if set(name_words(last)) <= _MAKER_WORDS:
            names += _value_names(ctx, callee.child_by_field_name("object"), depth + 1)
        return names
    if value.type == "binary_expression":
        return _value_names(ctx, value.child_by_field_name("left"), depth + 1) + _value_names(
            ctx, value.child_by_field_name("right"), depth + 1
        )
    if value.type == "ternary_expression":
        return _value_names(
            ctx, value.child_by_field_name("consequence"), depth + 1
        ) + _value_names(ctx, value.child_by_field_name("alternative"), depth + 1)
    if value.type == "template_string":
        return [
            name
            for child in value.named_children
            if child.type == "template_substitution"
            for inner in child.named_children
            for name in _value_names(ctx, inner, depth + 1)
        ]
    return []


DETECTOR = InsecureCookie()
