// Builds the bundles (no externals but `vscode` in the client):
//   dist/server.js  the `wxmsg` CLI (lint) and the entry of the language server;
//   dist/lsp.js     the language server, loaded by server.js for --stdio / --node-ipc / --socket;
//   dist/send.js    the other commands: send, upload, simulate, demo, push, typing/media (the
//                   simulator), allow, preview and history, loaded when one of them runs;
//   dist/undici.js  undici (its public entry), loaded by send.js when a request is first made, so
//                   commands that make none (simulate, preview, history) never parse it;
//   dist/client.js  the VS Code extension, what activation loads;
//   dist/clientSend.js the extension's send code (WeChat API client, token sources, dialogs),
//                   loaded by client.js when a send command first runs;
//   dist/clientPreview.js the extension's preview panel, loaded when a preview first opens;
//   dist/preview.js the script of the extension's preview webview.
// Each command loads only what it needs: `wxmsg lint` never parses the LSP or HTTP code, and
// activating the extension never parses the send code.
//   node esbuild.mjs [--production] [--watch] [--outdir=DIR] [--metafile] [--no-fast-parser]
// --outdir builds somewhere else than dist/ (the benchmarks build the production bundles into a
// temp dir); --metafile also writes DIR/server.meta.json and DIR/client.meta.json (what each
// bundle is made of: esbuild's analyzeMetafile or https://esbuild.github.io/analyze/).
// --no-fast-parser is for the benchmarks only (with --outdir): it builds server.js alone, with
// the hand-written parser for well-formed JSON replaced by the jsonc-parser fallback
// (bench/fastParserOff.mjs), so `npm run bench` can show `wxmsg lint` with it on and off.
import * as esbuild from 'esbuild';
import { chmodSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const metafile = process.argv.includes('--metafile');
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) || 'dist';
const noFastParser = process.argv.includes('--no-fast-parser');
if (noFastParser && (outdir === 'dist' || watch)) throw new Error('--no-fast-parser is for the benchmarks: build into a temp dir with --outdir=DIR');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  // Chinese text as UTF-8 (3 bytes a character) rather than \uXXXX escapes (6): Node reads every
  // bundle as UTF-8. client.js: −331 bytes.
  charset: 'utf8',
  logLevel: 'warning',
  metafile,
  // jsonc-parser's "main" is a UMD build that esbuild cannot follow; prefer its ESM build.
  mainFields: ['module', 'main'],
};

// In server.js (and client.js), the lazy imports of the LSP and of the sending commands become
// require()s of the sibling bundles (source and tests import the .ts modules directly).
const LAZY = new Map([
  ['./lsp/server.ts', './lsp.js'],
  ['./commands/send.ts', './send.js'], ['./commands/upload.ts', './send.js'], ['./commands/simulate.ts', './send.js'], ['./commands/demo.ts', './send.js'], ['./commands/push.ts', './send.js'], ['./commands/typing.ts', './send.js'], ['./commands/allow.ts', './send.js'], ['./commands/preview.ts', './send.js'], ['./commands/history.ts', './send.js'],
]);
// In send.js, undici's lazy import (wechat/undiciTransport.ts) becomes require('./undici.js').
const undiciSibling = {
  name: 'wxmsg-undici-sibling',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, (args) => (args.kind === 'dynamic-import' ? { path: './undici.js', external: true } : undefined));
  },
};
const CLIENT_LAZY = new Map([['client/src/send/lazy.ts', './clientSend.js'], ['client/src/preview/previewManager.ts', './clientPreview.js']]);
const siblings = (lazy, byPath) => ({
  name: 'wxmsg-siblings',
  setup(build) {
    build.onResolve({ filter: /\.ts$/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const key = byPath ? relative(import.meta.dirname, resolve(args.resolveDir, args.path)).split(sep).join('/') : args.path;
      return lazy.has(key) ? { path: lazy.get(key), external: true } : undefined;
    });
  },
});

const serverBuild = { ...common, entryPoints: ['server/src/main.ts'], outfile: join(outdir, 'server.js'), plugins: [siblings(LAZY, false)], supported: { 'dynamic-import': false } };
const builds = noFastParser ? [{ ...serverBuild, plugins: [siblings(LAZY, false), (await import('./bench/fastParserOff.mjs')).fastParserOff()] }] : [
  serverBuild,
  { ...common, entryPoints: ['server/src/lsp/server.ts'], outfile: join(outdir, 'lsp.js') },
  { ...common, entryPoints: ['server/src/cli/sendCommands.ts'], outfile: join(outdir, 'send.js'), plugins: [undiciSibling], supported: { 'dynamic-import': false } },
  { ...common, entryPoints: ['node_modules/undici/index.js'], outfile: join(outdir, 'undici.js') },
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: join(outdir, 'client.js'), external: ['vscode'], plugins: [siblings(CLIENT_LAZY, true)], supported: { 'dynamic-import': false } },
  { ...common, entryPoints: ['client/src/send/lazy.ts'], outfile: join(outdir, 'clientSend.js'), external: ['vscode'] },
  { ...common, entryPoints: ['client/src/preview/previewManager.ts'], outfile: join(outdir, 'clientPreview.js'), external: ['vscode'] },
  // The preview webview's script (a browser page, loaded through asWebviewUri with a nonce).
  { ...common, entryPoints: ['client/src/preview/webview.js'], outfile: join(outdir, 'preview.js'), platform: 'browser', format: 'iife', target: 'es2020' },
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
