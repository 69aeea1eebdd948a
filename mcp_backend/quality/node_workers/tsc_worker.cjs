"use strict";
// A warm `tsc --noEmit --incremental` for one project directory (the worker's cwd).
//
// Each request carries the CLI arguments the plan would run. They are parsed and the tsconfig
// is read exactly as tsc's command line does (so new files and config edits are seen on every
// request); the program is built with the same incremental builder tsc uses, from the build
// info on disk the first time and from the previous request's builder afterwards. SourceFiles
// are cached by path: a file whose content did not change is neither re-parsed nor re-bound,
// and the builder re-checks only the files an edit can affect. Diagnostics are reported by
// tsc's own reporter (`--pretty false` format) and the answer carries tsc's exit status.
//
// Anything the CLI would handle differently (project references, --build, --project, listing
// or tracing options, a tsconfig that cannot be read) is declined: the caller runs the CLI.

const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { Decline, loadProjectPackage, serve } = require("./protocol.cjs");

const REQUIRED_API = [
  "parseCommandLine",
  "findConfigFile",
  "getParsedCommandLineOfConfigFile",
  "convertToOptionsWithAbsolutePaths",
  "getNormalizedAbsolutePath",
  "normalizePath",
  "getConfigFileParsingDiagnostics",
  "createIncrementalCompilerHost",
  "createIncrementalProgram",
  "createEmitAndSemanticDiagnosticsBuilderProgram",
  "emitFilesAndReportErrorsAndGetExitStatus",
  "createDiagnosticReporter",
  "isIncrementalCompilation",
  "isWatchSet",
];
// Options that make tsc print more than diagnostics, run differently, or exit early.
const CLI_ONLY_OPTIONS = [
  "all",
  "build",
  "diagnostics",
  "explainFiles",
  "extendedDiagnostics",
  "generateCpuProfile",
  "generateTrace",
  "help",
  "init",
  "listEmittedFiles",
  "listFiles",
  "listFilesOnly",
  "locale",
  "pretty",
  "project",
  "showConfig",
  "traceResolution",
  "version",
  "watch",
];

let loaded = null; // { ts, version, bin }
let state = null; // { key, builder, files: Map<key, {file, hash, mtimeMs, size, ino}> }

function typescript(bin) {
  if (loaded !== null && loaded.bin === bin) {
    return loaded;
  }
  const pkg = loadProjectPackage("typescript", bin);
  const missing = REQUIRED_API.filter((name) => typeof pkg.module[name] === "undefined");
  if (missing.length > 0) {
    throw new Decline(`typescript ${pkg.version} lacks ${missing.join(", ")}`);
  }
  loaded = { ts: pkg.module, version: pkg.version, bin, libDir: path.join(pkg.dir, "lib") };
  state = null;
  return loaded;
}

function hashOf(text) {
  return crypto.createHash("sha256").update(text).digest("hex");
}

function sourceFileOptionsKey(languageVersionOrOptions) {
  if (typeof languageVersionOrOptions !== "object" || languageVersionOrOptions === null) {
    return String(languageVersionOrOptions);
  }
  const { languageVersion, impliedNodeFormat, jsDocParsingMode } = languageVersionOrOptions;
  return `${languageVersion}/${impliedNodeFormat}/${jsDocParsingMode}`;
}

/**
 * tsc's own incremental compiler host, whose getSourceFile returns the previous request's
 * SourceFile when the file is unchanged. Installed packages and TypeScript's lib files are
 * compared by (mtime, size, inode); the project's own files by a hash of their content, so an
 * edit is seen even on a file system with coarse timestamps.
 */
function cachingHost(ts, options, files, counts, libDir) {
  const host = ts.createIncrementalCompilerHost(options, ts.sys);
  if (ts.JSDocParsingMode !== undefined) {
    host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors; // as tsc's command line
  }
  const fresh = host.getSourceFile;
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    const key = `${fileName}\0${sourceFileOptionsKey(languageVersionOrOptions)}`;
    const cached = files.get(key);
    let stat = null;
    try {
      stat = fs.statSync(fileName);
    } catch {
      stat = null;
    }
    if (cached !== undefined && stat !== null && !shouldCreateNewSourceFile) {
      const sameStat =
        cached.mtimeMs === stat.mtimeMs && cached.size === stat.size && cached.ino === stat.ino;
      const installed = fileName.includes("/node_modules/") || fileName.startsWith(libDir);
      if (sameStat && installed) {
        counts.reused += 1;
        return cached.file;
      }
      const text = ts.sys.readFile(fileName);
      if (text !== undefined && hashOf(text) === cached.hash) {
        Object.assign(cached, { mtimeMs: stat.mtimeMs, size: stat.size, ino: stat.ino });
        counts.reused += 1;
        return cached.file;
      }
    }
    const file = fresh.call(host, fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
    counts.parsed += 1;
    if (file !== undefined && stat !== null) {
      files.set(key, {
        file,
        hash: hashOf(file.text),
        mtimeMs: stat.mtimeMs,
        size: stat.size,
        ino: stat.ino,
      });
    } else {
      files.delete(key);
    }
    return file;
  };
  return host;
}

function optionsKey(options) {
  return JSON.stringify(options, (key, value) => (key === "configFile" ? undefined : value));
}

function handle(request) {
  if (request.tool !== "tsc") {
    throw new Decline(`not a tsc request: ${request.tool}`);
  }
  if (fs.realpathSync(request.cwd) !== fs.realpathSync(process.cwd())) {
    throw new Decline(`this worker serves ${process.cwd()}, not ${request.cwd}`);
  }
  const { ts, version, libDir } = typescript(request.bin);
  const commandLine = ts.parseCommandLine(request.args);
  if (commandLine.errors.length > 0) {
    throw new Decline("the arguments have errors: the CLI reports them");
  }
  if (commandLine.fileNames.length > 0) {
    throw new Decline("files on the command line: the CLI checks them");
  }
  for (const name of CLI_ONLY_OPTIONS) {
    if (name !== "pretty" && commandLine.options[name] !== undefined) {
      throw new Decline(`--${name}: the CLI handles it`);
    }
  }
  const currentDirectory = ts.sys.getCurrentDirectory();
  const configFileName = ts.findConfigFile(ts.normalizePath(currentDirectory), (file) =>
    ts.sys.fileExists(file),
  );
  if (!configFileName) {
    throw new Decline("no tsconfig.json: the CLI prints its help");
  }
  const commandLineOptions = ts.convertToOptionsWithAbsolutePaths(commandLine.options, (file) =>
    ts.getNormalizedAbsolutePath(file, currentDirectory),
  );
  let unrecoverable = null;
  const parseHost = Object.create(ts.sys);
  parseHost.onUnRecoverableConfigFileDiagnostic = (diagnostic) => {
    unrecoverable = diagnostic;
  };
  const config = ts.getParsedCommandLineOfConfigFile(
    configFileName,
    commandLineOptions,
    parseHost,
    new Map(),
    commandLine.watchOptions,
  );
  if (!config || unrecoverable !== null) {
    throw new Decline(`${configFileName} cannot be read: the CLI reports why`);
  }
  const options = config.options;
  for (const name of CLI_ONLY_OPTIONS) {
    if (name !== "pretty" && options[name]) {
      throw new Decline(`${name} is set in ${configFileName}: the CLI handles it`);
    }
  }
  if (options.pretty !== false || ts.isWatchSet(options) || !ts.isIncrementalCompilation(options)) {
    throw new Decline("not an incremental --pretty false run: the CLI handles it");
  }
  if (config.projectReferences && config.projectReferences.length > 0) {
    throw new Decline("project references: the CLI checks them");
  }

  const key = `${version}\0${configFileName}\0${optionsKey(options)}`;
  const fromScratch = state === null || state.key !== key;
  if (fromScratch) {
    state = { key, builder: undefined, files: new Map() };
  }
  const counts = { parsed: 0, reused: 0 };
  const output = [];
  const reporting = Object.create(ts.sys);
  reporting.write = (text) => output.push(text);
  const reportDiagnostic = ts.createDiagnosticReporter(reporting, false);
  const host = cachingHost(ts, options, state.files, counts, libDir);
  const configDiagnostics = ts.getConfigFileParsingDiagnostics(config);
  let builder;
  let exitCode;
  try {
    builder =
      state.builder === undefined
        ? ts.createIncrementalProgram({
            rootNames: config.fileNames,
            options,
            configFileParsingDiagnostics: configDiagnostics,
            projectReferences: config.projectReferences,
            host,
          })
        : ts.createEmitAndSemanticDiagnosticsBuilderProgram(
            config.fileNames,
            options,
            host,
            state.builder,
            configDiagnostics,
            config.projectReferences,
          );
    exitCode = ts.emitFilesAndReportErrorsAndGetExitStatus(
      builder,
      reportDiagnostic,
      (text) => host.trace && host.trace(text),
      undefined,
    );
  } catch (error) {
    state = null;
    throw error;
  }
  state.builder = builder;
  const live = new Set(builder.getProgram().getSourceFiles());
  for (const [entry, cached] of state.files) {
    if (!live.has(cached.file)) {
      state.files.delete(entry);
    }
  }
  const total = counts.parsed + counts.reused;
  const note = fromScratch
    ? `typescript ${version}: first request with these options, ${total} files parsed`
    : `typescript ${version}: ${counts.parsed} of ${total} files re-parsed, the others kept ` +
      "from the previous request";
  return { status: "ok", exit_code: exitCode, stdout: output.join(""), stderr: "", note };
}

serve(handle);
