/**
 * A JSON string literal decoded as it stands in the source, keeping for every decoded UTF-16
 * unit the source span it came from. Text-link attributes are found in the decoded value and
 * reported through this map, so ranges stay exact through `\"`, `\n`, `\uXXXX` and astral
 * characters (which are two UTF-16 units on both sides).
 *
 * Only the escapes are stored: between two escapes decoded units map one to one onto source
 * characters, so a content of any size costs a few numbers per escape, not per character.
 */
export class DecodedString {
  constructor(
    readonly value: string,
    /** Absolute offset just after the opening quote and at the closing quote. */
    readonly contentStart: number,
    readonly contentEnd: number,
    /** Per escape, in order: its decoded index, source offset and source width. */
    private readonly escIndex: ArrayLike<number>,
    private readonly escSrc: ArrayLike<number>,
    private readonly escWidth: ArrayLike<number>,
  ) {}

  get length(): number {
    return this.value.length;
  }

  /** Source offset where decoded unit i starts (0 <= i < length). */
  startOf(i: number): number {
    const e = lastAtOrBefore(this.escIndex, i);
    if (e === -1) return this.contentStart + i;
    if (this.escIndex[e] === i) return this.escSrc[e];
    return this.escSrc[e] + this.escWidth[e] + (i - this.escIndex[e] - 1);
  }

  /** Source offset just after decoded unit i. */
  endOf(i: number): number {
    const e = lastAtOrBefore(this.escIndex, i);
    if (e !== -1 && this.escIndex[e] === i) return this.escSrc[e] + this.escWidth[e];
    return this.startOf(i) + 1;
  }

  /** Index of the first decoded unit that ends after a source offset (units wholly before it). */
  indexAt(offset: number): number {
    const e = lastAtOrBefore(this.escSrc, offset);
    let i: number;
    if (e === -1) i = offset - this.contentStart;
    else if (offset < this.escSrc[e] + this.escWidth[e]) i = this.escIndex[e];
    else i = this.escIndex[e] + 1 + (offset - this.escSrc[e] - this.escWidth[e]);
    return Math.max(0, Math.min(i, this.length));
  }
}

/** Last position in an ascending array whose value is <= x, or -1. */
function lastAtOrBefore(xs: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

const SIMPLE: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Four hex digits at `at` (no substring is made). */
function isHex4(text: string, at: number): boolean {
  if (at + 4 > text.length) return false;
  for (let k = at; k < at + 4; k++) {
    const c = text.charCodeAt(k);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * `knownValue`: the literal's value as the parser decoded it, when the parser reported no error
 * in it (then it is exactly what this would build): only the escapes are located.
 */
export function decodeJsonString(text: string, literalOffset: number, literalLength: number, knownValue?: string): DecodedString {
  const contentStart = literalOffset + 1;
  const hasClose = literalLength >= 2 && text[literalOffset + literalLength - 1] === '"';
  const contentEnd = literalOffset + literalLength - (hasClose ? 1 : 0);
  // At most one escape per backslash: the maps are sized once (no growing arrays per edit).
  let backslashes = 0;
  for (let i = text.indexOf('\\', contentStart); i !== -1 && i < contentEnd; i = text.indexOf('\\', i + 1)) backslashes++;
  let escIndex = new Int32Array(backslashes);
  let escSrc = new Int32Array(backslashes);
  let escWidth = new Int32Array(backslashes);
  let escapes = 0;
  const chunks: string[] | undefined = knownValue === undefined ? [] : undefined;
  let decodedLength = 0;
  let runStart = contentStart;
  // Jump from backslash to backslash: the engine's search is much faster than a loop per unit.
  for (let i = text.indexOf('\\', contentStart); i !== -1 && i + 1 < contentEnd; i = text.indexOf('\\', i)) {
    decodedLength += i - runStart;
    const e = text[i + 1];
    let width = 2;
    if (e === 'u' && isHex4(text, i + 2)) width = 6;
    if (chunks) {
      if (i > runStart) chunks.push(text.slice(runStart, i));
      chunks.push(width === 6 ? String.fromCharCode(parseInt(text.substr(i + 2, 4), 16)) : SIMPLE[e] ?? e);
    }
    escIndex[escapes] = decodedLength;
    escSrc[escapes] = i;
    escWidth[escapes] = width;
    escapes++;
    decodedLength++;
    i += width;
    runStart = i;
  }
  if (escapes < backslashes) {
    escIndex = escIndex.subarray(0, escapes);
    escSrc = escSrc.subarray(0, escapes);
    escWidth = escWidth.subarray(0, escapes);
  }
  let value: string;
  if (chunks) {
    if (contentEnd > runStart) chunks.push(text.slice(runStart, contentEnd));
    value = chunks.length === 1 ? chunks[0] : chunks.join('');
  } else {
    value = knownValue!;
    // Should the parser ever disagree, the source is the truth.
    if (decodedLength + Math.max(0, contentEnd - runStart) !== value.length) return decodeJsonString(text, literalOffset, literalLength);
  }
  return new DecodedString(value, contentStart, contentEnd, escIndex, escSrc, escWidth);
}

/** Source span [start, end) of decoded units [from, to). An empty span maps to a caret. */
export function sourceSpan(d: DecodedString, from: number, to: number): [number, number] {
  const start = from < d.length ? d.startOf(from) : d.contentEnd;
  const end = to > from ? d.endOf(to - 1) : start;
  return [start, end];
}

/** Escapes text for insertion inside a JSON string literal. */
export function escapeJsonStringContent(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}
