// In-process cost of all checks against jsonc-parser's bare parseTree, on the same files.
// run.ts bundles this with esbuild and runs it in a fresh process (tsx would add its own
// per-closure overhead to our code but not to jsonc-parser's), which prints JSON:
//   cold — the first pass over the corpus in a fresh process (what one `wxmsg lint` pays);
//   warm — the median of later passes (what the language server pays once it has run a while).
//   node inprocess.js <corpus dir>
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTree } from 'jsonc-parser';
import { ProjectResolver } from '../server/src/node/resolver.ts';
import { validate } from '../server/src/core/services/validate.ts';

export type InProcessMode = 'cold-parse' | 'cold-validate' | 'warm';
export interface InProcessResult {
  mode: InProcessMode;
  files: number;
  /** cold-*: the one pass; warm: medians of `rounds` passes. */
  parseMs?: number;
  validateMs?: number;
  rounds?: number;
}

function walk(dir: string, out: string[]): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.wxmsg.json')) out.push(p);
  }
  return out;
}

function main(): void {
  const [dir, mode, roundsArg] = process.argv.slice(2) as [string, InProcessMode, string?];
  const rounds = Number(roundsArg ?? 9);
  const files = walk(dir, []);
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const resolver = new ProjectResolver();
  const contexts = files.map((f) => resolver.contextFor(f));
  const parse = () => { for (const t of texts) parseTree(t, [], { allowTrailingComma: true }); };
  const check = () => { for (let i = 0; i < texts.length; i++) validate(texts[i], contexts[i], { locale: 'en' }); };
  const time = (fn: () => void): number => { const t0 = performance.now(); fn(); return performance.now() - t0; };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  let result: InProcessResult;
  // Cold figures each come from a fresh process, so neither side inherits the other's warm code.
  if (mode === 'cold-parse') result = { mode, files: files.length, parseMs: time(parse) };
  else if (mode === 'cold-validate') result = { mode, files: files.length, validateMs: time(check) };
  else {
    parse(); check();
    const p: number[] = [];
    const v: number[] = [];
    for (let r = 0; r < rounds; r++) { p.push(time(parse)); v.push(time(check)); }
    result = { mode, files: files.length, parseMs: median(p), validateMs: median(v), rounds };
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

main();
