"""JavaScript/TypeScript detectors: one module per rule id, each defining `DETECTOR`.

A detector refers to its catalog entry (`mcp_backend.review.rules.<id>.RULE`); if an entry is
not installed the detector is skipped with a warning rather than breaking the whole review.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from functools import cache

from mcp_backend.review.javascript.context import JsDetector

logger = logging.getLogger(__name__)


@cache
def all_detectors() -> tuple[JsDetector, ...]:
    detectors: list[JsDetector] = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"{__name__}.{module_info.name}")
        except ImportError as error:
            logger.warning("JavaScript rule %s unavailable: %s", module_info.name, error)
            continue
        detector = getattr(module, "DETECTOR", None)
        if detector is None:
            raise TypeError(f"{module.__name__} must define DETECTOR")
        detectors.append(detector)
    return tuple(detectors)
