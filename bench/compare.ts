// Before/after: `wxmsg lint` of this checkout's dist/server.js against another build (e.g. a
// `git worktree` of an older commit after its `npm run build`), interleaved in one run so a noisy
// moment hits both alike. Two figures, medians: start-up (`wxmsg lint <one file>`, against
// `node -e 0`) and throughput (`wxmsg lint --format json` on the seeded 10,000-template corpus,
// against the bare read + JSON.parse baseline). Both builds must print the same JSON on the
// corpus; if they do not, that is reported (the comparison is then of different work).
//   node --import tsx bench/compare.ts <other dist/server.js> [--rounds=N] [--files=N]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeCorpus } from './corpus.ts';
import { ROOT, SERVER, isMain, median, printTable } from './shared.ts';

export interface CompareResult {
  other: string;
  rounds: number;
  files: number;
  sameOutput: boolean;
  startupMs: { node: number; other: number; this: number };
  throughputMs: { bare: number; other: number; this: number };
}

function timeProcess(args: string[], cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
  const t = performance.now() - t0;
  if (r.error || (r.status !== 0 && r.status !== 1)) throw new Error(`${args.join(' ')} failed: ${r.error?.message ?? `exit ${r.status}`}`);
  return t;
}

function race(contenders: Record<string, () => number>, rounds: number): Record<string, number> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (const fn of Object.values(contenders)) fn();
  for (let r = 0; r < rounds; r++) for (const [k, fn] of Object.entries(contenders)) times[k].push(fn());
  return Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, median(xs)]));
}

export function compare(other: string, opts: { rounds?: number; files?: number } = {}): CompareResult {
  const rounds = opts.rounds ?? 15;
  const files = opts.files ?? 10_000;
  if (!fs.existsSync(SERVER)) throw new Error('dist/server.js is missing: run `npm run build`');
  if (!fs.existsSync(other)) throw new Error(`${other} is missing: build it first`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-compare-'));
  try {
    const { dir, files: list } = writeCorpus(path.join(tmp, 'corpus'), files);
    const one = path.join(dir, list[0]);
    const json = (server: string) => spawnSync(process.execPath, [server, 'lint', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20 }).stdout;
    const sameOutput = json(SERVER) === json(other);
    const s = race({
      node: () => timeProcess(['-e', '0'], dir),
      other: () => timeProcess([other, 'lint', one], dir),
      this: () => timeProcess([SERVER, 'lint', one], dir),
    }, rounds * 2);
    const bare = path.join(ROOT, 'bench', 'baselines', 'read-parse.mjs');
    const t = race({
      bare: () => timeProcess([bare, '.'], dir),
      other: () => timeProcess([other, 'lint', '--format', 'json', '.'], dir),
      this: () => timeProcess([SERVER, 'lint', '--format', 'json', '.'], dir),
    }, rounds);
    return { other, rounds, files, sameOutput, startupMs: s as CompareResult['startupMs'], throughputMs: t as CompareResult['throughputMs'] };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function compareTable(r: CompareResult): string[][] {
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  return [
    ['medians', 'baseline ms', 'other ms', 'this ms', 'this ÷ other', 'other ÷ baseline', 'this ÷ baseline'],
    ['wxmsg lint <one file> (baseline node -e 0)', r.startupMs.node.toFixed(0), r.startupMs.other.toFixed(0), r.startupMs.this.toFixed(0), x(r.startupMs.this, r.startupMs.other), x(r.startupMs.other, r.startupMs.node), x(r.startupMs.this, r.startupMs.node)],
    [`wxmsg lint --format json, ${r.files.toLocaleString('en-US')} files (baseline bare read + parse)`, r.throughputMs.bare.toFixed(0), r.throughputMs.other.toFixed(0), r.throughputMs.this.toFixed(0), x(r.throughputMs.this, r.throughputMs.other), x(r.throughputMs.other, r.throughputMs.bare), x(r.throughputMs.this, r.throughputMs.bare)],
  ];
}

if (isMain(__filename)) {
  const other = process.argv[2];
  const num = (name: string) => {
    const a = process.argv.find((v) => v.startsWith(`--${name}=`));
    return a ? Number(a.slice(name.length + 3)) : undefined;
  };
  if (!other || other.startsWith('--')) {
    console.error('usage: node --import tsx bench/compare.ts <other dist/server.js> [--rounds=N] [--files=N]');
    process.exitCode = 2;
  } else {
    const r = compare(path.resolve(other), { rounds: num('rounds'), files: num('files') });
    console.log(`this: ${SERVER}\nother: ${r.other}\n${r.rounds} interleaved rounds (start-up ${r.rounds * 2}); same output on the corpus: ${r.sameOutput ? 'yes' : 'NO'}`);
    printTable(compareTable(r));
  }
}
