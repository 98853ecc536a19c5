// Shared helpers for the language-feature tests: cursors and ranges from the test text, and
// applying LSP text edits (and snippets) to it.
import assert from 'node:assert/strict';
import { computeLineStarts, offsetAt, positionAt } from '../server/src/core/parser/document.ts';
import type { ProjectContext, Range } from '../server/src/core/types.ts';

export const APPID = 'wx1234567890abcdef';
export const PAGES = ['pages/index/index', 'pages/order/detail', 'packageA/pages/coupon/coupon'];
export const CTX: ProjectContext = { appid: APPID, appidSource: 'project.config.json', pages: PAGES, pagesSource: 'app.json' };

export interface Edit {
  range: Range;
  newText: string;
}

/** Text with a `|` marking the cursor → the text without it and the cursor's offset. */
export function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  assert.notEqual(offset, -1, 'no | cursor in test text');
  assert.equal(marked.indexOf('|', offset + 1), -1, 'more than one | in test text');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

/** Range of the `nth` occurrence of `needle` in `text`. */
export function rangeIn(text: string, needle: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.notEqual(at, -1, `"${needle}" #${nth} not in test text`);
  }
  return rangeAt(text, at, at + needle.length);
}

export function rangeAt(text: string, start: number, end: number): Range {
  const ls = computeLineStarts(text);
  return { start: positionAt(ls, start, text.length), end: positionAt(ls, end, text.length) };
}

/** Applies non-overlapping LSP edits (as a client does: all ranges refer to the original text). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const ls = computeLineStarts(text);
  const spans = edits.map((e, i) => ({ start: offsetAt(ls, e.range.start, text.length), end: offsetAt(ls, e.range.end, text.length), text: e.newText, i }));
  spans.sort((a, b) => a.start - b.start || a.end - b.end || a.i - b.i);
  for (let k = 1; k < spans.length; k++) {
    assert.ok(spans[k].start >= spans[k - 1].end, `overlapping edits: ${JSON.stringify(edits)}`);
  }
  let out = '';
  let pos = 0;
  for (const s of spans) {
    out += text.slice(pos, s.start) + s.text;
    pos = s.end;
  }
  return out + text.slice(pos);
}

/** What a client inserts for a snippet: placeholders' defaults, tabstops removed, escapes resolved. */
export function expandSnippet(snippet: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < snippet.length; i++) {
    const c = snippet[i];
    if (c === '\\' && i + 1 < snippet.length && '\\$}'.includes(snippet[i + 1])) {
      out += snippet[++i];
    } else if (c === '$' && /\d/.test(snippet[i + 1] ?? '')) {
      while (/\d/.test(snippet[i + 1] ?? '')) i++;
    } else if (c === '$' && snippet[i + 1] === '{') {
      const m = /^\$\{\d+:?/.exec(snippet.slice(i))!;
      i += m[0].length - 1;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
    } else {
      out += c;
    }
  }
  return out;
}
