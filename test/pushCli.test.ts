import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Simulator, SIM_USERS } from '../server/src/simulator/simulator.ts';
import { checkPushUrl, pushConfig, PushConfigError } from '../server/src/wechat/push/config.ts';
import { parseFlatXml } from '../server/src/wechat/push/message.ts';
import { cli, closedPort } from './sendHelpers.ts';
import { PUSH_KEY, PUSH_TOKEN, TRANSFER_XML, echoing, encryptedReply, exampleReceiver, scriptedReceiver, type Receiver } from './pushHelpers.ts';

const WXBizMsgCrypt = createRequire(__filename)('wechat-crypto') as new (token: string, key: string, id: string) => {
  getSignature(timestamp: string, nonce: string, encrypt: string): string;
  decrypt(text: string): { message: string; id: string };
};

const ENV = { WXMSG_PUSH_TOKEN: PUSH_TOKEN };
const SAFE_ENV = { WXMSG_PUSH_TOKEN: PUSH_TOKEN, WXMSG_PUSH_AES_KEY: PUSH_KEY };

let sim: Simulator;
const receivers: Receiver[] = [];
before(async () => { sim = await Simulator.start(); });
after(async () => { await Promise.all(receivers.map((r) => r.close())); await sim.close(); });

async function scripted(...args: Parameters<typeof scriptedReceiver>): Promise<Receiver> {
  const r = await scriptedReceiver(...args);
  receivers.push(r);
  return r;
}

function noSecrets(out: { stdout: string; stderr: string }): void {
  for (const s of [PUSH_TOKEN, PUSH_KEY]) assert.ok(!out.stdout.includes(s) && !out.stderr.includes(s), 'a secret was printed');
}

test('wxmsg push text → the example server: verification echoed, push accepted (exit 0); the server decrypts it and replies via custom/send', async () => {
  const ex = await exampleReceiver({ apiBase: sim.url, aesKey: PUSH_KEY });
  receivers.push(ex);
  for (const mode of ['plain', 'compat', 'safe']) {
    for (const format of ['json', 'xml']) {
      const env = mode === 'plain' ? ENV : SAFE_ENV;
      const out = await cli(['push', 'text', '--url', ex.url, '--push-mode', mode, '--push-format', format, '--content', `hi ${mode} ${format}`], env);
      assert.equal(out.code, 0, `${mode}/${format}: ${out.stdout}${out.stderr}`);
      assert.match(out.stdout, /URL verification passed/);
      assert.match(out.stdout, /verdict  accepted: the server answered "success"/);
      if (mode === 'plain') assert.doesNotMatch(out.stdout, /encrypt_type/);
      else assert.match(out.stdout, /encrypt_type=aes&msg_signature=[0-9a-f]{40}/);
      noSecrets(out);
    }
  }
  assert.ok(ex.log.includes(`push: text from ${SIM_USERS.ready[0]}: hi safe xml`), ex.log.join('\n'));
  // The example's reply reached the simulator through custom/send.
  const replied = () => sim.delivered.some((d) => (d.payload.text as { content: string }).content === '收到：hi compat json');
  for (let i = 0; i < 500 && !replied(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(sim.delivered.some((d) => (d.payload.text as { content: string }).content === '收到：hi compat json'), JSON.stringify(sim.delivered));
});

test('wxmsg push --format json: what was sent, the answer and the verdict; wechat-crypto verifies and decrypts the safe-mode body', async () => {
  const r = await scripted(echoing(() => [200, 'success']));
  const out = await cli(['push', 'enter', '--url', r.url, '--push-format', 'xml', '--content', 'order-42', '--format', 'json'], SAFE_ENV);
  assert.equal(out.code, 0, out.stderr);
  const j = JSON.parse(out.stdout);
  assert.equal(j.accepted, true);
  assert.equal(j.verify.outcome, 'echoed');
  assert.equal(j.push.mode, 'safe'); // the default with a key
  assert.equal(j.push.tries, 1);
  const posted = r.requests.find((q) => q.method === 'POST')!;
  const q = new URL(posted.url, 'http://x').searchParams;
  const body = parseFlatXml(posted.body)!;
  assert.deepEqual(Object.keys(body).sort(), ['Encrypt', 'ToUserName']);
  const theirs = new WXBizMsgCrypt(PUSH_TOKEN, PUSH_KEY, 'wx1234567890abcdef');
  assert.equal(theirs.getSignature(q.get('timestamp')!, q.get('nonce')!, body.Encrypt), q.get('msg_signature'));
  const inner = parseFlatXml(theirs.decrypt(body.Encrypt).message)!;
  assert.deepEqual([inner.MsgType, inner.Event, inner.SessionFrom], ['event', 'user_enter_tempsession', 'order-42']);
  assert.equal(j.push.plaintext, theirs.decrypt(body.Encrypt).message);
  noSecrets(out);
});

test('a server that echoes the wrong echostr: exit 1, said plainly, nothing pushed', async () => {
  const r = await scripted((method, _b, q) => (method === 'GET' ? [200, `${q.get('echostr')}\n`] : [200, 'success']));
  const out = await cli(['push', 'text', '--url', r.url], ENV);
  assert.equal(out.code, 1);
  assert.match(out.stdout, /URL verification FAILED: the server answered "\d+\\n" instead of echostr "\d+" \(extra whitespace: it must be echoed exactly\)/);
  assert.equal(r.requests.filter((q) => q.method === 'POST').length, 0);
  // Near miss the other way: the exact echo passes.
  const ok = await scripted(echoing(() => [200, '']));
  assert.equal((await cli(['push', 'text', '--url', ok.url], ENV)).code, 0);
});

test('slow server: no answer within the timeout is exit 1 ("no answer within")', async () => {
  const r = await scripted(echoing(() => 'hang'));
  const out = await cli(['push', 'text', '--url', r.url, '--timeout', '300'], ENV);
  assert.equal(out.code, 1, out.stdout);
  assert.match(out.stdout, /refused: no answer within 0\.3 s\. The user sees "该小程序客服暂时无法提供服务，请稍后再试"/);
});

test('5xx is exit 1; any other 200 body is a wrong reply (exit 1) naming what WeChat accepts', async () => {
  const five = await scripted(echoing(() => [502, 'bad gateway']));
  const a = await cli(['push', 'text', '--url', five.url], ENV);
  assert.equal(a.code, 1);
  assert.match(a.stdout, /refused: HTTP 502/);
  for (const wrong of ['ok', 'success\n', 'SUCCESS', '{"errcode":0}']) {
    const r = await scripted(echoing(() => [200, wrong]));
    const out = await cli(['push', 'text', '--url', r.url], ENV);
    assert.equal(out.code, 1, wrong);
    assert.match(out.stdout, /refused: the answer is neither "success", an empty body nor a transfer_customer_service reply/, wrong);
  }
  const notFound = await scripted(echoing(() => [404, 'success']));
  const nf = await cli(['push', 'text', '--url', notFound.url], ENV);
  assert.equal(nf.code, 1);
  assert.match(nf.stdout, /HTTP 404: WeChat expects 200/);
});

test('an unreachable URL is exit 2', async () => {
  const port = await closedPort();
  const out = await cli(['push', 'text', '--url', `http://127.0.0.1:${port}/wechat`], ENV);
  assert.equal(out.code, 2);
  assert.match(out.stdout, /URL verification FAILED: cannot connect \(ECONNREFUSED\)/);
  const skip = await cli(['push', 'text', '--url', `http://127.0.0.1:${port}/wechat`, '--skip-verify'], ENV);
  assert.equal(skip.code, 2);
  assert.match(skip.stdout, /refused: cannot connect \(ECONNREFUSED\)/);
});

test('transfer_customer_service: plain XML in plain/compat mode, encrypted in safe mode; a plain one in safe mode or a bad MsgSignature is refused', async () => {
  const plain = await scripted(echoing(() => [200, TRANSFER_XML]));
  const a = await cli(['push', 'text', '--url', plain.url], ENV);
  assert.equal(a.code, 0, a.stdout);
  assert.match(a.stdout, /accepted: transfer_customer_service/);
  const compat = await cli(['push', 'text', '--url', plain.url, '--push-mode', 'compat'], SAFE_ENV);
  assert.equal(compat.code, 0);
  const safePlain = await cli(['push', 'text', '--url', plain.url], SAFE_ENV);
  assert.equal(safePlain.code, 1);
  assert.match(safePlain.stdout, /in safe mode a reply other than "success" or an empty body must be encrypted/);
  const enc = await scripted(echoing(() => [200, encryptedReply(TRANSFER_XML, { xml: true })]));
  const b = await cli(['push', 'text', '--url', enc.url, '--push-format', 'xml'], SAFE_ENV);
  assert.equal(b.code, 0, b.stdout);
  assert.match(b.stdout, /reply    <xml>.*transfer_customer_service/);
  const badSig = await scripted(echoing(() => [200, encryptedReply(TRANSFER_XML, { xml: true, badSignature: true })]));
  const c = await cli(['push', 'text', '--url', badSig.url], SAFE_ENV);
  assert.equal(c.code, 1);
  assert.match(c.stdout, /MsgSignature does not match/);
  const otherApp = await scripted(echoing(() => [200, encryptedReply(TRANSFER_XML, { appid: 'wx0000000000000000' })]));
  const d = await cli(['push', 'text', '--url', otherApp.url], SAFE_ENV);
  assert.equal(d.code, 1);
  assert.match(d.stdout, /ends with appid "wx0000000000000000"/);
  // A passive text reply: mini programs do not have those.
  const passive = await scripted(echoing(() => [200, '<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content></xml>']));
  const e = await cli(['push', 'text', '--url', passive.url], ENV);
  assert.equal(e.code, 1);
  assert.match(e.stdout, /not MsgType "text" \(reply through custom\/send instead\)/);
});

test('usage errors are exit 2 and never print a secret: no Token, a bad key, compat without a key, a remote URL, a bad kind', async () => {
  const r = await scripted(echoing(() => [200, 'success']));
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['push', 'text', '--url', r.url], {}, /WXMSG_PUSH_TOKEN is not set/],
    [['push', 'text', '--url', r.url], { WXMSG_PUSH_TOKEN: 'ab' }, /3 to 32 letters or digits/],
    [['push', 'text', '--url', r.url], { WXMSG_PUSH_TOKEN: 'a'.repeat(33) }, /3 to 32 letters or digits, as the admin console requires \(it has 33 characters\)/],
    [['push', 'text', '--url', r.url], { ...ENV, WXMSG_PUSH_AES_KEY: PUSH_KEY.slice(1) }, /WXMSG_PUSH_AES_KEY: the EncodingAESKey must be exactly 43 characters.*it has 42/],
    [['push', 'text', '--url', r.url], { ...ENV, WXMSG_PUSH_AES_KEY: `${PUSH_KEY}x` }, /it has 44/],
    [['push', 'text', '--url', r.url, '--push-mode', 'compat'], ENV, /compat mode encrypts every push: set WXMSG_PUSH_AES_KEY/],
    [['push', 'text', '--url', r.url, '--push-mode', 'safe'], ENV, /safe mode encrypts every push/],
    [['push', 'text', '--url', 'http://example.com/wechat'], ENV, /not this machine.*--push-allow-remote/],
    [['push', 'text', '--url', r.url, '--push-format', 'yaml'], ENV, /--push-format is xml or json/],
    [['push', 'voice', '--url', r.url], ENV, /unknown push "voice"/],
    [['push', 'text'], ENV, /--url is required/],
    [['push', 'text', '--url', r.url, '--appid', 'wx123'], ENV, /--appid needs/],
  ];
  for (const [argv, env, re] of cases) {
    const out = await cli(argv, env);
    assert.equal(out.code, 2, argv.join(' '));
    assert.match(out.stderr, re, argv.join(' '));
    noSecrets(out);
    assert.ok(!out.stderr.includes(PUSH_KEY.slice(1)) && !out.stderr.includes('a'.repeat(33)));
  }
  assert.equal(r.requests.length, 0);
  // Near misses that pass: 3 and 32 characters; the exact 43-character key.
  for (const token of ['abc', 'a'.repeat(32)]) assert.equal((await cli(['push', 'text', '--url', r.url], { WXMSG_PUSH_TOKEN: token })).code, 0, token);
});

test('--push-allow-remote lifts the loopback rule; URLs with credentials or other schemes are refused', () => {
  const flags = { urlFlag: '--url', allowRemoteFlag: '--push-allow-remote' };
  assert.throws(() => checkPushUrl('http://192.168.1.10/wx', flags), PushConfigError);
  assert.equal(checkPushUrl('http://192.168.1.10/wx', { ...flags, allowRemote: true }).host, '192.168.1.10');
  assert.equal(checkPushUrl('http://[::1]:8701/wx', flags).hostname, '[::1]');
  assert.throws(() => checkPushUrl('ftp://127.0.0.1/wx', flags), /http:\/\/ or https:\/\//);
  assert.throws(() => checkPushUrl('http://u:p@127.0.0.1/wx', flags), /user name or password/);
  assert.throws(() => pushConfig({ url: 'http://127.0.0.1/', urlFlag: '--push-url', formatFlag: '--push-format', modeFlag: '--push-mode', allowRemoteFlag: '--push-allow-remote' }, {}), /WXMSG_PUSH_TOKEN/);
});

test('zh-CN: the lines and the verdict in Chinese', async () => {
  const r = await scripted(echoing(() => [200, 'nope']));
  const out = await cli(['push', 'text', '--url', r.url, '--locale', 'zh-CN'], ENV);
  assert.equal(out.code, 1);
  assert.match(out.stdout, /URL 校验通过/);
  assert.match(out.stdout, /结论     未通过：回包既不是 "success"、空串，也不是 transfer_customer_service 消息。用户会看到“该小程序客服暂时无法提供服务，请稍后再试”/);
});
