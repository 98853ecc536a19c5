import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate } from '../server/src/core/parser/document.ts';
import { SymbolKind, type DocumentSymbol } from '../server/src/core/languageTypes.ts';
import { documentSymbols } from '../server/src/core/services/symbols.ts';
import { rangeIn } from './helpers.ts';

function outline(symbols: DocumentSymbol[]): unknown[] {
  return symbols.map((s) => (s.children ? [s.name, outline(s.children)] : s.name));
}

const TEXT = `// a comment
{
  "touser": "OPENID",
  "msgtype": "text",
  "text": {
    "content": "😀 \\"hi\\" <a href=\\"https://example.com\\" data-miniprogram-path=\\"pages/order/detail?id=1\\">查看订单</a> and <a href=\\"https://example.com/b\\">web</a>"
  }
}
`;

test('outline: msgtype, touser, body with its fields, text links under content', () => {
  const symbols = documentSymbols(parseTemplate(TEXT));
  assert.deepEqual(outline(symbols), ['touser', 'msgtype', ['text', [['content', ['<a> 查看订单', '<a> web']]]]]);
  const [touser, msgtype, body] = symbols;
  assert.equal(touser.detail, 'OPENID');
  assert.equal(msgtype.kind, SymbolKind.EnumMember);
  assert.equal(msgtype.detail, 'text');
  assert.equal(body.kind, SymbolKind.Struct);
  assert.deepEqual(body.selectionRange, rangeIn(TEXT, '"text"', 1));
  assert.deepEqual(msgtype.range, rangeIn(TEXT, '"msgtype": "text"'));
  const [link1, link2] = body.children![0].children!;
  assert.equal(link1.detail, 'pages/order/detail?id=1');
  assert.equal(link2.detail, 'https://example.com/b');
  assert.deepEqual(link1.selectionRange, rangeIn(TEXT, '<a href=\\"https://example.com\\" data-miniprogram-path=\\"pages/order/detail?id=1\\">'));
  assert.deepEqual(link1.range, rangeIn(TEXT, '<a href=\\"https://example.com\\" data-miniprogram-path=\\"pages/order/detail?id=1\\">查看订单</a>'));
});

test('every range contains its selection range and its children', () => {
  const within = (inner: DocumentSymbol['range'], outer: DocumentSymbol['range']): boolean =>
    (inner.start.line > outer.start.line || inner.start.line === outer.start.line && inner.start.character >= outer.start.character)
    && (inner.end.line < outer.end.line || inner.end.line === outer.end.line && inner.end.character <= outer.end.character);
  const check = (s: DocumentSymbol): void => {
    assert.ok(within(s.selectionRange, s.range), s.name);
    for (const c of s.children ?? []) {
      assert.ok(within(c.range, s.range), `${c.name} in ${s.name}`);
      check(c);
    }
  };
  documentSymbols(parseTemplate(TEXT)).forEach(check);
});

test('other bodies and value kinds; long values are clipped', () => {
  const text = `{"msgtype": "link", "link": {"title": "${'长'.repeat(100)}", "n": 3, "b": true, "a": [1]}}`;
  const [, link] = documentSymbols(parseTemplate(text));
  assert.deepEqual(link.children!.map((c) => [c.name, c.kind]), [['title', SymbolKind.Field], ['n', SymbolKind.Number], ['b', SymbolKind.Boolean], ['a', SymbolKind.Array]]);
  assert.ok(link.children![0].detail!.length <= 60);
});

test('broken and non-object documents', () => {
  assert.deepEqual(documentSymbols(parseTemplate('')), []);
  assert.deepEqual(documentSymbols(parseTemplate('[1, 2]')), []);
  assert.deepEqual(outline(documentSymbols(parseTemplate('{ "msgtype": "te'))), ['msgtype']);
  // Clients reject empty symbol names.
  assert.deepEqual(outline(documentSymbols(parseTemplate('{ "": 1, " ": 2 }'))), ['""', '" "']);
  assert.deepEqual(outline(documentSymbols(parseTemplate('{ "text": { "content": "<a href=\\"x'))), [['text', [['content', ['<a> …']]]]]);
});
