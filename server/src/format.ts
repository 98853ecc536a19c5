import { createScanner, format } from 'jsonc-parser';
import { computeLineStarts, offsetAt, positionAt } from './document.ts';
import { Tok, eolOf } from './jsonCursor.ts';
import type { Range, TextEdit } from './languageTypes.ts';

/**
 * Formatting through jsonc-parser's formatter (as VS Code's JSON service does): comments and
 * trailing commas are kept, the file's own line ends are used, and a range formats only the
 * members it covers.
 */

/**
 * Templates nest three levels deep. Formatted output grows with depth × lines, i.e. quadratically
 * for deep nesting (10 KB of `[[[[` formats to megabytes over seconds), so such text is left as is.
 */
export const MAX_FORMAT_DEPTH = 64;

function maxDepth(text: string): number {
  const scanner = createScanner(text, true);
  let depth = 0;
  let max = 0;
  let kind: number;
  while ((kind = scanner.scan()) !== Tok.EOF) {
    if (kind === Tok.OpenBrace || kind === Tok.OpenBracket) max = Math.max(max, ++depth);
    else if (kind === Tok.CloseBrace || kind === Tok.CloseBracket) depth = Math.max(0, depth - 1);
  }
  return max;
}

export function formatTemplate(text: string, options: { tabSize: number; insertSpaces: boolean }, range?: Range): TextEdit[] {
  if (maxDepth(text) > MAX_FORMAT_DEPTH) return [];
  const lineStarts = computeLineStarts(text);
  let r: { offset: number; length: number } | undefined;
  if (range) {
    const start = offsetAt(lineStarts, range.start, text.length);
    const end = offsetAt(lineStarts, range.end, text.length);
    r = { offset: start, length: Math.max(0, end - start) };
  }
  const edits = format(text, r, {
    tabSize: options.tabSize,
    insertSpaces: options.insertSpaces,
    eol: eolOf(text),
    insertFinalNewline: /\r?\n$/.test(text),
  });
  return edits.map((e) => ({
    range: { start: positionAt(lineStarts, e.offset, text.length), end: positionAt(lineStarts, e.offset + e.length, text.length) },
    newText: e.content,
  }));
}
