import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../server/src/validate.ts';
import { computeLineStarts, positionAt } from '../server/src/document.ts';
import type { Diagnostic, ProjectContext, Range } from '../server/src/types.ts';
import { ALL_CODES } from '../server/src/codes.ts';

const APPID = 'wx1234567890abcdef';
const CTX: ProjectContext = {
  appid: APPID,
  appidSource: 'project.config.json',
  pages: ['pages/index/index', 'pages/order/detail', 'packageA/pages/coupon/coupon'],
  pagesSource: 'app.json',
};

/** Range of the `nth` occurrence of `needle` in `text` (0-based occurrence). */
function rangeOf(text: string, needle: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.notEqual(at, -1, `"${needle}" #${nth} not in test text`);
  }
  const ls = computeLineStarts(text);
  return { start: positionAt(ls, at, text.length), end: positionAt(ls, at + needle.length, text.length) };
}

function codes(ds: Diagnostic[]): string[] {
  return ds.map((d) => d.code);
}

function only(ds: Diagnostic[], code: string): Diagnostic {
  const found = ds.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(codes(ds))}`);
  return found[0];
}

const text = (content: string) => `{
  "touser": "OPENID",
  "msgtype": "text",
  "text": { "content": ${JSON.stringify(content)} }
}`;

const tested = new Set<string>();
function expectCode(ds: Diagnostic[], code: string, range?: Range): Diagnostic {
  tested.add(code);
  const d = only(ds, code);
  if (range) assert.deepEqual(d.range, range);
  assert.equal(d.source, 'wxmsg');
  return d;
}

describe('valid templates', () => {
  const valid = [
    text('Hello World'),
    `{"touser":"OPENID","msgtype":"image","image":{"media_id":"MEDIA_ID"}}`,
    `{"msgtype":"link","link":{"title":"t","description":"d","url":"https://a.example/x","thumb_url":"http://a.example/t.png"}}`,
    `{"msgtype":"miniprogrampage","miniprogrampage":{"title":"t","pagepath":"pages/index/index?foo=bar","thumb_media_id":"M"}}`,
    `// comment\n{\n  /* block */ "msgtype": "image",\n  "image": { "media_id": "M", },\n}`,
    text('<a href="https://example.com" data-miniprogram-appid="wx1234567890abcdef" data-miniprogram-path="pages/index/index?x=1">go</a>'),
    `{"touser":"oAbCdEfGhIjKlMnOpQrStUvWx_-1","msgtype":"image","image":{"media_id":"M"}}`,
  ];
  for (const [i, t] of valid.entries()) {
    test(`valid #${i} has no diagnostics`, () => assert.deepEqual(validate(t, CTX), []));
  }
});

describe('syntax and structure', () => {
  test('syntax error with the parser range', () => {
    const t = '{ "msgtype": "text" "text": {} }';
    const ds = validate(t, CTX);
    const d = expectCode(ds, 'wxmsg/syntax-error');
    assert.deepEqual(d.range, rangeOf(t, '"text"', 1));
  });
  test('root must be an object', () => {
    const t = '["text"]';
    expectCode(validate(t, CTX), 'wxmsg/root-not-object', rangeOf(t, t));
  });
  test('empty file is reported, not thrown', () => {
    assert.ok(validate('', CTX).length >= 1);
  });
  test('duplicate key is an error on the second key', () => {
    const t = '{"msgtype":"image","image":{"media_id":"a","media_id":"b"}}';
    expectCode(validate(t, CTX), 'wxmsg/duplicate-key', rangeOf(t, '"media_id"', 1));
  });
  test('wrong type on the value', () => {
    const t = '{"msgtype":"text","text":{"content":12345}}';
    expectCode(validate(t, CTX), 'wxmsg/wrong-type', rangeOf(t, '12345'));
  });
  test('body of the wrong JSON type', () => {
    const t = '{"msgtype":"image","image":"M"}';
    expectCode(validate(t, CTX), 'wxmsg/wrong-type', rangeOf(t, '"M"'));
  });
  test('binary junk is one error, not a flood', () => {
    const t = '\u0000\u0001\u0002PK\u0003\u0004';
    const ds = validate(t, CTX);
    expectCode(ds, 'wxmsg/binary-file');
    assert.equal(ds.length, 1);
  });
  test('huge file is reported without parsing', () => {
    const t = text('x'.repeat(2_100_000));
    const ds = validate(t, CTX);
    expectCode(ds, 'wxmsg/file-too-large');
  });
  test('absurd nesting is refused before the (recursive) parser sees it', () => {
    for (const t of ['{"msgtype":"text","text":' + '['.repeat(100_000) + '}', '{"a":'.repeat(50_000) + '1']) {
      const ds = validate(t, CTX);
      expectCode(ds, 'wxmsg/nesting-too-deep');
      assert.equal(ds.length, 1);
    }
    // A line comment ends at a lone CR too (found by the fuzzer).
    assert.equal(validate('// x\r' + '['.repeat(5000), CTX)[0].code, 'wxmsg/nesting-too-deep');
    // Brackets inside strings and comments do not count.
    const inString = '{"msgtype":"text","text":{"content":"' + '['.repeat(1000) + '"}} // ' + '{'.repeat(100);
    assert.deepEqual(validate(inString, CTX), []);
  });
  test('syntax errors are capped', () => {
    const ds = validate('{' + ' ]'.repeat(5000), CTX);
    assert.ok(ds.length <= 60, String(ds.length));
  });
});

describe('msgtype and bodies', () => {
  test('missing msgtype on the root brace', () => {
    const t = '{"image":{"media_id":"M"}}';
    expectCode(validate(t, CTX), 'wxmsg/missing-msgtype', rangeOf(t, '{'));
  });
  test('msgtype not for mini programs names the four', () => {
    const t = '{"msgtype":"news","news":{}}';
    const d = expectCode(validate(t, CTX), 'wxmsg/invalid-msgtype', rangeOf(t, '"news"'));
    for (const m of ['text', 'image', 'link', 'miniprogrampage']) assert.match(d.message, new RegExp(`"${m}"`));
  });
  test('missing body on the root brace', () => {
    const t = '{"msgtype":"image"}';
    expectCode(validate(t, CTX), 'wxmsg/missing-body', rangeOf(t, '{'));
  });
  test('body for another msgtype', () => {
    const t = '{"msgtype":"image","image":{"media_id":"M"},"text":{"content":"x"}}';
    expectCode(validate(t, CTX), 'wxmsg/body-mismatch', rangeOf(t, '"text"'));
  });
  test('unknown root key with did-you-mean', () => {
    const t = '{"tousr":"OPENID","msgtype":"image","image":{"media_id":"M"}}';
    const d = expectCode(validate(t, CTX), 'wxmsg/unknown-key', rangeOf(t, '"tousr"'));
    assert.equal(d.data?.expected, 'touser');
    assert.equal(d.severity, 2);
  });
  test('unknown body key without suggestion', () => {
    const t = '{"msgtype":"image","image":{"media_id":"M","zzzzzz":1}}';
    const d = expectCode(validate(t, CTX), 'wxmsg/unknown-key', rangeOf(t, '"zzzzzz"'));
    assert.equal(d.data?.expected, undefined);
  });
  test('missing required fields on the body key', () => {
    const t = '{"msgtype":"link","link":{"title":"t"}}';
    const d = expectCode(validate(t, CTX), 'wxmsg/missing-field', rangeOf(t, '"link"', 1));
    assert.deepEqual(d.data?.missing, ['description', 'url', 'thumb_url']);
  });
  test('empty required value', () => {
    const t = '{"msgtype":"image","image":{"media_id":"  "}}';
    expectCode(validate(t, CTX), 'wxmsg/empty-value', rangeOf(t, '"  "'));
  });
  test('picurl is flagged as use thumb_url, not also missing', () => {
    const t = '{"msgtype":"link","link":{"title":"t","description":"d","url":"https://a.b/","picurl":"https://a.b/p.png"}}';
    const ds = validate(t, CTX);
    expectCode(ds, 'wxmsg/use-thumb-url', rangeOf(t, '"picurl"'));
    assert.deepEqual(codes(ds), ['wxmsg/use-thumb-url']);
  });
  test('link url must be absolute http(s)', () => {
    const t = '{"msgtype":"link","link":{"title":"t","description":"d","url":"URL","thumb_url":"ftp://x/y.png"}}';
    const ds = validate(t, CTX).filter((d) => d.code === 'wxmsg/invalid-url');
    tested.add('wxmsg/invalid-url');
    assert.deepEqual(ds.map((d) => d.range), [rangeOf(t, '"URL"'), rangeOf(t, '"ftp://x/y.png"')]);
  });
  test('pagepath must be an app.json page; query allowed', () => {
    const t = '{"msgtype":"miniprogrampage","miniprogrampage":{"title":"t","pagepath":"pages/nope/nope?x=1","thumb_media_id":"M"}}';
    expectCode(validate(t, CTX), 'wxmsg/unknown-page', rangeOf(t, '"pages/nope/nope?x=1"'));
  });
  test('touser wrong type and odd OpenID', () => {
    const t1 = '{"touser":42,"msgtype":"image","image":{"media_id":"M"}}';
    expectCode(validate(t1, CTX), 'wxmsg/wrong-type', rangeOf(t1, '42'));
    const t2 = '{"touser":"someone@example","msgtype":"image","image":{"media_id":"M"}}';
    expectCode(validate(t2, CTX), 'wxmsg/openid-format', rangeOf(t2, '"someone@example"'));
  });
  test('touser is optional', () => {
    assert.deepEqual(validate('{"msgtype":"image","image":{"media_id":"M"}}', CTX), []);
  });
});

describe('text content and links', () => {
  test('content over the size limit is a warning', () => {
    const t = text('汉'.repeat(700)); // 2100 bytes
    const d = expectCode(validate(t, CTX), 'wxmsg/content-too-long');
    assert.equal(d.severity, 2);
  });
  test('foreign appid: range is the appid value, message names both', () => {
    const t = text('hi <a href="https://x.example" data-miniprogram-appid="wxffffffffffffffff" data-miniprogram-path="pages/index/index">go</a>');
    const d = expectCode(validate(t, CTX), 'wxmsg/foreign-appid', rangeOf(t, 'wxffffffffffffffff'));
    assert.match(d.message, /wxffffffffffffffff/);
    assert.match(d.message, new RegExp(APPID));
    assert.equal(d.data?.replacement, APPID);
  });
  test('ranges are exact through escapes, newlines, \\u escapes and astral characters', () => {
    const t = '{"msgtype":"text","text":{"content":"😀 line\\n\\u4f60\\"q\\" <a href=\\"https://x.example\\" data-miniprogram-appid=\\"wxBAD\\" data-miniprogram-path=\\"pages/index/index\\">😀</a>"}}';
    expectCode(validate(t, CTX), 'wxmsg/foreign-appid', rangeOf(t, 'wxBAD'));
  });
  test('ranges are exact on CRLF multi-line documents', () => {
    const t = '{\r\n  "msgtype": "text",\r\n  "text": {\r\n    "content": "😀😀 <a href=\\"https://x.example\\" data-miniprogram-appid=\\"wxOTHER\\" data-miniprogram-path=\\"pages/index/index\\">a</a>"\r\n  }\r\n}';
    const d = expectCode(validate(t, CTX), 'wxmsg/foreign-appid', rangeOf(t, 'wxOTHER'));
    assert.equal(d.range.start.line, 3);
  });
  test('appid without path', () => {
    const t = text('<a href="https://x.example" data-miniprogram-appid="wx1234567890abcdef">go</a>');
    expectCode(validate(t, CTX), 'wxmsg/link-missing-path', rangeOf(t, 'data-miniprogram-appid'));
  });
  test('link path must be a page', () => {
    const t = text('<a href="https://x.example" data-miniprogram-appid="wx1234567890abcdef" data-miniprogram-path="pages/gone">go</a>');
    expectCode(validate(t, CTX), 'wxmsg/unknown-page', rangeOf(t, 'pages/gone'));
  });
  test('href should be absolute http(s)', () => {
    const t = text('<a href="www.qq.com">go</a>');
    expectCode(validate(t, CTX), 'wxmsg/href-not-http', rangeOf(t, 'www.qq.com'));
  });
  test('javascript: and data: hrefs are errors', () => {
    for (const href of ['javascript:alert(1)', 'JavaScript:void(0)', 'data:text/html,x', '&#106;avascript:x', '&#x6A;avascript&colon;x', 'java&Tab;script:x']) {
      const t = text(`<a href="${href}">go</a>`);
      const d = expectCode(validate(t, CTX), 'wxmsg/unsafe-href', rangeOf(t, href));
      assert.equal(d.severity, 1);
    }
  });
  test('mini program link without href is an info', () => {
    const t = text('<a data-miniprogram-appid="wx1234567890abcdef" data-miniprogram-path="pages/index/index">go</a>');
    expectCode(validate(t, CTX), 'wxmsg/link-missing-href', rangeOf(t, '<a'));
  });
  test('herf is a warning naming href, and still checked as the fallback', () => {
    const t = text('<a herf="https://x.example" data-miniprogram-appid="wx1234567890abcdef" data-miniprogram-path="pages/index/index">go</a>');
    const ds = validate(t, CTX);
    const d = expectCode(ds, 'wxmsg/misspelled-attribute', rangeOf(t, 'herf'));
    assert.match(d.message, /"href"/);
    assert.equal(d.data?.replacement, 'href');
    assert.ok(!codes(ds).includes('wxmsg/link-missing-href'));
  });
  test('unclosed <a> is a warning', () => {
    const t = text('see <a href="https://x.example">here');
    expectCode(validate(t, CTX), 'wxmsg/unclosed-link', rangeOf(t, '<a'));
  });
  test('two links each get their own range', () => {
    const t = text('<a href="https://a.example" data-miniprogram-appid="wxA1" data-miniprogram-path="pages/index/index">1</a> <a href="https://b.example" data-miniprogram-appid="wxB2" data-miniprogram-path="pages/index/index">2</a>');
    const ds = validate(t, CTX).filter((d) => d.code === 'wxmsg/foreign-appid');
    assert.deepEqual(ds.map((d) => d.range), [rangeOf(t, 'wxA1'), rangeOf(t, 'wxB2')]);
  });
  test('single-quoted and unquoted attribute values', () => {
    const t = text("<a href='https://x.example' data-miniprogram-appid=wxQQ data-miniprogram-path='pages/index/index'>go</a>");
    expectCode(validate(t, CTX), 'wxmsg/foreign-appid', rangeOf(t, 'wxQQ'));
  });
});

describe('project context', () => {
  test('unknown appid and pages: skipped with one info', () => {
    const t = text('<a href="https://x.example" data-miniprogram-appid="wxANY" data-miniprogram-path="pages/whatever">go</a>');
    const ds = validate(t, {});
    const d = expectCode(ds, 'wxmsg/no-project-context', rangeOf(t, 'wxANY'));
    assert.equal(d.severity, 3);
    assert.deepEqual(codes(ds), ['wxmsg/no-project-context']);
  });
  test('templates that need no context get no info', () => {
    assert.deepEqual(validate('{"msgtype":"image","image":{"media_id":"M"}}', {}), []);
  });
});

describe('options', () => {
  test('severity overrides and off', () => {
    const t = '{"tousr":"x","msgtype":"image","image":{"media_id":"M"}}';
    assert.equal(validate(t, CTX, { severities: { 'wxmsg/unknown-key': 'error' } })[0].severity, 1);
    assert.deepEqual(validate(t, CTX, { severities: { 'wxmsg/unknown-key': 'off' } }), []);
  });
  test('zh-cn messages keep codes and ranges identical', () => {
    const t = text('<a href="https://x.example" data-miniprogram-appid="wxffffffffffffffff" data-miniprogram-path="pages/index/index">go</a> <a herf="x">');
    const en = validate(t, CTX, { locale: 'en' });
    const zh = validate(t, CTX, { locale: 'zh-cn' });
    assert.deepEqual(en.map((d) => [d.code, d.range]), zh.map((d) => [d.code, d.range]));
    assert.match(zh[0].message, /不是本小程序的 appid/);
    assert.notEqual(en[0].message, zh[0].message);
  });
  test('messages exist for every code in both locales', async () => {
    const { message } = await import('../server/src/messages.ts');
    for (const c of ALL_CODES) {
      const name = c.slice('wxmsg/'.length);
      assert.equal(typeof message('en', name, {}), 'string');
      assert.equal(typeof message('zh-cn', name, {}), 'string');
    }
  });
  test('every diagnostic carries codeDescription to its docs', () => {
    const d = validate('{"msgtype":"nope"}', CTX)[0];
    assert.match(d.codeDescription!.href, /#wxmsginvalid-msgtype$/);
  });
});

describe('encoding and control characters (more in encoding.test.ts)', () => {
  test('not-utf8: the editor decoded the file as GBK; U+FFFD in the text', () => {
    expectCode(validate(text('你好'), CTX, { encoding: 'gbk' }), 'wxmsg/not-utf8', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    const t = text('a\ufffdb');
    expectCode(validate(t, CTX), 'wxmsg/not-utf8', rangeOf(t, '\ufffd'));
  });
  test('control-character: on the escape in the source', () => {
    const t = text('a\u0001b');
    expectCode(validate(t, CTX), 'wxmsg/control-character', rangeOf(t, '\\u0001'));
  });
});

test('every code except file-level ones has a rule test above', () => {
  // unreadable-file is produced by the CLI (test/cli.test.ts).
  const untested = ALL_CODES.filter((c) => !tested.has(c) && c !== 'wxmsg/unreadable-file');
  assert.deepEqual(untested, []);
});
