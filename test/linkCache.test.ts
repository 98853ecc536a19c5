import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../server/src/core/services/validate.ts';
import { parseTemplate } from '../server/src/core/parser/document.ts';
import { TAG_CACHE_MAX, clearTagCache, findTextLinks, tagCacheSize } from '../server/src/core/rules/textLinks.ts';
import type { ProjectContext } from '../server/src/core/types.ts';
import { textTemplate, typing, SMALL_LINKS } from '../bench/lsp.ts';

/**
 * Opening tags are cached by their text (textLinks.ts): a tag read from the cache must read
 * exactly as one read afresh, at whatever offset it now stands, and a tag that differs in one
 * character must never be served another's entry.
 */
const APPID = 'wx1234567890abcdef';
const CTX: ProjectContext = { appid: APPID, appidSource: 'project.config.json', pages: ['pages/index/index', 'pages/order/detail'], pagesSource: 'app.json' };
const template = (content: string) => JSON.stringify({ touser: 'OPENID', msgtype: 'text', text: { content } }, null, 2);
const tag = (appid: string, page = 'pages/index/index', href = 'https://x.example/a') =>
  `<a href="${href}" data-miniprogram-appid="${appid}" data-miniprogram-path="${page}">go</a>`;

/** What validation reports with an empty cache: every tag read from the text itself. */
function cold(text: string, context = CTX) {
  clearTagCache();
  return validate(parseTemplate(text), context, { locale: 'en' });
}
const warm = (text: string, context = CTX) => validate(parseTemplate(text), context, { locale: 'en' });

describe('cached opening tags (issue 19: edit latency)', () => {
  test('a cached tag reads as a fresh one, at another offset', () => {
    const content = `您好 ${tag(APPID)} 再见 ${tag(APPID, 'pages/order/detail')}`;
    const fresh = (clearTagCache(), findTextLinks(content));
    assert.ok(tagCacheSize() > 0, 'well-formed tags are cached');
    assert.deepEqual(findTextLinks(content), fresh);
    // The same tags, moved: offsets follow the text, not the cache.
    const moved = `前面多了一些字 😀 ${content}`;
    const movedFresh = (clearTagCache(), findTextLinks(moved));
    findTextLinks(content);
    assert.deepEqual(findTextLinks(moved), movedFresh);
    assert.equal(movedFresh[0].attributes[0].valueStart - fresh[0].attributes[0].valueStart, moved.indexOf('<a') - content.indexOf('<a'));
  });

  // Each pair differs in one character; the first is cached when the second is read.
  const nearMisses: [string, string, string][] = [
    ['appid, last digit', tag(APPID), tag('wx1234567890abcdee')],
    ['appid, case', tag(APPID), tag('wx1234567890abcdeF')],
    ['appid, one character longer', tag(APPID), tag(`${APPID}0`)],
    ['path', tag(APPID, 'pages/index/index'), tag(APPID, 'pages/index/indey')],
    ['href scheme', tag(APPID), tag(APPID, 'pages/index/index', 'javascript:x.example/a')],
    ['attribute name', tag(APPID), tag(APPID).replace('href=', 'herf=')],
    ['closing quote', tag(APPID), tag(APPID).replace('pages/index/index"', 'pages/index/index')],
    ['quote kind', tag(APPID), tag(APPID).replace(`"${APPID}"`, `'${APPID}"`)],
    ['space between attributes', tag(APPID), tag(APPID).replace('" data-miniprogram-appid', '"data-miniprogram-appid')],
  ];
  for (const [name, cached, other] of nearMisses) {
    test(`one character apart is another tag: ${name}`, () => {
      const expected = cold(template(`x ${other}`));
      const expectedCached = cold(template(`x ${cached}`));
      assert.notDeepEqual(expected, expectedCached, 'the pair is told apart by the rules');
      clearTagCache();
      warm(template(`x ${cached}`));
      assert.deepEqual(warm(template(`x ${other}`)), expected);
      // And back: the other one cached, the first read again.
      assert.deepEqual(warm(template(`x ${cached}`)), expectedCached);
    });
  }

  test('a quoted `>` inside a value: read to the real end of the tag, cached or not', () => {
    const odd = `<a href="https://x.example/?q=a>b" data-miniprogram-appid="${APPID}" data-miniprogram-path="pages/index/index">go</a>`;
    const expected = cold(template(odd));
    warm(template(`${odd} ${odd}`));
    assert.deepEqual(warm(template(odd)), expected);
    assert.equal(findTextLinks(JSON.parse(template(odd)).text.content)[0].label, 'go');
  });

  test('typing into the 60-link benchmark template: each version reports what a cold read reports', () => {
    const text = textTemplate(10_000, 7, SMALL_LINKS);
    let current = text;
    const script = typing(text);
    const ctx: ProjectContext = { ...CTX, pages: ['pages/index/index', 'pages/order/detail', ...Array.from({ length: 198 }, (_, i) => `pages/p${i}/index`)] };
    // 340 edits pass through a stray quote, an emoji and a whole link typed out and deleted.
    for (let i = 0; i < 340; i++) {
      const e = script.next().value!;
      current = current.slice(0, e.start) + e.text + current.slice(e.end);
      const hot = warm(current, ctx);
      assert.deepEqual(hot, cold(current, ctx), `edit ${i}`);
      warm(current, ctx);
    }
  });

  test('the cache is bounded', () => {
    clearTagCache();
    for (let i = 0; i < TAG_CACHE_MAX + 10; i++) findTextLinks(`<a href="https://x.example/${i}">x</a>`);
    assert.equal(tagCacheSize(), TAG_CACHE_MAX, 'full: the first tags are kept, later ones not added');
    // Full, it keeps serving what it holds (no emptying that a large document would repeat each
    // edit), and a tag not in it still reads right.
    const kept = '<a href="https://x.example/0">x</a>';
    const beyond = `<a href="https://x.example/${TAG_CACHE_MAX + 5}">x</a>`;
    const coldBeyond = (clearTagCache(), findTextLinks(beyond));
    for (let i = 0; i < TAG_CACHE_MAX + 10; i++) findTextLinks(`<a href="https://x.example/${i}">x</a>`);
    assert.deepEqual(findTextLinks(beyond), coldBeyond);
    assert.equal(tagCacheSize(), TAG_CACHE_MAX);
    const coldKept = (clearTagCache(), findTextLinks(kept));
    for (let i = 0; i < TAG_CACHE_MAX + 10; i++) findTextLinks(`<a href="https://x.example/${i}">x</a>`);
    assert.deepEqual(findTextLinks(kept), coldKept);
  });
});
