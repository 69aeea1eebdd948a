"""unsafe-deserialization: pickle, marshal and unsafe YAML loading."""

from __future__ import annotations

from collections.abc import Iterator

from mcp_backend.review.model import Finding
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.unsafe_deserialization import RULE

_CODE_RUNNING_LOADERS = {
    "pickle.loads": "pickle",
    "pickle.load": "pickle",
    "pickle.Unpickler": "pickle",
    "cPickle.loads": "pickle",
    "cPickle.load": "pickle",
    "_pickle.loads": "pickle",
    "dill.loads": "dill",
    "dill.load": "dill",
    "cloudpickle.loads": "cloudpickle",
    "jsonpickle.decode": "jsonpickle",
    "pandas.read_pickle": "pandas.read_pickle",
    "marshal.loads": "marshal",
    "marshal.load": "marshal",
    "shelve.open": "shelve",
    "yaml.unsafe_load": "yaml.unsafe_load",
    "yaml.unsafe_load_all": "yaml.unsafe_load_all",
}
_YAML_LOADS = {"yaml.load", "yaml.load_all"}
# FullLoader has refused to build arbitrary Python objects since PyYAML 5.4 (CVE-2020-14343).
_SAFE_LOADERS = ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader", "FullLoader")
_FIX = (
    "Exchange data as JSON validated by a schema (pydantic), use yaml.safe_load, and never "
    "unpickle bytes that crossed a trust boundary (requests, cookies, caches, queues)."
)


class UnsafeDeserialization:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        lowered = ctx.source.lower()
        if not any(w in lowered for w in ("pickle", "yaml", "marshal", "shelve", "dill")):
            return  # cheap pre-check: nothing this rule looks for appears in the file
        if ctx.is_test or ctx.runs_offline:
            return  # a migration or command reading the app's own stored data
        info = au.module_info(ctx.tree)
        for scope in au.iter_scopes(ctx.tree):
            for node in au.scope_calls(scope):
                qualified = info.qualify(node.func) or ""
                head = (au.dotted_name(node.func) or "").split(".", 1)[0]
                if head not in info.imports:
                    continue  # `yaml = YAML()` (ruamel, safe by default), a local `pickle` object
                what = _CODE_RUNNING_LOADERS.get(qualified)
                if what is None and qualified in _YAML_LOADS:
                    loader = au.argument(node, 1, "Loader")
                    loader_name = (info.qualify(loader) or "") if loader is not None else ""
                    if loader_name.endswith(_SAFE_LOADERS):
                        ctx.signal("injection", "yaml.load with a safe loader", node)
                        continue
                    what = f"{qualified} without SafeLoader"
                if qualified in {"yaml.safe_load", "yaml.safe_load_all"}:
                    ctx.signal("injection", "yaml.safe_load", node)
                if what is None:
                    continue
                flow = au.scope_flow(ctx.tree, scope)
                data = au.argument(node, 0)
                taint = au.taint_of(flow, data) if data is not None else au.Taint.LOCAL
                # Only request data is known to cross a trust boundary; a parameter or a local
                # value may well be the app's own files (plugins, caches, migrations).
                severity = au.severity_for(taint, request="critical", param="medium", local="low")
                yield ctx.finding(
                    RULE,
                    node,
                    f"{what} on {au.TAINT_WORDS[taint]}: deserializing it can run arbitrary code",
                    severity=severity,
                    fix=_FIX,
                )


DETECTOR = UnsafeDeserialization()
