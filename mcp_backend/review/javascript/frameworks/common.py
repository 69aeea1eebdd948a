"""What a middleware, guard or hook does: authentication, authorization, validation, rate limiting.

Two sources of evidence, most reliable first: the body of a function defined in the project
(it verifies a JWT and answers 401; it compares a role and answers 403), then the call or name
of something from a package (`passport.authenticate`, `rateLimit(...)`, `zValidator(...)`).
"""

from __future__ import annotations

import re

Kind = str  # "auth", "authz", "validation", "rate_limit", "error_handler", "optional_auth"

# Package calls whose meaning is known, by callee (last segments are enough).
_KNOWN_CALLS: tuple[tuple[re.Pattern[str], tuple[Kind, ...]], ...] = (
    (
        re.compile(r"(^|\.)authenticate$|^passport\.|^requiresAuth$|^expressjwt$|^expressJwt$"),
        ("auth",),
    ),
    (
        re.compile(r"^(jwt|bearerAuth|basicAuth|jwk|clerkMiddleware|requireAuth|auth|getAuth)$"),
        ("auth",),
    ),
    (
        re.compile(r"^(ensureLoggedIn|ensureAuthenticated|isAuthenticated|checkJwt|verifyJwt)$"),
        ("auth",),
    ),
    (
        re.compile(
            r"^(celebrate|zValidator|vValidator|tbValidator|arktypeValidator|typiaValidator|validator|sValidator)$"
        ),
        ("validation",),
    ),
    (
        re.compile(r"^(checkSchema|checkExact|oneOf|body|param|query|check|header|cookie)$"),
        ("validation",),
    ),
    (
        re.compile(
            r"^(rateLimit|rateLimiter|RateLimit|slowDown|expressRateLimit|limiter|rateLimiterMiddleware)$"
        ),
        ("rate_limit",),
    ),
)
_AUTH_NAME = re.compile(
    r"auth(?!or)|authenticat|logged_?in|login_?required|verify_?(jwt|token|user|session|auth|access)"
    r"|jwt|protect|require_?(user|login|session|token|signin)|session_?required|check_?(token|user|session)"
    r"|is_?signed_?in|must_?be_?logged|passport|clerk|bearer|ensure_?user|validate_?(token|session|jwt)"
    r"|needs?_?auth|with_?auth|secured?\b|auth_?guard|jwt_?guard",
    re.IGNORECASE,
)
_AUTHZ_NAME = re.compile(
    r"admin|role|permission|authori[sz]e|\bcan[A-Z_]|restrict|owner|ability|acl|policy|scope|superuser|staff|privilege",
)
_AUTHZ_NAME_CI = re.compile(
    r"admin|role|permission|authori[sz]|restrict|owner|acl|polic|scope|superuser|privilege", re.I
)
VALIDATION_NAME = re.compile(r"valid|schema|sanitiz|celebrate|zod|joi\b|yup", re.IGNORECASE)
_LIMIT_NAME = re.compile(r"limit|throttl|brute|slow_?down", re.IGNORECASE)
_NOT_MIDDLEWARE_NAME = re.compile(
    r"(router|routes|controller|service|handler|app|api)$|^(auth|admin|user)s?$", re.IGNORECASE
)
_GUARD_VERB = re.compile(r"(authenticate|authori[sz]e|require|ensure|verify)[A-Z_]")
_OPTIONAL = re.compile(
    r"optional|maybe|soft|try|attach|populate|load|extract|decode|parse", re.IGNORECASE
)

# Body evidence for functions defined in the project.
_VERIFY = re.compile(
    r"\b(jwt|jsonwebtoken|jose)?\.?\s*verify\w*\s*\(|jwtVerify\s*\(|\bverifyIdToken\s*\(|passport\.authenticate"
    r"|\bisAuthenticated\s*\(\)|\bgetSession\s*\(|\bgetServerSession\s*\(|\bvalidateSession\w*\s*\(|\bauth\.api\.getSession"
    r"|\bverifyAccessToken\s*\(|\bverifyToken\s*\(|\bdecodeToken\s*\(|\bvalidateToken\s*\(|\bsession\.user\b"
    # a project check of a presented credential: validateRoomToken(secret, id, token)
    r"|\b(validate|verify|check|is_?valid)\w*(Token|Secret|Signature|ApiKey|Credentials?)\s*\("
    r"|\breq(uest)?\.session\b|\breq(uest)?\.(user|member|account)\b|\bauthorization\b|\bBearer\b"
    r"|\bx-api-key\b|apiKey|api_key|\bcreateHmac\s*\(|\btimingSafeEqual\s*\("
    r"|\bc\.get\(\s*['\"](jwtPayload|user|session)|\breq(uest)?\.isAuthenticated|\bctx\.state\.user\b",
    re.IGNORECASE,
)
_DENY_401 = re.compile(
    r"\b401\b|Unauthori[sz]ed|Unauthenticated|NotAuthenticated|AuthenticationError|redirect\([^)]*login"
    r"|\bthrow\b|\bnext\(\s*(new\s+\w+|err|error|e|createError|httpError|Boom)\b|HTTPException\(\s*401",
)
# A role or permission used in a decision, not merely copied (`req.user = { id, role }`).
_ROLE_CHECK = re.compile(
    r"\b(role|roles|userRole|isAdmin|is_admin|admin|permissions?|scopes?|isSuperuser|isStaff|"
    r"privileges?|accountType|userType)\b\s*(===?|!==?|\)|&&|\|\|)"
    r"|\.(includes|indexOf|some|every|has)\(\s*[\w.]*(role|permission|scope|admin)"
    r"|\b(roles?|permissions?|scopes?|allowedRoles|requiredRoles)\s*\.\s*(includes|indexOf|some|has|every)\("
    r"|!\s*[\w.]*\b(isAdmin|is_admin|isSuperuser|isStaff)\b|\.can\(|\bability\.",
    re.IGNORECASE,
)
# `const session = await validateSession(req, res); if (!session) return; next();`: the check
# answered 401 itself and the middleware stops the chain.
_STOPS_CHAIN = re.compile(r"if\s*\(\s*!\s*[\w.$]+\s*\)\s*\{?\s*return\s*(;|\}|\n)")
_DENY_403 = re.compile(
    r"\b403\b|Forbidden|ForbiddenException|AccessDenied|NotAllowed|Insufficient|\bdenied\b"
    r"|(don'?t|do not|does not|doesn'?t) have (the )?permissions?|no permissions?\b|not permitted",
    re.IGNORECASE,
)
_OWNERSHIP = re.compile(
    r"(owner\w*|user_?id|author\w*|created_?by)\s*(!==?|===?)\s*\w*\.?(user|currentUser|auth|session)"
    r"|(req(uest)?\.user|currentUser|user|auth|session)\.(id|_id|sub|userId)\s*(!==?|===?)"
    r"|(!==?|===?)\s*(req(uest)?\.user|ctx\.state\.user|currentUser|c\.get\([^)]*\))\.?(id|_id|sub|userId)\b"
    r"|\b(user_?id|owner_?id|author_?id|owner|user)\s*:\s*(req(uest)?\.user|ctx\.state\.user|currentUser|user|session\.user|auth|payload|c\.get\([^)]*\))[\.\w]*\b"
    r"|\.equals\(\s*req\.user"
    r"|\beq\(\s*\w+\.(owner|user|author|account|tenant)Id\s*,"
    r"|\b(owner|user|author|account|tenant)_?id\s*=\s*(\$\d+|\?|:\w+)[^;]*(req(uest)?\.user|res\.locals\.user|ctx\.state\.user|currentUser|session)",
    re.IGNORECASE,
)
_BODY_VALIDATION = re.compile(
    r"\.safeParse(Async)?\s*\(|\.parse(Async)?\s*\(\s*(req|request|c\.req|ctx|body|await)"
    r"|\bvalidationResult\s*\(|\.validate(Async)?\s*\(|\bJoi\.|\bv\.parse\s*\(|\bparse\s*\(\s*\w+Schema"
    r"|\bvalidateOrReject\s*\(|\bvalidateSync\s*\(|\bplainToInstance\s*\(|c\.req\.valid\s*\(|\bajv\b|\.is\w+\(\)",
)


_IDENTITY_WORDS = (
    "verify",
    "session",
    "user",
    "authoriz",
    "bearer",
    "api",
    "passport",
    "jwt",
    "token",
    "auth",
    "role",
    "admin",
    "permission",
    "scope",
    "owner",
    "author",
)
_OUTCOME_WORDS = (
    "401",
    "403",
    "400",
    "422",
    "429",
    "unauthor",
    "unauthent",
    "forbidden",
    "throw",
    "next(",
    "redirect",
    "invalid",
    "denied",
    "rate",
    "limit",
)


_STRONG_AUTH_NAME = re.compile(
    r"^((require|ensure|must|check|verify|validate|is|has)_?(auth\w*|logged_?in|login|user|jwt|"
    r"token|session|signed_?in|valid_?token)|auth|authenticate|authenticated|protect|protected|"
    r"jwt_?auth|auth_?required|login_?required|passport_?jwt)(_?middleware|_?mw)?$",
    re.IGNORECASE,
)
_STRONG_AUTHZ_NAME = re.compile(
    r"^(require|ensure|must|check|verify|is|has)_?(admin|role|roles|permission|permissions|owner|"
    r"super_?user|staff)\w*$|^(admin_?only|authorize|restrict_?to|roles?_?required|permit)$",
    re.IGNORECASE,
)
# Package middleware that has nothing to do with access control.
_HARMLESS_ROOTS = frozenset(
    {
        "helmet",
        "cors",
        "morgan",
        "compression",
        "bodyParser",
        "cookieParser",
        "express",
        "csrf",
        "csurf",
        "session",
        "serveStatic",
        "favicon",
        "logger",
        "pino",
        "pinoHttp",
        "multer",
        "upload",
    }
)


def strong_name_kinds(name: str) -> tuple[Kind, ...]:
    """For project functions whose bodies show nothing: only unmistakable names count."""
    last = name.split("(", maxsplit=1)[0].rsplit(".", maxsplit=1)[-1]
    if _STRONG_AUTHZ_NAME.match(last):
        return ("authz",)
    if _STRONG_AUTH_NAME.match(last):
        return ("auth",)
    return ()


def classify_name(name: str) -> tuple[Kind, ...]:
    """What a middleware probably does, judged from its name alone (package middleware)."""
    if name.split(".", maxsplit=1)[0] in _HARMLESS_ROOTS:
        return ()
    last = name.rsplit(".", maxsplit=1)[-1]
    if (
        not last
        or (
            _NOT_MIDDLEWARE_NAME.search(last)
            and not _LIMIT_NAME.search(last)
            and not _GUARD_VERB.match(last)  # authenticateAdminApi is a guard, not an api
        )
    ) and last.lower() not in {"auth", "admin", "requireauth"}:
        return ()
    kinds: list[Kind] = []
    if _OPTIONAL.search(last):
        return ("optional_auth",) if _AUTH_NAME.search(last) else ()
    if _LIMIT_NAME.search(last):
        kinds.append("rate_limit")
    elif _AUTHZ_NAME.search(last) or _AUTHZ_NAME_CI.search(last):
        kinds.append("authz")
    elif _AUTH_NAME.search(last):
        kinds.append("auth")
    elif VALIDATION_NAME.search(last):
        kinds.append("validation")
    return tuple(kinds)


def classify_call(callee: str) -> tuple[Kind, ...]:
    """A middleware built by a call: `passport.authenticate('jwt')`, `rateLimit({...})`."""
    if callee.split(".", maxsplit=1)[0] in _HARMLESS_ROOTS:
        return ()
    last = callee.rsplit(".", maxsplit=1)[-1]
    for pattern, kinds in _KNOWN_CALLS:
        if pattern.search(callee) or pattern.search(last):
            return kinds
    return classify_name(callee)


def is_error_middleware(params: list[str]) -> bool:
    """Express error middleware: `(err, req, res, next)`."""
    return len(params) == 4 and params[0] in {"err", "error", "e", "_err", "exception"}


def classify_body(body: str, params: list[str]) -> tuple[Kind, ...]:
    """What a project-defined middleware does, judged from its source text."""
    kinds: list[Kind] = []
    if is_error_middleware(params):
        return ("error_handler",)
    lower = body.lower()
    # Substring checks first: the regular expressions below are too slow to run on every body.
    if not any(word in lower for word in _OUTCOME_WORDS):
        return ()
    denies = (
        _DENY_401.search(body) is not None
        or _DENY_403.search(body) is not None
        # Only for one middleware function: in a class body the early return may be a helper's.
        or (
            bool(params)
            and _STOPS_CHAIN.search(body) is not None
            and "next()" in body.replace(" ", "")
        )
    )
    about_identity = any(word in lower for word in _IDENTITY_WORDS)
    if denies and about_identity and _VERIFY.search(body):
        kinds.append("auth")
    role_check = about_identity and denies and _ROLE_CHECK.search(body)
    if role_check or (denies and about_identity and _OWNERSHIP.search(body)):
        kinds.append("authz")
    if "valid" in lower or "parse" in lower or "joi" in lower:
        validated = _BODY_VALIDATION.search(body)
    else:
        validated = None
    if validated and re.search(r"\b400\b|\b422\b|BadRequest|Validation|errors?\b", body):
        kinds.append("validation")
    if re.search(r"rate.?limit|too many requests|\b429\b", body, re.IGNORECASE):
        kinds.append("rate_limit")
    if "auth" not in kinds and about_identity and _LOADS_IDENTITY.search(body):
        kinds.append("optional_auth")
    return tuple(kinds)


def ownership_in(body: str) -> bool:
    return _OWNERSHIP.search(body) is not None


def validation_in(body: str) -> bool:
    return _BODY_VALIDATION.search(body) is not None


_CALLER_CHECK = re.compile(
    r"\breq(uest)?\.(user|session|isAuthenticated)\b|\bctx\.state\.user\b|headers\.authorization"
    r"|header\(\s*['\"]authorization"
    r"|c\.get\(\s*['\"](jwtPayload|user|session)|\bgetSession\s*\(|\bgetServerSession\s*\("
    r"|\bjwt\.verify\s*\(|\bjwtVerify\s*\(|\bverifyToken\s*\(|\bverifyIdToken\s*\(",
    re.IGNORECASE,
)
# A project helper handed the request that answers 401 itself:
# `const session = validateSession(req, res); if (!session) return;`
_AUTH_HELPER_CALL = re.compile(
    r"\b(validate|verify|check|require|ensure|get|authenticate)_?(session|user|auth\w*|token|caller"
    r"|member|account|identity)\w*\s*\(\s*(req|request|ctx|c)(?=\s*[,)])",
    re.IGNORECASE,
)
# Middleware that puts the caller on the request when there is one, and never refuses:
# routes behind it may require the identity in their handler.
_LOADS_IDENTITY = re.compile(
    r"\b(req(uest)?|res\.locals|ctx\.state)\.(user|member|account|currentUser|identity|auth)\s*=(?!=)"
    r"|Object\.assign\(\s*req\s*,\s*\{\s*(user|member|account)\b"
    r"|\bc\.set\(\s*['\"](user|member|session|jwtPayload)",
)


def auth_check_in(body: str) -> bool:
    """A handler that checks the caller itself (`if (!req.user) return res.status(401)...`).
    A login handler that verifies a password and answers 401 is not one."""
    if _CALLER_CHECK.search(body) is not None and re.search(
        r"\b401\b|Unauthori[sz]ed|Unauthenticated", body
    ):
        return True
    helper = _AUTH_HELPER_CALL.search(body)
    if helper is None:
        return False
    # Handed the response too, the helper answers 401 itself; otherwise the handler must stop.
    answers = re.match(r"\s*,\s*(res|response|reply|c|ctx)\b", body[helper.end() :]) is not None
    return answers or _STOPS_CHAIN.search(body) is not None


def role_check_in(body: str) -> bool:
    return _ROLE_CHECK.search(body) is not None and (
        _DENY_403.search(body) is not None or _DENY_401.search(body) is not None
    )
