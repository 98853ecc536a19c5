/** Closest candidate within a small edit distance, for did-you-mean messages and quick fixes. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const limit = Math.max(1, Math.min(3, Math.floor(c.length / 3)));
    // Cheap rejections first: a page list has hundreds of entries and most are far off.
    if (Math.abs(c.length - w.length) > limit) continue;
    const lc = c.toLowerCase();
    const max = Math.min(limit, bestDist - 1);
    if (candidates.length > 8 && bagDistance(w, lc) > max) continue;
    const d = distance(w, lc, max);
    if (d <= limit && d < bestDist) {
      best = c;
      bestDist = d;
      if (d === 0) break;
    }
  }
  return best;
}

const bag = new Int32Array(64);

/**
 * A lower bound of the edit distance, in linear time: characters one string has and the other
 * lacks (counted in 64 buckets; sharing a bucket only lowers the bound). Rules out most of a
 * long candidate list (app.json pages) before the quadratic distance runs.
 */
function bagDistance(a: string, b: string): number {
  bag.fill(0);
  for (let i = 0; i < a.length; i++) bag[a.charCodeAt(i) & 63]++;
  for (let i = 0; i < b.length; i++) bag[b.charCodeAt(i) & 63]--;
  let more = 0;
  let fewer = 0;
  for (let i = 0; i < 64; i++) {
    if (bag[i] > 0) more += bag[i];
    else fewer -= bag[i];
  }
  return Math.max(more, fewer);
}

let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Damerau (optimal string alignment) distance, so `herf` → `href` is one step. With `max`, any
 * result above it is only reported as "more than max" (max + 1), which lets it stop early.
 */
export function distance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > Math.min(3, max)) return Math.abs(a.length - b.length);
  const n = b.length;
  if (rows[0].length <= n) rows = [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)];
  let [prev2, prev, cur] = rows;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}
