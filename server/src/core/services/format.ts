import { format } from 'jsonc-parser';
import { LIMITS } from '../rules/codes.ts';
import { computeLineStarts, offsetAt, positionAt, tooDeepAt } from '../parser/document.ts';
import { eolOf } from '../parser/jsonCursor.ts';
import type { Range, TextEdit } from '../languageTypes.ts';

/**
 * Text nested deeper than a template ever is (LIMITS.maxDepth) is left as is: formatted output
 * grows with depth × lines, so 10 KB of `[[[[` would format to megabytes over seconds.
 */
export const MAX_FORMAT_DEPTH = LIMITS.maxDepth;

/**
 * The client's tabSize is capped: a workspace's `"editor.tabSize": 100000000` would otherwise
 * make every indent 100 MB and the server run out of memory serializing the edits.
 */
export const MAX_TAB_SIZE = 32;

/**
 * Formatting through jsonc-parser's formatter (as VS Code's JSON service does): comments and
 * trailing commas are kept, the file's own line ends are used, and a range formats only the
 * members it covers.
 */
export function formatTemplate(text: string, options: { tabSize: number; insertSpaces: boolean }, range?: Range): TextEdit[] {
  if (text.length > LIMITS.maxFileChars || tooDeepAt(text, MAX_FORMAT_DEPTH) !== -1) return [];
  const lineStarts = computeLineStarts(text);
  let r: { offset: number; length: number } | undefined;
  if (range) {
    const start = offsetAt(lineStarts, range.start, text.length);
    const end = offsetAt(lineStarts, range.end, text.length);
    r = { offset: start, length: Math.max(0, end - start) };
  }
  const edits = format(text, r, {
    tabSize: Math.min(options.tabSize, MAX_TAB_SIZE),
    insertSpaces: options.insertSpaces,
    eol: eolOf(text),
    insertFinalNewline: /\r?\n$/.test(text),
  });
  return edits.map((e) => ({
    range: { start: positionAt(lineStarts, e.offset, text.length), end: positionAt(lineStarts, e.offset + e.length, text.length) },
    newText: e.content,
  }));
}
