/**
 * Runs the extension tests in VS Code desktop through @vscode/test-electron:
 *   npm run test:vscode                          (downloads VS Code; needs internet)
 *   VSCODE_EXECUTABLE=/path/to/code npm run test:vscode   (a VS Code already on the machine)
 * Built to dist/test/vscode/runTest.js by test/vscode/build.mjs.
 */
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { copyFixtureWorkspace } from './workspace.ts';

function repoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test', 'fixtures', 'workspace'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no wxmsg checkout above ${from}`);
  }
}

async function main(): Promise<void> {
  const root = repoRoot(__dirname);
  const workspace = copyFixtureWorkspace(root);
  try {
    await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      version: process.env.VSCODE_VERSION || undefined,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'dist', 'test', 'vscode', 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`VS Code extension tests failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
