// Small helpers shared by the stand-alone benchmark parts (lsp.ts, startup.ts, size.ts):
// order statistics, a temp mini program project, a table printer.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
export const SERVER = join(ROOT, 'dist', 'server.js');
/** What a full `npm run bench` writes (committed); the README's performance tables are rendered from it. */
export const LATEST_JSON = join(ROOT, 'bench', 'results', 'latest.json');
export const BENCH_APPID = 'wx1234567890abcdef';

/** The q-quantile (0…1) of the samples, nearest rank. */
export function quantile(xs: readonly number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

export interface Spread {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  n: number;
}

export function spread(xs: readonly number[]): Spread {
  return { p50: quantile(xs, 0.5), p90: quantile(xs, 0.9), p99: quantile(xs, 0.99), max: Math.max(...xs), n: xs.length };
}

/** Milliseconds with two decimals (enough for sub-millisecond latencies). */
export const ms = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '—');

export function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
}

/** A mini program project: project.config.json (appid, miniprogramRoot) and app.json with `pageCount` pages. */
export function benchProject(pageCount = 200): { dir: string; templates: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wxmsg-bench-'));
  writeFileSync(join(dir, 'project.config.json'), JSON.stringify({ appid: BENCH_APPID, miniprogramRoot: 'miniprogram/' }));
  mkdirSync(join(dir, 'miniprogram'));
  const pages = ['pages/index/index', 'pages/order/detail', ...Array.from({ length: pageCount - 2 }, (_, i) => `pages/p${i}/index`)];
  writeFileSync(join(dir, 'miniprogram', 'app.json'), JSON.stringify({ pages }, null, 2));
  const templates = join(dir, 'templates');
  mkdirSync(templates);
  return { dir, templates, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** True when `file` (a module's __filename) is the script node was started with. */
export function isMain(file: string): boolean {
  return !!process.argv[1] && resolve(process.argv[1]) === file;
}

/** The fuzzer's seeded generator (mulberry32), so every machine makes the same corpus and edits. */
export { prng as rng } from '../test/fuzz/mutate.ts';
