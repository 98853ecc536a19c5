/**
 * Deterministic mutations of valid templates for fuzzing the core: a seeded PRNG, so the same
 * seed gives the same inputs on every machine.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

const JUNK = ['{', '}', '[', ']', ',', ':', '"', '\\', '/', '*', '\n', '\r', '\t', ' ', '\u0000', '\ud800', '\udc00', '😀', '汉', '\ufeff', 'null', 'true', '1e999', '-0', '\\u', '\\u12', '\\"', '<a', '>', '</a>', '=', "'"];
const SOUP = ['<a', '<A', ' href=', ' herf=', ' data-miniprogram-appid=', ' data-miniprogram-path=', '\\"', "'", '>', '</a>', '</a', '<', '=', ' ', 'https://x.example', 'javascript:alert(1)', 'wx1234567890abcdef', 'pages/index/index', '\\n', '\\u003c', '😀', '\\ud83d', '\\\\'];
const TOKEN = /"(?:[^"\\]|\\.)*"|[{}[\],:]|[^\s{}[\],:"]+/g;

function tokens(s: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of s.matchAll(TOKEN)) out.push([m.index!, m.index! + m[0].length]);
  return out;
}

function insertIntoContent(r: Rand, s: string, what: string): string {
  const at = s.indexOf('"content"');
  const q = at === -1 ? -1 : s.indexOf('"', s.indexOf(':', at) + 1);
  const pos = q === -1 ? int(r, s.length + 1) : q + 1 + int(r, 20);
  return s.slice(0, pos) + what + s.slice(pos);
}

export const MUTATORS: Record<string, (r: Rand, s: string) => string> = {
  flip: (r, s) => {
    const i = int(r, s.length);
    return s.slice(0, i) + pick(r, JUNK) + s.slice(i + 1);
  },
  byteFlip: (r, s) => {
    const i = int(r, s.length);
    return s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ (1 << int(r, 16))) + s.slice(i + 1);
  },
  truncate: (r, s) => s.slice(0, int(r, s.length)),
  deleteToken: (r, s) => {
    const t = tokens(s);
    if (!t.length) return s;
    const [a, b] = pick(r, t);
    return s.slice(0, a) + s.slice(b);
  },
  duplicateToken: (r, s) => {
    const t = tokens(s);
    if (!t.length) return s;
    const [a, b] = pick(r, t);
    return s.slice(0, b) + s.slice(a, b) + s.slice(b);
  },
  swapTokens: (r, s) => {
    const t = tokens(s);
    if (t.length < 2) return s;
    const [a1, b1] = pick(r, t);
    const [a2, b2] = pick(r, t);
    if (a1 === a2) return s;
    const [x, y] = a1 < a2 ? [[a1, b1], [a2, b2]] : [[a2, b2], [a1, b1]];
    if (x[1] > y[0]) return s;
    return s.slice(0, x[0]) + s.slice(y[0], y[1]) + s.slice(x[1], y[0]) + s.slice(x[0], x[1]) + s.slice(y[1]);
  },
  deepNesting: (r, s) => {
    const n = pick(r, [10, 63, 64, 65, 500, 5000]);
    const open = pick(r, ['[', '{"a":']);
    const close = open === '[' ? ']' : '}';
    const i = int(r, s.length + 1);
    return s.slice(0, i) + open.repeat(n) + (r() < 0.5 ? close.repeat(n) : '') + s.slice(i);
  },
  hugeString: (r, s) => insertIntoContent(r, s, pick(r, ['x', '汉', '😀', '<a>', '\\n']).repeat(pick(r, [1000, 30_000, 200_000]))),
  loneSurrogate: (r, s) => {
    const i = int(r, s.length + 1);
    return s.slice(0, i) + pick(r, ['\ud800', '\udfff', '\\ud800', '\\udc00x', '\ud83d']) + s.slice(i);
  },
  linkSoup: (r, s) => {
    let soup = '';
    const n = 1 + int(r, 30);
    for (let k = 0; k < n; k++) soup += pick(r, SOUP);
    return insertIntoContent(r, s, soup);
  },
  insertJunk: (r, s) => {
    const i = int(r, s.length + 1);
    return s.slice(0, i) + pick(r, JUNK) + s.slice(i);
  },
};

const NAMES = Object.keys(MUTATORS);

/** The i-th fuzz input for a seed: 1–4 stacked mutations of one of the seeds. */
export function fuzzInput(seeds: readonly string[], seed: number, i: number): string {
  const r = prng(seed * 1_000_003 + i);
  let s = pick(r, seeds);
  const rounds = 1 + int(r, 4);
  for (let k = 0; k < rounds; k++) s = MUTATORS[pick(r, NAMES)](r, s);
  return s;
}
