// Differential test of the fast strict-JSON path against jsonc-parser: whenever fastParseTree
// returns a tree it must be the tree parseTree builds (and jsonc-parser must report no errors),
// and it must return one for every strictly valid template.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import { fastParseTree } from '../server/src/core/parser/fastTree.ts';
import { parseTemplate, tooDeepAt } from '../server/src/core/parser/document.ts';
import { LIMITS } from '../server/src/core/rules/codes.ts';
import { corpusPages, template } from '../bench/corpus.ts';
import { MUTATORS, prng } from './fuzz/mutate.ts';

const ROOT = path.resolve(__dirname, '..');

function jsonc(text: string): { root: Node | undefined; errors: ParseError[] } {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  return { root, errors };
}

/** First difference between two trees (own keys and values, `parent` by identity), or ''. */
function diff(a: Node, b: Node, where: string, aParent: Node | undefined, bParent: Node | undefined): string {
  const ka = Object.keys(a).sort().join();
  const kb = Object.keys(b).sort().join();
  if (ka !== kb) return `${where}: keys ${ka} vs ${kb}`;
  if (a.parent !== aParent) return `${where}: fast parent link`;
  if (b.parent !== bParent) return `${where}: jsonc parent link`;
  for (const k of ['type', 'offset', 'length', 'colonOffset', 'value'] as const) {
    if (!Object.is(a[k], b[k])) return `${where}.${k}: ${JSON.stringify(a[k])} vs ${JSON.stringify(b[k])}`;
  }
  if (a.children || b.children) {
    if (!a.children || !b.children || a.children.length !== b.children.length) return `${where}: children`;
    for (let i = 0; i < a.children.length; i++) {
      const d = diff(a.children[i], b.children[i], `${where}/${i}`, a, b);
      if (d) return d;
    }
  }
  return '';
}

/** Checks one input; returns whether the fast path accepted it. */
function check(text: string, label: string): boolean {
  const fast = fastParseTree(text);
  let strict = text.length > 0;
  try {
    JSON.parse(text);
  } catch {
    strict = false;
  }
  const tooDeep = tooDeepAt(text, LIMITS.maxDepth) !== -1;
  if (!fast) {
    assert.ok(!strict || tooDeep, `${label}: strict JSON not accepted: ${JSON.stringify(text.slice(0, 200))}`);
    return false;
  }
  assert.ok(strict, `${label}: accepted text JSON.parse rejects: ${JSON.stringify(text.slice(0, 200))}`);
  assert.ok(!tooDeep, `${label}: accepted text nested deeper than ${LIMITS.maxDepth}`);
  assert.ok(!('parent' in fast), `${label}: root has a parent key`);
  const { root, errors } = jsonc(text);
  assert.deepEqual(errors, [], `${label}: accepted text with jsonc-parser errors`);
  assert.ok(root, label);
  const d = diff(fast, root, label, undefined, undefined);
  assert.equal(d, '', `${JSON.stringify(text.slice(0, 300))}`);
  return true;
}

function listJson(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return listJson(p);
    return e.name.endsWith('.json') ? [p] : [];
  });
}

function repoInputs(): string[] {
  const texts: string[] = [];
  for (const f of [...listJson(path.join(ROOT, 'examples')), ...listJson(path.join(ROOT, 'test', 'fixtures'))]) {
    const text = fs.readFileSync(f, 'utf8');
    texts.push(text);
    // Saved fuzz inputs are stored as { text }.
    if (f.includes('fuzz-regressions')) texts.push(JSON.parse(text).text);
  }
  return texts;
}

type Mistake = Parameters<typeof template>[3];
const MISTAKES: Mistake[] = ['foreign-appid', 'unknown-page', 'missing-field', 'invalid-msgtype', 'syntax', 'wrong-type', 'content-too-long', 'unsafe-href'];

function corpusInputs(count: number): string[] {
  const r = prng(7);
  const { pages, subPackages } = corpusPages();
  const all = pages.concat(subPackages.flatMap((s) => s.pages.map((p) => s.root + p)));
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(template(r, i, all, r() < 0.2 ? MISTAKES[Math.floor(r() * MISTAKES.length)] : undefined));
  return out;
}

/** Random JSON values with every kind of string content, numbers and nesting. */
function randomJson(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 4 ? 5 : 7));
  switch (k) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: {
      const forms = [0, -0, 1, -1, 0.5, 1e21, 1e-7, 123456789012345680000, 5e-324, Number.MAX_VALUE, r() * 1e6, -r()];
      return forms[Math.floor(r() * forms.length)];
    }
    case 3:
    case 4: {
      let s = '';
      const n = Math.floor(r() * 12);
      for (let i = 0; i < n; i++) {
        const u = r();
        s += u < 0.3 ? String.fromCharCode(Math.floor(r() * 0x80)) : u < 0.5 ? String.fromCharCode(Math.floor(r() * 0x10000)) : u < 0.7 ? '"\\/<a>' [Math.floor(r() * 6)] : '汉😀 x'[Math.floor(r() * 5)];
      }
      return s;
    }
    case 5: return Array.from({ length: Math.floor(r() * 4) }, () => randomJson(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 4); i > 0; i--) o[String(randomJson(r, 99))] = randomJson(r, depth + 1);
      return o;
    }
  }
}

/** Hand-written JSON text with escapes JSON.stringify never writes, and odd spacing. */
function escapeVariants(r: () => number): string {
  const pieces = ['\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t', '\\u0041', '\\u00e9', '\\uD83D\\uDE00', '\\ud800', '\\uDFFF', '\\u0000', '\\uABCD', '\\uabcd', 'plain', '汉', '\u2028', '\u007f'];
  let s = '';
  for (let i = Math.floor(r() * 6); i > 0; i--) s += pieces[Math.floor(r() * pieces.length)];
  const ws = [' ', '\t', '\n', '\r\n', '\r', ''];
  const w = () => ws[Math.floor(r() * ws.length)];
  return `${w()}{${w()}"k${s}"${w()}:${w()}"${s}"${w()},"n":${w()}[${w()}${s.length}${w()},-0.5e+3,1E-2,true,false,null${w()}]${w()}}${w()}`;
}

const EXTRA: Record<string, (r: () => number, s: string) => string> = {
  comment: (r, s) => at(r, s, ['//c\n', '/*c*/', '/*', '//', '/']),
  trailingComma: (r, s) => {
    const closes = [...s.matchAll(/[}\]]/g)].map((m) => m.index!);
    if (!closes.length) return s + ',';
    const i = closes[Math.floor(r() * closes.length)];
    return s.slice(0, i) + ',' + s.slice(i);
  },
  controlChar: (r, s) => at(r, s, [String.fromCharCode(Math.floor(r() * 32)), '\u007f', '\u0085', '\u00a0', '\u000b', '\u000c', '\ufeff']),
  escape: (r, s) => at(r, s, ['\\"', '\\u', '\\u00', '\\u00g0', '\\x41', '\\a', '\\\'', '\\0', '\\U0041', '\\u0041', '\\', '\\\\\\']),
  number: (r, s) => {
    const forms = ['01', '1.', '.5', '-', '-a', '1e', '1e+', '1E5', '-0', '00', '1.5.2', '+1', '0x1F', 'Infinity', 'NaN', '1e999', '-1e-999', '2e308', '1_000', '١', '0.0000000000000000000001', '12345678901234567890123'];
    return at(r, s, [forms[Math.floor(r() * forms.length)]]);
  },
  replaceValue: (r, s) => {
    const forms = ['01', '1.', '-', '1e', '-0', '1E+2', 'tru', 'truex', 'nul', 'nulll', 'True', 'false1', 'null,', '[]', '{}', '[,]', '{,}', '""', '"\\u12"', 'undefined', "'x'"];
    const colons = [...s.matchAll(/:/g)].map((m) => m.index!);
    if (!colons.length) return forms[Math.floor(r() * forms.length)];
    const i = colons[Math.floor(r() * colons.length)] + 1;
    const end = s.slice(i).search(/[,}\]\n]/);
    return s.slice(0, i) + forms[Math.floor(r() * forms.length)] + (end === -1 ? '' : s.slice(i + end));
  },
  nest: (r, s) => {
    const n = [1, 2, 62, 63, 64, 65, 66][Math.floor(r() * 7)];
    const open = r() < 0.5 ? '[' : '{"a":';
    const close = open === '[' ? ']' : '}';
    return open.repeat(n) + s.trim() + close.repeat(n);
  },
  wrap: (r, s) => [' ', '\ufeff', '\n\n', '\u00a0', ''][Math.floor(r() * 5)] + s + ['', ' ', '\n', 'x', '}', ']', ',', '\u0000'][Math.floor(r() * 8)],
};

function at(r: () => number, s: string, what: string[]): string {
  const i = Math.floor(r() * (s.length + 1));
  return s.slice(0, i) + what[Math.floor(r() * what.length)] + s.slice(i);
}

test('fast tree equals jsonc-parser on every template and fixture in the repository', () => {
  const texts = repoInputs();
  assert.ok(texts.length >= 30);
  let accepted = 0;
  texts.forEach((t, i) => (accepted += check(t, `repo #${i}`) ? 1 : 0));
  assert.ok(accepted >= 20, `accepted ${accepted}`);
});

test('fast tree equals jsonc-parser on generated templates, and accepts every clean one', () => {
  const texts = corpusInputs(1500);
  let accepted = 0;
  texts.forEach((t, i) => (accepted += check(t, `corpus #${i}`) ? 1 : 0));
  // The corpus's only syntax mistake is 'syntax'; everything else is strict JSON.
  assert.ok(accepted > 1400, `accepted ${accepted}`);
});

test('fast tree equals jsonc-parser on random JSON values and hand-written escapes', () => {
  const r = prng(99);
  let accepted = 0;
  for (let i = 0; i < 3000; i++) {
    const v = randomJson(r, 0);
    const indent = [undefined, 2, '\t', 0][i % 4];
    const text = i % 3 === 2 ? escapeVariants(r) : JSON.stringify(v, null, indent);
    if (check(text, `random #${i}`)) accepted++;
  }
  assert.equal(accepted, 3000);
});

test('fast tree equals jsonc-parser or declines on thousands of mutated templates', () => {
  const seeds = [...repoInputs(), ...corpusInputs(200), escapeVariants(prng(5)), escapeVariants(prng(6))];
  // Without the huge-string mutator: it only makes inputs slower, not different.
  const mutators = { ...Object.fromEntries(Object.entries(MUTATORS).filter(([k]) => k !== 'hugeString')), ...EXTRA };
  const names = Object.keys(mutators);
  let accepted = 0;
  let declined = 0;
  const N = 6000;
  for (let i = 0; i < N; i++) {
    const r = prng(20261126 + i);
    let s = seeds[Math.floor(r() * seeds.length)];
    for (let k = 1 + Math.floor(r() * 3); k > 0; k--) s = mutators[names[Math.floor(r() * names.length)]](r, s);
    if (check(s, `mutant #${i}`)) accepted++;
    else declined++;
  }
  // Both outcomes must be exercised for the test to say anything.
  assert.ok(accepted > 300 && declined > 3000, `accepted ${accepted}, declined ${declined}`);
});

test('fast tree equals jsonc-parser or declines on hand-picked edge cases', () => {
  const cases = [
    '', ' ', '\n', '[,1]', '{,"a":1}', '[1,]', '{"a":1,}', '[1 2]', '{"a" 1}', '{"a":}', '{"a"::1}', '{"a":1:2}', '[1]]', '[[1]', '{}}',
    '{"a":1"b":2}', '{"a":1,,"b":2}', '[1,,2]', '{"a"}', '{a:1}', "{'a':1}", '{"a":1}x', '{"a":1} //', '{"a":1} /**/', '/**/{}', '[]', '{}',
    '[ ]', '{ }', '[[],{}]', '"\\u12"', '"\\u12345"', '"\\u"', '"\\"', '"abc', '"a\nb"', '"a\tb"', '"a\u001fb"', '"a\u007fb"', '"\\\'"', '"\\ud800"',
    'tru', 'true', 'truex', 'true1', 'nul', 'null', 'nulls', 'false', 'falsey', 'fals', 'True', '1 2', '-', '-0', '-01', '01', '0', '0.', '.0', '1.e5',
    '1e5', '1E+5', '1e-5', '1e', '1e+', '1ee5', '[-]', '[-1]', '[1.5e3]', '-1.0E-0', '1.0.0', '0x10', '+1', 'Infinity', 'NaN', '\ufeff{}', '{}\ufeff',
    '{}\u00a0', '\u000b{}', '{"a":1}\r\n', '\r\n{"a":\r\n1}', '{"a":{"b":[1,{"c":null}]}}', '{"":""}', '{"a":1,"a":2}', '{"__proto__":1}',
    '["\\/\\b\\f\\n\\r\\t\\"\\\\"]', '{"k\\u0041":"v"}', '[1e999]', '[-1e999]', '[5e-324]', '[123456789012345678901234567890]',
  ];
  let accepted = 0;
  cases.forEach((t, i) => (accepted += check(t, `case #${i}`) ? 1 : 0));
  assert.ok(accepted >= 30, `accepted ${accepted}`);
});

test('parseTemplate takes the fast path only for clean templates and keeps jsonc-parser for the rest', () => {
  const clean = '{\n  "touser": "OPENID",\n  "msgtype": "text",\n  "text": { "content": "a\\"b\\u00e9" }\n}\n';
  const doc = parseTemplate(clean);
  assert.deepEqual(doc.errors, []);
  assert.equal(doc.tooDeepAt, -1);
  assert.equal(diff(doc.root!, jsonc(clean).root!, 'root', undefined, undefined), '');
  assert.equal(doc.root!.children![2].children![1].children![0].children![1].value, 'a"bé');
  // Comments and trailing commas: no fast tree, jsonc-parser's tree and errors as before.
  for (const text of ['{ "a": 1, // c\n }', '{ "a": 1, }', '{ "a": 01 }', '']) {
    assert.equal(fastParseTree(text), undefined, JSON.stringify(text));
    const d = parseTemplate(text);
    const j = jsonc(text);
    assert.deepEqual(d.errors, j.errors, JSON.stringify(text));
    if (j.root) assert.equal(diff(d.root!, j.root, 'root', undefined, undefined), '');
  }
  // A BOM opening the text is not content (as the CLI drops it): same offsets, no error.
  const bom = parseTemplate('\ufeff{"a":1}');
  assert.deepEqual(bom.errors, []);
  assert.equal(bom.root!.offset, 1);
  assert.equal(bom.root!.children![0].children![1].value, 1);
  // Too deep: refused before parsing, on both paths.
  const deep = '['.repeat(LIMITS.maxDepth + 1) + ']'.repeat(LIMITS.maxDepth + 1);
  assert.equal(fastParseTree(deep), undefined);
  assert.equal(parseTemplate(deep).root, undefined);
  assert.notEqual(parseTemplate(deep).tooDeepAt, -1);
  const limit = '['.repeat(LIMITS.maxDepth) + ']'.repeat(LIMITS.maxDepth);
  assert.ok(fastParseTree(limit));
});
