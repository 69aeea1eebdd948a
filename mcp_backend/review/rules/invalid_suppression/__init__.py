from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="invalid-suppression",
    name="Suppression comment without a reason or with an unknown rule id",
    checklist_item="architecture",
    severity="low",
    confidence="high",
    cwe=None,
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Flags `mcp-backend-ignore` comments that name no rule, name a rule id the review "
            "does not know, or do not say why the finding is safe to ignore. The comment still "
            "silences the rules it names; this note asks for it to be completed."
        ),
        why=(
            "A suppression is a decision someone made about a risk. Without a reason the next "
            "reader cannot tell a considered exception from a silenced alarm, and a misspelt "
            "rule id silences nothing while looking as if it did."
        ),
        example=(
            "```python\n"
            "cursor.execute(query)  # mcp-backend-ignore\n"
            "cursor.execute(query)  # mcp-backend-ignore sql-injection\n"
            "```\n\n"
            "```javascript\n"
            "db.query(sql); // mcp-backend-ignore sql-string-query\n"
            "```"
        ),
        instead=(
            "```python\n"
            "# mcp-backend-ignore sql-string-query: table name comes from a fixed allow-list\n"
            "cursor.execute(query)\n"
            "```\n\n"
            "```javascript\n"
            "// mcp-backend-ignore sql-string-query: column name is checked against COLUMNS\n"
            "db.query(sql);\n"
            "```"
        ),
        references=[],
    ),
)
