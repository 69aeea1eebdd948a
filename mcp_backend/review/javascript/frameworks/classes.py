"""Routers owned by a class: `class AdminApi extends Controller { constructor() { super();
this.app.use('/features', new FeatureController(...).router); this.route({ method: 'get',
path: PATH, handler: this.list }) } }`.

Each class that registers on one of its own fields (`this.app.get(...)`), or calls one of its
own (inherited) methods with a path or an options object, is a router context named after the
class, so `app.use('/api', new AdminApi(...).router)` mounts it wherever it is imported. A
method that hands its parameters on to the router (`route(options) { this.app[options.method](
options.path, ..., options.handler) }`) or to another such method (`get(path, handler) {
this.route({ method: 'get', path, handler }) }`) is described as a *wrapper*, a template the
linker fills with each call's arguments, following `extends` across modules.

Facts:
- classes: {Name: {"line", "extends": heritage name, "wrappers": {method: spec}}}
- ops: {"op": "class_call", "target": Name, "method": m, "args": [argument], "line"} where an
  argument is {"text": path} | {"object": {key: argument}} | {"handler", "items", "text"?}
- a spec: {"kind": "route", "method": ref, "path": ref, "handler": ref, "items": [...]},
  {"kind": "use", "path": ref, "items": [ref | {"item": described}]}, or {"kind": "call",
  "method": name, "args": [ref]}; a ref is {"param": i[, "key": k]} | {"text": t} |
  {"object": {k: ref}}.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tree_sitter import Node

from mcp_backend.review.facts import JsApp
from mcp_backend.review.javascript.astutil import unwrap
from mcp_backend.review.javascript.context import FUNCTION_TYPES

if TYPE_CHECKING:
    from mcp_backend.review.javascript.frameworks.facts import FactExtractor

_VERBS = frozenset({"get", "post", "put", "patch", "delete", "del", "head", "options", "all"})


def _params(method: Node) -> list[str]:
    params = method.child_by_field_name("parameters")
    names: list[str] = []
    for param in params.named_children if params is not None else []:
        target = param
        if param.type in {"required_parameter", "optional_parameter"}:
            target = param.child_by_field_name("pattern") or param
        if target.type == "assignment_pattern":
            target = target.child_by_field_name("left") or target
        if target.type == "rest_pattern" and target.named_children:
            target = target.named_children[0]
        names.append(target.text.decode() if target.type == "identifier" and target.text else "")
    return names


def _rest_param(method: Node) -> int | None:
    params = method.child_by_field_name("parameters")
    children = params.named_children if params is not None else []
    for index, param in enumerate(children):
        if param.type == "rest_pattern":
            return index
    return None


def _has_param(ref: dict[str, Any] | None) -> bool:
    if not ref:
        return False
    if "param" in ref:
        return True
    return any(_has_param(v) for v in ref.get("object", {}).values())


class _ClassReader:
    def __init__(self, extractor: FactExtractor) -> None:
        self.x = extractor
        self.ctx = extractor.ctx

    def text(self, node: Node | None) -> str:
        return "".join(self.ctx.text(node).split())

    # ---- call sites -------------------------------------------------------------------

    def argument(self, raw: Node) -> dict[str, Any]:
        node = unwrap(raw) or raw
        if node.type == "object":
            fields: dict[str, Any] = {}
            for pair in node.named_children:
                if pair.type == "pair":
                    key = self.ctx.text(pair.child_by_field_name("key")).strip("'\"")
                    value = pair.child_by_field_name("value")
                    if value is not None:
                        fields[key] = self.argument(value)
                elif pair.type == "shorthand_property_identifier":
                    fields[self.ctx.text(pair)] = self.argument(pair)
            return {"object": fields}
        path = self.x._path(node) if node.type != "shorthand_property_identifier" else None
        if path is not None:
            return {"text": path}
        out: dict[str, Any] = {}
        if node.type in {"identifier", "member_expression", "shorthand_property_identifier"}:
            out["text"] = "{" + self.text(node) + "}"  # a name we may resolve across modules
            out["symbol"] = self.text(node)
        if node.type == "shorthand_property_identifier":
            return out
        out["handler"] = self.x._handler(node)
        out["items"] = self.x._items([node])
        return out

    # ---- wrappers ---------------------------------------------------------------------

    def ref(self, raw: Node | None, params: list[str]) -> dict[str, Any] | None:
        node = unwrap(raw) if raw is not None else None
        if node is None:
            return None
        if node.type in {"identifier", "shorthand_property_identifier"}:
            name = self.ctx.text(node)
            if name in params:
                return {"param": params.index(name)}
        if node.type == "member_expression":
            obj = unwrap(node.child_by_field_name("object"))
            if obj is not None and obj.type == "identifier" and self.ctx.text(obj) in params:
                return {
                    "param": params.index(self.ctx.text(obj)),
                    "key": self.ctx.text(node.child_by_field_name("property")),
                }
        if node.type == "object":
            fields: dict[str, Any] = {}
            for pair in node.named_children:
                key_node = pair.child_by_field_name("key") if pair.type == "pair" else pair
                value = pair.child_by_field_name("value") if pair.type == "pair" else pair
                if pair.type not in {"pair", "shorthand_property_identifier"}:
                    continue
                inner = self.ref(value, params)
                if inner is not None:
                    fields[self.ctx.text(key_node).strip("'\"")] = inner
            return {"object": fields}
        path = self.x._path(node)
        return {"text": path} if path is not None else None

    def handler_ref(self, node: Node, params: list[str]) -> dict[str, Any] | None:
        """The parameter a handler argument passes on, however wrapped
        (`this.wrap(options.handler.bind(this))`)."""
        stack = [node]
        while stack:
            current = stack.pop()
            found = self.ref(current, params)
            if found is not None and "param" in found:
                return found
            if current.type not in FUNCTION_TYPES:
                stack.extend(reversed(current.named_children))
        return None

    def wrapper(self, method: Node) -> dict[str, Any] | None:
        params = _params(method)
        if not any(params):
            return None
        body = method.child_by_field_name("body")
        for call in self.ctx.call_expressions_in(body) if body else []:
            callee = unwrap(call.child_by_field_name("function"))
            args_node = call.child_by_field_name("arguments")
            args = [
                a for a in (args_node.named_children if args_node else []) if a.type != "comment"
            ]
            if callee is None or not args:
                continue
            holder = callee.child_by_field_name("object")
            holder_text = self.text(holder)
            if callee.type == "subscript_expression" and holder_text.startswith("this."):
                verb = self.ref(callee.child_by_field_name("index"), params)
                return self._route_spec(verb, args, params, call)
            if callee.type != "member_expression":
                continue
            name = self.ctx.text(callee.child_by_field_name("property"))
            if holder_text.startswith("this.") and name in _VERBS:
                return self._route_spec({"text": name}, args, params, call)
            if holder_text.startswith("this.") and name == "push":
                spec = self._table_spec(args[0], params, call, method)
                if spec is not None:
                    return spec
            if holder_text.startswith("this.") and name == "use":
                path = self.ref(args[0], params)
                items: list[dict[str, Any]] = []
                for arg in args[1:]:
                    passed = self.ref(arg, params)
                    if passed is not None and "param" in passed:
                        items.append(passed)
                    else:
                        items.extend({"item": i} for i in self.x._items([arg]))
                if path is not None and any("param" in i for i in items):
                    return {"kind": "use", "path": path, "items": items}
            if holder_text == "this":
                refs = [self.ref(a, params) for a in args]
                if any(_has_param(r) for r in refs):
                    return {
                        "kind": "call",
                        "method": name,
                        "args": [r or {} for r in refs],
                    }
        return None

    def _table_spec(
        self, raw: Node, params: list[str], call: Node, method: Node
    ) -> dict[str, Any] | None:
        """`route(method, path, ...handlers) { this.routes.push({ path, method, handler }) }`:
        a route kept in the instance's table and mounted onto an app at run time (parse-server's
        PromiseRouter); the route exists, what runs before it is out of sight."""
        node = unwrap(raw) or raw
        if node.type != "object":
            return None
        fields = self.ref(node, params) or {}
        entries = fields.get("object", {})
        verb, path = entries.get("method"), entries.get("path")
        if not (verb and path and _has_param(verb) and _has_param(path)):
            return None
        handler = entries.get("handler")
        if not _has_param(handler):
            # `let handler = handlers[0]`: the first of the handlers passed (a rest parameter).
            rest = _rest_param(method)
            handler = {"param": rest} if rest is not None else None
        return {
            "kind": "route",
            "method": verb,
            "path": path,
            "handler": handler,
            "items": [],
            "line": call.start_point[0] + 1,
            "table": True,
        }

    def _route_spec(
        self, verb: dict[str, Any] | None, args: list[Node], params: list[str], call: Node
    ) -> dict[str, Any] | None:
        path = self.ref(args[0], params)
        if verb is None or path is None or len(args) < 2:
            return None
        if not (_has_param(verb) or _has_param(path)):
            return None  # a route of the class itself, not one made for a caller
        return {
            "kind": "route",
            "method": verb,
            "path": path,
            "handler": self.handler_ref(args[-1], params),
            "items": self.x._items(args[1:-1]),
            "line": call.start_point[0] + 1,
        }


def read_classes(extractor: FactExtractor) -> dict[str, Any]:
    """Class routers and wrappers of one file; retargets `this.<field>` registrations made
    inside a class to the class."""
    ctx = extractor.ctx
    if not ctx.has(b"class"):
        return {}
    reader = _ClassReader(extractor)
    classes: dict[str, Any] = {}
    spans: list[tuple[int, int, str]] = []
    for cls in ctx.classes():
        name = ctx.class_name(cls)
        body = cls.child_by_field_name("body")
        if not name or body is None:
            continue
        heritage = next((c for c in cls.named_children if c.type == "class_heritage"), None)
        extends = None
        if heritage is not None:
            clause = next(
                (c for c in heritage.named_children if c.type == "extends_clause"), heritage
            )
            value = clause.child_by_field_name("value") or (
                clause.named_children[0] if clause.named_children else None
            )
            extends = reader.text(value) if value is not None else None
        entry: dict[str, Any] = {"line": cls.start_point[0] + 1}
        if extends:
            entry["extends"] = extends
        wrappers: dict[str, Any] = {}
        wrapper_spans: list[tuple[int, int]] = []
        for member in body.named_children:
            if member.type != "method_definition":
                continue
            spec = reader.wrapper(member)
            if spec is not None:
                wrappers[ctx.text(member.child_by_field_name("name"))] = spec
                wrapper_spans.append((member.start_byte, member.end_byte))
        if wrappers:
            entry["wrappers"] = wrappers
        for member in body.named_children:
            if (
                member.type == "method_definition"
                and ctx.text(member.child_by_field_name("name")) == "constructor"
            ):
                choices = _constructor_choices(ctx, member)
                if choices:
                    entry["ctor"] = choices
        classes[name] = entry
        spans.append((cls.start_point[0] + 1, cls.end_point[0] + 1, name))
        for call in ctx.call_expressions_in(body):
            callee = call.child_by_field_name("function")
            if callee is None or callee.type != "member_expression":
                continue
            if ctx.text(callee.child_by_field_name("object")) != "this":
                continue
            if any(start <= call.start_byte < end for start, end in wrapper_spans):
                continue  # a wrapper handing on its own parameters: filled in per call
            args_node = call.child_by_field_name("arguments")
            args = [
                a for a in (args_node.named_children if args_node else []) if a.type != "comment"
            ]
            first = unwrap(args[0]) if args else None
            if first is None or not (
                first.type in {"object", "string", "template_string", "identifier"}
                or first.type == "member_expression"
            ):
                continue
            method = ctx.text(callee.child_by_field_name("property"))
            described = [reader.argument(a) for a in args]
            head = described[0]
            if "object" in head and "path" not in head["object"]:
                continue
            if "object" not in head and "text" not in head:
                continue
            extractor.ops.append(
                {
                    "op": "class_call",
                    "target": name,
                    "method": method,
                    "args": described,
                    "line": call.start_point[0] + 1,
                }
            )
    if not spans:
        return {}
    owners: set[str] = set()
    for op in extractor.ops:
        target = op.get("target", "")
        if op["op"] == "class_call":
            owners.add(target)
            continue
        if not target.startswith("this."):
            continue
        inner = [s for s in spans if s[0] <= op["line"] <= s[1]]
        if inner:
            op["target"] = min(inner, key=lambda s: s[1] - s[0])[2]
            owners.add(op["target"])
    for owner in owners:
        extractor.apps.setdefault(owner, JsApp(kind="router", line=classes[owner]["line"]))
        extractor.apps[owner].in_class = True
    # The app var `this.app` of a class now lives under the class's name.
    for key in [k for k in extractor.apps if k.startswith("this.")]:
        del extractor.apps[key]
    return {name: entry for name, entry in classes.items() if len(entry) > 1 or name in owners}


def _string_value(ctx: Any, node: Node | None) -> str | None:
    """A string literal or a template literal without holes, unquoted."""
    if node is None:
        return None
    if node.type == "string" or (
        node.type == "template_string"
        and not any(c.type == "template_substitution" for c in node.named_children)
    ):
        return str(ctx.text(node))[1:-1]
    return None


def _constructor_choices(ctx: Any, constructor: Node) -> dict[str, Any]:
    """`constructor(config, services, mode = 'global') { const prefix = mode === 'global' ?
    '' : '/:projectId/context'; ... }`: each instance's path prefix follows from the argument
    it is built with. Returns {"params": [name, ...], "defaults": {name: str},
    "choices": {local: {"param", "equals", "then", "else"}}}; only string literals count."""
    params_node = constructor.child_by_field_name("parameters")
    params: list[str] = []
    defaults: dict[str, str] = {}
    for param in params_node.named_children if params_node is not None else []:
        target = param
        if param.type in {"required_parameter", "optional_parameter"}:
            target = param.child_by_field_name("pattern") or param
            value = param.child_by_field_name("value")
        elif param.type == "assignment_pattern":
            target = param.child_by_field_name("left") or param
            value = param.child_by_field_name("right")
        else:
            value = None
        name = ctx.text(target) if target.type == "identifier" else ""
        params.append(name)
        default = _string_value(ctx, value)
        if name and default is not None:
            defaults[name] = default
    body = constructor.child_by_field_name("body")
    choices: dict[str, Any] = {}
    for statement in body.named_children if body is not None else []:
        if statement.type not in {"lexical_declaration", "variable_declaration"}:
            continue
        for declarator in statement.named_children:
            if declarator.type != "variable_declarator":
                continue
            local = declarator.child_by_field_name("name")
            value = declarator.child_by_field_name("value")
            while value is not None and value.type == "parenthesized_expression":
                value = value.named_children[0] if value.named_children else None
            if local is None or value is None or value.type != "ternary_expression":
                continue
            test = value.child_by_field_name("condition")
            while test is not None and test.type == "parenthesized_expression":
                test = test.named_children[0] if test.named_children else None
            if test is None or test.type != "binary_expression":
                continue
            operator = test.child_by_field_name("operator")
            left = test.child_by_field_name("left")
            right = test.child_by_field_name("right")
            op_text = ctx.text(operator) if operator is not None else ""
            if op_text not in {"===", "==", "!==", "!="} or left is None:
                continue
            literal = _string_value(ctx, right)
            if left.type != "identifier" or ctx.text(left) not in params or literal is None:
                continue
            then = _string_value(ctx, value.child_by_field_name("consequence"))
            other = _string_value(ctx, value.child_by_field_name("alternative"))
            if then is None or other is None:
                continue
            if op_text.startswith("!"):
                then, other = other, then
            choices[ctx.text(local)] = {
                "param": ctx.text(left),
                "equals": literal,
                "then": then,
                "else": other,
            }
    if not choices:
        return {}
    return {"params": params, "defaults": defaults, "choices": choices}
