// wxmsg lint with worker threads gives exactly what one thread gives, whatever the workers do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeCorpus } from '../bench/corpus.ts';
import { concurrencyOption, LINT_HELP } from '../server/src/cli/commands/lint.ts';
import { lintFiles } from '../server/src/node/templateFiles.ts';
import { lintFilesParallel, threadCount } from '../server/src/node/lintPool.ts';

const ROOT = path.resolve(__dirname, '..');
const BUNDLE = path.join(ROOT, 'dist/server.js');

function corpus(n: number): { dir: string; files: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-par-'));
  const c = writeCorpus(dir, n, 7);
  // Files the readers must cope with, spread over different chunks.
  fs.writeFileSync(path.join(dir, c.files[5]), '\u0000\u0001 not json');
  fs.rmSync(path.join(dir, c.files[70]));
  fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, c.files[70]));
  return { dir, files: c.files };
}

test('threadCount: explicit counts are capped by the work; auto stays on one thread for small runs', () => {
  assert.equal(threadCount(4, 10), 1);
  assert.equal(threadCount(4, 200), 4);
  assert.equal(threadCount(100, 100_000), 8);
  assert.equal(threadCount('auto', 300, 16), 1);
  assert.equal(threadCount('auto', 10_000, 2), 1);
  assert.equal(threadCount('auto', 50_000, 2), 1);
  assert.equal(threadCount('auto', 5_000, 4), 1);
  assert.equal(threadCount('auto', 10_000, 4), 3);
  assert.equal(threadCount('auto', 50_000, 1), 1);
});

test('worker threads are opt-in: without --concurrency, one thread whatever the cores and files', () => {
  assert.equal(concurrencyOption(undefined), 1);
  assert.equal(threadCount(concurrencyOption(undefined), 100_000, 64), 1);
  assert.equal(concurrencyOption('off'), 1);
  assert.equal(concurrencyOption('auto'), 'auto');
  assert.equal(threadCount(concurrencyOption('auto'), 100_000, 64), 8);
  assert.equal(concurrencyOption('3'), 3);
  for (const bad of ['0', '-1', 'lots', '', '1.5', '1000']) assert.throws(() => concurrencyOption(bad), /--concurrency needs a number of threads/, bad);
  assert.match(LINT_HELP, /--concurrency <n>\s+threads to lint with: "off" \(default, one thread\)/);
});

test('`wxmsg lint --concurrency 3` (the built bundle, real workers) prints what --concurrency off prints', () => {
  const { dir } = corpus(700);
  try {
    const run = (c: string) => spawnSync(process.execPath, [BUNDLE, 'lint', '--format', 'json', '--concurrency', c, '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
    const one = run('off');
    const three = run('3');
    assert.equal(one.status, 1, one.stderr);
    assert.equal(three.status, 1, three.stderr);
    assert.equal(three.stdout, one.stdout);
    const results = JSON.parse(one.stdout) as { file: string; diagnostics: { code: string }[] }[];
    assert.equal(results.length, 700);
    assert.ok(results.filter((r) => r.diagnostics.length).length > 30, 'the corpus has templates with errors');
    assert.deepEqual(results.find((r) => r.file.endsWith('t5.wxmsg.json'))!.diagnostics.map((d) => d.code), ['wxmsg/binary-file']);
    assert.deepEqual(results.find((r) => r.file.endsWith('t70.wxmsg.json'))!.diagnostics.map((d) => d.code), ['wxmsg/unreadable-file']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a worker that dies after taking chunks, or never starts, costs nothing but time', async () => {
  // Enough files that the main thread is still busy when the (tiny) worker script has started.
  const { dir, files } = corpus(3000);
  const marker = path.join(dir, 'taken.json');
  process.env.WXMSG_TEST_MARKER = marker;
  try {
    const expected = lintFiles(files, dir, { locale: 'en' });
    // execArgv []: not this test runner's `--import tsx`, which would take longer to load than the work.
    const run = (script: string) => lintFilesParallel(files, dir, { locale: 'en', threads: 2, execArgv: [], workerScript: path.join(ROOT, 'test/fixtures/workers', script) });
    assert.deepEqual(await run('throws.cjs'), expected, 'a worker that cannot start');
    // On a loaded machine the main thread may finish before the worker starts (then it is closed
    // and never takes anything): try until it has taken chunks that the main thread had to redo.
    let taken: number[] | undefined;
    for (let attempt = 0; attempt < 8 && !taken; attempt++) {
      assert.deepEqual(await run('dies-after-claiming.cjs'), expected, 'a worker that dies');
      if (fs.existsSync(marker)) taken = JSON.parse(fs.readFileSync(marker, 'utf8')) as number[];
    }
    assert.ok(taken, 'the dying worker never got to take a chunk');
    assert.ok(taken.every((c) => c < Math.ceil(3000 / 64)), `the dying worker took real chunks (${taken})`);
  } finally {
    delete process.env.WXMSG_TEST_MARKER;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--concurrency rejects what is not a thread count', () => {
  const r = spawnSync(process.execPath, [BUNDLE, 'lint', '--concurrency', 'lots', 'examples'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--concurrency needs a number of threads/);
});
