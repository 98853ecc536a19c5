import { createScanner, type Node } from 'jsonc-parser';
import type { ParsedTemplate } from './document.ts';
import { Tok, eolOf, indentUnit, lineIndentAt, lineStartOf, startsLine } from './jsonCursor.ts';

/**
 * Text edits on a parsed template that keep it valid JSON and keep its layout: members are
 * inserted with the document's own indentation and line ends, and a removed member takes its
 * comma (and its line) with it. Offsets are into `doc.text`.
 */
export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

/** A member to insert: `value` is raw JSON text, or the members of a nested object. */
export interface Member {
  key: string;
  value: string | Member[];
}

function nextSignificant(text: string, pos: number): { kind: number; offset: number } | undefined {
  const scanner = createScanner(text, false);
  scanner.setPosition(pos);
  let kind: number;
  while ((kind = scanner.scan()) !== Tok.EOF) {
    if (kind === Tok.Trivia || kind === Tok.LineBreak || kind === Tok.LineComment || kind === Tok.BlockComment) continue;
    return { kind, offset: scanner.getTokenOffset() };
  }
  return undefined;
}

function commaAfter(text: string, pos: number): number {
  const t = nextSignificant(text, pos);
  return t?.kind === Tok.Comma ? t.offset : -1;
}

function nextLineStart(doc: ParsedTemplate, offset: number): number {
  for (const s of doc.lineStarts) if (s > offset) return s;
  return doc.text.length;
}

/** [start, end) widened to whole lines when nothing else (but a trailing line comment) shares them. */
function wholeLines(doc: ParsedTemplate, start: number, end: number): [number, number] | undefined {
  if (!startsLine(doc, start)) return undefined;
  const next = nextLineStart(doc, end);
  const rest = doc.text.slice(end, next);
  if (!/^[ \t]*(\/\/[^\r\n]*)?(\r?\n)?$/.test(rest)) return undefined;
  return [lineStartOf(doc, start), next];
}

/** Removes a property node with its comma, leaving the object valid. */
export function removeProperty(doc: ParsedTemplate, prop: Node): OffsetEdit[] {
  const text = doc.text;
  const obj = prop.parent;
  const siblings = obj?.children ?? [prop];
  const i = siblings.indexOf(prop);
  const end = prop.offset + prop.length;
  const comma = commaAfter(text, end);
  if (comma !== -1) {
    const lines = wholeLines(doc, prop.offset, comma + 1);
    if (lines) return [{ start: lines[0], end: lines[1], text: '' }];
    let e = comma + 1;
    while (text[e] === ' ' || text[e] === '\t') e++;
    return [{ start: prop.offset, end: e, text: '' }];
  }
  if (i > 0) {
    // The last member: its predecessor's comma goes instead.
    const prev = siblings[i - 1];
    const prevComma = commaAfter(text, prev.offset + prev.length);
    const lines = wholeLines(doc, prop.offset, end);
    if (prevComma === -1) return [{ start: lines ? lines[0] : prop.offset, end: lines ? lines[1] : end, text: '' }];
    if (lines) return [{ start: prevComma, end: prevComma + 1, text: '' }, { start: lines[0], end: lines[1], text: '' }];
    return [{ start: prevComma, end, text: '' }];
  }
  const lines = wholeLines(doc, prop.offset, end);
  return [lines ? { start: lines[0], end: lines[1], text: '' } : { start: prop.offset, end, text: '' }];
}

function render(m: Member, multiline: boolean, indent: string, unit: string, eol: string): string {
  const key = JSON.stringify(m.key);
  if (typeof m.value === 'string') return `${key}: ${m.value}`;
  if (!multiline) return `${key}: { ${m.value.map((c) => render(c, false, '', unit, eol)).join(', ')} }`;
  const inner = indent + unit;
  return `${key}: {${eol}${m.value.map((c) => inner + render(c, true, inner, unit, eol)).join(`,${eol}`)}${eol}${indent}}`;
}

/**
 * Inserts members into an object: after its last member (or before its first, `atStart`), on
 * their own lines when the object is laid out over lines, inline otherwise.
 */
export function insertMembers(doc: ParsedTemplate, obj: Node, members: Member[], atStart = false): OffsetEdit[] | undefined {
  const text = doc.text;
  const close = obj.offset + obj.length - 1;
  if (obj.type !== 'object' || text[obj.offset] !== '{' || text[close] !== '}' || !members.length) return undefined;
  const eol = eolOf(text);
  const unit = indentUnit(doc);
  const children = obj.children ?? [];
  if (children.length) {
    const first = children[0];
    const multiline = startsLine(doc, first.offset) && lineStartOf(doc, first.offset) > lineStartOf(doc, obj.offset);
    const indent = multiline ? lineIndentAt(doc, first.offset) : '';
    const parts = members.map((m) => render(m, multiline, indent, unit, eol));
    if (atStart) {
      const sep = multiline ? `,${eol}${indent}` : ', ';
      return [{ start: first.offset, end: first.offset, text: parts.map((p) => p + sep).join('') }];
    }
    const last = children[children.length - 1];
    const at = last.offset + last.length;
    if (multiline) {
      // `"a": 1 // note`: the new lines go after the comment, which stays with its member.
      const lineEnd = nextLineStart(doc, at) - (/\r?\n$/.exec(text.slice(at, nextLineStart(doc, at)))?.[0].length ?? 0);
      const m = /^[ \t]*(,?)[ \t]*(\/\/.*|\/\*.*\*\/[ \t]*)$/.exec(text.slice(at, lineEnd));
      if (m) {
        const lines = { start: lineEnd, end: lineEnd, text: parts.map((p) => eol + indent + p).join(',') };
        return m[1] ? [lines] : [{ start: at, end: at, text: ',' }, lines];
      }
    }
    const sep = multiline ? `,${eol}${indent}` : ', ';
    return [{ start: at, end: at, text: parts.map((p) => sep + p).join('') }];
  }
  // An empty object: lay it out over lines unless the whole document is on one line.
  const multiline = text.includes('\n');
  const outer = lineIndentAt(doc, obj.offset);
  const indent = outer + unit;
  const parts = members.map((m) => render(m, multiline, indent, unit, eol));
  const inner = text.slice(obj.offset + 1, close);
  const body = multiline ? parts.map((p) => eol + indent + p).join(',') : ` ${parts.join(', ')}`;
  if (/^\s*$/.test(inner)) {
    return [{ start: obj.offset + 1, end: close, text: body + (multiline ? eol + outer : ' ') }];
  }
  // Keep comments inside the braces: insert right after `{`.
  return [{ start: obj.offset + 1, end: obj.offset + 1, text: body + (multiline ? '' : ' ') }];
}
