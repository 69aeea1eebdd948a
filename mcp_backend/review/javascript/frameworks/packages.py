"""What library middleware does, by the package it is imported from and the name it exports.

A middleware on a route is judged by following its name to where it comes from: a function
of the project is judged by its body (common.classify_body); a symbol imported from a package
is judged by this table. A package the table does not know is out of sight: its name is at
most a hint that the protection is `unknown`, never evidence that it is there.

Each entry: package -> {exported name: kinds}, with "*" for every other export of the package.
"default" is the package's default export (`import rateLimit from 'express-rate-limit'`,
`const helmet = require('helmet')`); members of it (`helmet.frameguard()`,
`passport.authenticate()`) are looked up by their own name, then "*".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Kinds = tuple[str, ...]
_AUTH: Kinds = ("auth",)
_OPTIONAL: Kinds = ("optional_auth",)
_VALIDATION: Kinds = ("validation",)
_LIMIT: Kinds = ("rate_limit",)
_NONE: Kinds = ()

PACKAGE_KINDS: dict[str, dict[str, Kinds]] = {
    # Authentication.
    "express-jwt": {"expressjwt": _AUTH, "expressJwt": _AUTH, "default": _AUTH, "*": _NONE},
    "koa-jwt": {"default": _AUTH, "*": _AUTH},
    "passport": {"authenticate": _AUTH, "session": _OPTIONAL, "*": _NONE},
    "koa-passport": {"authenticate": _AUTH, "session": _OPTIONAL, "*": _NONE},
    "@fastify/passport": {"authenticate": _AUTH, "*": _NONE},
    "express-openid-connect": {"requiresAuth": _AUTH, "auth": _OPTIONAL, "*": _NONE},
    "express-oauth2-jwt-bearer": {"auth": _AUTH, "requiredScopes": ("authz",), "*": _NONE},
    "connect-ensure-login": {"ensureLoggedIn": _AUTH, "*": _NONE},
    "express-basic-auth": {"default": _AUTH, "*": _AUTH},
    "@clerk/express": {"requireAuth": _AUTH, "clerkMiddleware": _OPTIONAL, "*": _NONE},
    "@hono/clerk-auth": {"clerkMiddleware": _OPTIONAL, "*": _NONE},
    "hono/jwt": {"jwt": _AUTH, "jwk": _AUTH, "*": _NONE},
    "hono/bearer-auth": {"bearerAuth": _AUTH, "*": _NONE},
    "hono/basic-auth": {"basicAuth": _AUTH, "*": _NONE},
    # Medusa v2: `authenticate(actor, methods, { allowUnauthenticated })` refuses callers
    # without a session/bearer/API key of that actor type (docs.medusajs.com, Protected API
    # Routes); the validators parse the body/query with a zod schema and refuse.
    **{
        name: {
            "authenticate": _AUTH,
            "validateAndTransformBody": _VALIDATION,
            "validateAndTransformQuery": _VALIDATION,
            "*": _NONE,
        }
        for name in ("@medusajs/framework/http", "@medusajs/framework", "@medusajs/medusa")
    },
    # Validation.
    "celebrate": {"celebrate": _VALIDATION, "*": _NONE},
    "express-validator": {"validationResult": _NONE, "matchedData": _NONE, "*": _VALIDATION},
    "express-joi-validation": {"*": _VALIDATION},
    "express-openapi-validator": {"*": _VALIDATION},
    "zod-express-middleware": {"*": _VALIDATION},
    "@hono/zod-validator": {"*": _VALIDATION},
    "@hono/valibot-validator": {"*": _VALIDATION},
    "@hono/typebox-validator": {"*": _VALIDATION},
    "@hono/arktype-validator": {"*": _VALIDATION},
    "@hono/typia-validator": {"*": _VALIDATION},
    "@hono/standard-validator": {"*": _VALIDATION},
    "hono/validator": {"validator": _VALIDATION, "*": _NONE},
    # Rate limiting.
    "express-rate-limit": {"*": _LIMIT},
    "express-slow-down": {"*": _LIMIT},
    "express-brute": {"*": _LIMIT},
    "koa-ratelimit": {"*": _LIMIT},
    "koa2-ratelimit": {"*": _LIMIT},
    "hono-rate-limiter": {"*": _LIMIT},
    "@fastify/rate-limit": {"*": _LIMIT},
    "@nestjs/throttler": {"*": _LIMIT},
    # Middleware that has nothing to do with who the caller is or what they may do.
    **{
        name: {"*": _NONE}
        for name in (
            "helmet",
            "koa-helmet",
            "@fastify/helmet",
            "hono/secure-headers",
            "cors",
            "@koa/cors",
            "koa2-cors",
            "@fastify/cors",
            "hono/cors",
            "morgan",
            "koa-logger",
            "hono/logger",
            "pino-http",
            "express-pino-logger",
            "express-winston",
            "compression",
            "koa-compress",
            "@fastify/compress",
            "hono/compress",
            "body-parser",
            "koa-bodyparser",
            "@koa/bodyparser",
            "koa-body",
            "cookie-parser",
            "@fastify/cookie",
            "hono/cookie",
            "express-session",
            "koa-session",
            "cookie-session",
            "serve-static",
            "koa-static",
            "serve-favicon",
            "multer",
            "@fastify/multipart",
            "express-fileupload",
            "method-override",
            "connect-flash",
            "response-time",
            "connect-timeout",
            "hono/etag",
            "hono/pretty-json",
            "hono/request-id",
            "hono/timing",
            "swagger-ui-express",
            "express",
            "koa",
            "hono",
            "@sentry/node",
            "csurf",
            "lusca",
            "hpp",
        )
    },
}
# express-jwt (and koa-jwt's `passthrough`) let callers without a token through when told to.
_OPTIONAL_OPTIONS = re.compile(
    r"\bcredentialsRequired\s*:\s*false\b|\bpassthrough\s*:\s*true\b"
    r"|\ballowUnauthenticated\s*:\s*true\b"  # Medusa's authenticate()
)
# Packages that mount a sub-application under a path: `app.use(mount('/api', api))`.
MOUNT_PACKAGES = frozenset({"koa-mount"})


def is_package(source: str) -> bool:
    """A bare module specifier (not a project path or a tsconfig alias into the project)."""
    return not source.startswith((".", "/", "@/", "~/", "#", "src/"))


def package_name(source: str) -> str:
    """'lodash/fp' -> 'lodash', '@scope/pkg/sub' -> '@scope/pkg'; subpaths listed in the
    table (hono/jwt) stay whole."""
    if source in PACKAGE_KINDS:
        return source
    parts = source.split("/")
    return "/".join(parts[:2]) if source.startswith("@") else parts[0]


def package_kinds(source: str, exported: str, member: str, args: str = "") -> Kinds | None:
    """What `exported` (or its `member`) from package `source` does as middleware; None when
    the package is not one we know."""
    table = PACKAGE_KINDS.get(source) or PACKAGE_KINDS.get(package_name(source))
    if table is None:
        return None
    kinds = None
    if member:
        kinds = table.get(member)
    if kinds is None and exported not in {"default", "*"}:
        kinds = table.get(exported)
    if kinds is None and exported in {"default", "*"} and not member:
        kinds = table.get("default")
    if kinds is None:
        kinds = table.get("*", _NONE)
    if kinds == _AUTH and _OPTIONAL_OPTIONS.search(args):
        return _OPTIONAL
    return kinds


# What the server functions of auth libraries do when a handler, a server action or a Next.js
# middleware calls them: "reader" returns the caller (or nothing, the caller decides what to
# do without one), "guard" refuses a caller without a session itself, "wrapper" is a middleware
# factory whose callback decides. Keys are exported names, "default", or "name.member".
IDENTITY_CALLS: dict[str, dict[str, str]] = {
    # next-auth v4: getServerSession(authOptions); v5 `auth` comes from NextAuth() (below).
    "next-auth": {"getServerSession": "reader"},
    "next-auth/next": {"getServerSession": "reader"},
    "next-auth/jwt": {"getToken": "reader"},
    # next-auth's middleware redirects callers without a session to the sign-in page.
    "next-auth/middleware": {"default": "guard", "withAuth": "guard"},
    # Clerk: auth() / currentUser() read; auth.protect() refuses; clerkMiddleware's callback
    # decides.
    **{
        name: {
            "auth": "reader",
            "currentUser": "reader",
            "auth.protect": "guard",
            "clerkMiddleware": "wrapper",
            "getAuth": "reader",
        }
        for name in ("@clerk/nextjs/server", "@clerk/nextjs")
    },
    "@auth0/nextjs-auth0": {
        "getSession": "reader",
        "withApiAuthRequired": "guard",
        "withPageAuthRequired": "guard",
        "withMiddlewareAuthRequired": "guard",
    },
    "@kinde-oss/kinde-auth-nextjs/server": {"getKindeServerSession": "reader", "withAuth": "guard"},
    "iron-session": {"getIronSession": "reader"},
    "@workos-inc/authkit-nextjs": {"withAuth": "reader", "authkitMiddleware": "wrapper"},
}
# Factories whose result, destructured, holds the functions above:
# `export const { auth, handlers } = NextAuth(config)` (next-auth v5) gives a reader `auth`.
IDENTITY_FACTORIES: dict[tuple[str, str], dict[str, str]] = {
    ("next-auth", "default"): {"auth": "reader"},
}
# Middleware wrappers whose callback decides, and what they do without one (or when their
# callback lets a request through): "refuses" sends callers without a session to sign-in unless
# an `authorized` callback says otherwise; "passes" lets every caller through unless the
# callback refuses; "config" decides by the `authorized` callback of the auth library's config.
MIDDLEWARE_WRAPPERS: dict[str, dict[str, str]] = {
    # next-auth v4: `export { default } from "next-auth/middleware"` and `withAuth(fn, opts)`
    # redirect callers without a token (the default `authorized` is `!!token`).
    "next-auth/middleware": {"default": "refuses", "withAuth": "refuses"},
    # Clerk: every route is public until the callback calls `auth.protect()` (docs:
    # clerk.com/docs/references/nextjs/clerk-middleware).
    "@clerk/nextjs/server": {"clerkMiddleware": "passes"},
    "@clerk/nextjs": {"clerkMiddleware": "passes"},
}
# next-auth v5: `auth` from `NextAuth(config)` used as middleware runs the config's
# `callbacks.authorized` (no callback: every request passes), then its own callback if given.
IDENTITY_MIDDLEWARE: dict[tuple[str, str], dict[str, str]] = {
    ("next-auth", "default"): {"auth": "config"},
}
# Route matcher factories of auth libraries: `createRouteMatcher(['/dashboard(.*)'])`.
ROUTE_MATCHER_FACTORIES: frozenset[tuple[str, str]] = frozenset(
    {("@clerk/nextjs/server", "createRouteMatcher"), ("@clerk/nextjs", "createRouteMatcher")}
)


@dataclass(frozen=True)
class FileRouteFramework:
    """A framework whose routes are files (`<routes_dir>/**/route.ts` exporting `GET`, ...),
    detected by the package prefix its projects import."""

    name: str
    routes_dir: str
    # `<routes_dir>/<middlewares>.ts`: its default export configures middleware per matcher.
    middlewares: str
    # Path prefixes the framework itself protects, with the actor it requires; a route file
    # exporting `opt_out = false` is left out.
    protected_prefixes: tuple[tuple[str, str], ...]
    opt_out: str
    # Actor types only administrators have: `authenticate("user", ...)` admits admin users
    # and no customer, so it is a role check as well.
    admin_actors: frozenset[str] = frozenset()
    # Path prefixes the framework serves to anonymous callers by design, with why; a route
    # there without authentication is public by design, not a missing protection.
    public_prefixes: tuple[tuple[str, str], ...] = ()


FILE_ROUTE_FRAMEWORKS: dict[str, FileRouteFramework] = {
    # Medusa v2: api/**/route.ts, api/middlewares.ts `defineMiddlewares({ routes })`; routes
    # under /admin (user) and /store/customers/me (customer) are authenticated by default
    # unless the route file exports AUTHENTICATE = false (docs.medusajs.com, Protected API
    # Routes). The "user" actor is the admin dashboard's; shoppers are "customer".
    "@medusajs/": FileRouteFramework(
        name="medusa",
        routes_dir="api",
        middlewares="middlewares",
        protected_prefixes=(("/admin", "user"), ("/store/customers/me", "customer")),
        opt_out="AUTHENTICATE",
        admin_actors=frozenset({"user"}),
        # The Store API is for anonymous shoppers (guest carts addressed by unguessable ids),
        # scoped by a publishable API key; /hooks receives provider webhooks.
        public_prefixes=(
            ("/store", "storefront API (public by design, publishable API key)"),
            ("/hooks", "webhook"),
        ),
    ),
}
