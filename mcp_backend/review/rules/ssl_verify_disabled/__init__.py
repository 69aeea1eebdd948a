"""Catalog entry: TLS certificate verification disabled."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="ssl-verify-disabled",
    name="TLS certificate verification disabled",
    checklist_item="transport-security",
    severity="high",
    confidence="high",
    cwe=295,
    owasp="A02:2021 Cryptographic Failures",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds TLS verification switched off: `verify=False` on "
            "`requests`/`httpx` calls, sessions and\n"
            "clients, `ssl=False` in aiohttp, `ssl._create_unverified_context()`, "
            "`CERT_NONE`,\n"
            "`check_hostname = False`; in Node, `rejectUnauthorized: false` and\n"
            '`NODE_TLS_REJECT_UNAUTHORIZED = "0"`. Test files are ignored. Severity is '
            "high when it is\n"
            "unconditional, medium in a mode the configuration selects beside a verifying "
            "one (libpq's\n"
            "`sslmode=require`: inside an if/else, or in a function that turns "
            "verification back on)."
        ),
        why=(
            "Without certificate checks anyone on the network path (a café Wi-Fi, "
            "a compromised router, a\n"
            "container neighbour) can impersonate the API you call, read the "
            "credentials you send and\n"
            "change the answers. The fix for a self-signed or internal CA is to "
            "trust that CA, not to trust\n"
            "everyone."
        ),
        example=(
            "```python\n"
            "resp = requests.post(PAYMENT_URL, json=payload, verify=False)\n"
            "client = httpx.AsyncClient(verify=False)\n"
            "```\n"
            "\n"
            "```ts\n"
            "const agent = new https.Agent({ rejectUnauthorized: false });\n"
            "```"
        ),
        instead=(
            "```python\n"
            "resp = requests.post(PAYMENT_URL, json=payload, timeout=10)          "
            "# verified by default\n"
            'client = httpx.AsyncClient(verify=ssl.create_default_context(cafile="i'
            'nternal-ca.pem"))\n'
            "```\n"
            "\n"
            "```ts\n"
            'const agent = new https.Agent({ ca: fs.readFileSync("internal-ca.pem") });\n'
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/295.html",
            "https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification",
        ],
    ),
)
