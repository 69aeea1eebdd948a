"use strict";
// A warm `eslint -f json --cache --cache-location FILE [--fix] [--ignore-pattern P]... PATTERNS`
// for one project
// directory (the worker's cwd).
//
// One ESLint instance per (cache location, fix), built from the project's own eslint with the
// options its command line builds for those flags, is kept across requests: the config, the
// parser and the plugins stay loaded, and the lint cache skips unchanged files as the CLI's
// does. The instance is recreated when the config file changes (path, mtime or size).
// Answers carry the json formatter's output as the CLI prints it, and the CLI's exit code.
//
// eslintrc (legacy) configurations, suppressions files and any failure of eslint itself are
// declined: the caller runs the CLI, which reports them in its own words.

const fs = require("fs");
const path = require("path");
const { Decline, loadProjectPackage, serve } = require("./protocol.cjs");

const LOOKUP_FROM_FILE_FLAGS = ["unstable_config_lookup_from_file", "v10_config_lookup_from_file"];

let loaded = null; // { module, version, major, bin }
const engines = new Map(); // JSON [cacheLocation, fix] -> { engine, ESLint, stamp, perRequest }

function eslintPackage(bin) {
  if (loaded === null || loaded.bin !== bin) {
    const pkg = loadProjectPackage("eslint", bin);
    if (typeof pkg.module.loadESLint !== "function") {
      throw new Decline(`eslint ${pkg.version} has no loadESLint (before 8.57)`);
    }
    loaded = { module: pkg.module, version: pkg.version, major: Number(pkg.version.split(".")[0]), bin };
    engines.clear();
  }
  return loaded;
}

/** Which config file the instance uses, and its state: a change means a new instance. */
async function configStamp(engine) {
  let file;
  try {
    file = await engine.findConfigFile();
  } catch {
    file = undefined;
  }
  if (!file) {
    return "no config file";
  }
  try {
    const stat = fs.statSync(file);
    return `${file}\0${stat.mtimeMs}\0${stat.size}\0${stat.ino}`;
  } catch {
    return `${file}\0missing`;
  }
}

function looksUpConfigPerFile(engine, major) {
  if (major >= 10 || typeof engine.findConfigFile !== "function") {
    return true;
  }
  return (
    typeof engine.hasFlag === "function" && LOOKUP_FROM_FILE_FLAGS.some((flag) => engine.hasFlag(flag))
  );
}

async function handle(request) {
  if (request.tool !== "eslint") {
    throw new Decline(`not an eslint request: ${request.tool}`);
  }
  if (fs.realpathSync(request.cwd) !== fs.realpathSync(process.cwd())) {
    throw new Decline(`this worker serves ${process.cwd()}, not ${request.cwd}`);
  }
  const pkg = eslintPackage(request.bin);
  // The CLI's own choice between flat config and eslintrc (ESLINT_USE_FLAT_CONFIG, eslint 8).
  const ESLint = await pkg.module.loadESLint();
  if (ESLint.configType !== "flat") {
    throw new Decline("an eslintrc (legacy) configuration: the CLI is used");
  }
  if (fs.existsSync(path.join(process.cwd(), "eslint-suppressions.json"))) {
    throw new Decline("eslint-suppressions.json: the CLI applies it");
  }
  const fix = Boolean(request.fix);
  const ignorePatterns = Array.isArray(request.ignore_patterns) ? request.ignore_patterns : [];
  const key = JSON.stringify([request.cache_location, fix, ignorePatterns]);
  let entry = engines.get(key);
  let why = "kept from the previous request";
  if (entry !== undefined) {
    if (entry.ESLint !== ESLint || entry.perRequest) {
      entry = undefined;
      why = "new instance (config looked up per file)";
    } else if ((await configStamp(entry.engine)) !== entry.stamp) {
      entry = undefined;
      why = "new instance: the config file changed";
    }
  } else {
    why = "first request";
  }
  if (entry === undefined) {
    // What the CLI builds from `-f json --cache --cache-location FILE [--fix]
    // [--ignore-pattern P]...`; every other option keeps the default the CLI also uses.
    const engine = new ESLint({
      cache: true,
      cacheLocation: request.cache_location,
      fix,
      ignorePatterns,
      overrideConfig: [{ rules: {} }],
    });
    const perRequest = looksUpConfigPerFile(engine, pkg.major);
    entry = { engine, ESLint, perRequest, stamp: perRequest ? null : await configStamp(engine) };
    engines.set(key, entry);
  }
  let results;
  let output;
  try {
    results = await entry.engine.lintFiles(request.patterns);
    if (fix) {
      await ESLint.outputFixes(results);
    }
    const formatter = await entry.engine.loadFormatter("json");
    output = await formatter.format(results, {});
  } catch (error) {
    engines.delete(key);
    throw new Decline(`eslint failed (${String(error && error.message).split("\n")[0]}): the CLI reports it`);
  }
  const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
  return {
    status: "ok",
    exit_code: errors > 0 ? 1 : 0,
    stdout: output ? `${output}\n` : "",
    stderr: "",
    note: `eslint ${pkg.version}: ${why}, ${results.length} files linted or read from the cache`,
  };
}

serve(handle);
