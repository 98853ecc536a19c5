// Runs every test/**/*.test.ts with node:test through tsx (Node 20's --test cannot glob .ts).
//   node test/run.mjs [filter]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
// The forced-refresh records (see server/src/wechat/forceRefresh.ts) of a test run go to a folder
// of its own, never to the user's cache folder.
const cacheDir = mkdtempSync(join(tmpdir(), 'wxmsg-test-cache-'));
// The machine's language must not change what the tests see: the CLI speaks what WXMSG_LOCALE,
// LC_ALL, LC_MESSAGES or LANG ask for, so the suite runs without them (tests that want Chinese set
// them, or --locale, themselves).
const env = { ...process.env, WXMSG_CACHE_DIR: cacheDir, LANG: 'C.UTF-8' };
for (const name of ['WXMSG_LOCALE', 'LC_ALL', 'LC_MESSAGES']) delete env[name];
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit', env });
rmSync(cacheDir, { recursive: true, force: true });
process.exit(r.status ?? 1);
