// The editor side of sending, without VS Code: the pure presentation functions (masking,
// result → CodeLens title / diagnostic, confirmation text, which base URL wins, recent
// OpenIDs, media_id edits) and SendService — the logic behind the commands — against the
// simulator in-process on 127.0.0.1, with fake secret/state stores and a captured log.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyEdits, parse } from 'jsonc-parser';
import { ignoredBaseUrlNotice, resolveBaseUrl, resolveTimeout } from '../client/src/send/apiSettings.ts';
import { mediaIdEdit } from '../client/src/send/mediaField.ts';
import { confirmationText, hhmm, refusalText, resultLine, viewForFailure, viewForSend } from '../client/src/send/present.ts';
import { MAX_RECENT, openIdItems, rememberOpenId } from '../client/src/send/recent.ts';
import { APPIDS_KEY, SendService } from '../client/src/send/sendService.ts';
import type { SendResult } from '../server/src/wechat/client.ts';
import { decodeResult } from '../server/src/core/facts/errcodes.ts';
import { SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET, SIM_USERS, Simulator } from '../server/src/simulator/simulator.ts';
import { validate } from '../server/src/core/services/validate.ts';
import { MapSecrets, MapState, prepared } from './sendHelpers.ts';

const USER = SIM_USERS.ready[0];
const AT = new Date(2026, 10, 26, 14, 3, 0);
const stats = { attempts: 1, tokenRequests: 1, tokenRefreshed: false };

const TEXT_TEMPLATE = `// greeting for test users
{
  "touser": "OPENID",
  "msgtype": "text",
  "text": { "content": "hello from wxmsg", },
}
`;

describe('presentation (pure)', () => {
  test('a success becomes "✓ sent HH:MM to oWx…0001" with errcode 0 and no diagnostic (nothing in Problems)', () => {
    const r: SendResult = { status: 'sent', decoded: decodeResult(0, 'ok'), ...stats };
    const v = viewForSend(r, { openId: USER, host: '127.0.0.1:9', appid: SIM_DEFAULT_APPID, at: AT });
    assert.equal(v.lens, '✓ sent 14:03 to oWx…0001');
    // resultView.ts adds a diagnostic only for a view with a severity.
    assert.equal(v.severity, undefined);
    assert.equal(v.code, 0);
    assert.ok(!v.message.includes(USER), 'the full OpenID is not shown');
  });

  test('an API error becomes "✗ 45047 客服接口下行条数超过上限" and an Error with zh, en, cause, action and rid', () => {
    const d = decodeResult(45047, 'out of response count limit rid: 6791c969-2df2b561-5de66934');
    const v = viewForSend({ status: 'api-error', decoded: d, ...stats }, { openId: USER, host: 'h', at: AT });
    assert.equal(v.lens, '✗ 45047 客服接口下行条数超过上限');
    assert.equal(v.severity, 'error');
    assert.equal(v.code, 45047);
    for (const part of [d.description, d.en, d.cause!, d.action!, '6791c969-2df2b561-5de66934']) assert.ok(v.message.includes(part), `message holds ${part}`);
  });

  test('an unknown errcode shows the raw errcode and errmsg', () => {
    const d = decodeResult(99999, 'something new rid: ab12-cd34');
    const v = viewForSend({ status: 'api-error', decoded: d, ...stats }, { openId: USER, host: 'h', at: AT });
    assert.equal(v.lens, '✗ 99999 something new');
    assert.match(v.message, /errcode 99999/);
    assert.match(v.message, /something new/);
    assert.equal(v.code, 99999);
  });

  test('failures: before sending → Error naming the setting; after sending → Warning "delivery unknown"; cancelled early → no diagnostic', () => {
    const ctx = { openId: USER, host: '127.0.0.1:9', at: AT };
    const refused = viewForFailure({ kind: 'refused', message: 'Could not connect … Check wxmsg.api.baseUrl. Nothing was sent.', setting: 'wxmsg.api.baseUrl', deliveryUnknown: false }, ctx);
    assert.equal(refused.severity, 'error');
    assert.equal(refused.lens, '✗ not sent: connection refused');
    assert.match(refused.message, /wxmsg\.api\.baseUrl/);
    const unknown = viewForFailure({ kind: 'timeout', message: 'No answer … may or may not have been delivered', deliveryUnknown: true }, ctx);
    assert.equal(unknown.state, 'delivery-unknown');
    assert.equal(unknown.severity, 'warning');
    assert.match(unknown.lens, /^\? delivery unknown 14:03 to oWx…0001/);
    const cancelledLate = viewForFailure({ kind: 'cancelled', message: 'sending was cancelled', deliveryUnknown: true }, ctx);
    assert.equal(cancelledLate.state, 'delivery-unknown');
    assert.match(cancelledLate.lens, /cancelled after the request was sent/);
    const cancelledEarly = viewForFailure({ kind: 'cancelled', message: 'x', deliveryUnknown: false }, ctx);
    assert.equal(cancelledEarly.severity, undefined);
    assert.match(cancelledEarly.lens, /nothing was sent/);
    const token = viewForFailure({ kind: 'credentials', message: 'getting an access token failed', deliveryUnknown: false }, ctx, decodeResult(40125, 'invalid appsecret'));
    assert.equal(token.code, 40125);
    assert.match(token.lens, /^✗ 40125 /);
  });

  test('the confirmation names the appid, the masked OpenID and the API host', () => {
    const c = confirmationText({ fileName: 'a.wxmsg.json', msgtype: 'text', openId: USER, appid: SIM_DEFAULT_APPID, appidSource: 'project.config.json', host: '127.0.0.1:8080', base: 'http://127.0.0.1:8080', baseSource: 'from your user settings', credential: 'AppSecret' });
    const all = `${c.message}\n${c.detail}`;
    for (const part of [SIM_DEFAULT_APPID, 'oWx…0001', '127.0.0.1:8080', 'project.config.json']) assert.ok(all.includes(part), `confirmation holds ${part}`);
    assert.ok(!all.includes(USER), 'the OpenID is masked');
    assert.match(all, /wxmsg\.send\.confirm/);
  });

  test('the confirmation says where the credential comes from, and gives advice the user can follow', () => {
    const base = { fileName: 'a.wxmsg.json', msgtype: 'text', openId: USER, appid: SIM_DEFAULT_APPID, host: '127.0.0.1:8080', base: 'http://127.0.0.1:8080', baseSource: 'profile "dev"', credential: 'access token' as const };
    const prod = confirmationText({ ...base, who: 'qa (oWx…0001)', profile: 'prod', production: true, credentialFrom: { source: 'token-url', host: 'tokens.corp.example' } });
    assert.match(prod.message, /^⚠ PRODUCTION \(prod\): send a\.wxmsg\.json \(text\) to qa \(oWx…0001\)\?$/);
    assert.match(prod.detail, /Profile: prod \(production\)/);
    assert.match(prod.detail, /Credential: an access token from the token service tokens\.corp\.example/);
    // A production profile asks whatever the setting says: no advice to switch it off.
    assert.match(prod.detail, /marked production: every send to it asks, whatever wxmsg\.send\.confirm says/);
    assert.doesNotMatch(prod.detail, /Set wxmsg\.send\.confirm to false/);
    const cmd = confirmationText({ ...base, profile: 'dev', credentialFrom: { source: 'token-command' } });
    assert.match(cmd.detail, /token-command of profile "dev" \(asked for after this confirmation\)/);
    // In a remote window the user settings' value does not count: the advice names the Remote settings.
    const remote = confirmationText({ ...base, remote: 'ssh-remote' });
    assert.match(remote.detail, /in the Remote settings: in a remote window \(ssh-remote\)/);
    assert.match(confirmationText(base).detail, /^Set wxmsg\.send\.confirm to false to skip this question/m);
    // The texts go through the translator it is given (vscode.l10n in the extension).
    const seen: string[] = [];
    confirmationText({ ...base, production: true, profile: 'p' }, { t: (m) => { seen.push(m); return m; } });
    assert.ok(seen.includes('⚠ PRODUCTION ({0}): send {1} to {2}?') && seen.includes('OpenID: {0}'), seen.join(' | '));
  });

  test('the result goes on the msgtype line, else the first line', () => {
    assert.equal(resultLine(TEXT_TEMPLATE), TEXT_TEMPLATE.slice(0, TEXT_TEMPLATE.indexOf('"msgtype"')).split('\n').length - 1);
    assert.equal(resultLine('{\r\n"a": 1,\r\n  "msgtype": "x"}'), 2);
    assert.equal(resultLine('not json at all'), 0);
    assert.equal(resultLine(''), 0);
  });

  test('the refusal lists the errors with their lines and codes', () => {
    const text = '{ "touser": "x", "msgtype": "txt" }';
    const errors = validate(text, {}).filter((d) => d.severity === 1);
    assert.ok(errors.length >= 1);
    const t = refusalText(errors);
    assert.match(t, /line 1:\d+: /);
    assert.ok(t.includes(String(errors[0].code)));
  });

  test('hhmm pads', () => {
    assert.equal(hhmm(new Date(2026, 0, 1, 4, 5)), '04:05');
  });
});

describe('API settings (pure)', () => {
  test('only the user (machine) value of wxmsg.api.baseUrl counts; workspace and folder values are ignored and noticed', () => {
    const hostile = resolveBaseUrl({ defaultValue: 'https://api.weixin.qq.com', workspaceValue: 'https://evil.example', workspaceFolderValue: 'http://127.0.0.1:1' });
    assert.equal(hostile.value, 'https://api.weixin.qq.com');
    assert.equal(hostile.source, 'default');
    assert.deepEqual(hostile.ignored, ['workspace', 'workspace folder']);
    const notice = ignoredBaseUrlNotice(hostile)!;
    assert.match(notice, /ignored/);
    assert.ok(!notice.includes('evil.example'), 'the hostile value is not echoed');
    const user = resolveBaseUrl({ globalValue: 'http://127.0.0.1:8080/', workspaceValue: 'https://evil.example' });
    assert.equal(user.value, 'http://127.0.0.1:8080/');
    assert.ok(user.check.ok && user.check.base === 'http://127.0.0.1:8080');
    assert.equal(ignoredBaseUrlNotice(resolveBaseUrl({ globalValue: 'https://x.example' })), undefined);
  });

  test('plain http is refused except for loopback', () => {
    const r = resolveBaseUrl({ globalValue: 'http://api.example.com' });
    assert.equal(r.check.ok, false);
    assert.ok(!r.check.ok && /wxmsg\.api\.baseUrl/.test(r.check.message));
    assert.ok(resolveBaseUrl({ globalValue: 'http://localhost:9' }).check.ok);
    assert.ok(resolveBaseUrl(undefined).check.ok);
  });

  test('timeout: default 10000, clamped, junk ignored', () => {
    assert.equal(resolveTimeout(undefined), 10_000);
    assert.equal(resolveTimeout('5'), 10_000);
    assert.equal(resolveTimeout(NaN), 10_000);
    assert.equal(resolveTimeout(2500), 2500);
    assert.equal(resolveTimeout(1), 100);
    assert.equal(resolveTimeout(1e9), 600_000);
  });
});

describe('recent OpenIDs (pure)', () => {
  test('newest first, no duplicates, at most 10, invalid ids dropped', () => {
    let list: unknown = undefined;
    for (let i = 0; i < 15; i++) list = rememberOpenId(list, `oUser${String(i).padStart(23, '0')}`);
    const l = list as string[];
    assert.equal(l.length, MAX_RECENT);
    assert.equal(l[0], `oUser${'14'.padStart(23, '0')}`);
    const again = rememberOpenId(l, l[5]);
    assert.equal(again[0], l[5]);
    assert.equal(new Set(again).size, again.length);
    assert.deepEqual(rememberOpenId(['a b', 42, 'ok_1'], 'not valid!'), ['ok_1']);
  });

  test('the default OpenID comes first, then recent ones without repeating it', () => {
    const items = openIdItems(['oB', 'oA'], 'oA');
    assert.deepEqual(items.map((i) => [i.openId, i.description]), [['oA', 'wxmsg.defaultOpenId'], ['oB', 'recent']]);
    assert.deepEqual(openIdItems(['oB'], 'bad id!').map((i) => i.openId), ['oB']);
  });
});

describe('media_id edits (pure)', () => {
  const image = fs.readFileSync(path.join(__dirname, '..', 'examples', 'templates', 'image.wxmsg.json'), 'utf8');
  const card = fs.readFileSync(path.join(__dirname, '..', 'examples', 'templates', 'card.wxmsg.json'), 'utf8');

  test('image.media_id and miniprogrampage.thumb_media_id are replaced, comments kept', () => {
    const e = mediaIdEdit(image, 'NEW_MEDIA')!;
    assert.equal(e.target, 'image.media_id');
    const out = applyEdits(image, e.edits);
    assert.equal((parse(out) as { image: { media_id: string } }).image.media_id, 'NEW_MEDIA');
    assert.ok(out.includes('// From `wxmsg upload`'));
    const c = mediaIdEdit(card, 'THUMB')!;
    assert.equal(c.target, 'miniprogrampage.thumb_media_id');
    assert.equal((parse(applyEdits(card, c.edits)) as { miniprogrampage: { thumb_media_id: string } }).miniprogrampage.thumb_media_id, 'THUMB');
  });

  test('a missing field is inserted; message types without media get no edit', () => {
    const e = mediaIdEdit('{ "msgtype": "image", "image": {} }', 'M1')!;
    assert.equal((parse(applyEdits('{ "msgtype": "image", "image": {} }', e.edits)) as { image: { media_id: string } }).image.media_id, 'M1');
    assert.equal(mediaIdEdit(TEXT_TEMPLATE, 'M'), undefined);
    assert.equal(mediaIdEdit('{{{', 'M'), undefined);
  });
});


describe('SendService against the simulator', () => {
  let sim: Simulator;
  let secrets: MapSecrets;
  let state: MapState;
  let lines: string[];
  let svc: SendService;
  const api = () => ({ base: sim.url, timeoutMs: 2000 });
  const req = (over: Partial<Parameters<SendService['send']>[0]> = {}) => ({
    ...prepared(TEXT_TEMPLATE), fileName: 'hello.wxmsg.json', openId: USER, appid: SIM_DEFAULT_APPID, api: api(), ...over,
  });

  before(async () => { sim = await Simulator.start(); });
  after(async () => { await sim.close(); });
  beforeEach(() => {
    sim.reset();
    secrets = new MapSecrets();
    state = new MapState();
    lines = [];
    svc = new SendService(secrets, state, (l) => lines.push(l), { backoffMs: 1, delay: async () => {} });
  });

  test('sends the template with comments stripped and touser replaced; remembers the OpenID', async () => {
    await svc.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET);
    const out = await svc.send(req());
    assert.equal(out.view.state, 'sent', out.view.message);
    assert.match(out.view.lens, /^✓ sent \d\d:\d\d to oWx…0001$/);
    assert.equal(sim.delivered.length, 1);
    assert.equal(sim.delivered[0].touser, USER);
    assert.deepEqual(sim.delivered[0].payload.text, { content: 'hello from wxmsg' });
    assert.deepEqual(svc.recentOpenIds(), [USER]);
    assert.deepEqual(state.get(APPIDS_KEY), [SIM_DEFAULT_APPID]);
  });

  test('an OpenID that cannot be one is refused: nothing reaches the API', async () => {
    await svc.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET);
    const out = await svc.send(req({ openId: 'o x' }));
    assert.equal(out.view.state, 'refused');
    assert.match(out.view.notify, /Not sent: an OpenID holds only letters/);
    assert.equal(sim.requests.length, 0);
  });

  test('the payload goes out as prepared, touser first and replaced', async () => {
    await svc.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET);
    const out = await svc.send(req({ payload: { touser: 'someone-else', msgtype: 'text', text: { content: 'héllo' } }, msgtype: 'text' }));
    assert.equal(out.view.state, 'sent', out.view.message);
    assert.equal(sim.delivered[0].touser, USER);
    assert.deepEqual(sim.delivered[0].payload.text, { content: 'héllo' });
  });

  test('no credentials: refused with the command to run, nothing sent', async () => {
    const out = await svc.send(req());
    assert.equal(out.view.state, 'refused');
    assert.match(out.view.notify, /WeChat \(wxmsg\): Set AppSecret/);
    assert.equal(sim.requests.length, 0);
  });

  test('an injected 45047 is decoded; the next success replaces it and vice versa', async () => {
    await svc.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET);
    sim.injectFault({ type: 'errcode', errcode: 45047, errmsg: 'out of response count limit', path: '/cgi-bin/message/custom/send' });
    const bad = await svc.send(req());
    assert.equal(bad.view.lens, '✗ 45047 客服接口下行条数超过上限');
    assert.equal(bad.view.severity, 'error');
    assert.match(bad.view.message, /rid: [0-9a-f]{8}-/);
    const good = await svc.send(req());
    assert.equal(good.view.state, 'sent');
    sim.injectFault({ type: 'reset', when: 'before-headers', path: '/cgi-bin/message/custom/send' });
    const dropped = await svc.send(req());
    assert.equal(dropped.view.state, 'delivery-unknown');
    assert.notEqual(dropped.view.severity, 'info');
  });

  test('the simulator\'s real 45015 (stale user) and 40003 (unknown user) are decoded', async () => {
    await svc.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET);
    assert.equal((await svc.send(req({ openId: SIM_USERS.stale }))).view.code, 45015);
    assert.equal((await svc.send(req({ openId: 'oNobodyKnowsMe00000000000001' }))).view.code, 40003);
  });

  test('an expired token is refreshed once and the send retried', async () => {
    await svc.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET);
    assert.equal((await svc.send(req())).view.state, 'sent');
    assert.equal(sim.expireTokens({ appid: SIM_DEFAULT_APPID }), 1);
    const out = await svc.send(req());
    assert.equal(out.view.state, 'sent');
    assert.equal(out.result?.tokenRefreshed, true);
    assert.match(out.view.message, /fresh one/);
    assert.equal(sim.delivered.length, 2);
  });

  test('connection refused names wxmsg.api.baseUrl and says nothing was sent', async () => {
    await svc.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET);
    const dead = await Simulator.start();
    const url = dead.url;
    await dead.close();
    const out = await svc.send(req({ api: { base: url, timeoutMs: 2000 } }));
    assert.equal(out.view.state, 'failed');
    assert.equal(out.view.code, 'refused');
    assert.match(out.view.notify, /wxmsg\.api\.baseUrl/);
    assert.match(out.view.notify, /Nothing was sent/);
  });

  test('a foreign plain-http base URL is refused before any request', async () => {
    await svc.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET);
    const out = await svc.send(req({ api: { base: 'http://api.example.com', timeoutMs: 2000 } }));
    assert.equal(out.view.state, 'refused');
    assert.match(out.view.notify, /wxmsg\.api\.baseUrl/);
  });

  test('cancel before the request: nothing sent; cancel while waiting for the answer: delivery unknown', async () => {
    await svc.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET);
    const early = new AbortController();
    early.abort();
    const a = await svc.send(req({ signal: early.signal }));
    assert.equal(a.view.state, 'cancelled');
    assert.equal(sim.requestCount('/cgi-bin/message/custom/send'), 0);

    sim.injectFault({ type: 'delay', ms: 30_000, path: '/cgi-bin/message/custom/send' });
    const late = new AbortController();
    const pending = svc.send(req({ signal: late.signal, api: { base: sim.url, timeoutMs: 60_000 } }));
    await waitUntil(() => sim.requestCount('/cgi-bin/message/custom/send') === 1);
    late.abort();
    const b = await pending;
    assert.equal(b.view.state, 'delivery-unknown');
    assert.match(b.view.notify, /delivery .*unknown/i);
  });

  test('a timeout is not retried and reported as delivery unknown naming wxmsg.api.timeout', async () => {
    await svc.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET);
    sim.injectFault({ type: 'delay', ms: 5_000, path: '/cgi-bin/message/custom/send' });
    // Token first (fast), so the short timeout only hits the send.
    const out = await svc.send(req({ api: { base: sim.url, timeoutMs: 300 } }));
    assert.equal(out.view.state, 'delivery-unknown');
    assert.match(out.view.message, /wxmsg\.api\.timeout/);
    assert.equal(sim.requestCount('/cgi-bin/message/custom/send'), 1);
  });

  test('upload returns a media_id the simulator knows', async () => {
    await svc.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET);
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const out = await svc.upload({ name: 'x.png', data: png }, SIM_DEFAULT_APPID, api(), undefined, 'image.media_id');
    assert.equal(out.ok, true, out.message);
    assert.equal(sim.media[0].mediaId, out.mediaId);
    assert.match(out.message, /3 days/);
    const notImage = await svc.upload({ name: 'x.txt', data: Buffer.from('hello') }, SIM_DEFAULT_APPID, api());
    assert.equal(notImage.ok, false);
    assert.equal(sim.requestCount('/cgi-bin/media/upload'), 1);
  });

  test('access token credentials replace the AppSecret and are used as is; clear removes both and the cached token', async () => {
    const token = sim.issuedTokens().length; // none yet
    assert.equal(token, 0);
    await svc.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET);
    assert.equal((await svc.send(req())).view.state, 'sent');
    const issued = sim.issuedTokens()[0].token;
    await svc.setAccessToken(SIM_DEFAULT_APPID, issued);
    assert.equal((await svc.credentialsFor(SIM_DEFAULT_APPID))?.kind, 'access token');
    assert.equal((await svc.send(req())).view.state, 'sent');
    assert.equal(svc.tokenCache.size, 0, 'a ready token is not cached');
    await svc.clearCredentials();
    assert.equal(secrets.map.size, 0);
    assert.deepEqual(state.get(APPIDS_KEY), []);
    assert.equal(await svc.credentialsFor(SIM_DEFAULT_APPID), undefined);
  });
});

describe('secrets never reach the output channel, the results or the state store', () => {
  test('set-secret → send → token refresh → failures: neither the AppSecret nor any token appears', async () => {
    const sim = await Simulator.start();
    try {
      const appid = 'wx00112233445566aa';
      const secret = randomBytes(16).toString('hex');
      sim.addApp({ appid, secret });
      sim.addUser(appid, USER, 'user-message');
      const secrets = new MapSecrets();
      const state = new MapState();
      const log: string[] = [];
      const shown: unknown[] = [];
      const svc = new SendService(secrets, state, (l) => log.push(l), { backoffMs: 1, delay: async () => {} });
      const api = { base: sim.url, timeoutMs: 1000 };
      const send = async (over: Record<string, unknown> = {}) => {
        const out = await svc.send({ ...prepared(TEXT_TEMPLATE), fileName: 't.wxmsg.json', openId: USER, appid, api, ...over });
        shown.push(out.view, out.result);
        return out;
      };

      shown.push(await svc.setAppSecret(appid, secret));
      assert.equal((await send()).view.state, 'sent');
      sim.expireTokens({ appid });
      assert.equal((await send()).result?.tokenRefreshed, true);
      sim.expireTokens({ appid, mode: 'invalid' });
      sim.injectFault({ type: 'errcode', errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest', times: 3, path: '/cgi-bin/message/custom/send' });
      assert.equal((await send()).view.state, 'api-error');
      sim.clearFaults();
      // An echo of the token in errmsg and in a non-JSON body must be masked too.
      const current = sim.issuedTokens().filter((t) => t.state === 'valid').map((t) => t.token);
      // Twice: the send and its one retry after the (forced) refresh.
      sim.injectFault({ type: 'errcode', errcode: 40014, errmsg: `invalid access_token ${current[0] ?? ''} secret=${secret}`, times: 2, path: '/cgi-bin/message/custom/send' });
      await send();
      sim.injectFault({ type: 'non-json', body: `<html>token ${current[0] ?? ''} ${secret}</html>`, path: '/cgi-bin/message/custom/send' });
      assert.equal((await send()).view.state, 'delivery-unknown');
      sim.injectFault({ type: 'reset', path: '/cgi-bin/message/custom/send' });
      await send();
      await send({ api: { base: 'http://127.0.0.1:1', timeoutMs: 500 } });
      // A wrong secret: the token request fails with 40125.
      shown.push(await svc.setAppSecret(appid, `${secret}x`));
      const wrong = await send();
      assert.equal(wrong.view.code, 40125);
      shown.push(await svc.clearCredentials());

      const tokens = sim.issuedTokens().map((t) => t.token);
      assert.ok(tokens.length >= 3, `tokens were issued (${tokens.length})`);
      const everything = [log.join('\n'), JSON.stringify(shown), JSON.stringify([...state.map])].join('\n');
      assert.ok(log.length >= 10, `the session logged (${log.length} lines)`);
      for (const s of [secret, `${secret}x`, ...tokens]) {
        assert.ok(!everything.includes(s), `a secret (${s.length} chars) leaked into the output: ${['log', 'shown', 'state'].filter((_, i) => [log.join('\n'), JSON.stringify(shown), JSON.stringify([...state.map])][i].includes(s)).join(',')}`);
      }
      assert.equal(secrets.map.size, 0, 'cleared');
    } finally {
      await sim.close();
    }
  });
});

async function waitUntil(cond: () => boolean): Promise<void> {
  // Polls the in-process simulator's state between event-loop turns (no fixed sleeps).
  for (let i = 0; i < 100_000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(cond(), 'condition never became true');
}

void os;
