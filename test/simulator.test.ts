import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { FormData, request } from 'undici';
import { Simulator, SIM_DEFAULT_SECRET, SIM_USERS } from '../server/src/send/simulator.ts';
import { runSimulate } from '../server/src/cli/simulate.ts';
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
  return { status: res.statusCode, json, type: String(res.headers['content-type']) };
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
  const get = async (u: string) => JSON.parse(await (await request(u)).body.text());
  const a = await get(url(SIM_DEFAULT_SECRET));
  const b = await get(url(SIM_DEFAULT_SECRET));
  assert.notEqual(a.access_token, b.access_token);
  assert.equal((await get(url('wrong'))).errcode, 40001);
});

test('custom/send: token checks 41001 / 40001 / 42001 and the expiry clock', async () => {
  assert.equal((await post('/cgi-bin/message/custom/send', msg(SIM_USERS.ready[0]))).json.errcode, 41001);
  assert.equal((await send(msg(SIM_USERS.ready[0]), 'bogus')).errcode, 40001);
  const t = await token();
  await control(sim, 'POST', '/__sim/clock', { advanceMs: 7201_000 });
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
  await control(sim, 'POST', '/__sim/users', { openid: SIM_USERS.ready[1] });
  assert.equal((await send(msg(SIM_USERS.ready[1]), t)).errcode, 0);
  // Past the window.
  await control(sim, 'POST', '/__sim/users', { openid: 'oWindowUser', action: 'enter-session' });
  await control(sim, 'POST', '/__sim/clock', { advanceMs: 61_000 });
  assert.equal((await send(msg('oWindowUser'), await token())).errcode, 45015);
  assert.equal((await send(msg(SIM_USERS.stale), await token())).errcode, 45015);
  assert.equal(sim.delivered.length, 8);
});

test('rules are configurable through the control API', async () => {
  const r = await control(sim, 'POST', '/__sim/rules', { 'user-message': { maxMessages: 1 } });
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
    return JSON.parse(await res.body.text());
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
  const media = await control(sim, 'GET', '/__sim/media');
  assert.equal(media.json.length, 1);
  assert.equal(media.json[0].size, PNG.length);
});

test('control API: state, apps, users, faults, requests, delivered, tokens, reset', async () => {
  const state = await control(sim, 'GET', '/__sim/state');
  assert.deepEqual(state.apps.map((a: { appid: string }) => a.appid), [APPID]);
  assert.equal(state.users.length, 6);
  assert.equal((await control(sim, 'POST', '/__sim/apps', { appid: 'wxother0000000000', secret: 'other-secret', pages: ['pages/a/a'] })).ok, true);
  assert.equal((await control(sim, 'POST', '/__sim/users', { appid: 'wxother0000000000', openids: ['oA', 'oB'] })).count, 2);
  assert.equal((await control(sim, 'POST', '/__sim/users', {})).status, 400);
  assert.equal((await control(sim, 'POST', '/__sim/faults', { type: 'bogus' })).status, 400);
  const t = await token('wxother0000000000', 'other-secret');
  assert.equal((await send(msg('oA'), t)).errcode, 0);
  assert.equal((await send(msg(SIM_USERS.ready[0]), t)).errcode, 40003, 'users are per appid');
  await control(sim, 'POST', '/__sim/faults', { type: 'errcode', errcode: 48001, path: '/cgi-bin/message/custom/send', times: -1 });
  assert.equal((await send(msg('oB'), t)).errcode, 48001);
  assert.equal((await send(msg('oB'), t)).errcode, 48001, 'times -1 lasts until cleared');
  await control(sim, 'DELETE', '/__sim/faults');
  assert.equal((await send(msg('oB'), t)).errcode, 0);
  // Nonsense numbers fall back to defaults: one request, errcode -1.
  await control(sim, 'POST', '/__sim/faults', { type: 'errcode', errcode: 'x', times: 'many', path: '/cgi-bin/message/custom/send' });
  assert.equal((await send(msg('oB'), t)).errcode, -1);
  assert.equal((await send(msg('oB'), t)).errcode, 0);
  const delivered = await control(sim, 'GET', '/__sim/delivered');
  assert.deepEqual(delivered.json.map((d: { touser: string }) => d.touser), ['oA', 'oB', 'oB']);
  const requests = await control(sim, 'GET', '/__sim/requests');
  assert.ok(requests.json.every((r: { path: string }) => !r.path.includes('access_token')), 'tokens are not recorded');
  const tokens = await control(sim, 'GET', '/__sim/tokens');
  assert.ok(tokens.json.some((x: { token: string }) => x.token === t));
  assert.equal((await control(sim, 'POST', '/__sim/tokens/expire', { token: t })).count, 1);
  assert.equal((await send(msg('oB'), t)).errcode, 42001);
  await control(sim, 'DELETE', '/__sim/delivered');
  assert.equal(sim.delivered.length, 0);
  assert.equal((await control(sim, 'GET', '/__sim/nope')).status, 404);
  await control(sim, 'POST', '/__sim/reset', { empty: true });
  assert.equal((await control(sim, 'GET', '/__sim/state')).apps.length, 0);
  await control(sim, 'POST', '/__sim/reset');
  assert.equal((await control(sim, 'GET', '/__sim/state')).apps.length, 1);
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
  const card = (pagepath: string) => JSON.stringify({ touser: SIM_USERS.ready[0], msgtype: 'miniprogrampage', miniprogrampage: { title: 't', pagepath, thumb_media_id: 'm' } });
  const r1 = JSON.parse(await (await request(`${url}/cgi-bin/message/custom/send?access_token=${t}`, { method: 'POST', body: card('pages/missing/missing') })).body.text());
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
  const state = JSON.parse(await (await request(`${m[1]}/__sim/state`)).body.text());
  assert.equal(state.apps[0].appid, APPID);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
