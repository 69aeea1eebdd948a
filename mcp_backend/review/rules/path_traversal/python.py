"""path-traversal: files opened, served or removed by a path from the request."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from mcp_backend.review.model import Finding
from mcp_backend.review.python import astutil as au
from mcp_backend.review.python.context import PythonFileContext
from mcp_backend.review.rules.path_traversal import RULE

_PATH_FUNCTIONS = {
    "open": "open",
    "io.open": "open",
    "aiofiles.open": "aiofiles.open",
    "os.remove": "os.remove",
    "os.unlink": "os.unlink",
    "os.rmdir": "os.rmdir",
    "os.listdir": "os.listdir",
    "shutil.rmtree": "shutil.rmtree",
    "shutil.copy": "shutil.copy",
    "shutil.copyfile": "shutil.copyfile",
    "shutil.move": "shutil.move",
    "flask.send_file": "send_file",
    "flask.helpers.send_file": "send_file",
    "quart.send_file": "send_file",
    "fastapi.responses.FileResponse": "FileResponse",
    "starlette.responses.FileResponse": "FileResponse",
    "django.http.FileResponse": "FileResponse",
    "aiohttp.web.FileResponse": "FileResponse",
}
_PATH_METHODS = {
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "open",
    "unlink",
    "rmdir",
    "iterdir",
}
_SANITIZING = re.compile(
    r"secure_filename|safe_join|basename|\.name\b|\.stem\b|\.suffix\b|uuid|token_hex|token_urlsafe"
)
_CONTAINMENT_CHECK = re.compile(
    r"is_relative_to|relative_to\(|commonpath|startswith\(|safe_join|send_from_directory"
)
# A helper that checks a path stays inside a directory, by what its name says it checks:
# `validate_inside_directory(root, p)`, `ensure_within_base(...)`, `is_path_within(...)`.
_CONTAINMENT_HELPER = re.compile(r"\w*(inside|within)_?(dir|directory|root|base|folder)\w*\(")
_FIX = (
    "Reduce the value to a file name (werkzeug secure_filename, os.path.basename) or resolve the "
    "full path and check it stays inside the base directory (path.resolve().is_relative_to(base)); "
    "Flask's send_from_directory does this for you."
)


# Calls whose result is still the (joined, normalised) path text they were given.
_PATH_BUILDERS = {
    "join",
    "joinpath",
    "normpath",
    "abspath",
    "expanduser",
    "Path",
    "PurePath",
    "PosixPath",
    "str",
    "format",
    "open",
    "strip",
    "lower",
    "get",
    "getlist",
    "replace",
}


def _path_from_request(flow: au.ScopeFlow, node: ast.AST, depth: int = 0) -> bool:
    """The expression is path text taken from the request: request data itself, a client
    parameter of the route, or strings and paths joined from them. Unlike general taint, a
    value returned by some other function (a generated export, a database record) is not."""
    if depth > 6 or isinstance(node, ast.Constant):
        return False
    if au.is_request_access(node):
        return True
    if isinstance(node, ast.Name):
        if node.id in flow.scalar_params and not flow.bindings.get(node.id):
            return False
        bindings = flow.values_of(node.id, getattr(node, "lineno", 10**9))
        if bindings:
            return any(_path_from_request(flow, b.value, depth + 1) for b in bindings)
        return node.id in flow.request_params
    if isinstance(node, ast.Attribute | ast.Subscript | ast.Starred | ast.Await):
        return _path_from_request(flow, node.value, depth + 1)
    if isinstance(node, ast.Call):
        if au.call_method(node) not in _PATH_BUILDERS:
            return False
        parts: list[ast.AST] = [*node.args]
        if isinstance(node.func, ast.Attribute):
            parts.append(node.func.value)
        return any(_path_from_request(flow, p, depth + 1) for p in parts)
    if isinstance(node, ast.JoinedStr):
        return any(
            _path_from_request(flow, v.value, depth + 1)
            for v in node.values
            if isinstance(v, ast.FormattedValue)
        )
    if isinstance(node, ast.BinOp):
        return _path_from_request(flow, node.left, depth + 1) or _path_from_request(
            flow, node.right, depth + 1
        )
    return False


class PathTraversal:
    rule = RULE

    def check(self, ctx: PythonFileContext) -> Iterator[Finding]:
        if ctx.is_test:
            return
        info = au.module_info(ctx.tree)
        for func in au.iter_functions(ctx.tree):
            flow = au.scope_flow(ctx.tree, func)
            findings: dict[int, Finding] = {}  # FileResponse(open(path)) is one problem
            for node in au.walk_scope(func):
                if isinstance(node, ast.Call):
                    finding = self._check_call(ctx, info, flow, node)
                    if finding is not None:
                        findings.setdefault(finding.line, finding)
            if findings and not self._checks_containment(func):
                yield from findings.values()

    def _checks_containment(self, func: au.FunctionNode) -> bool:
        """The handler resolves the path and checks it stays inside a base directory."""
        source = ast.unparse(func)
        if _CONTAINMENT_HELPER.search(source):
            return True
        return bool(_CONTAINMENT_CHECK.search(source)) and (
            "resolve" in source or "realpath" in source or "abspath" in source
        )

    def _check_call(
        self, ctx: PythonFileContext, info: au.ModuleInfo, flow: au.ScopeFlow, call: ast.Call
    ) -> Finding | None:
        qualified = info.qualify(call.func) or ""
        sink = _PATH_FUNCTIONS.get(qualified)
        if qualified == "open" and "open" in info.imports:
            sink = None
        path: ast.expr | None = None
        if sink is not None:
            path = au.argument(call, 0, "path") or au.keyword(call, "file")
        elif qualified in {"flask.send_from_directory", "flask.helpers.send_from_directory"}:
            sink, path = "send_from_directory (directory argument)", au.argument(call, 0)
        elif isinstance(call.func, ast.Attribute) and call.func.attr in _PATH_METHODS:
            receiver = call.func.value
            if self._is_path_object(info, flow, receiver):
                sink, path = f"Path.{call.func.attr}", receiver
        if sink is None or path is None:
            return None
        if _SANITIZING.search(self._expanded_text(flow, path)):
            return None
        if not _path_from_request(flow, path):
            return None
        return ctx.finding(
            RULE,
            call,
            f"{sink}() uses a path built from request data ({ast.unparse(path)[:50]}): "
            "'../' walks out of the intended directory",
            fix=_FIX,
        )

    def _is_path_object(self, info: au.ModuleInfo, flow: au.ScopeFlow, node: ast.AST) -> bool:
        """Path(...), BASE / name, or a local bound to one of those."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return True
        if isinstance(node, ast.Call):
            qualified = info.qualify(node.func) or ""
            return qualified in {"pathlib.Path", "pathlib.PurePath", "anyio.Path"}
        if isinstance(node, ast.Name):
            return any(
                self._is_path_object(info, flow, b.value)
                for b in flow.values_of(node.id, getattr(node, "lineno", 10**9))
            )
        return False

    def _expanded_text(self, flow: au.ScopeFlow, node: ast.AST) -> str:
        """Source of the expression plus what its local names were bound to (a few steps)."""
        parts = [ast.unparse(node)]
        seen: set[str] = set()
        frontier: list[ast.AST] = [node]
        for _ in range(3):
            next_frontier: list[ast.AST] = []
            for current in frontier:
                for sub in ast.walk(current):
                    if isinstance(sub, ast.Name) and sub.id not in seen:
                        seen.add(sub.id)
                        for binding in flow.values_of(sub.id, getattr(sub, "lineno", 10**9)):
                            parts.append(ast.unparse(binding.value))
                            next_frontier.append(binding.value)
            frontier = next_frontier
        return " ".join(parts)


DETECTOR = PathTraversal()
