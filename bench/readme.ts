// The README's performance tables, rendered from bench/results/latest.json: the README holds them
// between <!-- bench:start --> and <!-- bench:end -->, and nothing in that block is typed by hand.
// A full `npm run bench` writes latest.json and calls this; `npm run bench:readme` renders again
// from the committed file; --check only compares (exit 1 when the README differs).
// test/benchReadme.test.ts fails when the README and latest.json disagree.
//   node --import tsx bench/readme.ts [--check]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TARGETS, type BenchResults } from './results.ts';
import { LATEST_JSON, ROOT, isMain, type Spread } from './shared.ts';

export const README = path.join(ROOT, 'README.md');
export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';
const NOTE = '<!-- Rendered by bench/readme.ts from bench/results/latest.json (npm run bench, npm run bench:readme). Do not edit by hand. -->';

/** 12345.6 → "12,346": fixed separators, whatever the locale data of the Node build. */
export function grouped(n: number): string {
  const s = String(Math.round(n));
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const ms0 = (v: number) => `${grouped(v)} ms`;
/** Latencies below 10 ms keep two decimals, larger ones one. */
const msLat = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
const kb = (bytes: number) => `${grouped(bytes / 1000)} KB`;
const perSec = (files: number, ms: number) => grouped(files / (ms / 1000));
const table = (head: string[], align: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `|${align.join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const verdict = (value: number, limit: number, below = false) => (below ? value < limit : value <= limit) ? 'met' : '**missed**';

/** The block between the markers (markers excluded), from the results alone. */
export function renderPerformance(r: BenchResults): string {
  const t = r.throughput;
  const ip = r.inProcess;
  const out: string[] = [NOTE, ''];
  out.push(`Latest run: ${r.machine}; ${r.date.slice(0, 10)}${r.quick ? ' (--quick)' : ''}; the whole run took ${grouped(r.totalSeconds)} s.`);
  out.push('');

  out.push(`**\`wxmsg lint --format json\` on ${grouped(t.files)} templates** (${kb(t.bytes)}, ${grouped(t.withErrors)} with problems, ${t.pages} \`app.json\` pages), whole process, start to exit, medians of ${t.rounds} interleaved runs:`);
  out.push('');
  out.push(table(['', 'ms', 'files/s', 'wxmsg ÷ this', 'target'], ['---', '---:', '---:', '---:', '---:'], [
    ['wxmsg lint (every check)', grouped(t.ms.wxmsg), perSec(t.files, t.ms.wxmsg), '', ''],
    ['wxmsg lint, fast parser off (jsonc-parser parses every file; same output)', grouped(t.ms.wxmsgFastParserOff), perSec(t.files, t.ms.wxmsgFastParserOff), ratio(t.ms.wxmsg, t.ms.wxmsgFastParserOff), ''],
    ['ajv, the schema only (`bench/baselines/ajv-validate.mjs`)', grouped(t.ms.ajv), perSec(t.files, t.ms.ajv), ratio(t.ms.wxmsg, t.ms.ajv), `≤ ${TARGETS.overAjv.toFixed(1)}× (${verdict(t.ms.wxmsg / t.ms.ajv, TARGETS.overAjv)})`],
    ['bare: read + `JSON.parse` every file (`bench/baselines/read-parse.mjs`)', grouped(t.ms.bare), perSec(t.files, t.ms.bare), ratio(t.ms.wxmsg, t.ms.bare), `≤ ${TARGETS.overBare.toFixed(1)}× (${verdict(t.ms.wxmsg / t.ms.bare, TARGETS.overBare)})`],
  ]));
  out.push('');

  out.push(`**In-process** (\`bench/inprocess.ts\`): all checks, each with its own parse, against jsonc-parser's bare \`parseTree\` of the same ${grouped(ip.files)} files, with the fast parser on and off:`);
  out.push('');
  const ipRow = (name: string, p: BenchResults['inProcess']['cold']) => [
    name, ms0(p.parseMs), ms0(p.validateMs), ratio(p.validateMs, p.parseMs), ms0(p.validateFastParserOffMs), ratio(p.validateFastParserOffMs, p.parseMs),
    `≤ ${TARGETS.overParseTree.toFixed(1)}× (${verdict(p.validateMs / p.parseMs, TARGETS.overParseTree)})`,
  ];
  out.push(table(['pass', '`parseTree`', 'all checks', '÷ `parseTree`', 'fast parser off', '÷ `parseTree`', 'target'], ['---', '---:', '---:', '---:', '---:', '---:', '---:'], [
    ipRow(`first pass in a fresh process (median of ${ip.rounds})`, ip.cold),
    ipRow('warm (median of later passes)', ip.warm),
  ]));
  out.push('');

  out.push(`**Editing** (\`bench/lsp.ts\`: the built server over stdio (one row over node IPC), \`didChange\` → diagnostics of that version, one edit after another; the server runs with the Node flags the extension gives it, \`${r.lsp.serverNodeArgs?.join(' ') || 'none'}\`):`);
  out.push('');
  const base = r.lspNodeDefaults?.cases.find((c) => c.name === '10 KB text');
  const smallTarget = r.lsp.targets.find((x) => x.name === '10 KB text')?.p99Ms ?? 5;
  const spreadCells = (l: Spread) => [msLat(l.p50), msLat(l.p90), msLat(l.p99), msLat(l.max)];
  out.push(table(['document', 'edits', 'p50', 'p90', 'p99', 'max', 'target p99', 'in-process `parseTree` / all checks'], ['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:'], [
    ...r.lsp.cases.map((c) => {
      const target = r.lsp.targets.find((x) => x.name === c.name)?.p99Ms;
      return [`${c.name} message (${kb(c.bytes)})`, grouped(c.edits), ...spreadCells(c.latency), target === undefined ? '' : `< ${target} ms (${verdict(c.latency.p99, target, true)})`, `${msLat(c.parseMs)} / ${msLat(c.validateMs)}`];
    }),
    ...(r.lspIpc ? r.lspIpc.cases.filter((c) => c.name === '10 KB text').map((c) => [`${c.name} message over node IPC, as VS Code runs the server`, grouped(c.edits), ...spreadCells(c.latency), `< ${smallTarget} ms (${verdict(c.latency.p99, smallTarget, true)})`, '']) : []),
    ...(base ? [[`baseline: 10 KB text message, the server on Node's default flags, same run`, grouped(base.edits), ...spreadCells(base.latency), '', '']] : []),
    ['baseline: a JSON-RPC round trip on the same connection', grouped(r.lsp.rtt.n), ...spreadCells(r.lsp.rtt), '', ''],
  ]));
  out.push('');
  if (r.pull) {
    out.push(`**The e2e's keystroke without the workbench** (\`bench/pull.ts\`: the template and the JSON file of \`test/e2e/editor.test.ts\`, the same character typed, \`didChange\` → the \`textDocument/diagnostic\` answer over node IPC as in VS Code, the two servers taking turns, ${grouped(r.pull.rounds)} rounds):`);
    out.push('');
    out.push(table(['server', 'edits', 'p50', 'p90', 'p99', 'max'], ['---', '---:', '---:', '---:', '---:', '---:'], [
      ['wxmsg, `"text"` → `"textx"`', grouped(r.pull.wxmsg.n), ...spreadCells(r.pull.wxmsg)],
      ['baseline: VS Code\'s JSON server (code-server 4.139), `"paid"` → `"paidx"`, same run', grouped(r.pull.json.n), ...spreadCells(r.pull.json)],
    ]));
    out.push('');
  } else if (r.pullSkipped) {
    out.push(`The comparison with VS Code's JSON server (\`bench/pull.ts\`) did not run: ${r.pullSkipped}.`);
    out.push('');
  }

  const st = r.startup;
  out.push(`**Start-up** (\`bench/startup.ts\`, medians of ${st.runs}; baseline \`node -e 0\` = ${ms0(st.nodeMs)}):`);
  out.push('');
  out.push(table(['bundle', 'server → first diagnostics', '× `node -e 0`', '`wxmsg lint <one file>`', '× `node -e 0`'], ['---', '---:', '---:', '---:', '---:'], [
    ...st.bundles.map((b) => [b.bundle === 'dist/server.js' ? '`dist/` (`npm run build`)' : b.bundle, ms0(b.serverMs), `${(b.serverMs / st.nodeMs).toFixed(1)}×`, ms0(b.cliMs), `${(b.cliMs / st.nodeMs).toFixed(1)}×`]),
    ['target', `< ${st.targets.serverMs} ms`, '', `< ${st.targets.cliMs} ms`, ''],
  ]));
  out.push('');

  const sz = r.size;
  const b = (name: string) => sz.bundles.find((x) => x.name === name);
  const server = b('server.js');
  const lsp = b('lsp.js');
  out.push(`**Size** (\`bench/size.ts\`, production build; target < ${grouped(sz.limitBytes / 1000)} KB per bundle):`);
  out.push('');
  const sizeRows = sz.bundles.map((x) => [`\`${x.name}\``, kb(x.bytes), kb(x.gzipBytes), `${((x.bytes / sz.limitBytes) * 100).toFixed(0)}%`]);
  if (server && lsp) sizeRows.push(['language server (`server.js` + `lsp.js`)', kb(server.bytes + lsp.bytes), kb(server.gzipBytes + lsp.gzipBytes), '']);
  if (sz.vsix) sizeRows.push([`\`wxmsg.vsix\` (${sz.vsix.files} files as \`vsce ls\` lists them, ${kb(sz.vsix.unpackedBytes)} unpacked)`, kb(sz.vsix.bytes), '', '']);
  else sizeRows.push(['`wxmsg.vsix`', `not measured${sz.vsixError ? ' (packaging failed)' : ''}`, '', '']);
  out.push(table(['file', 'bytes', 'gzip', 'of target'], ['---', '---:', '---:', '---:'], sizeRows));
  out.push('');
  if (b('clientSend.js')) {
    out.push('`client.js` is what VS Code loads when the extension activates; `clientSend.js` loads on the first send or upload, `clientPreview.js` on the first preview.');
    out.push('');
  }

  out.push(`**Scaling** (whole process, medians of ${r.scaleRounds}; one thread, and two with \`--concurrency 2\`):`);
  out.push('');
  out.push(table(['files', 'bare', '1 thread', '÷ bare', '2 threads', 'speed-up'], ['---:', '---:', '---:', '---:', '---:', '---:'],
    r.scaling.map((s) => [grouped(s.files), ms0(s.bareMs), ms0(s.oneThreadMs), ratio(s.oneThreadMs, s.bareMs), ms0(s.twoThreadsMs), ratio(s.oneThreadMs, s.twoThreadsMs)])));
  const [first, last] = [r.scaling[0], r.scaling[r.scaling.length - 1]];
  if (first && last && first !== last) {
    const us = (s: typeof first) => (((s.oneThreadMs - st.nodeMs) / s.files) * 1000).toFixed(0);
    out.push('');
    out.push(`Cost per file after process start (one thread, less \`node -e 0\`): ${us(first)} µs at ${grouped(first.files)} files, ${us(last)} µs at ${grouped(last.files)}.`);
  }
  return out.join('\n');
}

/** The README with the block between the markers replaced by `block`; throws unless each marker occurs once, in order. */
export function replaceBlock(readme: string, block: string): string {
  const s = readme.indexOf(START);
  const e = readme.indexOf(END);
  if (s === -1 || e === -1 || e < s || readme.indexOf(START, s + 1) !== -1 || readme.indexOf(END, e + 1) !== -1) {
    throw new Error(`README.md needs exactly one ${START} … ${END} block`);
  }
  return `${readme.slice(0, s + START.length)}\n${block}\n${readme.slice(e)}`;
}

export function readResults(file = LATEST_JSON): BenchResults {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResults;
}

/** Renders the README from the results; true when it changed. */
export function updateReadme(readmePath = README, resultsPath = LATEST_JSON): boolean {
  const before = fs.readFileSync(readmePath, 'utf8');
  const after = replaceBlock(before, renderPerformance(readResults(resultsPath)));
  if (after === before) return false;
  fs.writeFileSync(readmePath, after);
  return true;
}

if (isMain(__filename)) {
  if (process.argv.includes('--check')) {
    const readme = fs.readFileSync(README, 'utf8');
    if (replaceBlock(readme, renderPerformance(readResults())) !== readme) {
      console.error('README.md: the performance tables differ from bench/results/latest.json; run `npm run bench:readme`');
      process.exitCode = 1;
    }
  } else {
    console.log(updateReadme() ? 'README.md: performance tables rendered from bench/results/latest.json' : 'README.md: performance tables already match bench/results/latest.json');
  }
}
