"""Catalog entry: SQL built from strings."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="sql-string-query",
    name="SQL built from strings",
    checklist_item="sql-injection",
    severity="high",
    confidence="high",
    cwe=89,
    owasp="A03:2021 Injection",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds SQL text assembled at run time (f-strings, `%` formatting, `+` "
            "concatenation, `.format()`,\n"
            "template literals, `join` of non-constant parts) that reaches a query "
            "sink: `cursor.execute`,\n"
            "`session.execute`, `text()`, `Model.objects.raw`, `.extra()`, `RawSQL`, asyncpg\n"
            "`fetch`/`fetchrow`/`fetchval`, `db.query`, `sequelize.query`, "
            "`knex.raw`, `$queryRawUnsafe`.\n"
            'Simple data flow inside the function is followed, so `sql = f"..."; '
            "cur.execute(sql)` is seen.\n"
            "Constant parts (a table name in a module constant, a class attribute, "
            "an allow-list lookup, a\n"
            'placeholder list such as `", ".join(["%s"] * len(ids))`, a value whose '
            "single quotes are\n"
            'doubled with `.replace("\'", "\'\'")` for a quoted literal) are not '
            "flagged. Severity is critical when\n"
            "a spliced-in value is traced to request data, medium otherwise (a function parameter "
            "whose\ncallers were followed without finding request data, or a computed value). Test "
            "code and migrations (`migrations/`, `alembic/versions/`, `migration-utils/`, Django "
            "management commands), run by an operator, are not reviewed by this rule."
            "\n\nPython: the taint engine (review/taint/) follows request data from the route "
            "handlers through assignments, formatting, containers and project functions in "
            "other modules (the finding shows the path). Sanitisers it knows: int/float/UUID/enum"
            " conversion, an allow-list check that returns/raises/aborts, bound parameters "
            "(`execute(sql, params)`, `text(':p')` with a dict), ORM query builders. "
            "Handler parameters typed with an enum or a `Literal` (defined here or imported "
            "from another module) are not "
            "client text: the framework accepts only the declared values."
        ),
        why=(
            "A value spliced into SQL text becomes SQL. An attacker who controls "
            "it can read other users'\n"
            "rows, bypass a login check (`' OR 1=1 --`), modify or delete data, "
            "and on some databases run\n"
            "commands. Escaping by hand misses cases; placeholders let the driver "
            "send the value separately\n"
            "from the statement so it can never change the query's structure."
        ),
        example=(
            "```python\n"
            '@app.get("/users")\n'
            "def search(name: str, db: Session = Depends(get_db)):\n"
            '    return db.execute(text(f"SELECT * FROM users WHERE name = '
            "'{name}'\")).all()\n"
            "\n"
            'cur.execute("SELECT * FROM orders WHERE id = %s" % order_id)\n'
            "```\n"
            "\n"
            "```ts\n"
            'app.get("/users", async (req, res) => {\n'
            "  const rows = await pool.query(`SELECT * FROM users WHERE name = "
            "'${req.query.name}'`);\n"
            "  res.json(rows);\n"
            "});\n"
            "```"
        ),
        instead=(
            "```python\n"
            'db.execute(text("SELECT * FROM users WHERE name = :name"), {"name": name}).all()\n'
            'cur.execute("SELECT * FROM orders WHERE id = %s", (order_id,))\n'
            "db.scalars(select(User).where(User.name == name)).all()  # or the ORM\n"
            "\n"
            "# Identifiers cannot be parameters: pick them from an allow-list.\n"
            'column = SORT_COLUMNS.get(sort, "created_at")\n'
            "```\n"
            "\n"
            "```ts\n"
            'const rows = await pool.query("SELECT * FROM users WHERE name = $1", '
            "[req.query.name]);\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/89.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Query_Parameterization_Cheat_Sheet.html",
        ],
    ),
)
