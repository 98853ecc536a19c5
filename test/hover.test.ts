import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate } from '../server/src/core/parser/document.ts';
import { doHover } from '../server/src/core/services/hover.ts';
import type { Hover } from '../server/src/core/languageTypes.ts';
import type { ProjectContext } from '../server/src/core/types.ts';
import { APPID, CTX, cursor, rangeIn } from './helpers.ts';
import { describeRules } from '../server/src/core/facts/deliveryRules.ts';

function hover(marked: string, ctx: ProjectContext = CTX, locale: 'en' | 'zh-cn' = 'en'): { text: string; h: Hover | undefined } {
  const { text, offset } = cursor(marked);
  return { text, h: doHover(parseTemplate(text), offset, ctx, locale) };
}

function value(h: Hover | undefined): string {
  assert.ok(h, 'no hover');
  assert.equal(h.contents.kind, 'markdown');
  return h.contents.value;
}

describe('field hovers', () => {
  test('a root key: 说明 and English, range = the key', () => {
    const { text, h } = hover('{ "ms|gtype": "text" }');
    const v = value(h);
    assert.ok(v.includes('消息类型'));
    assert.ok(v.includes('Message type'));
    assert.deepEqual(h!.range, rangeIn(text, '"msgtype"'));
  });

  test('touser quotes the delivery rules from the one shared table, in both languages', () => {
    for (const locale of ['en', 'zh-cn'] as const) {
      const v = value(hover('{ "tou|ser": "OPENID", "msgtype": "text" }', CTX, locale).h);
      assert.match(v, /45015/);
      // Markdown-escaped as hovers are; the numbers and windows come from deliveryRules.ts.
      for (const line of describeRules(undefined, locale)) assert.ok(v.includes(line.replace(/[\\`*_[\]<>#|]/g, '\\$&')), `${locale}: ${line}\n${v}`);
    }
    assert.match(value(hover('{ "tou|ser": "OPENID", "msgtype": "text" }').h), /Allowances do not add up/);
    assert.match(value(hover('{ "tou|ser": "OPENID", "msgtype": "text" }', CTX, 'zh-cn').h), /不累加/);
    // Only the recipient carries them.
    assert.doesNotMatch(value(hover('{ "ms|gtype": "text" }').h), /45015/);
  });

  test('a body field, on the key and on the value, with its limit', () => {
    for (const marked of ['{ "text": { "con|tent": "hi" } }', '{ "text": { "content": "h|i" } }']) {
      const v = value(hover(marked).h);
      assert.ok(v.includes('文本消息内容'), marked);
      assert.ok(v.includes('2048'), marked);
      assert.ok(v.includes('\\<a\\>'), 'the <a> in the doc is escaped for markdown');
    }
  });

  test('aimsgcontext and its msgid have docs in both languages; a body does not take them', () => {
    const { text, h } = hover('{ "msgtype": "text", "aimsg|context": { "msgid": "123" } }');
    const v = value(h);
    assert.match(v, /optional/);
    assert.match(v, /AI/);
    assert.match(v, /`msgid`/, 'lists its member');
    assert.deepEqual(h!.range, rangeIn(text, '"aimsgcontext"'));
    assert.match(value(hover('{ "msgtype": "text", "aimsgcontext": { "msgid": "123" } }'.replace('aimsgcontext', 'aimsgcontext').replace('"msgid"', '"ms|gid"')).h), /msgid of the user message/);
    assert.match(value(hover('{ "aimsg|context": {} }', CTX, 'zh-cn').h), /AI 消息上下文/);
    // Near misses: msgid in a body, or an aimsgcontext nested in a body, get no hover.
    assert.equal(hover('{ "text": { "ms|gid": "1" } }').h, undefined);
    assert.equal(hover('{ "text": { "aimsgcontext": { "ms|gid": "1" } } }').h, undefined);
  });

  test('the content field states where its limit comes from', () => {
    const v = value(hover('{ "text": { "con|tent": "hi" } }').h);
    assert.match(v, /WeCom/);
    assert.match(v, /none documented for mini programs/);
  });

  test('the same key means different things in different bodies', () => {
    assert.ok(value(hover('{ "link": { "ti|tle": "x" } }').h).includes('link'));
    assert.ok(value(hover('{ "link": { "ti|tle": "x" } }').h).includes('Title of the link card'));
    assert.ok(value(hover('{ "miniprogrampage": { "ti|tle": "x" } }').h).includes('Title of the mini program card'));
  });

  test('required / optional, localized', () => {
    assert.ok(value(hover('{ "tou|ser": "OPENID" }').h).includes('optional'));
    assert.ok(value(hover('{ "tou|ser": "OPENID" }', CTX, 'zh-cn').h).includes('可选'));
    assert.ok(value(hover('{ "image": { "me|dia_id": "M" } }', CTX, 'zh-cn').h).includes('必填'));
  });

  test('msgtype values and body keys', () => {
    const { text, h } = hover('{ "msgtype": "minipro|grampage" }');
    assert.ok(value(h).includes('小程序卡片'));
    assert.ok(value(h).includes('`pagepath`'));
    assert.deepEqual(h!.range, rangeIn(text, '"miniprogrampage"'));
    assert.ok(value(hover('{ "im|age": {} }').h).includes('图片消息'));
  });

  test('a pagepath value says whether app.json has the page', () => {
    const card = (p: string): string => `{ "msgtype": "miniprogrampage", "miniprogrampage": { "pagepath": "${p}" } }`;
    assert.ok(value(hover(card('pages/order/d|etail?id=1')).h).includes('`pages/order/detail`: ✓ listed in `app.json`'));
    assert.ok(value(hover(card('pages/nope|')).h).includes('⚠ not in `app.json`'));
    assert.ok(value(hover(card('pages/nope|'), {}).h).includes('not checked'));
    assert.ok(!value(hover(card('pages/nope|')).h).includes('✓'));
  });

  test('picurl explains thumb_url', () => {
    assert.ok(value(hover('{ "link": { "pic|url": "x" } }').h).includes('thumb\\_url'));
  });

  test('unknown keys, unknown objects, punctuation: no hover', () => {
    assert.equal(hover('{ "fo|o": 1 }').h, undefined);
    assert.equal(hover('{ "link": { "a": { "ti|tle": "x" } } }').h, undefined);
    assert.equal(hover('|{ "msgtype": "text" }').h, undefined);
    assert.equal(hover('{ "msgtype":| "text" }').h, undefined);
    assert.equal(hover('[ "ms|gtype" ]').h, undefined);
    assert.equal(hover('|').h, undefined);
  });
});

describe('text link hovers', () => {
  const content = (c: string): string => `{\n  "msgtype": "text",\n  "text": {\n    "content": ${JSON.stringify(c)}\n  }\n}`;
  const LINK = `Hi <a href="https://example.com/o" data-miniprogram-appid="${APPID}" data-miniprogram-path="pages/order/detail?id=42">查看</a>!`;

  function at(c: string, needle: string, delta = 1, ctx: ProjectContext = CTX, locale: 'en' | 'zh-cn' = 'en'): { text: string; h: Hover | undefined } {
    const text = content(c);
    const i = text.indexOf(needle);
    assert.notEqual(i, -1);
    return { text, h: doHover(parseTemplate(text), i + delta, ctx, locale) };
  }

  test('on the tag: the page, that it exists, the appid and the fallback URL; range = the tag', () => {
    const { text, h } = at(LINK, '<a ');
    const v = value(h);
    assert.ok(v.includes('`pages/order/detail`'), v);
    assert.ok(v.includes('`id=42`'), v);
    assert.ok(v.includes('✓'), v);
    assert.ok(v.includes(APPID), v);
    assert.ok(v.includes('`https://example.com/o`'), v);
    const start = text.indexOf('<a ');
    const end = text.indexOf('>查看') + 1;
    assert.deepEqual(h!.range, rangeIn(text, text.slice(start, end)));
  });

  test('on an attribute: its doc plus where the link goes; range = the attribute', () => {
    const { text, h } = at(LINK, 'data-miniprogram-path', 3);
    const v = value(h);
    assert.ok(v.includes('填写小程序路径'), v);
    assert.ok(v.includes('`pages/order/detail`'), v);
    assert.deepEqual(h!.range, rangeIn(text, 'data-miniprogram-path=\\"pages/order/detail?id=42\\"'));
  });

  test('on the link text and the closing tag', () => {
    const label = at(LINK, '查看');
    assert.ok(value(label.h).includes('pages/order/detail'));
    const start = label.text.indexOf('<a ');
    assert.deepEqual(label.h!.range, rangeIn(label.text, label.text.slice(start, label.text.indexOf('</a>') + 4)));
    assert.ok(value(at(LINK, '</a>', 2).h).includes('pages/order/detail'));
    // Outside the link: the field doc.
    assert.ok(value(at(LINK, 'Hi').h).includes('文本消息内容'));
  });

  test('a page not in app.json, a foreign appid, no app.json', () => {
    const bad = LINK.replace('pages/order/detail', 'pages/nope').replace(APPID, 'wxother0000000000');
    const v = value(at(bad, '<a ').h);
    assert.ok(v.includes('⚠ not in `app.json`'), v);
    assert.ok(v.includes('wxother0000000000'), v);
    assert.ok(v.includes('is not this mini program'), v);
    assert.ok(value(at(LINK, '<a ', 1, {}).h).includes('not checked'));
    // An appid with whitespace around it is not the same string.
    assert.ok(value(at(LINK.replace(APPID, ` ${APPID}`), '<a ').h).includes('is not this mini program'));
  });

  test('a path without an appid: the link opens href and the path is ignored', () => {
    const noAppid = LINK.replace(` data-miniprogram-appid="${APPID}"`, '');
    const v = value(at(noAppid, '<a ').h);
    assert.ok(v.includes('web page `https://example.com/o`'), v);
    assert.ok(v.includes('data-miniprogram-path is ignored'), v);
    assert.ok(!v.includes('Opens the mini program page'), v);
    assert.ok(value(at(noAppid, '<a ', 1, CTX, 'zh-cn').h).includes('会被忽略'));
    // Near miss: an empty appid attribute is still an appid attribute (reported by the linter).
    assert.ok(!value(at(LINK.replace(APPID, ''), '<a ').h).includes('is ignored'));
  });

  test('a plain web link', () => {
    const v = value(at('<a href="https://example.com/x">web</a>', '<a ').h);
    assert.ok(v.includes('web page `https://example.com/x`'), v);
  });

  test('zh-cn', () => {
    const v = value(at(LINK, '<a ', 1, CTX, 'zh-cn').h);
    assert.ok(v.includes('打开小程序页面'), v);
    assert.ok(v.includes('已在'), v);
  });

  test('offsets hold after escapes and astral characters', () => {
    const c = `😀 "q"\n\t${LINK}`;
    const { text, h } = at(c, 'data-miniprogram-appid', 2);
    assert.ok(value(h).includes('填写小程序appid'));
    assert.deepEqual(h!.range, rangeIn(text, `data-miniprogram-appid=\\"${APPID}\\"`));
  });

  test('CRLF file', () => {
    const text = content(LINK).replace(/\n/g, '\r\n');
    const i = text.indexOf('<a ');
    const h = doHover(parseTemplate(text), i + 1, CTX, 'en');
    assert.equal(h?.range?.start.line, 3);
    assert.ok(value(h).includes('pages/order/detail'));
  });
});

test('hover ranges contain the hovered offset, at every offset of the examples', async () => {
  const { readFileSync } = await import('node:fs');
  let seen = 0;
  for (const n of ['card', 'image', 'link', 'welcome']) {
    const text = readFileSync(`examples/templates/${n}.wxmsg.json`, 'utf8');
    const doc = parseTemplate(text);
    const ls = text.split(/\r?\n/);
    for (let o = 0; o <= text.length; o++) {
      const h = doHover(doc, o, CTX, 'en');
      if (!h) continue;
      seen++;
      const before = text.slice(0, o).split('\n');
      const line = before.length - 1;
      const ch = before[line].length;
      const r = h.range!;
      const afterStart = line > r.start.line || line === r.start.line && ch >= r.start.character;
      const beforeEnd = line < r.end.line || line === r.end.line && ch <= r.end.character;
      assert.ok(afterStart && beforeEnd, `${n} @${o}: ${JSON.stringify(r)}`);
      assert.ok(ls.length > 0);
    }
  }
  assert.ok(seen > 100);
});

test('deep nesting: no stack overflow', () => {
  for (const depth of [60, 3000]) {
    const text = '{"text":' + '{"a":'.repeat(depth) + '"x"' + '}'.repeat(depth + 1);
    const doc = parseTemplate(text);
    assert.equal(doHover(doc, text.indexOf('"x"') + 1, CTX, 'en'), undefined);
    // Within the parser's depth limit the body key still has its hover.
    assert.equal(!!doHover(doc, 3, CTX, 'en'), depth === 60);
  }
});

test('a link written with \\u escapes (\\u003ca …) is still found, ranges in source', () => {
  const text = `{ "text": { "content": "\\u003ca href=\\u0022https://a.com\\u0022 data-miniprogram-appid=\\"${APPID}\\" data-miniprogram-path=\\"pages/index/index\\"\\u003ego\\u003c/a\\u003e" } }`;
  const i = text.indexOf('href');
  const h = doHover(parseTemplate(text), i + 1, CTX, 'en');
  assert.ok(value(h).includes('`pages/index/index`'));
  assert.deepEqual(h!.range, rangeIn(text, 'href=\\u0022https://a.com\\u0022'));
});
