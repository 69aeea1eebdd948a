"""Catalog entry: Unsafe deserialization."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="unsafe-deserialization",
    name="Unsafe deserialization",
    checklist_item="injection",
    severity="high",
    confidence="high",
    cwe=502,
    owasp="A08:2021 Software and Data Integrity Failures",
    languages=["python"],
    doc=RuleDoc(
        what=(
            "Finds deserializers that can run code: `pickle.loads`/`load` (and "
            "`dill`, `jsonpickle`,\n"
            "`pandas.read_pickle`, `shelve`), `marshal.loads`, and `yaml.load` "
            "without a safe loader\n"
            "(`yaml.load(data)`, `Loader=yaml.Loader`, `UnsafeLoader`, "
            "`yaml.unsafe_load`). Severity is\n"
            "critical when the data comes from the request, medium when it arrives "
            "as a parameter and low\n"
            "for a local value (its origin is not visible: often the app's own "
            "files). Only the modules\n"
            "themselves count: a `yaml = YAML()` object (ruamel, safe by default) is "
            "not PyYAML, and\n"
            "`Loader=yaml.FullLoader` has refused arbitrary objects since PyYAML 5.4."
            "\n\nPython: the taint engine (review/taint/) follows request data from the route "
            "handlers through assignments, formatting, containers and project functions in "
            "other modules (the finding shows the path). Sanitisers it knows: `json.loads`, "
            "`yaml.safe_load` or a safe `Loader`."
        ),
        why=(
            "A pickle is a small program for the Python VM: unpickling "
            "attacker-supplied bytes runs\n"
            "attacker-chosen functions (`os.system` in one line). YAML's full "
            "loader can construct arbitrary\n"
            "Python objects the same way. Anyone who can get bytes into such a "
            "call, through a request, a\n"
            "cookie, a cache or a queue, gets code execution."
        ),
        example=(
            "```python\n"
            '@app.post("/import")\n'
            "async def import_data(request: Request):\n"
            "    rows = pickle.loads(await request.body())\n"
            "\n"
            "config = yaml.load(upload.file.read())\n"
            "```"
        ),
        instead=(
            "```python\n"
            "rows = ImportPayload.model_validate_json(await request.body())   # "
            "JSON + a schema\n"
            "config = yaml.safe_load(upload.file.read())\n"
            "# Need to sign cached data? itsdangerous / HMAC over JSON, not pickle.\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/502.html",
            "https://docs.python.org/3/library/pickle.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html",
        ],
    ),
)
