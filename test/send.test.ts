import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkBaseUrl, isLoopbackHost } from '../server/src/wechat/baseUrl.ts';
import { BaseUrlError, WeChatClient, type ClientOptions, type Credentials, type SendResult } from '../server/src/wechat/client.ts';
import { ERRCODES } from '../server/src/core/facts/errcodes.ts';
import { readImage, sniffImage } from '../server/src/wechat/image.ts';
import { redact } from '../server/src/wechat/redact.ts';
import { SIM_DEFAULT_SECRET, SIM_USERS, type Simulator } from '../server/src/simulator/simulator.ts';
import { prepareTemplate, maskOpenId } from '../server/src/wechat/template.ts';
import { TokenCache } from '../server/src/wechat/tokenCache.ts';
import { FileForceRefreshGuard } from '../server/src/wechat/forceRefresh.ts';
import { APPID, PNG, closedPort, control, readExample, startSim, tmpDir } from './sendHelpers.ts';

const SEND = '/cgi-bin/message/custom/send';
const TOKEN = '/cgi-bin/stable_token';
const USER = SIM_USERS.ready[0];
const creds: Credentials = { appid: APPID, appSecret: SIM_DEFAULT_SECRET };

let sim: Simulator;
let clients: WeChatClient[] = [];
let delays: number[] = [];

/** A client on the simulator with its own token cache and forced-refresh record, and a recorded, instant backoff. */
function client(opts: ClientOptions = {}): WeChatClient {
  const c = new WeChatClient({ baseUrl: sim.url, tokenCache: new TokenCache(), forceGuard: new FileForceRefreshGuard(tmpDir('wxmsg-force-')), delay: async (ms) => { delays.push(ms); }, backoffMs: 100, ...opts });
  clients.push(c);
  return c;
}

function text(openid: string = USER, content = '您好，订单已发货。'): string {
  return JSON.stringify({ touser: openid, msgtype: 'text', text: { content } });
}

function assertDecoded(r: SendResult, errcode: number): void {
  assert.equal(r.status, 'api-error', JSON.stringify(r));
  if (r.status !== 'api-error') return;
  assert.equal(r.decoded.errcode, errcode);
  assert.equal(r.decoded.known, true);
  assert.equal(r.decoded.description, ERRCODES[errcode].zh);
  assert.equal(r.decoded.en, ERRCODES[errcode].en);
  assert.match(r.decoded.rid ?? '', /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/, 'the rid is split out of errmsg');
  assert.doesNotMatch(r.decoded.errmsg, /rid:/);
}

before(async () => { sim = await startSim(); });
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sim.close();
});
beforeEach(() => { sim.reset(); delays = []; });

describe('send through the client module', () => {
  test('success: the prepared template reaches the user, comments stripped and touser replaced', async () => {
    const prepared = prepareTemplate(readExample('welcome.wxmsg.json'), USER, { appid: APPID });
    assert.ok(prepared.ok);
    const r = await client().send(prepared.body, creds);
    assert.equal(r.status, 'sent');
    assert.equal(r.attempts, 1);
    assert.equal(r.tokenRequests, 1);
    assert.equal(sim.delivered.length, 1);
    assert.equal(sim.delivered[0].touser, USER);
    assert.equal(sim.delivered[0].msgtype, 'text');
    assert.equal((sim.delivered[0].payload.text as { content: string }).content.startsWith('您好'), true);
    assert.equal(sim.requestCount(TOKEN), 1);
  });

  test('the token is cached: a second send asks for no new token', async () => {
    const c = client();
    assert.equal((await c.send(text(), creds)).status, 'sent');
    const r = await c.send(text(), creds);
    assert.equal(r.status, 'sent');
    assert.equal(r.tokenRequests, 0);
    assert.equal(sim.requestCount(TOKEN), 1);
  });

  const cases: [string, number, () => Promise<SendResult>][] = [
    ['unknown user → 40003', 40003, () => client().send(text('oUnknownUser0000000000000001'), creds)],
    ['stale user → 45015', 45015, () => client().send(text(SIM_USERS.stale), creds)],
    ['never messaged → 45015', 45015, () => client().send(text(SIM_USERS.silent), creds)],
    ['bad JSON body → 47001', 47001, () => client().send('{"touser":', creds)],
    ['missing field → 47001', 47001, () => client().send(JSON.stringify({ touser: USER, msgtype: 'link', link: { title: 't', description: 'd', url: 'https://e.com' } }), creds)],
    ['unknown msgtype → 40008', 40008, () => client().send(JSON.stringify({ touser: USER, msgtype: 'video2', video2: {} }), creds)],
    ['Official Account msgtype → 45162', 45162, () => client().send(JSON.stringify({ touser: USER, msgtype: 'news', news: {} }), creds)],
    ['empty text → 44004', 44004, () => client().send(text(USER, ''), creds)],
    ['form-encoded body → 40003', 40003, () => client().send(`touser=${USER}&msgtype=text&content=hi`, creds)],
    ['empty media_id → 41006', 41006, () => client().send(JSON.stringify({ touser: USER, msgtype: 'image', image: { media_id: '' } }), creds)],
    ['empty body → 44002', 44002, () => client().send('', creds)],
    ['ready token the simulator never issued → 40001', 40001, () => client().send(text(), { accessToken: 'not-a-token-the-simulator-issued' })],
  ];
  for (const [name, code, run] of cases) {
    test(`decoded errcode: ${name}`, async () => {
      assertDecoded(await run(), code);
      assert.equal(sim.delivered.length, 0);
    });
  }

  test('decoded errcode: unknown pagepath → 40165 (app pages configured)', async () => {
    sim.addApp({ appid: APPID, secret: SIM_DEFAULT_SECRET, pages: ['pages/index/index'] });
    const card = { touser: USER, msgtype: 'miniprogrampage', miniprogrampage: { title: 't', pagepath: 'pages/nope/nope?x=1', thumb_media_id: 'm' } };
    assertDecoded(await client().send(JSON.stringify(card), creds), 40165);
    card.miniprogrampage.pagepath = 'pages/index/index?x=1';
    assert.equal((await client().send(JSON.stringify(card), creds)).status, 'sent');
  });

  test('decoded errcode: unknown media_id → 40007 (checkMedia); an uploaded one is accepted', async () => {
    sim.addApp({ appid: APPID, secret: SIM_DEFAULT_SECRET, checkMedia: true });
    const c = client();
    const img = (media_id: string) => JSON.stringify({ touser: USER, msgtype: 'image', image: { media_id } });
    assertDecoded(await c.send(img('MEDIA_ID'), creds), 40007);
    const up = await c.upload({ name: 'cover.png', data: PNG }, creds);
    assert.equal(up.status, 'uploaded');
    if (up.status !== 'uploaded') return;
    assert.equal((await c.send(img(up.mediaId), creds)).status, 'sent');
  });

  test('decoded errcode: over quota → 45047 after the delivery-rules table allows 5', async () => {
    const c = client();
    for (let i = 0; i < 5; i++) assert.equal((await c.send(text(), creds)).status, 'sent');
    assertDecoded(await c.send(text(), creds), 45047);
    assert.equal(sim.delivered.length, 5);
  });

  test('token errors: wrong secret → 40125, unknown appid → 40013, plain token wrong secret → 40001', async () => {
    const bad = await client().send(text(), { appid: APPID, appSecret: 'wrong-secret' });
    assert.equal(bad.status, 'failed');
    if (bad.status !== 'failed') return;
    assert.equal(bad.failure.kind, 'credentials');
    assert.equal(bad.decoded?.errcode, 40125);
    assert.equal(bad.attempts, 0);
    const appid = await client().send(text(), { appid: 'wx0000000000000000', appSecret: 'x-secret' });
    assert.equal(appid.status === 'failed' && appid.decoded?.errcode, 40013);
    const plain = await client({ tokenEndpoint: 'token' }).send(text(), { appid: APPID, appSecret: 'wrong-secret' });
    assert.equal(plain.status === 'failed' && plain.decoded?.errcode, 40001);
    assert.equal(sim.requestCount(SEND), 0);
    assert.equal(sim.requestCount('/cgi-bin/token'), 1);
  });

  test('plain cgi-bin/token as an option', async () => {
    const r = await client({ tokenEndpoint: 'token' }).send(text(), creds);
    assert.equal(r.status, 'sent');
    assert.equal(sim.requestCount('/cgi-bin/token'), 1);
    assert.equal(sim.requestCount(TOKEN), 0);
  });
});

describe('token refresh', () => {
  for (const mode of ['expired', 'invalid'] as const) {
    test(`a token ${mode} on the server (control API) → exactly one refresh and one retry`, async () => {
      const c = client();
      assert.equal((await c.send(text(), creds)).status, 'sent');
      const expired = await control(sim, 'POST', '/_sim/tokens/expire', { appid: APPID, mode });
      assert.equal(expired.count, 1);
      const r = await c.send(text(), creds);
      assert.equal(r.status, 'sent');
      assert.equal(r.tokenRefreshed, true);
      assert.equal(r.attempts, 2);
      assert.equal(r.tokenRequests, 1);
      assert.equal(sim.requestCount(TOKEN), 2);
      assert.equal(sim.requestCount(SEND), 3);
      assert.equal(sim.delivered.length, 2);
    });
  }

  test('refresh happens once: a second 42001 is reported, not retried again', async () => {
    sim.injectFault({ type: 'errcode', errcode: 42001, errmsg: 'access_token expired', path: SEND, times: 2 });
    const r = await client().send(text(), creds);
    assertDecoded(r, 42001);
    assert.equal(r.attempts, 2);
    // The first token, normal mode (the same token: the 42001 was injected), then the one force.
    assert.deepEqual(sim.requests.filter((q) => q.path === TOKEN).map((q) => q.forceRefresh), [false, false, true]);
    assert.equal(sim.requestCount(SEND), 2);
  });

  test('40014 also triggers the one refresh', async () => {
    sim.injectFault({ type: 'errcode', errcode: 40014, errmsg: 'invalid access_token', path: SEND });
    const r = await client().send(text(), creds);
    assert.equal(r.status, 'sent');
    assert.equal(r.tokenRefreshed, true);
  });

  test('a ready access token is never refreshed: 42001 says so', async () => {
    const c = client();
    const tok = await c.getToken(creds);
    assert.ok(tok.ok);
    if (!tok.ok) return;
    sim.expireTokens({ token: tok.token });
    const before = sim.requestCount(TOKEN);
    const r = await client().send(text(), { accessToken: tok.token });
    assertDecoded(r, 42001);
    assert.equal(r.attempts, 1);
    assert.equal(r.status === 'api-error' && /cannot refresh a token it did not obtain/.test(r.note ?? ''), true);
    assert.equal(sim.requestCount(TOKEN), before);
  });

  test('TokenCache: used until 5 minutes before expires_in, half the life when shorter', () => {
    let now = 0;
    const cache = new TokenCache(() => now);
    cache.set('k', 'tok', 7200);
    now = (7200 - 301) * 1000;
    assert.equal(cache.get('k'), 'tok');
    now = (7200 - 299) * 1000;
    assert.equal(cache.get('k'), undefined);
    cache.set('s', 'short', 60);
    now += 29_000;
    assert.equal(cache.get('s'), 'short');
    now += 2_000;
    assert.equal(cache.get('s'), undefined);
    assert.notEqual(TokenCache.key('b', 'a', 'one'), TokenCache.key('b', 'a', 'two'));
  });

  test('parallel sends share one token request', async () => {
    const c = client();
    for (let i = 1; i <= 3; i++) sim.addUser(APPID, `oParallel${i}`);
    const rs = await Promise.all([1, 2, 3].map((i) => c.send(text(`oParallel${i}`), creds)));
    assert.deepEqual(rs.map((r) => r.status), ['sent', 'sent', 'sent']);
    assert.equal(sim.requestCount(TOKEN), 1);
  });
});

describe('retries and faults', () => {
  test('-1 is retried twice with backoff, then succeeds', async () => {
    sim.injectFault({ type: 'errcode', errcode: -1, path: SEND, times: 2 });
    const r = await client().send(text(), creds);
    assert.equal(r.status, 'sent');
    assert.equal(r.attempts, 3);
    assert.deepEqual(delays, [100, 200]);
    assert.equal(sim.delivered.length, 1);
  });

  test('-1 three times: at most two retries, then the decoded error', async () => {
    await control(sim, 'POST', '/_sim/faults', { type: 'errcode', errcode: -1, path: SEND, times: 3 });
    const r = await client().send(text(), creds);
    assertDecoded(r, -1);
    assert.equal(r.attempts, 3);
    assert.equal(sim.requestCount(SEND), 3);
    assert.equal(sim.delivered.length, 0);
  });

  const unknownDelivery: [string, object, string, number][] = [
    ['timeout before headers', { type: 'delay', ms: 30_000 }, 'timeout', 1],
    ['reset mid-response', { type: 'reset' }, 'connection-dropped', 1],
    ['reset before headers', { type: 'reset', when: 'before-headers' }, 'connection-dropped', 1],
    ['slow body beyond the timeout', { type: 'slow-body', ms: 30_000 }, 'timeout', 1],
    ['HTTP 500', { type: 'http', status: 500 }, 'http', 0],
    ['HTTP 502', { type: 'http', status: 502 }, 'http', 0],
    ['a non-JSON body', { type: 'non-json' }, 'bad-response', 0],
    ['JSON without errcode', { type: 'no-errcode' }, 'bad-response', 0],
  ];
  for (const [name, fault, kind, delivered] of unknownDelivery) {
    test(`${name}: a clear error, delivery unknown, never retried`, async () => {
      await control(sim, 'POST', '/_sim/faults', { ...fault, path: SEND });
      const r = await client({ timeoutMs: 150 }).send(text(), creds);
      assert.equal(r.status, 'failed');
      if (r.status !== 'failed') return;
      assert.equal(r.failure.kind, kind);
      assert.equal(r.failure.deliveryUnknown, true);
      assert.match(r.failure.message, /may or may not have been delivered/);
      assert.ok(r.failure.setting, 'names the setting to check');
      assert.ok(r.failure.message.includes(r.failure.setting!));
      assert.equal(r.attempts, 1);
      assert.equal(sim.requestCount(SEND), 1, 'the simulator saw exactly one send request');
      // The fake processed the message before misbehaving when the fault is on the way back.
      assert.equal(sim.delivered.length, delivered);
    });
  }

  test('cancelled before the request: nothing sent; cancelled after it went out: delivery unknown', async () => {
    const early = new AbortController();
    early.abort();
    const c = client();
    await c.getToken(creds);
    const r1 = await c.send(text(), creds, { signal: early.signal });
    assert.equal(r1.status === 'failed' && r1.failure.kind, 'cancelled');
    assert.equal(r1.status === 'failed' && r1.failure.deliveryUnknown, false);
    assert.equal(sim.requestCount(SEND), 0);

    sim.injectFault({ type: 'delay', ms: 30_000, path: SEND });
    const late = new AbortController();
    const onRequest = (req: { path: string }) => { if (req.path === SEND) late.abort(); };
    sim.events.on('request', onRequest);
    try {
      const r2 = await c.send(text(), creds, { signal: late.signal });
      assert.equal(r2.status === 'failed' && r2.failure.kind, 'cancelled');
      assert.equal(r2.status === 'failed' && r2.failure.deliveryUnknown, true);
      assert.equal(sim.requestCount(SEND), 1);
    } finally {
      sim.events.off('request', onRequest);
    }
  });

  test('HTTP 5xx carries the status', async () => {
    sim.injectFault({ type: 'http', status: 502, path: SEND });
    const r = await client().send(text(), creds);
    assert.equal(r.status === 'failed' && r.failure.status, 502);
    assert.equal(r.status === 'failed' && /HTTP 502/.test(r.failure.message), true);
  });

  test('a body trickling in under the per-chunk timeout is cut by the whole-exchange deadline', async () => {
    sim.injectFault({ type: 'slow-body', ms: 100, chunks: 27, path: SEND });
    const r = await client({ timeoutMs: 400 }).send(text(), creds);
    assert.equal(r.status, 'failed');
    if (r.status !== 'failed') return;
    assert.equal(r.failure.kind, 'timeout');
    assert.match(r.failure.message, /took longer than 1200 ms in all/);
    assert.equal(r.failure.deliveryUnknown, true);
    assert.equal(sim.requestCount(SEND), 1);
  });

  test('a slow body within the timeout is fine', async () => {
    sim.injectFault({ type: 'slow-body', ms: 20, path: SEND });
    assert.equal((await client({ timeoutMs: 5000 }).send(text(), creds)).status, 'sent');
  });

  test('JSON labelled text/plain is parsed anyway', async () => {
    sim.injectFault({ type: 'text-plain', path: SEND });
    assert.equal((await client().send(text(), creds)).status, 'sent');
    sim.injectFault({ type: 'text-plain', path: SEND });
    assertDecoded(await client().send(text(SIM_USERS.stale), creds), 45015);
  });

  test('missing errcode counts as 0 only with the success marker (errmsg "ok")', async () => {
    sim.injectFault({ type: 'no-errcode', body: '{"errmsg":"ok"}', path: SEND });
    assert.equal((await client().send(text(), creds)).status, 'sent');
  });

  test('a fault on the token request: not a delivery problem, nothing sent', async () => {
    sim.injectFault({ type: 'reset', path: TOKEN });
    const r = await client().send(text(), creds);
    assert.equal(r.status === 'failed' && r.failure.kind, 'connection-dropped');
    assert.equal(r.status === 'failed' && r.failure.deliveryUnknown, false);
    assert.equal(sim.requestCount(SEND), 0);
  });

  test('connection refused (a closed port): names the base URL setting, nothing sent', async () => {
    const port = await closedPort();
    const c = new WeChatClient({ baseUrl: `http://127.0.0.1:${port}`, tokenCache: new TokenCache() });
    clients.push(c);
    const r = await c.send(text(), { accessToken: 'ready-token-for-refused-test' });
    assert.equal(r.status, 'failed');
    if (r.status !== 'failed') return;
    assert.equal(r.failure.kind, 'refused');
    assert.equal(r.failure.deliveryUnknown, false);
    assert.match(r.failure.message, /wxmsg\.api\.baseUrl/);
    assert.match(r.failure.message, /--api-base/);
    assert.doesNotMatch(r.failure.message, /ready-token-for-refused-test/);
  });

  test('DNS failure (an https .invalid host, fails locally): plain words, nothing sent', async () => {
    const c = new WeChatClient({ baseUrl: 'https://wxmsg-test.invalid', tokenCache: new TokenCache(), timeoutMs: 5000 });
    clients.push(c);
    const r = await c.send(text(), creds);
    assert.equal(r.status, 'failed');
    if (r.status !== 'failed') return;
    assert.equal(r.failure.kind, 'dns');
    assert.equal(r.failure.deliveryUnknown, false);
    assert.match(r.failure.message, /wxmsg-test\.invalid/);
    assert.match(r.failure.message, /wxmsg\.api\.baseUrl/);
    assert.ok(!r.failure.message.includes(SIM_DEFAULT_SECRET));
  });
});

describe('base URL policy', () => {
  test('https anywhere; http only for loopback; refused before any request', () => {
    for (const ok of ['https://api.weixin.qq.com', 'https://api.weixin.qq.com/', 'http://127.0.0.1:8700', 'http://127.9.9.9', 'http://localhost:1', 'http://[::1]:8700', undefined]) {
      assert.equal(checkBaseUrl(ok).ok, true, String(ok));
    }
    for (const bad of ['', ' ', '\t\n', 'http://api.weixin.qq.com', 'http://10.0.0.1', 'http://127.0.0.1.nip.io', 'http://0.0.0.0:8700', 'ftp://127.0.0.1', 'file:///etc/passwd', 'https://user:pw@api.weixin.qq.com', 'https://x?access_token=1', 'not a url', 'javascript:alert(1)']) {
      const r = checkBaseUrl(bad);
      assert.equal(r.ok, false, bad);
      if (!r.ok) assert.match(r.message, /wxmsg\.api\.baseUrl/);
    }
    assert.equal(isLoopbackHost('[::1]'), true);
    assert.equal(isLoopbackHost('::ffff:127.0.0.1'), true);
    assert.equal(isLoopbackHost('128.0.0.1'), false);
    assert.equal(isLoopbackHost('evil.localhost'), false);
    assert.equal(isLoopbackHost('localhost.example.com'), false);
    assert.throws(() => new WeChatClient({ baseUrl: 'http://example.com' }), BaseUrlError);
    const trimmed = checkBaseUrl('https://api.weixin.qq.com/');
    assert.equal(trimmed.ok && trimmed.base, 'https://api.weixin.qq.com');
  });
});

describe('upload', () => {
  test('an image: media_id returned, 3-day expiry', async () => {
    const r = await client().upload({ name: 'cover.png', data: PNG }, creds);
    assert.equal(r.status, 'uploaded');
    if (r.status !== 'uploaded') return;
    assert.equal(sim.media.length, 1);
    assert.equal(sim.media[0].mediaId, r.mediaId);
    assert.equal(sim.media[0].type, 'image/png');
    assert.equal(r.expiresAt - (r.createdAt ?? 0) * 1000, 3 * 86_400_000);
  });

  test('non-images and files over 10 MB are refused before any request', async () => {
    const dir = tmpDir('wxmsg-upload-');
    const txt = path.join(dir, 'notes.png');
    fs.writeFileSync(txt, 'not an image');
    const big = path.join(dir, 'big.jpg');
    fs.writeFileSync(big, Buffer.from([0xff, 0xd8, 0xff]));
    fs.truncateSync(big, 10 * 1024 * 1024 + 1);
    const c = client();
    for (const f of [txt, big, path.join(dir, 'missing.png'), dir]) {
      const r = await c.upload(f, creds);
      assert.equal(r.status === 'failed' && r.failure.kind, 'invalid-file', f);
    }
    assert.equal(sim.requests.length, 0, 'nothing reached the simulator');
    assert.equal(sniffImage(Buffer.from('GIF89a....')), 'image/gif');
    assert.equal(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0])), 'image/jpeg');
    assert.equal(readImage({ name: 'e.png', data: new Uint8Array() }).ok, false);
  });
});

describe('template preparation and secrets', () => {
  test('comments and trailing commas stripped, touser replaced; errors refuse', () => {
    const src = readExample('link.wxmsg.json');
    const p = prepareTemplate(src, 'oUser1');
    assert.ok(p.ok);
    if (!p.ok) return;
    assert.deepEqual(JSON.parse(p.body), { touser: 'oUser1', msgtype: 'link', link: { title: 'Happy Day', description: 'Is Really A Happy Day', url: 'https://example.com/happy-day', thumb_url: 'https://example.com/happy-day.png' } });
    // The example keeps the MEDIA_ID placeholder: a send refuses it (issue 19); filled, it goes.
    const placeholder = prepareTemplate(readExample('image.wxmsg.json'), 'oUser1');
    assert.ok(!placeholder.ok && placeholder.reason === 'media-placeholder');
    const img = prepareTemplate(readExample('image.wxmsg.json').replace('"MEDIA_ID"', '"m3dia_1d"'), 'oUser1');
    assert.ok(img.ok && !img.body.includes('//'));
    const bad = prepareTemplate('{"touser":"x","msgtype":"txet"}', 'oUser1');
    assert.equal(bad.ok, false);
    if (!bad.ok) {
      assert.equal(bad.reason, 'invalid-template');
      assert.ok(bad.errors.some((d) => d.code === 'wxmsg/invalid-msgtype'));
    }
    assert.equal(prepareTemplate(src, 'has space').ok, false);
    assert.equal(prepareTemplate(src, '').ok, false);
    assert.equal(maskOpenId(USER), 'oWx…0001');
  });

  test('UTF-8 JSON body, not \\u escapes', () => {
    const p = prepareTemplate(readExample('welcome.wxmsg.json'), 'oUser1');
    assert.ok(p.ok && p.body.includes('您好') && !/\\u[0-9a-f]{4}/i.test(p.body));
  });

  test('clients sharing a token cache all mask the token, whoever fetched it', async () => {
    const cache = new TokenCache();
    const a = client({ tokenCache: cache });
    const b = client({ tokenCache: cache });
    const [ta, tb] = await Promise.all([a.getToken(creds), b.getToken(creds)]);
    assert.ok(ta.ok && tb.ok && ta.token === tb.token);
    assert.equal(sim.requestCount(TOKEN), 1);
    const tok = ta.ok ? ta.token : '';
    assert.equal(a.redact(`x ${tok} y`), 'x *** y');
    assert.equal(b.redact(`x ${tok} y`), 'x *** y');
    const c = client({ tokenCache: cache });
    assert.ok((await c.getToken(creds)).ok);
    assert.equal(c.redact(tok), '***');
  });

  test('redact masks token/secret URL parameters and every known secret', () => {
    assert.equal(redact('POST https://h/x?access_token=abc123&type=image'), 'POST https://h/x?access_token=***&type=image');
    assert.equal(redact('GET /cgi-bin/token?grant_type=client_credential&appid=a&secret=s3cr3t'), 'GET /cgi-bin/token?grant_type=client_credential&appid=a&secret=***');
    assert.equal(redact('echo TOKEN-XYZ and again TOKEN-XYZ', ['TOKEN-XYZ']), 'echo *** and again ***');
  });

  test('no secret or issued token in any log line or result', async () => {
    const secret = 'Sec-' + 'x'.repeat(28);
    sim.addApp({ appid: APPID, secret });
    const lines: string[] = [];
    const c = client({ log: (l) => lines.push(l), tokenEndpoint: 'token', timeoutMs: 150 });
    const mine = { appid: APPID, appSecret: secret };
    const results: unknown[] = [];
    results.push(await c.send(text(), mine));
    sim.expireTokens({});
    results.push(await c.send(text(), mine));
    sim.injectFault({ type: 'reset', path: SEND });
    results.push(await c.send(text(), mine));
    sim.injectFault({ type: 'errcode', errcode: 40003, errmsg: 'echo of the secret ' + secret, path: SEND });
    results.push(await c.send(text(), mine));
    results.push(await c.upload({ name: 'a.png', data: PNG }, mine));
    results.push(await c.send(text(), { appid: APPID, appSecret: 'wrong-' + secret }));
    const tokens = sim.issuedTokens().map((t) => t.token);
    assert.ok(tokens.length >= 2);
    const all = lines.join('\n') + JSON.stringify(results);
    assert.ok(lines.some((l) => l.includes('/cgi-bin/token?grant_type=client_credential&appid=wx1234567890abcdef&secret=***')));
    assert.ok(lines.some((l) => l.includes('access_token=***')));
    for (const s of [secret, ...tokens]) assert.equal(all.includes(s), false, 'a secret leaked');
  });
});
