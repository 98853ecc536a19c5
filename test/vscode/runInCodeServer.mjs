// Runs the VS Code extension suite (dist/test/vscode/suite) inside a real VS Code on a machine
// without VS Code desktop: code-server (VS Code 1.139, tools from test/e2e/setup.mjs) with the
// packaged wxmsg .vsix and a throwaway "suite runner" extension installed. The runner activates
// on startup, calls the suite's run() in the extension host and reports mocha's output and the
// result to a server on 127.0.0.1 that this script listens on; Chromium only opens the window
// (an extension host starts per workbench).
//   npm run test:vscode:code-server
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, setup } from '../e2e/setup.mjs';
import { startRecordingProxy } from './recordingProxy.mjs';

const DEADLINE_MS = 5 * 60_000;
const SUITE = join(ROOT, 'dist/test/vscode/suite/index.js');
const base = mkdtempSync(join(tmpdir(), 'wxmsg-vscode-cs-'));
let codeServer;
let browser;
let proxy;

function fail(msg) {
  console.error(`[test:vscode] ${msg}`);
  process.exitCode = 1;
}

function vsce(cwd, out, extra = []) {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--allow-missing-repository', '--no-rewrite-relative-links', ...extra, '-o', out],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`vsce package in ${cwd} failed:\n${r.stdout}\n${r.stderr}`);
}

/** The runner extension: `run()` of the suite, output and result POSTed to `report`. */
function writeRunner(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'wxmsg-suite-runner', publisher: 'wxmsgtest', version: '0.0.0', license: 'MIT',
    engines: { vscode: '^1.90.0' }, activationEvents: ['onStartupFinished'], main: './extension.js',
  }));
  writeFileSync(join(dir, 'README.md'), 'Runs the wxmsg extension tests; installed only into throwaway profiles.\n');
  writeFileSync(join(dir, 'LICENSE'), 'MIT\n');
  writeFileSync(join(dir, 'extension.js'), `
const http = require('http');
const util = require('util');
const report = process.env.WXMSG_SUITE_REPORT;
let chain = Promise.resolve();
function post(path, body) {
  chain = chain.then(() => new Promise((res) => {
    const req = http.request(report + path, { method: 'POST' }, (r) => { r.resume(); r.on('end', res); });
    req.on('error', res);
    req.end(body);
  }));
  return chain;
}
exports.activate = function () {
  if (!report) return;
  try {
    const Mocha = require(${JSON.stringify(join(ROOT, 'node_modules/mocha'))});
    Mocha.reporters.Base.consoleLog = (...a) => void post('/log', util.format(...a) + '\\n');
  } catch (e) { void post('/log', 'cannot hook mocha output: ' + e + '\\n'); }
  let suite;
  try { suite = require(${JSON.stringify(SUITE)}); } catch (e) { return void post('/fail', 'cannot load the suite: ' + e.stack); }
  suite.run().then(() => post('/pass', ''), (e) => post('/fail', String(e && e.message || e)));
};
exports.deactivate = function () {};
`);
}

async function main() {
  const paths = setup();
  const workspace = join(base, 'workspace');
  cpSync(join(ROOT, 'test/fixtures/workspace'), workspace, { recursive: true });
  const profile = { userData: join(base, 'user-data'), extensions: join(base, 'extensions'), config: join(base, 'code-server.yaml') };
  mkdirSync(join(profile.userData, 'User'), { recursive: true });
  mkdirSync(profile.extensions);
  writeFileSync(profile.config, 'auth: none\ncert: false\n');
  // Every https request VS Code routes by its proxy settings goes to this refusing proxy
  // (loopback stays direct): the proxy suite sends to https://api.weixin.qq.com through it.
  proxy = await startRecordingProxy();
  writeFileSync(join(profile.userData, 'User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off',
    'update.mode': 'none', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
    'chat.disableAIFeatures': true, 'json.schemaDownload.enable': false, 'git.enabled': false,
    'http.proxy': proxy.url,
  }));

  const wxmsgVsix = join(base, 'wxmsg.vsix');
  const runnerVsix = join(base, 'runner.vsix');
  vsce(ROOT, wxmsgVsix, ['--no-dependencies']);
  writeRunner(join(base, 'runner'));
  vsce(join(base, 'runner'), runnerVsix);
  const cs = ['--config', profile.config, '--user-data-dir', profile.userData, '--extensions-dir', profile.extensions];
  for (const vsix of [wxmsgVsix, runnerVsix]) {
    const r = spawnSync(paths.node, [paths.codeServer, ...cs, '--install-extension', vsix], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`installing ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
  }

  // The runner reports here; the result settles the run.
  let settle;
  const result = new Promise((res) => { settle = res; });
  const reports = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      res.end();
      if (req.url === '/log') process.stdout.write(body);
      else settle({ passed: req.url === '/pass', message: body });
    });
  });
  await new Promise((res) => reports.listen(0, '127.0.0.1', res));
  const report = `http://127.0.0.1:${reports.address().port}`;

  codeServer = spawn(paths.node, [paths.codeServer, ...cs, '--auth', 'none', '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', workspace],
  { env: { ...withoutProxyVariables(process.env), WXMSG_SUITE_REPORT: report, WXMSG_TEST_PROXY: proxy.url }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((res, rej) => {
    const on = (d) => {
      output += d;
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) res(m[1]);
    };
    codeServer.stdout.on('data', on);
    codeServer.stderr.on('data', on);
    codeServer.on('exit', (code) => rej(new Error(`code-server exited (${code}):\n${output}`)));
  });

  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: paths.chromium,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
  let timer;
  const deadline = new Promise((res) => { timer = setTimeout(() => res({ passed: false, message: `no result within ${DEADLINE_MS / 1000} s` }), DEADLINE_MS); });
  const r = await Promise.race([result, deadline]);
  clearTimeout(timer);
  reports.close();
  if (!r.passed) fail(`FAILED: ${r.message}`);
  else console.log('[test:vscode] passed in code-server');
}

/** The launcher's environment without proxy variables: http.proxy alone decides. */
function withoutProxyVariables(env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^(https?|all|no)_proxy$/i.test(k)));
}

try {
  await main();
} catch (e) {
  fail(e?.stack ?? String(e));
} finally {
  await browser?.close().catch(() => undefined);
  // code-server runs in its own process group: stop it with its extension host and language server.
  if (codeServer?.pid) {
    try { process.kill(-codeServer.pid, 'SIGTERM'); } catch { /* gone */ }
  }
  rmSync(base, { recursive: true, force: true, maxRetries: 3 });
  if (proxy) {
    console.log(`[test:vscode] the proxy (http.proxy = ${proxy.url}) saw ${proxy.lines.length} request(s)${proxy.lines.length ? ':' : ''}`);
    for (const l of proxy.lines) console.log(`[test:vscode]   ${l}`);
    await proxy.close();
  }
}
