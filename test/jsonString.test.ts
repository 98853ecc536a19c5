import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJsonString, sourceSpan } from '../server/src/core/parser/jsonString.ts';

/** The straightforward map, one entry per decoded unit, that DecodedString stores compactly. */
function reference(text: string, off: number, len: number): { value: string; starts: number[]; ends: number[] } {
  const start = off + 1;
  const end = off + len - (len >= 2 && text[off + len - 1] === '"' ? 1 : 0);
  const value = JSON.parse(`"${text.slice(start, end)}"`) as string;
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = start; i < end;) {
    let w = 1;
    if (text[i] === '\\' && i + 1 < end) w = text[i + 1] === 'u' ? 6 : 2;
    starts.push(i);
    ends.push(i + w);
    i += w;
  }
  return { value, starts, ends };
}

test('decoded units map to their exact source spans through escapes and astral characters', () => {
  const lit = '"a\\"b\\\\c\\u4e2d😀\\n<a href=\\"x\\">"';
  const text = `{"content": ${lit}}`;
  const off = text.indexOf(lit);
  const d = decodeJsonString(text, off, lit.length);
  const ref = reference(text, off, lit.length);
  assert.equal(d.value, ref.value);
  assert.equal(d.length, ref.starts.length);
  for (let i = 0; i < d.length; i++) {
    assert.equal(d.startOf(i), ref.starts[i], `start of unit ${i}`);
    assert.equal(d.endOf(i), ref.ends[i], `end of unit ${i}`);
  }
  // `\"b` — the escaped quote is one unit spanning two source characters.
  assert.deepEqual(sourceSpan(d, 1, 3), [off + 2, off + 5]);
  assert.deepEqual(sourceSpan(d, d.length, d.length), [d.contentEnd, d.contentEnd]);
});

test('indexAt is the inverse map for every source offset, inside escapes included', () => {
  const rand = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const r = rand(7);
  const pieces = ['a', '中', '😀', '\\"', '\\\\', '\\n', '\\u0041', '\\/', '<', ' '];
  for (let n = 0; n < 200; n++) {
    let body = '';
    for (let k = Math.floor(r() * 30); k > 0; k--) body += pieces[Math.floor(r() * pieces.length)];
    const text = `xx"${body}"yy`;
    const d = decodeJsonString(text, 2, body.length + 2);
    const ref = reference(text, 2, body.length + 2);
    assert.equal(d.value, ref.value);
    for (let o = 0; o <= text.length; o++) {
      const expected = ref.ends.findIndex((e) => e > o);
      assert.equal(d.indexAt(o), expected === -1 ? ref.ends.length : expected, `offset ${o} in ${text}`);
    }
  }
});

test('an unterminated literal and a trailing backslash decode without throwing', () => {
  const text = '"abc\\';
  const d = decodeJsonString(text, 0, text.length);
  assert.equal(d.value, 'abc\\');
  assert.equal(d.endOf(3), 5);
});
