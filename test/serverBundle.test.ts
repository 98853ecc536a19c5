// `wxmsg lint` starts fast because dist/server.js holds only the CLI's lint path and the language
// server's entry: every other command lives in dist/send.js and the language server in
// dist/lsp.js, loaded when they run. A dynamic import esbuild.mjs does not map to a sibling
// bundle is silently inlined, so this checks what server.js is made of (esbuild's metafile of
// the production build), and that every command still runs from the built bundles.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..');

/** Inputs that have no business in the bundle `wxmsg lint` loads. */
export function notForLint(inputs: readonly string[]): string[] {
  return inputs.filter((i) => {
    const p = i.replace(/\\/g, '/');
    if (/(^|\/)node_modules\/(undici|vscode-languageserver[^/]*|vscode-jsonrpc|https-proxy-agent|wechat-crypto)\//.test(p)) return true;
    if (/^server\/src\/(simulator|lsp)\//.test(p)) return true;
    if (/^server\/src\/cli\/commands\/(?!lint\.ts$)/.test(p)) return true;
    if (/^server\/src\/wechat\/(?!redact\.ts$)/.test(p)) return true; // redact: error messages never echo a secret
    return false;
  });
}

test('dist/server.js (the production build) carries the lint path only: no HTTP client, simulator, language server or other command', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-serverbundle-'));
  try {
    const b = spawnSync(process.execPath, ['esbuild.mjs', '--production', `--outdir=${out}`, '--metafile'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
    const meta = JSON.parse(fs.readFileSync(path.join(out, 'server.meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
    const inputs = Object.keys(Object.values(meta.outputs)[0].inputs);
    assert.ok(inputs.includes('server/src/cli/commands/lint.ts') && inputs.includes('server/src/core/services/validate.ts'), 'the metafile lists the lint path');
    assert.deepEqual(notForLint(inputs), []);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('the check catches what it is for (near misses pass)', () => {
  assert.deepEqual(notForLint([
    '../main/node_modules/undici/index.js', 'node_modules/vscode-languageserver/lib/node/main.js', 'node_modules/vscode-jsonrpc/lib/node/main.js',
    'server/src/simulator/server.ts', 'server/src/lsp/server.ts', 'server/src/lsp/project.ts',
    'server/src/cli/commands/allow.ts', 'server/src/cli/commands/preview.ts', 'server/src/cli/commands/lintish.ts',
    'server/src/wechat/undiciTransport.ts', 'server/src/wechat/redact.tsx',
  ]).length, 11);
  assert.deepEqual(notForLint([
    'server/src/cli/commands/lint.ts', 'server/src/wechat/redact.ts', 'server/src/core/services/validate.ts', 'server/src/core/languageService.ts', 'server/src/simulatorish.ts',
    'node_modules/jsonc-parser/lib/esm/main.js', 'node_modules/undici-types/index.d.ts', 'server/src/node/lintPool.ts', 'server/src/lspish.ts',
  ]), []);
});

test('every command runs from the built bundles (each lazily loaded module exports what dist/server.js calls)', () => {
  const commands = ['lint', 'send', 'upload', 'simulate', 'typing', 'media', 'push', 'allow', 'preview', 'history', 'demo'];
  for (const c of commands) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'server.js'), c, '--help'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, WXMSG_LOCALE: 'en' } });
    assert.equal(r.status, 0, `${c}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`wxmsg ${c}\\b`), c);
  }
});
