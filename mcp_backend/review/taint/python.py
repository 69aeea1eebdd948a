"""Python front end of the taint engine: one file in, its function summaries out.

Each function is interpreted once, statement by statement, over an environment name -> labels
(see model.py). Branches are joined, a branch on a constant condition is decided, a value
overwritten with a constant is clean, and a guard that returns/raises/aborts unless the value
is in an allow-list (or contained in a base directory, or validated) cleans it after the guard.
Calls into functions we cannot see from this file become `C...` labels resolved by link.py.

The summary of a function (JSON) is:
  {"line", "handler", "by_shape"?, "params": [...], "ret": [labels],
   "sinks": [[kind, line, col, end_line, what, [labels], snippet]],
   "calls": [[callee, arg, line, [labels]]]}
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Collection
from typing import Any

from mcp_backend.review.python import astutil as au
from mcp_backend.review.taint import model as m

Labels = frozenset[str]
EMPTY: Labels = frozenset()

# Request accessors beyond astutil's (request.url is what SSTI demos format into a template).
_EXTRA_REQUEST_ATTRS = {"url", "full_path", "path", "referrer", "base_url", "url_root", "host_url"}
_SCALAR_WORDS = {"Literal", "IntEnum", "StrEnum"}
_CONST_LABELS = {"H", "S"}
_ID_ATTRS = {"id", "pk", "uuid", "rowid"}
_QUERY_PART = frozenset({"redirect", "ssrf"})  # markup / text built here (see model.py)
_VALIDATED_FOR = frozenset({m.REDIRECT, m.SSRF, m.PATH, m.CODE, m.SSTI})
_ROUTED_ATTRS = {"path", "base_url", "url_root", "host_url"}
_URL_ONLY_FOR = frozenset({m.REDIRECT, m.SSRF, m.PATH, m.SQL, m.CMD, m.DESER})

# Calls whose result carries none of its arguments' text.
_CLEANING_CALLS = {
    "int",
    "float",
    "bool",
    "len",
    "abs",
    "round",
    "hash",
    "id",
    "isinstance",
    "callable",
    "UUID",
    "uuid.UUID",
    "uuid4",
    "uuid.uuid4",
    "Decimal",
    "ord",
    "max",
    "min",
    "sum",
    "url_for",
    "reverse",
    "reverse_lazy",
    "resolve_url",
    "jsonify",
    "json.dumps",
    "dumps",
    "escape_string",
    "quote_ident",
    "Identifier",
    "Literal",
    "hexdigest",
    "token_hex",
    "token_urlsafe",
    "get_object_or_404",
    "get_list_or_404",
    # what the server signed itself and verifies on the way back (a state parameter)
    "django.core.signing.loads",
    "signing.loads",
    "aget_object_or_404",  # Django's async forms of the same
    "aget_list_or_404",
    "aget_or_create",
    "aupdate_or_create",
    "exists",
    "isfile",
    "isdir",
    "render_template",
    "render",
    "TemplateResponse",
    "JSONResponse",
    "JsonResponse",
    "Response",
    "count",
    "sorted_keys",
    "datetime",
    "date",
    "fromisoformat",
    "strptime",
    "check_password_hash",
    "check_password",
    "verify",
    "compare_digest",
    "type",
    "save",
    "get_or_create",
    "update_or_create",
    "get_absolute_url",
}
_ENUM_BASES = ("Enum", "IntEnum", "StrEnum", "IntFlag", "Flag")
# Calls that sanitise for some sink kinds only.
_KIND_SANITIZERS: dict[str, frozenset[str]] = {
    "secure_filename": frozenset({m.PATH}),
    "safe_join": frozenset({m.PATH}),
    "basename": frozenset({m.PATH}),
    "quote": frozenset({m.CMD}),  # shlex.quote / pipes.quote
    "join_argv": frozenset({m.CMD}),
    "escape": frozenset({m.XSS, m.SSTI}),  # html.escape / markupsafe.escape / django escape
    "conditional_escape": frozenset({m.XSS}),
    "clean": frozenset({m.XSS}),  # bleach.clean
    "urlencode": frozenset({m.XSS, m.PATH, m.CMD}),
    "quote_plus": frozenset({m.XSS, m.PATH, m.CMD, m.REDIRECT}),
}
_URLLIB_QUOTE = {"urllib.parse.quote", "parse.quote", "urllib.quote"}
# Methods that return (part of) their receiver's text or of their arguments'.
_STRING_METHODS = {
    "format",
    "join",
    "replace",
    "strip",
    "lstrip",
    "rstrip",
    "lower",
    "upper",
    "title",
    "capitalize",
    "casefold",
    "encode",
    "decode",
    "split",
    "rsplit",
    "splitlines",
    "partition",
    "rpartition",
    "get",
    "getlist",
    "pop",
    "values",
    "items",
    "keys",
    "copy",
    "dict",
    "to_dict",
    "format_map",
    "removeprefix",
    "removesuffix",
    "zfill",
    "center",
    "ljust",
    "rjust",
    "read",
    "readlines",
    "readline",
    "model_dump",
    "dump",
    "json",
    "text",
    "body",
    "getvalue",
    "expandtabs",
    "translate",
    "urljoin",
    "unquote",
    "unquote_plus",
}
_ARGS_FLOW = {"format", "format_map", "join", "replace", "urljoin", "center", "ljust", "rjust"}
# Method calls that put their argument into the receiver.
_MUTATORS = {"append", "extend", "insert", "add", "update", "setdefault", "appendleft"}
# Method receivers whose calls are ORM lookups: the result is a row, not the client's text.
_ORM_HINTS = (".objects", ".query", "session.", "db.")

# pandas.read_sql is called on a connection-like receiver as well as the module
_EXECUTE_METHODS = au.SQL_EXECUTE_METHODS | {"read_sql", "read_sql_query"}
_RAW_SQL_FUNCS = {
    "sqlalchemy.text",
    "sqlalchemy.sql.text",
    "sqlalchemy.sql.expression.text",
    "sqlmodel.text",
    "sqlalchemy.literal_column",
    "django.db.models.expressions.RawSQL",
    "django.db.models.RawSQL",
    "pandas.read_sql",
    "pandas.read_sql_query",
}
_SHELL_ALWAYS = {
    "os.system",
    "os.popen",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "commands.getoutput",
    "asyncio.create_subprocess_shell",
    "os.popen2",
    "os.popen3",
}
_SUBPROCESS = {
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
}
_EXEC_ARGV = {
    "os.execv",
    "os.execvp",
    "os.execl",
    "os.execlp",
    "os.spawnv",
    "os.spawnl",
    "asyncio.create_subprocess_exec",
}
_CODE_FUNCS = {"eval", "exec", "compile", "builtins.eval", "builtins.exec"}
_SSTI_FUNCS = {
    "flask.render_template_string",
    "render_template_string",
    "quart.render_template_string",
    "jinja2.Template",
    "mako.template.Template",
    "django.template.Template",
    "jinja2.Environment.from_string",
    "Environment.from_string",
}
_PATH_FUNCS = {
    "open",
    "io.open",
    "codecs.open",
    "aiofiles.open",
    "os.remove",
    "os.unlink",
    "os.rmdir",
    "os.removedirs",
    "os.listdir",
    "os.scandir",
    "os.makedirs",
    "os.mkdir",
    "os.rename",
    "os.replace",
    "os.chmod",
    "shutil.rmtree",
    "shutil.copy",
    "shutil.copyfile",
    "shutil.copy2",
    "shutil.move",
    "shutil.copytree",
    "flask.send_file",
    "send_file",
    "fastapi.responses.FileResponse",
    "starlette.responses.FileResponse",
    "FileResponse",
    "django.http.FileResponse",
    "aiohttp.web.FileResponse",
    "web.FileResponse",
    "quart.send_file",
    "os.path.getsize",
    "tarfile.open",
    "zipfile.ZipFile",
}
_PATH_METHODS = {
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "unlink",
    "rmdir",
    "open",
    "iterdir",
    "rename",
    "touch",
    "mkdir",
}
_REDIRECT_FUNCS = {
    "flask.redirect",
    "redirect",
    "quart.redirect",
    "django.shortcuts.redirect",
    "django.http.HttpResponseRedirect",
    "HttpResponseRedirect",
    "django.http.HttpResponsePermanentRedirect",
    "HttpResponsePermanentRedirect",
    "fastapi.responses.RedirectResponse",
    "starlette.responses.RedirectResponse",
    "RedirectResponse",
    "aiohttp.web.HTTPFound",
    "web.HTTPFound",
    "web.HTTPSeeOther",
    "aiohttp.web.HTTPSeeOther",
    "werkzeug.utils.redirect",
}
_HTTP_VERBS = {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"}
_SSRF_ROOTS = ("requests.", "httpx.", "urllib3.", "aiohttp.")
_HTTP_CLIENTS = {
    "httpx.Client",
    "httpx.AsyncClient",
    "requests.Session",
    "requests.session",
    "aiohttp.ClientSession",
    "urllib3.PoolManager",
}
_SSRF_FUNCS = {
    "urllib.request.urlopen",
    "urlopen",
    "urllib.request.Request",
    "urllib.urlopen",
    "urllib2.urlopen",
    "request.urlopen",
}
_DESER_FUNCS = {
    "pickle.loads",
    "pickle.load",
    "cPickle.loads",
    "_pickle.loads",
    "dill.loads",
    "dill.load",
    "cloudpickle.loads",
    "jsonpickle.decode",
    "marshal.loads",
    "marshal.load",
    "yaml.unsafe_load",
    "yaml.unsafe_load_all",
    "pandas.read_pickle",
    "shelve.open",
    "pickle.Unpickler",
}
_YAML_LOAD = {"yaml.load", "yaml.load_all"}
_SAFE_LOADERS = ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader", "FullLoader")
_HTML_FUNCS = {
    "fastapi.responses.HTMLResponse",
    "starlette.responses.HTMLResponse",
    "HTMLResponse",
}
_HTML_IF_MARKUP = {
    "flask.make_response",
    "make_response",
    "flask.Response",
    "werkzeug.Response",
    "django.http.HttpResponse",
    "HttpResponse",
    "quart.make_response",
    "flask.Markup",
    "markupsafe.Markup",
    "Markup",
    "django.utils.safestring.mark_safe",
    "mark_safe",
    "aiohttp.web.Response",
    "web.Response",
}
_TERMINATORS = {"abort", "flask.abort", "sys.exit", "exit", "raise_for_status"}
_GUARD_WORDS = re.compile(
    r"(safe|allowed|valid|whitelist|allowlist|permitted|trusted|inside|within|contain)", re.I
)
_VALIDATOR_NAME = re.compile(r"^_?(validate|check|ensure|assert|verify|sanitize)", re.I)
_HTML_TEXT = re.compile(r"<\s*/?\s*[a-zA-Z!]")
# Calls that answer a path of this app (its URL map), never another host.
_APP_URL_CALLS = frozenset({"reverse", "url_for", "reverse_lazy", "resolve_url"})
_FIXED_HOST = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#{}]+[/?#]")
_FIXED_LOCAL = re.compile(r"^/[^/\\]")


def _const_prefix(node: ast.expr, app_urls: Collection[str] = ()) -> str | None:
    """The constant text a string build starts with: f"/x/{a}", "/x/" + a, "/x/%s" % a.
    `app_urls` are local names bound to a URL of this app (`url = reverse("export")`)."""

    def app_url(value: ast.expr | None) -> bool:
        if isinstance(value, ast.Name):
            return value.id in app_urls
        return isinstance(value, ast.Call) and au.call_method(value) in _APP_URL_CALLS

    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
        if isinstance(first, ast.FormattedValue) and app_url(first.value):
            return "/app-url/"  # f"{reverse('repositories')}?{urlencode(q)}": a URL of this app
        if (
            isinstance(first, ast.FormattedValue)
            and _is_url_constant(first.value)
            and len(node.values) > 1
            and isinstance(node.values[1], ast.Constant)
            and str(node.values[1].value).startswith("/")
        ):
            return "https://configured.host/"  # f"{API_BASE}/items/{x}"
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        left = node.left
        while isinstance(left, ast.BinOp) and isinstance(left.op, ast.Add):
            left = left.left
        if isinstance(left, ast.Constant) and isinstance(left.value, str):
            return left.value
        if app_url(left):
            return "/app-url/"  # reverse("export") + "?" + query
        if _is_url_constant(left):
            return "https://configured.host/"  # KOBO_API_URL + "/path/": a fixed base URL
        return None
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
    ):
        text = node.func.value.value
        first_arg: ast.expr | None = node.args[0] if node.args else None
        if text.startswith(("{}", "{0}")) and app_url(first_arg):
            return "/app-url/"  # "{}?x={}".format(reverse(...), ...): a URL of this app
        return text.split("{", 1)[0]
    return None


def _prefix_marks(
    node: ast.expr, host_clean: bool = False, app_urls: Collection[str] = ()
) -> frozenset[str]:
    if host_clean:
        return frozenset({m.REDIRECT, m.SSRF})
    prefix = _const_prefix(node, app_urls)
    if prefix is None:
        return frozenset()
    if _FIXED_HOST.match(prefix):
        return frozenset({m.REDIRECT, m.SSRF})
    if _FIXED_LOCAL.match(prefix):
        return frozenset({m.REDIRECT, m.SSRF})  # a path under a fixed directory may still climb
    return frozenset()


def _is_url_constant(node: ast.expr) -> bool:
    """An UPPER_CASE module constant or setting naming a base URL (`API_URL`, `KOBO_HOST`)."""
    name = au.terminal_name(node) or ""
    return au.is_upper_constant_name(name) and any(
        word in name for word in ("URL", "HOST", "ENDPOINT", "BASE", "API")
    )


_LIBRARIES = frozenset(sys.stdlib_module_names) | {
    "flask",
    "werkzeug",
    "django",
    "rest_framework",
    "fastapi",
    "starlette",
    "aiohttp",
    "sqlalchemy",
    "sqlmodel",
    "pydantic",
    "requests",
    "httpx",
    "jinja2",
    "markupsafe",
    "yaml",
    "quart",
    "psycopg2",
    "psycopg",
    "asyncpg",
    "pymongo",
    "redis",
    "celery",
    "boto3",
}


_ANNOTATION_WRAPPERS = {
    "Annotated",
    "Optional",
    "Union",
    "None",
    "Query",
    "Path",
    "Body",
    "Form",
    "Field",
    "Header",
    "Cookie",
}


def _type_names(annotation: ast.expr | None) -> list[str]:
    """The dotted type names an annotation is made of: `Optional[Theme]` -> Optional, Theme;
    `Annotated[Theme, Query(...)]` -> Annotated, Theme (metadata and defaults are not types)."""
    if annotation is None or isinstance(annotation, ast.Constant | ast.Call):
        return []
    if isinstance(annotation, ast.Name | ast.Attribute):
        name = au.dotted_name(annotation)
        return [name] if name else []
    if isinstance(annotation, ast.Subscript):
        outer = _type_names(annotation.value)
        inner = annotation.slice
        elements = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
        if outer and outer[0].endswith("Annotated"):
            elements = elements[:1]
        return outer + [n for e in elements for n in _type_names(e)]
    if isinstance(annotation, ast.BinOp):  # Theme | None
        return _type_names(annotation.left) + _type_names(annotation.right)
    return []


def _names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


# A record looked up by a value: `db.query(M).filter(M.id == v).first()`, `session.get(M, v)`,
# `M.objects.filter(pk=v).first()`, `db.scalar(select(M).where(M.id == v))`.
_LOOKUP_FILTERS = frozenset({"filter", "filter_by", "where", "get", "get_or_none"})
_LOOKUP_ENDS = frozenset(
    {"first", "one", "one_or_none", "get", "get_or_none", "scalar", "scalar_one_or_none"}
)


def _lookup_keys(call: ast.Call) -> set[str]:
    """The names a query looks a record up by. Once the code refuses to go on without the record
    (`if not row: raise`), each of them equals a value the application stored itself: a path
    built from it points where the application put that record's files."""
    if au.call_method(call) not in _LOOKUP_ENDS:
        return set()
    keys: set[str] = set()
    filtered = False
    pending: list[ast.expr] = [call]
    while pending:
        node = pending.pop()
        if not isinstance(node, ast.Call):
            continue
        if au.call_method(node) in _LOOKUP_FILTERS:
            filtered = True
            for arg in node.args:
                if (
                    isinstance(arg, ast.Compare)
                    and len(arg.ops) == 1
                    and isinstance(arg.ops[0], ast.Eq)
                ):
                    keys.update(
                        side.id
                        for side in (arg.left, arg.comparators[0])
                        if isinstance(side, ast.Name)
                    )
                elif isinstance(arg, ast.Name):
                    keys.add(arg.id)
            keys.update(kw.value.id for kw in node.keywords if isinstance(kw.value, ast.Name))
        if isinstance(node.func, ast.Attribute):
            pending.append(node.func.value)
        pending.extend(arg for arg in node.args if isinstance(arg, ast.Call))
    return keys if filtered else set()


def _external(qualified: str) -> bool:
    """A name imported from the standard library or a well-known package: never the project's,
    so calls to it need no link-time resolution."""
    return qualified.split(".", 1)[0] in _LIBRARIES


def _may_carry(label: str) -> bool:
    """Whether a label passed to a call can resolve to request data or a parameter (what the
    linker follows along call edges); `Cf#-:-` and the markup/text marks cannot."""
    core = m.marks_of(label)[1]
    return "R@" in core or core.startswith("P") or ":P" in core


def _ends_in_query(node: ast.expr) -> bool:
    """`url + "?"` / `url + "?a=1&b="`: what is added next is part of the query string."""
    return (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Add)
        and isinstance(node.right, ast.Constant)
        and isinstance(node.right.value, str)
        and "?" in node.right.value
    )


def _text_labels(node: ast.expr) -> set[str]:
    """'S' when constant text is part of the value being built, 'H' when that text is markup."""
    out: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str) and child.value:
            out.add("S")
            if _HTML_TEXT.search(child.value):
                out.add("H")
                break
    return out


def _has_markup(node: ast.expr) -> bool:
    for child in ast.walk(node):
        if (
            isinstance(child, ast.Constant)
            and isinstance(child.value, str)
            and _HTML_TEXT.search(child.value)
        ):
            return True
    return False


_cap = m.cap


def _mark_all(labels: Labels, kinds: frozenset[str]) -> Labels:
    if not kinds or not labels:
        return labels
    return frozenset(lab if lab in _CONST_LABELS else m.mark(lab, kinds) for lab in labels)


def _terminates(body: list[ast.stmt]) -> bool:
    if not body:
        return False
    last = body[-1]
    if isinstance(last, ast.Return | ast.Raise | ast.Continue | ast.Break):
        return True
    if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
        name = au.dotted_name(last.value.func) or ""
        return name in _TERMINATORS or name.endswith(".abort")
    if isinstance(last, ast.If):
        return _terminates(last.body) and _terminates(last.orelse)
    return False


class _ModuleModel:
    """What the interpreter needs from the module: imports, constants, classes."""

    def __init__(self, tree: ast.Module, file: str, lines: list[str]) -> None:
        self.tree = tree
        self.file = file
        self.lines = lines
        self.info = au.module_info(tree)
        self.functions: set[str] = set()
        self.classes: dict[str, ast.ClassDef] = {}
        self.const_values: dict[str, object] = {}
        self.patterns: dict[str, str] = {}  # NAME = re.compile("...") at module level
        self.scalar_types: set[str] = set()  # enums and Literal aliases defined here
        for stmt in tree.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                self.functions.add(stmt.name)
            elif isinstance(stmt, ast.ClassDef):
                self.classes[stmt.name] = stmt
                bases = {au.dotted_name(b) or "" for b in stmt.bases}
                if any(b.endswith(_ENUM_BASES) for b in bases):
                    self.scalar_types.add(stmt.name)
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target = stmt.targets[0]
                if isinstance(target, ast.Name):
                    if isinstance(stmt.value, ast.Constant):
                        self.const_values[target.id] = stmt.value.value
                    elif (
                        isinstance(stmt.value, ast.Call)
                        and (self.info.qualify(stmt.value.func) or "") == "re.compile"
                        and stmt.value.args
                        and isinstance(stmt.value.args[0], ast.Constant)
                        and isinstance(stmt.value.args[0].value, str)
                    ):
                        self.patterns[target.id] = stmt.value.args[0].value
                    elif isinstance(stmt.value, ast.Subscript) and (
                        au.dotted_name(stmt.value.value) or ""
                    ).endswith("Literal"):
                        self.scalar_types.add(target.id)
        self.seen: set[tuple[str, int]] = set()  # every sink looked at, tainted or not
        self.callees: set[str] = set()  # project functions called anywhere in the module
        self.flask = self.info.uses_module("flask") or self.info.uses_module("quart")

    def is_scalar_annotation(self, annotation: ast.expr | None) -> bool:
        if annotation is None:
            return False
        if au._is_scalar_annotation(annotation):
            return True
        names = {
            n.id if isinstance(n, ast.Name) else n.attr
            for n in ast.walk(annotation)
            if isinstance(n, ast.Name | ast.Attribute)
        }
        names -= _ANNOTATION_WRAPPERS
        if "Literal" in names:
            return True
        return bool(names) and names <= (
            self.scalar_types | _SCALAR_WORDS | {"int", "float", "bool", "UUID"}
        )

    def imported_types(self, annotation: ast.expr | None) -> list[str]:
        """The project types an annotation names besides wrappers and scalars defined here,
        when it names nothing else (`Optional[Theme]` with `from app.types import Theme`):
        whether they are enums or `Literal` aliases is known only when the modules are linked."""
        qualified: list[str] = []
        for text in _type_names(annotation):
            short = text.rsplit(".", 1)[-1]
            if short in _ANNOTATION_WRAPPERS or short in self.scalar_types:
                continue
            if short in _SCALAR_WORDS or short in {"int", "float", "bool", "UUID"}:
                continue
            head, _, rest = text.partition(".")
            target = self.info.imports.get(head)
            if target is None or _external(target):
                return []  # a builtin such as str, or a library type: nothing to decide later
            qualified.append(f"{target}.{rest}" if rest else target)
        return sorted(set(qualified))

    def scalar_fields(self, annotation: ast.expr | None) -> set[str]:
        """Fields of a model class defined here whose type is constrained (int, Literal, enum)."""
        name = au.dotted_name(annotation) if annotation is not None else None
        cls = self.classes.get(name or "")
        if cls is None:
            return set()
        return {
            stmt.target.id
            for stmt in cls.body
            if isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and self.is_scalar_annotation(stmt.annotation)
        }


class _Function:
    """Interprets one function body."""

    def __init__(
        self, mod: _ModuleModel, func: ast.FunctionDef | ast.AsyncFunctionDef, owner: str | None
    ) -> None:
        self.mod = mod
        self.func = func
        self.owner = owner
        self.ret: set[str] = set()
        self.sinks: dict[tuple[str, int, int], list[Any]] = {}
        self.calls: dict[tuple[str, str, int], set[str]] = {}
        self.consts: dict[str, object] = {}
        self.dead = False
        # `if allowed(request.GET.get("next")): redirect(request.GET.get("next"))`: a checked
        # expression (not a name) is remembered by its text while the check holds
        self.checked_exprs = False
        self.callees: set[str] = set()
        self.http_clients: set[str] = set()
        self.app_urls: set[str] = set()  # names bound to reverse()/url_for(): this app's URLs
        self.nested_text: set[int] = set()
        self.scalar_attrs: dict[str, set[str]] = {}
        self.guard_flags: dict[str, ast.Call] = {}  # flag name -> the check it holds
        args = func.args
        positional = args.posonlyargs + args.args
        self.params = [a.arg for a in positional + args.kwonlyargs if a.arg not in {"self", "cls"}]
        self.handler = au.is_route_handler(mod.tree, func, mod.file)
        # taken for a view only because it takes `request` first: whether a URL pattern routes
        # to it is for the linker to say (wagtail's `sendfile(request, filename)` is a helper)
        self.by_shape = (
            self.handler
            and [a.arg for a in positional][:1] == ["request"]
            and au.route_decorator(func) is None
        )
        env: dict[str, Labels] = {}
        request_params = au.request_params(mod.tree, func) if self.handler else set()
        for arg in positional + args.kwonlyargs:
            if arg.arg in {"self", "cls"}:
                continue
            if arg.arg in request_params:
                if mod.is_scalar_annotation(arg.annotation):
                    env[arg.arg] = EMPTY
                else:
                    # Also a parameter: a "view" that other project code calls is a helper
                    # (link.py then drops the R label and follows the caller's data). Types
                    # imported from the project ride on the label (`R@3~app.types.Theme`):
                    # the linker drops it when they are enums or Literal aliases.
                    types = mod.imported_types(arg.annotation)
                    source = f"R@{func.lineno}~{','.join(types)}" if types else f"R@{func.lineno}"
                    env[arg.arg] = frozenset({source, f"P{arg.arg}"})
                    fields = mod.scalar_fields(arg.annotation)
                    if fields:
                        self.scalar_attrs[arg.arg] = fields
            elif self.handler and arg.arg in {"request", "req", "response", "db", "session"}:
                env[arg.arg] = EMPTY
            else:
                env[arg.arg] = frozenset({f"P{arg.arg}"})
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                env[extra.arg] = frozenset({f"P{extra.arg}"})
        self.env = env

    # ---------------------------------------------------------------- statements
    def run(self) -> dict[str, Any]:
        self.block(self.func.body, self.env)
        return {
            "line": self.func.lineno,
            "handler": self.handler,
            **({"by_shape": True} if self.by_shape else {}),
            "params": self.params,
            "ret": sorted(self.ret),
            "sinks": list(self.sinks.values()),
            "calls": [
                [c, a, line, kept]
                for (c, a, line), labels in self.calls.items()
                if (kept := sorted(lab for lab in labels if _may_carry(lab)))
            ],
        }

    def block(self, stmts: list[ast.stmt], env: dict[str, Labels]) -> dict[str, Labels] | None:
        """Runs statements; returns the environment after them, None when they never fall
        through (return/raise/abort)."""
        current: dict[str, Labels] | None = env
        for stmt in stmts:
            if current is None:
                return None
            current = self.stmt(stmt, current)
        return current

    def stmt(self, stmt: ast.stmt, env: dict[str, Labels]) -> dict[str, Labels] | None:
        if isinstance(stmt, ast.Assign):
            value = self.expr(stmt.value, env)
            for target in stmt.targets:
                self.bind(target, stmt.value, value, env)
            return env
        if isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                self.bind(stmt.target, stmt.value, self.expr(stmt.value, env), env)
            return env
        if isinstance(stmt, ast.AugAssign):
            value = self.expr(stmt.value, env)
            if isinstance(stmt.target, ast.Name):
                if isinstance(stmt.op, ast.Add | ast.Mod):
                    value = value | _text_labels(stmt.value)
                    if (_const_prefix(stmt.value) or "").startswith(("?", "&", "#")):
                        value = _mark_all(value, _QUERY_PART)  # url += "?" + query
                env[stmt.target.id] = _cap(env.get(stmt.target.id, EMPTY) | value)
                self.consts.pop(stmt.target.id, None)
            else:
                self.weak_update(stmt.target, value, env)
            return env
        if isinstance(stmt, ast.Return):
            if stmt.value is not None:
                labels = self.expr(stmt.value, env)
                self.ret |= labels
                if self.handler and self.mod.flask:
                    self.sink(m.XSS, stmt, "the handler's response", labels, needs_html=True)
            return None
        if isinstance(stmt, ast.Raise):
            if stmt.exc is not None:
                self.expr(stmt.exc, env)
            return None
        if isinstance(stmt, ast.Expr):
            self.expr(stmt.value, env)
            if isinstance(stmt.value, ast.Call):
                self.validator_statement(stmt.value, env)
            if _terminates([stmt]):
                return None
            return env
        if isinstance(stmt, ast.If):
            return self.if_stmt(stmt, env)
        if isinstance(stmt, ast.For | ast.AsyncFor):
            self.bind(stmt.target, stmt.iter, self.expr(stmt.iter, env), env)
            return self.loop(stmt.body, stmt.orelse, env, stmt.target, stmt.iter)
        if isinstance(stmt, ast.While):
            test = self.const_test(stmt.test, env)
            if test is False:
                return self.block(stmt.orelse, env)
            self.expr(stmt.test, env)
            return self.loop(stmt.body, stmt.orelse, env, None, None)
        if isinstance(stmt, ast.With | ast.AsyncWith):
            for item in stmt.items:
                labels = self.expr(item.context_expr, env)
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, item.context_expr, labels, env)
            return self.block(stmt.body, env)
        if isinstance(stmt, ast.Try | getattr(ast, "TryStar", ast.Try)):
            body = self.block(stmt.body, dict(env))
            outs = [body if body is None else self.block(stmt.orelse, body)]
            for handler in stmt.handlers:
                start = dict(env)
                if body is not None:
                    start = _join([start, body]) or start
                if handler.name:
                    start[handler.name] = EMPTY
                outs.append(self.block(handler.body, start))
            joined = _join(outs)
            if stmt.finalbody:
                after = self.block(stmt.finalbody, joined if joined is not None else dict(env))
                return after if joined is not None else None
            return joined
        if isinstance(stmt, ast.Match):
            subject = self.expr(stmt.subject, env)
            outs = []
            for case in stmt.cases:
                start = dict(env)
                for node in ast.walk(case.pattern):
                    name = getattr(node, "name", None)
                    if isinstance(name, str):
                        start[name] = subject
                outs.append(self.block(case.body, start))
            outs.append(env)
            return _join(outs)
        if isinstance(
            stmt,
            ast.Delete
            | ast.Pass
            | ast.Global
            | ast.Nonlocal
            | ast.Import
            | ast.ImportFrom
            | ast.FunctionDef
            | ast.AsyncFunctionDef
            | ast.ClassDef,
        ):
            return env
        if isinstance(stmt, ast.Continue | ast.Break):
            return None
        if isinstance(stmt, ast.Assert):
            self.guard(stmt.test, env, negate=False)
            return env
        return env

    def loop(
        self,
        body: list[ast.stmt],
        orelse: list[ast.stmt],
        env: dict[str, Labels],
        target: ast.expr | None,
        iterable: ast.expr | None,
    ) -> dict[str, Labels] | None:
        first = self.block(body, dict(env))
        merged = _join([env, first]) or env
        if merged != env:
            # What one pass assigned can reach the next pass: once more (not to a fixpoint;
            # nested loops would cost 2^depth passes otherwise only when something changed).
            second = self.block(body, dict(merged))
            merged = _join([merged, second]) or merged
        after = self.block(orelse, merged)
        return after if after is not None else merged

    def if_stmt(self, stmt: ast.If, env: dict[str, Labels]) -> dict[str, Labels] | None:
        decided = self.const_test(stmt.test, env)
        if decided is not None:
            self.dead_block(stmt.orelse if decided else stmt.body, env)
            return self.block(stmt.body if decided else stmt.orelse, env)
        self.expr(stmt.test, env)
        body_env = dict(env)
        else_env = dict(env)
        self.guard(stmt.test, body_env, negate=False)
        self.guard(stmt.test, else_env, negate=True)
        out_body = self.block(stmt.body, body_env)
        out_else = self.block(stmt.orelse, else_env)
        return _join([out_body, out_else])

    def dead_block(self, stmts: list[ast.stmt], env: dict[str, Labels]) -> None:
        """Code that never runs: its sinks are marked examined (no flow), nothing else."""
        if not stmts:
            return
        saved = (self.dead, self.ret, self.calls)
        self.dead, self.ret, self.calls = True, set(), {}
        try:
            self.block(stmts, dict(env))
        finally:
            self.dead, self.ret, self.calls = saved

    def const_test(self, test: ast.expr, env: dict[str, Labels]) -> bool | None:
        if isinstance(test, ast.Constant):
            return bool(test.value)
        if isinstance(test, ast.Name):
            if test.id in self.consts:
                return bool(self.consts[test.id])
            if test.id not in env and test.id in self.mod.const_values:
                return bool(self.mod.const_values[test.id])
            if test.id == "TYPE_CHECKING":
                return False
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self.const_test(test.operand, env)
            return None if inner is None else not inner
        if isinstance(test, ast.BoolOp):
            values = [self.const_test(v, env) for v in test.values]
            if isinstance(test.op, ast.And):
                if any(v is False for v in values):
                    return False
                if all(v is True for v in values):
                    return True
            else:
                if any(v is True for v in values):
                    return True
                if all(v is False for v in values):
                    return False
            return None
        if (
            isinstance(test, ast.Compare)
            and len(test.ops) == 1
            and isinstance(test.comparators[0], ast.Constant)
        ):
            left = test.left
            value: object = None
            known = False
            if isinstance(left, ast.Constant):
                value, known = left.value, True
            elif isinstance(left, ast.Name) and left.id in self.consts:
                value, known = self.consts[left.id], True
            if known:
                right = test.comparators[0].value
                op = test.ops[0]
                if isinstance(op, ast.Eq):
                    return value == right
                if isinstance(op, ast.NotEq):
                    return value != right
        return None

    def guard(self, test: ast.expr, env: dict[str, Labels], *, negate: bool) -> None:
        """Cleans names in `env` that the test proves safe on this side of the branch.
        negate=False: the branch where `test` holds; True: where it does not."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            self.guard(test.operand, env, negate=not negate)
            return
        if isinstance(test, ast.Name) and test.id in self.guard_flags:
            self.guard(self.guard_flags[test.id], env, negate=negate)
            return
        if isinstance(test, ast.BoolOp):
            # `a and b` holding means both hold; `a or b` failing means both fail.
            if (isinstance(test.op, ast.And) and not negate) or (
                isinstance(test.op, ast.Or) and negate
            ):
                for value in test.values:
                    self.guard(value, env, negate=negate)
                return
            # `a or b` holding (`a and b` failing) means one of them holds: what every one of
            # them cleans is clean (`if x not in LOCALES and x != "en": return` passed)
            branches: list[dict[str, Labels]] = []
            for value in test.values:
                branch = dict(env)
                self.guard(value, branch, negate=negate)
                branches.append(branch)
            for name in set(branches[0]).intersection(*branches[1:]):
                merged = frozenset().union(*(branch[name] for branch in branches))
                if merged != env.get(name):
                    env[name] = merged
            return
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            op = test.ops[0]
            holds_in = (isinstance(op, ast.In) and not negate) or (
                isinstance(op, ast.NotIn) and negate
            )
            target = _guarded_name(test.left)
            # `row = <lookup>` ... `if row is None: raise`: past it, the lookup found a record
            holds_found = (isinstance(op, ast.IsNot) and not negate) or (
                isinstance(op, ast.Is) and negate
            )
            if (
                holds_found
                and target in self.guard_flags
                and isinstance(test.comparators[0], ast.Constant)
                and test.comparators[0].value is None
            ):
                self.guard(self.guard_flags[target], env, negate=False)
                return
            if holds_in and target and self.is_constant_collection(test.comparators[0], env):
                env[target] = EMPTY
            holds_eq = (isinstance(op, ast.Eq) and not negate) or (
                isinstance(op, ast.NotEq) and negate
            )
            if holds_eq and target and isinstance(test.comparators[0], ast.Constant):
                env[target] = EMPTY
            # os.path.commonpath([base, p]) == base
            if holds_eq and isinstance(test.left, ast.Call):
                name = au.dotted_name(test.left.func) or ""
                if name.endswith("commonpath") and test.left.args:
                    inner = test.left.args[0]
                    if isinstance(inner, ast.List | ast.Tuple):
                        for element in inner.elts:
                            guarded = _guarded_name(element)
                            if guarded and guarded in env:
                                env[guarded] = _mark_all(env[guarded], frozenset({m.PATH}))
            return
        if (
            isinstance(test, ast.Call)
            and isinstance(test.func, ast.Name)
            and test.func.id in {"any", "all"}
            and test.args
            and isinstance(test.args[0], ast.GeneratorExp | ast.ListComp)
        ):
            self.guard(test.args[0].elt, env, negate=negate)
            return
        if isinstance(test, ast.Call) and not negate and (keys := _lookup_keys(test)):
            for key in keys & set(env):
                env[key] = _mark_all(env[key], frozenset({m.PATH}))
            return
        if isinstance(test, ast.Call) and not negate:
            method = au.call_method(test) or ""
            name = au.dotted_name(test.func) or ""
            receiver = test.func.value if isinstance(test.func, ast.Attribute) else None
            target = _guarded_name(receiver) if receiver is not None else None
            if method in {"startswith", "is_relative_to"} and target and target in env:
                env[target] = _mark_all(env[target], frozenset({m.PATH, m.REDIRECT, m.SSRF}))
                return
            if (
                method
                in {"isdigit", "isnumeric", "isdecimal", "isalnum", "isidentifier", "isalpha"}
                and target
            ):
                env[target] = EMPTY
                return
            if name.endswith(("fullmatch", "match")) and len(test.args) >= 2:
                guarded = _guarded_name(test.args[1])
                if guarded:
                    env[guarded] = EMPTY
                return
            # BACKUP_RE.match(path) with BACKUP_RE = re.compile(r"^[0-9]+/[0-9]+\.zip$"): a
            # pattern that must match the whole value decides every character of it
            if (
                method in {"match", "fullmatch", "search"}
                and len(test.args) == 1
                and isinstance(receiver, ast.Name)
                and _whole_value(method, self.mod.patterns.get(receiver.id))
            ):
                guarded = _guarded_name(test.args[0])
                pattern = self.mod.patterns[receiver.id]
                if guarded and guarded in env:
                    # `[\w./-]+` still spells `../`: clean for everything but paths
                    env[guarded] = (
                        _mark_all(env[guarded], frozenset(m.RULE_FOR_KIND) - {m.PATH})
                        if _DOT_AND_SLASH.search(pattern)
                        else EMPTY
                    )
                return
            if _GUARD_WORDS.search(method or name):
                for arg in [*test.args[:1], *(kw.value for kw in test.keywords)]:
                    guarded = _guarded_name(arg)
                    if guarded:
                        env[guarded] = EMPTY
                    elif isinstance(arg, ast.Attribute | ast.Call | ast.Subscript):
                        self.checked_exprs = True
                        env[_expr_key(arg)] = EMPTY

    def validator_statement(self, call: ast.Call, env: dict[str, Labels]) -> None:
        """`validate_inside_directory(base, path)`, `check_url(u)`, `p.relative_to(base)` as a
        statement: it raises on bad input, so what it was given is checked afterwards."""
        name = (au.dotted_name(call.func) or "").rsplit(".", 1)[-1]
        if name in {"relative_to", "is_relative_to"} and isinstance(call.func, ast.Attribute):
            target = _guarded_name(call.func.value)
            if target and target in env:
                env[target] = _mark_all(env[target], frozenset({m.PATH}))
            return
        if not (_VALIDATOR_NAME.match(name) or _GUARD_WORDS.search(name)):
            return
        for arg in [*call.args, *(kw.value for kw in call.keywords)]:
            target = _guarded_name(arg)
            if target and target in env:
                env[target] = EMPTY

    def is_constant_collection(self, node: ast.expr, env: dict[str, Labels]) -> bool:
        if isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Dict):
            return True
        name = au.dotted_name(node) or ""
        last = name.rsplit(".", 1)[-1]
        if au.is_upper_constant_name(last) or name in self.mod.info.constants:
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"keys", "values"}
        ):
            return self.is_constant_collection(node.func.value, env)
        if isinstance(node, ast.Call | ast.Attribute | ast.Name | ast.Subscript):
            # A collection the program holds (table columns, a settings list, what a project
            # function computes from nothing the client sent: get_all_locales()) that no
            # client data went into: membership in it is an allow-list.
            labels = self.expr(node, env)
            return name not in self.params and all(_PROGRAM_RESULT.fullmatch(x) for x in labels)
        return False

    # ---------------------------------------------------------------- binding
    def bind(
        self, target: ast.expr, value_node: ast.expr | None, labels: Labels, env: dict[str, Labels]
    ) -> None:
        if (
            isinstance(target, ast.Name)
            and isinstance(value_node, ast.Call)
            and (self.mod.info.qualify(value_node.func) or "") in _HTTP_CLIENTS
        ):
            self.http_clients.add(target.id)
        if isinstance(target, ast.Name):
            if isinstance(value_node, ast.Call) and au.call_method(value_node) in _APP_URL_CALLS:
                self.app_urls.add(target.id)
            else:
                self.app_urls.discard(target.id)
            first_binding = target.id not in env
            env[target.id] = labels
            # `ok = url_has_allowed_host_and_scheme(url=nxt, ...)`, later `if ok:`: the test
            # is the call, as long as neither the flag nor a name the call read is rebound
            # (only a flag's first binding: `ok = True` then `if c: ok = check(u)` is no check).
            self.guard_flags = {
                flag: call
                for flag, call in self.guard_flags.items()
                if flag != target.id and target.id not in _names_in(call)
            }
            awaited = value_node.value if isinstance(value_node, ast.Await) else value_node
            if isinstance(awaited, ast.Call) and first_binding:
                self.guard_flags[target.id] = awaited
            if isinstance(value_node, ast.Constant):
                self.consts[target.id] = value_node.value
            else:
                self.consts.pop(target.id, None)
        elif isinstance(target, ast.Tuple | ast.List):
            if (
                isinstance(value_node, ast.Tuple | ast.List)
                and len(value_node.elts) == len(target.elts)
                and not any(isinstance(e, ast.Starred) for e in target.elts)
            ):
                for sub_target, sub_value in zip(target.elts, value_node.elts, strict=True):
                    self.bind(sub_target, sub_value, self.expr(sub_value, env), env)
            else:
                for element in target.elts:
                    self.bind(element, None, labels, env)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, None, labels, env)
        else:
            self.weak_update(target, labels, env)

    def weak_update(self, target: ast.expr, labels: Labels, env: dict[str, Labels]) -> None:
        base = target
        while isinstance(base, ast.Attribute | ast.Subscript):
            base = base.value
        if isinstance(base, ast.Name) and base.id != "self" and labels:
            env[base.id] = _cap(env.get(base.id, EMPTY) | labels)

    # ---------------------------------------------------------------- expressions
    def expr(self, node: ast.expr | None, env: dict[str, Labels]) -> Labels:
        if node is None or isinstance(node, ast.Constant):
            return EMPTY
        if isinstance(node, ast.Name):
            return env.get(node.id, EMPTY)
        if (
            self.checked_exprs
            and isinstance(node, ast.Attribute | ast.Call | ast.Subscript)
            and _expr_key(node) in env
        ):
            return env[_expr_key(node)]
        request_shaped = isinstance(node, ast.Attribute | ast.Call | ast.Await)
        if request_shaped and au.is_request_access(node):
            if isinstance(node, ast.Call | ast.Await):
                self.args_only(node, env)
            if isinstance(node, ast.Attribute) and node.attr in au.VALIDATED_DATA_ATTRS:
                # A form's or serializer's cleaned values: their field validators (URLField,
                # clean_<field>) stand between the client and a URL, a path or a template.
                return frozenset({m.mark(f"R@{node.lineno}", _VALIDATED_FOR)})
            return frozenset({f"R@{node.lineno}"})
        if request_shaped and _extra_request(node):
            # The request's own URL: the client picks its text, not where it points.
            kinds = _URL_ONLY_FOR
            if (
                getattr(node, "attr", "") in _ROUTED_ATTRS
            ):  # must match a route: no markup gets through
                kinds = kinds | {m.XSS}
            return frozenset({m.mark(f"R@{node.lineno}", kinds)})
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.attr in self.scalar_attrs.get(
                node.value.id, ()
            ):
                return EMPTY
            if au.is_upper_constant_name(node.attr) or node.attr in _ID_ATTRS:
                return EMPTY  # constants; ids the database generated
            return self.expr(node.value, env)
        if isinstance(node, ast.Subscript):
            self.expr(node.slice, env)
            return self.expr(node.value, env)
        if isinstance(node, ast.Await | ast.Starred | ast.FormattedValue):
            return self.expr(node.value, env)
        if isinstance(node, ast.JoinedStr):
            labels: set[str] = set()
            for value in node.values:
                labels |= self.expr(value, env)
            labels |= _text_labels(node)
            host_clean = (
                len(node.values) > 1
                and isinstance(node.values[0], ast.Constant)
                and str(node.values[0].value).endswith("://")
                and not self.expr(node.values[1], env)
            )
            return _mark_all(_cap(labels), _prefix_marks(node, host_clean, self.app_urls))
        if isinstance(node, ast.BinOp):
            left = self.expr(node.left, env)
            right = self.expr(node.right, env)
            labels = set(left | right)
            if isinstance(node.op, ast.Add | ast.Mod):
                labels |= _text_labels(node)
            marks = _prefix_marks(node, app_urls=self.app_urls)
            if (
                isinstance(node.op, ast.Add)
                and not left - _CONST_LABELS
                and ("?" in (_const_prefix(node.right) or "") or _ends_in_query(node.left))
            ):
                marks = marks | _QUERY_PART  # base_url + "?" + query: the query only
            return _mark_all(_cap(labels), marks)
        if isinstance(node, ast.BoolOp):
            labels = set()
            for value in node.values:
                labels |= self.expr(value, env)
            return _cap(labels)
        if isinstance(node, ast.IfExp):
            decided = self.const_test(node.test, env)
            if decided is True:
                return self.expr(node.body, env)
            if decided is False:
                return self.expr(node.orelse, env)
            self.expr(node.test, env)
            # `url if url_has_allowed_host_and_scheme(url, ...) else "/"`: each side is seen
            # with what the test proves on it
            body_env, else_env = dict(env), dict(env)
            self.guard(node.test, body_env, negate=False)
            self.guard(node.test, else_env, negate=True)
            return _cap(self.expr(node.body, body_env) | self.expr(node.orelse, else_env))
        if isinstance(node, ast.Compare | ast.UnaryOp):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expr(child, env)
            return EMPTY
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            labels = set()
            for element in node.elts:
                labels |= self.expr(element, env)
            return _cap(labels)
        if isinstance(node, ast.Dict):
            labels = set()
            for value in node.values:
                labels |= self.expr(value, env)
            for key in node.keys:
                if key is not None:
                    self.expr(key, env)
            return _cap(labels)
        if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            inner = dict(env)
            for generator in node.generators:
                self.bind(generator.target, None, self.expr(generator.iter, inner), inner)
            if isinstance(node, ast.DictComp):
                return _cap(self.expr(node.key, inner) | self.expr(node.value, inner))
            return self.expr(node.elt, inner)
        if isinstance(node, ast.NamedExpr):
            named = self.expr(node.value, env)
            env[node.target.id] = named
            return named
        if isinstance(node, ast.Call):
            return self.call(node, env)
        if isinstance(node, ast.Lambda):
            return EMPTY
        return EMPTY

    def args_only(self, node: ast.expr, env: dict[str, Labels]) -> None:
        call = node.value if isinstance(node, ast.Await) else node
        if isinstance(call, ast.Call):
            for arg in call.args:
                self.expr(arg, env)

    def arg_labels(self, call: ast.Call, env: dict[str, Labels]) -> list[tuple[str, Labels]]:
        out: list[tuple[str, Labels]] = []
        for index, arg in enumerate(call.args):
            if isinstance(arg, ast.Starred):
                out.append(("*", self.expr(arg.value, env)))
                continue
            out.append((str(index), self.expr(arg, env)))
        for kw in call.keywords:
            out.append((kw.arg or "**", self.expr(kw.value, env)))
        return out

    def call(self, node: ast.Call, env: dict[str, Labels]) -> Labels:
        info = self.mod.info
        qualified = info.qualify(node.func) or ""
        dotted = au.dotted_name(node.func) or ""
        method = au.call_method(node) or ""
        first_arg = node.args[0] if node.args else None
        if (
            method in {"unescape", "striptags"}
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Call)
        ):
            self.nested_text.add(id(node.func.value))  # Markup(x).unescape(): text, not HTML
        if (
            method in _EXECUTE_METHODS
            and isinstance(first_arg, ast.Call)
            and au.call_method(first_arg) in {"text", "literal_column"}
        ):
            self.nested_text.add(id(first_arg))  # reported at the execute() call
        args = self.arg_labels(node, env)
        receiver = (
            self.expr(node.func.value, env) if isinstance(node.func, ast.Attribute) else EMPTY
        )
        self.check_sinks(node, qualified, dotted, method, args, receiver, env)
        union: set[str] = set()
        for _, labels in args:
            union |= labels

        # Sanitisers and cleaning calls.
        if qualified in _CLEANING_CALLS or method in _CLEANING_CALLS or dotted in _CLEANING_CALLS:
            if method == "get" and isinstance(node.func, ast.Attribute):
                pass  # dict.get is in _STRING_METHODS; 'get' is never a cleaning call
            else:
                return EMPTY
        head = dotted.split(".", 1)[0]
        if "safe" in dotted.rsplit(".", 1)[-1].lower() and method not in _KIND_SANITIZERS:
            # safe_referrer(), get_safe_url(), ...: what the name promises for URLs and paths
            return _mark_all(_cap(union), frozenset({m.REDIRECT, m.SSRF, m.PATH}))
        if head in self.mod.scalar_types or qualified.endswith(("Enum", "IntEnum")):
            return EMPTY
        if qualified in _URLLIB_QUOTE:
            return _mark_all(_cap(union), _KIND_SANITIZERS["quote_plus"])
        kinds = _KIND_SANITIZERS.get(method)
        if kinds is not None and not (
            method == "quote"
            and not qualified.startswith(("shlex", "pipes"))
            and qualified != "quote"
        ):
            return _mark_all(_cap(union | receiver if method == "join" else union), kinds)
        if method == "split" and qualified.startswith("shlex"):
            return _cap(union)

        # Method calls.
        if isinstance(node.func, ast.Attribute):
            base_text = au.dotted_name(node.func.value) or ""
            if dotted.startswith("self.") and dotted.count(".") == 1 and self.owner:
                return self.project_call(f"{self.owner}.{method}", args, node)
            if head in info.imports and head != "self" and base_text == head:
                # module.function(...): maybe a project module; resolved at link time
                if _external(info.imports[head]):
                    return _cap(union)
                return self.project_call(dotted, args, node)
            if method in _MUTATORS:
                self.weak_update(node.func.value, _cap(union), env)
                return EMPTY
            if any(
                hint in f".{base_text}." or base_text.startswith(hint.strip("."))
                for hint in _ORM_HINTS
            ):
                return EMPTY  # a row or an object from the database, not the client's text
            if method in _STRING_METHODS:
                # The receiver's text; arguments only where they become part of the result
                # (`sep.join(parts)`, `"{}".format(x)`, `s.replace(a, b)`, `d.get(k, default)`).
                text = set(receiver)
                if method in _ARGS_FLOW:
                    text |= union
                elif method in {"get", "pop", "getlist"}:
                    for key, labels in args:
                        if key not in {"0", "key"}:
                            text |= labels
                if method in {"format", "format_map", "join"}:
                    text |= _text_labels(node.func.value)
                return _mark_all(_cap(text), _prefix_marks(node, app_urls=self.app_urls))
            if method in _PATH_METHODS or method in {
                "resolve",
                "absolute",
                "joinpath",
                "with_name",
                "with_suffix",
            }:
                return _cap(receiver | union)
            return receiver  # other methods: the object's own data, not the arguments'
        # Plain function calls.
        if isinstance(node.func, ast.Name):
            name = node.func.id
            if name in self.mod.functions or name in self.mod.classes:
                return self.project_call(name, args, node)
            if name in info.imports:
                if _external(info.imports[name]):
                    return _cap(union)  # a library function: its result carries its input
                return self.project_call(name, args, node)
            return _cap(union)  # builtins (str, list, dict, bytes, ...) keep their input
        return _cap(union | receiver)

    def project_call(self, callee: str, args: list[tuple[str, Labels]], node: ast.Call) -> Labels:
        """A call we resolve at link time: wrap each argument's labels; record the edge."""
        out: set[str] = set()
        self.callees.add(callee)
        for arg, labels in args:
            if not labels:
                continue
            key = (callee, arg, node.lineno)
            self.calls.setdefault(key, set()).update(labels)
            for label in labels:
                wrapped = m.call_label(callee, arg, label)
                if wrapped is not None:
                    out.add(wrapped)
        # A call with no tainted argument may still return request data it reads itself.
        out.add(f"C{callee}#-:-")
        return _cap(out)

    # ---------------------------------------------------------------- sinks
    def sink(
        self, kind: str, node: ast.AST, what: str, labels: Labels, *, needs_html: bool = False
    ) -> None:
        self.mod.seen.add((kind, getattr(node, "lineno", 1)))
        if not labels or self.dead:
            return
        # HTML sinks need markup built from constants, SQL sinks text built by formatting:
        # here, in a function called, or by a caller passing it in (resolved by link.py).
        needs = "H" if needs_html else "S" if kind == m.SQL else ""
        if needs and needs not in labels and not any(lab[:1] in {"C", "P"} for lab in labels):
            return
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0)
        key = (kind, line, col)
        existing = self.sinks.get(key)
        clean = sorted(lab for lab in labels if lab not in _CONST_LABELS or lab == needs)
        if not clean:
            return
        if existing is None:
            text = self.mod.lines[line - 1].strip()[:200] if line <= len(self.mod.lines) else ""
            self.sinks[key] = [
                kind,
                line,
                col,
                getattr(node, "end_lineno", line),
                what,
                clean,
                text,
                needs,
            ]
        else:
            existing[5] = sorted(set(existing[5]) | set(clean))

    def check_sinks(
        self,
        node: ast.Call,
        qualified: str,
        dotted: str,
        method: str,
        args: list[tuple[str, Labels]],
        receiver: Labels,
        env: dict[str, Labels],
    ) -> None:
        by_key = dict(args)
        first = by_key.get("0", EMPTY)

        def arg(position: int, *names: str) -> Labels:
            labels = by_key.get(str(position))
            if labels is not None:
                return labels
            for name in names:
                if name in by_key:
                    return by_key[name]
            return EMPTY

        def first_node() -> ast.expr | None:
            return node.args[0] if node.args else None

        if (
            isinstance(node.func, ast.Name)
            and qualified == node.func.id
            and (qualified in self.mod.functions or qualified in self.mod.classes)
        ):
            # `send_file(...)` / `redirect(...)` defined in this module is project code named
            # like a library sink: its body is followed as any project function, not matched
            return
        short = dotted.rsplit(".", 1)[-1]
        # --- SQL
        if (
            qualified in _RAW_SQL_FUNCS
            or short == "RawSQL"
            or (short == "text" and qualified.startswith(("sqlalchemy", "sqlmodel")))
        ):
            if id(node) not in self.nested_text:
                self.sink(m.SQL, node, f"{short}()", arg(0, "text", "sql"))
            else:
                self.mod.seen.add((m.SQL, node.lineno))
            return
        if isinstance(node.func, ast.Attribute) and not qualified.startswith(
            ("subprocess.", "os.", "asyncio.", "shlex.", "requests.", "httpx.")
        ):
            if (
                method in _EXECUTE_METHODS
                or (method == "raw" and ".objects" in dotted)
                or (method == "query" and _sqlish(first_node()))
            ):
                sql_node = first_node()
                labels = arg(0, "statement", "query", "sql", "operation", "raw_query")
                if isinstance(sql_node, ast.Call) and au.call_method(sql_node) in {
                    "text",
                    "literal_column",
                }:
                    labels = self.expr(sql_node.args[0], env) if sql_node.args else EMPTY
                self.sink(m.SQL, node, f"{method}()", labels)
                return
            if method == "extra":
                labels = EMPTY
                for name in ("where", "select", "tables", "order_by"):
                    labels |= by_key.get(name, EMPTY)
                self.sink(m.SQL, node, "extra()", labels)
                return
        # --- OS commands
        if qualified in _SHELL_ALWAYS:
            self.sink(m.CMD, node, f"{qualified}()", arg(0, "cmd", "command"))
            return
        if qualified in _SUBPROCESS:
            command = node.args[0] if node.args else au.keyword(node, "args")
            labels = arg(0, "args")
            if au.is_true(au.keyword(node, "shell")):
                self.sink(m.CMD, node, f"{qualified}(shell=True)", labels)
            elif isinstance(command, ast.List | ast.Tuple) and command.elts:
                self.sink(m.CMD, node, f"{qualified}() program", self.expr(command.elts[0], env))
            elif command is not None and isinstance(command, ast.JoinedStr | ast.BinOp):
                self.sink(m.CMD, node, f"{qualified}()", labels)
            return
        if qualified in _EXEC_ARGV:
            self.sink(m.CMD, node, f"{qualified}() program", first)
            return
        # --- code
        if isinstance(node.func, ast.Name) and node.func.id in _CODE_FUNCS:
            self.sink(m.CODE, node, f"{node.func.id}()", arg(0, "source", "expression"))
            return
        if (
            qualified in _SSTI_FUNCS
            or (method == "from_string" and _looks_like_env(node.func))
            or (short == "Template" and qualified.startswith(("jinja2", "mako", "django.template")))
        ):
            self.sink(m.SSTI, node, f"{short}()", arg(0, "source", "text"))
            return
        # --- paths
        first_node_ = node.args[0] if node.args else None
        if (
            qualified in _PATH_FUNCS
            and isinstance(first_node_, ast.Call)
            and au.call_method(first_node_) in {"BytesIO", "StringIO"}
        ):
            return  # ZipFile(io.BytesIO(data)): bytes in memory, no path
        if qualified in _PATH_FUNCS:
            self.sink(
                m.PATH,
                node,
                f"{short}()",
                arg(0, "path", "file", "filename", "path_or_file", "src", "name"),
            )
            return
        if short == "send_from_directory":
            self.sink(m.PATH, node, "send_from_directory() directory", arg(0, "directory"))
            return
        if isinstance(node.func, ast.Attribute) and method in _PATH_METHODS and method != "open":
            base = node.func.value
            if isinstance(base, ast.Call) and (au.dotted_name(base.func) or "").endswith("Path"):
                self.sink(m.PATH, node, f"Path().{method}()", receiver)
                return
        # --- redirects
        if qualified in _REDIRECT_FUNCS or short in {"HttpResponseRedirect", "RedirectResponse"}:
            self.sink(m.REDIRECT, node, f"{short}()", arg(0, "location", "url", "to"))
            return
        # --- SSRF
        client = dotted.split(".", 1)[0] if dotted.count(".") == 1 else ""
        if (
            (qualified.startswith(_SSRF_ROOTS) and method in _HTTP_VERBS)
            or (qualified in _SSRF_FUNCS)
            or (client in self.http_clients and method in _HTTP_VERBS)
        ):
            position = 1 if method == "request" else 0
            self.sink(m.SSRF, node, f"{qualified}()", arg(position, "url"))
            return
        # --- deserialisation
        if qualified in _DESER_FUNCS:
            self.sink(m.DESER, node, f"{qualified}()", arg(0, "data", "file"))
            return
        if qualified in _YAML_LOAD:
            loader = au.argument(node, 1, "Loader")
            loader_name = (self.mod.info.qualify(loader) or "") if loader is not None else ""
            if not loader_name.endswith(_SAFE_LOADERS):
                self.sink(m.DESER, node, f"{qualified}() without SafeLoader", arg(0, "stream"))
            return
        # --- reflected XSS
        if qualified in _HTML_FUNCS or short == "HTMLResponse":
            self.sink(m.XSS, node, f"{short}()", arg(0, "content"))
            return
        if qualified in _HTML_IF_MARKUP or short in {
            "make_response",
            "HttpResponse",
            "mark_safe",
            "Markup",
        }:
            content_type = (
                au.const_str(au.keyword(node, "content_type"))
                or au.const_str(au.keyword(node, "mimetype"))
                or ""
            )
            if content_type and "html" not in content_type:
                return
            if id(node) in self.nested_text:
                return
            self.sink(
                m.XSS,
                node,
                f"{short}()",
                arg(0, "content", "response", "body", "text"),
                needs_html=short not in {"mark_safe", "Markup"},
            )


def _looks_like_env(func: ast.expr) -> bool:
    """`env.from_string(...)`, `jinja_env.from_string`, `Environment().from_string` — not
    `Cursor.from_string` or `PhoneNumber.from_string`."""
    base = func.value if isinstance(func, ast.Attribute) else func
    text = (au.dotted_name(base) or ast.unparse(base)).lower()
    return "env" in text or "jinja" in text or "template" in text


def _sqlish(node: ast.expr | None) -> bool:
    """`db.query(...)` is SQL when its argument looks like text, not an ORM class."""
    return isinstance(node, ast.JoinedStr | ast.BinOp | ast.Name) or (
        isinstance(node, ast.Call) and au.call_method(node) == "format"
    )


# A wildcard run or a negated class lets any text through; a class with both `.` and `/`
# (or a backslash) can spell a parent directory.
_ANY_TEXT = re.compile(r"(?<!\\)\.[*+{]|\[\^")
_DOT_AND_SLASH = re.compile(r"\[[^\]]*(\.[^\]]*[/\\]|[/\\][^\]]*\.)[^\]]*\]")


def _whole_value(method: str, pattern: str | None) -> bool:
    """Whether `pattern.<method>(value)` succeeds only when the pattern covers the whole value
    (anchored at the end, `$` or `\\Z`, for match; at both ends for search; fullmatch always)
    and spells out what it accepts (no `.*`, `.+`, negated class)."""
    if pattern is None or _ANY_TEXT.search(pattern):
        return False
    if method == "fullmatch":
        return True
    ends = pattern.endswith(("$", "\\Z")) and not pattern.endswith("\\$")
    return ends and (method == "match" or pattern.startswith(("^", "\\A")))


# The result of a project call handed no client data (`C<callee>#-:-`).
_PROGRAM_RESULT = re.compile(r"C[\w.]+#-:-")


def _guarded_name(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"lower", "strip", "upper"}
    ):
        return _guarded_name(node.func.value)
    if (
        isinstance(node, ast.Call)
        and len(node.args) == 1
        and (au.dotted_name(node.func) or "") in {"str", "os.fspath"}
    ):
        return _guarded_name(node.args[0])  # `str(full).startswith(base)` checks `full`
    return None


def _extra_request(node: ast.expr) -> bool:
    if isinstance(node, ast.Attribute) and node.attr in _EXTRA_REQUEST_ATTRS:
        return au.dotted_name(node.value) in {"request", "self.request"}
    return False


def _join(envs: list[dict[str, Labels] | None]) -> dict[str, Labels] | None:
    return m.join_envs(envs, _EXPR_KEY)


_EXPR_KEY = "\x00expr:"


def _expr_key(node: ast.expr) -> str:
    return _EXPR_KEY + ast.unparse(node)


def summarize_module(tree: ast.Module, file: str, lines: list[str]) -> dict[str, Any]:
    """The taint facts of one file: {"functions": {qualname: summary}}."""
    mod = _ModuleModel(tree, file, lines)
    functions: dict[str, Any] = {}
    defined: list[str] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            _add(functions, defined, mod, stmt, stmt.name, None)
        elif isinstance(stmt, ast.ClassDef):
            for member in stmt.body:
                if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                    _add(functions, defined, mod, member, f"{stmt.name}.{member.name}", stmt.name)
    return {
        "functions": functions,
        "defined": defined,
        "called": sorted(mod.callees),
        "scalars": sorted(mod.scalar_types),
        "seen": sorted([k, line] for k, line in mod.seen),
    }


def _add(
    functions: dict[str, Any],
    defined: list[str],
    mod: _ModuleModel,
    func: ast.FunctionDef | ast.AsyncFunctionDef,
    name: str,
    owner: str | None,
) -> None:
    interpreter = _Function(mod, func, owner)
    summary = interpreter.run()
    mod.callees |= interpreter.callees
    # Keep only what can matter to a flow: a summary with no sinks, no tainted calls and a
    # return that carries nothing is left out (most functions), keeping facts small.
    if summary["sinks"] or summary["calls"] or summary["ret"] or summary["handler"]:
        functions[name] = summary
    else:
        # Nothing flows through it, but it is a project function: calls to it carry nothing
        # (unlike a callee outside the project, which passes its arguments on).
        defined.append(name)
