// json-server 0.17 (Express 4): the CLI's own wiring (defaults, router over a db) on an
// in-memory db with one plural and one singular resource, never listening.
'use strict';

const walk = require('./walk');
const express = require('express');

walk.instrumentExpress(express);
const jsonServer = require('json-server');

const app = jsonServer.create();
app.use(jsonServer.defaults({ logger: false }));
app.use(jsonServer.rewriter({ '/api/*': '/$1' }));
app.use(jsonServer.router({ posts: [{ id: 1 }], profile: { name: 'x' } }));
walk.write(process.argv[2], walk.expressRoutes(app), [
  'routes come from the db keys: booted with {posts: [...], profile: {...}}',
]);
