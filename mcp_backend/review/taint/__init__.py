"""Taint engine: request data (sources) to dangerous calls (sinks), across functions and modules.

- `model.py`   language-neutral: sink kinds and their rules, the label algebra, flow results.
- `python.py`  Python front end: one pass per function over its statements, producing a
               per-file *summary* (JSON, cached with the file's FileResult under facts["taint"]).
- `link.py`    project-wide: resolves calls between summaries through imports, computes which
               parameters reach which sinks (transitively) and reports request-data flows.

Findings are made by `findings.py` with the rule ids of each sink category.
"""
