"""tree-sitter wrapper: one Language, Parser and compiled Query per grammar per process.

tree-sitter 0.26 removed `Language.query`; queries are built with `Query(language, text)` and run
with a `QueryCursor`. Everything here is cached because building them costs milliseconds.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import tree_sitter
import tree_sitter_javascript
import tree_sitter_typescript

Grammar = Literal["javascript", "typescript", "tsx"]

# Calls and constructions: nearly every rule starts from one of these.
CALLS_QUERY = "[(call_expression) (new_expression)] @call"
# Functions, for handler detection and per-function facts.
FUNCTIONS_QUERY = """
[(function_declaration) (function_expression) (arrow_function) (method_definition)
 (generator_function_declaration)] @function
"""
# Everything the detectors and the fact extractor look up, in one pass over the tree: a query
# costs a walk of the whole tree (about 0.4x the parse) however few patterns it has, so one
# query with many patterns is much cheaper than several small ones.
# - call: every call and `new`; name: the callee's last segment (`b` of `a.b()`, `require`),
#   from which the detectors' by-name index is built without decoding every callee;
#   tsc and Babel call an import as `(0, module_1.name)(...)`: its name is `name` too;
# - function: every function; binding: declarations and assignments (request-data taint).
INDEX_QUERY = f"""
{CALLS_QUERY}
(call_expression function: [(identifier) @name (import) @name
                            (member_expression property: (_) @name)])
(call_expression function: (parenthesized_expression (sequence_expression (number)
                 [(identifier) @name (member_expression property: (_) @name)])))
(new_expression constructor: [(identifier) @name (member_expression property: (_) @name)])
{FUNCTIONS_QUERY}
[(variable_declarator) (assignment_expression) (for_in_statement)] @binding
[(class_declaration) (class)] @class
"""


def grammar_for(file: str, language: str) -> Grammar:
    """TSX grammar for .tsx, TypeScript for other TS files, JavaScript (which has JSX) otherwise."""
    if file.endswith(".tsx"):
        return "tsx"
    if language == "typescript" or file.endswith((".ts", ".mts", ".cts")):
        return "typescript"
    return "javascript"


@cache
def language_of(grammar: Grammar) -> tree_sitter.Language:
    if grammar == "javascript":
        return tree_sitter.Language(tree_sitter_javascript.language())
    if grammar == "tsx":
        return tree_sitter.Language(tree_sitter_typescript.language_tsx())
    return tree_sitter.Language(tree_sitter_typescript.language_typescript())


@cache
def parser_for(grammar: Grammar) -> tree_sitter.Parser:
    return tree_sitter.Parser(language_of(grammar))


@cache
def query_for(grammar: Grammar, text: str) -> tree_sitter.Query:
    return tree_sitter.Query(language_of(grammar), text)


def parse(source: bytes, grammar: Grammar) -> tree_sitter.Tree:
    return parser_for(grammar).parse(source)


def index_captures(grammar: Grammar, root: tree_sitter.Node) -> dict[str, list[tree_sitter.Node]]:
    """INDEX_QUERY's captures by name, each list in tree-sitter's order (by start)."""
    return tree_sitter.QueryCursor(query_for(grammar, INDEX_QUERY)).captures(root)


def capture_nodes(
    grammar: Grammar, query_text: str, node: tree_sitter.Node, name: str
) -> list[tree_sitter.Node]:
    """All nodes captured as `name` under `node`, in the order they run: by start, and of
    nested nodes that start together the inner first (`app.use(a).get(p, h)` registers `use`
    first). Ties broken only by start came back in varying order from one parse to the next."""
    cursor = tree_sitter.QueryCursor(query_for(grammar, query_text))
    nodes = cursor.captures(node).get(name, [])
    nodes.sort(key=lambda n: (n.start_byte, n.end_byte))
    return nodes
