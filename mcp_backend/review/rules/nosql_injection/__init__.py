"""Catalog entry: NoSQL (MongoDB) operator injection."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="nosql-injection",
    name="Request data used as a MongoDB query",
    checklist_item="sql-injection",
    severity="high",
    confidence="medium",
    cwe=943,
    owasp="A03:2021 Injection",
    languages=["javascript"],
    doc=RuleDoc(
        what=(
            "Finds MongoDB/Mongoose queries (`find`, `findOne`, `updateOne`, `deleteMany`, ...) "
            "whose filter is a request object (`req.body`, `req.query`) or takes fields straight "
            "from it, and `$where` clauses built from strings."
        ),
        why=(
            "JSON bodies and qs-parsed query strings can carry objects, so "
            '`{"password": {"$ne": null}}` turns an equality test into an operator: logins are '
            "bypassed and records read or deleted in bulk. `$where` runs JavaScript on the server."
        ),
        example=(
            "```js\n"
            "app.post('/login', async (req, res) => {\n"
            "  const user = await User.findOne({ email: req.body.email, password: "
            "req.body.password });\n"
            "});\n"
            "```"
        ),
        instead=(
            "```js\n"
            "const { email, password } = LoginSchema.parse(req.body); // zod: strings only\n"
            "const user = await User.findOne({ email: String(email) });\n"
            "// or mongoose.set('sanitizeFilter', true) / express-mongo-sanitize\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/943.html",
            "https://mongoosejs.com/docs/api/mongoose.html#Mongoose.prototype.set()",
        ],
    ),
)
