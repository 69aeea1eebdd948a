"""Catalog entry: Internal error details returned to clients."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="error-details-leak",
    name="Internal error details returned to clients",
    checklist_item="error-handling",
    severity="medium",
    confidence="medium",
    cwe=209,
    owasp="A04:2021 Insecure Design",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds exception text, reprs and stack traces sent back in responses: "
            "`str(e)`, `repr(e)`,\n"
            "`e.args`, `traceback.format_exc()` inside "
            "`HTTPException(detail=...)`, `jsonify(...)`,\n"
            "`JSONResponse(...)`, `Response(...)`, a returned dict, or "
            "`res.status(500).json({ error:\n"
            "err.message, stack: err.stack })`. Only broad catches (`except "
            "Exception`, bare `except`,\n"
            "database and driver errors) and global error handlers are considered, "
            "since a domain\n"
            "exception whose message was written for users is fine to return. "
            "Logging the error is never\n"
            "flagged. A tuple that names data errors (`ValueError`, `KeyError`, a zip or JSON\n"
            "decode error) beside `TypeError`/`AttributeError` is a validation catch, not a broad\n"
            "one. A `try` that sends a request to another HTTP service (requests, httpx, aiohttp,\n"
            "`urlopen`, `raise_for_status()`, directly or through a helper of the same module;\n"
            "`fetch`, axios, got in JS) relays that service's failure on purpose, as a proxy or\n"
            "API wrapper does, when the answer names the failed operation in its own words\n"
            '(`f"Fetching the index failed: {e}"`): that is not reported; the bare error of such\n'
            "a request is reported at low, tracebacks as always. Answers sent with 502 or 504\n"
            "name a failed upstream and are not reported; with 503 they are reported at low. In a\n"
            "JS error handler, the message sent only in the branch for errors of a known class or\n"
            "with their own HTTP status (`err instanceof ApiError`, `err.status`), while every\n"
            "other error gets a fixed message, is the API's error contract and is not reported."
        ),
        why=(
            "Exception messages and tracebacks describe the inside of the system: "
            "SQL statements and table\n"
            "names, file paths, library versions, hostnames, sometimes data from "
            "other users or secrets in\n"
            "connection strings. Attackers use them to map the application and "
            "tune injection payloads.\n"
            "Clients need a stable error code and a message written for them; "
            "operators need the full\n"
            "detail in the logs, correlated by a request id."
        ),
        example=(
            "```python\n"
            "try:\n"
            "    order = service.place(cart)\n"
            "except Exception as exc:\n"
            "    raise HTTPException(status_code=500, detail=str(exc))\n"
            "```\n"
            "\n"
            "```ts\n"
            "app.use((err, req, res, next) => {\n"
            "  res.status(500).json({ message: err.message, stack: err.stack });\n"
            "});\n"
            "```"
        ),
        instead=(
            "```python\n"
            "try:\n"
            "    order = service.place(cart)\n"
            "except PaymentDeclined as exc:            # a domain error meant for the user\n"
            "    raise HTTPException(status_code=402, detail=exc.user_message) from exc\n"
            "except Exception:\n"
            '    logger.exception("placing order failed", extra={"cart_id": cart.id})\n'
            '    raise HTTPException(status_code=500, detail="Internal error") from None\n'
            "```\n"
            "\n"
            "```ts\n"
            "app.use((err, req, res, next) => {\n"
            '  logger.error({ err, requestId: req.id }, "unhandled error");\n'
            '  res.status(500).json({ error: { code: "internal_error", message: '
            '"Internal error" } });\n'
            "});\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/209.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Error_Handling_Cheat_Sheet.html",
        ],
    ),
)
