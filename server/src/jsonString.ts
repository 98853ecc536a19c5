/**
 * Decodes a JSON string literal as it stands in the source, keeping for every decoded UTF-16
 * unit the source span it came from. Text-link attributes are found in the decoded value and
 * reported through this map, so ranges stay exact through `\"`, `\n`, `\uXXXX` and astral
 * characters (which are two UTF-16 units on both sides).
 */
export interface DecodedString {
  value: string;
  /** starts[i] / ends[i]: source offsets (absolute, into the document) of decoded unit i. */
  starts: number[];
  ends: number[];
  /** Absolute offset just after the opening quote and at the closing quote. */
  contentStart: number;
  contentEnd: number;
}

const SIMPLE: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function decodeJsonString(text: string, literalOffset: number, literalLength: number): DecodedString {
  const contentStart = literalOffset + 1;
  const hasClose = literalLength >= 2 && text[literalOffset + literalLength - 1] === '"';
  const contentEnd = literalOffset + literalLength - (hasClose ? 1 : 0);
  let value = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let i = contentStart;
  while (i < contentEnd) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < contentEnd) {
      const e = text[i + 1];
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.substr(i + 2, 4))) {
        value += String.fromCharCode(parseInt(text.substr(i + 2, 4), 16));
        starts.push(i);
        ends.push(i + 6);
        i += 6;
        continue;
      }
      const simple = SIMPLE[e];
      value += simple ?? e;
      starts.push(i);
      ends.push(i + 2);
      i += 2;
      continue;
    }
    value += ch;
    starts.push(i);
    ends.push(i + 1);
    i++;
  }
  return { value, starts, ends, contentStart, contentEnd };
}

/** Source span [start, end) of decoded units [from, to). An empty span maps to a caret. */
export function sourceSpan(d: DecodedString, from: number, to: number): [number, number] {
  const start = from < d.starts.length ? d.starts[from] : d.contentEnd;
  const end = to > from ? d.ends[to - 1] : start;
  return [start, end];
}

/** Escapes text for insertion inside a JSON string literal. */
export function escapeJsonStringContent(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}
