"""What one function body does about its caller and the request, as a `BodySummary`.

Used for handlers that are functions of their own (Next.js route handlers, server actions,
tRPC resolvers and middleware): the body is read for what it does (reads a session and refuses
without one), and the names it calls are kept so the linker can follow helpers defined in
other modules (`await requireUser()`), never judging them by their names.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from mcp_backend.review.facts import BodySummary
from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.javascript.frameworks import common
from mcp_backend.review.javascript.frameworks.facts import MAX_CLASSIFIED_BODY

# The body reads the caller itself (rather than through a function it calls).
_READS_IDENTITY = re.compile(
    r"\b(ctx|opts\.ctx|context)\s*\.\s*(session|user|auth|userId|currentUser|identity)\b"
    r"|\bcookies\(\)\s*\.\s*get\(|\.cookies\s*\.\s*get\(|\bcookieStore\s*\.\s*get\("
    r"|headers\(\)\s*\.\s*get\(\s*['\"]authorization|\.headers\s*\.\s*get\(\s*['\"]authorization"
    r"|\.auth\s*\.\s*get(User|Session|Claims)\(|\bauth\.api\.getSession\("
    r"|\bjwtVerify\s*\(|\bjwt\.verify\s*\(|\breq(uest)?\.(session|user|auth)\b|\bsession\?*\.user\b",
    re.IGNORECASE,
)
# It refuses a caller without identity: UNAUTHORIZED / 401, a redirect to sign-in, or an early
# throw/return/redirect when the session or user is missing (`if (!session) redirect(...)`).
_REFUSES_ANONYMOUS = re.compile(
    r"UNAUTHORIZED|\b401\b|Unauthori[sz]ed|Unauthenticated|\bunauthorized\s*\("
    r"|redirect\s*\(\s*(new\s+URL\(\s*)?['\"`][^'\"`]*(login|sign|auth)"
    r"|if\s*\(\s*!\s*\(?\s*(await\s+)?[\w$.?]*(session|user|userId|auth|token|claims|identity)\w*"
    r"\b[^)]{0,40}\)\s*\{?\s*(throw|return|redirect|notFound|unauthorized|forbidden)",
    re.IGNORECASE,
)
_OWNERSHIP = re.compile(
    r"\b((?i:user_?id|owner_?id|author_?id|created_?by_?id|account_?id))\s*:\s*(ctx\.)?(session\??\.)?"
    r"(user\??\.)?(id|userId)\b(?!\s*:)"
    r"|\bid\s*:\s*(ctx\.(session\??\.)?|session\??\.)user\??\.id\b"
    r"|\b(ctx\.)?(session\??\.)?user\??\.id\s*[!=]==?|[!=]==?\s*(ctx\.)?(session\??\.)?user\??\.id\b",
)
_RATE_LIMIT = re.compile(
    r"rate.?limit|\.limit\(\s*\w*(ip|id|key|identifier)|TOO_MANY_REQUESTS|\b429\b", re.I
)
# A schema parsing input (zod, valibot, arktype, yup, superstruct), not JSON.parse / Date.parse.
_SCHEMA_PARSE = re.compile(
    r"\)\s*\.\s*(safeParse|parse|validate)(Async|Sync)?\s*\(|\.safeParse(Async)?\s*\("
    r"|\b\w*(schema|Schema|Input|Validator|Body|Params)\s*\.\s*(parse|validate)(Async|Sync)?\s*\("
    r"|\b(v|valibot)\.(safe)?parse\s*\(|\b(assert|create|validate)\(\s*[\w.]+\s*,\s*\w*[sS]truct"
)
_READS_REQUEST = re.compile(
    r"\b(req|request)\s*\.\s*(json|formData|text)\s*\(|\b(req|request)\s*\.\s*(body|query)\b"
    r"|\bsearchParams\s*\.\s*get\(|\bformData\s*\.\s*get\("
)
# `req.body` / `req.query` used as a whole value (an argument, an object field), not read.
_REQUEST_VALUE = re.compile(r"\b(?:req|request)\s*\.\s*(?:body|query)\b(\s*[,})\]])?")
_REQUEST_READ_OTHER = re.compile(
    r"\b(req|request)\s*\.\s*(json|formData|text)\s*\(|\bsearchParams\s*\.\s*get\("
    r"|\bformData\s*\.\s*get\("
)
_LOADS_BY_ID = re.compile(
    r"\b(findUnique\w*|findFirst\w*|findById|findOne\w*|delete|update|deleteMany|updateMany)\s*\("
    r"[^;]{0,200}?(\bwhere\s*:\s*\{\s*id\s*[,}]"
    r"|\bid\s*:\s*(?:(?:String|Number|parseInt)\()?(input|params|body|data|req\.query|req\.body)\b"
    r"|\b(input|params)\??\.\w*[iI]d\b)"
    r"|\beq\(\s*\w+\.id\s*,\s*(input|params|id)\b",
    re.DOTALL,
)
# An update or delete whose record is picked by an id from the client: Prisma-style `where`
# objects, drizzle `.where(eq(t.id, input.id))`, mongoose `findByIdAndUpdate(input.id, ...)`.
_CLIENT_ID = (
    r"(?:(?:String|Number|parseInt|BigInt)\()?"
    r"(?:input|params|body|data|args|req\.query|req\.body)\??\.\w*[iI]d\b"
)
_CHANGES_BY_ID = re.compile(
    r"\b(update|delete|upsert|updateMany|deleteMany|remove|destroy)\s*\(\s*\{[^;]{0,200}?"
    r"\bwhere\s*:\s*\{\s*(id\s*[,}]|id\s*:\s*(?:" + _CLIENT_ID + r"|id\b|input\b))"
    r"|\b(update|delete)\s*\([^;]{0,300}?\.where\(\s*eq\(\s*[\w.]+\.id\s*,\s*(?:"
    + _CLIENT_ID
    + r"|id\b)"
    r"|\bfindByIdAnd(Update|Delete|Remove)\s*\(\s*(?:" + _CLIENT_ID + r"|id\b)",
    re.DOTALL,
)
_CALLEE = re.compile(
    r"(?<![\w$.])([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)\s*(?:<[^<>()]*>)?\("
)
_NOT_CALLS = frozenset(
    {"if", "for", "while", "switch", "return", "catch", "function", "await", "typeof", "new"}
)
MAX_CALLS = 40


def summarize(ctx: JsFileContext, function: Node, params: list[str] | None = None) -> BodySummary:
    body = ctx.text(function)
    line = function.start_point[0] + 1
    if len(body) > MAX_CLASSIFIED_BODY:
        return BodySummary(line=line)
    return summarize_text(body, line, params if params is not None else ctx.param_names(function))


def summarize_text(body: str, line: int, params: list[str]) -> BodySummary:
    calls: list[str] = []
    for match in _CALLEE.finditer(body):
        name = "".join(match.group(1).split())
        if body[max(0, match.start() - 9) : match.start()].rstrip().endswith("function"):
            continue  # a declaration, not a call
        if name.split(".")[0] not in _NOT_CALLS and name not in calls:
            calls.append(name)
            if len(calls) >= MAX_CALLS:
                break
    reads_request = _READS_REQUEST.search(body) is not None
    request_whole = (
        reads_request
        and _REQUEST_READ_OTHER.search(body) is None
        and all(match.group(1) is not None for match in _REQUEST_VALUE.finditer(body))
    )
    reads_identity = _READS_IDENTITY.search(body) is not None
    denies = _REFUSES_ANONYMOUS.search(body) is not None
    return BodySummary(
        line=line,
        calls=calls,
        reads_identity=reads_identity,
        denies=denies,
        auth_check=reads_identity and denies,
        role_check=common.role_check_in(body),
        ownership=_OWNERSHIP.search(body) is not None or common.ownership_in(body),
        validation=common.validation_in(body) or _SCHEMA_PARSE.search(body) is not None,
        rate_limit=_RATE_LIMIT.search(body) is not None,
        reads_request=reads_request,
        request_whole=request_whole,
        loads_by_id=_LOADS_BY_ID.search(body) is not None,
        changes_by_id=_CHANGES_BY_ID.search(body) is not None,
    )
