/// <reference types="mocha" />
/**
 * Sending from the editor inside a real VS Code, against the simulator started in-process on
 * 127.0.0.1:0: user settings point wxmsg.api.baseUrl at it, the AppSecret is set through the
 * command, and the commands are driven with their automation arguments (no dialogs). Every
 * wait is on `languages.onDidChangeDiagnostics` or a command's result; the only timers are
 * failure deadlines.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { SIM_DEFAULT_SECRET, SIM_USERS, Simulator } from '../../../server/src/simulator/simulator.ts';
import { DEADLINE_MS, OWN, activateInWorkspace, diagnosticsFrom, revertDirtyDocuments, waitForDiagnostics } from './helpers.ts';

const USER = SIM_USERS.ready[0];
const SEND_PATH = '/cgi-bin/message/custom/send';

const TEMPLATE = `// sent by the VS Code send test
{
  "touser": "OPENID",
  "msgtype": "text",
  "text": {
    "content": "hello from the VS Code suite"
  }
}
`;
const IMAGE_TEMPLATE = `{
  "touser": "OPENID",
  "msgtype": "image",
  "image": {
    "media_id": "MEDIA_ID"
  }
}
`;
const INVALID_TEMPLATE = '{ "touser": "OPENID", "msgtype": "text", "text": {} }\n';
// A 1×1 PNG's signature and header: enough for the type check and the simulator.
const PNG = Uint8Array.from(Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'));

interface Outcome { view: { state: string; lens: string; notify: string; message?: string }; errors?: unknown[] }

const sendDiagnostics = (uri: vscode.Uri): vscode.Diagnostic[] => diagnosticsFrom('WeChat API', uri);

/** Resolves with the document's "WeChat API" diagnostics once `test` holds for them. */
function sendDiagnosticsWhere(uri: vscode.Uri, test: (ds: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  return waitForDiagnostics('WeChat API', uri, test, (have) => `timed out waiting for ${what}; have ${have.map((d) => d.message.split('\n')[0]).join(' | ') || 'none'}`);
}

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  return lenses.map((l) => l.command?.title ?? '');
}

/**
 * The lens titles once `test` holds for them. The lenses answer at once; a lens that depends on
 * the msgtype (Upload Image…) comes when the server has reported it, as it does for a user.
 */
async function lensTitlesWhere(uri: vscode.Uri, test: (titles: string[]) => boolean): Promise<string[]> {
  const until = Date.now() + DEADLINE_MS;
  for (;;) {
    const titles = await lensTitles(uri);
    if (test(titles)) return titles;
    if (Date.now() > until) assert.fail(`the CodeLens never became what was waited for: ${titles.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

suite('wxmsg send (simulator on 127.0.0.1)', () => {
  let sim: Simulator;
  let folder: vscode.Uri;
  const created: vscode.Uri[] = [];
  const config = () => vscode.workspace.getConfiguration('wxmsg');
  let hostileUrl = '';

  async function template(name: string, text: string): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.joinPath(folder, 'templates', name);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    created.push(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    return doc;
  }

  const send = (doc: vscode.TextDocument, openId = USER) =>
    vscode.commands.executeCommand<Outcome | undefined>('wxmsg.sendToOpenId', { uri: doc.uri.toString(), openId, confirm: false });

  suiteSetup(async () => {
    folder = await activateInWorkspace();
    sim = await Simulator.start({ defaultAppid: OWN });
    await config().update('api.baseUrl', sim.url, vscode.ConfigurationTarget.Global);
    await config().update('api.timeout', 5000, vscode.ConfigurationTarget.Global);
  });

  // Each test's user has just messaged: a fresh quota (5 sends), whatever earlier tests sent.
  setup(() => sim.addUser(OWN, USER, 'user-message'));

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('wxmsg.clearCredentials', { all: true });
    for (const key of ['api.baseUrl', 'api.timeout', 'send.confirm']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await revertDirtyDocuments();
    for (const uri of created) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    await sim?.close();
  });

  test('contributes the send commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['wxmsg.sendToOpenId', 'wxmsg.setAppSecret', 'wxmsg.setAccessToken', 'wxmsg.clearCredentials', 'wxmsg.uploadImage', 'wxmsg.setTyping', 'wxmsg.downloadMedia']) {
      assert.ok(commands.includes(c), c);
    }
  });

  test('the AppSecret is set through the command, never into settings', async () => {
    assert.equal(await vscode.commands.executeCommand('wxmsg.setAppSecret', { appid: OWN, secret: SIM_DEFAULT_SECRET }), true);
    const all = JSON.stringify(vscode.workspace.getConfiguration('wxmsg'));
    assert.ok(!all.includes(SIM_DEFAULT_SECRET), 'the secret is not in any setting');
  });

  test('a send shows "✓ sent" in the CodeLens and nothing in Problems', async () => {
    const doc = await template('send-ok.wxmsg.json', TEMPLATE);
    const before = sim.delivered.length;
    const out = await send(doc);
    assert.equal(out?.view.state, 'sent', out?.view.notify);
    assert.deepEqual(sendDiagnostics(doc.uri), [], 'a success adds no Information entry to Problems');
    assert.equal(sim.delivered.length, before + 1);
    assert.equal(sim.delivered.at(-1)!.touser, USER);
    assert.deepEqual(sim.delivered.at(-1)!.payload.text, { content: 'hello from the VS Code suite' });
    const titles = await lensTitles(doc.uri);
    assert.ok(titles.some((t) => /^✓ sent \d\d:\d\d to oWx…0001$/.test(t)), titles.join(' | '));
    assert.ok(titles.some((t) => t.includes('Send to OpenID…')), titles.join(' | '));
    assert.ok(!titles.some((t) => t.includes('Upload Image…')), `a text message takes no media_id: ${titles.join(' | ')}`);
  });

  test('an injected 45047 shows the decoded Chinese description, cause and action; no stale success', async () => {
    const doc = await template('send-45047.wxmsg.json', TEMPLATE);
    assert.equal((await send(doc))?.view.state, 'sent');
    assert.ok((await lensTitles(doc.uri)).some((t) => t.startsWith('✓ sent')), 'the first success');
    sim.injectFault({ type: 'errcode', errcode: 45047, errmsg: 'out of response count limit', path: SEND_PATH });
    await send(doc);
    const [d] = await sendDiagnosticsWhere(doc.uri, (ds) => ds[0]?.severity === vscode.DiagnosticSeverity.Error, 'the 45047 error');
    assert.equal(sendDiagnostics(doc.uri).length, 1, 'one result');
    assert.equal(String(typeof d.code === 'object' ? d.code.value : d.code), '45047');
    assert.match(d.message, /客服接口下行条数超过上限/);
    assert.match(d.message, /send quota exceeded/);
    assert.match(d.message, /What to do: /);
    assert.match(d.message, /rid: [0-9a-f]{8}-/);
    const titles = await lensTitles(doc.uri);
    assert.ok(titles.includes('✗ 45047 客服接口下行条数超过上限'), titles.join(' | '));
    assert.ok(!titles.some((t) => t.startsWith('✓')), 'no stale success lens');
  });

  test('two sends of one template started together: one goes out, the second is refused', async () => {
    const doc = await template('send-twice.wxmsg.json', TEMPLATE);
    const before = sim.delivered.length;
    // Both commands start before either has awaited anything (a keybinding pressed twice).
    const [a, b] = await Promise.all([send(doc), send(doc)]);
    assert.deepEqual([a?.view.state, b?.view.state].sort(), ['sent', undefined].sort(), JSON.stringify([a, b]));
    assert.equal(sim.delivered.length, before + 1, 'exactly one message delivered');
  });

  test('typing costs the CodeLens no round trip: the lenses asked after each edit take the msgtype from the server\'s reports', async () => {
    const doc = await template('lens-typing.wxmsg.json', TEMPLATE);
    const code = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);
    const invalid = (ds: vscode.Diagnostic[]) => ds.some((d) => code(d) === 'wxmsg/invalid-msgtype');
    const wxmsg = (test: (ds: vscode.Diagnostic[]) => boolean, what: string) =>
      waitForDiagnostics('wxmsg', doc.uri, test, (have) => `timed out waiting for ${what}; have ${have.map((d) => code(d)).join(' ') || 'none'}`);
    const latency = () => vscode.commands.executeCommand<{ samples: number[]; work: { codeLens: number; templateInfo: number } }>('wxmsg.showEditLatency');
    // The opened template is validated and reported before the period starts.
    await wxmsg((ds) => !invalid(ds), 'the opened template');
    await lensTitlesWhere(doc.uri, (titles) => titles.some((t) => t.includes('Send to OpenID…')));
    await latency();
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf('"msgtype": "text"') + '"msgtype": "text'.length;
    for (let i = 0; i < 5; i++) {
      // As VS Code does after each pause in typing: an edit, its diagnostics, then the lenses.
      await editor.edit((e) => e.insert(doc.positionAt(at), 'x'));
      await wxmsg(invalid, 'wxmsg/invalid-msgtype for "textx"');
      await lensTitles(doc.uri);
      await editor.edit((e) => e.delete(new vscode.Range(doc.positionAt(at), doc.positionAt(at + 1))));
      await wxmsg((ds) => !invalid(ds), 'the msgtype error to go');
      await lensTitles(doc.uri);
    }
    const s = await latency();
    assert.equal(s.samples.length, 10, 'every edit was timed');
    assert.ok(s.work.codeLens >= 10, `the lenses were asked for after each edit (${s.work.codeLens})`);
    assert.equal(s.work.templateInfo, 0, 'no msgtype request to the server for the lenses while typing');
  });

  test('editing the document clears the result', async () => {
    const doc = await template('send-edit.wxmsg.json', TEMPLATE);
    // An error result (a success is only in the CodeLens): both go with the edit.
    sim.injectFault({ type: 'errcode', errcode: 45047, errmsg: 'out of response count limit', path: SEND_PATH });
    await send(doc);
    await sendDiagnosticsWhere(doc.uri, (ds) => ds.length === 1, 'a result');
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(doc.positionAt(doc.getText().length), '\n'));
    await sendDiagnosticsWhere(doc.uri, (ds) => ds.length === 0, 'the result to clear');
    assert.ok(!(await lensTitles(doc.uri)).some((t) => t.startsWith('✓') || t.startsWith('✗')));
    await send(doc);
    assert.ok((await lensTitles(doc.uri)).some((t) => t.startsWith('✓ sent')));
    await editor.edit((e) => e.insert(doc.positionAt(doc.getText().length), '\n'));
    assert.ok(!(await lensTitles(doc.uri)).some((t) => t.startsWith('✓') || t.startsWith('✗')), 'the success lens goes with an edit too');
  });

  test('an edit while the request is out: the result that comes back is not shown for the edited text', async () => {
    const doc = await template('send-edit-during.wxmsg.json', TEMPLATE);
    // A stand-in API on 127.0.0.1 that holds custom/send until the test has edited the document.
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    let arrived!: () => void;
    const arrival = new Promise<void>((r) => { arrived = r; });
    const server = http.createServer((req, res) => {
      const reply = (o: object) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(o)); };
      req.resume();
      req.on('end', () => {
        if (req.url?.startsWith('/cgi-bin/stable_token')) return reply({ access_token: 'held-api-token-0001', expires_in: 7200 });
        arrived();
        void held.then(() => reply({ errcode: 0, errmsg: 'ok' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    await config().update('api.baseUrl', `http://127.0.0.1:${(server.address() as AddressInfo).port}`, vscode.ConfigurationTarget.Global);
    try {
      const pending = send(doc);
      await arrival;
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((e) => e.insert(doc.positionAt(doc.getText().length), '\n'));
      release();
      const out = await pending;
      assert.equal(out?.view.state, 'sent', out?.view.notify);
      assert.deepEqual(sendDiagnostics(doc.uri).map((d) => d.message), [], 'no result for text that changed');
      const titles = await lensTitles(doc.uri);
      assert.ok(!titles.some((t) => t.startsWith('✓') || t.startsWith('✗') || t.includes('sending')), titles.join(' | '));
    } finally {
      release();
      await config().update('api.baseUrl', sim.url, vscode.ConfigurationTarget.Global);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  test('a template with errors is refused and nothing reaches the API', async () => {
    const doc = await template('send-invalid.wxmsg.json', INVALID_TEMPLATE);
    const requests = sim.requestCount(SEND_PATH);
    const out = await send(doc);
    assert.equal(out?.view.state, 'refused');
    assert.ok((out?.errors?.length ?? 0) > 0);
    assert.equal(sim.requestCount(SEND_PATH), requests);
    assert.deepEqual(sendDiagnostics(doc.uri), []);
  });

  test('a template VS Code decoded as GBK is refused (wxmsg/not-utf8) and nothing reaches the API', async function () {
    const uri = vscode.Uri.joinPath(folder, 'templates', 'send-gbk.wxmsg.json');
    // "你好" in GBK; otherwise a valid template.
    await vscode.workspace.fs.writeFile(uri, Uint8Array.from([...new TextEncoder().encode('{ "touser": "OPENID", "msgtype": "text", "text": { "content": "'), 0xc4, 0xe3, 0xba, 0xc3, ...new TextEncoder().encode('" } }\n')]));
    created.push(uri);
    const files = vscode.workspace.getConfiguration('files', uri);
    await files.update('encoding', 'gbk', vscode.ConfigurationTarget.Workspace);
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(uri);
    } finally {
      await files.update('encoding', undefined, vscode.ConfigurationTarget.Workspace);
    }
    if ((doc as { encoding?: unknown }).encoding === undefined) this.skip();
    await vscode.window.showTextDocument(doc);
    assert.ok(doc.getText().includes('你好'));
    const requests = sim.requestCount(SEND_PATH);
    const out = await send(doc);
    assert.equal(out?.view.state, 'refused');
    assert.ok((out?.errors as Array<{ code?: unknown }> | undefined)?.some((e) => e.code === 'wxmsg/not-utf8'), JSON.stringify(out?.errors));
    assert.equal(sim.requestCount(SEND_PATH), requests);
  });

  test('workspace rule settings cannot switch off the errors that refuse a send', async () => {
    const doc = await template('send-unsafe.wxmsg.json', `{
  "touser": "OPENID",
  "msgtype": "text",
  "text": { "content": "hi <a href=\\"javascript:alert(1)\\">x</a>" }
}`);
    await config().update('rules', { 'wxmsg/unsafe-href': 'off' }, vscode.ConfigurationTarget.Workspace);
    try {
      const requests = sim.requestCount(SEND_PATH);
      const out = await send(doc);
      assert.equal(out?.view.state, 'refused');
      assert.ok((out?.errors as Array<{ code?: unknown }> | undefined)?.some((e) => e.code === 'wxmsg/unsafe-href'));
      assert.equal(sim.requestCount(SEND_PATH), requests);
      // The refusal names the rule the workspace hid and where; Problems would be empty for it.
      const o = out as Outcome & { hidden?: Array<{ code: string }>; action?: string };
      assert.deepEqual(o.hidden?.map((e) => e.code), ['wxmsg/unsafe-href']);
      assert.match(o.view.notify, /line 4:\d+: .*\(wxmsg\/unsafe-href\) — not shown in Problems: the workspace's "wxmsg.rules" sets wxmsg\/unsafe-href to "off"/);
      assert.equal(o.action, 'Go to Error', 'not "Show Problems": it would open an empty list');
    } finally {
      await config().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('connection refused: an Error naming wxmsg.api.baseUrl replaces the earlier success', async () => {
    const doc = await template('send-refused.wxmsg.json', TEMPLATE);
    await send(doc);
    assert.ok((await lensTitles(doc.uri)).some((t) => t.startsWith('✓ sent')), 'the first success');
    const dead = await Simulator.start();
    const deadUrl = dead.url;
    await dead.close();
    await config().update('api.baseUrl', deadUrl, vscode.ConfigurationTarget.Global);
    try {
      await send(doc);
    } finally {
      await config().update('api.baseUrl', sim.url, vscode.ConfigurationTarget.Global);
    }
    const [d] = await sendDiagnosticsWhere(doc.uri, (ds) => ds[0]?.severity === vscode.DiagnosticSeverity.Error, 'the network error');
    assert.match(d.message, /wxmsg\.api\.baseUrl/);
    assert.match(d.message, /Nothing was sent/);
    assert.ok((await lensTitles(doc.uri)).includes('✗ not sent: connection refused'));
  });

  test('"Cancel Send" while waiting for the answer reports delivery unknown, never success', async () => {
    const doc = await template('send-cancel.wxmsg.json', TEMPLATE);
    await send(doc);
    assert.ok((await lensTitles(doc.uri)).some((t) => t.startsWith('✓ sent')), 'the first success');
    sim.injectFault({ type: 'delay', ms: 60_000, path: SEND_PATH });
    const seen = sim.requestCount(SEND_PATH);
    const pending = send(doc);
    // The simulator runs in this process: its request list grows when the request has arrived.
    while (sim.requestCount(SEND_PATH) === seen) await new Promise((r) => setImmediate(r));
    assert.ok((await lensTitles(doc.uri)).some((t) => t.includes('sending to oWx…0001')), 'the CodeLens shows the send in progress');
    assert.deepEqual(sendDiagnostics(doc.uri), [], 'the earlier success is gone while sending');
    assert.equal(await vscode.commands.executeCommand('wxmsg.cancelSend'), 1);
    const out = await pending;
    assert.equal(out?.view.state, 'delivery-unknown');
    const [d] = await sendDiagnosticsWhere(doc.uri, (ds) => ds.length === 1, 'the delivery-unknown warning');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok((await lensTitles(doc.uri)).some((t) => t.startsWith('? delivery unknown')));
    sim.clearFaults();
  });

  test('a workspace .vscode/settings.json cannot steer the send to another host', async () => {
    const hostile = await Simulator.start({ defaultAppid: OWN });
    hostileUrl = hostile.url;
    const settings = vscode.Uri.joinPath(folder, '.vscode', 'settings.json');
    const marker = 'oWorkspaceSettingsWereRead0001';
    try {
      const read = new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(() => { sub.dispose(); reject(new Error('the workspace settings were never read')); }, DEADLINE_MS);
        const sub = vscode.workspace.onDidChangeConfiguration(() => {
          if (config().inspect('defaultOpenId')?.workspaceValue !== marker) return;
          clearTimeout(deadline);
          sub.dispose();
          resolve();
        });
      });
      await vscode.workspace.fs.writeFile(settings, new TextEncoder().encode(JSON.stringify({
        'wxmsg.api.baseUrl': hostile.url, 'wxmsg.send.confirm': false, 'wxmsg.defaultOpenId': marker,
      })));
      created.push(settings);
      await read;
      const doc = await template('send-hostile.wxmsg.json', TEMPLATE);
      const before = sim.delivered.length;
      assert.equal((await send(doc))?.view.state, 'sent');
      assert.equal(hostile.requests.length, 0, 'nothing reached the host the workspace named');
      assert.equal(sim.delivered.length, before + 1, 'the send went to the user-configured host');
    } finally {
      await vscode.workspace.fs.delete(settings).then(undefined, () => undefined);
      await hostile.close();
    }
  });

  test('an expired token is refreshed and the send goes through', async () => {
    const doc = await template('send-refresh.wxmsg.json', TEMPLATE);
    assert.equal((await send(doc))?.view.state, 'sent');
    assert.ok(sim.expireTokens({ appid: OWN }) >= 1);
    const out = await send(doc);
    assert.equal(out?.view.state, 'sent');
    assert.match(out?.view.message ?? '', /fresh one/);
    assert.deepEqual(sendDiagnostics(doc.uri), [], 'a success is not in Problems');
  });

  test('a ready access token (Set Access Token) is used as is; when it expires the result says to set a new one', async () => {
    const doc = await template('send-token.wxmsg.json', TEMPLATE);
    assert.equal((await send(doc))?.view.state, 'sent', 'a token exists for the app');
    const token = sim.issuedTokens().find((t) => t.state === 'valid')!.token;
    assert.equal(await vscode.commands.executeCommand('wxmsg.setAccessToken', { appid: OWN, token }), true);
    const tokenRequests = sim.requestCount('/cgi-bin/stable_token');
    assert.equal((await send(doc))?.view.state, 'sent');
    assert.equal(sim.requestCount('/cgi-bin/stable_token'), tokenRequests, 'no token request with a ready token');
    sim.expireTokens({ token });
    const out = await send(doc);
    assert.equal(out?.view.state, 'api-error');
    const [d] = await sendDiagnosticsWhere(doc.uri, (ds) => ds[0]?.severity === vscode.DiagnosticSeverity.Error, 'the 42001 error');
    assert.equal(String(typeof d.code === 'object' ? d.code.value : d.code), '42001');
    assert.match(d.message, /cannot refresh a token it did not obtain/);
    assert.equal(await vscode.commands.executeCommand('wxmsg.setAppSecret', { appid: OWN, secret: SIM_DEFAULT_SECRET }), true);
  });

  test('Upload Image writes the media_id into image.media_id', async () => {
    const doc = await template('upload.wxmsg.json', IMAGE_TEMPLATE);
    // The msgtype comes from the language server (wxmsg/templateInfo): an image message offers the upload.
    await lensTitlesWhere(doc.uri, (titles) => titles.includes('$(cloud-upload) Upload Image…'));
    const png = vscode.Uri.joinPath(folder, 'upload-test.png');
    await vscode.workspace.fs.writeFile(png, PNG);
    created.push(png);
    const out = await vscode.commands.executeCommand<{ ok: boolean; mediaId?: string; message: string }>('wxmsg.uploadImage', { uri: doc.uri.toString(), file: png.fsPath });
    assert.equal(out?.ok, true, out?.message);
    assert.equal(sim.media.at(-1)!.mediaId, out.mediaId);
    assert.equal((JSON.parse(doc.getText()) as { image: { media_id: string } }).image.media_id, out.mediaId);
    assert.match(out.message, /3 days/);
  });

  test('Upload again, the quick fix of a ledger finding: the recorded file is uploaded, and the template and the ledger change in one step', async () => {
    // A project folder of its own with a ledger: an image uploaded 4 days ago (expired) is recorded.
    const dir = vscode.Uri.joinPath(folder, 'upload-again');
    const png = vscode.Uri.joinPath(dir, 'images', 'again.png');
    const ledgerUri = vscode.Uri.joinPath(dir, '.wxmsg', 'media.json');
    const expired = 'expired_media_id_0001';
    const record = (mediaId: string, uploadedAt: string) => ({ appid: OWN, media_id: mediaId, type: 'image', source: 'images/again.png', sha256: createHash('sha256').update(PNG).digest('hex'), uploadedAt });
    const fourDaysAgo = new Date(Date.now() - 4 * 24 * 3600_000).toISOString();
    await vscode.workspace.fs.writeFile(png, PNG);
    await vscode.workspace.fs.writeFile(ledgerUri, new TextEncoder().encode(`${JSON.stringify({ version: 1, media: [record(expired, fourDaysAgo)] }, null, 2)}\n`));
    const uri = vscode.Uri.joinPath(dir, 'again.wxmsg.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(IMAGE_TEMPLATE.replace('MEDIA_ID', expired)));
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const code = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);
      const [finding] = await waitForDiagnostics('wxmsg', uri, (ds) => ds.some((d) => code(d) === 'wxmsg/media-expired'),
        (have) => `no media-expired finding; have ${have.map(code).join(', ') || 'none'}`).then((ds) => ds.filter((d) => code(d) === 'wxmsg/media-expired'));
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, finding.range);
      const again = actions.find((a) => a.title === 'Upload again (images/again.png)');
      assert.ok(again?.command, actions.map((a) => a.title).join(' | '));
      assert.ok(actions.some((a) => a.title === 'Upload image…'), 'the other fix asks for a file');

      const uploads = sim.media.length;
      const ledgerBefore = new TextDecoder().decode(await vscode.workspace.fs.readFile(ledgerUri));
      const out = await vscode.commands.executeCommand<{ ok: boolean; mediaId?: string; message: string }>(again.command.command, ...(again.command.arguments ?? []));
      assert.equal(out?.ok, true, out?.message);
      // One upload, of the recorded file (no dialog was shown: the fix names the file).
      assert.equal(sim.media.length, uploads + 1);
      assert.equal(sim.media.at(-1)!.mediaId, out.mediaId);
      assert.equal(sim.media.at(-1)!.size, PNG.length);
      assert.notEqual(out.mediaId, expired);
      // When the command returns, both are written: the template holds the new media_id…
      assert.equal((JSON.parse(doc.getText()) as { image: { media_id: string } }).image.media_id, out.mediaId);
      // …and the ledger records it, for the same file and appid, next to the old record.
      const ledger = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(ledgerUri))) as { media: ReturnType<typeof record>[] };
      assert.notEqual(JSON.stringify(ledger), JSON.stringify(JSON.parse(ledgerBefore)));
      const fresh = ledger.media.find((r) => r.media_id === out.mediaId);
      assert.ok(fresh, JSON.stringify(ledger.media));
      assert.deepEqual({ ...fresh, uploadedAt: '' }, { ...record(out.mediaId!, ''), uploadedAt: '' });
      assert.ok(Date.now() - Date.parse(fresh.uploadedAt) < 10 * 60_000, `just now: ${fresh.uploadedAt}`);
      assert.ok(ledger.media.some((r) => r.media_id === expired), 'the old record is kept');
      // The server checks the new media_id against the new ledger: the finding is gone.
      await waitForDiagnostics('wxmsg', uri, (ds) => !ds.some((d) => code(d).startsWith('wxmsg/media-')),
        (have) => `a media finding is still there: ${have.map(code).join(', ')}`);
    } finally {
      await revertDirtyDocuments();
      await vscode.workspace.fs.delete(dir, { recursive: true }).then(undefined, () => undefined);
    }
  });

  test('Set Typing shows and hides "typing…" (45081 when already typing); Download Temp Media saves the uploaded image', async () => {
    const user = SIM_USERS.ready[2];
    sim.userActs(OWN, user, 'user-message');
    const on = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('wxmsg.setTyping', { appid: OWN, openId: user, on: true });
    assert.equal(on?.ok, true, on?.message);
    const again = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('wxmsg.setTyping', { appid: OWN, openId: user, on: true });
    assert.equal(again?.ok, false);
    assert.match(again!.message, /45081/);
    assert.equal((await vscode.commands.executeCommand<{ ok: boolean }>('wxmsg.setTyping', { appid: OWN, openId: user, on: false }))?.ok, true);
    const mediaId = sim.media.at(-1)!.mediaId;
    const target = vscode.Uri.joinPath(folder, 'downloaded-media.png');
    created.push(target);
    const got = await vscode.commands.executeCommand<{ ok: boolean; message: string; file?: string }>('wxmsg.downloadMedia', { appid: OWN, mediaId, file: target.fsPath });
    assert.equal(got?.ok, true, got?.message);
    assert.deepEqual(Buffer.from(await vscode.workspace.fs.readFile(target)), Buffer.from(PNG));
  });

  test('template variables: *.vars.json + arguments fill the message; a bad value is refused on its placeholder; hover and lint see the values', async () => {
    const VARS = `{
  "touser": "OPENID",
  "msgtype": "text",
  "text": {
    "content": "Hi {{name}}, order {{order}} <a href=\\"https://example.com\\" data-miniprogram-appid=\\"{{appid|${OWN}}}\\" data-miniprogram-path=\\"pages/index/index\\">go</a>"
  }
}
`;
    const varsFile = vscode.Uri.joinPath(folder, 'templates', 'send-vars.vars.json');
    const name = 'O\'Brien "x" \\ y';
    await vscode.workspace.fs.writeFile(varsFile, new TextEncoder().encode(JSON.stringify({ name })));
    created.push(varsFile);
    const doc = await template('send-vars.wxmsg.json', VARS);
    // The editor knows name (the vars file) and appid (the default); order has no value yet.
    const [info] = await waitForDiagnostics('wxmsg', doc.uri, (ds) => ds.some((d) => String(d.code && typeof d.code === 'object' ? d.code.value : d.code) === 'wxmsg/unfilled-variable'), () => 'timed out waiting for unfilled-variable');
    assert.equal(info.severity, vscode.DiagnosticSeverity.Information);
    const at = doc.positionAt(doc.getText().indexOf('{{name}}') + 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(hoverText, /send-vars\.vars\.json/);

    const before = sim.delivered.length;
    const out = await vscode.commands.executeCommand<Outcome | undefined>('wxmsg.sendToOpenId', { uri: doc.uri.toString(), openId: USER, confirm: false, variables: { order: '7' } });
    assert.equal(out?.view.state, 'sent', out?.view.notify);
    assert.equal(sim.delivered.length, before + 1);
    const content = (sim.delivered.at(-1)!.payload.text as { content: string }).content;
    assert.ok(content.startsWith(`Hi ${name}, order 7 <a`), content);
    assert.ok(content.includes(`data-miniprogram-appid="${OWN}"`));

    // A value that makes the message invalid: refused, the error on the placeholder with the value.
    const requests = sim.requestCount(SEND_PATH);
    const bad = await vscode.commands.executeCommand<Outcome | undefined>('wxmsg.sendToOpenId', { uri: doc.uri.toString(), openId: USER, confirm: false, variables: { order: '7', appid: 'wx0000000000000000' } });
    assert.equal(bad?.view.state, 'refused');
    const err = (bad?.errors as Array<{ code: string; message: string; range: { start: { line: number; character: number } } }>).find((e) => e.code === 'wxmsg/foreign-appid');
    assert.ok(err, JSON.stringify(bad?.errors));
    assert.match(err.message, /after filling: \{\{appid\}\} = "wx0000000000000000"/);
    assert.deepEqual(err.range.start, (() => { const p = doc.positionAt(doc.getText().indexOf('{{appid|')); return { line: p.line, character: p.character }; })());
    assert.equal(sim.requestCount(SEND_PATH), requests, 'nothing was posted');
  });

  test('WeChat Sends: newest first, copy rid and curl (token as ACCESS_TOKEN), send again; nothing secret in the history', async () => {
    const doc = await template('send-history.wxmsg.json', TEMPLATE);
    assert.equal((await send(doc))?.view.state, 'sent');
    sim.injectFault({ type: 'errcode', errcode: 45047, errmsg: 'out of response count limit', path: SEND_PATH });
    assert.equal((await send(doc))?.view.state, 'api-error');
    type Entry = { id: string; template: string; to: string; errcode: number; rid: string | null; status: string; payloadHash: string };
    const list = await vscode.commands.executeCommand<Entry[]>('wxmsg.sends.list');
    assert.equal(list[0].errcode, 45047);
    assert.equal(list[1].errcode, 0);
    assert.equal(list[0].template, 'templates/send-history.wxmsg.json');
    assert.equal(list[0].to, 'oWx…0001');
    assert.match(list[0].rid ?? '', /^[0-9a-f]{8}-/);
    const rid = await vscode.commands.executeCommand<string>('wxmsg.sends.copyRid', list[0]);
    assert.match(rid, new RegExp(`^rid: ${list[0].rid}  time: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC  errcode: 45047`));
    const curl = await vscode.commands.executeCommand<string>('wxmsg.sends.copyCurl', list[1]);
    assert.match(curl, /\/cgi-bin\/message\/custom\/send\?access_token=ACCESS_TOKEN'/);
    assert.ok(curl.includes('hello from the VS Code suite'));
    const tokens = sim.issuedTokens().map((t) => t.token);
    const everything = JSON.stringify(list) + curl + rid;
    for (const secret of [SIM_DEFAULT_SECRET, ...tokens]) assert.ok(!everything.includes(secret), 'a secret in the history or a copy');
    assert.ok(!JSON.stringify(list).includes(USER), 'the OpenID is kept masked');
    // Send again: the OpenID comes back from the recent list.
    const before = sim.delivered.length;
    await config().update('send.confirm', false, vscode.ConfigurationTarget.Global);
    let again: Outcome | undefined;
    try {
      again = await vscode.commands.executeCommand<Outcome | undefined>('wxmsg.sends.resend', list[1]);
    } finally {
      await config().update('send.confirm', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal(again?.view.state, 'sent', again?.view.notify);
    assert.equal(sim.delivered.length, before + 1);
    assert.equal(sim.delivered.at(-1)!.touser, USER);
    const after = await vscode.commands.executeCommand<Entry[]>('wxmsg.sends.list');
    assert.equal(after.length, list.length + 1);
    assert.equal(after[0].errcode, 0);
  });

  test('after Clear Credentials nothing is sent', async () => {
    const doc = await template('send-cleared.wxmsg.json', TEMPLATE);
    await vscode.commands.executeCommand('wxmsg.clearCredentials', { all: true });
    const requests = sim.requests.length;
    assert.equal(await send(doc), undefined);
    assert.equal(sim.requests.length, requests);
  });

  test('the wxmsg output channel logs the session but neither the AppSecret nor any access token', async () => {
    const isOurs = (d: vscode.TextDocument) => d.uri.scheme === 'output' && d.uri.toString().includes('wxmsg') && d.getText().includes('Credentials removed');
    const found = new Promise<vscode.TextDocument>((resolve, reject) => {
      const deadline = setTimeout(() => { subs.forEach((x) => x.dispose()); reject(new Error('the wxmsg output channel never showed the session')); }, DEADLINE_MS);
      const check = (d: vscode.TextDocument) => {
        if (!isOurs(d)) return;
        clearTimeout(deadline);
        subs.forEach((x) => x.dispose());
        resolve(d);
      };
      const subs = [vscode.workspace.onDidOpenTextDocument(check), vscode.workspace.onDidChangeTextDocument((e) => check(e.document))];
      vscode.workspace.textDocuments.forEach(check);
    });
    await vscode.commands.executeCommand('wxmsg.showOutput');
    const text = (await found).getText();
    assert.match(text, /\[send\] POST http:\/\/127\.0\.0\.1:\d+\/cgi-bin\/message\/custom\/send\?access_token=\*\*\*/);
    assert.match(text, /\[send\] result .*45047/);
    // The README's promise: a workspace that sets wxmsg.api.baseUrl gets a notice (the value not echoed).
    assert.match(text, /wxmsg\.api\.baseUrl set in the workspace( folder)? settings was ignored/);
    assert.ok(hostileUrl && !text.includes(hostileUrl), 'the workspace value is not echoed');
    const tokens = sim.issuedTokens().map((t) => t.token);
    assert.ok(tokens.length >= 2, `the suite got tokens (${tokens.length})`);
    for (const secret of [SIM_DEFAULT_SECRET, ...tokens]) assert.ok(!text.includes(secret), `a secret (${secret.length} chars) is in the output channel`);
  });
});
