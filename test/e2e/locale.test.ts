// End-to-end, in Chinese: code-server started with `--locale zh-cn`. code-server resolves a
// locale only when a language pack for it is installed, and no VS Code language pack is on npm,
// so the suite builds a minimal one (contributes.localizations for zh-cn, no translations of
// VS Code's own strings) and installs it next to the packaged wxmsg. What is checked is wxmsg's
// own UI: the command palette (package.nls.zh-cn.json), the CodeLens and a notification
// (vscode.l10n with l10n/bundle.l10n.zh-cn.json), and a send the simulator refuses: the decoded
// errcode in Chinese (the typed catalog) next to WeChat's errmsg, verbatim. Started by
// test/e2e/run.mjs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildLanguagePack, registerLanguagePack } from './languagePack.ts';
import { installExtension, makeProfile, QUIET_SETTINGS, startCodeServer, writeMachineSettings, writeUserSettings, type CodeServer, type E2EPaths } from './codeServer.ts';
import { startProcess, type Started } from './processes.ts';
import { openWorkbench, scenarios, tearDown, TIMEOUT, waitFor, Workbench } from './workbench.ts';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(__dirname, 'fixture');
const OUT = path.join(ROOT, 'test-output', 'e2e');
const DOCS = path.join(ROOT, 'docs');  // WXMSG_E2E_UPDATE_DOCS=1: the screenshots go to the README's docs/ too
// The simulator's defaults (`wxmsg simulate --help`): its test AppSecret, the fixture's appid, and
// a user whose last message is 49 hours old, so WeChat (the simulator) answers 45015.
const SIM_SECRET = 'wxmsg-simulator-secret';
const APPID = 'wx1234567890abcdef';
const STALE_USER = 'oWxmsgSimStaleUser0000000001';
/** WeChat's own words for 45015 (core/facts/errcodes.ts): shown verbatim, never translated. */
const ERRMSG_45015 = 'response out of time limit or subscription is canceled';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this suite through \`npm run test:e2e\` (test/e2e/run.mjs)`);
  return v;
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const nlsZh = JSON.parse(readFileSync(path.join(ROOT, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
const nls = JSON.parse(readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
const bundleZh = JSON.parse(readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const key = (s: string) => s.replace(/^%|%$/g, '');
/** The commands the palette lists with a template open: all but those only shown while sending. */
const PALETTE = (manifest.contributes.commands as { command: string; title: string; category: string }[])
  .filter((c) => !(manifest.contributes.menus?.commandPalette ?? []).some((m: { command: string; when?: string }) => m.command === c.command && /wxmsg\.sending|^false$/.test(m.when ?? '')))
  .map((c) => ({ id: c.command, zh: `${nlsZh[key(c.category)]}: ${nlsZh[key(c.title)]}`, en: `${nls[key(c.category)]}: ${nls[key(c.title)]}` }));

describe('wxmsg in Chinese (code-server --locale zh-cn + a language pack)', { timeout: 5 * 60_000 }, () => {
  let base: string;
  let workspace: string;
  let server: CodeServer | undefined;
  let simulator: Started | undefined;
  let simulatorUrl: string | undefined;
  let browser: Browser | undefined;
  let wb: Workbench;

  before(async () => {
    const paths: E2EPaths = { node: env('WXMSG_E2E_NODE'), codeServer: env('WXMSG_E2E_CODE_SERVER'), chromium: env('WXMSG_E2E_CHROMIUM') };
    base = mkdtempSync(path.join(tmpdir(), 'wxmsg-e2e-zh-'));
    workspace = path.join(base, 'miniprogram-project');
    cpSync(FIXTURE, workspace, { recursive: true });
    const profile = makeProfile(base);
    const pack = buildLanguagePack(path.join(base, 'language-pack'));
    installExtension(paths, profile, pack);
    registerLanguagePack(profile.userDataDir, profile.extensionsDir, 'wxmsg-test.wxmsg-test-language-pack-zh-cn', '0.0.1', 'zh-cn', '中文(简体)');
    const installed = installExtension(paths, profile, env('WXMSG_E2E_VSIX'));
    assert.ok(installed.some((id) => id.toLowerCase() === 'wxmsg.wxmsg'), `the .vsix did not install: ${installed.join(', ')}`);
    assert.ok(installed.some((id) => id.toLowerCase() === 'wxmsg-test.wxmsg-test-language-pack-zh-cn'), `the language pack did not install: ${installed.join(', ')}`);
    // The send simulator (scenario 4), from the bundle the packaging just built.
    const cli = path.join(ROOT, 'dist', 'server.js');
    if (spawnSync(process.execPath, [cli, 'simulate', '--help'], { encoding: 'utf8' }).status === 0) {
      const s = await startProcess('simulator', process.execPath, [cli, 'simulate', '--port', '0'], /wxmsg simulator listening on (http:\/\/127\.0\.0\.1:\d+)/, 15_000);
      simulator = s.proc;
      simulatorUrl = s.match[1];
    }
    writeUserSettings(profile, QUIET_SETTINGS);
    if (simulatorUrl) writeMachineSettings(profile, { 'wxmsg.api.baseUrl': simulatorUrl });
    server = await startCodeServer(paths, profile, workspace, process.env, ['--locale', 'zh-cn']);
    ({ browser, wb } = await openWorkbench(paths.chromium, server.url, workspace, { locale: 'zh-CN' }));
  });

  after(() => tearDown(browser, [server?.proc, simulator], base));

  /** A scenario: on failure, a screenshot of the workbench goes next to the report. */
  const scenario = scenarios(OUT, 'zh', () => wb);

  /** The rows the palette lists for `query` (label and, in Chinese, the English alias). */
  async function palette(query: string, expect: (rows: string[]) => boolean): Promise<string[]> {
    const input = wb.page.locator('.quick-input-widget input.input');
    if (!(await input.isVisible())) await wb.page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: TIMEOUT });
    await input.fill(`>${query}`);
    // The list is virtualised: only the rows that fit are in the DOM. Collect them while paging
    // down, so every command the query matches is seen however many there are.
    const seen = new Set<string>();
    return waitFor(`the palette's rows for "${query}"`, async () => {
      for (const row of await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').allInnerTexts()) seen.add(row);
      await input.press('PageDown');
      return [...seen];
    }, expect);
  }

  scenario('1. the CodeLens is Chinese', async () => {
    await wb.openFile('templates/welcome.wxmsg.json');
    await wb.codeLens(bundleZh['Send to OpenID…']!).waitFor({ state: 'visible', timeout: TIMEOUT });
    assert.equal(await wb.codeLens('Send to OpenID').count(), 0, 'no English CodeLens');
  });

  scenario('2. the palette finds every wxmsg command by 微信 and by the English aliases', async () => {
    assert.ok(PALETTE.length >= 8, JSON.stringify(PALETTE));
    const has = (rows: string[], label: string) => rows.some((r) => r.includes(label));
    const byZh = await palette('微信', (rows) => PALETTE.every((c) => has(rows, c.zh)));
    assert.ok(PALETTE.every((c) => has(byZh, c.zh)), JSON.stringify(byZh));
    // The English title is the alias VS Code shows next to a localized command, and matches too.
    const alias = byZh.find((r) => r.includes(PALETTE[0]!.zh))!;
    assert.ok(alias.includes(PALETTE[0]!.en), `the row shows its English alias: ${JSON.stringify(alias)}`);
    // The picture from the top of the list (collecting the rows paged it down).
    const input = wb.page.locator('.quick-input-widget input.input');
    await input.fill('>');
    await input.fill('>微信');
    await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: TIMEOUT });
    await waitFor('the palette\'s first row for "微信"', () => wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().innerText(), (row) => row.includes('微信'));
    await wb.screenshot(path.join(OUT, 'zh-cn-palette.png'));
    if (process.env.WXMSG_E2E_UPDATE_DOCS) await wb.screenshot(path.join(DOCS, 'zh-cn-palette.png'));
    for (const q of ['wxmsg', 'WeChat']) {
      const rows = await palette(q, (rs) => PALETTE.every((c) => has(rs, c.zh)));
      assert.ok(PALETTE.every((c) => has(rows, c.zh)), `${q}: ${JSON.stringify(rows)}`);
    }
    // One by its English title, as a user who knows the English UI types it.
    const send = PALETTE.find((c) => c.id === 'wxmsg.sendToOpenId')!;
    const rows = await palette(send.en, (rs) => has(rs, send.zh));
    assert.ok(has(rows, send.zh), JSON.stringify(rows));
    await wb.page.keyboard.press('Escape');
  });

  scenario('3. a notification is Chinese', async () => {
    // Sending from a file that is not a template is refused with a notification.
    await wb.openFile('project.config.json');
    await wb.command(PALETTE.find((c) => c.id === 'wxmsg.sendToOpenId')!.zh);
    const toast = await wb.notification(bundleZh['Open a *.wxmsg.json template to send it.']!);
    assert.match(await toast.innerText(), /请先打开/);
    await wb.openFile('templates/welcome.wxmsg.json');
    await wb.codeLens(bundleZh['Send to OpenID…']!).waitFor({ state: 'visible', timeout: TIMEOUT });
    await wb.notification(bundleZh['Open a *.wxmsg.json template to send it.']!);
    await wb.screenshot(path.join(OUT, 'zh-cn-refusal.png'));
    await wb.command('Notifications: Clear All Notifications');
  });

  scenario('4. a send WeChat refuses: the CodeLens and the notification decode 45015 in Chinese, the errmsg verbatim', async () => {
    assert.ok(simulatorUrl, 'the simulator (wxmsg simulate) did not start');
    const zh = (id: string) => PALETTE.find((c) => c.id === id)!.zh;
    const fill = (message: string, ...args: string[]) => bundleZh[message]!.replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)]!);
    await wb.openFile('templates/welcome.wxmsg.json');
    await wb.codeLens(bundleZh['Send to OpenID…']!).waitFor({ state: 'visible', timeout: TIMEOUT });

    // Credentials through the extension's command, its notification in Chinese.
    await wb.command(zh('wxmsg.setAppSecret'));
    await wb.answerQuickInput(SIM_SECRET);
    await wb.notification(fill('AppSecret for appid {0} stored in VS Code\'s secret storage.', APPID));

    await wb.command(zh('wxmsg.sendToOpenId'));
    await wb.answerQuickInput(STALE_USER);
    // The confirmation in Chinese: the appid and the API host (the simulator).
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: TIMEOUT });
    assert.match(await dialog.innerText(), new RegExp(`appid：${APPID}[\\s\\S]*API 主机：127\\.0\\.0\\.1`));
    await dialog.locator('.monaco-button', { hasText: new RegExp(`^${bundleZh.Send}$`) }).click();
    await dialog.waitFor({ state: 'hidden', timeout: TIMEOUT });

    // The CodeLens: the errcode and WeChat's official Chinese text.
    await wb.codeLens(/✗ 45015 回复时间超过限制/).waitFor({ state: 'visible', timeout: TIMEOUT });
    // The notification: wxmsg's decoded words in Chinese, then WeChat's errmsg as WeChat wrote it.
    const toast = await wb.notification(/微信返回 errcode 45015/);
    const said = await toast.innerText();
    assert.match(said, /微信返回 errcode 45015：回复时间超过限制。/);
    assert.match(said, /处理：[^\n]*[\u4e00-\u9fff]/);
    assert.ok(said.includes(`微信原文：${ERRMSG_45015}`), said);
    assert.doesNotMatch(said, /WeChat answered|What to do/, 'no English sentence around the errmsg');
    // The diagnostic on the msgtype line: the cause in Chinese as well.
    const problems = await wb.waitForProblems('welcome.wxmsg.json', 'the decoded 45015', (ps) => ps.some((p) => p.source === 'WeChat API' && p.code === '45015'));
    const p = problems.find((x) => x.code === '45015')!;
    assert.match(p.message, /^微信 API errcode 45015：回复时间超过限制/);
    assert.match(p.message, /原因：[^\n]*[\u4e00-\u9fff]/);
    assert.ok(p.message.includes(`微信原文：${ERRMSG_45015}`), p.message);
    // The picture for the README (WXMSG_E2E_UPDATE_DOCS=1 refreshes docs/): the CodeLens and the notification.
    await wb.page.locator('.markers-panel').waitFor({ state: 'visible', timeout: TIMEOUT });
    await wb.screenshot(path.join(OUT, 'zh-cn.png'));
    if (process.env.WXMSG_E2E_UPDATE_DOCS) await wb.screenshot(path.join(DOCS, 'zh-cn.png'));
    assert.ok(!(await wb.page.content()).includes(SIM_SECRET), 'the AppSecret leaked into the workbench DOM');
  });
});
