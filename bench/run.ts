// npm run bench — every figure next to a baseline measured in the same run, on the same inputs,
// because these machines are noisy: compare the ratios, not the milliseconds. Medians throughout.
// Nothing here is asserted by tests.
//
//   1. CLI throughput: `wxmsg lint --format json` on a seeded corpus of 10,000 templates (four
//      msgtypes, ~10% with a mistake, a project with 200 app.json pages) against
//        - ajv: the same files validated against schemas/wxmsg.schema.json (bench/baselines/ajv-validate.mjs)
//        - bare: a Node process that only reads and JSON.parses every file (bench/baselines/read-parse.mjs)
//      and against itself built with the fast parser off (bench/fastParserOff.mjs: every file
//      parsed by jsonc-parser, as before the hand-written parser); in-process, all checks
//      against jsonc-parser's bare parseTree, fast parser on and off (bench/inprocess.ts).
//   2. Edit latency in the language server (bench/lsp.ts), and the e2e's keystroke beside VS
//      Code's own JSON server (bench/pull.ts; skipped without code-server).
//   3. Start-up of the server and of the CLI (bench/startup.ts).
//   4. Bundle and .vsix sizes (bench/size.ts).
//   5. Scaling: 1k, 10k, 50k files, one thread and two (worker threads).
//
//   node esbuild.mjs && node --import tsx bench/run.ts [--quick] [--json=<file>]
// A full run writes bench/results/latest.json and renders the README's performance tables from
// it (bench/readme.ts); --quick writes bench/results/quick.json and leaves the README alone.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { writeCorpus, PAGE_COUNT } from './corpus.ts';
import { fastParserOff } from './fastParserOff.mjs';
import type { InProcessMode, InProcessResult } from './inprocess.ts';
import { lspTable, type LspBenchResult } from './lsp.ts';
import { JSON_SERVER, pullTable, type PullBenchResult } from './pull.ts';
import { updateReadme } from './readme.ts';
import { TARGETS, type BenchResults, type InProcessSummary, type ScaleRow, type ThroughputResult } from './results.ts';
import { LATEST_JSON, ROOT, SERVER, median, printTable } from './shared.ts';
import { benchSize, sizeTable, type SizeBenchResult } from './size.ts';
import { benchStartup, startupTable, type StartupBenchResult } from './startup.ts';

const quick = process.argv.includes('--quick');
const jsonArg = process.argv.find((a) => a.startsWith('--json='))?.slice('--json='.length);
const JSON_OUT = path.resolve(jsonArg ?? (quick ? path.join(ROOT, 'bench', 'results', 'quick.json') : LATEST_JSON));
const ROUNDS = quick ? 3 : 5;
const SCALE_ROUNDS = 3;
const MAIN_FILES = 10_000;
const SCALES = quick ? [1_000, 10_000] : [1_000, 10_000, 50_000];
const BASELINES = path.join(ROOT, 'bench', 'baselines');

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Wall time of one process, spawn to exit, output discarded (it is still produced and written). */
function timeProcess(args: string[], cwd: string, okCodes = [0, 1]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
  const t = performance.now() - t0;
  if (r.error || !okCodes.includes(r.status ?? -1)) throw new Error(`${args.join(' ')} failed: ${r.error?.message ?? `exit ${r.status}`}`);
  return t;
}

/** Interleaved rounds (so a noisy moment hits every contender alike); median per contender. */
function race(contenders: Record<string, () => number>, rounds: number): Record<string, number> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (const fn of Object.values(contenders)) fn(); // warm the page cache and the disk
  for (let r = 0; r < rounds; r++) for (const [k, fn] of Object.entries(contenders)) times[k].push(fn());
  return Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, median(xs)]));
}

const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const perSec = (files: number, ms: number) => `${Math.round(files / (ms / 1000)).toLocaleString('en-US')}`;
const msStr = (v: number) => v.toFixed(0);

async function main(): Promise<void> {
  if (!fs.existsSync(SERVER)) throw new Error('dist/server.js is missing: run `node esbuild.mjs` (npm run bench does)');
  const started = performance.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-bench-'));
  const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.platform()} ${os.release()}, Node ${process.version}`;
  log(`wxmsg bench — ${machine}`);
  try {
    // `wxmsg lint` with the fast parser off: the same build as dist/ (esbuild.mjs), server.js only.
    const offDir = path.join(tmp, 'fast-parser-off');
    const built = spawnSync(process.execPath, ['esbuild.mjs', `--outdir=${offDir}`, '--no-fast-parser'], { cwd: ROOT, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`fast-parser-off build failed: ${built.stderr || built.stdout}`);
    const serverOff = path.join(offDir, 'server.js');

    // 1. CLI throughput on 10,000 templates.
    log(`corpus: ${MAIN_FILES} templates…`);
    const dirs = new Map<number, string>();
    const corpus = (n: number) => {
      if (!dirs.has(n)) dirs.set(n, writeCorpus(path.join(tmp, `c${n}`), n).dir);
      return dirs.get(n)!;
    };
    const mainDir = corpus(MAIN_FILES);
    const info = corpusInfo(mainDir, serverOff);
    log('throughput: wxmsg lint (fast parser on, off) vs ajv vs bare read+parse…');
    const t = race({
      wxmsg: () => timeProcess([SERVER, 'lint', '--format', 'json', '.'], mainDir),
      wxmsgFastParserOff: () => timeProcess([serverOff, 'lint', '--format', 'json', '.'], mainDir),
      ajv: () => timeProcess([path.join(BASELINES, 'ajv-validate.mjs'), '.'], mainDir),
      bare: () => timeProcess([path.join(BASELINES, 'read-parse.mjs'), '.'], mainDir),
    }, ROUNDS) as ThroughputResult['ms'];
    const throughput: ThroughputResult = { files: MAIN_FILES, withErrors: info.withErrors, bytes: info.bytes, pages: PAGE_COUNT, rounds: ROUNDS, ms: t };

    log('in-process: all checks (fast parser on, off) vs jsonc-parser parseTree (fresh processes for the cold pass)…');
    const inProcess = await runInProcess(tmp, mainDir);

    // 5. Scaling, one thread and two.
    const scaling: ScaleRow[] = [];
    for (const n of SCALES) {
      log(`scaling: ${n} files…`);
      const d = corpus(n);
      const r = race({
        bare: () => timeProcess([path.join(BASELINES, 'read-parse.mjs'), '.'], d),
        one: () => timeProcess([SERVER, 'lint', '--format', 'json', '--concurrency', 'off', '.'], d),
        two: () => timeProcess([SERVER, 'lint', '--format', 'json', '--concurrency', '2', '.'], d),
      }, SCALE_ROUNDS);
      scaling.push({ files: n, bareMs: r.bare, oneThreadMs: r.one, twoThreadsMs: r.two });
    }
    for (const d of dirs.values()) fs.rmSync(d, { recursive: true, force: true });

    // 2–4. The language server, start-up, sizes.
    // Each in a fresh process: the client that times the edits must not carry this process's
    // heap from the phases above (its collections ran on the second core, beside the server,
    // and showed in the server's tail). `script` writes its result to --result=FILE.
    const runFresh = <T>(script: string, args: string[]): T => {
      const out = path.join(tmp, `${script}-${Date.now()}.json`);
      const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', script), `--result=${out}`, ...args], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
      if (child.status !== 0) throw new Error(`bench/${script} ${args.join(' ')} exited with ${child.status ?? child.signal}`);
      return JSON.parse(fs.readFileSync(out, 'utf8')) as T;
    };
    const lspRun = (what: string, opts: { serverNodeFlags?: string; transport?: 'ipc'; smallEdits?: number; largeEdits?: number }): LspBenchResult => {
      log(`lsp: edit latency, ${what}…`);
      const args: string[] = [];
      if (opts.serverNodeFlags !== undefined) args.push(`--server-node-flags=${opts.serverNodeFlags}`);
      if (opts.transport) args.push(`--transport=${opts.transport}`);
      if (opts.smallEdits !== undefined) args.push(`--edits-small=${opts.smallEdits}`);
      if (opts.largeEdits !== undefined) args.push(`--edits-large=${opts.largeEdits}`);
      const r = runFresh<LspBenchResult>('lsp.ts', args);
      // Paths in the results are relative to the repository.
      r.server = path.relative(ROOT, r.server);
      return r;
    };
    // The run with the 1 MB document goes last: its seconds of full-core work, and the memory its
    // server gives back on exit, must not fall on another run's 10 KB edits.
    const lspNodeDefaults = lspRun('the server on Node\'s default flags (the baseline)', { serverNodeFlags: '', smallEdits: quick ? 300 : 1000, largeEdits: 0 });
    const lspIpc = lspRun('over node IPC, as VS Code runs the server', { transport: 'ipc', smallEdits: quick ? 300 : 1000, largeEdits: 0 });
    // The e2e's keystroke without the workbench, beside VS Code's JSON server: needs code-server.
    let pull: PullBenchResult | undefined;
    let pullSkipped: string | undefined;
    if (fs.existsSync(JSON_SERVER)) {
      log('pull: wxmsg\'s server beside VS Code\'s JSON server, node IPC…');
      pull = runFresh<PullBenchResult>('pull.ts', quick ? ['--rounds=60'] : []);
    } else {
      pullSkipped = 'VS Code\'s JSON server not found: `npm run test:e2e` installs code-server';
      log(`pull: skipped (${pullSkipped})`);
    }
    const lsp = lspRun('the server as the extension starts it', quick ? { smallEdits: 300, largeEdits: 20 } : {});
    log('start-up…');
    const startup: StartupBenchResult = await benchStartup({ log, runs: quick ? 5 : 10 });
    log('sizes…');
    const size: SizeBenchResult = await benchSize({});

    const totalSeconds = Math.round((performance.now() - started) / 100) / 10;
    const results: BenchResults = { date: new Date().toISOString(), machine, quick, throughput, inProcess, scaling, scaleRounds: SCALE_ROUNDS, lsp, lspNodeDefaults, lspIpc, pull, pullSkipped, startup, size, totalSeconds };
    print(results);
    fs.mkdirSync(path.dirname(JSON_OUT), { recursive: true });
    fs.writeFileSync(JSON_OUT, JSON.stringify(results, null, 2) + '\n');
    console.log(`\nJSON: ${path.relative(process.cwd(), JSON_OUT) || JSON_OUT}  (whole run ${totalSeconds.toFixed(0)} s)`);
    if (JSON_OUT === LATEST_JSON) {
      const changed = updateReadme();
      console.log(`README.md: performance tables ${changed ? 'rendered from' : 'already match'} bench/results/latest.json`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Size of the corpus and how many templates wxmsg finds problems in (its own count, not the
 * generator's). The fast-parser-off build must print exactly the same: the row compares the
 * same work, parsed two ways.
 */
function corpusInfo(dir: string, serverOff: string): { withErrors: number; bytes: number } {
  let bytes = 0;
  for (const g of fs.readdirSync(path.join(dir, 'templates'))) for (const f of fs.readdirSync(path.join(dir, 'templates', g))) bytes += fs.statSync(path.join(dir, 'templates', g, f)).size;
  const lint = (server: string) => spawnSync(process.execPath, [server, 'lint', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20 }).stdout;
  const out = lint(SERVER);
  if (lint(serverOff) !== out) throw new Error('wxmsg lint with the fast parser off prints something else than with it on');
  const results = JSON.parse(out) as { diagnostics: unknown[] }[];
  return { withErrors: results.filter((x) => x.diagnostics.length > 0).length, bytes };
}

async function runInProcess(tmp: string, dir: string): Promise<InProcessSummary> {
  const bundle = async (outfile: string, off: boolean) => {
    await build({ entryPoints: [path.join(ROOT, 'bench', 'inprocess.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'], outfile, logLevel: 'warning', plugins: off ? [fastParserOff()] : [] });
    return outfile;
  };
  const on = await bundle(path.join(tmp, 'inprocess.js'), false);
  const off = await bundle(path.join(tmp, 'inprocess-fast-parser-off.js'), true);
  const run = (script: string, mode: InProcessMode): InProcessResult => {
    const r = spawnSync(process.execPath, [script, dir, mode], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`in-process bench (${mode}) failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as InProcessResult;
  };
  // Cold: one fresh process per figure and round, the three contenders taking turns.
  const cold = { parse: [] as number[], on: [] as number[], off: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    cold.parse.push(run(on, 'cold-parse').parseMs!);
    cold.on.push(run(on, 'cold-validate').validateMs!);
    cold.off.push(run(off, 'cold-validate').validateMs!);
  }
  const warm = run(on, 'warm');
  const warmOff = run(off, 'warm');
  return {
    files: warm.files,
    rounds: ROUNDS,
    cold: { parseMs: median(cold.parse), validateMs: median(cold.on), validateFastParserOffMs: median(cold.off) },
    warm: { parseMs: median([warm.parseMs!, warmOff.parseMs!]), validateMs: warm.validateMs!, validateFastParserOffMs: warmOff.validateMs! },
  };
}

function print(r: BenchResults): void {
  const { throughput: t, inProcess: ip } = r;
  console.log(`\nwxmsg bench — ${r.machine}`);
  console.log(`medians of ${t.rounds} interleaved runs; ratios are against the baseline in the same run\n`);

  console.log(`1. CLI throughput: ${t.files.toLocaleString('en-US')} templates (${(t.bytes / 1024).toFixed(0)} KB, ${t.withErrors} with problems, ${t.pages} app.json pages), whole process`);
  printTable([
    ['', 'ms', 'files/s', 'wxmsg ÷ this', 'target'],
    ['wxmsg lint --format json (every check)', msStr(t.ms.wxmsg), perSec(t.files, t.ms.wxmsg), '1.00×', ''],
    ['the same, fast parser off (jsonc-parser only)', msStr(t.ms.wxmsgFastParserOff), perSec(t.files, t.ms.wxmsgFastParserOff), x(t.ms.wxmsg, t.ms.wxmsgFastParserOff), ''],
    ['baseline: ajv, schema only', msStr(t.ms.ajv), perSec(t.files, t.ms.ajv), x(t.ms.wxmsg, t.ms.ajv), `≤ ${TARGETS.overAjv.toFixed(1)}×`],
    ['baseline: bare read + JSON.parse', msStr(t.ms.bare), perSec(t.files, t.ms.bare), x(t.ms.wxmsg, t.ms.bare), `≤ ${TARGETS.overBare.toFixed(1)}×`],
  ]);
  console.log(`\n   in-process, the same ${ip.files.toLocaleString('en-US')} files (all checks include their own parse)`);
  printTable([
    ['', 'parseTree ms', 'wxmsg validate ms', 'ratio', 'fast parser off ms', 'ratio', 'target'],
    ...(['cold', 'warm'] as const).map((k) => [
      k === 'cold' ? 'cold (first pass in a fresh process)' : 'warm (median of later passes)',
      msStr(ip[k].parseMs), msStr(ip[k].validateMs), x(ip[k].validateMs, ip[k].parseMs),
      msStr(ip[k].validateFastParserOffMs), x(ip[k].validateFastParserOffMs, ip[k].parseMs), `≤ ${TARGETS.overParseTree.toFixed(1)}×`,
    ]),
  ]);

  console.log('\n2. Edit latency in the language server (stdio, push diagnostics)');
  printTable(lspTable(r.lsp));
  if (r.pull) {
    console.log('');
    printTable(pullTable(r.pull));
  }
  console.log('\n3. Start-up');
  printTable(startupTable(r.startup));
  console.log('\n4. Size');
  printTable(sizeTable(r.size));

  console.log(`\n5. Scaling (whole process; one thread vs --concurrency 2; medians of ${r.scaleRounds})`);
  const rows = [['files', 'bare ms', '1 thread ms', 'files/s', '÷ bare', '2 threads ms', 'files/s', '÷ bare', 'speed-up']];
  for (const s of r.scaling) {
    rows.push([s.files.toLocaleString('en-US'), msStr(s.bareMs), msStr(s.oneThreadMs), perSec(s.files, s.oneThreadMs), x(s.oneThreadMs, s.bareMs),
      msStr(s.twoThreadsMs), perSec(s.files, s.twoThreadsMs), x(s.twoThreadsMs, s.bareMs), x(s.oneThreadMs, s.twoThreadsMs)]);
  }
  printTable(rows);
  const [first, last] = [r.scaling[0], r.scaling[r.scaling.length - 1]];
  if (first && last && last !== first) {
    const perFileFirst = (first.oneThreadMs - r.startup.nodeMs) / first.files;
    const perFileLast = (last.oneThreadMs - r.startup.nodeMs) / last.files;
    console.log(`   cost per file after process start: ${(perFileFirst * 1000).toFixed(1)} µs at ${first.files.toLocaleString('en-US')}, ${(perFileLast * 1000).toFixed(1)} µs at ${last.files.toLocaleString('en-US')}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
