import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validate } from '../server/src/core/services/validate.ts';
import { LIMITS } from '../server/src/core/rules/codes.ts';
import { MEDIA_TTL_MS, type MediaRecord } from '../server/src/core/rules/mediaLedger.ts';
import { pagesOf, ProjectResolver } from '../server/src/node/resolver.ts';
import type { Diagnostic, ProjectContext } from '../server/src/core/types.ts';

/**
 * Near misses at every rule's edge: the value just inside passes, the value just outside fails.
 * Far-off values are in validate.test.ts; these are the ones a weakened rule (a prefix match, a
 * case-insensitive compare, an off-by-one limit) would let through. docs/mutations.md lists the
 * weakenings each of these was seen to catch.
 */
const APPID = 'wx1234567890abcdef';

/** app.json with three subpackages, in both spellings app.json accepts. */
const APP_JSON = {
  pages: ['pages/index/index', 'pages/order/detail'],
  subPackages: [{ root: 'packageA/', pages: ['pages/coupon/coupon'] }, { root: '/packageB', pages: ['/pages/cart/cart', 'pages/cart/list'] }],
  subpackages: [{ root: 'packageC', pages: ['index'] }],
};
const PAGES = pagesOf(APP_JSON)!;
const CTX: ProjectContext = { appid: APPID, appidSource: 'project.config.json', pages: PAGES, pagesSource: 'app.json' };

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code).sort();
const text = (content: string) => JSON.stringify({ touser: 'OPENID', msgtype: 'text', text: { content } });
const link = (appid: string, page = 'pages/index/index') =>
  text(`<a href="https://x.example" data-miniprogram-appid="${appid}" data-miniprogram-path="${page}">go</a>`);
const card = (pagepath: string) =>
  JSON.stringify({ touser: 'OPENID', msgtype: 'miniprogrampage', miniprogrampage: { title: 't', pagepath, thumb_media_id: 'THUMB_MEDIA_ID' } });

describe('the text link appid is the project\'s own, exactly', () => {
  test('the own appid passes', () => {
    assert.deepEqual(codes(validate(link(APPID), CTX)), []);
  });
  const misses: [string, string][] = [
    ['longer, with the own appid as prefix', `${APPID}0`],
    ['longer by a letter', `${APPID}f`],
    ['the own appid as a suffix', `x${APPID}`],
    ['shorter: a prefix of the own appid', APPID.slice(0, -1)],
    ['the same letters in upper case', 'wx1234567890ABCDEF'],
    ['one letter in another case', 'wx1234567890abcdeF'],
    ['WX in upper case', 'WX1234567890abcdef'],
    ['the last digit one off', 'wx1234567890abcdee'],
    ['a middle digit one off', 'wx1234567891abcdef'],
    ['two digits swapped', 'wx2134567890abcdef'],
    ['empty', ''],
  ];
  for (const [what, value] of misses) {
    test(`foreign: ${what} (${JSON.stringify(value)})`, () => {
      const ds = validate(link(value), CTX);
      assert.deepEqual(codes(ds), ['wxmsg/foreign-appid']);
      assert.equal(ds[0].data?.expected, APPID);
    });
  }
  test('surrounding whitespace is reported as such, the appid inside it still compared', () => {
    assert.deepEqual(codes(validate(link(` ${APPID}`), CTX)), ['wxmsg/surrounding-whitespace']);
    assert.deepEqual(codes(validate(link(` ${APPID}0`), CTX)), ['wxmsg/foreign-appid', 'wxmsg/surrounding-whitespace']);
  });
});

describe('without project context, the appid must have the shape wx + 16 hex digits', () => {
  // Without app.json the page check is skipped too: that note is left out here.
  const noCtx = (appid: string) => codes(validate(link(appid), {})).filter((c) => c !== 'wxmsg/no-project-context');
  test('16 hex digits, either case: only the note that the check was skipped', () => {
    for (const v of [APPID, 'wx1234567890ABCDEF', 'wx0000000000000000', 'wxffffffffffffffff']) {
      assert.deepEqual(noCtx(v), [], v);
      assert.deepEqual(codes(validate(link(v), {})), ['wxmsg/no-project-context'], v);
    }
  });
  for (const [what, v] of [
    ['15 hex digits', 'wx1234567890abcde'], ['17 hex digits', 'wx1234567890abcdef0'], ['a letter past f', 'wx1234567890abcdeg'],
    ['WX in upper case', 'WX1234567890abcdef'], ['no wx', '001234567890abcdef'], ['wx only', 'wx'], ['a trailing dot', `${APPID}.`],
  ]) {
    test(`invalid: ${what}`, () => assert.deepEqual(noCtx(v), ['wxmsg/invalid-appid']));
  }
});

describe('page paths must be pages of app.json, subpackages included', () => {
  test('pagesOf: main pages, then each subpackage root + its pages (roots normalised)', () => {
    assert.deepEqual(PAGES, ['pages/index/index', 'pages/order/detail', 'packageA/pages/coupon/coupon', 'packageB/pages/cart/cart', 'packageB/pages/cart/list', 'packageC/index']);
  });
  const ok = [
    'pages/index/index', '/pages/index/index', 'pages/index/index?x=1', 'pages/index/index#top', 'pages/order/detail?id=1&b=2',
    'packageA/pages/coupon/coupon', '/packageB/pages/cart/cart?x=1', 'packageB/pages/cart/list', 'packageC/index',
  ];
  const misses: [string, string][] = [
    ['a prefix of a real page', 'pages/index'],
    ['a prefix ending in a slash', 'pages/index/'],
    ['a page minus its last letter', 'pages/index/inde'],
    ['a real page plus a letter', 'pages/index/index2'],
    ['a real page plus a segment', 'pages/index/index/more'],
    ['a real page with a trailing slash', 'pages/index/index/'],
    ['a real page in another case', 'Pages/index/index'],
    ['a subpackage root alone', 'packageA'],
    ['a subpackage root with a slash', 'packageA/'],
    ['a subpackage page without its root', 'pages/coupon/coupon'],
    ['a page under another subpackage', 'packageB/pages/coupon/coupon'],
    ['the other way round', 'packageA/pages/cart/cart'],
    ['a subpackage page\'s prefix', 'packageB/pages/cart'],
    ['the lower-case spelling\'s root alone', 'packageC'],
    ['its page without the root', 'index'],
    ['a page with a file extension', 'pages/index/index.wxml'],
    ['a relative path', './pages/index/index'],
  ];
  for (const p of ok) {
    test(`known: ${p}`, () => {
      assert.deepEqual(codes(validate(card(p), CTX)), []);
      assert.deepEqual(codes(validate(link(APPID, p.replace(/&/g, '&amp;')), CTX)), []);
    });
  }
  for (const [what, p] of misses) {
    test(`unknown: ${what} (${p})`, () => {
      assert.deepEqual(codes(validate(card(p), CTX)), ['wxmsg/unknown-page'], 'miniprogrampage.pagepath');
      assert.deepEqual(codes(validate(link(APPID, p), CTX)), ['wxmsg/unknown-page'], 'data-miniprogram-path');
    });
  }
  test('the same pages read from disk as wxmsg lint reads them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-edges-'));
    try {
      fs.writeFileSync(path.join(dir, 'project.config.json'), JSON.stringify({ appid: APPID }));
      fs.writeFileSync(path.join(dir, 'app.json'), JSON.stringify(APP_JSON));
      const ctx = new ProjectResolver().contextFor(path.join(dir, 'x.wxmsg.json'));
      assert.deepEqual(ctx.pages, PAGES);
      assert.deepEqual(codes(validate(card('packageB/pages/cart/list'), ctx)), []);
      assert.deepEqual(codes(validate(card('packageB'), ctx)), ['wxmsg/unknown-page']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('text.content: 2048 UTF-8 bytes (not characters) before a warning', () => {
  const limit = LIMITS.contentBytes;
  const tooLong = (content: string) => codes(validate(text(content), CTX)).includes('wxmsg/content-too-long');
  test('the limit is 2048 bytes', () => assert.equal(limit, 2048));
  test('ASCII: 2048 passes, 2049 warns', () => {
    assert.equal(tooLong('a'.repeat(limit)), false);
    assert.equal(tooLong('a'.repeat(limit + 1)), true);
  });
  test('Chinese (3 bytes each): 682 characters + 2 letters = 2048 bytes pass; 683 characters (2049 bytes) warn', () => {
    assert.equal(tooLong('你'.repeat(682) + 'ab'), false);
    assert.equal(tooLong('你'.repeat(683)), true);
    assert.equal(tooLong('你'.repeat(682) + 'abc'), true);
  });
  test('emoji (4 bytes, 2 UTF-16 units each): 512 pass, one more byte warns', () => {
    assert.equal(tooLong('😀'.repeat(512)), false);
    assert.equal(tooLong('😀'.repeat(512) + 'a'), true);
    assert.equal(tooLong('😀'.repeat(511) + 'é'.repeat(2)), false);
    assert.equal(tooLong('😀'.repeat(511) + 'é'.repeat(2) + 'a'), true);
  });
  test('escapes count as what they decode to, not as written', () => {
    // "\n" is two characters in the file and one byte in the message; \u00e9 is six and two.
    const nl = `{"msgtype":"text","text":{"content":"${'a'.repeat(limit - 1)}\\n"}}`;
    assert.deepEqual(codes(validate(nl, CTX)), []);
    const e = `{"msgtype":"text","text":{"content":"${'a'.repeat(limit - 2)}\\u00e9"}}`;
    assert.deepEqual(codes(validate(e, CTX)), []);
    const over = `{"msgtype":"text","text":{"content":"${'a'.repeat(limit - 1)}\\u00e9"}}`;
    assert.deepEqual(codes(validate(over, CTX)), ['wxmsg/content-too-long']);
  });
  test('the message gives the byte count', () => {
    const d = validate(text('你'.repeat(683)), CTX).find((x) => x.code === 'wxmsg/content-too-long')!;
    assert.match(d.message, /2049/);
  });
});

describe('nesting: 64 levels are parsed, 65 are refused', () => {
  const nested = (depth: number, prefix = '') =>
    `${prefix}{"msgtype":"text","text":{"content":"x"},"x":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
  const deep = (t: string) => codes(validate(t, CTX)).includes('wxmsg/nesting-too-deep');
  test('the limit is 64', () => assert.equal(LIMITS.maxDepth, 64));
  test('strict JSON (the fast parser)', () => {
    assert.equal(deep(nested(64)), false);
    assert.equal(deep(nested(65)), true);
  });
  test('with a comment (jsonc-parser after the depth check)', () => {
    assert.equal(deep(nested(64, '// c\n')), false);
    assert.equal(deep(nested(65, '// c\n')), true);
  });
  test('a bare array: exactly 64 or 65 brackets in the whole file', () => {
    for (const prefix of ['', '// c\n']) {
      assert.equal(deep(`${prefix}${'['.repeat(64)}${']'.repeat(64)}`), false, `64 ${JSON.stringify(prefix)}`);
      assert.equal(deep(`${prefix}${'['.repeat(65)}${']'.repeat(65)}`), true, `65 ${JSON.stringify(prefix)}`);
    }
  });
  test('objects count as arrays do; brackets in strings and comments do not', () => {
    const objects = (depth: number) => `{"msgtype":"text","text":{"content":"x"},"x":${'{"a":'.repeat(depth - 1)}1${'}'.repeat(depth - 1)}}`;
    assert.equal(deep(objects(64)), false);
    assert.equal(deep(objects(65)), true);
    for (const prefix of ['', '// c\n']) {
      assert.equal(deep(nested(64, `${prefix}/* ${'['.repeat(100)} */`)), false);
      assert.equal(deep(nested(64, `${prefix}// ${'{'.repeat(100)}\n`)), false);
      assert.equal(deep(`${prefix}{"msgtype":"text","text":{"content":"${'['.repeat(200)}\\"{"},"x":${'['.repeat(63)}${']'.repeat(63)}}`), false);
    }
  });
});

describe('file size: 2,000,000 characters are validated, one more is not', () => {
  const sized = (n: number) => {
    const head = '{"msgtype":"image","image":{"media_id":"M"},"pad":"';
    return head + 'a'.repeat(n - head.length - 2) + '"}';
  };
  test('at the limit and one over', () => {
    const at = sized(LIMITS.maxFileChars);
    assert.equal(at.length, LIMITS.maxFileChars);
    assert.deepEqual(codes(validate(at, CTX)), ['wxmsg/unknown-key']);
    assert.deepEqual(codes(validate(sized(LIMITS.maxFileChars + 1), CTX)), ['wxmsg/file-too-large']);
  });
});

describe('caps: syntax errors, links and diagnostics per document', () => {
  /** jsonc-parser reports one CommaExpected per missing comma: `[1 1 … 1]` with n ones has n − 1. */
  const syntaxErrors = (n: number) => validate(`[${'1 '.repeat(n + 1)}]`).filter((d) => d.code === 'wxmsg/syntax-error').length;
  test('50 syntax errors are all reported; of 51, 50', () => {
    assert.equal(syntaxErrors(49), 49);
    assert.equal(syntaxErrors(LIMITS.maxSyntaxErrors), 50);
    assert.equal(syntaxErrors(LIMITS.maxSyntaxErrors + 1), 50);
  });
  test('the 100th text link is checked, the 101st is not', () => {
    const good = `<a href="https://x.example" data-miniprogram-appid="${APPID}" data-miniprogram-path="pages/index/index">a</a>`;
    const bad = `<a href="https://x.example" data-miniprogram-appid="${APPID}0" data-miniprogram-path="pages/index/index">b</a>`;
    const foreign = (n: number) => validate(text(good.repeat(n - 1) + bad), CTX).filter((d) => d.code === 'wxmsg/foreign-appid').length;
    assert.equal(LIMITS.maxLinks, 100);
    assert.equal(foreign(100), 1);
    assert.equal(foreign(101), 0);
  });
  test('500 diagnostics are all reported; of 501, 500', () => {
    const dupes = (n: number) => validate(`{"msgtype":"image","image":{"media_id":"M"}${',"msgtype":"image"'.repeat(n)}}`, CTX);
    assert.equal(LIMITS.maxDiagnostics, 500);
    assert.equal(dupes(499).length, 499);
    assert.equal(dupes(500).length, 500);
    assert.equal(dupes(501).length, 500);
    assert.ok(dupes(500).every((d) => d.code === 'wxmsg/duplicate-key'));
  });
  test('duplicates are found on either side of the 16-member switch to a Set, the first member\'s too', () => {
    for (const n of [15, 16, 17]) {
      const keys = Array.from({ length: n - 1 }, (_, i) => `"k${i}":1`).join(',');
      for (const dup of ['"media_id":"N"', '"k0":2', `"k${n - 2}":2`]) {
        const t = `{"msgtype":"image","image":{"media_id":"M",${keys},${dup}}}`;
        const ds = validate(t, CTX).filter((d) => d.code === 'wxmsg/duplicate-key');
        assert.deepEqual(ds.map((d) => d.data?.key), [dup.split('"')[1]], `${n + 1} members, ${dup}`);
      }
    }
    assert.deepEqual(codes(validate('{"msgtype":"image","image":{"media_id":"M"},"msgtype":"image"}', CTX)), ['wxmsg/duplicate-key']);
  });
});

describe('touser: 28 characters of [A-Za-z0-9_-] (a hint otherwise)', () => {
  const hint = (v: string) => codes(validate(JSON.stringify({ touser: v, msgtype: 'image', image: { media_id: 'M' } }), CTX)).includes('wxmsg/openid-format');
  const id = 'oAbCdEfGhIjKlMnOpQrStUvWx_-1';
  test('28 pass; 27 and 29 are hinted', () => {
    assert.equal(id.length, 28);
    assert.equal(hint(id), false);
    assert.equal(hint(id.slice(1)), true);
    assert.equal(hint(`${id}a`), true);
  });
  test('one character outside the set is hinted', () => {
    for (const c of ['.', '+', '=', '/', ' ']) assert.equal(hint(`${id.slice(0, 27)}${c}`), true, JSON.stringify(c));
  });
  test('placeholders are not', () => {
    for (const v of ['OPENID', 'OPEN_ID_1', '{{openid}}', '${OPENID}', '<openid>']) assert.equal(hint(v), false, v);
    assert.equal(hint('OPENId'), true, 'one lower-case letter: not a placeholder');
  });
});

describe('control characters in text.content', () => {
  const control = (content: string) => validate(text(content), CTX).filter((d) => d.code === 'wxmsg/control-character').map((d) => d.data ?? d.message);
  test('U+001F is reported, U+0020 and U+007F are not; \\n and \\t pass, \\r does not', () => {
    assert.equal(control('a\u001fb').length, 1);
    assert.equal(control('a\u0000b').length, 1);
    assert.equal(control('a\u000bb').length, 1);
    assert.equal(control('a\rb').length, 1);
    for (const ok of ['a b', 'a\u007fb', 'a\nb', 'a\tb', 'a\u00a0b']) assert.deepEqual(control(ok), [], JSON.stringify(ok));
  });
  test('a surrogate pair passes; either half alone is reported', () => {
    assert.deepEqual(control('a😀b'), []);
    assert.equal(control('a\ud83db').length, 1);
    assert.equal(control('a\ude00b').length, 1);
    assert.equal(control('\ude00\ud83d').length, 2, 'the halves in the wrong order');
  });
});

describe('href and link URLs: http(s) with a host', () => {
  const href = (v: string) => codes(validate(text(`<a href="${v}" data-miniprogram-appid="${APPID}" data-miniprogram-path="pages/index/index">go</a>`), CTX));
  test('http and https with a host pass', () => {
    for (const v of ['https://x.example', 'http://x', 'HTTPS://X.EXAMPLE/a?b#c']) assert.deepEqual(href(v), [], v);
  });
  test('near misses of a URL are not one', () => {
    for (const v of ['https://', 'https:///x', 'https:/x.example', 'httpss://x.example', 'ftp://x.example', 'https//x.example', '//x.example', 'https://x .example']) {
      assert.deepEqual(href(v), ['wxmsg/href-not-http'], v);
    }
  });
  test('script schemes however written; a scheme that merely starts alike is not one', () => {
    for (const v of ['javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:x', 'java\tscript:x', '&#106;avascript:x', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd']) {
      assert.deepEqual(href(v), ['wxmsg/unsafe-href'], v);
    }
    for (const v of ['javascripts:x', 'xjavascript:x', 'datas:x']) assert.deepEqual(href(v), ['wxmsg/href-not-http'], v);
  });
  test('link.url and thumb_url', () => {
    const l = (url: string) => codes(validate(JSON.stringify({ msgtype: 'link', link: { title: 't', description: 'd', url, thumb_url: 'https://x.example/t.png' } }), CTX));
    assert.deepEqual(l('http://x'), []);
    for (const v of ['https://', 'https:/x.example', 'ftp://x.example', 'x.example']) assert.deepEqual(l(v), ['wxmsg/invalid-url'], v);
  });
});

describe('the media ledger: media expire 3 days after upload', () => {
  const uploaded = Date.parse('2026-01-01T00:00:00Z');
  const record: MediaRecord = { appid: APPID, media_id: 'Kq3_xYz-Lm0', type: 'image', source: 'a.png', sha256: '0'.repeat(64), uploadedAt: new Date(uploaded).toISOString() };
  const image = JSON.stringify({ msgtype: 'image', image: { media_id: 'Kq3_xYz-Lm0' } });
  const at = (now: number, appid = APPID) => codes(validate(image, { appid, mediaLedger: [record], now }));
  test('exactly 3 days old passes, 1 ms more is expired', () => {
    assert.equal(MEDIA_TTL_MS, 3 * 24 * 3_600_000);
    assert.deepEqual(at(uploaded + MEDIA_TTL_MS), []);
    assert.deepEqual(at(uploaded + MEDIA_TTL_MS + 1), ['wxmsg/media-expired']);
  });
  test('another appid that differs only in case or a digit is another appid', () => {
    assert.deepEqual(at(uploaded, 'wx1234567890ABCDEF'), ['wxmsg/media-other-appid']);
    assert.deepEqual(at(uploaded, 'wx1234567890abcdee'), ['wxmsg/media-other-appid']);
    assert.deepEqual(at(uploaded, `${APPID}0`), ['wxmsg/media-other-appid']);
  });
  test('a media_id that only starts like a recorded one is unknown', () => {
    const other = (id: string) => codes(validate(JSON.stringify({ msgtype: 'image', image: { media_id: id } }), { appid: APPID, mediaLedger: [record], now: uploaded }));
    assert.deepEqual(other('Kq3_xYz-Lm0'), []);
    for (const id of ['Kq3_xYz-Lm00', 'Kq3_xYz-Lm', 'kq3_xYz-Lm0', 'Kq3_xYz-Lm1']) assert.deepEqual(other(id), ['wxmsg/media-unknown'], id);
  });
});

describe('app.json: 2 MiB is read, one byte more is not', () => {
  test('at the limit and one over', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-edges-'));
    try {
      fs.writeFileSync(path.join(dir, 'project.config.json'), JSON.stringify({ appid: APPID }));
      const app = (bytes: number) => {
        const head = '{"pages":["pages/index/index"],"pad":"';
        const s = head + 'a'.repeat(bytes - head.length - 2) + '"}';
        assert.equal(Buffer.byteLength(s), bytes);
        fs.writeFileSync(path.join(dir, 'app.json'), s);
        return new ProjectResolver().contextFor(path.join(dir, 'x.wxmsg.json'));
      };
      const at = app(LIMITS.maxConfigBytes);
      assert.deepEqual(at.pages, ['pages/index/index']);
      assert.equal(at.problems, undefined);
      const over = app(LIMITS.maxConfigBytes + 1);
      assert.equal(over.pages, undefined);
      assert.deepEqual(over.problems?.map((p) => p.reason), ['too-large']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
