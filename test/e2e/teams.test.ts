// End-to-end, issue 20 (teams): the packaged extension in code-server, driven through Chromium
// like a user. A wxmsg.config.json with profiles; the Remote (machine) settings say
// wxmsg.send.confirm: false, as a user sending to the simulator all day would set it. Checked on
// what the workbench shows: the active profile in the status bar and switching it there; the
// picker with aliases and masks that tell test users apart; a production profile that asks
// anyway; the consent dialog of a token-command (the exact command; asked again when it
// changes; never run when declined); the "does not look like an OpenID of this app" question.
// Started by test/e2e/run.mjs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser } from 'playwright-core';
import { installExtension, makeProfile, QUIET_SETTINGS, startCodeServer, writeMachineSettings, writeUserSettings, type CodeServer, type E2EPaths } from './codeServer.ts';
import { startProcess, type Started } from './processes.ts';
import { openWorkbench, scenarios, tearDown, TIMEOUT, waitFor, Workbench } from './workbench.ts';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(__dirname, 'fixture');
const OUT = path.join(ROOT, 'test-output', 'e2e');
const APPID = 'wx1234567890abcdef';
const SIM_SECRET = 'wxmsg-simulator-secret';
const [QA, QA2] = ['oWxmsgSimReadyUser0000000001', 'oWxmsgSimReadyUser0000000002'];
const TEMPLATE = 'templates/welcome.wxmsg.json';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this suite through \`npm run test:e2e\` (test/e2e/run.mjs)`);
  return v;
}

describe('wxmsg teams in VS Code (code-server + Chromium)', { timeout: 6 * 60_000 }, () => {
  let base: string;
  let workspace: string;
  let server: CodeServer | undefined;
  let simulator: Started | undefined;
  let simUrl = '';
  let browser: Browser | undefined;
  let wb: Workbench;
  const ws = (rel: string) => path.join(workspace, rel);
  const ranLog = () => (existsSync(ws('ran.log')) ? readFileSync(ws('ran.log'), 'utf8').split('\n').filter(Boolean) : []);

  const sim = async (route: string, body?: unknown) => {
    const r = await fetch(simUrl + route, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(r.status, 200, `${route}: HTTP ${r.status}`);
    return r.json();
  };
  const delivered = async () => (await sim('/_sim/delivered') as { touser: string }[]).map((d) => d.touser);
  /** Waits until the simulator has delivered exactly `expected` (in order). */
  const deliveredNow = (expected: string[]) => waitFor(`deliveries ${expected.length}`, delivered, (d) => d.length >= expected.length)
    .then((d) => assert.deepEqual(d, expected));

  function writeConfig(command: string[]): void {
    const users = { qa: QA, 'qa-2': QA2 };
    writeFileSync(ws('wxmsg.config.json'), `// the team's profiles (no secrets here)
${JSON.stringify({
    defaultProfile: 'dev',
    profiles: {
      dev: { appid: APPID, apiBase: simUrl, testUsers: users },
      prod: { appid: APPID, apiBase: simUrl, testUsers: users, production: true },
      cmd: { appid: APPID, apiBase: simUrl, testUsers: users, token: { source: 'token-command', command } },
    },
  }, null, 2)}
`);
  }

  before(async () => {
    const paths: E2EPaths = { node: env('WXMSG_E2E_NODE'), codeServer: env('WXMSG_E2E_CODE_SERVER'), chromium: env('WXMSG_E2E_CHROMIUM') };
    mkdirSync(OUT, { recursive: true });
    base = mkdtempSync(path.join(tmpdir(), 'wxmsg-e2e-teams-'));
    workspace = path.join(base, 'miniprogram-project');
    cpSync(FIXTURE, workspace, { recursive: true });
    const profile = makeProfile(base);
    const installed = installExtension(paths, profile, env('WXMSG_E2E_VSIX'));
    assert.ok(installed.some((id) => id.toLowerCase() === 'wxmsg.wxmsg'), `the .vsix did not install: ${installed.join(', ')}`);

    const cli = path.join(ROOT, 'dist', 'server.js');
    assert.equal(spawnSync(process.execPath, [cli, 'simulate', '--help'], { encoding: 'utf8' }).status, 0, 'dist/server.js simulate (npm run build)');
    const s = await startProcess('simulator', process.execPath, [cli, 'simulate', '--port', '0'], /wxmsg simulator listening on (http:\/\/127\.0\.0\.1:\d+)/, 15_000);
    simulator = s.proc;
    simUrl = s.match[1]!;
    // The project's token program: asks the simulator for a token, prints it, and leaves a trace.
    writeFileSync(ws('token.js'), `const http = require('http');
require('fs').appendFileSync('ran.log', process.argv.slice(2).join(' ') + 'ran\\n');
http.get(${JSON.stringify(`${simUrl}/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SIM_SECRET}`)}, (res) => {
  let b = ''; res.on('data', (d) => { b += d; }); res.on('end', () => process.stdout.write(JSON.parse(b).access_token + '\\n'));
});
`);
    writeConfig([process.execPath, 'token.js']);

    writeUserSettings(profile, QUIET_SETTINGS);
    // The user's own choice, where a remote window reads it: no confirmation for ordinary sends.
    writeMachineSettings(profile, { 'wxmsg.send.confirm': false });
    server = await startCodeServer(paths, profile, workspace);
    ({ browser, wb } = await openWorkbench(paths.chromium, server.url, workspace));
    await wb.openFile(TEMPLATE);
    await wb.command('WeChat (wxmsg): Set AppSecret');
    await wb.answerQuickInput(SIM_SECRET);
    await wb.notification(`AppSecret for appid ${APPID} stored`);
  });

  after(() => tearDown(browser, [server?.proc, simulator], base));

  /** A scenario: on failure, a screenshot of the workbench goes next to the report. */
  const scenario = scenarios(OUT, 'teams', () => wb);

  const profileItem = (name: string) => wb.page.locator('.statusbar-item', { hasText: `WeChat: ${name}` }).first();
  const dialog = () => wb.page.locator('.monaco-dialog-box');

  /** The row of the open quick pick whose label is exactly `label`. */
  const pickRow = (label: string) => wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: wb.page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) }).first();

  /** Starts "Send to OpenID…" and picks the test user `alias` from the picker; returns the picker's rows as shown. */
  async function sendTo(alias: string): Promise<string[]> {
    await wb.command('WeChat (wxmsg): Send to OpenID…');
    const rows = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor({ timeout: TIMEOUT });
    const shown = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    await pickRow(alias).click({ timeout: TIMEOUT }).catch((e: Error) => { throw new Error(`no row "${alias}" in the picker: ${JSON.stringify(shown)} (${e.message})`); });
    return shown;
  }

  async function switchInStatusBar(name: string): Promise<void> {
    await wb.page.locator('.statusbar-item', { hasText: 'WeChat: ' }).first().click();
    await pickRow(name).click();
    await profileItem(name).waitFor({ state: 'visible', timeout: TIMEOUT });
  }

  scenario('1. the status bar shows the active profile; clicking it switches; the picker tells the test users apart', async () => {
    await profileItem('dev').waitFor({ state: 'visible', timeout: TIMEOUT });
    const rows = await sendTo('qa-2');
    // Aliases with a mask each: the two test users share the start of their OpenIDs, not the end.
    // (The row's text is its label then its description.)
    assert.ok(rows.some((r) => /^qa ?oWx…0001 · test user$/.test(r)), rows.join(' | '));
    assert.ok(rows.some((r) => /^qa-2 ?oWx…0002 · test user$/.test(r)), rows.join(' | '));
    assert.ok(!rows.join(' ').includes(QA), 'no whole OpenID in the picker');
    // wxmsg.send.confirm is false (Remote settings) and dev is no production profile: sent at once.
    await deliveredNow([QA2]);
    await wb.codeLens(/✓ sent \d\d:\d\d to qa-2 \(oWx…0002\)/).waitFor({ state: 'visible', timeout: TIMEOUT });
    await wb.notification(/Sent to qa-2 \(oWx…0002\)/);
    await wb.screenshot(path.join(OUT, 'teams-1-alias-sent.png'));

    await switchInStatusBar('prod');
    assert.match(await profileItem('prod').innerText(), /WeChat: prod/);
  });

  scenario('2. a production profile asks to confirm although wxmsg.send.confirm is false; Cancel sends nothing', async () => {
    await sendTo('qa');
    await dialog().waitFor({ state: 'visible', timeout: TIMEOUT });
    const text = await dialog().innerText();
    assert.match(text, /⚠ PRODUCTION \(prod\): send welcome\.wxmsg\.json \(text\) to qa \(oWx…0001\)\?/);
    assert.match(text, /Profile: prod \(production\)/);
    assert.match(text, /every send to it asks, whatever wxmsg\.send\.confirm says/);
    await wb.screenshot(path.join(OUT, 'teams-2-production-confirm.png'));
    await dialog().locator('.monaco-button', { hasText: /^Cancel$/ }).click();
    await dialog().waitFor({ state: 'hidden', timeout: TIMEOUT });
    assert.deepEqual(await delivered(), [QA2], 'nothing more was sent');

    await sendTo('qa');
    await dialog().waitFor({ state: 'visible', timeout: TIMEOUT });
    await dialog().locator('.monaco-button', { hasText: /^Send$/ }).click();
    await deliveredNow([QA2, QA]);
    await wb.codeLens(/✓ sent \d\d:\d\d to qa \(oWx…0001\)/).waitFor({ state: 'visible', timeout: TIMEOUT });
  });

  scenario('3. a token-command runs only after the user saw the exact command and chose Run It; a changed command is asked again', async () => {
    await switchInStatusBar('cmd');
    await sendTo('qa');
    await dialog().waitFor({ state: 'visible', timeout: TIMEOUT });
    let text = await dialog().innerText();
    assert.match(text, /Profile "cmd" gets its access token by running a command from this repository\. Run it\?/);
    assert.ok(text.includes(JSON.stringify([process.execPath, 'token.js'])), `the exact command is shown: ${text}`);
    assert.ok(text.includes(workspace), 'where it runs');
    assert.deepEqual(ranLog(), [], 'not run while asking');
    await wb.screenshot(path.join(OUT, 'teams-3-token-command-consent.png'));
    await dialog().locator('.monaco-button', { hasText: /^Run It$/ }).click();
    await deliveredNow([QA2, QA, QA]);
    assert.deepEqual(ranLog(), ['ran']);

    // Approved: the next send runs it without asking.
    await sendTo('qa-2');
    await deliveredNow([QA2, QA, QA, QA2]);
    await wb.codeLens(/✓ sent \d\d:\d\d to qa-2 \(oWx…0002\)/).waitFor({ state: 'visible', timeout: TIMEOUT });
    assert.deepEqual(ranLog(), ['ran', 'ran']);
    assert.equal(await dialog().count(), 0, 'no dialog the second time');

    // The repository changes the command: asked again, saying so; Cancel runs nothing.
    writeConfig([process.execPath, 'token.js', '--changed']);
    await waitFor('the changed command to be asked for', async () => {
      await sendTo('qa');
      await dialog().waitFor({ state: 'visible', timeout: TIMEOUT });
      text = await dialog().innerText();
      if (!text.includes('--changed')) {
        // The language server had not read the new file yet: this was the old command's send.
        await dialog().locator('.monaco-button', { hasText: /^Cancel$/ }).click();
        await dialog().waitFor({ state: 'hidden', timeout: TIMEOUT });
      }
      return text;
    }, (t) => t.includes('--changed'));
    assert.match(text, /The token-command of profile "cmd" has changed since you approved it\. Run the new command\?/);
    await dialog().locator('.monaco-button', { hasText: /^Cancel$/ }).click();
    await dialog().waitFor({ state: 'hidden', timeout: TIMEOUT });
    await wb.notification(/Not sent: the token-command of profile "cmd" was not approved/);
    assert.ok(!ranLog().some((l) => l.includes('--changed')), 'the changed command did not run');
    assert.equal((await delivered()).length, 4);
  });

  scenario('4. an OpenID that does not look like one of this app: a question, and the user may go on', async () => {
    await switchInStatusBar('dev');
    await wb.command('WeChat (wxmsg): Send to OpenID…');
    const odd = 'oQQmsgSimReadyUser0000000001';
    await wb.answerQuickInput(odd);
    await dialog().waitFor({ state: 'visible', timeout: TIMEOUT });
    assert.match(await dialog().innerText(), /"oQQ…0001" does not look like an OpenID of this app: this app's test users' OpenIDs all start with "oWxms"/);
    await dialog().locator('.monaco-button', { hasText: /^Send Anyway$/ }).click();
    // The simulator does not know this user: WeChat's own answer, so it did go out.
    await wb.codeLens(/✗ 40003/).waitFor({ state: 'visible', timeout: TIMEOUT });
    assert.ok(!(await wb.page.content()).includes(SIM_SECRET), 'the AppSecret is nowhere in the workbench');
  });
});
