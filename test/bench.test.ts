// The benchmark's honesty, without running it: the README's performance tables are what
// bench/readme.ts renders from the committed bench/results/latest.json, and the "fast parser off"
// build measures the same work as the real one (same output, no fast parser inside).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { writeCorpus } from '../bench/corpus.ts';
import { fastParserOff } from '../bench/fastParserOff.mjs';
import { END, README, START, grouped, readResults, renderPerformance, replaceBlock, updateReadme } from '../bench/readme.ts';
import type { BenchResults } from '../bench/results.ts';
import { LATEST_JSON } from '../bench/shared.ts';

const ROOT = path.resolve(__dirname, '..');
const block = (readme: string) => readme.slice(readme.indexOf(START) + START.length, readme.indexOf(END));

test('README.md: the performance tables are exactly what bench/readme.ts renders from bench/results/latest.json', () => {
  const readme = fs.readFileSync(README, 'utf8');
  const results = readResults();
  assert.equal(results.quick, false, 'latest.json comes from a full run (npm run bench), not --quick');
  assert.equal(block(readme), `\n${renderPerformance(results)}\n`, 'run `npm run bench:readme` (or npm run bench) and commit README.md with latest.json');
});

test('every figure of latest.json that the README shows changes the rendered tables', () => {
  const base = readResults();
  const rendered = renderPerformance(base);
  const bump = (edit: (r: BenchResults) => void) => {
    const r = structuredClone(base);
    edit(r);
    return renderPerformance(r);
  };
  const edits: [string, (r: BenchResults) => void][] = [
    ['wxmsg ms', (r) => { r.throughput.ms.wxmsg += 1000; }],
    ['fast parser off ms', (r) => { r.throughput.ms.wxmsgFastParserOff += 1000; }],
    ['ajv ms', (r) => { r.throughput.ms.ajv += 1000; }],
    ['bare ms', (r) => { r.throughput.ms.bare += 1000; }],
    ['cold validate', (r) => { r.inProcess.cold.validateMs += 1000; }],
    ['warm, fast parser off', (r) => { r.inProcess.warm.validateFastParserOffMs += 1000; }],
    ['lsp p99', (r) => { r.lsp.cases[0].latency.p99 += 100; }],
    ['lsp p90', (r) => { r.lsp.cases[0].latency.p90 += 100; }],
    ['lsp max', (r) => { r.lsp.cases[0].latency.max += 100; }],
    ['lsp on Node defaults p99', (r) => { r.lspNodeDefaults!.cases[0].latency.p99 += 100; }],
    ['lsp over IPC p99', (r) => { r.lspIpc!.cases[0].latency.p99 += 100; }],
    ['pull, wxmsg p50', (r) => { r.pull!.wxmsg.p50 += 100; }],
    ['pull, VS Code\'s JSON server p90', (r) => { r.pull!.json.p90 += 100; }],
    ['pull skipped', (r) => { r.pull = undefined; r.pullSkipped = 'no code-server'; }],
    ['start-up cli', (r) => { r.startup.bundles[0].cliMs += 1000; }],
    ['vsix bytes', (r) => { r.size.vsix!.bytes += 100_000; }],
    ['scaling two threads', (r) => { r.scaling[r.scaling.length - 1].twoThreadsMs += 1000; }],
    ['date', (r) => { r.date = '1999-01-01T00:00:00.000Z'; }],
  ];
  for (const [name, edit] of edits) assert.notEqual(bump(edit), rendered, name);
});

test('targets: a ratio exactly at its target is met, the next step above is missed', () => {
  const base = readResults();
  const at = (overAjv: number) => {
    const r = structuredClone(base);
    r.throughput.ms.ajv = 1000;
    r.throughput.ms.wxmsg = 1000 * overAjv;
    const line = renderPerformance(r).split('\n').find((l) => l.includes('bench/baselines/ajv-validate.mjs'))!;
    return line;
  };
  assert.match(at(1.0), /1\.00× \| ≤ 1\.0× \(met\) \|$/);
  assert.match(at(1.001), /≤ 1\.0× \(\*\*missed\*\*\) \|$/);
  assert.match(at(0.5), /\(met\)/);
  // The editing target is strict (< 5 ms): 5 ms itself misses it, just under meets it.
  const lsp = (p99: number) => {
    const r = structuredClone(base);
    const small = r.lsp.cases.find((c) => c.name === '10 KB text')!;
    small.latency.p99 = p99;
    return renderPerformance(r).split('\n').find((l) => l.startsWith('| 10 KB text message'))!;
  };
  assert.match(lsp(5), /< 5 ms \(\*\*missed\*\*\)/);
  assert.match(lsp(4.99), /< 5 ms \(met\)/);
});

test('grouped: thousands separators whatever the locale, rounding at the half', () => {
  assert.equal(grouped(0), '0');
  assert.equal(grouped(999), '999');
  assert.equal(grouped(999.4), '999');
  assert.equal(grouped(999.5), '1,000');
  assert.equal(grouped(1000), '1,000');
  assert.equal(grouped(12345.6), '12,346');
  assert.equal(grouped(1234567), '1,234,567');
});

test('replaceBlock: one block, markers kept, the rest of the README untouched; anything else is refused', () => {
  const doc = `# t\n\nbefore\n${START}\nold\n${END}\nafter\n`;
  assert.equal(replaceBlock(doc, 'new'), `# t\n\nbefore\n${START}\nnew\n${END}\nafter\n`);
  assert.equal(replaceBlock(replaceBlock(doc, 'new'), 'new'), replaceBlock(doc, 'new'));
  for (const bad of [`x\n${START}\n`, `x\n${END}\n`, `${END}\n${START}\n`, `${START}\n${END}\n${START}\n${END}\n`, 'no markers']) {
    assert.throws(() => replaceBlock(bad, 'new'), /exactly one/, bad);
  }
});

test('updateReadme writes the rendered block and reports whether it changed', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-benchreadme-'));
  try {
    const readme = path.join(dir, 'README.md');
    fs.writeFileSync(readme, `## Performance\n\n${START}\nstale\n${END}\n\n## Development\n`);
    assert.equal(updateReadme(readme, LATEST_JSON), true);
    const text = fs.readFileSync(readme, 'utf8');
    assert.equal(block(text), `\n${renderPerformance(readResults())}\n`);
    assert.ok(text.startsWith('## Performance\n\n') && text.endsWith('\n\n## Development\n'));
    assert.equal(updateReadme(readme, LATEST_JSON), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the fast-parser-off build has no fast parser and lints a corpus exactly as dist/server.js does', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-fastoff-'));
  try {
    const out = path.join(tmp, 'off');
    const b = spawnSync(process.execPath, ['esbuild.mjs', `--outdir=${out}`, '--no-fast-parser'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
    const off = fs.readFileSync(path.join(out, 'server.js'), 'utf8');
    const on = fs.readFileSync(path.join(ROOT, 'dist', 'server.js'), 'utf8');
    // The real fast parser reads characters with charCodeAt inside fastParseTree's module; the off build's is one line.
    assert.match(off, /function fastParseTree\(_text\) \{\s*return void 0;\s*\}/);
    assert.doesNotMatch(on, /function fastParseTree\(_text\) \{\s*return void 0;\s*\}/);
    assert.match(on, /function fastParseTree\(text\)/);
    assert.deepEqual(fs.readdirSync(out).sort(), ['server.js', 'server.js.map'], 'server.js alone');

    const { dir } = writeCorpus(path.join(tmp, 'corpus'), 300, 11);
    // Files the two parsers must agree on beyond the corpus: comments and a trailing comma (jsonc-parser either way), a syntax error.
    fs.writeFileSync(path.join(dir, 'templates', 'jsonc.wxmsg.json'), '// c\n{"touser":"OPENID","msgtype":"text","text":{"content":"hi",},}\n');
    fs.writeFileSync(path.join(dir, 'templates', 'broken.wxmsg.json'), '{"touser": "OPENID", "msgtype": "text" "text": {}}');
    const lint = (server: string) => spawnSync(process.execPath, [server, 'lint', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
    const a = lint(path.join(ROOT, 'dist', 'server.js'));
    const c = lint(path.join(out, 'server.js'));
    assert.equal(a.status, 1, a.stderr);
    assert.equal(c.status, 1, c.stderr);
    assert.equal(c.stdout, a.stdout);
    const codes = (JSON.parse(a.stdout) as { diagnostics: { code: string }[] }[]).flatMap((r) => r.diagnostics.map((d) => d.code));
    assert.ok(codes.includes('wxmsg/syntax-error'), 'the corpus run reports problems, so equal output means something');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('the fast-parser-off plugin fails a build that does not contain the fast parser, rather than measure the real one', async () => {
  await assert.rejects(
    build({ stdin: { contents: 'export const x = 1;', loader: 'ts' }, bundle: true, write: false, logLevel: 'silent', plugins: [fastParserOff()] }),
    /fastTree\.ts is not part of this bundle/,
  );
  const ok = await build({ entryPoints: [path.join(ROOT, 'server/src/core/parser/document.ts')], bundle: true, write: false, format: 'cjs', platform: 'node', mainFields: ['module', 'main'], logLevel: 'silent', plugins: [fastParserOff()] });
  assert.equal(ok.errors.length, 0);
});
