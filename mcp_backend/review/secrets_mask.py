"""Mask secrets in anything the review prints: snippets, messages, evidence.

Two layers: known token formats are masked wherever they appear, and for findings of the
hard-coded-secret rule every string literal in the snippet is masked (the rule may have
flagged it by entropy, which no format regex would recognise).
"""

from __future__ import annotations

import re

from mcp_backend.review.model import Finding

SECRET_RULE_IDS = frozenset({"hardcoded-secret"})
MASK = "****"

_TOKEN_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA)[0-9A-Z]{16}\b",  # AWS access key id
        r"\bgh[pousr]_[A-Za-z0-9]{30,}\b",  # GitHub tokens
        r"\bgithub_pat_[A-Za-z0-9_]{40,}\b",
        r"\bglpat-[A-Za-z0-9_\-]{20,}\b",  # GitLab
        r"\bxox[abprse]-[A-Za-z0-9-]{10,}\b",  # Slack
        r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b",  # Stripe
        r"\bwhsec_[A-Za-z0-9]{20,}\b",
        r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_\-]{20,}\b",  # OpenAI / Anthropic style
        r"\bAIza[0-9A-Za-z_\-]{35}\b",  # Google API key
        r"\bSG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}\b",  # SendGrid
        r"\bnpm_[A-Za-z0-9]{36}\b",
        r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}",  # JWT
    )
)
_PRIVATE_KEY = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)", re.DOTALL
)
# scheme://user:password@host -> keep the user, mask the password
_URL_CREDENTIALS = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.\-]*://[^:/@\s'\"]+:)[^@\s'\"]+@")
# password = "literal" / "api_key": "literal" (key names that name a secret)
_SECRET_ASSIGNMENT = re.compile(
    r"(?P<head>\b[\w.\-]*(?:password|passwd|pwd|secret|token|api[_\-]?key|apikey|private[_\-]?key|"
    r"access[_\-]?key|client[_\-]?secret|credentials?)[\w\-]*['\"]?\s*(?:=|:|=>)\s*)"
    r"(?P<quote>[rbuRBU]?['\"`])(?P<value>[^'\"`\n]{4,})(?P=quote)",
    re.IGNORECASE,
)
_STRING_LITERAL = re.compile(r"(?P<quote>['\"`])(?P<value>(?:\\.|(?!(?P=quote)).){4,}?)(?P=quote)")


def _mask_value(value: str) -> str:
    """Keep a short prefix so a reader can tell which secret it was, never enough to use it."""
    keep = 4 if len(value) >= 16 else 0
    return value[:keep] + MASK


def mask_secrets(text: str) -> str:
    """Mask known token formats, private keys, URL passwords and secret-named assignments."""
    if not text:
        return text
    masked = _PRIVATE_KEY.sub("-----BEGIN PRIVATE KEY-----" + MASK, text)
    for pattern in _TOKEN_PATTERNS:
        masked = pattern.sub(lambda m: _mask_value(m.group(0)), masked)
    masked = _URL_CREDENTIALS.sub(lambda m: m.group("head") + MASK + "@", masked)

    def replace_assignment(match: re.Match[str]) -> str:
        value = match.group("value")
        if MASK in value:
            return match.group(0)  # already masked by a token format
        quote = match.group("quote")
        return match.group("head") + quote + _mask_value(value) + quote[-1]

    return _SECRET_ASSIGNMENT.sub(replace_assignment, masked)


def mask_string_literals(text: str) -> str:
    """Mask the content of every string literal (used for hard-coded-secret snippets)."""

    def replace(match: re.Match[str]) -> str:
        value = match.group("value")
        if MASK in value:
            return match.group(0)  # already masked by a token format
        return match.group("quote") + _mask_value(value) + match.group("quote")

    return _STRING_LITERAL.sub(replace, text)


def mask_finding(finding: Finding) -> Finding:
    snippet = mask_secrets(finding.snippet)
    if finding.rule_id in SECRET_RULE_IDS:
        snippet = mask_string_literals(snippet)
    message = mask_secrets(finding.message)
    fix = mask_secrets(finding.fix)
    if (snippet, message, fix) == (finding.snippet, finding.message, finding.fix):
        return finding
    return finding.model_copy(update={"snippet": snippet, "message": message, "fix": fix})
