// Unleash 7 (Express 4, ES modules): createApp()'s own steps without the database round trips
// (createConfig, createDb, createStores, createServices, getApp); the Postgres pool points at a
// closed loopback port and is never queried before the routes are read. The server secret is
// given so getApp() need not read it from the database.
import { createRequire } from 'node:module';
import path from 'node:path';

const pkg = process.env.ORACLE_PACKAGE_DIR;
const require = createRequire(path.join(pkg, 'package.json'));
const walk = createRequire(import.meta.url)('./walk.js');
walk.instrumentExpress(require('express'));

const lib = (name) => import(path.join(pkg, 'dist', 'lib', name));
const { createConfig } = await lib('create-config.js');
const { createDb } = await lib('db/db-pool.js');
const { createStores } = await lib('db/index.js');
const { createServices } = await lib('services/index.js');
const { default: getApp } = await lib('app.js');
const { default: noLoggerProvider } = await import(path.join(pkg, 'dist', 'test', 'fixtures', 'no-logger.js'));

const config = createConfig({
  db: { host: '127.0.0.1', port: 9, user: 'oracle', password: 'oracle', database: 'oracle', pool: { min: 0, max: 1 } },
  server: { secret: 'oracle-not-secret', enableRequestLogger: false },
  authentication: { type: 'none' },
  getLogger: noLoggerProvider,
  disableScheduler: true,
  disableDBMigration: true,
});
const db = createDb(config);
const stores = createStores(config, db);
const services = createServices(stores, config, db);
const app = await getApp(config, stores, services, (req, res, next) => next(), db);
walk.write(process.argv[2], walk.expressRoutes(app), [
  'createApp() steps with authentication none, no database queried',
]);
process.exit(0);
