// Bundle and package size: the production (minified) bundles built by esbuild.mjs itself, with
// its own options, into a temp dir (dist/ is left alone), and the .vsix that `npm run package`
// makes from them. The .vsix is packaged in a staging folder holding exactly what `vsce ls` lists
// for the working tree (.vscodeignore decides), with the production bundles as its dist/; the
// staged list is checked against the working tree's before packaging, so the size is that of
// what ships. Offline: `vsce ls` and `vsce package` run with --no-dependencies.
// Target: each bundle < 1,000,000 bytes minified.
//   node --import tsx bench/size.ts [--no-vsix]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { ROOT, isMain, printTable } from './shared.ts';

export const BUNDLE_LIMIT = 1_000_000;

export interface BundleSize {
  name: 'client.js' | 'clientSend.js' | 'clientPreview.js' | 'server.js' | 'lsp.js' | 'send.js' | 'undici.js';
  /** Minified bytes. */
  bytes: number;
  gzipBytes: number;
  /** The inputs that take most of the output, from esbuild's metafile. */
  top: { input: string; bytes: number }[];
}

export interface SizeBenchResult {
  bundles: BundleSize[];
  limitBytes: number;
  /** The .vsix `vsce package` makes from the production bundles; undefined when skipped or failed. */
  vsix?: VsixSize;
  vsixError?: string;
}

export interface SizeBenchOptions {
  /** Package the .vsix too (a few seconds; offline). Default true. */
  vsix?: boolean;
  /** Inputs listed per bundle. Default 8. */
  top?: number;
}

interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

/** `node esbuild.mjs --production --outdir=<dir> --metafile`: exactly the build `vscode:prepublish` runs. */
export function buildProduction(outdir: string): void {
  const r = spawnSync(process.execPath, ['esbuild.mjs', '--production', `--outdir=${outdir}`, '--metafile'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`production build failed: ${r.stderr || r.stdout}`);
}

function bundleSize(dir: string, name: BundleSize['name'], top: number): BundleSize {
  const file = join(dir, name);
  const meta = JSON.parse(readFileSync(file.replace(/\.js$/, '.meta.json'), 'utf8')) as Metafile;
  const out = Object.values(meta.outputs)[0];
  const inputs = Object.entries(out.inputs)
    .map(([input, v]) => ({ input, bytes: v.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
  return { name, bytes: statSync(file).size, gzipBytes: gzipSync(readFileSync(file)).length, top: inputs };
}

export interface VsixSize {
  /** The .vsix file. */
  bytes: number;
  /** Files in it, as `vsce ls` lists them, and their bytes before compression. */
  files: number;
  unpackedBytes: number;
  /** How long `vsce package` took. */
  ms: number;
}

const VSCE = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');

/** `vsce ls --no-dependencies` in `cwd`: the files `vsce package` would put in the .vsix. */
export function vsceLs(cwd: string): string[] {
  const r = spawnSync(process.execPath, [VSCE, 'ls', '--no-dependencies'], { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`vsce ls failed: ${(r.stderr || r.stdout || String(r.error)).trim().slice(0, 500)}`);
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean).sort();
}

/**
 * Stage what `vsce ls` lists for the working tree, with the production bundles of `dist` as its
 * dist/, and `vsce package --no-dependencies --allow-missing-repository` it (as `npm run package`).
 * The staged package.json has no vscode:prepublish script (it would rebuild into the stage's
 * dist/, which already holds that build).
 */
function packageVsix(stage: string, dist: string): VsixSize {
  const listed = vsceLs(ROOT);
  for (const f of listed) {
    if (f.startsWith('dist/') || f === 'package.json') continue;
    mkdirSync(dirname(join(stage, f)), { recursive: true });
    cpSync(join(ROOT, f), join(stage, f));
  }
  cpSync(join(ROOT, '.vscodeignore'), join(stage, '.vscodeignore'));
  cpSync(dist, join(stage, 'dist'), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  delete pkg.scripts['vscode:prepublish'];
  writeFileSync(join(stage, 'package.json'), JSON.stringify(pkg, null, 2));

  // The stage must ship what the working tree ships: the same files, the bundles from this build.
  const staged = vsceLs(stage);
  const notDist = (xs: string[]) => xs.filter((f) => !f.startsWith('dist/'));
  const differ = (a: string[], b: string[]) => a.length !== b.length || a.some((f, i) => f !== b[i]);
  const builtDist = listed.some((f) => f.startsWith('dist/')); // dist/ exists in the working tree
  if (differ(notDist(staged), notDist(listed)) || (builtDist && differ(staged, listed))) {
    throw new Error(`the staged package would ship [${staged.join(', ')}], the working tree [${listed.join(', ')}]`);
  }
  const unpackedBytes = staged.reduce((n, f) => n + statSync(join(stage, f)).size, 0);

  const out = join(stage, 'wxmsg.vsix');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [VSCE, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', out], { cwd: stage, encoding: 'utf8', timeout: 120_000 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`vsce package failed: ${(r.stderr || r.stdout || String(r.error)).trim().slice(0, 500)}`);
  return { bytes: statSync(out).size, files: staged.length, unpackedBytes, ms };
}

export async function benchSize(opts: SizeBenchOptions = {}): Promise<SizeBenchResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'wxmsg-size-'));
  try {
    const dist = join(tmp, 'dist');
    buildProduction(dist);
    // client.js is what the extension host loads at activation; clientSend.js and clientPreview.js
    // load on the first send / upload and the first preview.
    const names: BundleSize['name'][] = ['client.js', 'clientSend.js', 'clientPreview.js', 'server.js', 'lsp.js', 'send.js', 'undici.js'];
    const bundles = names.map((n) => bundleSize(dist, n, opts.top ?? 8));
    const result: SizeBenchResult = { bundles, limitBytes: BUNDLE_LIMIT };
    if (opts.vsix !== false) {
      const stage = join(tmp, 'package');
      mkdirSync(stage);
      try {
        result.vsix = packageVsix(stage, dist);
      } catch (e) {
        result.vsixError = e instanceof Error ? e.message : String(e);
      }
    }
    return result;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function sizeTable(r: SizeBenchResult): string[][] {
  const rows = [['size (production build)', 'bytes', 'gzip bytes', 'of 1 MB target']];
  for (const b of r.bundles) rows.push([`dist/${b.name} (minified)`, String(b.bytes), String(b.gzipBytes), `${((b.bytes / r.limitBytes) * 100).toFixed(1)}%`]);
  // What the editor loads for the language server: the entry plus the LSP bundle.
  const ls = r.bundles.filter((b) => b.name === 'server.js' || b.name === 'lsp.js');
  if (ls.length === 2) {
    const bytes = ls[0].bytes + ls[1].bytes;
    rows.push(['language server (server.js + lsp.js)', String(bytes), String(ls[0].gzipBytes + ls[1].gzipBytes), `${((bytes / r.limitBytes) * 100).toFixed(1)}%`]);
  }
  if (r.vsix) rows.push([`wxmsg.vsix (${r.vsix.files} files, ${r.vsix.unpackedBytes} bytes unpacked)`, String(r.vsix.bytes), '', '']);
  else if (r.vsixError) rows.push(['wxmsg.vsix', 'failed', '', '']);
  return rows;
}

if (isMain(__filename)) {
  void benchSize({ vsix: !process.argv.includes('--no-vsix') }).then((r) => {
    printTable(sizeTable(r));
    for (const b of r.bundles) {
      console.log(`\n${b.name}: largest inputs`);
      for (const t of b.top) console.log(`  ${String(t.bytes).padStart(8)}  ${t.input}`);
    }
    if (r.vsix) console.log(`\nvsce package: ${(r.vsix.ms / 1000).toFixed(1)} s`);
    if (r.vsixError) console.log(`\nvsix: ${r.vsixError}`);
  }, (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
