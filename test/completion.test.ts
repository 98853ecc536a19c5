import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { doComplete } from '../server/src/core/services/completion.ts';
import { parseTemplate } from '../server/src/core/parser/document.ts';
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from '../server/src/core/languageTypes.ts';
import type { ProjectContext } from '../server/src/core/types.ts';
import { validate } from '../server/src/core/services/validate.ts';
import { APPID, CTX, PAGES, applyEdits, cursor, expandSnippet, rangeAt } from './helpers.ts';

function complete(marked: string, ctx: ProjectContext = CTX, locale: 'en' | 'zh-cn' = 'en'): { text: string; offset: number; items: CompletionItem[] } {
  const { text, offset } = cursor(marked);
  return { text, offset, items: doComplete(parseTemplate(text), offset, ctx, locale) };
}

function labels(items: CompletionItem[]): string[] {
  return items.map((i) => i.label);
}

function pick(items: CompletionItem[], label: string): CompletionItem {
  const item = items.find((i) => i.label === label);
  assert.ok(item, `no "${label}" in ${JSON.stringify(labels(items))}`);
  return item;
}

/** The text after accepting `item`, as a client would insert it. */
function accept(text: string, item: CompletionItem): string {
  assert.ok(item.textEdit, 'completion without a textEdit');
  const main = item.insertTextFormat === InsertTextFormat.Snippet
    ? { ...item.textEdit, newText: expandSnippet(item.textEdit.newText) }
    : item.textEdit;
  return applyEdits(text, [main, ...(item.additionalTextEdits ?? [])]);
}

const MESSAGES = ['wxmsg-text', 'wxmsg-image', 'wxmsg-link', 'wxmsg-miniprogrampage'];
const ROOT_KEYS = ['touser', 'msgtype', 'text', 'image', 'link', 'miniprogrampage', 'aimsgcontext'];

describe('property keys', () => {
  test('in an empty root object: every root key', () => {
    const { text, items } = complete('{\n  |\n}');
    // An empty object is a near-empty file: the whole-message snippets come first.
    assert.deepEqual(labels(items), [...MESSAGES, ...ROOT_KEYS]);
    const out = accept(text, pick(items, 'touser'));
    assert.equal(out, '{\n  "touser": "OPENID"\n}');
  });

  test('keys already present are left out; with a msgtype only its body is offered', () => {
    const { items } = complete('{\n  "msgtype": "link",\n  |\n}');
    assert.deepEqual(labels(items), ['touser', 'link', 'aimsgcontext']);
  });

  test('a body key inserts the body with its required fields', () => {
    const { text, items } = complete('{\n  "msgtype": "link",\n  |\n}');
    const out = accept(text, pick(items, 'link'));
    assert.deepEqual(validate(out, CTX), []);
    assert.equal(pick(items, 'link').kind, CompletionItemKind.Module);
  });

  test('per-msgtype body keys, excluding present ones', () => {
    assert.deepEqual(labels(complete('{ "msgtype": "link", "link": { "title": "T", | } }').items), ['description', 'url', 'thumb_url']);
    assert.deepEqual(labels(complete('{ "msgtype": "image", "image": { | } }').items), ['media_id']);
    assert.deepEqual(labels(complete('{ "msgtype": "miniprogrampage", "miniprogrampage": { | } }').items), ['title', 'pagepath', 'thumb_media_id']);
    assert.deepEqual(labels(complete('{ "msgtype": "text", "text": { "content": "x", | } }').items), []);
  });

  test('a key right after the cursor is still present (not the one being typed)', () => {
    const { text, items } = complete('{ |"msgtype": "image", "image": { "media_id": "M" } }');
    assert.deepEqual(labels(items), ['touser', 'aimsgcontext']);
    assert.deepEqual(validate(accept(text, items[0]), CTX), []);
    assert.deepEqual(validate(accept(text, items[1]), CTX), []);
  });

  test('aimsgcontext: the root key inserts { "msgid": … }, inside it msgid is offered, both with docs', () => {
    const { text, items } = complete('{\n  "msgtype": "image",\n  "image": { "media_id": "M" },\n  |\n}');
    const item = pick(items, 'aimsgcontext');
    assert.match(String((item.documentation as { value: string }).value), /msgid/);
    const out = accept(text, item);
    assert.deepEqual(JSON.parse(out).aimsgcontext, { msgid: 'MSGID' });
    assert.deepEqual(validate(out, CTX), []);
    const inner = complete('{ "msgtype": "image", "image": { "media_id": "M" }, "aimsgcontext": { | } }');
    assert.deepEqual(labels(inner.items), ['msgid']);
    assert.deepEqual(JSON.parse(accept(inner.text, inner.items[0])).aimsgcontext, { msgid: 'MSGID' });
    // Present keys are left out; a body's object gets no aimsgcontext member.
    assert.deepEqual(labels(complete('{ "msgtype": "image", "aimsgcontext": { "msgid": "x" }, "image": {}, | }').items), ['touser']);
    assert.ok(!labels(complete('{ "msgtype": "image", "image": { | } }').items).includes('aimsgcontext'));
    // The value position: the object snippet.
    const value = complete('{ "msgtype": "image", "image": { "media_id": "M" }, "aimsgcontext": | }');
    assert.deepEqual(JSON.parse(accept(value.text, value.items[0])).aimsgcontext, { msgid: 'MSGID' });
  });

  test('details: the English first clause, or the Chinese 说明 for zh-cn', () => {
    assert.equal(pick(complete('{ "link": { | } }').items, 'title').detail, 'Title of the link card');
    assert.equal(pick(complete('{ "link": { | } }', CTX, 'zh-cn').items, 'title').detail, '消息标题');
    assert.equal(pick(complete('{ "link": { | } }').items, 'thumb_url').detail, 'Absolute http(s) URL of the JPG/PNG thumbnail');
  });

  test('a half-typed key in quotes: the whole string token is replaced', () => {
    const { text, items } = complete('{\n  "msgtype": "link",\n  "link": {\n    "ti|"\n  }\n}');
    const item = pick(items, 'title');
    const start = text.indexOf('"ti"');
    assert.deepEqual(item.textEdit!.range, rangeAt(text, start, start + 4));
    assert.equal(item.filterText, '"title"');
    assert.equal(accept(text, item), '{\n  "msgtype": "link",\n  "link": {\n    "title": "Title"\n  }\n}');
  });

  test('an empty key string and an empty object with no spaces', () => {
    const a = complete('{ "msgtype": "image", "image": { "|" } }');
    assert.equal(accept(a.text, pick(a.items, 'media_id')), '{ "msgtype": "image", "image": { "media_id": "MEDIA_ID" } }');
    const b = complete('{"msgtype": "image", "image": {|}}');
    assert.equal(accept(b.text, pick(b.items, 'media_id')), '{"msgtype": "image", "image": {"media_id": "MEDIA_ID"}}');
    assert.deepEqual(labels(complete('{|}').items), [...MESSAGES, ...ROOT_KEYS]);
  });

  test('a key whose colon is already there: only the key is replaced', () => {
    const { text, items } = complete('{ "msgtype": "image", "image": { "med|": "M" } }');
    const item = pick(items, 'media_id');
    assert.equal(item.insertTextFormat, InsertTextFormat.PlainText);
    assert.equal(accept(text, item), '{ "msgtype": "image", "image": { "media_id": "M" } }');
  });

  test('a bare word (no quotes yet) is replaced', () => {
    const { text, items } = complete('{ "msgtype": "image", "image": { med| } }');
    assert.equal(accept(text, pick(items, 'media_id')), '{ "msgtype": "image", "image": { "media_id": "MEDIA_ID" } }');
  });

  test('a key typed after a value with no comma: the comma is inserted too', () => {
    const { text, items } = complete('{\n  "msgtype": "image"\n  |\n}');
    const out = accept(text, pick(items, 'image'));
    assert.ok(out.startsWith('{\n  "msgtype": "image",\n'), out);
    assert.deepEqual(validate(out, CTX), []);
  });

  test('a key inserted before another member gets a trailing comma', () => {
    const { text, items } = complete('{\n  |\n  "msgtype": "image", "image": { "media_id": "M" }\n}');
    const out = accept(text, pick(items, 'touser'));
    assert.deepEqual(validate(out, CTX), []);
  });

  test('unterminated document: cursor at the end of a half-typed key', () => {
    const { text, items } = complete('{ "msgtype": "text", "text": { "co|');
    assert.deepEqual(labels(items), ['content']);
    assert.ok(accept(text, items[0]).endsWith('"content": "Hello World"'));
  });

  test('documentation carries the Chinese 说明 and the English line', () => {
    const { items } = complete('{ "msgtype": "miniprogrampage", "miniprogrampage": { | } }');
    const doc = pick(items, 'pagepath').documentation!.value;
    assert.ok(doc.includes('小程序的页面路径'));
    assert.ok(doc.includes('Page of this mini program'));
  });

  test('no key completion outside the payload objects or inside values', () => {
    assert.deepEqual(complete('{ "msgtype": "text", "text": { "content": "x" }, "extra": { | } }').items, []);
    assert.deepEqual(complete('{ "touser": "OP|" }').items, []);
    assert.deepEqual(labels(complete('|').items), MESSAGES);
    assert.deepEqual(complete('{ "msgtype" | }').items, []);
    assert.deepEqual(complete('[ | ]').items, []);
  });
});

describe('msgtype values', () => {
  test('inside the msgtype string: the four types, replacing the whole string', () => {
    const { text, items } = complete('{ "msgtype": "te|" }');
    assert.deepEqual(labels(items), ['text', 'image', 'link', 'miniprogrampage']);
    const item = pick(items, 'miniprogrampage');
    const start = text.indexOf('"te"');
    assert.deepEqual(item.textEdit!.range, rangeAt(text, start, start + 4));
    assert.equal(accept(text, item), '{ "msgtype": "miniprogrampage" }');
    assert.ok(item.documentation!.value.includes('小程序卡片'));
    assert.ok(item.documentation!.value.includes('Mini program card'));
  });

  test('in an empty string, after the colon, and on a bare word', () => {
    for (const marked of ['{ "msgtype": "|" }', '{ "msgtype": | }', '{ "msgtype": im| }']) {
      const { text, items } = complete(marked);
      assert.equal(accept(text, pick(items, 'image')), '{ "msgtype": "image" }', marked);
    }
  });

  test('a value followed by a key without a comma gets one', () => {
    const { text, items } = complete('{\n  "msgtype": |\n  "image": { "media_id": "M" }\n}');
    const out = accept(text, pick(items, 'image'));
    assert.deepEqual(validate(out, CTX), []);
  });
});

describe('body values', () => {
  test('after a body key: an object with the required fields', () => {
    const { text, items } = complete('{\n  "msgtype": "miniprogrampage",\n  "miniprogrampage": |\n}');
    assert.deepEqual(labels(items), ['{ title, pagepath, thumb_media_id }']);
    assert.deepEqual(validate(accept(text, items[0]), CTX), []);
  });
});

describe('pages and appid', () => {
  test('pagepath: pages from app.json, the whole string replaced', () => {
    const { text, items } = complete('{ "msgtype": "miniprogrampage", "miniprogrampage": { "pagepath": "pages/o|" } }');
    assert.deepEqual(labels(items), PAGES);
    assert.equal(accept(text, pick(items, 'pages/order/detail')), '{ "msgtype": "miniprogrampage", "miniprogrampage": { "pagepath": "pages/order/detail" } }');
    assert.equal(pick(items, 'pages/order/detail').filterText, '"pages/order/detail"');
  });

  test('pagepath without app.json: nothing', () => {
    assert.deepEqual(complete('{ "msgtype": "miniprogrampage", "miniprogrampage": { "pagepath": "|" } }', {}).items, []);
  });

  test('pagepath only in the miniprogrampage body', () => {
    assert.deepEqual(complete('{ "msgtype": "link", "link": { "pagepath": "|" } }').items, []);
  });

  test('data-miniprogram-path inside text.content: only the attribute value is replaced', () => {
    const { text, items } = complete('{ "msgtype": "text", "text": { "content": "Hi <a href=\\"https://a.com\\" data-miniprogram-path=\\"pag|\\">go</a>" } }');
    assert.deepEqual(labels(items), PAGES);
    const item = pick(items, 'packageA/pages/coupon/coupon');
    const start = text.indexOf('pag\\"');
    assert.deepEqual(item.textEdit!.range, rangeAt(text, start, start + 3));
    const out = accept(text, item);
    assert.ok(out.includes('data-miniprogram-path=\\"packageA/pages/coupon/coupon\\">go</a>'), out);
  });

  test('data-miniprogram-path in an empty value', () => {
    const { text, items } = complete('{ "msgtype": "text", "text": { "content": "<a data-miniprogram-path=\\"|\\">go</a>" } }');
    assert.ok(accept(text, pick(items, 'pages/index/index')).includes('data-miniprogram-path=\\"pages/index/index\\">'));
  });

  test('unterminated attribute value: only the typed part is replaced', () => {
    const { text, items } = complete('{ "msgtype": "text", "text": { "content": "<a data-miniprogram-path=\\"pages/i| go" } }');
    const out = accept(text, pick(items, 'pages/index/index'));
    assert.ok(out.includes('data-miniprogram-path=\\"pages/index/index go"'), out);
  });

  test('data-miniprogram-appid: the configured appid', () => {
    const { text, items } = complete('{ "msgtype": "text", "text": { "content": "<a data-miniprogram-appid=\\"wx|\\" data-miniprogram-path=\\"pages/index/index\\">go</a>" } }');
    assert.deepEqual(labels(items), [APPID]);
    assert.equal(items[0].detail, 'project.config.json');
    assert.ok(accept(text, items[0]).includes(`data-miniprogram-appid=\\"${APPID}\\"`));
  });

  test('data-miniprogram-appid without a configured appid: nothing', () => {
    assert.deepEqual(complete('{ "msgtype": "text", "text": { "content": "<a data-miniprogram-appid=\\"|\\">go</a>" } }', {}).items, []);
  });

  test('after escapes and astral characters the offsets still map', () => {
    const { text, items } = complete('{ "msgtype": "text", "text": { "content": "😀\\n\\u4f60 \\"q\\" <a href=\\"https://a.com\\" data-miniprogram-appid=\\"wx1234567890abcdef\\" data-miniprogram-path=\\"|\\">go</a>" } }');
    const out = accept(text, pick(items, 'pages/order/detail'));
    assert.ok(out.includes('data-miniprogram-path=\\"pages/order/detail\\">go'), out);
    assert.deepEqual(validate(out, CTX).filter((d) => d.code !== 'wxmsg/unclosed-link'), []);
  });

  test('right after `=` (no quote typed yet): the value comes quoted', () => {
    const { text, items } = complete('{ "msgtype": "text", "text": { "content": "<a href=\\"https://a.com\\" data-miniprogram-path=|>go</a>" } }');
    const out = accept(text, pick(items, 'pages/index/index'));
    assert.equal(JSON.parse(out).text.content, '<a href="https://a.com" data-miniprogram-path="pages/index/index">go</a>');
    const typed = complete('{ "msgtype": "text", "text": { "content": "<a data-miniprogram-appid=wx|>go</a>" } }');
    assert.equal(JSON.parse(accept(typed.text, typed.items[0])).text.content, `<a data-miniprogram-appid="${APPID}">go</a>`);
  });

  test('single-quoted attribute values work too', () => {
    const { text, items } = complete("{ \"msgtype\": \"text\", \"text\": { \"content\": \"<a data-miniprogram-path='|'>go</a>\" } }");
    assert.ok(accept(text, pick(items, 'pages/index/index')).includes("data-miniprogram-path='pages/index/index'"));
  });
});

describe('text link attribute names', () => {
  const wrap = (content: string): string => `{ "msgtype": "text", "text": { "content": "${content}" } }`;

  test('inside <a …>: the attribute names, inserted escaped', () => {
    const { text, items } = complete(wrap('Hi <a |>go</a>'));
    assert.deepEqual(labels(items), ['href', 'data-miniprogram-appid', 'data-miniprogram-path']);
    const out = accept(text, pick(items, 'data-miniprogram-path'));
    assert.equal(out, wrap('Hi <a data-miniprogram-path=\\"\\">go</a>'));
    assert.equal(JSON.parse(out).text.content, 'Hi <a data-miniprogram-path="">go</a>');
  });

  test('right after <a a space is added', () => {
    const { text, items } = complete(wrap('<a|>go</a>'));
    assert.equal(JSON.parse(accept(text, pick(items, 'href'))).text.content, '<a href="">go</a>');
  });

  test('present attributes are left out; a half-typed name is replaced', () => {
    const { text, items } = complete(wrap('<a href=\\"https://a.com\\" data-m|>go</a>'));
    assert.deepEqual(labels(items), ['data-miniprogram-appid', 'data-miniprogram-path']);
    const out = accept(text, pick(items, 'data-miniprogram-appid'));
    assert.equal(JSON.parse(out).text.content, '<a href="https://a.com" data-miniprogram-appid="">go</a>');
  });

  test('renaming an attribute that has a value keeps the value', () => {
    const { text, items } = complete(wrap('<a hr|=\\"https://a.com\\">go</a>'));
    assert.equal(JSON.parse(accept(text, pick(items, 'href'))).text.content, '<a href="https://a.com">go</a>');
  });

  test('outside a tag: nothing', () => {
    assert.deepEqual(complete(wrap('Hi | <a href=\\"x\\">go</a>')).items, []);
    assert.deepEqual(complete(wrap('<a href=\\"x\\">g|o</a>')).items, []);
  });

  test('never throws at any offset of a broken document', () => {
    const samples = [
      wrap('<a href=\\"x data-miniprogram-path=\\"pages/'),
      '{ "msgtype": "text", "text": { "content": "<a ',
      '{ "msgtype": "text", "text": { "content": "<a href=\\u0022x\\u0022>😀</a>\\',
      '{ "msgtype": , "text": { , }, "link" { "title" } ]',
      '{\r\n  "msgtype": "link",\r\n  "link": {\r\n    "ti\r\n',
    ];
    for (const text of samples) {
      const doc = parseTemplate(text);
      for (let o = 0; o <= text.length; o++) {
        for (const item of doComplete(doc, o, CTX, 'zh-cn')) assert.ok(item.textEdit, `${JSON.stringify(text)} @${o}`);
      }
    }
  });
});

describe('CRLF', () => {
  test('ranges are line/character in CRLF files', () => {
    const { text, items } = complete('{\r\n  "msgtype": "image",\r\n  "image": {\r\n    "me|"\r\n  }\r\n}\r\n');
    const item = pick(items, 'media_id');
    const start = text.indexOf('"me"');
    assert.deepEqual(item.textEdit!.range, { start: { line: 3, character: 4 }, end: { line: 3, character: 8 } });
    assert.deepEqual(item.textEdit!.range, rangeAt(text, start, start + 4));
    assert.deepEqual(validate(accept(text, item), CTX), []);
  });
});

describe('LSP invariants at every offset', () => {
  const samples = [
    ...['card', 'image', 'link', 'welcome'].map((n) => `examples/templates/${n}.wxmsg.json`),
  ];
  test('each edit range is on one line, contains the cursor, and the result never throws', async () => {
    const { readFileSync } = await import('node:fs');
    const texts = samples.map((f) => readFileSync(f, 'utf8'));
    texts.push(texts[3].replace(/\n/g, '\r\n'), texts[0].slice(0, 80), '{ "msgtype": "text", "text": { "content": "😀<a data-miniprogram-path=\\"\\" ' );
    let seen = 0;
    for (const text of texts) {
      const doc = parseTemplate(text);
      for (let o = 0; o <= text.length; o++) {
        const pos = rangeAt(text, o, o).start;
        for (const item of doComplete(doc, o, CTX, 'en')) {
          const r = item.textEdit!.range;
          assert.equal(r.start.line, r.end.line, `multi-line range at ${o}`);
          assert.equal(r.start.line, pos.line, `range not on the cursor line at ${o}`);
          assert.ok(r.start.character <= pos.character && pos.character <= r.end.character, `range does not contain the cursor at ${o}: ${JSON.stringify(r)}`);
          seen++;
        }
      }
    }
    assert.ok(seen > 100, `only ${seen} completions looked at`);
  });
});

test('deep nesting: no stack overflow, no completion', () => {
  const depth = 20000;
  const text = '{"text":' + '{"a":'.repeat(depth) + '{ }' + '}'.repeat(depth + 1);
  const doc = parseTemplate(text);
  assert.deepEqual(doComplete(doc, text.indexOf('{ }') + 2, CTX, 'en'), []);
});

test('attribute quotes written as \\u0022 escapes', () => {
  const { text, items } = complete('{ "msgtype": "text", "text": { "content": "<a data-miniprogram-path=\\u0022pa|\\u0022>go</a>" } }');
  const item = pick(items, 'pages/order/detail');
  const start = text.indexOf('pa\\u0022');
  assert.deepEqual(item.textEdit!.range, rangeAt(text, start, start + 2));
  assert.equal(JSON.parse(accept(text, item)).text.content, '<a data-miniprogram-path="pages/order/detail">go</a>');
});
