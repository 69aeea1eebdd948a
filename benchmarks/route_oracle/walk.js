// The framework's own route list, for benchmarks/route_oracle.py. Each walker returns
// [{method, path, where}] and `write` puts them in the JSON file the Python side reads.
'use strict';

const fs = require('fs');

// Express 4 compiles `app.use('/a/:id', router)` to /^\/a\/(?:([^\/]+?))\/?(?=\/|$)/i: turn
// that back into the path, naming the parameters from layer.keys.
function expressMountPath(layer) {
  if (!layer.regexp || layer.regexp.fast_slash) return '';
  let src = layer.regexp.source;
  src = src.replace(/^\^/, '');
  src = src.replace(/\\\/\?\(\?=\\\/\|\$\)$/, '');
  src = src.replace(/\(\?=\\\/\|\$\)$/, '');
  src = src.replace(/\$$/, '');
  let i = 0;
  src = src.replace(/\(\?:\(\[\^\\\/\]\+\?\)\)/g, () => ':' + ((layer.keys[i++] || {}).name || 'param'));
  src = src.replace(/\\(.)/g, '$1');
  return src;
}

function describe(fn) {
  if (typeof fn !== 'function') return '';
  const head = fn.toString().split('\n')[0].slice(0, 80);
  return `${fn.name || '<anonymous>'}: ${head}`;
}

function routePaths(path) {
  if (Array.isArray(path)) return path.flatMap(routePaths);
  if (path instanceof RegExp) return [`regex:${path.source}`];
  return [String(path)];
}

function walkExpressStack(stack, prefix, out, seen) {
  for (const layer of stack || []) {
    if (layer.route) {
      const route = layer.route;
      const methods = route.methods._all
        ? ['ALL']
        : Object.keys(route.methods).filter((m) => route.methods[m]).map((m) => m.toUpperCase());
      const handlers = (route.stack || []).map((l) => l.handle);
      const fn = handlers[handlers.length - 1];
      const where = describe(fn);
      for (const p of routePaths(route.path)) {
        // A RegExp route: its source, which the Python side reads as a regex (regex: true).
        const regex = p.startsWith('regex:');
        const text = regex ? p.slice('regex:'.length) : p;
        for (const method of methods) {
          if (regex && prefix) out.push({ method, path: prefix + text.replace(/^\^/, ''), regex, where, fn });
          else out.push({ method, path: prefix + text, regex, where, fn });
        }
      }
      continue;
    }
    const handle = layer.handle;
    const inner = handle && (handle.stack || (handle._router && handle._router.stack));
    const sub = layer.__subApp && layer.__subApp._router && layer.__subApp._router.stack;
    const nested = inner || sub;
    if (nested && !seen.has(nested)) {
      seen.add(nested);
      walkExpressStack(nested, prefix + expressMountPath(layer), out, seen);
    }
  }
}

function expressRoutes(app) {
  const router = app._router || app.router;
  const out = [];
  walkExpressStack(router ? router.stack : [], '', out, new Set());
  return out;
}

// `app.use('/x', subApp)` hides the sub-app in a closure: remember it on the layer.
function instrumentExpress(express) {
  const original = express.application.use;
  express.application.use = function use(...args) {
    const before = this._router ? this._router.stack.length : 0;
    const result = original.apply(this, args);
    const stack = this._router ? this._router.stack : [];
    const apps = args.flat(Infinity).filter((a) => typeof a === 'function' && a.handle && a.set);
    for (let i = before, j = 0; i < stack.length && j < apps.length; i += 1) {
      if (stack[i].name === 'mounted_app') stack[i].__subApp = apps[j++];
    }
    return result;
  };
}

// @koa/router and koa-router: every router mounted with app.use(router.routes()) leaves a
// dispatch function with `.router` in app.middleware; nested routers are already flattened.
function koaRoutes(app) {
  const out = [];
  for (const mw of app.middleware || []) {
    const router = mw.router;
    if (!router) continue;
    for (const layer of router.stack) {
      const methods = layer.methods.length ? layer.methods : [];
      const fn = layer.stack[layer.stack.length - 1];
      for (const method of methods) out.push({ method, path: layer.path, where: describe(fn), fn });
    }
  }
  return out;
}

// file:line of each handler, from V8's [[FunctionLocation]] through an in-process inspector
// session (its callbacks run synchronously); the where text stays a snippet when this fails.
function locateHandlers(routes) {
  let session;
  try {
    const inspector = require('inspector');
    session = new inspector.Session();
    session.connect();
    const scripts = new Map();
    session.on('Debugger.scriptParsed', (msg) => scripts.set(msg.params.scriptId, msg.params.url));
    session.post('Debugger.enable');
    session.post('Runtime.enable');
    for (const route of routes) {
      if (typeof route.fn !== 'function') continue;
      globalThis.__oracleFn = route.fn;
      session.post('Runtime.evaluate', { expression: 'globalThis.__oracleFn' }, (err, res) => {
        if (err || !res.result.objectId) return;
        session.post('Runtime.getProperties', { objectId: res.result.objectId }, (err2, props) => {
          if (err2) return;
          const loc = (props.internalProperties || []).find((p) => p.name === '[[FunctionLocation]]');
          const url = loc && scripts.get(loc.value.value.scriptId);
          if (url) route.where = `${url.replace(/^file:\/\//, '')}:${loc.value.value.lineNumber + 1}`;
        });
      });
    }
  } catch (err) {
    // keep the snippets
  } finally {
    if (session) session.disconnect();
  }
}

// Fastify: an onRoute hook, added before any plugin or route, sees every route as it is added
// (prefixes applied). `where` names the handler fastify was given; for NestJS that is Nest's
// own proxy, so instrumentNest below names the controller method instead.
function recordFastify(instance) {
  const out = [];
  instance.addHook('onRoute', (opts) => {
    const methods = Array.isArray(opts.method) ? opts.method : [opts.method];
    for (const method of methods) {
      if (method === 'HEAD' && methods.length === 1 && opts.exposeHeadRoute === undefined) continue;
      out.push({ method, path: opts.url, where: describe(opts.handler), fn: nestTarget || opts.handler });
    }
  });
  return out;
}

// NestJS: the controller method behind the route being registered right now.
let nestTarget = null;
function instrumentNest(routerExplorerModule) {
  const proto = routerExplorerModule.RouterExplorer.prototype;
  const original = proto.applyCallbackToRouter;
  proto.applyCallbackToRouter = function applyCallbackToRouter(router, routeDefinition, ...rest) {
    nestTarget = routeDefinition.targetCallback;
    try {
      return original.call(this, router, routeDefinition, ...rest);
    } finally {
      nestTarget = null;
    }
  };
}

function write(file, routes, notes) {
  locateHandlers(routes);
  const plain = routes.map(({ method, path, where, regex }) => (regex ? { method, path, where, regex } : { method, path, where }));
  fs.writeFileSync(file, JSON.stringify({ routes: plain, notes: notes || [] }, null, 1));
}

module.exports = {
  expressRoutes,
  instrumentExpress,
  instrumentNest,
  koaRoutes,
  recordFastify,
  write,
  describe,
};
