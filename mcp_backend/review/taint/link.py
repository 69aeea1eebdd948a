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

from mcp_backend.review.model import FileResult
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
            if types and all(self._is_scalar(t, 0) for t in types.split(",")):
                # a parameter of an enum or Literal type: the framework converts the client's
                # text to one of the declared values or refuses the request
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
                step = (fn.file, line, f"{fn.name}() passes it to {callee}()")
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
                    f"request data read in {fn.name}()",
                ),
                m.Step(fn.file, line, f"reaches {what}"),
            ]
            yield m.Flow(
                kind, fn.file, line, col + 1, end_line, what, steps, snippet, fn.name, fn.file
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
                        f"request data read in {fn.name}()",
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
                )


def _needs(rest: list[Any]) -> str:
    """The sink record's 8th field: True (older summaries: markup) or 'H'/'S'/''."""
    if not rest or not rest[0]:
        return ""
    return "H" if rest[0] is True else str(rest[0])


def link_flows(results: list[FileResult]) -> list[m.Flow]:
    return list(TaintLinker(results).flows())


def seen_sinks(results: list[FileResult]) -> list[list[Any]]:
    """[file, kind, line] of every sink the engine examined (tainted or not)."""
    out: list[list[Any]] = []
    for result in results:
        taint = result.facts.get("taint") if result.language == "python" else None
        if isinstance(taint, dict):
            out.extend([result.file, kind, line] for kind, line in taint.get("seen", []))
    return out


def superseded(
    file_findings: list[Any], flow_findings: list[Any], facts: dict[str, Any]
) -> list[Any]:
    """The engine's flows merged with the file rules' findings, the engine's answer winning:

    - a file-rule finding at a call where the engine reports a flow is replaced by the flow
      (which carries the path from the handler) at the file rule's severity, whose calibration
      (request data vs a parameter, the kind of call) is kept;
    - a file-rule finding that claims request data at a sink the engine examined and found no
      flow to (a value overwritten with a constant, a constant branch, an allow-list guard) is
      dropped.
    """
    seen = facts.get("taint_seen") or []
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
    replaced: dict[tuple[str, str, int], Any] = {}
    kept = []
    for finding in file_findings:
        kinds = kinds_of.get(finding.rule_id)
        if kinds is None or not finding.file.endswith(".py"):
            kept.append(finding)
            continue
        where = [(finding.file, kind, finding.line) for kind in kinds]
        if any(w in flowed for w in where):
            replaced[(finding.rule_id, finding.file, finding.line)] = finding
            continue
        if (
            "request data" in finding.message
            and any(w in examined for w in where)
            and not any(w in skipped for w in where)
        ):
            continue
        kept.append(finding)
    flows = []
    for flow in flow_findings:
        old = replaced.get((flow.rule_id, flow.file, flow.line))
        flows.append(flow if old is None else flow.model_copy(update={"severity": old.severity}))
    return flows + kept
