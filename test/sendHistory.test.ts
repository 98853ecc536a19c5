// The editor's send history (workspace state) and its copy actions, without VS Code.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { curlFor, HISTORY_KEY, MAX_HISTORY, openIdOf, ridLine, SendHistory, type EditorHistoryEntry } from '../client/src/send/history.ts';
import { SendService } from '../client/src/send/sendService.ts';
import { payloadHash } from '../server/src/node/history.ts';
import { SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET, SIM_USERS, Simulator } from '../server/src/simulator/simulator.ts';
import { MapSecrets, MapState, prepared } from './sendHelpers.ts';


const USER = SIM_USERS.ready[0];
const TEMPLATE = '{ "touser": "OPENID", "msgtype": "text", "text": { "content": "Hi {{name}}, it\'s {{order|N/A}}" } }';

describe('send history in the workspace state', () => {
  let sim: Simulator;
  let globalState: MapState;
  let workspaceState: MapState;
  let lines: string[];
  let svc: SendService;
  const vars = (o: Record<string, string>) => new Map(Object.entries(o).map(([k, v]) => [k, { value: v, source: '--var' }]));
  const req = (over: Partial<Parameters<SendService['send']>[0]> = {}) => ({
    ...prepared(TEMPLATE, { appid: SIM_DEFAULT_APPID }, { variables: vars({ name: 'O\'Brien "\\"' }) }),
    fileName: 'hello.wxmsg.json', templatePath: 'templates/hello.wxmsg.json', templateUri: 'file:///w/templates/hello.wxmsg.json',
    openId: USER, appid: SIM_DEFAULT_APPID, api: { base: sim.url, timeoutMs: 2000 }, ...over,
  });

  before(async () => { sim = await Simulator.start(); });
  after(async () => { await sim.close(); });
  beforeEach(async () => {
    sim.reset();
    globalState = new MapState();
    workspaceState = new MapState();
    lines = [];
    svc = new SendService(new MapSecrets(), globalState, (l) => lines.push(l), { backoffMs: 1, delay: async () => {} }, new SendHistory(workspaceState));
    await svc.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET);
  });

  test('each send is an entry, newest first, with the rid; never a token, secret or whole OpenID', async () => {
    assert.equal((await svc.send(req())).view.state, 'sent');
    assert.equal((await svc.send(req({ openId: SIM_USERS.stale }))).view.state, 'api-error');
    const list = svc.history!.list();
    assert.equal(list.length, 2);
    assert.equal(list[0].errcode, 45015);
    assert.match(list[0].rid!, /^[0-9a-f]{8}-/);
    assert.equal(list[1].status, 'sent');
    assert.equal(list[1].to, 'oWx…0001');
    assert.equal(list[1].template, 'templates/hello.wxmsg.json');
    assert.equal(list[1].templateUri, 'file:///w/templates/hello.wxmsg.json');
    assert.equal(list[1].apiBase, sim.url);
    assert.equal(list[1].payloadHash, payloadHash(JSON.stringify(sim.delivered[0].payload)));
    // The filled value went out as written.
    assert.equal((sim.delivered[0].payload.text as { content: string }).content, 'Hi O\'Brien "\\", it\'s N/A');
    // Only in the workspace state; nothing secret in it, nor in the log.
    assert.equal(globalState.get(HISTORY_KEY), undefined);
    const stored = JSON.stringify([...workspaceState.map]);
    const tokens = sim.issuedTokens().map((t) => t.token);
    assert.ok(tokens.length > 0);
    for (const s of [SIM_DEFAULT_SECRET, USER, SIM_USERS.stale, ...tokens]) {
      assert.ok(!stored.includes(s), `history holds ${s}`);
      assert.ok(!lines.join('\n').includes(SIM_DEFAULT_SECRET) && !tokens.some((t) => lines.join('\n').includes(t)), 'log');
    }
  });

  test('without a workspace state there is no history; the list is capped', async () => {
    const bare = new SendService(new MapSecrets(), new MapState(), () => {});
    assert.equal(bare.history, undefined);
    const h = new SendHistory(new MapState());
    for (let i = 0; i < MAX_HISTORY + 5; i++) await h.add({ id: String(i) } as EditorHistoryEntry);
    assert.equal(h.list().length, MAX_HISTORY);
    assert.equal(h.list()[0].id, String(MAX_HISTORY + 4));
  });

  test('last-used variables are remembered per template', async () => {
    const h = new SendHistory(new MapState());
    await h.rememberVariables('a', { name: 'x' });
    await h.rememberVariables('a', { order: '1' });
    await h.rememberVariables('b', { name: 'y' });
    assert.deepEqual(h.lastVariables('a'), { name: 'x', order: '1' });
    assert.deepEqual(h.lastVariables('b'), { name: 'y' });
    assert.deepEqual(h.lastVariables('c'), {});
  });
});

describe('copy actions', () => {
  test('curl: the token is ACCESS_TOKEN; the body survives the shell exactly (quotes, backslashes)', () => {
    const body = JSON.stringify({ touser: 'OPENID', msgtype: 'text', text: { content: 'it\'s "x" \\ $HOME `id`' } });
    const c = curlFor('https://api.weixin.qq.com/', body);
    assert.match(c, /'https:\/\/api\.weixin\.qq\.com\/cgi-bin\/message\/custom\/send\?access_token=ACCESS_TOKEN'/);
    // What the shell hands curl as --data-binary is the body, byte for byte.
    const arg = c.slice(c.indexOf('--data-binary ') + '--data-binary '.length);
    const echoed = execFileSync('sh', ['-c', `printf %s ${arg}`], { encoding: 'utf8' });
    assert.equal(echoed, body);
  });

  test('rid line with time; the OpenID of an entry from the recent list only when unambiguous', () => {
    assert.equal(ridLine({ rid: 'abc-1', time: '2026-12-01T07:31:04.783Z', errcode: 45015, appid: 'wx1' }), 'rid: abc-1  time: 2026-12-01 07:31:04 UTC  errcode: 45015  appid: wx1');
    assert.equal(openIdOf({ to: 'oWx…0001' }, [USER, SIM_USERS.stale]), undefined, 'two OpenIDs share the mask');
    assert.equal(openIdOf({ to: 'oWx…0001' }, [USER]), USER);
    assert.equal(openIdOf({ to: 'oAb…99' }, [USER]), undefined);
  });

});

describe('rough edges from the user test', () => {
  test('"Set AppSecret" mentions a removed access token only when one was removed (and the reverse)', async () => {
    const secrets = new MapSecrets();
    const svc = new SendService(secrets, new MapState(), () => {});
    const first = await svc.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET);
    assert.doesNotMatch(first, /removed/);
    const token = 'T'.repeat(120);
    const swapped = await svc.setAccessToken(SIM_DEFAULT_APPID, token);
    assert.match(swapped, /the AppSecret set earlier for it was removed/);
    assert.equal(await secrets.get(`wxmsg.appSecret/${SIM_DEFAULT_APPID}`), undefined);
    const again = await svc.setAccessToken(SIM_DEFAULT_APPID, token);
    assert.doesNotMatch(again, /removed/);
    assert.match(await svc.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET), /the access token set earlier for it was removed/);
  });

  test('a workspace settings file that sets wxmsg.api.baseUrl is noticed (VS Code hides it from inspect())', async () => {
    const { settingsSetBaseUrl, resolveBaseUrl, ignoredBaseUrlNotice } = await import('../client/src/send/apiSettings.ts');
    assert.equal(settingsSetBaseUrl('// c\n{ "wxmsg.api.baseUrl": "http://127.0.0.1:1", }'), true);
    assert.equal(settingsSetBaseUrl('{ "wxmsg": { "api": { "baseUrl": "x" } } }'), true);
    assert.equal(settingsSetBaseUrl('{ "wxmsg.api": { "baseUrl": "x" } }'), true);
    assert.equal(settingsSetBaseUrl('{ "settings": { "wxmsg.api.baseUrl": "x" } }', true), true);
    // Near misses.
    assert.equal(settingsSetBaseUrl('{ "wxmsg.api.timeout": 5000, "wxmsg.api.baseUrlX": "x" }'), false);
    assert.equal(settingsSetBaseUrl('{ "wxmsg.api.baseUrl": "x" }', true), false, 'a workspace file keeps settings under "settings"');
    assert.equal(settingsSetBaseUrl('not json'), false);
    // What activation reads instead (settingsScan.ts): true wherever the parse finds the key.
    const { mayMentionBaseUrl } = await import('../client/src/send/settingsScan.ts');
    const setting = [
      '// c\n{ "wxmsg.api.baseUrl": "http://127.0.0.1:1", }', '{ "wxmsg": { "api": { "baseUrl": "x" } } }', '{ "wxmsg.api": { "baseUrl": "x" } }',
      '{ "settings": { "wxmsg.api.baseUrl": "x" } }', '{ "wxmsg.api.base\\u0055rl": "x" }', '{ "wxmsg": { "api": { "\\u0062aseUrl": "x" } } }', '{ "wxmsg.api.baseUr\\u006c": "x" }',
    ];
    for (const t of setting) {
      assert.equal(settingsSetBaseUrl(t, t.includes('"settings"')), true, t);
      assert.equal(mayMentionBaseUrl(t), true, t);
    }
    // Near misses: the key in another case, a lookalike, no key at all; JSON's other escapes.
    for (const t of ['{ "wxmsg.api.baseurl": "x" }', '{ "wxmsg.api.baseURL": "x" }', '{ "wxmsg.api.timeout": 5000 }', '{ "a": "C:\\\\Temp\\n" }', '']) {
      assert.equal(settingsSetBaseUrl(t), false, t);
      assert.equal(mayMentionBaseUrl(t), false, t);
    }
    const r = resolveBaseUrl({ globalValue: 'https://api.weixin.qq.com' }, ['workspace']);
    assert.match(ignoredBaseUrlNotice(r)!, /set in the workspace settings was ignored/);
    assert.equal(r.value, 'https://api.weixin.qq.com');
    assert.equal(ignoredBaseUrlNotice(resolveBaseUrl({ globalValue: 'https://api.weixin.qq.com' }, [])), undefined);
  });
});

test('a refusal names an error the workspace rules keep out of Problems, with the rule and its setting', async () => {
  const { hiddenByWorkspace, refusalText } = await import('../client/src/send/present.ts');
  const { validate } = await import('../server/src/core/services/validate.ts');
  const t = '{"touser":"OPENID","msgtype":"text","text":{"content":"<a href=\\"javascript:x\\">x</a> and <a href=\\"data:y\\">y</a>"}}';
  const errors = validate(t, {}).filter((d) => d.severity === 1);
  assert.equal(errors.length, 2);
  const hidden = hiddenByWorkspace(errors, { 'wxmsg/unsafe-href': 'warning' });
  assert.equal(hidden.size, 2);
  const text = refusalText(errors, 5, hidden);
  assert.match(text, /line 1:\d+: .*\(wxmsg\/unsafe-href\) — not shown in Problems: the workspace's "wxmsg.rules" sets wxmsg\/unsafe-href to "warning"/);
  // Near misses: "error" in the workspace, or another rule, hides nothing.
  assert.equal(hiddenByWorkspace(errors, { 'wxmsg/unsafe-href': 'error' }).size, 0);
  assert.equal(hiddenByWorkspace(errors, { 'wxmsg/foreign-appid': 'off' }).size, 0);
  assert.doesNotMatch(refusalText(errors), /not shown in Problems/);
});
