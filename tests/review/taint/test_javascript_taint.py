# ruff: noqa: E501  (code samples read best on one line)
"""The taint engine's JS/TS front end on small real inputs: sources, propagation, sanitisers,
sinks, summaries linked across modules (review/taint/javascript.py, link.JsTaintLinker)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from mcp_backend.review.engine import run_review
from mcp_backend.review.javascript import analyze_file
from mcp_backend.review.model import ReviewRequest
from mcp_backend.review.taint.link import link_js_flows


def flows(files: dict[str, str]) -> set[tuple[str, str, int]]:
    results = [
        analyze_file(
            name,
            textwrap.dedent(code).lstrip(),
            "typescript" if name.endswith((".ts", ".tsx")) else "javascript",
        )
        for name, code in files.items()
    ]
    return {(f.kind, f.file, f.line) for f in link_js_flows(results)}


def kinds(files: dict[str, str]) -> set[str]:
    return {kind for kind, _, _ in flows(files)}


EXPRESS = "const express = require('express');\nconst app = express();\n"
ESM = "import express from 'express';\nconst app = express();\n"


def express(body: str, imports: str = "", *, ts: bool = False) -> dict[str, str]:
    """One Express handler `app.post('/x', (req, res) => { body })`, in JS or TS."""
    code = (
        imports
        + (ESM if ts else EXPRESS)
        + "app.post('/x', async (req, res) => {\n"
        + textwrap.indent(textwrap.dedent(body), "  ")
        + "});\n"
    )
    return {"src/app.ts" if ts else "src/app.js": code}


# --------------------------------------------------------------------------- sinks, per kind
SINKS = [
    (
        "sql",
        "const db = require('./db');\n",
        "res.json(await db.query(`SELECT * FROM t WHERE n = '${q}'`));",
    ),
    (
        "sql",
        "const knex = require('knex')({});\n",
        "res.json(await knex('t').whereRaw(\"name = '\" + q + \"'\"));",
    ),
    (
        "sql",
        "const { PrismaClient } = require('@prisma/client');\nconst prisma = new PrismaClient();\n",
        "res.json(await prisma.$queryRawUnsafe(`SELECT * FROM t WHERE n = '${q}'`));",
    ),
    ("cmd", "const { exec } = require('child_process');\n", "exec('ping -c 1 ' + q);\nres.end();"),
    ("cmd", "const cp = require('child_process');\n", "cp.execSync(`ls ${q}`);\nres.end();"),
    (
        "cmd",
        "const { spawn } = require('child_process');\n",
        "spawn(`tar czf ${q}`, { shell: true });\nres.end();",
    ),
    ("code", "", "res.json(eval(q));"),
    ("code", "", "const f = new Function('x', q);\nres.json(f(1));"),
    ("code", "const vm = require('vm');\n", "res.json(vm.runInNewContext(q, {}));"),
    ("path", "const fs = require('fs');\n", "res.send(fs.readFileSync('/srv/files/' + q));"),
    ("path", "const path = require('path');\n", "res.sendFile(path.join(__dirname, 'files', q));"),
    ("path", "const fs = require('fs/promises');\n", "await fs.unlink(q);\nres.end();"),
    ("redirect", "", "res.redirect(q);"),
    ("redirect", "", "res.redirect(302, q);"),
    ("ssrf", "const axios = require('axios');\n", "res.json((await axios.get(q)).data);"),
    ("ssrf", "", "res.json(await (await fetch(q)).json());"),
    ("ssrf", "const got = require('got');\n", "res.send(await got(q).text());"),
    (
        "deser",
        "const serialize = require('node-serialize');\n",
        "res.json(serialize.unserialize(q));",
    ),
    (
        "deser",
        "const yaml = require('js-yaml');\n",
        "res.json(yaml.load(q, { schema: yaml.DEFAULT_FULL_SCHEMA }));",
    ),
    ("xss", "", "res.send('<h1>Hello ' + q + '</h1>');"),
    ("xss", "", "res.send(`<p>${q}</p>`);"),
]


def to_esm(imports: str) -> str:
    """`const x = require('m');` -> `import x from 'm';` (and `require('m')({})` factories)."""
    out = []
    for line in imports.splitlines():
        factory = re.match(r"const (\w+) = require\('([^']+)'\)\((.*)\);$", line)
        plain = re.match(r"const (.+) = require\('([^']+)'\);$", line)
        if factory:
            out.append(f"import {factory[1]}Factory from '{factory[2]}';")
            out.append(f"const {factory[1]} = {factory[1]}Factory({factory[3]});")
        elif plain:
            out.append(f"import {plain[1]} from '{plain[2]}';")
        else:
            out.append(line)
    return "".join(line + "\n" for line in out)


@pytest.mark.parametrize(("kind", "imports", "sink"), SINKS)
@pytest.mark.parametrize("ts", [False, True])
def test_request_data_reaches_each_sink(kind: str, imports: str, sink: str, ts: bool) -> None:
    if ts:
        imports = to_esm(imports)
    found = kinds(express("const q = req.body.value;\n" + sink + "\n", imports, ts=ts))
    assert found == {kind}


@pytest.mark.parametrize(("kind", "imports", "sink"), SINKS)
def test_a_constant_at_the_same_sink_is_no_flow(kind: str, imports: str, sink: str) -> None:
    assert kinds(express("const q = 'fixed';\n" + sink + "\n", imports)) == set()


def test_ts_imports_are_followed_for_sinks() -> None:
    code = express(
        "const { host } = req.body;\nexecSync(`ping ${host}`);\nres.end();\n",
        "import { execSync } from 'node:child_process';\n",
        ts=True,
    )
    assert flows(code) == {("cmd", "src/app.ts", 6)}


# --------------------------------------------------------------------------- sources
def test_express_accessors_are_sources() -> None:
    for accessor in (
        "req.query.q",
        "req.params.q",
        "req.headers['x-q']",
        "req.cookies.q",
        "req.get('x-q')",
        "req.param('q')",
    ):
        code = express(f"const q = {accessor};\nres.redirect(q);\n")
        assert kinds(code) == {"redirect"}, accessor


def test_destructuring_and_spread_carry_request_data() -> None:
    code = express(
        "const { filter: { name } } = req.body;\nconst opts = { ...{ name } };\nres.redirect(opts.name);\n"
    )
    assert kinds(code) == {"redirect"}


def test_koa_context_is_a_source() -> None:
    code = {
        "src/r.js": "const Router = require('@koa/router');\nconst { exec } = require('child_process');\nconst router = new Router();\nrouter.post('/x', async (ctx) => {\n  exec(`ls ${ctx.request.body.dir}`);\n  ctx.body = 'ok';\n});\n"
    }
    assert flows(code) == {("cmd", "src/r.js", 5)}


def test_hono_request_accessors_are_sources() -> None:
    code = {
        "src/r.ts": "import { Hono } from 'hono';\nimport { execSync } from 'node:child_process';\nconst app = new Hono();\napp.post('/x', async (c) => {\n  const { dir } = await c.req.json();\n  execSync(`ls ${dir}`);\n  return c.text(c.req.param('id'));\n});\n"
    }
    assert flows(code) == {("cmd", "src/r.ts", 6)}


def test_fastify_request_is_a_source() -> None:
    code = {
        "src/r.ts": "import Fastify from 'fastify';\nimport fs from 'fs';\nconst app = Fastify();\napp.get('/f', async (request, reply) => {\n  return fs.readFileSync(request.query.file);\n});\n"
    }
    assert flows(code) == {("path", "src/r.ts", 5)}


def test_next_route_handler_request_is_a_source() -> None:
    code = {
        "app/api/files/route.ts": "import fs from 'fs';\nimport { NextRequest } from 'next/server';\nexport async function GET(request: NextRequest) {\n  const name = request.nextUrl.searchParams.get('name');\n  return new Response(fs.readFileSync('/data/' + name));\n}\n"
    }
    assert flows(code) == {("path", "app/api/files/route.ts", 5)}


def test_graphql_resolver_args_are_a_source() -> None:
    code = {
        "src/resolvers.js": "const db = require('./db');\nmodule.exports = {\n  Query: {\n    user: (_, args) => db.query(`SELECT * FROM users WHERE name = '${args.name}'`),\n  },\n};\n"
    }
    assert flows(code) == {("sql", "src/resolvers.js", 4)}


TRPC = "import { z } from 'zod';\nimport { exec } from 'child_process';\nimport { publicProcedure, router } from './trpc';\nexport const appRouter = router({\n  run: publicProcedure.input(z.object({ name: z.string(), n: z.number() })).mutation(({ input }) => {\n    exec(`echo ${input.FIELD}`);\n  }),\n});\n"


def test_trpc_input_is_a_source() -> None:
    assert flows({"src/router.ts": TRPC.replace("FIELD", "name")}) == {("cmd", "src/router.ts", 6)}


def test_trpc_input_field_the_schema_constrains_is_clean() -> None:
    assert flows({"src/router.ts": TRPC.replace("FIELD", "n")}) == set()


def test_environment_is_not_request_data() -> None:
    assert (
        kinds(
            express(
                "const { exec } = require('child_process');\nexec('ls ' + process.env.DIR);\nres.end();\n"
            )
        )
        == set()
    )


def test_a_function_without_request_data_has_no_flow() -> None:
    code = {
        "src/jobs.js": "const { exec } = require('child_process');\nfunction clean(dir) {\n  exec('rm -rf ' + dir);\n}\nclean('/tmp/cache');\n"
    }
    assert flows(code) == set()


# --------------------------------------------------------------------------- NestJS
NEST_CONTROLLER = """
import { Body, Controller, Param, ParseIntPipe, Post, Get } from '@nestjs/common';
import { UsersService } from './users.service';
import { FindDto } from './find.dto';

@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post('find')
  find(@Body() dto: FindDto) {
    return this.users.findByEmail(dto.FIELD);
  }

  @Get(':id')
  one(@Param('id', ParseIntPipe) id: number) {
    return this.users.findByEmail(id);
  }
}
"""
NEST_SERVICE = """
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class UsersService {
  constructor(private dataSource: DataSource) {}

  findByEmail(email: string) {
    return this.dataSource.query(`SELECT * FROM users WHERE email = '${email}'`);
  }
}
"""
NEST_DTO = """
import { IsEmail, IsInt } from 'class-validator';
export class FindDto {
  @IsEmail() email: string;
  @IsInt() age: number;
}
"""


def nest(field: str) -> dict[str, str]:
    return {
        "src/users/users.controller.ts": NEST_CONTROLLER.replace("FIELD", field),
        "src/users/users.service.ts": NEST_SERVICE,
        "src/users/find.dto.ts": NEST_DTO,
    }


def test_nest_controller_to_injected_service_flow() -> None:
    assert flows(nest("email")) == {("sql", "src/users/users.service.ts", 9)}


def test_nest_dto_field_constrained_by_class_validator_is_clean() -> None:
    # `age` is @IsInt in another module; ParseIntPipe cleans the other route's id
    assert flows(nest("age")) == set()


def test_nest_flow_replaces_the_medium_file_finding(tmp_path: Path) -> None:
    for name, code in nest("email").items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(code).lstrip())
    report = run_review(ReviewRequest(root=tmp_path, use_cache=False, jobs=1))
    sql = [f for f in report.findings if f.rule_id == "sql-string-query"]
    assert len(sql) == 1
    # controller -> service: one project function crossed, one step below critical
    assert (sql[0].severity, sql[0].confidence) == ("high", "medium")
    assert "UsersController.find()" in sql[0].message
    assert sql[0].file == "src/users/users.service.ts"


# --------------------------------------------------------------------------- across modules
def test_flow_through_a_helper_in_another_module_commonjs() -> None:
    files = {
        "src/routes.js": "const express = require('express');\nconst router = express.Router();\nconst { search } = require('./repo');\nrouter.get('/s', async (req, res) => {\n  res.json(await search(req.query.q));\n});\nmodule.exports = router;\n",
        "src/repo.js": "const db = require('./db');\nasync function search(term) {\n  return db.query(\"SELECT * FROM items WHERE name LIKE '%\" + term + \"%'\");\n}\nmodule.exports = { search };\n",
    }
    assert flows(files) == {("sql", "src/repo.js", 3)}


def test_flow_through_an_es_re_export() -> None:
    files = {
        "src/routes.ts": "import { Router } from 'express';\nimport { runCmd } from './lib';\nconst router = Router();\nrouter.post('/r', (req, res) => {\n  runCmd(req.body.name);\n  res.end();\n});\nexport default router;\n",
        "src/lib/index.ts": "export * from './shell';\n",
        "src/lib/shell.ts": "import { execSync } from 'child_process';\nexport function runCmd(name: string) {\n  return execSync(`echo ${name}`);\n}\n",
    }
    assert flows(files) == {("cmd", "src/lib/shell.ts", 3)}


def test_flow_through_a_default_exported_object_method() -> None:
    files = {
        "src/routes.js": "import express from 'express';\nimport files from './files.js';\nconst app = express();\napp.get('/f', (req, res) => res.send(files.read(req.query.name)));\n",
        "src/files.js": "import fs from 'fs';\nexport default {\n  read(name) {\n    return fs.readFileSync('/srv/' + name);\n  },\n};\n",
    }
    assert flows(files) == {("path", "src/files.js", 4)}


def test_flow_through_a_module_level_service_instance() -> None:
    files = {
        "src/routes.ts": "import express from 'express';\nimport { shell } from './shell';\nconst app = express();\napp.post('/r', (req, res) => {\n  shell.run(req.body.cmd);\n  res.end();\n});\n",
        "src/shell.ts": "import { exec } from 'child_process';\nclass Shell {\n  run(line: string) {\n    exec(line);\n  }\n}\nexport const shell = new Shell();\n",
    }
    assert flows(files) == {("cmd", "src/shell.ts", 4)}


def test_helper_returning_request_text_spliced_by_the_caller() -> None:
    files = {
        "src/routes.js": "const express = require('express');\nconst router = express.Router();\nconst { where } = require('./sql');\nconst db = require('./db');\nrouter.get('/s', async (req, res) => {\n  res.json(await db.query('SELECT * FROM t WHERE ' + where(req.query.status)));\n});\n",
        "src/sql.js": "function where(status) {\n  return `status = '${status}'`;\n}\nmodule.exports = { where };\n",
    }
    assert flows(files) == {("sql", "src/routes.js", 6)}


def test_helper_in_another_module_that_converts_its_argument() -> None:
    files = {
        "src/routes.js": "const express = require('express');\nconst router = express.Router();\nconst { toId } = require('./ids');\nconst db = require('./db');\nrouter.get('/s', async (req, res) => {\n  res.json(await db.query('SELECT * FROM t WHERE id = ' + toId(req.query.id)));\n});\n",
        "src/ids.js": "exports.toId = (value) => parseInt(value, 10);\n",
    }
    assert flows(files) == set()


def test_sanitised_argument_to_a_helper_in_another_module() -> None:
    files = {
        "src/routes.js": "const express = require('express');\nconst router = express.Router();\nconst repo = require('./repo');\nrouter.get('/s', async (req, res) => {\n  res.json(await repo.byId(Number(req.query.id)));\n});\n",
        "src/repo.js": "const db = require('./db');\nexports.byId = function (id) {\n  return db.query('SELECT * FROM items WHERE id = ' + id);\n};\n",
    }
    assert flows(files) == set()


def test_an_unresolved_project_import_invents_no_flow() -> None:
    files = {
        "src/routes.js": "const express = require('express');\nconst app = express();\nconst { lookup } = require('./missing');\nconst { exec } = require('child_process');\napp.post('/x', (req, res) => {\n  exec('echo ' + lookup(req.body.id));\n  res.end();\n});\n",
    }
    assert flows(files) == set()


# --------------------------------------------------------------------------- propagation
def test_overwritten_value_is_clean() -> None:
    code = express(
        "let host = req.body.host;\nhost = 'localhost';\nexec('ping ' + host);\nres.end();\n",
        "const { exec } = require('child_process');\n",
    )
    assert kinds(code) == set()


def test_reassigned_from_request_data_is_tainted_again() -> None:
    code = express(
        "let host = 'localhost';\nhost = req.body.host;\nexec('ping ' + host);\nres.end();\n",
        "const { exec } = require('child_process');\n",
    )
    assert kinds(code) == {"cmd"}


@pytest.mark.parametrize(("flag", "expected"), [("false", set()), ("true", {"cmd"})])
def test_constant_branch_is_decided(flag: str, expected: set[str]) -> None:
    code = express(
        "if (DEBUG) {\n  exec('ping ' + req.body.host);\n}\nres.end();\n",
        f"const {{ exec }} = require('child_process');\nconst DEBUG = {flag};\n",
    )
    assert kinds(code) == expected


def test_sanitiser_on_only_one_path_leaves_the_other() -> None:
    code = express(
        "let n = req.body.n;\nif (req.query.strict) {\n  n = Number(n);\n}\nexec('seq ' + n);\nres.end();\n",
        "const { exec } = require('child_process');\n",
    )
    assert kinds(code) == {"cmd"}


def test_sanitiser_on_both_paths() -> None:
    code = express(
        "let n = req.body.n;\nif (req.query.strict) {\n  n = Number(n);\n} else {\n  n = parseInt(n, 10);\n}\nexec('seq ' + n);\nres.end();\n",
        "const { exec } = require('child_process');\n",
    )
    assert kinds(code) == set()


def test_await_array_object_and_template_propagate() -> None:
    code = express(
        "const parts = [await Promise.resolve(req.body.a)];\nconst o = { p: parts[0] };\nconst line = `echo ${o.p}`;\nexec(line);\nres.end();\n",
        "const { exec } = require('child_process');\n",
    )
    assert kinds(code) == {"cmd"}


def test_callback_closure_over_request_data() -> None:
    code = express(
        "const names = req.body.names;\nnames.forEach((n) => exec('touch ' + n));\nres.end();\n",
        "const { exec } = require('child_process');\n",
    )
    assert kinds(code) == {"cmd"}


def test_local_helper_called_with_request_data() -> None:
    code = express(
        "const run = (x) => exec('echo ' + x);\nrun('fixed');\nrun(req.body.x);\nres.end();\n",
        "const { exec } = require('child_process');\n",
    )
    assert kinds(code) == {"cmd"}


def test_local_helper_called_with_constants_only() -> None:
    code = express(
        "const run = (x) => exec('echo ' + x);\nrun('fixed');\nres.end();\n",
        "const { exec } = require('child_process');\n",
    )
    assert kinds(code) == set()


# --------------------------------------------------------------------------- sanitisers
CMD = "const { exec } = require('child_process');\n"


@pytest.mark.parametrize(
    "convert", ["Number(v)", "parseInt(v, 10)", "parseFloat(v)", "Boolean(v)", "v.length"]
)
def test_numeric_conversion_cleans(convert: str) -> None:
    assert (
        kinds(express(f"const v = req.body.v;\nexec('seq ' + {convert});\nres.end();\n", CMD))
        == set()
    )


def test_uuid_validation_guard_cleans() -> None:
    code = express(
        "const id = req.params.id;\nif (!isUuid(id)) return res.status(400).end();\nexec('show ' + id);\n",
        "const { validate: isUuid } = require('uuid');\n" + CMD,
    )
    assert kinds(code) == set()


def test_uuid_validation_in_a_branch_not_taken() -> None:
    code = express(
        "const id = req.params.id;\nif (!isUuid(id)) console.log('bad');\nexec('show ' + id);\n",
        "const { validate: isUuid } = require('uuid');\n" + CMD,
    )
    assert kinds(code) == {"cmd"}


def test_allow_list_membership_that_returns_cleans() -> None:
    code = express(
        "const host = req.body.host;\nif (!HOSTS.includes(host)) return res.status(400).end();\nexec('ping ' + host);\n",
        CMD + "const HOSTS = ['a', 'b'];\n",
    )
    assert kinds(code) == set()


def test_membership_in_request_data_is_no_allow_list() -> None:
    code = express(
        "const host = req.body.host;\nif (!req.body.hosts.includes(host)) return res.end();\nexec('ping ' + host);\n",
        CMD,
    )
    assert kinds(code) == {"cmd"}


def test_anchored_pattern_guard_cleans() -> None:
    code = express(
        "const b = req.query.b;\nif (!/^[a-z0-9-]+$/.test(b)) return res.status(400).end();\nexec('git checkout ' + b);\n",
        CMD,
    )
    assert kinds(code) == set()


def test_unanchored_pattern_guard_does_not_clean() -> None:
    code = express(
        "const b = req.query.b;\nif (!/[a-z]/.test(b)) return res.status(400).end();\nexec('git checkout ' + b);\n",
        CMD,
    )
    assert kinds(code) == {"cmd"}


def test_zod_parsed_field_with_constrained_type_is_clean() -> None:
    code = express(
        "const body = Body.parse(req.body);\nexec(`seq ${body.count}`);\nexec(`echo ${body.label}`);\nres.end();\n",
        "import { z } from 'zod';\nimport { exec } from 'child_process';\nconst Body = z.object({ count: z.number().int(), label: z.string() });\n",
        ts=True,
    )
    assert flows(code) == {("cmd", "src/app.ts", 9)}


def test_joi_schema_in_another_module() -> None:
    files = {
        "src/app.js": "const express = require('express');\nconst { exec } = require('child_process');\nconst { schema } = require('./schema');\nconst app = express();\napp.post('/x', (req, res) => {\n  const { value, error } = schema.validate(req.body);\n  if (error) return res.status(400).end();\n  exec('seq ' + value.n);\n  exec('echo ' + value.s);\n  res.end();\n});\n",
        "src/schema.js": "const Joi = require('joi');\nexports.schema = Joi.object({ n: Joi.number(), s: Joi.string() });\n",
    }
    # n is Joi.number(); s is any string
    assert flows(files) == {("cmd", "src/app.js", 9)}


def test_basename_cleans_paths_only() -> None:
    imports = "const fs = require('fs');\nconst path = require('path');\n"
    assert (
        kinds(
            express(
                "res.send(fs.readFileSync(path.join('/srv', path.basename(req.query.n))));\n",
                imports,
            )
        )
        == set()
    )
    assert kinds(
        express("res.send(fs.readFileSync(path.join('/srv', req.query.n)));\n", imports)
    ) == {"path"}
    assert kinds(
        express("exec('cat ' + path.basename(req.query.n));\nres.end();\n", imports + CMD)
    ) == {"cmd"}


def test_containment_check_that_returns_cleans_the_path() -> None:
    body = "const p = path.resolve(BASE, req.query.name);\nif (!p.startsWith(BASE + path.sep)) return res.status(403).end();\nres.send(fs.readFileSync(p));\n"
    imports = (
        "const fs = require('fs');\nconst path = require('path');\nconst BASE = '/srv/files';\n"
    )
    assert kinds(express(body, imports)) == set()
    unchecked = body.replace(
        "if (!p.startsWith(BASE + path.sep)) return res.status(403).end();\n", ""
    )
    assert kinds(express(unchecked, imports)) == {"path"}


def test_send_file_with_a_root_is_contained() -> None:
    assert kinds(express("res.sendFile(req.params.name, { root: '/srv/public' });\n")) == set()


@pytest.mark.parametrize("escape", ["escapeHtml(q)", "encodeURIComponent(q)"])
def test_html_escaping_cleans_xss(escape: str) -> None:
    code = express(
        f"const q = req.query.q;\nres.send('<p>' + {escape} + '</p>');\n",
        "const escapeHtml = require('escape-html');\n",
    )
    assert kinds(code) == set()


def test_html_escaping_does_not_clean_sql() -> None:
    code = express(
        "const q = escapeHtml(req.query.q);\nres.json(await db.query(`SELECT * FROM t WHERE n = '${q}'`));\n",
        "const escapeHtml = require('escape-html');\nconst db = require('./db');\n",
    )
    assert kinds(code) == {"sql"}


def test_json_response_is_no_xss() -> None:
    assert kinds(express("res.json({ name: req.query.q });\n")) == set()


@pytest.mark.parametrize(
    "query",
    [
        "db.query('SELECT * FROM t WHERE n = $1', [q])",
        "db.query('SELECT * FROM t WHERE n = ?', [q])",
        "sql`SELECT * FROM t WHERE n = ${q}`",
        "prisma.$queryRaw`SELECT * FROM t WHERE n = ${q}`",
        "knex('t').where({ n: q })",
        "knex('t').whereRaw('n = ?', [q])",
    ],
)
def test_parameterised_queries_are_clean(query: str) -> None:
    imports = "const db = require('./db');\nconst knex = require('knex')({});\nconst sql = require('./sql');\nconst prisma = require('./prisma');\n"
    assert kinds(express(f"const q = req.query.q;\nres.json(await {query});\n", imports)) == set()


def test_url_allow_list_cleans_ssrf() -> None:
    body = "const u = new URL(req.query.url);\nif (!ALLOWED_HOSTS.includes(u.hostname)) return res.status(400).end();\nres.json(await (await fetch(u)).json());\n"
    assert kinds(express(body, "const ALLOWED_HOSTS = ['api.example.com'];\n")) == set()
    unchecked = body.replace(
        "if (!ALLOWED_HOSTS.includes(u.hostname)) return res.status(400).end();\n", ""
    )
    assert kinds(express(unchecked, "const ALLOWED_HOSTS = ['api.example.com'];\n")) == {"ssrf"}


def test_fixed_host_or_local_path_prefix_cleans_ssrf_and_redirect() -> None:
    assert (
        kinds(
            express(
                "res.json(await (await fetch(`https://api.example.com/items/${req.query.id}`)).json());\n"
            )
        )
        == set()
    )
    assert kinds(express("res.redirect('/items/' + req.query.id);\n")) == set()
    assert kinds(express("res.redirect('//' + req.query.host);\n")) == {"redirect"}


def test_yaml_load_with_the_default_safe_schema_is_clean() -> None:
    assert (
        kinds(express("res.json(yaml.load(req.body.doc));\n", "const yaml = require('js-yaml');\n"))
        == set()
    )


def test_spawn_without_shell_is_only_the_program() -> None:
    imports = "const { spawn } = require('child_process');\n"
    assert kinds(express("spawn('tar', ['czf', req.body.name]);\nres.end();\n", imports)) == set()
    assert kinds(express("spawn(req.body.program, ['-v']);\nres.end();\n", imports)) == {"cmd"}


# --------------------------------------------------------------------------- review integration
def test_file_rule_finding_dropped_when_the_engine_sees_no_flow(tmp_path: Path) -> None:
    (tmp_path / "app.js").write_text(
        EXPRESS
        + "const { exec } = require('child_process');\napp.post('/p', (req, res) => {\n  let host = req.body.host;\n  host = 'localhost';\n  exec('ping ' + host);\n  res.end();\n});\n"
    )
    report = run_review(ReviewRequest(root=tmp_path, use_cache=False, jobs=1))
    assert [f for f in report.findings if f.rule_id == "command-injection"] == []


def test_review_reports_one_finding_per_sink_with_the_path(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "routes.js").write_text(
        "const express = require('express');\nconst router = express.Router();\nconst { search } = require('./repo');\nrouter.get('/s', async (req, res) => {\n  res.json(await search(req.query.q));\n});\nmodule.exports = router;\n"
    )
    (tmp_path / "src" / "repo.js").write_text(
        "const db = require('./db');\nasync function search(term) {\n  return db.query(\"SELECT * FROM items WHERE name LIKE '%\" + term + \"%'\");\n}\nmodule.exports = { search };\n"
    )
    report = run_review(ReviewRequest(root=tmp_path, use_cache=False, jobs=1))
    sql = [f for f in report.findings if f.rule_id == "sql-string-query"]
    assert len(sql) == 1
    assert sql[0].severity == "high"  # through search(): one step below critical
    assert "src/routes.js:5" in sql[0].message


# --------------------------------------------------------------------------- checks in place
def test_check_of_an_expression_cleans_it_where_it_holds() -> None:
    body = "const target = req.query.next && is_relative_url('/' + req.query.next) ? `/${req.query.next}` : '/';\nres.redirect(target);\n"
    assert kinds(express(body, "const { is_relative_url } = require('./utils');\n")) == set()
    unchecked = (
        "const target = req.query.next ? `/${req.query.next}` : '/';\nres.redirect(target);\n"
    )
    assert kinds(express(unchecked)) == {"redirect"}


def test_check_in_and_guards_the_right_operand() -> None:
    body = "const { redirect } = req.query;\nres.redirect((isRelativeUrl(redirect) && redirect) || '/home');\n"
    assert kinds(express(body, "const { isRelativeUrl } = require('./utils');\n")) == set()
    assert kinds(
        express("const { redirect } = req.query;\nres.redirect(redirect || '/home');\n")
    ) == {"redirect"}


def test_a_relative_url_check_does_not_clean_other_kinds() -> None:
    body = "const p = req.query.p;\nif (!isRelativeUrl(p)) return res.end();\nexec('ls ' + p);\nres.end();\n"
    assert kinds(express(body, CMD)) == {"cmd"}


def test_redirect_back_to_the_referer_is_not_open() -> None:
    assert kinds(express("res.redirect(req.get('referer') || '/');\n")) == set()
    assert kinds(express("res.redirect(req.headers.referer);\n")) == set()
    assert kinds(express("res.redirect(req.get('x-next'));\n")) == {"redirect"}


def test_redirect_to_the_host_header_is_not_open() -> None:
    assert kinds(express("res.redirect(`https://${req.headers.host}${req.path}`);\n")) == set()


def test_fixed_base_url_constant_prefix_cleans_ssrf() -> None:
    assert (
        kinds(
            express(
                "res.json(await (await fetch(`${API_URL}/accounts/${req.body.id}`)).json());\n",
                "const API_URL = 'https://bank.example.com';\n",
            )
        )
        == set()
    )
    assert kinds(
        express(
            "res.json(await (await fetch(`${base}/accounts/${req.body.id}`)).json());\n",
            "const base = process.argv[2];\n",
        )
    ) == {"ssrf"}


def test_query_string_values_are_no_ssrf() -> None:
    body = "const url = new URL('https://api.example.com/search');\nurl.searchParams.set('q', req.query.q);\nres.json(await (await fetch(url)).json());\n"
    assert kinds(express(body)) == set()


def test_result_of_a_validating_function_is_clean_for_paths() -> None:
    imports = "const fs = require('fs');\nconst { validateAppId } = require('./ids');\n"
    assert (
        kinds(
            express(
                "const id = validateAppId(req.params.id);\nres.json(fs.readdirSync('/data/' + id));\n",
                imports,
            )
        )
        == set()
    )
    files = express(
        "const id = normalizeAppId(req.params.id);\nres.json(fs.readdirSync('/data/' + id));\n",
        imports.replace("validateAppId", "normalizeAppId"),
    )
    files["src/ids.js"] = "exports.normalizeAppId = (id) => id.trim();\n"
    assert kinds(files) == {"path"}


def test_a_value_that_failed_a_truthiness_test_is_empty() -> None:
    body = "let next = req.body.next;\nif (next) {\n  next = resolveLoginRedirect(next);\n}\nres.redirect(next || '/');\n"
    assert (
        kinds(express(body, "const { resolveLoginRedirect } = require('./redirects');\n")) == set()
    )
    body = "let next = req.body.next;\nif (next) {\n  console.log(next);\n}\nres.redirect(next || '/');\n"
    assert kinds(express(body)) == {"redirect"}


def test_browser_code_keeps_the_file_rules_findings(tmp_path: Path) -> None:
    # a script the route linker takes for browser code is not linked: the file rule's finding
    # at its sink stays (nobody examined the sink)
    public = tmp_path / "public"
    public.mkdir()
    (public / "tool.js").write_text(
        EXPRESS
        + "const { exec } = require('child_process');\napp.post('/p', (req, res) => {\n  exec('ping ' + req.body.host);\n  res.end();\n});\n"
    )
    report = run_review(ReviewRequest(root=tmp_path, use_cache=False, jobs=1))
    assert [f.line for f in report.findings if f.rule_id == "command-injection"] == [5]


def test_paths_the_upload_middleware_chose_are_not_request_data() -> None:
    imports = "const fs = require('fs');\n"
    assert (
        kinds(
            express(
                "res.json(JSON.parse(fs.readFileSync(req.files.pack.tempFilePath)));\n", imports
            )
        )
        == set()
    )
    assert kinds(express("res.send(fs.readFileSync(req.file.path));\n", imports)) == set()
    assert kinds(
        express("res.send(fs.readFileSync('/up/' + req.files.pack.name));\n", imports)
    ) == {"path"}
    assert kinds(express("res.send(fs.readFileSync(req.body.path));\n", imports)) == {"path"}


def test_forwarded_local_path_keeps_its_fixed_host() -> None:
    files = {
        "src/app.js": "const express = require('express');\nconst app = express();\nconst bank = require('./bank');\napp.post('/b', async (req, res) => {\n  res.json(await bank.balances(req.body.account));\n});\n",
        "src/bank.js": "const BASE_URL = 'https://api.bank.example';\nasync function request(method, path) {\n  return fetch(`${BASE_URL}${path}`, { method });\n}\nexports.balances = (account) => request('GET', `/accounts/${account}/balances`);\nexports.raw = (target) => request('GET', target);\n",
    }
    assert flows(files) == set()
    files["src/app.js"] = files["src/app.js"].replace(
        "bank.balances(req.body.account)", "bank.raw(req.body.account)"
    )
    assert flows(files) == {("ssrf", "src/bank.js", 3)}


def test_url_search_and_query_objects_carry_no_host() -> None:
    body = "const params = new URLSearchParams();\nparams.append('account', req.body.id);\nconst url = new URL(`${process.env.BANK_URL}/accounts`);\nurl.search = params.toString();\nres.json(await (await fetch(url.toString())).json());\n"
    assert kinds(express(body)) == set()


def test_awaited_validator_statement_checks_its_argument() -> None:
    body = "const target = req.body.url;\nawait assertUrlAllowed(target);\nres.json(await (await fetch(target)).json());\n"
    assert kinds(express(body, "const { assertUrlAllowed } = require('./urls');\n")) == set()
    assert kinds(
        express("const target = req.body.url;\nres.json(await (await fetch(target)).json());\n")
    ) == {"ssrf"}


def test_a_file_read_by_a_request_path_is_not_request_data() -> None:
    imports = "const fs = require('fs');\n"
    body = "const page = fs.readFileSync(`./templates/${req.query.name}.html`, 'utf8');\nres.type('text/html').send(page);\n"
    assert flows(express(body, imports)) == {("path", "src/app.js", 5)}  # and no XSS


def test_a_check_given_a_comparison_is_read_without_recursing_forever(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # isAllowed(a === b): the comparison's pieces include itself; it must not loop
    body = """
        const q = req.query.next;
        if (isSafeRedirect(q === req.query.expected)) {
          return res.redirect(q);
        }
        res.redirect(q);
    """
    with caplog.at_level("ERROR"):
        found = kinds(express(body))
    assert "taint summary failed" not in caplog.text
    assert "redirect" in found  # the unchecked redirect after the if is still a flow


STORE_JS = """\
const knex = require('knex')({ client: 'pg' });

async function purge(days) {
  return knex('events').whereRaw(`age > ${days}`).del();
}

module.exports = { purge };
"""


def _js_sql_lines(root: Path) -> list[int]:
    report = run_review(ReviewRequest(root=root, use_cache=False, jobs=1))
    return [f.line for f in report.findings if f.rule_id == "sql-string-query"]


def test_js_sql_from_a_parameter_whose_callers_pass_constants_is_not_reported(
    tmp_path: Path,
) -> None:
    (tmp_path / "store.js").write_text(STORE_JS)
    (tmp_path / "jobs.js").write_text(
        "const { purge } = require('./store');\n\nasync function nightly() {\n  await purge(30);\n}\n\nmodule.exports = { nightly };\n"
    )
    assert _js_sql_lines(tmp_path) == []


def test_js_sql_from_a_parameter_of_a_function_nobody_calls_is_still_reported(
    tmp_path: Path,
) -> None:
    (tmp_path / "store.js").write_text(STORE_JS)
    assert _js_sql_lines(tmp_path) == [4]


def test_normalised_paths_stripped_of_leading_parent_dirs_stay_inside() -> None:
    imports = "const fs = require('fs');\nconst path = require('path');\n"
    safe = (
        "const safe = path.normalize(req.params.file).replace(/^(\\.\\.(\\/|\\\\|$))+/, '');\n"
        "res.send(fs.readFileSync(path.join('/srv/public', safe)));\n"
    )
    assert kinds(express(safe, imports)) == set()
    # without normalising first, `a/../../x` keeps its inner `..`
    unsafe = safe.replace("path.normalize(req.params.file)", "req.params.file")
    assert kinds(express(unsafe, imports)) == {"path"}
    # stripping every `..` anywhere is not the idiom (`....//` becomes `../`)
    other = safe.replace("/^(\\.\\.(\\/|\\\\|$))+/", "/\\.\\./g")
    assert kinds(express(other, imports)) == {"path"}


@pytest.mark.parametrize(
    "imports",
    [
        "const get = require('lodash/get');\n",
        "const { get } = require('lodash');\n",
        "import _ from 'lodash';\nconst get = _.get;\n",
    ],
)
def test_a_deep_getter_answers_the_stored_value_not_the_key(imports: str) -> None:
    # the client picks which configured file is served, not the file's path
    body = """
    const path = require('path');
    const file = get(config, `splash.${req.query.kind}`, 'default.png');
    res.sendFile(path.join('/srv/splash', file));
    """
    assert kinds(express(body, imports + "const config = require('./config');\n")) == set()
    # the object or the default being the client's still reaches the path
    tainted = body.replace("get(config,", "get(req.body,")
    assert kinds(express(tainted, imports)) == {"path"}
    fallback = body.replace("'default.png'", "req.query.file")
    assert kinds(express(fallback, imports + "const config = require('./config');\n")) == {"path"}
