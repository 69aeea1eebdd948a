"""Request data reaching a dangerous call, found by the taint engine (review/taint/).

The flows are computed when the Python files are linked (scan.link_project puts them in
`index.facts["taint_flows"]`); this detector turns each into a finding of its category's rule
(sql-string-query, command-injection, code-eval, path-traversal, open-redirect, ssrf,
unsafe-deserialization, reflected-xss), its message carrying the path from the handler.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mcp_backend.review.model import Finding, ProjectIndex
from mcp_backend.review.rules import all_rules
from mcp_backend.review.rules.ssrf import RULE
from mcp_backend.review.taint import model as m

_FIX = {
    m.SQL: "Pass values as bound parameters (execute(sql, params), text(':name') with a dict) "
    "or use the ORM; pick identifiers from an allow-list.",
    m.CMD: "Run a fixed program with an argument list and no shell; validate values against "
    "an allow-list; shlex.quote if a shell is unavoidable.",
    m.CODE: "Never evaluate request data; parse it (json, ast.literal_eval) or map it to "
    "functions through a dict.",
    m.SSTI: "Render a fixed template file and pass request data as variables.",
    m.PATH: "Use secure_filename/basename and check the resolved path stays inside the base "
    "directory (Path.resolve().is_relative_to(base)); or send_from_directory.",
    m.REDIRECT: "Redirect only to local paths or allow-listed hosts "
    "(url_has_allowed_host_and_scheme).",
    m.SSRF: "Fix the scheme and host, or check the host against an allow-list before the call.",
    m.DESER: "Accept JSON validated by a schema; never unpickle client bytes.",
    m.XSS: "Render a template with autoescape, or escape the value (markupsafe.escape).",
}


# One step lower for a flow that crosses project functions (OWASP risk rating: likelihood
# times impact). Each function the value passes through is a place where it may be checked in a
# way the summaries do not model (a serializer's validation, an allow-list match, a fixed
# suffix, an escaping branch), so such a flow is less likely to be exploitable than one inside
# a single handler.
_ONE_STEP_LOWER = {"critical": "high", "high": "medium", "medium": "medium", "low": "low"}


class TaintFlows:
    rule = RULE

    def check(self, index: ProjectIndex) -> Iterator[Finding]:
        flows: list[dict[str, Any]] = index.facts.get("taint_flows", [])
        if not flows:
            return
        rules = all_rules()
        for flow in flows:
            kind = flow["kind"]
            if kind in m.PRIVILEGED_FEATURE and flow.get("privileged"):
                # A role-checked caller (an admin) choosing what the server fetches or which
                # of its files it handles: the feature, not an attack on it.
                continue
            rule = rules.get(m.RULE_FOR_KIND[kind])
            if rule is None:
                continue
            steps = flow.get("steps", [])
            path = " → ".join(f"{s['text']} ({s['file']}:{s['line']})" for s in steps)
            severity = m.SEVERITY_FOR_KIND[kind]
            confidence = "high"
            if len(steps) > 2:
                severity, confidence = _ONE_STEP_LOWER[severity], "medium"
            if flow.get("unrouted"):
                # The "request data" is a parameter of a function taken for a view because it
                # takes `request` first, and no URL pattern we read routes to it: a helper
                # whose callers we did not see, or a view routed where we could not look.
                severity, confidence = "medium", "low"
                path += (
                    f" (if {flow['view_by_shape']}() is a view: it takes `request` first, but "
                    "no URL pattern found routes to it)"
                )
            yield Finding(
                rule_id=rule.id,
                checklist_item=rule.checklist_item,
                severity=severity,
                confidence=confidence,
                message=f"Request data reaches {m.KIND_WORDS[kind]} ({flow['sink']}): {path}",
                file=flow["file"],
                line=flow["line"],
                column=flow["column"],
                end_line=flow.get("end_line"),
                snippet=flow.get("snippet", ""),
                fix=_FIX[kind],
                cwe=rule.cwe,
            )


DETECTOR = TaintFlows()
