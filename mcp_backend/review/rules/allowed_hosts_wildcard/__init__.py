"""Catalog entry: Django ALLOWED_HOSTS accepts any host."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="allowed-hosts-wildcard",
    name="Django ALLOWED_HOSTS accepts any host",
    checklist_item="transport-security",
    severity="medium",
    confidence="high",
    cwe=16,
    owasp="A05:2021 Security Misconfiguration",
    languages=["python"],
    doc=RuleDoc(
        what=(
            'Finds `ALLOWED_HOSTS = ["*"]` (or a list containing `"*"`, or an '
            "environment fallback of\n"
            '`"*"`) in a Django settings module that is not a development, local '
            "or test settings file."
        ),
        why=(
            "`ALLOWED_HOSTS` is Django's defence against Host header attacks. With "
            "`*`, a forged Host\n"
            "header is trusted when Django builds absolute URLs: password-reset "
            "e-mails can carry links to\n"
            "an attacker's domain (and the reset token with them), and caches can "
            "be poisoned with\n"
            "attacker-controlled links."
        ),
        example=('```python\n# settings/production.py\nDEBUG = False\nALLOWED_HOSTS = ["*"]\n```'),
        instead=(
            "```python\n"
            'ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")          # e.g. '
            '"api.example.com"\n'
            "# or explicitly:\n"
            'ALLOWED_HOSTS = ["api.example.com", ".example.com"]\n'
            "```"
        ),
        references=[
            "https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts",
            "https://docs.djangoproject.com/en/stable/topics/security/#host-header-validation",
        ],
    ),
)
