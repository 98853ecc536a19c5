// The extension's bundles (issue 14): UI and sending only. dist/client.js, what activation loads,
// is at most half of the 777 KB it had before the thin client, and carries neither the send code
// nor the preview: dist/clientSend.js and dist/clientPreview.js, loaded on first use. None of the
// three carries the language service (server/src/core, but for the few pure tables it shows), the
// project resolver or undici, and the two loaded later do not carry vscode-languageclient again.
// Built by esbuild.mjs itself (production, into a temp dir, with its metafile): what ships.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

const ROOT = path.resolve(__dirname, '..');

/** Half of client.js before issue 14 (777 KB, README "Size"; 777,000 / 2): the most activation may load, in bytes. */
export const CLIENT_JS_LIMIT = 388_500;

/** The bundles loaded on first use, and the module each starts from. */
const LAZY = { 'clientSend.js': 'client/src/send/lazy.ts', 'clientPreview.js': 'client/src/preview/previewManager.ts' } as const;

/** What a client bundle may take from server/src/core: shared types, escaping, the preview's HTML document, the errcode and delivery tables. */
// The facts and the words under them (core/l10n/cli/: the errcodes' cause and action come from there).
const CORE_ALLOWED = [/^server\/src\/core\/types\.ts$/, /^server\/src\/core\/escape\.ts$/, /^server\/src\/core\/html\.ts$/, /^server\/src\/core\/facts\//, /^server\/src\/core\/l10n\/cli\//];

const norm = (p: string) => p.replace(/\\/g, '/');

export function forbiddenInputs(inputs: readonly string[]): string[] {
  return inputs.filter((i) => {
    const p = norm(i);
    if (/(^|\/)node_modules\/undici\//.test(p)) return true;
    if (p === 'server/src/node/resolver.ts') return true;
    if (p.startsWith('server/src/core/')) return !CORE_ALLOWED.some((r) => r.test(p));
    return false;
  });
}

/** Inputs a bundle loaded on first use must not repeat: the language client activation has loaded already. */
export function languageClientInputs(inputs: readonly string[]): string[] {
  return inputs.filter((i) => /(^|\/)node_modules\/(vscode-languageclient|vscode-languageserver-protocol|vscode-jsonrpc)\//.test(norm(i)));
}

/** Inputs of the send code and the preview that activation must not load (they are the lazy bundles' own). */
export function lazyOnlyInputs(inputs: readonly string[]): string[] {
  return inputs.filter((i) => {
    const p = norm(i);
    return /(^|\/)node_modules\/jsonc-parser\//.test(p) || Object.values(LAZY).includes(p as never)
      || /^client\/src\/send\/(sendService|sendCommand|present|profileCredentials|upload|curl)\.ts$/.test(p)
      || /^server\/src\/wechat\/(apiClient|tokenSources|forceRefresh|nodeTransport)\.ts$/.test(p);
  });
}

interface Meta { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> }

describe('the extension\'s bundles (production build)', { timeout: 120_000 }, () => {
  let dir: string;
  const inputsOf = (file: string): string[] => {
    const meta = JSON.parse(readFileSync(path.join(dir, file.replace(/\.js$/, '.meta.json')), 'utf8')) as Meta;
    return Object.keys(Object.values(meta.outputs)[0].inputs);
  };

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wxmsg-client-bundle-'));
    const r = spawnSync(process.execPath, ['esbuild.mjs', '--production', `--outdir=${dir}`, '--metafile'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `the production build failed:\n${r.stderr}${r.stdout}`);
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  test(`client.js, what activation loads, is at most ${CLIENT_JS_LIMIT} bytes and holds neither the send code nor the preview`, () => {
    const bytes = statSync(path.join(dir, 'client.js')).size;
    assert.ok(bytes <= CLIENT_JS_LIMIT, `dist/client.js is ${bytes} bytes, over ${CLIENT_JS_LIMIT}: load what is not needed at activation on first use (see esbuild.mjs)`);
    const inputs = inputsOf('client.js');
    assert.ok(inputs.includes('client/src/extension.ts'), 'the metafile lists the inputs');
    assert.deepEqual(lazyOnlyInputs(inputs), []);
    // It loads the two others by their file names, next to it.
    const text = readFileSync(path.join(dir, 'client.js'), 'utf8');
    for (const file of Object.keys(LAZY)) assert.ok(text.includes(`require("./${file}")`), `client.js requires ./${file}`);
  });

  for (const [file, entry] of Object.entries(LAZY)) {
    test(`${file} (loaded on first use) starts from ${entry} and does not repeat the language client`, () => {
      assert.ok(existsSync(path.join(dir, file)));
      const inputs = inputsOf(file);
      assert.ok(inputs.includes(entry));
      assert.deepEqual(languageClientInputs(inputs), []);
    });
  }

  for (const file of ['client.js', ...Object.keys(LAZY)]) {
    test(`${file} bundles no core language service, no project resolver, no undici`, () => {
      assert.deepEqual(forbiddenInputs(inputsOf(file)), []);
    });
  }
});

test('the checks catch what they are for (near misses pass)', () => {
  assert.deepEqual(forbiddenInputs([
    'server/src/core/services/validate.ts', 'server/src/core/parser/document.ts', 'server/src/core/l10n/en.ts',
    'server/src/node/resolver.ts', 'node_modules/undici/lib/dispatcher/agent.js', '../main/node_modules/undici/index.js',
    'server/src/core/factsheet.ts',
  ]).length, 7);
  assert.deepEqual(forbiddenInputs([
    'server/src/core/types.ts', 'server/src/core/escape.ts', 'server/src/core/facts/errcodes.ts', 'server/src/wechat/apiClient.ts',
    'server/src/node/resolverCache.ts', 'node_modules/undici-types/index.d.ts', 'client/src/extension.ts',
  ]), []);
  assert.deepEqual(languageClientInputs([
    '../main/node_modules/vscode-languageclient/lib/common/client.js', 'node_modules/vscode-languageserver-protocol/lib/common/api.js',
    'node_modules/vscode-languageserver-protocol/node_modules/vscode-jsonrpc/lib/common/api.js',
  ]).length, 3);
  assert.deepEqual(languageClientInputs(['node_modules/vscode-languageserver-textdocument/lib/esm/main.js', 'node_modules/vscode-uri/index.js', 'client/src/send/languageServer.ts']), []);
  assert.deepEqual(lazyOnlyInputs([
    '../main/node_modules/jsonc-parser/lib/esm/main.js', 'client/src/send/lazy.ts', 'client/src/preview/previewManager.ts',
    'client/src/send/sendService.ts', 'client/src/send/present.ts', 'server/src/wechat/apiClient.ts',
  ]).length, 6);
  assert.deepEqual(lazyOnlyInputs([
    'client/src/send/commands.ts', 'client/src/send/resultView.ts', 'client/src/preview/preview.ts', 'client/src/send/presentation.ts',
    'server/src/wechat/redact.ts', 'server/src/wechat/apiClientOptions.ts',
  ]), []);
});
