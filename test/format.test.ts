import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_FORMAT_DEPTH, formatTemplate } from '../server/src/core/services/format.ts';
import { applyEdits } from './helpers.ts';

const fmt = (text: string, tabSize = 2, insertSpaces = true): string => applyEdits(text, formatTemplate(text, { tabSize, insertSpaces }));

test('formats, keeping comments and trailing commas', () => {
  const text = '// welcome\n{"touser":"OPENID", /* who */ "msgtype":"text",\n"text":{"content":"hi",}}\n';
  assert.equal(fmt(text), '// welcome\n{\n  "touser": "OPENID", /* who */\n  "msgtype": "text",\n  "text": {\n    "content": "hi",\n  }\n}\n');
});

test('tabs and tab size', () => {
  assert.equal(fmt('{"msgtype":"image","image":{"media_id":"M"}}', 4, false), '{\n\t"msgtype": "image",\n\t"image": {\n\t\t"media_id": "M"\n\t}\n}');
  assert.equal(fmt('{"msgtype":"image"}', 4), '{\n    "msgtype": "image"\n}');
});

test('an already formatted file gives no edits', () => {
  const text = '{\n  "msgtype": "image",\n  "image": {\n    "media_id": "M"\n  }\n}\n';
  assert.deepEqual(formatTemplate(text, { tabSize: 2, insertSpaces: true }), []);
});

test('CRLF files keep CRLF', () => {
  const out = fmt('{"msgtype":"image",\r\n"image":{"media_id":"M"}}\r\n');
  assert.equal(out, '{\r\n  "msgtype": "image",\r\n  "image": {\r\n    "media_id": "M"\r\n  }\r\n}\r\n');
});

test('string contents (escapes, astral characters) are untouched', () => {
  const text = '{"text":{"content":"😀 \\"a\\"  <a href=\\"x\\">b</a>\\n"}}';
  assert.equal(JSON.parse(fmt(text)).text.content, JSON.parse(text).text.content);
});

test('range formatting only touches the range', () => {
  const text = '{"msgtype":"image",\n"image":{"media_id":"M"},\n"touser":"OPENID"}';
  const start = text.indexOf('"image":{');
  const end = text.indexOf('},') + 1;
  const edits = formatTemplate(text, { tabSize: 2, insertSpaces: true }, {
    start: { line: 1, character: 0 }, end: { line: 1, character: end - start },
  });
  assert.ok(edits.length > 0);
  for (const e of edits) assert.equal(e.range.start.line, 1);
  const out = applyEdits(text, edits);
  assert.ok(out.startsWith('{"msgtype":"image",\n'));
  assert.ok(out.endsWith('"touser":"OPENID"}'));
});

test('broken documents format without throwing', () => {
  for (const t of ['', '{', '{"a":', '{"a" "b"}', '}}}', '{"text":{"content":"x']) {
    const out = fmt(t);
    assert.equal(typeof out, 'string');
  }
});

test('absurd nesting is left alone (formatted size would be quadratic)', () => {
  const deep = '['.repeat(MAX_FORMAT_DEPTH + 1) + ']'.repeat(MAX_FORMAT_DEPTH + 1);
  assert.deepEqual(formatTemplate(deep, { tabSize: 2, insertSpaces: true }), []);
  const ok = '['.repeat(MAX_FORMAT_DEPTH) + ']'.repeat(MAX_FORMAT_DEPTH);
  assert.ok(formatTemplate(ok, { tabSize: 2, insertSpaces: true }).length > 0);
});
