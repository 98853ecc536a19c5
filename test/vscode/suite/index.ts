/**
 * Entry point of the VS Code extension tests (`extensionTestsPath`). Any launcher that loads an
 * extension host can run it — @vscode/test-electron (test/vscode/runTest.ts) or code-server —
 * as it only needs `run()` and the `vscode` API, nothing electron-specific.
 * Mocha is loaded from the repository's node_modules (the bundle keeps it external).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: true, timeout: 60_000 });
  // The built suite: every *.test.js next to this file (dist/test/vscode/suite/).
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures ? reject(new Error(`${failures} VS Code extension test(s) failed`)) : resolve()));
    } catch (e) {
      reject(e);
    }
  });
}
