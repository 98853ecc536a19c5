// The extension's UI in English and Chinese, the VS Code way: manifest strings through
// package.nls.json / package.nls.zh-cn.json, runtime strings through vscode.l10n.t with
// l10n/bundle.l10n.zh-cn.json. A string missing in zh-CN fails here, not in front of a user.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
const json = (rel: string) => JSON.parse(readFileSync(path.join(ROOT, rel), 'utf8'));

/** Every `%key%` string in the manifest, with where it is. */
export function manifestKeys(manifest: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (v: unknown, at: string) => {
    if (typeof v === 'string') {
      const m = /^%([^%]+)%$/.exec(v);
      if (m) out.set(m[1]!, at);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
  };
  walk(manifest, '');
  return out;
}

export interface L10nCall { file: string; line: number; message?: string; problem?: string }

/** The `l10n.t(...)` calls of a TypeScript source: the message when it is a literal, else why not. */
export function l10nCalls(file: string, source: string): L10nCall[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const out: L10nCall[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n) && /(^|\.)l10n\.t$/.test(n.expression.getText(sf))) {
      const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
      const a = n.arguments[0];
      if (a && (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a))) out.push({ file, line, message: a.text });
      else out.push({ file, line, problem: 'the message is not a string literal (use {0} placeholders), so it cannot be checked against the bundle' });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const placeholders = (s: string) => [...s.matchAll(/\{(\d+|[A-Za-z_]\w*)\}/g)].map((m) => m[0]).sort();

describe('extension l10n', () => {
  const manifest = json('package.json');
  const nls = json('package.nls.json') as Record<string, string>;
  const nlsZh = json('package.nls.zh-cn.json') as Record<string, string>;
  const bundleZh = json('l10n/bundle.l10n.zh-cn.json') as Record<string, string>;

  test('every %key% of package.json is in package.nls.json and package.nls.zh-cn.json', () => {
    const keys = manifestKeys(manifest);
    assert.ok(keys.size > 20, `only ${keys.size} %keys% in package.json`);
    const missing = [...keys].filter(([k]) => typeof nls[k] !== 'string' || !nls[k]).map(([k, at]) => `${k} (${at})`);
    const missingZh = [...keys].filter(([k]) => typeof nlsZh[k] !== 'string' || !nlsZh[k]).map(([k, at]) => `${k} (${at})`);
    assert.deepEqual(missing, [], 'missing in package.nls.json');
    assert.deepEqual(missingZh, [], 'missing in package.nls.zh-cn.json');
    const unused = Object.keys(nls).filter((k) => !keys.has(k));
    assert.deepEqual(unused, [], 'keys of package.nls.json that package.json does not use');
    assert.deepEqual(Object.keys(nlsZh).filter((k) => !(k in nls)), [], 'keys of package.nls.zh-cn.json not in package.nls.json');
  });

  test('command titles and categories, settings and enum descriptions are localized', () => {
    const literal = (v: unknown) => typeof v === 'string' && !/^%[^%]+%$/.test(v);
    const bad: string[] = [];
    for (const c of manifest.contributes.commands) {
      if (literal(c.title)) bad.push(`${c.command}.title`);
      if (literal(c.category)) bad.push(`${c.command}.category`);
    }
    for (const [k, p] of Object.entries<Record<string, unknown>>(manifest.contributes.configuration.properties)) {
      for (const f of ['description', 'markdownDescription', 'patternErrorMessage']) if (literal(p[f])) bad.push(`${k}.${f}`);
      const enums = [p, p.additionalProperties as Record<string, unknown> | undefined].filter((x) => x && Array.isArray(x.enum) && !(k === 'wxmsg.rules' && x === p));
      for (const e of enums) {
        const d = (e!.enumDescriptions ?? e!.markdownEnumDescriptions) as unknown[] | undefined;
        if (!d || d.length !== (e!.enum as unknown[]).length) bad.push(`${k}: enumDescriptions`);
        else d.forEach((x, i) => { if (literal(x)) bad.push(`${k}.enumDescriptions[${i}]`); });
      }
    }
    assert.deepEqual(bad, [], 'manifest strings that are not %keys% of package.nls.json');
  });

  test('the palette finds every command by "wxmsg" and "WeChat" (English), by "微信" (Chinese)', () => {
    const value = (s: string, table: Record<string, string>) => (/^%([^%]+)%$/.test(s) ? table[s.slice(1, -1)]! : s);
    for (const c of manifest.contributes.commands) {
      const en = `${value(c.category, nls)}: ${value(c.title, nls)}`;
      const zh = `${value(c.category, nlsZh)}: ${value(c.title, nlsZh)}`;
      assert.match(en, /wxmsg/, c.command);
      assert.match(en, /WeChat/, c.command);
      assert.match(zh, /微信/, c.command);
      // In Chinese the palette also matches the English title (VS Code's `original` alias),
      // which exists only when the Chinese differs from it.
      assert.notEqual(zh, en, c.command);
    }
  });

  test('every l10n.t message in client/src is a literal with a zh-cn bundle entry', () => {
    const calls = sources(path.join(ROOT, 'client', 'src')).flatMap((f) => l10nCalls(path.relative(ROOT, f), readFileSync(f, 'utf8')));
    assert.ok(calls.length > 30, `only ${calls.length} l10n.t calls in client/src`);
    assert.deepEqual(calls.filter((c) => c.problem).map((c) => `${c.file}:${c.line}: ${c.problem}`), []);
    const missing = calls.filter((c) => c.message !== undefined && typeof bundleZh[c.message] !== 'string').map((c) => `${c.file}:${c.line}: ${JSON.stringify(c.message)}`);
    assert.deepEqual(missing, [], 'l10n.t messages missing in l10n/bundle.l10n.zh-cn.json');
    const used = new Set(calls.map((c) => c.message));
    assert.deepEqual(Object.keys(bundleZh).filter((k) => !used.has(k)), [], 'bundle entries no l10n.t call uses');
    const wrongArgs = Object.entries(bundleZh).filter(([k, v]) => placeholders(k).join() !== placeholders(v).join()).map(([k]) => k);
    assert.deepEqual(wrongArgs, [], 'translations whose {placeholders} differ from the English');
    assert.deepEqual(Object.entries(bundleZh).filter(([, v]) => !v.trim()).map(([k]) => k), [], 'empty translations');
  });

  test('the manifest points VS Code at the bundles', () => {
    assert.equal(manifest.l10n, './l10n');
  });

  test('the checks catch what they are for', () => {
    // A message built at run time cannot be looked up; a literal can.
    const calls = l10nCalls('x.ts', "vscode.l10n.t('Hello {0}', a); vscode.l10n.t(`Hi ${a}`); l10n.t(\"Bye\");");
    assert.deepEqual(calls.map((c) => c.message ?? 'problem'), ['Hello {0}', 'problem', 'Bye']);
    assert.deepEqual([...manifestKeys({ a: '%x%', b: ['%y%', 'z'], c: { d: '100%' } }).keys()], ['x', 'y']);
  });
});
