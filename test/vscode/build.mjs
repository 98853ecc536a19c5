// Builds the VS Code extension tests: dist/test/vscode/suite/{index,*.test}.js (the
// extensionTestsPath) and dist/test/vscode/runTest.js (the @vscode/test-electron runner).
//   node test/vscode/build.mjs
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';

const suite = readdirSync('test/vscode/suite').filter((f) => f.endsWith('.ts')).map((f) => `test/vscode/suite/${f}`);
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  mainFields: ['module', 'main'],
  // Provided at run time: vscode by the extension host, the rest from node_modules.
  external: ['vscode', 'mocha', '@vscode/test-electron'],
};
await Promise.all([
  esbuild.build({ ...common, entryPoints: suite, outdir: 'dist/test/vscode/suite' }),
  esbuild.build({ ...common, entryPoints: ['test/vscode/runTest.ts'], outfile: 'dist/test/vscode/runTest.js' }),
]);
