import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh copy of test/fixtures/workspace in the temp dir, for a launcher to open as the
 * workspace folder: the suite edits app.json (and restores it), a copy keeps the repo clean
 * even when a run is killed half-way.
 */
export function copyFixtureWorkspace(root: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'wxmsg-vscode-'));
  cpSync(join(root, 'test', 'fixtures', 'workspace'), dir, { recursive: true });
  return dir;
}
