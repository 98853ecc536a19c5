// The extension's bundle (dist/client.js) is UI and sending only (issue 14): it must not carry
// the language service (server/src/core, but for the few pure tables it shows), the project
// resolver or undici. Built in memory with esbuild's metafile, the same options as esbuild.mjs.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(__dirname, '..');

/** What client.js may take from server/src/core: shared types, escaping, the errcode and delivery tables. */
const CORE_ALLOWED = [/^server\/src\/core\/types\.ts$/, /^server\/src\/core\/escape\.ts$/, /^server\/src\/core\/facts\//];

export function forbiddenInputs(inputs: readonly string[]): string[] {
  return inputs.filter((i) => {
    const p = i.replace(/\\/g, '/');
    if (/(^|\/)node_modules\/undici\//.test(p)) return true;
    if (p === 'server/src/node/resolver.ts') return true;
    if (p.startsWith('server/src/core/')) return !CORE_ALLOWED.some((r) => r.test(p));
    return false;
  });
}

test('client.js bundles no core language service, no project resolver, no undici', async () => {
  const r = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['client/src/extension.ts'],
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'],
    mainFields: ['module', 'main'], write: false, metafile: true, minify: true, logLevel: 'silent',
  });
  const inputs = Object.keys(r.metafile.inputs);
  assert.ok(inputs.includes('client/src/extension.ts'), 'the metafile lists the inputs');
  assert.deepEqual(forbiddenInputs(inputs), []);
});

test('the check catches what it is for (near misses pass)', () => {
  assert.deepEqual(forbiddenInputs([
    'server/src/core/services/validate.ts', 'server/src/core/parser/document.ts', 'server/src/core/l10n/en.ts',
    'server/src/node/resolver.ts', 'node_modules/undici/lib/dispatcher/agent.js', '../main/node_modules/undici/index.js',
    'server/src/core/factsheet.ts',
  ]).length, 7);
  assert.deepEqual(forbiddenInputs([
    'server/src/core/types.ts', 'server/src/core/escape.ts', 'server/src/core/facts/errcodes.ts', 'server/src/wechat/apiClient.ts',
    'server/src/node/resolverCache.ts', 'node_modules/undici-types/index.d.ts', 'client/src/extension.ts',
  ]), []);
});
