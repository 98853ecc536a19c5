// Issue 19, "an editor that guides instead of guessing": completion and fixes in context,
// plain-word syntax errors, the empty-file hint, page-path definitions (the pure core parts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCodeActions, getFixAllEdits } from '../server/src/core/services/codeActions.ts';
import { doCompleteList } from '../server/src/core/services/completion.ts';
import { pageEntryRange, pageSiteAt, pageSites } from '../server/src/core/services/definition.ts';
import { parseTemplate } from '../server/src/core/parser/document.ts';
import type { CompletionItem } from '../server/src/core/languageTypes.ts';
import { Severity, type ProjectContext } from '../server/src/core/types.ts';
import { validate } from '../server/src/core/services/validate.ts';
import { APPID, CTX, PAGES, applyEdits, cursor, expandSnippet, rangeAt } from './helpers.ts';
import { ROOT } from './lspClient.ts';

function complete(marked: string, ctx: ProjectContext = CTX) {
  const { text, offset } = cursor(marked);
  return { text, offset, ...doCompleteList(parseTemplate(text), offset, ctx, 'en') };
}

/** A snippet as a client inserts it with every default accepted (a choice takes its first value). */
function expand(snippet: string): string {
  return expandSnippet(snippet.replace(/\$\{(\d+)\|((?:\\.|[^|\\])*?)(?:,(?:\\.|[^|\\])*)*\|\}/g, (_m, _n, first: string) => first.replace(/\\(.)/g, '$1')));
}

function accept(text: string, item: CompletionItem): string {
  const main = item.insertTextFormat === 2 ? { ...item.textEdit!, newText: expand(item.textEdit!.newText) } : item.textEdit!;
  return applyEdits(text, [main, ...(item.additionalTextEdits ?? [])]);
}

/** What VS Code filters on: the text from the edit's start to the cursor, matched here as a prefix of filterText. */
function shownBy(text: string, offset: number, item: CompletionItem): boolean {
  const lines = text.slice(0, offset).split('\n');
  assert.equal(item.textEdit!.range.start.line, lines.length - 1, 'a completion edit stays on the cursor line');
  const typed = lines[lines.length - 1].slice(item.textEdit!.range.start.character);
  return (item.filterText ?? item.label).toLowerCase().startsWith(typed.toLowerCase());
}

const MESSAGES = ['wxmsg-text', 'wxmsg-image', 'wxmsg-link', 'wxmsg-miniprogrampage'];

describe('editor defaults for [wxmsg]', () => {
  test('word wrap on, word-based suggestions off, tab size 2, quick suggestions in strings', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const d = pkg.contributes.configurationDefaults['[wxmsg]'];
    assert.equal(d['editor.wordWrap'], 'on');
    assert.equal(d['editor.wordBasedSuggestions'], 'off');
    assert.equal(d['editor.tabSize'], 2);
    assert.equal(d['editor.quickSuggestions'].strings, 'on');
    // The static snippets are gone: VS Code offered them everywhere.
    assert.equal(pkg.contributes.snippets, undefined);
  });
});

describe('message snippets only in an empty or near-empty file', () => {
  test('an empty file, a typed word, an empty object: the four messages, each valid once inserted', () => {
    for (const marked of ['|', 'wxm|', '\n  wxmsg-l|\n', '{|}', '{\n  |\n}', '{ wx| }']) {
      const { text, items } = complete(marked);
      const snippets = items.filter((i) => i.label.startsWith('wxmsg-'));
      assert.deepEqual(snippets.map((i) => i.label), MESSAGES, marked);
      for (const s of snippets) {
        const out = accept(text, s);
        assert.equal(JSON.parse(out).msgtype, s.label.slice('wxmsg-'.length), out);
        assert.deepEqual(validate(out, CTX).filter((d) => d.severity === Severity.Error), [], out);
      }
    }
  });

  test('not inside a body, nor at the root of a file with content', () => {
    const near = ['{ "msgtype": "text", "text": { | } }', '{ "msgtype": "text", | }', '{ "touser": "x" } |', '{ "text": { "content": "wx|" } }', '[ | ]'];
    for (const marked of near) {
      assert.ok(!complete(marked).items.some((i) => i.label.startsWith('wxmsg-')), marked);
    }
    // The root still offers the body snippets (the key and its object).
    const body = complete('{ "msgtype": "link", | }').items.find((i) => i.label === 'link');
    assert.ok(body?.textEdit?.newText.includes('"title"'));
  });
});

describe('the <a snippet only inside text.content', () => {
  const wrap = (content: string): string => `{ "msgtype": "text", "text": { "content": "${content}" } }`;

  test('after < in content: the project appid filled in, the pages as a choice, valid once inserted', () => {
    for (const marked of [wrap('Hi <|'), wrap('Hi <a|'), wrap('<|')]) {
      const { text, items } = complete(marked);
      assert.deepEqual(items.map((i) => i.label), ['<a'], marked);
      const snippet = items[0].textEdit!.newText;
      assert.ok(snippet.includes(`data-miniprogram-appid=\\\\"${APPID}\\\\"`), snippet);
      assert.ok(!snippet.includes('APPID'), snippet);
      assert.ok(snippet.includes(`\${2|${PAGES.join(',')}|}`), snippet);
      const out = accept(text, items[0]);
      assert.deepEqual(validate(out, CTX), [], out);
      assert.match(JSON.parse(out).text.content, new RegExp(`<a href="https://example.com/" data-miniprogram-appid="${APPID}" data-miniprogram-path="${PAGES[0]}">link text</a>$`));
    }
  });

  test('nowhere else: plain content, another string, an existing tag, a key', () => {
    assert.deepEqual(complete(wrap('Hi |')).items, []);
    assert.deepEqual(complete('{ "msgtype": "link", "link": { "title": "<|" } }').items, []);
    assert.ok(!complete(wrap('<a |>go</a>')).items.some((i) => i.label === '<a'));
    assert.ok(!complete(wrap('<a|>go</a>')).items.some((i) => i.label === '<a'));
  });

  test('without a known appid the snippet keeps a tab stop for it', () => {
    const { items } = complete(wrap('<|'), { pages: PAGES });
    assert.match(items[0].textEdit!.newText, /data-miniprogram-appid=\\\\"\$\{2:APPID\}\\\\"/);
  });
});

describe('page paths offered in full at every path position', () => {
  test('pagepath holding the snippet placeholder: every page shown, the whole string replaced', () => {
    const marked = '{ "msgtype": "miniprogrampage", "miniprogrampage": { "title": "T", "pagepath": "pages/index/index|", "thumb_media_id": "M" } }';
    const { text, offset, items, isIncomplete } = complete(marked);
    assert.deepEqual(items.map((i) => i.label), PAGES);
    assert.equal(isIncomplete, true);
    for (const item of items) {
      assert.ok(shownBy(text, offset, item), `${item.label} filtered out by the placeholder`);
      assert.deepEqual(item.textEdit!.range, rangeAt(text, text.indexOf('"pages/index/index"'), text.indexOf('"pages/index/index"') + 19));
    }
    const out = accept(text, items[1]);
    assert.equal(JSON.parse(out).miniprogrampage.pagepath, PAGES[1]);
  });

  test('a partly typed path still filters as usual', () => {
    const { text, offset, items, isIncomplete } = complete('{ "msgtype": "miniprogrampage", "miniprogrampage": { "pagepath": "pages/o|" } }');
    assert.equal(isIncomplete, false);
    assert.deepEqual(items.filter((i) => shownBy(text, offset, i)).map((i) => i.label), ['pages/order/detail']);
  });

  test('a text link path holding a page: every page shown', () => {
    const marked = '{ "msgtype": "text", "text": { "content": "<a href=\\"https://a.example/\\" data-miniprogram-appid=\\"' + APPID + '\\" data-miniprogram-path=\\"pages/order/detail|\\">go</a>" } }';
    const { text, offset, items, isIncomplete } = complete(marked);
    assert.equal(isIncomplete, true);
    assert.deepEqual(items.filter((i) => shownBy(text, offset, i)).map((i) => i.label), PAGES);
    assert.match(JSON.parse(accept(text, items[2])).text.content, /data-miniprogram-path="packageA\/pages\/coupon\/coupon">go<\/a>$/);
  });
});

function fixes(text: string, code: string, ctx: ProjectContext = CTX) {
  const doc = parseTemplate(text);
  const ds = validate(doc, ctx).filter((d) => d.code === `wxmsg/${code}`);
  assert.ok(ds.length, `no ${code} in ${JSON.stringify(validate(doc, ctx).map((d) => d.code))}`);
  return getCodeActions(doc, ds, ctx, 'en');
}

describe('syntax errors in plain words, with safe fixes', () => {
  test('a missing comma: said plainly (en, zh) at the member after it; the fix inserts it', () => {
    const text = '{\n  "msgtype": "text"\n  "text": { "content": "hi" }\n}';
    const [en] = validate(text, CTX, { locale: 'en' });
    assert.equal(en.message, 'Syntax error: a comma is missing between two members.');
    assert.deepEqual(en.range.start, { line: 2, character: 2 });
    const [zh] = validate(text, CTX, { locale: 'zh-cn' });
    assert.equal(zh.message, '语法错误：两个成员之间缺少逗号。');
    const [fix] = fixes(text, 'syntax-error');
    assert.equal(fix.title, 'Insert the missing comma');
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(validate(applyEdits(text, fix.edits!), CTX), []);
  });

  test('an unclosed string: "this value is not closed"; the quote goes at the end of its line, before a comma', () => {
    const text = '{\n  "msgtype": "text",\n  "text": { "content": "hi,\n  "x": 1 }\n}';
    const ds = validate(text, CTX);
    assert.match(ds[0].message, /^Syntax error: this value is not closed/);
    assert.match(validate(text, CTX, { locale: 'zh-cn' })[0].message, /^语法错误：这个值没有结束/);
    const doc = parseTemplate(text);
    const all = getFixAllEdits(doc, validate(doc, CTX), CTX);
    const fixed = applyEdits(text, all);
    assert.equal(fixed, '{\n  "msgtype": "text",\n  "text": { "content": "hi",\n  "x": 1 }\n}');
  });

  test('no fix where none is safe (a missing value, a colon, a stray quote style)', () => {
    for (const text of ['{ "msgtype": }', '{ "msgtype" "text" }', "{ 'msgtype': 'text' }"]) {
      const doc = parseTemplate(text);
      const ds = validate(doc, CTX).filter((d) => d.code === 'wxmsg/syntax-error');
      assert.ok(ds.length);
      assert.ok(ds.every((d) => !/[A-Z][a-z]+Expected|InvalidSymbol/.test(d.message)), ds.map((d) => d.message).join());
      assert.deepEqual(getCodeActions(doc, ds, CTX, 'en'), [], text);
    }
  });
});

describe('an empty new file', () => {
  test('the editor shows one friendly hint; lint (no option) still reports a syntax error', () => {
    for (const text of ['', '\n\n  ', '\ufeff']) {
      const editor = validate(text, CTX, { emptyFileHint: true, locale: 'en' });
      assert.equal(editor.length, 1, JSON.stringify(text));
      assert.equal(editor[0].severity, Severity.Hint);
      assert.match(editor[0].message, /type `wxmsg` for a message snippet/);
      assert.match(validate(text, CTX, { emptyFileHint: true, locale: 'zh-cn' })[0].message, /输入 wxmsg/);
      const lint = validate(text, CTX);
      assert.equal(lint[0].code, 'wxmsg/syntax-error');
      assert.equal(lint[0].severity, Severity.Error);
    }
    // Anything typed is checked as usual, even in the editor.
    assert.equal(validate('{', CTX, { emptyFileHint: true })[0].severity, Severity.Error);
  });
});

describe('msgtype fixes based on what is there', () => {
  const LINK = '"link": { "title": "T", "description": "D", "url": "https://a.example/", "thumb_url": "https://a.example/t.png" }';

  test('a wrong msgtype next to a valid body: "Set msgtype to link", preferred, and clean after', () => {
    const text = `{ "msgtype": "news", ${LINK} }`;
    const actions = fixes(text, 'invalid-msgtype');
    assert.deepEqual(actions.map((a) => a.title), ['Set msgtype to "link" (the body present)']);
    assert.equal(actions[0].isPreferred, true);
    assert.deepEqual(validate(applyEdits(text, actions[0].edits!), CTX), []);
    // A body that is not valid as its type says nothing: no guess.
    assert.deepEqual(fixes('{ "msgtype": "news", "link": { "title": "T" } }', 'invalid-msgtype'), []);
  });

  test('near-miss values offer the closest type', () => {
    const cases: [string, string][] = [['miniprogram', 'miniprogrampage'], ['Text', 'text'], ['IMAGE', 'image'], ['mini_program_page', 'miniprogrampage'], ['lnk', 'link']];
    for (const [value, expected] of cases) {
      const actions = fixes(`{ "msgtype": "${value}" }`, 'invalid-msgtype');
      assert.deepEqual(actions.map((a) => a.title), [`Change msgtype to "${expected}"`], value);
    }
    assert.deepEqual(fixes('{ "msgtype": "news" }', 'invalid-msgtype'), []);
    assert.deepEqual(fixes('{ "msgtype": "pic" }', 'invalid-msgtype'), []);
  });

  test('completion prefers the msgtype matching the body present', () => {
    const { items } = complete(`{ "msgtype": "|", ${LINK} }`);
    assert.equal(items[0].label, 'link');
    assert.equal(items[0].preselect, true);
    assert.equal(items.filter((i) => i.preselect).length, 1);
    const none = complete('{ "msgtype": "|" }').items;
    assert.equal(none[0].label, 'text');
    assert.ok(!none.some((i) => i.preselect));
  });

  test('a root key renamed to a body only when that body would be valid', () => {
    const bad = fixes('{ "msgtype": "text", "txt": { "title": "T" } }', 'unknown-key').map((a) => a.title);
    assert.ok(!bad.some((t) => t.startsWith('Rename')), bad.join());
    const good = fixes('{ "msgtype": "text", "txt": { "content": "hi" } }', 'unknown-key').map((a) => a.title);
    assert.ok(good.includes('Rename "txt" to "text"'), good.join());
  });
});

describe('page paths: where they are and where app.json lists them', () => {
  test('pagepath and text-link paths, query dropped; the one under the cursor', () => {
    const text = '{ "msgtype": "text", "text": { "content": "<a href=\\"https://a.example/\\" data-miniprogram-appid=\\"wx\\" data-miniprogram-path=\\"/pages/order/detail?id=1\\">go</a>" }, "miniprogrampage": { "pagepath": "pages/index/index" } }';
    const doc = parseTemplate(text);
    const sites = pageSites(doc);
    assert.deepEqual(sites.map((s) => s.page), ['pages/order/detail', 'pages/index/index']);
    assert.equal(text.slice(sites[0].start, sites[0].end), '/pages/order/detail?id=1');
    assert.equal(pageSiteAt(doc, text.indexOf('order'))?.page, 'pages/order/detail');
    assert.equal(pageSiteAt(doc, text.indexOf('msgtype')), undefined);
  });

  test('the entry in pages or in a subpackage (both spellings)', () => {
    const app = '{\n  "pages": [\n    "pages/index/index",\n    "pages/order/detail"\n  ],\n  "subPackages": [{ "root": "packageA/", "pages": ["pages/coupon/coupon"] }]\n}';
    assert.deepEqual(pageEntryRange(app, 'pages/order/detail'), { start: { line: 3, character: 4 }, end: { line: 3, character: 24 } });
    assert.deepEqual(pageEntryRange(app, 'packageA/pages/coupon/coupon')?.start, { line: 5, character: 51 });
    assert.equal(pageEntryRange(app, 'pages/nope/nope'), undefined);
    assert.equal(pageEntryRange('{ broken', 'pages/index/index'), undefined);
  });
});

