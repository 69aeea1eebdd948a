// homebridge-config-ui-x 4 (NestJS 10 on Fastify 4): its bootstrap() from dist/main.js without
// listen(): NestFactory.create(AppModule, FastifyAdapter) with logging off, the same "/" route
// and "/api" global prefix, then app.init(), which registers every controller route. Storage
// (config.json, secrets) lives in the scratch folder.
'use strict';

const fs = require('fs');
const path = require('path');
const walk = require('./walk');

const pkg = process.env.ORACLE_PACKAGE_DIR;
const run = process.env.ORACLE_RUN_DIR;
const storage = path.join(run, 'storage');
fs.mkdirSync(storage, { recursive: true });
fs.writeFileSync(
  path.join(storage, 'config.json'),
  JSON.stringify({
    bridge: { name: 'Oracle', username: '0E:00:00:00:00:01', port: 51826, pin: '031-45-154' },
    platforms: [{ platform: 'config', name: 'Config', port: 8581 }],
  }),
);
process.env.UIX_BASE_PATH = pkg;
process.env.UIX_STORAGE_PATH = storage;
process.env.UIX_CONFIG_PATH = path.join(storage, 'config.json');

require('reflect-metadata'); // what the bundle's entry loads first
walk.instrumentNest(require('@nestjs/core/router/router-explorer'));
const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');
const { AppModule } = require(path.join(pkg, 'dist', 'app.module.js'));

async function main() {
  const adapter = new FastifyAdapter({ logger: false });
  const routes = walk.recordFastify(adapter.getInstance());
  const app = await NestFactory.create(AppModule, adapter, { logger: false });
  app.getHttpAdapter().get('/', async (req, res) => res.send('index'));
  app.setGlobalPrefix('/api');
  await app.init();
  walk.write(process.argv[2], routes, ['bootstrap() of dist/main.js up to app.init(), no listen()']);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
