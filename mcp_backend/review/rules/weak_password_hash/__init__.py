"""Catalog entry: Weak password hashing."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="weak-password-hash",
    name="Weak password hashing",
    checklist_item="password-hashing",
    severity="high",
    confidence="high",
    cwe=916,
    owasp="A02:2021 Cryptographic Failures",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Finds passwords hashed with a fast general-purpose digest "
            "(`hashlib.md5`, `sha1`, `sha256`,\n"
            '`sha512`, `crypto.createHash("sha256")`), salted or not, the unsalted '
            "Django hashers, and\n"
            "PBKDF2 with a very low iteration count. It looks at what is hashed: "
            "hashing a random token\n"
            "or a file with SHA-256 is fine and is not flagged."
        ),
        why=(
            "Fast hashes are built to be computed billions of times a second on a "
            "GPU. When the user table\n"
            "leaks, every common password falls in minutes, and without a per-user "
            "salt identical passwords\n"
            "share one hash. Password hashing functions (argon2id, bcrypt, scrypt, "
            "PBKDF2 with a high\n"
            "iteration count) are deliberately slow and salted so that each guess "
            "costs real time."
        ),
        example=(
            "```python\n"
            "user.password_hash = hashlib.sha256(password.encode()).hexdigest()\n"
            "if hashlib.md5(form.password.data.encode()).hexdigest() == "
            "user.password_hash: ...\n"
            "```\n"
            "\n"
            "```ts\n"
            'const hash = crypto.createHash("sha256").update(password).digest("hex");\n'
            "```"
        ),
        instead=(
            "```python\n"
            "from argon2 import PasswordHasher          # or bcrypt / passlib "
            "CryptContext / pwdlib\n"
            "ph = PasswordHasher()\n"
            "user.password_hash = ph.hash(password)\n"
            "ph.verify(user.password_hash, attempt)\n"
            "\n"
            "# Django: user.set_password(password); Flask/Werkzeug: "
            "generate_password_hash(password)\n"
            "```\n"
            "\n"
            "```ts\n"
            'import bcrypt from "bcrypt";\n'
            "const hash = await bcrypt.hash(password, 12);\n"
            "const ok = await bcrypt.compare(attempt, hash);\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/916.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html",
        ],
    ),
)
