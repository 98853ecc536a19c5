// `npm run test:e2e`: installs the tools (test/e2e/setup.mjs, cached), packages the extension
// as users get it (`npm run package` → .vsix), then runs the workbench scenarios with node:test
// (test/e2e/workbench.test.ts). The whole run is bounded; children are stopped on the way out.
//   npm run test:e2e [-- --test-name-pattern=<regex>]
// WXMSG_E2E_KEEP=1 keeps the temporary workspace and profile for a look afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SetupError, setup } from './setup.mjs';

const LIMIT_MS = 16 * 60_000;
const started = Date.now();
const OUT = join(ROOT, 'test-output', 'e2e');
const VSIX = join(OUT, 'wxmsg.vsix');
const secs = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

function fail(msg) {
  console.error(`[e2e] FAILED: ${msg}`);
  process.exit(1);
}

let paths;
try {
  paths = setup();
} catch (e) {
  fail(e instanceof SetupError ? e.message : e?.stack ?? String(e));
}

// Package exactly what users install. vsce runs `vscode:prepublish` (the production build).
mkdirSync(OUT, { recursive: true });
rmSync(VSIX, { force: true });
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const packageCmd = pkg.scripts?.package
  ? ['npm', ['run', 'package', '--', '--out', VSIX]]
  : ['npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', VSIX]];
console.log(`[e2e] packaging the extension: ${packageCmd[0]} ${packageCmd[1].join(' ')}`);
const packed = spawnSync(packageCmd[0], packageCmd[1], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
if (packed.status !== 0 || !existsSync(VSIX)) fail(`packaging the extension failed (exit ${packed.status}); no ${VSIX}`);
console.log(`[e2e] packaged ${VSIX} (${secs()})`);

const child = spawn(process.execPath, [
  '--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1',
  ...process.argv.slice(2),
  join('test', 'e2e', 'workbench.test.ts'),
  join('test', 'e2e', 'locale.test.ts'),
  join('test', 'e2e', 'preview.test.ts'),
  join('test', 'e2e', 'editor.test.ts'),
  join('test', 'e2e', 'teams.test.ts'),
], {
  cwd: ROOT,
  // Its own process group: stopping the group reaches the test process too, whose exit
  // handlers stop code-server, Chromium and the simulator.
  detached: true,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: {
    ...process.env,
    WXMSG_E2E_NODE: paths.node,
    WXMSG_E2E_CODE_SERVER: paths.codeServer,
    WXMSG_E2E_CHROMIUM: paths.chromium,
    WXMSG_E2E_VSIX: VSIX,
  },
});
// The suite bounds its own waits; this is the backstop for a hang nobody foresaw.
const watchdog = setTimeout(() => {
  console.error(`[e2e] FAILED: the suite ran longer than ${LIMIT_MS / 60_000} minutes; stopping it`);
  killGroup('SIGTERM');
  setTimeout(() => killGroup('SIGKILL'), 10_000).unref();
}, LIMIT_MS - (Date.now() - started));
function killGroup(sig) {
  try {
    process.kill(-child.pid, sig);
  } catch {
    // Already gone.
  }
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => killGroup(sig));
child.on('exit', (code, signal) => {
  clearTimeout(watchdog);
  console.log(`[e2e] finished in ${secs()} (exit ${code ?? signal})`);
  process.exitCode = code ?? 1;
});
