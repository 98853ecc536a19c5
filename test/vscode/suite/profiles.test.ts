/// <reference types="mocha" />
/**
 * Issue 20 in a real VS Code: profiles from wxmsg.config.json (the active one per workspace,
 * switched by "WeChat: Switch Profile…"), test-user aliases from the profile and from
 * wxmsg.testUsers, shown as alias + distinguishing mask; a production profile is never sent
 * unconfirmed. Against the simulator on 127.0.0.1.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { SIM_DEFAULT_SECRET, SIM_USERS, Simulator } from '../../../server/src/simulator/simulator.ts';
import { DEADLINE_MS, OWN, activateInWorkspace, outputText, revertDirtyDocuments } from './helpers.ts';

interface Outcome { view: { state: string; lens: string; notify: string } }

const TEMPLATE = '{ "touser": "OPENID", "msgtype": "text", "text": { "content": "hello from the profiles suite" } }\n';
const [QA, QA2, PM] = SIM_USERS.ready;

suite('wxmsg profiles and test users (simulator on 127.0.0.1)', () => {
  let sim: Simulator;
  let folder: vscode.Uri;
  let configUri: vscode.Uri;
  let templateUri: vscode.Uri;
  /** A company token service on 127.0.0.1: hands out `serviceToken`, records the header it got. */
  let service: http.Server;
  let serviceUrl: string;
  let serviceToken = '';
  const serviceSeen: (string | undefined)[] = [];
  const SERVICE_HEADER = 'Bearer team-token-service-credential-0123456789';
  const config = () => vscode.workspace.getConfiguration('wxmsg');

  /** A token the simulator issued (cgi-bin/token), as a company token service would hold one. */
  const simToken = () => new Promise<string>((resolve, reject) => {
    http.get(`${sim.url}/cgi-bin/token?grant_type=client_credential&appid=${OWN}&secret=${SIM_DEFAULT_SECRET}`, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve((JSON.parse(body) as { access_token: string }).access_token));
    }).on('error', reject);
  });
  const apiPaths = (from: number) => sim.requests.slice(from).map((r) => r.path);

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
    service = http.createServer((req, res) => {
      serviceSeen.push(req.headers['x-token-auth'] as string | undefined);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: serviceToken, expires_in: 7200 }));
    });
    await new Promise<void>((r) => service.listen(0, '127.0.0.1', r));
    serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}/token`;
    configUri = vscode.Uri.joinPath(folder, 'wxmsg.config.json');
    const users = { qa: QA, 'qa-2': QA2 };
    await vscode.workspace.fs.writeFile(configUri, new TextEncoder().encode(`// profiles suite
{
  "defaultProfile": "dev",
  "profiles": {
    "dev": { "appid": "${OWN}", "apiBase": "${sim.url}", "testUsers": ${JSON.stringify(users)} },
    "prod": { "appid": "${OWN}", "apiBase": "${sim.url}", "testUsers": ${JSON.stringify(users)}, "production": true },
    "gateway": { "appid": "${OWN}", "apiBase": "https://wx-gateway.corp.example", "testUsers": ${JSON.stringify(users)} },
    "cmd": { "appid": "${OWN}", "apiBase": "${sim.url}", "testUsers": ${JSON.stringify(users)}, "token": { "source": "token-command", "command": ${JSON.stringify([process.execPath, 'marker.js'])} } },
    "svc": { "appid": "${OWN}", "apiBase": "${sim.url}", "testUsers": ${JSON.stringify(users)}, "token": { "source": "token-url", "url": "${serviceUrl}", "header": "X-Token-Auth", "headerEnv": "TOKEN_SVC_AUTH" } },
    "svc-far": { "appid": "${OWN}", "apiBase": "${sim.url}", "testUsers": ${JSON.stringify(users)}, "token": { "source": "token-url", "url": "https://tokens.corp.example/wx", "headerEnv": "TOKEN_SVC_AUTH" } },
    "ready": { "appid": "${OWN}", "apiBase": "${sim.url}", "testUsers": ${JSON.stringify(users)}, "token": { "source": "access-token" } },
    "secret": { "appid": "${OWN}", "apiBase": "${sim.url}", "testUsers": ${JSON.stringify(users)}, "token": { "source": "appsecret" } }
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
    await new Promise<void>((r) => (service ? service.close(() => r()) : r()));
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

  test('token-url: the header value from the secret storage, verbatim; the token service\'s token sends; neither is shown', async () => {
    assert.equal(await vscode.commands.executeCommand('wxmsg.switchProfile', { name: 'svc' }), 'svc');
    serviceToken = await simToken();
    // Automation cannot type the header value: refused until it is stored, nothing fetched.
    const before = serviceSeen.length;
    assert.equal(await send('qa'), undefined);
    assert.equal(serviceSeen.length, before, 'the token service was not asked');
    assert.equal(await vscode.commands.executeCommand('wxmsg.setTokenServiceHeader', { value: SERVICE_HEADER }), true);
    const from = sim.requests.length;
    const out = await send('qa');
    assert.equal(out?.view.state, 'sent', out?.view.notify);
    assert.deepEqual(serviceSeen.slice(before), [SERVICE_HEADER], 'asked once, with the value as stored');
    assert.deepEqual(apiPaths(from), ['/cgi-bin/message/custom/send'], 'no stable_token: the service\'s token was used');
    assert.equal(sim.delivered.at(-1)!.touser, QA);
    for (const secret of [serviceToken, SERVICE_HEADER, QA]) assert.ok(!JSON.stringify(out).includes(secret));
  });

  test('token-url outside the official hosts, loopback and wxmsg.api.allowedHosts: refused before the header goes anywhere', async () => {
    assert.equal(await vscode.commands.executeCommand('wxmsg.switchProfile', { name: 'svc-far' }), 'svc-far');
    const from = sim.requests.length;
    const seen = serviceSeen.length;
    assert.equal(await send('qa'), undefined);
    assert.equal(sim.requests.length, from);
    assert.equal(serviceSeen.length, seen);
    const log = await outputText((t) => t.includes('tokens.corp.example'));
    assert.match(log, /token\.url points at tokens\.corp\.example, which is not an official WeChat API host.*wxmsg\.api\.allowedHosts/);
    assert.ok(!log.includes(SERVICE_HEADER));
  });

  test('access-token and appsecret profiles use that stored credential only, never the other kind', async () => {
    // The suite stored an AppSecret: the "ready" profile does not send with it.
    assert.equal(await vscode.commands.executeCommand('wxmsg.switchProfile', { name: 'ready' }), 'ready');
    let from = sim.requests.length;
    assert.equal(await send('qa'), undefined);
    assert.equal(sim.requests.length, from, 'nothing sent with the AppSecret');
    const token = await simToken();
    assert.equal(await vscode.commands.executeCommand('wxmsg.setAccessToken', { appid: OWN, token }), true);
    from = sim.requests.length;
    const out = await send('qa');
    assert.equal(out?.view.state, 'sent', out?.view.notify);
    assert.deepEqual(apiPaths(from), ['/cgi-bin/message/custom/send'], 'the ready token as it is');
    // Storing the token removed the AppSecret: the "secret" profile refuses instead of using the token.
    assert.equal(await vscode.commands.executeCommand('wxmsg.switchProfile', { name: 'secret' }), 'secret');
    from = sim.requests.length;
    assert.equal(await send('qa'), undefined);
    assert.equal(sim.requests.length, from);
    assert.equal(await vscode.commands.executeCommand('wxmsg.setAppSecret', { appid: OWN, secret: SIM_DEFAULT_SECRET }), true);
    from = sim.requests.length;
    assert.equal((await send('qa'))?.view.state, 'sent');
    assert.ok(apiPaths(from).includes('/cgi-bin/stable_token'), 'the AppSecret through stable_token');
    const log = await outputText((t) => t.includes('uses a ready access token, and none is stored'));
    assert.match(log, /profile "secret" takes its token from the AppSecret, and none is stored for appid/);
    assert.ok(!log.includes(token));
    await vscode.commands.executeCommand('wxmsg.switchProfile', { name: 'dev' });
  });

  test('an OpenID that does not look like one of this app: warned in the log (automation goes on), sent', async () => {
    const odd = QA.replace('oWx', 'oQQ');
    sim.addUser(OWN, odd, 'user-message');
    const out = await send(odd);
    assert.equal(out?.view.state, 'sent', out?.view.notify);
    assert.match(await outputText((t) => t.includes('oQQ…0001')), /warning: "oQQ…0001" does not look like an OpenID of this app: this app's test users' OpenIDs all start with "oWxms"/);
  });

  test('the send history keeps the mask that tells the test users apart, and the alias', async () => {
    await send('qa-2');
    const list = await vscode.commands.executeCommand<{ to: string; alias: string | null; profile: string | null }[]>('wxmsg.sends.list');
    assert.deepEqual([list[0].to, list[0].alias, list[0].profile], ['oWx…0002', 'qa-2', 'dev']);
    assert.ok(!JSON.stringify(list).includes(QA2));
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
