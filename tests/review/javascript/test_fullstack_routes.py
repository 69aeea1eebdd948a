"""File-based and RPC routes: Next.js route handlers, Pages API, middleware, server actions,
tRPC procedures; and Hono RPC-style chains. Protections are resolved, never taken from names."""

from __future__ import annotations

from mcp_backend.review import route_policy
from mcp_backend.review.javascript import analyze_file, link_javascript
from mcp_backend.review.javascript.frameworks import nextjs
from mcp_backend.review.model import Language, ProjectIndex, Route
from mcp_backend.review.rules.auth_route_missing_rate_limit.project import (
    DETECTOR as RATE_LIMIT_RULE,
)
from mcp_backend.review.rules.route_missing_auth.project import DETECTOR as MISSING_AUTH

NEXT_CONFIG = {"next.config.mjs": "const nextConfig = {};\nexport default nextConfig;\n"}


def index_of(files: dict[str, str]) -> ProjectIndex:
    results = []
    for name, source in files.items():
        language: Language = "typescript" if name.endswith((".ts", ".tsx")) else "javascript"
        results.append(analyze_file(name, source, language))
    return link_javascript(results, "/project")


def inventory(files: dict[str, str]) -> dict[str, Route]:
    routes = index_of(files).routes
    by_key = {f"{r.method} {r.path}": r for r in routes}
    assert len(by_key) == len(routes), "a route was listed twice"
    return by_key


# ---- Next.js paths --------------------------------------------------------------------------


def test_app_route_paths_from_folders() -> None:
    assert nextjs.app_route_path("app/api/users/[id]/route.ts") == "/api/users/:id"
    assert nextjs.app_route_path("src/app/api/users/route.js") == "/api/users"
    assert nextjs.app_route_path("app/(admin)/api/stats/route.ts") == "/api/stats"
    assert nextjs.app_route_path("app/docs/[...slug]/route.ts") == "/docs/*slug"
    assert nextjs.app_route_path("app/shop/[[...slug]]/route.ts") == "/shop/*slug"
    assert nextjs.app_route_path("app/@modal/x/route.ts") is None
    assert nextjs.app_route_path("app/_lib/route.ts") is None
    assert nextjs.app_route_path("app/api/users/page.tsx") is None
    assert nextjs.pages_api_path("pages/api/users/[id].ts") == "/api/users/:id"
    assert nextjs.pages_api_path("src/pages/api/index.ts") == "/api"
    assert nextjs.pages_api_path("pages/about.tsx") is None


def test_matcher_covers_paths() -> None:
    matchers = ["/api/admin/:path*", "/dashboard/:path*"]
    assert nextjs.matcher_covers(matchers, "/api/admin/stats")
    assert nextjs.matcher_covers(matchers, "/api/admin")
    assert not nextjs.matcher_covers(matchers, "/api/users/:id")
    assert nextjs.matcher_covers(None, "/anything")
    negative = ["/((?!_next/static|_next/image|favicon.ico).*)"]
    assert nextjs.matcher_covers(negative, "/api/users")
    assert not nextjs.matcher_covers(["/((?!api|_next).*)"], "/api/users")


# ---- Next.js route handlers and middleware --------------------------------------------------

_MIDDLEWARE = (
    "import { NextResponse, type NextRequest } from 'next/server';\n"
    "export function middleware(request: NextRequest) {\n"
    "  const token = request.cookies.get('session')?.value;\n"
    "  if (!token) {\n"
    "    return NextResponse.redirect(new URL('/login', request.url));\n"
    "  }\n"
    "  return NextResponse.next();\n"
    "}\n"
    "export const config = { matcher: ['/api/admin/:path*'] };\n"
)


def test_route_handlers_group_catch_all_and_middleware_matcher() -> None:
    routes = inventory(
        {
            **NEXT_CONFIG,
            "middleware.ts": _MIDDLEWARE,
            "app/(back-office)/api/admin/stats/route.ts": (
                "import { NextResponse } from 'next/server';\n"
                "export const GET = async () => NextResponse.json({ users: 3 });\n"
            ),
            "app/api/users/[id]/route.ts": (
                "import { db } from '@/lib/db';\n"
                "export async function DELETE(req: Request, { params }: any) {\n"
                "  const { id } = await params;\n"
                "  await db.user.delete({ where: { id } });\n"
                "  return new Response(null, { status: 204 });\n"
                "}\n"
            ),
            "app/files/[...path]/route.ts": (
                "export async function GET() { return new Response('file'); }\n"
            ),
            "app/@modal/api/x/route.ts": "export const GET = () => new Response('');\n",
            "lib/db.ts": "export const db = {} as any;\n",
        }
    )
    assert set(routes) == {"GET /api/admin/stats", "DELETE /api/users/:id", "GET /files/*path"}
    stats = routes["GET /api/admin/stats"]
    assert stats.framework == "nextjs" and stats.kind == "http"
    assert stats.auth.status == "present"  # the middleware's matcher covers it
    assert stats.auth.evidence[0].level == "app"
    delete = routes["DELETE /api/users/:id"]
    assert delete.auth.status == "absent"  # not covered: the matcher names other paths
    assert delete.loads_by_id


def test_middleware_that_reads_but_does_not_refuse_is_unknown() -> None:
    routes = inventory(
        {
            **NEXT_CONFIG,
            "src/middleware.ts": (
                "import { NextResponse } from 'next/server';\n"
                "export function middleware(request) {\n"
                "  const token = request.cookies.get('session');\n"
                "  const res = NextResponse.next();\n"
                "  res.headers.set('x-has-session', token ? '1' : '0');\n"
                "  return res;\n"
                "}\n"
            ),
            "src/app/api/orders/route.ts": (
                "export async function POST(req: Request) { return Response.json({}); }\n"
            ),
        }
    )
    auth = routes["POST /api/orders"].auth
    assert auth.status == "unknown"
    assert "middleware" in auth.note


def test_library_middleware_by_package() -> None:
    routes = inventory(
        {
            **NEXT_CONFIG,
            "middleware.ts": (
                "export { default } from 'next-auth/middleware';\n"
                "import withAuth from 'next-auth/middleware';\n"
                "export default withAuth({});\n"
                "export const config = { matcher: ['/api/private/:path*'] };\n"
            ),
            "app/api/private/notes/route.ts": "export const POST = () => Response.json({});\n",
        }
    )
    assert routes["POST /api/private/notes"].auth.status == "present"


def test_handler_checks_session_itself_and_not_by_name() -> None:
    routes = inventory(
        {
            **NEXT_CONFIG,
            "auth.ts": (
                "import NextAuth from 'next-auth';\n"
                "export const { auth, handlers } = NextAuth({ providers: [] });\n"
            ),
            "lib/guards.ts": (
                "export async function requireUser() {\n"
                "  console.log('checking');\n"  # named like a guard, does nothing
                "  return null;\n"
                "}\n"
            ),
            "app/api/notes/route.ts": (
                "import { auth } from '@/auth';\n"
                "export async function POST(req: Request) {\n"
                "  const session = await auth();\n"
                "  if (!session?.user) return new Response('Unauthorized', { status: 401 });\n"
                "  return Response.json({});\n"
                "}\n"
            ),
            "app/api/todos/route.ts": (
                "import { requireUser } from '@/lib/guards';\n"
                "export async function POST(req: Request) {\n"
                "  await requireUser();\n"
                "  return Response.json({});\n"
                "}\n"
            ),
        }
    )
    assert routes["POST /api/notes"].auth.status == "present"
    assert routes["POST /api/todos"].auth.status == "absent"


def test_pages_api_one_route_per_method_branch() -> None:
    routes = inventory(
        {
            "pages/api/items.ts": (
                "import type { NextApiRequest, NextApiResponse } from 'next';\n"
                "export default function handler(req: NextApiRequest, res: NextApiResponse) {\n"
                "  if (req.method === 'GET') return res.json([]);\n"
                "  if (req.method === 'POST') return res.status(201).json(req.body);\n"
                "  res.status(405).end();\n"
                "}\n"
            ),
            "pages/api/ping.ts": (
                "import type { NextApiRequest } from 'next';\n"
                "export default function ping(req: NextApiRequest, res: any) { res.send('ok'); }\n"
            ),
        }
    )
    assert {"GET /api/items", "POST /api/items", "ANY /api/ping"} <= set(routes)


def test_not_a_next_project_has_no_file_routes() -> None:
    routes = inventory(
        {"app/api/users/route.ts": "export async function GET() { return new Response(''); }\n"}
    )
    assert routes == {}


# ---- server actions ---------------------------------------------------------------------------


def test_server_actions_with_helper_in_another_module() -> None:
    routes = inventory(
        {
            **NEXT_CONFIG,
            "auth.ts": (
                "import NextAuth from 'next-auth';\n"
                "export const { auth, handlers, signIn } = NextAuth({ providers: [] });\n"
            ),
            "lib/session.ts": (
                "import { redirect } from 'next/navigation';\n"
                "import { auth } from '@/auth';\n"
                "export async function requireUser() {\n"
                "  const session = await auth();\n"
                "  if (!session?.user) redirect('/login');\n"
                "  return session.user;\n"
                "}\n"
            ),
            "app/users/actions.ts": (
                "'use server';\n"
                "import { z } from 'zod';\n"
                "import { requireUser } from '@/lib/session';\n"
                "import { db } from '@/lib/db';\n"
                "export async function renameMe(formData: FormData) {\n"
                "  const user = await requireUser();\n"
                "  const data = Object.fromEntries(formData);\n"
                "  const { name } = z.object({ name: z.string() }).parse(data);\n"
                "  await db.user.update({ where: { id: user.id }, data: { name } });\n"
                "}\n"
                "export async function deleteUser(id: string) {\n"
                "  await db.user.delete({ where: { id } });\n"
                "}\n"
                "function notExported() {}\n"
            ),
            "app/users/page.tsx": (
                "export default function Page() {\n"
                "  async function archive() {\n"
                "    'use server';\n"
                "    await fetch('https://example.com');\n"
                "  }\n"
                "  return <form action={archive}><button /></form>;\n"
                "}\n"
            ),
            "app/users/button.tsx": (
                "'use client';\n"
                "export async function POST() { return 1; }\n"
                "export default function Button() { return <button />; }\n"
            ),
            "lib/db.ts": "export const db = {} as any;\n",
        }
    )
    rename = routes["POST action:app/users/actions.ts#renameMe"]
    assert rename.kind == "server_action"
    assert rename.auth.status == "present"
    assert "requireUser" in rename.auth.evidence[0].detail
    assert rename.auth.evidence[0].file == "lib/session.ts"
    assert rename.validation.status == "present"
    deleting = routes["POST action:app/users/actions.ts#deleteUser"]
    assert deleting.auth.status == "absent"
    assert deleting.reads_request_data and deleting.validation.status == "absent"
    assert "POST action:app/users/page.tsx#archive" in routes
    assert not any("button" in key for key in routes)
    findings = list(MISSING_AUTH.check(index_of_routes(list(routes.values()))))
    # deleteUser, unlike renameMe beside it, checks nobody: the finding
    assert sorted(f.route or "" for f in findings) == [
        "POST action:app/users/actions.ts#deleteUser"
    ]
    # An inline action is a public POST endpoint too: without a check of its own it is open,
    # though alone in its page (no sibling to deviate from) it is the checklist's warning.
    unauthenticated = route_policy.unauthenticated(list(routes.values()))
    assert "action:app/users/page.tsx#archive" in {r.path for r, _ in unauthenticated}


def index_of_routes(routes: list[Route]) -> ProjectIndex:
    return ProjectIndex(root="/project", routes=routes)


def test_clerk_reader_and_unresolvable_helper() -> None:
    routes = inventory(
        {
            **NEXT_CONFIG,
            "app/actions.ts": (
                "'use server';\n"
                "import { auth } from '@clerk/nextjs/server';\n"
                "import { requireAdmin } from './missing-module';\n"
                "export async function createPost(title: string) {\n"
                "  const { userId } = await auth();\n"
                "  if (!userId) throw new Error('Unauthorized');\n"
                "}\n"
                "export async function purge() {\n"
                "  await requireAdmin();\n"
                "}\n"
            ),
        }
    )
    assert routes["POST action:app/actions.ts#createPost"].auth.status == "present"
    purge = routes["POST action:app/actions.ts#purge"].auth
    assert purge.status == "unknown" and "requireAdmin" in purge.note


# ---- tRPC -------------------------------------------------------------------------------------

_TRPC_INIT = (
    "import { initTRPC, TRPCError } from '@trpc/server';\n"
    "import type { Context } from './context';\n"
    "const t = initTRPC.context<Context>().create();\n"
    "export const createTRPCRouter = t.router;\n"
    "export const mergeRouters = t.mergeRouters;\n"
    "export const publicProcedure = t.procedure;\n"
    "const isAuthed = t.middleware(({ ctx, next }) => {\n"
    "  if (!ctx.session?.user) {\n"
    "    throw new TRPCError({ code: 'UNAUTHORIZED' });\n"
    "  }\n"
    "  return next({ ctx: { user: ctx.session.user } });\n"
    "});\n"
    "export const protectedProcedure = t.procedure.use(isAuthed);\n"
    "export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {\n"
    "  if (ctx.user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN' });\n"
    "  return next();\n"
    "});\n"
    "const logged = t.middleware(async ({ path, next }) => {\n"
    "  console.log(path);\n"
    "  return next();\n"
    "});\n"
    "export const sessionProcedure = t.procedure.use(logged);\n"
)


def _trpc_app() -> dict[str, str]:
    return {
        "src/server/trpc.ts": _TRPC_INIT,
        "src/server/routers/user.ts": (
            "import { z } from 'zod';\n"
            "import { createTRPCRouter, protectedProcedure, publicProcedure, adminProcedure,\n"
            "  sessionProcedure } from '../trpc';\n"
            "export const userRouter = createTRPCRouter({\n"
            "  me: protectedProcedure.query(({ ctx }) => ctx.user),\n"
            "  delete: publicProcedure\n"
            "    .input(z.object({ id: z.string() }))\n"
            "    .mutation(({ ctx, input }) => ctx.db.user.delete({ where: { id: input.id } })),\n"
            "  ban: adminProcedure.input(z.object({ id: z.string() }))\n"
            "    .mutation(({ ctx, input }) => ctx.db.user.update({ where: { id: input.id } })),\n"
            "  rename: sessionProcedure.input(z.string()).mutation(({ input }) => input),\n"
            "});\n"
        ),
        "src/server/routers/auth.ts": (
            "import { z } from 'zod';\n"
            "import { createTRPCRouter, publicProcedure } from '../trpc';\n"
            "export const authRouter = createTRPCRouter({\n"
            "  login: publicProcedure.input(z.object({ email: z.string() }))\n"
            "    .mutation(async ({ input }) => ({ ok: true })),\n"
            "});\n"
        ),
        "src/server/root.ts": (
            "import { createTRPCRouter, mergeRouters } from './trpc';\n"
            "import { userRouter } from './routers/user';\n"
            "import { authRouter } from './routers/auth';\n"
            "const base = createTRPCRouter({ user: userRouter });\n"
            "export const appRouter = mergeRouters(base, createTRPCRouter({ auth: authRouter }));\n"
        ),
        "src/app/api/trpc/[trpc]/route.ts": (
            "import { fetchRequestHandler } from '@trpc/server/adapters/fetch';\n"
            "import { appRouter } from '@/server/root';\n"
            "const handler = (req: Request) => fetchRequestHandler({\n"
            "  endpoint: '/api/trpc', req, router: appRouter, createContext: () => ({}),\n"
            "});\n"
            "export { handler as GET, handler as POST };\n"
        ),
        **NEXT_CONFIG,
    }


def test_trpc_builders_resolved_across_modules() -> None:
    routes = inventory(_trpc_app())
    assert set(routes) == {
        "QUERY user.me",
        "MUTATION user.delete",
        "MUTATION user.ban",
        "MUTATION user.rename",
        "MUTATION auth.login",
    }  # the tRPC HTTP endpoint itself is a mount, not a route
    me = routes["QUERY user.me"]
    assert me.kind == "trpc" and me.framework == "trpc"
    assert me.mounted_prefix == "/api/trpc"
    assert me.auth.status == "present"
    assert me.auth.evidence[0].file == "src/server/trpc.ts"
    delete = routes["MUTATION user.delete"]
    assert delete.auth.status == "absent"
    assert delete.validation.status == "present"
    assert delete.loads_by_id
    ban = routes["MUTATION user.ban"]
    assert ban.auth.status == "present"
    assert ban.authz.status == "present"
    assert ban.authz.evidence[0].kind == "role"
    # Named like a session check, its middleware only logs: not authentication.
    assert routes["MUTATION user.rename"].auth.status == "absent"
    login = routes["MUTATION auth.login"]
    assert login.public_by_design == "login"
    assert route_policy.is_auth_endpoint(login)


def test_trpc_rules_apply_to_procedures() -> None:
    index = index_of(_trpc_app())
    missing = {f.route for f in MISSING_AUTH.check(index)}
    assert "MUTATION user.delete" in missing
    assert "MUTATION auth.login" not in missing
    assert "QUERY user.me" not in missing
    limited = {f.route for f in RATE_LIMIT_RULE.check(index)}
    assert limited == {"MUTATION auth.login"}


def test_trpc_unresolvable_builder_is_unknown() -> None:
    routes = inventory(
        {
            "src/server.ts": (
                "import { initTRPC } from '@trpc/server';\n"
                "import { authedProcedure } from 'some-auth-kit';\n"
                "import { teamProcedure } from './not-here';\n"
                "const t = initTRPC.create();\n"
                "export const appRouter = t.router({\n"
                "  list: t.procedure.query(() => []),\n"
                "  create: authedProcedure.mutation(() => 1),\n"
                "  remove: teamProcedure.mutation(() => 1),\n"
                "  admin: t.router({ wipe: t.procedure.mutation(() => 1) }),\n"
                "  onAdd: t.procedure.subscription(() => null),\n"
                "});\n"
            )
        }
    )
    assert routes["QUERY list"].auth.status == "absent"
    create = routes["MUTATION create"].auth
    assert create.status == "unknown" and "some-auth-kit" in create.note
    assert routes["MUTATION remove"].auth.status == "unknown"
    assert routes["MUTATION admin.wipe"].auth.status == "absent"
    assert routes["SUBSCRIPTION onAdd"].method == "SUBSCRIPTION"


def test_trpc_express_mount_and_middleware_factory() -> None:
    routes = inventory(
        {
            "src/trpc.ts": (
                "import { initTRPC, TRPCError } from '@trpc/server';\n"
                "export const t = initTRPC.create();\n"
                "export const hasRole = (role: string) => t.middleware(({ ctx, next }) => {\n"
                "  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED' });\n"
                "  if (ctx.user.role !== role) throw new TRPCError({ code: 'FORBIDDEN' });\n"
                "  return next();\n"
                "});\n"
            ),
            "src/app.ts": (
                "import express from 'express';\n"
                "import * as trpcExpress from '@trpc/server/adapters/express';\n"
                "import { t, hasRole } from './trpc';\n"
                "const appRouter = t.router({\n"
                "  purge: t.procedure.use(hasRole('admin')).mutation(() => 1),\n"
                "});\n"
                "const app = express();\n"
                "app.use('/trpc', trpcExpress.createExpressMiddleware({ router: appRouter }));\n"
            ),
        }
    )
    purge = routes["MUTATION purge"]
    assert purge.mounted_prefix == "/trpc"
    assert purge.auth.status == "present"
    assert purge.authz.status == "present"


def test_trpc_procedure_tested_by_caller() -> None:
    files = _trpc_app()
    files["src/server/routers/user.test.ts"] = (
        "import { appRouter } from '../root';\n"
        "test('delete', async () => {\n"
        "  const caller = appRouter.createCaller({});\n"
        "  await caller.user.delete({ id: '1' });\n"
        "});\n"
    )
    routes = inventory(files)
    assert routes["MUTATION user.delete"].tested is True
    assert routes["MUTATION user.ban"].tested is False


# ---- Hono RPC style ---------------------------------------------------------------------------


def test_hono_rpc_chained_routes() -> None:
    routes = inventory(
        {
            "src/books.ts": (
                "import { Hono } from 'hono';\n"
                "import { zValidator } from '@hono/zod-validator';\n"
                "const books = new Hono()\n"
                "  .get('/', (c) => c.json([]))\n"
                "  .post('/', zValidator('json', schema), (c) => c.json(c.req.valid('json')));\n"
                "export default books;\n"
            ),
            "src/index.ts": (
                "import { Hono } from 'hono';\n"
                "import { bearerAuth } from 'hono/bearer-auth';\n"
                "import books from './books';\n"
                "const app = new Hono().basePath('/api')\n"
                "  .use('/books/*', bearerAuth({ token: 'x' }))\n"
                "  .route('/books', books);\n"
                "export type AppType = typeof app;\n"
                "export default app;\n"
            ),
        }
    )
    assert routes["POST /api/books"].auth.status == "present"
    assert routes["POST /api/books"].validation.status == "present"


def test_handler_we_cannot_read_is_unknown() -> None:
    routes = inventory(
        {
            **NEXT_CONFIG,
            "auth.ts": (
                "import NextAuth from 'next-auth';\n"
                "export const { auth, handlers } = NextAuth({ providers: [] });\n"
            ),
            "app/api/auth/[...nextauth]/route.ts": (
                "import { handlers } from '@/auth';\nexport const { GET, POST } = handlers;\n"
            ),
            "app/api/export/route.ts": "export { POST } from 'some-export-kit';\n",
        }
    )
    signin = routes["POST /api/auth/*nextauth"]
    assert signin.public_by_design == "login"
    assert signin.rate_limit.status == "unknown"
    assert routes["POST /api/export"].auth.status == "unknown"


def test_trpc_middleware_module_and_concat() -> None:
    routes = inventory(
        {
            "src/middleware.ts": (
                "import { experimental_standaloneMiddleware, TRPCError } from '@trpc/server';\n"
                "export const requireSession = experimental_standaloneMiddleware<{\n"
                "  ctx: { session?: { userId: string } };\n"
                "}>().create(({ ctx, next }) => {\n"
                "  if (!ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED' });\n"
                "  return next();\n"
                "});\n"
            ),
            "src/trpc.ts": (
                "import { initTRPC } from '@trpc/server';\n"
                "import { requireSession } from './middleware';\n"
                "export const t = initTRPC.create();\n"
                "export const authed = t.procedure.use(requireSession);\n"
            ),
            "src/router.ts": (
                "import { t, authed } from './trpc';\n"
                "export const appRouter = t.router({\n"
                "  save: t.procedure.concat(authed).mutation(() => 1),\n"
                "  open: t.procedure.mutation(() => 1),\n"
                "});\n"
            ),
        }
    )
    assert routes["MUTATION save"].auth.status == "present"
    assert routes["MUTATION save"].auth.evidence[0].file == "src/middleware.ts"
    assert routes["MUTATION open"].auth.status == "absent"


def test_pages_api_branches_judged_per_method() -> None:
    routes = inventory(
        {
            "pages/api/posts.ts": (
                "import type { NextApiRequest, NextApiResponse } from 'next';\n"
                "import { getServerSession } from 'next-auth/next';\n"
                "export default async function handler(req: NextApiRequest, res: any) {\n"
                "  switch (req.method) {\n"
                "    case 'GET':\n"
                "      return res.json(await db.post.findMany());\n"
                "    case 'POST': {\n"
                "      const session = await getServerSession(req, res, authOptions);\n"
                "      if (!session) return res.status(401).end();\n"
                "      return res.json(await db.post.create({ data: req.body }));\n"
                "    }\n"
                "  }\n"
                "}\n"
            ),
        }
    )
    assert routes["POST /api/posts"].auth.status == "present"
    assert routes["POST /api/posts"].reads_request_data
    assert routes["GET /api/posts"].auth.status == "absent"
    assert not routes["GET /api/posts"].reads_request_data
