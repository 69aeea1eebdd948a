"""error-details-leak (Python): what the `try` calls, what the `except` names and which status
is sent decide whether exception text is a leak of internals."""

from __future__ import annotations

from mcp_backend.review.rules.error_details_leak.python import DETECTOR as LEAK

from ._support import run

# ---- a validation catch: programming errors named beside data errors ---------------------


def test_validation_tuple_with_type_error_is_not_a_broad_catch() -> None:
    source = """
        @router.post("/imports")
        async def import_bundle(files: list[UploadFile]):
            try:
                if len(files) > 100:
                    raise ValueError("Too many files")
                manifest = json.loads(await files[0].read())
                entries = manifest["entries"]
                archive = zipfile.ZipFile(io.BytesIO(await files[1].read()))
            except (ValueError, KeyError, TypeError, zipfile.BadZipFile) as error:
                raise HTTPException(400, str(error))
            return await store_bundle(entries, archive)
    """
    assert run(LEAK, source) == []


def test_type_error_beside_an_infrastructure_error_stays_broad() -> None:
    source = """
        @router.post("/imports")
        async def import_bundle(body: dict):
            try:
                await repository.insert_many(body["items"])
            except (ValueError, TypeError, OSError) as error:
                raise HTTPException(500, str(error))
    """
    assert len(run(LEAK, source)) == 1


def test_lone_type_error_is_still_broad() -> None:
    source = """
        @app.post("/orders")
        def create_order():
            try:
                order = service.place(request.get_json())
            except TypeError as exc:
                return jsonify({"error": str(exc)}), 500
            return jsonify(order)
    """
    assert len(run(LEAK, source)) == 1


# ---- a call to another HTTP service: its error relayed by a proxy or API wrapper ----------


def test_error_of_a_direct_upstream_request_is_relayed() -> None:
    source = """
        @router.get("/index.html")
        async def index(settings=Depends(get_settings)):
            try:
                response = requests.get(f"{settings.asset_url}/index.html", timeout=10)
                response.raise_for_status()
                return HTMLResponse(response.text)
            except Exception as e:
                raise HTTPException(status_code=500, detail=f"Failed to fetch assets: {e}") from e
    """
    assert run(LEAK, source) == []


def test_bare_error_of_an_upstream_request_is_low() -> None:
    source = """
        @router.post("/refunds/{payment_id}")
        async def refund(payment_id: str):
            try:
                r = requests.post(f"{PAYMENTS_API}/refunds", json={"payment": payment_id})
                r.raise_for_status()
            except Exception as e:
                return {"error": str(e)}
            return {"status": "refunded"}
    """
    assert [f.severity for f in run(LEAK, source)] == ["low"]


def test_error_of_a_session_request_is_relayed() -> None:
    source = """
        @router.api_route("/proxy/{path:path}", methods=["GET", "POST"])
        async def proxy(path: str, request: Request):
            session = aiohttp.ClientSession()
            try:
                upstream = await session.request(request.method, f"{BASE}/{path}")
                return Response(await upstream.read(), status_code=upstream.status)
            except Exception as exc:
                return JSONResponse({"detail": f"Backend: {exc}"}, status_code=500)
    """
    assert run(LEAK, source) == []


def test_error_of_a_helper_that_calls_the_provider_is_relayed() -> None:
    source = """
        async def _call_openai(url, payload):
            async with httpx.AsyncClient() as client:
                r = await client.post(url, json=payload)
                r.raise_for_status()
                return r.json()

        async def summarize_with_provider(payload):
            return await _call_openai(OPENAI_URL, payload)

        @router.post("/summaries")
        async def summarize(form: SummaryForm):
            try:
                return await summarize_with_provider(form.model_dump())
            except Exception as e:
                raise HTTPException(status_code=500, detail=f"Provider error: {e}")
    """
    assert run(LEAK, source) == []


def test_error_of_a_helper_that_only_writes_the_database_leaks() -> None:
    source = """
        async def _save_summary(db, payload):
            db.add(Summary(**payload))
            await db.commit()

        @router.post("/summaries")
        async def summarize(form: SummaryForm, db=Depends(get_db)):
            try:
                await _save_summary(db, form.model_dump())
            except Exception as e:
                raise HTTPException(status_code=500, detail=f"Could not save: {e}")
    """
    assert len(run(LEAK, source)) == 1


def test_traceback_of_an_upstream_failure_still_leaks() -> None:
    source = """
        @app.route("/rates")
        def rates():
            try:
                r = requests.get(RATES_URL, timeout=5)
                r.raise_for_status()
            except Exception:
                return jsonify({"error": traceback.format_exc()}), 500
            return jsonify(r.json())
    """
    findings = run(LEAK, source)
    assert [f.severity for f in findings] == ["high"]


# ---- the status says another service failed -----------------------------------------------


def test_bad_gateway_answer_relays_the_upstream_failure() -> None:
    source = """
        @router.post("/terminal/{path:path}")
        async def terminal_proxy(path: str, request: Request):
            try:
                return await forward_to_terminal(request, path)
            except Exception as error:
                return JSONResponse({"error": f"Terminal proxy error: {error}"}, status_code=502)

        @app.route("/search")
        def search():
            try:
                return jsonify(search_backend.query(request.args["q"]))
            except Exception as e:
                return jsonify({"error": str(e)}), 504
    """
    assert run(LEAK, source) == []


def test_service_unavailable_answer_is_low_and_server_error_is_medium() -> None:
    source = """
        @router.post("/chat")
        async def chat(form: ChatForm):
            try:
                tools = await load_terminal_tools(form.terminal_id)
            except Exception as e:
                raise HTTPException(status_code=503, detail=f"Terminal unavailable: {e}") from e
            try:
                return await run_chat(form, tools)
            except Exception as e:
                raise HTTPException(status.HTTP_500_INTERNAL_SERVER_ERROR, detail=str(e))
    """
    assert [f.severity for f in run(LEAK, source)] == ["low", "medium"]


# ---- answers only a development server gives ----------------------------------------------


def test_error_text_given_only_in_debug_mode_is_not_a_leak() -> None:
    after_a_gate = """
        @api.exception_handler(Exception)
        def unhandled(request, exc: Exception):
            from django.conf import settings

            if not settings.DEBUG:
                raise exc
            return problem_response(status=500, detail=str(exc))
    """
    assert run(LEAK, after_a_gate) == []
    inside = """
        @app.post("/orders")
        def create_order():
            try:
                order = service.place(request.get_json())
            except Exception as exc:
                if app.debug:
                    return jsonify({"error": str(exc)}), 500
                return jsonify({"error": "internal error"}), 500
            return jsonify(order)
    """
    assert run(LEAK, inside) == []


def test_error_text_beside_a_debug_check_that_does_not_gate_it_leaks() -> None:
    # the gate only logs: production answers with the text too
    source = """
        @app.post("/orders")
        def create_order():
            try:
                order = service.place(request.get_json())
            except Exception as exc:
                if not app.debug:
                    logger.error("order failed")
                return jsonify({"error": str(exc)}), 500
            return jsonify(order)
    """
    assert len(run(LEAK, source)) == 1
