"""Catalog entry: MD5/SHA-1 protecting something against an attacker."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="weak-hash",
    name="MD5 or SHA-1 used for a security purpose",
    checklist_item="secrets",
    severity="medium",
    confidence="medium",
    cwe=328,
    owasp="A02:2021 Cryptographic Failures",
    languages=["python"],
    doc=RuleDoc(
        what=(
            "Finds `hashlib.md5`/`hashlib.sha1` (and `hashlib.new('md5'|'sha1')`) when the digest\n"
            "protects something against an attacker:\n"
            "- the hashed value or the name the digest is stored in is a token, signature,\n"
            "  secret, API key, session id, nonce, OTP, reset/verification code, HMAC or MAC;\n"
            "- the digest is compared with `hmac.compare_digest` (a home-made signature check);\n"
            "`hmac.new(key, msg, hashlib.sha1)` is not reported: HMAC's security does not rest on\n"
            "the digest's collision resistance (prefer SHA-256 in new code all the same).\n"
            "Passwords are the `weak-password-hash` rule's (any fast digest is wrong there).\n"
            "**Not a finding**: checksums of files or uploads, cache keys, ETags, content\n"
            "addressing, de-duplication, sharding, `usedforsecurity=False` (Python 3.9+ says so\n"
            "explicitly), and digests whose purpose cannot be told from the names: these are\n"
            "integrity against accidents, where MD5 is fine. A benchmark that counts every\n"
            "md5/sha1 call as vulnerable scores such uses as false negatives of this rule;\n"
            "that is the intended trade-off, so real projects are not flooded."
        ),
        why=(
            "MD5 and SHA-1 collide cheaply (chosen-prefix collisions): two inputs with the same\n"
            "digest can be built, so a signature or integrity check an attacker can target is\n"
            "forgeable. Tokens derived from a fast hash of guessable data are brute-forced."
        ),
        example=(
            "```python\n"
            "signature = hashlib.md5(secret + payload).hexdigest()\n"
            "if hmac.compare_digest(hashlib.sha1(body).hexdigest(), request.headers['X-Sig']):\n"
            "    ...\n"
            "```"
        ),
        instead=(
            "```python\n"
            "signature = hmac.new(secret, payload, hashlib.sha256).hexdigest()\n"
            "etag = hashlib.md5(content, usedforsecurity=False).hexdigest()  # not security\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/328.html",
            "https://docs.python.org/3/library/hashlib.html#hashlib.new",
        ],
    ),
)
