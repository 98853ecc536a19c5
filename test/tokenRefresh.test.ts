// The token refresh policy (issue 12, "Tokens"): normal mode first, force only when normal mode
// hands back the rejected token, never twice for one appid within 30 s (across processes too,
// through a record in the cache folder), --token-endpoint token only when confirmed.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { WeChatClient, type ClientOptions, type Credentials } from '../server/src/wechat/client.ts';
import { FileForceRefreshGuard, appidHash, wxmsgCacheDir, type Notice } from '../server/src/wechat/forceRefresh.ts';
import { SIM_DEFAULT_SECRET, SIM_USERS, type Simulator } from '../server/src/simulator/simulator.ts';
import { TokenCache } from '../server/src/wechat/tokenCache.ts';
import { runSend } from '../server/src/cli/commands/send.ts';
import { runUpload } from '../server/src/cli/commands/upload.ts';
import { SendService } from '../client/src/send/sendService.ts';
import { APPID, EXAMPLES, PNG, prepared, startSim, tmpDir } from './sendHelpers.ts';
import { ZH } from './zhSpeech.ts';

const SEND = '/cgi-bin/message/custom/send';
const STABLE = '/cgi-bin/stable_token';
const USER = SIM_USERS.ready[0];
const WELCOME = 'templates/welcome.wxmsg.json';
const creds: Credentials = { appid: APPID, appSecret: SIM_DEFAULT_SECRET };
const BUNDLE = path.resolve(__dirname, '..', 'dist', 'server.js');
const text = (openid: string = USER) => JSON.stringify({ touser: openid, msgtype: 'text', text: { content: 'hi' } });

let sim: Simulator;
const clients: WeChatClient[] = [];
before(async () => { sim = await startSim(); });
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sim.close();
});
beforeEach(() => sim.reset());

function client(opts: ClientOptions = {}): WeChatClient {
  const c = new WeChatClient({ baseUrl: sim.url, tokenCache: new TokenCache(), forceGuard: new FileForceRefreshGuard(tmpDir('wxmsg-force-')), ...opts });
  clients.push(c);
  return c;
}

/** force_refresh of each stable_token request the simulator saw, in order. */
const forces = (s = sim) => s.requests.filter((r) => r.path === STABLE).map((r) => r.forceRefresh);

describe('refresh after 40001 / 42001 / 40014', () => {
  for (const errcode of [40001, 42001, 40014]) {
    test(`${errcode}: the cached token is dropped and normal mode hands out the next one: no force`, async () => {
      sim.freezeClock(true);
      const c = client();
      assert.equal((await c.send(text(), creds)).status, 'sent');
      // The server moved on to the next token (5 minutes before expiry); WeChat rejects the old one.
      sim.advanceClock(6_900_001);
      sim.injectFault({ type: 'errcode', errcode, path: SEND });
      const r = await c.send(text(), creds);
      assert.equal(r.status, 'sent', JSON.stringify(r));
      assert.equal(r.tokenRefreshed, true);
      assert.equal(r.tokenForced, undefined);
      assert.deepEqual(forces(), [false, false], 'the first token, then normal mode: never force_refresh');
    });
  }

  test('a token invalidated elsewhere (a team server forced a refresh): normal mode, no force', async () => {
    const c = client();
    assert.equal((await c.send(text(), creds)).status, 'sent');
    sim.expireTokens({ appid: APPID, mode: 'invalid' });
    const r = await c.send(text(), creds);
    assert.equal(r.status, 'sent');
    assert.deepEqual(forces(), [false, false]);
  });

  test('normal mode hands back the rejected token: then, and only then, one forced refresh', async () => {
    const c = client();
    sim.injectFault({ type: 'errcode', errcode: 40001, path: SEND });
    const r = await c.send(text(), creds);
    assert.equal(r.status, 'sent', JSON.stringify(r));
    assert.equal(r.tokenForced, true);
    assert.deepEqual(forces(), [false, false, true]);
    assert.equal(sim.requestCount(SEND), 2);
  });

  test('a parallel send in the same process already refreshed: its token is used, nothing is asked', async () => {
    const cache = new TokenCache();
    const a = client({ tokenCache: cache });
    assert.equal((await a.send(text(), creds)).status, 'sent');
    sim.expireTokens({ appid: APPID, mode: 'invalid' });
    const [r1, r2] = await Promise.all([a.send(text(SIM_USERS.ready[1]), creds), client({ tokenCache: cache }).send(text(SIM_USERS.ready[2]), creds)]);
    assert.deepEqual([r1.status, r2.status], ['sent', 'sent']);
    assert.equal(forces().includes(true), false);
  });
});

describe('never force twice for one appid within 30 s', () => {
  /** Two "processes": clients with their own caches and guards, one record folder, one clock. */
  function pair(now: () => number) {
    const dir = tmpDir('wxmsg-force-shared-');
    const notices: Notice[] = [];
    const mk = () => client({ forceGuard: new FileForceRefreshGuard(dir, { now }), notice: (n) => notices.push(n) });
    return { dir, a: mk(), b: mk(), notices };
  }

  test('29.999 s after another process forced: not forced again (the rejection is reported); at 30 s it is', async () => {
    let now = 1_000_000;
    const { dir, a, b, notices } = pair(() => now);
    sim.injectFault({ type: 'errcode', errcode: 40001, path: SEND });
    assert.equal((await a.send(text(), creds)).status, 'sent');
    assert.deepEqual(forces(), [false, false, true]);
    now += 29_999;
    sim.injectFault({ type: 'errcode', errcode: 40001, path: SEND });
    const held = await b.send(text(), creds);
    assert.equal(held.status, 'api-error');
    assert.equal(held.tokenForced, undefined);
    assert.match(held.status === 'api-error' ? held.note ?? '' : '', /does not force twice within 30 s[\s\S]*30 秒内/);
    assert.deepEqual(forces(), [false, false, true, false, false, false], 'normal mode twice, no force');
    now += 1;
    sim.injectFault({ type: 'errcode', errcode: 40001, path: SEND });
    const again = await b.send(text(), creds);
    assert.equal(again.status, 'sent');
    assert.equal(again.tokenForced, true);
    assert.equal(forces().filter((f) => f).length, 2);
    assert.deepEqual(notices, []);
    // The record: one file, a timestamp and a hash, no token, no secret, no appid in clear.
    const files = fs.readdirSync(dir);
    assert.deepEqual(files, [path.basename(new FileForceRefreshGuard(dir).fileFor(sim.url, APPID))]);
    const raw = fs.readFileSync(path.join(dir, files[0]), 'utf8');
    const rec = JSON.parse(raw);
    assert.deepEqual(Object.keys(rec).sort(), ['appidHash', 'forcedAt']);
    assert.equal(rec.forcedAt, now);
    assert.equal(rec.appidHash, createHash('sha256').update(`${sim.url}\n${APPID}`).digest('hex'));
    for (const secret of [APPID, SIM_DEFAULT_SECRET, ...sim.issuedTokens().map((t) => t.token)]) assert.equal(raw.includes(secret), false);
  });

  test('the same process: a second rejection within 30 s asks normal mode again instead of forcing', async () => {
    let now = 5_000_000;
    const guard = new FileForceRefreshGuard(tmpDir('wxmsg-force-'), { now: () => now });
    const c = client({ forceGuard: guard });
    sim.injectFault({ type: 'errcode', errcode: 40001, path: SEND });
    assert.equal((await c.send(text(), creds)).tokenForced, true);
    now += 10_000;
    sim.injectFault({ type: 'errcode', errcode: 42001, path: SEND });
    assert.equal((await c.send(text(), creds)).status, 'api-error');
    assert.equal(forces().filter((f) => f).length, 1);
  });

  test('another process forcing right now (holding the lock): wait, then do not force, take its token', async () => {
    const dir = tmpDir('wxmsg-force-lock-');
    const first = new FileForceRefreshGuard(dir);
    const second = new FileForceRefreshGuard(dir);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => { open = resolve; });
    const order: string[] = [];
    const a = first.tryForce(sim.url, APPID, async () => { order.push('a forces'); await gate; return 'a'; });
    // Let the first take the lock before the second asks.
    while (!order.length) await new Promise((r) => setTimeout(r, 5));
    const b = second.tryForce(sim.url, APPID, async () => { order.push('b forces'); return 'b'; });
    setTimeout(open, 50);
    const [ra, rb] = await Promise.all([a, b]);
    assert.equal(ra.forced, true);
    assert.equal(rb.forced, false);
    assert.deepEqual(order, ['a forces']);
  });

  test('five processes deciding at the same moment: exactly one forces (the record is read and written under a lock)', async () => {
    const dir = tmpDir('wxmsg-force-race-');
    const decisions = await Promise.all(Array.from({ length: 5 }, (_, i) => new FileForceRefreshGuard(dir).tryForce(sim.url, APPID, async () => i)));
    assert.equal(decisions.filter((d) => d.forced).length, 1);
  });

  test('a record that is not ours or not well formed counts as none; a time in the future does not block', async () => {
    const dir = tmpDir('wxmsg-force-bad-');
    const g = new FileForceRefreshGuard(dir, { now: () => 1_000_000 });
    const file = g.fileFor(sim.url, APPID);
    for (const content of ['{"appidHash":"', '[]', JSON.stringify({ appidHash: appidHash(sim.url, 'wx0000000000000000'), forcedAt: 999_999 }), JSON.stringify({ appidHash: appidHash(sim.url, APPID), forcedAt: 2_000_000 })]) {
      fs.writeFileSync(file, content);
      const d = await new FileForceRefreshGuard(dir, { now: () => 1_000_000 }).tryForce(sim.url, APPID, async () => 'x');
      assert.equal(d.forced, true, content);
    }
    fs.writeFileSync(file, JSON.stringify({ appidHash: appidHash(sim.url, APPID), forcedAt: 999_999 }));
    assert.equal((await new FileForceRefreshGuard(dir, { now: () => 1_000_000 }).tryForce(sim.url, APPID, async () => 'x')).forced, false, '1 ms ago');
    assert.deepEqual(fs.readdirSync(dir), [path.basename(file)], 'no temp or lock files left behind');
  });

  test('an unwritable cache folder: the refresh goes on, a notice in both languages; this process still never forces twice', async () => {
    const blocker = path.join(tmpDir('wxmsg-force-file-'), 'not-a-folder');
    fs.writeFileSync(blocker, '');
    const notices: Notice[] = [];
    const c = client({ forceGuard: new FileForceRefreshGuard(path.join(blocker, 'wxmsg')), notice: (n) => notices.push(n) });
    sim.injectFault({ type: 'errcode', errcode: 40001, path: SEND });
    const r = await c.send(text(), creds);
    assert.equal(r.status, 'sent');
    assert.equal(r.tokenForced, true);
    assert.equal(notices.length, 1);
    assert.match(notices[0].en, /cannot record the forced token refresh in .*not-a-folder.*WXMSG_CACHE_DIR/);
    assert.match(notices[0].zh, /无法在 .*not-a-folder.* 记录强制刷新/);
    sim.injectFault({ type: 'errcode', errcode: 40001, path: SEND });
    assert.equal((await c.send(text(), creds)).status, 'api-error');
    assert.equal(forces().filter((f) => f).length, 1);
  });

  test('the CLI prints that notice in English and Chinese and still sends', async () => {
    const blocker = path.join(tmpDir('wxmsg-force-file-'), 'file');
    fs.writeFileSync(blocker, '');
    sim.injectFault({ type: 'errcode', errcode: 40001, path: SEND });
    const r = await send([WELCOME, '--to', USER], { WXMSG_CACHE_DIR: blocker });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^wxmsg: notice: cannot record the forced token refresh in .*file/m);
    assert.match(r.stderr, /^wxmsg: 注意：无法在 .*file/m);
  });
});

describe('the extension (SendService)', () => {
  test('the same policy; the notice goes to the output channel in the display language', async () => {
    const store = new Map<string, unknown>();
    const secrets = new Map<string, string>();
    const lines: string[] = [];
    const blocker = path.join(tmpDir('wxmsg-force-file-'), 'file');
    fs.writeFileSync(blocker, '');
    const svc = new SendService(
      { get: async (k) => secrets.get(k), store: async (k, v) => { secrets.set(k, v); }, delete: async (k) => { secrets.delete(k); } },
      { get: (k) => store.get(k), update: async (k, v) => { store.set(k, v); } },
      (l) => lines.push(l),
      { forceGuard: new FileForceRefreshGuard(blocker) },
    );
    await svc.setAppSecret(APPID, SIM_DEFAULT_SECRET);
    const req = { ...prepared(text()), fileName: 't.wxmsg.json', openId: USER, appid: APPID, api: { base: sim.url, timeoutMs: 5000 } };
    assert.equal((await svc.send(req)).view.state, 'sent');
    sim.expireTokens({ appid: APPID, mode: 'invalid' });
    assert.equal((await svc.send(req)).result?.tokenRefreshed, true);
    assert.deepEqual(forces(), [false, false], 'a token invalidated elsewhere: normal mode, no force');
    sim.injectFault({ type: 'errcode', errcode: 40001, path: SEND });
    assert.equal((await svc.send(req)).result?.tokenForced, true);
    const log = lines.join('\n');
    assert.match(log, /cannot record the forced token refresh in .*file \(E[A-Z]+\)/);
    assert.doesNotMatch(log, /无法在/, 'one language, the display language');
    // In a Chinese VS Code: the same notice in Chinese only (a guard of its own: this process has forced already).
    const zhLines: string[] = [];
    const zh = new SendService(
      { get: async (k) => secrets.get(k), store: async (k, v) => { secrets.set(k, v); }, delete: async (k) => { secrets.delete(k); } },
      { get: (k) => store.get(k), update: async (k, v) => { store.set(k, v); } },
      (l) => zhLines.push(l),
      { forceGuard: new FileForceRefreshGuard(blocker) }, undefined, ZH,
    );
    sim.injectFault({ type: 'errcode', errcode: 40001, path: SEND });
    assert.equal((await zh.send(req)).result?.tokenForced, true);
    assert.match(zhLines.join('\n'), /无法在 .*file 记录强制刷新/);
    assert.doesNotMatch(zhLines.join('\n'), /cannot record/);
  });
});

describe('where the record lives', () => {
  test('WXMSG_CACHE_DIR, else XDG_CACHE_HOME/wxmsg, else the platform cache folder', () => {
    const home = '/home/u';
    assert.equal(wxmsgCacheDir({ WXMSG_CACHE_DIR: '/c/w', XDG_CACHE_HOME: '/x' }, 'linux', home), '/c/w');
    assert.equal(wxmsgCacheDir({ WXMSG_CACHE_DIR: '  ', XDG_CACHE_HOME: '/x' }, 'linux', home), '/x/wxmsg');
    assert.equal(wxmsgCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux', home), '/home/u/.cache/wxmsg', 'a relative XDG_CACHE_HOME is ignored');
    assert.equal(wxmsgCacheDir({}, 'linux', home), '/home/u/.cache/wxmsg');
    assert.equal(wxmsgCacheDir({}, 'darwin', home), '/home/u/Library/Caches/wxmsg');
    assert.equal(wxmsgCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Local\\wxmsg');
    assert.equal(wxmsgCacheDir({}, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Local\\wxmsg');
  });

  test('a client given no guard (the extension) records in wxmsgCacheDir() of its environment, the CLI\'s folder', async () => {
    const dir = wxmsgCacheDir();
    assert.equal(dir, path.resolve(process.env.WXMSG_CACHE_DIR!), 'the test run has its own folder');
    const file = new FileForceRefreshGuard(dir).fileFor(sim.url, APPID);
    sim.injectFault({ type: 'errcode', errcode: 40001, path: SEND });
    const c = new WeChatClient({ baseUrl: sim.url, tokenCache: new TokenCache() });
    clients.push(c);
    assert.equal((await c.send(text(), creds)).tokenForced, true);
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).appidHash, appidHash(sim.url, APPID));
  });

  test('wxmsg send records a forced refresh where the environment says', async () => {
    for (const [key, sub] of [['WXMSG_CACHE_DIR', ''], ['XDG_CACHE_HOME', 'wxmsg']] as const) {
      sim.reset();
      const root = tmpDir('wxmsg-cache-env-');
      sim.injectFault({ type: 'errcode', errcode: 40001, path: SEND });
      const r = await send([WELCOME, '--to', USER], { WXMSG_CACHE_DIR: undefined, [key]: root });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(fs.readdirSync(path.join(root, sub)).filter((f) => f.startsWith('force-refresh-')).length, 1, key);
    }
  });
});

/** runSend in-process with its own token cache; `confirm` makes the run interactive. */
function uploadProject(): string {
  const dir = tmpDir('wxmsg-upload-proj-');
  fs.copyFileSync(path.join(EXAMPLES, 'project.config.json'), path.join(dir, 'project.config.json'));
  return dir;
}

async function send(argv: string[], extraEnv: Record<string, string | undefined> = {}, confirm?: (q: string) => Promise<boolean>, upload = false) {
  let stdout = '';
  let stderr = '';
  const env = { WXMSG_APPSECRET: SIM_DEFAULT_SECRET, WXMSG_API_BASE: sim.url, WXMSG_CACHE_DIR: tmpDir('wxmsg-cli-cache-'), ...extraEnv };
  // An upload is recorded in the media ledger of the current project: a temp copy of examples/'s
  // project.config.json, so the repository's examples/ never gets a .wxmsg/.
  const cwd = upload ? uploadProject() : EXAMPLES;
  const io = { argv, cwd, env, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, ...(confirm ? { confirm } : {}) };
  const code = await (upload ? runUpload : runSend)(argv, io, { tokenCache: new TokenCache() });
  return { code, stdout, stderr };
}

describe('--token-endpoint token', () => {
  const WARNING = /--token-endpoint token gets the access token from cgi-bin\/token, which issues a NEW token: the token your team's servers hold stops working 5 minutes later/;
  const WARNING_ZH = /你们服务器持有的 token 将在 5 分钟后失效/;

  test('not interactive and no --yes: the warning, exit 2, nothing requested', async () => {
    const r = await send([WELCOME, '--to', USER, '--token-endpoint', 'token']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, WARNING);
    assert.match(r.stderr, WARNING_ZH);
    assert.match(r.stderr, /wxmsg: not sent: --token-endpoint token needs --yes when wxmsg does not run in a terminal/);
    assert.equal(sim.requests.length, 0);
    const up = await send([path.join(tmpDir('wxmsg-img-'), 'x.png'), '--token-endpoint', 'token'], {}, undefined, true);
    assert.equal(up.code, 2);
    assert.match(up.stderr, /not uploaded: --token-endpoint token needs --yes/);
    assert.equal(sim.requests.length, 0);
  });

  test('--yes (or -y): the warning is printed before the send, then it goes through cgi-bin/token', async () => {
    for (const yes of ['--yes', '-y']) {
      sim.reset();
      const r = await send([WELCOME, '--to', USER, '--token-endpoint', 'token', yes]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, WARNING);
      assert.match(r.stdout, /✔ sent/);
      assert.equal(sim.requestCount('/cgi-bin/token'), 1);
      assert.equal(sim.requestCount(STABLE), 0);
    }
    const dir = tmpDir('wxmsg-img-');
    fs.writeFileSync(path.join(dir, 'c.png'), PNG);
    const up = await send([path.join(dir, 'c.png'), '--token-endpoint', 'token', '--yes'], {}, undefined, true);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stderr, WARNING);
  });

  test('interactive: asks once; "n" sends nothing (exit 2), "y" sends', async () => {
    const asked: string[] = [];
    const no = await send([WELCOME, '--to', USER, '--token-endpoint', 'token'], {}, async (q) => { asked.push(q); return false; });
    assert.equal(no.code, 2);
    assert.match(no.stderr, WARNING);
    assert.match(no.stderr, /not sent: cancelled/);
    assert.equal(sim.requests.length, 0);
    const yes = await send([WELCOME, '--to', USER, '--token-endpoint', 'token'], {}, async (q) => { asked.push(q); return true; });
    assert.equal(yes.code, 0, yes.stderr);
    assert.equal(asked.length, 2);
    assert.match(asked[0], /\[y\/N\]/);
  });

  test('help names --yes and WXMSG_CACHE_DIR; --format json says whether the token was forced', async () => {
    const help = await send(['--help']);
    assert.match(help.stdout, /-y, --yes +confirm --token-endpoint token without asking/);
    assert.match(help.stdout, /WXMSG_CACHE_DIR +where the time of the last forced token refresh per appid is kept/);
    assert.match(help.stdout, /never twice for one appid within 30 s/);
    assert.match((await send(['--help'], {}, undefined, true)).stdout, /--yes/);
    sim.injectFault({ type: 'errcode', errcode: 40001, path: SEND });
    const j = JSON.parse((await send([WELCOME, '--to', USER, '--format', 'json'])).stdout);
    assert.deepEqual([j.status, j.tokenRefreshed, j.tokenForced], ['sent', true, true]);
  });

  test('the default (stable) and a ready token neither warn nor ask', async () => {
    const r = await send([WELCOME, '--to', USER], {}, async () => { throw new Error('asked'); });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, WARNING);
    const tok = await client().getToken(creds);
    assert.ok(tok.ok);
    const ready = await send([WELCOME, '--to', USER, '--token-endpoint', 'token'], { WXMSG_APPSECRET: undefined, WXMSG_ACCESS_TOKEN: tok.ok ? tok.token : '' });
    assert.equal(ready.code, 0, ready.stderr);
    assert.doesNotMatch(ready.stderr, WARNING);
  });
});

describe('concurrent CLI processes (the built bundle)', () => {
  /** Runs the built CLI; resolves with its exit code and output. */
  function run(args: string[], env: Record<string, string>): { done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
    const child = spawn(process.execPath, [BUNDLE, ...args], { cwd: EXAMPLES, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WXMSG_APPSECRET: SIM_DEFAULT_SECRET, WXMSG_ACCESS_TOKEN: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    return { done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))) };
  }

  test('two wxmsg send processes for one appid, whose token is invalidated under them: both succeed, no force_refresh', async () => {
    assert.ok(fs.existsSync(BUNDLE), 'npm test builds dist/ first');
    // A loopback relay in front of the simulator holds the first two sends until both processes
    // hold their token, then the token is invalidated (as when a team server forces a refresh).
    const held: (() => void)[] = [];
    let holding = true;
    const flush = () => { holding = false; for (const f of held.splice(0)) f(); };
    const relay = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const forward = () => {
          // As a reverse proxy does: the simulator answers only its own Host.
          const up = http.request(`${sim.url}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(sim.url).host } }, (a) => { res.writeHead(a.statusCode ?? 502, a.headers); a.pipe(res); });
          up.on('error', () => res.destroy());
          up.end(Buffer.concat(chunks));
        };
        if (!holding || !req.url?.startsWith(SEND)) { forward(); return; }
        held.push(forward);
        if (held.length === 2) {
          assert.equal(sim.expireTokens({ appid: APPID, mode: 'invalid' }), 1, 'both processes hold the one current token');
          flush();
        }
      });
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
    const cacheDir = tmpDir('wxmsg-procs-');
    try {
      const runs = [SIM_USERS.ready[0], SIM_USERS.ready[1]].map((to) => run(['send', WELCOME, '--to', to, '--api-base', relayUrl], { WXMSG_CACHE_DIR: cacheDir }));
      // If a process ended without sending, nothing must stay held.
      const results = await Promise.all(runs.map((r) => r.done.finally(flush)));
      for (const r of results) {
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /✔ sent [\s\S]*\(after refreshing the access token\)/);
      }
      assert.equal(sim.delivered.length, 2);
      const stable = sim.requests.filter((r) => r.path === STABLE);
      assert.equal(stable.length, 4, 'each process: its token, then normal mode after the 40001');
      assert.deepEqual(stable.map((r) => r.forceRefresh), [false, false, false, false], 'no force_refresh in the simulator\'s request log');
      assert.deepEqual(fs.readdirSync(cacheDir), [], 'no forced refresh recorded');
    } finally {
      flush();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
  });

  test('a second process does not force within 30 s of the first one\'s forced refresh', async () => {
    const cacheDir = tmpDir('wxmsg-procs-');
    const env = { WXMSG_CACHE_DIR: cacheDir, WXMSG_API_BASE: sim.url };
    sim.injectFault({ type: 'errcode', errcode: 40001, path: SEND });
    const first = await run(['send', WELCOME, '--to', USER], env).done;
    assert.equal(first.code, 0, first.stderr);
    sim.injectFault({ type: 'errcode', errcode: 40001, path: SEND });
    const second = await run(['send', WELCOME, '--to', USER], env).done;
    assert.equal(second.code, 1, second.stdout + second.stderr);
    assert.match(second.stdout, /errcode 40001[\s\S]*note: .*does not force twice within 30 s/);
    assert.equal(forces().filter((f) => f).length, 1, 'one force_refresh across both processes');
  });
});
