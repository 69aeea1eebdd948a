// parse-server 9 (Express 5): the REST API's routes live in PromiseRouter tables that
// ParseServer.promiseRouter() merges and mounts at run time; built here without a database
// (the routers' constructors only fill their tables), plus the Express routers it mounts beside
// (files, and the pages of the default options).
'use strict';

const walk = require('./walk');
const ParseServer = require('parse-server/lib/ParseServer').default;
const { FilesRouter } = require('parse-server/lib/Routers/FilesRouter');
const { PagesRouter } = require('parse-server/lib/Routers/PagesRouter');

const table = ParseServer.promiseRouter({ appId: 'oracle', options: {} });
const routes = table.routes.map((r) => ({
  method: r.method,
  path: r.path,
  where: walk.describe(r.handler),
  fn: r.handler,
}));
const files = new FilesRouter().expressRouter({ maxUploadSize: '20mb' });
const pages = new PagesRouter({}).expressRouter();
walk.write(
  process.argv[2],
  [...routes, ...walk.expressRoutes({ _router: files }), ...walk.expressRoutes({ _router: pages })],
  ['ParseServer.promiseRouter() tables, the FilesRouter and the PagesRouter, no database'],
);
process.exit(0);
