"""Catalog entry: admin route that authenticates but never checks a role."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="admin-route-missing-role",
    name="Admin route without a role check",
    checklist_item="authorization",
    severity="high",
    confidence="medium",
    cwe=285,
    owasp="A01:2021 Broken Access Control",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Reports routes under an admin path (`/admin`, `/staff`, `/manage`, a handler named "
            "`admin_*`) that require a logged-in user but show no role or permission check at "
            "any level: no `is_superuser` / `is_staff` / `role == ...` test, no role dependency "
            "or decorator (`require_admin`, `roles_required`, `permission_required`), no "
            "permission class such as DRF `IsAdminUser`, no guard that checks roles."
        ),
        why=(
            "Authentication only says who the caller is. Without a role check every registered "
            "user can call the admin endpoints: list all users, change prices, delete accounts. "
            "This is vertical privilege escalation, and sign-up is usually open to anyone."
        ),
        example=(
            "```python\n"
            '@router.get("/admin/users")\n'
            "def list_all_users(user: CurrentUser, db: DbSession):\n"
            "    return db.scalars(select(User)).all()\n"
            "```\n"
            "\n"
            "```ts\n"
            'app.get("/admin/users", requireAuth, async (req, res) => {\n'
            "  res.json(await User.find());\n"
            "});\n"
            "```"
        ),
        instead=(
            "```python\n"
            "def require_admin(user: CurrentUser) -> User:\n"
            "    if not user.is_superuser:\n"
            "        raise HTTPException(status.HTTP_403_FORBIDDEN)\n"
            "    return user\n"
            "\n"
            'admin = APIRouter(prefix="/admin", dependencies=[Depends(require_admin)])\n'
            "```\n"
            "\n"
            "```ts\n"
            'app.get("/admin/users", requireAuth, requireRole("admin"), listUsers);\n'
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/285.html",
            "https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/",
        ],
    ),
)
