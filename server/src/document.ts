import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Position, Range } from './types.ts';

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
}

export function parseTemplate(text: string): ParsedTemplate {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  return { text, root, errors, lineStarts: computeLineStarts(text) };
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
