"""Review precision on real server code nobody here wrote, against hand-judged verdicts.

    .venv/bin/python benchmarks/realworld.py                  # the tune half (the default)
    .venv/bin/python benchmarks/realworld.py --half report    # the half nobody tunes against
    .venv/bin/python benchmarks/realworld.py --app maubot --unjudged   # findings to judge
    .venv/bin/python benchmarks/realworld.py --half all --json out.json
    .venv/bin/python benchmarks/realworld.py --fetch-only --half all

The corpus is benchmarks/realworld_corpus.toml: packages from PyPI and npm at pinned versions.
The first run fetches them (`pip download --no-deps`, `npm pack`) into
~/.cache/mcp-backend/realworld/ (or $XDG_CACHE_HOME/mcp-backend/realworld/), checks each
archive's sha256 against the corpus and records it in checksums.json there, and unpacks it;
later runs are offline. Each app is reviewed in-process by the engine, without its cache.

Verdicts are benchmarks/realworld_verdicts/<slug>.toml, one [[finding]] per judged finding:
rule, file, line, optional route, verdict ("true" | "false") and a one-line reason. A verdict
matches a finding of the same rule and file whose line is within +-2 or whose route is equal;
each verdict judges one finding. Printed per app and per half: files, non-test lines, routes,
findings by severity, precision of high/critical and of all judged findings, false positives per
5,000 non-test lines, and the findings without a verdict.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

REPO = Path(__file__).resolve().parent.parent
CORPUS_FILE = REPO / "benchmarks" / "realworld_corpus.toml"
VERDICTS_DIR = REPO / "benchmarks" / "realworld_verdicts"
CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mcp-backend" / "realworld"
)
LINE_TOLERANCE = 2
FETCH_TIMEOUT_S = 600
SEVERITIES = ("critical", "high", "medium", "low", "info")
HIGH = frozenset({"critical", "high"})
REGISTRIES = ("pypi", "npm")
HALVES = ("tune", "report")
FRAMEWORKS = frozenset(
    {
        "fastapi",
        "flask",
        "django",
        "drf",
        "aiohttp",
        "starlette",
        "express",
        "fastify",
        "hono",
        "nestjs",
        "koa",
        "nextjs",
        "trpc",
    }
)
# API styles rather than HTTP frameworks; the registries offered few packages built on them.
API_STYLES = frozenset({"nextjs", "trpc"})
PYTHON_FRAMEWORKS = frozenset({"fastapi", "flask", "django", "drf", "aiohttp", "starlette"})
JS_FRAMEWORKS = FRAMEWORKS - PYTHON_FRAMEWORKS
_CONFIG_HEADER = "# written by benchmarks/realworld.py from realworld_corpus.toml"
VERDICT_KEYS = frozenset({"rule", "file", "line", "route", "verdict", "reason"})

sys.path.insert(0, str(REPO))

from mcp_backend.review.engine import run_review  # noqa: E402
from mcp_backend.review.model import Finding, ReviewRequest  # noqa: E402

# --------------------------------------------------------------------------- the corpus as data


@dataclass(frozen=True)
class App:
    name: str
    registry: Literal["pypi", "npm"]
    version: str
    sha256: str
    frameworks: tuple[str, ...]
    root: str
    paths: tuple[str, ...]
    exclude: tuple[str, ...]
    lines: int
    half: Literal["tune", "report"]

    @property
    def slug(self) -> str:
        return app_slug(self.name)

    @property
    def language(self) -> Literal["python", "javascript"]:
        return "python" if self.registry == "pypi" else "javascript"


def app_slug(name: str) -> str:
    """The verdict file's stem: '@scope/pkg' -> 'scope__pkg'."""
    return name.lstrip("@").replace("/", "__")


class CorpusError(ValueError):
    pass


def _relative(value: str, where: str) -> str:
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts:
        raise CorpusError(f"{where}: {value!r} must be a relative path inside the archive")
    return value


def parse_corpus(data: dict[str, Any]) -> list[App]:
    """The [[app]] entries, checked field by field; raises CorpusError naming the problem."""
    entries = data.get("app")
    if not isinstance(entries, list) or not entries:
        raise CorpusError("the corpus has no [[app]] entries")
    apps: list[App] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        where = f"app #{number}"
        if not isinstance(entry, dict):
            raise CorpusError(f"{where} is not a table")
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            raise CorpusError(f"{where}: name missing")
        where = f"app {name!r}"
        if name in seen:
            raise CorpusError(f"{where} appears twice")
        seen.add(name)
        registry = entry.get("registry")
        if registry not in REGISTRIES:
            raise CorpusError(f"{where}: registry must be one of {REGISTRIES}")
        version = entry.get("version")
        if not isinstance(version, str) or not version or any(c in version for c in "^~<>=* "):
            raise CorpusError(f"{where}: version must be one exact version")
        sha256 = entry.get("sha256")
        if not isinstance(sha256, str) or len(sha256) != 64:
            raise CorpusError(f"{where}: sha256 must be 64 hex digits")
        frameworks = entry.get("frameworks")
        if (
            not isinstance(frameworks, list)
            or not frameworks
            or any(f not in FRAMEWORKS for f in frameworks)
        ):
            raise CorpusError(
                f"{where}: frameworks must be a non-empty list of {sorted(FRAMEWORKS)}"
            )
        own = PYTHON_FRAMEWORKS if registry == "pypi" else JS_FRAMEWORKS
        if any(f not in own for f in frameworks):
            raise CorpusError(f"{where}: a framework does not match the registry's language")
        root = entry.get("root")
        if not isinstance(root, str) or not root:
            raise CorpusError(f"{where}: root missing")
        paths = entry.get("paths", [])
        exclude = entry.get("exclude", [])
        if not isinstance(paths, list) or not all(isinstance(p, str) and p for p in paths):
            raise CorpusError(f"{where}: paths must be a list of paths")
        if not isinstance(exclude, list) or not all(isinstance(p, str) and p for p in exclude):
            raise CorpusError(f"{where}: exclude must be a list of globs")
        lines = entry.get("lines")
        if not isinstance(lines, int) or isinstance(lines, bool) or lines < 0:
            raise CorpusError(f"{where}: lines must be a count")
        half = entry.get("half")
        if half not in HALVES:
            raise CorpusError(f"{where}: half must be one of {HALVES}")
        apps.append(
            App(
                name=name,
                registry=registry,
                version=version,
                sha256=sha256.lower(),
                frameworks=tuple(frameworks),
                root=_relative(root, where),
                paths=tuple(_relative(p, where) for p in paths),
                exclude=tuple(exclude),
                lines=lines,
                half=half,
            )
        )
    slugs = Counter(app.slug for app in apps)
    if clash := [s for s, n in slugs.items() if n > 1]:
        raise CorpusError(f"two apps share the verdict file name {clash[0]!r}")
    return apps


def load_corpus(path: Path = CORPUS_FILE) -> list[App]:
    return parse_corpus(tomllib.loads(path.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- verdicts as data


@dataclass(frozen=True)
class Verdict:
    rule: str
    file: str
    line: int
    route: str | None
    verdict: bool
    reason: str


def parse_verdicts(data: dict[str, Any], where: str) -> list[Verdict]:
    entries = data.get("finding", [])
    if not isinstance(entries, list):
        raise CorpusError(f"{where}: [[finding]] must be an array of tables")
    verdicts: list[Verdict] = []
    for number, entry in enumerate(entries, 1):
        at = f"{where} finding #{number}"
        if not isinstance(entry, dict):
            raise CorpusError(f"{at} is not a table")
        if unknown := set(entry) - VERDICT_KEYS:
            raise CorpusError(f"{at}: unknown keys {sorted(unknown)}")
        rule, file, line = entry.get("rule"), entry.get("file"), entry.get("line")
        route, verdict, reason = entry.get("route"), entry.get("verdict"), entry.get("reason")
        if not isinstance(rule, str) or not rule:
            raise CorpusError(f"{at}: rule missing")
        if not isinstance(file, str) or not file:
            raise CorpusError(f"{at}: file missing")
        if not isinstance(line, int) or isinstance(line, bool) or line < 1:
            raise CorpusError(f"{at}: line must be a positive integer")
        if route is not None and (not isinstance(route, str) or not route):
            raise CorpusError(f"{at}: route must be 'METHOD /path' when given")
        if verdict not in ("true", "false"):
            raise CorpusError(f'{at}: verdict must be "true" or "false"')
        if not isinstance(reason, str) or not reason.strip() or "\n" in reason.strip():
            raise CorpusError(f"{at}: reason must be one line")
        verdicts.append(Verdict(rule, file, line, route, verdict == "true", reason.strip()))
    return verdicts


def load_verdicts(app: App, directory: Path = VERDICTS_DIR) -> list[Verdict]:
    path = directory / f"{app.slug}.toml"
    if not path.is_file():
        return []
    return parse_verdicts(tomllib.loads(path.read_text(encoding="utf-8")), path.name)


def verdict_matches(verdict: Verdict, finding: Finding) -> bool:
    if verdict.rule != finding.rule_id or verdict.file != finding.file:
        return False
    if abs(verdict.line - finding.line) <= LINE_TOLERANCE:
        return True
    return verdict.route is not None and verdict.route == finding.route


def assign_verdicts(
    findings: list[Finding], verdicts: list[Verdict]
) -> list[tuple[Finding, Verdict | None]]:
    """Each verdict judges at most one finding; the nearest line wins."""
    free = list(range(len(verdicts)))
    pairs: list[tuple[Finding, Verdict | None]] = []
    for finding in findings:
        candidates = [i for i in free if verdict_matches(verdicts[i], finding)]
        if not candidates:
            pairs.append((finding, None))
            continue
        best = min(candidates, key=lambda i: abs(verdicts[i].line - finding.line))
        free.remove(best)
        pairs.append((finding, verdicts[best]))
    return pairs


# --------------------------------------------------------------------------- fetch and unpack


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _checksums() -> dict[str, str]:
    try:
        data = json.loads((CACHE / "checksums.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _record_checksum(archive: Path, digest: str) -> None:
    sums = _checksums()
    sums[archive.name] = digest
    target = CACHE / "checksums.json"
    target.write_text(json.dumps(sums, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _archive_name(app: App) -> str:
    return f"{app.slug}-{app.version}" + (".whl" if app.registry == "pypi" else ".tgz")


def fetch(app: App) -> Path:
    """The app's archive in the cache: downloaded once, pinned, checked against the corpus."""
    archives = CACHE / "archives"
    archives.mkdir(parents=True, exist_ok=True)
    target = archives / _archive_name(app)
    if not target.is_file():
        with tempfile.TemporaryDirectory(dir=archives) as scratch:
            if app.registry == "pypi":
                argv = [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--only-binary=:all:",
                    "--ignore-requires-python",
                    "--quiet",
                    "--dest",
                    scratch,
                    f"{app.name}=={app.version}",
                ]
                # a site-wide constraints file must not move the pin
                env = {**os.environ, "PIP_CONSTRAINT": ""}
            else:
                npm = shutil.which("npm")
                if npm is None:
                    raise RuntimeError("npm is not installed; it is needed to fetch npm packages")
                argv = [npm, "pack", "--silent", "--pack-destination", scratch]
                argv.append(f"{app.name}@{app.version}")
                env = dict(os.environ)
            done = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                timeout=FETCH_TIMEOUT_S,
                env=env,
                check=False,
            )
            got = [p for p in Path(scratch).iterdir() if p.is_file()]
            if done.returncode != 0 or len(got) != 1:
                tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
                raise RuntimeError(f"fetching {app.name} {app.version} failed: {' | '.join(tail)}")
            digest = _sha256(got[0])
            if digest != app.sha256:
                raise RuntimeError(
                    f"{app.name} {app.version}: the registry served sha256 {digest}, the corpus "
                    f"pins {app.sha256}"
                )
            got[0].replace(target)
            _record_checksum(target, digest)
    else:
        digest = _checksums().get(target.name) or _sha256(target)
        if digest != app.sha256:
            raise RuntimeError(
                f"{target} has sha256 {digest}, the corpus pins {app.sha256}; delete it to refetch"
            )
        if target.name not in _checksums():
            _record_checksum(target, digest)
    return target


def _safe_members_zip(archive: zipfile.ZipFile, dest: Path) -> None:
    for member in archive.namelist():
        path = (dest / member).resolve()
        if dest.resolve() not in path.parents and path != dest.resolve():
            raise RuntimeError(f"{member} would unpack outside {dest}")
    archive.extractall(dest)


def unpack(app: App, archive: Path) -> Path:
    """The unpacked archive, once; an mcp-backend.toml carries the entry's exclude globs."""
    dest = CACHE / "src" / f"{app.slug}-{app.version}"
    marker = dest / ".complete"
    if not marker.is_file():
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as wheel:
                _safe_members_zip(wheel, dest)
        else:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(dest, filter="data")
        marker.write_text("ok\n", encoding="utf-8")
    root = dest / app.root
    if not root.is_dir():
        raise RuntimeError(f"{app.name}: root {app.root} is not in the archive")
    config = root / "mcp-backend.toml"
    if app.exclude:
        globs = ", ".join(json.dumps(g) for g in app.exclude)
        config.write_text(f"{_CONFIG_HEADER}\nexclude = [{globs}]\n", encoding="utf-8")
    elif config.is_file() and config.read_text(encoding="utf-8").startswith(_CONFIG_HEADER):
        config.unlink()  # the corpus is the one place for excludes
    return root


# --------------------------------------------------------------------------- review and score


@dataclass
class AppResult:
    app: App
    files: int = 0
    lines: int = 0
    routes: int = 0
    seconds: float = 0.0
    by_severity: Counter[str] = field(default_factory=Counter)
    judged: list[tuple[Finding, Verdict]] = field(default_factory=list)
    unjudged: list[Finding] = field(default_factory=list)
    unused_verdicts: int = 0
    error: str | None = None
    review_root: Path | None = None


def review_app(app: App) -> AppResult:
    result = AppResult(app)
    try:
        root = unpack(app, fetch(app))
    except (RuntimeError, OSError, subprocess.SubprocessError, tarfile.TarError) as exc:
        result.error = str(exc)
        return result
    result.review_root = root
    started = time.monotonic()
    outcome = run_review(
        ReviewRequest(root=root, paths=[Path(p) for p in app.paths], use_cache=False)
    )
    result.seconds = time.monotonic() - started
    index = outcome.index
    tests = set(index.test_files) if index is not None else set()
    sources = index.source_files if index is not None else []
    result.files = outcome.summary.files_scanned
    result.lines = sum(_line_count(root / rel) for rel in sources if rel not in tests)
    result.routes = len(outcome.routes)
    result.by_severity = Counter(f.severity for f in outcome.findings)
    verdicts = load_verdicts(app)
    pairs = assign_verdicts(outcome.findings, verdicts)
    for finding, verdict in pairs:
        if verdict is None:
            result.unjudged.append(finding)
        else:
            result.judged.append((finding, verdict))
    result.unused_verdicts = len(verdicts) - len(result.judged)
    return result


def _line_count(path: Path) -> int:
    try:
        return len(path.read_bytes().splitlines())
    except OSError:
        return 0


@dataclass
class Figures:
    files: int = 0
    lines: int = 0
    routes: int = 0
    findings: int = 0
    by_severity: Counter[str] = field(default_factory=Counter)
    judged: int = 0
    true: int = 0
    judged_high: int = 0
    true_high: int = 0
    unjudged: int = 0
    seconds: float = 0.0

    def add(self, result: AppResult) -> None:
        self.files += result.files
        self.lines += result.lines
        self.routes += result.routes
        self.findings += sum(result.by_severity.values())
        self.by_severity.update(result.by_severity)
        self.unjudged += len(result.unjudged)
        self.seconds += result.seconds
        for finding, verdict in result.judged:
            self.judged += 1
            self.true += verdict.verdict
            if finding.severity in HIGH:
                self.judged_high += 1
                self.true_high += verdict.verdict

    @property
    def false_positives(self) -> int:
        return self.judged - self.true

    def as_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "non_test_lines": self.lines,
            "routes": self.routes,
            "findings": self.findings,
            "by_severity": {s: self.by_severity.get(s, 0) for s in SEVERITIES},
            "judged": self.judged,
            "unjudged": self.unjudged,
            "true_positives": self.true,
            "false_positives": self.false_positives,
            "precision_high_critical": _ratio(self.true_high, self.judged_high),
            "precision_all": _ratio(self.true, self.judged),
            "false_positives_per_5k_lines": (
                round(self.false_positives / self.lines * 5000, 2)
                if self.lines and self.judged
                else None
            ),
            "review_seconds": round(self.seconds, 2),
        }


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _severity_line(counter: Counter[str]) -> str:
    return " ".join(f"{s}={counter.get(s, 0)}" for s in SEVERITIES)


def _figures_line(fig: Figures) -> str:
    data = fig.as_json()
    rate = data["false_positives_per_5k_lines"]
    return (
        f"precision high/critical {_pct(data['precision_high_critical'])} "
        f"({fig.true_high}/{fig.judged_high}), all {_pct(data['precision_all'])} "
        f"({fig.true}/{fig.judged}), FP per 5k lines {'n/a' if rate is None else rate}, "
        f"unjudged {fig.unjudged}"
    )


def _describe(finding: Finding) -> str:
    route = f" [{finding.route}]" if finding.route else ""
    return (
        f"{finding.severity:<8} {finding.rule_id} {finding.file}:{finding.line}{route} "
        f"{finding.message}"
    )


def _context(root: Path, finding: Finding, around: int = 3) -> list[str]:
    try:
        text = (root / finding.file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    start = max(1, finding.line - around)
    end = min(len(text), finding.line + around)
    return [
        f"    {'>' if n == finding.line else ' '}{n:>6} {text[n - 1][:160]}"
        for n in range(start, end + 1)
    ]


def write_judging_sheets(apps: list[App], directory: Path) -> int:
    """One Markdown sheet per app: its unjudged findings with where to read the code, and the
    TOML shape the verdicts go in. The judge reads the code, not our hopes."""
    directory.mkdir(parents=True, exist_ok=True)
    for app in apps:
        result = review_app(app)
        if result.error or not result.unjudged or result.review_root is None:
            continue
        lines = [
            f"# {app.name} {app.version} ({app.half} half): "
            f"{len(result.unjudged)} findings to judge",
            "",
            f"Review root (paths below are relative to it): `{result.review_root}`",
            f"Verdicts go to `benchmarks/realworld_verdicts/{app.slug}.toml` as `[[finding]]`",
            'tables: rule, file, line, route (if any), verdict ("true"/"false"), reason.',
            "",
        ]
        for n, finding in enumerate(result.unjudged, 1):
            lines += [
                f"## {n}. {finding.rule_id} ({finding.severity}) {finding.file}:{finding.line}",
                f"route: {finding.route or '-'}",
                f"message: {finding.message}",
                "",
            ]
        (directory / f"{app.slug}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"  {app.name}: {len(result.unjudged)} findings -> {directory / app.slug}.md")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=[*HALVES, "all"], default="tune")
    parser.add_argument("--app", action="append", default=[], help="only this app (repeatable)")
    parser.add_argument("--json", type=Path, help="write machine-readable results here")
    parser.add_argument(
        "--unjudged", action="store_true", help="print only unjudged findings, with code context"
    )
    parser.add_argument("--fetch-only", action="store_true", help="fetch and unpack, no review")
    parser.add_argument(
        "--for-judges",
        type=Path,
        metavar="DIR",
        help="write one judging sheet per app with unjudged findings into DIR (for the "
        "independent judges of the report half; whoever tunes rules does not read them)",
    )
    args = parser.parse_args()

    apps = load_corpus()
    if args.app:
        unknown = set(args.app) - {a.name for a in apps}
        if unknown:
            print(f"not in the corpus: {', '.join(sorted(unknown))}")
            return 2
        apps = [a for a in apps if a.name in args.app]
    else:
        apps = [a for a in apps if args.half == "all" or a.half == args.half]
    if args.for_judges is not None:
        return write_judging_sheets(apps, args.for_judges)
    if args.unjudged and any(a.half == "report" for a in apps):
        print("the report half is not judged: --unjudged works on tune apps only")
        return 2

    if args.fetch_only:
        failed = 0
        for app in apps:
            try:
                root = unpack(app, fetch(app))
            except (RuntimeError, OSError, subprocess.SubprocessError, tarfile.TarError) as exc:
                print(f"  ! {app.name}: {exc}")
                failed += 1
            else:
                print(f"  {app.name} {app.version}: {root}")
        return 1 if failed else 0

    started = time.monotonic()
    results: list[AppResult] = []
    for app in apps:
        result = review_app(app)
        results.append(result)
        if result.error:
            print(f"\n== {app.name} {app.version}: NOT REVIEWED ({result.error})")
            continue
        if args.unjudged:
            if result.unjudged:
                print(f"\n== {app.name} {app.version} ({result.review_root})")
            for finding in result.unjudged:
                print(f"  {_describe(finding)}")
                if result.review_root is not None:
                    print("\n".join(_context(result.review_root, finding)))
            continue
        fig = Figures()
        fig.add(result)
        drift = ""
        if app.lines and abs(result.lines - app.lines) > max(10, app.lines // 100):
            drift = f" (corpus says {app.lines})"
        print(
            f"\n== {app.name} {app.version} [{app.half}; {', '.join(app.frameworks)}] "
            f"{result.files} files, {result.lines} non-test lines{drift}, {result.routes} routes, "
            f"{fig.findings} findings ({result.seconds:.1f}s)"
        )
        print(f"  by severity: {_severity_line(fig.by_severity)}")
        print(f"  {_figures_line(fig)}")
        if result.unused_verdicts:
            print(f"  {result.unused_verdicts} verdicts matched no finding (fixed or moved?)")
        if app.half == "tune":
            for finding in result.unjudged:
                print(f"  unjudged: {_describe(finding)}")
    if args.unjudged:
        return 0

    halves: dict[str, Figures] = {}
    for half in HALVES:
        members = [r for r in results if r.app.half == half and r.error is None]
        if not members:
            continue
        fig = Figures()
        for result in members:
            fig.add(result)
        halves[half] = fig
        python = sum(1 for r in members if r.app.language == "python")
        print(
            f"\n## {half} half: {len(members)} apps ({python} Python, {len(members) - python} "
            f"JS/TS), {fig.files} files, {fig.lines} non-test lines, {fig.routes} routes, "
            f"{fig.findings} findings"
        )
        print(f"  by severity: {_severity_line(fig.by_severity)}")
        print(f"  {_figures_line(fig)}")
    elapsed = time.monotonic() - started
    errors = [r for r in results if r.error]
    print(f"\n{len(results) - len(errors)} apps reviewed in {elapsed:.1f}s; {len(errors)} failed")

    if args.json:
        payload = {
            "apps": [
                {
                    "name": r.app.name,
                    "version": r.app.version,
                    "half": r.app.half,
                    "frameworks": list(r.app.frameworks),
                    "error": r.error,
                    **_app_figures(r).as_json(),
                    "unjudged_findings": [
                        {
                            "rule": f.rule_id,
                            "severity": f.severity,
                            "file": f.file,
                            "line": f.line,
                            "route": f.route,
                            "message": f.message,
                        }
                        for f in r.unjudged
                    ],
                    "false_positives": [
                        {"rule": f.rule_id, "file": f.file, "line": f.line, "reason": v.reason}
                        for f, v in r.judged
                        if not v.verdict
                    ],
                }
                for r in results
            ],
            "halves": {half: fig.as_json() for half, fig in halves.items()},
            "elapsed_seconds": round(elapsed, 1),
        }
        args.json.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return 1 if errors else 0


def _app_figures(result: AppResult) -> Figures:
    fig = Figures()
    fig.add(result)
    return fig


if __name__ == "__main__":
    sys.exit(main())
