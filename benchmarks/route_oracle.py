"""Route recall: our route inventory against the framework's own route list, on real apps.

    .venv/bin/python benchmarks/route_oracle.py [--app NAME ...] [--json OUT] [--verbose]

For each app in benchmarks/route_oracle_apps.toml this

1. installs it with its dependencies, pinned, into ~/.cache/mcp-backend/oracle/<app>/ (a venv
   made with the running Python, or `npm install` into <app>/node/); only the first run uses
   the network, later runs find the stamp and stay offline;
2. boots it without serving, through a small shim in benchmarks/route_oracle/ that imports the
   app (sqlite / in-memory settings, no server socket) and asks the framework for its routes
   (Flask url_map, Starlette/FastAPI routes, Django URL resolver, aiohttp router, Express
   router stack), written as JSON;
3. runs our review on the installed package's source and compares both lists after
   normalising them (upper-case methods, ANY/ALL a wildcard, every path parameter spelling
   `{}`, trailing slashes and Django regex anchors dropped). On JS/TS apps a `{name}` in our
   path is an expression we could not evaluate, not a parameter (Express, Koa, Fastify, Hono
   and Nest write those `:name`): leading ones are a mount prefix from configuration, empty in
   the default configuration the oracle boots with, and are dropped; any further in match one
   segment, as `{}` (see drop_unresolved_prefix);
4. prints per app: oracle routes, ours, matched, recall (matched / oracle), precision
   (matched / ours) and the missed and extra routes (the first 15; --verbose for all).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

APPS_FILE = Path(__file__).with_name("route_oracle_apps.toml")
SHIMS = Path(__file__).with_name("route_oracle")
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mcp-backend" / "oracle"
INSTALL_TIMEOUT = 1800
BOOT_TIMEOUT = 300
LIST_CAP = 15
WILDCARD = "*"
# What the walkers and our inventory call "any method".
_ANY_METHODS = frozenset({"ANY", "ALL", "*", "USE"})


# --------------------------------------------------------------------------- normalising


@dataclass(frozen=True, order=True)
class RouteKey:
    method: str  # upper case, or "*" for any method
    path: str  # normalised: parameters as {}, no trailing slash, leading slash


def normalise_method(method: str) -> str:
    upper = method.strip().upper()
    return WILDCARD if upper in _ANY_METHODS else upper


def _skip_group(text: str, start: int) -> int:
    """Index just past the regex group opening at text[start] == "(" (nesting and escapes)."""
    depth = 0
    i = start
    in_class = False
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


def _simplify_regex(pattern: str) -> str:
    """A Django/Express regex route → a plain path with {} for every group and class."""
    text = pattern
    text = re.sub(r"^\^", "", text)
    text = re.sub(r"(\\Z|\$)$", "", text)
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "(":
            end = _skip_group(text, i)
            group = text[i:end]
            plain = group.startswith("(?:") or not group.startswith("(?")
            body_start = 3 if group.startswith("(?:") else 1
            if plain and "(" not in group[body_start:]:
                # (?:/)?, Express's (/since)?: a literal, optional or not, not a parameter
                inner = group[body_start:-1]
                literal = re.sub(r"\\(.)", r"\1", inner)
                if re.fullmatch(r"[\w./-]*", literal):
                    out.append("" if text[end : end + 1] == "?" else literal)
                    i = end + (1 if text[end : end + 1] == "?" else 0)
                    continue
            out.append("{}")
            i = end
            if text[i : i + 1] in ("?", "*", "+"):
                i += 1
            continue
        if char == "[":
            end = text.find("]", i + 2)
            end = len(text) if end == -1 else end + 1
            out.append("{}")
            i = end
            while text[i : i + 1] in ("+", "*", "?"):
                i += 1
            continue
        if char == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in "dwsDWS":
                out.append("{}")
                i += 2
                while text[i : i + 1] in ("+", "*", "?"):
                    i += 1
                continue
            out.append(nxt)
            i += 2
            continue
        if char in "?" and out and out[-1] == "/":
            out.pop()  # "/?" optional trailing slash
            i += 1
            continue
        if char in "^$":
            i += 1
            continue
        out.append(char)
        i += 1
    return "".join(out)


_PARAM_PATTERNS = (
    re.compile(r"<(?:[^<>:]+:)?[^<>]+>"),  # Flask/Django <int:id>, <id>
    re.compile(r"\{[^{}]*\}"),  # Starlette/FastAPI {id}, {path:path}; our {}
    re.compile(r":[A-Za-z_$][\w$]*(?:\([^)]*\))?[?*+]?"),  # Express/Koa :id, :id(\d+), :id?
)


def normalise_path(path: str, *, regex: bool = False) -> str:
    """Every spelling of the same route → one string: parameters `{}`, `//` collapsed,
    leading slash, no trailing slash. `regex` marks a Django re_path / regex pattern."""
    text = path.strip()
    if regex or text.startswith("^") or "(?P<" in text:
        text = _simplify_regex(text)
    for pattern in _PARAM_PATTERNS:
        text = pattern.sub("{}", text)
    if "(" in text:  # an Express/Koa string path with a group left: /-/all(/since)?
        text = _simplify_regex(text)
    text = re.sub(
        r"\(\.\*\)|/\*(?=/|$)|\*$", lambda m: "/{}" if m.group().startswith("/") else "{}", text
    )
    text = re.sub(r"/{2,}", "/", "/" + text)
    if len(text) > 1:
        text = text.rstrip("/") or "/"
    return text


# A `{name}` hole our inventory shows for an expression it could not evaluate (JS/TS only:
# their frameworks spell parameters `:name`, never `{name}`).
_LEADING_HOLES = re.compile(r"^(?:/?\{[^{}/]*\})+(?=/|$)")


def drop_unresolved_prefix(path: str) -> str:
    """Our JS/TS path with its leading `{expression}` segments dropped: a mount prefix taken
    from configuration (Unleash's `${baseUriPath}/api`, `baseUriPath` defaulting to '').
    The oracle boots every app with its default configuration, where such a prefix is empty;
    had it a value, the oracle's routes would carry a literal segment we could not know.
    Holes further in stay `{}`: one segment, like a parameter."""
    return _LEADING_HOLES.sub("", path) or "/"


def route_key(method: str, path: str, *, regex: bool = False) -> RouteKey:
    return RouteKey(normalise_method(method), normalise_path(path, regex=regex))


def _drop_implicit_head(keys: set[RouteKey]) -> set[RouteKey]:
    """HEAD beside GET on one path is the framework's automatic answer: count the GET once."""
    gets = {k.path for k in keys if k.method == "GET"}
    return {k for k in keys if not (k.method == "HEAD" and k.path in gets)}


@dataclass
class Comparison:
    oracle: list[RouteKey]
    ours: list[RouteKey]
    matched_oracle: list[RouteKey]
    matched_ours: list[RouteKey]
    missed: list[RouteKey]
    extra: list[RouteKey]
    # Missed oracle routes that one of our extra routes ends with: found, prefix lost.
    prefix_lost: list[RouteKey] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return len(self.matched_oracle) / len(self.oracle) if self.oracle else 1.0

    @property
    def precision(self) -> float:
        return len(self.matched_ours) / len(self.ours) if self.ours else 1.0


def _covers(key: RouteKey, others: dict[str, set[str]]) -> bool:
    methods = others.get(key.path)
    if not methods:
        return False
    return key.method == WILDCARD or key.method in methods or WILDCARD in methods


def compare(oracle: Iterable[RouteKey], ours: Iterable[RouteKey]) -> Comparison:
    """Both sides as sets of (method, path); a wildcard method on either side matches any
    method on the same path. Recall counts oracle routes covered by ours, precision ours
    covered by the oracle."""
    oracle_set = _drop_implicit_head(set(oracle))
    ours_set = _drop_implicit_head(set(ours))
    by_path_oracle: dict[str, set[str]] = {}
    for key in oracle_set:
        by_path_oracle.setdefault(key.path, set()).add(key.method)
    by_path_ours: dict[str, set[str]] = {}
    for key in ours_set:
        by_path_ours.setdefault(key.path, set()).add(key.method)
    matched_oracle = sorted(k for k in oracle_set if _covers(k, by_path_ours))
    matched_ours = sorted(k for k in ours_set if _covers(k, by_path_oracle))
    missed = sorted(oracle_set - set(matched_oracle))
    extra = sorted(ours_set - set(matched_ours))
    return Comparison(
        oracle=sorted(oracle_set),
        ours=sorted(ours_set),
        matched_oracle=matched_oracle,
        matched_ours=matched_ours,
        missed=missed,
        extra=extra,
        prefix_lost=[k for k in missed if _found_without_prefix(k, extra)],
    )


def _found_without_prefix(key: RouteKey, extra: Sequence[RouteKey]) -> bool:
    for other in extra:
        if other.path in ("/", "/{}") or not key.path.endswith(other.path):
            continue
        if key.path == other.path:
            continue  # same path, other method: not a prefix problem
        if WILDCARD in (key.method, other.method) or key.method == other.method:
            return True
    return False


# --------------------------------------------------------------------------- apps


@dataclass(frozen=True)
class App:
    name: str
    ecosystem: str  # "python" | "node"
    framework: str
    install: list[str]
    package: str  # python: top-level import name; node: the package name in node_modules
    source: str  # the review root, relative to the package's directory ("" = itself)
    boot: str  # shim file in benchmarks/route_oracle/
    env: dict[str, str] = field(default_factory=dict)
    note: str = ""

    @property
    def home(self) -> Path:
        return CACHE / self.name


def load_apps(path: Path = APPS_FILE) -> list[App]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    apps: list[App] = []
    for raw in data.get("app", []):
        apps.append(
            App(
                name=str(raw["name"]),
                ecosystem=str(raw["ecosystem"]),
                framework=str(raw["framework"]),
                install=[str(x) for x in raw["install"]],
                package=str(raw["package"]),
                source=str(raw.get("source", "")),
                boot=str(raw["boot"]),
                env={str(k): str(v) for k, v in raw.get("env", {}).items()},
                note=str(raw.get("note", "")),
            )
        )
    return apps


def _run(argv: Sequence[str], *, cwd: Path, env: dict[str, str] | None, timeout: float) -> str:
    """Run argv in its own process group; the whole group ends on timeout. Returns output."""
    proc = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        raise RuntimeError(f"{argv[0]} timed out after {timeout:.0f} s:\n{out[-3000:]}") from None
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:3])}… exited {proc.returncode}:\n{out[-3000:]}")
    return out


def _venv_python(app: App) -> Path:
    return app.home / "venv" / "bin" / "python"


def ensure_installed(app: App) -> bool:
    """Install once; True when this call used the network."""
    stamp = app.home / "installed.json"
    wanted = {"install": app.install, "python": sys.version.split()[0]}
    if stamp.is_file():
        try:
            before = json.loads(stamp.read_text(encoding="utf-8"))
        except ValueError:
            before = {}
        if before == wanted:
            return False
        if before.get("python") != wanted["python"]:
            shutil.rmtree(app.home / "venv", ignore_errors=True)  # made by another Python
    app.home.mkdir(parents=True, exist_ok=True)
    if app.ecosystem == "python":
        if not _venv_python(app).exists():
            _run(
                [sys.executable, "-m", "venv", str(app.home / "venv")],
                cwd=app.home,
                env=None,
                timeout=300,
            )
        _run(
            [str(_venv_python(app)), "-m", "pip", "install", "--quiet", *app.install],
            cwd=app.home,
            env=None,
            timeout=INSTALL_TIMEOUT,
        )
    else:
        node_dir = app.home / "node"
        node_dir.mkdir(exist_ok=True)
        package_json = node_dir / "package.json"
        if not package_json.exists():
            package_json.write_text('{"private": true}\n', encoding="utf-8")
        _run(
            ["npm", "install", "--no-audit", "--no-fund", "--save-exact", *app.install],
            cwd=node_dir,
            env=None,
            timeout=INSTALL_TIMEOUT,
        )
    stamp.write_text(json.dumps(wanted), encoding="utf-8")
    return True


def package_dir(app: App) -> Path:
    if app.ecosystem == "node":
        return app.home / "node" / "node_modules" / app.package
    code = (
        "import importlib.util, sys\n"
        "spec = importlib.util.find_spec(sys.argv[1])\n"
        "print(list(spec.submodule_search_locations or [])[0] if spec.submodule_search_locations"
        " else spec.origin)\n"
    )
    out = _run(
        [str(_venv_python(app)), "-c", code, app.package], cwd=app.home, env=None, timeout=60
    )
    return Path(out.strip().splitlines()[-1])


def _boot_env(app: App, run_dir: Path) -> dict[str, str]:
    home = run_dir / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "ORACLE_RUN_DIR": str(run_dir),
        "ORACLE_PACKAGE_DIR": str(package_dir(app)),
        "NODE_ENV": "production",
        "PYTHONDONTWRITEBYTECODE": "1",
        # Nothing the apps try to fetch at import time may leave the machine.
        "NO_PROXY": "",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
    }
    for key, value in app.env.items():
        env[key] = value.replace("{run}", str(run_dir))
    if app.ecosystem == "python":
        env["PYTHONPATH"] = str(SHIMS)
    else:
        env["NODE_PATH"] = str(app.home / "node" / "node_modules")
    return env


def oracle_routes(app: App) -> tuple[list[dict[str, Any]], list[str]]:
    run_dir = app.home / "run"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    out_file = run_dir / "routes.json"
    shim = SHIMS / app.boot
    runner = str(_venv_python(app)) if app.ecosystem == "python" else "node"
    log = _run(
        [runner, str(shim), str(out_file)],
        cwd=run_dir,
        env=_boot_env(app, run_dir),
        timeout=BOOT_TIMEOUT,
    )
    if not out_file.is_file():
        raise RuntimeError(f"the boot shim wrote no routes:\n{log[-3000:]}")
    data = json.loads(out_file.read_text(encoding="utf-8"))
    return list(data["routes"]), [str(n) for n in data.get("notes", [])]


def our_routes(source: Path) -> list[Any]:
    from mcp_backend.review.engine import run_review
    from mcp_backend.review.model import ReviewRequest

    return list(run_review(ReviewRequest(root=source, use_cache=False)).routes)


# --------------------------------------------------------------------------- one app


@dataclass
class AppResult:
    name: str
    framework: str
    version: str
    source: str
    oracle: int = 0
    ours: int = 0
    matched: int = 0
    recall: float = 0.0
    precision: float = 0.0
    prefix_lost: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)


def _where_of(where: str, source: Path) -> str:
    if not where:
        return ""
    path, _, line = where.rpartition(":")
    try:
        rel = Path(path).resolve().relative_to(source.resolve())
    except ValueError:
        for marker in ("/site-packages/", "/node_modules/"):
            if marker in path:  # outside the reviewed source: the framework's or a library's
                return f"[{path.rpartition(marker)[2]}:{line}]"
        return where
    return f"{rel}:{line}"


def run_app(app: App) -> AppResult:
    result = AppResult(app.name, app.framework, " ".join(app.install), "")
    started = time.monotonic()
    try:
        used_network = ensure_installed(app)
        result.seconds["install"] = round(time.monotonic() - started, 1)
        if used_network:
            result.notes.append("installed now (first run)")
        source = package_dir(app) / app.source
        result.source = str(source)
        mark = time.monotonic()
        raw_oracle, notes = oracle_routes(app)
        result.notes.extend(notes)
        result.seconds["boot"] = round(time.monotonic() - mark, 1)
        mark = time.monotonic()
        ours = our_routes(source)
        result.seconds["review"] = round(time.monotonic() - mark, 1)
    except (RuntimeError, OSError, ValueError, KeyError) as exc:
        result.error = str(exc)
        return result

    where: dict[RouteKey, str] = {}
    oracle_keys: list[RouteKey] = []
    for raw in raw_oracle:
        key = route_key(str(raw["method"]), str(raw["path"]), regex=bool(raw.get("regex")))
        oracle_keys.append(key)
        where.setdefault(key, _where_of(str(raw.get("where", "")), source))
    ours_where: dict[RouteKey, str] = {}
    our_keys: list[RouteKey] = []
    for route in ours:
        path = drop_unresolved_prefix(route.path) if app.ecosystem == "node" else route.path
        key = route_key(route.method, path)
        our_keys.append(key)
        ours_where.setdefault(key, f"{route.file}:{route.line}")
    comparison = compare(oracle_keys, our_keys)
    result.oracle = len(comparison.oracle)
    result.ours = len(comparison.ours)
    result.matched = len(comparison.matched_oracle)
    result.recall = round(comparison.recall, 3)
    result.precision = round(comparison.precision, 3)
    result.prefix_lost = len(comparison.prefix_lost)
    result.missed = [f"{k.method} {k.path}  {where.get(k, '')}".rstrip() for k in comparison.missed]
    result.extra = [
        f"{k.method} {k.path}  {ours_where.get(k, '')}".rstrip() for k in comparison.extra
    ]
    return result


def print_result(result: AppResult, *, verbose: bool) -> None:
    print(f"\n== {result.name} ({result.framework}; {result.version})")
    if result.error:
        print(f"  ! failed: {result.error}")
        return
    print(
        f"  oracle {result.oracle}  ours {result.ours}  matched {result.matched}  "
        f"recall {result.recall:.0%}  precision {result.precision:.0%}  "
        f"({', '.join(f'{k} {v:.1f}s' for k, v in result.seconds.items())})"
    )
    if result.prefix_lost:
        print(
            f"  {result.prefix_lost} missed routes are in our list under a shorter path "
            "(found, mount prefix lost)"
        )
    print(f"  source: {result.source}")
    for note in result.notes:
        print(f"  note: {note}")
    for title, items in (("missed", result.missed), ("extra", result.extra)):
        if not items:
            continue
        shown = items if verbose else items[:LIST_CAP]
        print(f"  {title} ({len(items)}):")
        for item in shown:
            print(f"    {item}")
        if len(shown) < len(items):
            print(f"    … {len(items) - len(shown)} more (--verbose)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--app", action="append", default=[], help="Only this app (repeatable).")
    parser.add_argument("--json", type=Path, help="Write every result as JSON to this file.")
    parser.add_argument("--verbose", action="store_true", help="List every missed/extra route.")
    args = parser.parse_args(argv)
    apps = load_apps()
    if args.app:
        unknown = set(args.app) - {a.name for a in apps}
        if unknown:
            print(
                f"unknown app(s): {', '.join(sorted(unknown))}; known: "
                f"{', '.join(a.name for a in apps)}"
            )
            return 2
        apps = [a for a in apps if a.name in args.app]
    started = time.monotonic()
    results: list[AppResult] = []
    for app in apps:
        result = run_app(app)
        results.append(result)
        print_result(result, verbose=args.verbose)
    ok = [r for r in results if r.error is None]
    total_oracle = sum(r.oracle for r in ok)
    total_matched = sum(r.matched for r in ok)
    print(
        f"\n{len(ok)}/{len(results)} apps booted; overall route recall "
        f"{total_matched}/{total_oracle} = {total_matched / max(total_oracle, 1):.0%}; "
        f"{time.monotonic() - started:.0f} s"
    )
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
