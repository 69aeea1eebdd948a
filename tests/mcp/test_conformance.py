"""The official MCP conformance suite against `serve --transport streamable-http`, twice.

The suite (npm @modelcontextprotocol/conformance) needs Node 22; npm installs both, the `node`
package being Node itself, into tests/.npm-cache/conformance on first use (kept between runs).
The server is the installed console script in a real subprocess on a free loopback port, with
no token: the local-assistant set-up. The suite runs twice back to back, because the second run
within a minute is what once met HTTP 429 (issue 15).

Which scenarios apply, and why the others do not, is data: conformance_expected.toml.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SCRIPT

EXPECTED_FILE = Path(__file__).with_name("conformance_expected.toml")
EXPECTED: dict[str, Any] = tomllib.loads(EXPECTED_FILE.read_text(encoding="utf-8"))
SCENARIOS: dict[str, dict[str, str]] = EXPECTED["scenarios"]
SUITE_VERSION: str = EXPECTED["suite"]
NODE_MAJOR: str = EXPECTED["node"]
SUITE_PACKAGE = "@modelcontextprotocol/conformance"
CACHE = Path(__file__).resolve().parents[1] / ".npm-cache" / "conformance"
NODE = CACHE / "node_modules" / "node" / "bin" / "node"
SUITE_DIR = CACHE / "node_modules" / "@modelcontextprotocol" / "conformance"

pytestmark = [pytest.mark.npm, pytest.mark.slow]


@dataclass(frozen=True)
class Suite:
    node: Path
    entry: Path

    def command(self, *args: str) -> list[str]:
        return [str(self.node), str(self.entry), *args]


def installed_version(package_dir: Path) -> str | None:
    try:
        manifest = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    version = manifest.get("version")
    return version if isinstance(version, str) else None


def suite_entry() -> Path:
    manifest = json.loads((SUITE_DIR / "package.json").read_text(encoding="utf-8"))
    binary = manifest["bin"]
    relative = binary if isinstance(binary, str) else binary["conformance"]
    return SUITE_DIR / relative


def node_is_wanted() -> bool:
    version = installed_version(NODE.parents[1])
    return NODE.exists() and version is not None and version.split(".")[0] == NODE_MAJOR


@pytest.fixture(scope="module")
def suite() -> Suite:
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("Node.js and npm are needed to install the MCP conformance suite")
    if installed_version(SUITE_DIR) != SUITE_VERSION or not node_is_wanted():
        CACHE.mkdir(parents=True, exist_ok=True)
        completed = subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
                str(CACHE),
                f"node@{NODE_MAJOR}",
                f"{SUITE_PACKAGE}@{SUITE_VERSION}",
            ],
            timeout=600,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0, f"npm install failed:\n{completed.stderr[-3000:]}"
    assert node_is_wanted(), f"npm did not install Node {NODE_MAJOR} at {NODE}"
    return Suite(NODE, suite_entry())


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def server_url(project: Path, tmp_path: Path) -> Iterator[str]:
    """The installed console script serving streamable HTTP on loopback, without a token."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCP_BACKEND_TOKEN")}
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [str(SCRIPT), "serve", "--transport", "streamable-http", "--host", "127.0.0.1",
         "--port", str(port), "--root", str(project)],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60  # bounded: start-up on a loaded machine
        while True:
            assert process.poll() is None, (tmp_path / "server.log").read_text()[-2000:]
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not listen within 60 s"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        log.close()


# --- reading the suite's results --------------------------------------------------------------

RUNNING = re.compile(r"^=== Running scenario: (\S+) ===$", re.MULTILINE)
TIMESTAMP = re.compile(r"-\d{4}-\d{2}-\d{2}T[\d-]+Z$")


@dataclass(frozen=True)
class Outcome:
    passed: bool
    problems: list[str]


def outcomes(stdout: str, output_dir: Path) -> dict[str, Outcome]:
    """Per scenario the suite ran: passed when it has checks and none is FAILURE or WARNING
    (the suite's own baseline rule). A scenario without a checks.json has failed to run."""
    checks_by_scenario: dict[str, list[dict[str, Any]]] = {}
    for checks_file in output_dir.glob("*/checks.json"):
        name = TIMESTAMP.sub("", checks_file.parent.name).removeprefix("server-")
        checks_by_scenario[name] = json.loads(checks_file.read_text(encoding="utf-8"))
    results: dict[str, Outcome] = {}
    for name in RUNNING.findall(stdout):
        checks = checks_by_scenario.get(name)
        if not checks:
            results[name] = Outcome(False, ["no checks recorded (the scenario did not run)"])
            continue
        problems = [
            f"{check['status']} {check.get('id')}: "
            f"{check.get('errorMessage') or json.dumps(check.get('details'))[:300]}"
            for check in checks
            if check.get("status") in ("FAILURE", "WARNING")
        ]
        results[name] = Outcome(not problems, problems)
    return results


def run_suite(
    suite: Suite, url: str, work: Path, label: str
) -> tuple[int, str, dict[str, Outcome]]:
    baseline = work / "expected-failures.yml"
    inapplicable = sorted(name for name, entry in SCENARIOS.items() if entry["expect"] == "fail")
    baseline.write_text("server:\n" + "".join(f"  - {name}\n" for name in inapplicable))
    output_dir = work / label
    completed = subprocess.run(
        suite.command("server", "--url", url, "--output-dir", str(output_dir),
                      "--expected-failures", str(baseline)),
        capture_output=True, text=True, timeout=600, check=False, cwd=work,
    )  # fmt: skip
    return (
        completed.returncode,
        completed.stdout + completed.stderr,
        outcomes(completed.stdout, output_dir),
    )


def mismatches(results: dict[str, Outcome]) -> list[str]:
    found: list[str] = []
    for name in sorted(set(results) - set(SCENARIOS)):
        state = "passes" if results[name].passed else "fails"
        found.append(f"{name}: new scenario ({state}), classify it in {EXPECTED_FILE.name}")
    for name in sorted(set(SCENARIOS) - set(results)):
        found.append(f"{name}: listed in {EXPECTED_FILE.name} but the suite did not run it")
    for name in sorted(set(SCENARIOS) & set(results)):
        expected_pass = SCENARIOS[name]["expect"] == "pass"
        outcome = results[name]
        if expected_pass and not outcome.passed:
            found.append(f"{name}: applicable and FAILED: {'; '.join(outcome.problems)}")
        elif not expected_pass and outcome.passed:
            found.append(
                f"{name}: listed as inapplicable ({SCENARIOS[name]['reason']}) but now PASSES: "
                "check the pass is real and mark it expect = pass"
            )
    return found


# --- the tests --------------------------------------------------------------------------------


def test_expectations_are_well_formed() -> None:
    for name, entry in SCENARIOS.items():
        assert entry.get("expect") in ("pass", "fail"), name
        explanation = entry.get("checks" if entry["expect"] == "pass" else "reason")
        assert explanation, f"{name}: say what it checks (pass) or why it does not apply (fail)"


def test_conformance_suite_passes_twice_back_to_back(
    suite: Suite, server_url: str, tmp_path: Path
) -> None:
    first = run_suite(suite, server_url, tmp_path, "first")
    second = run_suite(suite, server_url, tmp_path, "second")
    for label, (returncode, output, results) in (("first", first), ("second", second)):
        problems = mismatches(results)
        assert not problems, f"{label} run:\n" + "\n".join(problems)
        # The suite's own baseline check agrees: no unexpected failure, no stale entry.
        assert returncode == 0, f"{label} run exited {returncode}:\n{output[-3000:]}"
