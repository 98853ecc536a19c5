// End-to-end: the preview (WeChat: Open Preview to the Side) in a real VS Code (code-server +
// Chromium), from the packaged .vsix. Webviews are iframes in the workbench: the preview's DOM is
// read from its frame (page.frames()). Started by test/e2e/run.mjs (`npm run test:e2e`).
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { installExtension, makeProfile, QUIET_SETTINGS, startCodeServer, writeUserSettings, type CodeServer, type E2EPaths, type Profile } from './codeServer.ts';
import { openWorkbench, scenarios, tearDown, TIMEOUT, waitFor, Workbench } from './workbench.ts';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(__dirname, 'fixture');
// Its own folder: the workbench suite clears the .png files of test-output/e2e when it starts.
const OUT = path.join(ROOT, 'test-output', 'e2e', 'preview');
const LIGHT = 'Light Modern';
const DARK = 'Dark Modern';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this suite through \`npm run test:e2e\` (test/e2e/run.mjs)`);
  return v;
}

/** Templates written into the workspace for this suite (the fixture has the text and card ones). */
const TEMPLATES: Record<string, string> = {
  'templates/preview-text.wxmsg.json': `{
  "touser": "OPENID",
  "msgtype": "text",
  "text": {
    "content": "您好，订单已发货 🎉\\n<a href=\\"https://example.com/orders\\" data-miniprogram-appid=\\"wx1234567890abcdef\\" data-miniprogram-path=\\"pages/order/detail?id=42\\">查看订单</a>\\n客服热线：<a href=\\"https://example.com/help\\" data-miniprogram-appid=\\"wx0000000000000bad\\" data-miniprogram-path=\\"pages/user/profile\\">联系我们</a>"
  }
}
`,
  'templates/preview-link.wxmsg.json': `{
  "touser": "OPENID",
  "msgtype": "link",
  "link": {
    "title": "夏季新品上市",
    "description": "全场满 199 减 30，活动截至 8 月 31 日",
    "url": "https://example.com/summer",
    "thumb_url": "https://cdn.example.com/summer.png"
  }
}
`,
  'templates/preview-image.wxmsg.json': `{
  "touser": "OPENID",
  "msgtype": "image",
  "image": {
    "media_id": "MEDIA_ID_FROM_UPLOAD"
  }
}
`,
  'templates/preview-broken.wxmsg.json': `{
  "touser": "OPENID",
  "msgtype": "text",
  "text": {
    "content": "写到一半的消息"
  },
  "extra":
}
`,
};

/** The frame of the preview showing `file` (its header names it), once `ready` holds in it. */
async function previewFrame(wb: Workbench, file: string, what: string, ready = 'true', timeoutMs = TIMEOUT): Promise<Frame> {
  const probe = `(() => { const f = document.querySelector('#wx-root .wx-file'); return !!f && f.textContent === ${JSON.stringify(file)} && !!(${ready}); })()`;
  const found = await waitFor(`the preview of ${file}: ${what}`, async () => {
    for (const f of wb.page.frames()) {
      try {
        if (await f.evaluate(probe)) return f;
      } catch {
        // A frame that navigated or went away meanwhile.
      }
    }
    return undefined;
  }, (f) => f !== undefined, timeoutMs);
  return found!;
}

const text = (frame: Frame, selector: string): Promise<string> =>
  frame.evaluate(`(() => [...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.textContent).join('\\n'))()`) as Promise<string>;

describe('the preview in VS Code (code-server + Chromium)', { timeout: 8 * 60_000 }, () => {
  let base: string;
  let workspace: string;
  let profile: Profile;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let wb: Workbench;
  const remoteRequests: string[] = [];
  const ws = (rel: string) => path.join(workspace, rel);

  before(async () => {
    const paths: E2EPaths = { node: env('WXMSG_E2E_NODE'), codeServer: env('WXMSG_E2E_CODE_SERVER'), chromium: env('WXMSG_E2E_CHROMIUM') };
    mkdirSync(OUT, { recursive: true });
    base = mkdtempSync(path.join(tmpdir(), 'wxmsg-e2e-preview-'));
    workspace = path.join(base, 'miniprogram-project');
    cpSync(FIXTURE, workspace, { recursive: true });
    for (const [rel, body] of Object.entries(TEMPLATES)) writeFileSync(ws(rel), body);
    profile = makeProfile(base);
    const installed = installExtension(paths, profile, env('WXMSG_E2E_VSIX'));
    assert.ok(installed.some((id) => id.toLowerCase() === 'wxmsg.wxmsg'), `the .vsix did not install: ${installed.join(', ')}`);
    writeUserSettings(profile, { ...QUIET_SETTINGS, 'workbench.colorTheme': 'Default Light Modern' });
    server = await startCodeServer(paths, profile, workspace);
    // Every request the workbench and its webviews make: the preview must make none off this machine.
    const watch = (page: Page) => page.on('request', (r) => {
      const host = new URL(r.url()).hostname;
      if (r.url().startsWith('http') && host !== '127.0.0.1') remoteRequests.push(r.url());
    });
    ({ browser, wb } = await openWorkbench(paths.chromium, server.url, workspace, { onPage: watch }));
  });

  after(() => tearDown(browser, [server?.proc], base));

  /** A scenario: on failure, a screenshot of the workbench goes next to the report. */
  const scenario = scenarios(OUT, 'preview', () => wb);

  async function openPreview(rel: string): Promise<Frame> {
    await wb.openFile(rel);
    await wb.command('WeChat (wxmsg): Open Preview to the Side');
    return previewFrame(wb, rel, 'rendered', `document.querySelector('#wx-root .wx-chat, #wx-root .wx-banner')`);
  }

  scenario('1. text: a bubble with its line breaks, links as WeChat draws them and where they go; a foreign appid is marked and named', async () => {
    const rel = 'templates/preview-text.wxmsg.json';
    const frame = await openPreview(rel);
    const bubble = await frame.evaluate(`document.querySelector('.wx-bubble').innerText`) as string;
    assert.match(bubble, /^您好，订单已发货 🎉\n查看订单\n客服热线：联系我们/, JSON.stringify(bubble));
    assert.equal(await text(frame, '.wx-link'), '查看订单\n联系我们');
    const tips = await text(frame, '.wx-tip');
    assert.match(tips, /open the mini program page pages\/order\/detail\?id=42 \(appid wx1234567890abcdef\)/);
    assert.match(tips, /Clients older than 6\.5\.16 open https:\/\/example\.com\/orders\./);
    // The second link's appid is not this project's: marked and named, the first is not.
    assert.equal(await text(frame, '.wx-link.wx-problem'), '联系我们');
    assert.match(await text(frame, '.wx-notes'), /Link 2 “联系我们”: wxmsg\/foreign-appid/);
    // Focusing a link shows where it goes (as hovering does).
    await frame.locator('.wx-link').first().focus();
    await frame.locator('.wx-tip').first().waitFor({ state: 'visible' });
    await wb.screenshot(path.join(OUT, 'preview-text-light.png'));
    await wb.closeAllEditors();
  });

  scenario('2. typing in the editor updates the preview', async () => {
    const rel = 'templates/preview-text.wxmsg.json';
    const body = readFileSync(ws(rel), 'utf8');
    const lines = body.split('\n');
    const line = lines.findIndex((l) => l.includes('您好')) + 1;
    const col = lines[line - 1].indexOf('您好') + 1;
    await openPreview(rel);
    await wb.goTo(line, col);
    await wb.page.keyboard.type('王先生，');
    const frame = await previewFrame(wb, rel, 'the typed text in the bubble', `document.querySelector('.wx-bubble')?.innerText.startsWith('王先生，您好')`);
    assert.ok(frame);
    // The cursor is in the bubble: the preview highlights it.
    await previewFrame(wb, rel, 'the bubble marked as where the cursor is', `document.querySelector('.wx-bubble.wx-current')`);
    // Breaking the JSON (a stray comma after the object) shows the banner, and the bubble stays.
    await wb.page.keyboard.press('Control+End');
    await wb.page.keyboard.type(',');
    const broken = await previewFrame(wb, rel, 'the syntax error banner', `document.querySelector('.wx-banner')?.textContent.includes('wxmsg/syntax-error')`);
    assert.match(await text(broken, '.wx-banner'), /wxmsg\/syntax-error/);
    assert.match(await text(broken, '.wx-bubble'), /王先生，您好/);
    await wb.page.keyboard.press('Backspace');
    await previewFrame(wb, rel, 'the syntax error gone again', `!document.querySelector('.wx-banner').textContent.includes('wxmsg/syntax-error')`);
    await wb.command('File: Revert File');
    await wb.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: TIMEOUT });
    await previewFrame(wb, rel, 'the saved text again', `document.querySelector('.wx-bubble')?.innerText.startsWith('您好')`);
  });

  scenario('3. selecting a link in the preview reveals it in the editor', async () => {
    const rel = 'templates/preview-text.wxmsg.json';
    const body = readFileSync(ws(rel), 'utf8');
    const frame = await previewFrame(wb, rel, 'shown');
    await frame.locator('.wx-link', { hasText: '联系我们' }).click();
    // The editor selects the whole <a …>联系我们</a> tag, on the content's line.
    const line = body.split('\n').findIndex((l) => l.includes('联系我们')) + 1;
    const status = wb.page.locator('[id="status.editor.selection"]');
    await waitFor('the link selected in the editor', () => status.innerText(), (s) => new RegExp(`Ln ${line}, Col \\d+ \\(\\d+ selected\\)`).test(s));
    const selected = Number(/\((\d+) selected\)/.exec(await status.innerText())![1]);
    const tag = /<a href=\\"https:\/\/example\.com\/help\\"[^]*?联系我们<\/a>/.exec(body)![0];
    assert.equal(selected, tag.length, `selected ${selected} characters, the tag has ${tag.length}`);
    await wb.closeAllEditors();
  });

  scenario('4. link card: title, description and a thumbnail placeholder naming its host (no request)', async () => {
    const rel = 'templates/preview-link.wxmsg.json';
    const frame = await openPreview(rel);
    assert.equal(await text(frame, '.wx-card-title'), '夏季新品上市');
    assert.equal(await text(frame, '.wx-card-desc'), '全场满 199 减 30，活动截至 8 月 31 日');
    assert.equal(await text(frame, '.wx-thumb'), 'Image from cdn.example.com');
    assert.equal(await frame.evaluate(`document.querySelectorAll('img').length`), 0);
    assert.match(await text(frame, '.wx-tip'), /Tapping the card opens https:\/\/example\.com\/summer\./);
    await wb.closeAllEditors();
  });

  scenario('5. mini program card and image: title, labelled placeholders naming the media ids', async () => {
    const card = await openPreview('templates/promo.wxmsg.json');
    assert.equal(await text(card, '.wx-card-title'), '夏季促销');
    assert.match(await text(card, '.wx-cover'), /Cover 520×416.*thumb_media_id THUMB_MEDIA_ID/s);
    assert.match(await text(card, '.wx-tip'), /opens the mini program page pages\/promo\/summer/);
    // pages/promo/summer is not in app.json: the banner says so.
    assert.match(await text(card, '.wx-banner'), /wxmsg\/unknown-page/);
    await wb.screenshot(path.join(OUT, 'preview-card-light.png'));
    await wb.closeAllEditors();
    const image = await openPreview('templates/preview-image.wxmsg.json');
    assert.match(await text(image, '.wx-image'), /Image.*media_id MEDIA_ID_FROM_UPLOAD/s);
    await wb.closeAllEditors();
  });

  scenario('6. an invalid template: the banner lists the errors, the message is still shown', async () => {
    const rel = 'templates/preview-broken.wxmsg.json';
    const frame = await openPreview(rel);
    const banner = await text(frame, '.wx-banner');
    assert.match(banner, /\d+ errors?/);
    assert.match(banner, /wxmsg\/syntax-error/);
    assert.match(banner, /line 8, column \d+/);
    assert.equal(await text(frame, '.wx-bubble'), '写到一半的消息');
    await wb.closeAllEditors();
  });

  scenario('7. the preview survives a window reload (serializer), and follows the dark theme', async () => {
    const rel = 'templates/preview-text.wxmsg.json';
    await wb.closeAllEditors();
    await openPreview(rel);
    // As a user reloads: the workbench saves its state (open editors, webview state) first.
    // (Typed here, not through wb.command: the page goes away under the palette.)
    const loaded = wb.page.waitForEvent('load', { timeout: 60_000 });
    await wb.page.keyboard.press('F1');
    const input = wb.page.locator('.quick-input-widget input.input');
    await input.fill('>Developer: Reload Window');
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Developer: Reload Window' }).first().waitFor({ timeout: TIMEOUT });
    await input.press('Enter');
    await loaded;
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // After a reload the extension activates, starts its language server and loads the preview
    // chunk before the panel can render: on a loaded 2-core machine that took over 20 s once.
    const restored = await previewFrame(wb, rel, 'restored after the reload', `document.querySelector('.wx-bubble')`, 60_000);
    assert.match(await text(restored, '.wx-link'), /查看订单/);
    const lightBg = await restored.evaluate(`getComputedStyle(document.body).backgroundColor`);

    await wb.command('Preferences: Color Theme');
    await wb.answerQuickInput(DARK);
    await wb.page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: TIMEOUT });
    const dark = await previewFrame(wb, rel, 'in the dark theme', `document.documentElement.style.getPropertyValue('--vscode-editor-background') && getComputedStyle(document.body).backgroundColor !== ${JSON.stringify(lightBg)}`);
    await wb.page.keyboard.press('Escape');
    await dark.locator('.wx-link').first().focus();
    await dark.locator('.wx-tip').first().waitFor({ state: 'visible' });
    await wb.screenshot(path.join(OUT, 'preview-text-dark.png'));
    await wb.command('Preferences: Color Theme');
    await wb.answerQuickInput(LIGHT);
    await wb.page.locator('.monaco-workbench.vs').waitFor({ timeout: TIMEOUT });
  });

  scenario('8. no request left this machine while previewing (remote thumbnails stay placeholders)', async () => {
    assert.deepEqual(remoteRequests.filter((u) => /example\.com/.test(u)), []);
  });
});
