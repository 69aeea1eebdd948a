// Verdaccio 6 (Express 4): the default configuration with storage in the scratch folder, given
// to the same factory runServer() uses (build/api/index.js), which returns the Express app
// without listening. Uplinks are dropped so nothing is fetched.
'use strict';

const path = require('path');
const walk = require('./walk');
const express = require('express');

walk.instrumentExpress(express);
const { getDefaultConfig } = require('@verdaccio/config');
const api = require('verdaccio/build/api/index');

async function main() {
  const run = process.env.ORACLE_RUN_DIR;
  const config = getDefaultConfig();
  config.storage = path.join(run, 'storage');
  config.self_path = path.join(run, 'config.yaml');
  config.configPath = config.self_path;
  config.uplinks = {};
  for (const pkg of Object.values(config.packages || {})) delete pkg.proxy;
  config.log = { type: 'stdout', format: 'json', level: 'fatal' };
  require('verdaccio/build/lib/utils').initLogger(config); // what runServer() does first
  const app = await api.default(config);
  walk.write(process.argv[2], walk.expressRoutes(app), ['default config, web UI on, no uplinks']);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
