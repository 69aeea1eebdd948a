from __future__ import annotations

from mcp_backend.review.checklist import build_checklist
from mcp_backend.review.model import (
    CHECKLIST_ITEM_IDS,
    ChecklistVerdict,
    Evidence,
    Finding,
    ProjectIndex,
    Protection,
    Route,
    Signal,
)


def finding(item: str, severity: str, rule: str = "some-rule", line: int = 3) -> Finding:
    return Finding.model_validate(
        {
            "rule_id": rule,
            "checklist_item": item,
            "severity": severity,
            "confidence": "high",
            "message": "m",
            "file": "app/api.py",
            "line": line,
        }
    )


def present(detail: str) -> Protection:
    return Protection(
        status="present", evidence=[Evidence(kind="dependency", detail=detail, file="app/api.py")]
    )


def route(method: str, path: str, **kwargs: object) -> Route:
    return Route.model_validate(
        {"method": method, "path": path, "handler": "h", "file": "app/api.py", "framework": "x"}
        | kwargs
    )


def verdicts(
    findings: list[Finding] | None = None,
    index: ProjectIndex | None = None,
    signals: list[Signal] | None = None,
    covered: set[str] | None = None,
    files: int = 10,
) -> dict[str, ChecklistVerdict]:
    built = build_checklist(
        findings or [],
        index or ProjectIndex(root="/p", test_files=["tests/test_api.py"], source_files=["a.py"]),
        signals or [],
        files_scanned=files,
        covered_items=covered,
    )
    return {v.item: v for v in built}


def test_one_verdict_per_item_in_checklist_order() -> None:
    assert list(verdicts()) == list(CHECKLIST_ITEM_IDS)


def test_high_finding_fails_lower_one_warns_and_reason_counts() -> None:
    result = verdicts(
        [
            finding("sql-injection", "high", "sql-string-query", 7),
            finding("sql-injection", "medium", "sql-string-query", 9),
            finding("logging", "low", "sensitive-data-logged"),
        ]
    )
    sql = result["sql-injection"]
    assert sql.verdict == "fail"
    assert sql.findings == 2
    assert sql.reason == (
        "2 findings (1 high, 1 medium) from sql-string-query; first at app/api.py:7"
    )
    assert sql.evidence == ["app/api.py:7", "app/api.py:9"]
    assert result["logging"].verdict == "warning"


def test_signals_make_a_pass_and_absence_means_not_applicable() -> None:
    signal = Signal(item="sql-injection", detail="parameterised query", file="db.py", line=4)
    result = verdicts(signals=[signal])
    assert result["sql-injection"].verdict == "pass"
    assert result["sql-injection"].evidence == ["db.py:4 parameterised query"]
    assert verdicts()["sql-injection"].verdict == "not_applicable"
    assert verdicts()["jwt"].verdict == "not_applicable"
    assert verdicts()["secrets"].verdict == "pass"  # checked everywhere, nothing found


def test_items_no_rule_covers_are_unknown() -> None:
    result = verdicts(covered={"sql-injection"})
    assert result["secrets"].verdict == "unknown"
    assert "no rule checks this" in result["secrets"].reason
    assert result["sql-injection"].verdict == "not_applicable"


def test_nothing_analysed_is_unknown() -> None:
    assert {v.verdict for v in verdicts(files=0).values()} == {"unknown"}


def test_no_routes_makes_route_items_not_applicable() -> None:
    result = verdicts()
    for item in ("authentication", "authorization", "input-validation", "rate-limiting"):
        assert result[item].verdict == "not_applicable"
        assert result[item].reason == "no HTTP routes found"


def test_route_evidence_counts_for_route_items() -> None:
    index = ProjectIndex(
        root="/p",
        routes=[
            route("POST", "/orders", auth=present("Depends(get_current_user)")),
            route("GET", "/health", public_by_design="health check"),
            route(
                "POST",
                "/login",
                public_by_design="login",
                rate_limit=present("@limiter.limit('5/minute')"),
                reads_request_data=True,
                validation=present("LoginForm"),
            ),
        ],
        test_files=["tests/test_api.py"],
    )
    result = verdicts(index=index)
    auth = result["authentication"]
    assert auth.verdict == "pass"
    assert auth.reason == "1 of 1 route shows authentication; 2 public by design; no findings"
    assert auth.evidence == ["app/api.py:1 Depends(get_current_user) (POST /orders)"]
    assert result["rate-limiting"].verdict == "pass"
    assert result["input-validation"].verdict == "pass"
    assert result["authorization"].verdict == "not_applicable"


def test_unknown_protection_is_unknown_not_a_guess() -> None:
    index = ProjectIndex(
        root="/p",
        routes=[
            route("POST", "/orders", auth=Protection(status="unknown", note="gateway")),
            route("DELETE", "/orders/{id}", auth=present("login_required")),
        ],
    )
    auth = verdicts(index=index)["authentication"]
    assert auth.verdict == "unknown"
    assert auth.reason.startswith("authentication could not be determined for 1 of 2 routes")
    assert "(e.g. POST /orders: gateway)" in auth.reason


def test_no_routes_with_unparsed_wiring_is_unknown_not_not_applicable() -> None:
    note = "app/urls.py could not be parsed (syntax error at line 3: x) and may mount routes"
    index = ProjectIndex(root="/p", unread_wiring=[note])
    result = verdicts(index=index)
    assert result["authentication"].verdict == "unknown"
    assert result["authentication"].reason == f"no routes found, but {note}"
    assert verdicts(index=ProjectIndex(root="/p"))["authentication"].verdict == "not_applicable"


def test_route_findings_override_evidence() -> None:
    index = ProjectIndex(root="/p", routes=[route("POST", "/orders")])
    result = verdicts([finding("authentication", "high", "route-missing-auth")], index=index)
    assert result["authentication"].verdict == "fail"
    assert result["authentication"].rule_ids == ["route-missing-auth"]


def test_tests_item() -> None:
    no_tests = ProjectIndex(root="/p", source_files=["app.py"])
    assert verdicts(index=no_tests)["tests"].verdict == "warning"
    tested = ProjectIndex(
        root="/p",
        routes=[route("POST", "/login", tested=True), route("DELETE", "/x", tested=False)],
        test_files=["tests/test_auth.py"],
        source_files=["app.py"],
    )
    result = verdicts(index=tested)["tests"]
    assert result.verdict == "pass"
    assert "1 of 2 routes referenced by a test" in result.reason


def test_items_filter() -> None:
    built = build_checklist([], ProjectIndex(root="/p"), [], files_scanned=1, items=["jwt", "cors"])
    assert [v.item for v in built] == ["jwt", "cors"]


def test_route_layer_items_need_routes() -> None:
    assert verdicts()["error-handling"].verdict == "not_applicable"
    with_routes = ProjectIndex(root="/p", routes=[route("GET", "/items")])
    assert verdicts(index=with_routes)["error-handling"].verdict == "pass"


def test_routes_open_beside_open_siblings_warn_without_a_finding() -> None:
    """route-missing-auth reports only routes that deviate from protected siblings; routes
    whose siblings lack authentication too are not findings, but the checklist says no
    authentication shows in the code for them."""
    index = ProjectIndex(
        root="/p",
        routes=[
            route("DELETE", "/orders/{id}", line=10),
            route("POST", "/orders/", line=20),
            route("GET", "/me", line=30, auth=present("Depends(current_user)")),
        ],
    )
    auth = verdicts(index=index)["authentication"]
    assert auth.verdict == "warning"
    assert auth.reason.startswith(
        "2 routes that change data or expose user data show no authentication in the code"
    )
    assert auth.evidence == ["app/api.py:10 DELETE /orders/{id}", "app/api.py:20 POST /orders/"]
    # routes that need no authentication (reads of public data) leave it a pass
    index = ProjectIndex(
        root="/p",
        routes=[
            route("GET", "/products", line=10),
            route("GET", "/me", line=30, auth=present("Depends(current_user)")),
        ],
    )
    assert verdicts(index=index)["authentication"].verdict == "pass"


def test_open_routes_that_are_not_findings_are_named_beside_the_findings() -> None:
    index = ProjectIndex(
        root="/p",
        routes=[
            route("DELETE", "/orders/{id}", line=10),
            route("POST", "/files/", file="app/files.py", line=20),
            route("GET", "/me", line=30, auth=present("Depends(current_user)")),
        ],
    )
    reported = finding("authentication", "high", "route-missing-auth", line=10)
    auth = verdicts([reported], index=index)["authentication"]
    assert auth.verdict == "fail"
    assert auth.reason.endswith(
        "; 1 other route that changes data or exposes user data shows no authentication in the "
        "code, as do the routes beside them (e.g. POST /files/)"
    )


def test_a_project_without_any_authentication_is_not_counted_twice() -> None:
    """Where no route authenticates, route-missing-auth's one project finding lists the open
    routes already; the verdict does not count them again."""
    index = ProjectIndex(
        root="/p",
        routes=[route("DELETE", "/orders/{id}", line=10), route("POST", "/files/", line=20)],
    )
    project_wide = finding("authentication", "medium", "route-missing-auth", line=10)
    auth = verdicts([project_wide], index=index)["authentication"]
    assert auth.verdict == "warning"
    assert "no authentication in the code" not in auth.reason
