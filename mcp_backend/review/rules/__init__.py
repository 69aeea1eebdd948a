"""The rule catalog: one module per rule, each defining `RULE: RuleMeta` (id, checklist item,
severity, CWE and its ruff-style doc). Detectors for each language live in python/rules/ and
javascript/rules/ and refer to these by import, so one concept has one id and one doc."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from mcp_backend.review.model import RuleMeta


@cache
def all_rules() -> dict[str, RuleMeta]:
    """Every rule in the catalog by id. Import is lazy: the server pays for it only when asked."""
    rules: dict[str, RuleMeta] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        meta = getattr(module, "RULE", None)
        if not isinstance(meta, RuleMeta):
            raise TypeError(f"{module.__name__} must define RULE = RuleMeta(...)")
        if meta.id in rules:
            raise ValueError(f"duplicate rule id {meta.id!r} in {module.__name__}")
        rules[meta.id] = meta
    return dict(sorted(rules.items()))
