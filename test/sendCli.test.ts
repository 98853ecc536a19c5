import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SIM_DEFAULT_SECRET, SIM_USERS, type Simulator } from '../server/src/simulator/simulator.ts';
import { ERRCODES } from '../server/src/core/facts/errcodes.ts';
import { sharedTokenCache, TokenCache } from '../server/src/wechat/tokenCache.ts';
import { APPID, EXAMPLES, PNG, cli, cliSend, closedPort, control, startSim, tmpDir } from './sendHelpers.ts';

const SEND = '/cgi-bin/message/custom/send';
const WELCOME = 'templates/welcome.wxmsg.json';
const USER = SIM_USERS.ready[0];

let sim: Simulator;
let env: Record<string, string>;
before(async () => { sim = await startSim(); });
after(async () => { await sim.close(); });
beforeEach(() => {
  sim.reset();
  // The CLI shares one in-memory cache per process; the simulator's tokens were just reset.
  sharedTokenCache.clear();
  env = { WXMSG_APPSECRET: SIM_DEFAULT_SECRET, WXMSG_API_BASE: sim.url };
});

describe('wxmsg send', () => {
  test('help texts', async () => {
    for (const cmd of ['send', 'upload', 'simulate']) {
      const r = await cli([cmd, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`^Usage: wxmsg ${cmd}`));
    }
    const send = (await cli(['send', '--help'])).stdout;
    for (const s of ['--to', '--appid', '--api-base', '--timeout', '--format', 'WXMSG_APPSECRET', 'WXMSG_ACCESS_TOKEN', 'WXMSG_API_BASE', 'Exit codes']) assert.ok(send.includes(s), s);
    assert.match((await cli(['upload', '--help'])).stdout, /3 days/);
    assert.match((await cli(['--help'])).stdout, /send .*\n.*upload .*\n.*simulate /);
  });

  test('success: exit 0, the decoded result, OpenID masked, nothing secret', async () => {
    const r = await cli(['send', WELCOME, '--to', USER], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /✔ sent templates\/welcome\.wxmsg\.json to oWx…0001 \(appid wx1234567890abcdef via 127\.0\.0\.1:\d+\)/);
    assert.match(r.stdout, /errcode 0 请求成功 — ok/);
    assert.equal(sim.delivered.length, 1);
    assert.equal(sim.delivered[0].touser, USER);
  });

  test('--format json', async () => {
    const r = await cli(['send', WELCOME, '--to', SIM_USERS.stale, '--format', 'json'], env);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.stdout);
    assert.equal(j.status, 'api-error');
    assert.equal(j.errcode, 45015);
    assert.equal(j.description, ERRCODES[45015].zh);
    assert.equal(j.en, ERRCODES[45015].en);
    assert.equal(j.action, ERRCODES[45015].action);
    assert.match(j.rid, /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    assert.equal(j.errmsg, 'response out of time limit or subscription is canceled');
    assert.equal(j.deliveryUnknown, false);
    assert.equal(j.to, 'oWx…0001');
    const ok = JSON.parse((await cli(['send', WELCOME, '--to', USER, '--format', 'json'], env)).stdout);
    assert.equal(ok.errcode, 0);
    assert.equal(ok.status, 'sent');
  });

  test('API error: exit 1 with the Chinese description, English line, cause, action and rid', async () => {
    const r = await cli(['send', WELCOME, '--to', 'oNotAUserOfThisApp0000000001'], env);
    assert.equal(r.code, 1);
    assert.ok(r.stdout.includes(`errcode 40003 ${ERRCODES[40003].zh}`));
    assert.ok(r.stdout.includes(ERRCODES[40003].en));
    assert.ok(r.stdout.includes(`cause:  ${ERRCODES[40003].cause}`));
    assert.ok(r.stdout.includes(`action: ${ERRCODES[40003].action}`));
    assert.match(r.stdout, /rid: {4}[0-9a-f]{8}-/);
  });

  test('an unknown errcode shows the raw errcode and errmsg', async () => {
    sim.injectFault({ type: 'errcode', errcode: 61999, errmsg: 'brand new failure', path: SEND });
    const r = await cli(['send', WELCOME, '--to', USER, '--format', 'json'], env);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.stdout);
    assert.equal(j.errcode, 61999);
    assert.equal(j.known, false);
    assert.equal(j.errmsg, 'brand new failure');
    assert.equal(j.description, 'brand new failure');
  });

  test('invalid template: lint errors printed, exit 1, nothing reaches the simulator', async () => {
    const dir = tmpDir('wxmsg-send-');
    fs.writeFileSync(path.join(dir, 'bad.wxmsg.json'), '{ "touser": "x", "msgtype": "txet", "text": { "content": "hi" } }');
    const r = await cli(['send', 'bad.wxmsg.json', '--to', USER], env, dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /wxmsg\/invalid-msgtype/);
    assert.match(r.stderr, /not sent: bad\.wxmsg\.json has 1 error/);
    const j = await cli(['send', 'bad.wxmsg.json', '--to', USER, '--format', 'json'], env, dir);
    assert.equal(j.code, 1);
    assert.equal(JSON.parse(j.stdout).errors[0].code, 'wxmsg/invalid-msgtype');
    assert.equal(sim.requests.length, 0);
  });

  test('a template that is not UTF-8 (GBK, UTF-16) is refused: exit 1, nothing reaches the simulator', async () => {
    const dir = tmpDir('wxmsg-send-');
    // 你好 in GBK, then the same template in UTF-16 LE with a BOM.
    const gbk = Buffer.concat([Buffer.from('{ "touser": "x", "msgtype": "text", "text": { "content": "'), Buffer.from([0xc4, 0xe3, 0xba, 0xc3]), Buffer.from('" } }')]);
    fs.writeFileSync(path.join(dir, 'gbk.wxmsg.json'), gbk);
    fs.writeFileSync(path.join(dir, 'u16.wxmsg.json'), Buffer.from('\ufeff{ "touser": "x", "msgtype": "text", "text": { "content": "你好" } }', 'utf16le'));
    const r = await cli(['send', 'gbk.wxmsg.json', '--to', USER, '--appid', APPID], env, dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /wxmsg\/not-utf8/);
    assert.match(r.stderr, /GBK\/GB18030/);
    assert.match(r.stderr, /not sent: gbk\.wxmsg\.json has 1 error/);
    assert.equal(r.stdout, '');
    const j = await cli(['send', 'u16.wxmsg.json', '--to', USER, '--appid', APPID, '--format', 'json'], env, dir);
    assert.equal(j.code, 1);
    assert.equal(JSON.parse(j.stdout).errors[0].code, 'wxmsg/not-utf8');
    assert.match(JSON.parse(j.stdout).errors[0].message, /UTF-16 LE with a BOM/);
    assert.equal(sim.requests.length, 0);
    assert.equal(sim.delivered.length, 0);
    // The near miss: the same template in UTF-8 is sent.
    fs.writeFileSync(path.join(dir, 'utf8.wxmsg.json'), '{ "touser": "x", "msgtype": "text", "text": { "content": "你好" } }');
    assert.equal((await cli(['send', 'utf8.wxmsg.json', '--to', USER, '--appid', APPID], env, dir)).code, 0);
    assert.equal(sim.delivered.length, 1);
  });

  test('a project.config.json that cannot be used: send says why, with its path, not only "add one"', async () => {
    const dir = tmpDir('wxmsg-send-');
    fs.writeFileSync(path.join(dir, 'project.config.json'), '{ "appid": 1234567890 }');
    fs.writeFileSync(path.join(dir, 'hi.wxmsg.json'), '{ "touser": "x", "msgtype": "text", "text": { "content": "hi" } }');
    const r = await cli(['send', 'hi.wxmsg.json', '--to', USER], env, dir);
    assert.equal(r.code, 2);
    assert.ok(r.stderr.includes(`not sent: no appid: "appid" in ${path.join(dir, 'project.config.json')} is a number, not a string; fix it or pass --appid`), r.stderr);
    fs.writeFileSync(path.join(dir, 'project.config.json'), Buffer.from('{ "appid": "wx1234567890abcdef" }', 'utf16le'));
    const u16 = await cli(['send', 'hi.wxmsg.json', '--to', USER], env, dir);
    assert.equal(u16.code, 2);
    assert.match(u16.stderr, /project\.config\.json is not UTF-8 \(it looks like UTF-16 LE without a BOM\): not read/);
    assert.equal(sim.requests.length, 0);
    // The near miss: a usable file is used.
    fs.writeFileSync(path.join(dir, 'project.config.json'), '{ "appid": "wx1234567890abcdef" }');
    assert.equal((await cli(['send', 'hi.wxmsg.json', '--to', USER], env, dir)).code, 0);
  });

  test('usage and credential errors exit 2 before any request', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['send', WELCOME], env, /--to <alias\|openid> is required/],
      [['send', '--to', USER], env, /exactly one template/],
      [['send', WELCOME, '--to', 'bad id'], env, /--to: an OpenID holds only/],
      [['send', WELCOME, '--to', USER, '--format', 'xml'], env, /unknown format/],
      [['send', WELCOME, '--to', USER, '--timeout', 'soon'], env, /--timeout needs milliseconds/],
      [['send', WELCOME, '--to', USER], { WXMSG_API_BASE: sim.url }, /no credentials: set WXMSG_APPSECRET/],
      [['send', WELCOME, '--to', USER, '--api-base', 'http://wechat.example.com'], env, /refusing plain http to wechat\.example\.com/],
      [['send', WELCOME, '--to', USER], { ...env, WXMSG_API_BASE: 'http://192.168.1.10:8700' }, /refusing plain http/],
      [['send', 'missing.wxmsg.json', '--to', USER], env, /unreadable|cannot read|ENOENT/i],
    ];
    for (const [argv, e, re] of cases) {
      const r = await cli(argv, e);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
    }
    const dir = tmpDir('wxmsg-noapp-');
    fs.copyFileSync(path.join(EXAMPLES, WELCOME), path.join(dir, 'w.wxmsg.json'));
    const noAppid = await cli(['send', 'w.wxmsg.json', '--to', USER], env, dir);
    assert.equal(noAppid.code, 2);
    assert.match(noAppid.stderr, /no appid/);
    assert.equal(sim.requests.length, 0);
  });

  test('a ready access token from WXMSG_ACCESS_TOKEN', async () => {
    const tok = JSON.parse((await (await fetchToken(sim))).toString()).access_token as string;
    const r = await cli(['send', WELCOME, '--to', USER], { WXMSG_ACCESS_TOKEN: tok, WXMSG_APPSECRET: 'also-set-secret', WXMSG_API_BASE: sim.url });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /using WXMSG_ACCESS_TOKEN \(WXMSG_APPSECRET is also set and is ignored\)/);
    assert.equal(sim.requestCount('/cgi-bin/stable_token'), 1, 'only the test\'s own token request');
    sim.expireTokens({ token: tok });
    const stale = await cli(['send', WELCOME, '--to', USER], { WXMSG_ACCESS_TOKEN: tok, WXMSG_API_BASE: sim.url });
    assert.equal(stale.code, 1);
    assert.match(stale.stdout, /errcode 42001/);
    assert.match(stale.stdout, /cannot refresh a token it did not obtain/);
    assert.equal((stale.stdout + stale.stderr + r.stdout + r.stderr).includes(tok), false);
  });

  test('network failures exit 2 in plain words; a timeout says delivery is unknown', async () => {
    sim.injectFault({ type: 'delay', ms: 30_000, path: SEND });
    const t = await cli(['send', WELCOME, '--to', USER, '--timeout', '150'], env);
    assert.equal(t.code, 2);
    assert.match(t.stderr, /^✖ delivery unknown: No answer from 127\.0\.0\.1:\d+ within 150 ms/);
    assert.match(t.stderr, /wxmsg\.api\.timeout \(CLI: --timeout\)/);
    assert.equal(sim.requestCount(SEND), 1);
    const j = await cli(['send', WELCOME, '--to', USER, '--format', 'json'], { ...env, WXMSG_API_BASE: `http://127.0.0.1:${await closedPort()}` });
    assert.equal(j.code, 2);
    const out = JSON.parse(j.stdout);
    assert.equal(out.error.kind, 'refused');
    assert.equal(out.deliveryUnknown, false);
    assert.match(out.error.message, /--api-base/);
  });

  test('-1 retried with backoff through the CLI path (injected delay)', async () => {
    sim.injectFault({ type: 'errcode', errcode: -1, path: SEND, times: 2 });
    const waits: number[] = [];
    const r = await cliSend([WELCOME, '--to', USER], env, { delay: async (ms) => { waits.push(ms); }, tokenCache: new TokenCache() });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(waits.length, 2);
    assert.ok(waits[1] > waits[0]);
    assert.equal(sim.requestCount(SEND), 3);
  });
});

describe('wxmsg upload', () => {
  test('prints the media_id; json format; refuses non-images with exit 2', async () => {
    const dir = tmpDir('wxmsg-img-');
    fs.writeFileSync(path.join(dir, 'cover.png'), PNG);
    fs.writeFileSync(path.join(dir, 'notes.png'), 'text');
    // No --appid: the image is outside the project, the current folder (a project) is in it.
    // (Not examples/ itself: each upload is recorded in the media ledger of that folder.)
    const proj = tmpDir('wxmsg-upload-proj-');
    fs.writeFileSync(path.join(proj, 'project.config.json'), JSON.stringify({ appid: APPID }));
    const r = await cli(['upload', path.join(dir, 'cover.png')], env, proj);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), sim.media[0].mediaId);
    assert.match(r.stderr, /expire after 3 days/);
    const j = JSON.parse((await cli(['upload', path.join(dir, 'cover.png'), '--appid', APPID, '--format', 'json'], env, proj)).stdout);
    assert.equal(j.media_id, sim.media[1].mediaId);
    const before = sim.requests.length;
    const bad = await cli(['upload', path.join(dir, 'notes.png'), '--appid', APPID], env, proj);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not a JPEG, PNG or GIF image/);
    assert.equal(sim.requests.length, before);
  });
});

describe('secrets', () => {
  test('set-secret → send → refresh → failure: neither the AppSecret nor any issued token is ever printed', async () => {
    const secret = `S3cret-${Math.random().toString(36).slice(2)}-${'k'.repeat(20)}`;
    await control(sim, 'POST', '/_sim/apps', { appid: APPID, secret });
    const e = { WXMSG_APPSECRET: secret, WXMSG_API_BASE: sim.url };
    const runs = [];
    runs.push(await cli(['send', WELCOME, '--to', USER], e));
    await control(sim, 'POST', '/_sim/tokens/expire', { appid: APPID });
    runs.push(await cli(['send', WELCOME, '--to', USER, '--format', 'json'], e));
    assert.equal(JSON.parse(runs[1].stdout).tokenRefreshed, true);
    // The plain token endpoint: the secret travels in its query string, which is never printed.
    sharedTokenCache.clear();
    runs.push(await cli(['send', WELCOME, '--to', USER, '--token-endpoint', 'token', '--yes'], e));
    await control(sim, 'POST', '/_sim/faults', { type: 'reset', path: SEND });
    runs.push(await cli(['send', WELCOME, '--to', USER], e));
    await control(sim, 'POST', '/_sim/faults', { type: 'errcode', errcode: 40003, errmsg: `echo ${secret}`, path: SEND });
    runs.push(await cli(['send', WELCOME, '--to', USER, '--format', 'json'], e));
    runs.push(await cli(['send', WELCOME, '--to', USER], { ...e, WXMSG_APPSECRET: `${secret}-wrong` }));
    runs.push(await cli(['send', WELCOME, '--to', USER], { ...e, WXMSG_API_BASE: 'http://evil.example.com' }));
    const tokens = (await control(sim, 'GET', '/_sim/tokens')).json.map((t: { token: string }) => t.token) as string[];
    runs.push(await cli(['send', WELCOME, '--to', USER], { WXMSG_ACCESS_TOKEN: tokens[0], WXMSG_API_BASE: sim.url }));
    assert.deepEqual(runs.map((r) => r.code), [0, 0, 0, 2, 1, 2, 2, 1]);
    assert.ok(tokens.length >= 3, 'the first token, the refreshed one, the plain one');
    const everything = runs.map((r) => r.stdout + r.stderr).join('\n') + JSON.stringify((await control(sim, 'GET', '/_sim/requests')).json);
    for (const s of [secret, ...tokens]) assert.equal(everything.includes(s), false, 'a secret leaked into the output');
    assert.match(everything, /delivery unknown/);
  });
});

describe('load', () => {
  test('200 parallel sends to 200 users through the CLI send path: each delivered exactly once', async () => {
    const users = Array.from({ length: 200 }, (_, i) => `oLoadUser${String(i).padStart(19, '0')}`);
    await control(sim, 'POST', '/_sim/users', { openids: users });
    const started = Date.now();
    const runs = await Promise.all(users.map((u) => cli(['send', WELCOME, '--to', u, '--format', 'json'], env)));
    const ms = Date.now() - started;
    assert.deepEqual(runs.filter((r) => r.code !== 0).map((r) => r.stdout + r.stderr), []);
    const delivered = (await control(sim, 'GET', '/_sim/delivered')).json as { touser: string }[];
    assert.equal(delivered.length, 200);
    const counts = new Map<string, number>();
    for (const d of delivered) counts.set(d.touser, (counts.get(d.touser) ?? 0) + 1);
    assert.deepEqual([...counts.keys()].sort(), [...users].sort());
    assert.ok([...counts.values()].every((n) => n === 1));
    assert.equal(sim.requestCount(SEND), 200, 'no retries, no duplicates');
    // A figure for the report, not an assertion.
    console.log(`# load: 200 CLI sends in ${ms} ms, ${sim.requestCount('/cgi-bin/stable_token')} token requests`);
  });
});

async function fetchToken(s: Simulator): Promise<Buffer> {
  const { request } = await import('undici');
  const res = await request(`${s.url}/cgi-bin/stable_token`, { method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid: APPID, secret: SIM_DEFAULT_SECRET, force_refresh: false }) });
  return Buffer.from(await res.body.arrayBuffer());
}
