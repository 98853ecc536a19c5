import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SIM_DEFAULT_SECRET, SIM_USERS, type Simulator } from '../server/src/simulator/simulator.ts';
import { sharedTokenCache } from '../server/src/wechat/tokenCache.ts';
import { EXAMPLES, cli, startSim, tmpDir } from './sendHelpers.ts';

const USER = SIM_USERS.ready[0];
const ORDER = {
  touser: 'OPENID',
  msgtype: 'text',
  text: { content: '{{name}}，订单 {{order}} 已发货。<a href="https://example.com" data-miniprogram-appid="{{appid|wx1234567890abcdef}}" data-miniprogram-path="pages/order/detail?id={{order}}">查看</a>' },
};

let sim: Simulator;
let env: Record<string, string>;
let dir: string;
before(async () => { sim = await startSim(); });
after(async () => { await sim.close(); });
beforeEach(() => {
  sim.reset();
  sharedTokenCache.clear();
  env = { WXMSG_APPSECRET: SIM_DEFAULT_SECRET, WXMSG_API_BASE: sim.url };
  dir = tmpDir('wxmsg-vars-');
  fs.cpSync(path.join(EXAMPLES, 'project.config.json'), path.join(dir, 'project.config.json'));
  fs.cpSync(path.join(EXAMPLES, 'miniprogram'), path.join(dir, 'miniprogram'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'templates'));
  fs.writeFileSync(path.join(dir, 'templates', 'order.wxmsg.json'), JSON.stringify(ORDER, null, 2));
});
const T = 'templates/order.wxmsg.json';
const content = () => (sim.delivered.at(-1)!.payload as { text: { content: string } }).text.content;

describe('wxmsg send with template variables', () => {
  test('a variable without value refuses before posting, naming it (exit 2; json too)', async () => {
    const r = await cli(['send', T, '--to', USER, '--var', 'order=42'], env, dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /not sent: no value for \{\{name\}\}/);
    assert.doesNotMatch(r.stderr, /\{\{order\}\}|\{\{appid\}\}/);
    assert.equal(sim.delivered.length, 0);
    assert.equal(sim.requests.length, 0, 'no request at all');
    const j = await cli(['send', T, '--to', USER, '--format', 'json'], env, dir);
    assert.equal(j.code, 2);
    assert.match(JSON.parse(j.stdout).error.message, /\{\{name\}\}, \{\{order\}\}/);
  });

  test('quotes and backslashes in a value are delivered as written', async () => {
    const name = '张"三\\ "}, "msgtype": "image';
    const r = await cli(['send', T, '--to', USER, '--var', `name=${name}`, '--var', 'order=42'], env, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(sim.delivered.length, 1);
    assert.equal(sim.delivered[0].msgtype, 'text');
    assert.ok(content().startsWith(`${name}，订单 42 已发货。`));
    assert.ok(content().includes('data-miniprogram-appid="wx1234567890abcdef"'));
  });

  test('a value that makes the payload invalid refuses with the placeholder\'s line:column and the value (exit 1)', async () => {
    const r = await cli(['send', T, '--to', USER, '--var', 'name=x', '--var', 'order=1', '--var', 'appid=wx0000000000000000'], env, dir);
    assert.equal(r.code, 1);
    const line = fs.readFileSync(path.join(dir, T), 'utf8').split('\n').findIndex((l) => l.includes('{{appid|'));
    const col = fs.readFileSync(path.join(dir, T), 'utf8').split('\n')[line].indexOf('{{appid|');
    assert.match(r.stderr, new RegExp(`${line + 1}:${col + 1} +error .*after filling: \\{\\{appid\\}\\} = "wx0000000000000000" \\(--var\\).*wxmsg/foreign-appid`));
    assert.equal(sim.requests.length, 0);
  });

  test('precedence: --var over --vars over *.vars.json over the default', async () => {
    fs.writeFileSync(path.join(dir, 'templates', 'order.vars.json'), JSON.stringify({ name: 'file', order: 1 }));
    fs.writeFileSync(path.join(dir, 'v.json'), JSON.stringify({ name: 'flagfile' }));
    assert.equal((await cli(['send', T, '--to', USER], env, dir)).code, 0);
    assert.ok(content().startsWith('file，订单 1 '));
    assert.equal((await cli(['send', T, '--to', USER, '--vars', 'v.json'], env, dir)).code, 0);
    assert.ok(content().startsWith('flagfile，订单 1 '));
    assert.equal((await cli(['send', T, '--to', USER, '--vars', 'v.json', '--var', 'name=flag'], env, dir)).code, 0);
    assert.ok(content().startsWith('flag，订单 1 '));
    // lint reads the *.vars.json too: nothing is unfilled.
    const lint = await cli(['lint', T], {}, dir);
    assert.equal(lint.code, 0);
    assert.doesNotMatch(lint.stdout, /unfilled-variable/);
  });

  test('the profile\'s vars (defaultProfile of wxmsg.config.json) sit between --var and *.vars.json; the history names the profile', async () => {
    fs.writeFileSync(path.join(dir, 'templates', 'order.vars.json'), JSON.stringify({ name: 'file', order: 1 }));
    fs.writeFileSync(path.join(dir, 'wxmsg.config.json'), JSON.stringify({ defaultProfile: 'dev', profiles: { dev: { vars: { name: 'prof' } }, prod: { vars: { name: 'never' } } }, history: { file: 'h.jsonl' } }));
    assert.equal((await cli(['send', T, '--to', USER], env, dir)).code, 0);
    assert.ok(content().startsWith('prof，订单 1 '), content());
    assert.equal((await cli(['send', T, '--to', USER, '--var', 'name=flag'], env, dir)).code, 0);
    assert.ok(content().startsWith('flag，订单 1 '));
    const h = JSON.parse(fs.readFileSync(path.join(dir, 'h.jsonl'), 'utf8').split('\n')[0]);
    assert.equal(h.profile, 'dev');
    fs.writeFileSync(path.join(dir, 'wxmsg.config.json'), JSON.stringify({ defaultProfile: 'dev', profiles: { dev: { vars: { name: { first: 'x' } } } } }));
    const bad = await cli(['send', T, '--to', USER], env, dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /profile "dev": the value of "name" is an object/);
  });

  test('a broken vars file or --var is refused with where (exit 2)', async () => {
    fs.writeFileSync(path.join(dir, 'templates', 'order.vars.json'), '{"name": ["x"]}');
    const r = await cli(['send', T, '--to', USER, '--var', 'order=1'], env, dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /order\.vars\.json: the value of "name" is an array/);
    fs.rmSync(path.join(dir, 'templates', 'order.vars.json'));
    const m = await cli(['send', T, '--to', USER, '--vars', 'missing.json'], env, dir);
    assert.equal(m.code, 2);
    assert.match(m.stderr, /--vars missing\.json: no such file/);
    const bad = await cli(['send', T, '--to', USER, '--var', 'name'], env, dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--var needs name=value/);
    assert.equal(sim.requests.length, 0);
  });

  test('lint: an unfilled variable is an info that says it is asked at send time', async () => {
    const r = await cli(['lint', T, '--format', 'json'], {}, dir);
    assert.equal(r.code, 0);
    const d = JSON.parse(r.stdout)[0].diagnostics;
    assert.deepEqual(d.map((x: { code: string }) => x.code), ['wxmsg/unfilled-variable', 'wxmsg/unfilled-variable', 'wxmsg/unfilled-variable']);
    assert.match(d[0].message, /asked at send time/);
  });
});

describe('send history (history.file) and wxmsg history', () => {
  const SECRET_TOKEN = 'tok_SECRET_should_never_appear_0123456789abcdef';

  test('opt-in: without history.file nothing is written; wxmsg history says how to turn it on (exit 2)', async () => {
    assert.equal((await cli(['send', T, '--to', USER, '--var', 'name=a', '--var', 'order=1'], env, dir)).code, 0);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['miniprogram', 'project.config.json', 'templates']);
    const h = await cli(['history'], {}, dir);
    assert.equal(h.code, 2);
    assert.match(h.stderr, /no wxmsg\.config\.json/);
    fs.writeFileSync(path.join(dir, 'wxmsg.config.json'), '{}');
    const off = await cli(['history'], {}, dir);
    assert.equal(off.code, 2);
    assert.match(off.stderr, /sets no "history"/);
  });

  test('each send is a JSON line with the rid; wxmsg history prints newest first; no secret anywhere', async () => {
    fs.writeFileSync(path.join(dir, 'wxmsg.config.json'), '// team settings\n{ "history": { "file": ".wxmsg/sends.jsonl" } }');
    const args = ['--var', 'name=a', '--var', 'order=1'];
    assert.equal((await cli(['send', T, '--to', USER, ...args], env, dir)).code, 0);
    const refused = await cli(['send', T, '--to', SIM_USERS.stale, ...args], env, dir);
    assert.equal(refused.code, 1);
    const rid = /rid: +(\S+)/.exec(refused.stdout)![1];
    // A ready token too (its own run; the simulator does not know it: 40001).
    const tokenRun = await cli(['send', T, '--to', 'oNotAUserOfThisApp0000000001', ...args, '--format', 'json'], { WXMSG_API_BASE: sim.url, WXMSG_ACCESS_TOKEN: SECRET_TOKEN }, dir);
    const file = path.join(dir, '.wxmsg', 'sends.jsonl');
    const raw = fs.readFileSync(file, 'utf8');
    const lines = raw.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 3);
    assert.deepEqual(Object.keys(lines[0]).sort(), ['alias', 'apiHost', 'appid', 'errcode', 'errmsg', 'latencyMs', 'payloadHash', 'profile', 'rid', 'status', 'template', 'time', 'to'].sort());
    assert.equal(lines[0].status, 'sent');
    assert.equal(lines[0].errcode, 0);
    assert.equal(lines[0].template, 'templates/order.wxmsg.json');
    assert.equal(lines[0].to, 'oWx…0001');
    assert.match(lines[0].payloadHash, /^sha256:[0-9a-f]{64}$/);
    assert.equal(lines[1].errcode, 45015);
    assert.equal(lines[1].rid, rid);
    assert.equal(typeof lines[1].latencyMs, 'number');
    // The same filled message, another user: the same hash would need the same body — touser differs.
    assert.notEqual(lines[0].payloadHash, lines[1].payloadHash);
    const h = await cli(['history'], {}, dir);
    assert.equal(h.code, 0);
    const first = h.stdout.indexOf('errcode 40001');
    const second = h.stdout.indexOf(`rid ${rid}`);
    const third = h.stdout.indexOf('errcode 0 ok');
    assert.ok(first !== -1 && second > first && third > second, h.stdout);
    const j = JSON.parse((await cli(['history', '--format', 'json', '--limit', '1'], {}, dir)).stdout);
    assert.equal(j.length, 1);
    assert.equal(j[0].errcode, 40001);
    // No secret, no whole OpenID, in the file or anything printed.
    const printed = [raw, h.stdout, h.stderr, refused.stdout, refused.stderr, tokenRun.stdout, tokenRun.stderr].join('\n');
    for (const s of [SIM_DEFAULT_SECRET, SECRET_TOKEN, USER, SIM_USERS.stale, ...sim.issuedTokens().map((t) => t.token)]) assert.ok(!printed.includes(s), `leaked ${s}`);
  });

  test('a broken history setting refuses before sending; bad lines are skipped with their number', async () => {
    fs.writeFileSync(path.join(dir, 'wxmsg.config.json'), '{ "history": { "file": 42 } }');
    const r = await cli(['send', T, '--to', USER, '--var', 'name=a', '--var', 'order=1'], env, dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"history\.file" in .*wxmsg\.config\.json must be a file path/);
    assert.equal(sim.requests.length, 0);
    fs.writeFileSync(path.join(dir, 'wxmsg.config.json'), '{ "history": { "file": "h.jsonl" } }');
    fs.writeFileSync(path.join(dir, 'h.jsonl'), 'garbage\n');
    const h = await cli(['history'], {}, dir);
    assert.equal(h.code, 0);
    assert.match(h.stderr, /h\.jsonl:1: not a history entry/);
    assert.match((await cli(['history', '--limit', '0'], {}, dir)).stderr, /--limit needs a whole number/);
  });
});
