import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../server/src/core/services/validate.ts';
import { computeLineStarts, positionAt } from '../server/src/core/parser/document.ts';
import type { Diagnostic, ProjectContext, Range } from '../server/src/core/types.ts';
import { ALL_CODES } from '../server/src/core/rules/codes.ts';

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
  test('picurl next to a thumb_url is only an unknown key (a warning that does not block the send)', () => {
    const t = '{"msgtype":"link","link":{"title":"t","description":"d","url":"https://a.b/","thumb_url":"https://a.b/t.png","picurl":"https://a.b/p.png"}}';
    const ds = validate(t, CTX);
    const d = expectCode(ds, 'wxmsg/unknown-key', rangeOf(t, '"picurl"'));
    assert.equal(d.severity, 2);
    assert.deepEqual(codes(ds), ['wxmsg/unknown-key']);
    // Near miss: a thumb_url that is itself wrong is reported on its own; picurl stays a warning.
    const bad = t.replace('"https://a.b/t.png"', '"t.png"');
    assert.deepEqual(codes(validate(bad, CTX)).sort(), ['wxmsg/invalid-url', 'wxmsg/unknown-key']);
    // picurl before thumb_url (key order does not matter).
    const before = '{"msgtype":"link","link":{"picurl":"https://a.b/p.png","title":"t","description":"d","url":"https://a.b/","thumb_url":"https://a.b/t.png"}}';
    assert.deepEqual(codes(validate(before, CTX)), ['wxmsg/unknown-key']);
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
    const t = text('<a href="https://x.example" data-miniprogram-appid="wx00000000000000aa" data-miniprogram-path="pages/whatever">go</a>');
    const ds = validate(t, {});
    const d = expectCode(ds, 'wxmsg/no-project-context', rangeOf(t, 'wx00000000000000aa'));
    assert.equal(d.severity, 3);
    assert.deepEqual(codes(ds), ['wxmsg/no-project-context']);
  });
  test('the note names what is missing, worded by the catalog in each language', () => {
    const t = text('<a href="https://x.example" data-miniprogram-appid="wx00000000000000aa" data-miniprogram-path="pages/whatever">go</a>');
    const note = (ctx: ProjectContext, locale: 'en' | 'zh-cn') => validate(t, ctx, { locale }).find((d) => d.code === 'wxmsg/no-project-context')!.message;
    assert.equal(note({}, 'en'), 'The appid and the app.json pages are not known, so text-link appids and page paths were not checked. Set "wxmsg.appid" (or --appid) or add project.config.json and app.json to the mini program project.');
    assert.equal(note({}, 'zh-cn'), '未知 appid 和 app.json 页面，因此未检查文字链 appid和页面路径。请设置 "wxmsg.appid"（或 --appid），或在小程序项目中添加 project.config.json 和 app.json。');
    // Near misses: one of the two known.
    assert.equal(note({ appid: APPID }, 'en'), 'The app.json pages are not known, so page paths were not checked. Set "wxmsg.appid" (or --appid) or add project.config.json and app.json to the mini program project.');
    assert.equal(note({ pages: ['pages/index/index'] }, 'zh-cn'), '未知 appid，因此未检查文字链 appid。请设置 "wxmsg.appid"（或 --appid），或在小程序项目中添加 project.config.json。');
    assert.match(note({ pages: ['pages/index/index'], problems: [{ file: 'project.config.json', reason: 'unreadable', detail: 'EACCES' }] }, 'en'), /^The appid is not known, so text-link appids were not checked: .+\. Fix that, or set "wxmsg\.appid" \(or --appid\)\.$/);
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
    const { message } = await import('../server/src/core/l10n/messages.ts');
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

describe('issue 16: rules as the official pages say', () => {
  const NOCTX: ProjectContext = {};
  const link = (attrs: string, label = 'go') => text(`<a ${attrs}>${label}</a>`);
  const ok = 'href="https://x.example" data-miniprogram-appid="wx1234567890abcdef" data-miniprogram-path="pages/index/index"';

  test('aimsgcontext is a known root key with type checks', () => {
    const base = (v: string) => `{"msgtype":"image","image":{"media_id":"M"},"aimsgcontext":${v}}`;
    assert.deepEqual(validate(base('{"msgid":"13456789"}'), CTX), []);
    assert.deepEqual(validate(base('{}'), CTX), []);
    const t1 = base('"13456789"');
    expectCode(validate(t1, CTX), 'wxmsg/wrong-type', rangeOf(t1, '"13456789"'));
    const t2 = base('{"msgid":13456789}');
    expectCode(validate(t2, CTX), 'wxmsg/wrong-type', rangeOf(t2, '13456789'));
    const t3 = base('{"msg_id":"1"}');
    const d3 = expectCode(validate(t3, CTX), 'wxmsg/unknown-key', rangeOf(t3, '"msg_id"'));
    assert.equal(d3.data?.expected, 'msgid');
    // The Official Account variant's is_ai_msg is not the mini program's member.
    const t4 = base('{"is_ai_msg":1}');
    expectCode(validate(t4, CTX), 'wxmsg/unknown-key', rangeOf(t4, '"is_ai_msg"'));
    // Near misses: a misspelt root key gets a did-you-mean; msgid on the root is unknown.
    const t5 = '{"msgtype":"image","image":{"media_id":"M"},"aimsgcontxt":{"msgid":"1"}}';
    assert.equal(expectCode(validate(t5, CTX), 'wxmsg/unknown-key').data?.expected, 'aimsgcontext');
    const t6 = '{"msgtype":"image","image":{"media_id":"M"},"msgid":"1"}';
    expectCode(validate(t6, CTX), 'wxmsg/unknown-key', rangeOf(t6, '"msgid"'));
  });

  test('media_id / thumb_media_id shaped like a URL or a file path: 40007, pointing at Upload Image', () => {
    const image = (v: string) => `{"msgtype":"image","image":{"media_id":${JSON.stringify(v)}}}`;
    const card = (v: string) => `{"msgtype":"miniprogrampage","miniprogrampage":{"title":"t","pagepath":"pages/index/index","thumb_media_id":${JSON.stringify(v)}}}`;
    const bad = ['https://example.com/a.png', 'http://x', 'HTTP://X/Y', 'http:/x', 'wxfile://tmp_1.jpg', 'ftp://x/y', 'data:image/png;base64,AAAA',
      '/x', '/tmp/cover', './cover.jpg', '../img/a', '~/a', 'C:\\img\\a', 'c:/img/a', '\\\\server\\share', 'cover.png', 'a.PNG', 'a.jpeg', 'a.jpg', 'a.gif', 'a.webp'];
    for (const v of bad) {
      for (const t of [image(v), card(v)]) {
        const d = expectCode(validate(t, CTX), 'wxmsg/media-id-not-uploaded', rangeOf(t, JSON.stringify(v)));
        assert.equal(d.severity, 1, v);
        assert.match(d.message, /40007/);
        assert.match(d.message, /Upload Image/);
      }
    }
    assert.match(validate(image('a.png'), CTX, { locale: 'zh-cn' })[0].message, /Upload Image/);
    // Near misses: real ids, placeholders, a trailing slash, an extension that is not one, "http" as text.
    const fine = ['MEDIA_ID', 'THUMB_MEDIA_ID', 'x/', 'a.pngx', 'png', 'httpx', 'http_media', 'qIpz8vS-0Ab_9xYz3kLmNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTu'];
    for (const v of fine) {
      assert.deepEqual(codes(validate(image(v), CTX)), [], v);
      assert.deepEqual(codes(validate(card(v), CTX)), [], v);
    }
    // A template variable is not a path: without a value its checks wait for the value (an info).
    assert.deepEqual(codes(validate(image('{{media_id}}'), CTX)), ['wxmsg/unfilled-variable']);
    // Only media ids: a link's thumb_url is a URL by design.
    assert.deepEqual(validate('{"msgtype":"link","link":{"title":"t","description":"d","url":"https://a.b/","thumb_url":"https://a.b/t.png"}}', CTX), []);
  });

  test('a text link with a path but no appid: a warning, the path is ignored and href opens', () => {
    const t = link('href="https://x.example" data-miniprogram-path="pages/index/index"');
    const d = expectCode(validate(t, CTX), 'wxmsg/link-missing-appid', rangeOf(t, 'data-miniprogram-path'));
    assert.equal(d.severity, 2);
    assert.match(d.message, /opens href/);
    assert.deepEqual(codes(validate(t, CTX)), ['wxmsg/link-missing-appid']);
    // Near misses: with the appid it is fine; a plain web link (no path) is fine; an empty appid is a foreign one.
    assert.deepEqual(validate(link(ok), CTX), []);
    assert.deepEqual(validate(link('href="https://x.example"'), CTX), []);
    assert.deepEqual(codes(validate(link('href="https://x.example" data-miniprogram-appid="" data-miniprogram-path="pages/index/index"'), CTX)), ['wxmsg/foreign-appid']);
  });

  test('an appid not shaped like one is an error even without project context', () => {
    for (const v of ['appid', 'APPID', 'wx123456789abcdef', 'wx1234567890abcdef0', 'WX1234567890abcdef', 'wx1234567890abcdeg', 'wx', '', 'gh_1234567890ab']) {
      const t = link(`href="https://x.example" data-miniprogram-appid="${v}" data-miniprogram-path="pages/index/index"`);
      const ds = validate(t, NOCTX);
      const d = expectCode(ds, 'wxmsg/invalid-appid');
      if (v) assert.deepEqual(d.range, rangeOf(t, `"${v}"`.slice(1, -1), v === 'appid' ? 1 : 0), v);
      assert.equal(d.severity, 1);
      assert.ok(!codes(ds).includes('wxmsg/foreign-appid'), v);
    }
    // 16 hex digits in either case have the shape (the wxmsg.appid setting accepts both); without
    // context only the skipped comparison is noted.
    for (const v of ['wx1234567890abcdef', 'wx1234567890ABCDEF']) {
      const t = link(`href="https://x.example" data-miniprogram-appid="${v}" data-miniprogram-path="pages/index/index"`);
      assert.deepEqual(codes(validate(t, NOCTX)), ['wxmsg/no-project-context'], v);
    }
    // With project context the comparison with the own appid says more: foreign-appid (with its fix).
    const t = link('href="https://x.example" data-miniprogram-appid="appid" data-miniprogram-path="pages/index/index"');
    assert.deepEqual(codes(validate(t, CTX)), ['wxmsg/foreign-appid']);
    const upper = link(`href="https://x.example" data-miniprogram-appid="wx1234567890ABCDEF" data-miniprogram-path="pages/index/index"`);
    assert.deepEqual(codes(validate(upper, CTX)), ['wxmsg/foreign-appid'], 'WeChat compares exactly: case matters');
  });

  test('malformed link markup is a warning with its range', () => {
    const cases: [string, string, string][] = [
      // [attributes, the reported text, kind]
      ['href="https://x.example"data-miniprogram-appid="wx1234567890abcdef" data-miniprogram-path="pages/index/index"', 'data-miniprogram-appid', 'glued'],
      ['href="https://x.example" data-miniprogram-appid0000aaaabbbbcccc" data-miniprogram-path="pages/index/index"', 'data-miniprogram-appid0000aaaabbbbcccc\\"', 'glued-value'],
      ['href "https://x.example" data-miniprogram-appid="wx1234567890abcdef" data-miniprogram-path="pages/index/index"', 'href \\"https://x.example\\"', 'no-equals'],
      ['href data-miniprogram-appid="wx1234567890abcdef" data-miniprogram-path="pages/index/index"', 'href', 'no-value'],
      ['href=https://x.example" data-miniprogram-appid="wx1234567890abcdef" data-miniprogram-path="pages/index/index"', 'href=https://x.example\\"', 'open-quote'],
      ['href="https://x.example data-miniprogram-appid="wx1234567890abcdef" data-miniprogram-path="pages/index/index"', 'href=\\"https://x.example data-miniprogram-appid=\\"', 'close-quote'],
    ];
    for (const [attrs, reported, kind] of cases) {
      const t = link(attrs);
      const ds = validate(t, CTX);
      const d = expectCode(ds, 'wxmsg/malformed-link', rangeOf(t, reported));
      assert.equal(d.severity, 2, kind);
      assert.equal(d.data?.kind, kind);
      assert.deepEqual(codes(ds), ['wxmsg/malformed-link'], `${kind}: one diagnostic, no cascade`);
      assert.notEqual(d.message, validate(t, CTX, { locale: 'zh-cn' }).find((x) => x.code === 'wxmsg/malformed-link')!.message);
    }
    // Near misses: single quotes, unquoted values without quotes, spaces around =, a space after the quote.
    for (const attrs of [ok.replace(/"/g, "'"), 'href=https://x.example data-miniprogram-appid=wx1234567890abcdef data-miniprogram-path=pages/index/index',
      'href = "https://x.example" data-miniprogram-appid="wx1234567890abcdef"  data-miniprogram-path="pages/index/index"']) {
      assert.deepEqual(validate(link(attrs), CTX), [], attrs);
    }
  });

  test('unknown attributes on <a> are warnings; near ones stay misspelled-attribute', () => {
    const t = link(`${ok} target="_blank"`);
    const d = expectCode(validate(t, CTX), 'wxmsg/unknown-attribute', rangeOf(t, 'target'));
    assert.equal(d.severity, 2);
    const t2 = link(`${ok} hreflang="zh"`);
    expectCode(validate(t2, CTX), 'wxmsg/unknown-attribute', rangeOf(t2, 'hreflang'));
    assert.deepEqual(codes(validate(link(ok.replace('href', 'herf')), CTX)), ['wxmsg/misspelled-attribute']);
    assert.deepEqual(codes(validate(link(ok.replace('href', 'HREF')), CTX)), [], 'attribute names are case-insensitive');
  });

  test('an empty label leaves nothing to tap', () => {
    for (const label of ['', ' ', '\n', '\u3000']) {
      const t = link(ok, label);
      const whole = `<a ${ok}>${label}</a>`;
      const d = expectCode(validate(t, CTX), 'wxmsg/empty-link-label', rangeOf(t, JSON.stringify(whole).slice(1, -1)));
      assert.equal(d.severity, 2);
    }
    // Near misses: one visible character, a label around a space.
    assert.deepEqual(validate(link(ok, 'x'), CTX), []);
    assert.deepEqual(validate(link(ok, ' 。'), CTX), []);
  });

  test('serializer traps: literal backslash-n, <br>, an HTML-escaped link are hints', () => {
    const t1 = text('line 1\\nline 2\\nline 3');
    const d1 = expectCode(validate(t1, CTX), 'wxmsg/literal-newline-escape', rangeOf(t1, '\\\\n'));
    assert.equal(d1.severity, 4);
    assert.match(d1.message, /2 times/);
    expectCode(validate(text('a\\r\\nb'), CTX), 'wxmsg/literal-newline-escape');
    // Near misses: a real line break, an escaped backslash before n, \N, /n.
    for (const c of ['line 1\nline 2', 'C:\\\\new', 'a\\Nb', 'a/nb', 'a\\tb']) assert.deepEqual(validate(text(c), CTX), [], JSON.stringify(c));

    for (const tag of ['<br>', '<br/>', '<br />', '<BR>', '</br>']) {
      const t = text(`a${tag}b`);
      const d = expectCode(validate(t, CTX), 'wxmsg/br-tag', rangeOf(t, tag));
      assert.equal(d.severity, 4);
    }
    for (const c of ['a<b>b</b>', 'a<brx>b', 'a<br', 'a &lt;br&gt; b']) assert.ok(!codes(validate(text(c), CTX)).includes('wxmsg/br-tag'), c);

    const escaped = '&lt;a href=&quot;https://x.example&quot;&gt;go&lt;/a&gt;';
    const t3 = text(`see ${escaped}!`);
    const d3 = expectCode(validate(t3, CTX), 'wxmsg/escaped-link', rangeOf(t3, escaped));
    assert.equal(d3.severity, 4);
    for (const c of ['&lt;abbr&gt;', '&lt;b&gt;x&lt;/b&gt;', '&amp;lt;a href=x&amp;gt;', 'a &lt; b']) assert.deepEqual(validate(text(c), CTX), [], c);
  });

  test('content-too-long: a warning from one constant, naming WeCom as the source', () => {
    const at = (n: number) => text('a'.repeat(n));
    assert.deepEqual(validate(at(2048), CTX), []);
    const d = expectCode(validate(at(2049), CTX), 'wxmsg/content-too-long');
    assert.equal(d.severity, 2);
    assert.match(d.message, /WeCom/);
    assert.match(d.message, /truncat/);
    assert.match(d.message, /documents no limit/);
    assert.match(validate(at(2049), CTX, { locale: 'zh-cn' })[0].message, /企业微信/);
    // Bytes, not characters: 682 × 3 + 2 = 2048 fits, one more byte does not; an astral character is 4.
    assert.deepEqual(validate(text('汉'.repeat(682) + 'aa'), CTX), []);
    assert.equal(codes(validate(text('汉'.repeat(682) + 'aaa'), CTX))[0], 'wxmsg/content-too-long');
    assert.deepEqual(validate(text('😀'.repeat(512)), CTX), []);
    assert.equal(codes(validate(text('😀'.repeat(512) + 'a'), CTX))[0], 'wxmsg/content-too-long');
  });

  test('a page path or appid with surrounding whitespace is reported, the rest checked without it', () => {
    const card = (p: string) => `{"msgtype":"miniprogrampage","miniprogrampage":{"title":"t","pagepath":${JSON.stringify(p)},"thumb_media_id":"M"}}`;
    for (const p of [' pages/index/index', 'pages/index/index ', '\tpages/index/index\n', '\u3000pages/index/index']) {
      const t = card(p);
      const ds = validate(t, CTX);
      const d = expectCode(ds, 'wxmsg/surrounding-whitespace', rangeOf(t, JSON.stringify(p)));
      assert.equal(d.severity, 1);
      assert.equal(d.data?.expected, 'pages/index/index');
      assert.deepEqual(codes(ds), ['wxmsg/surrounding-whitespace'], 'the trimmed page is in app.json');
    }
    assert.deepEqual(codes(validate(card(' pages/nope'), CTX)).sort(), ['wxmsg/surrounding-whitespace', 'wxmsg/unknown-page']);
    // Near misses: whitespace inside is not around; only whitespace is empty-value.
    assert.deepEqual(codes(validate(card('pages/index/index?q=a b'), CTX)), []);
    assert.deepEqual(codes(validate(card('   '), CTX)), ['wxmsg/empty-value']);

    const t = link('href="https://x.example" data-miniprogram-appid=" wx1234567890abcdef" data-miniprogram-path="pages/index/index "');
    const ds = validate(t, CTX).filter((d) => d.code === 'wxmsg/surrounding-whitespace');
    assert.deepEqual(ds.map((d) => d.range), [rangeOf(t, ' wx1234567890abcdef'), rangeOf(t, 'pages/index/index ')]);
    assert.deepEqual(codes(validate(t, CTX)), ['wxmsg/surrounding-whitespace', 'wxmsg/surrounding-whitespace'], 'not also foreign-appid');
    // Without context the trimmed appid has the shape: no invalid-appid.
    assert.ok(!codes(validate(t, NOCTX)).includes('wxmsg/invalid-appid'));
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

describe('issue 20: wxmsg.config.json', () => {
  test('config-error and secret-in-config, located on the value', async () => {
    const { parseProjectConfig } = await import('../server/src/core/rules/profileConfig.ts');
    const t = '{ "profiles": { "dev": { "appid": "wx12", "vars": { "k": "0123456789abcdef0123456789abcdef" } } } }';
    const ds = parseProjectConfig(t).diagnostics;
    expectCode(ds, 'wxmsg/config-error', rangeOf(t, '"wx12"'));
    expectCode(ds, 'wxmsg/secret-in-config', rangeOf(t, '"0123456789abcdef0123456789abcdef"'));
  });
});

describe('media ids: placeholders and the media ledger (issue 19)', () => {
  const image = (id: string) => `{"msgtype":"image","image":{"media_id":${JSON.stringify(id)}}}`;
  const card = (id: string) => `{"msgtype":"miniprogrampage","miniprogrampage":{"title":"T","pagepath":"pages/index/index","thumb_media_id":${JSON.stringify(id)}}}`;
  const NOW = Date.parse('2026-12-01T08:00:00Z');
  const rec = (media_id: string, appid: string, uploadedAt: string) => ({ appid, media_id, type: 'image', source: 'images/cover.png', sha256: 'ab', uploadedAt });
  const LEDGER = [rec('fresh_id', APPID, '2026-11-30T08:00:00Z'), rec('old_id', APPID, '2026-11-28T07:59:00Z'), rec('edge_id', APPID, '2026-11-28T08:00:00Z'), rec('other_id', 'wx9999999999999999', '2026-11-30T08:00:00Z')];
  const LCTX: ProjectContext = { ...CTX, mediaLedger: LEDGER, now: NOW };

  test('placeholders: nothing in lint, a hint in the editor; near misses are not placeholders', () => {
    // ({{cover}} is a template variable: variables.ts reports and fills it, see variables.test.ts.)
    for (const p of ['MEDIA_ID', 'THUMB_MEDIA_ID', 'COVER_2']) {
      assert.deepEqual(validate(image(p), CTX), [], p);
      assert.deepEqual(validate(image(p), LCTX), [], p);
      const d = expectCode(validate(image(p), LCTX, { mediaPlaceholderHint: true }), 'wxmsg/media-placeholder', rangeOf(image(p), JSON.stringify(p)));
      assert.equal(d.severity, 4);
    }
    expectCode(validate(card('thumb_media_id'), CTX, { mediaPlaceholderHint: true }), 'wxmsg/media-placeholder');
    // Not placeholders: mixed case, a leading digit, an empty string (still empty-value).
    for (const p of ['Media_ID', '1MEDIA', 'media_id', '{{a}']) {
      assert.ok(!codes(validate(image(p), CTX, { mediaPlaceholderHint: true })).includes('wxmsg/media-placeholder'), p);
    }
    assert.deepEqual(codes(validate(image(''), CTX, { mediaPlaceholderHint: true })), ['wxmsg/empty-value']);
  });

  test('ledger: other appid → error, older than 3 days → warning, unknown → info; only with a ledger', () => {
    assert.deepEqual(validate(image('fresh_id'), LCTX), []);
    assert.deepEqual(validate(image('edge_id'), LCTX), [], 'exactly 3 days is not yet expired');
    const other = expectCode(validate(image('other_id'), LCTX), 'wxmsg/media-other-appid', rangeOf(image('other_id'), '"other_id"'));
    assert.equal(other.severity, 1);
    assert.match(other.message, /wx9999999999999999/);
    assert.equal(other.data?.expected, 'images/cover.png');
    const old = expectCode(validate(image('old_id'), LCTX), 'wxmsg/media-expired');
    assert.equal(old.severity, 2);
    assert.match(old.message, /3 days/);
    assert.match(validate(image('old_id'), LCTX, { locale: 'zh-cn' })[0].message, /3 天/);
    const unknown = expectCode(validate(card('abc_Def-1'), LCTX), 'wxmsg/media-unknown');
    assert.equal(unknown.severity, 3);
    // Without a ledger in the context (plain lint) none of them.
    for (const id of ['other_id', 'old_id', 'abc_Def-1']) assert.deepEqual(validate(image(id), CTX), []);
  });
});

describe('template variables (more in variables.test.ts)', () => {
  test('malformed-variable, variable-in-key, unfilled-variable: on the placeholder or key', () => {
    const t = '{"msgtype":"text","text":{"content":"Hi {{a b}} {{name}}","{{k}}":"x"}}';
    expectCode(validate(t, CTX), 'wxmsg/malformed-variable', rangeOf(t, '{{a b}}'));
    expectCode(validate(t, CTX), 'wxmsg/variable-in-key', rangeOf(t, '"{{k}}"'));
    expectCode(validate(t, CTX), 'wxmsg/unfilled-variable', rangeOf(t, '{{name}}'));
  });
});

test('every code except file-level ones has a rule test above', () => {
  // unreadable-file is produced by the CLI (test/cli.test.ts).
  const untested = ALL_CODES.filter((c) => !tested.has(c) && c !== 'wxmsg/unreadable-file');
  assert.deepEqual(untested, []);
});
