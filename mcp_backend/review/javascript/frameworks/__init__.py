"""Framework extractors: per-file, JSON-serializable facts about apps, routers, routes,
middleware, hooks, guards and modules. They never look at another file (results are cached per
file); `javascript/linker.py` joins them into the route inventory.

- `facts.py`   the shared walk: imports/exports, function definitions, registrations;
- `express.py` Express apps, routers, `router.route()` chains, error middleware;
- `hono.py`    Hono apps, `basePath`, `app.route()`, `onError`, chained definitions;
- `fastify.py` Fastify instances, plugins, `register` prefixes, hooks, route options;
- `koa.py`     Koa apps, @koa/router routers and their prefixes, `app.use(router.routes())`;
- `nestjs.py`  controllers, method decorators, guards, pipes, DTOs, throttler, modules,
               URI versioning, project decorators (applyDecorators composites, SetMetadata);
- `nextjs.py`  App Router route files, Pages API handlers, middleware + matcher, server actions
               (typed facts, `review/facts.py`);
- `trpc.py`    initTRPC instances, procedure builder chains, middleware, routers, HTTP mounts;
- `caller.py`  what one function body does about the caller (reads a session, refuses without
               one, role/ownership checks, schema parsing), with the names it calls;
- `packages.py` what library middleware does, by package and exported name (a package it
               does not know is `unknown`, never judged by its name).
"""
