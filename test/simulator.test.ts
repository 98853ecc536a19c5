import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { FormData, request } from 'undici';
import { Simulator, SIM_DEFAULT_SECRET, SIM_LIMITS, SIM_USERS } from '../server/src/simulator/simulator.ts';
import { parseDuration, parseSimulateArgs, runSimulate } from '../server/src/cli/commands/simulate.ts';
import { runCli } from '../server/src/cli/main.ts';
import { decodeResult, ERRCODES } from '../server/src/core/facts/errcodes.ts';
import { LIMITS } from '../server/src/core/rules/codes.ts';
import { allowance, recordSend, userAction, withOverrides } from '../server/src/core/facts/deliveryRules.ts';
import { APPID, EXAMPLES, PNG, control } from './sendHelpers.ts';

let sim: Simulator;
before(async () => { sim = await Simulator.start(); });
after(async () => { await sim.close(); });
beforeEach(() => sim.reset());

async function post(route: string, body: unknown, raw = false): Promise<{ status: number; json: any; type: string }> {
  const res = await request(`${sim.url}${route}`, { method: 'POST', body: raw ? String(body) : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const text = await res.body.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = text; }
  if (!route.startsWith('/_sim/')) answered.push(json);
  return { status: res.statusCode, json, type: String(res.headers['content-type']) };
}

/** Every WeChat API answer the tests of this file saw (checked against the catalog at the end). */
const answered: any[] = [];
async function get(url: string): Promise<any> {
  const json = JSON.parse(await (await request(url)).body.text());
  answered.push(json);
  return json;
}

async function token(appid = APPID, secret = SIM_DEFAULT_SECRET, force = false): Promise<string> {
  const r = await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid, secret, force_refresh: force });
  return r.json.access_token;
}

async function send(payload: unknown, tok?: string): Promise<any> {
  const t = tok ?? await token();
  return (await post(`/cgi-bin/message/custom/send?access_token=${encodeURIComponent(t)}`, payload)).json;
}

const msg = (touser: string) => ({ touser, msgtype: 'text', text: { content: 'hi' } });

test('default users are 28-character OpenIDs', () => {
  for (const u of [...SIM_USERS.ready, SIM_USERS.entered, SIM_USERS.stale, SIM_USERS.silent]) assert.match(u, /^[A-Za-z0-9_-]{28}$/);
});

test('stable_token: same token until forced; checks grant_type, appid and secret', async () => {
  const a = await token();
  assert.equal(await token(), a);
  const b = await token(APPID, SIM_DEFAULT_SECRET, true);
  assert.notEqual(a, b);
  assert.equal((await send(msg(SIM_USERS.ready[0]), a)).errcode, 40001, 'a forced refresh invalidates the old stable token');
  assert.equal((await post('/cgi-bin/stable_token', { grant_type: 'password', appid: APPID, secret: SIM_DEFAULT_SECRET })).json.errcode, 40002);
  assert.equal((await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: 'wxnope', secret: 'x' })).json.errcode, 40013);
  assert.equal((await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APPID, secret: 'x' })).json.errcode, 40125);
  assert.equal((await post('/cgi-bin/stable_token', 'not json', true)).json.errcode, 47001);
  const ok = await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APPID, secret: SIM_DEFAULT_SECRET });
  assert.ok(ok.json.expires_in > 7000 && ok.json.expires_in <= 7200);
});

test('plain token: a new token per call', async () => {
  const url = (secret: string) => `${sim.url}/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${secret}`;
  const a = await get(url(SIM_DEFAULT_SECRET));
  const b = await get(url(SIM_DEFAULT_SECRET));
  assert.notEqual(a.access_token, b.access_token);
  assert.equal((await get(url('wrong'))).errcode, 40001);
});

test('custom/send: token checks 41001 / 40001 / 42001 and the expiry clock', async () => {
  assert.equal((await post('/cgi-bin/message/custom/send', msg(SIM_USERS.ready[0]))).json.errcode, 41001);
  assert.equal((await send(msg(SIM_USERS.ready[0]), 'bogus')).errcode, 40001);
  const t = await token();
  await control(sim, 'POST', '/_sim/clock', { advanceMs: 7201_000 });
  assert.equal((await send(msg(SIM_USERS.ready[0]), t)).errcode, 42001);
  assert.match((await send(msg(SIM_USERS.ready[0]), t)).errmsg, / rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
});

test('delivery rules per user: 5 within 48 h after a message, 2 within 1 minute after entering', async () => {
  const t = await token();
  for (let i = 0; i < 5; i++) assert.equal((await send(msg(SIM_USERS.ready[1]), t)).errcode, 0);
  assert.equal((await send(msg(SIM_USERS.ready[1]), t)).errcode, 45047);
  assert.equal((await send(msg(SIM_USERS.entered), t)).errcode, 0);
  assert.equal((await send(msg(SIM_USERS.entered), t)).errcode, 0);
  assert.equal((await send(msg(SIM_USERS.entered), t)).errcode, 45047);
  // The user messages again: a new quota.
  await control(sim, 'POST', '/_sim/users', { openid: SIM_USERS.ready[1] });
  assert.equal((await send(msg(SIM_USERS.ready[1]), t)).errcode, 0);
  // Past the window.
  await control(sim, 'POST', '/_sim/users', { openid: 'oWindowUser', action: 'enter-session' });
  await control(sim, 'POST', '/_sim/clock', { advanceMs: 61_000 });
  assert.equal((await send(msg('oWindowUser'), await token())).errcode, 45015);
  assert.equal((await send(msg(SIM_USERS.stale), await token())).errcode, 45015);
  assert.equal(sim.delivered.length, 8);
});

test('rules are configurable through the control API', async () => {
  const r = await control(sim, 'POST', '/_sim/rules', { 'user-message': { maxMessages: 1 } });
  assert.equal(r.status, 200);
  const t = await token();
  assert.equal((await send(msg(SIM_USERS.ready[0]), t)).errcode, 0);
  assert.equal((await send(msg(SIM_USERS.ready[0]), t)).errcode, 45047);
});

test('payload shape checks', async () => {
  const t = await token();
  const u = SIM_USERS.ready[0];
  const cases: [unknown, number][] = [
    [{ msgtype: 'text', text: { content: 'x' } }, 47001],
    [{ touser: u, text: { content: 'x' } }, 47001],
    [{ touser: u, msgtype: 'text' }, 47001],
    [{ touser: u, msgtype: 'mpnews', mpnews: {} }, 45162],
    [{ touser: u, msgtype: 'sticker', sticker: {} }, 40008],
    [{ touser: u, msgtype: 'text', text: { content: '' } }, 44004],
    [{ touser: u, msgtype: 'image', image: {} }, 47001],
    [{ touser: u, msgtype: 'miniprogrampage', miniprogrampage: { title: 't', pagepath: 'p' } }, 47001],
    [{ touser: 'oNobody', msgtype: 'text', text: { content: 'x' } }, 40003],
    [[1, 2], 47001],
  ];
  for (const [payload, code] of cases) assert.equal((await send(payload, t)).errcode, code, JSON.stringify(payload));
  const empty = await post(`/cgi-bin/message/custom/send?access_token=${t}`, '', true);
  assert.equal(empty.json.errcode, 44002);
  assert.equal(sim.delivered.length, 0);
});

test('media/upload: multipart field media, type=image, images only', async () => {
  const t = await token();
  const up = async (type: string, data: Buffer, field = 'media') => {
    const form = new FormData();
    form.append(field, new Blob([data], { type: 'image/png' }), 'a.png');
    const res = await request(`${sim.url}/cgi-bin/media/upload?access_token=${t}&type=${type}`, { method: 'POST', body: form });
    const j = JSON.parse(await res.body.text());
    answered.push(j);
    return j;
  };
  const ok = await up('image', PNG);
  assert.equal(ok.type, 'image');
  assert.match(ok.media_id, /^[\w-]{20,}$/);
  assert.equal((await up('voice', PNG)).errcode, 40004);
  assert.equal((await up('image', Buffer.from('hello'))).errcode, 40004);
  assert.equal((await up('image', PNG, 'file')).errcode, 41005);
  const big = Buffer.alloc(10 * 1024 * 1024 + 1);
  PNG.copy(big);
  assert.equal((await up('image', big)).errcode, 40009);
  const media = await control(sim, 'GET', '/_sim/media');
  assert.equal(media.json.length, 1);
  assert.equal(media.json[0].size, PNG.length);
});

test('control API: state, apps, users, faults, requests, delivered, tokens, reset', async () => {
  const state = await control(sim, 'GET', '/_sim/state');
  assert.deepEqual(state.apps.map((a: { appid: string }) => a.appid), [APPID]);
  assert.equal(state.users.length, 6);
  assert.equal((await control(sim, 'POST', '/_sim/apps', { appid: 'wxother0000000000', secret: 'other-secret', pages: ['pages/a/a'] })).ok, true);
  assert.equal((await control(sim, 'POST', '/_sim/users', { appid: 'wxother0000000000', openids: ['oA', 'oB'] })).count, 2);
  assert.equal((await control(sim, 'POST', '/_sim/users', {})).status, 400);
  assert.equal((await control(sim, 'POST', '/_sim/faults', { type: 'bogus' })).status, 400);
  const t = await token('wxother0000000000', 'other-secret');
  assert.equal((await send(msg('oA'), t)).errcode, 0);
  assert.equal((await send(msg(SIM_USERS.ready[0]), t)).errcode, 40003, 'users are per appid');
  await control(sim, 'POST', '/_sim/faults', { type: 'errcode', errcode: 48001, path: '/cgi-bin/message/custom/send', times: -1 });
  assert.equal((await send(msg('oB'), t)).errcode, 48001);
  assert.equal((await send(msg('oB'), t)).errcode, 48001, 'times -1 lasts until cleared');
  await control(sim, 'DELETE', '/_sim/faults');
  assert.equal((await send(msg('oB'), t)).errcode, 0);
  // Nonsense numbers fall back to defaults: one request, errcode -1.
  await control(sim, 'POST', '/_sim/faults', { type: 'errcode', errcode: 'x', times: 'many', path: '/cgi-bin/message/custom/send' });
  assert.equal((await send(msg('oB'), t)).errcode, -1);
  assert.equal((await send(msg('oB'), t)).errcode, 0);
  const delivered = await control(sim, 'GET', '/_sim/delivered');
  assert.deepEqual(delivered.json.map((d: { touser: string }) => d.touser), ['oA', 'oB', 'oB']);
  const requests = await control(sim, 'GET', '/_sim/requests');
  assert.ok(requests.json.every((r: { path: string }) => !r.path.includes('access_token')), 'tokens are not recorded');
  const tokens = await control(sim, 'GET', '/_sim/tokens');
  assert.ok(tokens.json.some((x: { token: string }) => x.token === t));
  assert.equal((await control(sim, 'POST', '/_sim/tokens/expire', { token: t })).count, 1);
  assert.equal((await send(msg('oB'), t)).errcode, 42001);
  await control(sim, 'DELETE', '/_sim/delivered');
  assert.equal(sim.delivered.length, 0);
  assert.equal((await control(sim, 'GET', '/_sim/nope')).status, 404);
  await control(sim, 'POST', '/_sim/reset', { empty: true });
  assert.equal((await control(sim, 'GET', '/_sim/state')).apps.length, 0);
  await control(sim, 'POST', '/_sim/reset');
  assert.equal((await control(sim, 'GET', '/_sim/state')).apps.length, 1);
});

test('faults apply per path and per count', async () => {
  sim.injectFault({ type: 'http', status: 502, path: '/cgi-bin/message/custom/send' });
  const t = await token(); // not affected: another path
  const res = await request(`${sim.url}/cgi-bin/message/custom/send?access_token=${t}`, { method: 'POST', body: JSON.stringify(msg(SIM_USERS.ready[0])) });
  assert.equal(res.statusCode, 502);
  await res.body.text();
  assert.equal((await send(msg(SIM_USERS.ready[0]), t)).errcode, 0, 'one request only');
  sim.injectFault({ type: 'text-plain' });
  const plain = await post(`/cgi-bin/message/custom/send?access_token=${t}`, msg(SIM_USERS.ready[0]));
  assert.equal(plain.type, 'text/plain');
  assert.equal(plain.json.errcode, 0);
});

test('listens on loopback only', async () => {
  await assert.rejects(Simulator.start({ host: '0.0.0.0' }), /loopback only/);
  const code = await runSimulate(['--host', '0.0.0.0'], { argv: [], cwd: EXAMPLES, env: {}, stdout: { write: () => true }, stderr: { write: () => true } }).catch((e: Error) => e.message);
  assert.match(String(code), /loopback/);
});

test('runSimulate in-process: --project takes app.json pages; stops on the stop signal', async () => {
  let out = '';
  let stop!: () => void;
  const stopped = new Promise<void>((r) => { stop = r; });
  const io = { argv: [], cwd: EXAMPLES, env: {}, stdout: { write: (s: string) => { out += s; if (out.includes('\n')) listening(); return true; } }, stderr: { write: () => true } };
  let listening!: () => void;
  const ready = new Promise<void>((r) => { listening = r; });
  const done = runSimulate(['--port', '0', '--project', '.', '--quiet'], io, stopped);
  await ready;
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1];
  const t = JSON.parse(await (await request(`${url}/cgi-bin/stable_token`, { method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid: APPID, secret: SIM_DEFAULT_SECRET }) })).body.text()).access_token;
  const form = new FormData();
  form.append('media', new Blob([PNG], { type: 'image/png' }), 'thumb.png');
  const thumb = JSON.parse(await (await request(`${url}/cgi-bin/media/upload?access_token=${t}&type=image`, { method: 'POST', body: form })).body.text()).media_id;
  const card = (pagepath: string) => JSON.stringify({ touser: SIM_USERS.ready[0], msgtype: 'miniprogrampage', miniprogrampage: { title: 't', pagepath, thumb_media_id: thumb } });
  const r1 = JSON.parse(await (await request(`${url}/cgi-bin/message/custom/send?access_token=${t}`, { method: 'POST', body: card('pages/missing/missing') })).body.text());
  answered.push(r1);
  assert.equal(r1.errcode, 40165);
  const r2 = JSON.parse(await (await request(`${url}/cgi-bin/message/custom/send?access_token=${t}`, { method: 'POST', body: card('packageA/pages/coupon/coupon?from=kf') })).body.text());
  assert.equal(r2.errcode, 0);
  stop();
  assert.equal(await done, 0);
});

test('`wxmsg simulate --port 0` as a process prints the listening line first and stops on SIGTERM', async () => {
  const main = path.resolve(__dirname, '..', 'server', 'src', 'main.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'simulate', '--port', '0'], { cwd: EXAMPLES, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  const m = /^wxmsg simulator listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(first);
  assert.ok(m, first);
  const state = JSON.parse(await (await request(`${m[1]}/_sim/state`)).body.text());
  assert.equal(state.apps[0].appid, APPID);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

// ---- token endpoints: every errcode of both ----

test('GET cgi-bin/token: 40002, 41002, 40013, 41004, 40001 (wrong secret, per the official page), then a token', async () => {
  const q = (params: Record<string, string>) => get(`${sim.url}/cgi-bin/token?${new URLSearchParams(params)}`);
  const ok = { grant_type: 'client_credential', appid: APPID, secret: SIM_DEFAULT_SECRET };
  assert.equal((await q({ ...ok, grant_type: 'authorization_code' })).errcode, 40002);
  assert.equal((await q({ grant_type: 'client_credential', secret: SIM_DEFAULT_SECRET })).errcode, 41002);
  assert.equal((await q({ ...ok, appid: 'wx0000000000000000' })).errcode, 40013);
  assert.equal((await q({ grant_type: 'client_credential', appid: APPID })).errcode, 41004);
  assert.equal((await q({ ...ok, secret: 'not-the-secret' })).errcode, 40001);
  const good = await q(ok);
  assert.equal(good.expires_in, 7200);
  assert.equal((await send(msg(SIM_USERS.ready[0]), good.access_token)).errcode, 0);
});

test('POST cgi-bin/stable_token: 41002 without appid, 41004 without secret', async () => {
  assert.equal((await post('/cgi-bin/stable_token', { grant_type: 'client_credential', secret: SIM_DEFAULT_SECRET })).json.errcode, 41002);
  assert.equal((await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APPID })).json.errcode, 41004);
});

test('token TTL: a token is valid up to its last millisecond, then 42001; unknown tokens 40001', async () => {
  const short = await Simulator.start({ tokenTtlSeconds: 60 });
  try {
    const call = async (route: string, body: unknown) => {
      const j = JSON.parse(await (await request(`${short.url}${route}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })).body.text());
      answered.push(j);
      return j;
    };
    await call('/_sim/clock', { freeze: true });
    const tok = await call('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APPID, secret: SIM_DEFAULT_SECRET });
    assert.equal(tok.expires_in, 60);
    const sendWith = (t: string) => call(`/cgi-bin/message/custom/send?access_token=${encodeURIComponent(t)}`, msg(SIM_USERS.ready[0]));
    await call('/_sim/clock', { advanceMs: 59_999 });
    assert.equal((await sendWith(tok.access_token)).errcode, 0);
    await call('/_sim/clock', { advanceMs: 1 });
    assert.equal((await sendWith(tok.access_token)).errcode, 42001, 'expired at exactly 60 s');
    assert.equal((await sendWith('x'.repeat(64))).errcode, 40001);
    // The expired stable token is replaced without force_refresh.
    const fresh = await call('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APPID, secret: SIM_DEFAULT_SECRET });
    assert.notEqual(fresh.access_token, tok.access_token);
    assert.equal((await sendWith(fresh.access_token)).errcode, 0);
  } finally {
    await short.close();
  }
});

// ---- delivery rules at their edges, through the control API's clock ----

const act = (openid: string, what: 'message' | 'enter', body: unknown = {}) => control(sim, 'POST', `/_sim/users/${encodeURIComponent(openid)}/${what}`, body);
const freeze = () => control(sim, 'POST', '/_sim/clock', { freeze: true });
const advance = (advanceMs: number) => control(sim, 'POST', '/_sim/clock', { advanceMs });

test('user sent a message: 5 within 48 h — the 5th at the last millisecond passes, a 6th is 45047; 1 ms later 45015', async () => {
  const u = 'oEdgeUserMessage000000000001';
  await control(sim, 'POST', '/_sim/users', { openid: u, action: 'none' });
  const t = await token();
  await freeze();
  assert.equal((await send(msg(u), t)).errcode, 45015, 'registered but never messaged');
  const r = await act(u, 'message');
  assert.equal(r.status, 200);
  assert.deepEqual([r.trigger, r.maxMessages, r.windowMs], ['user-message', 5, 48 * 3_600_000]);
  for (let i = 0; i < 4; i++) assert.equal((await send(msg(u), t)).errcode, 0);
  await advance(48 * 3_600_000);
  const t2 = await token(); // tokens live 2 h
  assert.equal((await send(msg(u), t2)).errcode, 0, 'exactly 48 h after: still within the window, 5th message');
  assert.equal((await send(msg(u), t2)).errcode, 45047, 'one past the quota');
  await advance(1);
  assert.equal((await send(msg(u), t2)).errcode, 45015, 'window closed');
  await act(u, 'message');
  assert.equal((await send(msg(u), await token())).errcode, 0, 'a new message opens a new window and quota');
});

test('user entered via the button: 2 within 1 minute — at 60 000 ms it passes, at 60 001 ms 45015; a 3rd is 45047', async () => {
  const u = SIM_USERS.silent;
  const t = await token();
  await freeze();
  await act(u, 'enter');
  await advance(59_999);
  assert.equal((await send(msg(u), t)).errcode, 0);
  await advance(1);
  assert.equal((await send(msg(u), t)).errcode, 0, 'exactly 1 minute after entering');
  assert.equal((await send(msg(u), t)).errcode, 45047, 'one past the quota of 2');
  await act(u, 'enter');
  await advance(60_001);
  assert.equal((await send(msg(u), t)).errcode, 45015, 'one millisecond past the window');
  // Entering through the button, then sending a message: the 48 h rule applies from the message.
  await act(u, 'enter');
  await act(u, 'message');
  await advance(120_000);
  assert.equal((await send(msg(u), t)).errcode, 0);
});

test('user actions: unknown users are 404, another app needs its appid, /__sim/ is an alias of /_sim/', async () => {
  assert.equal((await act('oNobodyKnowsMe00000000000001', 'message')).status, 404);
  assert.equal((await control(sim, 'POST', '/_sim/users/%E0%A4%A/enter', {})).status, 400);
  await control(sim, 'POST', '/_sim/apps', { appid: 'wxabcdefabcdefabcd', secret: 's2' });
  await control(sim, 'POST', '/_sim/users', { appid: 'wxabcdefabcdefabcd', openid: 'oOther', action: 'none' });
  assert.equal((await act('oOther', 'enter')).status, 404, 'default app');
  assert.equal((await act('oOther', 'enter', { appid: 'wxabcdefabcdefabcd' })).status, 200);
  assert.equal((await send(msg('oOther'), await token('wxabcdefabcdefabcd', 's2'))).errcode, 0);
  const alias = await control(sim, 'POST', `/__sim/users/${SIM_USERS.silent}/message`, {});
  assert.equal(alias.status, 200);
  assert.equal((await send(msg(SIM_USERS.silent))).errcode, 0);
  assert.equal((await control(sim, 'GET', '/__sim/state')).users.length, 7);
  assert.equal((await control(sim, 'POST', '/_sim/clock', {})).status, 400);
  assert.equal((await control(sim, 'POST', '/_sim/clock', { freeze: 'yes' })).status, 400);
});

test('quotas and windows changed (control API and constructor options) move the edges with them', async () => {
  const t = await token();
  await freeze();
  await control(sim, 'POST', '/_sim/rules', { 'enter-session': { maxMessages: 1, windowMs: 30_000 }, 'user-message': { maxMessages: 3, windowMs: 7_200_000 } });
  await act(SIM_USERS.silent, 'enter');
  await advance(30_000);
  assert.equal((await send(msg(SIM_USERS.silent), t)).errcode, 0);
  assert.equal((await send(msg(SIM_USERS.silent), t)).errcode, 45047);
  await act(SIM_USERS.silent, 'message');
  await advance(7_200_000);
  const t2 = await token(); // the first one lived 2 h too
  for (let i = 0; i < 3; i++) assert.equal((await send(msg(SIM_USERS.silent), t2)).errcode, 0);
  assert.equal((await send(msg(SIM_USERS.silent), t2)).errcode, 45047);
  await act(SIM_USERS.silent, 'message');
  await advance(7_200_001);
  assert.equal((await send(msg(SIM_USERS.silent), await token())).errcode, 45015);

  // The seed's older value (1 after entering) as a start option; reset keeps it.
  const seed = await Simulator.start({ rules: { 'enter-session': { maxMessages: 1 } } });
  try {
    for (let round = 0; round < 2; round++) {
      const tok = (await control(seed, 'POST', '/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APPID, secret: SIM_DEFAULT_SECRET })).access_token;
      const s1 = await control(seed, 'POST', `/cgi-bin/message/custom/send?access_token=${tok}`, msg(SIM_USERS.entered));
      const s2 = await control(seed, 'POST', `/cgi-bin/message/custom/send?access_token=${tok}`, msg(SIM_USERS.entered));
      answered.push(s1.json, s2.json);
      assert.deepEqual([s1.errcode, s2.errcode], [0, 45047]);
      await control(seed, 'POST', '/_sim/reset');
    }
  } finally {
    await seed.close();
  }
});

// ---- media ----

async function upload(tok: string, data: Buffer = PNG): Promise<any> {
  const form = new FormData();
  form.append('media', new Blob([data], { type: 'image/png' }), 'a.png');
  const j = JSON.parse(await (await request(`${sim.url}/cgi-bin/media/upload?access_token=${tok}&type=image`, { method: 'POST', body: form })).body.text());
  answered.push(j);
  return j;
}

test('media_ids: only ones this simulator issued (to this app, within 3 days) are valid for image and thumb_media_id', async () => {
  const t = await token();
  const u = SIM_USERS.ready[0];
  const image = (id: string) => ({ touser: u, msgtype: 'image', image: { media_id: id } });
  const card = (id: string) => ({ touser: u, msgtype: 'miniprogrampage', miniprogrampage: { title: 't', pagepath: 'pages/index/index', thumb_media_id: id } });
  assert.equal((await send(image('MEDIA_ID'), t)).errcode, 40007);
  assert.equal((await send(card('THUMB_MEDIA_ID'), t)).errcode, 40007);
  assert.equal((await send(image(''), t)).errcode, 41006);
  await freeze();
  const up = await upload(t);
  assert.equal(typeof up.created_at, 'number');
  assert.equal((await send(image(up.media_id), t)).errcode, 0);
  assert.equal((await send(card(up.media_id), t)).errcode, 0);
  await control(sim, 'POST', '/_sim/apps', { appid: 'wxabcdefabcdefabcd', secret: 's2', checkMedia: true });
  await control(sim, 'POST', '/_sim/users', { appid: 'wxabcdefabcdefabcd', openid: u });
  assert.equal((await send(image(up.media_id), await token('wxabcdefabcdefabcd', 's2'))).errcode, 40007, 'another app\'s media_id');
  await advance(3 * 86_400_000);
  await control(sim, 'POST', `/_sim/users/${u}/message`, {});
  const t2 = await token();
  assert.equal((await send(image(up.media_id), t2)).errcode, 0, 'exactly 3 days old');
  await advance(1);
  assert.equal((await send(image(up.media_id), t2)).errcode, 40007, 'expired temporary media');
});

test('payload checks: no invented 45002 for text over 2048 bytes (no documented limit); link needs thumb_url', async () => {
  const t = await token();
  const u = SIM_USERS.ready[0];
  assert.equal((await send({ touser: u, msgtype: 'text', text: { content: 'x'.repeat(LIMITS.contentBytes + 1) } }, t)).errcode, 0, 'one byte over the lint warning limit');
  assert.equal((await send({ touser: u, msgtype: 'text', text: { content: '你'.repeat(LIMITS.contentBytes) } }, t)).errcode, 0, 'three times the limit in UTF-8 bytes');
  assert.equal((sim.delivered.at(-1)!.payload.text as { content: string }).content.length, LIMITS.contentBytes, 'delivered whole, not truncated');
  assert.equal((await send({ touser: u, msgtype: 'link', link: { title: 't', description: 'd', url: 'https://e.com' } }, t)).errcode, 47001);
  assert.equal((await send({ touser: u, msgtype: 'link', link: { title: 't', description: 'd', url: 'https://e.com', thumb_url: 'https://e.com/a.png' } }, t)).errcode, 0);
});

// ---- faults named by the issue ----

test('faults: errcode -1 for the next N calls, HTTP 500, non-JSON body, connection reset, latency', async () => {
  const t = await token();
  const u = SIM_USERS.ready[0];
  await control(sim, 'POST', '/_sim/faults', { type: 'errcode', times: 2, path: '/cgi-bin/message/custom/send' });
  const busy = await send(msg(u), t);
  assert.equal(busy.errcode, -1);
  assert.equal((await send(msg(u), t)).errcode, -1);
  assert.equal((await send(msg(u), t)).errcode, 0, 'only two calls');
  await control(sim, 'POST', '/_sim/faults', { type: 'http' });
  const http500 = await post(`/cgi-bin/message/custom/send?access_token=${t}`, msg(u));
  assert.equal(http500.status, 500);
  await control(sim, 'POST', '/_sim/faults', { type: 'non-json' });
  const html = await post(`/cgi-bin/message/custom/send?access_token=${t}`, msg(u));
  assert.equal(typeof html.json, 'string');
  assert.match(html.type, /text\/html/);
  await control(sim, 'POST', '/_sim/faults', { type: 'reset', when: 'before-headers' });
  await assert.rejects(request(`${sim.url}/cgi-bin/message/custom/send?access_token=${t}`, { method: 'POST', body: JSON.stringify(msg(u)) }));
  await control(sim, 'POST', '/_sim/faults', { type: 'delay', ms: 20 });
  assert.equal((await send(msg(u), t)).errcode, 0, 'answers after the delay');
  // The reset request was processed before the connection dropped: delivery happened, unknown to the caller.
  assert.equal(sim.delivered.length, 3);
});

// ---- allowances do not add up (issue 16): remaining := max(remaining, quota), deadline := max(deadline, now + window) ----

const H48 = 48 * 3_600_000;
/** Sends `n` messages and returns their errcodes. */
async function sendN(u: string, n: number, t: string): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < n; i++) codes.push((await send(msg(u), t)).errcode);
  return codes;
}

test('the user messaged (5 in 48 h), nothing sent, then enters: 5 left until the 48 h deadline, not 2 within a minute', async () => {
  const u = SIM_USERS.silent;
  await freeze();
  await act(u, 'message');
  await advance(3_600_000);
  const entered = await act(u, 'enter');
  assert.deepEqual([entered.remaining, entered.until - (await control(sim, 'GET', '/_sim/state')).now], [5, H48 - 3_600_000]);
  await advance(120_000); // past the button's own 1-minute window
  const t = await token();
  assert.deepEqual(await sendN(u, 5, t), [0, 0, 0, 0, 0]);
  assert.equal((await send(msg(u), t)).errcode, 45047, 'a 6th: the allowances did not add up to 7');
});

test('the user messaged, 4 were sent, then the user enters: 2 left until the 48 h deadline', async () => {
  const u = SIM_USERS.silent;
  await freeze();
  await act(u, 'message');
  assert.deepEqual(await sendN(u, 4, await token()), [0, 0, 0, 0]);
  await advance(H48 - 60_000);
  const entered = await act(u, 'enter');
  assert.equal(entered.remaining, 2, 'max(1 left, 2 for entering)');
  await advance(60_000); // exactly 48 h after the message, exactly 1 minute after entering
  const t = await token();
  assert.deepEqual(await sendN(u, 3, t), [0, 0, 45047]);
  await act(u, 'enter'); // the same again, then past both deadlines by 1 ms
  await advance(60_001);
  assert.equal((await send(msg(u), t)).errcode, 45015);
});

test('allowances at their edges: the deadline is the later one, a lapsed allowance carries nothing over, changed rules still apply', async () => {
  const u = SIM_USERS.silent;
  const t = async () => token();
  await freeze();
  // Entered (2 in 1 min), 1 sent, then messages: max(1, 5) = 5 until 48 h after the message.
  await act(u, 'enter');
  assert.deepEqual(await sendN(u, 1, await t()), [0]);
  await advance(30_000);
  await act(u, 'message');
  await advance(H48);
  assert.deepEqual(await sendN(u, 6, await t()), [0, 0, 0, 0, 0, 45047], 'at exactly 48 h: 5, not 5 + 1');
  await advance(1);
  assert.equal((await send(msg(u), await t())).errcode, 45015);

  // Entering twice: the window is the later one, the quota is not 2 + 2.
  await act(u, 'enter');
  assert.deepEqual(await sendN(u, 2, await t()), [0, 0]);
  await advance(30_000);
  await act(u, 'enter');
  await advance(60_000); // 90 s after the first entry, 60 s after the second
  assert.deepEqual(await sendN(u, 3, await t()), [0, 0, 45047]);
  await advance(1);
  assert.equal((await send(msg(u), await t())).errcode, 45015);

  // A message 49 h ago left 5 unused, but its window closed: entering now gives 2 within 1 minute.
  await act(u, 'message', { agoMs: H48 + 3_600_000 });
  const late = await act(u, 'enter');
  assert.equal(late.remaining, 2);
  assert.deepEqual(await sendN(u, 3, await t()), [0, 0, 45047]);
  // One millisecond before the old window closed, it still counted: 5 left.
  await act(u, 'message', { agoMs: H48 });
  await act(u, 'enter');
  assert.equal((await control(sim, 'GET', '/_sim/state')).users.find((x: { openid: string }) => x.openid === u).remaining, 5);

  // Rules changed after the action apply to it (the e2e suite relies on this).
  await control(sim, 'POST', '/_sim/rules', { 'user-message': { maxMessages: 2 } });
  assert.deepEqual(await sendN(u, 3, await t()), [0, 0, 45047], 'max(2 - 0, 2 - 0)');
});

test('deliveryRules: allowance / userAction / recordSend as pure functions (the one model the simulator uses)', () => {
  let g = userAction({}, 'user-message', 0);
  assert.deepEqual(allowance(g, 0), { remaining: 5, deadline: H48, open: true });
  for (let i = 0; i < 4; i++) g = recordSend(g);
  g = userAction(g, 'enter-session', 1000);
  assert.deepEqual(allowance(g, 1000), { remaining: 2, deadline: H48, open: true });
  assert.deepEqual(allowance(g, H48 + 1), { remaining: 0, deadline: H48, open: false });
  assert.deepEqual(allowance({}, 0), { remaining: 0, deadline: undefined, open: false });
  // Numbers from a setting: quota 1 after entering, a 10-minute window.
  const rules = withOverrides({ 'enter-session': { maxMessages: 1, windowMs: 600_000 } });
  const e = userAction(userAction({}, 'enter-session', 0, rules), 'enter-session', 500_000, rules);
  assert.deepEqual(allowance(e, 1_100_000, rules), { remaining: 1, deadline: 1_100_000, open: true });
});

// ---- answers as the real API gives them (issue 16) ----

test('a wrong method on an API route is HTTP 200 with 43002; an unknown /cgi-bin/ path is HTTP 200 JSON with 40066', async () => {
  const t = await token();
  const call = async (method: 'GET' | 'PUT' | 'DELETE' | 'POST', route: string) => {
    const res = await request(`${sim.url}${route}`, { method, ...(method === 'GET' || method === 'DELETE' ? {} : { body: JSON.stringify(msg(SIM_USERS.ready[0])), headers: { 'content-type': 'application/json' } }) });
    const text = await res.body.text();
    assert.equal(res.statusCode, 200, `${method} ${route}`);
    assert.match(String(res.headers['content-type']), /application\/json/);
    const j = JSON.parse(text);
    answered.push(j);
    return j.errcode;
  };
  assert.equal(await call('GET', `/cgi-bin/message/custom/send?access_token=${t}`), 43002);
  assert.equal(await call('PUT', `/cgi-bin/message/custom/send?access_token=${t}`), 43002);
  assert.equal(await call('GET', '/cgi-bin/stable_token'), 43002);
  assert.equal(await call('DELETE', `/cgi-bin/media/upload?access_token=${t}&type=image`), 43002);
  assert.equal(sim.delivered.length, 0);
  assert.equal(await call('POST', `/cgi-bin/message/custom/send?access_token=${t}`), 0, 'the same request as POST');
  assert.equal(await call('POST', `/cgi-bin/message/custom/sendx?access_token=${t}`), 40066);
  assert.equal(await call('GET', '/cgi-bin/tokens'), 40066);
  assert.equal(await call('POST', '/cgi-bin/'), 40066);
  const outside = await request(`${sim.url}/cgi-binx/token`);
  assert.equal(outside.statusCode, 404, 'outside /cgi-bin/ the simulator is a plain web server');
  await outside.body.text();
});

test('send: a form-encoded body is 40003 (as users report); \\uXXXX escapes are plain JSON and accepted', async () => {
  const t = await token();
  const u = SIM_USERS.ready[0];
  const raw = async (body: string): Promise<number> => (await post(`/cgi-bin/message/custom/send?access_token=${t}`, body, true)).json.errcode;
  assert.equal(await raw(`touser=${u}&msgtype=text&text=hi`), 40003);
  assert.equal(await raw(`touser=${u}`), 40003);
  assert.equal(await raw(`{"touser":"${u}"`), 47001, 'broken JSON is not a form');
  assert.equal(await raw('touser'), 47001, 'no key=value pair: not a form either');
  assert.equal(sim.delivered.length, 0);
  // What `curl -d '{…}'` does: JSON with a form content type. WeChat reads the body as JSON.
  const curlStyle = await request(`${sim.url}/cgi-bin/message/custom/send?access_token=${t}`, { method: 'POST', body: JSON.stringify(msg(u)), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(JSON.parse(await curlStyle.body.text()).errcode, 0);
  const escaped = `{"touser":"${u}","msgtype":"text","text":{"content":"\\u4f60\\u597d \\ud83d\\ude00"}}`;
  assert.ok(escaped.includes('\\u4f60'));
  assert.equal(await raw(escaped), 0);
  assert.equal((sim.delivered.at(-1)!.payload.text as { content: string }).content, '你好 😀');
});

test('media/upload answers errcode 0 / "ok" with the media fields; an empty file is 44001', async () => {
  const t = await token();
  const ok = await upload(t);
  assert.deepEqual([ok.errcode, ok.errmsg, ok.type], [0, 'ok', 'image']);
  assert.equal(typeof ok.media_id, 'string');
  assert.equal((await upload(t, Buffer.alloc(0))).errcode, 44001);
  assert.equal((await upload(t, Buffer.from([0x89]))).errcode, 40004, 'one byte is not empty: not an image');
  assert.equal((await control(sim, 'GET', '/_sim/media')).json.length, 1);
});

test('media_ids are 64 characters and access tokens about 136, as real ones', async () => {
  const stable = await token();
  const plain = (await get(`${sim.url}/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SIM_DEFAULT_SECRET}`)).access_token;
  const media = (await upload(stable)).media_id;
  assert.match(media, /^[A-Za-z0-9_-]{64}$/);
  for (const tok of [stable, plain]) assert.match(tok, /^[A-Za-z0-9_-]{136}$/);
  assert.equal((await send({ touser: SIM_USERS.ready[0], msgtype: 'image', image: { media_id: media.slice(0, 32) } }, stable)).errcode, 40007, 'a truncated media_id (a short column) fails');
  assert.equal((await send(msg(SIM_USERS.ready[0]), stable.slice(0, 64))).errcode, 40001, 'so does a truncated token');
});

test('errmsg is the catalog\'s English text with " rid: …", never a hint of ours', async () => {
  const t = await token();
  for (const payload of [{ msgtype: 'text', text: { content: 'x' } }, { touser: SIM_USERS.ready[0], msgtype: 'text' }, { touser: SIM_USERS.ready[0], msgtype: 'link', link: { title: 't' } }]) {
    const r = await send(payload, t);
    assert.equal(r.errcode, 47001);
    assert.match(r.errmsg, /^data format error rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
  }
});

// ---- wxmsg simulate flags ----

const noIO = () => {
  let out = '';
  let err = '';
  return { io: { argv: [], cwd: EXAMPLES, env: {}, stdout: { write: (s: string) => { out += s; return true; } }, stderr: { write: (s: string) => { err += s; return true; } } }, out: () => out, err: () => err };
};

test('wxmsg simulate: bad flags are usage errors (exit 2) that name the flag and never echo --secret', async () => {
  const cases: [string[], RegExp][] = [
    [['--appid', 'wx123'], /--appid needs a mini program appid/],
    [['--secret', ''], /--secret is empty/],
    [['--secret', 'has a space'], /--secret must be/],
    [['--quota-enter-session', 'two'], /--quota-enter-session needs a message count/],
    [['--quota-user-message', '-1'], /--quota-user-message/],
    [['--quota-user-message', '1000001'], /--quota-user-message needs a message count from 0 to 1000000/],
    [['--window-user-message', '48'], /--window-user-message needs a duration with a unit/],
    [['--window-enter-session', '0s'], /--window-enter-session/],
    [['--window-enter-session', '400d'], /--window-enter-session/],
    [['--token-ttl', '0'], /--token-ttl needs seconds/],
    [['--token-ttl', '1.5'], /--token-ttl/],
    [['--quota'], /Unknown option '--quota'/],
    [['--port', '70000'], /--port/],
  ];
  for (const [args, message] of cases) {
    const { io, out, err } = noIO();
    const code = await runCli({ ...io, argv: ['simulate', ...args] });
    assert.equal(code, 2, args.join(' '));
    assert.match(err(), message);
    assert.equal(out(), '');
  }
  const { io, err } = noIO();
  assert.equal(await runCli({ ...io, argv: ['simulate', '--secret', 'Hunter2 secret'] }), 2);
  assert.ok(!err().includes('Hunter2'), 'the secret is not printed');
  const help = noIO();
  assert.equal(await runCli({ ...help.io, argv: ['simulate', '--help'] }), 0);
  for (const flag of ['--appid', '--secret', '--quota-enter-session', '--window-enter-session', '--quota-user-message', '--window-user-message', '--token-ttl', '/_sim/users/<openid>/enter']) {
    assert.ok(help.out().includes(flag), `help names ${flag}`);
  }
  assert.ok(!help.out().includes('/__sim/state'), 'the help shows the canonical prefix');
  assert.equal(parseDuration('90s', '--x'), 90_000);
  assert.equal(parseDuration('48h', '--x'), 48 * 3_600_000);
  assert.equal(parseDuration('1500ms', '--x'), 1500);
  assert.equal(parseDuration('2d', '--x'), 2 * 86_400_000);
  assert.equal(parseDuration('1m', '--x'), 60_000);
});

test('wxmsg simulate --appid --secret --quota-… --window-… --token-ttl: the simulator follows them; the secret is not printed', async () => {
  const appid = 'wxfedcba9876543210';
  const secret = 'made-up-secret-for-this-test-0001';
  const { io, out } = noIO();
  let listening!: () => void;
  const ready = new Promise<void>((r) => { listening = r; });
  const io2 = { ...io, stdout: { write: (s: string) => { io.stdout.write(s); if (out().includes('control')) listening(); return true; } } };
  let stop!: () => void;
  const stopped = new Promise<void>((r) => { stop = r; });
  const done = runSimulate(['--port', '0', '--quiet', '--appid', appid, '--secret', secret, '--quota-user-message', '2', '--window-user-message', '2h',
    '--quota-enter-session', '1', '--window-enter-session', '90s', '--token-ttl', '30'], io2, stopped);
  await ready;
  try {
    assert.ok(!out().includes(secret), 'the custom secret is not printed');
    assert.match(out(), /app {6}wxfedcba9876543210 \(the AppSecret given with --secret \(not shown\)\)/);
    assert.match(out(), /rules {4}.*1 message within 90 seconds; .*2 messages within 2 hours \(changed by flags\)/);
    assert.match(out(), /--appid wxfedcba9876543210/);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out())![1];
    const q = (s: string) => get(`${url}/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=${encodeURIComponent(s)}`);
    assert.equal((await q(SIM_DEFAULT_SECRET)).errcode, 40001, 'the test secret is replaced');
    assert.equal((await get(`${url}/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SIM_DEFAULT_SECRET}`)).errcode, 40013, 'the default appid is replaced');
    const tok = await q(secret);
    assert.equal(tok.expires_in, 30);
    const state = JSON.parse(await (await request(`${url}/_sim/state`)).body.text());
    assert.deepEqual(state.rules.map((r: { trigger: string; maxMessages: number; windowMs: number }) => [r.trigger, r.maxMessages, r.windowMs]), [['enter-session', 1, 90_000], ['user-message', 2, 7_200_000]]);
    assert.ok(!JSON.stringify(state).includes(secret), 'the state does not expose the secret');
    const s = async () => {
      const j = JSON.parse(await (await request(`${url}/cgi-bin/message/custom/send?access_token=${tok.access_token}`, { method: 'POST', body: JSON.stringify(msg(SIM_USERS.ready[0])) })).body.text());
      answered.push(j);
      return j.errcode;
    };
    assert.deepEqual([await s(), await s(), await s()], [0, 0, 45047]);
    await request(`${url}/_sim/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 30_000 }), headers: { 'content-type': 'application/json' } }).then((r) => r.body.text());
    assert.equal(await s(), 42001, 'the token lived 30 s');
  } finally {
    stop();
  }
  assert.equal(await done, 0);
});

// ---- the simulator as a local server (issue 13) ----

/** A request with headers undici would not let us forge (Host), through node:http. */
function rawRequest(s: Simulator, method: string, route: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    // An empty host means none at all (an HTTP/1.0 client).
    const { host, ...rest } = headers;
    const all = { ...rest, ...(host ? { host } : {}), ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) };
    const req = http.request({ host: '127.0.0.1', port: s.port, method, path: route, setHost: false, headers: all }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('Host: only 127.0.0.1, localhost or [::1] with the simulator\'s own port are answered (DNS rebinding)', async () => {
  const p = sim.port;
  const reset = JSON.stringify({ empty: true });
  const json = { 'content-type': 'application/json' };
  for (const host of [`evil.example:${p}`, `127.0.0.1:${p + 1}`, 'localhost', `localhost.evil.example:${p}`, `127.0.0.1.nip.io:${p}`, `[::2]:${p}`, `localhost:${p}0`]) {
    const r = await rawRequest(sim, 'POST', '/_sim/reset', { ...json, host }, reset);
    assert.equal(r.status, 403, `Host ${JSON.stringify(host)}`);
    assert.match(JSON.parse(r.text).error, /answers only Host/);
    const api = await rawRequest(sim, 'GET', `/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SIM_DEFAULT_SECRET}`, { host });
    assert.equal(api.status, 403, `API route, Host ${JSON.stringify(host)}`);
  }
  // No Host at all: Node's HTTP/1.1 server answers 400 before the simulator sees it.
  assert.equal((await rawRequest(sim, 'POST', '/_sim/reset', { ...json, host: '' }, reset)).status, 400);
  assert.equal((await control(sim, 'GET', '/_sim/state')).apps.length, 1, 'nothing was reset');
  assert.equal(sim.requests.length, 0, 'refused requests are not processed');
  for (const host of [`127.0.0.1:${p}`, `localhost:${p}`, `LOCALHOST:${p}`, `[::1]:${p}`]) {
    const r = await rawRequest(sim, 'GET', '/_sim/state', { host });
    assert.equal(r.status, 200, `Host ${host}`);
  }
  // A program (never the CLI) may add names, e.g. api.weixin.qq.com behind a TLS front in tests.
  assert.equal((await rawRequest(sim, 'GET', '/_sim/state', { host: 'api.weixin.qq.com' })).status, 403);
  const fronted = await Simulator.start({ hosts: ['api.weixin.qq.com'] });
  try {
    assert.equal((await rawRequest(fronted, 'GET', '/_sim/state', { host: 'api.weixin.qq.com' })).status, 200);
    assert.equal((await rawRequest(fronted, 'GET', '/_sim/state', { host: 'api.weixin.qq.com.evil.example' })).status, 403);
  } finally {
    await fronted.close();
  }
});

test('control routes refuse cross-site requests: a foreign Origin, Sec-Fetch-Site cross-site, a POST that is not application/json', async () => {
  const p = sim.port;
  const host = `127.0.0.1:${p}`;
  const fault = JSON.stringify({ type: 'errcode', errcode: 48001, times: -1 });
  const cases: [Record<string, string>, number][] = [
    [{ 'content-type': 'application/json', origin: 'http://evil.example' }, 403],
    [{ 'content-type': 'application/json', origin: 'null' }, 403],
    [{ 'content-type': 'application/json', origin: `http://127.0.0.1:${p + 1}` }, 403],
    [{ 'content-type': 'application/json', origin: `https://127.0.0.1:${p}` }, 403],
    [{ 'content-type': 'application/json', origin: `http://localhost:${p}.evil.example` }, 403],
    [{ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }, 403],
    [{ 'content-type': 'text/plain' }, 415],
    [{ 'content-type': 'application/x-www-form-urlencoded' }, 415],
    [{ 'content-type': 'multipart/form-data; boundary=x' }, 415],
    [{ 'content-type': 'application/jsonp' }, 415],
    [{}, 415],
  ];
  for (const [headers, status] of cases) {
    const r = await rawRequest(sim, 'POST', '/_sim/faults', { ...headers, host }, fault);
    assert.equal(r.status, status, JSON.stringify(headers));
  }
  assert.equal((await control(sim, 'GET', '/_sim/state')).faults.length, 0, 'no fault was queued');
  // The simulator's own origin, same-origin fetches and curl (no Origin) pass.
  for (const headers of [{ 'content-type': 'application/json', origin: `http://localhost:${p}` } as Record<string, string>, { 'content-type': 'application/json; charset=utf-8', 'sec-fetch-site': 'same-origin' }, { 'content-type': 'Application/JSON' }]) {
    assert.equal((await rawRequest(sim, 'POST', '/_sim/faults', { ...headers, host }, fault)).status, 200, JSON.stringify(headers));
  }
  assert.equal((await rawRequest(sim, 'DELETE', '/_sim/faults', { host })).status, 200, 'DELETE needs no body type');
  assert.equal((await rawRequest(sim, 'DELETE', '/_sim/faults', { host, origin: 'http://evil.example' })).status, 403);
  // API routes are WeChat's: they ignore Origin, as WeChat does (a token is needed anyway).
  const api = await rawRequest(sim, 'GET', `/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SIM_DEFAULT_SECRET}`, { host, origin: 'http://evil.example' });
  assert.equal(api.status, 200);
});

test('bounds: delivered, requests, media and tokens are rings; users, apps and faults have caps (SIM_LIMITS)', async () => {
  await control(sim, 'POST', '/_sim/rules', { 'user-message': { maxMessages: 100_000 } });
  const t = await token();
  const u = SIM_USERS.ready[0];
  for (let i = 0; i < SIM_LIMITS.delivered + 5; i++) {
    const r = await request(`${sim.url}/cgi-bin/message/custom/send?access_token=${t}`, { method: 'POST', body: JSON.stringify({ touser: u, msgtype: 'text', text: { content: `n${i}` } }) });
    await r.body.text();
  }
  assert.equal(sim.delivered.length, SIM_LIMITS.delivered);
  assert.equal((sim.delivered[0].payload.text as { content: string }).content, 'n5', 'the oldest 5 went');
  assert.equal(sim.requests.length, SIM_LIMITS.requests);
  const state = await control(sim, 'GET', '/_sim/state');
  assert.deepEqual([state.delivered, state.dropped.delivered, state.limits.delivered], [SIM_LIMITS.delivered, 5, SIM_LIMITS.delivered]);
  assert.ok(state.dropped.requests >= 5);

  // Bytes too: big messages push old ones out before the count does.
  await control(sim, 'DELETE', '/_sim/delivered');
  const big = 'x'.repeat(SIM_LIMITS.body - 200);
  const bigBody = JSON.stringify({ touser: u, msgtype: 'text', text: { content: big } });
  const n = Math.floor(SIM_LIMITS.deliveredBytes / Buffer.byteLength(bigBody));
  for (let i = 0; i < n + 2; i++) assert.equal((await send({ touser: u, msgtype: 'text', text: { content: big } }, t)).errcode, 0);
  assert.equal(sim.delivered.length, n);
  // A body one byte over the limit is refused (413); at the limit it is read.
  const at = JSON.stringify({ touser: u, msgtype: 'text', text: { content: '' } });
  const pad = (len: number) => at.replace('"content":""', `"content":"${'y'.repeat(len - Buffer.byteLength(at))}"`);
  const sized = async (len: number) => {
    const r = await request(`${sim.url}/cgi-bin/message/custom/send?access_token=${t}`, { method: 'POST', body: pad(len) });
    await r.body.text();
    return r.statusCode;
  };
  assert.equal(await sized(SIM_LIMITS.body), 200);
  assert.equal(await sized(SIM_LIMITS.body + 1), 413);
  const ctl = await request(`${sim.url}/_sim/users`, { method: 'POST', body: JSON.stringify({ openid: 'o', pad: 'z'.repeat(SIM_LIMITS.body) }), headers: { 'content-type': 'application/json' } });
  assert.equal(ctl.statusCode, 413);
  await ctl.body.text();

  // Users: a batch that would pass the cap adds nobody; up to the cap is fine.
  const have = (await control(sim, 'GET', '/_sim/state')).users.length;
  const ids = (k: number, prefix: string) => Array.from({ length: k }, (_, i) => `${prefix}${String(i).padStart(20, '0')}`);
  const over = await control(sim, 'POST', '/_sim/users', { openids: ids(SIM_LIMITS.users - have + 1, 'oOver') });
  assert.equal(over.status, 400);
  assert.match(over.error, /at most 10000 users/);
  assert.equal((await control(sim, 'GET', '/_sim/state')).users.length, have, 'all or nothing');
  assert.equal((await control(sim, 'POST', '/_sim/users', { openids: ids(SIM_LIMITS.users - have, 'oFill') })).status, 200);
  assert.equal((await control(sim, 'POST', '/_sim/users', { openid: 'oOneTooMany' })).status, 400);
  assert.equal((await control(sim, 'POST', '/_sim/users', { openid: 'oFill00000000000000000000' })).status, 200, 'an existing user is updated, not added');

  // Apps and faults.
  for (let i = 1; i < SIM_LIMITS.apps; i++) assert.equal((await control(sim, 'POST', '/_sim/apps', { appid: `wx${String(i).padStart(16, '0')}`, secret: 's' })).status, 200);
  assert.equal((await control(sim, 'POST', '/_sim/apps', { appid: 'wxffffffffffffffff', secret: 's' })).status, 400);
  assert.equal((await control(sim, 'POST', '/_sim/apps', { appid: APPID, secret: SIM_DEFAULT_SECRET })).status, 200, 'replacing an app is fine');
  for (let i = 0; i < SIM_LIMITS.faults; i++) assert.equal((await control(sim, 'POST', '/_sim/faults', { type: 'delay', ms: 1, path: '/nowhere' })).status, 200);
  assert.equal((await control(sim, 'POST', '/_sim/faults', { type: 'delay', ms: 1, path: '/nowhere' })).status, 400);
  await control(sim, 'POST', '/_sim/reset');
  assert.equal((await control(sim, 'GET', '/_sim/state')).users.length, 6, 'reset frees the caps');
});

test('bounds: issued tokens keep the newest (the oldest answers 40001, the current stable token stays); media is a ring', async () => {
  const stable = await token();
  const url = `${sim.url}/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SIM_DEFAULT_SECRET}`;
  const first = (await get(url)).access_token;
  let last = '';
  for (let i = 0; i < SIM_LIMITS.tokens; i++) last = JSON.parse(await (await request(url)).body.text()).access_token;
  assert.equal(sim.issuedTokens().length, SIM_LIMITS.tokens);
  assert.equal((await send(msg(SIM_USERS.ready[0]), first)).errcode, 40001, 'dropped');
  assert.equal((await send(msg(SIM_USERS.ready[0]), stable)).errcode, 0, 'the oldest, but the current stable token');
  assert.equal((await send(msg(SIM_USERS.ready[0]), last)).errcode, 0);
  let firstMedia = '';
  for (let i = 0; i <= SIM_LIMITS.media; i++) {
    const m = await upload(stable);
    if (i === 0) firstMedia = m.media_id;
  }
  assert.equal(sim.media.length, SIM_LIMITS.media);
  assert.equal((await send({ touser: SIM_USERS.ready[1], msgtype: 'image', image: { media_id: firstMedia } }, stable)).errcode, 40007, 'the oldest upload was dropped');
  assert.equal((await control(sim, 'GET', '/_sim/state')).dropped.media, 1);

  // Files kept for media/get are bounded by bytes too: big uploads push the oldest out.
  await control(sim, 'POST', '/_sim/reset');
  const t = await token();
  const big = Buffer.alloc(10 * 1024 * 1024);
  PNG.copy(big);
  const fit = Math.floor(SIM_LIMITS.mediaBytes / big.length);
  const ids: string[] = [];
  for (let i = 0; i <= fit; i++) ids.push((await upload(t, big)).media_id);
  assert.equal(sim.media.length, fit);
  const fetchMedia = async (id: string) => {
    const r = await request(`${sim.url}/cgi-bin/media/get?access_token=${t}&media_id=${id}`);
    const body = Buffer.from(await r.body.arrayBuffer());
    return String(r.headers['content-type']).startsWith('image/') ? body.length : JSON.parse(body.toString()).errcode;
  };
  assert.equal(await fetchMedia(ids[0]), 40007, 'the oldest file went');
  assert.equal(await fetchMedia(ids[1]), big.length);
});

test('wxmsg simulate takes the secret from WXMSG_SIM_SECRET (argv shows in ps); with --secret too it is a usage error', async () => {
  const secret = 'made-up-secret-from-the-environment-01';
  const { io, out, err } = noIO();
  let listening!: () => void;
  const ready = new Promise<void>((r) => { listening = r; });
  let stop!: () => void;
  const stopped = new Promise<void>((r) => { stop = r; });
  const io2 = { ...io, env: { WXMSG_SIM_SECRET: secret }, stdout: { write: (s: string) => { io.stdout.write(s); if (out().includes('control')) listening(); return true; } } };
  const done = runSimulate(['--port', '0', '--quiet'], io2, stopped);
  await Promise.race([ready, done.then((code) => { throw new Error(`simulate exited ${code}`); })]);
  try {
    assert.ok(!(out() + err()).includes(secret), 'never printed');
    assert.match(out(), /the AppSecret given with WXMSG_SIM_SECRET \(not shown\)/);
    assert.match(out(), /WXMSG_APPSECRET="\$WXMSG_SIM_SECRET" wxmsg send/);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out())![1];
    const q = (s: string) => get(`${url}/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${encodeURIComponent(s)}`);
    assert.equal((await q(SIM_DEFAULT_SECRET)).errcode, 40001, 'the test secret is replaced');
    assert.equal(typeof (await q(secret)).access_token, 'string');
  } finally {
    stop();
  }
  assert.equal(await done, 0);
  for (const [env, args, message] of [
    [{ WXMSG_SIM_SECRET: secret }, ['--secret', 'another-made-up-secret'], /WXMSG_SIM_SECRET \(recommended\) or --secret, not both/],
    [{ WXMSG_SIM_SECRET: '' }, [], /WXMSG_SIM_SECRET is empty/],
    [{ WXMSG_SIM_SECRET: 'with space' }, [], /WXMSG_SIM_SECRET must be 1 to 256 printable characters/],
  ] as const) {
    // Checked before runCli, which would otherwise start a simulator that runs until SIGINT.
    assert.throws(() => parseSimulateArgs(['--port', '0', ...args], EXAMPLES, { ...env }), message);
    const bad = noIO();
    assert.equal(await runCli({ ...bad.io, env: { ...env }, argv: ['simulate', '--port', '0', ...args] }), 2, JSON.stringify(env));
    assert.match(bad.err(), message);
    assert.ok(!bad.err().includes(secret) && !bad.err().includes('another-made-up'), 'not echoed');
  }
  const help = noIO();
  await runCli({ ...help.io, argv: ['simulate', '--help'] });
  assert.match(help.out(), /WXMSG_SIM_SECRET/);
});

test('--host ::ffff:127.0.0.1 is refused with a clear message; ::1 and localhost work end to end with the URL printed', async () => {
  for (const host of ['::ffff:127.0.0.1', '[::ffff:127.0.0.1]', '0:0:0:0:0:ffff:7f00:1']) {
    assert.throws(() => parseSimulateArgs(['--port', '0', '--host', host], EXAMPLES), /IPv4-mapped/);
    const bad = noIO();
    assert.equal(await runCli({ ...bad.io, argv: ['simulate', '--port', '0', '--host', host] }), 2, host);
    assert.match(bad.err(), /IPv4-mapped IPv6 address.*use --host 127\.0\.0\.1/);
    await assert.rejects(Simulator.start({ host }), /IPv4-mapped/);
  }
  for (const host of ['::1', 'localhost', '127.0.0.1']) {
    const { io, out } = noIO();
    let listening!: () => void;
    const ready = new Promise<void>((r) => { listening = r; });
    let stop!: () => void;
    const stopped = new Promise<void>((r) => { stop = r; });
    const done = runSimulate(['--port', '0', '--quiet', '--host', host], { ...io, stdout: { write: (s: string) => { io.stdout.write(s); if (out().includes('control')) listening(); return true; } } }, stopped);
    await Promise.race([ready, done.then((code) => { throw new Error(`simulate --host ${host} exited ${code}`); })]);
    try {
      const url = /listening on (\S+)/.exec(out())![1];
      // The printed URL, as a user pastes it: the token, then a send, then the control API.
      const tok = await get(`${url}/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SIM_DEFAULT_SECRET}`);
      const sent = await request(`${url}/cgi-bin/message/custom/send?access_token=${tok.access_token}`, { method: 'POST', body: JSON.stringify(msg(SIM_USERS.ready[0])) });
      assert.equal(JSON.parse(await sent.body.text()).errcode, 0, `${host}: ${url}`);
      assert.equal((await request(`${url}/_sim/reset`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).statusCode, 200);
    } finally {
      stop();
    }
    assert.equal(await done, 0);
  }
});

test('every errcode the simulator answered in these tests is in the send decoder\'s catalog, with the catalog\'s errmsg', () => {
  const seen = new Set<number>();
  for (const a of answered) {
    if (typeof a !== 'object' || a === null || typeof a.errcode !== 'number') continue;
    seen.add(a.errcode);
    const d = decodeResult(a.errcode, a.errmsg);
    assert.ok(d.known, `errcode ${a.errcode} is in the catalog`);
    if (a.errcode === 0) continue;
    assert.ok(d.rid, `a rid in "${a.errmsg}"`);
    // Verbatim: the catalog's English errmsg, then " rid: …" and nothing else (no hints of ours).
    assert.match(a.errmsg, /^[\x20-\x7e]+ rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/, `plain ASCII English errmsg of ${a.errcode}`);
    assert.equal(a.errmsg.replace(/ rid: [0-9a-f-]+$/, ''), ERRCODES[a.errcode].errmsg, `errmsg of ${a.errcode}`);
  }
  // Every code the simulator documents was driven through HTTP by this file.
  const documented = [-1, 0, 40001, 40002, 40003, 40004, 40007, 40008, 40009, 40013, 40066, 40125, 40165, 41001, 41002, 41004, 41005, 41006, 42001, 43002, 44001, 44002, 44004, 45015, 45047, 45162, 47001];
  assert.deepEqual(documented.filter((c) => !seen.has(c)), []);
});

test('the default "entered" user enters at its first use: as the README says, any time after start it gets 2 within 1 minute', async () => {
  await control(sim, 'POST', '/_sim/clock', { freeze: true });
  // Ten minutes after the simulator started (README: start it, then send whenever).
  await control(sim, 'POST', '/_sim/clock', { advanceMs: 10 * 60_000 });
  const t = await token();
  assert.equal((await send(msg(SIM_USERS.entered), t)).errcode, 0);
  await control(sim, 'POST', '/_sim/clock', { advanceMs: 60_000 });
  // Exactly one minute after the first send: still inside the window (its last millisecond).
  assert.equal((await send(msg(SIM_USERS.entered), t)).errcode, 0);
  assert.equal((await send(msg(SIM_USERS.entered), t)).errcode, 45047);
  sim.reset();
  await control(sim, 'POST', '/_sim/clock', { freeze: true });
  const t2 = await token();
  assert.equal((await send(msg(SIM_USERS.entered), t2)).errcode, 0);
  await control(sim, 'POST', '/_sim/clock', { advanceMs: 60_001 });
  // 1 ms past the window that the first send opened.
  assert.equal((await send(msg(SIM_USERS.entered), t2)).errcode, 45015);
  // An explicit /enter replaces the deferred entry (near miss: a later use does not restart it).
  sim.reset();
  await control(sim, 'POST', '/_sim/clock', { freeze: true });
  await control(sim, 'POST', `/_sim/users/${SIM_USERS.entered}/enter`, {});
  await control(sim, 'POST', '/_sim/clock', { advanceMs: 60_001 });
  assert.equal((await send(msg(SIM_USERS.entered), await token())).errcode, 45015);
});
