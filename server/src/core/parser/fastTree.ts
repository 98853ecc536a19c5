import type { Node } from 'jsonc-parser';
import { LIMITS } from '../rules/codes.ts';

/**
 * A fast path for parsing a clean template: strict JSON only, building exactly the tree
 * jsonc-parser's `parseTree` builds (same node types, offsets, lengths, values, `colonOffset`,
 * children order and parent links; the root has no `parent`, as `parseTree` deletes it).
 *
 * It returns `undefined` on anything irregular, and the caller then parses with jsonc-parser,
 * which reports the errors: any syntax error, comments, trailing commas, control characters or
 * invalid escapes in strings, a byte order mark, empty input, and nesting deeper than
 * LIMITS.maxDepth (which parseTemplate refuses before parsing). For the inputs it accepts,
 * jsonc-parser reports no errors either, so a `ParsedTemplate` built from this tree has none.
 *
 * Why: `wxmsg lint` parses thousands of small templates in a cold process, where jsonc-parser's
 * scanner (a callback per token, whitespace accumulated into strings) runs in the interpreter.
 * One function with a charCodeAt loop does much less work per character.
 */

/** A node under construction (jsonc-parser's `Node` is read-only). */
interface MNode {
  type: Node['type'];
  value?: unknown;
  offset: number;
  length: number;
  colonOffset?: number;
  parent?: MNode;
  children?: MNode[];
}

/** End (after the closing quote) of the string last read by `readString`. */
let stringEnd = 0;

/**
 * The value of the string literal whose opening quote is at `start`, decoded as jsonc-parser's
 * scanner decodes it; `undefined` when the literal is unterminated or has a control character
 * or an escape jsonc-parser reports.
 */
function readString(text: string, start: number): string | undefined {
  const len = text.length;
  for (let i = start + 1; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      stringEnd = i + 1;
      return text.slice(start + 1, i);
    }
    if (c === 92 /* \ */) return decodeString(text, start, i);
    if (c < 32) return undefined;
  }
  return undefined;
}

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** `readString` from the first backslash on, at `i`. */
function decodeString(text: string, start: number, i: number): string | undefined {
  const len = text.length;
  let out = text.slice(start + 1, i);
  let from = i;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      stringEnd = i + 1;
      return out + text.slice(from, i);
    }
    if (c === 92) {
      out += text.slice(from, i);
      switch (text.charCodeAt(i + 1)) {
        case 34: out += '"'; break;
        case 92: out += '\\'; break;
        case 47: out += '/'; break;
        case 98: out += '\b'; break;
        case 102: out += '\f'; break;
        case 110: out += '\n'; break;
        case 114: out += '\r'; break;
        case 116: out += '\t'; break;
        case 117: {
          const a = hex(text.charCodeAt(i + 2));
          const b = hex(text.charCodeAt(i + 3));
          const d = hex(text.charCodeAt(i + 4));
          const e = hex(text.charCodeAt(i + 5));
          if (a < 0 || b < 0 || d < 0 || e < 0) return undefined;
          out += String.fromCharCode((a << 12) | (b << 8) | (d << 4) | e);
          i += 4;
          break;
        }
        default:
          return undefined;
      }
      i += 2;
      from = i;
      continue;
    }
    if (c < 32) return undefined;
    i++;
  }
  return undefined;
}

const VALUE = 0;
const KEY = 1;
const AFTER = 2;

export function fastParseTree(text: string): Node | undefined {
  const len = text.length;
  const maxDepth = LIMITS.maxDepth;
  let i = 0;
  let depth = 0;
  let root: MNode | undefined;
  /** Innermost open object or array. */
  let cont: MNode | undefined;
  /** Property of `cont` whose value is being read (then `cont` is an object). */
  let prop: MNode | undefined;
  /** End of the value just read (in AFTER). */
  let end = 0;
  let mode = VALUE;
  for (;;) {
    let c = text.charCodeAt(i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
    if (mode === AFTER) {
      if (prop !== undefined) {
        prop.length = end - prop.offset;
        prop = undefined;
      }
      if (cont === undefined) return i === len ? (root as Node) : undefined;
      if (c === 44 /* , */) {
        i++;
        mode = cont.type === 'object' ? KEY : VALUE;
        continue;
      }
      if (c === (cont.type === 'object' ? 125 /* } */ : 93 /* ] */)) {
        i++;
        cont.length = i - cont.offset;
        end = i;
        depth--;
        const up: MNode | undefined = cont.parent;
        if (up === undefined) cont = undefined;
        else if (up.type === 'property') {
          prop = up;
          cont = up.parent;
        } else cont = up;
        continue;
      }
      return undefined;
    }
    if (mode === KEY) {
      if (c !== 34) return undefined;
      const name = readString(text, i);
      if (name === undefined) return undefined;
      const p: MNode = { type: 'property', offset: i, length: -1, parent: cont, children: [] };
      p.children!.push({ type: 'string', value: name, offset: i, length: stringEnd - i, parent: p });
      cont!.children!.push(p);
      i = stringEnd;
      c = text.charCodeAt(i);
      while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
      if (c !== 58 /* : */) return undefined;
      p.colonOffset = i;
      i++;
      prop = p;
      mode = VALUE;
      continue;
    }
    // VALUE
    const owner = prop !== undefined ? prop : cont;
    let node: MNode;
    if (c === 34) {
      const value = readString(text, i);
      if (value === undefined) return undefined;
      node = { type: 'string', offset: i, length: stringEnd - i, parent: owner, value };
      i = stringEnd;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > maxDepth) return undefined;
      const type = c === 123 ? 'object' : 'array';
      node = owner === undefined
        ? { type, offset: i, length: -1, children: [] }
        : { type, offset: i, length: -1, parent: owner, children: [] };
      if (owner === undefined) root = node;
      else owner.children!.push(node);
      cont = node;
      prop = undefined;
      i++;
      c = text.charCodeAt(i);
      while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
      if (c === (type === 'object' ? 125 : 93)) {
        // Empty: let AFTER close it.
        mode = AFTER;
      } else {
        mode = type === 'object' ? KEY : VALUE;
      }
      continue;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      if (c === 45) c = text.charCodeAt(++i);
      if (c === 48) c = text.charCodeAt(++i);
      else if (c >= 49 && c <= 57) {
        do c = text.charCodeAt(++i); while (c >= 48 && c <= 57);
      } else return undefined;
      if (c === 46 /* . */) {
        c = text.charCodeAt(++i);
        if (!(c >= 48 && c <= 57)) return undefined;
        do c = text.charCodeAt(++i); while (c >= 48 && c <= 57);
      }
      if (c === 101 || c === 69 /* e E */) {
        c = text.charCodeAt(++i);
        if (c === 43 || c === 45) c = text.charCodeAt(++i);
        if (!(c >= 48 && c <= 57)) return undefined;
        do c = text.charCodeAt(++i); while (c >= 48 && c <= 57);
      }
      // jsonc-parser's value: Number() of the scanned text.
      node = { type: 'number', offset: start, length: i - start, parent: owner, value: Number(text.slice(start, i)) };
    } else if (c === 116 /* t */ && text.charCodeAt(i + 1) === 114 && text.charCodeAt(i + 2) === 117 && text.charCodeAt(i + 3) === 101) {
      node = { type: 'boolean', offset: i, length: 4, parent: owner, value: true };
      i += 4;
    } else if (c === 102 /* f */ && text.charCodeAt(i + 1) === 97 && text.charCodeAt(i + 2) === 108 && text.charCodeAt(i + 3) === 115 && text.charCodeAt(i + 4) === 101) {
      node = { type: 'boolean', offset: i, length: 5, parent: owner, value: false };
      i += 5;
    } else if (c === 110 /* n */ && text.charCodeAt(i + 1) === 117 && text.charCodeAt(i + 2) === 108 && text.charCodeAt(i + 3) === 108) {
      node = { type: 'null', offset: i, length: 4, parent: owner, value: null };
      i += 4;
    } else {
      return undefined;
    }
    // A scalar: the next character must end the token as jsonc-parser's scanner ends it and
    // be one JSON allows after a value (AFTER checks the latter; the former is implied).
    if (owner === undefined) {
      delete node.parent;
      root = node;
    } else owner.children!.push(node);
    end = i;
    mode = AFTER;
  }
}
