"""tRPC v9 string-keyed routers: `createRouter().query('name', {...})`, `.middleware(...)`
protecting the procedures after it (and every router merged after it), `.merge('prefix.', sub)`,
and router factories (`createProtectedRouter()`) followed across modules."""

from __future__ import annotations

from tests.review.javascript.test_fullstack_routes import NEXT_CONFIG, inventory

_CREATE_ROUTER = (
    "import * as trpc from '@trpc/server';\n"
    "import type { Context } from './context';\n"
    "export function createRouter() {\n"
    "  return trpc.router<Context>();\n"
    "}\n"
    "export function createProtectedRouter() {\n"
    "  return createRouter().middleware(({ ctx, next }) => {\n"
    "    if (!ctx.session?.user) {\n"
    "      throw new trpc.TRPCError({ code: 'UNAUTHORIZED' });\n"
    "    }\n"
    "    return next({ ctx: { ...ctx, session: ctx.session } });\n"
    "  });\n"
    "}\n"
)


def _app() -> dict[str, str]:
    return {
        **NEXT_CONFIG,
        "src/server/createRouter.ts": _CREATE_ROUTER,
        "src/server/routers/post.ts": (
            "import { z } from 'zod';\n"
            "import { TRPCError } from '@trpc/server';\n"
            "import { createRouter } from '../createRouter';\n"
            "export const postRouter = createRouter()\n"
            "  .query('all', { resolve({ ctx }) { return ctx.prisma.post.findMany(); } })\n"
            "  .middleware(async ({ ctx, next }) => {\n"
            "    if (!ctx.session?.user) throw new TRPCError({ code: 'UNAUTHORIZED' });\n"
            "    return next();\n"
            "  })\n"
            "  .mutation('delete', {\n"
            "    input: z.object({ id: z.string() }),\n"
            "    async resolve({ ctx, input }) {\n"
            "      await ctx.prisma.post.delete({ where: { id: input.id } });\n"
            "    },\n"
            "  });\n"
        ),
        "src/server/routers/account.ts": (
            "import { createProtectedRouter } from '../createRouter';\n"
            "export const accountRouter = createProtectedRouter()\n"
            "  .query('me', { resolve: ({ ctx }) => ctx.session.user });\n"
        ),
        "src/server/routers/stats.ts": (
            "import { createRouter } from '../createRouter';\n"
            "export const statsRouter = createRouter()\n"
            "  .query('count', { resolve: ({ ctx }) => ctx.prisma.post.count() });\n"
        ),
        "src/server/router.ts": (
            "import { TRPCError } from '@trpc/server';\n"
            "import { createRouter } from './createRouter';\n"
            "import { postRouter } from './routers/post';\n"
            "import { accountRouter } from './routers/account';\n"
            "import { statsRouter } from './routers/stats';\n"
            "export const appRouter = createRouter()\n"
            "  .merge('post.', postRouter)\n"
            "  .merge('account.', accountRouter)\n"
            "  .middleware(({ ctx, next }) => {\n"
            "    if (ctx.session?.user?.role !== 'admin') {\n"
            "      throw new TRPCError({ code: 'FORBIDDEN' });\n"
            "    }\n"
            "    return next();\n"
            "  })\n"
            "  .merge('stats.', statsRouter);\n"
            "export type AppRouter = typeof appRouter;\n"
        ),
        "src/pages/api/trpc/[trpc].ts": (
            "import { createNextApiHandler } from '@trpc/server/adapters/next';\n"
            "import { appRouter } from '../../../server/router';\n"
            "export default createNextApiHandler({\n"
            "  router: appRouter, createContext: () => ({}),\n"
            "});\n"
        ),
    }


def test_v9_routers_middleware_order_merge_and_factories() -> None:
    routes = inventory(_app())
    assert set(routes) == {
        "QUERY post.all",
        "MUTATION post.delete",
        "QUERY account.me",
        "QUERY stats.count",
    }
    # Defined before the middleware: not protected by it.
    assert routes["QUERY post.all"].auth.status == "absent"
    delete = routes["MUTATION post.delete"]
    assert delete.auth.status == "present"
    assert delete.validation.status == "present"
    assert delete.loads_by_id
    assert delete.mounted_prefix == "/api/trpc"
    # The factory it starts from adds the session check (across modules).
    assert routes["QUERY account.me"].auth.status == "present"
    # Merged after the parent's role middleware: it runs for the child's procedures.
    stats = routes["QUERY stats.count"]
    assert stats.authz.status == "present" and stats.auth.status == "present"


def test_v9_factory_we_cannot_read_is_unknown() -> None:
    files = _app()
    files["src/server/routers/account.ts"] = files["src/server/routers/account.ts"].replace(
        "'../createRouter'", "'@acme/trpc-kit'"
    )
    auth = inventory(files)["QUERY account.me"].auth
    assert auth.status == "unknown"
    assert "createProtectedRouter" in auth.note


def test_commonjs_module_exports_of_builders_and_routers() -> None:
    files = {
        "server/trpc.js": (
            "const { initTRPC, TRPCError } = require('@trpc/server');\n"
            "const t = initTRPC.create();\n"
            "const isAuthed = t.middleware(({ ctx, next }) => {\n"
            "  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED' });\n"
            "  return next();\n"
            "});\n"
            "module.exports = { router: t.router, publicProcedure: t.procedure,\n"
            "  protectedProcedure: t.procedure.use(isAuthed) };\n"
        ),
        "server/routers/user.js": (
            "const { router, publicProcedure, protectedProcedure } = require('../trpc');\n"
            "module.exports = {\n"
            "  userRouter: router({\n"
            "    list: publicProcedure.query(() => []),\n"
            "    remove: protectedProcedure.mutation(({ input }) => input),\n"
            "  }),\n"
            "};\n"
        ),
        "server/app.js": (
            "const express = require('express');\n"
            "const { createExpressMiddleware } = require('@trpc/server/adapters/express');\n"
            "const { router } = require('./trpc');\n"
            "const { userRouter } = require('./routers/user');\n"
            "exports.appRouter = router({ user: userRouter });\n"
            "const app = express();\n"
            "app.use('/trpc', createExpressMiddleware({ router: exports.appRouter }));\n"
        ),
    }
    routes = inventory(files)
    assert routes["MUTATION user.remove"].auth.status == "present"
    assert routes["QUERY user.list"].auth.status == "absent"
