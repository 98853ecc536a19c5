import { test, before, after, beforeEach, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FormData, request } from 'undici';
import { Simulator, SIM_DEFAULT_SECRET, SIM_USERS } from '../server/src/simulator/simulator.ts';
import { WeChatClient } from '../server/src/wechat/client.ts';
import { TokenCache } from '../server/src/wechat/tokenCache.ts';
import { pushConfig } from '../server/src/wechat/push/config.ts';
import { SendService } from '../client/src/send/sendService.ts';
import { APPID, PNG, cli, control, tmpDir } from './sendHelpers.ts';
import { PUSH_TOKEN, echoing, scriptedReceiver } from './pushHelpers.ts';
import { MapSecrets, MapState } from './sendHelpers.ts';

let sim: Simulator;
before(async () => { sim = await Simulator.start(); });
after(async () => { await sim.close(); });
beforeEach(() => sim.reset());

async function token(appid = APPID, secret = SIM_DEFAULT_SECRET): Promise<string> {
  return (await control(sim, 'POST', '/cgi-bin/stable_token', { grant_type: 'client_credential', appid, secret })).json.access_token;
}
async function typing(touser: string, command: unknown, t?: string): Promise<number> {
  return (await control(sim, 'POST', `/cgi-bin/message/custom/typing?access_token=${t ?? await token()}`, { touser, command })).json.errcode;
}
async function send(touser: string, t: string): Promise<number> {
  return (await control(sim, 'POST', `/cgi-bin/message/custom/send?access_token=${t}`, { touser, msgtype: 'text', text: { content: 'hi' } })).json.errcode;
}
async function upload(t: string, data: Buffer = PNG): Promise<string> {
  const form = new FormData();
  form.append('media', new Blob([data], { type: 'image/png' }), 'a.png');
  return JSON.parse(await (await request(`${sim.url}/cgi-bin/media/upload?access_token=${t}&type=image`, { method: 'POST', body: form })).body.text()).media_id;
}

test('typing: Typing 0, again 45081, CancelTyping 0, then Typing 0; a message sent ends it', async () => {
  const t = await token();
  const u = SIM_USERS.ready[0];
  assert.equal(await typing(u, 'Typing', t), 0);
  assert.equal(await typing(u, 'Typing', t), 45081);
  assert.equal(await typing(u, 'CancelTyping', t), 0);
  assert.equal(await typing(u, 'Typing', t), 0);
  assert.equal(await send(u, t), 0);
  assert.equal(await typing(u, 'Typing', t), 0, 'the message sent cancelled typing');
});

test('typing lasts 15 s: 45081 at 14 999 ms, 0 at 15 000 ms', async () => {
  const t = await token();
  await control(sim, 'POST', '/_sim/clock', { freeze: true });
  const u = SIM_USERS.ready[1];
  assert.equal(await typing(u, 'Typing', t), 0);
  await control(sim, 'POST', '/_sim/clock', { advanceMs: 14_999 });
  assert.equal(await typing(u, 'Typing', t), 45081);
  await control(sim, 'POST', '/_sim/clock', { advanceMs: 1 });
  assert.equal(await typing(u, 'Typing', t), 0);
});

test('typing needs a message exchanged in the last 30 s (45080): the user\'s, or one sent to them', async () => {
  const t = await token();
  assert.equal(await typing(SIM_USERS.silent, 'Typing', t), 45080);
  assert.equal(await typing(SIM_USERS.stale, 'Typing', t), 45080);
  await control(sim, 'POST', '/_sim/clock', { freeze: true });
  await control(sim, 'POST', `/_sim/users/${SIM_USERS.ready[2]}/message`, {});
  await control(sim, 'POST', '/_sim/clock', { advanceMs: 30_000 });
  assert.equal(await typing(SIM_USERS.ready[2], 'CancelTyping', t), 0, 'exactly 30 s: still within');
  await control(sim, 'POST', '/_sim/clock', { advanceMs: 1 });
  assert.equal(await typing(SIM_USERS.ready[2], 'Typing', t), 45080);
  // A message sent to the user (still inside the 48 h window) is an exchange too.
  assert.equal(await send(SIM_USERS.ready[2], t), 0);
  assert.equal(await typing(SIM_USERS.ready[2], 'Typing', t), 0);
});

test('typing: 45072 for a bad command, 40003 unknown user, 43002 for GET, 41001 without token, 44002 empty body', async () => {
  const t = await token();
  for (const bad of ['typing', 'Cancel', '', undefined, 1]) assert.equal(await typing(SIM_USERS.ready[0], bad, t), 45072, String(bad));
  assert.equal(await typing('oUnknown', 'Typing', t), 40003);
  assert.equal(JSON.parse(await (await request(`${sim.url}/cgi-bin/message/custom/typing?access_token=${t}`)).body.text()).errcode, 43002);
  assert.equal((await control(sim, 'POST', '/cgi-bin/message/custom/typing', { touser: SIM_USERS.ready[0], command: 'Typing' })).json.errcode, 41001);
  const empty = await request(`${sim.url}/cgi-bin/message/custom/typing?access_token=${t}`, { method: 'POST', body: '' });
  assert.equal(JSON.parse(await empty.body.text()).errcode, 44002);
});

test('getTempMedia: the uploaded bytes back; 41006 without media_id, 40007 unknown, expired after 3 days or of another app', async () => {
  await control(sim, 'POST', '/_sim/clock', { freeze: true });
  const t = await token();
  const id = await upload(t);
  const res = await request(`${sim.url}/cgi-bin/media/get?access_token=${t}&media_id=${id}`);
  assert.equal(res.headers['content-type'], 'image/png');
  assert.match(String(res.headers['content-disposition']), new RegExp(`filename="${id}\\.png"`));
  assert.deepEqual(Buffer.from(await res.body.arrayBuffer()), PNG);
  const code = async (q: string) => JSON.parse(await (await request(`${sim.url}/cgi-bin/media/get?access_token=${t}${q}`)).body.text()).errcode;
  assert.equal(await code(''), 41006);
  assert.equal(await code('&media_id=nope'), 40007);
  await control(sim, 'POST', '/_sim/apps', { appid: 'wx00000000000000aa', secret: 's2' });
  const other = await token('wx00000000000000aa', 's2');
  assert.equal(JSON.parse(await (await request(`${sim.url}/cgi-bin/media/get?access_token=${other}&media_id=${id}`)).body.text()).errcode, 40007);
  await control(sim, 'POST', '/_sim/clock', { advanceMs: 3 * 86_400_000 });
  const t2 = await token(); // the first token expired long ago
  const at = async () => request(`${sim.url}/cgi-bin/media/get?access_token=${t2}&media_id=${id}`);
  assert.equal((await at()).headers['content-type'], 'image/png', 'exactly 3 days: still valid');
  await control(sim, 'POST', '/_sim/clock', { advanceMs: 1 });
  assert.equal(JSON.parse(await (await at()).body.text()).errcode, 40007);
});

test('an image a user sent (message push) can be fetched with getTempMedia by its MediaId', async () => {
  const r = await scriptedReceiver(echoing(() => [200, 'success']));
  const pushing = await Simulator.start({ push: pushConfig({ url: r.url, urlFlag: '--push-url', formatFlag: '--push-format', modeFlag: '--push-mode', allowRemoteFlag: '--push-allow-remote' }, { WXMSG_PUSH_TOKEN: PUSH_TOKEN }) });
  try {
    const dir = tmpDir('wxmsg-media-');
    fs.writeFileSync(path.join(dir, 'cat.png'), PNG);
    const a = await control(pushing, 'POST', `/_sim/users/${SIM_USERS.ready[0]}/message`, { type: 'image', file: path.join(dir, 'cat.png') });
    const mediaId = JSON.parse(a.json.push.plaintext).MediaId;
    const client = new WeChatClient({ baseUrl: pushing.url, tokenCache: new TokenCache() });
    try {
      const got = await client.getMedia(mediaId, { appid: APPID, appSecret: SIM_DEFAULT_SECRET });
      assert.equal(got.status, 'downloaded');
      if (got.status === 'downloaded') assert.deepEqual(got.file.data, PNG);
      const missing = await client.getMedia('nope', { appid: APPID, appSecret: SIM_DEFAULT_SECRET });
      assert.equal(missing.status, 'api-error');
      if (missing.status === 'api-error') assert.equal(missing.decoded.errcode, 40007);
    } finally { await client.close(); }
  } finally { await pushing.close(); await r.close(); }
});

const ENV = () => ({ WXMSG_APPSECRET: SIM_DEFAULT_SECRET, WXMSG_API_BASE: sim.url });

test('wxmsg typing --to <openid> on|off: exit 0, 1 with the decoded errcode, 2 for usage', async () => {
  const dir = tmpDir('wxmsg-typing-');
  const u = SIM_USERS.ready[0];
  const on = await cli(['typing', '--to', u, 'on', '--appid', APPID], ENV(), dir);
  assert.equal(on.code, 0, on.stderr);
  assert.match(on.stdout, /✔ Typing → .* errcode 0 \(shown for 15 s or until a message is sent\)/);
  const again = await cli(['typing', '--to', u, 'on', '--appid', APPID], ENV(), dir);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /errcode 45081 已经在输入状态，不可重复下发/);
  const off = await cli(['typing', '--to', u, 'off', '--appid', APPID, '--format', 'json'], ENV(), dir);
  assert.equal(off.code, 0);
  assert.deepEqual([JSON.parse(off.stdout).command, JSON.parse(off.stdout).errcode], ['CancelTyping', 0]);
  const silent = await cli(['typing', '--to', SIM_USERS.silent, 'on', '--appid', APPID], ENV(), dir);
  assert.equal(silent.code, 1);
  assert.match(silent.stderr, /45080/);
  assert.equal((await cli(['typing', '--to', u, 'maybe', '--appid', APPID], ENV(), dir)).code, 2);
  assert.equal((await cli(['typing', 'on', '--appid', APPID], ENV(), dir)).code, 2);
  assert.ok(!(on.stdout + on.stderr + again.stderr).includes(SIM_DEFAULT_SECRET));
});

test('wxmsg media get <media_id> [-o file]: writes the file (exit 0); 40007 is exit 1', async () => {
  const t = await token();
  const id = await upload(t);
  const dir = tmpDir('wxmsg-mediaget-');
  const out = path.join(dir, 'got.png');
  const r = await cli(['media', 'get', '-o', out, '--appid', APPID, '--', id], ENV(), dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), out);
  assert.deepEqual(fs.readFileSync(out), PNG);
  const dflt = await cli(['media', 'get', '--appid', APPID, '--format', 'json', '--', id], ENV(), dir);
  assert.equal(dflt.code, 0);
  const j = JSON.parse(dflt.stdout);
  assert.equal(j.file, path.join(dir, `${id}.png`));
  assert.equal(j.size, PNG.length);
  const bad = await cli(['media', 'get', 'nope', '--appid', APPID], ENV(), dir);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /errcode 40007/);
  assert.equal((await cli(['media', 'put', id], ENV(), dir)).code, 2);
  assert.equal((await cli(['media', 'get'], ENV(), dir)).code, 2);
});

describe('the extension\'s service (WeChat: Set Typing… / Download Temp Media…) against the simulator', () => {
  test('typing on, again (45081 decoded), off; media downloaded, unknown id decoded; no secret in messages or log', async () => {
    const lines: string[] = [];
    const svc = new SendService(new MapSecrets(), new MapState(), (l) => lines.push(l), { backoffMs: 1, delay: async () => {} });
    const api = { base: sim.url, timeoutMs: 2000 };
    const u = SIM_USERS.ready[0];
    assert.equal((await svc.typing(u, 'Typing', APPID, api)).message.startsWith('Not set: no AppSecret'), true);
    await svc.setAppSecret(APPID, SIM_DEFAULT_SECRET);
    const on = await svc.typing(u, 'Typing', APPID, api);
    assert.equal(on.ok, true, on.message);
    assert.match(on.message, /"Typing…" shown to oWx…0001 .*15 s/);
    const again = await svc.typing(u, 'Typing', APPID, api);
    assert.equal(again.ok, false);
    assert.match(again.message, /errcode 45081: 已经在输入状态，不可重复下发 already typing/);
    assert.equal((await svc.typing(u, 'CancelTyping', APPID, api)).ok, true);
    const id = await upload(await token());
    const got = await svc.getMedia(id, APPID, api);
    assert.equal(got.ok, true, got.message);
    assert.deepEqual(got.file?.data, PNG);
    const bad = await svc.getMedia('nope', APPID, api);
    assert.equal(bad.ok, false);
    assert.match(bad.message, /errcode 40007/);
    const all = [on.message, again.message, got.message, bad.message, ...lines].join('\n');
    assert.ok(!all.includes(SIM_DEFAULT_SECRET));
    for (const t of sim.issuedTokens()) assert.ok(!all.includes(t.token), 'a token leaked');
  });
});
