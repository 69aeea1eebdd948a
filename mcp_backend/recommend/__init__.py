"""recommend_stack's engine: clarify first, then a reasoned, conflict-free backend stack.

Names are imported on first access: the MCP server needs only the models at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcp_backend.recommend.clarify import (
        apply_answers as apply_answers,
    )
    from mcp_backend.recommend.clarify import (
        elicitation_message as elicitation_message,
    )
    from mcp_backend.recommend.clarify import (
        elicitation_model as elicitation_model,
    )
    from mcp_backend.recommend.clarify import (
        missing_aspects as missing_aspects,
    )
    from mcp_backend.recommend.engine import (
        recommend as recommend,
    )
    from mcp_backend.recommend.models import (
        API_STYLES as API_STYLES,
    )
    from mcp_backend.recommend.models import (
        AUTH_NEEDS as AUTH_NEEDS,
    )
    from mcp_backend.recommend.models import (
        CLIENTS as CLIENTS,
    )
    from mcp_backend.recommend.models import (
        DATA_NEEDS as DATA_NEEDS,
    )
    from mcp_backend.recommend.models import (
        DATABASES as DATABASES,
    )
    from mcp_backend.recommend.models import (
        DEPLOYMENTS as DEPLOYMENTS,
    )
    from mcp_backend.recommend.models import (
        FRAMEWORKS as FRAMEWORKS,
    )
    from mcp_backend.recommend.models import (
        RUNTIMES as RUNTIMES,
    )
    from mcp_backend.recommend.models import (
        SCENARIOS as SCENARIOS,
    )
    from mcp_backend.recommend.models import (
        ClarifyQuestion as ClarifyQuestion,
    )
    from mcp_backend.recommend.models import (
        Recommendation as Recommendation,
    )
    from mcp_backend.recommend.models import (
        Requirements as Requirements,
    )
    from mcp_backend.recommend.models import (
        existing_stack_ids as existing_stack_ids,
    )
    from mcp_backend.recommend.render import (
        render_markdown as render_markdown,
    )

_HOME = {
    "apply_answers": "clarify",
    "elicitation_message": "clarify",
    "elicitation_model": "clarify",
    "missing_aspects": "clarify",
    "recommend": "engine",
    "API_STYLES": "models",
    "AUTH_NEEDS": "models",
    "CLIENTS": "models",
    "DATA_NEEDS": "models",
    "DATABASES": "models",
    "DEPLOYMENTS": "models",
    "FRAMEWORKS": "models",
    "RUNTIMES": "models",
    "SCENARIOS": "models",
    "ClarifyQuestion": "models",
    "Recommendation": "models",
    "Requirements": "models",
    "existing_stack_ids": "models",
    "render_markdown": "render",
}

__all__ = [
    "API_STYLES",
    "AUTH_NEEDS",
    "CLIENTS",
    "DATABASES",
    "DATA_NEEDS",
    "DEPLOYMENTS",
    "FRAMEWORKS",
    "RUNTIMES",
    "SCENARIOS",
    "ClarifyQuestion",
    "Recommendation",
    "Requirements",
    "apply_answers",
    "elicitation_message",
    "elicitation_model",
    "existing_stack_ids",
    "missing_aspects",
    "recommend",
    "render_markdown",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
