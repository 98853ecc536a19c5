// The CLI sends with undici 7's public API only (issue 14): `import … from 'undici'`, never a
// module under undici/lib/, whose layout is private and may change in any minor release. And an
// undici dispatcher is never handed to Node's built-in fetch (a different undici copy: the two
// do not agree on the dispatcher interface).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(__dirname, '..');
const SOURCE_DIRS = ['server/src', 'client/src', 'test', 'bench', 'scripts'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'fixtures' && !e.name.startsWith('.')) out.push(...sourceFiles(p));
    } else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(e.name)) {
      out.push(p);
    }
  }
  return out;
}

/** The module names a file imports, requires or declares that start with undici/ (static, dynamic, export from, declare module). */
export function privateUndiciImports(text: string): string[] {
  const found: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+|\bdeclare\s+module\s+)(['"`])(undici\/[^'"`]*)\1/g;
  for (const m of text.matchAll(re)) found.push(m[2]);
  return found;
}

/** A call of the global fetch with a `dispatcher` option in the same call. */
export function fetchWithDispatcher(text: string): boolean {
  for (const m of text.matchAll(/(?<![.\w])fetch\s*\(/g)) {
    // The call's arguments: up to the matching parenthesis.
    let depth = 0;
    let i = m.index! + m[0].length - 1;
    for (; i < text.length; i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')' && --depth === 0) break;
    }
    if (/\bdispatcher\b/.test(text.slice(m.index!, i))) return true;
  }
  return false;
}

test('no source file imports a private undici module (undici/lib/…)', () => {
  const offenders: string[] = [];
  for (const dir of SOURCE_DIRS) {
    const abs = path.join(ROOT, dir);
    if (!fs.existsSync(abs)) continue;
    for (const f of sourceFiles(abs)) {
      if (f === __filename) continue;
      for (const name of privateUndiciImports(fs.readFileSync(f, 'utf8'))) offenders.push(`${path.relative(ROOT, f)}: ${name}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the private-import check catches every form of it; the public name and undici-types pass', () => {
  const caught = [
    "import AgentImpl from 'undici/lib/dispatcher/agent.js';",
    'import { parseURL } from "undici/lib/core/util.js";',
    "export { FormData } from 'undici/lib/web/fetch/formdata.js';",
    "const api = require('undici/lib/api/index.js');",
    "const m = await import('undici/lib/global.js');",
    "import 'undici/lib/dispatcher/dispatcher.js';",
    "declare module 'undici/lib/core/errors.js' {}",
  ];
  for (const line of caught) assert.equal(privateUndiciImports(line).length, 1, line);
  for (const line of [
    "import { request, Agent } from 'undici';",
    "import type { Dispatcher } from 'undici-types';",
    "const u = require('undici');",
    '// a comment naming undici and lib/ apart',
  ]) assert.deepEqual(privateUndiciImports(line), [], line);
});

test('the send bundle reaches undici only through its public index', async () => {
  const r = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['server/src/cli/sendCommands.ts'],
    bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    mainFields: ['module', 'main'], write: false, metafile: true, logLevel: 'silent',
  });
  const edges: string[] = [];
  for (const [file, input] of Object.entries(r.metafile.inputs)) {
    if (/(^|\/)node_modules\//.test(file)) continue;
    for (const i of input.imports) if (/(^|\/)node_modules\/undici\//.test(i.path)) edges.push(`${file} -> ${i.path}`);
  }
  assert.ok(edges.length > 0, 'the send bundle uses undici');
  assert.deepEqual(edges.filter((e) => !/node_modules\/undici\/index\.js$/.test(e)), []);
});

test("no source hands a dispatcher to Node's built-in fetch", () => {
  const offenders: string[] = [];
  for (const dir of ['server/src', 'client/src']) {
    for (const f of sourceFiles(path.join(ROOT, dir))) if (fetchWithDispatcher(fs.readFileSync(f, 'utf8'))) offenders.push(path.relative(ROOT, f));
  }
  assert.deepEqual(offenders, []);
  // Near misses: undici's own request() and a fetch without a dispatcher pass; a fetch with one does not.
  assert.equal(fetchWithDispatcher("await fetch(url, { method: 'POST', dispatcher: new Agent() })"), true);
  assert.equal(fetchWithDispatcher('await fetch(url, init(dispatcher))'), true);
  assert.equal(fetchWithDispatcher("await request(url, { dispatcher })"), false);
  assert.equal(fetchWithDispatcher("await fetch(url, { method: 'POST' }); const d = { dispatcher };"), false);
  assert.equal(fetchWithDispatcher('await this.fetch({ dispatcher })'), false);
});

/** Bundles `entry` as esbuild.mjs does and runs `script` in a fresh node with the bundle as `mod`. */
async function runBundled(entry: string, script: string): Promise<unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-undici-'));
  try {
    const outfile = path.join(dir, 'bundle.js');
    await esbuild.build({
      absWorkingDir: ROOT, entryPoints: [entry], outfile,
      bundle: true, platform: 'node', target: 'node20', format: 'cjs', mainFields: ['module', 'main'], logLevel: 'silent',
    });
    const r = spawnSync(process.execPath, ['-e', `
      // undici's index installs its global dispatcher under this symbol when it is evaluated.
      const loaded = () => globalThis[Symbol.for('undici.globalDispatcher.1')] !== undefined;
      const mod = require(${JSON.stringify(outfile)});
      (async () => { ${script} })().then((v) => console.log(JSON.stringify(v)), (e) => { console.error(e); process.exit(1); });
    `], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('undici is loaded at the first request, not when a sending command starts', async () => {
  assert.deepEqual(await runBundled('server/src/cli/sendCommands.ts', 'return { atLoad: loaded() };'), { atLoad: false });
  // The transport on its own: not loaded when made, loaded by its first request (to a local server).
  const seen = await runBundled('server/src/wechat/undiciTransport.ts', `
    const http = require('node:http');
    const server = http.createServer((q, a) => a.end('ok'));
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const t = mod.undiciTransport({ timeoutMs: 5000 });
    const made = loaded();
    const res = await t.request({ method: 'GET', url: 'http://127.0.0.1:' + server.address().port + '/', headers: {}, signal: new AbortController().signal, timeoutMs: 5000 });
    let body = '';
    for await (const c of res.body) body += Buffer.from(c).toString();
    await t.close();
    server.close();
    return { made, used: loaded(), status: res.status, body };
  `);
  assert.deepEqual(seen, { made: false, used: true, status: 200, body: 'ok' });
});
