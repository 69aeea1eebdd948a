from __future__ import annotations

import pytest

from mcp_backend.review.rules.plaintext_password.python import DETECTOR as PLAINTEXT
from mcp_backend.review.rules.weak_password_hash.python import DETECTOR as WEAK_HASH

from ._support import run, run_with_signals

WEAK_POSITIVE = {
    "sha256_hexdigest": """
        import hashlib

        def register(db, email, password):
            digest = hashlib.sha256(password.encode()).hexdigest()
            db.add(User(email=email, password_hash=digest))
    """,
    "md5_alias_import": """
        from hashlib import md5

        @app.route("/login", methods=["POST"])
        def login():
            hashed = md5(request.form["password"].encode()).hexdigest()
            return check(hashed)
    """,
    "update_on_hash_object": """
        import hashlib

        def hash_password(plain_password: str) -> str:
            h = hashlib.sha1()
            h.update(plain_password.encode("utf-8"))
            return h.hexdigest()
    """,
    "salted_sha512": """
        import hashlib, os

        def make_hash(password):
            salt = os.urandom(16).hex()
            return salt + hashlib.sha512((salt + password).encode()).hexdigest()
    """,
    "django_weak_hasher_setting": """
        PASSWORD_HASHERS = ["django.contrib.auth.hashers.UnsaltedMD5PasswordHasher"]
    """,
}

WEAK_NEGATIVE = {
    "hash_of_token": """
        import hashlib, secrets

        def issue_reset(user):
            token = secrets.token_urlsafe(32)
            user.reset_token_hash = hashlib.sha256(token.encode()).hexdigest()
            return token
    """,
    "file_checksum": """
        import hashlib

        def checksum(path):
            return hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
    """,
    "bcrypt": """
        import bcrypt

        def hash_password(password: str) -> bytes:
            return bcrypt.hashpw(password.encode(), bcrypt.gensalt())
    """,
    "passlib_context": """
        from passlib.context import CryptContext

        pwd_context = CryptContext(schemes=["argon2", "bcrypt"], deprecated="auto")

        def get_password_hash(password):
            return pwd_context.hash(password)
    """,
    "pbkdf2_high_iterations": """
        import hashlib

        def derive(password, salt):
            return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
    """,
}

PLAIN_POSITIVE = {
    # read off the request, then stored: the submitted password itself
    "stored_from_request_json": """
        from django.contrib.auth.models import User

        async def register(request):
            data = await request.json()
            User.objects.create(username=data["username"], password=data["password"])
    """,
    "compared_with_submitted": """
        def login(db, username, password):
            user = db.get_user(username)
            if user.password == password:
                return user
    """,
    "compared_with_a_submitted_form_field": """
        def login(db, credentials):
            user = db.get_user(credentials.username)
            if user.password == credentials.password:
                return user
    """,
    "sqlalchemy_model_from_body": """
        class User(Base):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(primary_key=True)
            email: Mapped[str]
            password: Mapped[str]

        @router.post("/register")
        def register(body: RegisterIn, db: Session = Depends(get_db)):
            user = User(email=body.email, password=body.password)
            db.add(user)
            db.commit()
            return {"id": user.id}
    """,
    "django_objects_create": """
        def signup(request):
            password = request.POST["password"]
            User.objects.create(username=request.POST["username"], password=password)
            return redirect("home")
    """,
    "attribute_assignment_flask": """
        class Account(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            password = db.Column(db.String(128))

        @bp.route("/account/password", methods=["POST"])
        def change_password():
            user = current_user
            user.password = request.form["new_password"]
            db.session.commit()
            return redirect(url_for("account"))
    """,
    "mongo_insert": """
        async def create_user(db, email: str, password: str):
            await db.users.insert_one({"email": email, "password": password})
    """,
    "sql_where_password": """
        def login(conn, username, password):
            cur = conn.cursor()
            cur.execute(
                "SELECT id FROM users WHERE username = ? AND password = ?", (username, password)
            )
            return cur.fetchone()
    """,
    "sql_insert_password": """
        @app.route("/register", methods=["POST"])
        def register():
            sql = "INSERT INTO users (username, password) VALUES (%s, %s)"
            cursor.execute(sql, (request.form["username"], request.form["password"]))
            db.commit()
    """,
    # `self.request` is the submitted data even when read through the view object
    "class_based_view_reads_self_request": """
        from django.views import View

        class SignupView(View):
            def post(self, *args):
                submitted = self.request.POST.copy()
                Member.objects.create(name=submitted["name"], password=submitted["password"])
    """,
    # outside Django `user.password` may be whatever the app assigned: no hash to rely on
    "non_django_user_password_copied": """
        def archive(db, user):
            db.archive.insert_one({"name": user.name, "password": user.password})
    """,
    "plain_comparison": """
        @app.post("/login")
        def login(form: LoginForm, db: Session = Depends(get_db)):
            user = db.query(User).filter_by(email=form.email).first()
            if user is None or user.password != form.password:
                raise HTTPException(status_code=401)
            return issue_token(user)
    """,
}

PLAIN_NEGATIVE = {
    # a stored record's password copied to another record: no new plain text
    "copied_from_a_fetched_record": """
        from django.contrib.auth.models import User
        from shop.models import ViewRestriction

        def copy_restrictions(page, page_copy):
            for restriction in page.view_restrictions.all():
                ViewRestriction.objects.create(page=page_copy, password=restriction.password)
    """,
    # two stored rows compared: has the credential changed since the login began?
    # a view's own object state (`self.page…`), not the request, copied to a new record
    "copied_from_the_view_objects_own_state": """
        from django.db import models

        class Restriction(models.Model):
            password = models.CharField(max_length=255)

        class CreateView:
            def save_restrictions(self):
                setting = self.page.get_default_privacy_setting(self.request)
                Restriction.objects.create(page=self.page, password=setting["password"])
                for old in self.page.view_restrictions.all():
                    Restriction(page=self.page, password=old.password).save()
    """,
    # Django's auth user keeps only the salted hash in `password`; an audit copy of it is no
    # plain text
    "django_user_password_is_the_hash": """
        from django.contrib.auth import get_user_model

        def set_unusable_on_reset(request, user, backend):
            AuditLog.objects.create(user, request, "reset", password=user.password)
            user.set_unusable_password()
            user.save(update_fields=["password"])
    """,
    "two_stored_records_compared": """
        async def finish_login(user, auth=None):
            auth = auth or await get_auth(user.id)
            current = await get_auth(user.id)
            if current.password != auth.password:
                raise SessionChanged()
    """,
    "hashed_before_store": """
        @router.post("/register")
        def register(body: RegisterIn, db: Session = Depends(get_db)):
            user = User(email=body.email, hashed_password=get_password_hash(body.password))
            db.add(user)
            db.commit()
    """,
    "hash_call_inline": """
        def signup(request):
            password = make_password(request.POST["password"])
            User.objects.create(username=request.POST["username"], password=password)
    """,
    "create_user_hashes": """
        def signup(request):
            User.objects.create_user(
                username=request.POST["username"], password=request.POST["password"]
            )
    """,
    "schema_construction": """
        def login(client, email, password):
            payload = LoginRequest(email=email, password=password)
            return client.post("/login", json=payload.model_dump())
    """,
    "confirmation_check": """
        def validate(self, attrs):
            if attrs["password"] != attrs["password_confirm"]:
                raise ValidationError("Passwords do not match")
            return attrs

        def check(body):
            if body.password != body.confirm_password:
                raise ValueError("mismatch")
    """,
    "sql_with_hash": """
        def login(conn, username, password):
            digest = hash_password(password)
            sql = "SELECT id FROM users WHERE username = ? AND password = ?"
            conn.execute(sql, (username, digest))
            conn.execute("SELECT password_hash FROM users WHERE username = ?", (username,))
    """,
    # the value bound to the column is what a salting helper made of the password
    "sql_insert_of_a_salted_value": """
        def add_user(cursor, username, password):
            salt_pw = _salted_password(password, _gensalt())
            cursor.execute(
                "INSERT INTO users (name, password) VALUES (?, ?)", (username, salt_pw)
            )
    """,
    "sql_update_with_hash_param": """
        def update_password(conn, user_id, password_hash):
            conn.execute("UPDATE users SET password = ? WHERE id = ?", (password_hash, user_id))
    """,
    "verify_with_hasher": """
        def authenticate(db, email, password):
            user = db.query(User).filter_by(email=email).first()
            if not user or not pwd_context.verify(password, user.hashed_password):
                return None
            return user
    """,
    "hashing_property_setter_elsewhere": """
        # models.py defines `@password.setter` that hashes; this file cannot see it
        @bp.route("/register", methods=["POST"])
        def register():
            user = User(email=form.email.data, password=form.password.data)
            db.session.add(user)
            db.session.commit()
            user.password = form.new_password.data
            db.session.commit()
    """,
    "hashing_property_setter_same_file": """
        class User(db.Model):
            _password = db.Column("password", db.String(255))

            @property
            def password(self):
                return self._password

            @password.setter
            def password(self, value):
                self._password = generate_password_hash(value)

        def change(user, form):
            user.password = form.password.data
            db.session.commit()
    """,
    "form_field_set_password": """
        def reset(request, user):
            form = SetPasswordForm(user, request.POST)
            user.set_password(form.cleaned_data["password"])
            user.save()
    """,
}


@pytest.mark.parametrize("name", sorted(WEAK_POSITIVE))
def test_weak_hash_positive(name: str) -> None:
    findings = run(WEAK_HASH, WEAK_POSITIVE[name], "accounts/settings.py")
    assert len(findings) == 1, findings
    assert findings[0].rule_id == "weak-password-hash"


@pytest.mark.parametrize("name", sorted(WEAK_NEGATIVE))
def test_weak_hash_negative(name: str) -> None:
    assert run(WEAK_HASH, WEAK_NEGATIVE[name]) == []


def test_salted_fast_hash_is_medium_and_unsalted_high() -> None:
    assert run(WEAK_HASH, WEAK_POSITIVE["salted_sha512"])[0].severity == "medium"
    assert run(WEAK_HASH, WEAK_POSITIVE["sha256_hexdigest"])[0].severity == "high"


def test_strong_hashing_is_a_signal() -> None:
    findings, signals = run_with_signals(WEAK_HASH, WEAK_NEGATIVE["bcrypt"])
    assert findings == []
    assert {s.item for s in signals} == {"password-hashing"}


def test_weak_hash_skips_tests() -> None:
    assert run(WEAK_HASH, WEAK_POSITIVE["sha256_hexdigest"], "tests/test_x.py", is_test=True) == []


@pytest.mark.parametrize("name", sorted(PLAIN_POSITIVE))
def test_plaintext_positive(name: str) -> None:
    findings = run(PLAINTEXT, PLAIN_POSITIVE[name])
    assert len(findings) == 1, findings
    assert findings[0].rule_id == "plaintext-password"


@pytest.mark.parametrize("name", sorted(PLAIN_NEGATIVE))
def test_plaintext_negative(name: str) -> None:
    assert run(PLAINTEXT, PLAIN_NEGATIVE[name]) == []


def test_comparison_is_high_storage_critical() -> None:
    assert run(PLAINTEXT, PLAIN_POSITIVE["plain_comparison"])[0].severity == "high"
    assert run(PLAINTEXT, PLAIN_POSITIVE["sqlalchemy_model_from_body"])[0].severity == "critical"
