import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { request } from 'undici';
import { Simulator, SIM_USERS, type SimulatorOptions } from '../server/src/simulator/simulator.ts';
import { runSimulate } from '../server/src/cli/commands/simulate.ts';
import { pushConfig } from '../server/src/wechat/push/config.ts';
import { parseFlatXml } from '../server/src/wechat/push/message.ts';
import { closedPort, control, EXAMPLES, PNG, tmpDir } from './sendHelpers.ts';
import { PUSH_KEY, PUSH_TOKEN, TRANSFER_XML, echoing, exampleReceiver, scriptedReceiver, type Receiver } from './pushHelpers.ts';

const WXBizMsgCrypt = createRequire(__filename)('wechat-crypto') as new (token: string, key: string, id: string) => {
  getSignature(timestamp: string, nonce: string, encrypt: string): string;
  decrypt(text: string): { message: string; id: string };
};
const APPID = 'wx1234567890abcdef';
const SAFE_ENV = { WXMSG_PUSH_TOKEN: PUSH_TOKEN, WXMSG_PUSH_AES_KEY: PUSH_KEY };
const PLAIN_ENV = { WXMSG_PUSH_TOKEN: PUSH_TOKEN };
const flags = (url: string, format?: string, mode?: string) => ({ url, format, mode, urlFlag: '--push-url', formatFlag: '--push-format', modeFlag: '--push-mode', allowRemoteFlag: '--push-allow-remote' });

const cleanups: (() => Promise<void>)[] = [];
after(async () => { for (const c of cleanups.reverse()) await c(); });

async function simWithPush(url: string, opts: { format?: string; mode?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Simulator> {
  const push: SimulatorOptions['push'] = { ...pushConfig(flags(url, opts.format, opts.mode), opts.env ?? SAFE_ENV), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) };
  const sim = await Simulator.start({ push });
  cleanups.push(() => sim.close());
  return sim;
}
async function keep(r: Promise<Receiver>): Promise<Receiver> {
  const x = await r;
  cleanups.push(() => x.close());
  return x;
}
async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
}
function noSecrets(text: string): void {
  assert.ok(!text.includes(PUSH_TOKEN) && !text.includes(PUSH_KEY), 'a secret leaked');
}
async function sendText(sim: Simulator, touser: string): Promise<number> {
  const t = (await control(sim, 'POST', '/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APPID, secret: 'wxmsg-simulator-secret' })).json.access_token;
  return (await control(sim, 'POST', `/cgi-bin/message/custom/send?access_token=${t}`, { touser, msgtype: 'text', text: { content: 'hi' } })).json.errcode;
}

/** A simulator pushing to the example server, which replies to that simulator (the README's loop). */
async function loop(format = 'json', mode?: string): Promise<{ sim: Simulator; ex: Receiver }> {
  const port = await closedPort();
  const sim = await simWithPush(`http://127.0.0.1:${port}/wechat`, { format, mode });
  const ex = await keep(exampleReceiver({ apiBase: sim.url, aesKey: PUSH_KEY, port }));
  return { sim, ex };
}

test('the whole loop: verification, a user message pushed to the example server, success, and its reply through custom/send', async () => {
  for (const [format, mode] of [['json', 'safe'], ['xml', 'compat'], ['xml', 'plain']] as const) {
    const { sim, ex } = await loop(format, mode);
    const v = await control(sim, 'POST', '/_sim/push/verify');
    assert.equal(v.json.outcome, 'echoed', `${format}/${mode}`);
    const r = await control(sim, 'POST', `/_sim/users/${SIM_USERS.ready[1]}/message`, { type: 'text', content: `你好 ${format} ${mode}` });
    assert.equal(r.status, 200);
    assert.equal(r.json.push.outcome, 'handled', JSON.stringify(r.json.push));
    assert.equal(r.json.push.accepted, true);
    assert.equal(r.json.push.tries, 1);
    assert.equal(r.json.trigger, 'user-message');
    await waitFor(() => sim.delivered.length > 0);
    assert.equal((sim.delivered[0].payload.text as { content: string }).content, `收到：你好 ${format} ${mode}`);
    assert.equal(sim.delivered[0].touser, SIM_USERS.ready[1]);
    assert.ok(ex.log.some((l) => l === `push: text from ${SIM_USERS.ready[1]}: 你好 ${format} ${mode}`), ex.log.join('\n'));
  }
});

test('GET /_sim/pushes shows headers, body, plaintext, answer, latency and tries — never the Token or the key', async () => {
  const { sim } = await loop('json', 'safe');
  await control(sim, 'POST', '/_sim/push/verify');
  await control(sim, 'POST', `/_sim/users/${SIM_USERS.ready[0]}/enter`, { sessionFrom: 'order-42' });
  const res = await request(`${sim.url}/_sim/pushes`);
  const text = await res.body.text();
  noSecrets(text);
  const list = JSON.parse(text);
  assert.deepEqual(list.map((p: { kind: string }) => p.kind), ['verify', 'enter']);
  const p = list[1];
  assert.equal(p.request.method, 'POST');
  assert.equal(p.request.headers['content-type'], 'application/json; charset=utf-8');
  assert.match(p.request.url, /\?signature=[0-9a-f]{40}&timestamp=\d+&nonce=\d+&openid=oWxmsgSimReadyUser0000000001&encrypt_type=aes&msg_signature=[0-9a-f]{40}$/);
  assert.deepEqual(Object.keys(JSON.parse(p.request.body)).sort(), ['Encrypt', 'ToUserName']);
  assert.deepEqual(JSON.parse(p.plaintext), { ToUserName: 'gh_7778736d7367', FromUserName: SIM_USERS.ready[0], CreateTime: JSON.parse(p.plaintext).CreateTime, MsgType: 'event', Event: 'user_enter_tempsession', SessionFrom: 'order-42' });
  assert.equal(p.answer.status, 200);
  assert.equal(p.answer.body, 'success');
  assert.equal(typeof p.latencyMs, 'number');
  assert.equal(p.tries, 1);
  assert.equal(p.mode, 'safe');
  assert.match(p.messageZh, /已接受/);
  await control(sim, 'DELETE', '/_sim/pushes');
  assert.deepEqual((await control(sim, 'GET', '/_sim/pushes')).json, []);
});

test('a push opens the delivery window exactly as its action: enter → the enter-session quota, message → the user-message quota', async () => {
  const r = await keep(scriptedReceiver(echoing(() => [200, ''])));
  const sim = await simWithPush(r.url, { env: PLAIN_ENV });
  assert.equal(await sendText(sim, SIM_USERS.silent), 45015);
  const entered = await control(sim, 'POST', `/_sim/users/${SIM_USERS.silent}/enter`, {});
  assert.equal(entered.json.push.outcome, 'handled'); // an empty body counts as handled
  assert.equal(entered.json.trigger, 'enter-session');
  assert.equal(entered.json.maxMessages, sim.rules.find((x) => x.trigger === 'enter-session')!.maxMessages);
  const quota = entered.json.maxMessages as number;
  for (let i = 0; i < quota; i++) assert.equal(await sendText(sim, SIM_USERS.silent), 0);
  assert.equal(await sendText(sim, SIM_USERS.silent), 45047);
  await control(sim, 'POST', `/_sim/users/${SIM_USERS.silent}/message`, { type: 'text', content: 'more' });
  assert.equal(await sendText(sim, SIM_USERS.silent), 0);
  // A failed push still opens the window: the user did send the message.
  const port = await closedPort();
  const down = await simWithPush(`http://127.0.0.1:${port}/wechat`, { env: PLAIN_ENV, timeoutMs: 200 });
  const m = await control(down, 'POST', `/_sim/users/${SIM_USERS.silent}/message`, { type: 'text', content: 'anyone?' });
  assert.equal(m.json.push.outcome, 'unreachable');
  assert.equal(await sendText(down, SIM_USERS.silent), 0);
});

test('the push contract: 3 tries on timeout, 5xx or an unreachable URL; a wrong reply is not retried; the user sees 该小程序客服暂时无法提供服务; the simulator keeps running', async () => {
  const slow = await keep(scriptedReceiver(echoing(() => 'hang')));
  const five = await keep(scriptedReceiver(echoing(() => [503, 'busy'])));
  const wrong = await keep(scriptedReceiver(echoing(() => [200, 'ok'])));
  const port = await closedPort();
  const cases: [string, string, number][] = [[slow.url, 'timeout', 3], [five.url, 'http-error', 3], [wrong.url, 'wrong-reply', 1], [`http://127.0.0.1:${port}/x`, 'unreachable', 3]];
  for (const [url, outcome, tries] of cases) {
    const logs: string[] = [];
    const sim = await Simulator.start({ push: { ...pushConfig(flags(url), PLAIN_ENV), timeoutMs: 150 }, log: (l) => logs.push(l) });
    cleanups.push(() => sim.close());
    const r = await control(sim, 'POST', `/_sim/users/${SIM_USERS.ready[0]}/message`, { type: 'text', content: 'hello?' });
    assert.equal(r.json.push.outcome, outcome, url);
    assert.equal(r.json.push.tries, tries, url);
    assert.equal(r.json.push.attempts.length, tries);
    assert.equal(r.json.push.userSaw, '该小程序客服暂时无法提供服务，请稍后再试');
    assert.equal(r.json.push.accepted, false);
    assert.ok(logs.some((l) => l.startsWith(`push text → ${url}: refused:`)), logs.join('\n'));
    assert.equal((await control(sim, 'GET', '/_sim/state')).status, 200, 'the simulator still answers');
  }
  assert.equal(five.requests.filter((q) => q.method === 'POST').length, 3);
  assert.equal(wrong.requests.filter((q) => q.method === 'POST').length, 1);
});

test('transfer_customer_service is recognised and recorded; a wrong echo is reported plainly', async () => {
  const t = await keep(scriptedReceiver((method, _b, q) => (method === 'GET' ? [200, `x${q.get('echostr')}`] : [200, TRANSFER_XML])));
  const sim = await simWithPush(t.url, { env: PLAIN_ENV });
  const v = await control(sim, 'POST', '/_sim/push/verify');
  assert.equal(v.json.outcome, 'wrong-echo');
  assert.match(v.json.message, /URL verification FAILED: the server answered "x\d+" instead of echostr "\d+"/);
  const r = await control(sim, 'POST', `/_sim/users/${SIM_USERS.ready[0]}/message`, { type: 'text', content: '转人工' });
  assert.equal(r.json.push.outcome, 'transfer');
  assert.equal(r.json.push.transferred, true);
  assert.equal(r.json.push.userSaw, undefined);
});

for (const format of ['xml', 'json'] as const) {
  for (const mode of ['compat', 'safe'] as const) {
    test(`wechat-crypto verifies and decrypts the simulator's ${format} pushes in ${mode} mode (text, image, card, enter)`, async () => {
      const r = await keep(scriptedReceiver(echoing(() => [200, 'success'])));
      const sim = await simWithPush(r.url, { format, mode });
      await control(sim, 'POST', `/_sim/users/${SIM_USERS.ready[0]}/message`, { type: 'text', content: 'a <b> & ]]>' });
      await control(sim, 'POST', `/_sim/users/${SIM_USERS.ready[0]}/message`, { type: 'image' });
      await control(sim, 'POST', `/_sim/users/${SIM_USERS.ready[0]}/message`, { type: 'miniprogrampage', title: '卡片', pagepath: 'pages/index/index?x=1' });
      await control(sim, 'POST', `/_sim/users/${SIM_USERS.ready[0]}/enter`, { sessionFrom: 's' });
      const theirs = new WXBizMsgCrypt(PUSH_TOKEN, PUSH_KEY, APPID);
      const posts = r.requests.filter((q) => q.method === 'POST');
      assert.equal(posts.length, 4);
      const inner = posts.map((p) => {
        const q = new URL(p.url, 'http://x').searchParams;
        const body = format === 'json' ? JSON.parse(p.body) : parseFlatXml(p.body)!;
        assert.equal(q.get('encrypt_type'), 'aes');
        assert.equal(theirs.getSignature(q.get('timestamp')!, q.get('nonce')!, body.Encrypt), q.get('msg_signature'));
        const d = theirs.decrypt(body.Encrypt);
        assert.equal(d.id, APPID);
        const m = format === 'json' ? JSON.parse(d.message) : parseFlatXml(d.message)!;
        if (mode === 'compat') assert.equal(body.MsgType, m.MsgType);
        else assert.deepEqual(Object.keys(body).sort(), ['Encrypt', 'ToUserName']);
        return m;
      });
      assert.equal(inner[0].Content, 'a <b> & ]]>');
      assert.equal(inner[1].MsgType, 'image');
      assert.match(inner[1].PicUrl, new RegExp(`^${sim.url}/_sim/media/`));
      assert.ok(sim.media.some((x) => x.mediaId === inner[1].MediaId));
      assert.deepEqual([inner[2].MsgType, inner[2].Title, inner[2].PagePath, inner[2].AppId], ['miniprogrampage', '卡片', 'pages/index/index?x=1', APPID]);
      assert.deepEqual([inner[3].MsgType, inner[3].Event, inner[3].SessionFrom], ['event', 'user_enter_tempsession', 's']);
    });
  }
}

test('an image from a file: served at its PicUrl; bad bodies are 400 and open no window', async () => {
  const r = await keep(scriptedReceiver(echoing(() => [200, 'success'])));
  const sim = await simWithPush(r.url, { env: PLAIN_ENV });
  const dir = tmpDir('wxmsg-push-');
  fs.writeFileSync(path.join(dir, 'cat.png'), PNG);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not an image');
  const img = await control(sim, 'POST', `/_sim/users/${SIM_USERS.ready[0]}/message`, { type: 'image', file: path.join(dir, 'cat.png') });
  const pushed = JSON.parse(img.json.push.plaintext);
  const got = await request(pushed.PicUrl);
  assert.equal(got.headers['content-type'], 'image/png');
  assert.deepEqual(Buffer.from(await got.body.arrayBuffer()), PNG);
  const bad: [string, unknown, RegExp][] = [
    ['message', { type: 'image', file: path.join(dir, 'notes.txt') }, /not a JPEG, PNG or GIF/],
    ['message', { type: 'image', file: path.join(dir, 'missing.png') }, /cannot read .* \(ENOENT\)/],
    ['message', { type: 'text' }, /needs "content"/],
    ['message', { type: 'text', content: '' }, /needs "content"/],
    ['message', { type: 'voice' }, /type is text, image or miniprogrampage/],
    ['message', { type: 'miniprogrampage', title: 't' }, /needs "title" and "pagepath"/],
    ['enter', { sessionFrom: 42 }, /sessionFrom must be a string/],
  ];
  for (const [route, body, re] of bad) {
    const a = await control(sim, 'POST', `/_sim/users/${SIM_USERS.silent}/${route}`, body);
    assert.equal(a.status, 400, JSON.stringify(body));
    assert.match(a.json.error, re);
  }
  assert.equal(await sendText(sim, SIM_USERS.silent), 45015, 'no window was opened by a refused action');
  assert.equal(r.requests.filter((q) => q.method === 'POST').length, 1);
  // Unknown users stay 404, and are not pushed.
  assert.equal((await control(sim, 'POST', '/_sim/users/oNobody/message', { type: 'text', content: 'x' })).status, 404);
  assert.equal(r.requests.filter((q) => q.method === 'POST').length, 1);
});

test('wxmsg simulate --push-url: verification at start (a bad URL is a clear line, the simulator keeps running); flag and secret problems are usage errors', async () => {
  const port = await closedPort();
  let out = '';
  let stop!: () => void;
  const stopped = new Promise<void>((r) => { stop = r; });
  let started!: () => void;
  const ready = new Promise<void>((r) => { started = r; });
  const io = { argv: [], cwd: EXAMPLES, env: SAFE_ENV, stdout: { write: (s: string) => { out += s; if (out.includes('  verify ')) started(); return true; } }, stderr: { write: () => true } };
  const done = runSimulate(['--port', '0', '--quiet', '--push-url', `http://127.0.0.1:${port}/wechat`, '--push-format', 'xml'], io, stopped);
  await ready;
  assert.match(out, /push     xml, safe mode → http:\/\/127\.0\.0\.1:\d+\/wechat \(Token from WXMSG_PUSH_TOKEN, key from WXMSG_PUSH_AES_KEY; not shown\)/);
  assert.match(out, /verify   URL verification FAILED: cannot connect \(ECONNREFUSED\)/);
  noSecrets(out);
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1];
  assert.equal((await request(`${url}/_sim/state`)).statusCode, 200);
  stop();
  assert.equal(await done, 0);

  const run = async (args: string[], env: Record<string, string>) => {
    const e = await runSimulate(['--port', '0', ...args], { argv: [], cwd: EXAMPLES, env, stdout: { write: () => true }, stderr: { write: () => true } }, Promise.resolve()).catch((x: Error) => x.message);
    return String(e);
  };
  const u = 'http://127.0.0.1:1/wechat';
  assert.match(await run(['--push-url', u], {}), /WXMSG_PUSH_TOKEN is not set/);
  assert.match(await run(['--push-url', u], { WXMSG_PUSH_TOKEN: PUSH_TOKEN, WXMSG_PUSH_AES_KEY: PUSH_KEY.slice(0, 42) }), /exactly 43 characters.*; it has 42/);
  assert.match(await run(['--push-url', u, '--push-mode', 'safe'], PLAIN_ENV), /safe mode encrypts every push/);
  assert.match(await run(['--push-url', 'http://10.0.0.1/wechat'], PLAIN_ENV), /--push-allow-remote/);
  assert.match(await run(['--push-mode', 'plain'], PLAIN_ENV), /--push-mode needs --push-url/);
  for (const m of [await run(['--push-url', u], { WXMSG_PUSH_TOKEN: PUSH_TOKEN, WXMSG_PUSH_AES_KEY: `${PUSH_KEY}=` })]) assert.ok(!m.includes(PUSH_KEY));
});

test('without --push-url, the user routes behave as before and the push routes say how to enable pushes', async () => {
  const sim = await Simulator.start();
  cleanups.push(() => sim.close());
  const r = await control(sim, 'POST', `/_sim/users/${SIM_USERS.silent}/message`, {});
  assert.equal(r.status, 200);
  assert.equal(r.json.push, undefined);
  const v = await control(sim, 'POST', '/_sim/push/verify');
  assert.equal(v.status, 409);
  assert.match(v.json.error, /--push-url/);
  assert.deepEqual((await control(sim, 'GET', '/_sim/pushes')).json, []);
});

test('the README loop (Test your message handler locally): three commands whose values fit the example server and the simulator', async () => {
  const readme = fs.readFileSync(path.join(EXAMPLES, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Test your message handler locally'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1].trim().split('\n');
  const [exportLine, ...commands] = block;
  assert.equal(commands.length, 3);
  const env = Object.fromEntries([...exportLine.matchAll(/(WXMSG_PUSH_\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
  const pushUrl = /--push-url (\S+)/.exec(commands[1])![1];
  // The values are valid for the simulator (a usage error would stop the loop).
  const config = pushConfig(flags(pushUrl), env);
  assert.equal(config.mode, 'safe');
  const { DEFAULT_SIM_PORT } = await import('../server/src/cli/commands/simulate.ts');
  const exampleSource = fs.readFileSync(path.join(EXAMPLES, 'push-server', 'server.mjs'), 'utf8');
  assert.equal(new URL(pushUrl).port, /process\.env\.PORT \?\? (\d+)/.exec(exampleSource)![1]);
  assert.match(commands[0], /^node examples\/push-server\/server\.mjs &/);
  assert.match(commands[2], new RegExp(`^curl -X POST http://127\\.0\\.0\\.1:${DEFAULT_SIM_PORT}/_sim/users/${SIM_USERS.ready[0]}/message -d '(\\{.*\\})'`));
  const body = JSON.parse(/-d '(\{.*\})'/.exec(commands[2])![1]);
  // curl -d alone sends a form content type, which the control API refuses (cross-site defence).
  assert.match(commands[2], / -H 'content-type: application\/json'/);
  // The same commands, in-process: the example server on its port, a simulator pushing to it, the user's message.
  const port = await closedPort();
  const sim = await simWithPush(pushUrl.replace(/:\d+\//, `:${port}/`), { env });
  await keep(exampleReceiver({ apiBase: sim.url, aesKey: env.WXMSG_PUSH_AES_KEY, token: env.WXMSG_PUSH_TOKEN, port }));
  const r = await control(sim, 'POST', `/_sim/users/${SIM_USERS.ready[0]}/message`, body);
  assert.equal(r.json.push.outcome, 'handled');
  await waitFor(() => sim.delivered.length > 0);
  assert.equal((sim.delivered[0].payload.text as { content: string }).content, '收到：你好');
});
