"""plaintext-password: passwords compared or stored as plain text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.plaintext_password import RULE

STORED = re.compile(
    r"^(?!req\b|request\b|body\b|params\b|dto\b|input\b|data\b|payload\b|args\b|credentials\b|c\.req)[\w$.]+\.(password|passwd|pwd)$",
    re.I,
)
CANDIDATE = re.compile(r"pass(word)?|pwd", re.I)
CONFIRMATION = re.compile(r"confirm|repeat|again|retype|verify|new|old|current|hash|length", re.I)
HASHING = re.compile(r"\b(bcrypt|argon2|scrypt|pbkdf2|createHash|hash\w*)\s*[.(]", re.I)
STORE_CALLS = frozenset({"create", "insert", "insertOne", "insertMany", "upsert"})
# `const u = new URL(s)`: `u.password` is the userinfo of a URL, not an account's password.
URL_OBJECT = re.compile(r"\b([A-Za-z_$][\w$]*)\s*=\s*new\s+URL\s*\(")
DB_OBJECT = re.compile(r"^(prisma|db|tx|knex|this\.prisma|this\.db|client)\b", re.I)


class PlaintextPassword:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if ctx.is_test or not ctx.has(b"password", b"Password", b"pwd"):
            return
        url_objects = (
            set(URL_OBJECT.findall(ctx.source.decode("utf-8", "replace")))
            if ctx.has(b"new URL")
            else set()
        )
        for node in ctx.descendants(ctx.root, "(binary_expression) @b", "b"):
            operator = ctx.text(node.child_by_field_name("operator"))
            if operator not in {"===", "==", "!==", "!="}:
                continue
            left = ctx.text(node.child_by_field_name("left"))
            right = ctx.text(node.child_by_field_name("right"))
            for stored, given in ((left, right), (right, left)):
                if (
                    STORED.match(stored.replace(" ", ""))
                    and CANDIDATE.search(given)
                    and not CONFIRMATION.search(given + stored)
                    and "(" not in given
                    and stored.split(".", 1)[0] not in url_objects
                ):
                    yield ctx.finding(
                        RULE,
                        node,
                        "password compared as plain text: it is stored unhashed",
                        fix=(
                            "Store bcrypt/argon2 hashes and compare with `await "
                            "bcrypt.compare(password, user.passwordHash)`."
                        ),
                    )
                    break
        for call in ctx.calls_named(STORE_CALLS):
            if call.name not in {
                "create",
                "insert",
                "insertOne",
                "insertMany",
                "upsert",
            } or not DB_OBJECT.match(call.callee):
                continue
            args_text = ctx.text(call.node.child_by_field_name("arguments"))
            match = re.search(r"\bpassword\s*(:\s*([\w.]+)|[,}\s])", args_text)
            if match is None:
                continue
            value = match.group(2) or "password"
            if re.search(r"hash", value, re.I):
                continue
            function = ctx.enclosing_function(call.node)
            if function is None or HASHING.search(ctx.text(function)):
                continue
            if ctx.mentions_request_data(value, ctx.tainted_names(function)):
                yield ctx.finding(
                    RULE,
                    call.node,
                    "password from the request stored without hashing",
                    fix="Hash it first: `password: await bcrypt.hash(password, 12)`.",
                )


DETECTOR = PlaintextPassword()
