/// <reference types="mocha" />
/**
 * Sending from the editor behind a proxy, inside a real VS Code: the launcher starts a
 * recording proxy on 127.0.0.1 that refuses every CONNECT and sets it as `http.proxy` in the
 * user settings before VS Code starts (WXMSG_TEST_PROXY names it). The extension sends with
 * node:https, which VS Code routes through that proxy; the bundled undici would go direct.
 * A probe to a `.invalid` name proves the routing before anything is sent to
 * api.weixin.qq.com, and while this suite runs every DNS lookup in the extension host answers
 * 127.0.0.1: a request that bypassed the proxy (e.g. through undici) ends at this machine's
 * port 443, refused, and the test fails without anything leaving the machine.
 */
import * as assert from 'node:assert/strict';
import dns from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import * as vscode from 'vscode';
import { SIM_USERS } from '../../../server/src/simulator/simulator.ts';
import { DEADLINE_MS, OWN, activateInWorkspace, diagnosticsFrom, outputText, revertDirtyDocuments } from './helpers.ts';

const PROXY = process.env.WXMSG_TEST_PROXY;
const TOKEN = 'TEST_TOKEN_for_the_proxy_suite_0123456789';
const PROBE = 'wxmsg-proxy-probe.invalid';

interface Outcome { view: { state: string; lens: string; notify: string; message: string } }

/** What the proxy recorded, asked of it directly (loopback is never proxied). */
function proxyLines(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    http.get(`${PROXY}/_lines`, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(JSON.parse(body) as string[]));
    }).on('error', reject);
  });
}

suite('wxmsg send behind http.proxy (a recording proxy on 127.0.0.1 that refuses CONNECT)', () => {
  const config = () => vscode.workspace.getConfiguration('wxmsg');
  let uri: vscode.Uri | undefined;
  const lookup = dns.lookup;
  const lookupPromise = dns.promises.lookup;

  suiteSetup(async function () {
    // Only the code-server launcher sets the proxy up (test/vscode/runInCodeServer.mjs).
    if (!PROXY) this.skip();
    const loopback = (_host: string, o: unknown, cb?: (...a: unknown[]) => void) => {
      const callback = (typeof o === 'function' ? o : cb) as (...a: unknown[]) => void;
      const all = typeof o === 'object' && o !== null && (o as { all?: boolean }).all;
      return all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4);
    };
    (dns as { lookup: unknown }).lookup = loopback;
    (dns.promises as { lookup: unknown }).lookup = async (_h: string, o?: { all?: boolean }) => (o?.all ? [{ address: '127.0.0.1', family: 4 }] : { address: '127.0.0.1', family: 4 });
    const folder = await activateInWorkspace();
    assert.equal(vscode.workspace.getConfiguration('http').get('proxy'), PROXY, 'the launcher put the proxy into the user settings');
    await config().update('api.baseUrl', undefined, vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('wxmsg.setAccessToken', { appid: OWN, token: TOKEN }), true);
    uri = vscode.Uri.joinPath(folder, 'templates', 'proxy-send.wxmsg.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('{ "touser": "OPENID", "msgtype": "text", "text": { "content": "behind a proxy" } }\n'));
  });

  suiteTeardown(async () => {
    if (!PROXY) return;
    (dns as { lookup: unknown }).lookup = lookup;
    (dns.promises as { lookup: unknown }).lookup = lookupPromise;
    await vscode.commands.executeCommand('wxmsg.clearCredentials', { all: true });
    await revertDirtyDocuments();
    if (uri) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  test('node:https in this extension host goes through http.proxy (probe to a .invalid name)', async () => {
    const got = await new Promise<string>((resolve) => {
      const req = https.get(`https://${PROBE}/`, (res) => { res.resume(); resolve(`HTTP ${res.statusCode}`); });
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      req.setTimeout(DEADLINE_MS, () => req.destroy(new Error('probe timeout')));
    });
    const lines = await proxyLines();
    assert.ok(lines.includes(`CONNECT ${PROBE}:443`), `the probe did not reach the proxy (${got}); it saw: ${lines.join(', ') || 'nothing'}`);
  });

  test('a send to https://api.weixin.qq.com reaches the proxy, which refuses: not sent, the proxy and http.proxy named', async () => {
    // Never send unless the routing is proven (see the probe above).
    assert.ok((await proxyLines()).includes(`CONNECT ${PROBE}:443`), 'routing through http.proxy is not proven: not sending');
    const doc = await vscode.workspace.openTextDocument(uri!);
    await vscode.window.showTextDocument(doc);
    const out = await vscode.commands.executeCommand<Outcome | undefined>('wxmsg.sendToOpenId', { uri: doc.uri.toString(), openId: SIM_USERS.ready[0], confirm: false });
    const lines = await proxyLines();
    assert.ok(lines.includes('CONNECT api.weixin.qq.com:443'), `the proxy saw: ${lines.join(', ')}`);
    assert.equal(out?.view.state, 'failed', JSON.stringify(out?.view));
    assert.ok(out!.view.notify.startsWith(`The proxy ${PROXY} (set by http.proxy) refused to open a tunnel to api.weixin.qq.com: it answered the CONNECT request with HTTP 403`), out!.view.notify);
    assert.match(out!.view.notify, /Nothing was sent\./);
    assert.match(out!.view.lens, /^✗ not sent: proxy refused or unreachable/);
    assert.ok(!JSON.stringify(out).includes(TOKEN), 'the token is not in the result');
    const [d] = diagnosticsFrom('WeChat API', doc.uri);
    assert.ok(d && d.message.includes(PROXY!), 'the diagnostic names the proxy');
  });

  test('a remote window (code-server): the send ran on wxmsg.api.baseUrl\'s default, and says once where machine settings go', async () => {
    // The send above used the default base URL (no user or Remote value); confirm: false decided
    // the confirmation, so wxmsg.send.confirm is not named.
    const log = await outputText((t) => t.includes('api.weixin.qq.com'));
    const notice = /This is a remote window \(([^)]*)\): machine settings such as ([^ ]+) count only in the Remote settings/.exec(log);
    if (vscode.env.remoteName) {
      assert.ok(notice, 'the remote-window notice is in the log');
      assert.equal(notice[1], vscode.env.remoteName);
      assert.equal(notice[2], 'wxmsg.api.baseUrl');
      assert.equal(log.split('This is a remote window').length, 2, 'said once');
    } else {
      assert.equal(notice, null, 'not a remote window: no notice');
    }
  });
});
