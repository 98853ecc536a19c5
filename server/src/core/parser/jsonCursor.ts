import { createScanner, type Node } from 'jsonc-parser';
import type { DecodedLinks, ParsedTemplate } from './document.ts';
import { decodeJsonString, type DecodedString } from './jsonString.ts';
import { findTextLinks } from '../rules/textLinks.ts';

/**
 * Token-level view of the text around a cursor, for completion on documents that are being typed
 * (missing commas, half-typed keys, unterminated strings) where the parse tree alone is ambiguous.
 */

// jsonc-parser's SyntaxKind is an ambient const enum, which isolatedModules cannot read.
export const Tok = {
  OpenBrace: 1, CloseBrace: 2, OpenBracket: 3, CloseBracket: 4, Comma: 5, Colon: 6,
  Null: 7, True: 8, False: 9, String: 10, Number: 11,
  LineComment: 12, BlockComment: 13, LineBreak: 14, Trivia: 15, Unknown: 16, EOF: 17,
} as const;

const UNEXPECTED_END_OF_STRING = 2;

export interface Token {
  kind: number;
  offset: number;
  length: number;
  /** A string literal without its closing quote. */
  unterminated: boolean;
}

export interface CursorTokens {
  /** The token the cursor is in: inside a string literal, or touching a bare word. */
  at?: Token;
  /** Last significant token before `at` (or the cursor). */
  before?: Token;
  /** First significant token after `at` (or the cursor). */
  after?: Token;
  /**
   * JSON path of the cursor, like jsonc-parser's getLocation: one segment per enclosing
   * container (the current key of an object, '' before one is typed; the index in an array).
   * Computed iteratively, as getLocation's recursive visitor overflows the stack on deep nesting.
   */
  path: (string | number)[];
  /** `before` is an object key still waiting for its colon (`{ "msgtype" |`). */
  keyPending: boolean;
}

type Frame = { object: true; key: string; expectingKey: boolean; keyRead: boolean } | { object: false; index: number };

function isSignificant(kind: number): boolean {
  return kind !== Tok.LineComment && kind !== Tok.BlockComment && kind !== Tok.LineBreak && kind !== Tok.Trivia && kind !== Tok.EOF;
}

function isWord(kind: number): boolean {
  return kind === Tok.Unknown || kind === Tok.Null || kind === Tok.True || kind === Tok.False || kind === Tok.Number;
}

export function tokensAround(text: string, offset: number): CursorTokens {
  const scanner = createScanner(text, false);
  const result: CursorTokens = { path: [], keyPending: false };
  const stack: Frame[] = [];
  let kind: number;
  while ((kind = scanner.scan()) !== Tok.EOF) {
    if (!isSignificant(kind)) continue;
    const tok: Token = {
      kind,
      offset: scanner.getTokenOffset(),
      length: scanner.getTokenLength(),
      unterminated: kind === Tok.String && scanner.getTokenError() === UNEXPECTED_END_OF_STRING,
    };
    const end = tok.offset + tok.length;
    if (result.at) {
      result.after = tok;
      break;
    }
    const inString = kind === Tok.String && tok.offset < offset && (offset < end || tok.unterminated && offset === end);
    const onWord = isWord(kind) && tok.offset <= offset && offset <= end;
    if (inString || onWord) result.at = tok;
    else if (end <= offset) {
      result.before = tok;
      track(stack, kind, scanner.getTokenValue());
    } else {
      result.after = tok;
      break;
    }
  }
  result.path = stack.map((f) => (f.object ? f.key : f.index));
  const top = stack[stack.length - 1];
  result.keyPending = !!top?.object && top.expectingKey && top.keyRead && result.before?.kind === Tok.String;
  return result;
}

function track(stack: Frame[], kind: number, value: string): void {
  const top = stack[stack.length - 1];
  switch (kind) {
    case Tok.OpenBrace: stack.push({ object: true, key: '', expectingKey: true, keyRead: false }); break;
    case Tok.OpenBracket: stack.push({ object: false, index: 0 }); break;
    case Tok.CloseBrace: case Tok.CloseBracket: stack.pop(); break;
    case Tok.Colon: if (top?.object) top.expectingKey = false; break;
    case Tok.Comma:
      if (top?.object) { top.key = ''; top.expectingKey = true; top.keyRead = false; } else if (top) top.index++;
      break;
    case Tok.String:
      if (top?.object && top.expectingKey) {
        // A second string before a colon is a new key after a missing comma.
        top.key = value;
        top.keyRead = true;
      }
      break;
  }
}

/** Index into the decoded string of the cursor at a source offset (units wholly before it). */
export function decodedIndexAt(d: DecodedString, offset: number): number {
  return d.indexAt(offset);
}

export function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** Leading whitespace of the line holding `offset`. */
export function lineIndentAt(doc: ParsedTemplate, offset: number): string {
  const start = lineStartOf(doc, offset);
  return /^[ \t]*/.exec(doc.text.slice(start, offset))![0];
}

export function lineStartOf(doc: ParsedTemplate, offset: number): number {
  let lo = 0;
  let hi = doc.lineStarts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (doc.lineStarts[mid] > offset) hi = mid;
    else lo = mid + 1;
  }
  return doc.lineStarts[Math.max(0, lo - 1)];
}

/** Whether only spaces/tabs stand between the start of its line and `offset`. */
export function startsLine(doc: ParsedTemplate, offset: number): boolean {
  return /^[ \t]*$/.test(doc.text.slice(lineStartOf(doc, offset), offset));
}

/** The document's indentation step, taken from the first indented member line; two spaces otherwise. */
export function indentUnit(doc: ParsedTemplate): string {
  const root = doc.root;
  if (root?.type === 'object') {
    for (const p of root.children ?? []) {
      if (!startsLine(doc, p.offset)) continue;
      const own = lineIndentAt(doc, p.offset);
      const outer = lineIndentAt(doc, root.offset);
      if (own.length > outer.length && own.startsWith(outer)) return own.slice(outer.length);
    }
  }
  return '  ';
}

/**
 * The innermost node containing `offset` (jsonc-parser's findNodeAtOffset without its recursion,
 * which deep nesting would overflow).
 */
export function nodeAt(root: Node, offset: number): Node | undefined {
  const contains = (n: Node): boolean => n.offset <= offset && offset < n.offset + n.length;
  if (!contains(root)) return undefined;
  let node = root;
  for (;;) {
    const child = node.children?.find((c) => contains(c));
    if (!child) return node;
    node = child;
  }
}

/**
 * A string node decoded and its text links found, once per parsed document: hover and
 * completion ask again on every mouse move or keystroke, and content can be large. The entries
 * live on the document (ParsedTemplate.decoded) and die with it.
 */
export function decodedLinks(doc: ParsedTemplate, literalOffset: number, literalLength: number, knownValue?: string): DecodedLinks {
  const perDoc = (doc.decoded ??= new Map());
  const key = `${literalOffset}:${literalLength}`;
  const hit = perDoc.get(key);
  if (hit) return hit;
  const entry = decodeLinks(doc.text, literalOffset, literalLength, knownValue);
  perDoc.set(key, entry);
  return entry;
}

/** A string literal decoded and its text links found, uncached (a document nobody asks about again). */
export function decodeLinks(text: string, literalOffset: number, literalLength: number, knownValue?: string): DecodedLinks {
  const d = decodeJsonString(text, literalOffset, literalLength, knownValue);
  return { d, links: findTextLinks(d.value) };
}
