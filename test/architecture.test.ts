// The layers of issue 14, checked on the real import graph (dpdm parses every import and export,
// static and dynamic, type-only ones included):
//   core/facts → core (pure) → node/, wechat/ → simulator/ → lsp/, cli/ (shells) ; client/ on top.
// Each room imports only from the rooms below it; the core imports no `node:` module and nothing
// above it; outside the core, core/services/ is reached only through the facade
// (core/languageService.ts); and there is no import cycle anywhere.
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseCircular, parseDependencyTree, type DependencyTree } from 'dpdm';

const ROOT = path.resolve(__dirname, '..');

type Room = 'facts' | 'core' | 'node' | 'wechat' | 'simulator' | 'lsp' | 'cli' | 'entry' | 'client';

export function roomOf(file: string): Room | undefined {
  const f = file.replace(/\\/g, '/');
  if (f.startsWith('server/src/core/facts/')) return 'facts';
  if (f.startsWith('server/src/core/')) return 'core';
  for (const r of ['node', 'wechat', 'simulator', 'lsp', 'cli'] as const) if (f.startsWith(`server/src/${r}/`)) return r;
  if (/^server\/src\/[^/]+\.ts$/.test(f)) return 'entry';
  if (f.startsWith('client/src/')) return 'client';
  return undefined;
}

/** Which rooms each room may import from (besides itself). */
const MAY_IMPORT: Record<Room, readonly Room[]> = {
  facts: [],
  core: ['facts'],
  wechat: ['facts', 'core'],
  node: ['facts', 'core', 'wechat'],
  simulator: ['facts', 'wechat'],
  lsp: ['facts', 'core', 'node', 'wechat'],
  cli: ['facts', 'core', 'node', 'wechat', 'simulator'],
  entry: ['facts', 'core', 'node', 'wechat', 'simulator', 'lsp', 'cli'],
  client: ['facts', 'core', 'node', 'wechat', 'lsp'],
};

/**
 * Known exceptions, each to be removed by the change that fixes it. An entry that no longer
 * happens fails the test too, so the list cannot outlive its reason.
 */
const KNOWN: readonly string[] = [];

/** Data files the core may read at build time (bundled JSON). */
const CORE_DATA = /^(package\.json|snippets\/[^/]+\.json)$/;
/** Pure npm packages the core may use. */
const CORE_PACKAGES = new Set(['jsonc-parser']);
/** The one way into core/services/ from outside the core. */
const FACADE = 'server/src/core/languageService.ts';
/** What the client may take from the shells: the shared protocol module. */
const CLIENT_FROM_LSP = new Set(['server/src/lsp/protocol.ts']);

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function packageOf(request: string): string {
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every broken rule in a dependency tree, as "from -> to: why". */
export function violations(tree: DependencyTree): string[] {
  const out: string[] = [];
  for (const [from, deps] of Object.entries(tree)) {
    const a = roomOf(from);
    if (!a || !deps) continue;
    for (const d of deps) {
      const to = d.id?.replace(/\\/g, '/');
      if (a === 'core' || a === 'facts') {
        if (BUILTINS.has(d.request) || d.request.startsWith('node:')) { out.push(`${from} -> ${d.request}: the core imports no node: module`); continue; }
        if (!d.request.startsWith('.') && !CORE_PACKAGES.has(packageOf(d.request))) { out.push(`${from} -> ${d.request}: the core uses only pure packages (${[...CORE_PACKAGES].join(', ')})`); continue; }
      }
      if (!to || to.includes('node_modules/')) continue;
      const b = roomOf(to);
      if (!b) {
        if ((a === 'core' || a === 'facts') && !CORE_DATA.test(to)) out.push(`${from} -> ${to}: outside the core`);
        continue;
      }
      if (a === b) continue;
      if (!MAY_IMPORT[a].includes(b)) out.push(`${from} -> ${to}: ${a} may not import ${b}`);
      else if (a !== 'core' && to.startsWith('server/src/core/services/')) out.push(`${from} -> ${to}: use the facade ${FACADE}`);
      else if (a === 'client' && b === 'lsp' && !CLIENT_FROM_LSP.has(to)) out.push(`${from} -> ${to}: the client takes only the protocol from the server`);
    }
  }
  return out;
}

let treeOnce: Promise<DependencyTree> | undefined;
function sourceTree(): Promise<DependencyTree> {
  treeOnce ??= parseDependencyTree(['server/src/**/*.ts', 'client/src/**/*.ts'], {
    context: ROOT, cwd: ROOT, transform: false, skipDynamicImports: false,
    extensions: ['.ts', '.js', '.mjs', '.json'], js: ['.ts', '.js', '.mjs'],
    include: /\.(ts|js|mjs)$/, exclude: /node_modules/, onProgress: () => {},
  });
  return treeOnce;
}

test('every room imports only from the rooms below it; core/services only through the facade', async () => {
  const tree = await sourceTree();
  assert.ok(Object.keys(tree).some((f) => f.startsWith('server/src/core/')), 'the graph covers the core');
  const found = violations(tree);
  const edge = (v: string) => v.slice(0, v.indexOf(': '));
  assert.deepEqual(found.filter((v) => !KNOWN.includes(edge(v))), []);
  const stale = KNOWN.filter((k) => !found.some((v) => edge(v) === k));
  assert.deepEqual(stale, [], 'a known exception that no longer happens: delete it from KNOWN');
});

test('server/src/core imports no node: module', async () => {
  const tree = await sourceTree();
  const core = Object.entries(tree).filter(([f]) => f.startsWith('server/src/core/'));
  assert.ok(core.length > 20, `the core's files are in the graph (${core.length})`);
  const nodeImports = core.flatMap(([f, deps]) => (deps ?? []).filter((d) => BUILTINS.has(d.request) || d.request.startsWith('node:')).map((d) => `${f} -> ${d.request}`));
  assert.deepEqual(nodeImports, []);
});

test('no import cycle anywhere (type-only and dynamic imports included)', async () => {
  const cycles = parseCircular(await sourceTree(), false);
  assert.deepEqual(cycles.map((c) => c.join(' -> ')), []);
});

test('the checks catch what they are for (near misses pass)', () => {
  const dep = (issuer: string, request: string, id: string | null) => ({ issuer, request, id, kind: 'StaticImport' as never });
  const tree: DependencyTree = {
    'server/src/core/services/hover.ts': [
      dep('server/src/core/services/hover.ts', 'node:fs', null),
      dep('server/src/core/services/hover.ts', 'fs', null),
      dep('server/src/core/services/hover.ts', '../../wechat/client.ts', 'server/src/wechat/client.ts'),
      dep('server/src/core/services/hover.ts', 'undici', 'node_modules/undici/index.js'),
      // fine: inside the core, the facts, a pure package, bundled data
      dep('server/src/core/services/hover.ts', '../facts/errcodes.ts', 'server/src/core/facts/errcodes.ts'),
      dep('server/src/core/services/hover.ts', 'jsonc-parser', 'node_modules/jsonc-parser/lib/esm/main.js'),
      dep('server/src/core/services/hover.ts', '../../../../snippets/wxmsg.json', 'snippets/wxmsg.json'),
    ],
    'server/src/core/facts/limits.ts': [dep('server/src/core/facts/limits.ts', '../types.ts', 'server/src/core/types.ts')],
    'server/src/lsp/features.ts': [
      dep('server/src/lsp/features.ts', '../core/services/hover.ts', 'server/src/core/services/hover.ts'),
      dep('server/src/lsp/features.ts', '../cli/io.ts', 'server/src/cli/io.ts'),
      dep('server/src/lsp/features.ts', '../core/languageService.ts', FACADE),
    ],
    'server/src/simulator/state.ts': [
      dep('server/src/simulator/state.ts', '../core/rules/pages.ts', 'server/src/core/rules/pages.ts'),
      dep('server/src/simulator/state.ts', '../core/facts/errcodes.ts', 'server/src/core/facts/errcodes.ts'),
    ],
    'server/src/wechat/client.ts': [dep('server/src/wechat/client.ts', '../node/files.ts', 'server/src/node/files.ts')],
    'client/src/extension.ts': [
      dep('client/src/extension.ts', '../../server/src/lsp/server.ts', 'server/src/lsp/server.ts'),
      dep('client/src/extension.ts', '../../server/src/lsp/protocol.ts', 'server/src/lsp/protocol.ts'),
      dep('client/src/extension.ts', '../../server/src/cli/main.ts', 'server/src/cli/main.ts'),
    ],
  };
  const found = violations(tree).map((v) => v.slice(0, v.indexOf(': ')));
  assert.deepEqual(found, [
    'server/src/core/services/hover.ts -> node:fs',
    'server/src/core/services/hover.ts -> fs',
    'server/src/core/services/hover.ts -> server/src/wechat/client.ts',
    'server/src/core/services/hover.ts -> undici',
    'server/src/core/facts/limits.ts -> server/src/core/types.ts',
    'server/src/lsp/features.ts -> server/src/core/services/hover.ts',
    'server/src/lsp/features.ts -> server/src/cli/io.ts',
    'server/src/simulator/state.ts -> server/src/core/rules/pages.ts',
    'server/src/wechat/client.ts -> server/src/node/files.ts',
    'client/src/extension.ts -> server/src/lsp/server.ts',
    'client/src/extension.ts -> server/src/cli/main.ts',
  ]);
  // A cycle of two and one through three files are both found; a chain is not a cycle.
  const cyc: DependencyTree = {
    'a.ts': [dep('a.ts', './b.ts', 'b.ts')], 'b.ts': [dep('b.ts', './a.ts', 'a.ts')],
    'c.ts': [dep('c.ts', './d.ts', 'd.ts')], 'd.ts': [dep('d.ts', './e.ts', 'e.ts')], 'e.ts': [dep('e.ts', './c.ts', 'c.ts')],
    'f.ts': [dep('f.ts', './g.ts', 'g.ts')], 'g.ts': [],
  };
  assert.equal(parseCircular(cyc, false).length, 2);
});
