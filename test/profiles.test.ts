import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseProjectConfig, secretKind } from '../server/src/core/rules/profileConfig.ts';
import { aliasOf, describeRecipient, maskAmong, matchesMask, openIdShapeProblem } from '../server/src/wechat/openid.ts';
import { checkSecretHost, parseAllowedHosts, secretDestination } from '../server/src/wechat/hosts.ts';
import { allowCommands, commandHash, isCommandAllowed, wxmsgConfigDir } from '../server/src/node/consent.ts';
import { runTokenCommand } from '../server/src/wechat/tokenSources.ts';
import { maskOpenId } from '../server/src/wechat/template.ts';
import { SIM_USERS } from '../server/src/simulator/simulator.ts';
import { tmpDir } from './sendHelpers.ts';
import type { Texts } from '../server/src/core/types.ts';

const at = (text: string, needle: string, nth = 0) => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  const before = text.slice(0, i).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
};

describe('masks tell the test users of one app apart', () => {
  test('the end is shown, not the shared prefix', () => {
    const [a, b] = SIM_USERS.ready;
    assert.notEqual(maskOpenId(a), maskOpenId(b));
    assert.equal(maskOpenId(a), 'oWx…0001');
  });
  test('maskAmong grows the tail until no two ids of the set look the same', () => {
    const a = 'oAbcdefghijklmnopqrstuv12345';
    const b = 'oAbcdefghijklmnopqrstuX12345'; // same last 5 characters
    const ids = [a, b];
    const ma = maskAmong(a, ids);
    const mb = maskAmong(b, ids);
    assert.notEqual(ma, mb);
    assert.equal(ma, 'oAb…v12345');
    // Alone, 4 characters are enough.
    assert.equal(maskAmong(a), 'oAb…2345');
    // Ids that differ only in their head get a stable hash.
    const c = 'pAbcdefghijklmnopqrstuv12345';
    assert.notEqual(maskAmong(a, [a, c]), maskAmong(c, [a, c]));
    assert.equal(maskAmong(a, [a, c]), maskAmong(a, [a, c]));
  });
  test('matchesMask finds the OpenID a longer mask or a hashed one was made from (the history\'s "send again")', () => {
    const a = 'oAbcdefghijklmnopqrstuv12345';
    const b = 'oAbcdefghijklmnopqrstuX12345';
    const ma = maskAmong(a, [a, b]);
    assert.ok(matchesMask(a, ma));
    assert.ok(!matchesMask(b, ma), 'the near miss sharing the last five characters');
    assert.ok(matchesMask(a, maskOpenId(a)) && matchesMask(b, maskOpenId(a)), 'the short mask cannot tell them apart');
    // Ids a tail cannot tell apart get a hash: only the one it was made from matches.
    const c = 'oAbXdefghijklmnopqrstuv12345';
    const d = 'oAbYdefghijklmnopqrstuv12345';
    const mc = maskAmong(c, [c, d]);
    assert.match(mc, /#[0-9a-f]{6}$/);
    assert.ok(matchesMask(c, mc));
    assert.ok(!matchesMask(d, mc));
    assert.ok(!matchesMask(a, 'no mask at all'));
    assert.ok(matchesMask('abc', maskOpenId('abc')));
  });
  test('describeRecipient: alias plus mask; aliasOf finds the alias of an OpenID', () => {
    const users = { qa: SIM_USERS.ready[0], '产品-小王': SIM_USERS.ready[1] };
    assert.equal(describeRecipient(SIM_USERS.ready[1], aliasOf(SIM_USERS.ready[1], users), Object.values(users)), '产品-小王 (oWx…0002)');
    assert.equal(aliasOf(SIM_USERS.stale, users), undefined);
  });
});

describe('OpenID shape check', () => {
  const ok = 'oWxmsgSimReadyUser0000000001';
  test('28 characters pass; 27 and 29 do not', () => {
    assert.equal(openIdShapeProblem(ok), undefined);
    assert.match(openIdShapeProblem(ok.slice(1))!.en, /does not look like an OpenID of this app.*has 27/);
    assert.match(openIdShapeProblem(`${ok}x`)!.zh, /看起来不像本小程序的 OpenID/);
    assert.ok(openIdShapeProblem('oWxmsgSimReadyUser000000000!'));
  });
  test('an id without the prefix the app\'s test users share is flagged', () => {
    const known = [SIM_USERS.ready[0], SIM_USERS.ready[1]];
    assert.equal(openIdShapeProblem(SIM_USERS.ready[2], known), undefined);
    assert.match(openIdShapeProblem('oXbcmsgSimReadyUser000000001', known)!.en, /start with "oWxms"/);
    // One known id is no pattern.
    assert.equal(openIdShapeProblem('oXbcmsgSimReadyUser000000001', [SIM_USERS.ready[0]]), undefined);
  });
});

const GOOD = `{
  // the team's profiles
  "defaultProfile": "dev",
  "profiles": {
    "dev": {
      "appid": "wx1234567890abcdef",
      "apiBase": "http://127.0.0.1:8700",
      "token": { "source": "token-command", "command": "./scripts/token.sh" },
      "testUsers": { "qa": "oWxmsgSimReadyUser0000000001", "产品-小王": "oWxmsgSimReadyUser0000000002" },
      "vars": { "shop": "示例商城" },
      "production": false,
    },
    "staging": { "appid": "wx1234567890abcdef", "token": { "source": "token-url", "url": "https://tokens.corp.example/wx", "headerEnv": "TOKEN_SVC_AUTH" } },
    "prod": { "appid": "wx1234567890abcdef", "token": { "source": "appsecret" }, "production": true }
  }
}`;

describe('wxmsg.config.json', () => {
  test('the issue\'s shape parses (JSONC: comments, trailing commas)', () => {
    const r = parseProjectConfig(GOOD);
    assert.deepEqual(r.diagnostics, []);
    const dev = r.config!.profiles.dev;
    assert.equal(r.config!.defaultProfile, 'dev');
    assert.deepEqual(dev.token, { source: 'token-command', command: ['./scripts/token.sh'] });
    assert.equal(dev.testUsers['产品-小王'], 'oWxmsgSimReadyUser0000000002');
    assert.deepEqual(dev.vars, { shop: '示例商城' });
    assert.deepEqual(r.config!.profiles.staging.token, { source: 'token-url', url: 'https://tokens.corp.example/wx', header: 'Authorization', headerEnv: 'TOKEN_SVC_AUTH' });
    assert.equal(r.config!.profiles.prod.production, true);
  });
  test('errors are located (0-based line, UTF-16 character) and stable-coded, in en and zh', () => {
    const text = GOOD.replace('"source": "appsecret"', '"source": "app-secret"').replace('"./scripts/token.sh"', '"node scripts/token.js"').replace('"headerEnv": "TOKEN_SVC_AUTH"', '"headerEnv": "Bearer abc"');
    const r = parseProjectConfig(text);
    const codes = r.diagnostics.map((d) => [d.code, d.range.start]);
    assert.deepEqual(codes, [
      ['wxmsg/config-error', at(text, '"node scripts/token.js"')],
      ['wxmsg/config-error', at(text, '"Bearer abc"')],
      ['wxmsg/config-error', at(text, '"app-secret"')],
    ]);
    assert.match(r.diagnostics[0].message, /\["node","scripts\/token\.js"\]/);
    const zh = parseProjectConfig(text, 'zh-cn');
    assert.deepEqual(zh.diagnostics.map((d) => d.range), r.diagnostics.map((d) => d.range));
    assert.match(zh.diagnostics[2].message, /不是 appsecret、token-url、token-command、access-token 之一/);
  });
  test('defaultProfile must name a profile; a syntax error is located', () => {
    const bad = GOOD.replace('"defaultProfile": "dev"', '"defaultProfile": "qa"');
    assert.deepEqual(parseProjectConfig(bad).diagnostics.map((d) => d.range.start), [at(bad, '"qa"')]);
    const syntax = '{ "profiles": { "dev": { "appid": "wx1234567890abcdef" } }';
    const d = parseProjectConfig(syntax).diagnostics;
    assert.equal(d[0].code, 'wxmsg/config-error');
    assert.match(d[0].message, /syntax error/);
    assert.equal(parseProjectConfig(syntax).config, undefined);
  });
});

describe('wxmsg/secret-in-config: the project file never holds a secret', () => {
  const SECRET = '0123456789abcdef0123456789ABCDEF';
  test('an AppSecret-shaped value anywhere is flagged on the value, never quoted', () => {
    const text = GOOD.replace('"shop": "示例商城"', `"shop": "示例商城", "note": "${SECRET}"`);
    const d = parseProjectConfig(text).diagnostics;
    assert.deepEqual(d.map((x) => [x.code, x.range.start]), [['wxmsg/secret-in-config', at(text, `"${SECRET}"`)]]);
    assert.ok(!d[0].message.includes(SECRET));
    assert.match(parseProjectConfig(text, 'zh-cn').diagnostics[0].message, /AppSecret/);
  });
  test('near misses are not flagged', () => {
    assert.equal(secretKind(SECRET), 'appsecret');
    assert.equal(secretKind(SECRET.slice(1)), undefined); // 31 hex
    assert.equal(secretKind(`${SECRET}0`), undefined); // 33 hex
    assert.equal(secretKind(`${SECRET.slice(1)}g`), undefined); // a non-hex letter
    const token = `83_${'aB3'.repeat(13)}`; // 42 characters
    assert.equal(secretKind(token), 'token');
    assert.equal(secretKind(token.slice(0, 39)), undefined);
    assert.equal(secretKind('a'.repeat(60)), undefined); // no digits: not a token
    assert.equal(secretKind('Bearer abcdefgh12'), 'token');
    assert.equal(secretKind('Bearer'), undefined);
    assert.equal(secretKind('oWxmsgSimReadyUser0000000001'), undefined); // an OpenID
    assert.equal(secretKind('./scripts/get-the-access-token-for-the-dev-environment-1.sh'), undefined);
    assert.equal(secretKind('short', 'appsecret'), 'secret-key');
    assert.equal(secretKind('short', 'headerEnv'), undefined);
  });
  test('a secret under a secret-named key is flagged; the issue example is clean', () => {
    const text = GOOD.replace('"source": "appsecret"', '"source": "appsecret", "appsecret": "hunter2"');
    const d = parseProjectConfig(text).diagnostics.filter((x) => x.code === 'wxmsg/secret-in-config');
    assert.deepEqual(d.map((x) => x.range.start), [at(text, '"hunter2"')]);
    assert.deepEqual(parseProjectConfig(GOOD).diagnostics, []);
  });
});

describe('where secrets may go', () => {
  test('official hosts, loopback, or the user\'s allow-list; near misses refused', () => {
    for (const h of ['api.weixin.qq.com', 'api2.weixin.qq.com', 'sh.api.weixin.qq.com', 'sz.api.weixin.qq.com', 'hk.api.weixin.qq.com']) {
      assert.equal(secretDestination(new URL(`https://${h}`), []), 'official', h);
    }
    assert.equal(secretDestination(new URL('http://127.0.0.1:8700'), []), 'loopback');
    for (const u of ['https://api.weixin.qq.com.evil.example', 'https://xapi.weixin.qq.com', 'https://api3.weixin.qq.com', 'https://api.weixin.qq.com:8443', 'https://gw.corp.example']) {
      assert.equal(secretDestination(new URL(u), []), undefined, u);
    }
    const allowed = parseAllowedHosts('gw.corp.example, *.tokens.example ,other:8443');
    assert.equal(secretDestination(new URL('https://gw.corp.example/wx'), allowed), 'allow-listed');
    assert.equal(secretDestination(new URL('https://a.tokens.example'), allowed), 'allow-listed');
    assert.equal(secretDestination(new URL('https://eviltokens.example'), allowed), undefined);
    assert.equal(secretDestination(new URL('https://other:8443'), allowed), 'allow-listed');
    assert.equal(secretDestination(new URL('https://other:9443'), allowed), undefined);
  });
  test('a refusal names the setting', () => {
    const r = checkSecretHost('https://gw.corp.example', [], { en: 'profile "dev": apiBase', zh: '配置档 "dev" 的 apiBase' });
    assert.equal(r.ok, false);
    const m = (r as { message: Texts }).message;
    assert.match(m.en, /profile "dev": apiBase points at gw\.corp\.example.*WXMSG_ALLOWED_HOSTS \(VS Code: wxmsg\.api\.allowedHosts/);
    assert.match(m.zh, /配置档 "dev" 的 apiBase 指向 gw\.corp\.example.*WXMSG_ALLOWED_HOSTS/);
    // Another setting named by the caller (the extension's).
    const own = checkSecretHost('https://gw.corp.example', [], { en: 'x', zh: 'x' }, { en: 'wxmsg.api.allowedHosts', zh: 'wxmsg.api.allowedHosts' });
    assert.match((own as { message: Texts }).message.en, /add gw\.corp\.example to wxmsg\.api\.allowedHosts;/);
    const plain = checkSecretHost('http://gw.corp.example', ['gw.corp.example'], { en: 'x', zh: 'x' }) as { message: Texts };
    assert.match(plain.message.en, /must be https/);
    assert.match(plain.message.zh, /必须是 https/);
  });
});

describe('token-command consent (wxmsg allow)', () => {
  test('nothing is allowed until recorded; a changed command needs a new allow; the env var allows for CI', () => {
    const dir = tmpDir('wxmsg-consent-');
    const env = { WXMSG_CONFIG_DIR: path.join(dir, 'cfg') };
    const file = path.join(dir, 'wxmsg.config.json');
    fs.writeFileSync(file, '{}');
    assert.equal(isCommandAllowed(env, file, ['./token.sh']), false);
    allowCommands(env, file, [['./token.sh']]);
    assert.equal(isCommandAllowed(env, file, ['./token.sh']), true);
    assert.equal(isCommandAllowed(env, file, ['./token.sh', '--prod']), false);
    assert.equal(isCommandAllowed(env, path.join(dir, 'other.json'), ['./token.sh']), false);
    assert.equal(isCommandAllowed({ ...env, WXMSG_ALLOW_TOKEN_COMMAND: '1' }, file, ['./x']), true);
    assert.equal(isCommandAllowed({ ...env, WXMSG_ALLOW_TOKEN_COMMAND: 'yes' }, file, ['./x']), false);
    const stored = fs.readFileSync(path.join(env.WXMSG_CONFIG_DIR, 'allowed-token-commands.json'), 'utf8');
    assert.ok(stored.includes(commandHash(['./token.sh'])) && !stored.includes('token.sh'));
  });
  test('the config folder follows XDG / APPDATA / macOS conventions', () => {
    assert.equal(wxmsgConfigDir({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux', '/home/u'), '/x/cfg/wxmsg');
    assert.equal(wxmsgConfigDir({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/u'), '/home/u/.config/wxmsg');
    assert.equal(wxmsgConfigDir({}, 'darwin', '/Users/u'), '/Users/u/Library/Application Support/wxmsg');
    assert.equal(wxmsgConfigDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32'), 'C:\\Users\\u\\AppData\\Roaming\\wxmsg');
  });
});

describe('runTokenCommand: no shell, trimmed stdout, never echoed', () => {
  const node = process.execPath;
  const TOKEN = `tok_${'x1'.repeat(40)}`;
  test('the trimmed stdout is the token; it runs from the given folder', async () => {
    const dir = tmpDir('wxmsg-tokcmd-');
    fs.writeFileSync(path.join(dir, 't.js'), `process.stdout.write("  ${TOKEN}\\n")`);
    assert.deepEqual(await runTokenCommand([node, 't.js'], dir), { ok: true, token: TOKEN });
  });
  test('no shell: shell syntax is passed as plain arguments', async () => {
    const dir = tmpDir('wxmsg-tokcmd-');
    fs.writeFileSync(path.join(dir, 't.js'), `require("fs").writeFileSync("args.json", JSON.stringify(process.argv.slice(2))); process.stdout.write("${TOKEN}")`);
    await runTokenCommand([node, 't.js', '$(touch pwned)', ';', 'touch', 'pwned2'], dir);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'args.json'), 'utf8')), ['$(touch pwned)', ';', 'touch', 'pwned2']);
    assert.ok(!fs.existsSync(path.join(dir, 'pwned')) && !fs.existsSync(path.join(dir, 'pwned2')));
  });
  test('failure, empty output, a timeout and a missing program are clear errors without the output', async () => {
    const dir = tmpDir('wxmsg-tokcmd-');
    fs.writeFileSync(path.join(dir, 'fail.js'), `process.stdout.write("${TOKEN}"); process.stderr.write("LEAKY"); process.exit(3)`);
    const fail = await runTokenCommand([node, 'fail.js'], dir);
    assert.equal(fail.ok, false);
    assert.match((fail as { message: Texts }).message.en, /failed \(exit code 3\); its output is not shown/);
    assert.ok(!JSON.stringify(fail).includes(TOKEN) && !JSON.stringify(fail).includes('LEAKY'));
    const empty = await runTokenCommand([node, '-e', 'process.stdout.write("  \\n")'], dir) as { message: Texts };
    assert.match(empty.message.en, /printed nothing/);
    assert.match(empty.message.zh, /没有输出/);
    const slow = await runTokenCommand([node, '-e', 'setTimeout(() => {}, 60000)'], dir, { timeoutMs: 300 }) as { message: Texts };
    assert.match(slow.message.en, /did not finish within 0\.3 s/);
    assert.match(slow.message.zh, /未在 0\.3 秒内结束/);
    assert.match((await runTokenCommand(['./no-such-token-command'], dir) as { message: Texts }).message.en, /was not found/);
    const short = await runTokenCommand([node, '-e', 'process.stdout.write("abc")'], dir);
    assert.match((short as { message: Texts }).message.en, /printed 3 characters/);
  });
});

describe('the contributed JSON Schema agrees with the parser', () => {
  test('the issue example validates; a secret-shaped headerEnv, a spaced command string and an unknown source do not', async () => {
    const Ajv = (await import('ajv')).default as unknown as typeof import('ajv').default;
    const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'schemas', 'wxmsg.config.schema.json'), 'utf8'));
    const check = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const { parse } = await import('jsonc-parser');
    assert.ok(check(parse(GOOD)), JSON.stringify(check.errors));
    for (const bad of [
      GOOD.replace('"TOKEN_SVC_AUTH"', '"Bearer abc"'),
      GOOD.replace('"./scripts/token.sh"', '"node scripts/token.js"'),
      GOOD.replace('"source": "appsecret"', '"source": "app-secret"'),
      GOOD.replace('"production": true', '"production": "yes"'),
    ]) {
      assert.equal(check(parse(bad)), false, bad);
      assert.ok(parseProjectConfig(bad).diagnostics.length > 0);
    }
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8'));
    assert.ok(pkg.contributes.jsonValidation.some((j: { fileMatch: string; url: string }) => j.fileMatch === 'wxmsg.config.json' && j.url === './schemas/wxmsg.config.schema.json'));
  });
});

describe('remote windows: machine settings on their default are named once', () => {
  test('only in a remote window, only the settings without a value', async () => {
    const { remoteDefaults } = await import('../client/src/send/remoteSettings.ts');
    const inspected = [{ key: 'api.baseUrl' }, { key: 'send.confirm', globalValue: false }];
    assert.deepEqual(remoteDefaults(undefined, inspected), []);
    assert.deepEqual(remoteDefaults('ssh-remote', inspected), ['wxmsg.api.baseUrl']);
    assert.deepEqual(remoteDefaults('wsl', [{ key: 'api.baseUrl', globalValue: 'http://127.0.0.1:8700' }]), []);
  });
});
