// Node-RED 4 editor/admin API (@node-red/editor-api, Express 4): init() as the node-red
// runtime calls it, with credentials admin auth (so the /auth/token and /auth/revoke routes
// exist) and a runtime stub whose methods are never called; editor on, nothing listening.
'use strict';

const path = require('path');
const walk = require('./walk');
const express = require('express');

walk.instrumentExpress(express);
const editorApi = require('@node-red/editor-api');

const run = process.env.ORACLE_RUN_DIR;
const settings = {
  userDir: path.join(run, 'node-red'),
  httpAdminRoot: '/',
  adminAuth: {
    type: 'credentials',
    users: [{ username: 'admin', password: '$2b$08$abcdefghijklmnopqrstuu', permissions: '*' }],
  },
};
const storage = { getSessions: async () => ({}), saveSessions: async () => {} };
const runtimeAPI = new Proxy({}, { get: () => new Proxy({}, { get: () => async () => ({}) }) });

editorApi.init(settings, null, storage, runtimeAPI);
walk.write(process.argv[2], walk.expressRoutes(editorApi.httpAdmin), [
  'init() with credentials adminAuth and the editor on',
]);
process.exit(0);
