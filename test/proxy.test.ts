// Proxies and certificates on the send path. Every proxy and server here listens on 127.0.0.1,
// and every in-process send resolves host names to 127.0.0.1 (toLoopback): even a wrong proxy
// choice cannot reach another machine. The API host stays api.weixin.qq.com by name, so the
// "loopback is never proxied" rule does not hide the proxy.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { ProxyConfigError, noProxyMatches, parseProxy, proxyForUrl } from '../server/src/wechat/proxyEnv.ts';
import { SIM_DEFAULT_SECRET, SIM_USERS, Simulator } from '../server/src/simulator/simulator.ts';
import { sharedTokenCache } from '../server/src/wechat/tokenCache.ts';
import { EXAMPLES, cliSend, closedPort, startSim, tmpDir } from './sendHelpers.ts';
import { makePki, startConnectProxy, startSocks5, startTlsFront, toLoopback, type RecordingProxy, type TestPki } from './proxyHelpers.ts';

const WELCOME = 'templates/welcome.wxmsg.json';
const USER = SIM_USERS.ready[0];
const TOKEN = 'TEST_TOKEN_that_must_never_reach_a_proxy_0123456789';
const API = new URL('https://api.weixin.qq.com');
const CONNECT_API = 'CONNECT api.weixin.qq.com:443';

const route = (url: string | URL, env: Record<string, string>) => proxyForUrl(new URL(url), env);
const send = (env: Record<string, string | undefined>, extra: string[] = []) =>
  cliSend([WELCOME, '--to', USER, '--appid', 'wx1234567890abcdef', ...extra], env, { requestTls: { lookup: toLoopback } });

describe('the proxy for a URL, chosen as curl chooses it', () => {
  test('HTTPS_PROXY for https, ALL_PROXY as the fallback, HTTP_PROXY never for https; lower case wins', () => {
    assert.equal(route(API, { HTTPS_PROXY: 'http://p1:3128' })?.uri, 'http://p1:3128');
    assert.equal(route(API, { https_proxy: 'http://p1:3128' })?.source, 'https_proxy');
    assert.equal(route(API, { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' })?.uri, 'http://lower:2');
    assert.equal(route(API, { HTTP_PROXY: 'http://p1:3128' }), undefined);
    assert.equal(route(API, { http_proxy: 'http://p1:3128' }), undefined);
    const all = route(API, { ALL_PROXY: 'socks5://p2:1080' });
    assert.deepEqual([all?.protocol, all?.source], ['socks5', 'ALL_PROXY']);
    assert.equal(route(API, { all_proxy: 'http://p2:8080', HTTPS_PROXY: 'http://p1:3128' })?.source, 'HTTPS_PROXY');
    // An empty variable is unset, as in curl: the fallback applies.
    assert.equal(route(API, { HTTPS_PROXY: ' ', ALL_PROXY: 'http://p2:8080' })?.source, 'ALL_PROXY');
    assert.equal(route(API, {}), undefined);
  });

  test('HTTP_PROXY for http (a non-loopback http URL, which the client itself would refuse)', () => {
    assert.equal(route('http://example.com/', { HTTP_PROXY: 'http://p1:3128' })?.source, 'HTTP_PROXY');
    assert.equal(route('http://example.com/', { http_proxy: 'http://p1:3128', HTTP_PROXY: 'http://p0:1' })?.source, 'http_proxy');
    assert.equal(route('http://example.com/', { HTTPS_PROXY: 'http://p1:3128' }), undefined);
    assert.equal(route('http://example.com/', { ALL_PROXY: 'http://p1:3128' })?.source, 'ALL_PROXY');
  });

  test('NO_PROXY (either case): domain suffixes, *, ports, IP addresses and CIDR ranges; near misses stay proxied', () => {
    const host = 'api.weixin.qq.com';
    for (const list of ['qq.com', '.qq.com', 'weixin.qq.com', 'API.Weixin.QQ.com', 'example.com, qq.com', 'example.com qq.com', '*', 'api.weixin.qq.com:443', '*.qq.com', 'qq.com.']) {
      assert.ok(noProxyMatches(list, host, '443'), `${list} matches`);
    }
    for (const list of ['eixin.qq.com', 'q.com', 'api.weixin.qq.co', 'xapi.weixin.qq.com', 'api.weixin.qq.com:8443', '*x', 'example.com', '', ',']) {
      assert.ok(!noProxyMatches(list, host, '443'), `${list} does not match`);
    }
    assert.ok(noProxyMatches('10.1.2.3', '10.1.2.3', '443'));
    assert.ok(!noProxyMatches('10.1.2.3', '10.1.2.30', '443'));
    assert.ok(noProxyMatches('10.0.0.0/8', '10.255.0.1', '443'));
    assert.ok(!noProxyMatches('10.0.0.0/8', '11.0.0.1', '443'));
    assert.ok(noProxyMatches('192.168.1.0/24', '192.168.1.77', '443'));
    assert.ok(!noProxyMatches('192.168.1.0/24', '192.168.2.1', '443'));
    assert.ok(!noProxyMatches('10.0.0.0/33', '10.0.0.1', '443'), 'a prefix out of range matches nothing');
    assert.ok(noProxyMatches('[2001:db8::1]', '2001:db8::1', '443'));
    assert.ok(noProxyMatches('2001:db8::/32', '2001:db8:ffff::5', '443'));
    assert.ok(!noProxyMatches('2001:db8::/32', '2001:db9::5', '443'));
    assert.ok(noProxyMatches('[2001:db8::1]:443', '2001:db8::1', '443'));
    assert.ok(!noProxyMatches('[2001:db8::1]:80', '2001:db8::1', '443'));
    assert.ok(!noProxyMatches('10.1.2.3', 'ten.example', '443'), 'an IP entry never matches a name');
    // Through proxyForUrl, in either case.
    assert.equal(route(API, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'qq.com' }), undefined);
    assert.equal(route(API, { HTTPS_PROXY: 'http://p:1', no_proxy: 'qq.com' }), undefined);
    assert.equal(route(API, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'notqq.com' })?.uri, 'http://p:1');
    assert.equal(route('https://api.weixin.qq.com:8443', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'api.weixin.qq.com:443' })?.uri, 'http://p:1');
    assert.equal(route('https://[2001:db8::1]/', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '2001:db8::/64' }), undefined);
  });

  test('loopback is never proxied, whatever the variables say; names that only look local are', () => {
    const env = { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', ALL_PROXY: 'socks5://p:2', NO_PROXY: '' };
    for (const u of ['http://127.0.0.1:8080', 'http://127.9.9.9', 'http://localhost:1', 'http://[::1]:9', 'https://LOCALHOST', 'https://[::ffff:127.0.0.1]']) {
      assert.equal(route(u, env), undefined, u);
    }
    for (const u of ['https://localhost.example.com', 'https://127.0.0.1.nip.io', 'https://128.0.0.1', 'https://[::2]']) {
      assert.ok(route(u, env), u);
    }
  });

  test('proxy values: no scheme means http; socks5h is socks5; other schemes and paths are refused naming the variable; passwords are masked', () => {
    assert.deepEqual(parseProxy('proxy.corp:3128', 'HTTPS_PROXY'), { uri: 'http://proxy.corp:3128', shown: 'http://proxy.corp:3128', source: 'HTTPS_PROXY', protocol: 'http' });
    assert.equal(parseProxy('proxy.corp', 'HTTPS_PROXY').uri, 'http://proxy.corp:1080', "curl's default proxy port");
    assert.equal(parseProxy('https://proxy.corp', 'HTTPS_PROXY').uri, 'https://proxy.corp:443');
    assert.equal(parseProxy('socks5h://127.0.0.1:9050', 'ALL_PROXY').uri, 'socks5://127.0.0.1:9050');
    const auth = parseProxy('http://alice:s3cret@proxy.corp:3128', 'HTTPS_PROXY');
    assert.equal(auth.uri, 'http://alice:s3cret@proxy.corp:3128');
    assert.equal(auth.shown, 'http://alice:***@proxy.corp:3128');
    // Plain http to a proxy on another host is fine: the http-only-for-loopback rule is about the API host.
    assert.equal(parseProxy('http://10.20.30.40:3128', 'HTTPS_PROXY').protocol, 'http');
    assert.throws(() => parseProxy('socks4://p:1080', 'ALL_PROXY'), (e: Error) => e instanceof ProxyConfigError && /ALL_PROXY/.test(e.message) && /socks4/.test(e.message));
    assert.throws(() => parseProxy('http://p:3128/path', 'HTTPS_PROXY'), /HTTPS_PROXY must be a proxy address without a path/);
    assert.throws(() => parseProxy('http://al:pw@[bad', 'HTTPS_PROXY'), (e: Error) => /HTTPS_PROXY is not a proxy URL/.test(e.message) && !e.message.includes('pw'));
  });

  test('the README Security section and `wxmsg send --help` state the proxy and certificate rules', async () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8');
    const security = readme.slice(readme.indexOf('## Security'), readme.indexOf('\n## ', readme.indexOf('## Security') + 5));
    for (const s of ['**Proxies.**', 'HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'NO_PROXY', 'Loopback is never proxied', 'ProxyAgent', 'Socks5ProxyAgent',
      'node:https', 'http.proxy', 'http.noProxy', 'PAC', 'http.proxyStrictSSL', '**Certificates.**', 'NODE_EXTRA_CA_CERTS', '**Redirects.**', 'Nothing was sent']) {
      assert.ok(security.toLowerCase().includes(s.toLowerCase()), `README Security: ${s}`);
    }
    const help = (await cliSend(['--help'], {})).stdout;
    for (const s of ['HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY', 'NODE_EXTRA_CA_CERTS', '127.0.0.1']) assert.ok(help.includes(s), `send --help: ${s}`);
  });
});

describe('wxmsg send through a proxy', () => {
  let refusing: RecordingProxy;
  beforeEach(() => sharedTokenCache.clear());
  before(async () => { refusing = await startConnectProxy({ refuse: true }); });
  after(async () => { await refusing.close(); });
  beforeEach(() => { refusing.lines.length = 0; refusing.heads.length = 0; });

  test('HTTPS_PROXY: the proxy gets CONNECT api.weixin.qq.com:443, refuses it; the error names the proxy and the variable; nothing was sent (exit 2)', async () => {
    const r = await send({ WXMSG_ACCESS_TOKEN: TOKEN, HTTPS_PROXY: refusing.url });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.deepEqual(refusing.lines, [CONNECT_API]);
    assert.match(r.stderr, new RegExp(`✖ not sent: The proxy ${refusing.url.replace(/[.]/g, '\\.')} \\(set by HTTPS_PROXY\\) refused to open a tunnel to api\\.weixin\\.qq\\.com: it answered the CONNECT request with HTTP 403`));
    assert.match(r.stderr, /Nothing was sent\./);
    assert.doesNotMatch(r.stderr, /delivery unknown|DNS/i);
    assert.ok(!r.stderr.includes(TOKEN));
    assert.ok(!refusing.heads.join('\n').includes(TOKEN), 'the proxy never sees the token');

    const j = JSON.parse((await send({ WXMSG_ACCESS_TOKEN: TOKEN, https_proxy: refusing.url }, ['--format', 'json'])).stdout);
    assert.deepEqual([j.status, j.deliveryUnknown, j.error.kind, j.error.setting], ['failed', false, 'proxy', 'https_proxy']);
  });

  test('a proxy that wants credentials (407) says so', async () => {
    const p = await startConnectProxy({ refuse: true, status: 407 });
    try {
      const r = await send({ WXMSG_ACCESS_TOKEN: TOKEN, ALL_PROXY: p.url });
      assert.equal(r.code, 2);
      assert.deepEqual(p.lines, [CONNECT_API]);
      assert.match(r.stderr, /\(set by ALL_PROXY\) refused .*HTTP 407 \(it asks for a user name and password/);
    } finally {
      await p.close();
    }
  });

  test('a proxy nobody listens on: "could not connect to the proxy …", named with its variable, nothing sent', async () => {
    const port = await closedPort();
    const r = await send({ WXMSG_ACCESS_TOKEN: TOKEN, https_proxy: `127.0.0.1:${port}` });
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`Could not connect to the proxy http://127\\.0\\.0\\.1:${port} \\(set by https_proxy\\): connection refused`));
    assert.match(r.stderr, /Nothing was sent/);
    assert.doesNotMatch(r.stderr, /api\.weixin\.qq\.com: connection refused|delivery unknown/);
  });

  test('a proxy that never answers CONNECT: our deadline says nothing was sent (not "delivery unknown")', async () => {
    const held = new Set<net.Socket>();
    const silent = net.createServer((sock) => { held.add(sock); sock.on('error', () => undefined); });
    await new Promise<void>((res) => silent.listen(0, '127.0.0.1', res));
    try {
      const url = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
      const j = JSON.parse((await send({ WXMSG_ACCESS_TOKEN: TOKEN, HTTPS_PROXY: url }, ['--timeout', '300', '--format', 'json'])).stdout);
      assert.deepEqual([j.status, j.deliveryUnknown, j.error.kind, j.error.setting], ['failed', false, 'proxy', 'HTTPS_PROXY']);
      assert.match(j.error.message, new RegExp(`No connection to api\\.weixin\\.qq\\.com through the proxy ${url.replace(/[.]/g, '\\.')} \\(set by HTTPS_PROXY\\) within 300 ms.*Nothing was sent`));
    } finally {
      for (const s of held) s.destroy();
      await new Promise((res) => silent.close(res));
    }
  });

  test('ALL_PROXY=socks5://: the SOCKS5 server is asked for api.weixin.qq.com:443 by name and refuses; named in the error', async () => {
    const socks = await startSocks5(2);
    try {
      const r = await send({ WXMSG_ACCESS_TOKEN: TOKEN, ALL_PROXY: socks.url, HTTP_PROXY: refusing.url });
      assert.equal(r.code, 2, r.stderr);
      assert.deepEqual(socks.lines, [CONNECT_API]);
      assert.deepEqual(refusing.lines, [], 'HTTP_PROXY is not for https');
      assert.match(r.stderr, new RegExp(`The proxy ${socks.url.replace(/[.]/g, '\\.')} \\(set by ALL_PROXY\\) refused to open a tunnel to api\\.weixin\\.qq\\.com: SOCKS5: .*not allowed`));
      assert.match(r.stderr, /Nothing was sent/);
      assert.doesNotMatch(r.stderr, /ExperimentalWarning/);
    } finally {
      await socks.close();
    }
  });

  test('NO_PROXY: a matching entry goes direct (the proxy sees nothing); a near miss still goes through the proxy', async () => {
    const direct = await send({ WXMSG_ACCESS_TOKEN: TOKEN, HTTPS_PROXY: refusing.url, NO_PROXY: 'example.com,weixin.qq.com' }, ['--api-base', `https://api.weixin.qq.com:${await closedPort()}`]);
    assert.equal(direct.code, 2);
    assert.deepEqual(refusing.lines, []);
    assert.match(direct.stderr, /Could not connect to api\.weixin\.qq\.com:\d+: connection refused/);
    assert.doesNotMatch(direct.stderr, /proxy/i);

    const near = await send({ WXMSG_ACCESS_TOKEN: TOKEN, HTTPS_PROXY: refusing.url, no_proxy: 'eixin.qq.com' });
    assert.equal(near.code, 2);
    assert.deepEqual(refusing.lines, [CONNECT_API]);
  });

  test('loopback is never proxied: the simulator on 127.0.0.1 and localhost is reached directly with every proxy variable set', async () => {
    const sim = await startSim();
    try {
      const env = { WXMSG_APPSECRET: SIM_DEFAULT_SECRET, HTTPS_PROXY: refusing.url, HTTP_PROXY: refusing.url, ALL_PROXY: refusing.url, http_proxy: refusing.url };
      for (const base of [sim.url, sim.url.replace('127.0.0.1', 'localhost')]) {
        const r = await send(env, ['--api-base', base]);
        assert.equal(r.code, 0, r.stderr);
      }
      assert.equal(sim.delivered.length, 2);
      assert.deepEqual(refusing.lines, []);
    } finally {
      await sim.close();
    }
  });

  test('plain http stays refused for a non-loopback API host even with a proxy set (the rule is on the target, not the proxy)', async () => {
    const r = await send({ WXMSG_ACCESS_TOKEN: TOKEN, HTTP_PROXY: refusing.url, HTTPS_PROXY: refusing.url }, ['--api-base', 'http://api.weixin.qq.com']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /refusing plain http to api\.weixin\.qq\.com/);
    assert.deepEqual(refusing.lines, []);
  });

  test('an unusable proxy variable is a usage error before any request (exit 2)', async () => {
    const r = await send({ WXMSG_ACCESS_TOKEN: TOKEN, HTTPS_PROXY: 'socks4://127.0.0.1:1080' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /wxmsg: not sent: HTTPS_PROXY uses the proxy scheme socks4:\/\//);
  });
});

describe('certificates through the tunnel (a CONNECT proxy that tunnels to a local TLS front of the simulator)', () => {
  let sim: Simulator;
  let pki: TestPki;
  let front: Awaited<ReturnType<typeof startTlsFront>>;
  let proxy: RecordingProxy;
  before(async () => {
    // The TLS front passes bytes through: requests arrive with Host api.weixin.qq.com.
    sim = await Simulator.start({ host: '127.0.0.1', port: 0, hosts: ['api.weixin.qq.com'] });
    pki = makePki();
    front = await startTlsFront(pki, sim.port);
    proxy = await startConnectProxy({ refuse: false, tunnelTo: front.port });
  });
  after(async () => { await proxy.close(); await front.close(); await sim.close(); });
  beforeEach(() => { sim.reset(); sharedTokenCache.clear(); proxy.lines.length = 0; proxy.heads.length = 0; });

  test('trusted certificate: token and message go through the tunnel to api.weixin.qq.com; the proxy sees only CONNECT lines', async () => {
    const r = await cliSend([WELCOME, '--to', USER, '--appid', 'wx1234567890abcdef'], { WXMSG_APPSECRET: SIM_DEFAULT_SECRET, HTTPS_PROXY: proxy.url },
      { requestTls: { lookup: toLoopback, ca: pki.ca } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /✔ sent .* via api\.weixin\.qq\.com\)/);
    assert.equal(sim.delivered.length, 1);
    assert.ok(proxy.lines.length >= 1 && proxy.lines.every((l) => l === CONNECT_API), proxy.lines.join());
    assert.ok(!proxy.heads.join('\n').includes(SIM_DEFAULT_SECRET));
  });

  test('untrusted certificate (the proxy or a stranger answers for api.weixin.qq.com): TLS error through the proxy, nothing sent', async () => {
    const r = await send({ WXMSG_APPSECRET: SIM_DEFAULT_SECRET, HTTPS_PROXY: proxy.url });
    assert.equal(r.code, 2);
    assert.deepEqual(proxy.lines, [CONNECT_API]);
    assert.match(r.stderr, new RegExp(`The TLS certificate of api\\.weixin\\.qq\\.com was not accepted \\(\\w+\\) on the tunnel through the proxy ${proxy.url.replace(/[.]/g, '\\.')} \\(set by HTTPS_PROXY\\)`));
    assert.match(r.stderr, /Nothing was sent/);
    assert.equal(sim.requests.length, 0, 'nothing reached the API');
  });

  test('the built CLI trusts NODE_EXTRA_CA_CERTS through the proxy', async () => {
    // The child resolves every name to 127.0.0.1 (a preload), like the in-process sends above.
    const dir = tmpDir('wxmsg-proxy-cli-');
    const preload = path.join(dir, 'loopback-dns.cjs');
    fs.writeFileSync(preload, `const dns = require('node:dns');
const one = (h, o, cb) => { if (typeof o === 'function') { cb = o; o = {}; } o = typeof o === 'number' ? { family: o } : o || {}; return o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4); };
dns.lookup = one;
dns.promises.lookup = async (h, o) => (o && o.all ? [{ address: '127.0.0.1', family: 4 }] : { address: '127.0.0.1', family: 4 });
`);
    const bin = path.resolve(__dirname, '..', 'dist', 'server.js');
    const run = (extra: Record<string, string>) => new Promise<{ code: number | null; out: string }>((resolve) => {
      const { NODE_EXTRA_CA_CERTS: _drop, HTTPS_PROXY: _a, https_proxy: _b, ALL_PROXY: _c, all_proxy: _d, NO_PROXY: _e, no_proxy: _f, ...base } = process.env;
      const child = spawn(process.execPath, ['--require', preload, bin, 'send', WELCOME, '--to', USER, '--appid', 'wx1234567890abcdef'],
        { cwd: EXAMPLES, env: { ...base, WXMSG_APPSECRET: SIM_DEFAULT_SECRET, HTTPS_PROXY: proxy.url, ...extra } });
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { out += d; });
      child.on('close', (code) => resolve({ code, out }));
    });
    const without = await run({});
    assert.equal(without.code, 2, without.out);
    assert.match(without.out, /TLS certificate of api\.weixin\.qq\.com was not accepted/);
    const trusted = await run({ NODE_EXTRA_CA_CERTS: pki.caFile });
    assert.equal(trusted.code, 0, trusted.out);
    assert.match(trusted.out, /✔ sent/);
    assert.equal(sim.delivered.length, 1);
    assert.ok(proxy.lines.every((l) => l === CONNECT_API), proxy.lines.join());
  });
});
