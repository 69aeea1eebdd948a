"""Catalog entry: Password stored or compared in plain text."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="plaintext-password",
    name="Password stored or compared in plain text",
    checklist_item="password-hashing",
    severity="critical",
    confidence="medium",
    cwe=256,
    owasp="A02:2021 Cryptographic Failures",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds a password taken from the request (or a `password` parameter) "
            "and written to a model or\n"
            "record without hashing (`User(password=body.password)` followed by a "
            "save, `user.password =\n"
            "form.password.data`, `User.objects.create(password=...)`, "
            '`insert_one({"password": ...})`),\n'
            "and a stored password compared with the submitted one using `==`/`!=`/`===`."
        ),
        why=(
            "A plain-text password column turns any database leak, backup copy or "
            "SQL injection into a\n"
            "list of working credentials, which users reuse on other sites. "
            "Comparing with `==` means the\n"
            "stored value is plain text (or a fast hash of it), and the comparison "
            "leaks timing."
        ),
        example=(
            "```python\n"
            "user = User(email=body.email, password=body.password)\n"
            "db.add(user); db.commit()\n"
            "\n"
            "if user.password == form.password.data:\n"
            "    login_user(user)\n"
            "```\n"
            "\n"
            "```ts\n"
            "await User.create({ email, password: req.body.password });\n"
            "if (user.password === req.body.password) { /* ... */ }\n"
            "```"
        ),
        instead=(
            "```python\n"
            "user = User(email=body.email, password_hash=password_hasher.hash(body.password))\n"
            "if user and password_hasher.verify(user.password_hash, form.password.data):\n"
            "    login_user(user)\n"
            "# Django: User.objects.create_user(email, password=...) / "
            "user.check_password(raw)\n"
            "```\n"
            "\n"
            "```ts\n"
            "await User.create({ email, passwordHash: await "
            "bcrypt.hash(req.body.password, 12) });\n"
            "if (await bcrypt.compare(req.body.password, user.passwordHash)) { /* ... */ }\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/256.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html",
        ],
    ),
)
