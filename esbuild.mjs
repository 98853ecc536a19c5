// Builds two bundles: dist/server.js (language server + `wxmsg` CLI, no externals) and
// dist/client.js (the VS Code extension, `vscode` external).
//   node esbuild.mjs [--production] [--watch] [--outdir=DIR] [--metafile]
// --outdir builds somewhere else than dist/ (the benchmarks build the production bundles into a
// temp dir); --metafile also writes DIR/server.meta.json and DIR/client.meta.json (what each
// bundle is made of: esbuild's analyzeMetafile or https://esbuild.github.io/analyze/).
import * as esbuild from 'esbuild';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const metafile = process.argv.includes('--metafile');
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) || 'dist';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  metafile,
  // jsonc-parser's "main" is a UMD build that esbuild cannot follow; prefer its ESM build.
  mainFields: ['module', 'main'],
};

const builds = [
  { ...common, entryPoints: ['server/src/main.ts'], outfile: join(outdir, 'server.js') },
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: join(outdir, 'client.js'), external: ['vscode'] },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  chmodSync(join(outdir, 'server.js'), 0o755);
  if (metafile) {
    results.forEach((r, i) => writeFileSync(builds[i].outfile.replace(/\.js$/, '.meta.json'), JSON.stringify(r.metafile)));
  }
}
