"""Catalog entry: Sensitive data written to logs."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="sensitive-data-logged",
    name="Sensitive data written to logs",
    checklist_item="logging",
    severity="medium",
    confidence="medium",
    cwe=532,
    owasp="A09:2021 Security Logging and Monitoring Failures",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds log calls (`logger.info`, `logging.warning`, `print`, "
            "structlog, `console.log`,\n"
            "`logger.info` in pino/winston) whose arguments carry a password, "
            "token, secret, API key,\n"
            "`Authorization` header, cookie, card number or the whole header map, "
            "as a variable, an\n"
            "attribute, a dict value or inside an f-string. A constant message "
            "that merely mentions the\n"
            'word (`"invalid password"`) is fine, as are lengths, booleans and masked values; '
            "so is `print`\n"
            "in a command-line program (click, typer, argparse, a `cli/` module), where it is "
            "the output the\n"
            "user asked for, not a log."
        ),
        why=(
            "Logs are copied to aggregation services, shared with support staff "
            "and vendors, kept for\n"
            "months and rarely access-controlled like the database. A password or "
            "bearer token in a log\n"
            "line is a credential anyone with log access can use, and it survives "
            "password changes until\n"
            "the logs expire."
        ),
        example=(
            "```python\n"
            'logger.info(f"login attempt for {email} with password {password}")\n'
            'logger.debug("calling billing API with key %s", settings.billing_api_key)\n'
            'logger.info("headers: %s", dict(request.headers))\n'
            "```\n"
            "\n"
            "```ts\n"
            'console.log("token issued", token);\n'
            'logger.info({ authorization: req.headers.authorization }, "request");\n'
            "```"
        ),
        instead=(
            "```python\n"
            'logger.info("login attempt", extra={"email": email})\n'
            'logger.debug("calling billing API")\n'
            "```\n"
            "\n"
            "```ts\n"
            'logger.info({ userId: user.id }, "token issued");\n'
            'const log = pino({ redact: ["req.headers.authorization", '
            '"req.headers.cookie", "*.password"] });\n'
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/532.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html",
        ],
    ),
)
