// node/files.ts: the one folder walker and picomatch globs (issue 14: `{a,b}` and the other forms
// users type just work), with the near misses of each form.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { expandOperands, ignoreMatcher, PatternError, walkTree } from '../server/src/node/files.ts';
import { runCli } from '../server/src/cli/main.ts';

async function cli(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli({ argv, cwd, env: {}, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

function tree(files: string[]): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-files-'));
  for (const f of files) {
    fs.mkdirSync(path.join(d, path.dirname(f)), { recursive: true });
    fs.writeFileSync(path.join(d, f), '{}');
  }
  return d;
}

const T = (n: string) => `${n}.wxmsg.json`;

test('globs: braces, ranges, classes, negated classes and extglobs', () => {
  const d = tree([T('a/x'), T('b/x'), T('c/x'), T('a/y'), T('msg1'), T('msg2'), T('msg3'), T('msg10'), T('bx'), T('ax')]);
  const files = (op: string) => expandOperands([op], d).files.map((f) => f.split(path.sep).join('/'));
  assert.deepEqual(files(`{a,b}/${T('x')}`), [T('a/x'), T('b/x')]);
  assert.deepEqual(files(`{a,b}/*.wxmsg.json`), [T('a/x'), T('a/y'), T('b/x')]);
  assert.deepEqual(files(`msg{1..3}.wxmsg.json`), [T('msg1'), T('msg2'), T('msg3')]); // not msg10
  assert.deepEqual(files(`msg[12].wxmsg.json`), [T('msg1'), T('msg2')]);
  assert.deepEqual(files(`[!a]x.wxmsg.json`), [T('bx')]);
  assert.deepEqual(files(`@(a|c)/x.wxmsg.json`), [T('a/x'), T('c/x')]);
  assert.deepEqual(files(`!(a)/x.wxmsg.json`), [T('b/x'), T('c/x')]);
  assert.deepEqual(files(`**/x.wxmsg.json`), [T('a/x'), T('b/x'), T('c/x')]);
  assert.deepEqual(files(`*/x.wxmsg.json`), [T('a/x'), T('b/x'), T('c/x')]);
  // `*` stays within a segment: nothing one level down.
  assert.deepEqual(files(`*.wxmsg.json`), [T('ax'), T('bx'), T('msg1'), T('msg10'), T('msg2'), T('msg3')]);
  assert.deepEqual(expandOperands([`{d,e}/${T('x')}`], d).unmatched, [`{d,e}/${T('x')}`]);
});

test('a path that exists is that path, even with glob characters in its name', () => {
  const d = tree([T('[draft]'), T('d')]);
  assert.deepEqual(expandOperands([T('[draft]')], d).files, [T('[draft]')]);
});

test('an invalid glob is a PatternError (the CLI makes it a usage error), not a crash', async () => {
  const d = tree([T('a')]);
  assert.throws(() => expandOperands(['[z-a].wxmsg.json'], d), PatternError);
  assert.throws(() => ignoreMatcher(['./'], d), PatternError);
  const r = await cli(['lint', '--appid', 'wx1234567890abcdef', '[z-a].wxmsg.json'], d);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /invalid glob "\[z-a\]\.wxmsg\.json"/);
});

test('--ignore: a name anywhere, or a path from the working folder; braces work there too', () => {
  const d = tree([T('keep/a'), T('fixtures/b'), T('deep/fixtures/c'), T('test/d'), T('x.draft')]);
  const files = (ignore: string[]) => expandOperands([], d, { ignore }).files.map((f) => f.split(path.sep).join('/'));
  assert.deepEqual(files(['fixtures']), [T('keep/a'), T('test/d'), T('x.draft')]);
  assert.deepEqual(files(['test/**']), [T('deep/fixtures/c'), T('fixtures/b'), T('keep/a'), T('x.draft')]);
  assert.deepEqual(files(['{fixtures,test}']), [T('keep/a'), T('x.draft')]);
  assert.deepEqual(files(['*.draft.wxmsg.json']), [T('deep/fixtures/c'), T('fixtures/b'), T('keep/a'), T('test/d')]);
  // Near miss: a path glob does not match the same name deeper down.
  assert.deepEqual(files(['fixtures/**']), [T('deep/fixtures/c'), T('keep/a'), T('test/d'), T('x.draft')]);
});

test('walkTree: breadth first, sorted, skips node_modules and .git, honours maxDepth and reports unreadable folders', () => {
  const d = tree(['b/2.txt', 'a/1.txt', 'a/deep/3.txt', 'z.txt', 'node_modules/m.txt', '.git/g.txt', '.hidden/h.txt']);
  const rels = (o = {}) => [...walkTree(d, o)].map((e) => path.relative(d, e.rel).split(path.sep).join('/'));
  assert.deepEqual(rels(), ['z.txt', '.hidden/h.txt', 'a/1.txt', 'b/2.txt', 'a/deep/3.txt']);
  assert.deepEqual(rels({ maxDepth: 2 }), ['z.txt', '.hidden/h.txt', 'a/1.txt', 'b/2.txt']);
  assert.deepEqual(rels({ maxDepth: 1 }), ['z.txt']);
  const errors: string[] = [];
  const readdir = (p: string) => { if (p.endsWith(`${path.sep}a`) || p.endsWith('/a')) throw Object.assign(new Error('no'), { code: 'EACCES' }); return fs.readdirSync(p, { withFileTypes: true }); };
  assert.deepEqual([...walkTree(d, { readdir, onError: (rel, reason) => errors.push(`${path.basename(rel)} ${reason}`) })].map((e) => path.basename(e.rel)), ['z.txt', 'h.txt', '2.txt']);
  assert.deepEqual(errors, ['a EACCES']);
});
