"""One JS/TS file in, one FileResult out: parse once, run every detector, extract facts."""

from __future__ import annotations

import logging
from typing import Any

from mcp_backend.review.discover import is_test_path
from mcp_backend.review.javascript import parser
from mcp_backend.review.javascript.context import JsFileContext
from mcp_backend.review.javascript.frameworks import facts as framework_facts
from mcp_backend.review.javascript.frameworks import graphql, nestjs, nextjs
from mcp_backend.review.model import FileResult, Finding, Language
from mcp_backend.review.rules import javascript_detectors
from mcp_backend.review.rules.cors_wildcard._app import ambient_credentials

logger = logging.getLogger(__name__)

# Bundled or minified code is not a project's source; parsing it costs time for nothing.
MINIFIED_AVERAGE_LINE = 300
MAX_FILE_BYTES = 2_000_000


def analyze_file(file: str, source: str, language: Language) -> FileResult:
    line_count = source.count("\n") + (0 if source.endswith("\n") or not source else 1)
    data = source.encode("utf-8", "surrogatepass")
    if len(data) > MAX_FILE_BYTES:
        return FileResult(file=file, language=language, lines=line_count, skipped="file too large")
    if line_count and len(data) / line_count > MINIFIED_AVERAGE_LINE:
        return FileResult(file=file, language=language, lines=line_count, skipped="minified")
    grammar = parser.grammar_for(file, language)
    tree = parser.parse(data, grammar)
    ctx = JsFileContext(
        file=file,
        language=language,
        grammar=grammar,
        source=data,
        tree=tree,
        is_test=is_test_path(file),
    )
    findings: list[Finding] = []
    for detector in javascript_detectors():
        try:
            findings.extend(detector.check(ctx))
        except Exception:  # one broken rule must not hide the others' findings
            logger.exception("rule %s failed on %s", detector.rule.id, file)
    facts: dict[str, Any] = {}
    try:
        facts = framework_facts.extract_facts(ctx)
        if not ctx.is_test:
            gql = graphql.extract_graphql_facts(ctx, facts.get("imports", {}))
            if gql:
                facts["graphql"] = gql
        if ctx.has(b"@nestjs/", b"@Controller", b"APP_GUARD", b"useGlobal", b"@Resolver"):
            nest = nestjs.extract_nest_facts(ctx)
            if nest:
                facts["nest"] = nest
        if not ctx.is_test and (ambient := ambient_credentials(source)):
            facts["ambient_credentials"] = ambient
        fullstack = None if ctx.is_test else nextjs.extract(ctx, facts.get("imports", {}))
        if fullstack:
            facts["fullstack"] = fullstack
        if ctx.is_test:
            paths = framework_facts.test_paths(ctx)
            if paths:
                facts["test_paths"] = paths
            calls = nextjs.test_procedure_calls(ctx)
            if calls:
                facts["procedure_calls"] = calls
            fields = graphql.test_fields(ctx)
            if fields:
                facts["graphql_test_fields"] = fields
    except Exception:
        logger.exception("fact extraction failed on %s", file)
    # declaration files (.d.ts) hold types only: no function body to summarise
    if not ctx.is_test and not ctx.runs_offline and not file.endswith((".d.ts", ".d.mts")):
        try:
            from mcp_backend.review.taint.javascript import summarize_module

            facts["taint"] = summarize_module(ctx, facts)
        except Exception:
            logger.exception("taint summary failed on %s", file)
    findings.sort(key=lambda f: (f.line, f.column, f.rule_id))
    return FileResult(
        file=file,
        language=language,
        lines=line_count,
        findings=findings,
        signals=ctx.signals,
        facts=facts,
        is_test=ctx.is_test,
    )
