"""Next.js middleware of auth libraries evaluated: on which paths Clerk's `clerkMiddleware`
callback and next-auth's middleware (v4 `withAuth`, v5 `auth` with an `authorized` callback)
refuse callers without a session; `unknown` only when a refusal's condition cannot be read."""

from __future__ import annotations

from tests.review.javascript.test_fullstack_routes import NEXT_CONFIG, inventory

_OPEN = "export async function POST() { return Response.json({ ok: true }); }\n"
_ROUTES = {
    "app/api/private/notes/route.ts": _OPEN,
    "app/api/public/ping/route.ts": _OPEN,
    "app/api/webhooks/stripe/route.ts": _OPEN,
}


def _clerk(body: str, matchers: str = "") -> dict[str, str]:
    return {
        **NEXT_CONFIG,
        **_ROUTES,
        "middleware.ts": (
            "import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server';\n"
            + matchers
            + body
            + "export const config = {\n"
            + "  matcher: ['/((?!_next|.*\\\\..*).*)', '/(api|trpc)(.*)'],\n"
            + "};\n"
        ),
    }


def test_clerk_protects_the_matched_routes_only() -> None:
    routes = inventory(
        _clerk(
            "export default clerkMiddleware(async (auth, req) => {\n"
            "  if (isProtectedRoute(req)) await auth.protect();\n"
            "});\n",
            "const isProtectedRoute = createRouteMatcher([\n"
            "  '/dashboard(.*)', '/api/private(.*)']);\n",
        )
    )
    private = routes["POST /api/private/notes"].auth
    assert private.status == "present"
    assert "/api/private(.*)" in private.evidence[0].detail
    # Not matched: the callback lets it through, so the route is judged on its own.
    assert routes["POST /api/public/ping"].auth.status == "absent"


def test_clerk_protects_everything_but_public_routes() -> None:
    negated = _clerk(
        "export default clerkMiddleware(async (auth, request) => {\n"
        "  if (!isPublicRoute(request)) {\n"
        "    await auth().protect();\n"
        "  }\n"
        "});\n",
        "const isPublicRoute = createRouteMatcher(['/api/webhooks(.*)', '/api/public(.*)']);\n",
    )
    early_return = _clerk(
        "export default clerkMiddleware(async (auth, req) => {\n"
        "  if (isPublicRoute(req)) return;\n"
        "  const { userId, redirectToSignIn } = await auth();\n"
        "  if (!userId) return redirectToSignIn();\n"
        "});\n",
        "const isPublicRoute = createRouteMatcher(['/api/webhooks(.*)', '/api/public(.*)']);\n",
    )
    for files in (negated, early_return):
        routes = inventory(files)
        assert routes["POST /api/private/notes"].auth.status == "present"
        assert routes["POST /api/webhooks/stripe"].auth.status == "absent"
        assert routes["POST /api/public/ping"].auth.status == "absent"


def test_clerk_without_callback_protects_nothing() -> None:
    routes = inventory(_clerk("export default clerkMiddleware();\n"))
    assert routes["POST /api/private/notes"].auth.status == "absent"


def test_clerk_condition_we_cannot_read_is_unknown() -> None:
    routes = inventory(
        _clerk(
            "export default clerkMiddleware(async (auth, req) => {\n"
            "  if (req.headers.get('x-tenant') !== 'internal') await auth.protect();\n"
            "});\n"
        )
    )
    auth = routes["POST /api/private/notes"].auth
    assert auth.status == "unknown"
    assert "x-tenant" in auth.note


def test_clerk_path_prefix_test_in_the_callback() -> None:
    routes = inventory(
        _clerk(
            "export default clerkMiddleware(async (auth, req) => {\n"
            "  const { userId } = await auth();\n"
            "  if (!userId && req.nextUrl.pathname.startsWith('/api/private')) {\n"
            "    return new Response('Unauthorized', { status: 401 });\n"
            "  }\n"
            "});\n"
        )
    )
    assert routes["POST /api/private/notes"].auth.status == "present"
    assert routes["POST /api/public/ping"].auth.status == "absent"


def test_next_auth_v4_middleware_reexport_and_with_auth() -> None:
    reexport = {
        **NEXT_CONFIG,
        **_ROUTES,
        "middleware.ts": (
            "export { default } from 'next-auth/middleware';\n"
            "export const config = { matcher: ['/api/private/:path*'] };\n"
        ),
    }
    routes = inventory(reexport)
    assert routes["POST /api/private/notes"].auth.status == "present"
    assert routes["POST /api/public/ping"].auth.status == "absent"  # outside the matcher

    role = {
        **NEXT_CONFIG,
        **_ROUTES,
        "middleware.ts": (
            "import { withAuth } from 'next-auth/middleware';\n"
            "export default withAuth(function middleware(req) {}, {\n"
            "  callbacks: { authorized: ({ token }) => token?.role === 'admin' },\n"
            "});\n"
        ),
    }
    assert inventory(role)["POST /api/private/notes"].auth.status == "present"

    lets_all_in = {
        **NEXT_CONFIG,
        **_ROUTES,
        "middleware.ts": (
            "import { withAuth } from 'next-auth/middleware';\n"
            "export default withAuth({ callbacks: { authorized: () => true } });\n"
        ),
    }
    assert inventory(lets_all_in)["POST /api/private/notes"].auth.status == "absent"


_AUTH_CONFIG = (
    "import type { NextAuthConfig } from 'next-auth';\n"
    "export const authConfig = {\n"
    "  pages: { signIn: '/login' },\n"
    "  callbacks: {\n"
    "    authorized({ auth, request: { nextUrl } }) {\n"
    "      const isLoggedIn = !!auth?.user;\n"
    "      const isPrivate = nextUrl.pathname.startsWith('/api/private');\n"
    "      if (isPrivate) {\n"
    "        if (isLoggedIn) return true;\n"
    "        return false;\n"
    "      }\n"
    "      return true;\n"
    "    },\n"
    "  },\n"
    "  providers: [],\n"
    "} satisfies NextAuthConfig;\n"
)


def test_next_auth_v5_authorized_callback_across_modules() -> None:
    files = {
        **NEXT_CONFIG,
        **_ROUTES,
        "auth.config.ts": _AUTH_CONFIG,
        "auth.ts": (
            "import NextAuth from 'next-auth';\n"
            "import { authConfig } from './auth.config';\n"
            "export const { auth, signIn, signOut } = NextAuth({ ...authConfig });\n"
        ),
        "middleware.ts": "export { auth as middleware } from './auth';\n",
    }
    routes = inventory(files)
    assert routes["POST /api/private/notes"].auth.status == "present"
    assert routes["POST /api/public/ping"].auth.status == "absent"

    made_here = {
        **files,
        "middleware.ts": (
            "import NextAuth from 'next-auth';\n"
            "import { authConfig } from './auth.config';\n"
            "export default NextAuth(authConfig).auth;\n"
        ),
    }
    assert inventory(made_here)["POST /api/private/notes"].auth.status == "present"


def test_next_auth_v5_without_authorized_callback_and_with_own_callback() -> None:
    files = {
        **NEXT_CONFIG,
        **_ROUTES,
        "auth.ts": (
            "import NextAuth from 'next-auth';\n"
            "export const { auth, handlers } = NextAuth({ providers: [] });\n"
        ),
        "middleware.ts": "import { auth } from './auth';\nexport default auth;\n",
    }
    # No `authorized` callback: next-auth's middleware lets every request through.
    assert inventory(files)["POST /api/private/notes"].auth.status == "absent"
    files["middleware.ts"] = (
        "import { auth } from './auth';\n"
        "export default auth((req) => {\n"
        "  if (!req.auth && req.nextUrl.pathname !== '/login') {\n"
        "    return Response.redirect(new URL('/login', req.nextUrl.origin));\n"
        "  }\n"
        "});\n"
    )
    assert inventory(files)["POST /api/private/notes"].auth.status == "present"
    # A config spread from a module we cannot read: unknown, not absent.
    files["auth.ts"] = (
        "import NextAuth from 'next-auth';\n"
        "import { sharedConfig } from '@acme/auth-config';\n"
        "export const { auth } = NextAuth({ ...sharedConfig });\n"
    )
    files["middleware.ts"] = "import { auth } from './auth';\nexport default auth;\n"
    auth = inventory(files)["POST /api/private/notes"].auth
    assert auth.status == "unknown"
    assert "sharedConfig" in auth.note


# ---- Pages Router wrappers: `export default withX(handler)` --------------------------------

_WITH_SESSION = (
    "import { getServerSession } from 'next-auth/next';\n"
    "import { authOptions } from './auth';\n"
    "export function withSession(handler) {\n"
    "  return async (req, res) => {\n"
    "    const session = await getServerSession(req, res, authOptions);\n"
    "    if (!session) return res.status(401).json({ error: 'Unauthorized' });\n"
    "    return handler(req, res);\n"
    "  };\n"
    "}\n"
    "export function withTiming(handler) {\n"
    "  return async (req, res) => { const t = Date.now(); await handler(req, res);"
    " console.log(Date.now() - t); };\n"
    "}\n"
)
_NOTE_HANDLER = (
    "import { prisma } from '../../../lib/db';\n"
    "async function handler(req, res) {\n"
    "  if (req.method === 'DELETE') {\n"
    "    await prisma.note.delete({ where: { id: String(req.query.id) } });\n"
    "    return res.status(204).end();\n"
    "  }\n"
    "  if (req.method === 'GET') {\n"
    "    return res.json(await prisma.note.findMany());\n"
    "  }\n"
    "  res.status(405).end();\n"
    "}\n"
)


def test_pages_wrapper_judged_by_its_body_with_the_handlers_facts() -> None:
    routes = inventory(
        {
            **NEXT_CONFIG,
            "lib/auth.ts": "export const authOptions = { providers: [] };\n",
            "lib/db.ts": "export const prisma = {} as any;\n",
            "lib/with.ts": _WITH_SESSION,
            "pages/api/notes/[id].ts": (
                "import { withSession } from '../../../lib/with';\n"
                + _NOTE_HANDLER
                + "export default withSession(handler);\n"
            ),
            "pages/api/timed/[id].ts": (
                "import { withTiming } from '../../../lib/with';\n"
                + _NOTE_HANDLER
                + "export default withTiming(handler);\n"
            ),
        }
    )
    delete = routes["DELETE /api/notes/:id"]
    assert delete.auth.status == "present"
    assert "withSession" in delete.auth.evidence[0].detail
    assert delete.loads_by_id  # read from the wrapped handler
    assert routes["GET /api/notes/:id"].auth.status == "present"
    # A wrapper that only times the handler: everything resolved, nothing protects it.
    timed = routes["DELETE /api/timed/:id"]
    assert timed.auth.status == "absent"
    assert timed.loads_by_id


def test_pages_wrapper_from_a_package_we_do_not_know_is_unknown() -> None:
    routes = inventory(
        {
            **NEXT_CONFIG,
            "lib/db.ts": "export const prisma = {} as any;\n",
            "pages/api/notes/[id].ts": (
                "import { withApiAuth } from '@acme/session';\n"
                + _NOTE_HANDLER
                + "export default withApiAuth(handler);\n"
            ),
        }
    )
    auth = routes["DELETE /api/notes/:id"].auth
    assert auth.status == "unknown"
    assert "withApiAuth" in auth.note


def test_a_redirect_for_signed_in_callers_is_not_a_refusal() -> None:
    routes = inventory(
        _clerk(
            "export default clerkMiddleware(async (auth, req) => {\n"
            "  const { userId } = await auth();\n"
            "  if (userId && req.nextUrl.pathname === '/sign-in') {\n"
            "    return NextResponse.redirect(new URL('/auth/welcome', req.url));\n"
            "  }\n"
            "});\n"
        )
    )
    assert routes["POST /api/private/notes"].auth.status == "absent"


def test_next_auth_v4_authorized_callback_per_path() -> None:
    files = {
        **NEXT_CONFIG,
        **_ROUTES,
        "middleware.ts": (
            "import { withAuth } from 'next-auth/middleware';\n"
            "export default withAuth({\n"
            "  callbacks: {\n"
            "    authorized({ req, token }) {\n"
            "      if (req.nextUrl.pathname.startsWith('/api/private')) {\n"
            "        return token?.role === 'admin';\n"
            "      }\n"
            "      return true;\n"
            "    },\n"
            "  },\n"
            "});\n"
        ),
    }
    routes = inventory(files)
    assert routes["POST /api/private/notes"].auth.status == "present"
    assert routes["POST /api/public/ping"].auth.status == "absent"
