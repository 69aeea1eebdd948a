"""Project-wide linking of per-file taint summaries (see python.py) into request-data flows.

Calls are resolved by qualified name through each module's imports (the facts the route
extractor already stores: `facts["imports"]`, `facts["module"]`), re-exports followed, module
roots matched by dotted tail like the route linker does. For every function:
  ret_atoms(f)        what its return value carries (parameters, request data, HTML)
  reach(f, param)     the sinks a parameter reaches inside f or in what f calls, with the path
Then request data at a sink (directly, or passed to a function whose parameter reaches one) is
a flow. Everything is memoised; cycles resolve to "nothing" (the safe side for precision).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from mcp_backend.review.model import SEVERITY_ORDER, FileResult
from mcp_backend.review.python.frameworks._resolve import Modules
from mcp_backend.review.taint import model as m

_MAX_DEPTH = 8
_NOTHING: dict[str, Any] = {"params": []}  # a project function through which nothing flows


@dataclass(frozen=True)
class _Fn:
    key: str  # module.qualname
    module: str
    name: str
    file: str
    summary: dict[str, Any]


@dataclass(frozen=True)
class _Reach:
    kind: str
    file: str
    line: int
    column: int
    end_line: int
    sink: str
    snippet: str
    needs: str  # 'H'/'S' the sink still needs from a caller ('' when satisfied)
    path: tuple[tuple[str, int, str], ...]  # (file, line, text) from the caller down


class TaintLinker:
    def __init__(self, results: list[FileResult]) -> None:
        python = [r for r in results if r.language == "python" and not r.skipped]
        self.modules = Modules(python)
        self.functions: dict[str, _Fn] = {}
        called: dict[str, list[str]] = {}
        self.imports: dict[str, dict[str, str]] = {}
        self.scalars: set[str] = set()  # enums and Literal aliases: module.Name
        for result in python:
            facts = result.facts
            module = facts.get("module")
            taint = facts.get("taint")
            if not module or not isinstance(taint, dict) or result.is_test:
                continue
            self.imports.setdefault(module, facts.get("imports", {}))
            called.setdefault(module, taint.get("called", []))
            self.scalars.update(f"{module}.{name}" for name in taint.get("scalars", []))
            for name, summary in taint.get("functions", {}).items():
                key = f"{module}.{name}"
                self.functions.setdefault(key, _Fn(key, module, name, result.file, summary))
            for name in taint.get("defined", []):
                key = f"{module}.{name}"
                self.functions.setdefault(key, _Fn(key, module, name, result.file, _NOTHING))
        self.called = called  # the project functions each module calls, by name
        self.packages = {name.split(".", 1)[0] for name in self.modules.by_name if "." in name}
        self._ret: dict[str, frozenset[m.Atom]] = {}
        self._resolved: dict[tuple[str, str], _Fn | None] = {}
        # Handlers found by shape (a `request`-first function) that project code calls are
        # helpers: their parameters hold what the caller passed, not the client's data.
        self.called_heads: set[tuple[str, str]] = set()
        for module, callees in called.items():
            for callee in callees:
                target = self.resolve(module, callee)
                if target is not None and target.summary.get("handler"):
                    self.called_heads.add((target.file, f"R@{target.summary.get('line')}"))
        # the parameters of views found by shape, by their source label: (file, R@line) -> name
        self.shape_views = {
            (fn.file, f"R@{fn.summary.get('line')}"): fn.name
            for fn in self.functions.values()
            if fn.summary.get("by_shape")
        }
        self._reach: dict[tuple[str, str], tuple[_Reach, ...]] = {}
        self._active: set[tuple[str, str]] = set()
        self._atoms: dict[tuple[str, str, str], frozenset[m.Atom]] = {}

    # ------------------------------------------------------------------ resolution
    def resolve(self, module: str, callee: str) -> _Fn | None:
        cache_key = (module, callee)
        if cache_key not in self._resolved:
            self._resolved[cache_key] = self._resolve(module, callee)
        return self._resolved[cache_key]

    def _resolve(self, module: str, callee: str) -> _Fn | None:
        local = self.functions.get(f"{module}.{callee}")
        if local is not None:
            return local
        head, _, rest = callee.partition(".")
        qualified = self.imports.get(module, {}).get(head)
        if qualified is None:
            return None
        return self._qualified(f"{qualified}.{rest}" if rest else qualified, 0)

    def _qualified(self, qualified: str, depth: int) -> _Fn | None:
        key = self._project_key(qualified, self.functions.keys(), depth)
        return self.functions[key] if key is not None else None

    def _is_scalar(self, qualified: str, depth: int) -> bool:
        """Whether a qualified type name is a project enum or Literal alias, through modules
        found by name and re-exports (`from app.types import Theme` in app/schemas.py)."""
        return self._project_key(qualified, self.scalars, depth) is not None

    def _project_key(self, qualified: str, known: Collection[str], depth: int) -> str | None:
        """The `module.name` key in `known` a qualified name reaches: directly, through the
        module its dotted prefix names, or through a re-export of that module."""
        if qualified in known:
            return qualified
        if depth > 4:
            return None
        parts = qualified.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = self.modules.find_module(".".join(parts[:cut]))
            if module is None:
                continue
            rest = parts[cut:]
            key = f"{module}.{'.'.join(rest)}"
            if key in known:
                return key
            reexport = self.imports.get(module, {}).get(rest[0])
            if reexport is not None and reexport != qualified:
                return self._project_key(".".join([reexport, *rest[1:]]), known, depth + 1)
            return None
        return None

    def _constrained(self, file: str, types: str) -> bool:
        """A parameter of an enum or Literal type: the framework converts the client's text to
        one of the declared values or refuses the request."""
        return all(self._is_scalar(t, 0) for t in types.split(","))

    def _shown(self, fn: _Fn) -> str:
        return f"{fn.name}()"

    def _project_object(self, module: str, callee: str) -> bool:
        head, _, rest = callee.partition(".")
        qualified = self.imports.get(module, {}).get(head)
        if qualified is None:
            return False
        parts = qualified.split(".")
        if parts[0] in self.packages and len(parts) > 1:
            return True  # the project's own package, in a part not reviewed or not resolved
        if not rest:
            return False
        return any(
            self.modules.find_module(".".join(parts[:cut])) is not None
            for cut in range(len(parts), 0, -1)
        )

    def _param_name(self, fn: _Fn, arg: str) -> str | None:
        params = fn.summary.get("params", [])
        if arg.isdigit():
            index = int(arg)
            return params[index] if index < len(params) else None
        return arg if arg in params else None

    # ------------------------------------------------------------------ labels -> atoms
    def atoms(self, module: str, file: str, label: str, depth: int = 0) -> frozenset[m.Atom]:
        key = (module, file, label)
        cached = self._atoms.get(key)
        if cached is not None:
            return cached
        # A result computed inside a cycle of return summaries may miss what the cycle adds:
        # fewer flows, never invented ones.
        result = self._atoms_uncached(module, file, label, depth)
        self._atoms[key] = result
        return result

    def _atoms_uncached(self, module: str, file: str, label: str, depth: int) -> frozenset[m.Atom]:
        marks, core = m.marks_of(label)
        if depth > _MAX_DEPTH:
            return frozenset()
        if core.startswith("R@"):
            core, _, types = core.partition("~")
            if types and self._constrained(file, types):
                return frozenset()
            if (file, core) in self.called_heads:
                return frozenset()
            return frozenset({m.Atom(core, marks, file)})
        if core.startswith("P") or core in {"H", "S"}:
            return frozenset({m.Atom(core, marks)})
        if not core.startswith("C"):
            return frozenset()
        callee, arg, inner = m.split_call(core)
        fn = self.resolve(module, callee)
        out: set[m.Atom] = set()
        if fn is None:
            if inner == "-" or self._project_object(module, callee):
                # A project name we cannot resolve to a function (a method of a module-level
                # instance, `Files.get_file_by_id(id)`): unknown, so no flow is invented.
                return frozenset()
            # Outside the project: its result carries its argument's text by default.
            return frozenset(
                m.Atom(a.origin, a.sanitized | marks, a.file)
                for a in self.atoms(module, file, inner, depth + 1)
            )
        returned = self.ret_atoms(fn)
        if inner == "-":
            return frozenset(
                m.Atom(a.origin, a.sanitized | marks, a.file)
                for a in returned
                if not a.origin.startswith("P")
            )
        param = self._param_name(fn, arg)
        for ret in returned:
            if ret.origin == f"P{param}":
                for a in self.atoms(module, file, inner, depth + 1):
                    out.add(m.Atom(a.origin, a.sanitized | ret.sanitized | marks, a.file))
        return frozenset(out)

    def ret_atoms(self, fn: _Fn) -> frozenset[m.Atom]:
        if fn.key in self._ret:
            return self._ret[fn.key]
        self._ret[fn.key] = frozenset()  # cycle guard
        out: set[m.Atom] = set()
        for label in fn.summary.get("ret", []):
            out |= self.atoms(fn.module, fn.file, label, 1)
        result = frozenset(out)
        self._ret[fn.key] = result
        return result

    # ------------------------------------------------------------------ sinks reached
    def reach(self, fn: _Fn, param: str) -> tuple[_Reach, ...]:
        key = (fn.key, param)
        if key in self._reach:
            return self._reach[key]
        if key in self._active:
            return ()
        self._active.add(key)
        found: list[_Reach] = []
        origin = f"P{param}"
        for kind, line, col, end_line, what, labels, snippet, *rest in fn.summary.get("sinks", []):
            needs = _needs(rest)
            if needs and self._has(fn, labels, needs):
                needs = ""
            for label in labels:
                if any(
                    a.origin == origin and kind not in a.sanitized
                    for a in self.atoms(fn.module, fn.file, label)
                ):
                    found.append(
                        _Reach(kind, fn.file, line, col, end_line, what, snippet, needs, ())
                    )
                    break
        for callee, arg, line, labels in fn.summary.get("calls", []):
            target = self.resolve(fn.module, callee)
            if target is None:
                continue
            sanitized = self._sanitized_for(fn, labels, origin)
            if sanitized is None:
                continue
            target_param = self._param_name(target, arg)
            if target_param is None:
                continue
            for sub in self.reach(target, target_param):
                if sub.kind in sanitized:
                    continue
                needs = sub.needs if sub.needs and not self._has(fn, labels, sub.needs) else ""
                step = (fn.file, line, f"{self._shown(fn)} passes it to {callee}()")
                found.append(
                    _Reach(
                        sub.kind,
                        sub.file,
                        sub.line,
                        sub.column,
                        sub.end_line,
                        sub.sink,
                        sub.snippet,
                        needs,
                        (step, *sub.path),
                    )
                )
        self._active.discard(key)
        result = tuple(found[:12])
        self._reach[key] = result
        return result

    def _has(self, fn: _Fn, labels: list[str], origin: str) -> bool:
        return any(
            a.origin == origin for label in labels for a in self.atoms(fn.module, fn.file, label)
        )

    def _sanitized_for(self, fn: _Fn, labels: list[str], origin: str) -> frozenset[str] | None:
        """Kinds the origin is sanitised for on every label carrying it; None if none does."""
        kinds: frozenset[str] | None = None
        for label in labels:
            for atom in self.atoms(fn.module, fn.file, label):
                if atom.origin == origin:
                    kinds = atom.sanitized if kinds is None else kinds & atom.sanitized
        return kinds

    def uncalled_sinks(self) -> list[list[Any]]:
        """[file, kind, line] of the sinks in project functions that no call the engine
        resolved reaches, route handlers aside: what their parameters hold is decided by
        callers it did not see, so a file rule's finding there stays."""
        reached = self._reached()
        return [
            [fn.file, sink[0], sink[1]]
            for fn in self.functions.values()
            if fn.key not in reached and not fn.summary.get("handler")
            for sink in fn.summary.get("sinks", [])
        ]

    def _reached(self) -> set[str]:
        return {
            fn.key
            for module, callees in self.called.items()
            for callee in callees
            if (fn := self.resolve(module, callee)) is not None
        }

    # ------------------------------------------------------------------ flows
    def flows(self) -> Iterator[m.Flow]:
        seen: set[tuple[str, str, int]] = set()
        for fn in self.functions.values():
            for flow in self._flows_from(fn):
                key = (flow.kind, flow.file, flow.line)
                if key not in seen:
                    seen.add(key)
                    yield flow

    def _request_atoms(self, fn: _Fn, labels: list[str]) -> list[m.Atom]:
        out: list[m.Atom] = []
        for label in labels:
            out.extend(
                a for a in self.atoms(fn.module, fn.file, label) if a.origin.startswith("R@")
            )
        return out

    def _flows_from(self, fn: _Fn) -> Iterator[m.Flow]:
        for kind, line, col, end_line, what, labels, snippet, *rest in fn.summary.get("sinks", []):
            needs = _needs(rest)
            if needs and not self._has(fn, labels, needs):
                continue
            atoms = [a for a in self._request_atoms(fn, labels) if kind not in a.sanitized]
            if not atoms:
                continue
            source = min(atoms, key=lambda a: int(a.origin[2:]))
            steps = [
                m.Step(
                    source.file or fn.file,
                    int(source.origin[2:]),
                    f"request data read in {self._shown(fn)}",
                ),
                m.Step(fn.file, line, f"reaches {what}"),
            ]
            yield m.Flow(
                kind,
                fn.file,
                line,
                col + 1,
                end_line,
                what,
                steps,
                snippet,
                fn.name,
                fn.file,
                self.shape_views.get((source.file or fn.file, source.origin), ""),
            )
        for callee, arg, line, labels in fn.summary.get("calls", []):
            atoms = self._request_atoms(fn, labels)
            if not atoms:
                continue
            target = self.resolve(fn.module, callee)
            if target is None:
                continue
            param = self._param_name(target, arg)
            if param is None:
                continue
            for sub in self.reach(target, param):
                if sub.needs and not self._has(fn, labels, sub.needs):
                    continue
                if sub.kind == m.REDIRECT:
                    continue  # helpers that redirect to a parameter get targets checked upstream
                live = [a for a in atoms if sub.kind not in a.sanitized]
                if not live:
                    continue
                source = min(live, key=lambda a: int(a.origin[2:]))
                steps = [
                    m.Step(
                        source.file or fn.file,
                        int(source.origin[2:]),
                        f"request data read in {self._shown(fn)}",
                    ),
                    m.Step(fn.file, line, f"passed to {callee}()"),
                    *(m.Step(f, ln, text) for f, ln, text in sub.path),
                    m.Step(sub.file, sub.line, f"reaches {sub.sink}"),
                ]
                yield m.Flow(
                    sub.kind,
                    sub.file,
                    sub.line,
                    sub.column + 1,
                    sub.end_line,
                    sub.sink,
                    steps,
                    sub.snippet,
                    fn.name,
                    fn.file,
                    self.shape_views.get((source.file or fn.file, source.origin), ""),
                )


def _needs(rest: list[Any]) -> str:
    """The sink record's 8th field: True (older summaries: markup) or 'H'/'S'/''."""
    if not rest or not rest[0]:
        return ""
    return "H" if rest[0] is True else str(rest[0])


def link_flows(results: list[FileResult]) -> list[m.Flow]:
    return list(TaintLinker(results).flows())


_JS_LANGUAGES = ("javascript", "typescript")


class JsTaintLinker(TaintLinker):
    """The same linking over JS/TS summaries (taint/javascript.py). A function's key is
    `file::qualname`; calls resolve through the file's ES imports and `require`s (the JS route
    linker's module resolution: relative paths, index files, TS path aliases), the target's
    exports (`export default`, `module.exports = {...}`, `exports.x =`), re-exports (`export
    { x } from`, `export * from`) and module-level instances (`export const users = new
    UsersService()`). `this.users.find()` in a class whose constructor takes `users:
    UsersService` was written by the front end as `UsersService.find`."""

    def __init__(self, results: list[FileResult]) -> None:
        from mcp_backend.review.javascript.linker import _Linker

        files = _js_files(results)
        self.functions = {}
        self.called = {}
        self.js_imports: dict[str, dict[str, tuple[str, str]]] = {}
        self.exports: dict[str, dict[str, str]] = {}
        self.star: dict[str, list[str]] = {}
        self.schemas: dict[str, dict[str, list[str]]] = {}
        self.instances: dict[str, dict[str, str]] = {}
        self.locals: dict[str, set[str]] = {}
        for result in files:
            facts = result.facts
            taint = facts.get("taint")
            if not isinstance(taint, dict):
                continue
            file = result.file
            self.js_imports[file] = {
                local: (entry.get("source", ""), entry.get("name", ""))
                for local, entry in (facts.get("imports") or {}).items()
                if isinstance(entry, dict)
            }
            self.exports[file] = dict(facts.get("exports") or {})
            self.star[file] = list(taint.get("star", []))
            self.schemas[file] = dict(taint.get("schemas", {}))
            self.instances[file] = dict(taint.get("instances", {}))
            self.called[file] = list(taint.get("called", []))
            heads = self.locals.setdefault(file, set())
            for name, summary in taint.get("functions", {}).items():
                key = f"{file}::{name}"
                self.functions.setdefault(key, _Fn(key, file, name, file, summary))
                heads.add(name.split(".", 1)[0])
            for name in taint.get("defined", []):
                key = f"{file}::{name}"
                self.functions.setdefault(key, _Fn(key, file, name, file, _NOTHING))
                heads.add(name.split(".", 1)[0])
            heads.update(self.schemas[file])
        self._paths = _Linker(root="", modules=dict.fromkeys(self.js_imports, _NO_JS_FACTS()))
        self.imports = {}
        self.scalars = set()
        self.packages = set()
        self._ret = {}
        self._resolved = {}
        self.called_heads = set()
        self.shape_views = {}
        self._reach = {}
        self._active = set()
        self._atoms = {}
        self._modules: dict[tuple[str, str], str | None] = {}

    def _reached(self) -> set[str]:
        # The front end records only the calls of the functions it interprets (those near
        # request data); a function another module imports is taken as called from there.
        imported = {
            fn.key
            for file, imports in self.js_imports.items()
            for local in imports
            if (fn := self.resolve(file, local)) is not None
        }
        return super()._reached() | imported

    def _module(self, importer: str, source: str) -> str | None:
        key = (importer, source)
        if key not in self._modules:
            self._modules[key] = self._paths.resolve_module(importer, source)
        return self._modules[key]

    def _resolve(self, module: str, callee: str, depth: int = 0) -> _Fn | None:
        local = self.functions.get(f"{module}::{callee}")
        if local is not None or depth > 6:
            return local
        head, _, rest = callee.partition(".")
        cls = self.instances.get(module, {}).get(head)
        if cls is not None and rest:
            return self._resolve(module, f"{cls}.{rest}", depth + 1)
        entry = self.js_imports.get(module, {}).get(head)
        if entry is None:
            return None
        target = self._module(module, entry[0])
        if target is None:
            return None
        name = entry[1]
        if name == "*":
            return self._export(target, rest, depth + 1) if rest else None
        if name == "default" and rest:
            return self._export(target, f"default.{rest}", depth + 1) or self._export(
                target, rest, depth + 1
            )
        return self._export(target, f"{name}.{rest}" if rest else name, depth + 1)

    def _export(self, target: str, dotted: str, depth: int) -> _Fn | None:
        """What `dotted` names among the exports of `target`."""
        if depth > 6 or not dotted:
            return None
        head, _, rest = dotted.partition(".")
        local = self.exports.get(target, {}).get(head)
        if local is None:
            direct = self.functions.get(f"{target}::{dotted}")
            if direct is not None:
                return direct
            for source in self.star.get(target, []):
                inner = self._module(target, source)
                found = self._export(inner, dotted, depth + 1) if inner else None
                if found is not None:
                    return found
            return None
        name = f"{local}.{rest}" if rest else local
        return self._resolve(target, name, depth + 1)

    def _locate(self, file: str, name: str, depth: int = 0) -> tuple[str, str] | None:
        """Where a type or schema named in `file` is defined (file, local name)."""
        if name in self.schemas.get(file, {}):
            return file, name
        if depth > 6:
            return None
        entry = self.js_imports.get(file, {}).get(name)
        if entry is None:
            return None
        target = self._module(file, entry[0])
        if target is None:
            return None
        return self._located_export(target, entry[1], depth + 1)

    def _located_export(self, target: str, exported: str, depth: int) -> tuple[str, str] | None:
        local = self.exports.get(target, {}).get(exported)
        if local is None:
            for source in self.star.get(target, []):
                inner = self._module(target, source)
                found = self._located_export(inner, exported, depth + 1) if inner else None
                if found is not None:
                    return found
            return None
        return self._locate(target, local, depth + 1)

    def _constrained(self, file: str, types: str) -> bool:
        """`R@3~CreateDto.age`: request data in a field that the validated type constrains
        (`@IsInt() age`, `age: z.number()`); a whole object (`~CreateDto`) is not."""
        type_name, _, field_name = types.partition(".")
        if not field_name:
            return False
        where = self._locate(file, type_name)
        if where is None:
            return False
        return field_name in self.schemas.get(where[0], {}).get(where[1], [])

    def _project_object(self, module: str, callee: str) -> bool:
        head = callee.split(".", 1)[0]
        if head in self.locals.get(module, set()):
            return True  # a project class or object whose member we did not summarise
        entry = self.js_imports.get(module, {}).get(head)
        if entry is None:
            return False
        from mcp_backend.review.taint.javascript import is_project_source

        return is_project_source(entry[0])

    def _shown(self, fn: _Fn) -> str:
        if fn.name == "<module>":
            return "the route handler"
        return f"{fn.name}()"


def _js_files(results: list[FileResult]) -> list[FileResult]:
    """The JS/TS files the linking reads: the route linker's (no tests, no browser code)."""
    from mcp_backend.review.facts import JsModuleFacts
    from mcp_backend.review.javascript.linker import is_browser_code

    return [
        r
        for r in results
        if r.language in _JS_LANGUAGES
        and not r.skipped
        and not r.is_test
        and not is_browser_code(
            r.file, JsModuleFacts.model_construct(browser=bool(r.facts.get("browser")))
        )
    ]


def _NO_JS_FACTS() -> Any:
    from mcp_backend.review.facts import JsModuleFacts

    return JsModuleFacts()


def link_js_flows(results: list[FileResult]) -> list[m.Flow]:
    return list(JsTaintLinker(results).flows())


def seen_sinks(results: list[FileResult]) -> list[list[Any]]:
    """[file, kind, line] of every sink the engine examined (tainted or not)."""
    out: list[list[Any]] = []
    js = {id(r) for r in _js_files(results)}
    for result in results:
        # a JS file the linking does not read (browser code): nobody examined its sinks
        taint = (
            result.facts.get("taint") if result.language == "python" or id(result) in js else None
        )
        if isinstance(taint, dict):
            out.extend([result.file, kind, line] for kind, line in taint.get("seen", []))
    return out


def claims_request_data(finding: Any, kinds: Collection[str]) -> bool:
    """Whether a file rule's finding says request data reaches its sink: the rules of both
    languages calibrate their severity by where the value comes from (request data at the
    severity a flow of that kind has, a parameter or a local string below it), so the
    severity is the claim, whatever the message's wording."""
    return any(
        SEVERITY_ORDER[finding.severity] >= SEVERITY_ORDER[m.SEVERITY_FOR_KIND[kind]]
        for kind in kinds
    )


def split_flows(project_findings: list[Any], facts: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """The project rules' findings that are taint flows (by rule, file and line of the flows
    the linkers reported), and the others."""
    keys = {
        (m.RULE_FOR_KIND[f["kind"]], f["file"], f["line"]) for f in facts.get("taint_flows", [])
    }
    flows = [f for f in project_findings if (f.rule_id, f.file, f.line) in keys]
    others = [f for f in project_findings if (f.rule_id, f.file, f.line) not in keys]
    return flows, others


def superseded(
    file_findings: list[Any], flow_findings: list[Any], facts: dict[str, Any]
) -> list[Any]:
    """The engine's flows merged with the file rules' findings, the engine's answer winning:

    - a file-rule finding at a call where the engine reports a flow is replaced by the flow
      (which carries the path from the handler); at the file rule's severity when that rule
      saw request data too (its calibration by the kind of call is kept), at the flow's when
      it saw only a parameter or a built string (the flow proves more);
    - a file-rule finding at a sink the engine examined and found no flow to is dropped: one
      that claims request data (a value overwritten with a constant, a constant branch, an
      allow-list guard), and one that claims a parameter or a computed value, unless the sink
      is in a function no resolved call reaches (its callers were not seen: unknown).
    """
    seen = facts.get("taint_seen") or []
    uncalled = {(file, kind, line) for file, kind, line in facts.get("taint_uncalled") or []}
    kinds_of: dict[str, set[str]] = {}
    for kind, rule_id in m.RULE_FOR_KIND.items():
        kinds_of.setdefault(rule_id, set()).add(kind)
    examined = {(file, kind, line) for file, kind, line in seen}
    flows_facts = facts.get("taint_flows", [])
    skipped = {
        (f["file"], f["kind"], f["line"])
        for f in flows_facts
        if f.get("privileged") and f["kind"] in m.PRIVILEGED_FEATURE
    }
    flowed = {(f["file"], f["kind"], f["line"]) for f in flows_facts} - skipped
    # flows from a parameter of a `request`-first function no URL pattern routes to: the file
    # rule took the parameter for request data on the same guess, so its severity is no proof
    guessed = {
        (m.RULE_FOR_KIND[f["kind"]], f["file"], f["line"]) for f in flows_facts if f.get("unrouted")
    }
    replaced: dict[tuple[str, str, int], Any] = {}
    kept = []
    for finding in file_findings:
        kinds = kinds_of.get(finding.rule_id)
        if kinds is None:
            kept.append(finding)
            continue
        where = [(finding.file, kind, finding.line) for kind in kinds]
        if any(w in flowed for w in where):
            replaced[(finding.rule_id, finding.file, finding.line)] = finding
            continue
        if (
            any(w in examined for w in where)
            and (claims_request_data(finding, kinds) or not any(w in uncalled for w in where))
            and not any(w in skipped for w in where)
        ):
            continue
        kept.append(finding)
    flows = []
    for found in flow_findings:
        old = replaced.get((found.rule_id, found.file, found.line))
        if (
            old is not None
            and claims_request_data(old, kinds_of.get(old.rule_id, ()))
            and (found.rule_id, found.file, found.line) not in guessed
        ):
            # the file rule saw the request data too: its calibration (the kind of call) stays
            flows.append(found.model_copy(update={"severity": old.severity}))
        else:
            flows.append(found)
    return flows + kept
