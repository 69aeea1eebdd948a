"use strict";
// The warm workers' side of the JSON-lines protocol (mcp_backend/quality/workers.py is the
// other side): one request a line on stdin, one answer a line on stdout, in order.
//
// stdout carries nothing but these lines: console output and a tool's own writes to
// process.stdout go to stderr. The worker exits when stdin closes (its parent is gone or
// closed the pool), when its parent process changes (re-parented: the parent died), and after
// --idle-exit-s seconds without a request.

const fs = require("fs");
const path = require("path");
const readline = require("readline");

class Decline extends Error {}

/** Walk up from `file` to the directory of the package called `name`. */
function packageDir(file, name) {
  let dir = path.dirname(file);
  for (;;) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
      if (manifest && manifest.name === name) {
        return { dir, version: String(manifest.version || "") };
      }
    } catch {
      // no package.json here, or not JSON: keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return null;
    }
    dir = parent;
  }
}

/**
 * The project's own copy of `name`, resolved from the project directory (the worker's cwd);
 * declined unless it is the very package the CLI binary `bin` belongs to.
 */
function loadProjectPackage(name, bin) {
  let resolved;
  try {
    resolved = require.resolve(name, { paths: [process.cwd()] });
  } catch (error) {
    throw new Decline(`cannot resolve ${name} from ${process.cwd()}: ${error.message}`);
  }
  const fromProject = packageDir(fs.realpathSync(resolved), name);
  let fromBin = null;
  try {
    fromBin = packageDir(fs.realpathSync(bin), name);
  } catch {
    fromBin = null;
  }
  if (!fromProject || !fromBin || fromProject.dir !== fromBin.dir) {
    throw new Decline(`${name} resolved from the project is not the one ${bin} runs`);
  }
  return { module: require(resolved), version: fromProject.version, dir: fromProject.dir };
}

function serve(handle) {
  const protocolWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, encoding, callback) =>
    process.stderr.write(chunk, encoding, callback);
  const send = (message) => protocolWrite(JSON.stringify(message) + "\n");

  const flag = process.argv.indexOf("--idle-exit-s");
  const idleMs = flag > 0 ? Number(process.argv[flag + 1]) * 1000 : 600000;
  let idleTimer = null;
  const armIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => process.exit(0), idleMs);
  };
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      process.exit(0);
    }
  }, 1000).unref();

  let queue = Promise.resolve();
  const answer = async (line) => {
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      send({ id: null, status: "error", reason: "request is not JSON" });
      return;
    }
    try {
      send({ id: request.id, ...(await handle(request)) });
    } catch (error) {
      const reason = error instanceof Decline ? error.message : String((error && error.stack) || error);
      send({ id: request.id, status: "decline", reason: reason.slice(0, 2000) });
    }
    armIdle();
  };
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    clearTimeout(idleTimer);
    queue = queue.then(() => answer(line));
  });
  lines.on("close", () => process.exit(0));
  armIdle();
  send({ ready: true, pid: process.pid, node: process.version });
}

module.exports = { Decline, loadProjectPackage, serve };
