"""Catalog entry: JWT not verified."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="jwt-unverified",
    name="JWT not verified",
    checklist_item="jwt",
    severity="critical",
    confidence="high",
    cwe=347,
    owasp="A02:2021 Cryptographic Failures",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds JSON Web Tokens decoded without checking them: PyJWT `jwt.decode(...,\n"
            'options={"verify_signature": False})` or `verify=False`, an '
            "`algorithms` list that allows\n"
            "`none`, `jwt.decode` without `algorithms=` (medium: the accepted "
            "algorithm then depends on the\n"
            "token or the library version), expiry checks switched off (`verify_exp: False`,\n"
            "`ignoreExpiration: true`), python-jose `get_unverified_claims` used "
            "to read the caller's\n"
            "identity, and `jsonwebtoken.decode()` used where `verify()` is "
            "needed. Also tokens created\n"
            "from a literal payload without an `exp` claim (low)."
        ),
        why=(
            "A JWT is only as trustworthy as its signature check. Without it anyone can write\n"
            '`{"sub": "admin"}`, base64 it and be that user. Allowing `none`, or '
            "letting the token pick the\n"
            "algorithm, enables the classic algorithm-confusion attacks; tokens "
            "that never expire cannot be\n"
            "revoked once stolen."
        ),
        example=(
            "```python\n"
            'claims = jwt.decode(token, options={"verify_signature": False})\n'
            "claims = jwt.decode(token, SECRET_KEY)                 # no algorithms=\n"
            "```\n"
            "\n"
            "```ts\n"
            "const claims = jwt.decode(req.headers.authorization.slice(7));  // no "
            "verification\n"
            'jwt.verify(token, secret, { algorithms: ["HS256", "none"] });\n'
            "```"
        ),
        instead=(
            "```python\n"
            "claims = jwt.decode(\n"
            '    token, settings.jwt_secret, algorithms=["HS256"],\n'
            '    options={"require": ["exp", "sub"]},\n'
            ")\n"
            "```\n"
            "\n"
            "```ts\n"
            "const claims = jwt.verify(token, process.env.JWT_SECRET!, { "
            'algorithms: ["HS256"] });\n'
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/347.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html",
            "https://pyjwt.readthedocs.io/en/stable/api.html",
        ],
    ),
)
