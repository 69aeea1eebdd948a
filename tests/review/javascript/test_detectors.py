"""Each JS detector on small real samples: positive and negative, JavaScript and TypeScript."""

from __future__ import annotations

import pytest

from mcp_backend.review.javascript import analyze_file
from mcp_backend.review.model import Language


def rules_in(source: str, file: str = "src/routes/x.js") -> list[str]:
    language: Language = "typescript" if file.endswith((".ts", ".tsx")) else "javascript"
    result = analyze_file(file, source, language)
    assert result.skipped is None
    return [f.rule_id for f in result.findings]


KOA_ERRORS = (
    "app.use(async (ctx, next) => {\n"
    "  try {\n    await next();\n  } catch (err) {\n"
    "    ctx.status = err.status || 500;\n"
    "    ctx.body = BODY;\n"
    "  }\n});\n"
)


NEXT_OR_ANSWER = (
    "app.post('/api/login', (req, res, next) => {\n"
    "  passport.authenticate('local', async (err, user) => {\n"
    "    try {\n"
    "      await finishLogin(req, user);\n"
    "    } catch (error) {\n"
    "      ANSWER\n"
    "    }\n"
    "  })(req, res, next);\n"
    "});\n"
)

CASES: list[tuple[str, str, str, bool]] = [
    # (rule, file, source, expected)
    # Express always passes next: the branch taken without it never runs
    (
        "error-details-leak",
        "a.js",
        NEXT_OR_ANSWER.replace(
            "ANSWER",
            "return next ? next(error) : res.status(500).json({ message: error.message });",
        ),
        False,
    ),
    (
        "error-details-leak",
        "a.js",
        NEXT_OR_ANSWER.replace(
            "ANSWER", "if (!next) { return res.status(500).json({ message: error.message }); }"
        ),
        False,
    ),
    (
        "error-details-leak",
        "a.js",
        NEXT_OR_ANSWER.replace(
            "ANSWER", "return res.status(500).json({ message: error.message });"
        ),
        True,
    ),
    # Koa answers by assigning ctx.body.
    (
        "error-details-leak",
        "a.js",
        KOA_ERRORS.replace("BODY", "{ error: err.message, stack: err.stack }"),
        True,
    ),
    ("error-details-leak", "a.ts", KOA_ERRORS.replace("BODY", "{ error: err.message }"), True),
    (
        "error-details-leak",
        "a.js",
        KOA_ERRORS.replace("BODY", "{ error: err.expose ? err.message : 'Internal error' }"),
        False,
    ),
    (
        "error-details-leak",
        "a.js",
        KOA_ERRORS.replace("BODY", "{ error: 'Internal error', id: ctx.state.requestId }"),
        False,
    ),
    (
        "sql-string-query",
        "a.js",
        "app.get('/u', async (req, res) => { await pool.query(`SELECT * FROM users WHERE name "
        "= '${req.query.name}'`) })",
        True,
    ),
    (
        "sql-string-query",
        "a.ts",
        "app.get('/u', async (req, res) => { await db.query('SELECT * FROM users WHERE id = ' "
        "+ req.params.id) })",
        True,
    ),
    (
        "sql-string-query",
        "a.ts",
        "await prisma.$queryRawUnsafe(`SELECT * FROM t WHERE id = ${id}`)",
        True,
    ),
    ("sql-string-query", "a.ts", "await prisma.$queryRaw`SELECT * FROM t WHERE id = ${id}`", False),
    (
        "sql-string-query",
        "a.js",
        "await pool.query('SELECT * FROM users WHERE id = $1', [req.params.id])",
        False,
    ),
    (
        "sql-string-query",
        "a.js",
        "await db.query(`SELECT * FROM ${TABLE} WHERE id = $1`, [id])",
        False,
    ),
    # A sub-query's generated SQL (TypeORM getQuery) carries named parameters, bound beside it.
    (
        "sql-string-query",
        "src/services/product.service.ts",
        "async function byTags(qb, repo, tags) {\n"
        "  const sub = repo.createQueryBuilder('t').select('t.productId')\n"
        "    .where('t.name IN (:...tags)');\n"
        "  const clause = `product.id IN (${sub.getQuery()})`;\n"
        "  qb.andWhere(clause).setParameters({ tags });\n}",
        False,
    ),
    (
        "sql-string-query",
        "src/services/product.service.ts",
        "async function byName(qb, name) {\n"
        "  const clause = `product.name = '${name}'`;\n"
        "  qb.where(clause);\n}",
        True,
    ),
    # Test helpers build SQL from values the test chose.
    (
        "sql-string-query",
        "test/e2e/helpers/db-helper.js",
        "async function reset(db, table, id) {\n"
        "  await db.raw(`DELETE FROM ${table} WHERE id = ${id}`);\n}",
        False,
    ),
    (
        "sql-string-query",
        "test-setup.js",
        "async function reset(db, table, id) {\n"
        "  await db.raw(`DELETE FROM ${table} WHERE id = ${id}`);\n}",
        False,
    ),
    (
        "sql-string-query",
        "src/db/cleanup.js",
        "async function reset(db, table, id) {\n"
        "  await db.raw(`DELETE FROM ${table} WHERE id = ${id}`);\n}",
        True,
    ),
    # a migration runs once at deploy time with the app's own values
    (
        "sql-string-query",
        "dist/database/migrations/1700000000000-AddTeams.js",
        "class AddTeams {\n  async up(queryRunner) {\n"
        "    const rows = await queryRunner.query(`SELECT id FROM orders`);\n"
        "    for (const row of rows) {\n"
        "      await queryRunner.query(\n"
        "        `UPDATE orders SET team = '${row.id}' WHERE id = '${row.id}'`);\n"
        "    }\n  }\n}",
        False,
    ),
    (
        "sql-string-query",
        "dist/migration-utils/v3_6_asset_translations.js",
        "async function migrate(queryRunner, code) {\n"
        "  await queryRunner.query(`INSERT INTO t (code) VALUES ('${code}')`);\n}",
        False,
    ),
    (
        "sql-string-query",
        "src/services/migration-status.js",
        "async function status(db, name) {\n"
        "  return db.raw(`SELECT * FROM jobs WHERE name = '${name}'`);\n}",
        True,
    ),
    ("hardcoded-secret", "a.js", "const JWT_SECRET = 'x9f8s7d6f5g4h3j2';", True),
    # a development launcher beside the real entry point is not what production runs
    ("hardcoded-secret", "server-dev.js", "const JWT_SECRET = 'x9f8s7d6f5g4h3j2';", False),
    ("hardcoded-secret", "src/dev-server.ts", "const JWT_SECRET = 'x9f8s7d6f5g4h3j2';", False),
    ("hardcoded-secret", "src/devices.ts", "const JWT_SECRET = 'x9f8s7d6f5g4h3j2';", True),
    (
        "hardcoded-secret",
        "a.ts",
        "const secret = process.env.JWT_SECRET || 'dev-secret-key';",
        True,
    ),
    ("hardcoded-secret", "a.ts", "const secret = process.env.JWT_SECRET;", False),
    # TypeScript annotations and class fields hold secrets as often as plain declarations.
    ("hardcoded-secret", "a.ts", "export const apiKey: string = 'q8Zr2LmX9vT4wKp7';", True),
    (
        "hardcoded-secret",
        "a.ts",
        "class C {\n  private readonly apiKey = 'q8Zr2LmX9vT4wKp7';\n}",
        True,
    ),
    (
        "hardcoded-secret",
        "a.ts",
        "class C {\n  clientSecret?: string = 'q8Zr2LmX9vT4wKp7';\n}",
        True,
    ),
    ("hardcoded-secret", "a.js", "class C {\n  static jwtSecret = 'q8Zr2LmX9vT4wKp7';\n}", True),
    (
        "hardcoded-secret",
        "a.ts",
        "class C {\n  private apiKey?: string;\n  key = 'q8Zr2LmX9vT4wK';\n}",
        False,
    ),
    ("hardcoded-secret", "a.ts", "const apiKey: string = process.env.API_KEY ?? '';", False),
    # Credentials written into request headers.
    ("hardcoded-secret", "a.ts", "const headers = { 'x-api-key': 'q8Zr2LmX9vT4wKp7' };", True),
    (
        "hardcoded-secret",
        "a.js",
        "fetch(u, { headers: { Authorization: 'Bearer q8Zr2LmX9vT4wKp7Yc' } });",
        True,
    ),
    (
        "hardcoded-secret",
        "a.js",
        "fetch(u, { headers: { Authorization: `Bearer ${token}` } });",
        False,
    ),
    (
        "hardcoded-secret",
        "a.js",
        "fetch(u, { headers: { Authorization: 'Bearer ' + token } });",
        False,
    ),
    ("hardcoded-secret", "a.ts", "const headers = { 'x-api-key': 'YOUR_API_KEY' };", False),
    ("hardcoded-secret", "a.ts", "const h = { authorization: 'Bearer <token>' };", False),
    # The path of a setting that holds the secret is not the secret.
    (
        "hardcoded-secret",
        "a.ts",
        "class S {\n  static readonly CONFIG_SIGNING_KEY = 'settings:mailPayloadSigningKey';\n}",
        False,
    ),
    ("hardcoded-secret", "a.js", "const JWT_SECRET = config.get('auth.jwt.secret');", False),
    ("hardcoded-secret", "a.js", "const SESSION_SECRET = 'auth.session.secret';", False),
    ("hardcoded-secret", "a.js", "const SESSION_SECRET = 'supersecret.k3y-88Zq';", True),
    ("hardcoded-secret", "a.js", "const SESSION_SECRET = 'sauce.secret:keyboard.cat';", True),
    ("hardcoded-secret", "test/a.test.js", "const JWT_SECRET = 'x9f8s7d6f5g4h3j2';", False),
    (
        "hardcoded-secret",
        "a.js",
        "const form = { passwordField: 'password', password: 'Password is required' };",
        False,
    ),
    (
        "jwt-unverified",
        "a.js",
        "function auth(req, res, next) { req.user = jwt.decode(req.headers.authorization); "
        "next(); }",
        True,
    ),
    ("jwt-unverified", "a.ts", "jwt.verify(token, key, { algorithms: ['none'] })", True),
    ("jwt-unverified", "a.ts", "jwt.verify(token, key, { ignoreExpiration: true })", True),
    (
        "jwt-unverified",
        "a.ts",
        "const p = jwt.verify(token, key, { algorithms: ['HS256'] });",
        False,
    ),
    (
        "weak-password-hash",
        "a.js",
        "const h = crypto.createHash('md5').update(password).digest('hex');",
        True,
    ),
    (
        "weak-password-hash",
        "a.ts",
        "const h = crypto.createHash('sha256').update(fileBuffer).digest('hex');",
        False,
    ),
    ("plaintext-password", "a.js", "if (user.password === req.body.password) { ok(); }", True),
    ("plaintext-password", "a.ts", "if (password !== confirmPassword) { fail(); }", False),
    # the userinfo of two URLs compared while matching redirect URIs: no account password
    (
        "plaintext-password",
        "redirect.js",
        "function same(a, b) {\n  const reqUrl = new URL(a);\n  const regUrl = new URL(b);\n"
        "  return regUrl.password === reqUrl.password;\n}",
        False,
    ),
    (
        "plaintext-password",
        "login.js",
        "async function login(req) {\n  const url = new URL(req.url);\n"
        "  const user = await User.findOne({ email: req.body.email });\n"
        "  return user.password === req.body.password;\n}",
        True,
    ),
    ("cors-wildcard", "a.js", "app.use(cors({ origin: '*', credentials: true }));", True),
    ("cors-wildcard", "a.ts", "app.use(cors({ origin: true, credentials: true }));", True),
    (
        "cors-wildcard",
        "a.ts",
        "app.use(cors({ origin: ['https://app.example.com'], credentials: true }));",
        False,
    ),
    (
        "error-details-leak",
        "a.js",
        "app.get('/x', async (req, res) => { try { await f() } catch (err) { "
        "res.status(500).json({ error: err.message }) } })",
        True,
    ),
    (
        "error-details-leak",
        "a.ts",
        "app.use((err, req, res, next) => { res.status(500).send(err.stack) })",
        True,
    ),
    (
        "error-details-leak",
        "a.ts",
        "app.get('/x', async (req, res) => { try { await f() } catch (err) { "
        "res.status(400).json({ error: err.message }) } })",
        False,
    ),
    ("sensitive-data-logged", "a.js", "console.log('login', email, password);", True),
    # a command-line program prints what its operator asked for
    (
        "sensitive-data-logged",
        "dist/commands/user.js",
        "logger.info(`Invite token: ${invite.token}`);",
        False,
    ),
    ("sensitive-data-logged", "src/cli.ts", "console.log('token', token);", False),
    ("sensitive-data-logged", "src/client/session.ts", "console.log('token', token);", True),
    (
        "sensitive-data-logged",
        "a.ts",
        "logger.info('password reset email sent', { userId });",
        False,
    ),
    (
        "blocking-call-in-async",
        "a.js",
        "app.post('/export', (req, res) => { res.send(execSync('pg_dump shop')) })",
        True,
    ),
    (
        "blocking-call-in-async",
        "a.js",
        "app.post('/users', async (req, res) => "
        "{ const hash = bcrypt.hashSync(req.body.password, 12); res.json({ hash }) })",
        True,
    ),
    # a local file-system call on the small files handlers read returns in microseconds
    (
        "blocking-call-in-async",
        "a.js",
        "app.get('/r', (req, res) => { res.send(fs.readFileSync('./r.html')) })",
        False,
    ),
    (
        "blocking-call-in-async",
        "a.ts",
        "const template = fs.readFileSync('./r.html', 'utf8');",
        False,
    ),
    (
        "n-plus-one-query",
        "a.ts",
        "async function f() { const users = await prisma.user.findMany(); for (const u of "
        "users) { await prisma.post.findMany({ where: { authorId: u.id } }); } }",
        True,
    ),
    (
        "n-plus-one-query",
        "a.ts",
        "async function f() { return prisma.user.findMany({ include: { posts: true } }); }",
        False,
    ),
    (
        "command-injection",
        "a.js",
        "const { exec } = require('child_process'); app.post('/x', (req, res) => exec('ping ' "
        "+ req.body.host))",
        True,
    ),
    (
        "command-injection",
        "a.ts",
        "import { execFile } from 'child_process'; execFile('ping', ['-c', '1', host]);",
        False,
    ),
    ("code-eval", "a.js", "app.post('/calc', (req, res) => res.json(eval(req.body.expr)))", True),
    ("code-eval", "a.ts", "const x = eval('1 + 1');", False),
    (
        "path-traversal",
        "a.js",
        "app.get('/f', (req, res) => res.sendFile(path.join(__dirname, 'files', req.query.name)))",
        True,
    ),
    (
        "path-traversal",
        "a.ts",
        "app.get('/f', (req, res) => res.sendFile(path.basename(req.query.name), { root: dir }))",
        False,
    ),
    (
        "nosql-injection",
        "a.js",
        "app.post('/login', async (req, res) => { const u = await User.findOne({ email: "
        "req.body.email, password: req.body.password }) })",
        True,
    ),
    (
        "nosql-injection",
        "a.ts",
        "app.post('/login', async (req, res) => { const u = await User.findOne({ email: "
        "String(req.body.email) }) })",
        False,
    ),
    (
        "ssl-verify-disabled",
        "a.js",
        "const agent = new https.Agent({ rejectUnauthorized: false });",
        True,
    ),
    ("ssl-verify-disabled", "a.ts", "const agent = new https.Agent({ ca });", False),
    (
        # an operator opt-in named for what it does
        "ssl-verify-disabled",
        "a.js",
        "const tls = process.env.ALLOW_UNAUTHORIZED_CERTS ? { rejectUnauthorized: false } : "
        "undefined;",
        False,
    ),
    (
        # a condition on the URL's scheme is no opt-in: every rediss:// URL goes unverified
        "ssl-verify-disabled",
        "a.js",
        "if (process.env.REDIS_URL.startsWith('rediss://')) { tls = { rejectUnauthorized: "
        "false }; }",
        True,
    ),
]


@pytest.mark.parametrize(("rule", "file", "source", "expected"), CASES)
def test_detector(rule: str, file: str, source: str, expected: bool) -> None:
    found = rule in rules_in(source, "src/" + file if not file.startswith("test/") else file)
    assert found is expected, f"{rule} expected={expected} in {source!r}"


def test_tsx_file_is_parsed_with_the_tsx_grammar() -> None:
    source = (
        "export const Page = () => <div>{user.name}</div>;\n"
        "const KEY = 'sk_live_abcdefghijklmnopqrstuvwx';\n"
    )
    assert "hardcoded-secret" in rules_in(source, "src/page.tsx")


def test_signals_for_good_practice() -> None:
    source = (
        "const ok = await bcrypt.compare(password, user.hash);\n"
        "await pool.query('SELECT * FROM t WHERE id = $1', [id]);\n"
    )
    result = analyze_file("src/a.ts", source, "typescript")
    items = {s.item for s in result.signals}
    assert {"password-hashing", "sql-injection"} <= items


def test_nosql_spread_of_request_body() -> None:
    source = "app.post('/f', async (req, res) => res.json(await Users.find({ ...req.query })))"
    assert "nosql-injection" in rules_in(source, "src/a.js")


def test_logging_a_masked_or_tested_token_is_fine() -> None:
    source = (
        "logger.debug('refresh', refreshToken ? 'yes' : 'no');\n"
        "logger.info('upload', Uploader.shortenToken(token));\n"
        "logger.info('upload', shortToken);\n"
    )
    assert "sensitive-data-logged" not in rules_in(source, "src/a.ts")


def test_nosql_filter_after_validation_is_fine() -> None:
    source = (
        "app.post('/login', async (req, res) => {\n"
        "  const input = LoginSchema.parse(req.body);\n"
        "  const user = await User.findOne({ email: req.body.email });\n"
        "})\n"
    )
    assert "nosql-injection" not in rules_in(source, "src/a.ts")


def test_session_secret_phrase_is_a_secret_but_messages_are_not() -> None:
    assert "hardcoded-secret" in rules_in("app.use(session({ secret: 'keyboard cat' }));")
    message = "const errors = { password: 'Password must be at least 8 characters long' };"
    assert "hardcoded-secret" not in rules_in(message)


@pytest.mark.parametrize(
    "source",
    [
        "app.get('/u', (req, res) => knex('users').whereRaw(`name = '${req.query.name}'`))",
        "const q = repo.createQueryBuilder('u').where(`u.email = '${req.body.email}'`);",
        "Sequelize.literal(`(SELECT COUNT(*) FROM likes WHERE post_id = ${req.params.id})`)",
    ],
)
def test_sql_fragments_built_from_request_data(source: str) -> None:
    assert "sql-string-query" in rules_in(source, "src/a.ts")


def test_sql_fragment_with_parameters_is_fine() -> None:
    source = "const q = repo.createQueryBuilder('u').where('u.email = :email', { email });"
    assert "sql-string-query" not in rules_in(source, "src/a.ts")


@pytest.mark.parametrize(
    ("file", "source"),
    [
        # A function argument spliced where SQL expects a value: the caller may pass anything.
        (
            "src/users.js",
            "function byName(name) {\n"
            '  return db.query("SELECT * FROM users WHERE name = \'" + name + "\'");\n'
            "}",
        ),
        (
            "src/users.ts",
            "export function byId(id: string) {\n"
            "  return pool.query(`SELECT * FROM users WHERE id = ${id}`);\n"
            "}",
        ),
        (
            "src/purge.js",
            "function purge(days) {\n"
            "  return knex('logs').whereRaw(`created_at < NOW() - INTERVAL '${days} days'`);\n"
            "}",
        ),
        (
            "src/ids.js",
            "function load(ids) {\n"
            "  return db.query(`SELECT * FROM items WHERE id IN (${ids.join(',')})`);\n"
            "}",
        ),
        # Parameters beside the text do not excuse a value quoted into it.
        (
            "src/t.js",
            "function find(a, b) {\n"
            "  return db.query(`SELECT * FROM t WHERE a = $1 AND b = '${b}'`, [a]);\n"
            "}",
        ),
    ],
)
def test_sql_values_spliced_from_arguments(file: str, source: str) -> None:
    assert "sql-string-query" in rules_in(source, file)


@pytest.mark.parametrize(
    ("file", "source"),
    [
        # Table names from a constants object, values as parameters.
        (
            "src/store.js",
            "const T = { users: 'users' };\n"
            "async function exists(email) {\n"
            "  return db.raw(`SELECT EXISTS (SELECT 1 FROM ${T.users} WHERE email = ?) AS "
            "present`, [email]);\n"
            "}",
        ),
        # A query built by the query builder, extended with a clause.
        (
            "src/store.js",
            "async function upsert(rows) {\n"
            "  const insert = knex('hits').insert(rows).toQuery();\n"
            "  await knex.raw(`${insert} ON CONFLICT (id) DO UPDATE SET n = hits.n + 1`);\n"
            "}",
        ),
        # A sort direction and a sub-query the code built itself.
        (
            "src/store.js",
            "function list(direction) {\n"
            "  return db.query(`SELECT * FROM users ORDER BY name ${direction}`);\n"
            "}",
        ),
        (
            "src/store.js",
            "function update(sub) {\n"
            "  const query = `UPDATE subs, (${sub}) AS c SET subs.offer = c.offer WHERE c.id = "
            "subs.id`;\n"
            "  return knex.raw(query);\n"
            "}",
        ),
        # `${table}.column` is a column reference; a typed number cannot inject.
        (
            "src/store.js",
            "function join(table) {\n"
            "  return knex.raw(`LEFT JOIN tags ON tags.id = ${table}.tag_id`);\n"
            "}",
        ),
        (
            "src/purge.ts",
            "export function purge(days: number) {\n"
            "  return knex('logs').whereRaw(`created_at < NOW() - INTERVAL '${days} days'`);\n"
            "}",
        ),
        (
            "src/rank.js",
            "const SYSTEM = { name: 'system' };\n"
            "const q = db.raw(`CASE WHEN id = -1 THEN '${SYSTEM.name}' ELSE name END`);",
        ),
    ],
)
def test_sql_identifiers_and_fragments_built_in_code_are_fine(file: str, source: str) -> None:
    assert "sql-string-query" not in rules_in(source, file)


def test_a_record_loaded_with_request_data_is_not_request_data() -> None:
    loaded = (
        "app.get('/files/:id', async (req, res) => {\n"
        "  const file = await files.get(req.params.id);\n"
        "  const folder = file.folder;\n"
        "  res.sendFile(path.join(ROOT, folder, file.name));\n"
        "});\n"
    )
    assert "path-traversal" not in rules_in(loaded)
    passed_through = (
        "app.get('/files', (req, res) => {\n"
        "  const name = decodeURIComponent(req.query.name);\n"
        "  const target = path.join(ROOT, name);\n"
        "  res.sendFile(target);\n"
        "});\n"
    )
    assert "path-traversal" in rules_in(passed_through)


def test_a_path_a_project_function_returns_for_request_data_is_not_request_data() -> None:
    returned = (
        "app.get('/icons/:name', async (req, res) => {\n"
        "  res.sendFile(await nodes.iconPath(req.params.name));\n"
        "});\n"
    )
    assert "path-traversal" not in rules_in(returned)
    joined = (
        "app.get('/icons/:name', async (req, res) => {\n"
        "  res.sendFile(path.join(ICONS, req.params.name));\n"
        "});\n"
    )
    assert "path-traversal" in rules_in(joined)


def test_attachment_names_and_upload_temp_files_are_not_paths_from_the_request() -> None:
    attachment = (
        "app.get('/export/:id', async (req, res) => {\n"
        "  res.attachment(`${req.params.id}.zip`);\n"
        "  res.send(await exporter.build(req.params.id));\n"
        "});\n"
    )
    assert "path-traversal" not in rules_in(attachment)
    upload = (
        "const fs = require('fs');\n"
        "app.post('/import', (req, res) => {\n"
        "  const pack = JSON.parse(fs.readFileSync(req.files.pack.tempFilePath));\n"
        "  res.json(pack);\n"
        "});\n"
    )
    assert "path-traversal" not in rules_in(upload)
    upload_name = upload.replace("req.files.pack.tempFilePath", "req.files.pack.name")
    assert "path-traversal" in rules_in(upload_name)


SAFE_NAME_HANDLER = (
    "const fs = require('fs');\n"
    "const VALID_NAME = PATTERN;\n"
    "app.get('/presets/:name', (req, res) => {\n"
    "  const name = req.params.name;\n"
    "  if (!VALID_NAME.test(name)) return res.status(400).end();\n"
    "  res.json(JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`))));\n"
    "});\n"
)


@pytest.mark.parametrize(
    ("pattern", "reported"),
    [
        ("/^[a-zA-Z0-9_-]+$/", False),
        ("/^\\w+$/", False),
        ("/^[a-z]{1,32}$/i", False),
        ("/^[\\w.]+$/", True),  # a dot: '..' passes
        ("/^[^/]+$/", True),  # a negated class admits '..'
        ("/[a-z]+/", True),  # not anchored: 'a/../../x' matches
        ("/^.+$/", True),
    ],
)
def test_a_name_tested_against_an_anchored_safe_pattern_cannot_walk_out(
    pattern: str, reported: bool
) -> None:
    source = SAFE_NAME_HANDLER.replace("PATTERN", pattern)
    assert ("path-traversal" in rules_in(source)) is reported
    inline = SAFE_NAME_HANDLER.replace("VALID_NAME.test", f"{pattern}.test")
    assert ("path-traversal" in rules_in(inline)) is reported


def test_js_sql_severity_follows_the_documented_rule() -> None:
    # critical when a spliced value is request data, medium when it is only a parameter
    source = (
        "async function prune(db, days) {\n"
        "  return db.query(`DELETE FROM events WHERE created < now() - interval '${days} days'`);\n"
        "}\n"
        "app.get('/q', (req, res) => db.query(`SELECT * FROM t WHERE name = '${req.query.n}'`));\n"
    )
    result = analyze_file("src/store.js", source, "javascript")
    severities = sorted(f.severity for f in result.findings if f.rule_id == "sql-string-query")
    assert severities == ["critical", "medium"]


def test_secret_names_and_absence_markers_are_not_secrets() -> None:
    names = (
        "export const SecretName = {\n"
        "  gocardless_secretKey: 'gocardless_secretKey',\n"
        "  simplefin_accessKey: 'simplefin_accessKey',\n"
        "};\n"
    )
    assert "hardcoded-secret" not in rules_in(names)
    absent = "const clients = [{ id: 'editor', secret: 'not_available' }];"
    assert "hardcoded-secret" not in rules_in(absent)
    real = "const clients = [{ id: 'editor', secret: 'f81d4fae7dec11d0a765' }];"
    assert "hardcoded-secret" in rules_in(real)
    permission = "const apikey = 'apikeys:import';\nawait removePermission(roles, apikey);\n"
    assert "hardcoded-secret" not in rules_in(permission)
    other_words = "const apikey = 'sunset:harbour';\nawait client.connect({ apikey });\n"
    assert "hardcoded-secret" in rules_in(other_words)


def test_jwt_decoded_for_the_key_id_or_own_expiry_is_fine() -> None:
    header = (
        "const jwt = require('jsonwebtoken');\n"
        "const headerOf = (token) => {\n"
        "  const decoded = jwt.decode(token, { complete: true });\n"
        "  if (!decoded) throw new Error('not a JWT');\n"
        "  return decoded.header;\n"
        "};\n"
    )
    assert "jwt-unverified" not in rules_in(header)
    expiry = (
        "const jwt = require('jsonwebtoken');\n"
        "const isExpired = (token) => {\n"
        "  const decoded = jwt.decode(token);\n"
        "  if (!decoded) return true;\n"
        "  return Math.floor(Date.now() / 1000) >= decoded.exp;\n"
        "};\n"
    )
    assert "jwt-unverified" not in rules_in(expiry)
    trusted = (
        "const jwt = require('jsonwebtoken');\n"
        "function currentUser(req) {\n"
        "  const decoded = jwt.decode(req.headers.authorization.split(' ')[1]);\n"
        "  if (decoded.exp < Date.now() / 1000) return null;\n"
        "  return users.find(decoded.sub);\n"
        "}\n"
    )
    assert "jwt-unverified" in rules_in(trusted)


def test_a_fast_pre_hash_fed_to_bcrypt_is_fine() -> None:
    pre_hash = (
        "import bcrypt from 'bcrypt';\n"
        "export async function hashPassword(password: string) {\n"
        "  if (!/^[a-f0-9]{64}$/i.test(password)) {\n"
        "    password = sha256(password);\n"
        "  }\n"
        "  return bcrypt.hash(password, 10);\n"
        "}\n"
        "export async function matches(password: string, stored: string) {\n"
        "  return (await bcrypt.compare(password, stored)) || "
        "bcrypt.compare(sha256(password), stored);\n"
        "}\n"
        "export function normalizePassword(password: string) {\n"
        "  return sha256(password);\n"
        "}\n"
    )
    assert "weak-password-hash" not in rules_in(pre_hash, "src/auth.ts")
    stored = (
        "import bcrypt from 'bcrypt';\n"
        "export async function register(user: User, password: string) {\n"
        "  user.password = sha256(password);\n"
        "  await users.save(user);\n"
        "}\n"
        "export const check = (p: string, h: string) => bcrypt.compare(p, h);\n"
    )
    assert "weak-password-hash" in rules_in(stored, "src/auth.ts")
    assert "weak-password-hash" in rules_in(
        "const hash = createHash('sha256').update(password).digest('hex');", "src/auth.ts"
    )


def test_a_password_hash_used_as_a_signing_key_or_pwned_lookup_is_not_storage() -> None:
    # a link signed with a key derived from the stored hash dies when the password changes
    keyed = (
        "const jwt = require('jsonwebtoken');\n"
        "function emailChangeToken(user, email) {\n"
        "  const signingHash = sha256(user.password);\n"
        "  return jwt.sign({ sub: user.email, change: email, exp: soon() }, signingHash);\n"
        "}\n"
        "function checkToken(user, token) {\n"
        "  const key = crypto.createHash('sha256').update(user.password).digest('hex');\n"
        "  return jwt.verify(token, key);\n"
        "}\n"
    )
    assert "weak-password-hash" not in rules_in(keyed, "src/tokens.js")
    # the same hash kept (or signed with a fixed key) is still reported
    kept = keyed.replace("}, signingHash);", "}, SECRET);\n  user.passwordHash = signingHash;")
    assert "weak-password-hash" in rules_in(kept, "src/tokens.js")
    # Have I Been Pwned's range API: the first five hex digits of the SHA-1 are sent
    pwned = (
        "async function isBreached(password) {\n"
        "  const digest = crypto.createHash('sha1').update(password).digest('hex').toUpperCase();\n"
        "  const res = await fetch(`https://api.pwnedpasswords.com/range/${digest.slice(0, 5)}`);\n"
        "  return (await res.text()).includes(digest.slice(5));\n"
        "}\n"
    )
    assert "weak-password-hash" not in rules_in(pwned, "src/policy.js")
    assert "weak-password-hash" in rules_in(
        pwned.replace("api.pwnedpasswords.com", "example.com"), "src/policy.js"
    )


def test_wildcard_cors_on_specs_and_images_is_fine() -> None:
    spec = (
        "app.get(`${root}/openapi.json`, (req, res) => {\n"
        "  res.header('Access-Control-Allow-Origin', '*');\n"
        "  res.json(definition);\n"
        "});\n"
    )
    assert "cors-wildcard" not in rules_in(spec)
    images = (
        "module.exports = function handleImageSizes(req, res, next) {\n"
        "  res.setHeader('Access-Control-Allow-Origin', '*');\n"
        "  next();\n"
        "};\n"
    )
    assert "cors-wildcard" not in rules_in(images)
    api = (
        "app.use('/api', (req, res, next) => {\n"
        "  res.header('Access-Control-Allow-Origin', '*');\n"
        "  next();\n"
        "});\n"
    )
    assert "cors-wildcard" in rules_in(api)


def test_nest_method_with_four_parameters_is_not_error_middleware() -> None:
    source = (
        "@Controller('mcp')\n"
        "export class ProxyController {\n"
        "  @Get(':org/:profile')\n"
        "  info(@Param('org') org: string, @Param('profile') profile: string,\n"
        "       @Req() req: Request, @Res() res: Response) {\n"
        "    return res.json({ sse: `/api/mcp/${org}/${profile}/sse`, org });\n"
        "  }\n"
        "}\n"
    )
    assert "error-details-leak" not in rules_in(source, "src/proxy.controller.ts")
    middleware = "app.use((err, req, res, next) => { res.status(500).json({ err }); });"
    assert "error-details-leak" in rules_in(middleware)


def test_probing_and_paging_loops_are_not_n_plus_one() -> None:
    probing = (
        "async function uniqueSlug(base) {\n"
        "  let slug = base;\n"
        "  let n = 0;\n"
        "  while (true) {\n"
        "    const existing = await prisma.organization.findUnique({ where: { slug } });\n"
        "    if (!existing) break;\n"
        "    slug = `${base}-${++n}`;\n"
        "  }\n"
        "  return slug;\n"
        "}\n"
    )
    assert "n-plus-one-query" not in rules_in(probing, "src/orgs.ts")
    per_item = (
        "async function enrich(shares) {\n"
        "  return Promise.all(shares.map(async (share) => {\n"
        "    const user = await prisma.user.findUnique({ where: { id: share.userId } });\n"
        "    return { ...share, user };\n"
        "  }));\n"
        "}\n"
    )
    assert "n-plus-one-query" in rules_in(per_item, "src/shares.ts")


def test_a_loop_over_a_fixed_list_of_literals_is_not_n_plus_one() -> None:
    fixed = (
        "async function homePages() {\n"
        "  const pages = [];\n"
        "  for (const role of ['public', 'user', 'staff', 'admin']) {\n"
        "    pages.push(await Page.findOne({ name: `${role}_home` }));\n"
        "  }\n"
        "  return pages;\n"
        "}\n"
    )
    assert "n-plus-one-query" not in rules_in(fixed, "src/pages.js")
    per_row = fixed.replace("['public', 'user', 'staff', 'admin']", "await Role.findAll()")
    assert "n-plus-one-query" in rules_in(per_row, "src/pages.js")
    per_name = fixed.replace("['public', 'user', 'staff', 'admin']", "req.body.roles")
    assert "n-plus-one-query" in rules_in(per_name, "src/pages.js")


@pytest.mark.parametrize(
    ("file", "call", "expected"),
    [
        ("src/auth.ts", "jwt.sign({ sub: user.id, role: user.role }, secret)", True),
        ("src/auth.js", "jwt.sign({ userId: user.id }, secret, { algorithm: 'HS256' })", True),
        ("src/auth.ts", "sign({ id: user.id }, secret, { algorithm: 'HS256' })", True),
        ("src/auth.ts", "jwt.sign({ sub: user.id }, secret, { expiresIn: '15m' })", False),
        ("src/auth.js", "jwt.sign({ sub: user.id, exp: now() + 900 }, secret)", False),
        # Not visible here: the options or the payload live in a variable.
        ("src/auth.ts", "jwt.sign({ sub: user.id }, secret, signOptions)", False),
        ("src/auth.js", "jwt.sign(payload, secret)", False),
        (
            "src/auth.js",
            "jwt.sign({ ...claims, sub: user.id }, secret, { algorithm: 'HS256' })",
            False,
        ),
        # Signed data that is not a credential (no identity claim), and a callback third.
        ("src/auth.js", "jwt.sign({ invoice: 42 }, secret)", False),
        ("src/auth.js", "jwt.sign({ sub: user.id }, secret, (err, token) => done(token))", False),
    ],
)
def test_token_issued_without_expiry(file: str, call: str, expected: bool) -> None:
    source = (
        "import jwt, { sign } from 'jsonwebtoken';\n"
        "export function issue(user, secret) {\n"
        f"  return {call};\n"
        "}\n"
    )
    assert ("jwt-unverified" in rules_in(source, file)) is expected


def test_sign_with_options_second_takes_the_plugins_defaults() -> None:
    source = (
        "export async function login(fastify, user) {\n"
        "  return fastify.jwt.sign({ sub: user.id }, { algorithm: 'HS256' });\n"
        "}\n"
    )
    assert "jwt-unverified" not in rules_in(source, "src/auth.js")


def test_embedded_private_key_is_flagged_but_its_header_alone_is_not() -> None:
    body = "MIIEowIBAAKCAQEAx7Rk2vQp9Lm3Zc8Tn4Wb6Ys1Hd5Fg0Je"
    template = (
        "export const signingKey = `-----BEGIN RSA PRIVATE KEY-----\n"
        f"{body}\n"
        "-----END RSA PRIVATE KEY-----`;\n"
    )
    assert "hardcoded-secret" in rules_in(template, "src/keys.ts")
    escaped = f"const pem = '-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----';\n"
    assert "hardcoded-secret" in rules_in(escaped, "src/keys.js")
    header_only = (
        "const isPem = (text) => text.startsWith('-----BEGIN RSA PRIVATE KEY-----');\n"
        "const HEADER = '-----BEGIN PRIVATE KEY-----';\n"
    )
    assert "hardcoded-secret" not in rules_in(header_only, "src/pem.js")


def test_wildcard_cors_chosen_for_single_public_routes_without_credentials() -> None:
    # Hono: key set and discovery document open to every origin, no cookies involved.
    jwks = (
        "app.get('/.well-known/jwks.json', cors({ origin: '*', credentials: false }), (c) =>\n"
        "  c.json({ keys }));\n"
    )
    assert "cors-wildcard" not in rules_in(jwks, "src/issuer.ts")
    # Express: a named middleware only ever placed on single routes.
    named = (
        "function openCors(req, res, next) {\n"
        "  res.set('Access-Control-Allow-Origin', '*');\n"
        "  next();\n"
        "}\n"
        "router.get('/oauth/metadata', openCors, metadata);\n"
        "router.post('/oauth/register', openCors, register);\n"
    )
    assert "cors-wildcard" not in rules_in(named)


def test_wildcard_cors_for_the_whole_app_or_with_credentials_is_reported() -> None:
    app_wide = "app.use(cors({ origin: '*' }));\n"
    assert "cors-wildcard" in rules_in(app_wide)
    with_credentials = (
        "app.get('/me', cors({ origin: '*', credentials: true }), (req, res) => res.json(me));\n"
    )
    assert "cors-wildcard" in rules_in(with_credentials)
    # The same named middleware also mounted for a whole prefix is the app's policy.
    mounted = (
        "function openCors(req, res, next) {\n"
        "  res.set('Access-Control-Allow-Origin', '*');\n"
        "  next();\n"
        "}\n"
        "router.get('/oauth/metadata', openCors, metadata);\n"
        "app.use('/api', openCors);\n"
    )
    assert "cors-wildcard" in rules_in(mounted)


def test_decoding_only_handling_claims_of_a_jwt_is_not_trusting_it() -> None:
    issuer = (
        "import jwt from 'jsonwebtoken';\n"
        "export function isOurToken(token) {\n"
        "  try {\n"
        "    if (jwt.decode(token, { json: true })?.iss !== 'our-app') return false;\n"
        "    return true;\n"
        "  } catch {\n    return false;\n  }\n}\n"
    )
    assert "jwt-unverified" not in rules_in(issuer)
    expiry = (
        "import jwt from 'jsonwebtoken';\n"
        "export function expiresAt(token) {\n"
        "  const decoded = jwt.decode(token);\n"
        "  if (decoded && typeof decoded === 'object' && decoded.exp) return decoded.exp;\n"
        "  return null;\n}\n"
    )
    assert "jwt-unverified" not in rules_in(expiry)


def test_decoding_the_identity_of_a_jwt_or_handing_it_on_is_reported() -> None:
    identity = (
        "import jwt from 'jsonwebtoken';\n"
        "export function currentUser(token) {\n"
        "  const decoded = jwt.decode(token);\n"
        "  if (!decoded || decoded.exp < Date.now() / 1000) return null;\n"
        "  return decoded.sub;\n}\n"
    )
    assert "jwt-unverified" in rules_in(identity)
    whole = (
        "import jwt from 'jsonwebtoken';\n"
        "export function claims(token) {\n"
        "  const decoded = jwt.decode(token);\n"
        "  return decoded;\n}\n"
    )
    assert "jwt-unverified" in rules_in(whole)


def test_error_of_an_upstream_request_is_relayed_by_a_proxy() -> None:
    proxy = (
        "app.all('/proxy', async (req, res) => {\n"
        "  try {\n"
        "    const response = await fetch(req.query.url, { method: req.method });\n"
        "    res.status(response.status).send(await response.text());\n"
        "  } catch (err) {\n"
        "    res.status(500).json({ error: 'Error proxying request', details: err.message });\n"
        "  }\n"
        "});\n"
    )
    assert "error-details-leak" not in rules_in(proxy)
    bare = proxy.replace(
        "{ error: 'Error proxying request', details: err.message }", "{ err: err.message }"
    )
    result = analyze_file("src/routes/x.js", bare, "javascript")
    assert [f.severity for f in result.findings if f.rule_id == "error-details-leak"] == ["low"]
    database = proxy.replace(
        "const response = await fetch(req.query.url, { method: req.method });\n"
        "    res.status(response.status).send(await response.text());",
        "const rows = await db.query('SELECT * FROM items WHERE id = $1', [req.query.id]);\n"
        "    res.json(rows);",
    )
    assert "error-details-leak" in rules_in(database)


TYPED_ERROR_HANDLER = (
    "function handleApiErrors(err, req, res, next) {\n"
    "  if (err instanceof ApiError) {\n"
    "    res.status(err.httpStatus);\n"
    "    res.json({ code: err.code, error: err.message });\n"
    "  } else if (err.status && err.message) {\n"
    "    res.status(err.status);\n"
    "    res.json({ error: err.message });\n"
    "  } else {\n"
    "    log.error('Uncaught internal server error.', err);\n"
    "    res.status(500);\n"
    "    FALLBACK\n"
    "  }\n"
    "}\n"
    "app.use(handleApiErrors);\n"
)


def test_error_contract_branches_with_a_masked_fallback_are_fine() -> None:
    masked = TYPED_ERROR_HANDLER.replace(
        "FALLBACK", "res.json({ code: 1, message: 'Internal server error.' });"
    )
    assert "error-details-leak" not in rules_in(masked)


def test_error_contract_branches_without_a_masked_fallback_leak() -> None:
    unmasked = TYPED_ERROR_HANDLER.replace("FALLBACK", "res.json({ error: err.message });")
    # both typed branches and the fallback answer with the message: nothing is masked
    assert rules_in(unmasked).count("error-details-leak") == 3
    only_class_branch = (
        "app.use((err, req, res, next) => {\n"
        "  if (err instanceof ValidationError) {\n"
        "    return res.status(400).json({ error: 'Invalid input' });\n"
        "  } else {\n"
        "    return res.status(500).json({ error: err.message });\n"
        "  }\n"
        "});\n"
    )
    assert "error-details-leak" in rules_in(only_class_branch)


@pytest.mark.parametrize(
    ("source", "reported"),
    [
        # a session secret's fallback is a secret an attacker can sign with
        ("const secret = process.env.SESSION_SECRET || 'super-secret-value';", True),
        ("const db = { password: process.env.DB_PASSWORD || 's3cr3t-Prod-pw' };", True),
        # the stock password of a local database server as the development fallback
        ("const db = { password: process.env.DB_PASSWORD || 'postgres' };", False),
        ("const db = { password: process.env.MYSQL_PASSWORD || 'password' };", False),
        # a request shown in the API docs
        (
            "ApiProperty({ examples: { emailLogin: { value: { email: 'a@b.c', "
            "password: 'SecurePass123!' } } } })(Dto.prototype, 'credentials');",
            False,
        ),
        ("const config = { apiKey: 'q8Zr2LmX9vT4wKp7', docs: { example: 'x' } };", True),
    ],
)
def test_stock_database_fallbacks_and_documented_examples(source: str, reported: bool) -> None:
    assert ("hardcoded-secret" in rules_in(source)) is reported


def test_jwt_decode_in_a_helper_that_only_hands_it_back() -> None:
    """A helper that only returns `jwt.decode(token, { complete: true })` (header and payload,
    the key-id or issuer routing step before a verify) leaves the trust decision to its callers;
    a function that loads the user named by decoded claims is the finding."""
    helper = (
        "const jwt = require('jsonwebtoken');\n"
        "class AppleProvider {\n"
        "  safeDecode(token) {\n"
        "    try {\n"
        "      return jwt.decode(token, { complete: true });\n"
        "    } catch {\n"
        "      return null;\n"
        "    }\n"
        "  }\n"
        "}\n"
    )
    assert "jwt-unverified" not in rules_in(helper)
    trusting = (
        "const jwt = require('jsonwebtoken');\n"
        "function currentUser(req) {\n"
        "  const claims = jwt.decode(req.headers.authorization.slice(7));\n"
        "  return loadUser(claims.sub);\n"
        "}\n"
    )
    assert "jwt-unverified" in rules_in(trusting)
