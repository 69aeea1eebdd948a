"""NestJS: controllers and their method decorators, guards at class/method/global level
(`@UseGuards`, `APP_GUARD`, `app.useGlobalGuards`), `@Roles`, `@Public`, pipes, DTO classes
decorated with class-validator, and the throttler."""

from __future__ import annotations

import re
from typing import Any

from tree_sitter import Node

from mcp_backend.review.javascript.context import NEST_ROUTE_DECORATORS, JsFileContext
from mcp_backend.review.javascript.frameworks import common

FRAMEWORK = "nestjs"
_PUBLIC = re.compile(r"^(Public|SkipAuth|AllowAnonymous|IsPublic|NoAuth|Anonymous|PublicRoute)$")
_ROLES = re.compile(
    r"^(Roles|Role|HasRoles|RequireRoles|Permissions|RequirePermissions|Auth|Admin\w*|Policies|CheckPolicies|Scopes)$"
)
_VALIDATOR_DECORATOR = re.compile(
    r"^(Is[A-Z]\w*|Min|Max|MinLength|MaxLength|Length|Matches|ValidateNested|Equals|Contains|ArrayMinSize|ArrayMaxSize|Allow)$"
)
_PARAM_DECORATORS = {"Body": "body", "Query": "query", "Param": "param"}
# Nest's own decorators: nothing to resolve in the project.
_FRAMEWORK_DECORATORS = NEST_ROUTE_DECORATORS | {
    "Controller",
    "UseGuards",
    "UsePipes",
    "UseInterceptors",
    "UseFilters",
    "Version",
    "HttpCode",
    "Header",
    "Redirect",
    "Render",
    "Throttle",
    "SkipThrottle",
    "SetMetadata",
    "Injectable",
    # @nestjs/graphql and type-graphql
    "Resolver",
    "Query",
    "Mutation",
    "Subscription",
    "ResolveField",
    "FieldResolver",
    "Authorized",
    "UseMiddleware",
}


def _decorator_name(ctx: JsFileContext, decorator: Node) -> str:
    return ctx.decorator_name(decorator)


def _decorator_args(ctx: JsFileContext, decorator: Node) -> list[Node]:
    return ctx.decorator_args(decorator)


def _string(ctx: JsFileContext, node: Node | None) -> str | None:
    if node is None or node.type not in {"string", "template_string"}:
        return None
    return ctx.text(node)[1:-1]


def _class_decorators(ctx: JsFileContext, cls: Node) -> list[Node]:
    return ctx.class_decorator_nodes(cls)


def _guard_items(
    ctx: JsFileContext, decorators: list[Node], local_guards: dict[str, list[str]]
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for decorator in decorators:
        name = _decorator_name(ctx, decorator)
        if name != "UseGuards":
            continue
        for arg in _decorator_args(ctx, decorator):
            items.append(_guard_item(ctx, arg, local_guards))
    return items


def _guard_item(
    ctx: JsFileContext, arg: Node, local_guards: dict[str, list[str]]
) -> dict[str, Any]:
    text = "".join(ctx.text(arg).split())
    if arg.type == "new_expression":
        constructor = arg.child_by_field_name("constructor")
        text = "".join(ctx.text(constructor).split())
    line = arg.start_point[0] + 1
    if text.startswith("AuthGuard(") or text == "AuthGuard":
        return {"ref": text, "kinds": ["auth"], "line": line}
    if "Throttler" in text:
        return {"ref": text, "kinds": ["rate_limit"], "line": line}
    if text in local_guards:
        return {"ref": text, "kinds": local_guards[text], "line": line, "local": True}
    return {"ref": text, "kinds": list(_guard_kinds_by_name(text)), "line": line}


def _guard_kinds_by_name(name: str) -> tuple[str, ...]:
    if re.search(r"Throttl|RateLimit|Limiter", name):
        return ("rate_limit",)
    if re.search(r"Role|Permission|Admin|Polic|Abilit|Casl|Owner|Scope", name):
        return ("authz",)
    if re.search(
        r"Auth|Jwt|Session|Login|Token|ApiKey|Bearer|Clerk|Firebase|Passport|Guard$", name
    ):
        return ("auth",)
    return ()


_CAN_ACTIVATE = re.compile(r"(^|[\s;}])(async\s+)?canActivate\s*\(")
# `return request.user.admin`, `return user.roles.includes('admin')`, `return user?.isAdmin`:
# a guard's falsy answer is Nest's 403, so returning a role attribute of the caller denies.
_RETURNS_ROLE = re.compile(
    r"\breturn\s+[^;]*\buser\b\s*(\??\.\s*\w+)*?\s*\??\.\s*(admin|isAdmin|is_admin|role|roles|"
    r"isSuperuser|isSuperAdmin|superuser|isStaff|permissions?|scopes?)\b",
    re.IGNORECASE,
)


def _returns_user_role(body_text: str) -> bool:
    return _RETURNS_ROLE.search(body_text) is not None


def extract_nest_facts(ctx: JsFileContext) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    # JavaScript (Babel-compiled Nest sources, `dist/` output) has no abstract classes: its
    # grammar rejects a query that names them.
    # tsc's CommonJS output declares a decorated class as `let X = class X {...}`.
    classes = ctx.descendants(
        ctx.root,
        "[(class_declaration) (class)] @c"
        if ctx.grammar == "javascript"
        else "[(class_declaration) (abstract_class_declaration)] @c",
        "c",
    )
    local_guards: dict[str, list[str]] = {}
    # NestMiddleware classes applied with `consumer.apply(X).forRoutes(...)`.
    local_middleware: dict[str, list[str]] = {}
    for cls in classes:
        name = ctx.class_name(cls)
        heritage = ctx.text(cls)[
            : max(0, (cls.child_by_field_name("body") or cls).start_byte - cls.start_byte)
        ]
        body_text = ctx.text(cls.child_by_field_name("body"))
        # Compiled output (`dist/`) drops `implements CanActivate`: the method says it is a guard.
        is_guard = _CAN_ACTIVATE.search(body_text) is not None
        if is_guard or any(
            word in heritage for word in ("CanActivate", "AuthGuard", "ThrottlerGuard")
        ):
            kinds: list[str] = []
            if "AuthGuard" in heritage:
                kinds.append("auth")
            limiter = "ThrottlerGuard" in heritage or "rate_limit" in _guard_kinds_by_name(name)
            if limiter:
                kinds.append("rate_limit")
            body_kinds = common.classify_body(body_text, [])
            for kind in body_kinds:
                # A limiter's own 429 or "too many" check says nothing about who the caller is.
                if kind not in kinds and kind in {"auth", "authz"} and not limiter:
                    kinds.append(kind)
            if (
                re.search(r"getAllAndOverride|reflector\.get", body_text)
                and re.search(r"role|permission", body_text, re.I)
                and "authz" not in kinds
            ):
                kinds.append("authz")
            if "authz" not in kinds and not limiter and _returns_user_role(body_text):
                kinds.append("authz")
            if not kinds:
                kinds = list(_guard_kinds_by_name(name))
            if (
                re.search(
                    r"UnauthorizedException|verify\w*\(|jwtService|validateToken|getSession",
                    body_text,
                )
                and "auth" not in kinds
                and not limiter
            ):
                kinds.append("auth")
            local_guards[name] = kinds
            facts.setdefault("guards", {})[name] = {
                "kinds": kinds,
                "public_aware": bool(
                    re.search(r"IS_PUBLIC|isPublic|PUBLIC_KEY|SkipAuth", body_text)
                ),
                # Reads @Roles()-style metadata: lets through routes that declare none.
                "metadata_driven": bool(re.search(r"reflector|getAllAndOverride", body_text)),
                "reads": sorted({_metadata_key(m) for m in _READS_METADATA.findall(body_text)}),
            }
        if "NestMiddleware" in heritage:
            # Its body is the evidence; a name alone counts only when unmistakable.
            middleware_kinds = [
                kind
                for kind in common.classify_body(body_text, [])
                if kind in {"auth", "authz", "rate_limit"}  # validation is the pipes' job
            ]
            local_middleware[name] = middleware_kinds or list(common.strong_name_kinds(name))
    if local_middleware:
        facts["middleware_classes"] = local_middleware
    for cls in classes:
        decorators = _class_decorators(ctx, cls)
        names = [_decorator_name(ctx, d) for d in decorators]
        cls_name = ctx.class_name(cls)
        if "Controller" in names:
            facts.setdefault("controllers", []).append(
                _controller(ctx, cls, decorators, local_guards)
            )
        elif "Resolver" in names:
            # NestJS (@nestjs/graphql) and type-graphql resolver classes: one route per
            # @Query/@Mutation/@Subscription method, guarded like a controller.
            resolver = _controller(ctx, cls, decorators, local_guards, graphql=True)
            if resolver["routes"]:
                facts.setdefault("resolvers", []).append(resolver)
        elif _is_dto(ctx, cls):
            facts.setdefault("dtos", []).append(cls_name)
        if "Catch" in names:
            facts["exception_filter"] = True
    text = ctx.source
    global_guards: list[dict[str, Any]] = []
    if b"APP_GUARD" in text:
        for match in re.finditer(
            # `core_1.APP_GUARD` / `auth_guard_1.AuthGuard` in compiled code: the module's
            # namespace object in front of the name
            rb"provide\s*:\s*(?:[\w$]+\.)?APP_GUARD\s*,\s*use(?:Class|Existing)\s*:\s*"
            rb"(?:[A-Za-z_$][\w$]*\.)?([A-Za-z_$][\w$]*)",
            text,
        ):
            name = match.group(1).decode()
            line = text.count(b"\n", 0, match.start()) + 1
            global_guards.append(
                {
                    "ref": name,
                    "kinds": local_guards.get(name) or list(_guard_kinds_by_name(name)),
                    "line": line,
                }
            )
    composites = _composite_decorators(ctx, local_guards)
    if composites:
        facts["composites"] = composites
    for call in ctx.calls:
        if call.name == "enableVersioning":
            options = ctx.text(call.args[0]) if call.args else ""
            if re.search(r"VersioningType\.URI|type\s*:\s*['\"]uri", options, re.I):
                default = re.search(r"defaultVersion\s*:\s*['\"]([^'\"]+)", options)
                named = re.search(r"prefix\s*:\s*['\"]([^'\"]*)", options)
                facts["versioning"] = {
                    "prefix": named.group(1) if named else "v",
                    "default": default.group(1) if default else "",
                }
        elif call.name == "useGlobalGuards":
            for arg in call.args:
                global_guards.append(_guard_item(ctx, arg, local_guards))
        elif call.name == "useGlobalPipes" and "ValidationPipe" in ctx.text(call.node):
            facts["global_validation"] = {"line": call.line}
        elif call.name == "setGlobalPrefix" and call.args:
            prefix = _string(ctx, call.args[0])
            if prefix is not None:
                facts["global_prefix"] = prefix
        elif call.name == "useGlobalFilters":
            facts["exception_filter"] = True
        elif call.callee in {"ThrottlerModule.forRoot", "ThrottlerModule.forRootAsync"}:
            facts["throttler_module"] = {"line": call.line}
        elif call.name == "forRoutes" and ".apply(" in call.obj:
            applied = _consumer_middleware(ctx, call)
            if applied is not None:
                facts.setdefault("middleware", []).append(applied)
    if b"APP_PIPE" in text and b"ValidationPipe" in text:
        facts["global_validation"] = {"line": 1}
    if b"APP_FILTER" in text:
        facts["exception_filter"] = True
    if global_guards:
        facts["global_guards"] = global_guards
    return facts


_READS_METADATA = re.compile(
    r"\b(?:get|getAllAndOverride|getAllAndMerge)\s*(?:<[^>()]*>)?\s*\(\s*([\w$.'\"]+)"
)


# Metadata that lets callers through rather than restricting them.
_OPT_OUT_KEY = re.compile(r"public|skip|anonymous|no_?auth", re.IGNORECASE)


def _metadata_key(text: str) -> str:
    return text.strip("'\"").rsplit(".", maxsplit=1)[-1]


def _composite_decorators(
    ctx: JsFileContext, local_guards: dict[str, list[str]]
) -> dict[str, dict[str, Any]]:
    """Decorators the project builds: `function Auth(...r) { return applyDecorators(UseGuards(
    AuthGuard('jwt'), RolesGuard), Roles(...r)) }` (its guards and the metadata it sets),
    `const HasPermission = (p) => SetMetadata(PERMISSION_KEY, p)` and
    `const Roles = Reflector.createDecorator()` (metadata a guard may read)."""
    found: dict[str, dict[str, Any]] = {}
    for call in ctx.calls:
        if call.name not in {"applyDecorators", "SetMetadata", "createDecorator"}:
            continue
        owner = _declared_name(ctx, call.node)
        if owner is None or owner in found:
            continue
        entry: dict[str, Any] = {"line": call.line, "guards": [], "keys": []}
        if _PUBLIC.match(owner):
            entry["public"] = True  # `Public = () => SetMetadata(IS_PUBLIC_KEY, true)`
        elif call.name == "createDecorator":
            entry["keys"].append(owner)
        elif call.name == "SetMetadata" and call.args:
            key = _metadata_key(ctx.text(call.args[0]))
            if _OPT_OUT_KEY.search(key):
                entry["public"] = True
            else:
                entry["keys"].append(key)
        else:
            for arg in call.args:
                if arg.type != "call_expression":
                    continue
                callee = ctx.decorator_name(arg)
                inner_args = ctx.decorator_args(arg)
                if callee == "UseGuards":
                    entry["guards"].extend(_guard_item(ctx, a, local_guards) for a in inner_args)
                elif callee == "SetMetadata" and inner_args:
                    key = _metadata_key(ctx.text(inner_args[0]))
                    if _OPT_OUT_KEY.search(key):
                        entry["public"] = True
                    else:
                        entry["keys"].append(key)
                elif _PUBLIC.match(callee):
                    entry["public"] = True
                else:
                    entry.setdefault("uses", []).append(callee)  # another decorator: Roles(...)
        found[owner] = entry
    return found


def _declared_name(ctx: JsFileContext, call: Node) -> str | None:
    """The name of the function (or const) whose returned value is `call`."""
    node = call.parent
    while node is not None:
        if node.type == "variable_declarator":
            name = node.child_by_field_name("name")
            return ctx.text(name) if name is not None else None
        if node.type in {"function_declaration", "method_definition"}:
            name = node.child_by_field_name("name")
            return ctx.text(name) if name is not None else None
        if node.type in {"class_body", "program"}:
            return None
        node = node.parent
    return None


def _consumer_middleware(ctx: JsFileContext, call: Any) -> dict[str, Any] | None:
    """`consumer.apply(RateLimitMiddleware, AuthMiddleware).forRoutes('auth/*', UsersController)`:
    what the middleware does and where it applies; a path built at run time is `dynamic`."""
    apply = call.node.child_by_field_name("function")
    apply = apply.child_by_field_name("object") if apply is not None else None
    while apply is not None and apply.type == "call_expression":
        callee = apply.child_by_field_name("function")
        if callee is not None and callee.type == "member_expression":
            if ctx.text(callee.child_by_field_name("property")) == "apply":
                break
            apply = callee.child_by_field_name("object")
        else:
            return None
    if apply is None or apply.type != "call_expression":
        return None
    args = apply.child_by_field_name("arguments")
    refs = [
        "".join(ctx.text(arg).split()).split("(")[0]
        for arg in (args.named_children if args is not None else [])
    ]
    if not refs:
        return None
    paths: list[str] = []
    controllers: list[str] = []
    dynamic = False
    for arg in call.args:
        if arg.type == "string":
            paths.append(ctx.text(arg)[1:-1])
        elif arg.type == "template_string":
            text = ctx.text(arg)[1:-1]
            dynamic = dynamic or "${" in text
            paths.append(text)
        elif arg.type == "identifier":
            controllers.append(ctx.text(arg))
        elif arg.type == "object":
            value = next(
                (
                    p.child_by_field_name("value")
                    for p in arg.named_children
                    if p.type == "pair" and ctx.text(p.child_by_field_name("key")) == "path"
                ),
                None,
            )
            if value is not None and value.type == "string":
                paths.append(ctx.text(value)[1:-1])
            else:
                dynamic = True
        else:
            dynamic = True
    return {
        "refs": refs,
        "paths": paths,
        "controllers": controllers,
        "dynamic": dynamic,
        "line": call.line,
    }


def middleware_path_matches(pattern: str, path: str) -> bool:
    """Does a `forRoutes` path ('cats', 'cats/*', '*', '(.*)', '{*splat}') cover `path`?"""
    if "${" in pattern:
        return False
    regex = ""
    for segment in pattern.strip("/").split("/"):
        if segment in {"*", "(.*)", "**"} or segment.startswith(("*", "{*")):
            regex += "(/.*)?"
        elif segment.startswith(":"):
            regex += "/[^/]+"
        elif segment:
            regex += "/" + re.escape(segment)
    return re.match(regex + "/?$", "/" + path.strip("/")) is not None


def _is_dto(ctx: JsFileContext, cls: Node) -> bool:
    body = cls.child_by_field_name("body")
    if body is None:
        return False
    for child in body.named_children:
        if child.type == "decorator" and _VALIDATOR_DECORATOR.match(_decorator_name(ctx, child)):
            return True
        if child.type in {"public_field_definition", "field_definition"}:
            for deco in child.named_children:
                if deco.type == "decorator" and _VALIDATOR_DECORATOR.match(
                    _decorator_name(ctx, deco)
                ):
                    return True
    return False


_GRAPHQL_OPERATIONS = {"Query": "QUERY", "Mutation": "MUTATION", "Subscription": "SUBSCRIPTION"}


def _graphql_field_name(ctx: JsFileContext, decorator: Node, method_name: str) -> str:
    """`@Query(() => [User], { name: 'users' })`: the field is `users`, else the method."""
    for arg in _decorator_args(ctx, decorator):
        if arg.type == "object":
            for pair in arg.named_children:
                if pair.type == "pair" and ctx.text(pair.child_by_field_name("key")) == "name":
                    value = _string(ctx, pair.child_by_field_name("value"))
                    if value:
                        return value
        elif arg.type == "string":  # type-graphql `@Query('users')` is not valid, Nest's is
            return _string(ctx, arg) or method_name
    return method_name


def _controller(
    ctx: JsFileContext,
    cls: Node,
    decorators: list[Node],
    local_guards: dict[str, list[str]],
    graphql: bool = False,
) -> dict[str, Any]:
    from mcp_backend.review.javascript.frameworks.facts import FactExtractor

    extractor = FactExtractor(ctx)
    name = ctx.class_name(cls)
    path = ""
    version: list[str] = []
    for decorator in decorators:
        if _decorator_name(ctx, decorator) == "Controller":
            args = _decorator_args(ctx, decorator)
            if args:
                path = _string(ctx, args[0]) or ""
                if args[0].type == "object":
                    for pair in args[0].named_children:
                        if (
                            pair.type == "pair"
                            and ctx.text(pair.child_by_field_name("key")) == "path"
                        ):
                            path = _string(ctx, pair.child_by_field_name("value")) or ""
                        elif (
                            pair.type == "pair"
                            and ctx.text(pair.child_by_field_name("key")) == "version"
                        ):
                            version = _versions(ctx, pair.child_by_field_name("value"))
    controller: dict[str, Any] = {"name": name, "path": path, "line": cls.start_point[0] + 1}
    if version:
        controller["version"] = version
    controller.update(_level_facts(ctx, decorators, local_guards))
    routes: list[dict[str, Any]] = []
    body = cls.child_by_field_name("body")
    for member in body.named_children if body is not None else []:
        if member.type != "method_definition":
            continue
        method_decorators = ctx.method_decorator_nodes(member)
        operations = NEST_ROUTE_DECORATORS if not graphql else _GRAPHQL_OPERATIONS
        http = [d for d in method_decorators if _decorator_name(ctx, d) in operations]
        if not http:
            continue
        route_path = ""
        kind = _decorator_name(ctx, http[0])
        if graphql:
            method = _GRAPHQL_OPERATIONS[kind]
            method_name = ctx.text(member.child_by_field_name("name"))
            route_path = f"{kind}.{_graphql_field_name(ctx, http[0], method_name)}"
        else:
            method = kind.upper().replace("ALL", "ANY")
            args = _decorator_args(ctx, http[0])
            if args:
                route_path = _string(ctx, args[0]) or ""
        route: dict[str, Any] = {
            "method": method,
            "path": route_path,
            "handler": f"{name}.{ctx.text(member.child_by_field_name('name'))}",
            "line": member.start_point[0] + 1,
            "handler_facts": extractor.handler_facts(member),
        }
        route.update(_level_facts(ctx, method_decorators, local_guards))
        for decorator in method_decorators:
            if _decorator_name(ctx, decorator) == "Version":
                route["version"] = _versions(ctx, next(iter(_decorator_args(ctx, decorator)), None))
        route.update(_param_facts(ctx, member))
        routes.append(route)
    controller["routes"] = routes
    return controller


def _versions(ctx: JsFileContext, node: Node | None) -> list[str]:
    """`'1'`, `['1', '2']`; VERSION_NEUTRAL and anything computed give none."""
    if node is None:
        return []
    if node.type == "array":
        return [v for child in node.named_children for v in _versions(ctx, child)]
    value = _string(ctx, node)
    return [value] if value else []


def _level_facts(
    ctx: JsFileContext, decorators: list[Node], local_guards: dict[str, list[str]]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    guards = _guard_items(ctx, decorators, local_guards)
    if guards:
        out["guards"] = guards
    for decorator in decorators:
        name = _decorator_name(ctx, decorator)
        line = decorator.start_point[0] + 1
        if name not in _FRAMEWORK_DECORATORS and name[:1].isupper():
            # Resolved by the linker: a composite of guards, or metadata a guard reads.
            out.setdefault("decorators", []).append(
                {"name": name, "line": line, "detail": ctx.text(decorator)[:80]}
            )
        if _PUBLIC.match(name):
            out["public"] = line
        elif _ROLES.match(name) and name != "Auth":
            out["roles"] = {"detail": ctx.text(decorator)[:80], "line": line}
        elif name == "Auth":  # composite decorators: @Auth(Role.Admin) bundle guards + roles
            out["guards"] = [
                *out.get("guards", []),
                {"ref": "Auth", "kinds": ["auth"], "line": line},
            ]
            if _decorator_args(ctx, decorator):
                out["roles"] = {"detail": ctx.text(decorator)[:80], "line": line}
        elif name == "Throttle":
            out["throttle"] = line
        elif name == "SkipThrottle":
            out["skip_throttle"] = line
        elif name == "UsePipes" and "ValidationPipe" in ctx.text(decorator):
            out["validation_pipe"] = line
        elif name == "Authorized":  # type-graphql: the schema's authChecker runs first
            out["authorized"] = {
                "line": line,
                "roles": bool(_decorator_args(ctx, decorator)),
                "detail": ctx.text(decorator)[:80],
            }
        elif name == "UseMiddleware":  # type-graphql middleware, judged where defined
            out["use_middleware"] = [
                "".join(ctx.text(a).split()) for a in _decorator_args(ctx, decorator)
            ]
    return out


def _param_facts(ctx: JsFileContext, method: Node) -> dict[str, Any]:
    dto_types: list[str] = []
    raw = False
    pipes = False
    for _param, decorators, type_text in ctx.method_param_decorators(method):
        kinds = [_PARAM_DECORATORS.get(_decorator_name(ctx, d)) for d in decorators]
        if not any(kinds):
            continue
        kind = next(k for k in kinds if k)
        if any("Pipe" in ctx.text(d) for d in decorators):
            pipes = True
        if kind == "param" and type_text in {"string", "number", "String", "Number", "Object", ""}:
            continue
        if re.match(
            r"^[A-Z]\w*(Dto|DTO|Input|Request|Body|Payload|Query|Params|Args)\b", type_text
        ):
            dto_types.append(type_text.split("<")[0].split("[")[0])
        elif kind in {"body", "query"} and not any(_decorator_args(ctx, d) for d in decorators):
            # The whole body or query without a DTO class; `@Body('email') email: string` is
            # one scalar handed on, which a ValidationPipe would not check either way.
            raw = True
    out: dict[str, Any] = {}
    if dto_types:
        out["dto_types"] = dto_types
    if raw:
        out["raw_params"] = True
    if pipes:
        out["param_pipes"] = True
    return out
