"""Medusa v2 file-based routes: `api/**/route.ts` handlers with the path from the folders,
`api/middlewares.ts` `defineMiddlewares` entries as mount-level evidence (resolved by the
package `authenticate` comes from, across modules and CommonJS re-exports), the framework's
default protection of /admin, and the AUTHENTICATE = false opt-out."""

from __future__ import annotations

from mcp_backend.review import route_policy
from mcp_backend.review.javascript.frameworks import medusa
from mcp_backend.review.rules.route_missing_auth.project import DETECTOR as MISSING_AUTH
from tests.review.javascript.test_fullstack_routes import index_of, inventory

_ROUTE = (
    "import type { MedusaRequest, MedusaResponse } from '@medusajs/framework/http';\n"
    "export const GET = async (req: MedusaRequest, res: MedusaResponse) => {\n"
    "  res.json({ ok: true });\n"
    "};\n"
    "export async function DELETE(req: MedusaRequest, res: MedusaResponse) {\n"
    "  const { id } = req.params;\n"
    "  res.json({ id, deleted: true });\n"
    "}\n"
)
_MIDDLEWARES = (
    "import { defineMiddlewares, authenticate, validateAndTransformBody }"
    " from '@medusajs/framework/http';\n"
    "import { brandRoutes } from './brands/middlewares';\n"
    "export default defineMiddlewares({\n"
    "  routes: [\n"
    "    { matcher: '/custom/reports*',\n"
    "      middlewares: [authenticate('customer', ['session', 'bearer'])] },\n"
    "    { matcher: '/custom/open/:id', method: ['DELETE'], middlewares: [logRequest] },\n"
    "    ...brandRoutes,\n"
    "  ],\n"
    "});\n"
    "function logRequest(req, res, next) { console.log(req.url); next(); }\n"
)
_BRANDS = (
    "import { authenticate } from '@medusajs/framework/http';\n"
    "export const brandRoutes = [\n"
    "  { matcher: '/custom/brands/:id', middlewares: [authenticate('user', ['session'])] },\n"
    "];\n"
)


def _app(**extra: str) -> dict[str, str]:
    return {
        "medusa-config.ts": "import { defineConfig } from '@medusajs/framework/utils';\n"
        "export default defineConfig({});\n",
        "src/api/middlewares.ts": _MIDDLEWARES,
        "src/api/brands/middlewares.ts": _BRANDS,
        "src/api/custom/reports/[id]/route.ts": _ROUTE,
        "src/api/custom/open/[id]/route.ts": _ROUTE,
        "src/api/custom/brands/[id]/route.ts": _ROUTE,
        "src/api/admin/stats/route.ts": _ROUTE,
        **extra,
    }


def test_route_paths_from_folders() -> None:
    assert medusa.route_path("src/api/store/custom/[id]/route.ts") == (
        "src/api",
        "/store/custom/:id",
    )
    assert medusa.route_path("api/admin/posts/route.js") == ("api", "/admin/posts")
    assert medusa.route_path("src/api/middlewares.ts") is None
    assert medusa.route_path("src/lib/route.ts") is None


def test_middleware_entries_and_default_protection() -> None:
    routes = inventory(_app())
    reports = routes["DELETE /custom/reports/:id"]
    assert reports.framework == "medusa"
    assert reports.auth.status == "present"
    assert "@medusajs/framework/http" in reports.auth.evidence[0].detail
    # A list spread in from another module; the "user" actor is the admin's: a role too.
    brands = routes["GET /custom/brands/:id"]
    assert brands.auth.status == "present" and brands.authz.status == "present"
    # Only a logger matches it: everything resolved, nothing protects it.
    assert routes["DELETE /custom/open/:id"].auth.status == "absent"
    assert routes["GET /custom/open/:id"].auth.status == "absent"
    # The framework authenticates /admin itself.
    admin = routes["GET /admin/stats"]
    assert admin.auth.status == "present" and admin.auth.evidence[0].kind == "framework_default"
    # open: listed as unauthenticated; the routes beside it lack authentication too, so it is
    # the checklist's warning rather than a finding
    index = index_of(_app())
    unauthenticated = {
        f"{r.method} {r.path}" for r, _ in route_policy.unauthenticated(index.routes)
    }
    assert "DELETE /custom/open/:id" in unauthenticated
    assert "DELETE /custom/reports/:id" not in unauthenticated
    assert {f.route for f in MISSING_AUTH.check(index)} == set()


def test_opt_out_and_unreadable_list() -> None:
    files = _app()
    files["src/api/admin/stats/route.ts"] = _ROUTE + "export const AUTHENTICATE = false;\n"
    stats = inventory(files)["GET /admin/stats"]
    assert stats.auth.status == "absent"
    assert stats.public_by_design and "AUTHENTICATE" in stats.public_by_design
    files["src/api/middlewares.ts"] = _MIDDLEWARES.replace(
        "import { brandRoutes } from './brands/middlewares';",
        "import { brandRoutes } from '@acme/medusa-brands';",
    )
    routes = inventory(files)
    # A middleware list from a package we cannot read may protect any route: unknown.
    opened = routes["DELETE /custom/open/:id"].auth
    assert opened.status == "unknown" and "brandRoutes" in opened.note


def test_compiled_commonjs_routes_and_reexported_authenticate() -> None:
    files = {
        "utils/authenticate-middleware.js": (
            "const http_1 = require('@medusajs/framework/http');\n"
            "exports.authenticate = http_1.authenticate;\n"
        ),
        "api/middlewares.js": (
            "const define_1 = require('@medusajs/framework/http');\n"
            "const orders_1 = require('./store/orders/middlewares');\n"
            "exports.default = (0, define_1.defineMiddlewares)([...orders_1.orderRoutes]);\n"
        ),
        "api/store/orders/middlewares.js": (
            "const auth_1 = require('../../../utils/authenticate-middleware');\n"
            "exports.orderRoutes = [\n"
            "  { method: ['GET'], matcher: '/store/orders',\n"
            "    middlewares: [(0, auth_1.authenticate)('customer', ['session', 'bearer'])] },\n"
            "];\n"
        ),
        "api/store/orders/route.js": (
            "const GET = async (req, res) => { res.json({ orders: [] }); };\nexports.GET = GET;\n"
        ),
        "api/store/carts/route.js": (
            "const POST = async (req, res) => { res.json({ cart: req.validatedBody }); };\n"
            "exports.POST = POST;\n"
        ),
    }
    routes = inventory(files)
    assert routes["GET /store/orders"].auth.status == "present"
    carts = routes["POST /store/carts"]
    assert carts.auth.status == "absent"
    assert carts.public_by_design  # the Store API serves anonymous shoppers


def test_not_a_medusa_project_has_no_such_routes() -> None:
    source = "export const GET = (req, res) => res.json({});\n"
    routes = inventory({"src/api/custom/route.ts": source})
    assert routes == {}


def test_admin_acting_on_an_account_is_not_a_credential_endpoint() -> None:
    from mcp_backend.review.rules.auth_route_missing_rate_limit.project import (
        DETECTOR as RATE_LIMIT,
    )

    files = _app()
    files["src/api/admin/users/[id]/reset-password/route.ts"] = (
        "export const POST = async (req, res) => { res.json({ token: 'x' }); };\n"
    )
    files["src/api/auth/user/emailpass/reset-password/route.ts"] = (
        "export const POST = async (req, res) => { res.json({ ok: true }); };\n"
    )
    limited = {f.route for f in RATE_LIMIT.check(index_of(files))}
    assert "POST /admin/users/:id/reset-password" not in limited  # admin role required
    assert "POST /auth/user/emailpass/reset-password" in limited
