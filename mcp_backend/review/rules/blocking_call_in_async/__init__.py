"""Catalog entry: Blocking call inside async code."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="blocking-call-in-async",
    name="Blocking call inside async code",
    checklist_item="blocking-io",
    severity="medium",
    confidence="high",
    cwe=None,
    owasp=None,
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds synchronous I/O inside `async def`: `requests.*`, "
            "`urllib.request.urlopen`, sync `httpx`\n"
            "calls, `time.sleep`, `subprocess.run`/`check_output`/`os.system`, "
            "sync database drivers\n"
            "(`psycopg2`, `sqlite3`, `pymysql`), a sync SQLAlchemy `Session` used "
            "in an async FastAPI\n"
            "handler, evaluating Django querysets without the async API, and "
            "`open()`; in Node handlers,\n"
            "`fs.*Sync`, `child_process.execSync` and other `*Sync` calls. Calls wrapped in\n"
            "`asyncio.to_thread`, `run_in_executor`, `run_in_threadpool` or "
            "`sync_to_async` are fine, and\n"
            "plain `def` handlers are not checked (FastAPI runs them in a thread pool)."
        ),
        why=(
            "An event loop runs every request of the process on one thread. A "
            "blocking call stops all of\n"
            "them until it returns: one slow upstream API or a `time.sleep(1)` "
            "turns a server that handled\n"
            "thousands of concurrent requests into one that handles one at a time, "
            "and timeouts spread."
        ),
        example=(
            "```python\n"
            '@app.get("/weather")\n'
            "async def weather(city: str):\n"
            '    resp = requests.get(f"https://api.example.com/weather?q={city}", timeout=5)\n'
            "    return resp.json()\n"
            "\n"
            '@app.get("/items")\n'
            "async def items(db: Session = Depends(get_db)):\n"
            "    return db.query(Item).all()\n"
            "```\n"
            "\n"
            "```ts\n"
            'app.get("/report", async (req, res) => {\n'
            '  const data = fs.readFileSync("report.csv", "utf8");\n'
            "  res.send(data);\n"
            "});\n"
            "```"
        ),
        instead=(
            "```python\n"
            '@app.get("/weather")\n'
            "async def weather(city: str, client: httpx.AsyncClient = Depends(http_client)):\n"
            '    resp = await client.get("https://api.example.com/weather", '
            'params={"q": city})\n'
            "    return resp.json()\n"
            "\n"
            '@app.get("/items")\n'
            "def items(db: Session = Depends(get_db)):        # sync handler: runs "
            "in the thread pool\n"
            "    return db.query(Item).all()\n"
            "```\n"
            "\n"
            "```ts\n"
            'const data = await fs.promises.readFile("report.csv", "utf8");\n'
            "```"
        ),
        references=[
            "https://fastapi.tiangolo.com/async/",
            "https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code",
            "https://nodejs.org/en/learn/asynchronous-work/dont-block-the-event-loop",
        ],
    ),
)
