// The typed catalog (server/src/core/l10n/): one per locale, the zh-CN one typed by the English one,
// so that a string missing in zh-CN fails `npm run typecheck`. Checked here by type-checking a
// copy of zh-cn.ts with one entry taken out (and the untouched copy, which must pass).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CATALOGS, catalog } from '../server/src/core/l10n/catalog.ts';
import { en } from '../server/src/core/l10n/en.ts';
import { zhCN } from '../server/src/core/l10n/zh-cn.ts';
import * as cliEn from '../server/src/core/l10n/cli/en.ts';
import * as cliZh from '../server/src/core/l10n/cli/zh-cn.ts';

const ROOT = path.resolve(__dirname, '..');
const L10N = path.join(ROOT, 'server', 'src', 'core', 'l10n');
const CLI_L10N = path.join(L10N, 'cli');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

describe('typed catalog', () => {
  let tmp: string;
  before(() => { tmp = mkdtempSync(path.join(tmpdir(), 'wxmsg-catalog-')); });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  /** Type-checks `source` as if it were server/src/core/l10n/zh-cn.ts; returns tsc's output and status. */
  function typecheck(name: string, source: string, dir = L10N): { status: number | null; out: string } {
    const file = path.join(tmp, `${name}.ts`);
    // Its imports point back into the source tree.
    writeFileSync(file, source.replace(/from '\.\.\/([^']+)'/g, (_m, p) => `from '${path.join(dir, '..', p)}'`)
      .replace(/from '\.\/([^']+)'/g, (_m, p) => `from '${path.join(dir, p)}'`));
    const config = path.join(tmp, `${name}.tsconfig.json`);
    writeFileSync(config, JSON.stringify({ extends: path.join(ROOT, 'tsconfig.json'), compilerOptions: { noUnusedLocals: false, typeRoots: [path.join(ROOT, 'node_modules', '@types')] }, include: [], files: [file] }));
    const r = spawnSync(process.execPath, [TSC, '--noEmit', '-p', config], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  }

  test('a zh-CN string missing from the catalog fails the typecheck; the catalog as it is passes', () => {
    const source = readFileSync(path.join(L10N, 'zh-cn.ts'), 'utf8');
    const ok = typecheck('zh-cn-copy', source);
    assert.equal(ok.status, 0, ok.out);
    for (const [section, key] of [['diag', 'duplicate-key'], ['hover', 'pagesUnknown']] as const) {
      const lines = source.split('\n');
      const at = lines.findIndex((l) => new RegExp(`^\\s+'?${key}'?: `).test(l));
      assert.ok(at >= 0, `${section}.${key} is not on a line of its own in zh-cn.ts`);
      assert.ok(lines[at]!.trimEnd().endsWith(','), `${section}.${key} spans several lines`);
      lines.splice(at, 1);
      const missing = typecheck(`zh-cn-without-${key}`, lines.join('\n'));
      assert.notEqual(missing.status, 0, `${section}.${key} removed, yet the typecheck passed`);
      assert.match(missing.out, new RegExp(`error TS2741: Property '{1,2}${key}'{1,2} is missing`), missing.out);
    }
  });

  test('a key only in zh-CN (a typo) fails the typecheck too', () => {
    const source = readFileSync(path.join(L10N, 'zh-cn.ts'), 'utf8').replace("    fixAll: '", "    fixAl: '");
    const r = typecheck('zh-cn-typo', source);
    assert.notEqual(r.status, 0);
    assert.match(r.out, /fixAl/);
  });

  test('both catalogs have the same sections and keys, and zh-CN is Chinese', () => {
    for (const section of Object.keys(en) as (keyof typeof en)[]) {
      assert.deepEqual(Object.keys(zhCN[section]).sort(), Object.keys(en[section]).sort(), section);
    }
    assert.match(catalog('zh-cn').lsp.fixAll, /[\u4e00-\u9fff]/);
    assert.equal(catalog('en').lsp.fixAll, 'Fix all auto-fixable wxmsg problems');
    assert.deepEqual(Object.keys(CATALOGS).sort(), ['en', 'zh-cn']);
  });

  test('the CLI catalog: a string or a section missing in cli/zh-cn.ts fails the typecheck; as it is, it passes', () => {
    const source = readFileSync(path.join(CLI_L10N, 'zh-cn.ts'), 'utf8');
    const ok = typecheck('cli-zh-cn-copy', source, CLI_L10N);
    assert.equal(ok.status, 0, ok.out);
    for (const key of ['clean', 'usageHint', 'tokenTooShort', '40003']) {
      const lines = source.split('\n');
      const at = lines.findIndex((l) => new RegExp(`^\\s+${key}: `).test(l));
      assert.ok(at >= 0 && lines[at]!.trimEnd().endsWith(','), `${key} is not on a line of its own in cli/zh-cn.ts`);
      lines.splice(at, 1);
      const missing = typecheck(`cli-zh-cn-without-${key}`, lines.join('\n'), CLI_L10N);
      assert.notEqual(missing.status, 0, `${key} removed, yet the typecheck passed`);
      assert.match(missing.out, new RegExp(`error TS\\d+: .*Property '${key}' is missing`, 's'), missing.out);
    }
    // A whole section left out (its export gone, the list of sections without it).
    const start = source.indexOf('export const preview');
    const end = source.indexOf('\n};\n', start) + 4;
    assert.ok(start > 0 && end > start);
    const noSection = typecheck('cli-zh-cn-without-preview', (source.slice(0, start) + source.slice(end)).replace(/\bpreview, /, ''), CLI_L10N);
    assert.notEqual(noSection.status, 0, 'the preview section removed, yet the typecheck passed');
    assert.match(noSection.out, /Property 'preview' is missing/, noSection.out);
  });

  test('the CLI catalog: the same sections and keys in both locales, every zh-CN string Chinese and not the English one', () => {
    const sections = (m: Record<string, unknown>) => Object.keys(m).filter((k) => k !== 'sections').sort();
    assert.deepEqual(sections(cliZh), sections(cliEn));
    assert.deepEqual(Object.keys(cliZh.sections).sort(), sections(cliEn));
    // Every function is called with stand-in arguments: what it says in zh-CN must be Chinese.
    // Numbers first; a function that needs strings (it capitalizes one) or lists (it joins one) gets those.
    const standIns = [(i: number) => i + 2, (i: number) => `s${i}`, (i: number) => [`a${i}`, `b${i}`]];
    const sample = (v: unknown): unknown => {
      if (typeof v !== 'function') return v;
      for (const [k, make] of standIns.entries()) {
        try {
          return (v as (...a: unknown[]) => unknown)(...Array.from({ length: v.length }, (_x, i) => make(i)));
        } catch (e) {
          if (!(e instanceof TypeError) || k === standIns.length - 1) throw e;
        }
      }
      return undefined;
    };
    const walk = (en: unknown, zh: unknown, where: string): void => {
      if (typeof en === 'object' && en !== null) {
        assert.deepEqual(Object.keys(zh as object).sort(), Object.keys(en).sort(), where);
        for (const k of Object.keys(en)) walk((en as Record<string, unknown>)[k], (zh as Record<string, unknown>)[k], `${where}.${k}`);
        return;
      }
      assert.equal(typeof zh, typeof en, where);
      const [e, z] = [sample(en), sample(zh)];
      // A function that returns a table (the errcodes' help): its entries are checked the same way.
      if (typeof e === 'object' && e !== null) return walk(e, z, `${where}()`);
      assert.equal(typeof z, 'string', where);
      // A pure layout ("<what>: <why>") has no words to translate, only its punctuation.
      if (!/[A-Za-z]/.test(e as string)) return;
      assert.match(z as string, /[\u3400-\u9fff]/, `${where} is not Chinese: ${String(z)}`);
      assert.notEqual(z, e, where);
    };
    for (const s of sections(cliEn)) walk((cliEn as Record<string, unknown>)[s], (cliZh as Record<string, unknown>)[s], s);
  });
});
