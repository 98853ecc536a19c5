/// <reference types="mocha" />
/**
 * Issue 20 in a real VS Code: profiles from wxmsg.config.json (the active one per workspace,
 * switched by "WeChat: Switch Profile…"), test-user aliases from the profile and from
 * wxmsg.testUsers, shown as alias + distinguishing mask; a production profile is never sent
 * unconfirmed. Against the simulator on 127.0.0.1.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SIM_DEFAULT_SECRET, SIM_USERS, Simulator } from '../../../server/src/simulator/simulator.ts';
import { DEADLINE_MS, OWN, activateInWorkspace, revertDirtyDocuments } from './helpers.ts';

interface Outcome { view: { state: string; lens: string; notify: string } }

const TEMPLATE = '{ "touser": "OPENID", "msgtype": "text", "text": { "content": "hello from the profiles suite" } }\n';
const [QA, QA2, PM] = SIM_USERS.ready;

suite('wxmsg profiles and test users (simulator on 127.0.0.1)', () => {
  let sim: Simulator;
  let folder: vscode.Uri;
  let configUri: vscode.Uri;
  let templateUri: vscode.Uri;
  const config = () => vscode.workspace.getConfiguration('wxmsg');

  const send = (openId: string) =>
    vscode.commands.executeCommand<Outcome | undefined>('wxmsg.sendToOpenId', { uri: templateUri.toString(), openId, confirm: false });

  async function lensTitles(uri: vscode.Uri): Promise<string[]> {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    return lenses.map((l) => l.command?.title ?? '');
  }

  suiteSetup(async () => {
    folder = await activateInWorkspace();
    sim = await Simulator.start({ defaultAppid: OWN });
    for (const u of [QA, QA2, PM]) sim.addUser(OWN, u, 'user-message');
    configUri = vscode.Uri.joinPath(folder, 'wxmsg.config.json');
    const users = { qa: QA, 'qa-2': QA2 };
    await vscode.workspace.fs.writeFile(configUri, new TextEncoder().encode(`// profiles suite
{
  "defaultProfile": "dev",
  "profiles": {
    "dev": { "appid": "${OWN}", "apiBase": "${sim.url}", "testUsers": ${JSON.stringify(users)} },
    "prod": { "appid": "${OWN}", "apiBase": "${sim.url}", "testUsers": ${JSON.stringify(users)}, "production": true },
    "gateway": { "appid": "${OWN}", "apiBase": "https://wx-gateway.corp.example", "testUsers": ${JSON.stringify(users)} },
    "cmd": { "appid": "${OWN}", "apiBase": "${sim.url}", "testUsers": ${JSON.stringify(users)}, "token": { "source": "token-command", "command": ${JSON.stringify([process.execPath, 'marker.js'])} } }
  }
}
`));
    templateUri = vscode.Uri.joinPath(folder, 'templates', 'profiles.wxmsg.json');
    await vscode.workspace.fs.writeFile(templateUri, new TextEncoder().encode(TEMPLATE));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(templateUri));
    await config().update('testUsers', { [OWN]: { '产品-小王': PM } }, vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('wxmsg.setAppSecret', { appid: OWN, secret: SIM_DEFAULT_SECRET }), true);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('wxmsg.clearCredentials', { all: true });
    await config().update('testUsers', undefined, vscode.ConfigurationTarget.Global);
    await revertDirtyDocuments();
    for (const uri of [templateUri, configUri]) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    for (const name of ['marker.js', 'ran.marker']) await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, name)).then(undefined, () => undefined);
    await sim?.close();
  });

  test('contributes WeChat: Switch Profile…; it switches the active profile of this workspace', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('wxmsg.switchProfile'));
    assert.equal(await vscode.commands.executeCommand('wxmsg.switchProfile', { name: 'dev' }), 'dev');
    // An unknown name keeps the active one.
    assert.equal(await vscode.commands.executeCommand('wxmsg.switchProfile', { name: 'nope' }), 'dev');
  });

  test('an alias of the profile is sent to its OpenID and shown as alias + distinguishing mask', async () => {
    const before = sim.delivered.length;
    const out = await send('qa-2');
    assert.equal(out?.view.state, 'sent', out?.view.notify);
    assert.equal(sim.delivered.length, before + 1);
    assert.equal(sim.delivered.at(-1)!.touser, QA2);
    assert.match(out!.view.lens, /to qa-2 \(oWx…0002\)$/);
    assert.ok((await lensTitles(templateUri)).some((t) => t.includes('qa-2 (oWx…0002)')));
    assert.ok(!JSON.stringify(out).includes(QA2), 'the whole OpenID is not shown');
  });

  test('wxmsg.testUsers adds aliases per appid', async () => {
    const out = await send('产品-小王');
    assert.equal(out?.view.state, 'sent', out?.view.notify);
    assert.equal(sim.delivered.at(-1)!.touser, PM);
    assert.match(out!.view.notify, /产品-小王 \(oWx…0003\)/);
  });

  test('a production profile is never sent unconfirmed, whatever the automation asks', async () => {
    assert.equal(await vscode.commands.executeCommand('wxmsg.switchProfile', { name: 'prod' }), 'prod');
    const before = sim.delivered.length;
    assert.equal(await send('qa'), undefined);
    assert.equal(sim.delivered.length, before);
  });

  test('a profile apiBase outside the official hosts, loopback and wxmsg.api.allowedHosts is refused', async () => {
    assert.equal(await vscode.commands.executeCommand('wxmsg.switchProfile', { name: 'gateway' }), 'gateway');
    const before = sim.requests.length;
    assert.equal(await send('qa'), undefined);
    assert.equal(sim.requests.length, before, 'no request at all');
    await vscode.commands.executeCommand('wxmsg.switchProfile', { name: 'dev' });
  });

  test('a token-command never runs without the user approving it (automation cannot approve it)', async () => {
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'marker.js'), new TextEncoder().encode('require("fs").writeFileSync("ran.marker", "1"); process.stdout.write("x".repeat(120))'));
    assert.equal(await vscode.commands.executeCommand('wxmsg.switchProfile', { name: 'cmd' }), 'cmd');
    const before = sim.requests.length;
    assert.equal(await send('qa'), undefined);
    assert.equal(sim.requests.length, before);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, 'ran.marker'))), 'the command did not run');
    await vscode.commands.executeCommand('wxmsg.switchProfile', { name: 'dev' });
  });

  test('an open wxmsg.config.json with a secret is flagged (wxmsg/secret-in-config), the value never quoted', async () => {
    const doc = await vscode.workspace.openTextDocument(configUri);
    await vscode.window.showTextDocument(doc);
    const secret = '0123456789abcdef0123456789abcdef';
    const edit = new vscode.WorkspaceEdit();
    edit.insert(configUri, new vscode.Position(1, 1), ` "note": "${secret}",`);
    const flagged = new Promise<vscode.Diagnostic[]>((resolve, reject) => {
      const timer = setTimeout(() => { sub.dispose(); reject(new Error('no secret-in-config diagnostic')); }, DEADLINE_MS);
      const sub = vscode.languages.onDidChangeDiagnostics(() => {
        const ds = vscode.languages.getDiagnostics(configUri).filter((d) => d.source === 'wxmsg' && JSON.stringify(d.code).includes('secret-in-config'));
        if (ds.length) { clearTimeout(timer); sub.dispose(); resolve(ds); }
      });
    });
    assert.ok(await vscode.workspace.applyEdit(edit));
    const [d] = await flagged;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(doc.getText(d.range), `"${secret}"`);
    assert.ok(!d.message.includes(secret));
    await revertDirtyDocuments();
  });
});
