"""Catalog entry: a web project with routes and no global error handler."""

from __future__ import annotations

from mcp_backend.review.model import RuleDoc, RuleMeta

RULE = RuleMeta(
    id="no-central-error-handler",
    name="No central error handler",
    checklist_item="error-handling",
    severity="medium",
    confidence="medium",
    cwe=755,
    owasp="A04:2021 Insecure Design",
    languages=["python", "javascript"],
    doc=RuleDoc(
        what=(
            "Reported once per project that declares routes but registers no application-wide "
            "error handling: no FastAPI/Starlette `@app.exception_handler` / "
            "`add_exception_handler` / `exception_handlers={...}`, no Flask `@app.errorhandler` "
            "/ `register_error_handler`, no aiohttp error middleware, no Express error "
            "middleware `(err, req, res, next)`, no Fastify `setErrorHandler`, no NestJS "
            "exception filter. Django projects are not reported: the framework's own handlers "
            "(`handler500`, DRF's exception handler) are central by design."
        ),
        why=(
            "Without one place that turns exceptions into responses, every handler formats "
            "errors its own way, unexpected exceptions leak stack traces or framework pages, "
            "and clients cannot rely on one error shape. A central handler also logs every "
            "failure once, with context."
        ),
        example=(
            "```python\n"
            "app = FastAPI()\n"
            "app.include_router(orders.router)\n"
            "# no exception handler: each route try/excepts and returns its own shape\n"
            "```\n"
            "\n"
            "```ts\n"
            "const app = express();\n"
            'app.use("/orders", ordersRouter);\n'
            "app.listen(3000);\n"
            "```"
        ),
        instead=(
            "```python\n"
            "@app.exception_handler(DomainError)\n"
            "async def domain_error(request: Request, exc: DomainError) -> JSONResponse:\n"
            '    body = {"error": {"code": exc.code, "message": exc.public_message}}\n'
            "    return JSONResponse(body, status_code=exc.status)\n"
            "```\n"
            "\n"
            "```ts\n"
            "app.use((err: Error, req: Request, res: Response, next: NextFunction) => {\n"
            '  logger.error({ err }, "unhandled");\n'
            '  res.status(500).json({ error: { code: "internal", message: "Internal error" } });\n'
            "});\n"
            "```"
        ),
        references=[
            "https://cwe.mitre.org/data/definitions/755.html",
            "https://fastapi.tiangolo.com/tutorial/handling-errors/",
            "https://flask.palletsprojects.com/en/stable/errorhandling/",
            "https://expressjs.com/en/guide/error-handling.html",
        ],
    ),
)
