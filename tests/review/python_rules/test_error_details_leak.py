"""error-details-leak (Python): what the `try` calls, what the `except` names and which status
is sent decide whether exception text is a leak of internals."""

from __future__ import annotations

from mcp_backend.review.python.rules.error_details_leak import DETECTOR as LEAK

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
