"""A FastAPI app whose auth dependency is written in Python 3.14 syntax, reviewed on our host.

When it parses, its routes are protected through the `Annotated` alias; when a file on a route's
path cannot be parsed, that route's protections are `unknown`, naming the file, and nothing is
reported missing because of what we could not read.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from mcp_backend.review.engine import review
from mcp_backend.review.model import ReviewReport, ReviewRequest, Route

APP = Path(__file__).resolve().parents[2] / "fixtures" / "review" / "fastapi_modern"

FEEDBACK_ROUTER = """
    from fastapi import APIRouter, Depends
    from fastapi.security import HTTPBearer
    from pydantic import BaseModel

    router = APIRouter(prefix="/feedback")
    bearer = HTTPBearer()


    class Feedback(BaseModel):
        text: str


    @router.patch("/{feedback_id}", dependencies=[Depends(bearer)])
    def edit_feedback(feedback_id: int, feedback: Feedback) -> Feedback:
        return feedback


    @router.delete("/{feedback_id}")
    def delete_feedback(feedback_id: int) -> dict[str, int]:
        return {"deleted": feedback_id}
"""


def run(root: Path) -> ReviewReport:
    return review(ReviewRequest(root=root, use_cache=False, limit=500))


def by_path(report: ReviewReport) -> dict[str, Route]:
    return {f"{r.method} {r.path}": r for r in report.routes}


@pytest.fixture
def app_copy(tmp_path: Path) -> Path:
    """The app plus one router whose delete route, unlike its edit route, nobody protects,
    wired in from app/main.py."""
    root = tmp_path / "app"
    shutil.copytree(APP, root)
    (root / "app/api/routes/feedback.py").write_text(textwrap.dedent(FEEDBACK_ROUTER))
    main = root / "app/main.py"
    main.write_text(
        main.read_text()
        .replace("from app.api.main import api_router\n", "from app.api.main import api_router\n"
                 "from app.api.routes import feedback\n")
        + "app.include_router(feedback.router)\n"
    )  # fmt: skip
    return root


def break_file(path: Path) -> None:
    """Make a file unparseable for every Python version (a Python 2 print statement)."""
    path.write_text(path.read_text() + '\nprint "unreachable"\n')


def test_auth_dependency_in_314_syntax_is_followed_through_the_annotated_alias() -> None:
    report = run(APP)
    assert report.skipped == []
    routes = by_path(report)
    assert set(routes) == {
        "GET /api/v1/items/",
        "POST /api/v1/items/",
        "DELETE /api/v1/items/{item_id}",
        "GET /api/v1/users/",
        "DELETE /api/v1/users/{user_id}",
    }
    for name in ("GET /api/v1/items/", "POST /api/v1/items/", "DELETE /api/v1/items/{item_id}"):
        auth = routes[name].auth
        assert auth.status == "present", name
        assert auth.evidence[0].detail.startswith("CurrentUser"), auth.evidence
    for name in ("GET /api/v1/users/", "DELETE /api/v1/users/{user_id}"):
        assert routes[name].authz.status == "present", name
    rules = {f.rule_id for f in report.findings}
    assert not rules & {"route-missing-auth", "admin-route-missing-role"}


def test_unprotected_route_beside_them_is_still_reported(app_copy: Path) -> None:
    report = run(app_copy)
    missing = [f for f in report.findings if f.rule_id == "route-missing-auth"]
    assert [(f.file, f.line, f.severity) for f in missing] == [
        ("app/api/routes/feedback.py", 20, "high")
    ]


def test_an_unrelated_unparsed_script_changes_nothing(app_copy: Path) -> None:
    (app_copy / "scripts").mkdir()
    (app_copy / "scripts/legacy_export.py").write_text('print "exporting"\n')
    report = run(app_copy)
    assert [s.file for s in report.skipped] == ["scripts/legacy_export.py"]
    assert by_path(report)["DELETE /feedback/{feedback_id}"].auth.status == "absent"
    assert any(f.rule_id == "route-missing-auth" for f in report.findings)


def test_dependency_in_an_unparsed_file_makes_auth_unknown_not_absent(app_copy: Path) -> None:
    break_file(app_copy / "app/api/deps.py")
    report = run(app_copy)
    (skipped,) = report.skipped
    assert skipped.file == "app/api/deps.py"
    lines = (app_copy / "app/api/deps.py").read_text().count("\n")
    assert skipped.reason.startswith(f"syntax error at line {lines}: Missing parentheses")
    routes = by_path(report)
    for name in ("GET /api/v1/items/", "POST /api/v1/items/"):
        auth = routes[name].auth
        assert auth.status == "unknown", name
        assert "app/api/deps.py could not be parsed" in auth.note
    users = routes["DELETE /api/v1/users/{user_id}"]
    assert (users.auth.status, users.authz.status) == ("unknown", "unknown")
    assert "get_current_active_superuser is in app/api/deps.py" in users.auth.note
    # The route that never touched deps.py is judged as before.
    assert routes["DELETE /feedback/{feedback_id}"].auth.status == "absent"
    flagged = {(f.rule_id, f.file) for f in report.findings}
    assert ("route-missing-auth", "app/api/routes/feedback.py") in flagged
    assert ("route-missing-auth", "app/api/routes/items.py") not in flagged
    assert ("admin-route-missing-role", "app/api/routes/users.py") not in flagged
    verdict = {c.item: c for c in report.checklist}["authentication"]
    assert verdict.verdict == "fail"  # the feedback route's high finding decides


def test_unparsed_app_wiring_makes_every_absent_protection_unknown(app_copy: Path) -> None:
    break_file(app_copy / "app/main.py")
    report = run(app_copy)
    assert [s.file for s in report.skipped] == ["app/main.py"]
    feedback = next(r for r in report.routes if r.handler == "delete_feedback")
    assert feedback.auth.status == "unknown"
    assert feedback.auth.note.startswith("app/main.py could not be parsed")
    assert feedback.rate_limit.status == "unknown"
    assert not [f for f in report.findings if f.rule_id == "route-missing-auth"]
    verdicts = {c.item: c for c in report.checklist}
    assert verdicts["authentication"].verdict == "unknown"
    assert "app/main.py could not be parsed" in verdicts["authentication"].reason
