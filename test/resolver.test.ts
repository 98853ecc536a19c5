import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProjectResolver, pagesOf, MAX_CONFIG_BYTES } from '../server/src/node/resolver.ts';

function project(files: Record<string, string>): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-res-'));
  for (const [f, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(d, f)), { recursive: true });
    fs.writeFileSync(path.join(d, f), body);
  }
  return d;
}

test('nearest project.config.json, miniprogramRoot, pages and both subpackage spellings', () => {
  const d = project({
    'project.config.json': '{ "appid": "wxAAA", "miniprogramRoot": "src/", // jsonc\n }',
    'src/app.json': JSON.stringify({ pages: ['pages/a/a', '/pages/b/b'], subPackages: [{ root: 'pkg1/', pages: ['p/x'] }], subpackages: [{ root: 'pkg2', pages: ['y'] }] }),
    'messages/deep/t.wxmsg.json': '{}',
  });
  const ctx = new ProjectResolver().contextFor(path.join(d, 'messages/deep/t.wxmsg.json'));
  assert.equal(ctx.appid, 'wxAAA');
  assert.equal(ctx.appidSource, path.join(d, 'project.config.json'));
  assert.deepEqual(ctx.pages, ['pages/a/a', 'pages/b/b', 'pkg1/p/x', 'pkg2/y']);
  assert.equal(ctx.pagesSource, path.join(d, 'src', 'app.json'));
});

test('explicit appid wins; no project gives no context', () => {
  const d = project({ 'project.config.json': '{"appid":"wxAAA"}', 't.wxmsg.json': '{}' });
  const r = new ProjectResolver();
  assert.equal(r.contextFor(path.join(d, 't.wxmsg.json'), { appid: 'wxZZZ' }).appid, 'wxZZZ');
  const lone = project({ 't.wxmsg.json': '{}' });
  assert.deepEqual(r.contextFor(path.join(lone, 't.wxmsg.json'), { boundary: lone }), {});
});

test('cached per project until clear()', () => {
  const d = project({ 'project.config.json': '{"appid":"wxAAA"}', 'app.json': '{"pages":["p/a"]}' });
  const r = new ProjectResolver();
  const t = path.join(d, 't.wxmsg.json');
  assert.deepEqual(r.contextFor(t).pages, ['p/a']);
  fs.writeFileSync(path.join(d, 'app.json'), '{"pages":["p/b"]}');
  assert.deepEqual(r.contextFor(t).pages, ['p/a']);
  r.clear();
  assert.deepEqual(r.contextFor(t).pages, ['p/b']);
});

test('a symlinked project.config.json pointing outside the boundary is ignored', () => {
  const outside = project({ 'project.config.json': '{"appid":"wxEVIL"}' });
  const ws = project({ 't.wxmsg.json': '{}' });
  fs.symlinkSync(path.join(outside, 'project.config.json'), path.join(ws, 'project.config.json'));
  const r = new ProjectResolver();
  assert.equal(r.contextFor(path.join(ws, 't.wxmsg.json'), { boundary: ws }).appid, undefined);
  // Without a boundary (the CLI on a path the user named) it is followed.
  assert.equal(new ProjectResolver().contextFor(path.join(ws, 't.wxmsg.json')).appid, 'wxEVIL');
});

test('a 50 MB app.json (hostile workspace) is not read, and does not stall', () => {
  const d = project({ 'project.config.json': '{"appid":"wxAAA"}' });
  const fd = fs.openSync(path.join(d, 'app.json'), 'w');
  fs.writeSync(fd, '{"pages":["a"],"x":"');
  fs.ftruncateSync(fd, 50 * 1024 * 1024);
  assert.ok(50 * 1024 * 1024 > MAX_CONFIG_BYTES);
  fs.closeSync(fd);
  const r = new ProjectResolver();
  const ctx = r.contextFor(path.join(d, 't.wxmsg.json'));
  assert.equal(ctx.appid, 'wxAAA');
  assert.equal(ctx.pages, undefined);
  assert.deepEqual(r.projectFor(path.join(d, 't.wxmsg.json'))!.problems, [{ file: path.join(d, 'app.json'), reason: 'too-large', detail: String(50 * 1024 * 1024) }]);
});

test('pagesOf tolerates junk', () => {
  assert.equal(pagesOf(null), undefined);
  assert.equal(pagesOf({ pages: 'x' }), undefined);
  assert.deepEqual(pagesOf({ pages: ['a', 1, null], subPackages: [null, { root: 1 }, { root: 'r', pages: 'x' }] }), ['a']);
});
