import type { Node } from 'jsonc-parser';
import type { ParsedTemplate } from '../parser/document.ts';
import { decodeJsonString, sourceSpan, type DecodedString } from '../parser/jsonString.ts';

/**
 * Template variables: `{{name}}` and `{{name|default}}` inside string values, `\{{` for a
 * literal `{{`. Pure: a parsed template in, placeholders (with their decoded and source spans)
 * out. Values are filled into the decoded strings and each filled string is written back with
 * JSON.stringify, never spliced into the raw text, so a value holding `"` or `\` cannot break
 * the JSON.
 */

/** A variable name: letters, digits, `_`, `.` and `-` (any script). */
export const VARIABLE_NAME = /^[\p{L}\p{N}_.-]+$/u;

/** A value known for a variable and where it came from (shown in hovers and messages). */
export interface VariableValue {
  value: string;
  /** `--var`, `--vars vars.json`, `profile "dev"`, `welcome.vars.json`, `default`, … */
  source: string;
}

export type VariableValues = ReadonlyMap<string, VariableValue>;

/** A piece of a string value: literal text, an escaped `\{{`, or a placeholder. */
export type Part =
  | { kind: 'text'; from: number; to: number }
  | { kind: 'escape'; from: number; to: number }
  | { kind: 'placeholder'; from: number; to: number; name: string; default?: string };

export interface Placeholder {
  name: string;
  default?: string;
  /** Source offsets of `{{…}}` in the template text. */
  start: number;
  end: number;
}

/** A string value with at least one placeholder or escape. */
export interface VariableString {
  node: Node;
  decoded: DecodedString;
  parts: Part[];
  placeholders: Placeholder[];
}

export interface VariableProblem {
  kind: 'unclosed' | 'bad-name' | 'empty-name' | 'in-key';
  start: number;
  end: number;
  /** The text between the braces (bad-name), or the key (in-key). */
  text: string;
}

export interface VariableScan {
  strings: VariableString[];
  problems: VariableProblem[];
}

/** Whether a text can hold a placeholder at all (the fast path for every other template). */
export function mayHaveVariables(text: string): boolean {
  return text.includes('{{');
}

/** Splits a decoded string into parts; problems carry decoded indices. */
export function splitParts(s: string): { parts: Part[]; problems: { kind: VariableProblem['kind']; from: number; to: number; text: string }[] } {
  const parts: Part[] = [];
  const problems: { kind: VariableProblem['kind']; from: number; to: number; text: string }[] = [];
  let textStart = 0;
  let i = s.indexOf('{{');
  const pushText = (to: number) => { if (to > textStart) parts.push({ kind: 'text', from: textStart, to }); };
  while (i !== -1) {
    if (i > 0 && s[i - 1] === '\\') {
      pushText(i - 1);
      parts.push({ kind: 'escape', from: i - 1, to: i + 2 });
      textStart = i + 2;
      i = s.indexOf('{{', i + 2);
      continue;
    }
    const close = s.indexOf('}}', i + 2);
    if (close === -1) {
      problems.push({ kind: 'unclosed', from: i, to: s.length, text: s.slice(i + 2) });
      break;
    }
    const next = s.indexOf('{{', i + 2);
    if (next !== -1 && next < close && s[next - 1] !== '\\') {
      // `{{a … {{b}}`: the first one is never closed (a half-typed name, a missing }}).
      problems.push({ kind: 'unclosed', from: i, to: next, text: s.slice(i + 2, next) });
      i = next;
      continue;
    }
    const inner = s.slice(i + 2, close);
    const bar = inner.indexOf('|');
    const name = bar === -1 ? inner : inner.slice(0, bar);
    if (!name) problems.push({ kind: 'empty-name', from: i, to: close + 2, text: inner });
    else if (!VARIABLE_NAME.test(name)) problems.push({ kind: 'bad-name', from: i, to: close + 2, text: name });
    else {
      pushText(i);
      parts.push({ kind: 'placeholder', from: i, to: close + 2, name, ...(bar === -1 ? {} : { default: inner.slice(bar + 1) }) });
      textStart = close + 2;
    }
    i = s.indexOf('{{', close + 2);
  }
  textStart = Math.max(textStart, 0);
  if (s.length > textStart) parts.push({ kind: 'text', from: textStart, to: s.length });
  return { parts, problems };
}

/**
 * Every string value with placeholders, and every malformed `{{` or placeholder in a key.
 * The root `touser` is left alone: it is replaced by the recipient at send time.
 */
export function scanVariables(doc: ParsedTemplate): VariableScan {
  const out: VariableScan = { strings: [], problems: [] };
  if (!doc.root || !mayHaveVariables(doc.text)) return out;
  const known = doc.errors.length === 0;
  const visit = (node: Node, skip: boolean): void => {
    if (node.type === 'string') {
      if (skip) return;
      const raw = doc.text.slice(node.offset, node.offset + node.length);
      if (!raw.includes('{{') && !/\\u007[bB]/.test(raw)) return;
      const d = decodeJsonString(doc.text, node.offset, node.length, known && typeof node.value === 'string' ? node.value : undefined);
      if (!d.value.includes('{{')) return;
      const { parts, problems } = splitParts(d.value);
      for (const p of problems) {
        const [s, e] = sourceSpan(d, p.from, p.to);
        out.problems.push({ kind: p.kind, start: s, end: e, text: p.text });
      }
      const placeholders: Placeholder[] = [];
      for (const p of parts) {
        if (p.kind !== 'placeholder') continue;
        const [s, e] = sourceSpan(d, p.from, p.to);
        placeholders.push({ name: p.name, ...(p.default !== undefined ? { default: p.default } : {}), start: s, end: e });
      }
      if (placeholders.length || parts.some((p) => p.kind === 'escape')) out.strings.push({ node, decoded: d, parts, placeholders });
      return;
    }
    if (node.type === 'property') {
      const [k, v] = node.children ?? [];
      if (k?.type === 'string' && typeof k.value === 'string' && k.value.includes('{{')) {
        out.problems.push({ kind: 'in-key', start: k.offset, end: k.offset + k.length, text: k.value });
      }
      const isTouser = node.parent === doc.root && k?.value === 'touser';
      if (v) visit(v, isTouser);
      return;
    }
    for (const c of node.children ?? []) visit(c, false);
  };
  visit(doc.root, false);
  return out;
}

/** The value a placeholder gets: a known value, else its default, else none. */
export function valueFor(p: { name: string; default?: string }, values: VariableValues | undefined): VariableValue | undefined {
  const v = values?.get(p.name);
  if (v) return v;
  if (p.default !== undefined) return { value: p.default, source: 'default' };
  return undefined;
}

/** A filled string: its new decoded value and, per part, where it lies in it. */
export interface FilledString {
  string: VariableString;
  value: string;
  /** Per part of `string.parts`, its [from, to) in `value`. */
  spans: [number, number][];
  /** Placeholders (by part index) and the values they got. */
  filled: Map<number, VariableValue>;
}

export interface FillResult {
  /** The template with every fully known string replaced by its filled value (JSON.stringify). */
  text: string;
  filled: FilledString[];
  /** Strings left as they are: some placeholder has no value. */
  unfilled: { string: VariableString; missing: Placeholder[] }[];
  /** Names with no value anywhere, in order of first use. */
  missing: string[];
  /** Per filled string: its literal's offset and length in `text`. */
  at: { offset: number; length: number }[];
}

/** Fills every string whose placeholders all have a value. */
export function fillVariables(doc: ParsedTemplate, scan: VariableScan, values: VariableValues | undefined): FillResult {
  const filled: FilledString[] = [];
  const unfilled: FillResult['unfilled'] = [];
  const missing: string[] = [];
  for (const vs of scan.strings) {
    const miss: Placeholder[] = [];
    let pi = 0;
    const got = new Map<number, VariableValue>();
    vs.parts.forEach((p, i) => {
      if (p.kind !== 'placeholder') return;
      const ph = vs.placeholders[pi++];
      const v = valueFor(p, values);
      if (v) got.set(i, v);
      else {
        miss.push(ph);
        if (!missing.includes(p.name)) missing.push(p.name);
      }
    });
    if (miss.length) { unfilled.push({ string: vs, missing: miss }); continue; }
    let value = '';
    const spans: [number, number][] = [];
    vs.parts.forEach((p, i) => {
      const from = value.length;
      if (p.kind === 'text') value += vs.decoded.value.slice(p.from, p.to);
      else if (p.kind === 'escape') value += '{{';
      else value += got.get(i)!.value;
      spans.push([from, value.length]);
    });
    filled.push({ string: vs, value, spans, filled: got });
  }
  // Rebuild the text: each filled literal replaced, everything else (comments too) kept.
  const order = filled.map((f, i) => ({ f, i })).sort((a, b) => a.f.string.node.offset - b.f.string.node.offset);
  const at: FillResult['at'] = new Array(filled.length);
  let text = '';
  let pos = 0;
  for (const { f, i } of order) {
    const n = f.string.node;
    text += doc.text.slice(pos, n.offset);
    const literal = JSON.stringify(f.value);
    at[i] = { offset: text.length, length: literal.length };
    text += literal;
    pos = n.offset + n.length;
  }
  text += doc.text.slice(pos);
  return { text, filled, unfilled, missing, at };
}

/** The placeholder (source span, name, default) at a source offset, if any. */
export function placeholderAt(doc: ParsedTemplate, offset: number): Placeholder | undefined {
  for (const s of scanVariables(doc).strings) {
    if (offset < s.node.offset || offset > s.node.offset + s.node.length) continue;
    return s.placeholders.find((p) => offset >= p.start && offset <= p.end);
  }
  return undefined;
}

/** Every variable name the template uses, in order of first use. */
export function variableNames(doc: ParsedTemplate): string[] {
  const names: string[] = [];
  for (const s of scanVariables(doc).strings) for (const p of s.placeholders) if (!names.includes(p.name)) names.push(p.name);
  return names;
}

/** A value as shown next to a placeholder: JSON-quoted, long ones cut in the middle. */
export function showValue(v: string, max = 80): string {
  const q = JSON.stringify(v);
  return q.length <= max ? q : `${q.slice(0, max - 20)}…${q.slice(-18)}`;
}
