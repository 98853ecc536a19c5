// How `wxmsg lint` reads template files: bounded reads, no stat, nothing that can hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LIMITS } from '../server/src/core/rules/codes.ts';
import { lintFiles, readTemplate } from '../server/src/node/templateFiles.ts';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-read-'));
}

test('reads UTF-8, drops a BOM, keeps every character (beyond the first buffer too)', () => {
  const d = tmp();
  try {
    const small = '{"msgtype":"text","text":{"content":"中文 😀"}}';
    fs.writeFileSync(path.join(d, 'a.wxmsg.json'), '\ufeff' + small);
    assert.deepEqual(readTemplate(path.join(d, 'a.wxmsg.json')), { text: small });
    // 300 KB crosses the 64 KB read buffer several times; a multi-byte character straddles a boundary.
    const big = `{"msgtype":"text","text":{"content":"${'é中😀x'.repeat(40_000)}"}}`;
    fs.writeFileSync(path.join(d, 'b.wxmsg.json'), big);
    assert.deepEqual(readTemplate(path.join(d, 'b.wxmsg.json')), { text: big });
    // And reading the small one again after the buffer grew still gives exactly it.
    assert.deepEqual(readTemplate(path.join(d, 'a.wxmsg.json')), { text: small });
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});

test('a file over the byte limit is reported too large with its size, not validated', () => {
  const d = tmp();
  try {
    const f = path.join(d, 'huge.wxmsg.json');
    const size = LIMITS.maxFileChars * 4 + 10;
    fs.writeFileSync(f, Buffer.alloc(size, 0x20));
    assert.deepEqual(readTemplate(f), { tooLarge: size });
    const [r] = lintFiles([f], d, { locale: 'en' });
    assert.deepEqual(r.diagnostics.map((x) => x.code), ['wxmsg/file-too-large']);
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});

test('an endless device behind a template name is a bounded read, reported, never a hang', { skip: !fs.existsSync('/dev/zero') }, () => {
  const d = tmp();
  try {
    fs.symlinkSync('/dev/zero', path.join(d, 'zero.wxmsg.json'));
    fs.symlinkSync('/dev/null', path.join(d, 'null.wxmsg.json'));
    fs.writeFileSync(path.join(d, 'empty.wxmsg.json'), '');
    const rs = lintFiles(['zero.wxmsg.json', 'null.wxmsg.json', 'empty.wxmsg.json'], d, { locale: 'en' });
    // An empty device reads like an empty file; only the empty *file* is a template with no JSON in it.
    assert.deepEqual(rs.map((r) => r.diagnostics.map((x) => x.code)), [['wxmsg/file-too-large'], ['wxmsg/unreadable-file'], ['wxmsg/syntax-error']]);
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});

test('a folder or a missing file named like a template is unreadable, with the reason', () => {
  const d = tmp();
  try {
    fs.mkdirSync(path.join(d, 'dir.wxmsg.json'));
    const rs = lintFiles(['dir.wxmsg.json', 'gone.wxmsg.json'], d, { locale: 'en' });
    assert.deepEqual(rs.map((r) => r.diagnostics.map((x) => x.code)), [['wxmsg/unreadable-file'], ['wxmsg/unreadable-file']]);
    assert.match(rs[0].diagnostics[0].message, /EISDIR/);
    assert.match(rs[1].diagnostics[0].message, /ENOENT/);
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});
