// Issue 13, "Hostile or odd input from outside": what a server, the environment or the file
// system hands the CLI must not drive the terminal, leak a token or go unreported.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { escapeControl, escapeLines, safeJson } from '../server/src/core/escape.ts';
import { checkNodeDebug } from '../server/src/cli/nodeDebug.ts';
import { expandOperands } from '../server/src/node/files.ts';
import { formatStylish } from '../server/src/cli/formatters.ts';
import { redact } from '../server/src/wechat/redact.ts';
import { sharedTokenCache } from '../server/src/wechat/tokenCache.ts';
import { SIM_DEFAULT_SECRET, SIM_USERS, type Simulator } from '../server/src/simulator/simulator.ts';
import { resolveBaseUrl } from '../client/src/send/apiSettings.ts';
import { SendService, type SecretStore, type StateStore } from '../client/src/send/sendService.ts';
import { runSimulate } from '../server/src/cli/commands/simulate.ts';
import { EXAMPLES, PNG, cli, startSim, tmpDir } from './sendHelpers.ts';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'dist', 'server.js');
const WELCOME = 'templates/welcome.wxmsg.json';
const USER = SIM_USERS.ready[0];
const TOKEN = 'hostile-server-token-0123456789abcdefghijklmnopqrstuvwxyz';

class MapSecrets implements SecretStore {
  private m = new Map<string, string>();
  async get(k: string) { return this.m.get(k); }
  async store(k: string, v: string) { this.m.set(k, v); }
  async delete(k: string) { this.m.delete(k); }
}
class MapState implements StateStore {
  private m = new Map<string, unknown>();
  get(k: string) { return this.m.get(k); }
  async update(k: string, v: unknown) { this.m.set(k, v); }
}

/** What a terminal or a CI log must never receive from outside text. */
function assertInert(out: string, label: string): void {
  assert.doesNotMatch(out, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, `${label}: a raw control character`);
  for (const line of out.split('\n')) {
    assert.doesNotMatch(line, /^\s*::/, `${label}: a line that GitHub reads as a workflow command: ${line}`);
    assert.doesNotMatch(line, /^\s*✔ sent .*forged/, `${label}: a forged success line: ${line}`);
  }
}

// ---------------------------------------------------------------------------------------------
// A hostile "WeChat API" on 127.0.0.1: raw HTTP over net, so header bytes are exactly ours.

interface Reply { status?: number; contentType?: string; body: string }
interface FakeServer { url: string; replies: Record<string, Reply>; seen: string[]; close(): Promise<void> }

async function hostileServer(): Promise<FakeServer> {
  const replies: Record<string, Reply> = {};
  const seen: string[] = [];
  const server = net.createServer((socket) => {
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (buf.length < end + 4 + length) return;
      const route = head.split(' ')[1].split('?')[0];
      seen.push(head.split(' ')[1]);
      const r = replies[route] ?? { status: 404, body: '{}' };
      const body = Buffer.from(r.body, 'utf8');
      socket.end(Buffer.concat([
        Buffer.from(`HTTP/1.1 ${r.status ?? 200} OK\r\ncontent-type: `, 'latin1'),
        Buffer.from(r.contentType ?? 'application/json', 'latin1'),
        Buffer.from(`\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`, 'latin1'),
        body,
      ]));
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  replies['/cgi-bin/stable_token'] = { body: JSON.stringify({ access_token: TOKEN, expires_in: 7200 }) };
  return { url: `http://127.0.0.1:${port}`, replies, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** An errmsg that tries everything: clear the screen, overwrite the line, forge lines and a workflow command. */
const HOSTILE_ERRMSG = '\u001b[2J\u001b[H\r\b\b✔ sent forged\n✔ sent forged templates/welcome.wxmsg.json\n::error file=x::forged\r\n::add-mask::forged\u009b2J\u202eforged';

describe('escaping what a server says', () => {
  let srv: FakeServer;
  let env: Record<string, string>;
  before(async () => { srv = await hostileServer(); });
  after(async () => { await srv.close(); });
  beforeEach(() => {
    sharedTokenCache.clear();
    env = { WXMSG_APPSECRET: SIM_DEFAULT_SECRET, WXMSG_API_BASE: srv.url };
  });

  test('a hostile errmsg (known and unknown errcode) is shown escaped: no control character, no forged line, no ::error', async () => {
    for (const errcode of [45015, 61999]) {
      srv.replies['/cgi-bin/message/custom/send'] = { body: JSON.stringify({ errcode, errmsg: `${HOSTILE_ERRMSG} rid: 6543abcd-1234abcd-0000ffff` }) };
      const r = await cli(['send', WELCOME, '--to', USER], env);
      assert.equal(r.code, 1, r.stderr);
      assertInert(r.stdout + r.stderr, `errcode ${errcode}`);
      assert.match(r.stdout, /rid: {4}6543abcd-1234abcd-0000ffff/);
      if (errcode === 61999) {
        // The text is all there, visibly escaped.
        assert.ok(r.stdout.includes('\\u001b[2J\\u001b[H\\u000d\\u0008\\u0008✔ sent forged\\u000a✔ sent forged'), r.stdout);
        assert.ok(r.stdout.includes('\\u000a::error file=x::forged'), r.stdout);
        assert.ok(r.stdout.includes('\\u009b2J\\u202eforged'), r.stdout);
      }
      // JSON keeps the exact errmsg (parseable, the same string) and is inert too.
      const j = await cli(['send', WELCOME, '--to', USER, '--format', 'json'], env);
      assertInert(j.stdout, `json ${errcode}`);
      assert.equal(JSON.parse(j.stdout).errmsg, HOSTILE_ERRMSG.trim());
    }
  });

  test('a hostile Content-Type (C1 CSI bytes) and an HTTP error body are escaped', async () => {
    srv.replies['/cgi-bin/message/custom/send'] = { contentType: 'text/html\x9b2J\x9b31m::x', body: '<html>not json</html>' };
    const r = await cli(['send', WELCOME, '--to', USER], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not JSON/);
    assert.ok(r.stderr.includes('text/html\\u009b2J\\u009b31m::x'), r.stderr);
    assertInert(r.stdout + r.stderr, 'content-type');
  });

  test('upload: a hostile media_id printed alone on its line cannot start a workflow command or carry ESC', async () => {
    srv.replies['/cgi-bin/media/upload'] = { body: JSON.stringify({ type: 'image', media_id: '::error::forged\u001b[2J', created_at: 1_700_000_000 }) };
    const d = tmpDir('wxmsg-hostile-up-');
    fs.writeFileSync(path.join(d, 'cover.png'), PNG);
    const r = await cli(['upload', 'cover.png', '--appid', 'wx1234567890abcdef'], env, d);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '\\u003a:error::forged\\u001b[2J\n');
    assertInert(r.stdout + r.stderr, 'media_id');
    srv.replies['/cgi-bin/media/upload'] = { body: JSON.stringify({ errcode: 61999, errmsg: HOSTILE_ERRMSG }) };
    const bad = await cli(['upload', 'cover.png', '--appid', 'wx1234567890abcdef'], env, d);
    assert.equal(bad.code, 1);
    assertInert(bad.stdout + bad.stderr, 'upload errmsg');
  });

  test('the extension: views and output channel lines show a hostile errmsg, content type and file name escaped', async () => {
    const secrets = new MapSecrets();
    const state = new MapState();
    const log: string[] = [];
    const svc = new SendService(secrets, state, (l) => log.push(l), { backoffMs: 1, delay: async () => {} });
    const appid = 'wx1234567890abcdef';
    await svc.setAppSecret(appid, SIM_DEFAULT_SECRET);
    const api = { base: srv.url, timeoutMs: 2000 };
    const text = '{"touser":"x","msgtype":"text","text":{"content":"hi"}}';
    const shown: string[] = [];
    for (const reply of [
      { body: JSON.stringify({ errcode: 61999, errmsg: HOSTILE_ERRMSG }) },
      { body: JSON.stringify({ errcode: 45015, errmsg: `${HOSTILE_ERRMSG} rid: 1a-2b` }) },
      { contentType: 'text/plain\x9b2J', body: 'nope' },
    ]) {
      srv.replies['/cgi-bin/message/custom/send'] = reply;
      const out = await svc.send({ text, fileName: '\u001b[2Jevil\n::error::x.wxmsg.json', openId: USER, appid, context: { appid }, api });
      assert.notEqual(out.view.state, 'sent');
      shown.push(out.view.lens, out.view.message, out.view.notify);
    }
    srv.replies['/cgi-bin/media/upload'] = { body: JSON.stringify({ errcode: 61999, errmsg: HOSTILE_ERRMSG }) };
    shown.push((await svc.upload({ name: '\u001b[2J\n::error::up.png', data: PNG }, appid, api)).message);
    assertInert(shown.join('\n'), 'views');
    assertInert(log.join('\n'), 'output channel');
    assert.ok(log.some((l) => l.includes('\\u001b[2J\\u001b[H')), log.join('\n'));
  });

  test('the helper: control characters, separators and bidi controls escaped; a leading :: defused; plain text untouched', () => {
    assert.equal(escapeControl('请求成功 ok\trid: 1-2'), '请求成功 ok\trid: 1-2');
    assert.equal(escapeControl('a\nb\rc\u001bd\u007fe\u0085f\u2028g\u202eh'), 'a\\u000ab\\u000dc\\u001bd\\u007fe\\u0085f\\u2028g\\u202eh');
    assert.equal(escapeControl('::error::x'), '\\u003a:error::x');
    assert.equal(escapeControl('  ::warning::x'), '  \\u003a:warning::x');
    // Near misses: one colon, or :: later in the text, are not commands.
    assert.equal(escapeControl(':x'), ':x');
    assert.equal(escapeControl('x ::error::y'), 'x ::error::y');
    assert.equal(escapeLines('ok\n::error::x\n  fine'), 'ok\n\\u003a:error::x\n  fine');
    assert.deepEqual(JSON.parse(safeJson({ s: 'a\u009bb\u2028' })), { s: 'a\u009bb\u2028' });
    assert.doesNotMatch(safeJson({ s: 'a\u009bb\u2028' }), /[\u009b\u2028]/);
  });
});

describe('escaping in demo and simulate', () => {
  const HOSTILE_APPID = 'wx\u001b[2J\r\n::error::forged\n✔ sent forged';
  function hostileProject(): string {
    const d = tmpDir('wxmsg-hostile-proj-');
    fs.writeFileSync(path.join(d, 'project.config.json'), JSON.stringify({ appid: HOSTILE_APPID }));
    fs.writeFileSync(path.join(d, '\u001b[2Jx\n::error::forged.wxmsg.json'), '{"msgtype":"text","text":{"content":"hi"}}');
    return d;
  }

  test('demo: a hostile appid from project.config.json and a hostile file name are printed escaped', async () => {
    const d = hostileProject();
    const r = await cli(['demo', '.'], {}, d);
    assertInert(r.stdout + r.stderr, 'demo');
    assert.ok(r.stdout.includes('wx\\u001b[2J\\u000d\\u000a::error::forged'), r.stdout);
    assert.ok(r.stdout.includes('\\u001b[2Jx\\u000a::error::forged.wxmsg.json'), r.stdout);
  });

  test('simulate: the banner shows a hostile project appid escaped', async () => {
    const d = hostileProject();
    let stdout = '';
    let stderr = '';
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => { stop = resolve; });
    const io = { argv: [], cwd: d, env: {}, stdout: { write: (s: string) => { stdout += s; if (s.includes('/_sim/state')) stop(); return true; } }, stderr: { write: (s: string) => (stderr += s) } };
    const code = await runSimulate(['--port', '0', '--project', '.'], io, stopped);
    assert.equal(code, 0, stderr);
    assertInert(stdout + stderr, 'simulate');
    assert.ok(stdout.includes('wx\\u001b[2J\\u000d\\u000a::error::forged'), stdout);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the API base URL from the environment and the settings', () => {
  let sim: Simulator;
  before(async () => { sim = await startSim(); });
  after(async () => { await sim.close(); });

  test('an empty or blank WXMSG_API_BASE is a usage error (exit 2), never the real API', async () => {
    // No credentials in these runs: were the check missing, the command would stop at "no
    // credentials" (also exit 2, another message) before any network.
    for (const blank of ['', ' ', '\t']) {
      const r = await cli(['send', WELCOME, '--to', USER], { WXMSG_API_BASE: blank });
      assert.equal(r.code, 2, JSON.stringify(blank));
      assert.match(r.stderr, /WXMSG_API_BASE is set but empty/);
      const up = await cli(['upload', 'x.png'], { WXMSG_API_BASE: blank });
      assert.equal(up.code, 2);
      assert.match(up.stderr, /WXMSG_API_BASE is set but empty/);
    }
    // Near misses: a real value works; --api-base given explicitly wins over an empty variable.
    sharedTokenCache.clear();
    const ok = await cli(['send', WELCOME, '--to', USER], { WXMSG_APPSECRET: SIM_DEFAULT_SECRET, WXMSG_API_BASE: sim.url });
    assert.equal(ok.code, 0, ok.stderr);
    const flag = await cli(['send', WELCOME, '--to', USER, '--api-base', sim.url], { WXMSG_APPSECRET: SIM_DEFAULT_SECRET, WXMSG_API_BASE: '' });
    assert.equal(flag.code, 0, flag.stderr);
  });

  test('a blank wxmsg.api.baseUrl in user settings is refused, not read as production', () => {
    for (const blank of ['', '   ']) {
      const r = resolveBaseUrl({ defaultValue: 'https://api.weixin.qq.com', globalValue: blank });
      assert.equal(r.check.ok, false, JSON.stringify(blank));
      assert.ok(!r.check.ok && /empty/.test(r.check.message) && /wxmsg\.api\.baseUrl/.test(r.check.message));
    }
    // Near miss: no user value at all is the default.
    const unset = resolveBaseUrl({ defaultValue: 'https://api.weixin.qq.com' });
    assert.ok(unset.check.ok && unset.check.base === 'https://api.weixin.qq.com');
  });
});

// ---------------------------------------------------------------------------------------------

describe('credentials and --format json errors', () => {
  test('an AppSecret or access token under 16 characters is refused (exit 2), its value not shown', async () => {
    const base = { WXMSG_API_BASE: 'http://127.0.0.1:9' };
    for (const [name, value] of [['WXMSG_APPSECRET', 'short-secret-15'], ['WXMSG_ACCESS_TOKEN', 'tok-15-chars-xx']] as const) {
      assert.equal(value.length, 15);
      const r = await cli(['send', WELCOME, '--to', USER], { ...base, [name]: value });
      assert.equal(r.code, 2, name);
      assert.match(r.stderr, new RegExp(`${name} is 15 characters long`));
      assert.ok(!(r.stdout + r.stderr).includes(value), 'the value is never echoed');
      const up = await cli(['upload', 'x.png', '--appid', 'wx1234567890abcdef'], { ...base, [name]: value });
      assert.equal(up.code, 2, name);
    }
  });

  test('the extension refuses to store an AppSecret or access token under 16 characters, without echoing it', async () => {
    const svc = new SendService(new MapSecrets(), new MapState(), () => undefined);
    for (const store of [(v: string) => svc.setAppSecret('wx1234567890abcdef', v), (v: string) => svc.setAccessToken('wx1234567890abcdef', v)]) {
      await assert.rejects(store('fifteen-chars-x'), (e: Error) => /15 characters is too short/.test(e.message) && !e.message.includes('fifteen-chars-x'));
      assert.match(await store('sixteen-chars-ok'), /stored/);
    }
  });

  test('16 characters are accepted (the near miss)', async () => {
    const sim = await startSim();
    try {
      // The simulator knows only its own secret: 16 characters get past the CLI and reach it (40125 / 40001).
      const r = await cli(['send', WELCOME, '--to', USER], { WXMSG_API_BASE: sim.url, WXMSG_APPSECRET: 'sixteen-chars-ok' });
      assert.notEqual(r.code, 0);
      assert.doesNotMatch(r.stderr, /characters long/);
      assert.ok(sim.requestCount('/cgi-bin/stable_token') > 0);
    } finally {
      await sim.close();
    }
  });

  test('--format json prints a JSON error object on stdout for usage and credential errors', async () => {
    const cases: [string[], Record<string, string>, string][] = [
      [['send', WELCOME, '--to', USER, '--format', 'json'], {}, 'credentials'],
      [['send', WELCOME, '--to', USER, '--format', 'json'], { WXMSG_APPSECRET: 'short' }, 'credentials'],
      [['send', WELCOME, '--to', USER, '--format=json', '--bogus'], {}, 'usage'],
      [['send', WELCOME, '--format', 'json'], {}, 'usage'],
      [['send', WELCOME, '--to', USER, '-f', 'json'], { WXMSG_APPSECRET: SIM_DEFAULT_SECRET, WXMSG_API_BASE: '' }, 'usage'],
      [['send', WELCOME, '--to', USER, '-f', 'json', '--api-base', 'http://example.com'], { WXMSG_APPSECRET: SIM_DEFAULT_SECRET }, 'usage'],
      [['upload', 'x.png', '--format', 'json'], {}, 'credentials'],
      [['upload', '--format', 'json', '--timeout', 'soon'], {}, 'usage'],
      [['lint', '--format', 'json', '--max-warnings', 'x'], {}, 'usage'],
      [['--format', 'json', '--bogus'], {}, 'usage'],
      [['lint', 'nothing-here/*.wxmsg.json', '--format', 'json'], {}, 'usage'],
    ];
    for (const [argv, env, kind] of cases) {
      const r = await cli(argv, env);
      assert.equal(r.code, 2, argv.join(' '));
      const j = JSON.parse(r.stdout);
      assert.equal(j.status, 'error', argv.join(' '));
      assert.equal(j.error.kind, kind, argv.join(' '));
      assert.equal(typeof j.error.message, 'string');
    }
    // Text format: nothing on stdout for such errors.
    assert.equal((await cli(['send', WELCOME, '--to', USER], {})).stdout, '');
  });

  test('push: a server that echoes the push Token (3 characters) never gets it printed; --format json errors too', async () => {
    const http = await import('node:http');
    const token = 'k7Q';
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end(`bad reply, your token is ${token}, ok? ${token}`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/wechat`;
      for (const format of ['text', 'json']) {
        const r = await cli(['push', 'text', '--url', url, '--skip-verify', '--format', format], { WXMSG_PUSH_TOKEN: token });
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /your token is \*\*\*, ok\? \*\*\*/);
        assert.doesNotMatch(r.stdout + r.stderr, new RegExp(`\\b${token}\\b`));
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const usage = await cli(['push', 'text', '--format', 'json'], {});
    assert.equal(usage.code, 2);
    assert.equal(JSON.parse(usage.stdout).error.kind, 'usage');
  });

  test('the redactor is ready for a short push Token: masked as a whole word only, never inside other words', () => {
    assert.equal(redact('Token abc123 rejected; abc1234 and xabc123 stay', ['abc123']), 'Token *** rejected; abc1234 and xabc123 stay');
    const long = 'L'.repeat(16);
    assert.equal(redact(`x${long}y`, [long]), 'x***y');
    assert.equal(redact('https://h/p?token=abc&x=1'), 'https://h/p?token=***&x=1');
  });
});

// ---------------------------------------------------------------------------------------------

function run(args: string[], env: Record<string, string | undefined>, cwd = EXAMPLES): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: env as NodeJS.ProcessEnv, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

describe('NODE_DEBUG and the access token (a real child process)', () => {
  test('the parser: names undici, fetch, http, net, tls in any case, comma or space lists, wildcards', () => {
    for (const v of ['undici', 'UNDICI', 'fetch', 'http', 'net', 'tls', 'module,undici', 'module Undici', ' http ,x', '*', 'und*', 'HTTP2', 'https', 'child_process']) {
      assert.ok(checkNodeDebug(v).leaky.length > 0, v);
    }
    for (const v of [undefined, '', 'module', 'worker,esm', 'undicix', 'xnet', 'httpx']) {
      assert.deepEqual(checkNodeDebug(v).leaky, [], String(v));
    }
    assert.equal(checkNodeDebug('module,undici,esm').kept, 'module,esm');
    assert.equal(checkNodeDebug('undici').kept, undefined);
  });

  test('NODE_DEBUG=undici (and others): the command runs again without them, one line says so, no token on any output', async () => {
    const sim = await startSim();
    try {
      const child = { ...process.env, WXMSG_APPSECRET: SIM_DEFAULT_SECRET, WXMSG_API_BASE: sim.url, WXMSG_ACCESS_TOKEN: undefined };
      for (const debug of ['undici', 'fetch,HTTP', 'net tls', 'module,Undici']) {
        const r = await run(['send', WELCOME, '--to', USER], { ...child, NODE_DEBUG: debug });
        assert.equal(r.code, 0, `${debug}: ${r.stderr}`);
        assert.match(r.stdout, /✔ sent/);
        assert.equal(r.stderr.match(/running again without/g)?.length, 1, r.stderr);
        const tokens = sim.issuedTokens().map((t) => t.token);
        assert.ok(tokens.length > 0);
        for (const t of [...tokens, SIM_DEFAULT_SECRET]) assert.ok(!(r.stdout + r.stderr).includes(t), `${debug}: a secret on the output`);
      }
      // NODE_DEBUG that also logs child processes (their environment): running again would leak, so refused.
      for (const debug of ['*', 'child_process,undici', 'CHILD*']) {
        const r = await run(['send', WELCOME, '--to', USER], { ...child, NODE_DEBUG: debug });
        assert.equal(r.code, 2, `${debug}: ${r.stderr}`);
        assert.match(r.stderr, /NODE_DEBUG names .*Node would print the access token/);
        assert.ok(!(r.stdout + r.stderr).includes(SIM_DEFAULT_SECRET), debug);
      }
      // A ready token from the environment, and upload.
      const tok = sim.issuedTokens()[0].token;
      const ready = await run(['send', WELCOME, '--to', USER], { ...child, WXMSG_APPSECRET: undefined, WXMSG_ACCESS_TOKEN: tok, NODE_DEBUG: 'undici' });
      assert.equal(ready.code, 0, ready.stderr);
      assert.ok(!(ready.stdout + ready.stderr).includes(tok));
      const d = tmpDir('wxmsg-nd-');
      fs.writeFileSync(path.join(d, 'cover.png'), PNG);
      const up = await run(['upload', 'cover.png', '--appid', 'wx1234567890abcdef'], { ...child, NODE_DEBUG: 'undici' }, d);
      assert.equal(up.code, 0, up.stderr);
      for (const t of sim.issuedTokens().map((x) => x.token)) assert.ok(!(up.stdout + up.stderr).includes(t));
    } finally {
      await sim.close();
    }
  });

  test('in-process (no way to run again) it refuses to send: exit 2 with a clear message', async () => {
    const r = await cli(['send', WELCOME, '--to', USER], { WXMSG_APPSECRET: SIM_DEFAULT_SECRET, WXMSG_API_BASE: 'http://127.0.0.1:9', NODE_DEBUG: 'undici' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /NODE_DEBUG names undici: Node would print the access token/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('lint: unreadable folders, --ignore, odd file names, EPIPE, globs that match nothing', () => {
  function dirWithTemplate(): string {
    const d = tmpDir('wxmsg-walk-');
    fs.writeFileSync(path.join(d, 'ok.wxmsg.json'), '{"msgtype":"text","text":{"content":"hi"}}');
    return d;
  }

  test('a folder too deep to read (ENAMETOOLONG, which root cannot read either) fails the run and is named; --ignore skips it', async () => {
    const d = dirWithTemplate();
    // Build a path longer than PATH_MAX with relative mkdirs (cd into each level).
    const seg = 'd'.repeat(200);
    await new Promise<void>((resolve, reject) => {
      const script = `const fs = require('fs'); fs.mkdirSync('deep'); process.chdir('deep'); for (let i = 0; i < 25; i++) { fs.mkdirSync('${seg}'); process.chdir('${seg}'); } fs.writeFileSync('x.wxmsg.json', '{}');`;
      spawn(process.execPath, ['-e', script], { cwd: d, stdio: 'inherit' }).on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`mkdir exit ${c}`))));
    });
    const r = await cli(['lint', '.'], {}, d);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /cannot read the folder deep\/d+.* \(ENAMETOOLONG\): its templates were not checked; .*--ignore <glob>/);
    assert.doesNotMatch(r.stdout, /✔/);
    const ignored = await cli(['lint', '.', '--ignore', 'deep'], {}, d);
    assert.equal(ignored.code, 0, ignored.stderr);
    assert.match(ignored.stdout, /✔ 1 template checked/);
    const ignored2 = await cli(['lint', '--ignore', 'deep/**'], {}, d);
    assert.equal(ignored2.code, 0, ignored2.stderr);
    // A glob walks the same tree: the error too (with **), and not when the glob cannot reach that deep.
    assert.equal((await cli(['lint', '**/*.wxmsg.json'], {}, d)).code, 2);
    assert.equal((await cli(['lint', '*.wxmsg.json'], {}, d)).code, 0);
  });

  test('a folder that cannot be listed (EACCES injected, vanished) is reported, not skipped', () => {
    const d = dirWithTemplate();
    fs.mkdirSync(path.join(d, 'locked'));
    fs.mkdirSync(path.join(d, 'gone'));
    const readdir = (p: string) => {
      if (p.endsWith(`${path.sep}locked`)) throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
      if (p.endsWith(`${path.sep}gone`)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return fs.readdirSync(p, { withFileTypes: true });
    };
    const x = expandOperands(['.'], d, { readdir });
    assert.deepEqual(x.files, ['ok.wxmsg.json']);
    assert.deepEqual(x.errors, [{ path: 'gone', reason: 'ENOENT' }, { path: 'locked', reason: 'EACCES' }]);
    assert.deepEqual(expandOperands(['.'], d, { readdir, ignore: ['locked', 'gone'] }).errors, []);
    // A glob base that does not exist is "matches nothing", not a read error.
    const none = expandOperands(['missing/*.wxmsg.json'], d);
    assert.deepEqual([none.unmatched, none.errors], [['missing/*.wxmsg.json'], []]);
  });

  test('a FIFO named *.wxmsg.json under a folder is reported unreadable (it used to be passed over)', async () => {
    const d = dirWithTemplate();
    await new Promise<void>((resolve, reject) => spawn('mkfifo', [path.join(d, 'pipe.wxmsg.json')]).on('exit', (c) => (c === 0 ? resolve() : reject(new Error('mkfifo')))));
    const r = await cli(['lint', '.', '--format', 'json'], {}, d);
    assert.equal(r.code, 1);
    const pipe = JSON.parse(r.stdout).find((x: { file: string }) => x.file === 'pipe.wxmsg.json');
    assert.equal(pipe.diagnostics[0].code, 'wxmsg/unreadable-file');
    assert.equal((await cli(['lint', '.', '--ignore', 'pipe.wxmsg.json'], {}, d)).code, 0);
  });

  test('a glob or path that matches nothing: the error, exit 2, and no "✔ 0 templates checked"', async () => {
    const d = dirWithTemplate();
    const r = await cli(['lint', 'nothing/*.wxmsg.json'], {}, d);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no \*\.wxmsg\.json files match "nothing\/\*\.wxmsg\.json"/);
    assert.doesNotMatch(r.stdout, /checked/);
    const mixed = await cli(['lint', 'ok.wxmsg.json', 'nothing*.wxmsg.json'], {}, d);
    assert.equal(mixed.code, 2);
    assert.doesNotMatch(mixed.stdout, /✔/);
    // Near miss: the matching glob alone still says it checked.
    assert.match((await cli(['lint', '*.wxmsg.json'], {}, d)).stdout, /✔ 1 template checked, no problems/);
  });

  test('file names with a newline, ESC or a leading :: are escaped in stylish output', async () => {
    const d = tmpDir('wxmsg-names-');
    const names = ['a\n✔ 9 templates checked, no problems.wxmsg.json', '\u001b[2Jb.wxmsg.json', '::error::c.wxmsg.json'];
    for (const n of names) fs.writeFileSync(path.join(d, n), '{"msgtype":"text"}');
    const r = await cli(['lint', '.'], {}, d);
    assert.equal(r.code, 1);
    assertInert(r.stdout + r.stderr, 'file names');
    assert.doesNotMatch(r.stdout, /^✔/m);
    assert.ok(r.stdout.includes('a\\u000a✔ 9 templates checked'), r.stdout);
    assert.ok(r.stdout.includes('\\u003a:error::c.wxmsg.json'), r.stdout);
    assert.ok(formatStylish([{ file: 'x\ny', diagnostics: [] }]) === '');
  });

  test('wxmsg lint | head -1 ends quietly: no EPIPE stack trace', async () => {
    const d = tmpDir('wxmsg-epipe-');
    for (let i = 0; i < 2000; i++) fs.writeFileSync(path.join(d, `t${i}.wxmsg.json`), '{"msgtype":"text","text":{"content":""},"bogus":1}');
    const r = await new Promise<{ code: number | null; stderr: string; head: string }>((resolve) => {
      const lint = spawn(process.execPath, [BIN, 'lint', '.'], { cwd: d, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let head = '';
      lint.stderr.on('data', (c) => (stderr += c));
      // What `head -1` does: read the first line, then close the pipe.
      lint.stdout.on('data', (c) => {
        head += c;
        if (head.includes('\n', 1)) lint.stdout.destroy();
      });
      lint.on('close', (code) => resolve({ code, stderr, head }));
    });
    assert.equal(r.stderr, '');
    assert.equal(r.code, 1);
    assert.match(r.head, /t\d+\.wxmsg\.json/);
  });
});
