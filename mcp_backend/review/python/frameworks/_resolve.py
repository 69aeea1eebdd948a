"""Cross-module name resolution over per-file facts (used by the linker).

A qualified name such as 'app.routers.orders.router' or 'app.deps.CurrentUser' is split into a
module known to the project and an attribute defined there; re-exports (`from .x import y` in
a package `__init__`) are followed. Names from packages we cannot see resolve to None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mcp_backend.review.model import FileResult
from mcp_backend.review.python.frameworks._ast import module_name_for


@dataclass(frozen=True)
class Symbol:
    module: str
    name: str  # 'router', 'get_current_user', 'OrderView.get'
    kind: str  # function | class | object | alias | module
    fact: dict[str, Any]
    file: str

    @property
    def key(self) -> str:
        return f"{self.module}:{self.name}"


class Modules:
    def __init__(self, results: list[FileResult]) -> None:
        self.by_name: dict[str, tuple[FileResult, dict[str, Any]]] = {}
        # Project modules whose file could not be parsed: what they define is out of sight.
        self.unreadable: dict[str, FileResult] = {}
        for result in results:
            facts = result.facts
            if result.language == "python" and result.skipped and not result.is_test:
                self.unreadable.setdefault(module_name_for(result.file), result)
                continue
            if result.language != "python" or not facts or "module" not in facts:
                continue
            self.by_name.setdefault(str(facts["module"]), (result, facts))
        # Dotted tails of every module ('routers.orders' for 'app.routers.orders') -> module,
        # or None when two modules share the tail (ambiguous, so never guessed).
        self._tails: dict[str, str | None] = {}
        for module in self.by_name:
            parts = module.split(".")
            for cut in range(1, len(parts) - 1):
                tail = ".".join(parts[cut:])
                self._tails[tail] = None if tail in self._tails else module

    def find_module(self, name: str) -> str | None:
        """Exact module, or the one module whose dotted name ends with (or is a tail of) it:
        roots differ ('src.app.deps' imported as 'app.deps', or the other way round)."""
        if name in self.by_name:
            return name
        if "." not in name:
            return None  # a bare top-level name ('jwt', 'models') is only ever an exact match
        if name in self._tails:
            return self._tails[name]
        parts = name.split(".")
        for cut in range(1, len(parts) - 1):
            tail = ".".join(parts[cut:])
            if tail in self.by_name:
                return tail
        return None

    def unreadable_reason(self, qualified: str, depth: int = 0) -> str | None:
        """When a name leads into a project file we could not parse (directly or through
        imports and re-exports), that file and why; None otherwise."""
        if not self.unreadable or not qualified or depth > 6:
            return None
        parts = qualified.split(".")
        for cut in range(len(parts), 0, -1):
            prefix = ".".join(parts[:cut])
            skipped = self.unreadable.get(prefix) or self._unreadable_tail(prefix)
            if skipped is not None:
                return f"{skipped.file} could not be parsed ({skipped.skipped})"
            module = self.find_module(prefix)
            if module is None:
                continue
            imports = self.facts(module).get("imports", {})
            if cut < len(parts) and parts[cut] in imports:
                target = ".".join([imports[parts[cut]], *parts[cut + 1 :]])
                if target != qualified:
                    return self.unreadable_reason(target, depth + 1)
            return None
        return None

    def _unreadable_tail(self, name: str) -> FileResult | None:
        """The one unreadable module whose dotted name ends with `name` (roots differ)."""
        if "." not in name:
            return None
        found = [m for m in self.unreadable if m.endswith("." + name)]
        return self.unreadable[found[0]] if len(found) == 1 else None

    def is_project_name(self, qualified: str) -> bool:
        parts = qualified.split(".")
        return any(self.find_module(".".join(parts[:cut])) for cut in range(len(parts), 0, -1))

    def facts(self, module: str) -> dict[str, Any]:
        return self.by_name[module][1]

    def file(self, module: str) -> str:
        return self.by_name[module][0].file

    def resolve(self, qualified: str, depth: int = 0) -> Symbol | None:
        if not qualified or depth > 6:
            return None
        parts = qualified.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = self.find_module(".".join(parts[:cut]))
            if module is None:
                continue
            symbol = self._lookup(module, parts[cut:], depth)
            if symbol is not None:
                return symbol
        module = self.find_module(qualified)
        if module is not None:
            return Symbol(module, "", "module", self.facts(module), self.file(module))
        return None

    def _lookup(self, module: str, attrs: list[str], depth: int) -> Symbol | None:
        facts = self.facts(module)
        file = self.file(module)
        name = ".".join(attrs)
        functions = facts.get("functions", {})
        if name in functions:
            return Symbol(module, name, "function", functions[name], file)
        head = attrs[0]
        classes = facts.get("classes", {})
        if head in classes:
            if len(attrs) == 1:
                return Symbol(module, head, "class", classes[head], file)
            return Symbol(module, head, "class", classes[head], file)
        aliases = facts.get("aliases", {})
        if head in aliases and len(attrs) == 1:
            return Symbol(module, head, "alias", aliases[head], file)
        objects = facts.get("objects", {})
        if head in objects:
            return Symbol(module, head, "object", objects[head], file)
        imports = facts.get("imports", {})
        if head in imports:
            target = ".".join([imports[head], *attrs[1:]])
            if target != f"{module}.{name}":
                return self.resolve(target, depth + 1)
        if head in functions:
            return Symbol(module, head, "function", functions[head], file)
        return None

    def path_from_parts(self, parts: list[dict[str, str]]) -> str:
        """Join path parts, each name resolved to the project constant it holds; a name we
        cannot resolve stays visible as `{NAME}` rather than dropping the route."""
        text = ""
        for part in parts:
            if "text" in part:
                text += part["text"]
            else:
                value = self.constant(part["ref"])
                text += value if value is not None else "{" + part["ref"].rsplit(".", 1)[-1] + "}"
        return text

    def constant(self, qualified: str) -> str | None:
        """A string constant by qualified name: a module constant, a class attribute, or an
        attribute of a module-level instance (`settings.API_V1_STR` with
        `settings = Settings()` and `API_V1_STR: str = "/api/v1"` in the class)."""
        owner, _, attr = qualified.rpartition(".")
        if not owner:
            return None
        if owner == "django.conf.settings":  # the project's settings modules hold it
            values = [
                facts["constants"][attr]
                for _, facts in self.by_name.values()
                if facts.get("django_settings") and attr in facts.get("constants", {})
            ]
            return values[0] if len(set(values)) == 1 else None
        module = self.find_module(owner)
        if module is not None:
            value = self.facts(module).get("constants", {}).get(attr)
            if isinstance(value, str):
                return value
            imported = self.facts(module).get("imports", {}).get(attr)
            return self.constant(imported) if imported and imported != qualified else None
        symbol = self.resolve(owner)
        if symbol is not None and symbol.kind == "object":
            symbol = self.resolve(str(symbol.fact.get("call", "")))
        if symbol is not None and symbol.kind == "class":
            for cls in self.class_chain(symbol):
                value = cls.fact.get("constants", {}).get(attr)
                if isinstance(value, str):
                    return value
        return None

    def class_chain(self, symbol: Symbol, depth: int = 0) -> list[Symbol]:
        """The class and its project base classes, nearest first."""
        chain = [symbol]
        if depth > 6:
            return chain
        for base in symbol.fact.get("bases", []):
            resolved = self.resolve(base)
            if resolved is not None and resolved.kind == "class" and resolved.key != symbol.key:
                chain.extend(self.class_chain(resolved, depth + 1))
        return chain

    def base_names(self, symbol: Symbol) -> list[str]:
        """Every base class name in the chain, project and external (qualified)."""
        names: list[str] = []
        for cls in self.class_chain(symbol):
            names.extend(cls.fact.get("bases", []))
        return names

    def method(self, class_symbol: Symbol, name: str) -> Symbol | None:
        for cls in self.class_chain(class_symbol):
            functions = self.facts(cls.module).get("functions", {})
            key = f"{cls.name}.{name}"
            if key in functions:
                return Symbol(cls.module, key, "function", functions[key], cls.file)
        return None

    def class_attr(self, class_symbol: Symbol, name: str) -> Any:
        for cls in self.class_chain(class_symbol):
            attrs = cls.fact.get("attrs", {})
            if name in attrs:
                return attrs[name]
        return None
