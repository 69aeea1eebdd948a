"""What a JavaScript/TypeScript detector sees of one file, and the one way it makes a Finding.

The tree is parsed once; calls and functions are collected once with queries (run in C) and
shared by every detector, so a rule costs little more than the checks it makes.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from tree_sitter import Node, Tree

from mcp_backend.review.javascript import parser
from mcp_backend.review.model import (
    ChecklistItemId,
    Confidence,
    Finding,
    Language,
    RuleMeta,
    Severity,
    Signal,
)

FUNCTION_TYPES = frozenset(
    {
        "function_declaration",
        "function_expression",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
        "function",
    }
)
LOOP_TYPES = frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"})
HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "del", "head", "options", "all"})
NEST_ROUTE_DECORATORS = frozenset(
    {"Get", "Post", "Put", "Patch", "Delete", "All", "Head", "Options"}
)
NEST_REQUEST_DECORATORS = frozenset({"Body", "Query", "Param", "Headers", "Req", "Request"})

# Request data as written in Express/Fastify/Koa (req/request/ctx) and Hono (c.req).
REQUEST_DATA_RE = re.compile(
    r"\b(?:req|request)\s*\.\s*(?:body|query|params|headers|cookies|files?|raw\s*\.\s*url)\b"
    r"|\b(?:req|request)\s*\.\s*(?:param|get|header)\s*\("
    r"|\bc\s*\.\s*req\s*\.\s*(?:query|queries|param|json|parseBody|header|valid|formData|text)\b"
    r"|\bctx\s*\.\s*(?:request\s*\.\s*body|query|params)\b"
)
_WORD_RE = re.compile(r"[A-Za-z_$][\w$]*")
# Functions whose result is still the data given to them (methods called on the data itself,
# `name.trim()`, keep it anyway). `schema.parse(body)` is not one: it validates.
_PASS_THROUGH = frozenset(
    {
        "path.join",
        "path.resolve",
        "path.normalize",
        "join",
        "resolve",
        "String",
        "decodeURIComponent",
        "decodeURI",
        "JSON.parse",
        "JSON.stringify",
        "Buffer.from",
        "Object.assign",
        "structuredClone",
        "util.format",
    }
)
_HANDLER_REQ_PARAMS = frozenset({"req", "request", "_req"})
_HANDLER_RES_PARAMS = frozenset({"res", "response", "reply", "_res", "rep", "h"})


class Call:
    """A call or `new` expression. Only `name` is computed up front (rules filter on it);
    the callee text, object and arguments are worked out when a rule asks."""

    __slots__ = ("__dict__", "_source", "is_new", "name", "node")

    def __init__(self, node: Node, source: bytes, name: str | None = None) -> None:
        self.node = node
        self._source = source
        self.is_new = node.type == "new_expression"
        if name is not None:  # known from the index's name capture
            self.name = name
            return
        callee = self.callee_node
        if callee is not None and callee.type == "member_expression":
            prop = callee.child_by_field_name("property")
            self.name = (
                source[prop.start_byte : prop.end_byte].decode("utf-8", "replace") if prop else ""
            )
        elif callee is not None:
            self.name = "".join(
                source[callee.start_byte : callee.end_byte].decode("utf-8", "replace").split()
            )
        else:
            self.name = ""

    @property
    def callee_node(self) -> Node | None:
        callee = self.node.child_by_field_name("constructor" if self.is_new else "function")
        if callee is not None and callee.type == "parenthesized_expression":
            callee = unwrap_sequence(callee)  # (0, module_1.name)(...): compiled imports
        return callee

    def _text(self, node: Node | None) -> str:
        if node is None:
            return ""
        return "".join(
            self._source[node.start_byte : node.end_byte].decode("utf-8", "replace").split()
        )

    @cached_property
    def callee(self) -> str:
        """e.g. "res.status(500).json", "jwt.decode", "exec" (whitespace removed)."""
        return self._text(self.callee_node)

    @cached_property
    def obj(self) -> str:
        """The callee minus its last segment: "res.status(500)", "jwt", ""."""
        callee = self.callee_node
        if callee is None or callee.type != "member_expression":
            return ""
        return self._text(callee.child_by_field_name("object"))

    @cached_property
    def _arguments(self) -> tuple[list[Node], bool]:
        args_node = self.node.child_by_field_name("arguments")
        if args_node is None:
            return [], False
        if args_node.type == "template_string":
            return [args_node], True
        return [a for a in args_node.named_children if a.type != "comment"], False

    @property
    def args(self) -> list[Node]:
        return self._arguments[0]

    @property
    def tagged(self) -> bool:
        """sql`...`: a tagged template, which libraries parameterise."""
        return self._arguments[1]

    @property
    def line(self) -> int:
        return self.node.start_point[0] + 1


def unwrap_sequence(node: Node) -> Node:
    """`(0, common_1.Get)` (how tsc and Babel call an imported function without a `this`) →
    `common_1.Get`; any other node as it is."""
    while node.type in {"parenthesized_expression", "sequence_expression"}:
        children = [c for c in node.named_children if c.type != "comment"]
        if not children:
            break
        node = children[-1]
    return node


@dataclass
class CompiledDecorators:
    """What tsc's `__decorate` calls put on classes and their members, by class name."""

    classes: dict[str, list[Node]] = field(default_factory=dict)
    members: dict[tuple[str, str], list[Node]] = field(default_factory=dict)
    params: dict[tuple[str, str], dict[int, list[Node]]] = field(default_factory=dict)
    param_types: dict[tuple[str, str], list[str]] = field(default_factory=dict)


def _compiled_decorators(ctx: JsFileContext) -> CompiledDecorators:
    """Read `__decorate([d1, d2], X.prototype, "m", null)` (member), `__decorate([...], X, "m",
    null)` (static member) and `X = __decorate([...], X)` (class) as the decorators they are;
    `__param(i, d)` is parameter i's decorator, `__metadata("design:paramtypes", [...])` the
    parameter types. tslib spells the helper `tslib_1.__decorate` or `(0, tslib_1.__decorate)`."""
    found = CompiledDecorators()
    if not ctx.has(b"__decorate"):
        return found
    for name_node in ctx._names().get("__decorate", ()):
        call = name_node.parent
        while call is not None and call.type in {
            "member_expression",
            "sequence_expression",
            "parenthesized_expression",
        }:
            call = call.parent
        if call is None or call.type != "call_expression":
            continue
        args = call.child_by_field_name("arguments")
        items = [
            a for a in (args.named_children if args is not None else []) if a.type != "comment"
        ]
        if len(items) < 2 or items[0].type != "array":
            continue
        target = items[1]
        if (
            target.type == "member_expression"
            and ctx.text(target.child_by_field_name("property")) == "prototype"
        ):
            target = target.child_by_field_name("object") or target
        cls = ctx.text(target).rsplit(".", 1)[-1]
        member = None
        if len(items) >= 3 and items[2].type == "string":
            member = ctx.text(items[2])[1:-1]
        decorators: list[Node] = []
        for element in items[0].named_children:
            if element.type != "call_expression":
                continue
            helper = ctx.decorator_name(element)
            element_args = ctx.decorator_args(element)
            if helper == "__metadata":
                if (
                    member is not None
                    and len(element_args) == 2
                    and ctx.text(element_args[0])[1:-1] == "design:paramtypes"
                    and element_args[1].type == "array"
                ):
                    found.param_types[(cls, member)] = [
                        ctx.text(t).rsplit(".", 1)[-1] for t in element_args[1].named_children
                    ]
                continue
            if helper == "__param":
                if (
                    member is not None
                    and len(element_args) == 2
                    and element_args[0].type == "number"
                ):
                    index = int(ctx.text(element_args[0]))
                    found.params.setdefault((cls, member), {}).setdefault(index, []).append(
                        element_args[1]
                    )
                continue
            decorators.append(element)
        if member is None:
            found.classes.setdefault(cls, []).extend(decorators)
        else:
            found.members.setdefault((cls, member), []).extend(decorators)
    return found


_OFFLINE_DIRECTORY = re.compile(r"(^|/)(migrations?|migration[-_]utils|seeders)/")


@dataclass(eq=False)
class JsFileContext:
    file: str
    language: Language
    grammar: parser.Grammar
    source: bytes
    tree: Tree
    is_test: bool = False
    signals: list[Signal] = field(default_factory=list)
    _index: dict[str, list[Node]] | None = None
    _calls: list[Call] | None = None
    _call_objects: dict[int, Call] = field(default_factory=dict)
    _by_name: dict[str, list[Node]] | None = None
    _needles: dict[bytes, bool] = field(default_factory=dict)
    _binding_starts: list[int] | None = None
    _call_starts: list[int] | None = None
    _sorted: set[str] = field(default_factory=set)
    _taint: dict[int, frozenset[str]] = field(default_factory=dict)
    _lines: list[str] | None = None
    _compiled: CompiledDecorators | None = None

    @property
    def root(self) -> Node:
        return self.tree.root_node

    @property
    def runs_offline(self) -> bool:
        """Code no request reaches: schema and data migrations (TypeORM/Knex/Sequelize
        `migrations/`, `migration-utils/`), run once by an operator at deploy time; the
        JS counterpart of PythonFileContext.runs_offline."""
        return bool(_OFFLINE_DIRECTORY.search(self.file))

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.source.decode("utf-8", "replace").splitlines()
        return self._lines

    def text(self, node: Node | None) -> str:
        if node is None:
            return ""
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def has(self, *needles: bytes) -> bool:
        """Cheap pre-check on the raw source, so rules skip files that cannot match."""
        seen = self._needles
        for needle in needles:
            found = seen.get(needle)
            if found is None:
                found = seen[needle] = needle in self.source
            if found:
                return True
        return False

    # ---- shared indexes -------------------------------------------------------------------

    def _index_of(self, name: str) -> list[Node]:
        if self._index is None:
            self._index = parser.index_captures(self.grammar, self.root)
        return self._index.get(name, [])

    def _captured(self, name: str) -> list[Node]:
        """INDEX_QUERY's nodes captured as `name`, in the order they run: by start, and of nested
        nodes that start together the inner first (`app.use(a).get(p, h)` registers `use` first).
        One query walks the tree once for every index (see parser.INDEX_QUERY)."""
        nodes = self._index_of(name)
        if name not in self._sorted:
            nodes.sort(key=lambda n: (n.start_byte, n.end_byte))  # sorted once, when first used
            self._sorted.add(name)
        return nodes

    def classes(self) -> list[Node]:
        """Class declarations and expressions, from the shared index walk; TypeScript's
        abstract classes (a node type JavaScript lacks) by a query of their own when written."""
        found = list(self._captured("class"))
        if self.grammar != "javascript" and self.has(b"abstract"):
            found.extend(self.descendants(self.root, "(abstract_class_declaration) @c", "c"))
            found.sort(key=lambda n: (n.start_byte, n.end_byte))
        return found

    @property
    def calls(self) -> list[Call]:
        if self._calls is None:
            self._calls = [self._call_of(node) for node in self._captured("call")]
        return self._calls

    def _names(self) -> dict[str, list[Node]]:
        by_name = self._by_name
        if by_name is None:
            source = self.source
            by_name = {}
            # Names are leaves, so tree-sitter's order (by start) has no ties to sort out.
            nodes = self._index_of("name")
            for node in nodes:
                key = source[node.start_byte : node.end_byte].decode("utf-8", "replace")
                by_name.setdefault(key, []).append(node)
            self._by_name = by_name
        return by_name

    def has_call(self, names: frozenset[str] | set[str]) -> bool:
        """Whether any call's last callee segment is one of `names`: a detector's first gate,
        cheaper than a search of the source once the index exists (the facts need it anyway)."""
        return not self._names().keys().isdisjoint(names)

    def calls_named(self, names: frozenset[str] | set[str]) -> list[Call]:
        """The calls whose last callee segment is one of `names`, in document order.
        Detectors ask by name so they never look at the thousands of calls they do not care
        about; only the calls asked for become Call objects."""
        by_name = self._names()
        found: list[Call] = []
        for name in names:
            for name_node in by_name.get(name, ()):
                call = name_node.parent
                if call is not None and call.type == "member_expression":
                    call = call.parent
                if call is not None and call.type == "sequence_expression":
                    call = call.parent.parent if call.parent is not None else None
                if call is not None:
                    found.append(self._call_of(call, name))
        if len(found) > 1:
            found.sort(key=lambda c: (c.node.start_byte, c.node.end_byte))
        return found

    def _call_of(self, node: Node, name: str | None = None) -> Call:
        """One Call per call node, so what a rule worked out about a call is shared."""
        call = self._call_objects.get(node.id)
        if call is None:
            call = self._call_objects[node.id] = Call(node, self.source, name)
        return call

    @property
    def functions(self) -> list[Node]:
        return self._captured("function")

    def bindings_in(self, scope: Node) -> list[Node]:
        """Declarators, assignments and `for ... of/in` heads inside `scope`, in order."""
        bindings = self._captured("binding")
        if self._binding_starts is None:
            self._binding_starts = [node.start_byte for node in bindings]
        low = bisect.bisect_left(self._binding_starts, scope.start_byte)
        high = bisect.bisect_left(self._binding_starts, scope.end_byte)
        # A node that starts inside `scope` lies inside it, unless it is an ancestor that starts
        # at the same byte (`x = () => {...}` holding the function): those end later.
        return [node for node in bindings[low:high] if node.end_byte <= scope.end_byte]

    def call_expressions_in(self, scope: Node) -> list[Node]:
        """`call_expression` nodes inside `scope`, in run order, sliced from the shared index
        walk (no second walk of the tree)."""
        nodes = self._captured("call")
        if self._call_starts is None:
            self._call_starts = [node.start_byte for node in nodes]
        low = bisect.bisect_left(self._call_starts, scope.start_byte)
        high = bisect.bisect_left(self._call_starts, scope.end_byte)
        return [
            node
            for node in nodes[low:high]
            if node.type == "call_expression" and node.end_byte <= scope.end_byte
        ]

    def descendants(self, node: Node, query_text: str, name: str) -> list[Node]:
        return parser.capture_nodes(self.grammar, query_text, node, name)

    # ---- structure ------------------------------------------------------------------------

    @staticmethod
    def enclosing_function(node: Node) -> Node | None:
        current = node.parent
        while current is not None:
            if current.type in FUNCTION_TYPES:
                return current
            current = current.parent
        return None

    @staticmethod
    def param_names(function: Node) -> list[str]:
        params = function.child_by_field_name("parameters")
        if params is None:
            single = function.child_by_field_name("parameter")  # `req => ...`
            return [single.text.decode()] if single is not None and single.text else []
        names: list[str] = []
        for param in params.named_children:
            target = param
            if param.type in {"required_parameter", "optional_parameter"}:
                target = param.child_by_field_name("pattern") or param
            if target.type == "assignment_pattern":
                target = target.child_by_field_name("left") or target
            names.append(
                target.text.decode() if target.type == "identifier" and target.text else ""
            )
        return names

    def method_decorator_nodes(self, method: Node) -> list[Node]:
        """The decorators of a class method, in order: its preceding siblings in TypeScript,
        its own `decorator` children in JavaScript, and in tsc's CommonJS output the elements
        of `__decorate([...], Class.prototype, "method", null)` (call expressions)."""
        decorators: list[Node] = []
        sibling = method.prev_named_sibling
        while sibling is not None and sibling.type in {"decorator", "comment"}:
            if sibling.type == "decorator":
                decorators.append(sibling)
            sibling = sibling.prev_named_sibling
        decorators.reverse()
        if self.grammar == "javascript":
            decorators.extend(child for child in method.named_children if child.type == "decorator")
            owner = self.member_owner(method)
            if owner is not None:
                decorators.extend(self.compiled_decorators.members.get(owner, []))
        return decorators

    def class_decorator_nodes(self, cls: Node) -> list[Node]:
        """A class's decorators: written (`@Controller('x') export class X`) or compiled
        (`X = __decorate([(0, common_1.Controller)('x')], X)`)."""
        decorators = [c for c in cls.named_children if c.type == "decorator"]
        parent = cls.parent
        if parent is not None and parent.type == "export_statement":
            decorators = [c for c in parent.named_children if c.type == "decorator"] + decorators
        if self.grammar == "javascript":
            name = self.class_name(cls)
            if name:
                decorators.extend(self.compiled_decorators.classes.get(name, []))
        return decorators

    def method_param_decorators(self, method: Node) -> list[tuple[Node | None, list[Node], str]]:
        """Per parameter of a class method: its node (None when only the compiled metadata
        knows it), its decorators and its declared type text. tsc writes parameter decorators
        as `__param(0, (0, common_1.Body)())` and the types as
        `__metadata("design:paramtypes", [String, dto_1.CreateDto])`."""
        params = method.child_by_field_name("parameters")
        nodes = [
            p for p in (params.named_children if params is not None else []) if p.type != "comment"
        ]
        out: list[tuple[Node | None, list[Node], str]] = []
        for param in nodes:
            decorators = [c for c in param.named_children if c.type == "decorator"]
            annotation = param.child_by_field_name("type")
            type_text = self.text(annotation).lstrip(":").strip() if annotation is not None else ""
            out.append((param, decorators, type_text))
        owner = self.member_owner(method) if self.grammar == "javascript" else None
        compiled = self.compiled_decorators.params.get(owner, {}) if owner else {}
        types = self.compiled_decorators.param_types.get(owner, []) if owner else []
        for index, decorators in sorted(compiled.items()):
            while len(out) <= index:
                out.append((None, [], ""))
            known, written, type_text = out[index]
            type_text = type_text or (types[index] if index < len(types) else "")
            out[index] = (known, written + decorators, type_text)
        return out

    def decorator_name(self, node: Node) -> str:
        """`@Get('/x')`, `@nest.Get()`, and tsc's `(0, common_1.Get)('/x')` → `Get`."""
        if node.type == "decorator":
            inner = node.named_children[0] if node.named_children else None
            if inner is None:
                return ""
            node = inner
        if node.type == "call_expression":
            function = node.child_by_field_name("function")
            if function is None:
                return ""
            node = function
        node = unwrap_sequence(node)
        if node.type == "member_expression":
            return self.text(node.child_by_field_name("property"))
        return self.text(node).strip() if node.type == "identifier" else ""

    def decorator_args(self, node: Node) -> list[Node]:
        """The arguments a decorator factory is called with (none for a bare `@Decorator`)."""
        if node.type == "decorator":
            node = node.named_children[0] if node.named_children else node
        if node.type != "call_expression":
            return []
        args = node.child_by_field_name("arguments")
        return [a for a in args.named_children if a.type != "comment"] if args is not None else []

    def class_name(self, cls: Node) -> str:
        """`class X {}`, `let X = class X {}`, `let X = class {}` → `X`."""
        name = cls.child_by_field_name("name")
        if name is not None:
            return self.text(name)
        parent = cls.parent
        if parent is not None and parent.type == "variable_declarator":
            return self.text(parent.child_by_field_name("name"))
        if parent is not None and parent.type == "assignment_expression":
            return self.text(parent.child_by_field_name("left")).rsplit(".", 1)[-1]
        return ""

    def member_owner(self, method: Node) -> tuple[str, str] | None:
        """(class name, member name) of a method definition."""
        body = method.parent
        cls = body.parent if body is not None and body.type == "class_body" else None
        name = method.child_by_field_name("name")
        if cls is None or name is None:
            return None
        return (self.class_name(cls), self.text(name))

    @property
    def compiled_decorators(self) -> CompiledDecorators:
        if self._compiled is None:
            self._compiled = _compiled_decorators(self)
        return self._compiled

    def method_decorators(self, method: Node) -> list[str]:
        return [self.text(node) for node in self.method_decorator_nodes(method)]

    def is_handler(self, function: Node) -> bool:
        """A request handler or middleware: (req, res[, next]), Hono (c) route callbacks,
        Fastify (request, reply), or a NestJS controller method."""
        if function.type == "method_definition":
            return any(
                self.decorator_name(d) in NEST_ROUTE_DECORATORS
                for d in self.method_decorator_nodes(function)
            )
        names = self.param_names(function)
        if (
            len(names) >= 2
            and names[0] in _HANDLER_REQ_PARAMS | {"ctx"}
            and (names[1] in _HANDLER_RES_PARAMS or names[1] == "next")
        ):
            return True
        if len(names) >= 3 and names[0] in {"err", "error", "e"} and names[2] in {"res", "reply"}:
            return True
        if names and names[0] in {"c", "ctx", "context", "req", "request"}:
            parent = function.parent
            if parent is not None and parent.type == "arguments":
                call = parent.parent
                if call is not None and call.type == "call_expression":
                    callee = call.child_by_field_name("function")
                    if callee is not None and callee.type == "member_expression":
                        method = self.text(callee.child_by_field_name("property")).lower()
                        return method in HTTP_METHODS or method in {"on", "use", "route"}
        return False

    def enclosing_handler(self, node: Node) -> Node | None:
        function = self.enclosing_function(node)
        while function is not None:
            if self.is_handler(function):
                return function
            function = self.enclosing_function(function)
        return None

    @staticmethod
    def inside_loop(node: Node, stop: Node | None) -> Node | None:
        """The loop (statement, or .map/.forEach callback) around `node` below `stop`."""
        current = node.parent
        while current is not None and current != stop:
            if current.type in LOOP_TYPES:
                return current
            if current.type in FUNCTION_TYPES:
                holder = current.parent
                if holder is not None and holder.type == "arguments":
                    call = holder.parent
                    callee = call.child_by_field_name("function") if call is not None else None
                    if callee is not None and callee.type == "member_expression":
                        prop = callee.child_by_field_name("property")
                        if prop is not None and prop.text in {b"map", b"forEach", b"flatMap"}:
                            return current
                return None
            current = current.parent
        return None

    # ---- request data (taint within one function) -------------------------------------

    def tainted_names(self, function: Node | None) -> frozenset[str]:
        """Local names in `function` that hold request data: `const { id } = req.params`,
        `const body = await c.req.json()`, NestJS `@Body() dto` parameters."""
        if function is None:
            return frozenset()
        cached = self._taint.get(function.id)
        if cached is not None:
            return cached
        names: set[str] = set()
        if function.type == "method_definition":
            for param, decorators, _type in self.method_param_decorators(function):
                if param is not None and any(
                    self.decorator_name(d) in NEST_REQUEST_DECORATORS for d in decorators
                ):
                    pattern = param.child_by_field_name("pattern")
                    if pattern is not None:
                        names.add(self.text(pattern))
        declarators = self.bindings_in(function)
        for _ in range(2):  # two passes follow one level of copying (`const x = body.x`)
            for declarator in declarators:
                # `for (const id of req.body.ids)` binds each element like an assignment.
                is_assignment = declarator.type != "variable_declarator"
                target = declarator.child_by_field_name("left" if is_assignment else "name")
                value = declarator.child_by_field_name("right" if is_assignment else "value")
                if target is None or value is None:
                    continue
                if self.mentions_request_data(self.text(value), names) and not self._launders(
                    value, names
                ):
                    names.update(self.bound_names(target))
        result = frozenset(names)
        self._taint[function.id] = result
        return result

    def holds_call_result(self, node: Node) -> bool:
        """`await icons.pathFor(req.params.name)`: what a project function returned for the
        request data (a record, a registered file), not the request data itself."""
        function = self.enclosing_function(node)
        return self._launders(node, set(self.tainted_names(function)))

    def _launders(self, value: Node, tainted: set[str]) -> bool:
        """`const file = await files.get(fileId)` holds what another function returned (a record,
        a sanitised value), not the request data passed to it. Methods of the data itself
        (`name.trim()`, `c.req.json()`) and pass-through helpers (`path.join`) keep it."""
        while (
            value.type in {"await_expression", "parenthesized_expression"} and value.named_children
        ):
            value = value.named_children[0]
        if value.type != "call_expression":
            return False
        callee = value.child_by_field_name("function")
        if callee is None:
            return False
        callee_text = self.text(callee)
        if self.mentions_request_data(callee_text, tainted):
            return False
        return "".join(callee_text.split()) not in _PASS_THROUGH

    def bound_names(self, pattern: Node) -> list[str]:
        if pattern.type == "identifier":
            return [self.text(pattern)]
        if pattern.type in {"shorthand_property_identifier_pattern"}:
            return [self.text(pattern)]
        out: list[str] = []
        for child in pattern.named_children:
            if child.type == "pair_pattern":
                value = child.child_by_field_name("value")
                if value is not None:
                    out.extend(self.bound_names(value))
            elif child.type in {
                "identifier",
                "shorthand_property_identifier_pattern",
                "object_pattern",
                "array_pattern",
                "rest_pattern",
                "assignment_pattern",
            }:
                out.extend(
                    self.bound_names(child) if child.type != "identifier" else [self.text(child)]
                )
        return out

    @staticmethod
    def mentions_request_data(text: str, tainted: frozenset[str] | set[str]) -> bool:
        if REQUEST_DATA_RE.search(text):
            return True
        return bool(tainted) and any(word in tainted for word in _WORD_RE.findall(text))

    def is_request_data(self, node: Node) -> bool:
        return self.mentions_request_data(
            self.text(node), self.tainted_names(self.enclosing_function(node))
        )

    def guarded_by(self, node: Node, pattern: re.Pattern[str]) -> bool:
        """True if an enclosing `if`/ternary condition up to the function matches `pattern`."""
        current = node.parent
        while current is not None and current.type not in FUNCTION_TYPES:
            if current.type in {"if_statement", "ternary_expression"}:
                condition = current.child_by_field_name("condition")
                if condition is not None and pattern.search(self.text(condition)):
                    return True
            current = current.parent
        return False

    # ---- output ---------------------------------------------------------------------------

    def snippet(self, node: Node, max_lines: int = 3) -> str:
        start = node.start_point[0]
        end = min(node.end_point[0], start + max_lines - 1)
        return "\n".join(self.lines[start : end + 1]).strip()[:400]

    def finding(
        self,
        rule: RuleMeta,
        node: Node,
        message: str,
        *,
        fix: str = "",
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        snippet: str | None = None,
    ) -> Finding:
        return rule.finding(
            message,
            file=self.file,
            line=node.start_point[0] + 1,
            column=node.start_point[1] + 1,
            end_line=node.end_point[0] + 1,
            snippet=self.snippet(node) if snippet is None else snippet,
            fix=fix,
            severity=severity,
            confidence=confidence,
        )

    def signal(self, item: ChecklistItemId, detail: str, node: Node) -> None:
        """Record positive evidence (e.g. 'bcrypt password hashing') for the verdicts."""
        self.signals.append(
            Signal(item=item, detail=detail, file=self.file, line=node.start_point[0] + 1)
        )


class JsDetector(Protocol):
    """A rule's javascript.py (review/rules/<id>/): `DETECTOR = SomeDetector()` at module level."""

    rule: RuleMeta

    def check(self, ctx: JsFileContext) -> Iterator[Finding]: ...
