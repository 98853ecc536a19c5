import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET, SIM_USERS, type Simulator } from '../server/src/simulator/simulator.ts';
import { sharedTokenCache } from '../server/src/wechat/tokenCache.ts';
import { cli, startSim, tmpDir } from './sendHelpers.ts';

const TEMPLATE = '{ "touser": "OPENID", "msgtype": "text", "text": { "content": "你好" } }\n';
const QA = SIM_USERS.ready[0];
const PM = SIM_USERS.ready[1];

let sim: Simulator;
before(async () => { sim = await startSim(); });
after(async () => { await sim.close(); });
beforeEach(() => { sim.reset(); sharedTokenCache.clear(); });

/** A project folder with a template and a wxmsg.config.json holding `profiles`. */
function project(profiles: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const dir = tmpDir('wxmsg-team-');
  fs.writeFileSync(path.join(dir, 'hello.wxmsg.json'), TEMPLATE);
  fs.writeFileSync(path.join(dir, 'wxmsg.config.json'), `// team profiles\n${JSON.stringify({ ...extra, profiles }, null, 2)}\n`);
  return dir;
}

async function plainToken(): Promise<string> {
  const r = await request(`${sim.url}/cgi-bin/token?grant_type=client_credential&appid=${SIM_DEFAULT_APPID}&secret=${SIM_DEFAULT_SECRET}`);
  return ((await r.body.json()) as { access_token: string }).access_token;
}

const users = { qa: QA, '产品-小王': PM };
const all = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

describe('wxmsg send --profile / --to <alias>', () => {
  test('an alias of the profile\'s test users: sent to its OpenID, shown as alias + mask', async () => {
    const dir = project({ dev: { appid: SIM_DEFAULT_APPID, apiBase: sim.url, token: { source: 'appsecret' }, testUsers: users } }, { defaultProfile: 'dev' });
    const r = await cli(['send', 'hello.wxmsg.json', '--to', '产品-小王'], { WXMSG_APPSECRET: SIM_DEFAULT_SECRET }, dir);
    assert.equal(r.code, 0, all(r));
    assert.match(r.stdout, /✔ sent hello\.wxmsg\.json to 产品-小王 \(oWx…0002\) \(appid wx1234567890abcdef via 127\.0\.0\.1:\d+\)/);
    assert.equal(sim.delivered[0].touser, PM);
    // An OpenID that is a test user gets its alias too; --format json carries it.
    const j = JSON.parse((await cli(['send', 'hello.wxmsg.json', '--to', QA, '--profile', 'dev', '--format', 'json'], { WXMSG_APPSECRET: SIM_DEFAULT_SECRET }, dir)).stdout);
    assert.equal(j.to, 'qa (oWx…0001)');
  });

  test('an unknown alias, an unknown profile, a differing --appid: usage errors, nothing sent', async () => {
    const dir = project({ dev: { appid: SIM_DEFAULT_APPID, apiBase: sim.url, testUsers: users } });
    const env = { WXMSG_APPSECRET: SIM_DEFAULT_SECRET };
    let r = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', '小王'], env, dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"小王" is neither a test user of profile "dev" \(qa, 产品-小王\) nor an OpenID/);
    r = await cli(['send', 'hello.wxmsg.json', '--profile', 'staging', '--to', 'qa'], env, dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no profile "staging" in wxmsg\.config\.json \(profiles: dev\)/);
    r = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'qa', '--appid', 'wx1234567890abcdee'], env, dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--appid wx1234567890abcdee differs from profile "dev"'s appid wx1234567890abcdef/);
    // The same appid is fine; WXMSG_PROFILE selects a profile like --profile.
    r = await cli(['send', 'hello.wxmsg.json', '--to', 'qa', '--appid', SIM_DEFAULT_APPID], { ...env, WXMSG_PROFILE: 'dev' }, dir);
    assert.equal(r.code, 0, all(r));
    assert.equal(sim.delivered.length, 1);
  });

  test('a profile with errors is refused with located errors', async () => {
    const dir = project({ dev: { appid: 'wx123', apiBase: sim.url, testUsers: users } });
    const r = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'qa'], { WXMSG_APPSECRET: SIM_DEFAULT_SECRET }, dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /wxmsg\.config\.json:5:16: wxmsg\.config\.json: profiles\.dev\.appid "wx123" is not an appid/);
  });

  test('production: needs --yes, whatever the terminal', async () => {
    const dir = project({ prod: { appid: SIM_DEFAULT_APPID, apiBase: sim.url, testUsers: users, production: true } });
    const env = { WXMSG_APPSECRET: SIM_DEFAULT_SECRET };
    let r = await cli(['send', 'hello.wxmsg.json', '--profile', 'prod', '--to', 'qa'], env, dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /profile "prod" is marked production: sending to it needs --yes/);
    assert.equal(sim.delivered.length, 0);
    r = await cli(['send', 'hello.wxmsg.json', '--profile', 'prod', '--to', 'qa', '--yes'], env, dir);
    assert.equal(r.code, 0, all(r));
    assert.equal(sim.delivered.length, 1);
  });

  test('an OpenID that does not look like one of this app: a warning in the user\'s language, then sent', async () => {
    const dir = project({ dev: { appid: SIM_DEFAULT_APPID, apiBase: sim.url, testUsers: users } });
    const r = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', SIM_USERS.entered.replace('oWx', 'oQQ')], { WXMSG_APPSECRET: SIM_DEFAULT_SECRET }, dir);
    assert.match(r.stderr, /warning: "oQQ…0001" does not look like an OpenID of this app: this app's test users' OpenIDs all start with "oWxms"/);
    assert.doesNotMatch(r.stderr, /警告/);
    const zh = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--locale', 'zh-CN', '--to', SIM_USERS.entered.replace('oWx', 'oQQ')], { WXMSG_APPSECRET: SIM_DEFAULT_SECRET }, dir);
    assert.match(zh.stderr, /警告：.*看起来不像本小程序的 OpenID/);
    assert.doesNotMatch(zh.stderr, /warning:/);
    assert.equal(sim.requests.filter((q) => q.path === '/cgi-bin/message/custom/send').length, 2, 'sent anyway, in each language');
    // Shown with the mask that tells it apart from the test user "qa" it shares its end with.
    const near = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', QA.slice(0, -5) + QA.slice(-4)], { WXMSG_APPSECRET: SIM_DEFAULT_SECRET }, dir);
    assert.match(near.stderr, /warning: "oWx…r000000001" does not look like an OpenID of this app: OpenIDs have 28 characters .*\(this one has 27\)/);
    const ok = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', SIM_USERS.entered], { WXMSG_APPSECRET: SIM_DEFAULT_SECRET }, dir);
    assert.equal(ok.code, 0);
    assert.ok(!ok.stderr.includes('does not look like'));
  });

  test('a value far shorter than an OpenID is a mistyped alias: a usage error naming the test users, nothing sent', async () => {
    const dir = project({ dev: { appid: SIM_DEFAULT_APPID, apiBase: sim.url, testUsers: users } });
    const env = { WXMSG_APPSECRET: SIM_DEFAULT_SECRET };
    const sends = () => sim.requests.filter((q) => q.path === '/cgi-bin/message/custom/send').length;
    const before = sends();
    const typo = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'qb'], env, dir);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /"qb" is neither a test user of profile "dev" \(qa, 产品-小王\) nor an OpenID/);
    // Near misses of the length limit: 19 characters is still an alias typo; 20 goes on as an OpenID (with the warning).
    const at19 = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'oWxmsgSimReadyUser0'], env, dir);
    assert.equal(at19.code, 2, all(at19));
    assert.equal(sends(), before, 'nothing sent');
    const at20 = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'oWxmsgSimReadyUser00'], env, dir);
    assert.match(at20.stderr, /does not look like an OpenID of this app/);
    assert.equal(sends(), before + 1, 'sent anyway');
  });
});

describe('a profile cannot send a secret to a host outside the allow-list', () => {
  test('apiBase outside the official hosts, loopback and WXMSG_ALLOWED_HOSTS: refused, naming the setting', async () => {
    const dir = project({ dev: { appid: SIM_DEFAULT_APPID, apiBase: 'https://wx-gateway.corp.example', testUsers: users } });
    const env = { WXMSG_APPSECRET: SIM_DEFAULT_SECRET };
    const r = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'qa'], env, dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /profile "dev": apiBase points at wx-gateway\.corp\.example, which is not an official WeChat API host .*add wx-gateway\.corp\.example to WXMSG_ALLOWED_HOSTS/);
    assert.ok(!all(r).includes(SIM_DEFAULT_SECRET));
    // A near miss on the allow-list is still refused; the user's own --api-base counts as allowed.
    assert.equal((await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'qa'], { ...env, WXMSG_ALLOWED_HOSTS: 'gateway.corp.example' }, dir)).code, 2);
    const own = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'qa', '--api-base', sim.url], env, dir);
    assert.equal(own.code, 0, all(own));
  });

  test('token-url outside the allow-list: refused before its header value is sent', async () => {
    const dir = project({ dev: { appid: SIM_DEFAULT_APPID, apiBase: sim.url, testUsers: users, token: { source: 'token-url', url: 'https://tokens.corp.example/wx', headerEnv: 'TOKEN_SVC_AUTH' } } });
    const r = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'qa'], { TOKEN_SVC_AUTH: 'Bearer team-service-credential-123' }, dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /profile "dev": token\.url points at tokens\.corp\.example.*WXMSG_ALLOWED_HOSTS/);
    assert.ok(!all(r).includes('team-service-credential-123'));
  });
});

describe('token-command: never runs without consent', () => {
  function commandProject(args: string[] = []): { dir: string; marker: string } {
    const dir = project({ dev: { appid: SIM_DEFAULT_APPID, apiBase: sim.url, testUsers: users, token: { source: 'token-command', command: [process.execPath, 'token.js', ...args] } } }, { defaultProfile: 'dev' });
    fs.writeFileSync(path.join(dir, 'token.js'), 'require("fs").writeFileSync("ran.marker", "1"); process.stdout.write(require("fs").readFileSync("token.txt", "utf8") + "\\n")');
    return { dir, marker: path.join(dir, 'ran.marker') };
  }

  test('refused until "wxmsg allow"; then it runs from the project root and its token is never printed', async () => {
    const { dir, marker } = commandProject();
    const token = await plainToken();
    fs.writeFileSync(path.join(dir, 'token.txt'), token);
    const env = { WXMSG_CONFIG_DIR: path.join(dir, '.user-config') };
    let r = await cli(['send', 'hello.wxmsg.json', '--to', 'qa'], env, dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /which you have not allowed\. Read the command, then run "wxmsg allow" in .*or set WXMSG_ALLOW_TOKEN_COMMAND=1/);
    assert.equal(fs.existsSync(marker), false, 'the command did not run');
    assert.equal(sim.delivered.length, 0);

    const allow = await cli(['allow'], env, dir);
    assert.equal(allow.code, 0, all(allow));
    assert.match(allow.stdout, /✔ allowed for profile "dev": \[".*","token\.js"\]/);
    // Recorded in the user's config folder, not the project's (apart from the test's override).
    assert.ok(fs.existsSync(path.join(env.WXMSG_CONFIG_DIR, 'allowed-token-commands.json')));

    r = await cli(['send', 'hello.wxmsg.json', '--to', 'qa'], env, dir);
    assert.equal(r.code, 0, all(r));
    assert.ok(fs.existsSync(marker));
    assert.equal(sim.delivered[0].touser, QA);
    assert.ok(!all(r).includes(token), 'the token is never printed');
  });

  test('a changed command needs a new allow; WXMSG_ALLOW_TOKEN_COMMAND=1 allows it for a CI run', async () => {
    const first = commandProject();
    const env = { WXMSG_CONFIG_DIR: path.join(first.dir, '.user-config') };
    assert.equal((await cli(['allow'], env, first.dir)).code, 0);
    // The same file, a different command.
    const changed = JSON.parse(fs.readFileSync(path.join(first.dir, 'wxmsg.config.json'), 'utf8').replace(/^\/\/.*\n/, ''));
    changed.profiles.dev.token.command.push('--other');
    fs.writeFileSync(path.join(first.dir, 'wxmsg.config.json'), JSON.stringify(changed));
    const r = await cli(['send', 'hello.wxmsg.json', '--to', 'qa'], env, first.dir);
    assert.equal(r.code, 2);
    assert.equal(fs.existsSync(first.marker), false);
    fs.writeFileSync(path.join(first.dir, 'token.txt'), await plainToken());
    const ci = await cli(['send', 'hello.wxmsg.json', '--to', 'qa'], { ...env, WXMSG_ALLOW_TOKEN_COMMAND: '1' }, first.dir);
    assert.equal(ci.code, 0, all(ci));
    assert.ok(fs.existsSync(first.marker));
  });

  test('a failing command is a clear error (exit 2) and its output is not echoed', async () => {
    const { dir } = commandProject();
    fs.writeFileSync(path.join(dir, 'token.js'), 'process.stdout.write("sk-this-is-what-the-command-printed-1234567890"); process.exit(4)');
    const r = await cli(['send', 'hello.wxmsg.json', '--to', 'qa'], { WXMSG_ALLOW_TOKEN_COMMAND: '1' }, dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /profile "dev": the token-command .* failed \(exit code 4\); its output is not shown/);
    assert.ok(!all(r).includes('what-the-command-printed'));
  });
});

describe('token-url: a company token service', () => {
  let server: http.Server;
  let url: string;
  /** Tokens handed out in turn (the last repeats); a number is an HTTP error status instead. */
  let answers: (string | number)[];
  let seen: (string | undefined)[];
  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.headers['x-token-auth'] as string | undefined);
      const token = answers.length > 1 ? answers.shift()! : answers[0];
      if (typeof token === 'number') { res.statusCode = token; res.end('{"error":"down"}'); return; }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: token, expires_in: 7200 }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => { answers = []; seen = []; });
  const HEADER = 'Bearer  svc-credential/with spaces=';
  const profile = () => ({ dev: { appid: SIM_DEFAULT_APPID, apiBase: sim.url, testUsers: users, token: { source: 'token-url', url, header: 'X-Token-Auth', headerEnv: 'TOKEN_SVC_AUTH' } } });

  test('the header value comes verbatim from headerEnv; on 40001 the token is fetched once more', async () => {
    const stale = await plainToken();
    const fresh = await plainToken();
    sim.expireTokens({ token: stale, mode: 'invalid' });
    answers = [stale, fresh];
    const dir = project(profile());
    const r = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'qa'], { TOKEN_SVC_AUTH: HEADER }, dir);
    assert.equal(r.code, 0, all(r));
    assert.deepEqual(seen, [HEADER, HEADER]);
    assert.equal(sim.delivered.length, 1);
    for (const s of [stale, fresh, 'svc-credential']) assert.ok(!all(r).includes(s), s);
  });

  test('the same token again after 40001 is a clear error (exit 2); a missing headerEnv too', async () => {
    const stale = await plainToken();
    sim.expireTokens({ token: stale, mode: 'invalid' });
    answers = [stale];
    const dir = project(profile());
    const r = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'qa', '--format', 'json'], { TOKEN_SVC_AUTH: HEADER }, dir);
    assert.equal(r.code, 2);
    assert.match(JSON.parse(r.stdout).error.message, /token service handed back the same token/);
    assert.equal(seen.length, 2, 'fetched exactly once more');
    assert.ok(!all(r).includes(stale));
    const missing = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'qa'], {}, dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /needs its X-Token-Auth header from the environment variable TOKEN_SVC_AUTH, which is not set/);
  });

  const sends = () => sim.requestCount('/cgi-bin/message/custom/send');

  for (const errcode of [42001, 40014]) {
    test(`${errcode} from WeChat: fetched once more, sent with the new token, and said so`, async () => {
      const first = await plainToken();
      answers = [first, await plainToken()];
      sim.injectFault({ type: 'errcode', errcode, path: '/cgi-bin/message/custom/send' });
      const dir = project(profile());
      const r = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'qa'], { TOKEN_SVC_AUTH: HEADER }, dir);
      assert.equal(r.code, 0, all(r));
      assert.match(r.stdout, /✔ sent .*\n.*\(after fetching a new token from the token service\)/);
      assert.equal(seen.length, 2);
      assert.equal(sends(), 2);
      const j = JSON.parse((await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'qa', '--format', 'json'], { TOKEN_SVC_AUTH: HEADER }, dir)).stdout);
      assert.equal(j.tokenRefetched, false, 'no refetch without a stale answer');
    });
  }

  test('40003 (not a token problem): no refetch, the API error as it is (exit 1)', async () => {
    answers = [await plainToken(), await plainToken()];
    sim.injectFault({ type: 'errcode', errcode: 40003, path: '/cgi-bin/message/custom/send' });
    const r = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'qa', '--format', 'json'], { TOKEN_SVC_AUTH: HEADER }, project(profile()));
    assert.equal(r.code, 1, all(r));
    assert.equal(JSON.parse(r.stdout).errcode, 40003);
    assert.equal(seen.length, 1, 'the token service was asked once');
    assert.equal(sends(), 1);
  });

  test('only one refetch: WeChat refusing the new token too is an API error whose note says why (exit 1)', async () => {
    answers = [await plainToken(), await plainToken(), await plainToken()];
    sim.injectFault({ type: 'errcode', errcode: 40001, path: '/cgi-bin/message/custom/send', times: 3 });
    const r = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'qa', '--format', 'json'], { TOKEN_SVC_AUTH: HEADER }, project(profile()));
    assert.equal(r.code, 1, all(r));
    const j = JSON.parse(r.stdout);
    assert.equal(j.errcode, 40001);
    assert.match(j.note, /WeChat refused the new token from the token service too \(errcode 40001\)/);
    assert.equal(j.attempts, 2);
    assert.equal(j.tokenRefetched, true);
    assert.equal(seen.length, 2);
    assert.equal(sends(), 2);
  });

  test('the token service failing on the refetch: exit 2 with its reason; no body, no token shown', async () => {
    const stale = await plainToken();
    answers = [stale, 503];
    sim.expireTokens({ token: stale, mode: 'expired' });
    const r = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'qa'], { TOKEN_SVC_AUTH: HEADER }, project(profile()));
    assert.equal(r.code, 2, all(r));
    assert.match(r.stderr, /WeChat refused the token service's token \(errcode 42001 access_token expired\), and fetching a new one failed: the token service 127\.0\.0\.1:\d+ answered HTTP 503; the body is not shown/);
    assert.ok(!all(r).includes('down') && !all(r).includes(stale));
    assert.equal(sends(), 1);
  });

  test('the same token again, in Chinese (WXMSG_LOCALE=zh-CN)', async () => {
    const stale = await plainToken();
    sim.expireTokens({ token: stale, mode: 'invalid' });
    answers = [stale];
    const r = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'qa'], { TOKEN_SVC_AUTH: HEADER, WXMSG_LOCALE: 'zh-CN' }, project(profile()));
    assert.equal(r.code, 2, all(r));
    assert.match(r.stderr, /微信拒绝了 token 服务提供的 access_token（errcode 40001 .*），再次请求时 token 服务返回了同一个 token/);
    assert.equal(sends(), 1);
  });
});

describe('wxmsg lint checks wxmsg.config.json', () => {
  test('a secret in the project file is an error at its place, never printed', async () => {
    const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const dir = project({ dev: { appid: SIM_DEFAULT_APPID, vars: { note: SECRET } } });
    const r = await cli(['lint'], {}, dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /wxmsg\.config\.json/);
    assert.match(r.stdout, /7:17 +error +.*wxmsg\/secret-in-config/);
    assert.ok(!all(r).includes(SECRET));
    // The same file without it is clean.
    const clean = project({ dev: { appid: SIM_DEFAULT_APPID, vars: { note: SECRET.slice(1) } } });
    assert.equal((await cli(['lint'], {}, clean)).code, 0);
  });
});

describe('every token source through a profile, and the precedence over it', () => {
  test('access-token: WXMSG_ACCESS_TOKEN is required and used as is; its absence is a clear error (exit 2)', async () => {
    const dir = project({ dev: { appid: SIM_DEFAULT_APPID, apiBase: sim.url, testUsers: users, token: { source: 'access-token' } } }, { defaultProfile: 'dev' });
    // An AppSecret in the environment does not stand in for the ready token the profile names.
    const none = await cli(['send', 'hello.wxmsg.json', '--to', 'qa'], { WXMSG_APPSECRET: SIM_DEFAULT_SECRET }, dir);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /profile "dev" uses a ready access token: set WXMSG_ACCESS_TOKEN in the environment/);
    assert.equal(sim.requests.length, 0, 'no request at all');
    const token = await plainToken();
    const before = sim.requests.length;
    const r = await cli(['send', 'hello.wxmsg.json', '--to', 'qa'], { WXMSG_ACCESS_TOKEN: token }, dir);
    assert.equal(r.code, 0, all(r));
    assert.equal(sim.delivered[0].touser, QA);
    assert.deepEqual(sim.requests.slice(before).map((q) => q.path), ['/cgi-bin/message/custom/send'], 'no token request: the ready token as it is');
    assert.ok(!all(r).includes(token));
  });

  test('appsecret: WXMSG_APPSECRET through stable_token; without it a clear error naming the variable', async () => {
    const dir = project({ dev: { appid: SIM_DEFAULT_APPID, apiBase: sim.url, testUsers: users, token: { source: 'appsecret' } } }, { defaultProfile: 'dev' });
    const none = await cli(['send', 'hello.wxmsg.json', '--to', 'qa'], {}, dir);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /profile "dev" takes its token from the AppSecret: set WXMSG_APPSECRET/);
    const r = await cli(['send', 'hello.wxmsg.json', '--to', 'qa'], { WXMSG_APPSECRET: SIM_DEFAULT_SECRET }, dir);
    assert.equal(r.code, 0, all(r));
    assert.ok(sim.requests.some((q) => q.path === '/cgi-bin/stable_token'));
  });

  test('WXMSG_ACCESS_TOKEN wins over a token-command: the command does not run and needs no allow', async () => {
    const dir = project({ dev: { appid: SIM_DEFAULT_APPID, apiBase: sim.url, testUsers: users, token: { source: 'token-command', command: [process.execPath, 'token.js'] } } }, { defaultProfile: 'dev' });
    fs.writeFileSync(path.join(dir, 'token.js'), 'require("fs").writeFileSync("ran.marker", "1")');
    const r = await cli(['send', 'hello.wxmsg.json', '--to', 'qa'], { WXMSG_ACCESS_TOKEN: await plainToken(), WXMSG_CONFIG_DIR: path.join(dir, '..', `${path.basename(dir)}-cfg`) }, dir);
    assert.equal(r.code, 0, all(r));
    assert.equal(fs.existsSync(path.join(dir, 'ran.marker')), false);
  });

  test('flags and WXMSG_API_BASE rank over the profile\'s apiBase (and count as the user\'s own host)', async () => {
    const dir = project({ dev: { appid: SIM_DEFAULT_APPID, apiBase: 'https://wx-gateway.corp.example', testUsers: users } }, { defaultProfile: 'dev' });
    const env = { WXMSG_APPSECRET: SIM_DEFAULT_SECRET };
    assert.equal((await cli(['send', 'hello.wxmsg.json', '--to', 'qa'], env, dir)).code, 2, 'the profile\'s own host is refused');
    const r = await cli(['send', 'hello.wxmsg.json', '--to', 'qa', '--format', 'json'], { ...env, WXMSG_API_BASE: sim.url }, dir);
    assert.equal(r.code, 0, all(r));
    assert.match(JSON.parse(r.stdout).apiHost, /^127\.0\.0\.1:\d+$/);
    // --profile over WXMSG_PROFILE over defaultProfile.
    const two = project({ a: { appid: SIM_DEFAULT_APPID, apiBase: sim.url, testUsers: { qa: QA } }, b: { appid: SIM_DEFAULT_APPID, apiBase: sim.url, testUsers: { qa: PM } } }, { defaultProfile: 'a' });
    sim.reset();
    await cli(['send', 'hello.wxmsg.json', '--to', 'qa'], env, two);
    await cli(['send', 'hello.wxmsg.json', '--to', 'qa'], { ...env, WXMSG_PROFILE: 'b' }, two);
    await cli(['send', 'hello.wxmsg.json', '--to', 'qa', '--profile', 'a'], { ...env, WXMSG_PROFILE: 'b' }, two);
    assert.deepEqual(sim.delivered.map((d) => d.touser), [QA, PM, QA]);
  });
});

describe('no secret reaches the project file or the output, whichever the token source', () => {
  let server: http.Server;
  let url: string;
  let token: string;
  before(async () => {
    server = http.createServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ access_token: token, expires_in: 7200 })); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  /** Every byte of every file under `dir`. */
  function everything(dir: string): string {
    return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => fs.readFileSync(path.join(e.parentPath ?? e.path, e.name), 'utf8')).join('\n');
  }

  const HEADER = 'Bearer team-service-credential-0123456789';
  const sources: [string, Record<string, unknown>, () => Record<string, string>][] = [
    ['appsecret', { source: 'appsecret' }, () => ({ WXMSG_APPSECRET: SIM_DEFAULT_SECRET })],
    ['access-token', { source: 'access-token' }, () => ({ WXMSG_ACCESS_TOKEN: token })],
    ['token-command', { source: 'token-command', command: [process.execPath, 'token.js'] }, () => ({ WXMSG_ALLOW_TOKEN_COMMAND: '1' })],
    ['token-url', { source: 'token-url', url: 'URL', headerEnv: 'TOKEN_SVC_AUTH' }, () => ({ TOKEN_SVC_AUTH: HEADER })],
  ];
  for (const [name, source, env] of sources) {
    test(`${name}: sent; the history file, the project and every output line hold no token, secret or header value`, async () => {
      token = await plainToken();
      const tokenSource = JSON.parse(JSON.stringify(source).replace('"URL"', JSON.stringify(url)));
      const dir = project({ dev: { appid: SIM_DEFAULT_APPID, apiBase: sim.url, testUsers: users, token: tokenSource } }, { defaultProfile: 'dev', history: { file: '.wxmsg/sends.jsonl' } });
      fs.writeFileSync(path.join(dir, 'token.js'), `process.stdout.write(${JSON.stringify(token)})`);
      for (const format of ['text', 'json']) {
        const r = await cli(['send', 'hello.wxmsg.json', '--to', 'qa', '--format', format], env(), dir);
        assert.equal(r.code, 0, all(r));
        for (const s of [token, SIM_DEFAULT_SECRET, HEADER, QA]) assert.ok(!all(r).includes(s), `${name} ${format}: the output holds a secret or a whole OpenID (${s.length} chars)`);
      }
      const history = await cli(['history', '--format', 'json'], {}, dir);
      assert.equal(JSON.parse(history.stdout).length, 2, all(history));
      const files = everything(dir);
      assert.match(files, /"profile":"dev"/, 'the history was written');
      for (const s of [SIM_DEFAULT_SECRET, HEADER]) assert.ok(!files.includes(s), `${name}: a secret is in a file of the project`);
      // The token is in token.js (the test's stand-in for a token program); nowhere else.
      assert.ok(!everything(dir).replace(fs.readFileSync(path.join(dir, 'token.js'), 'utf8'), '').includes(token), `${name}: the token is in a file of the project`);
      assert.ok(!history.stdout.includes(QA) && !fs.readFileSync(path.join(dir, '.wxmsg', 'sends.jsonl'), 'utf8').includes(QA), 'the OpenID is kept masked');
    });
  }
});

describe('the team messages in Chinese (WXMSG_LOCALE=zh-CN)', () => {
  test('production, an unallowed token-command, a host off the allow-list, wxmsg allow', async () => {
    const zh = { WXMSG_LOCALE: 'zh-CN', WXMSG_APPSECRET: SIM_DEFAULT_SECRET };
    const prod = project({ prod: { appid: SIM_DEFAULT_APPID, apiBase: sim.url, testUsers: users, production: true } });
    let r = await cli(['send', 'hello.wxmsg.json', '--profile', 'prod', '--to', 'qa'], zh, prod);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /配置档 "prod" 标记为生产环境：向它发送需要 --yes/);
    const gw = project({ dev: { appid: SIM_DEFAULT_APPID, apiBase: 'https://wx-gateway.corp.example', testUsers: users } });
    r = await cli(['send', 'hello.wxmsg.json', '--profile', 'dev', '--to', 'qa'], zh, gw);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /配置档 "dev" 的 apiBase 指向 wx-gateway\.corp\.example.*请把 wx-gateway\.corp\.example 加入 WXMSG_ALLOWED_HOSTS/);
    const cmd = project({ dev: { appid: SIM_DEFAULT_APPID, apiBase: sim.url, testUsers: users, token: { source: 'token-command', command: ['./token.sh'] } } }, { defaultProfile: 'dev' });
    const cfg = { WXMSG_CONFIG_DIR: path.join(cmd, '..', `${path.basename(cmd)}-cfg`) };
    r = await cli(['send', 'hello.wxmsg.json', '--to', 'qa'], { ...zh, ...cfg }, cmd);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /你尚未允许。请先阅读该命令，再在 .* 中运行 "wxmsg allow".*WXMSG_ALLOW_TOKEN_COMMAND=1/);
    r = await cli(['allow'], { ...zh, ...cfg }, cmd);
    assert.equal(r.code, 0, all(r));
    assert.match(r.stdout, /✔ 已允许配置档 "dev" 的命令：\["\.\/token\.sh"\]/);
    r = await cli(['send', 'hello.wxmsg.json', '--to', 'qa'], { ...zh, ...cfg, WXMSG_ALLOW_TOKEN_COMMAND: '1' }, cmd);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /配置档 "dev"：找不到 token-command \["\.\/token\.sh"\]/);
  });
});
