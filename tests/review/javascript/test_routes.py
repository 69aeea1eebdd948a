"""Route inventory per framework: prefixes, middleware order, imported middleware, guards."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest

from mcp_backend.review.javascript import analyze_file, link_javascript
from mcp_backend.review.model import Language, Route


def inventory(files: dict[str, str]) -> dict[str, Route]:
    routes = route_list(files)
    by_key = {f"{r.method} {r.path}": r for r in routes}
    assert len(by_key) == len(routes), "a route was listed twice"
    return by_key


def route_list(files: dict[str, str]) -> list[Route]:
    results = []
    for name, source in files.items():
        language: Language = "typescript" if name.endswith((".ts", ".tsx")) else "javascript"
        results.append(analyze_file(name, source, language))
    return link_javascript(results, "/project").routes


def test_express_mounts_order_and_imported_middleware() -> None:
    routes = inventory(
        {
            "src/auth.js": (
                "const jwt = require('jsonwebtoken');\n"
                "exports.requireAuth = (req, res, next) => {\n"
                "  try { req.user = jwt.verify(req.headers.authorization, process.env.K); "
                "next(); }\n"
                "  catch { res.status(401).end(); }\n"
                "};\n"
            ),
            "src/routes/items.js": (
                "const router = require('express').Router();\n"
                "router.get('/', (req, res) => res.json([]));\n"
                "router.delete('/:id', async (req, res) => { await "
                "Item.findById(req.params.id); });\n"
                "module.exports = router;\n"
            ),
            "src/app.js": (
                "const express = require('express');\n"
                "const { requireAuth } = require('./auth');\n"
                "const items = require('./routes/items');\n"
                "const app = express();\n"
                "app.get('/open', (req, res) => res.end());\n"
                "app.use(requireAuth);\n"
                "app.use('/api/items', items);\n"
                "app.post('/late', (req, res) => res.end());\n"
            ),
        }
    )
    assert routes["GET /open"].auth.status == "absent"  # registered before app.use(requireAuth)
    assert routes["POST /late"].auth.status == "present"
    deleted = routes["DELETE /api/items/:id"]
    assert deleted.auth.status == "present"
    assert deleted.auth.evidence[0].level == "app"
    assert deleted.loads_by_id is True
    assert deleted.mounted_prefix == "/api/items"


def test_express_router_level_role_check() -> None:
    routes = inventory(
        {
            "src/app.ts": (
                "import express, { Router } from 'express';\n"
                "const admin = Router();\n"
                "admin.use(passport.authenticate('jwt', { session: false }));\n"
                "admin.use((req, res, next) => req.user.role === 'admin' ? next() : "
                "res.status(403).end());\n"
                "admin.get('/stats', (req, res) => res.json({}));\n"
                "const app = express();\n"
                "app.use('/admin', admin);\n"
            ),
        }
    )
    stats = routes["GET /admin/stats"]
    assert stats.auth.status == "present" and stats.auth.evidence[0].level == "router"
    assert stats.authz.status == "present"


def test_hono_base_path_use_patterns_and_validator() -> None:
    routes = inventory(
        {
            "src/books.ts": (
                "import { Hono } from 'hono'\n"
                "const books = new Hono()\n"
                "books.get('/', (c) => c.json([]))\n"
                "books.post('/', zValidator('json', schema), (c) => c.json(c.req.valid('json')))\n"
                "export default books\n"
            ),
            "src/index.ts": (
                "import { Hono } from 'hono'\n"
                "import { jwt } from 'hono/jwt'\n"
                "import books from './books'\n"
                "const app = new Hono().basePath('/api')\n"
                "app.use('/books/*', jwt({ secret: process.env.SECRET! }))\n"
                "app.route('/books', books)\n"
                "app.get('/health', (c) => c.text('ok'))\n"
                "export default app\n"
            ),
        }
    )
    created = routes["POST /api/books"]
    assert created.framework == "hono"
    assert created.auth.status == "present"
    assert created.validation.status == "present"
    assert routes["GET /api/health"].auth.status == "absent"
    assert routes["GET /api/health"].public_by_design is not None


def test_fastify_plugin_prefix_hooks_and_schema() -> None:
    routes = inventory(
        {
            "src/routes/orders.js": (
                "module.exports = async function orders(fastify, opts) {\n"
                "  fastify.addHook('onRequest', fastify.authenticate);\n"
                "  fastify.get('/', async (request, reply) => []);\n"
                "  fastify.post('/', { schema: { body: { type: 'object' } } }, async (request) "
                "=> request.body);\n"
                "};\n"
            ),
            "src/app.js": (
                "const Fastify = require('fastify');\n"
                "const app = Fastify();\n"
                "app.decorate('authenticate', async (request, reply) => {\n"
                "  try { await request.jwtVerify(); } catch (err) { reply.code(401).send(err); }\n"
                "});\n"
                "app.register(require('@fastify/rate-limit'), { max: 100 });\n"
                "app.register(require('./routes/orders'), { prefix: '/orders' });\n"
                "app.get('/ping', async () => 'pong');\n"
            ),
        }
    )
    created = routes["POST /orders"]
    assert created.framework == "fastify"
    assert created.auth.status == "present"
    assert created.validation.status == "present"
    assert created.rate_limit.status == "present"
    assert routes["GET /ping"].auth.status == "absent"


def test_nestjs_guards_roles_public_and_validation() -> None:
    routes = inventory(
        {
            "src/main.ts": (
                "import { NestFactory } from '@nestjs/core';\n"
                "async function bootstrap() {\n"
                "  const app = await NestFactory.create(AppModule);\n"
                "  app.setGlobalPrefix('api');\n"
                "  app.useGlobalPipes(new ValidationPipe({ whitelist: true }));\n"
                "}\n"
            ),
            "src/app.module.ts": (
                "import { Module } from '@nestjs/common';\n"
                "@Module({ providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }] })\n"
                "export class AppModule {}\n"
            ),
            "src/users/dto.ts": (
                "import { IsEmail } from 'class-validator';\n"
                "export class CreateUserDto { @IsEmail() email: string; }\n"
            ),
            "src/users/users.controller.ts": (
                "import { Controller, Get, Post, Delete, Body, Param, UseGuards } from "
                "'@nestjs/common';\n"
                "@Controller('users')\n"
                "export class UsersController {\n"
                "  @Public()\n  @Get('health')\n  health() { return 'ok'; }\n"
                "  @Post()\n  create(@Body() dto: CreateUserDto) { return dto; }\n"
                "  @Delete(':id')\n  @UseGuards(RolesGuard)\n  @Roles('admin')\n  "
                "remove(@Param('id') id: string) { return id; }\n"
                "}\n"
            ),
        }
    )
    assert routes["POST /api/users"].auth.status == "present"
    assert routes["POST /api/users"].validation.status == "present"
    assert routes["GET /api/users/health"].auth.status == "absent"
    assert routes["DELETE /api/users/:id"].authz.status == "present"


def test_express_router_factory_and_app_all_middleware() -> None:
    routes = inventory(
        {
            "src/routes/users.js": (
                "const { Router } = require('express');\n"
                "module.exports = (db) => {\n"
                "  const router = Router();\n"
                "  router.get('/:id', async (req, res) => res.json(await "
                "db.users.findById(req.params.id)));\n"
                "  return router;\n"
                "};\n"
            ),
            "src/app.js": (
                "const express = require('express');\n"
                "const app = express();\n"
                "app.all('/api/*', passport.authenticate('jwt', { session: false }));\n"
                "app.use('/api/users', require('./routes/users')(db));\n"
                "app.get('/public', (req, res) => res.end());\n"
            ),
        }
    )
    user = routes["GET /api/users/:id"]
    assert user.auth.status == "present"
    assert user.loads_by_id is True
    assert routes["GET /public"].auth.status == "absent"
    assert "ANY /api/*" not in routes


def test_a_verb_on_a_wildcard_path_guards_that_verb_only() -> None:
    # app.put('/api/v1/*', writeAuth()): every PUT under /api/v1 passes through it first
    routes = inventory(
        {
            "src/app.js": (
                "const express = require('express');\n"
                "const app = express();\n"
                "app.put('/api/v1/*', passport.authenticate('jwt', { session: false }));\n"
                "app.put('/api/v1/settings', (req, res) => res.json(req.body));\n"
                "app.delete('/api/v1/items/:id', (req, res) => res.end());\n"
                "app.put('/other/settings', (req, res) => res.json(req.body));\n"
            ),
        }
    )
    assert routes["PUT /api/v1/settings"].auth.status == "present"
    assert routes["DELETE /api/v1/items/:id"].auth.status == "absent"  # not a PUT
    assert routes["PUT /other/settings"].auth.status == "absent"  # not under the path
    assert routes["PUT /api/v1/*"].auth.status == "present"  # listed, and guarded by itself


def test_unmounted_project_middleware_without_evidence_is_not_auth() -> None:
    routes = inventory(
        {
            "src/mw.js": (
                "exports.hasOAuthProvider = (req, res, next) => {\n"
                "  if (!req.provider.oauth) return res.sendStatus(400);\n"
                "  next();\n"
                "};\n"
            ),
            "src/app.js": (
                "const express = require('express');\n"
                "const mw = require('./mw');\n"
                "const app = express();\n"
                "app.use(helmet.frameguard());\n"
                "app.post('/:provider/connect', mw.hasOAuthProvider, (req, res) => res.end());\n"
            ),
        }
    )
    assert routes["POST /:provider/connect"].auth.status == "absent"


def test_tests_referring_to_routes() -> None:
    routes = inventory(
        {
            "src/app.ts": (
                "import express from 'express';\n"
                "const app = express();\n"
                "app.delete('/api/users/:id', requireAuth, (req, res) => res.end());\n"
                "app.post('/api/payments', requireAuth, (req, res) => res.end());\n"
                "app.post('/api/admin/reset', requireAuth, (req, res) => res.end());\n"
            ),
            "test/users.test.ts": (
                "it('deletes', () => request(app).delete('/api/users/' + id).expect(204));\n"
                "it('pays', () => request(app.getHttpServer()).post('/payments').expect(201));\n"
            ),
        }
    )
    assert routes["DELETE /api/users/:id"].tested is True
    assert routes["POST /api/payments"].tested is True
    assert routes["POST /api/admin/reset"].tested is False


def test_robust_on_empty_broken_and_minified_files() -> None:
    from mcp_backend.review.javascript import analyze_file

    assert analyze_file("src/empty.js", "", "javascript").skipped is None
    broken = analyze_file("src/broken.ts", "app.get('/x', (req, res) => { res.send(", "typescript")
    assert broken.skipped is None
    minified = analyze_file("dist/app.min.js", "var a=1;" * 20_000, "javascript")
    assert minified.skipped == "minified"


def test_express_controllers_protect_admin_chain() -> None:
    routes = inventory(
        {
            "backend/middleware/authMiddleware.js": (
                "import jwt from 'jsonwebtoken';\n"
                "import asyncHandler from './asyncHandler.js';\n"
                "import User from '../models/userModel.js';\n"
                "const protect = asyncHandler(async (req, res, next) => {\n"
                "  const token = req.cookies.jwt;\n"
                "  if (!token) { res.status(401); throw new Error('Not authorized, no token'); }\n"
                "  const decoded = jwt.verify(token, process.env.JWT_SECRET);\n"
                "  req.user = await User.findById(decoded.userId).select('-password');\n"
                "  next();\n"
                "});\n"
                "const admin = (req, res, next) => {\n"
                "  if (req.user && req.user.isAdmin) { next(); }\n"
                "  else { res.status(401); throw new Error('Not authorized as an admin'); }\n"
                "};\n"
                "export { protect, admin };\n"
            ),
            "backend/controllers/productController.js": (
                "const getProductById = asyncHandler(async (req, res) => {\n"
                "  const product = await Product.findById(req.params.id);\n"
                "  res.json(product);\n"
                "});\n"
                "const deleteProduct = asyncHandler(async (req, res) => {\n"
                "  await Product.deleteOne({ _id: req.params.id });\n"
                "  res.json({ message: 'Product removed' });\n"
                "});\n"
                "export { getProductById, deleteProduct };\n"
            ),
            "backend/routes/productRoutes.js": (
                "import express from 'express';\n"
                "const router = express.Router();\n"
                "import { getProductById, deleteProduct }"
                " from '../controllers/productController.js';\n"
                "import { protect, admin } from '../middleware/authMiddleware.js';\n"
                "router.route('/:id').get(getProductById).delete(protect, admin, deleteProduct);\n"
                "export default router;\n"
            ),
            "backend/server.js": (
                "import express from 'express';\n"
                "import productRoutes from './routes/productRoutes.js';\n"
                "const app = express();\n"
                "app.use('/api/products', productRoutes);\n"
            ),
        }
    )
    shown = routes["GET /api/products/:id"]
    assert shown.auth.status == "absent"
    assert shown.loads_by_id is True
    assert shown.handler == "getProductById"
    deleted = routes["DELETE /api/products/:id"]
    assert deleted.auth.status == "present"
    assert deleted.authz.status == "present"


def test_dynamically_loaded_routers_have_unknown_protection() -> None:
    routes = inventory(
        {
            "src/routes/orders.js": (
                "const router = require('express').Router();\n"
                "router.delete('/orders/:id', (req, res) => res.end());\n"
                "module.exports = router;\n"
            ),
            "src/app.js": (
                "const express = require('express');\n"
                "const fs = require('fs');\n"
                "const app = express();\n"
                "app.use(requireAuth);\n"
                "fs.readdirSync(__dirname + '/routes').forEach((file) => {\n"
                "  app.use('/', require('./routes/' + file));\n"
                "});\n"
            ),
        }
    )
    assert routes["DELETE /orders/:id"].auth.status == "unknown"


def test_query_values_cast_on_the_spot_are_not_raw_reads() -> None:
    routes = inventory(
        {
            "src/app.js": (
                "const app = require('express')();\n"
                "app.get('/items', (req, res) => {\n"
                "  const page = parseInt(req.query.page, 10) || 1;\n"
                "  res.json({ page });\n"
                "});\n"
                "app.get('/search', (req, res) => res.json(search(req.query.q)));\n"
                "app.get('/splash', (req, res) => {\n"
                "  const cache = req.query.nocache !== '1';\n"
                "  res.sendFile(SPLASH, cache ? { maxAge: '365d' } : { maxAge: 0 });\n"
                "});\n"
                "app.get('/find', (req, res) => res.json(find(req.query.q === 'all' ? null : "
                "req.query.q)));\n"
            ),
        }
    )
    assert routes["GET /items"].reads_request_data is False
    assert routes["GET /search"].reads_request_data is True
    # a flag compared to a literal yields true or false, not the client's text
    assert routes["GET /splash"].reads_request_data is False
    assert routes["GET /find"].reads_request_data is True


def test_nestjs_global_roles_guard_needs_roles_metadata() -> None:
    routes = inventory(
        {
            "src/roles.guard.ts": (
                "import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';\n"
                "@Injectable()\n"
                "export class RolesGuard implements CanActivate {\n"
                "  constructor(private reflector: Reflector) {}\n"
                "  canActivate(context: ExecutionContext): boolean {\n"
                "    const roles = this.reflector.getAllAndOverride<string[]>('roles', "
                "[context.getHandler()]);\n"
                "    if (!roles) return true;\n"
                "    const { user } = context.switchToHttp().getRequest();\n"
                "    return roles.some((role) => user.roles?.includes(role));\n"
                "  }\n"
                "}\n"
            ),
            "src/app.module.ts": (
                "@Module({ providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard },\n"
                "  { provide: APP_GUARD, useClass: RolesGuard }] })\n"
                "export class AppModule {}\n"
            ),
            "src/admin.controller.ts": (
                "import { Controller, Delete, Get } from '@nestjs/common';\n"
                "@Controller('admin')\n"
                "export class AdminController {\n"
                "  @Get('stats')\n  stats() { return 1; }\n"
                "  @Delete('users/:id')\n  @Roles('admin')\n  remove() { return 1; }\n"
                "}\n"
            ),
        }
    )
    assert routes["GET /admin/stats"].auth.status == "present"
    assert routes["GET /admin/stats"].authz.status == "absent"
    assert routes["DELETE /admin/users/:id"].authz.status == "present"


def test_path_aliases_in_a_monorepo() -> None:
    routes = inventory(
        {
            "apps/api/src/middleware/auth.ts": (
                "export const gate = (req, res, next) => {\n"
                "  if (!req.user) return res.status(401).json({ error: 'login required' });\n"
                "  next();\n"
                "};\n"
            ),
            "apps/api/src/index.ts": (
                "import express from 'express';\n"
                "import { gate } from '@/middleware/auth';\n"
                "const app = express();\n"
                "app.post('/orders', gate, (req, res) => res.end());\n"
            ),
        }
    )
    assert routes["POST /orders"].auth.status == "present"
    assert routes["POST /orders"].auth.evidence[0].detail == "gate"


def test_fastify_inline_plugin_with_prefix_and_hook() -> None:
    routes = inventory(
        {
            "src/server.ts": (
                "import Fastify from 'fastify';\n"
                "const app = Fastify();\n"
                "app.register(async (api) => {\n"
                "  api.addHook('onRequest', async (request, reply) => {\n"
                "    try { await request.jwtVerify(); } catch { return reply.code(401).send(); }\n"
                "  });\n"
                "  api.delete('/projects/:id', async (request) => request.params);\n"
                "}, { prefix: '/api' });\n"
                "app.get('/health', async () => 'ok');\n"
            ),
        }
    )
    assert routes["DELETE /api/projects/:id"].auth.status == "present"
    assert routes["GET /health"].auth.status == "absent"


def test_raw_request_data_is_unvalidated_only_where_the_handler_uses_it() -> None:
    routes = inventory(
        {
            "src/routes/bank.js": (
                "const express = require('express');\n"
                "const bank = require('../services/bank');\n"
                "const app = express();\n"
                "app.post('/link', async (req, res) => {\n"
                "  const { institutionId } = req.body || {};\n"
                "  const { link } = await bank.createLink({ institutionId });\n"
                "  res.send({ link });\n"
                "});\n"
                "app.post('/notes', async (req, res) => {\n"
                "  const note = await Note.create(req.body);\n"
                "  res.status(201).json(note);\n"
                "});\n"
                "app.post('/tags', async (req, res) => {\n"
                "  const { name } = req.body;\n"
                "  await db.query('INSERT INTO tags (name) VALUES ($1)', [name]);\n"
                "  res.status(201).end();\n"
                "});\n"
                "app.put('/profile', async (req, res) => {\n"
                "  await users.update(req.user.id, { ...req.body });\n"
                "  res.end();\n"
                "});\n"
                "app.post('/restock', async (req, res) => {\n"
                "  for (const id of req.body.ids) {\n"
                "    await pool.query('UPDATE items SET stock = stock + 1 WHERE id = $1', [id]);\n"
                "  }\n"
                "  res.end();\n"
                "});\n"
            ),
        }
    )
    handed_on = routes["POST /link"]
    assert handed_on.reads_request_data
    assert handed_on.validation.status == "unknown"
    for used_as_is in ("POST /notes", "POST /tags", "PUT /profile", "POST /restock"):
        assert routes[used_as_is].validation.status == "absent", used_as_is


def test_nestjs_scalar_body_fields_are_not_a_raw_body() -> None:
    routes = inventory(
        {
            "src/users.controller.ts": (
                "import { Body, Controller, Post, Query, Get } from '@nestjs/common';\n"
                "@Controller('users')\n"
                "export class UsersController {\n"
                "  constructor(private readonly users: UsersService) {}\n"
                "  @Post('password/reset-request')\n"
                "  requestReset(@Body('email') email: string) {\n"
                "    return this.users.sendResetMail(email);\n"
                "  }\n"
                "  @Get('search')\n"
                "  search(@Query('q') q?: string) { return this.users.search(q); }\n"
                "  @Post('domains')\n"
                "  addDomain(@Body() body: { domain: string }) {\n"
                "    return this.users.addDomain(body.domain);\n"
                "  }\n"
                "}\n"
            ),
        }
    )
    assert not routes["POST /users/password/reset-request"].reads_request_data
    assert not routes["GET /users/search"].reads_request_data
    # An inline type is erased at run time: no pipe can check it.
    assert routes["POST /users/domains"].reads_request_data
    assert routes["POST /users/domains"].validation.status == "absent"


def test_session_checks_delegated_to_a_helper_that_answers_401() -> None:
    routes = inventory(
        {
            "src/util/session.js": (
                "export function validateSession(req, res) {\n"
                "  const session = sessions.get(req.headers['x-token']);\n"
                "  if (!session) {\n"
                "    res.status(401).send({ reason: 'unauthorized' });\n"
                "    return null;\n"
                "  }\n"
                "  return session;\n"
                "}\n"
                "export const validateSessionMiddleware = async (req, res, next) => {\n"
                "  const session = await validateSession(req, res);\n"
                "  if (!session) {\n"
                "    return;\n"
                "  }\n"
                "  res.locals = session;\n"
                "  next();\n"
                "};\n"
                "export const parseBodyMiddleware = (req, res, next) => {\n"
                "  if (!req.body) return;\n"
                "  next();\n"
                "};\n"
            ),
            "src/app-files.js": (
                "import express from 'express';\n"
                "import { validateSessionMiddleware, parseBodyMiddleware } from "
                "'./util/session.js';\n"
                "const app = express();\n"
                "export { app as handlers };\n"
                "app.use(parseBodyMiddleware);\n"
                "app.post('/open', (req, res) => res.send(files.create(req.body.name)));\n"
                "app.use(validateSessionMiddleware);\n"
                "app.post('/rename', (req, res) => res.send(files.rename(req.body.name)));\n"
            ),
            "src/app-account.js": (
                "import express from 'express';\n"
                "import { validateSession } from './util/session.js';\n"
                "const app = express();\n"
                "export { app as handlers };\n"
                "app.post('/change-password', (req, res) => {\n"
                "  const session = validateSession(req, res);\n"
                "  if (!session) return;\n"
                "  changePassword(session.user_id, req.body.password);\n"
                "  res.send({ status: 'ok' });\n"
                "});\n"
                "app.get('/me', (req, res) => {\n"
                "  const session = validateSession(req, res);\n"
                "  if (session) res.send(users.get(session.user_id));\n"
                "});\n"
                "app.get('/login-methods', (req, res) => res.send(methods()));\n"
                "app.post('/bootstrap', (req, res) => res.send(bootstrap(req.body.password)));\n"
                "app.post('/access', (req, res) => {\n"
                "  const session = validateSession(req, res);\n"
                "  if (!session) return;\n"
                "  if (!isAdmin(session.user_id)) {\n"
                "    res.status(400).send({\n"
                '      details: "You don\'t have permissions over this file",\n'
                "    });\n"
                "    return;\n"
                "  }\n"
                "  res.send(grant(req.body.fileId));\n"
                "});\n"
            ),
            "src/app.js": (
                "import express from 'express';\n"
                "import * as filesApp from './app-files.js';\n"
                "import * as accountApp from './app-account.js';\n"
                "const app = express();\n"
                "app.use('/files', filesApp.handlers);\n"
                "app.use('/account', accountApp.handlers);\n"
            ),
        }
    )
    assert routes["POST /files/open"].auth.status == "absent"  # a body check is not auth
    assert routes["POST /files/rename"].auth.status == "present"
    assert routes["POST /account/change-password"].auth.status == "present"
    assert routes["GET /account/me"].auth.status == "present"
    assert routes["POST /account/access"].authz.status == "present"
    assert routes["GET /account/login-methods"].public_by_design
    assert routes["POST /account/bootstrap"].public_by_design


def test_strong_auth_names_may_end_in_middleware() -> None:
    from mcp_backend.review.javascript.frameworks import common

    assert common.strong_name_kinds("validateSessionMiddleware") == ("auth",)
    assert common.strong_name_kinds("authMiddleware") == ("auth",)
    assert common.strong_name_kinds("loggerMiddleware") == ()
    assert common.strong_name_kinds("authRouter") == ()


def test_nestjs_rate_limit_guards_and_consumer_middleware() -> None:
    routes = inventory(
        {
            "src/auth/login-rate-limit.guard.ts": (
                "import { CanActivate, HttpException, Injectable } from '@nestjs/common';\n"
                "@Injectable()\n"
                "export class LoginRateLimitGuard implements CanActivate {\n"
                "  canActivate(context) {\n"
                "    const ip = context.switchToHttp().getRequest().ip;\n"
                "    if (this.limiter.hit(ip) > 5) {\n"
                "      throw new HttpException('Too many requests', 429);\n"
                "    }\n"
                "    return true;\n"
                "  }\n"
                "}\n"
            ),
            "src/auth/throttle.middleware.ts": (
                "import { Injectable, NestMiddleware } from '@nestjs/common';\n"
                "@Injectable()\n"
                "export class AuthThrottleMiddleware implements NestMiddleware {\n"
                "  use(req, res, next) {\n"
                "    if (this.counter.exceeded(req.ip)) {\n"
                "      return res.status(429).json({ message: 'Too many requests' });\n"
                "    }\n"
                "    next();\n"
                "  }\n"
                "}\n"
            ),
            "src/auth/auth.module.ts": (
                "import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';\n"
                "import { AuthThrottleMiddleware } from './throttle.middleware';\n"
                "@Module({ controllers: [AuthController] })\n"
                "export class AuthModule implements NestModule {\n"
                "  configure(consumer: MiddlewareConsumer) {\n"
                "    consumer.apply(AuthThrottleMiddleware).forRoutes('iam/*');\n"
                "    consumer.apply(AuthThrottleMiddleware).forRoutes(`${this.base}/*path`);\n"
                "  }\n"
                "}\n"
            ),
            "src/auth/auth.controller.ts": (
                "import { Body, Controller, Post, UseGuards } from '@nestjs/common';\n"
                "import { LoginRateLimitGuard } from './login-rate-limit.guard';\n"
                "@Controller('auth')\n"
                "export class AuthController {\n"
                "  @Post('signin')\n"
                "  @UseGuards(LoginRateLimitGuard)\n"
                "  signIn(@Body() input: SignInInput) { return this.auth.signIn(input); }\n"
                "}\n"
                "@Controller('iam')\n"
                "export class IamController {\n"
                "  @Post('sign-in/email')\n"
                "  signIn(@Body() input: SignInInput) { return this.auth.signIn(input); }\n"
                "}\n"
                "@Controller('sso')\n"
                "export class SsoController {\n"
                "  @Post('login')\n"
                "  login(@Body() input: SignInInput) { return this.auth.signIn(input); }\n"
                "}\n"
            ),
        }
    )
    signin = routes["POST /auth/signin"]
    assert signin.rate_limit.status == "present"
    assert signin.auth.status == "absent"  # a limiter is not authentication
    assert routes["POST /iam/sign-in/email"].rate_limit.status == "present"
    # The second forRoutes path is built at run time: it may cover /sso/login.
    assert routes["POST /sso/login"].rate_limit.status == "unknown"


def test_error_handlers_after_each_route_and_on_a_hook_app() -> None:
    files = {
        "src/util.js": (
            "module.exports = {\n"
            "  errorHandler: function (err, req, res, next) {\n"
            "    res.status(400).json({ code: 'unexpected_error' });\n"
            "  },\n"
            "};\n"
        ),
        "src/admin.js": (
            "const express = require('express');\n"
            "const apiUtil = require('./util');\n"
            "const app = express();\n"
            "app.delete('/flow/:id', needsPermission('flows.write'), flows.remove, "
            "apiUtil.errorHandler);\n"
            "module.exports = app;\n"
        ),
    }
    results = [analyze_file(name, source, "javascript") for name, source in files.items()]
    index = link_javascript(results, "/project")
    (route,) = index.routes
    assert route.handler == "flows.remove"  # not the trailing error handler
    assert index.facts["error_handlers"]
    hook = analyze_file(
        "src/hooks/errors.js",
        "exports.expressCreateServer = (hookName, args, cb) => {\n"
        "  args.app.use((err, req, res, next) => res.status(500).send({ error: 'failed' }));\n"
        "  return cb();\n"
        "};\n",
        "javascript",
    )
    assert hook.facts.get("error_handlers")


def test_prefixes_and_paths_held_in_module_constants() -> None:
    routes = inventory(
        {
            "src/server.ts": (
                "import fastify from 'fastify';\n"
                "import login from './login';\n"
                "enum PREFIX {\n"
                "  WEB = '/-/web',\n"
                "}\n"
                "const app = fastify();\n"
                "app.register(login, { prefix: PREFIX.WEB });\n"
            ),
            "src/login.ts": (
                "export default async function login(fastify) {\n"
                "  fastify.post('/login', async (request) => fastify.auth.check(request.body));\n"
                "}\n"
            ),
            "src/app.js": (
                "const express = require('express');\n"
                "const API = '/api/v1';\n"
                "const PATHS = { health: '/healthz' };\n"
                "const app = express();\n"
                "const router = express.Router();\n"
                "router.get(PATHS.health, (req, res) => res.send('ok'));\n"
                "app.use(API, router);\n"
            ),
        }
    )
    assert "POST /-/web/login" in routes
    assert "GET /api/v1/healthz" in routes


def test_middleware_arrays_and_a_project_express_wrapper() -> None:
    routes = inventory(
        {
            "src/shared/express.js": (
                "const express = require('express');\n"
                "module.exports = (name) => { const app = express(); app.set('name', name); "
                "return app; };\n"
                "module.exports.Router = (name, options) => express.Router(options);\n"
            ),
            "src/auth/session.js": (
                "exports.authenticate = async (req, res, next) => {\n"
                "  const user = await sessions.userFor(req.cookies.sid);\n"
                "  if (!user) return next(new UnauthorizedError());\n"
                "  req.user = user;\n"
                "  next();\n"
                "};\n"
            ),
            "src/api/middleware.js": (
                "const session = require('../auth/session');\n"
                "module.exports.authAdminApi = [session.authenticate, requireRole('admin'), "
                "updateLastSeen];\n"
                "module.exports.publicAdminApi = [cors, prettyUrls];\n"
            ),
            "src/api/routes.js": (
                "const express = require('../shared/express');\n"
                "const mw = require('./middleware');\n"
                "module.exports = function apiRoutes() {\n"
                "  const router = express.Router('admin api');\n"
                "  router.get('/site', mw.publicAdminApi, http(api.site.read));\n"
                "  router.post('/posts', mw.authAdminApi, http(api.posts.add));\n"
                "  router.delete('/posts/:id', mw.publicAdminApi, http(api.posts.destroy));\n"
                "  return router;\n"
                "};\n"
            ),
            "src/api/app.js": (
                "const express = require('../shared/express');\n"
                "const routes = require('./routes');\n"
                "module.exports = function setupApiApp() {\n"
                "  const apiApp = express('admin api');\n"
                "  apiApp.use(routes());\n"
                "  return apiApp;\n"
                "};\n"
            ),
            "src/server.js": (
                "const setupApiApp = require('./api/app');\nsetupApiApp().listen(2368);\n"
            ),
        }
    )
    posts = routes["POST /posts"]
    assert posts.auth.status == "present"
    assert posts.authz.status == "present"
    assert routes["DELETE /posts/:id"].auth.status == "absent"  # cors + pretty urls only


def test_identity_loaders_and_unreadable_handlers() -> None:
    routes = inventory(
        {
            "src/members.js": (
                "const express = require('express');\n"
                "const router = express.Router();\n"
                "const loadMemberSession = async (req, res, next) => {\n"
                "  try {\n"
                "    req.member = await ssr.getMemberFromSession(req, res);\n"
                "  } catch (err) {\n"
                "    req.member = null;\n"
                "  }\n"
                "  next();\n"
                "};\n"
                "router.post('/early', http(api.comments.add));\n"
                "router.use(loadMemberSession);\n"
                "router.post('/comments', http(api.comments.add));\n"
                "router.post('/notes', async (req, res) => {\n"
                "  res.json(await notes.create({ text: req.body.text }));\n"
                "});\n"
                "router.get('/account', async (req, res) => {\n"
                "  const member = await ssr.getMemberDataFromSession(req, res);\n"
                "  res.json(member ? format(member) : null);\n"
                "});\n"
                "router.get('/users/:id', async (req, res) => {\n"
                "  res.json(await getUser(req.params.id));\n"
                "});\n"
                "router.put('/session/verify', http(api.session.verify));\n"
                "router.post('/authentication/invitation', http(api.auth.acceptInvitation));\n"
                "module.exports = router;\n"
            ),
        }
    )
    assert routes["POST /early"].auth.status == "absent"  # registered before the loader
    assert routes["POST /comments"].auth.status == "unknown"  # the handler may require it
    assert routes["POST /notes"].auth.status == "absent"  # readable, and it does not
    assert routes["GET /account"].auth.status == "present"  # acts on the session's member
    assert routes["GET /users/:id"].auth.status == "absent"  # a lookup by id is not a check
    assert routes["PUT /session/verify"].public_by_design
    assert routes["POST /authentication/invitation"].public_by_design


def test_commonjs_re_exports_aliases_and_delegating_handlers() -> None:
    routes = inventory(
        {
            "src/services/members/index.js": "module.exports = require('./service');\n",
            "src/services/members/service.js": (
                "module.exports.middleware = require('./middleware');\n"
            ),
            "src/services/members/middleware.js": (
                "const crypto = require('crypto');\n"
                "const authMemberByUuid = async function (req, res, next) {\n"
                "  const hmac = crypto.createHmac('sha256', secret).update(req.query.uuid)"
                ".digest('hex');\n"
                "  if (hmac !== req.query.key) throw new UnauthorizedError();\n"
                "  req.member = await members.read(req.query.uuid);\n"
                "  next();\n"
                "};\n"
                "const updateNewsletters = async function (req, res) {\n"
                "  res.json(await newsletters.update(req.member.id, req.body.ids));\n"
                "};\n"
                "module.exports = { authMemberByUuid, updateNewsletters };\n"
            ),
            "src/web/members.js": (
                "const express = require('express');\n"
                "const membersService = require('../services/members');\n"
                "const middleware = membersService.middleware;\n"
                "const app = express();\n"
                "app.put('/newsletters', middleware.authMemberByUuid, "
                "middleware.updateNewsletters);\n"
                "app.put('/subscriptions/:id', function lazyUpdate(req, res, next) {\n"
                "  return membersService.api.middleware.updateSubscription(req, res, next);\n"
                "});\n"
                "app.put('/profile', (req, res) => saveProfile(req, res));\n"
                "function saveProfile(req, res) { res.json(profiles.save(req.body)); }\n"
                "module.exports = app;\n"
            ),
        }
    )
    newsletters = routes["PUT /newsletters"]
    assert newsletters.auth.status == "present"  # resolved through the re-exports
    assert newsletters.handler == "middleware.updateNewsletters"
    assert newsletters.reads_request_data  # the handler's body was read
    # Handed to code built at run time: out of sight, not missing.
    assert routes["PUT /subscriptions/:id"].auth.status == "unknown"
    assert routes["PUT /profile"].auth.status == "absent"  # the delegate is readable


def test_a_records_status_is_not_a_health_check() -> None:
    routes = inventory(
        {
            "src/app.js": (
                "const express = require('express');\n"
                "const app = express();\n"
                "app.get('/status', (req, res) => res.json({ ok: true }));\n"
                "app.patch('/orders/:id/status', async (req, res) => {\n"
                "  await Order.updateOne({ _id: req.params.id }, { status: req.body.status });\n"
                "  res.end();\n"
                "});\n"
                "app.use(requireAuth);\n"
                "app.get('/me', (req, res) => res.json(req.user));\n"
            ),
        }
    )
    assert routes["GET /status"].public_by_design
    assert not routes["PATCH /orders/:id/status"].public_by_design


def test_nestjs_session_loading_middleware_is_not_authentication() -> None:
    routes = inventory(
        {
            "src/session.middleware.ts": (
                "import { Injectable, NestMiddleware } from '@nestjs/common';\n"
                "@Injectable()\n"
                "export class SessionMiddleware implements NestMiddleware {\n"
                "  async use(req, res, next) {\n"
                "    const session = await this.readSession(req);\n"
                "    if (session) req.user = session.user;\n"
                "    next();\n"
                "  }\n"
                "  private async readSession(req) {\n"
                "    const token = req.headers.authorization;\n"
                "    if (!token) {\n"
                "      return;\n"
                "    }\n"
                "    return this.sessions.isValid(token) ? this.sessions.get(token) : null;\n"
                "  }\n"
                "}\n"
            ),
            "src/app.module.ts": (
                "import { Module } from '@nestjs/common';\n"
                "import { SessionMiddleware } from './session.middleware';\n"
                "@Module({})\n"
                "export class AppModule {\n"
                "  configure(consumer) { consumer.apply(SessionMiddleware).forRoutes('*'); }\n"
                "}\n"
            ),
            "src/notes.controller.ts": (
                "import { Controller, Delete, Param } from '@nestjs/common';\n"
                "@Controller('notes')\n"
                "export class NotesController {\n"
                "  @Delete(':id')\n"
                "  remove(@Param('id') id: string) { return this.notes.remove(id); }\n"
                "}\n"
            ),
        }
    )
    removed = routes["DELETE /notes/:id"]
    assert removed.auth.status == "absent"
    assert removed.validation.status == "absent"


FASTIFY_HOOKS = """
export default async function routes(app) {
  app.get('/orders', {
    preHandler: [app.loadCart],
    onRequest: [app.authenticate],
    preValidation: [app.checkPlan],
  }, async () => []);
  app.get('/a', async () => 1).get('/b', async () => 2);
}
"""


def test_facts_are_the_same_in_every_process() -> None:
    """Hooks in Fastify's own order and chained registrations inner first, whatever the hash
    seed: a result cached by one process must equal what another computes."""
    script = (
        "import json, sys\n"
        "from mcp_backend.review.javascript import analyze_file\n"
        "result = analyze_file('src/routes.js', sys.stdin.read(), 'javascript')\n"
        "print(json.dumps(result.facts['ops']))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            input=FASTIFY_HOOKS,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
    ops = json.loads(outputs.pop())
    hooks = [item["ref"] for item in ops[0]["items"]]
    assert hooks == ["app.authenticate", "app.checkPlan", "app.loadCart"]
    assert [op["path"] for op in ops[1:]] == ["/a", "/b"]


def test_nestjs_controller_written_in_javascript(caplog: pytest.LogCaptureFixture) -> None:
    """Nest sources compiled by Babel are .js with decorators; the JavaScript grammar has no
    abstract classes, and asking it for them failed every such file's facts."""
    with caplog.at_level(logging.ERROR):
        routes = inventory(
            {
                "src/users.controller.js": (
                    "import { Controller, Delete, Get, UseGuards } from '@nestjs/common';\n"
                    "@Controller('users')\n"
                    "export class UsersController {\n"
                    "  @Get()\n  list() { return []; }\n"
                    "  @Delete(':id')\n  @UseGuards(AuthGuard('jwt'))\n  remove() { return 1; }\n"
                    "}\n"
                ),
            }
        )
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert routes["GET /users"].auth.status == "absent"
    assert routes["DELETE /users/:id"].auth.status == "present"


KOA_ORDERS = (
    "const Router = require('@koa/router');\n"
    "const db = require('../db');\n"
    "const router = new Router({ prefix: '/orders' });\n"
    "router.get('/', async (ctx) => { ctx.body = await db.query('SELECT 1'); });\n"
    "router.get('/:id', async (ctx) => {\n"
    "  ctx.body = await db.query('SELECT * FROM orders WHERE id = $1', [ctx.params.id]);\n"
    "});\n"
    "module.exports = router;\n"
)


def test_koa_router_prefix_mount_and_app_middleware_order() -> None:
    routes = inventory(
        {
            "src/routes/orders.js": KOA_ORDERS,
            "src/routes/health.js": (
                "import Router from 'koa-router';\n"
                "const health = Router();\n"
                "health.get('/health', (ctx) => { ctx.body = 'ok'; });\n"
                "export default health;\n"
            ),
            "src/app.js": (
                "import Koa from 'koa';\n"
                "import jwt from 'koa-jwt';\n"
                "import ratelimit from 'koa-ratelimit';\n"
                "import orders from './routes/orders';\n"
                "import health from './routes/health';\n"
                "const app = new Koa();\n"
                "app.use(health.routes());\n"
                "app.use(ratelimit({ driver: 'memory', duration: 60000, max: 100 }));\n"
                "app.use(jwt({ secret: process.env.JWT_SECRET }));\n"
                "app.use(orders.routes()).use(orders.allowedMethods());\n"
                "app.listen(3000);\n"
            ),
        }
    )
    assert set(routes) == {"GET /orders", "GET /orders/:id", "GET /health"}
    assert routes["GET /orders/:id"].framework == "koa"
    assert routes["GET /orders/:id"].auth.status == "present"
    assert routes["GET /orders/:id"].rate_limit.status == "present"
    # Mounted before the limiter and the JWT middleware: neither covers it.
    assert routes["GET /health"].auth.status == "absent"
    assert routes["GET /health"].rate_limit.status == "absent"


def test_koa_router_middleware_and_an_unmounted_router_in_a_route_file() -> None:
    routes = inventory(
        {
            "src/auth.js": (
                "export async function requireUser(ctx, next) {\n"
                "  if (!ctx.state.user) ctx.throw(401, 'login required');\n"
                "  await next();\n"
                "}\n"
            ),
            "src/routes/orders.js": KOA_ORDERS.replace(
                "const router = new Router({ prefix: '/orders' });\n",
                "const { requireUser } = require('../auth');\n"
                "const router = new Router({ prefix: '/orders' });\n"
                "router.use(requireUser);\n",
            ).replace("require('../auth')", "require('../auth.js')"),
        }
    )
    assert routes["GET /orders"].auth.status == "present"
    assert routes["GET /orders/:id"].auth.evidence[0].detail == "requireUser"


def test_koa_default_error_handling_is_central_and_express_routes_calls_are_not_mounts() -> None:
    koa_app = analyze_file(
        "src/app.js",
        "const Koa = require('koa');\nconst app = new Koa();\napp.use(api.routes());\n",
        "javascript",
    )
    assert koa_app.facts["ops"][0]["items"][0]["ref"] == "api"
    orders = analyze_file("src/routes/orders.js", KOA_ORDERS, "javascript")
    index = link_javascript([koa_app, orders], "/project")
    # Koa answers an error no route handled without its details: no central handler needed.
    assert index.facts["framework_error_handling"] == "koa"
    express_app = analyze_file(
        "src/app.js",
        "const express = require('express');\nconst app = express();\n"
        "app.use(api.routes());\napp.get('/x', (req, res) => res.end());\n",
        "javascript",
    )
    assert "ref" not in express_app.facts["ops"][0]["items"][0]
    assert "framework_error_handling" not in link_javascript([express_app], "/p").facts


def test_koa_middleware_reading_headers_validation_helpers_and_state_user_ownership() -> None:
    routes = inventory(
        {
            "src/middleware/auth.js": (
                "const jwt = require('jsonwebtoken');\n"
                "exports.requireAuth = async (ctx, next) => {\n"
                "  const token = (ctx.get('Authorization') || '').replace('Bearer ', '');\n"
                "  try { ctx.state.user = jwt.verify(token, process.env.JWT_SECRET); }\n"
                "  catch { ctx.throw(401, 'login required'); }\n"
                "  await next();\n"
                "};\n"
            ),
            "src/middleware/validate.js": (
                "function check(schema, value, ctx) {\n"
                "  const parsed = schema.safeParse(value);\n"
                "  if (!parsed.success) ctx.throw(400, 'invalid request');\n"
                "  return parsed.data;\n"
                "}\n"
                "exports.validateBody = (schema) => async (ctx, next) => {\n"
                "  ctx.request.body = check(schema, ctx.request.body, ctx);\n"
                "  await next();\n"
                "};\n"
                "exports.logBody = () => async (ctx, next) => {\n"
                "  console.log(ctx.request.body);\n"
                "  await next();\n"
                "};\n"
            ),
            "src/routes/notes.js": (
                "const Router = require('@koa/router');\n"
                "const { requireAuth } = require('../middleware/auth');\n"
                "const { validateBody, logBody } = require('../middleware/validate');\n"
                "const router = new Router({ prefix: '/notes' });\n"
                "router.use(requireAuth);\n"
                "router.post('/', validateBody(noteSchema), async (ctx) => {\n"
                "  ctx.body = await db.query('INSERT INTO notes (text) VALUES ($1)', "
                "[ctx.request.body.text]);\n"
                "});\n"
                "router.put('/:id', logBody(), async (ctx) => {\n"
                "  await db.query('UPDATE notes SET text = $1 WHERE id = $2 AND user_id = $3',\n"
                "    [ctx.request.body.text, ctx.params.id, ctx.state.user.id]);\n"
                "});\n"
                "module.exports = router;\n"
            ),
        }
    )
    # `ctx` is the request in Koa middleware, never a Fastify-style plugin instance.
    assert routes["POST /notes"].auth.status == "present"
    assert routes["POST /notes"].validation.status == "present"
    assert routes["PUT /notes/:id"].validation.status == "absent"
    assert routes["PUT /notes/:id"].authz.status == "present"


def test_koa_re_exported_routers_allowed_methods_and_validator_factories() -> None:
    router_file = (
        "import Router from '@koa/router';\n"
        "const router = new Router();\n"
        "router.get('PATH', (ctx: any) => { ctx.body = 'x'; });\n"
        "export default router;\n"
    )
    routes = inventory(
        {
            "src/routes/assets.ts": router_file.replace("PATH", "/builder"),
            "src/routes/static.ts": router_file.replace("PATH", "/app/:appId"),
            "src/routes/queries.ts": (
                "import Router from '@koa/router';\n"
                "import { auth } from '@acme/backend-core';\n"
                "import Joi from 'joi';\n"
                "import { queryValidation, plainFactory } from './validation';\n"
                "const router = new Router();\n"
                "router.post('/api/queries', queryValidation(), async (ctx: any) => {\n"
                "  ctx.body = await save(ctx.request.body);\n"
                "}).post('/api/queries/plain', plainFactory(), async (ctx: any) => {\n"
                "  ctx.body = await save(ctx.request.body);\n"
                "});\n"
                "export default router;\n"
            ),
            "src/routes/validation.ts": (
                "import { auth } from '@acme/backend-core';\n"
                "import Joi from 'joi';\n"
                "export function queryValidation() {\n"
                "  return auth.joiValidator.body(Joi.object({ name: Joi.string().required() }));\n"
                "}\n"
                "export const plainFactory = () => auth.buildTracer({ name: 'queries' });\n"
            ),
            # Several `default as` re-exports, each naming a different module.
            "src/routes/index.ts": (
                "export { default as assetRoutes } from './assets';\n"
                "export { default as staticRoutes } from './static';\n"
                "export { default as queryRoutes } from './queries';\n"
            ),
            "src/app.ts": (
                "import Koa from 'koa';\n"
                "import * as api from './routes';\n"
                "import { assetRoutes, staticRoutes, queryRoutes } from './routes';\n"
                "const app = new Koa();\n"
                "app.use(assetRoutes.routes());\n"
                "app.use(requireAuth);\n"
                "app.use(staticRoutes.routes()).use(staticRoutes.allowedMethods());\n"
                "app.use(queryRoutes.routes());\n"
                "app.use(api.queryRoutes.allowedMethods());\n"
            ),
        }
    )
    assert sorted(routes) == [
        "GET /app/:appId",
        "GET /builder",
        "POST /api/queries",
        "POST /api/queries/plain",
    ]
    assert routes["GET /builder"].auth.status == "absent"
    assert routes["GET /app/:appId"].auth.status == "present"
    assert routes["POST /api/queries"].validation.status == "present"
    assert routes["POST /api/queries/plain"].validation.status != "present"


def test_an_app_returned_by_an_exported_factory_nobody_calls_is_protected_out_of_sight() -> None:
    factory = (
        "import { Hono } from 'hono';\n"
        "export function createEmbedServer(options) {\n"
        "  const api = new Hono();\n"
        "  api.post('/threads', async (c) => c.json(await options.store.create()));\n"
        "  api.delete('/threads/:id', async (c) => c.json(await options.store.drop()));\n"
        "  return api;\n"
        "}\n"
    )
    library = inventory({"src/embed.ts": factory})
    assert library["DELETE /threads/:id"].auth.status == "unknown"
    assert "createEmbedServer" in library["DELETE /threads/:id"].auth.note
    served = inventory(
        {
            "src/embed.ts": factory,
            "src/main.ts": (
                "import { serve } from '@hono/node-server';\n"
                "import { createEmbedServer } from './embed';\n"
                "serve({ fetch: createEmbedServer({ store }).fetch, port: 3000 });\n"
            ),
        }
    )
    assert served["DELETE /threads/:id"].auth.status == "absent"
    # Built and served in the same file: the project serves it.
    local = inventory(
        {
            "src/embed.ts": factory
            + "const app = createEmbedServer({ store });\nexport default app;\n"
        }
    )
    assert local["DELETE /threads/:id"].auth.status == "absent"


def test_routers_loaded_inside_a_function_by_dynamic_import_or_require() -> None:
    routes = inventory(
        {
            "src/ui/load.mjs": (
                "import { Hono } from 'hono';\n"
                "export const api = new Hono();\n"
                "api.post('/ui/:agent', async (c) => c.json(await render(c.req.param('agent'))));\n"
            ),
            "src/legacy.js": (
                "const router = require('express').Router();\n"
                "router.delete('/items/:id', (req, res) => res.end());\n"
                "module.exports = router;\n"
            ),
            "src/server.mjs": (
                "import { Hono } from 'hono';\n"
                "import { bearerAuth } from 'hono/bearer-auth';\n"
                "export async function startServer(options) {\n"
                "  const app = new Hono();\n"
                "  app.use(bearerAuth({ token: options.token }));\n"
                "  const { api } = await import('./ui/load.mjs');\n"
                "  app.route('/', api);\n"
                "  const legacy = require('./legacy');\n"
                "  app.route('/legacy', legacy);\n"
                "  return app;\n"
                "}\n"
                "startServer({ token: process.env.TOKEN });\n"
            ),
        }
    )
    assert routes["POST /ui/:agent"].auth.status == "present"
    assert routes["DELETE /legacy/items/:id"].auth.status == "present"


def test_hono_zod_openapi_routes() -> None:
    routes = inventory(
        {
            "src/routes/users.ts": (
                "import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';\n"
                "import { bearerAuth } from 'hono/bearer-auth';\n"
                "const getUser = createRoute({\n"
                "  method: 'get',\n"
                "  path: '/users/{id}',\n"
                "  request: { params: z.object({ id: z.string() }) },\n"
                "  responses: { 200: { description: 'the user' } },\n"
                "});\n"
                "export const app = new OpenAPIHono();\n"
                "app.openapi(getUser, async (c) => c.json(await db.user(c.req.valid('param'))));\n"
                "app.openapi(\n"
                "  createRoute({ method: 'delete', path: '/users/{id}',\n"
                "    middleware: [bearerAuth({ token: process.env.TOKEN })],\n"
                "    responses: { 204: { description: 'gone' } } }),\n"
                "  async (c) => { await db.drop(c.req.param('id')); return c.body(null, 204); },\n"
                ");\n"
                "app.openapi(somethingElse, (c) => c.text('not a route we can read'));\n"
            ),
        }
    )
    assert sorted(routes) == ["DELETE /users/:id", "GET /users/:id"]
    assert routes["GET /users/:id"].validation.status == "present"
    assert routes["GET /users/:id"].auth.status == "absent"
    assert routes["DELETE /users/:id"].auth.status == "present"
    assert routes["DELETE /users/:id"].framework == "hono"


def test_chained_registrations_are_placed_on_their_own_lines() -> None:
    routes = inventory(
        {
            "src/routes.js": (
                "const router = require('express').Router();\n"
                "router\n"
                "  .get('/items', list)\n"
                "  .post('/items', create)\n"
                "  .delete('/items/:id', remove);\n"
                "module.exports = router;\n"
            ),
        }
    )
    assert [routes[k].line for k in ("GET /items", "POST /items", "DELETE /items/:id")] == [3, 4, 5]


def test_route_paths_from_nested_route_tables() -> None:
    routes = inventory(
        {
            "src/app.ts": (
                "import { Hono } from 'hono';\n"
                "const ROUTES = {\n"
                "  health: '/health',\n"
                "  memory: { list: { method: 'get', path: '/memory/conversations' } },\n"
                "} as const;\n"
                "const app = new Hono();\n"
                "app.get(ROUTES.health, (c) => c.text('ok'));\n"
                "app.get(ROUTES.memory.list.path, (c) => c.json([]));\n"
                "export default app;\n"
            ),
        }
    )
    assert sorted(routes) == ["GET /health", "GET /memory/conversations"]


# tsc output of a Nest app (`dist/`): `implements CanActivate` is gone, decorators are calls.
_COMPILED_GUARD = (
    "import { Injectable } from '@nestjs/common';\n"
    "let {name} = class {name} {\n"
    "    canActivate(context) {\n"
    "        const request = context.switchToHttp().getRequest();\n"
    "        return {returned};\n"
    "    }\n"
    "};\n"
    "{name} = __decorate([Injectable()], {name});\n"
    "export { {name} };\n"
)
_COMPILED_CONTROLLER = (
    "import { Body, Controller, Put, UseGuards } from '@nestjs/common';\n"
    "import { AuthGuard } from '@nestjs/passport';\n"
    "import { {name} } from './{file}.js';\n"
    "let SettingsController = class SettingsController {\n"
    "    settings;\n"
    "    setName(body) { return this.settings.setName(body.name); }\n"
    "};\n"
    "__decorate([\n"
    "    UseGuards({name}),\n"
    "    Put('/name'),\n"
    "    __param(0, Body()),\n"
    '    __metadata("design:type", Function),\n'
    '    __metadata("design:paramtypes", [Object]),\n'
    "], SettingsController.prototype, 'setName', null);\n"
    "SettingsController = __decorate([\n"
    "    Controller('settings'),\n"
    "    UseGuards(AuthGuard()),\n"
    "], SettingsController);\n"
    "export { SettingsController };\n"
)


def _compiled_nest_app(name: str, file: str, returned: str) -> dict[str, Route]:
    def fill(template: str) -> str:
        return template.replace("{name}", name).replace("{file}", file)

    return inventory(
        {
            f"dist/guards/{file}.js": fill(_COMPILED_GUARD).replace("{returned}", returned),
            "dist/settings/settings.controller.js": fill(_COMPILED_CONTROLLER).replace(
                f"./{file}.js", f"../guards/{file}.js"
            ),
        }
    )


def test_compiled_nest_guard_returning_a_role_of_the_user_is_a_role_check() -> None:
    routes = _compiled_nest_app("AdminGuard", "admin.guard", "request.user.admin")
    route = routes["PUT /settings/name"]
    assert route.auth.status == "present"
    assert route.authz.status == "present"
    assert any(e.detail == "AdminGuard" for e in route.authz.evidence)


def test_compiled_nest_guard_returning_something_else_is_no_role_check() -> None:
    routes = _compiled_nest_app("MaintenanceGuard", "maintenance.guard", "!request.app.paused")
    assert routes["PUT /settings/name"].authz.status != "present"


def test_router_factory_handing_on_another_modules_router() -> None:
    # settings.js exports a factory named like the module it imports; it returns that
    # module's router, which the editor mounts under a path.
    files = {
        "lib/editor/keys.js": (
            "const express = require('express');\n"
            "module.exports = {\n"
            "  app: function () {\n"
            "    const app = express();\n"
            "    app.get('/', function (req, res) { res.json([]); });\n"
            "    app.delete('/:id', function (req, res) { res.status(204).end(); });\n"
            "    return app;\n"
            "  },\n"
            "};\n"
        ),
        "lib/editor/settings.js": (
            "var keys = require('./keys');\n"
            "module.exports = {\n"
            "  read: function (req, res) { res.json({}); },\n"
            "  keys: function () {\n"
            "    return keys.app();\n"
            "  },\n"
            "};\n"
        ),
        "lib/editor/index.js": (
            "const express = require('express');\n"
            "var info = require('./settings');\n"
            "const editorApp = express();\n"
            "editorApp.get('/settings/user', info.read);\n"
            "editorApp.use('/settings/user/keys', info.keys());\n"
            "module.exports = editorApp;\n"
        ),
    }
    routes = inventory(files)
    assert {"GET /settings/user/keys", "DELETE /settings/user/keys/:id"} <= set(routes)
    # A factory returning something that is not a router mounts nothing.
    files["lib/editor/settings.js"] = files["lib/editor/settings.js"].replace(
        "return keys.app();", "return keys.list();"
    )
    assert "GET /settings/user/keys" not in inventory(files)


_CONTROLLER_BASE = (
    "const { Router } = require('express');\n"
    "class Controller {\n"
    "  constructor() { this.app = Router(); }\n"
    "  route(options) {\n"
    "    this.app[options.method](options.path, options.handler.bind(this));\n"
    "  }\n"
    "  use(path, router) { this.app.use(path, router); }\n"
    "  get router() { return this.app; }\n"
    "}\n"
    "module.exports = { Controller };\n"
)


def _instance_app(mounts: str) -> dict[str, Route]:
    return inventory(
        {
            "lib/controller.js": _CONTROLLER_BASE,
            "lib/tags.js": (
                "const { Controller } = require('./controller');\n"
                "class TagController extends Controller {\n"
                "  constructor(config, mode = 'global') {\n"
                "    super(config);\n"
                "    const prefix = mode === 'global' ? '' : '/:projectId/tags';\n"
                "    this.route({ method: 'get', path: prefix, handler: this.list });\n"
                "    this.route({ method: 'get', path: `${prefix}/:tag`, handler: this.one });\n"
                "  }\n"
                "  list(req, res) { res.json([]); }\n"
                "  one(req, res) { res.json({}); }\n"
                "}\n"
                "module.exports = { TagController };\n"
            ),
            "lib/app.js": (
                "const express = require('express');\n"
                "const { TagController } = require('./tags');\n"
                "const app = express();\n" + mounts + "module.exports = app;\n"
            ),
        }
    )


def test_constructor_argument_chooses_each_instance_prefix() -> None:
    routes = _instance_app(
        "app.use('/api/tags', new TagController(config).router);\n"
        "app.use('/api/projects', new TagController(config, 'project').router);\n"
    )
    assert {
        "GET /api/tags",
        "GET /api/tags/:tag",
        "GET /api/projects/:projectId/tags",
        "GET /api/projects/:projectId/tags/:tag",
    } <= set(routes)


def test_constructor_argument_we_cannot_read_leaves_the_prefix_open() -> None:
    routes = _instance_app("app.use('/api/tags', new TagController(config, mode).router);\n")
    assert "GET /api/tags" not in routes
    assert not any("projectId" in path for path in routes)


_DISPATCHER = (
    "const fastify = require('fastify')();\n"
    "const FUNCTIONS = {};\n"
    "async function functionHandler(req, reply) {\n"
    "  const { routeName } = req.params;\n"
    "  if (!FUNCTIONS[routeName]) {\n"
    "    reply.status(404).send('not found');\n"
    "    return;\n"
    "  }\n"
    "  return BODY;\n"
    "}\n"
    "fastify.all('/functions/:routeName', functionHandler);\n"
)


def test_handler_dispatching_by_path_parameter_leaves_auth_to_the_picked_function() -> None:
    for body in (
        "requestHandler(req, reply, FUNCTIONS[routeName])",
        "FUNCTIONS[routeName](toEvent(req))",
    ):
        routes = inventory({"src/server.js": _DISPATCHER.replace("BODY", body)})
        auth = routes["ANY /functions/:routeName"].auth
        assert auth.status == "unknown", body
        assert "path parameter" in auth.note


def test_handler_reading_a_table_by_path_parameter_is_no_dispatcher() -> None:
    routes = inventory(
        {"src/server.js": _DISPATCHER.replace("BODY", "reply.send(FUNCTIONS[routeName].meta)")}
    )
    assert routes["ANY /functions/:routeName"].auth.status == "absent"


def _bundled(body: str) -> dict[str, Route]:
    # esbuild output: `var x;` at the top, the value assigned in the module's init wrapper.
    bundle = _DISPATCHER.replace(
        "async function functionHandler(req, reply) {",
        "var functionHandler;\nvar init = () => {\n  functionHandler = async (req, reply) => {",
    ).replace("  return BODY;\n}\n", f"  return {body};\n}};\n}};\n")
    return inventory({"src/bin.js": bundle})


def test_bundled_module_assigning_its_handler_inside_an_initialiser() -> None:
    routes = _bundled("requestHandler(req, reply, FUNCTIONS[routeName])")
    assert routes["ANY /functions/:routeName"].auth.status == "unknown"
    # The late-assigned body is what is read: one that only looks the table up decides alone.
    routes = _bundled("reply.send(FUNCTIONS[routeName].meta)")
    assert routes["ANY /functions/:routeName"].auth.status == "absent"


def _admin_shell(handler: str) -> dict[str, Route]:
    return inventory(
        {
            "src/app.js": (
                "const express = require('express');\n"
                "const { authenticate } = require('./auth');\n"
                "async function createApp() {\n"
                "  const app = express();\n"
                "  const html = await readFile(indexPath, 'utf8');\n"
                f"  const sendHtml = {handler};\n"
                "  app.get('/admin', sendHtml);\n"
                "  app.use(authenticate);\n"
                "  app.post('/items', (req, res) => res.json(req.body));\n"
                "  return app;\n"
                "}\n"
                "module.exports = { createApp };\n"
            ),
            "src/auth.js": (
                "exports.authenticate = (req, res, next) => {\n"
                "  if (!req.headers.authorization) return res.status(401).end();\n"
                "  next();\n"
                "};\n"
            ),
        }
    )


def test_a_page_that_is_the_same_for_every_caller_is_public_by_design() -> None:
    routes = _admin_shell(
        "(_req, res) => {\n"
        "    res.setHeader('Cache-Control', 'no-cache');\n"
        "    res.send(html);\n"
        "  }"
    )
    assert routes["GET /admin"].public_by_design is not None


def test_a_handler_that_reads_the_request_or_loads_data_is_not_a_fixed_page() -> None:
    for handler in (
        "(req, res) => { res.send(pages[req.query.page]); }",
        "(_req, res) => { res.json(listUsers()); }",
        "async (_req, res) => { res.json(await db.users.findAll()); }",
    ):
        assert _admin_shell(handler)["GET /admin"].public_by_design is None, handler


def test_bundled_router_exported_under_an_alias_keeps_its_mount() -> None:
    files = {
        "dist/controllers/auth.js": (
            "import { Router } from 'express';\n"
            "const router = Router();\n"
            "router.post('/login', (req, res) => res.json(login(req.body)));\n"
            "var auth_default = router;\n"
            "export { auth_default as default };\n"
        ),
        "dist/app.js": (
            "import express from 'express';\n"
            "import rateLimit from 'express-rate-limit';\n"
            "import auth_default from './controllers/auth.js';\n"
            "const app = express();\n"
            "app.use(rateLimit({ windowMs: 60000, max: 10 }));\n"
            "app.use('/auth', auth_default);\n"
            "export default app;\n"
        ),
    }
    routes = inventory(files)
    assert "POST /auth/login" in routes and "POST /login" not in routes
    assert routes["POST /auth/login"].rate_limit.status == "present"
    # Without the alias line the export names nothing mounted: the router stands alone.
    files["dist/controllers/auth.js"] = (
        files["dist/controllers/auth.js"]
        .replace("var auth_default = router;\n", "")
        .replace("auth_default as default", "router as other")
    )
    assert "POST /auth/login" not in inventory(files)


# Babel's CommonJS output of a router class that keeps its routes in a table (parse-server's
# PromiseRouter) and of subclasses that fill it.
_TABLE_BASE = (
    '"use strict";\n'
    'Object.defineProperty(exports, "__esModule", { value: true });\n'
    "exports.default = void 0;\n"
    "class TableRouter {\n"
    "  constructor(routes = []) {\n"
    "    this.routes = routes;\n"
    "    this.mountRoutes();\n"
    "  }\n"
    "  mountRoutes() {}\n"
    "  route(method, path, ...handlers) {\n"
    "    let handler = handlers[0];\n"
    "    this.routes.push({ path: path, method: method, handler: handler });\n"
    "  }\n"
    "  mountOnto(app) {\n"
    "    this.routes.forEach(r => app[r.method.toLowerCase()](r.path, wrap(r.handler)));\n"
    "  }\n"
    "}\n"
    "exports.default = TableRouter;\n"
)
_TABLE_CHILD = (
    '"use strict";\n'
    "exports.default = exports.NotesRouter = void 0;\n"
    'var _TableRouter = _interopRequireDefault(require("../TableRouter"));\n'
    "function _interopRequireDefault(e) { return e && e.__esModule ? e : { default: e }; }\n"
    "class NotesRouter extends _TableRouter.default {\n"
    "  mountRoutes() {\n"
    "    this.route('GET', '/notes', req => this.list(req));\n"
    "    this.route('DELETE', '/notes/:id', req => this.remove(req));\n"
    "  }\n"
    "}\n"
    "exports.NotesRouter = NotesRouter;\n"
    "var _default = exports.default = NotesRouter;\n"
)


def test_routes_kept_in_a_table_by_a_babel_compiled_router_class() -> None:
    routes = inventory(
        {
            "lib/TableRouter.js": _TABLE_BASE,
            "lib/Routers/NotesRouter.js": _TABLE_CHILD,
            "lib/Routers/AdminRouter.js": _TABLE_CHILD.replace("NotesRouter", "AdminRouter")
            .replace("_TableRouter = _interopRequireDefault(require(\"../TableRouter\"))",
                     "_NotesRouter = _interopRequireDefault(require(\"./NotesRouter\"))")
            .replace("_TableRouter.default", "_NotesRouter.default")
            .replace("/notes", "/admin/notes"),
        }
    )  # fmt: skip
    assert {"GET /notes", "DELETE /notes/:id", "DELETE /admin/notes/:id"} <= set(routes)
    deleted = routes["DELETE /notes/:id"]
    # Mounted onto an app at run time: what runs before it is out of sight, not absent.
    assert deleted.auth.status == "unknown"
    assert "route table" in deleted.auth.note


def test_a_class_pushing_other_things_into_a_list_makes_no_routes() -> None:
    base = _TABLE_BASE.replace(
        "this.routes.push({ path: path, method: method, handler: handler });",
        "this.log.push({ when: Date.now(), what: method });",
    )
    routes = inventory({"lib/TableRouter.js": base, "lib/Routers/NotesRouter.js": _TABLE_CHILD})
    assert not routes


def _compiled_server(package: str) -> list[Route]:
    # esbuild's CommonJS output: the import through __toESM, the call through `(0, x.default)`.
    return route_list(
        {
            "dist/server.js": (
                f'var import_web = __toESM(require("{package}"));\n'
                "async function createServer(options) {\n"
                "  const server = (0, import_web.default)(options);\n"
                "  server.get('/health', async (req, reply) => 'ok');\n"
                "  server.post('/orders', async (req, reply) => save(req.body));\n"
                "  return server;\n"
                "}\n"
                "module.exports = { createServer };\n"
            )
        }
    )


def test_a_compiled_call_of_a_frameworks_default_export_creates_the_app() -> None:
    routes = _compiled_server("fastify")
    assert {r.framework for r in routes} == {"fastify"}
    assert {f"{r.method} {r.path}" for r in routes} == {"GET /health", "POST /orders"}


def test_a_compiled_call_of_another_packages_default_export_is_no_app() -> None:
    # Registrations of that shape are still listed, but nothing says which framework serves them.
    assert "fastify" not in {r.framework for r in _compiled_server("pino")}


_COMPILED_CJS_GUARD = (
    '"use strict";\n'
    "Object.defineProperty(exports, '__esModule', { value: true });\n"
    "exports.SessionGuard = void 0;\n"
    "const common_1 = require('@nestjs/common');\n"
    "let SessionGuard = class SessionGuard {\n"
    "    canActivate(context) {\n"
    "        const request = context.switchToHttp().getRequest();\n"
    "        if (!request.session || !request.session.userId) {\n"
    "            throw new common_1.UnauthorizedException();\n"
    "        }\n"
    "        return true;\n"
    "    }\n"
    "};\n"
    "exports.SessionGuard = SessionGuard;\n"
    "exports.SessionGuard = SessionGuard = __decorate([(0, common_1.Injectable)()], "
    "SessionGuard);\n"
)
_COMPILED_CJS_CONTROLLER = (
    '"use strict";\n'
    "const common_1 = require('@nestjs/common');\n"
    "let NotesController = class NotesController {\n"
    "    remove(id) { return this.notes.remove(id); }\n"
    "};\n"
    "exports.NotesController = NotesController;\n"
    "__decorate([\n"
    "    (0, common_1.Delete)(':id'),\n"
    "    __param(0, (0, common_1.Param)('id')),\n"
    "], NotesController.prototype, 'remove', null);\n"
    "exports.NotesController = NotesController = __decorate([\n"
    "    (0, common_1.Controller)('notes'),\n"
    "], NotesController);\n"
)
_GLOBAL_GUARD_PROVIDER = (
    "        providers: [{ provide: core_1.APP_GUARD, useClass: session_guard_1.SessionGuard }],\n"
)
_COMPILED_CJS_MODULE = (
    '"use strict";\n'
    "const common_1 = require('@nestjs/common');\n"
    "const core_1 = require('@nestjs/core');\n"
    "const session_guard_1 = require('./session.guard');\n"
    "const notes_controller_1 = require('./notes.controller');\n"
    "let AppModule = class AppModule {};\n"
    "exports.AppModule = AppModule;\n"
    "exports.AppModule = AppModule = __decorate([\n"
    "    (0, common_1.Module)({\n"
    "        controllers: [notes_controller_1.NotesController],\n"
    "        providers: [{ provide: core_1.APP_GUARD, useClass: session_guard_1.SessionGuard }],\n"
    "    })\n"
    "], AppModule);\n"
)


def test_compiled_global_guard_through_module_namespaces_protects_every_route() -> None:
    # tsc's CommonJS output names APP_GUARD and the guard class through the modules'
    # namespace objects (`core_1.APP_GUARD`, `session_guard_1.SessionGuard`).
    files = {
        "dist/session.guard.js": _COMPILED_CJS_GUARD,
        "dist/notes.controller.js": _COMPILED_CJS_CONTROLLER,
        "dist/app.module.js": _COMPILED_CJS_MODULE,
    }
    assert inventory(files)["DELETE /notes/:id"].auth.status == "present"
    without = dict(files)
    without["dist/app.module.js"] = _COMPILED_CJS_MODULE.replace(_GLOBAL_GUARD_PROVIDER, "")
    assert inventory(without)["DELETE /notes/:id"].auth.status == "absent"


def test_inline_middleware_that_checks_a_presented_token_with_a_project_check() -> None:
    """`app.use(path, mw)` whose body hands the token from a header to the project's
    `validateRoomToken(...)` and answers 401 authenticates the routes below that path; one that
    validates only the request's shape does not."""
    routes = inventory(
        {
            "server.js": (
                "import { Hono } from 'hono'\n"
                "const app = new Hono()\n"
                "app.use('/api/rooms/:id/*', async (c, next) => {\n"
                "  const token = c.req.header('X-Room-Token')\n"
                "  if (!token || !validateRoomToken(secret, c.req.param('id'), token)) {\n"
                "    return c.json({ error: 'Invalid or missing room token' }, 401)\n"
                "  }\n"
                "  return next()\n"
                "})\n"
                "app.use('/api/notes/*', async (c, next) => {\n"
                "  if (!isValidNoteId(c.req.param('id'))) return c.json({ error: 'bad id' }, 400)\n"
                "  return next()\n"
                "})\n"
                "app.post('/api/rooms/:id/agents', async (c) => c.json(await add(c.req.param())))\n"
                "app.post('/api/notes/:id', async (c) => c.json(await save(c.req.param('id'))))\n"
                "export default app\n"
            ),
        }
    )
    assert routes["POST /api/rooms/:id/agents"].auth.status == "present"
    assert routes["POST /api/notes/:id"].auth.status == "absent"
