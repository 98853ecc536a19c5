// Which language wxmsg speaks: the CLI follows --locale, WXMSG_LOCALE, LC_ALL, LC_MESSAGES, LANG
// in that order; a locale chosen for wxmsg that it does not speak is a usage error (exit 2); the
// language server follows the client's `initialize` locale.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../server/src/cli/main.ts';
import { localeFromEnv } from '../server/src/cli/commands/lint.ts';
import { parseLocale, toLocale } from '../server/src/core/l10n/locale.ts';
import { LspClient } from './lspClient.ts';

const APPID = 'wx1234567890abcdef';
// A template with one error: msgtype image without its body.
const TEMPLATE = '{ "touser": "oVKOm5Hd7TVUW8GmbHMYHwYg0u3s", "msgtype": "image" }';
const ZH = /缺少该对象/;
const EN = /Missing the "image" object/;

async function cli(argv: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli({ argv, cwd, env, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

describe('locale tags', () => {
  test('what --locale accepts, near misses included', () => {
    const ok: [string, string][] = [
      ['en', 'en'], ['EN', 'en'], ['en-US', 'en'], ['en_GB.UTF-8', 'en'],
      ['zh', 'zh-cn'], ['zh-CN', 'zh-cn'], ['zh-cn', 'zh-cn'], ['zh_CN.UTF-8', 'zh-cn'], ['zh_CN.GB18030', 'zh-cn'],
      ['zh-Hans', 'zh-cn'], ['zh-Hans-CN', 'zh-cn'], ['zh-SG', 'zh-cn'], [' zh-CN ', 'zh-cn'],
    ];
    for (const [tag, want] of ok) assert.equal(parseLocale(tag), want, tag);
    for (const tag of ['fr', 'fr_FR.UTF-8', 'de', 'eng', 'english', 'e', 'zh-TW', 'zh_HK.UTF-8', 'zh-Hant', 'zhCN', 'C', 'POSIX', '', 'cn']) {
      assert.equal(parseLocale(tag), undefined, tag);
    }
  });

  test('a system or client locale: any Chinese is zh-cn, the rest English', () => {
    assert.equal(toLocale('zh-tw'), 'zh-cn');
    assert.equal(toLocale('zh_CN.UTF-8'), 'zh-cn');
    assert.equal(toLocale('fr'), 'en');
    assert.equal(toLocale(undefined), 'en');
  });

  test('order: --locale, WXMSG_LOCALE, LC_ALL, LC_MESSAGES, LANG; empty values are skipped', () => {
    const all = { WXMSG_LOCALE: 'zh-CN', LC_ALL: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' };
    assert.equal(localeFromEnv(all, 'en'), 'en');
    assert.equal(localeFromEnv(all), 'zh-cn');
    assert.equal(localeFromEnv({ ...all, WXMSG_LOCALE: undefined }), 'en');
    assert.equal(localeFromEnv({ ...all, WXMSG_LOCALE: '', LC_ALL: '' }), 'zh-cn');
    assert.equal(localeFromEnv({ LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' }), 'zh-cn');
    assert.equal(localeFromEnv({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN' }), 'zh-cn');
    assert.equal(localeFromEnv({}), 'en');
    // A system locale in another language is no error: English.
    assert.equal(localeFromEnv({ LANG: 'fr_FR.UTF-8' }), 'en');
    assert.equal(localeFromEnv({ LC_ALL: 'C' }), 'en');
  });
});

describe('CLI locale', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-locale-'));
    fs.writeFileSync(path.join(dir, 'project.config.json'), JSON.stringify({ appid: APPID }));
    fs.writeFileSync(path.join(dir, 'a.wxmsg.json'), TEMPLATE);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('--locale zh-CN and WXMSG_LOCALE give Chinese, LANG=fr gives English', async () => {
    const zh = await cli(['lint', 'a.wxmsg.json', '--locale', 'zh-CN'], dir, { LANG: 'en_US.UTF-8' });
    assert.equal(zh.code, 1);
    assert.match(zh.stdout, ZH);
    const env = await cli(['lint', 'a.wxmsg.json'], dir, { WXMSG_LOCALE: 'zh_CN.UTF-8', LC_ALL: 'en_US.UTF-8' });
    assert.match(env.stdout, ZH);
    const lcAll = await cli(['lint', 'a.wxmsg.json'], dir, { LC_ALL: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' });
    assert.match(lcAll.stdout, ZH);
    const fr = await cli(['lint', 'a.wxmsg.json'], dir, { LANG: 'fr_FR.UTF-8' });
    assert.equal(fr.code, 1);
    assert.match(fr.stdout, EN);
  });

  // Each command with what it needs besides: the locale is what is wrong.
  const commands: Record<string, string[]> = {
    lint: ['a.wxmsg.json'],
    send: ['--to', 'oVKOm5Hd7TVUW8GmbHMYHwYg0u3s', 'a.wxmsg.json'],
    preview: ['--out', 'out', 'a.wxmsg.json'],
    push: ['a.wxmsg.json'],
    demo: ['.'],
  };
  for (const [command, rest] of Object.entries(commands)) {
    test(`${command} --locale fr is a usage error listing the supported locales`, async () => {
      const r = await cli([command, '--locale', 'fr', ...rest], dir, {});
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--locale "fr" is not supported; supported locales: en, zh-CN/);
    });
  }

  test('zh-TW and WXMSG_LOCALE=fr are refused too; --format json says so on stdout', async () => {
    const tw = await cli(['lint', '--locale', 'zh-TW', 'a.wxmsg.json'], dir, {});
    assert.equal(tw.code, 2);
    const env = await cli(['lint', 'a.wxmsg.json', '--format', 'json'], dir, { WXMSG_LOCALE: 'fr' });
    assert.equal(env.code, 2);
    assert.match(env.stderr, /WXMSG_LOCALE "fr" is not supported; supported locales: en, zh-CN/);
    assert.equal(JSON.parse(env.stdout).error.kind, 'usage');
  });
});

describe('language server locale', () => {
  for (const [locale, want] of [['zh-cn', ZH], ['zh-TW', ZH], ['en', EN], ['fr', EN]] as const) {
    test(`initialize locale ${locale}`, { timeout: 30_000 }, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-locale-lsp-'));
      fs.writeFileSync(path.join(dir, 'project.config.json'), JSON.stringify({ appid: APPID }));
      const c = LspClient.start();
      try {
        await c.initialize({ textDocument: { publishDiagnostics: {} }, workspace: { configuration: true } }, { rootPath: dir, locale });
        const uri = `file://${dir}/a.wxmsg.json`;
        await c.open(uri, TEMPLATE);
        const ds = await c.diagnosticsNow(uri);
        assert.equal(ds.length, 1);
        assert.match(ds[0]!.message, want);
      } finally {
        await c.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
