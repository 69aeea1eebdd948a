"""Route shapes seen on real applications: each resolved by following the code, never by names.

Each shape has a positive case (the protection or route is found through resolution) and a
negative one (the same shape holding something that does not protect stays absent/unknown).
"""

from __future__ import annotations

from mcp_backend.review.model import Route
from tests.review.javascript.test_routes import inventory, route_list

# ---- 1. express-jwt through an aliased import kept in an exported object ---------------------

_ARTICLES_ROUTER = (
    "import { Router } from 'express';\n"
    "import auth from '../middleware/auth';\n"
    "const router = Router();\n"
    "router.post('/articles', auth.required, async (req, res) => res.json(req.body));\n"
    "router.get('/articles', auth.optional, async (req, res) => res.json([]));\n"
    "router.put('/articles/:slug', auth.logged, async (req, res) => res.json({}));\n"
    "export default router;\n"
)
_APP_USING_ARTICLES = (
    "import express from 'express';\n"
    "import articles from './routes/articles';\n"
    "const app = express();\n"
    "app.use('/api', articles);\n"
)


def test_express_jwt_aliased_in_an_exported_object() -> None:
    routes = inventory(
        {
            "src/middleware/auth.js": (
                "import { expressjwt as jwt } from 'express-jwt';\n"
                "import morgan from 'morgan';\n"
                "const fromHeader = (req) => req.headers.authorization?.split(' ')[1];\n"
                "const auth = {\n"
                "  required: jwt({ secret: 's', algorithms: ['HS256'], getToken: fromHeader }),\n"
                "  optional: jwt({ secret: 's', algorithms: ['HS256'], credentialsRequired: false,"
                " getToken: fromHeader }),\n"
                "  logged: morgan('tiny'),\n"
                "};\n"
                "export default auth;\n"
            ),
            "src/routes/articles.js": _ARTICLES_ROUTER,
            "src/app.js": _APP_USING_ARTICLES,
        }
    )
    created = routes["POST /api/articles"]
    assert created.auth.status == "present"
    assert "jwt" in created.auth.evidence[0].detail
    # credentialsRequired: false lets anonymous callers through: not authentication.
    assert routes["GET /api/articles"].auth.status == "absent"
    # A logger kept in the same exported object protects nothing.
    assert routes["PUT /api/articles/:slug"].auth.status == "absent"


def test_express_jwt_commonjs_object_export() -> None:
    routes = inventory(
        {
            "src/middleware/auth.js": (
                "const { expressjwt: checkToken } = require('express-jwt');\n"
                "module.exports = {\n"
                "  required: checkToken({ secret: 's', algorithms: ['HS256'] }),\n"
                "  optional: checkToken({ secret: 's', algorithms: ['HS256'], "
                "credentialsRequired: false }),\n"
                "  logged: (req, res, next) => { console.log(req.url); next(); },\n"
                "};\n"
            ),
            "src/routes/articles.js": _ARTICLES_ROUTER.replace(
                "import auth from '../middleware/auth';",
                "const auth = require('../middleware/auth');",
            ),
            "src/app.js": _APP_USING_ARTICLES,
        }
    )
    assert routes["POST /api/articles"].auth.status == "present"
    assert routes["GET /api/articles"].auth.status == "absent"
    assert routes["PUT /api/articles/:slug"].auth.status == "absent"


def test_jwt_named_call_from_an_unknown_package_is_unknown_not_present() -> None:
    routes = inventory(
        {
            "src/app.js": (
                "const express = require('express');\n"
                "const { jwt } = require('some-private-sdk');\n"
                "const app = express();\n"
                "app.post('/orders', jwt({ k: 1 }), (req, res) => res.json({}));\n"
            )
        }
    )
    auth = routes["POST /orders"].auth
    assert auth.status == "unknown"
    assert "some-private-sdk" in auth.note


# ---- 2. RPC-style paths without a leading slash ----------------------------------------------


def test_koa_router_rpc_paths_without_leading_slash() -> None:
    routes = inventory(
        {
            "server/routes/api/documents.ts": (
                "import Router from 'koa-router';\n"
                "const router = new Router();\n"
                "router.post('documents.info', async (ctx) => { ctx.body = {}; });\n"
                "router.post('documents.delete', async (ctx) => { ctx.body = {}; });\n"
                "export default router;\n"
            ),
            "server/routes/api/index.ts": (
                "import Koa from 'koa';\n"
                "import Router from 'koa-router';\n"
                "import documents from './documents';\n"
                "const api = new Koa();\n"
                "const router = new Router();\n"
                "router.use('/', documents.routes());\n"
                "api.use(router.routes());\n"
                "export default api;\n"
            ),
            "server/app.ts": (
                "import Koa from 'koa';\n"
                "import mount from 'koa-mount';\n"
                "import api from './routes/api';\n"
                "const app = new Koa();\n"
                "app.use(mount('/api', api));\n"
            ),
        }
    )
    assert "POST /api/documents.info" in routes
    assert "POST /api/documents.delete" in routes


def test_non_path_first_arguments_on_maps_are_not_routes() -> None:
    routes = route_list(
        {
            "src/app.js": (
                "const express = require('express');\n"
                "const app = express();\n"
                "const cache = new Map();\n"
                "cache.set('users.all', (x) => x);\n"
                "app.set('trust proxy', 1);\n"
                "app.get('/ok', (req, res) => res.end());\n"
            )
        }
    )
    assert [(r.method, r.path) for r in routes] == [("GET", "/ok")]


# ---- 3. koa-mount prefixes --------------------------------------------------------------------


def test_koa_mount_prefix_and_sub_app_middleware() -> None:
    routes = inventory(
        {
            "src/api.js": (
                "const Koa = require('koa');\n"
                "const Router = require('@koa/router');\n"
                "const api = new Koa();\n"
                "const router = new Router();\n"
                "router.get('/users', async (ctx) => { ctx.body = []; });\n"
                "api.use(router.routes());\n"
                "module.exports = api;\n"
            ),
            "src/server.js": (
                "const Koa = require('koa');\n"
                "const mount = require('koa-mount');\n"
                "const api = require('./api');\n"
                "const app = new Koa();\n"
                "app.use(mount('/v2', api));\n"
            ),
        }
    )
    assert set(routes) == {"GET /v2/users"}


def test_mount_from_an_unknown_package_is_not_a_prefix() -> None:
    routes = inventory(
        {
            "src/api.js": (
                "const Koa = require('koa');\n"
                "const Router = require('@koa/router');\n"
                "const api = new Koa();\n"
                "const router = new Router();\n"
                "router.get('/users', async (ctx) => { ctx.body = []; });\n"
                "api.use(router.routes());\n"
                "module.exports = api;\n"
            ),
            "src/server.js": (
                "const Koa = require('koa');\n"
                "const { mount } = require('./lib/not-koa-mount');\n"
                "const api = require('./api');\n"
                "const app = new Koa();\n"
                "app.use(mount('/v2', api));\n"
            ),
        }
    )
    assert "GET /v2/users" not in routes


# ---- 4. project helpers that register routes ------------------------------------------------

_NODEBB_HELPERS = (
    "const helpers = module.exports;\n"
    "helpers.setupApiRoute = function (router, verb, name, middlewares, controller) {\n"
    "  middlewares = [logRequest, ...middlewares];\n"
    "  router[verb](name, middlewares, controller);\n"
    "};\n"
    "function logRequest(req, res, next) { console.log(req.url); next(); }\n"
)
_NODEBB_AUTH = (
    "exports.ensureLoggedIn = function (req, res, next) {\n"
    "  if (!req.user) { return res.status(401).json({ error: 'not logged in' }); }\n"
    "  next();\n"
    "};\n"
    "exports.trace = function (req, res, next) { req.started = Date.now(); next(); };\n"
)


def test_route_registering_helper_resolved_across_modules() -> None:
    routes = inventory(
        {
            "src/routes/helpers.js": _NODEBB_HELPERS,
            "src/middleware/index.js": _NODEBB_AUTH,
            "src/routes/write/users.js": (
                "const express = require('express');\n"
                "const routeHelpers = require('../helpers');\n"
                "const middleware = require('../../middleware');\n"
                "const controllers = require('../../controllers');\n"
                "const { setupApiRoute } = routeHelpers;\n"
                "module.exports = function () {\n"
                "  const router = express.Router();\n"
                "  setupApiRoute(router, 'put', '/users/:uid', [middleware.ensureLoggedIn], "
                "controllers.users.update);\n"
                "  setupApiRoute(router, 'get', '/users/:uid/status', [middleware.trace], "
                "controllers.users.status);\n"
                "  return router;\n"
                "};\n"
            ),
            "src/app.js": (
                "const express = require('express');\n"
                "const users = require('./routes/write/users');\n"
                "const app = express();\n"
                "app.use('/api/v3', users());\n"
            ),
        }
    )
    updated = routes["PUT /api/v3/users/:uid"]
    assert updated.auth.status == "present"
    assert updated.handler == "controllers.users.update"
    assert routes["GET /api/v3/users/:uid/status"].auth.status == "absent"


def test_helper_that_does_not_register_routes_adds_none() -> None:
    routes = route_list(
        {
            "src/routes/helpers.js": (
                "exports.setupApiRoute = function (router, verb, name, middlewares, c) {\n"
                "  console.log(verb, name, middlewares.length, c);\n"
                "};\n"
            ),
            "src/app.js": (
                "const express = require('express');\n"
                "const { setupApiRoute } = require('./routes/helpers');\n"
                "const app = express();\n"
                "setupApiRoute(app, 'put', '/users/:uid', [], update);\n"
                "app.get('/ok', (req, res) => res.end());\n"
            ),
        }
    )
    assert [(r.method, r.path) for r in routes] == [("GET", "/ok")]


# ---- 5. routes registered in loops, template paths from constants ----------------------------


def test_routes_in_loops_over_literal_tables() -> None:
    routes = inventory(
        {
            "src/app.js": (
                "const express = require('express');\n"
                "const router = express.Router();\n"
                "const base = '/files';\n"
                "const routes = { '/a': (req, res) => res.end(), '/b': (req, res) => res.end() };\n"
                "for (const name of ['posts', 'comments']) {\n"
                "  router.delete(`/${name}/:id`, (req, res) => res.end());\n"
                "}\n"
                "Object.entries(routes).forEach(([p, h]) => router.get(p, h));\n"
                "router.get(`${base}/:id`, (req, res) => res.end());\n"
                "module.exports = router;\n"
            )
        }
    )
    assert {"DELETE /posts/:id", "DELETE /comments/:id", "GET /a", "GET /b", "GET /files/:id"} == (
        set(routes)
    )


def test_loop_over_a_table_of_route_objects() -> None:
    routes = inventory(
        {
            "src/auth.js": (
                "exports.requireUser = (req, res, next) => {\n"
                "  if (!req.session.user) return res.status(401).end();\n"
                "  next();\n"
                "};\n"
            ),
            "src/app.js": (
                "const express = require('express');\n"
                "const { requireUser } = require('./auth');\n"
                "const app = express();\n"
                "const table = [\n"
                "  { path: '/me', mw: requireUser, handler: (req, res) => res.json(req.user) },\n"
                "  { path: '/about', mw: (req, res, next) => next(), "
                "handler: (req, res) => res.end() },\n"
                "];\n"
                "table.forEach((r) => app.get(r.path, r.mw, r.handler));\n"
            ),
        }
    )
    assert set(routes) == {"GET /me", "GET /about"}
    assert routes["GET /me"].auth.status == "present"
    assert routes["GET /about"].auth.status == "absent"


def test_loop_over_a_table_out_of_reach_is_one_route_with_a_named_hole() -> None:
    routes = inventory(
        {
            "src/app.js": (
                "const express = require('express');\n"
                "const { models } = require('./models');\n"
                "const router = express.Router();\n"
                "for (const name of Object.keys(models)) {\n"
                "  router.get(`/${name}`, (req, res) => res.end());\n"
                "}\n"
                "router.get(`${process.env.PREFIX}/x`, (req, res) => res.end());\n"
                "module.exports = router;\n"
            )
        }
    )
    assert set(routes) == {"GET /{name}", "GET /{process.env.PREFIX}/x"}
    assert not any("${" in key for key in routes)


# ---- 6. NestJS: prefix, versioning, composite decorators, metadata guards ---------------------

_NEST_GUARD = (
    "import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from "
    "'@nestjs/common';\n"
    "import { Reflector } from '@nestjs/core';\n"
    "import { PERMISSION_KEY } from './has-permission.decorator';\n"
    "@Injectable()\n"
    "export class HasPermissionGuard implements CanActivate {\n"
    "  constructor(private reflector: Reflector) {}\n"
    "  canActivate(context: ExecutionContext): boolean {\n"
    "    const needed = this.reflector.get<string>(PERMISSION_KEY, context.getHandler());\n"
    "    if (!needed) return true;\n"
    "    const { user } = context.switchToHttp().getRequest();\n"
    "    if (!user.permissions.includes(needed)) throw new ForbiddenException();\n"
    "    return true;\n"
    "  }\n"
    "}\n"
)
_NEST_PERMISSION = (
    "import { SetMetadata } from '@nestjs/common';\n"
    "export const PERMISSION_KEY = 'permission';\n"
    "export const HasPermission = (p: string) => SetMetadata(PERMISSION_KEY, p);\n"
)


def test_nest_global_prefix_and_uri_versioning() -> None:
    routes = inventory(
        {
            "src/main.ts": (
                "import { NestFactory } from '@nestjs/core';\n"
                "import { VersioningType } from '@nestjs/common';\n"
                "async function bootstrap() {\n"
                "  const app = await NestFactory.create(AppModule);\n"
                "  app.setGlobalPrefix('api');\n"
                "  app.enableVersioning({ type: VersioningType.URI });\n"
                "  await app.listen(3000);\n"
                "}\n"
            ),
            "src/users.controller.ts": (
                "import { Controller, Get, Version } from '@nestjs/common';\n"
                "@Controller({ path: 'users', version: '1' })\n"
                "export class UsersController {\n"
                "  @Get(':id') one() { return {}; }\n"
                "  @Version('2') @Get() all() { return []; }\n"
                "}\n"
            ),
            "src/health.controller.ts": (
                "import { Controller, Get } from '@nestjs/common';\n"
                "@Controller('health')\n"
                "export class HealthController { @Get() ok() { return 'ok'; } }\n"
            ),
        }
    )
    assert set(routes) == {"GET /api/v1/users/:id", "GET /api/v2/users", "GET /api/health"}


def test_nest_composite_decorator_followed_to_its_guards() -> None:
    routes = inventory(
        {
            "src/auth/requires-scope.decorator.ts": (
                "import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';\n"
                "import { AuthGuard } from '@nestjs/passport';\n"
                "import { ScopeGuard } from './scope.guard';\n"
                "export function RequiresScope(...scopes: string[]) {\n"
                "  return applyDecorators(UseGuards(AuthGuard('jwt'), ScopeGuard), "
                "SetMetadata('scopes', scopes));\n"
                "}\n"
                "export function Documented(summary: string) {\n"
                "  return applyDecorators(ApiOperation({ summary }), HttpCode(200));\n"
                "}\n"
            ),
            "src/auth/scope.guard.ts": (
                "import { CanActivate, ExecutionContext, ForbiddenException, Injectable } "
                "from '@nestjs/common';\n"
                "@Injectable()\n"
                "export class ScopeGuard implements CanActivate {\n"
                "  constructor(private reflector: Reflector) {}\n"
                "  canActivate(context: ExecutionContext): boolean {\n"
                "    const scopes = this.reflector.get<string[]>('scopes', "
                "context.getHandler());\n"
                "    const req = context.switchToHttp().getRequest();\n"
                "    if (!scopes.every((s) => req.user.scopes.includes(s))) "
                "throw new ForbiddenException();\n"
                "    return true;\n"
                "  }\n"
                "}\n"
            ),
            "src/orders.controller.ts": (
                "import { Controller, Delete, Get } from '@nestjs/common';\n"
                "import { RequiresScope, Documented } from './auth/requires-scope.decorator';\n"
                "@Controller('orders')\n"
                "export class OrdersController {\n"
                "  @RequiresScope('orders:write') @Delete(':id') remove() { return {}; }\n"
                "  @Documented('list') @Get() list() { return []; }\n"
                "}\n"
            ),
        }
    )
    removed = routes["DELETE /orders/:id"]
    assert removed.auth.status == "present"
    assert removed.authz.status == "present"
    listed = routes["GET /orders"]
    assert listed.auth.status == "absent"
    assert listed.authz.status == "absent"


def test_nest_permission_metadata_read_by_class_guard_is_authorization() -> None:
    routes = inventory(
        {
            "src/auth/has-permission.guard.ts": _NEST_GUARD,
            "src/auth/has-permission.decorator.ts": _NEST_PERMISSION,
            "src/roles.controller.ts": (
                "import { Controller, Get, Post, UseGuards } from '@nestjs/common';\n"
                "import { AuthGuard } from '@nestjs/passport';\n"
                "import { HasPermissionGuard } from './auth/has-permission.guard';\n"
                "import { HasPermission } from './auth/has-permission.decorator';\n"
                "@UseGuards(AuthGuard('jwt'), HasPermissionGuard)\n"
                "@Controller('roles')\n"
                "export class RolesController {\n"
                "  @HasPermission('roles.create') @Post() create() { return {}; }\n"
                "  @Get() list() { return []; }\n"
                "}\n"
            ),
        }
    )
    created = routes["POST /roles"]
    assert created.auth.status == "present"
    assert created.authz.status == "present"
    # The guard lets through handlers without the metadata: authenticated, not authorized.
    listed = routes["GET /roles"]
    assert listed.auth.status == "present"
    assert listed.authz.status == "absent"


def test_nest_public_metadata_is_not_a_permission_for_a_guard_reading_metadata() -> None:
    routes = inventory(
        {
            "src/auth/has-permission.guard.ts": _NEST_GUARD.replace(
                "this.reflector.get<string>(PERMISSION_KEY, context.getHandler())",
                "this.reflector.getAllAndOverride(IS_PUBLIC_KEY, [context.getHandler()])",
            ),
            "src/auth/public.decorator.ts": (
                "import { SetMetadata } from '@nestjs/common';\n"
                "export const IS_PUBLIC_KEY = 'isPublic';\n"
                "export const Open = () => SetMetadata(IS_PUBLIC_KEY, true);\n"
            ),
            "src/roles.controller.ts": (
                "import { Controller, Post, UseGuards } from '@nestjs/common';\n"
                "import { AuthGuard } from '@nestjs/passport';\n"
                "import { HasPermissionGuard } from './auth/has-permission.guard';\n"
                "import { Open } from './auth/public.decorator';\n"
                "@UseGuards(AuthGuard('jwt'), HasPermissionGuard)\n"
                "@Controller('roles')\n"
                "export class RolesController {\n"
                "  @Open() @Post() create() { return {}; }\n"
                "}\n"
            ),
        }
    )
    assert routes["POST /roles"].authz.status == "absent"


def test_nest_guard_from_a_package_we_cannot_read_is_unknown() -> None:
    routes = inventory(
        {
            "src/orders.controller.ts": (
                "import { Controller, Delete, UseGuards } from '@nestjs/common';\n"
                "import { TenantAuthGuard } from '@acme/nest-tenancy';\n"
                "@Controller('orders')\n"
                "export class OrdersController {\n"
                "  @UseGuards(TenantAuthGuard) @Delete(':id') remove() { return {}; }\n"
                "}\n"
            ),
        }
    )
    auth = routes["DELETE /orders/:id"].auth
    assert auth.status == "unknown"
    assert "TenantAuthGuard" in auth.note


# ---- 7. application-wide middleware, conditional registration -------------------------------


def test_app_wide_limiter_covers_routers_mounted_later_elsewhere() -> None:
    routes = inventory(
        {
            "src/middleware/limits.js": (
                "const rateLimit = require('express-rate-limit');\n"
                "exports.rateLimiter = () => rateLimit({ windowMs: 60000, max: 100 });\n"
                "exports.tracer = () => (req, res, next) => { req.t = Date.now(); next(); };\n"
            ),
            "src/routes/index.js": (
                "const express = require('express');\n"
                "module.exports = function mountRoutes(app) {\n"
                "  const users = express.Router();\n"
                "  users.post('/', (req, res) => res.json({}));\n"
                "  app.use('/users', users);\n"
                "};\n"
            ),
            "src/main.js": (
                "const express = require('express');\n"
                "const { rateLimiter, tracer } = require('./middleware/limits');\n"
                "const mountRoutes = require('./routes');\n"
                "const app = express();\n"
                "app.get('/early', tracer(), (req, res) => res.end());\n"
                "app.use(rateLimiter());\n"
                "mountRoutes(app);\n"
            ),
        }
    )
    assert routes["POST /users"].rate_limit.status == "present"
    assert routes["GET /early"].rate_limit.status == "absent"


def test_conditional_limiter_is_present_with_a_note_never_absent() -> None:
    routes = inventory(
        {
            "src/app.js": (
                "const express = require('express');\n"
                "const rateLimit = require('express-rate-limit');\n"
                "const app = express();\n"
                "const limiter = rateLimit({ max: 5 });\n"
                "if (process.env.NODE_ENV === 'production') app.use('/v1/auth', limiter);\n"
                "app.post('/v1/auth/login', (req, res) => res.end());\n"
                "app.post('/v1/other', (req, res) => res.end());\n"
            )
        }
    )
    login = routes["POST /v1/auth/login"].rate_limit
    assert login.status in {"present", "unknown"}
    assert "condition" in login.note
    assert routes["POST /v1/other"].rate_limit.status == "absent"


# ---- 8. browser code is not server routes --------------------------------------------------


def test_browser_files_are_not_server_routes() -> None:
    routes = route_list(
        {
            "public/js/app.js": (
                "const router = express.Router();\n"
                "router.get('/client-only', (req, res) => res.end());\n"
                "fetch('/api/x');\n"
                "$.get('/api/y', function (data) { render(data); });\n"
            ),
            "src/static/main.js": (
                "import { Router } from 'express';\n"
                "const r = Router();\n"
                "r.get('/also-client', (req, res) => res.end());\n"
                "document.title = 'x';\n"
            ),
            "src/app.js": (
                "const express = require('express');\n"
                "const app = express();\n"
                "app.get('/api/x', (req, res) => res.end());\n"
            ),
        }
    )
    assert [(r.method, r.path) for r in routes] == [("GET", "/api/x")]


def test_page_scripts_found_by_what_they_use_and_routers_mounted_twice_listed_once() -> None:
    routes = route_list(
        {
            "src/client/nav.js": (
                "const router = express.Router();\n"
                "router.get('/page', (req, res) => render(req));\n"
                "document.querySelector('#menu').addEventListener('click', open);\n"
            ),
            "src/routes/users.js": (
                "const express = require('express');\n"
                "const router = express.Router();\n"
                "router.get('/users', (req, res) => res.json([]));\n"
                "module.exports = router;\n"
            ),
            "src/app.js": (
                "const express = require('express');\n"
                "const users = require('./routes/users');\n"
                "const app = express();\n"
                "app.use(users);\n"
                "app.use(users);\n"
            ),
        }
    )
    assert [(r.method, r.path) for r in routes] == [("GET", "/users")]


def test_server_code_mentioning_window_is_kept() -> None:
    routes = inventory(
        {
            "src/app.js": (
                "const express = require('express');\n"
                "const app = express();\n"
                "const html = '<script>window.location = \"/\"</script>';\n"
                "app.get('/home', (req, res) => res.send(html));\n"
            ),
        }
    )
    assert set(routes) == {"GET /home"}


def test_a_router_from_a_router_package_with_page_scripts_in_its_strings_is_kept() -> None:
    # express-promise-router, like express itself, makes this server code, whatever page
    # script its HTML strings carry
    files = {
        "routes/admin.js": (
            "const Router = require('express-promise-router');\n"
            "const router = new Router();\n"
            "module.exports = router;\n"
            "router.get('/dialog', (req, res) => res.send(`<script>\n"
            "document.getElementById('x').addEventListener('change', go);\n"
            "</script>`));\n"
        ),
        "app.js": (
            "const express = require('express');\n"
            "const admin = require('./routes/admin');\n"
            "const app = express();\n"
            "app.use('/admin', admin);\n"
        ),
    }
    assert set(inventory(files)) == {"GET /admin/dialog"}
    files["routes/admin.js"] = files["routes/admin.js"].replace(
        "require('express-promise-router')", "require('./page-router')"
    )
    assert set(inventory(files)) == set()


def test_server_code_named_like_assets_but_serving_is_kept() -> None:
    routes = inventory(
        {
            "src/routes/assets.js": (
                "const express = require('express');\n"
                "const router = express.Router();\n"
                "router.get('/assets/:id', (req, res) => res.end());\n"
                "module.exports = router;\n"
            ),
            "src/app.js": (
                "const express = require('express');\n"
                "const assets = require('./routes/assets');\n"
                "const app = express();\n"
                "app.use(assets);\n"
            ),
        }
    )
    assert set(routes) == {"GET /assets/:id"}


# ---- 9. helmet and other non-auth library middleware ----------------------------------------


def test_helmet_policies_are_never_authorization() -> None:
    routes = inventory(
        {
            "src/app.js": (
                "const express = require('express');\n"
                "const { featurePolicy, permittedCrossDomainPolicies } = require('helmet');\n"
                "const h = require('helmet');\n"
                "const app = express();\n"
                "app.use(featurePolicy({ features: { camera: [\"'none'\"] } }));\n"
                "app.use(permittedCrossDomainPolicies());\n"
                "app.use(h.contentSecurityPolicy());\n"
                "app.delete('/admin/users/:id', (req, res) => res.end());\n"
            )
        }
    )
    removed = routes["DELETE /admin/users/:id"]
    assert removed.auth.status == "absent"
    assert removed.authz.status == "absent"


def test_project_policy_middleware_is_judged_by_its_body() -> None:
    routes = inventory(
        {
            "src/policy.js": (
                "exports.adminPolicy = (req, res, next) => {\n"
                "  if (req.user.role !== 'admin') return res.status(403).end();\n"
                "  next();\n"
                "};\n"
            ),
            "src/app.js": (
                "const express = require('express');\n"
                "const { adminPolicy } = require('./policy');\n"
                "const app = express();\n"
                "app.delete('/admin/users/:id', adminPolicy, (req, res) => res.end());\n"
            ),
        }
    )
    assert routes["DELETE /admin/users/:id"].authz.status == "present"


# ---- compiled TypeScript decorators (tsc's CommonJS output of a NestJS controller) ----------

_DECORATE_HELPER = (
    '"use strict";\n'
    "var __decorate = (this && this.__decorate) || function (d, t, k, desc) { return t; };\n"
    "var __param = (this && this.__param) || function (i, d) { return d; };\n"
    "var __metadata = (this && this.__metadata) || function (k, v) { return v; };\n"
)
_COMPILED_CONTROLLER = _DECORATE_HELPER + (
    "const common_1 = require('@nestjs/common');\n"
    "const passport_1 = require('@nestjs/passport');\n"
    "const create_dto_1 = require('./create.dto');\n"
    "let StatusController = class StatusController {\n"
    "  getCpu() { return 1; }\n"
    "  create(body) { return body; }\n"
    "  helper() { return 2; }\n"
    "};\n"
    "exports.StatusController = StatusController;\n"
    "__decorate([\n"
    "  (0, common_1.Get)('/cpu'),\n"
    "  __metadata('design:type', Function),\n"
    "], StatusController.prototype, 'getCpu', null);\n"
    "__decorate([\n"
    "  (0, common_1.Post)(),\n"
    "  (0, common_1.UseGuards)((0, passport_1.AuthGuard)('jwt')),\n"
    "  __param(0, (0, common_1.Body)()),\n"
    "  __metadata('design:paramtypes', [create_dto_1.CreateStatusDto]),\n"
    "], StatusController.prototype, 'create', null);\n"
    "exports.StatusController = StatusController = __decorate([\n"
    "  (0, common_1.Controller)('status'),\n"
    "], StatusController);\n"
)
_COMPILED_MAIN = (
    "const core_1 = require('@nestjs/core');\n"
    "const app_module_1 = require('./app.module');\n"
    "async function bootstrap() {\n"
    "  const app = await core_1.NestFactory.create(app_module_1.AppModule);\n"
    "  app.setGlobalPrefix('/api');\n"
    "  await app.listen(3000);\n"
    "}\n"
    "bootstrap();\n"
)


def test_compiled_nest_decorators_are_read_as_decorators() -> None:
    routes = inventory(
        {"dist/status.controller.js": _COMPILED_CONTROLLER, "dist/main.js": _COMPILED_MAIN}
    )
    assert set(routes) == {"GET /api/status/cpu", "POST /api/status"}
    created = routes["POST /api/status"]
    assert created.handler == "StatusController.create"
    assert created.auth.status == "present"
    assert routes["GET /api/status/cpu"].auth.status != "present"


def test_decorate_calls_outside_a_controller_are_no_routes() -> None:
    # The same helper on a class no @Controller decorates (a service with a cron method) and
    # a member decorator that is not an HTTP method: nothing is served.
    source = _DECORATE_HELPER + (
        "const common_1 = require('@nestjs/common');\n"
        "const schedule_1 = require('@nestjs/schedule');\n"
        "let Jobs = class Jobs { get() { return 1; } tick() { return 2; } };\n"
        "__decorate([(0, common_1.Get)('/x')], Jobs.prototype, 'get', null);\n"
        "__decorate([(0, schedule_1.Cron)('* * * * *')], Jobs.prototype, 'tick', null);\n"
        "Jobs = __decorate([(0, common_1.Injectable)()], Jobs);\n"
    )
    assert route_list({"dist/jobs.service.js": source}) == []


def test_a_webpack_bundle_beside_its_modules_adds_no_second_route() -> None:
    bundle = (
        "var __webpack_modules__ = { 1: (module) => {\n"
        + _COMPILED_CONTROLLER.replace('"use strict";\n', "")
        + "}, 2: (module) => { module.exports = require('@nestjs/core'); } };\n"
        "function __webpack_require__(id) { return __webpack_modules__[id]; }\n"
        "document.querySelector('x');\n"
    )
    routes = route_list({"dist/status.controller.js": _COMPILED_CONTROLLER, "dist/main.js": bundle})
    assert sorted((r.method, r.path, r.file) for r in routes) == [
        ("GET", "/status/cpu", "dist/status.controller.js"),
        ("POST", "/status", "dist/status.controller.js"),
    ]


def test_event_listeners_named_on_are_no_routes() -> None:
    source = (
        "const express = require('express');\n"
        "const app = express();\n"
        "async function connect(server) {\n"
        "  server.on('/data', (chunk) => chunk);\n"
        "}\n"
        "app.on('mount', (parent) => parent);\n"
        "app.get('/ok', (req, res) => res.send('ok'));\n"
    )
    assert [(r.method, r.path) for r in route_list({"src/app.js": source})] == [("GET", "/ok")]


# ---- routes registered through a base-class wrapper, routers as an instance's `.router` ------

_BASE_CONTROLLER = (
    "import { Router } from 'express';\n"
    "const checkPermission = (p) => async (req, res, next) => {\n"
    "  if (req.checkRbac && (await req.checkRbac(p))) return next();\n"
    "  return res.status(403).end();\n"
    "};\n"
    "export default class Controller {\n"
    "  constructor(config) { this.app = Router(); }\n"
    "  route(options) {\n"
    "    this.app[options.method](options.path, checkPermission(options.permission),\n"
    "      this.wrap(options.handler.bind(this)));\n"
    "  }\n"
    "  wrap(h) { return async (req, res) => h(req, res); }\n"
    "  get(path, handler, permission) {\n"
    "    this.route({ method: 'get', path, handler, permission });\n"
    "  }\n"
    "  use(path, router) { this.app.use(path, router); }\n"
    "  get router() { return this.app; }\n"
    "}\n"
)
_PATHS = (
    "export const PATH = '/:projectId/features';\n"
    "export const PATH_FEATURE = `${PATH}/:featureName`;\n"
    "export var ApiPaths;\n"
    "(function (ApiPaths) {\n"
    "  ApiPaths['TAGS'] = '/tags';\n"
    "})(ApiPaths || (ApiPaths = {}));\n"
)
_FEATURES = (
    "import Controller from '../controller.js';\n"
    "import { PATH_FEATURE, ApiPaths } from './paths.js';\n"
    "const PATH_ENV = `${PATH_FEATURE}/environments/:environment`;\n"
    "export class FeatureController extends Controller {\n"
    "  constructor(config) {\n"
    "    super(config);\n"
    "    this.route({ method: 'post', path: `${PATH_ENV}/on`, handler: this.on,"
    " permission: 'UPDATE' });\n"
    "    this.get(PATH_FEATURE, this.getOne);\n"
    "    this.get(ApiPaths.TAGS, this.tags);\n"
    "  }\n"
    "  async on(req, res) { res.json({}); }\n"
    "  async getOne(req, res) { res.json({}); }\n"
    "  async tags(req, res) { res.json([]); }\n"
    "}\n"
)
_ADMIN = (
    "import Controller from './controller.js';\n"
    "import { FeatureController } from './features/features.js';\n"
    "export class AdminApi extends Controller {\n"
    "  constructor(config) {\n"
    "    super(config);\n"
    "    this.app.use('/projects', new FeatureController(config).router);\n"
    "  }\n"
    "}\n"
)
_INDEX = (
    "import Controller from './controller.js';\n"
    "import { AdminApi } from './admin.js';\n"
    "export default class IndexRouter extends Controller {\n"
    "  constructor(config) {\n"
    "    super(config);\n"
    "    this.use('/api/admin', new AdminApi(config).router);\n"
    "  }\n"
    "}\n"
)
_SERVER = (
    "import express from 'express';\n"
    "import IndexRouter from './routes/index.js';\n"
    "export default function getApp(config) {\n"
    "  const app = express();\n"
    "  const baseUriPath = config.server.baseUriPath || '';\n"
    "  app.use(`${baseUriPath}/`, new IndexRouter(config).router);\n"
    "  return app;\n"
    "}\n"
)


def test_routes_through_a_base_class_wrapper_mounted_as_instance_routers() -> None:
    routes = inventory(
        {
            "lib/routes/controller.js": _BASE_CONTROLLER,
            "lib/routes/features/paths.js": _PATHS,
            "lib/routes/features/features.js": _FEATURES,
            "lib/routes/admin.js": _ADMIN,
            "lib/routes/index.js": _INDEX,
            "lib/app.js": _SERVER,
        }
    )
    base = "/{baseUriPath}/api/admin/projects"
    assert set(routes) == {
        f"POST {base}/:projectId/features/:featureName/environments/:environment/on",
        f"GET {base}/:projectId/features/:featureName",
        f"GET {base}/tags",
    }
    toggled = routes[f"POST {base}/:projectId/features/:featureName/environments/:environment/on"]
    assert toggled.handler.endswith("on")
    assert toggled.file == "lib/routes/features/features.js"


def test_a_class_method_that_registers_its_own_route_is_no_wrapper() -> None:
    # `this.route(...)` with fixed arguments inside a class that does not extend a wrapper, and
    # a class whose methods only call each other: no routes out of thin air.
    source = (
        "import { Router } from 'express';\n"
        "export class Jobs {\n"
        "  constructor() { this.queue = []; }\n"
        "  route(options) { this.queue.push(options); }\n"
        "  start() { this.route({ path: '/tick', handler: this.tick }); }\n"
        "  tick() { return 1; }\n"
        "}\n"
    )
    assert route_list({"lib/jobs.js": source}) == []


# ---- routes whose path is a regular expression -------------------------------------------


def test_regex_route_paths_are_routes_with_their_groups_as_parameters() -> None:
    routes = inventory(
        {
            "lib/admin.js": (
                "const express = require('express');\n"
                "const admin = express();\n"
                "admin.get(/^\\/nodes\\/((@[^\\/]+\\/)?[^\\/]+)$/, (req, res) => res.json({}));\n"
                "admin.get(/^\\/nodes\\/messages/, (req, res) => res.json({}));\n"
                "admin.post(/^\\/library\\/([^\\/]+)\\/([^\\/]+)\\/(.*)/,\n"
                "  (req, res) => res.end());\n"
                "const notARoute = /^\\/ignored$/.test(process.argv[2]);\n"
                "module.exports = admin;\n"
            ),
        }
    )
    assert sorted(routes) == [
        "GET /nodes/:re1",
        "GET /nodes/messages",
        "POST /library/:re1/:re2/:re3",
    ]


def test_regex_route_path_keeps_literals_and_drops_anchors() -> None:
    from mcp_backend.review.javascript.frameworks.regex_paths import regex_route_path

    assert regex_route_path(r"^\/locales\/(.+)\/?$") == "/locales/:re1"
    assert regex_route_path(r"^\/api(?:\/v1)?\/items\/(\d+)$") == "/api/items/:re1"
    assert regex_route_path(r"^\/health$") == "/health"


# ---- fastify-plugin over a plugin defined above, its hook authenticating through a helper ----


def _fastify_app(plugin_export: str, helper_rejects: bool = True) -> dict[str, Route]:
    reject = (
        "  if (!key || key !== config.apiKey) {\n"
        "    throw new AuthError(401, 'Invalid API key');\n"
        "  }\n"
        if helper_rejects
        else "  request.apiKey = key;\n"
    )
    return inventory(
        {
            "src/plugins/auth.js": (
                "import fp from 'fastify-plugin';\n"
                "class AuthError extends Error {}\n"
                "const authPlugin = async (fastify, opts) => {\n"
                "  fastify.addHook('preHandler', async (request, reply) => {\n"
                "    try {\n"
                "      await authenticate(request, opts.config);\n"
                "    } catch (error) {\n"
                "      return reply.code(error.statusCode).send({ message: error.message });\n"
                "    }\n"
                "  });\n"
                "};\n"
                "async function authenticate(request, config) {\n"
                "  const key = request.headers['x-api-key'];\n" + reject + "}\n" + plugin_export
            ),
            "src/routes/servers.js": (
                "export default async function serversRoutes(fastify) {\n"
                "  fastify.delete('/api/servers/:name', async (request) =>\n"
                "    remove(request.params.name));\n"
                "}\n"
            ),
            "src/app.js": (
                "import Fastify from 'fastify';\n"
                "import authPlugin from './plugins/auth.js';\n"
                "import serversRoutes from './routes/servers.js';\n"
                "const app = Fastify();\n"
                "await app.register(authPlugin, { config });\n"
                "await app.register(serversRoutes);\n"
            ),
        }
    )


def test_fastify_plugin_wrapping_a_named_plugin_shares_its_authenticating_hook() -> None:
    wrapped = _fastify_app("export default fp(authPlugin, { name: 'auth' });\n")
    assert wrapped["DELETE /api/servers/:name"].auth.status == "present"
    # without fastify-plugin the hook stays inside the plugin's own scope
    scoped = _fastify_app("export default authPlugin;\n")
    assert scoped["DELETE /api/servers/:name"].auth.status != "present"
    # a helper that reads the key but turns nobody away authenticates nothing
    lenient = _fastify_app("export default fp(authPlugin);\n", helper_rejects=False)
    assert lenient["DELETE /api/servers/:name"].auth.status != "present"
