"""GraphQL in JS/TS: routes for resolver fields and what protects them, server options."""

from __future__ import annotations

from mcp_backend.review.javascript import analyze_file, link_javascript
from mcp_backend.review.model import Language, ProjectIndex, Route
from mcp_backend.review.scan import run_project_rules


def index_of(files: dict[str, str]) -> ProjectIndex:
    results = []
    for name, source in files.items():
        language: Language = "typescript" if name.endswith((".ts", ".tsx")) else "javascript"
        results.append(analyze_file(name, source, language))
    return link_javascript(results, "/project")


def routes_of(files: dict[str, str]) -> dict[str, Route]:
    routes = index_of(files).routes
    by_key = {f"{r.method} {r.path}": r for r in routes}
    assert len(by_key) == len(routes), "a route was listed twice"
    return by_key


def rule_ids(files: dict[str, str]) -> list[str]:
    findings, notes = run_project_rules(index_of(files))
    assert not notes
    return sorted(f.rule_id for f in findings)


AUTH_HELPER = (
    "import { GraphQLError } from 'graphql';\n"
    "export function requireUser(ctx) {\n"
    "  if (!ctx.user) {\n"
    "    throw new GraphQLError('Sign in first', { extensions: { code: 'UNAUTHENTICATED' } });\n"
    "  }\n"
    "  return ctx.user;\n"
    "}\n"
)


def test_resolver_map_merged_from_another_module_checked_through_helper() -> None:
    routes = routes_of(
        {
            "src/auth.ts": AUTH_HELPER,
            "src/users.ts": (
                "import { requireUser } from './auth';\n"
                "export const userResolvers = {\n"
                "  Query: { me: (_p, _a, ctx) => requireUser(ctx) },\n"
                "  Mutation: {\n"
                "    deleteUser: async (_p, { id }, { db }) =>\n"
                "      db.user.delete({ where: { id } }),\n"
                "    login: async (_p, args, { db }) =>\n"
                "      db.user.findUnique({ where: { email: args.email } }),\n"
                "    createAccount: async (_p, args, { db }) =>\n"
                "      db.user.create({ data: args.input }),\n"
                "  },\n"
                "};\n"
            ),
            "src/index.ts": (
                "import { ApolloServer } from '@apollo/server';\n"
                "import { userResolvers } from './users';\n"
                "const server = new ApolloServer({ typeDefs, resolvers: [userResolvers] });\n"
            ),
        }
    )
    me = routes["QUERY Query.me"]
    assert me.kind == "graphql" and me.file == "src/users.ts" and me.line == 3
    assert me.auth.status == "present"
    assert me.auth.evidence[0].detail.startswith("requireUser")
    delete = routes["MUTATION Mutation.deleteUser"]
    assert delete.auth.status == "absent" and delete.loads_by_id
    assert delete.public_by_design is None
    assert routes["MUTATION Mutation.login"].public_by_design == "login"
    assert routes["MUTATION Mutation.createAccount"].public_by_design == "registration"


def test_fields_spread_from_an_object_in_another_module() -> None:
    routes = routes_of(
        {
            "src/auth.ts": AUTH_HELPER,
            "src/mutations.ts": (
                "import { requireUser } from './auth';\n"
                "export const orderMutations = {\n"
                "  cancelOrder: async (_p, args, ctx) => { requireUser(ctx); return 1; },\n"
                "  refundOrder: async (_p, args, ctx) => ctx.db.refund(args.id),\n"
                "};\n"
            ),
            "src/resolvers.ts": (
                "import { orderMutations } from './mutations';\n"
                "export const resolvers = { Mutation: { ...orderMutations } };\n"
            ),
        }
    )
    assert routes["MUTATION Mutation.cancelOrder"].auth.status == "present"
    assert routes["MUTATION Mutation.cancelOrder"].file == "src/mutations.ts"
    assert routes["MUTATION Mutation.refundOrder"].auth.status == "absent"


def test_unreadable_resolver_or_wrapper_is_unknown_never_absent() -> None:
    routes = routes_of(
        {
            "src/resolvers.ts": (
                "import { deleteUser } from '@acme/user-resolvers';\n"
                "import { authenticated } from '@acme/auth';\n"
                "export const resolvers = {\n"
                "  Mutation: {\n"
                "    deleteUser,\n"
                "    banUser: authenticated(async (_p, args, ctx) => ctx.db.ban(args.id)),\n"
                "  },\n"
                "};\n"
            ),
        }
    )
    assert routes["MUTATION Mutation.deleteUser"].auth.status == "unknown"
    assert "deleteUser" in routes["MUTATION Mutation.deleteUser"].auth.note
    assert routes["MUTATION Mutation.banUser"].auth.status == "unknown"


def test_wrapper_defined_in_the_project_is_judged_by_its_body() -> None:
    routes = routes_of(
        {
            "src/guards.js": (
                "const { AuthenticationError } = require('apollo-server');\n"
                "const { skip } = require('graphql-resolvers');\n"
                "const isAuthenticated = (parent, args, { me }) =>\n"
                "  me ? skip : new AuthenticationError('Not authenticated as user.');\n"
                "const looksLikeAuth = (parent, args, ctx) => skip;\n"
                "module.exports = { isAuthenticated, looksLikeAuth };\n"
            ),
            "src/resolvers.js": (
                "const { combineResolvers } = require('graphql-resolvers');\n"
                "const { isAuthenticated, looksLikeAuth } = require('./guards');\n"
                "module.exports = {\n"
                "  Mutation: {\n"
                "    deleteMessage: combineResolvers(isAuthenticated,\n"
                "      async (p, { id }, { models }) =>\n"
                "      models.Message.destroy({ where: { id } })),\n"
                "    editMessage: combineResolvers(looksLikeAuth,\n"
                "      async (p, { id }, { models }) =>\n"
                "      models.Message.update({ where: { id } })),\n"
                "  },\n"
                "};\n"
            ),
        }
    )
    assert routes["MUTATION Mutation.deleteMessage"].auth.status == "present"
    # a name is not evidence: the body lets everyone through
    assert routes["MUTATION Mutation.editMessage"].auth.status == "absent"


def test_graphql_shield_rules_judged_by_body() -> None:
    routes = routes_of(
        {
            "src/permissions.ts": (
                "import { rule, shield, and, allow } from 'graphql-shield';\n"
                "const isAuthenticated = rule()(async (parent, args, ctx) => ctx.user !== null);\n"
                "const isAdmin = rule()(async (parent, args, ctx) => ctx.user?.role === 'ADMIN');\n"
                "const isNamedAuth = rule()(async () => true);\n"
                "export const permissions = shield({\n"
                "  Query: { users: and(isAuthenticated, isAdmin), feed: allow },\n"
                "  Mutation: { deletePost: isAuthenticated, publish: isNamedAuth },\n"
                "});\n"
            ),
            "src/schema.ts": (
                "import { applyMiddleware } from 'graphql-middleware';\n"
                "import { permissions } from './permissions';\n"
                "export const resolvers = {\n"
                "  Query: { users: (_p, _a, ctx) => ctx.db.user.findMany(), feed: () => [] },\n"
                "  Mutation: {\n"
                "    deletePost: (_p, a, ctx) => ctx.db.post.delete(a.id),\n"
                "    publish: (_p, a, ctx) => ctx.db.post.update(a.id),\n"
                "  },\n"
                "};\n"
                "const executable = makeExecutableSchema({ typeDefs, resolvers });\n"
                "export const schema = applyMiddleware(executable, permissions);\n"
            ),
        }
    )
    users = routes["QUERY Query.users"]
    assert users.auth.status == "present" and users.authz.status == "present"
    assert routes["MUTATION Mutation.deletePost"].auth.status == "present"
    assert routes["MUTATION Mutation.deletePost"].authz.status == "absent"
    assert routes["MUTATION Mutation.publish"].auth.status == "absent"
    assert routes["QUERY Query.feed"].public_by_design


def test_nestjs_resolver_with_class_level_guard() -> None:
    routes = routes_of(
        {
            "src/auth/gql-auth.guard.ts": (
                "import { ExecutionContext, Injectable } from '@nestjs/common';\n"
                "import { GqlExecutionContext } from '@nestjs/graphql';\n"
                "import { AuthGuard } from '@nestjs/passport';\n"
                "@Injectable()\n"
                "export class GqlAuthGuard extends AuthGuard('jwt') {\n"
                "  getRequest(context: ExecutionContext) {\n"
                "    return GqlExecutionContext.create(context).getContext().req;\n"
                "  }\n"
                "}\n"
            ),
            "src/users/users.resolver.ts": (
                "import { UseGuards } from '@nestjs/common';\n"
                "import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';\n"
                "import { GqlAuthGuard } from '../auth/gql-auth.guard';\n"
                "@Resolver(() => User)\n"
                "@UseGuards(GqlAuthGuard)\n"
                "export class UsersResolver {\n"
                "  constructor(private readonly users: UsersService) {}\n"
                "  @Query(() => [User], { name: 'users' })\n"
                "  findAll() { return this.users.findAll(); }\n"
                "  @Mutation(() => Boolean)\n"
                "  removeUser(@Args('id') id: string) { return this.users.remove(id); }\n"
                "}\n"
            ),
            "src/posts/posts.resolver.ts": (
                "import { Args, Mutation, Resolver } from '@nestjs/graphql';\n"
                "@Resolver()\n"
                "export class PostsResolver {\n"
                "  @Mutation(() => Boolean)\n"
                "  deletePost(@Args('id') id: string) { return this.posts.remove(id); }\n"
                "}\n"
            ),
        }
    )
    users = routes["QUERY Query.users"]
    assert users.kind == "graphql" and users.handler == "UsersResolver.findAll"
    assert users.auth.status == "present"
    assert users.auth.evidence[0].level == "router"
    assert routes["MUTATION Mutation.removeUser"].auth.status == "present"
    assert routes["MUTATION Mutation.deletePost"].auth.status == "absent"


def test_type_graphql_authorized_with_and_without_roles() -> None:
    routes = routes_of(
        {
            "src/recipe.resolver.ts": (
                "import { Arg, Authorized, Mutation, Query, Resolver } from 'type-graphql';\n"
                "@Resolver(() => Recipe)\n"
                "export class RecipeResolver {\n"
                "  @Query(() => [Recipe])\n"
                "  recipes() { return this.repo.find(); }\n"
                "  @Authorized()\n"
                "  @Mutation(() => Recipe)\n"
                "  addRecipe(@Arg('input') input: RecipeInput) { return this.repo.save(input); }\n"
                "  @Authorized('ADMIN')\n"
                "  @Mutation(() => Boolean)\n"
                "  removeRecipe(@Arg('id') id: string) { return this.repo.delete(id); }\n"
                "}\n"
            ),
        }
    )
    assert routes["MUTATION Mutation.addRecipe"].auth.status == "present"
    assert routes["MUTATION Mutation.addRecipe"].authz.status == "absent"
    remove = routes["MUTATION Mutation.removeRecipe"]
    assert remove.auth.status == "present" and remove.authz.status == "present"
    assert routes["QUERY Query.recipes"].auth.status == "absent"


def test_server_options_rules_positive() -> None:
    found = rule_ids(
        {
            "src/server.ts": (
                "import { createYoga, createSchema } from 'graphql-yoga';\n"
                "export const yoga = createYoga({\n"
                "  schema: createSchema({\n"
                "    typeDefs, resolvers: { Query: { hello: () => 'hi' } } }),\n"
                "  graphiql: true,\n"
                "});\n"
            ),
            "src/apollo.ts": (
                "import { ApolloServer } from 'apollo-server-express';\n"
                "const server = new ApolloServer({ typeDefs, resolvers, debug: true,\n"
                "  introspection: true, playground: true });\n"
            ),
            "src/mercurius.ts": (
                "import Fastify from 'fastify';\n"
                "import mercurius from 'mercurius';\n"
                "const app = Fastify();\n"
                "app.register(mercurius, { schema, resolvers,\n"
                "  errorFormatter: (result) => ({ statusCode: 500, response: {\n"
                "    errors: result.errors.map((e) =>\n"
                "      ({ message: e.message, stack: e.originalError.stack })) } }) });\n"
            ),
        }
    )
    assert found.count("graphql-introspection-enabled") == 3  # graphiql, introspection, playground
    assert found.count("graphql-stacktrace-exposed") == 2  # debug, errorFormatter
    assert found.count("graphql-no-depth-limit") == 3


def test_server_options_rules_negative() -> None:
    assert not [
        r
        for r in rule_ids(
            {
                "src/server.ts": (
                    "import { ApolloServer } from '@apollo/server';\n"
                    "import depthLimit from 'graphql-depth-limit';\n"
                    "const server = new ApolloServer({ typeDefs, resolvers,\n"
                    "  introspection: process.env.NODE_ENV !== 'production',\n"
                    "  includeStacktraceInErrorResponses: false,\n"
                    "  validationRules: [depthLimit(10)] });\n"
                ),
            }
        )
        if r.startswith("graphql-")
    ]
    # options built elsewhere: nothing to conclude about a depth limit
    assert "graphql-no-depth-limit" not in rule_ids(
        {"src/server.ts": "const server = new ApolloServer(config);\n"}
    )
    # no server in the project: no depth-limit finding for a resolver library
    assert "graphql-no-depth-limit" not in rule_ids(
        {"src/r.ts": "export const resolvers = { Query: { a: () => 1 } };\n"}
    )
    # introspection left on for Apollo, but decided per request by a plugin of the project
    assert "graphql-introspection-enabled" not in rule_ids(
        {
            "src/server.ts": (
                "import { ApolloServer } from '@apollo/server';\n"
                "import { introspectionControl } from './plugins';\n"
                "const server = new ApolloServer({ schema, introspection: true,\n"
                "  plugins: [introspectionControl(config.publicIntrospection)] });\n"
            )
        }
    )


SDL = (
    "import gql from 'graphql-tag';\n"
    "export const typeDefs = gql`\n"
    "  directive @auth(requires: Role = USER) on FIELD_DEFINITION\n"
    "  type Query {\n"
    "    me: User @auth\n"
    "    posts: [Post!]! @cacheControl(maxAge: 30)\n"
    "  }\n"
    "  type Mutation {\n"
    "    deletePost(id: ID!): Boolean @auth(requires: ADMIN)\n"
    "    publish(id: ID!): Boolean @verified\n"
    "  }\n"
    "`;\n"
)
RESOLVERS = (
    "export const resolvers = {\n"
    "  Query: { me: (_p, _a, ctx) => ctx.user, posts: (_p, _a, ctx) => ctx.db.posts() },\n"
    "  Mutation: {\n"
    "    deletePost: (_p, a, ctx) => ctx.db.post.delete(a.id),\n"
    "    publish: (_p, a, ctx) => ctx.db.post.update(a.id),\n"
    "  },\n"
    "};\n"
)


def test_sdl_directives_judged_by_their_implementation() -> None:
    routes = routes_of(
        {
            "src/schema.ts": SDL,
            "src/resolvers.ts": RESOLVERS,
            "src/directives.ts": (
                "import { mapSchema, getDirective, MapperKind } from '@graphql-tools/utils';\n"
                "import { defaultFieldResolver, GraphQLError } from 'graphql';\n"
                "export function authDirectiveTransformer(schema) {\n"
                "  return mapSchema(schema, {\n"
                "    [MapperKind.OBJECT_FIELD]: (fieldConfig) => {\n"
                "      const directive = getDirective(schema, fieldConfig, 'auth')?.[0];\n"
                "      if (!directive) return fieldConfig;\n"
                "      const { resolve = defaultFieldResolver } = fieldConfig;\n"
                "      fieldConfig.resolve = (src, args, context, info) => {\n"
                "        if (!context.user) throw new GraphQLError('Unauthenticated');\n"
                "        if (directive.requires === 'ADMIN' && context.user.role !== 'ADMIN')\n"
                "          throw new GraphQLError('Forbidden');\n"
                "        return resolve(src, args, context, info);\n"
                "      };\n"
                "      return fieldConfig;\n"
                "    },\n"
                "  });\n"
                "}\n"
            ),
        }
    )
    assert routes["QUERY Query.me"].auth.status == "present"
    assert routes["MUTATION Mutation.deletePost"].auth.status == "present"
    assert routes["QUERY Query.posts"].auth.status == "absent"
    # a directive nobody here implements: out of sight, not missing
    assert routes["MUTATION Mutation.publish"].auth.status == "unknown"


def test_sdl_directive_from_a_known_package() -> None:
    routes = routes_of(
        {
            "src/schema.ts": SDL.replace("@auth(requires: ADMIN)", "@hasRole(roles: [ADMIN])"),
            "src/resolvers.ts": RESOLVERS,
            "src/server.ts": (
                "import { HasRoleDirective } from 'graphql-auth-directives';\n"
                "export const schemaDirectives = { hasRole: HasRoleDirective };\n"
            ),
        }
    )
    delete = routes["MUTATION Mutation.deletePost"]
    assert delete.auth.status == "present" and delete.authz.status == "present"
    assert routes["QUERY Query.me"].auth.status == "unknown"  # @auth: not implemented here


def test_http_gate_and_context_function_guard_every_field() -> None:
    guarded = routes_of(
        {
            "src/server.ts": (
                "import express from 'express';\n"
                "import { ApolloServer, AuthenticationError } from 'apollo-server-express';\n"
                "const server = new ApolloServer({\n"
                "  typeDefs,\n"
                "  resolvers: { Mutation: { deleteUser: (_p, a, ctx) => ctx.db.del(a.id) } },\n"
                "  context: ({ req }) => {\n"
                "    const user = getUser(req.headers.authorization);\n"
                "    if (!user) throw new AuthenticationError('you must be logged in');\n"
                "    return { user };\n"
                "  },\n"
                "});\n"
            ),
        }
    )
    assert guarded["MUTATION Mutation.deleteUser"].auth.status == "present"
    behind_middleware = routes_of(
        {
            "src/auth.js": (
                "const jwt = require('jsonwebtoken');\n"
                "exports.requireAuth = (req, res, next) => {\n"
                "  try { req.user = jwt.verify(req.headers.authorization, process.env.K); "
                "next(); }\n"
                "  catch { res.status(401).end(); }\n"
                "};\n"
            ),
            "src/app.js": (
                "const express = require('express');\n"
                "const { expressMiddleware } = require('@apollo/server/express4');\n"
                "const { requireAuth } = require('./auth');\n"
                "const app = express();\n"
                "const resolvers = {\n"
                "  Mutation: { deleteUser: (_p, a, ctx) => ctx.db.del(a.id) } };\n"
                "app.use('/graphql', requireAuth, expressMiddleware(server));\n"
            ),
        }
    )
    assert behind_middleware["MUTATION Mutation.deleteUser"].auth.status == "present"


def test_resolver_n_plus_one() -> None:
    source = (
        "import { GraphQLError } from 'graphql';\n"
        "export const resolvers = {\n"
        "  Query: { posts: (_p, _a, { db }) => db.post.findAll({ limit: 20 }) },\n"
        "  Post: {\n"
        "    author: (post, _args, { db }) => db.user.findOne({ where: { id: post.authorId } }),\n"
        "    comments: async (post, _a, { loaders }) => loaders.comments.load(post.id),\n"
        "    editor: (post, _a, { prisma }) =>\n"
        "      prisma.user.findUnique({ where: { id: post.editorId } }),\n"
        "    title: (post) => post.title.trim(),\n"
        "  },\n"
        "};\n"
    )
    result = analyze_file("src/resolvers.ts", source, "typescript")
    found = [(f.rule_id, f.line) for f in result.findings if f.rule_id.startswith("graphql")]
    assert found == [("graphql-resolver-n-plus-one", 5)]


def test_enforced_directive_with_sdl_out_of_sight_is_unknown() -> None:
    routes = routes_of(
        {
            "src/resolvers.ts": RESOLVERS,
            "src/server.ts": (
                "import { HasRoleDirective } from 'graphql-auth-directives';\n"
                "import { loadFilesSync } from '@graphql-tools/load-files';\n"
                "export const typeDefs = loadFilesSync('schema/**/*.graphql');\n"
                "export const schemaDirectives = { hasRole: HasRoleDirective };\n"
            ),
        }
    )
    assert routes["MUTATION Mutation.deletePost"].auth.status == "unknown"
