from __future__ import annotations

import pytest

from mcp_backend.review.rules.debug_mode_enabled.python import DETECTOR as DEBUG
from mcp_backend.review.rules.error_details_leak.python import DETECTOR as LEAK
from mcp_backend.review.rules.sensitive_data_logged.python import DETECTOR as LOGGED

from ._support import run, run_with_signals

LEAK_POSITIVE = {
    "conditional_message_that_may_be_the_exception": """
        @router.post("/files")
        async def upload(file: UploadFile):
            try:
                return await store_file(file)
            except Exception as exc:
                raise HTTPException(
                    status_code=400, detail=str(exc) if settings.debug else "Upload failed"
                )
    """,
    "fastapi_http_exception": """
        @router.post("/orders")
        def create_order(body: OrderIn, db: Session = Depends(get_db)):
            try:
                return service.place(db, body)
            except Exception as exc:
                raise HTTPException(status_code=500, detail=str(exc))
    """,
    "flask_jsonify_tuple": """
        @app.route("/upload", methods=["POST"])
        def upload():
            try:
                store(request.files["file"])
            except Exception as e:
                return jsonify({"error": f"Upload failed: {e}"}), 500
            return jsonify({"ok": True})
    """,
    "returned_dict_in_handler": """
        @app.get("/report")
        async def report():
            try:
                return await build_report()
            except SQLAlchemyError as err:
                return {"detail": repr(err)}
    """,
    "traceback_in_response": """
        def export(request):
            try:
                data = build_export(request.user)
            except ValueError:
                return HttpResponse(traceback.format_exc(), status=500)
            return JsonResponse(data)
    """,
    "global_handler": """
        @app.exception_handler(Exception)
        async def unhandled(request: Request, exc: Exception):
            return JSONResponse(status_code=500, content={"message": str(exc)})
    """,
    "bare_except_drf": """
        class PaymentView(APIView):
            def post(self, request):
                try:
                    charge(request.data)
                except:
                    return Response({"error": traceback.format_exc()}, status=500)
    """,
    "broad_catch_around_parsing_and_storing": """
        @router.post("/imports")
        async def import_items(request: Request):
            try:
                payload = await request.json()
                await store.insert_many(payload["items"])
            except Exception as exc:
                raise HTTPException(status_code=400, detail=f"Import failed: {exc}")
    """,
}

LEAK_NEGATIVE = {
    "exception_only_compared_to_pick_a_fixed_message": """
        @router.post("/files")
        async def upload(file: UploadFile):
            try:
                return await store_file(file)
            except Exception as exc:
                raise HTTPException(
                    status_code=400,
                    detail=(
                        EMPTY_CONTENT_MESSAGE
                        if isinstance(exc, ValueError) and exc.args == (EMPTY_CONTENT_MESSAGE,)
                        else "Error uploading file"
                    ),
                )
    """,
    "broad_catch_around_parsing_the_body_only": """
        @router.post("/events")
        async def ingest(request: Request):
            try:
                payload = await request.json()
            except Exception as exc:
                raise HTTPException(status_code=400, detail=f"Invalid JSON payload: {exc}")
            await queue.put(payload)
    """,
    "broad_catch_around_the_password_policy": """
        @router.post("/password")
        async def change_password(form: PasswordForm, user=Depends(get_verified_user)):
            try:
                validate_password(form.new_password)
            except Exception as exc:
                raise HTTPException(400, detail=str(exc))
            await Users.set_password(user.id, form.new_password)
    """,
    "broad_catch_around_building_the_model": """
        @router.post("/chat")
        async def chat(form_data: dict):
            try:
                form = ChatCompletionForm(**form_data)
            except Exception as exc:
                raise HTTPException(status_code=400, detail=str(exc))
            return await complete(form)
    """,
    "logged_not_returned": """
        @router.post("/orders")
        def create_order(body: OrderIn):
            try:
                return service.place(body)
            except Exception as exc:
                logger.exception("order failed: %s", exc)
                raise HTTPException(status_code=500, detail="Internal error") from exc
    """,
    "domain_error_message": """
        @router.post("/transfer")
        def transfer(body: TransferIn):
            try:
                return ledger.transfer(body)
            except InsufficientFunds as exc:
                raise HTTPException(status_code=409, detail=str(exc))
            except ValueError as exc:
                raise HTTPException(status_code=422, detail=str(exc))
    """,
    "helper_not_a_handler": """
        def try_parse(raw):
            try:
                return {"ok": True, "value": parse(raw)}
            except Exception as exc:
                return {"ok": False, "error": str(exc)}
    """,
    "reraise_internal": """
        def load(path):
            try:
                return read(path)
            except Exception as exc:
                raise ConfigError(f"cannot read {path}: {exc}") from exc
    """,
}


@pytest.mark.parametrize("name", sorted(LEAK_POSITIVE))
def test_error_leak_positive(name: str) -> None:
    findings = run(LEAK, LEAK_POSITIVE[name])
    assert len(findings) == 1, findings
    assert findings[0].rule_id == "error-details-leak"


@pytest.mark.parametrize("name", sorted(LEAK_NEGATIVE))
def test_error_leak_negative(name: str) -> None:
    assert run(LEAK, LEAK_NEGATIVE[name]) == []


def test_traceback_is_high_and_logging_is_a_signal() -> None:
    assert run(LEAK, LEAK_POSITIVE["traceback_in_response"])[0].severity == "high"
    _, signals = run_with_signals(LEAK, LEAK_NEGATIVE["logged_not_returned"])
    assert [s.item for s in signals] == ["error-handling"]


DEBUG_POSITIVE = {
    "django_settings": ("config/settings.py", "DEBUG = True\nALLOWED_HOSTS = []\n", "high"),
    "flask_main_guard": (
        "app.py",
        'app = Flask(__name__)\nif __name__ == "__main__":\n    app.run(port=5000, debug=True)\n',
        "medium",
    ),
    "flask_main_guard_all_interfaces": (
        "app.py",
        'if __name__ == "__main__":\n    app.run(host="0.0.0.0", debug=True)\n',
        "high",
    ),
    "fastapi_constructor": ("app/main.py", "app = FastAPI(title='Shop', debug=True)\n", "high"),
    "flask_config": ("app/__init__.py", 'app.config["DEBUG"] = True\n', "high"),
    "production_config_class": (
        "app/config.py",
        "class ProductionConfig(Config):\n    DEBUG = True\n",
        "high",
    ),
    # a project directory named for the product, not for development
    "project_settings": ("devices_project/settings.py", "DEBUG = True\n", "high"),
}

DEBUG_NEGATIVE = {
    "env_setting": ("config/settings.py", "DEBUG = env.bool('DJANGO_DEBUG', default=False)\n"),
    "dev_settings": ("config/settings/dev.py", "DEBUG = True\n"),
    "devel_settings": ("tcms/settings/devel.py", "DEBUG = True\n"),
    # the project a package ships to develop or demonstrate itself
    "dev_project_settings": ("devproject/settings.py", "DEBUG = True\n"),
    "demo_project_settings": ("demo_site/settings.py", "DEBUG = True\n"),
    "development_config_class": (
        "app/config.py",
        "class DevelopmentConfig(Config):\n    DEBUG = True\n",
    ),
    "run_from_env": (
        "app.py",
        'if __name__ == "__main__":\n    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")\n',
    ),
    "debug_false": ("app/main.py", "app = FastAPI(debug=False)\nlogger.debug('x')\n"),
}


@pytest.mark.parametrize("name", sorted(DEBUG_POSITIVE))
def test_debug_positive(name: str) -> None:
    file, source, severity = DEBUG_POSITIVE[name]
    findings = run(DEBUG, source, file)
    assert len(findings) == 1, findings
    assert findings[0].severity == severity


@pytest.mark.parametrize("name", sorted(DEBUG_NEGATIVE))
def test_debug_negative(name: str) -> None:
    file, source = DEBUG_NEGATIVE[name]
    assert run(DEBUG, source, file) == []


def test_debug_skips_tests() -> None:
    source = DEBUG_POSITIVE["fastapi_constructor"][1]
    assert run(DEBUG, source, "tests/conftest.py", is_test=True) == []


LOG_POSITIVE = {
    "fstring_password": """
        def login(email, password):
            logger.info(f"login attempt {email} / {password}")
    """,
    "percent_args_token": """
        import logging
        log = logging.getLogger(__name__)

        def refresh(token):
            log.debug("refreshing with token %s", token)
    """,
    "settings_api_key": """
        def call_billing():
            logging.info("using key " + settings.BILLING_API_KEY)
    """,
    "authorization_header": """
        @app.before_request
        def trace():
            app.logger.info("auth=%s", request.headers.get("Authorization"))
    """,
    "all_headers": """
        async def middleware(request, call_next):
            logger.debug("headers: %s", dict(request.headers))
            return await call_next(request)
    """,
    "structlog_kwarg": """
        def signup(body):
            log.info("user.signup", email=body.email, password=body.password)
    """,
    "extra_dict": """
        def pay(card_number, amount):
            logger.info("charging", extra={"card_number": card_number, "amount": amount})
    """,
    # a helper whose name says nothing about hiding the value prints it
    "formatting_helper": """
        def rotate(api_key):
            LOG.warning("key expired: %s", format_token(api_key))
    """,
    "conditional_value": """
        def serve(token):
            logger.info("auth: %s", token if DEBUG else "hidden")
    """,
}

LOG_NEGATIVE = {
    # helpers named for what they keep of the value: a fingerprint, a masked form
    "fingerprint_and_masking_helpers": """
        def rotate(api_key, secret):
            LOG.warning("key expired; regenerating", fingerprint=fingerprint_token(api_key))
            logger.info("old secret %s", masked_secret(secret))
    """,
    "constant_message": """
        def login(email, password):
            logger.warning("invalid password for %s", email)
            logger.info("password reset requested")
    """,
    "masked_and_lengths": """
        def issue(token, password):
            logger.debug("issued token %s...", token[:6])
            logger.debug("password length %d", len(password))
            logger.info("token present: %s", token is not None)
    """,
    "non_secret_names": """
        def stats(user):
            logger.info("token_type=%s expires=%s", token_type, user.token_expires_at)
            logger.info("password changed at %s", user.password_changed_at)
            logger.info("user %s", user.id)
    """,
    "conditional_on_the_secret": """
        def serve(host, token):
            logger.warning("serving on %s (%s)", host, "token required" if token else "open")
    """,
    "not_a_logger": """
        def f(catalog, token):
            catalog.info(token)
            parser.error(token)
    """,
}


def test_print_in_a_command_line_program_is_output_not_a_log() -> None:
    cli = """
        import click

        @click.command()
        def login(password):
            token = obtain(password)
            print(f"Access token: {token}")
            logger.debug("got token %s", token)
    """
    findings = run(LOGGED, cli, "tool/commands/auth.py")
    assert [f.line for f in findings] == [8]  # the log line, not the print
    server = """
        def login(password):
            token = obtain(password)
            print(f"Access token: {token}")
    """
    assert [f.line for f in run(LOGGED, server, "app/views.py")] == [4]


@pytest.mark.parametrize("name", sorted(LOG_POSITIVE))
def test_logged_positive(name: str) -> None:
    findings = run(LOGGED, LOG_POSITIVE[name])
    assert len(findings) == 1, findings
    assert findings[0].rule_id == "sensitive-data-logged"


@pytest.mark.parametrize("name", sorted(LOG_NEGATIVE))
def test_logged_negative(name: str) -> None:
    assert run(LOGGED, LOG_NEGATIVE[name]) == []


def test_logging_configuration_is_a_signal() -> None:
    _, signals = run_with_signals(LOGGED, "import logging\nlogging.basicConfig(level='INFO')\n")
    assert [s.item for s in signals] == ["logging"]
