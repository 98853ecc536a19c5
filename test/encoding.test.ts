// Strict UTF-8: templates and project files that are not UTF-8 are named and refused, never
// read as mojibake; control characters in text.content are flagged where they are written.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeUtf8 } from '../server/src/core/parser/encoding.ts';
import { lintFiles, readTemplate } from '../server/src/node/templateFiles.ts';
import { validate } from '../server/src/core/services/validate.ts';
import type { Diagnostic } from '../server/src/core/types.ts';
import { tmpDir } from './sendHelpers.ts';

const b = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

// 你好，世界 in GBK (GB2312 rows: both bytes 0xA1 and above).
const GBK_HELLO = [0xc4, 0xe3, 0xba, 0xc3, 0xa3, 0xac, 0xca, 0xc0, 0xbd, 0xe7];
const template = (content: string | number[]) => b('{\n  "touser": "OPENID",\n  "msgtype": "text",\n  "text": { "content": "', content, '" }\n}\n');
const utf16 = (s: string, be: boolean, bom: boolean): Uint8Array => {
  const le = Buffer.from((bom ? '\ufeff' : '') + s, 'utf16le');
  if (be) le.swap16();
  return le;
};
const TEXT = '{ "touser": "OPENID", "msgtype": "text", "text": { "content": "你好" } }';

describe('decodeUtf8', () => {
  test('UTF-8, with or without a BOM, decodes; the BOM is dropped', () => {
    assert.deepEqual(decodeUtf8(b(TEXT)), { ok: true, text: TEXT });
    assert.deepEqual(decodeUtf8(b([0xef, 0xbb, 0xbf], TEXT)), { ok: true, text: TEXT });
  });

  test('GBK: named GB18030, with the first bad byte and where it is', () => {
    const r = decodeUtf8(template(GBK_HELLO));
    assert.equal(r.ok, false);
    if (r.ok) return;
    const prefix = '{\n  "touser": "OPENID",\n  "msgtype": "text",\n  "text": { "content": "';
    assert.deepEqual(r.notUtf8, { guess: 'gb18030', bom: false, offset: Buffer.byteLength(prefix), position: { line: 3, character: prefix.split('\n')[3].length } });
  });

  test('a real U+FFFD before the bad byte is skipped when locating it', () => {
    const r = decodeUtf8(b('{"a":"\ufffd\ufffd', [0xff], '"}'));
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual([r.notUtf8.offset, r.notUtf8.position], [12, { line: 0, character: 8 }]);
  });

  test('UTF-16 LE and BE, with or without a BOM, are named as UTF-16 (not binary data)', () => {
    for (const be of [false, true]) {
      for (const bom of [false, true]) {
        const r = decodeUtf8(utf16(TEXT, be, bom));
        assert.equal(r.ok, false, `be=${be} bom=${bom}`);
        if (!r.ok) assert.deepEqual([r.notUtf8.guess, r.notUtf8.bom], [be ? 'utf-16be' : 'utf-16le', bom]);
      }
    }
  });

  test('Latin-1 is not mistaken for GBK, even where GB18030 would decode it', () => {
    // "Café": 0xE9 before a quote is not GB18030 at all.
    const cafe = decodeUtf8(template([0x43, 0x61, 0x66, 0xe9]));
    assert.equal(!cafe.ok && cafe.notUtf8.guess, 'latin1');
    // "Crème brûlée": every high byte is followed by an ASCII letter, a valid (rare) GBK pair.
    const creme = Buffer.from('Crème brûlée', 'latin1');
    assert.doesNotThrow(() => new TextDecoder('gb18030', { fatal: true }).decode(creme));
    const r = decodeUtf8(template([...creme]));
    assert.equal(!r.ok && r.notUtf8.guess, 'latin1');
  });

  test('binary data with NUL bytes is left to binary-file', () => {
    const png = b([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0xd8]);
    const r = decodeUtf8(png);
    assert.equal(r.ok, true);
    if (r.ok) assert.deepEqual(validate(r.text).map((d) => d.code), ['wxmsg/binary-file']);
  });
});

describe('wxmsg lint on files that are not UTF-8', () => {
  const lint = (bytes: Uint8Array, locale: 'en' | 'zh-cn' = 'en'): Diagnostic[] => {
    const d = tmpDir('wxmsg-enc-');
    try {
      fs.writeFileSync(path.join(d, 't.wxmsg.json'), bytes);
      return lintFiles(['t.wxmsg.json'], d, { locale })[0].diagnostics;
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  };

  test('GBK: one error at the first bad byte, naming GBK and how to convert, in en and zh', () => {
    const [en, ...rest] = lint(template(GBK_HELLO));
    assert.equal(rest.length, 0);
    assert.equal(en.code, 'wxmsg/not-utf8');
    assert.equal(en.severity, 1);
    assert.deepEqual(en.range, { start: { line: 3, character: 24 }, end: { line: 3, character: 25 } });
    assert.match(en.message, /not UTF-8 \(first invalid byte at offset 69\); it looks like GBK\/GB18030/);
    assert.match(en.message, /iconv -f GB18030 -t UTF-8/);
    assert.match(en.message, /Reopen with Encoding/);
    const [zh] = lint(template(GBK_HELLO), 'zh-cn');
    assert.match(zh.message, /不是 UTF-8 编码/);
    assert.match(zh.message, /GBK\/GB18030/);
    assert.match(zh.message, /通过编码保存/);
  });

  test('UTF-16 files are named UTF-16 with or without a BOM, not binary data', () => {
    const withBom = lint(utf16(TEXT, false, true));
    assert.deepEqual(withBom.map((d) => d.code), ['wxmsg/not-utf8']);
    assert.match(withBom[0].message, /This file is UTF-16 LE with a BOM, not UTF-8/);
    assert.match(withBom[0].message, /iconv -f UTF-16LE -t UTF-8/);
    const be = lint(utf16(TEXT, true, false));
    assert.deepEqual(be.map((d) => d.code), ['wxmsg/not-utf8']);
    assert.match(be[0].message, /it looks like UTF-16 BE without a BOM/);
    assert.match(lint(utf16(TEXT, true, true), 'zh-cn')[0].message, /UTF-16 BE（带 BOM）/);
  });

  test('Latin-1 is named Latin-1', () => {
    const [d] = lint(template([0x43, 0x61, 0x66, 0xe9]));
    assert.match(d.message, /looks like Latin-1/);
    assert.match(d.message, /iconv -f WINDOWS-1252 -t UTF-8/);
  });

  test('near misses: UTF-8 with a BOM and UTF-8 Chinese are clean', () => {
    assert.deepEqual(lint(b([0xef, 0xbb, 0xbf], TEXT)), []);
    assert.deepEqual(lint(template('你好，世界')), []);
  });

  test('readTemplate reports notUtf8 instead of text', () => {
    const d = tmpDir('wxmsg-enc-');
    try {
      fs.writeFileSync(path.join(d, 'g.wxmsg.json'), template(GBK_HELLO));
      assert.equal('notUtf8' in readTemplate(path.join(d, 'g.wxmsg.json')), true);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('control characters in text.content', () => {
  // The content as it stands in the JSON source (escapes written out).
  const doc = (source: string) => `{ "touser": "OPENID", "msgtype": "text", "text": { "content": "${source}" } }`;
  const flagged = (source: string) => validate(doc(source)).filter((d) => d.code === 'wxmsg/control-character');
  const rangeOfSource = (source: string, needle: string) => {
    const at = doc(source).indexOf(needle);
    assert.notEqual(at, -1);
    return { start: { line: 0, character: at }, end: { line: 0, character: at + needle.length } };
  };

  test('U+0000 and U+001F are warnings on the escape that wrote them; U+0020 is not', () => {
    const nul = flagged('a\\u0000b');
    assert.equal(nul.length, 1);
    assert.equal(nul[0].severity, 2);
    assert.deepEqual(nul[0].range, rangeOfSource('a\\u0000b', '\\u0000'));
    assert.match(nul[0].message, /U\+0000/);
    const us = flagged('x\\u001Fy');
    assert.deepEqual(us.map((d) => d.range), [rangeOfSource('x\\u001Fy', '\\u001F')]);
    assert.deepEqual(flagged('x\\u0020y'), []);
    assert.deepEqual(flagged('\\b\\f').length, 2);
  });

  test('\\n and \\t are fine; \\r is flagged with advice to use \\n', () => {
    assert.deepEqual(flagged('line 1\\nline 2\\tend'), []);
    const cr = flagged('line 1\\r\\nline 2');
    assert.deepEqual(cr.map((d) => d.range), [rangeOfSource('line 1\\r\\nline 2', '\\r')]);
    assert.match(cr[0].message, /carriage return.*use \\n/);
  });

  test('a surrogate pair is fine; a lone high or low surrogate is flagged on its escape', () => {
    assert.deepEqual(flagged('\\ud83d\\ude00 and 😀'), []);
    const high = flagged('a\\ud83db');
    assert.deepEqual(high.map((d) => d.range), [rangeOfSource('a\\ud83db', '\\ud83d')]);
    assert.match(high[0].message, /lone surrogate \(U\+D83D\)/);
    const low = flagged('a\\ude00b');
    assert.deepEqual(low.map((d) => d.range), [rangeOfSource('a\\ude00b', '\\ude00')]);
    // Reversed order is two lone halves.
    assert.equal(flagged('\\ude00\\ud83d').length, 2);
  });

  test('each occurrence after other escapes keeps an exact range; zh message', () => {
    const src = 'é\\"\\u4e2d\\u0007😀\\u0001';
    assert.deepEqual(flagged(src).map((d) => d.range), [rangeOfSource(src, '\\u0007'), rangeOfSource(src, '\\u0001')]);
    const [zh] = validate(doc('\\u0007'), {}, { locale: 'zh-cn' }).filter((d) => d.code === 'wxmsg/control-character');
    assert.match(zh.message, /控制字符 U\+0007/);
  });

  test('only text.content is checked; rules can turn it off', () => {
    assert.deepEqual(validate('{ "touser": "a\\u0001", "msgtype": "text", "text": { "content": "ok" } }').filter((d) => d.code === 'wxmsg/control-character'), []);
    assert.deepEqual(validate(doc('\\u0001'), {}, { severities: { 'wxmsg/control-character': 'off' } }).filter((d) => d.code === 'wxmsg/control-character'), []);
  });
});

describe('what the editor tells about the encoding', () => {
  test('a document VS Code decoded as GBK is not-utf8 at 1:1, and still validated', () => {
    const ds = validate(TEXT, {}, { encoding: 'gbk' });
    const [d] = ds.filter((x) => x.code === 'wxmsg/not-utf8');
    assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.match(d.message, /VS Code decoded this file as GBK, not UTF-8/);
    assert.match(d.message, /iconv -f GBK -t UTF-8/);
    assert.match(validate(TEXT, {}, { encoding: 'utf16le', locale: 'zh-cn' })[0].message, /VS Code 以 UTF-16 LE 编码打开/);
    assert.deepEqual(validate('{"msgtype":"txet"}', {}, { encoding: 'gbk' }).map((x) => x.code), ['wxmsg/not-utf8', 'wxmsg/invalid-msgtype']);
  });

  test('near misses: utf8 and utf8bom are UTF-8; no encoding reported is nothing', () => {
    for (const encoding of ['utf8', 'utf8bom', undefined]) assert.deepEqual(validate(TEXT, {}, { encoding }), []);
  });

  test('U+FFFD in the text (bytes that were not UTF-8) is not-utf8 where it is; the \\ufffd escape is not', () => {
    const t = '{ "touser": "OPENID", "msgtype": "text", "text": { "content": "\ufffd\ufffd" } }';
    const ds = validate(t);
    assert.deepEqual(ds.map((d) => [d.code, d.range.start.character, d.range.end.character]), [['wxmsg/not-utf8', t.indexOf('\ufffd'), t.indexOf('\ufffd') + 1]]);
    assert.match(ds[0].message, /U\+FFFD/);
    assert.deepEqual(validate('{ "touser": "OPENID", "msgtype": "text", "text": { "content": "\\ufffd" } }'), []);
  });
});

describe('project.config.json and app.json that exist but cannot be used', () => {
  const LINK = '{ "touser": "OPENID", "msgtype": "text", "text": { "content": "<a href=\\"https://a.example\\" data-miniprogram-appid=\\"wx1234567890abcdef\\" data-miniprogram-path=\\"pages/index/index\\">x</a>" } }';
  /** Lints LINK in a project with these files; returns the no-project-context message (or the codes). */
  const lintIn = (files: Record<string, string | Uint8Array>, locale: 'en' | 'zh-cn' = 'en') => {
    const d = tmpDir('wxmsg-proj-');
    try {
      for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(d, name), body);
      fs.writeFileSync(path.join(d, 't.wxmsg.json'), LINK);
      const ds = lintFiles(['t.wxmsg.json'], d, { locale })[0].diagnostics;
      return { dir: d, codes: ds.map((x) => x.code), context: ds.find((x) => x.code === 'wxmsg/no-project-context')?.message ?? '' };
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  };
  const APP = JSON.stringify({ pages: ['pages/index/index'] });

  test('a project.config.json in GBK is not read, and the message says so with its path', () => {
    const gbk = b('{ "appid": "wx1234567890abcdef", "description": "', GBK_HELLO, '" }');
    const r = lintIn({ 'project.config.json': gbk, 'app.json': APP });
    assert.deepEqual(r.codes, ['wxmsg/no-project-context']);
    assert.ok(r.context.includes(`${path.join(r.dir, 'project.config.json')} is not UTF-8 (it looks like GBK/GB18030): not read`), r.context);
    assert.doesNotMatch(r.context, /add project\.config\.json/);
    assert.match(lintIn({ 'project.config.json': gbk, 'app.json': APP }, 'zh-cn').context, /不是 UTF-8 编码（看起来是 GBK\/GB18030）/);
    // The near miss: the same file in UTF-8 (with a BOM) gives its appid, and the link checks run.
    const ok = lintIn({ 'project.config.json': b([0xef, 0xbb, 0xbf], '{ "appid": "wx1234567890abcdef", "description": "你好" }'), 'app.json': APP });
    assert.deepEqual(ok.codes, []);
  });

  test('malformed, a wrong appid type, no appid, over the size limit: each says why', () => {
    assert.match(lintIn({ 'project.config.json': '{ "appid": ', 'app.json': APP }).context, /project\.config\.json has a JSON syntax error at 1:12 \(ValueExpected\)/);
    assert.match(lintIn({ 'project.config.json': '{ "appid": 1234 }', 'app.json': APP }).context, /"appid" in \S+project\.config\.json is a number, not a string/);
    assert.match(lintIn({ 'project.config.json': '{ "appid": ["wx1"] }', 'app.json': APP }).context, /is an array, not a string/);
    assert.match(lintIn({ 'project.config.json': '{ "projectname": "x" }', 'app.json': APP }).context, /project\.config\.json has no "appid"/);
    assert.match(lintIn({ 'project.config.json': '[]', 'app.json': APP }).context, /project\.config\.json is not a JSON object/);
    const big = `{ "appid": "wx1234567890abcdef", "x": "${'a'.repeat(2 * 1024 * 1024)}" }`;
    assert.match(lintIn({ 'project.config.json': big, 'app.json': APP }).context, new RegExp(`project\\.config\\.json is ${Buffer.byteLength(big)} bytes, over the 2097152-byte limit: not read`));
    // No project file at all: the old advice stands.
    assert.match(lintIn({}).context, /add project\.config\.json and app\.json/);
  });

  test('an app.json in UTF-16 or without pages: the pages message says why', () => {
    const r = lintIn({ 'project.config.json': '{ "appid": "wx1234567890abcdef" }', 'app.json': utf16(APP, false, true) });
    assert.deepEqual(r.codes, ['wxmsg/no-project-context']);
    assert.match(r.context, /app\.json is not UTF-8 \(it looks like UTF-16 LE with a BOM\)/);
    assert.match(lintIn({ 'project.config.json': '{ "appid": "wx1234567890abcdef" }', 'app.json': '{ "window": {} }' }).context, /app\.json has no "pages" array/);
  });
});
