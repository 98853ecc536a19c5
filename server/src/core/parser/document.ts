import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { LIMITS } from '../rules/codes.ts';
import { fastParseTree } from './fastTree.ts';
import type { Position, Range } from '../types.ts';
import type { DecodedString } from './jsonString.ts';
import type { TextLink } from '../rules/textLinks.ts';

/** A string literal decoded, and the text links in its value. */
export interface DecodedLinks {
  d: DecodedString;
  links: TextLink[];
}

/**
 * A template parsed once and shared by validation, completion, hover and code actions (as
 * vscode-json-languageservice shares its JSONDocument). Offsets are UTF-16 indices into `text`,
 * which is exactly what LSP characters count.
 */
export interface ParsedTemplate {
  text: string;
  root: Node | undefined;
  errors: ParseError[];
  lineStarts: number[];
  /** Offset where nesting passes LIMITS.maxDepth (then `root` is undefined: the parser recurses), else -1. */
  tooDeepAt: number;
  /**
   * String literals decoded and their text links found (jsonCursor.ts decodedLinks), by
   * literal span. Held here, not in a WeakMap keyed by the document: V8's scavenger keeps a
   * WeakMap's values alive and promotes them to the old generation, so every edit's decoded
   * content outlived its document until the next full GC (MBs copied per scavenge).
   */
  decoded?: Map<string, DecodedLinks>;
}

/**
 * Line starts are computed on first use: a clean template in `wxmsg lint` never needs them,
 * and they cost as much as a third of the parse.
 */
class Parsed implements ParsedTemplate {
  private starts: number[] | undefined;
  decoded: Map<string, DecodedLinks> | undefined = undefined;
  constructor(readonly text: string, readonly root: Node | undefined, readonly errors: ParseError[], readonly tooDeepAt: number) {}
  get lineStarts(): number[] {
    return (this.starts ??= computeLineStarts(this.text));
  }
}

export function parseTemplate(input: string): ParsedTemplate {
  // A UTF-8 BOM that reached the text (an LSP client that does not strip it) is read as the
  // CLI reads it: not content. A space keeps every offset where the editor has it.
  const text = input.charCodeAt(0) === 0xfeff ? ` ${input.slice(1)}` : input;
  const errors: ParseError[] = [];
  // Strict JSON (most templates) takes the fast path, which builds the same tree; anything else
  // (errors, comments, trailing commas, too deep) is parsed by jsonc-parser as before.
  const fast = text.length > LIMITS.maxFileChars ? undefined : fastParseTree(text);
  if (fast) return new Parsed(text, fast, errors, -1);
  const deep = text.length > LIMITS.maxFileChars ? -1 : tooDeepAt(text, LIMITS.maxDepth);
  if (deep !== -1 || text.length > LIMITS.maxFileChars) return new Parsed(text, undefined, errors, deep);
  try {
    const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
    return new Parsed(text, root, errors, -1);
  } catch (e) {
    // Last line of defence should the pre-check and the parser ever disagree on nesting.
    if (e instanceof RangeError) return new Parsed(text, undefined, [], 0);
    throw e;
  }
}

/** Offset of the first bracket nested deeper than `limit` (outside strings and comments), or -1. */
export function tooDeepAt(text: string, limit: number): number {
  // Nesting deeper than `limit` needs more than `limit` opening brackets: count them with the
  // engine's native search first, and scan character by character only when there are that many.
  let opens = 0;
  for (let i = text.indexOf('{'); i !== -1 && opens <= limit; i = text.indexOf('{', i + 1)) opens++;
  for (let i = text.indexOf('['); i !== -1 && opens <= limit; i = text.indexOf('[', i + 1)) opens++;
  if (opens <= limit) return -1;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \\ */) i++;
        else if (d === 34 || d === 10 || d === 13) break;
      }
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      // A line comment ends at CR or LF, as jsonc-parser's scanner ends it.
      while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (c === 123 || c === 91) {
      if (++depth > limit) return i;
    } else if (c === 125 || c === 93) {
      if (depth > 0) depth--;
    }
  }
  return -1;
}


export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}

export function positionAt(lineStarts: number[], offset: number, textLength: number): Position {
  offset = Math.max(0, Math.min(offset, textLength));
  let lo = 0;
  let hi = lineStarts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lineStarts[mid] > offset) hi = mid;
    else lo = mid + 1;
  }
  const line = lo - 1;
  return { line, character: offset - lineStarts[line] };
}

export function offsetAt(lineStarts: number[], pos: Position, textLength: number): number {
  if (pos.line >= lineStarts.length) return textLength;
  if (pos.line < 0) return 0;
  const lineStart = lineStarts[pos.line];
  const next = pos.line + 1 < lineStarts.length ? lineStarts[pos.line + 1] : textLength;
  return Math.max(lineStart, Math.min(lineStart + pos.character, next));
}

export function rangeOf(doc: ParsedTemplate, start: number, end: number): Range {
  return { start: positionAt(doc.lineStarts, start, doc.text.length), end: positionAt(doc.lineStarts, end, doc.text.length) };
}

export function nodeRange(doc: ParsedTemplate, node: Node): Range {
  return rangeOf(doc, node.offset, node.offset + node.length);
}

export function syntaxErrorDetail(e: ParseError): string {
  return printParseErrorCode(e.error);
}

/** The property node (key + value) named `key` of an object node, first occurrence. */
export function property(obj: Node | undefined, key: string): Node | undefined {
  if (!obj || obj.type !== 'object' || !obj.children) return undefined;
  for (const p of obj.children) {
    const k = p.children?.[0];
    if (k && k.value === key) return p;
  }
  return undefined;
}

export function propertyValue(obj: Node | undefined, key: string): Node | undefined {
  return property(obj, key)?.children?.[1];
}

export function jsonTypeName(node: Node): string {
  switch (node.type) {
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'boolean': return 'a boolean';
    case 'null': return 'null';
    case 'array': return 'an array';
    default: return 'an object';
  }
}
