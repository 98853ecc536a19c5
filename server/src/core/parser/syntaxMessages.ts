import { printParseErrorCode, type ParseErrorCode } from 'jsonc-parser';
import type { ParsedTemplate } from './document.ts';
import type { OffsetEdit } from './jsonEdits.ts';
import { Tok, tokensAround } from './jsonCursor.ts';
import { catalog } from '../l10n/catalog.ts';
import type { Locale } from '../types.ts';

/**
 * JSON syntax errors in plain words (jsonc-parser names them `CommaExpected`, `ValueExpected`…;
 * the words are in the catalog, server/src/core/l10n/), and the fixes that are safe: a missing comma and an unclosed string on its line.
 */

/** jsonc-parser's name of a parse error (`CommaExpected`), kept in the diagnostic's data. */
export function syntaxErrorKind(code: ParseErrorCode): string {
  return printParseErrorCode(code);
}

/** The editor's one hint on a blank file (lint and send report it as a syntax error). */
export { EMPTY_FILE } from '../l10n/keys.ts';

/** The plain-words sentence, without the "Syntax error" lead (the catalog's `syntax` section). */
export function syntaxWords(kind: string, locale: Locale): string {
  return catalog(locale).syntax.words(kind);
}

/**
 * The safe fix for a syntax error of `kind` starting at `start`, or undefined. Each one checks
 * the text is still as the diagnostic saw it, so a stale diagnostic gets no fix.
 */
export function syntaxFix(doc: ParsedTemplate, kind: string | undefined, start: number): { title: string; edit: OffsetEdit } | undefined {
  const text = doc.text;
  if (kind === 'CommaExpected') {
    // After the value that ends before the next member (skipping whitespace and comments).
    const { before } = tokensAround(text, start);
    // After an unclosed string the comma would land inside it: the quote fix comes first.
    if (before?.kind === Tok.String && before.unterminated) return undefined;
    if (!before || before.kind === Tok.Comma || before.kind === Tok.OpenBrace || before.kind === Tok.OpenBracket || before.kind === Tok.Colon) return undefined;
    const at = before.offset + before.length;
    return { title: 'comma', edit: { start: at, end: at, text: ',' } };
  }
  if (kind === 'UnexpectedEndOfString') {
    if (text[start] !== '"') return undefined;
    // A JSON string cannot span lines: it is closed at the end of its line (before a comma
    // that ends the line, which then separates it from the next member).
    let eol = start + 1;
    while (eol < text.length && text[eol] !== '\n' && text[eol] !== '\r') eol++;
    let end = eol;
    while (end > start + 1 && /\s/.test(text[end - 1])) end--;
    if (text[end - 1] === ',' && end - 1 > start + 1) end--;
    if (text[end - 1] === '\\') return undefined;
    return { title: 'quote', edit: { start: end, end, text: '"' } };
  }
  return undefined;
}
