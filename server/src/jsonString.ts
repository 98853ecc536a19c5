/**
 * Decodes a JSON string literal as it stands in the source, keeping for every decoded UTF-16
 * unit the source span it came from. Text-link attributes are found in the decoded value and
 * reported through this map, so ranges stay exact through `\"`, `\n`, `\uXXXX` and astral
 * characters (which are two UTF-16 units on both sides).
 */
export interface DecodedString {
  value: string;
  /** starts[i] / ends[i]: source offsets (absolute, into the document) of decoded unit i. */
  starts: Int32Array;
  ends: Int32Array;
  /** Absolute offset just after the opening quote and at the closing quote. */
  contentStart: number;
  contentEnd: number;
}

const SIMPLE: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function decodeJsonString(text: string, literalOffset: number, literalLength: number): DecodedString {
  const contentStart = literalOffset + 1;
  const hasClose = literalLength >= 2 && text[literalOffset + literalLength - 1] === '"';
  const contentEnd = literalOffset + literalLength - (hasClose ? 1 : 0);
  // Typed arrays and chunked string building keep a multi-megabyte content cheap.
  const cap = Math.max(0, contentEnd - contentStart);
  const starts = new Int32Array(cap);
  const ends = new Int32Array(cap);
  const chunks: string[] = [];
  let n = 0;
  let runStart = contentStart;
  let i = contentStart;
  const flush = (to: number) => {
    if (to > runStart) chunks.push(text.slice(runStart, to));
  };
  while (i < contentEnd) {
    if (text.charCodeAt(i) === 92 /* \\ */ && i + 1 < contentEnd) {
      flush(i);
      const e = text[i + 1];
      let width = 2;
      let decoded: string;
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.substr(i + 2, 4))) {
        decoded = String.fromCharCode(parseInt(text.substr(i + 2, 4), 16));
        width = 6;
      } else {
        decoded = SIMPLE[e] ?? e;
      }
      chunks.push(decoded);
      starts[n] = i;
      ends[n] = i + width;
      n++;
      i += width;
      runStart = i;
      continue;
    }
    starts[n] = i;
    ends[n] = i + 1;
    n++;
    i++;
  }
  flush(contentEnd);
  const value = chunks.join('');
  return { value, starts: starts.subarray(0, n), ends: ends.subarray(0, n), contentStart, contentEnd };
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
