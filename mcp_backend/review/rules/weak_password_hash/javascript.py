"""weak-password-hash: md5/sha1/sha256 of a password instead of bcrypt/argon2/scrypt."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from mcp_backend.review.javascript.astutil import PASSWORD_WORD
from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.model import Finding
from mcp_backend.review.rules.weak_password_hash import RULE

FAST_HASHES = re.compile(
    r"^['\"`](md5|md4|sha1|sha-1|sha224|sha256|sha-256|sha384|sha512|ripemd160)['\"`]$", re.I
)
HASH_FUNCTIONS = frozenset(
    {"md5", "sha1", "sha256", "sha512", "SHA256", "SHA1", "MD5", "sha256Hex"}
)
STRONG_NAMES = frozenset(
    {
        "hash",
        "hashSync",
        "compare",
        "compareSync",
        "verify",
        "genSalt",
        "scrypt",
        "pbkdf2",
        "scryptSync",
        "pbkdf2Sync",
    }
)
STRONG_CALL = re.compile(
    r"\b(bcrypt|bcryptjs|argon2)\.(hash|hashSync|compare|compareSync|verify)\b|\bscrypt(Sync)?\b"
)
STRONG = re.compile(
    r"^(bcrypt|bcryptjs|argon2|scrypt|crypto|Bun\.password)\.|^(hash|compare|verify|hashSync|compareSync|scrypt|scryptSync|pbkdf2|pbkdf2Sync)$"
)


# The hash of a password used as the key of a signature or MAC (a link that dies when the
# password changes): `jwt.sign(claims, sha256(user.password))`, `createHmac('sha256', key)`.
_KEYED_CALLS = frozenset({"sign", "verify", "createHmac"})
# Have I Been Pwned's range API takes the first five hex digits of a password's SHA-1.
_HIBP = re.compile(rb"pwnedpasswords", re.I)


class WeakPasswordHash:
    rule = RULE

    def check(self, ctx: JsFileContext) -> Iterator[Finding]:
        if ctx.is_test or not ctx.has_call(STRONG_NAMES | HASH_FUNCTIONS | {"createHash"}):
            return
        lowered = ctx.source.lower()
        if (
            b"bcrypt" in lowered
            or b"argon2" in lowered
            or b"scrypt" in lowered
            or b"pbkdf2" in lowered
        ):
            for call in ctx.calls_named(STRONG_NAMES):
                root = call.callee.split(".")[0].lower()
                if root in {"bcrypt", "bcryptjs", "argon2"} and call.name in {
                    "hash",
                    "hashSync",
                    "compare",
                    "compareSync",
                    "verify",
                    "genSalt",
                }:
                    ctx.signal("password-hashing", f"{call.callee}()", call.node)
                    break
                if call.name in {"scrypt", "pbkdf2", "scryptSync", "pbkdf2Sync"}:
                    ctx.signal("password-hashing", f"{call.callee}()", call.node)
                    break
        if b"password" not in lowered and b"passwd" not in lowered and b"pwd" not in lowered:
            return
        strong_in_file = any(
            STRONG_CALL.search(ctx.text(c.node.child_by_field_name("function")))
            for c in ctx.calls_named(STRONG_NAMES)
        )
        for call in ctx.calls_named(HASH_FUNCTIONS | {"createHash"}):
            if (
                call.name == "createHash"
                and call.args
                and FAST_HASHES.match(ctx.text(call.args[0]))
            ):
                # createHash('md5').update(password).digest('hex')
                chain = call.node.parent
                updated = ""
                while chain is not None and chain.type in {"member_expression", "call_expression"}:
                    if chain.type == "call_expression":
                        updated += ctx.text(chain.child_by_field_name("arguments"))
                    chain = chain.parent
                algorithm = ctx.text(call.args[0]).strip("'\"`")
                if (
                    PASSWORD_WORD.search(updated)
                    and not (strong_in_file and _pre_hash(ctx, call.node))
                    and not _keyed_use(ctx, call.node)
                    and not (algorithm.lower() in {"sha1", "sha-1"} and _HIBP.search(ctx.source))
                ):
                    yield ctx.finding(
                        RULE,
                        call.node,
                        f"password hashed with {algorithm}, a fast unsalted hash; it is cracked "
                        f"in seconds",
                        fix=(
                            "Use bcrypt (cost >= 12), argon2id or scrypt: `await "
                            "bcrypt.hash(password, 12)`."
                        ),
                    )
            elif (
                call.callee in HASH_FUNCTIONS
                and call.args
                and PASSWORD_WORD.search(ctx.text(call.args[0]))
                and not (strong_in_file and _pre_hash(ctx, call.node))
                and not _keyed_use(ctx, call.node)
                and not (call.callee.lower() == "sha1" and _HIBP.search(ctx.source))
            ):
                yield ctx.finding(
                    RULE,
                    call.node,
                    f"password hashed with {call.callee}(), a fast hash",
                    fix="Use bcrypt, argon2id or scrypt.",
                )


def _keyed_use(ctx: JsFileContext, node: Node) -> bool:
    """The hash is the key of a signature or MAC, right there or through the name it is kept
    in within the function: key material derived from the stored hash, not password storage."""
    current = node
    while current.parent is not None and current.parent.type in {
        "member_expression",
        "call_expression",
        "await_expression",
        "parenthesized_expression",
    }:
        current = current.parent
    holder = current.parent
    if holder is not None and holder.type == "arguments":
        call = holder.parent
        callee = call.child_by_field_name("function") if call is not None else None
        named = holder.named_children
        if (
            callee is not None
            and re.search(r"\b(sign|verify|createHmac)$", ctx.text(callee))
            and len(named) > 1
            and named[1].id == current.id
        ):
            return True
    if holder is None or holder.type != "variable_declarator":
        return False
    name = holder.child_by_field_name("name")
    function = ctx.enclosing_function(node)
    if name is None or name.type != "identifier" or function is None:
        return False
    kept = ctx.text(name)
    return any(
        len(call.args) > 1
        and ctx.text(call.args[1]) == kept
        and function.start_byte <= call.node.start_byte < function.end_byte
        for call in ctx.calls_named(_KEYED_CALLS)
    )


def _pre_hash(ctx: JsFileContext, node: Node) -> bool:
    """In a file that hashes passwords with bcrypt/argon2/scrypt, a fast hash that feeds them is a
    pre-hash (`bcrypt.hash(sha256(password))`, `password = sha256(password)` then bcrypt in the
    same function, a `normalize` helper returning it), not the stored hash. Writing it to a
    field (`user.password = sha256(p)`) is still reported."""
    function = ctx.enclosing_function(node)
    if function is not None and STRONG_CALL.search(ctx.text(function)):
        return True
    current = node.parent
    while current is not None and current.type in {
        "member_expression",
        "call_expression",
        "arguments",
        "parenthesized_expression",
        "await_expression",
    }:
        current = current.parent
    if current is None:
        return False
    if current.type == "return_statement":
        return True
    if current.type == "assignment_expression":
        left = current.child_by_field_name("left")
        return left is not None and left.type == "identifier"
    return False


DETECTOR = WeakPasswordHash()
