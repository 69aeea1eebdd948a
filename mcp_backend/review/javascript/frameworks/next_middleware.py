"""Middleware callbacks of auth libraries, evaluated: on which request paths they refuse.

`clerkMiddleware(async (auth, req) => { if (isProtectedRoute(req)) await auth.protect() })`,
next-auth's `withAuth(fn, { callbacks: { authorized } })` and v5's `auth((req) => ...)` with an
`authorized` callback in the NextAuth config decide per request. We read the callback: each
refusal (`auth.protect()`, a redirect to sign-in, a 401, `return false` / `return !!auth` in an
`authorized` callback) with the conditions that lead to it. A condition is a conjunction of
terms: a path test (a `createRouteMatcher([...])` matcher, `pathname.startsWith('/x')`,
`pathname === '/x'`), possibly negated, or a test of the caller's identity (neutral: the refusal
is for callers without one). A term that is neither makes the refusal's paths unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from mcp_backend.review.facts import AuthConfig, CallbackDecision, PathGuard, PathTerm

__all__ = ["CallbackDecision", "auth_config", "authorized_callback", "decide", "route_matchers"]
from mcp_backend.review.javascript.astutil import unwrap
from mcp_backend.review.javascript.context import FUNCTION_TYPES, JsFileContext
from mcp_backend.review.javascript.frameworks import caller

# A statement that refuses a caller in a middleware callback.
_REFUSAL = re.compile(
    r"\.protect\s*\(|\bredirectToSignIn\s*\(|\bredirectToLogin\s*\(|\b401\b|UNAUTHORIZED"
    r"|Unauthori[sz]ed|\bunauthorized\s*\("
    r"|redirect\s*\(\s*(new\s+URL\(\s*)?['\"`][^'\"`]*(log-?in|sign|auth)",
    re.IGNORECASE,
)
# A test of who the caller is (neutral in a refusal's condition: it refuses callers without).
_IDENTITY = re.compile(
    r"\b(auth|session|user|userId|token|isLoggedIn|loggedIn|isSignedIn|signedIn|isAuthenticated"
    r"|authenticated|isAuthed|claims|sessionClaims|orgId|role|roles|isAdmin|permissions?)\b",
    re.IGNORECASE,
)
_PATH = r"(?:[\w$?.]*\.)?(?:pathname|path|url)"
_STARTS = re.compile(_PATH + r"\s*\.\s*startsWith\(\s*['\"`]([^'\"`]+)['\"`]\s*\)$")
_EQUALS = re.compile(_PATH + r"\s*(===?|!==?)\s*['\"`]([^'\"`]+)['\"`]$")
_MATCHER_CALL = re.compile(r"([\w$]+)\s*\(\s*[\w$.]*\s*\)$")
_MAX_STATEMENTS = 200

Matchers = dict[str, list[str] | None]
Condition = tuple[str, bool]  # (text, holds)


def _split(text: str, operator: str) -> list[str]:
    """`a && (b || c) && d` split at the top level on `operator`."""
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        char = text[i]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0 and text.startswith(operator, i):
            parts.append(text[start:i])
            start = i + len(operator)
            i += len(operator)
            continue
        i += 1
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def _strip_parens(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and len(_split(text[1:-1], "&&")) >= 1:
        inner = text[1:-1]
        depth = 0
        balanced = True
        for char in inner:
            depth += char in "([{"
            depth -= char in ")]}"
            if depth < 0:
                balanced = False
                break
        if not balanced:
            break
        text = inner.strip()
    return text


class _Evaluator:
    def __init__(self, ctx: JsFileContext, matchers: Matchers, authorized: bool) -> None:
        self.ctx = ctx
        self.matchers = matchers
        self.authorized = authorized  # an `authorized` callback: returning false refuses
        self.locals: dict[str, str] = {}
        self.guards: list[PathGuard] = []
        self.unknown = ""
        self.statements = 0

    # ---- terms ----------------------------------------------------------------------------

    def _term(self, text: str, holds: bool, depth: int = 0) -> PathTerm | str | None:
        """A path term, None for a test that the caller lacks identity or a role (neutral:
        the refusal is for such callers), 'caller' for a test that the caller has one (a
        refusal under it does not refuse anonymous callers), or 'unknown'."""
        text = _strip_parens(text)
        while text.startswith("!") and not text.startswith("!="):
            if text.startswith("!!"):
                text = _strip_parens(text[2:])
                continue
            holds = not holds
            text = _strip_parens(text[1:])
        if text in self.locals and depth < 3:
            return self._term(self.locals[text], holds, depth + 1)
        ors = _split(text, "||")
        if len(ors) > 1:
            found = [self._term(part, True, depth + 1) for part in ors]
            if all(isinstance(t, PathTerm) and not t.negated for t in found):
                patterns: list[str] | None = []
                for term in found:
                    assert isinstance(term, PathTerm)
                    if term.patterns is None or patterns is None:
                        patterns = None
                    else:
                        patterns.extend(term.patterns)
                return PathTerm(patterns=patterns, negated=not holds)
            if all(t is None for t in found):
                return None
            return "unknown"
        if len(_split(text, "&&")) > 1:
            found = [self._term(part, True, depth + 1) for part in _split(text, "&&")]
            if "caller" in found:
                if holds:
                    return "caller"
                found = [t for t in found if t != "caller"]
            paths = [t for t in found if t is not None]
            if len(paths) == 1 and isinstance(paths[0], PathTerm):
                term = paths[0]
                return term.model_copy(update={"negated": term.negated != (not holds)})
            if not paths:
                return None
            return "unknown"
        match = _MATCHER_CALL.match(text)
        if match is not None and match.group(1) in self.matchers:
            return PathTerm(patterns=self.matchers[match.group(1)], negated=not holds)
        match = _STARTS.search(text)
        if match is not None:
            prefix = match.group(1).rstrip("/") or "/"
            return PathTerm(patterns=[prefix, prefix + "/(.*)"], negated=not holds)
        match = _EQUALS.search(text)
        if match is not None:
            equal = match.group(1).startswith("=")
            return PathTerm(patterns=[match.group(2)], negated=(not holds) if equal else holds)
        if _IDENTITY.search(text) and not re.search(r"pathname|startsWith|nextUrl", text):
            if holds and re.fullmatch(r"(await\s+)?[\w$.?]+(\(\))?[\w$.?]*", text):
                return "caller"  # `if (userId)`: only callers who have one
            return None
        return "unknown"

    def _guard(self, conditions: list[Condition], line: int, detail: str) -> None:
        terms: list[PathTerm] = []
        for text, holds in conditions:
            parts = _split(_strip_parens(text), "&&") if holds else [text]
            for part in parts:
                term = self._term(part, holds)
                if term == "caller":
                    return  # reached only by callers with an identity: not a refusal of others
                if term == "unknown":
                    if not self.unknown:
                        cond = text if holds else f"!({text})"
                        self.unknown = f"{detail} when {' '.join(cond.split())[:80]}"
                    return
                if isinstance(term, PathTerm):
                    terms.append(term)
        self.guards.append(PathGuard(terms=terms, line=line, detail=detail))

    # ---- statements -----------------------------------------------------------------------

    def _refuses(self, node: Node) -> str:
        """What the statement refuses with, or ''."""
        text = self.ctx.text(node)
        if node.type == "return_statement" and self.authorized:
            value = unwrap(node.named_children[0]) if node.named_children else None
            if value is None:
                return ""
            expr = " ".join(self.ctx.text(value).split())
            if expr == "false":
                return "return false"
            if expr == "true" or expr.startswith(("Response.", "NextResponse.")):
                return "" if not _REFUSAL.search(expr) else expr[:60]
            term = self._term(expr, True)
            if term is None or term == "caller":  # `return !!auth?.user`: refuses the others
                return f"return {expr[:50]}"
            return "?"
        match = _REFUSAL.search(text)
        if match is None:
            return ""
        return " ".join(match.group(0).split())

    def _exits(self, node: Node) -> bool:
        """The statement (or block) ends in a return or throw."""
        if node.type in {"return_statement", "throw_statement"}:
            return True
        if node.type == "statement_block":
            children = [c for c in node.named_children if c.type != "comment"]
            return bool(children) and self._exits(children[-1])
        return False

    def block(self, node: Node, conditions: list[Condition]) -> None:
        statements = node.named_children if node.type == "statement_block" else [node]
        conditions = list(conditions)
        for statement in statements:
            self.statements += 1
            if self.statements > _MAX_STATEMENTS:
                self.unknown = self.unknown or "a callback too long to evaluate"
                return
            kind = statement.type
            if kind == "comment":
                continue
            if kind in {"lexical_declaration", "variable_declaration"}:
                for declarator in statement.named_children:
                    name = declarator.child_by_field_name("name")
                    value = unwrap(declarator.child_by_field_name("value"))
                    if name is not None and name.type == "identifier" and value is not None:
                        self.locals[self.ctx.text(name)] = self.ctx.text(value)
                refusal = self._refuses(statement)
                if refusal:
                    self._guard(conditions, statement.start_point[0] + 1, refusal)
                continue
            if kind == "if_statement":
                condition = self.ctx.text(statement.child_by_field_name("condition"))
                consequence = statement.child_by_field_name("consequence")
                alternative = statement.child_by_field_name("alternative")
                if consequence is not None:
                    self.block(consequence, [*conditions, (condition, True)])
                if alternative is not None:
                    branch = alternative.named_children[0] if alternative.named_children else None
                    if branch is not None:
                        self.block(branch, [*conditions, (condition, False)])
                if consequence is not None and self._exits(consequence):
                    conditions.append((condition, False))
                continue
            if kind == "statement_block":
                self.block(statement, conditions)
                continue
            if kind == "try_statement":
                body = statement.child_by_field_name("body")
                if body is not None:
                    self.block(body, conditions)
                continue
            if kind == "expression_statement" and statement.named_children:
                expression = unwrap(statement.named_children[0])
                if expression is not None and expression.type == "binary_expression":
                    operator = statement.named_children[0].child_by_field_name("operator")
                    left = expression.child_by_field_name("left")
                    right = expression.child_by_field_name("right")
                    op = self.ctx.text(expression.child_by_field_name("operator")) or (
                        self.ctx.text(operator) if operator is not None else ""
                    )
                    if op == "&&" and right is not None and self._refuses(right):
                        self._guard(
                            [*conditions, (self.ctx.text(left), True)],
                            statement.start_point[0] + 1,
                            self._refuses(right),
                        )
                        continue
            refusal = self._refuses(statement)
            if refusal == "?":
                if not self.unknown:
                    self.unknown = f"returns {' '.join(self.ctx.text(statement).split())[:60]}"
                continue
            if refusal:
                if kind in {"switch_statement", "for_statement", "for_in_statement",
                            "while_statement", "do_statement"}:  # fmt: skip
                    self.unknown = self.unknown or f"{refusal} inside a {kind.split('_')[0]}"
                    continue
                self._guard(conditions, statement.start_point[0] + 1, refusal)
            if kind in {"return_statement", "throw_statement"}:
                return


def decide(
    ctx: JsFileContext, function: Node, matchers: Matchers, *, authorized: bool = False
) -> CallbackDecision:
    """Where the callback `function` refuses callers without identity."""
    evaluator = _Evaluator(ctx, matchers, authorized)
    body = function.child_by_field_name("body")
    if body is None:
        return CallbackDecision(unknown="a callback without a body")
    if body.type == "statement_block":
        evaluator.block(body, [])
    elif authorized:
        # `authorized: ({ auth }) => !!auth`: the expression is what it returns.
        expr = " ".join(ctx.text(body).split())
        line = body.start_point[0] + 1
        if expr == "false":
            evaluator.guards.append(PathGuard(line=line, detail="returns false"))
        elif expr != "true":
            term = evaluator._term(expr, True)
            if term is None or term == "caller":
                evaluator.guards.append(PathGuard(line=line, detail=f"returns {expr[:50]}"))
            elif isinstance(term, PathTerm):
                # `({ auth, request }) => !!auth || request.nextUrl.pathname === '/'` etc.
                evaluator.unknown = f"returns {expr[:60]}"
            else:
                evaluator.unknown = f"returns {expr[:60]}"
    else:
        evaluator.block(body, [])
    summary = caller.summarize(ctx, function)
    return CallbackDecision(
        guards=evaluator.guards, unknown=evaluator.unknown, calls=summary.calls[:20]
    )


def _pair(ctx: JsFileContext, obj: Node, key: str) -> Node | None:
    for child in obj.named_children:
        if child.type == "pair":
            name = ctx.text(child.child_by_field_name("key")).strip("'\"")
            if name == key:
                return child.child_by_field_name("value")
        elif child.type == "method_definition" and (
            ctx.text(child.child_by_field_name("name")) == key
        ):
            return child
    return None


def authorized_callback(ctx: JsFileContext, obj: Node) -> Node | None:
    """`{ callbacks: { authorized(...) {...} } }` -> the authorized function."""
    callbacks = unwrap(_pair(ctx, obj, "callbacks"))
    if callbacks is None or callbacks.type != "object":
        return None
    found = _pair(ctx, callbacks, "authorized")
    found = unwrap(found) if found is not None and found.type != "method_definition" else found
    if found is not None and (found.type in FUNCTION_TYPES or found.type == "method_definition"):
        return found
    return None


def auth_config(ctx: JsFileContext, node: Node | None) -> AuthConfig:
    """What a config object (or a name for one) says about `authorized`."""
    node = unwrap(node)
    if node is None:
        return AuthConfig()
    if node.type == "identifier":
        return AuthConfig(spreads=[ctx.text(node)])
    if node.type != "object":
        return AuthConfig(unreadable=True)
    config = AuthConfig()
    for child in node.named_children:
        if child.type == "spread_element" and child.named_children:
            target = unwrap(child.named_children[0])
            if target is not None and target.type == "identifier":
                config.spreads.append(ctx.text(target))
            else:
                config.unreadable = True
    callback = authorized_callback(ctx, node)
    if callback is not None:
        config.authorized = decide(ctx, callback, {}, authorized=True)
    return config


def top_level_declarations(ctx: JsFileContext) -> Iterator[tuple[Node, Node]]:
    """`(name, value)` of each top-level `const/let/var name = value`, exported or not (the
    value unwrapped of parentheses and type assertions)."""
    for statement in ctx.root.named_children:
        node = statement
        if node.type == "export_statement":
            node = node.child_by_field_name("declaration") or node
        if node.type not in {"lexical_declaration", "variable_declaration"}:
            continue
        for declarator in node.named_children:
            name = declarator.child_by_field_name("name")
            value = unwrap(declarator.child_by_field_name("value"))
            if name is not None and value is not None:
                yield name, value


def route_matchers(
    ctx: JsFileContext, imports: dict[str, dict[str, str]], factories: frozenset[tuple[str, str]]
) -> Matchers:
    """Top-level `const isX = createRouteMatcher([...])` of a library in `factories`."""
    from mcp_backend.review.javascript.frameworks.nextjs import _string_list

    found: Matchers = {}
    for name, value in top_level_declarations(ctx):
        if value.type != "call_expression":
            continue
        callee = ctx.text(value.child_by_field_name("function"))
        entry = imports.get(callee)
        if entry is None or (entry["source"], entry["name"]) not in factories:
            continue
        arguments = value.child_by_field_name("arguments")
        first = arguments.named_children[0] if arguments and arguments.named_children else None
        found[ctx.text(name)] = _string_list(ctx, first)
    return found
