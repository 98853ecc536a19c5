// The token-url refetch shared by the CLI and the extension (tokenSources.ts: callWithTokenRefetch):
// once more after 40001 / 42001 / 40014, never after another errcode, never twice; the same token
// again is its own outcome. Plain data here; the CLI (teamCli.test.ts), the editor's SendService
// (below, against the simulator) and the code-server suite run it against 127.0.0.1.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { callWithTokenRefetch, fetchTokenUrl, STALE_TOKEN_CODES, staleTokenErrcode, type TokenResult } from '../server/src/wechat/tokenSources.ts';
import { ERRCODES } from '../server/src/core/facts/errcodes.ts';
import { nodeTransport } from '../server/src/wechat/nodeTransport.ts';
import { SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET, SIM_USERS, Simulator } from '../server/src/simulator/simulator.ts';
import { SendService, type TokenRefetch } from '../client/src/send/sendService.ts';
import { MapSecrets, MapState, prepared } from './sendHelpers.ts';

type Fake = { status: 'sent' | 'api-error'; decoded: { errcode: number }; attempts: number; tokenRefreshed: boolean; token: string };

const T1 = 'A'.repeat(120);
const T2 = 'B'.repeat(120);

/** A fake WeChat: answers `codes` in turn (0 = sent) and records the token of each call. */
function wechat(...codes: number[]) {
  const tokens: string[] = [];
  const call = async (token: string): Promise<Fake> => {
    tokens.push(token);
    const errcode = codes.length > 1 ? codes.shift()! : codes[0];
    return { status: errcode === 0 ? 'sent' : 'api-error', decoded: { errcode }, attempts: 1, tokenRefreshed: false, token };
  };
  return { call, tokens };
}

/** A fake token service: hands out `answers` in turn (the last one repeats) and counts the calls. */
function service(...answers: TokenResult[]) {
  let calls = 0;
  const fetch = async (): Promise<TokenResult> => {
    calls++;
    return answers.length > 1 ? answers.shift()! : answers[0];
  };
  return { fetch, get calls() { return calls; } };
}

describe('callWithTokenRefetch', () => {
  test('the stale codes are 40001, 42001 and 40014, the errcode catalog\'s refresh codes (wechat-api-facts.md)', () => {
    assert.deepEqual([...STALE_TOKEN_CODES].sort(), [40001, 40014, 42001]);
    for (const c of STALE_TOKEN_CODES) assert.equal(ERRCODES[c]?.retry, 'refresh-token');
    assert.equal(staleTokenErrcode({ status: 'api-error', decoded: { errcode: 40003 }, attempts: 1, tokenRefreshed: false }), undefined);
    // A failure that carries a decoded 40001 of the token endpoint is not WeChat refusing this token.
    assert.equal(staleTokenErrcode({ status: 'failed', decoded: { errcode: 40001 }, attempts: 0, tokenRefreshed: false }), undefined);
    assert.equal(staleTokenErrcode({ status: 'api-error', decoded: { errcode: 42001 }, attempts: 1, tokenRefreshed: false }), 42001);
  });

  for (const code of [40001, 42001, 40014]) {
    test(`${code}, then a different token from the service: sent with it, after exactly one refetch`, async () => {
      const w = wechat(code, 0);
      const s = service({ ok: true, token: T2 });
      const out = await callWithTokenRefetch(T1, w.call, s.fetch);
      assert.equal(out.kind, 'result');
      assert.ok(out.kind === 'result');
      assert.equal(out.refetched, true);
      assert.equal(out.errcode, code);
      assert.equal(out.result.status, 'sent');
      assert.equal(out.result.attempts, 2, 'the attempts of both calls');
      assert.equal(out.result.tokenRefreshed, true);
      assert.deepEqual(w.tokens, [T1, T2]);
      assert.equal(s.calls, 1);
    });
  }

  test('the same token again: same-token, the message is not sent again', async () => {
    const w = wechat(40001);
    const s = service({ ok: true, token: T1 });
    const out = await callWithTokenRefetch(T1, w.call, s.fetch);
    assert.equal(out.kind, 'same-token');
    assert.ok(out.kind === 'same-token');
    assert.equal(out.errcode, 40001);
    assert.equal(out.first.decoded.errcode, 40001);
    assert.deepEqual(w.tokens, [T1], 'one call only');
    assert.equal(s.calls, 1);
  });

  test('a near miss: a token that differs in its last character is a different token and is tried', async () => {
    const near = `${T1.slice(0, -1)}C`;
    const w = wechat(40001, 0);
    const out = await callWithTokenRefetch(T1, w.call, service({ ok: true, token: near }).fetch);
    assert.equal(out.kind, 'result');
    assert.deepEqual(w.tokens, [T1, near]);
  });

  test('another errcode (40003 invalid OpenID, 45015, -1) or a success: no refetch', async () => {
    for (const code of [40003, 45015, -1, 0]) {
      const w = wechat(code);
      const s = service({ ok: true, token: T2 });
      const out = await callWithTokenRefetch(T1, w.call, s.fetch);
      assert.equal(out.kind, 'result', String(code));
      assert.ok(out.kind === 'result');
      assert.equal(out.refetched, false);
      assert.equal(out.result.decoded.errcode, code);
      assert.equal(s.calls, 0, `no refetch after ${code}`);
      assert.deepEqual(w.tokens, [T1]);
    }
  });

  test('only ONE refetch: the new token refused too is returned as WeChat answered it', async () => {
    const w = wechat(40001, 42001, 0);
    const s = service({ ok: true, token: T2 }, { ok: true, token: 'C'.repeat(120) });
    const out = await callWithTokenRefetch(T1, w.call, s.fetch);
    assert.ok(out.kind === 'result');
    assert.equal(out.refetched, true);
    assert.equal(out.result.status, 'api-error');
    assert.equal(out.result.decoded.errcode, 42001);
    assert.equal(s.calls, 1);
    assert.deepEqual(w.tokens, [T1, T2]);
  });

  test('the service failing on the refetch: refetch-failed with its message, nothing sent again', async () => {
    const w = wechat(40014);
    const s = service({ ok: false, message: { en: 'the token service 127.0.0.1:1 answered HTTP 503; the body is not shown', zh: 'token 服务 127.0.0.1:1 应答 HTTP 503' } });
    const out = await callWithTokenRefetch(T1, w.call, s.fetch);
    assert.equal(out.kind, 'refetch-failed');
    assert.ok(out.kind === 'refetch-failed');
    assert.equal(out.errcode, 40014);
    assert.match(out.message.en, /HTTP 503/);
    assert.deepEqual(w.tokens, [T1]);
  });
});

describe('the editor\'s SendService with a token-url token (simulator and token service on 127.0.0.1)', () => {
  let sim: Simulator;
  let server: http.Server;
  let url: string;
  let answers: string[];
  let fetched: number;
  const USER = SIM_USERS.ready[0];
  const TEMPLATE = '{ "touser": "OPENID", "msgtype": "text", "text": { "content": "token-url" } }';
  before(async () => {
    sim = await Simulator.start();
    server = http.createServer((_req, res) => {
      fetched++;
      const token = answers.length > 1 ? answers.shift()! : answers[0];
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: token, expires_in: 7200 }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  });
  after(async () => {
    await sim.close();
    await new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => { sim.reset(); answers = []; fetched = 0; });

  async function plainToken(): Promise<string> {
    const r = await fetch(`${sim.url}/cgi-bin/token?grant_type=client_credential&appid=${SIM_DEFAULT_APPID}&secret=${SIM_DEFAULT_SECRET}`);
    return ((await r.json()) as { access_token: string }).access_token;
  }

  /** As profiles.ts builds it: a fresh transport per fetch; texts marked so the test can tell them. */
  function refetch(): TokenRefetch {
    return {
      fetch: async () => {
        const t = nodeTransport({});
        try { return await fetchTokenUrl(url, 'Authorization', 'Bearer svc', t, 2000); } finally { await t.close(); }
      },
      texts: {
        refetched: (c) => `REFETCHED ${c}`,
        sameTokenLens: () => 'SAME-LENS',
        sameToken: (c, d) => `SAME ${c} ${d?.en}`,
        failedLens: () => 'FAILED-LENS',
        failed: (c, _d, reason) => `FAILED ${c}: ${reason}`,
        refusedAgain: (c) => `AGAIN ${c}`,
      },
    };
  }

  async function send(token: string) {
    const lines: string[] = [];
    const svc = new SendService(new MapSecrets(), new MapState(), (l) => lines.push(l), { backoffMs: 1, delay: async () => {} });
    const out = await svc.send({
      ...prepared(TEMPLATE, { appid: SIM_DEFAULT_APPID }), fileName: 't.wxmsg.json', openId: USER, appid: SIM_DEFAULT_APPID,
      api: { base: sim.url, timeoutMs: 2000 }, credentials: { creds: { appid: SIM_DEFAULT_APPID, accessToken: token }, kind: 'access token', refetch: refetch() },
    });
    return { out, log: lines.join('\n') };
  }

  test('40001 injected once: one refetch, sent with the new token; no token in the log or the view', async () => {
    const first = await plainToken();
    const second = await plainToken();
    answers = [second];
    sim.injectFault({ type: 'errcode', errcode: 40001, path: '/cgi-bin/message/custom/send' });
    const { out, log } = await send(first);
    assert.equal(out.view.state, 'sent', out.view.notify);
    assert.equal(fetched, 1);
    assert.equal(sim.delivered.length, 1);
    assert.equal(sim.requestCount('/cgi-bin/message/custom/send'), 2);
    assert.match(log, /REFETCHED 40001/);
    for (const t of [first, second]) assert.ok(!log.includes(t) && !JSON.stringify(out).includes(t));
  });

  test('the same token again: a failed view with the localized text; sent once, never again', async () => {
    const token = await plainToken();
    answers = [token];
    sim.expireTokens({ token, mode: 'expired' });
    const { out, log } = await send(token);
    assert.equal(out.view.state, 'failed');
    assert.equal(out.view.severity, 'error');
    assert.equal(out.view.code, 42001);
    assert.equal(out.view.notify, 'SAME 42001 access_token expired');
    assert.equal(out.view.lens, '✗ 42001 SAME-LENS');
    assert.equal(fetched, 1);
    assert.equal(sim.requestCount('/cgi-bin/message/custom/send'), 1);
    assert.equal(sim.delivered.length, 0);
    assert.ok(!log.includes(token) && !JSON.stringify(out).includes(token));
  });

  test('40003 (invalid OpenID): no refetch; the new token refused too: the note says so', async () => {
    const token = await plainToken();
    answers = [token];
    sim.injectFault({ type: 'errcode', errcode: 40003, path: '/cgi-bin/message/custom/send' });
    let r = await send(token);
    assert.equal(r.out.view.state, 'api-error');
    assert.equal(fetched, 0);
    sim.injectFault({ type: 'errcode', errcode: 40014, path: '/cgi-bin/message/custom/send', times: 2 });
    answers = [await plainToken()];
    r = await send(token);
    assert.equal(r.out.view.state, 'api-error');
    assert.equal(r.out.result?.status === 'api-error' && r.out.result.note, 'AGAIN 40014');
    assert.equal(fetched, 1, 'one refetch only');
    assert.equal(sim.requestCount('/cgi-bin/message/custom/send'), 3);
  });
});
