// Runs every test/**/*.test.ts with node:test through tsx (Node 20's --test cannot glob .ts).
//   node test/run.mjs [filter]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const SKIP = new Set(['vscode', 'e2e', 'fixtures']);
function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return SKIP.has(e.name) ? [] : find(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}
const filter = process.argv[2];
const files = find('test').filter((f) => !filter || f.includes(filter)).sort();
if (!files.length) {
  console.error('no test files found');
  process.exit(2);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
