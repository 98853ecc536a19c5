// The two transports (undici for the CLI, node:https for the extension) behave alike where the
// no-double-send promise and the token's safety depend on it: redirects are never followed,
// "the request never went out" is told apart from "delivery unknown", and (node:https) a proxy
// refusing the tunnel — as VS Code's proxy agent reports it — is named, with nothing sent.
// Everything listens on 127.0.0.1; the proxy agent never resolves the API host.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { WeChatClient, type Credentials, type SendResult } from '../server/src/wechat/client.ts';
import { nodeTransport } from '../server/src/wechat/nodeTransport.ts';
import { parseProxy } from '../server/src/wechat/proxyEnv.ts';
import { SIM_DEFAULT_SECRET, SIM_USERS } from '../server/src/simulator/simulator.ts';
import { TokenCache } from '../server/src/wechat/tokenCache.ts';
import type { Transport } from '../server/src/wechat/transport.ts';
import { undiciTransport } from '../server/src/wechat/undiciTransport.ts';
import { closedPort, startSim } from './sendHelpers.ts';
import { startConnectProxy, type RecordingProxy } from './proxyHelpers.ts';

const TOKEN = 'TEST_TOKEN_redirect_bait_0123456789abcdef';
const BODY = { touser: SIM_USERS.ready[0], msgtype: 'text', text: { content: 'hi' } };

const TRANSPORTS: [string, (timeoutMs: number) => Transport][] = [
  ['undici (CLI)', (timeoutMs) => undiciTransport({ timeoutMs })],
  ['node:https (extension)', () => nodeTransport()],
];

interface Recorder { url: string; seen: string[]; close(): Promise<void> }

/** A server on 127.0.0.1 that records "METHOD path" (and the body) and answers with `answer`. */
async function server(answer: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<Recorder> {
  const seen: string[] = [];
  const s = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${body}`);
      answer(req, res, body);
    });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen, close: () => new Promise((r) => { s.closeAllConnections(); s.close(() => r()); }) };
}

async function sendWith(transport: Transport, baseUrl: string, creds: Credentials, timeoutMs = 5000): Promise<SendResult> {
  const client = new WeChatClient({ baseUrl, transport, timeoutMs, tokenCache: new TokenCache() });
  try {
    return await client.send(BODY, creds);
  } finally {
    await transport.close();
  }
}

for (const [name, make] of TRANSPORTS) {
  describe(`transport: ${name}`, () => {
    let elsewhere: Recorder;
    before(async () => { elsewhere = await server((_q, res) => res.end('{"errcode":0,"errmsg":"ok","access_token":"x","expires_in":7200}')); });
    after(async () => { await elsewhere.close(); });
    beforeEach(() => { elsewhere.seen.length = 0; });

    for (const status of [301, 302, 303, 307, 308]) {
      test(`a ${status} redirect is not followed: the token and the AppSecret never go to the Location`, async () => {
        const redirecting = await server((_q, res) => res.writeHead(status, { location: `${elsewhere.url}/cgi-bin/message/custom/send?from=redirect` }).end());
        try {
          const withToken = await sendWith(make(5000), redirecting.url, { accessToken: TOKEN });
          assert.equal(withToken.status, 'failed');
          if (withToken.status !== 'failed') return;
          assert.deepEqual([withToken.failure.kind, withToken.failure.status, withToken.failure.deliveryUnknown], ['http', status, false]);
          assert.ok(!withToken.failure.message.includes(TOKEN));
          const withSecret = await sendWith(make(5000), redirecting.url, { appid: 'wx1234567890abcdef', appSecret: SIM_DEFAULT_SECRET });
          assert.equal(withSecret.status, 'failed');
          assert.equal(redirecting.seen.length, 2, 'one request each, no second attempt');
          assert.deepEqual(elsewhere.seen, [], 'nothing reached the redirect target');
        } finally {
          await redirecting.close();
        }
      });
    }

    test('connection refused: nothing was sent (not "delivery unknown")', async () => {
      const r = await sendWith(make(5000), `http://127.0.0.1:${await closedPort()}`, { accessToken: TOKEN });
      assert.equal(r.status, 'failed');
      if (r.status !== 'failed') return;
      assert.deepEqual([r.failure.kind, r.failure.deliveryUnknown], ['refused', false]);
      assert.match(r.failure.message, /Nothing was sent/);
    });

    test('the connection drops after the request went out: delivery unknown, not retried', async () => {
      const dropping = await server((req) => req.socket.destroy());
      try {
        const r = await sendWith(make(5000), dropping.url, { accessToken: TOKEN });
        assert.equal(r.status, 'failed');
        if (r.status !== 'failed') return;
        assert.deepEqual([r.failure.kind, r.failure.deliveryUnknown, r.attempts], ['connection-dropped', true, 1]);
        assert.equal(dropping.seen.length, 1);
      } finally {
        await dropping.close();
      }
    });

    test('no answer in time after the request went out: delivery unknown', async () => {
      const silent = await server(() => undefined);
      try {
        const r = await sendWith(make(300), silent.url, { accessToken: TOKEN }, 300);
        assert.equal(r.status, 'failed');
        if (r.status !== 'failed') return;
        assert.deepEqual([r.failure.kind, r.failure.deliveryUnknown], ['timeout', true]);
      } finally {
        await silent.close();
      }
    });

    test('a whole send and an upload succeed against the simulator', async () => {
      const sim = await startSim();
      try {
        const transport = make(5000);
        const client = new WeChatClient({ baseUrl: sim.url, transport, tokenCache: new TokenCache() });
        const creds = { appid: 'wx1234567890abcdef', appSecret: SIM_DEFAULT_SECRET };
        assert.equal((await client.send(BODY, creds)).status, 'sent');
        const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
        const up = await client.upload({ name: 'a "quoted"\r\nname.png', data: png }, creds);
        assert.equal(up.status, 'uploaded', JSON.stringify(up));
        await transport.close();
      } finally {
        await sim.close();
      }
    });
  });
}

describe('node:https behind a proxy agent (https-proxy-agent, the agent VS Code routes node:https through)', () => {
  for (const status of [403, 502]) {
    test(`the proxy refuses CONNECT with ${status}: named with its setting, nothing was sent (not an HTTP answer of api.weixin.qq.com)`, async () => {
      const proxy: RecordingProxy = await startConnectProxy({ refuse: true, status });
      try {
        const transport = nodeTransport({ agent: new HttpsProxyAgent(proxy.url), proxy: () => parseProxy(proxy.url, 'http.proxy') });
        const r = await sendWith(transport, 'https://api.weixin.qq.com', { accessToken: TOKEN });
        assert.deepEqual(proxy.lines, ['CONNECT api.weixin.qq.com:443']);
        assert.equal(r.status, 'failed');
        if (r.status !== 'failed') return;
        assert.deepEqual([r.failure.kind, r.failure.deliveryUnknown, r.failure.setting], ['proxy', false, 'http.proxy']);
        assert.match(r.failure.message, new RegExp(`^The proxy ${proxy.url.replace(/[.]/g, '\\.')} \\(set by http\\.proxy\\) refused to open a tunnel to api\\.weixin\\.qq\\.com: it answered the CONNECT request with HTTP ${status}`));
        assert.match(r.failure.message, /Nothing was sent/);
        assert.ok(!proxy.heads.join('\n').includes(TOKEN), 'the proxy never sees the token');
      } finally {
        await proxy.close();
      }
    });
  }

  test('a refusal from a proxy the extension cannot name (PAC, system) is still recognised', async () => {
    const proxy = await startConnectProxy({ refuse: true, status: 403 });
    try {
      const r = await sendWith(nodeTransport({ agent: new HttpsProxyAgent(proxy.url) }), 'https://api.weixin.qq.com', { accessToken: TOKEN });
      assert.equal(r.status, 'failed');
      if (r.status !== 'failed') return;
      assert.deepEqual([r.failure.kind, r.failure.deliveryUnknown], ['proxy', false]);
      assert.match(r.failure.message, /^A proxy \(from the proxy settings of this machine or VS Code\) refused to open a tunnel/);
    } finally {
      await proxy.close();
    }
  });

  test('an unreachable proxy: connection refused to the proxy, named, nothing sent', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await sendWith(nodeTransport({ agent: new HttpsProxyAgent(url), proxy: () => parseProxy(url, 'http.proxy') }), 'https://api.weixin.qq.com', { accessToken: TOKEN });
    assert.equal(r.status, 'failed');
    if (r.status !== 'failed') return;
    assert.deepEqual([r.failure.kind, r.failure.deliveryUnknown], ['proxy', false]);
    assert.match(r.failure.message, new RegExp(`Could not connect to the proxy ${url.replace(/[.]/g, '\\.')} \\(set by http\\.proxy\\): connection refused`));
  });
});
