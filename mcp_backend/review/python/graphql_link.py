"""GraphQL routes for Python: one RouteDraft per field of the root types (Query, Mutation,
Subscription) of Strawberry, Graphene and Ariadne schemas, protected by what its permission
classes, decorators, body and the helpers it calls do (judged where they are defined).

Root classes are found by name; a root type's fields include those of the classes it
inherits (`class Query(UserQuery, BookQuery)`), each reported where it is written.
"""

from __future__ import annotations

from typing import Any

from mcp_backend.review.facts import GQL_ROOT_TYPES, GqlFileFacts, GqlPyField, GqlResolverClass
from mcp_backend.review.python.frameworks._classify import KNOWN, Caps, Classifier
from mcp_backend.review.python.frameworks._draft import RouteDraft
from mcp_backend.review.python.frameworks._resolve import Modules, Symbol

# Permission classes and decorators of GraphQL libraries: what each gives a field.
# (The classifier's KNOWN table holds graphql_jwt and strawberry_django entries too.)
_HELPER_DEPTH = 2


class GraphqlLinker:
    def __init__(self, modules: Modules, classifier: Classifier) -> None:
        self.modules = modules
        self.classifier = classifier
        self.files: dict[str, tuple[str, str, GqlFileFacts]] = {}
        for result, facts in modules.by_name.values():
            if "graphql" in facts and not result.is_test:
                self.files[str(facts.get("module", ""))] = (
                    result.file,
                    str(facts.get("module", "")),
                    GqlFileFacts.model_validate(facts["graphql"]),
                )

    def servers(self) -> list[dict[str, Any]]:
        limiter = next(
            (f"{file}: {facts.limiter_import}" for file, _, facts in self.files.values()
             if facts.limiter_import),
            None,
        )  # fmt: skip
        out: list[dict[str, Any]] = []
        for file, _, facts in self.files.values():
            for server in facts.servers:
                entry = server.model_dump()
                entry["file"] = file
                if limiter and server.depth_limit == "absent":
                    entry["depth_limit"] = "present"
                    entry["depth_detail"] = f"limiter imported in {limiter}"
                out.append(entry)
        return out

    def drafts(self) -> list[RouteDraft]:
        """Fields of the root types: classes a Schema(...) binds, else those so named."""
        bound: dict[str, str] = {}
        for _, _, facts in self.files.values():
            for qualified, type_name in facts.schema_roots.items():
                symbol = self.modules.resolve(qualified)
                if symbol is not None and symbol.kind == "class":
                    bound[f"{symbol.module}.{symbol.name}"] = type_name
        drafts: list[RouteDraft] = []
        for file, module, facts in self.files.values():
            for cls in facts.resolver_classes:
                root_type = bound.get(f"{module}.{cls.name}")
                if root_type is None and cls.name not in GQL_ROOT_TYPES:
                    continue  # (a base of a root class: read with it)
                root = cls.model_copy(update={"name": root_type or cls.name})
                for where, field in self._fields(file, module, cls):
                    drafts.append(self._draft(where, root, field))
        return drafts

    def _fields(
        self, file: str, module: str, cls: GqlResolverClass
    ) -> list[tuple[str, GqlPyField]]:
        """The class's own fields, then those of its project base classes."""
        found = [(file, f) for f in cls.fields]
        if cls.framework == "ariadne":
            return found
        symbol = self.modules.resolve(f"{module}.{cls.name}")
        if symbol is None or symbol.kind != "class":
            return found
        for base in self.modules.class_chain(symbol)[1:]:
            entry = self.files.get(base.module)
            if entry is None:
                continue
            for other in entry[2].resolver_classes:
                if other.name == base.name:
                    found.extend((entry[0], f) for f in other.fields)
        return found

    def _draft(self, file: str, cls: GqlResolverClass, field: GqlPyField) -> RouteDraft:
        handler = self.modules.resolve(field.handler_ref) if field.handler_ref else None
        fact = handler.fact if handler is not None and handler.kind == "function" else None
        draft = RouteDraft(
            method=GQL_ROOT_TYPES[cls.name],
            path=f"{cls.name}.{field.field}",
            handler=field.handler or field.field,
            file=handler.file if fact is not None and handler is not None else file,
            line=int(fact.get("line", field.line)) if fact is not None else field.line,
            framework=cls.framework,
            handler_fact=fact,
            kind="graphql",
        )
        for name in field.permissions:
            draft.apply(
                self.permission_caps(name),
                "permission_class",
                f"permission_classes {name.rsplit('.', 1)[-1]}",
                file=file,
                line=field.line,
                level="route",
            )
        for name in field.decorators:
            draft.apply(
                self.classifier.classify(name),
                "decorator",
                f"@{name.rsplit('.', 1)[-1]}",
                file=file,
                line=field.line,
                level="route",
                keep_unknown=False,
            )
        if fact is None:
            if field.handler_ref:
                reason = self.modules.unreadable_reason(field.handler_ref)
                draft.unknown_notes.append(
                    f"resolver {field.handler_ref.rsplit('.', 1)[-1]} "
                    + (f"is in {reason}" if reason else "is defined where we cannot read it")
                )
            return draft
        draft.apply_handler(fact, self.classifier, self.modules, framework=cls.framework)
        self._helpers(draft, fact)
        params = {str(p.get("name", "")) for p in fact.get("params", [])}
        if any(
            load.get("param") in params and load.get("orm")
            for load in fact.get("body", {}).get("id_loads", [])
        ):
            draft.loads_by_id = True  # an argument of the field is client-supplied
        return draft

    def _helpers(self, draft: RouteDraft, fact: dict[str, Any]) -> None:
        """`user = require_user(info)`: a project helper that checks the caller."""
        if draft.auth and draft.role:
            return
        for call in fact.get("body", {}).get("calls", [])[:40]:
            callee = self.modules.resolve(call)
            if callee is None or callee.kind != "function":
                continue
            caps = self.classifier.function(callee, _HELPER_DEPTH, by_name=False)
            if caps.auth or caps.role or caps.owner:
                draft.apply(
                    Caps(auth=caps.auth, role=caps.role, owner=caps.owner),
                    "handler_check",
                    f"{callee.name} checks the caller",
                    file=callee.file,
                    line=int(callee.fact.get("line", 1)),
                    level="handler",
                )

    def permission_caps(self, qualified: str) -> Caps:
        """A Strawberry permission class by what its `has_permission` does (it denies when
        that returns False); one from a package by the table of known ones, else unknown."""
        symbol = self.modules.resolve(qualified)
        if symbol is None:
            unreadable = self.modules.unreadable_reason(qualified)
            if unreadable is not None:
                return Caps(unreadable=f"{qualified.rsplit('.', 1)[-1]} is in {unreadable}")
            for suffix, caps in KNOWN:
                if qualified == suffix:
                    result = Caps()
                    for name in caps:
                        setattr(result, name, qualified.rsplit(".", 1)[-1])
                    return result
            return Caps(unknown=qualified)
        if symbol.kind != "class":
            return self.classifier.classify(qualified)
        method = self.modules.method(symbol, "has_permission")
        if method is None:
            return Caps(unknown=f"{symbol.name} defines no has_permission we can read")
        return _has_permission_caps(self.classifier, symbol, method)


def _has_permission_caps(classifier: Classifier, cls: Symbol, method: Symbol) -> Caps:
    caps = classifier.function(method, 1, by_name=False)
    body = method.fact.get("body", {})
    flags = set(body.get("reads_flags", []))
    if flags & {"caller", "auth"} and not caps.auth:
        caps.auth = f"{cls.name}.has_permission reads the caller"
    if "role" in flags and not caps.role:
        caps.role = f"{cls.name}.has_permission checks a role"
    if (caps.role or caps.owner) and not caps.auth:
        caps.auth = caps.role or caps.owner
    return caps
