"""Clean code seen in real projects that an earlier version flagged; none of it may be."""

from __future__ import annotations

import pytest

from mcp_backend.review.python.context import PythonDetector
from mcp_backend.review.rules.code_eval.python import DETECTOR as EVAL
from mcp_backend.review.rules.cors_wildcard.python import DETECTOR as CORS
from mcp_backend.review.rules.debug_mode_enabled.python import DETECTOR as DEBUG
from mcp_backend.review.rules.error_details_leak.python import DETECTOR as LEAK
from mcp_backend.review.rules.hardcoded_secret.python import DETECTOR as SECRET
from mcp_backend.review.rules.jwt_unverified.python import DETECTOR as JWT
from mcp_backend.review.rules.n_plus_one_query.python import DETECTOR as N_PLUS_ONE
from mcp_backend.review.rules.path_traversal.python import DETECTOR as PATH
from mcp_backend.review.rules.plaintext_password.python import DETECTOR as PLAINTEXT
from mcp_backend.review.rules.sensitive_data_logged.python import DETECTOR as LOGGED
from mcp_backend.review.rules.sql_string_query.python import DETECTOR as SQL

from ._support import run

CASES: dict[str, tuple[PythonDetector, str, str]] = {
    "order_secret_in_url_kwargs": (
        SECRET,
        "app/placeholders.py",
        """
        def sample_url(event):
            return reverse("order.open", kwargs={"order": "F8VVL", "secret": "6zzjnumtsx136ddy"})
        """,
    ),
    "country_code_pw_regex": (
        SECRET,
        "app/postcodes.py",
        """
        POSTCODES = {"PT": r"^[0-9]{4}-[0-9]{3}$", "PW": r"^96940$"}
        """,
    ),
    "user_agent_header_logged": (
        LOGGED,
        "app/security.py",
        """
        def check(request):
            logger.info(f"session ended, new agent: {request.headers['User-Agent']}")
        """,
    ),
    "csv_error_message_to_form": (
        LEAK,
        "app/forms.py",
        """
        def clean_rows(self):
            try:
                reader = csv.DictReader(StringIO(self.cleaned_data["rows"]))
            except csv.Error as e:
                raise HTTPException(status_code=400, detail=f"CSV parsing failed: {e}")
        """,
    ),
    "public_widget_cors": (
        CORS,
        "app/views/widget.py",
        """
        def widget_js(request):
            resp = HttpResponse(render_widget(), content_type="text/javascript")
            resp["Access-Control-Allow-Origin"] = "*"
            return resp
        """,
    ),
    "generated_export_file_response": (
        PATH,
        "app/views.py",
        """
        class ExportView(FormView):
            def form_valid(self, form):
                filename, content_type, data = build_export(self.object, **form.cleaned_data)
                return FileResponse(data, as_attachment=True, filename=filename)
        """,
    ),
    "client_assertion_jwt": (
        JWT,
        "app/paypal.py",
        """
        import jwt

        def assertion(client_id):
            return jwt.encode(payload={"iss": client_id}, key=None, algorithm=None)
        """,
    ),
    "data_migration_loop": (
        N_PLUS_ONE,
        "shop/migrations/0005_fill_slugs.py",
        """
        def forwards(apps, schema_editor):
            for category in Category.objects.all():
                parent = Category.objects.get(pk=category.parent_id)
        """,
    ),
    "test_utils_settings": (
        DEBUG,
        "app/testutils/settings.py",
        """
        DEBUG = True
        """,
    ),
    "orm_compiled_subquery": (
        SQL,
        "app/models.py",
        """
        def positions(qs):
            base_q, params = qs.values("id").query.sql_with_params()
            return Position.objects.filter(pk__in=RawSQL(f"SELECT id FROM ({base_q}) s", params))
        """,
    ),
    "shell_startup_file": (
        EVAL,
        "app/cli.py",
        """
        def shell(startup):
            with open(startup) as f:
                eval(compile(f.read(), startup, "exec"), {})
        """,
    ),
    "phone_number_from_string": (
        EVAL,
        "app/forms.py",
        """
        def clean_phone(self):
            number = self.cleaned_data["phone"]
            return PhoneNumber.from_string(number, region=self.region_code)
        """,
    ),
    "secret_key_named_default": (
        SECRET,
        "app/configs/default.py",
        """
        SECRET_KEY = "secret key"
        """,
    ),
    "flask_setter_model_elsewhere": (
        PLAINTEXT,
        "app/user/views.py",
        """
        @bp.route("/password", methods=["POST"])
        def change_password():
            current_user.password = form.new_password.data
            current_user.save()
        """,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_clean_code_is_not_flagged(name: str) -> None:
    detector, file, source = CASES[name]
    assert run(detector, source, file) == []
