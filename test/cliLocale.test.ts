// What the CLI itself says (summaries, refusals, results), in the language --locale, WXMSG_LOCALE,
// LC_ALL, LC_MESSAGES or LANG asks for; English when none does. Codes, exit codes and the
// machine-readable formats stay as they are. The strings come from server/src/core/l10n/cli.*.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { runCli } from '../server/src/cli/main.ts';
import { ERRCODES, errcodeTable } from '../server/src/core/facts/errcodes.ts';
import { SIM_DEFAULT_SECRET, SIM_USERS, type Simulator } from '../server/src/simulator/simulator.ts';
import { sharedTokenCache } from '../server/src/wechat/tokenCache.ts';
import { cli as sendCli, closedPort, PNG, startSim, tmpDir } from './sendHelpers.ts';
import { runTokenCommand } from '../server/src/wechat/tokenSources.ts';
import { checkSecretHost } from '../server/src/wechat/hosts.ts';
import { openIdShapeProblem } from '../server/src/wechat/openid.ts';
import { describeNetworkError } from '../server/src/wechat/netErrors.ts';
import { TransportError } from '../server/src/wechat/transport.ts';
import { runSimulate } from '../server/src/cli/commands/simulate.ts';
import { EXAMPLES } from './sendHelpers.ts';
import { englishProse } from './prose.ts';
import { PUSH_KEY, PUSH_TOKEN, echoing, scriptedReceiver, type Receiver } from './pushHelpers.ts';

const APPID = 'wx1234567890abcdef';
const OPENID = 'oVKOm5Hd7TVUW8GmbHMYHwYg0u3s';
const GOOD = JSON.stringify({ touser: OPENID, msgtype: 'text', text: { content: '你好' } });
// One error (msgtype image without its body).
const BAD = JSON.stringify({ touser: OPENID, msgtype: 'image' });
// One warning only: a key WeChat does not know.
const WARN = JSON.stringify({ touser: OPENID, msgtype: 'text', text: { content: '你好' }, zzz: 1 });
const CJK = /[\u3400-\u9fff]/;
/** Chinese of our own (WeChat's official descriptions, quoted as they are, aside). */
const CJK_PROSE = /^(?!.*errcode \d+ ).*[\u3400-\u9fff]/m;
const WELCOME = 'templates/welcome.wxmsg.json';

export async function cli(argv: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli({ argv, cwd, env, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

describe('CLI output in Chinese', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-cli-locale-'));
    fs.writeFileSync(path.join(dir, 'project.config.json'), JSON.stringify({ appid: APPID }));
    fs.mkdirSync(path.join(dir, 'good'));
    fs.writeFileSync(path.join(dir, 'good', 'a.wxmsg.json'), GOOD);
    fs.writeFileSync(path.join(dir, 'good', 'b.wxmsg.json'), GOOD);
    fs.mkdirSync(path.join(dir, 'bad'));
    fs.writeFileSync(path.join(dir, 'bad', 'bad.wxmsg.json'), BAD);
    fs.writeFileSync(path.join(dir, 'bad', 'warn.wxmsg.json'), WARN);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('lint: the clean summary, by --locale and by each variable in turn; English without them', async () => {
    for (const [args, env] of [
      [['--locale', 'zh-CN'], {}],
      [['--locale=zh'], { LANG: 'en_US.UTF-8' }],
      [[], { WXMSG_LOCALE: 'zh-CN', LC_ALL: 'en_US.UTF-8' }],
      [[], { LC_ALL: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }],
      [[], { LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'C' }],
      [[], { LANG: 'zh_CN.UTF-8' }],
    ] as [string[], Record<string, string>][]) {
      const r = await cli(['lint', 'good', ...args], dir, env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '✔ 已检查 2 个模板，没有问题\n', JSON.stringify({ args, env }));
    }
    // Near misses: an earlier variable in English wins over a later Chinese one; nothing set is English.
    for (const env of [{}, { LANG: 'C.UTF-8' }, { LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' }, { WXMSG_LOCALE: 'en', LC_ALL: 'zh_CN.UTF-8' }]) {
      const r = await cli(['lint', 'good'], dir, env);
      assert.equal(r.stdout, '✔ 2 templates checked, no problems\n', JSON.stringify(env));
    }
    const en = await cli(['lint', 'good', '--locale', 'en'], dir, { LANG: 'zh_CN.UTF-8' });
    assert.equal(en.stdout, '✔ 2 templates checked, no problems\n');
  });

  test('lint: findings in stylish (severities, summary), --quiet, --max-warnings; codes and exit codes unchanged', async () => {
    const r = await cli(['lint', 'bad', '--locale', 'zh-CN'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^ {2}1:\d+ +错误 +.*wxmsg\/missing-body$/m);
    assert.match(r.stdout, /^ {2}1:\d+ +警告 +.*wxmsg\/unknown-key$/m);
    assert.match(r.stdout, /^✖ 2 个问题（1 个错误，1 个警告）$/m);
    assert.deepEqual(englishProse(r.stdout), []);
    const en = await cli(['lint', 'bad'], dir);
    assert.match(en.stdout, /^✖ 2 problems \(1 error, 1 warning\)$/m);
    assert.match(en.stdout, / error +.*wxmsg\/missing-body$/m);

    fs.rmSync(path.join(dir, 'bad', 'bad.wxmsg.json'));
    try {
      const quiet = await cli(['lint', 'bad', '--quiet', '--locale', 'zh-CN'], dir);
      assert.equal(quiet.code, 0);
      assert.equal(quiet.stdout, '✔ 已检查 1 个模板，没有错误（1 个警告被 --quiet 隐藏）\n');
      const max = await cli(['lint', 'bad', '--max-warnings', '0', '--locale', 'zh-CN'], dir);
      assert.equal(max.code, 1);
      assert.equal(max.stderr, 'wxmsg: 1 个警告，超过了 --max-warnings 0\n');
      const maxOk = await cli(['lint', 'bad', '--max-warnings', '1', '--locale', 'zh-CN'], dir);
      assert.equal(maxOk.code, 0);
      assert.equal(maxOk.stderr, '');
    } finally {
      fs.writeFileSync(path.join(dir, 'bad', 'bad.wxmsg.json'), BAD);
    }
  });

  test('lint: a pattern that matches nothing, no templates at all, usage errors', async () => {
    const none = await cli(['lint', 'nothing/*.wxmsg.json', '--locale', 'zh-CN'], dir);
    assert.equal(none.code, 2);
    assert.equal(none.stderr, 'wxmsg: 没有与 "nothing/*.wxmsg.json" 匹配的 *.wxmsg.json 文件\n');
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-cli-locale-empty-'));
    try {
      const r = await cli(['lint', '--locale', 'zh-CN'], empty);
      assert.equal(r.stderr, 'wxmsg: 没有找到 *.wxmsg.json 文件\n');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
    const format = await cli(['lint', 'good', '--format', 'xml', '--locale', 'zh-CN'], dir);
    assert.equal(format.code, 2);
    assert.equal(format.stderr, 'wxmsg: 没有 "xml" 这种格式（可用 stylish, json, github, sarif）\n运行 "wxmsg --help" 查看用法。\n');
    const max = await cli(['lint', 'good', '--max-warnings', 'many'], dir, { WXMSG_LOCALE: 'zh-CN' });
    assert.match(max.stderr, /^wxmsg: --max-warnings 需要一个整数，而不是 "many"\n运行/);
    const unknown = await cli(['frobnicate', '--locale', 'zh-CN'], dir);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, 'wxmsg: 没有 "frobnicate" 这个命令\n运行 "wxmsg --help" 查看用法。\n');
    // The locale that is itself wrong is said in English, with the supported ones.
    const fr = await cli(['lint', 'good', '--locale', 'fr'], dir, { LANG: 'zh_CN.UTF-8' });
    assert.equal(fr.code, 2);
    assert.match(fr.stderr, /--locale "fr" is not supported; supported locales: en, zh-CN\nRun "wxmsg --help" for usage\.\n$/);
  });

  test('lint --format json, github and sarif keep their keys; only messages follow the locale', async () => {
    const zh = JSON.parse((await cli(['lint', 'bad', '--format', 'json', '--locale', 'zh-CN'], dir)).stdout);
    const en = JSON.parse((await cli(['lint', 'bad', '--format', 'json'], dir)).stdout);
    const shape = (rs: { file: string; diagnostics: { code: string; severity: string; range: unknown }[] }[]) =>
      rs.map((r) => ({ file: r.file, diagnostics: r.diagnostics.map((d) => ({ code: d.code, severity: d.severity, range: d.range })) }));
    assert.deepEqual(shape(zh), shape(en));
    assert.match(zh[0].diagnostics[0].message, CJK);
    const sarif = JSON.parse((await cli(['lint', 'bad', '--format', 'sarif', '--locale', 'zh-CN'], dir)).stdout);
    assert.deepEqual(sarif.runs[0].results.map((r: { level: string }) => r.level).sort(), ['error', 'warning']);
    const github = (await cli(['lint', 'bad', '--format', 'github', '--locale', 'zh-CN'], dir)).stdout;
    assert.match(github, /^::error file=bad\/bad\.wxmsg\.json,line=1,col=\d+,endLine=\d+,endColumn=\d+,title=wxmsg\/missing-body::.*[\u3400-\u9fff]/m);
  });

  test('preview: one line per page, the summary and the pages with errors', async () => {
    const out = path.join(dir, 'out');
    const r = await cli(['preview', '--out', 'out', 'bad', 'good', '--locale', 'zh-CN'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^bad\/bad\.wxmsg\.json → out\/bad\/bad\.html（1 个错误）$/m);
    assert.match(r.stdout, /^bad\/warn\.wxmsg\.json → out\/bad\/warn\.html（1 个警告）$/m);
    assert.match(r.stdout, /^good\/a\.wxmsg\.json → out\/good\/a\.html$/m);
    assert.match(r.stdout, /^✔ 已生成 4 个预览；打开 out\/index\.html$/m);
    assert.equal(r.stderr, 'wxmsg: 1 个模板有错误（见其预览页）\n');
    assert.ok(fs.existsSync(path.join(out, 'index.html')));
    const en = await cli(['preview', '--out', 'out', 'bad', 'good'], dir);
    assert.match(en.stdout, /^✔ 4 previews written; open out\/index\.html$/m);
    assert.equal(en.stderr, 'wxmsg: 1 template has errors (shown in its page)\n');
    const noOut = await cli(['preview', 'good', '--locale', 'zh-CN'], dir);
    assert.equal(noOut.code, 2);
    assert.match(noOut.stderr, /^wxmsg: wxmsg preview 需要 --out <dir>/);
    const outside = await cli(['preview', '--out', 'out', '../x.wxmsg.json', '--locale', 'zh-CN'], path.join(dir, 'good'));
    assert.equal(outside.code, 2);
  });
});

/**
 * A describe block's simulator and work folder: a fresh state per test (reset, empty token
 * cache) and the environment that points the CLI at it; `zh(argv)` runs it with --locale zh-CN.
 */
function simulatorSuite(prefix: string, setup: (work: string) => void = () => {}) {
  const S = { sim: undefined as unknown as Simulator, env: {} as Record<string, string>, work: '' };
  before(async () => {
    S.sim = await startSim();
    S.work = tmpDir(prefix);
    setup(S.work);
  });
  after(async () => {
    await S.sim.close();
    fs.rmSync(S.work, { recursive: true, force: true });
  });
  beforeEach(() => {
    S.sim.reset();
    sharedTokenCache.clear();
    S.env = { WXMSG_APPSECRET: SIM_DEFAULT_SECRET, WXMSG_API_BASE: S.sim.url };
  });
  const zh = (argv: string[], more: Record<string, string> = {}, cwd?: string) => sendCli([...argv, '--locale', 'zh-CN'], { ...S.env, ...more }, cwd);
  return { S, zh };
}

describe('send, upload, typing and media get in Chinese', () => {
  const { S, zh } = simulatorSuite('wxmsg-cli-locale-api-');

  test('send: sent; refused by WeChat (45015: official text, errmsg verbatim, cause and action in Chinese); English unchanged', async () => {
    const ok = await zh(['send', WELCOME, '--to', SIM_USERS.ready[0]]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^✔ 已把 templates\/welcome\.wxmsg\.json 发送给 oWx…0001（appid wx1234567890abcdef，经由 127\.0\.0\.1:\d+）\n {2}errcode 0 请求成功\n$/);

    const refused = await zh(['send', WELCOME, '--to', SIM_USERS.stale]);
    assert.equal(refused.code, 1);
    const help = errcodeTable(undefined, 'zh-cn')[45015];
    assert.match(refused.stdout, new RegExp(`^✖ 未发送：微信返回 errcode 45015 ${ERRCODES[45015].zh}\\n`));
    assert.ok(refused.stdout.includes(`  微信原文：${ERRCODES[45015].errmsg}\n`), refused.stdout);
    assert.ok(refused.stdout.includes(`  原因：${help.cause}\n`) && refused.stdout.includes(`  处理：${help.action}\n`), refused.stdout);
    assert.match(help.cause, /48小时内/);
    assert.match(refused.stdout, /^ {2}rid：[\w-]+（联系微信技术支持时请提供）$/m);
    assert.match(refused.stdout, /^ {2}发给 oWx…\w+，appid wx1234567890abcdef，经由 127\.0\.0\.1:\d+，共请求 1 次$/m);
    assert.deepEqual(englishProse(refused.stdout, [/微信原文：.*/]), []);

    const en = await sendCli(['send', WELCOME, '--to', SIM_USERS.stale], S.env);
    assert.ok(en.stdout.includes(`cause:  ${ERRCODES[45015].cause}`) && en.stdout.includes(ERRCODES[45015].en), en.stdout);
    assert.doesNotMatch(en.stdout, CJK_PROSE);
    // --format json: the same keys; cause and action are the decoded words of the locale.
    const json = JSON.parse((await zh(['send', WELCOME, '--to', SIM_USERS.stale, '--format', 'json'])).stdout);
    const jsonEn = JSON.parse((await sendCli(['send', WELCOME, '--to', SIM_USERS.stale, '--format', 'json'], S.env)).stdout);
    assert.deepEqual(Object.keys(json).sort(), Object.keys(jsonEn).sort());
    assert.equal(json.errcode, 45015);
    assert.equal(json.errmsg, jsonEn.errmsg);
    assert.equal(json.action, help.action);
  });

  test('send: refusals before anything is sent, exit codes kept', async () => {
    const none = await sendCli(['send', WELCOME, '--to', SIM_USERS.ready[0], '--locale', 'zh-CN'], { WXMSG_API_BASE: S.sim.url });
    assert.equal(none.code, 2);
    assert.equal(none.stderr, 'wxmsg: 未发送：没有凭据：请在环境变量中设置 WXMSG_APPSECRET（小程序的 AppSecret）或 WXMSG_ACCESS_TOKEN\n');
    const short = await zh(['send', WELCOME, '--to', SIM_USERS.ready[0]], { WXMSG_APPSECRET: 'abc' });
    assert.equal(short.code, 2);
    assert.match(short.stderr, /WXMSG_APPSECRET 只有 3 个字符/);
    assert.doesNotMatch(short.stderr, /abc/);
    fs.writeFileSync(path.join(S.work, 'bad.wxmsg.json'), BAD);
    const bad = await zh(['send', 'bad.wxmsg.json', '--to', OPENID, '--appid', APPID], {}, S.work);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /错误 +.*wxmsg\/missing-body/);
    assert.match(bad.stderr, /^✖ 1 个问题（1 个错误，0 个警告）$/m);
    assert.match(bad.stderr, /^wxmsg: 未发送：bad\.wxmsg\.json 有 1 个错误$/m);
    const usage = await zh(['send', WELCOME]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^wxmsg: 缺少 --to <alias\|openid>\n运行 "wxmsg --help" 查看用法。\n$/);
    const timeout = await zh(['send', WELCOME, '--to', SIM_USERS.ready[0], '--timeout', '0']);
    assert.match(timeout.stderr, /--timeout 需要 1 到 600000 之间的毫秒数，而不是 "0"/);
  });

  test('upload and media get: the media_id, the ledger line, the download; an unknown media_id decoded', async () => {
    fs.writeFileSync(path.join(S.work, 'project.config.json'), JSON.stringify({ appid: APPID }));
    fs.writeFileSync(path.join(S.work, 'cover.png'), PNG);
    const up = await zh(['upload', 'cover.png'], {}, S.work);
    assert.equal(up.code, 0, up.stderr);
    const mediaId = up.stdout.trim();
    assert.match(up.stderr, /^✔ 已上传 cover\.png，经由 127\.0\.0\.1:\d+；临时素材 3 天后过期（\d{4}-.*Z）\n {2}已记录到 \.wxmsg\/media\.json（来源 cover\.png）\n$/);
    const got = await sendCli(['media', 'get', '-o', 'back.png', '--locale', 'zh-CN', '--', mediaId], S.env, S.work);
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stderr, /^✔ \d+ 字节（image\/png），来自 127\.0\.0\.1:\d+\n$/);
    const unknown = await zh(['media', 'get', 'nope'], {}, S.work);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, new RegExp(`^✖ 未下载：微信返回 errcode 40007 ${ERRCODES[40007].zh}\\n`));
    assert.ok(unknown.stderr.includes(`  处理：${errcodeTable(undefined, 'zh-cn')[40007].action}\n`), unknown.stderr);
    const noId = await zh(['media', 'get'], {}, S.work);
    assert.equal(noId.code, 2);
    assert.match(noId.stderr, /^wxmsg: media get 只接受一个 media_id\n/);
  });

  test('typing: on, again (45081 decoded), off; a bad argument', async () => {
    const to = SIM_USERS.ready[0];
    const on = await zh(['typing', '--to', to, 'on']);
    assert.equal(on.code, 0, on.stderr);
    assert.match(on.stdout, /^✔ Typing → oWx…0001，经由 127\.0\.0\.1:\d+：errcode 0（显示 15 秒，或直到下发一条消息）\n$/);
    const again = await zh(['typing', '--to', to, 'on']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, new RegExp(`^✖ Typing 被拒绝：微信返回 errcode 45081 ${ERRCODES[45081].zh}\\n`));
    assert.ok(again.stderr.includes(`  处理：${errcodeTable(undefined, 'zh-cn')[45081].action}\n`), again.stderr);
    const bad = await zh(['typing', '--to', to, 'maybe']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^wxmsg: typing 需要 on 或 off（收到 "maybe"）\n/);
  });
});

/** Names the Chinese text keeps as they are: settings, variables and the technical terms (DNS, TLS). */
const SETTINGS = [/wxmsg\.api\.\w+/g, /\b(?:DNS|TLS|CA|VS Code|NODE_EXTRA_CA_CERTS|JPEG|PNG|GIF|MB)\b/g, /wxmsg (?:upload|simulate|send|demo|history|push|lint|preview|typing|media)\b/g, /<image>/g];

describe('the WeChat layer\'s failures in Chinese', () => {
  const { S, zh } = simulatorSuite('wxmsg-cli-locale-wechat-', (work) => {
    fs.writeFileSync(path.join(work, 'project.config.json'), JSON.stringify({ appid: APPID }));
  });

  test('send: nothing listening, a dropped connection, an HTTP 502, a body that is not JSON; English unchanged', async () => {
    const port = await closedPort();
    const refused = await zh(['send', WELCOME, '--to', SIM_USERS.ready[0]], { WXMSG_API_BASE: `http://127.0.0.1:${port}` });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^✖ 未发送：无法连接 127\.0\.0\.1:\d+：连接被拒绝（该地址上没有服务在监听）。请检查 wxmsg\.api\.baseUrl（命令行：--api-base 或 WXMSG_API_BASE）；如果它指向模拟器，请用 "wxmsg simulate" 启动模拟器。未发送任何内容。$/m);
    assert.deepEqual(englishProse(refused.stderr, SETTINGS), []);
    const en = await sendCli(['send', WELCOME, '--to', SIM_USERS.ready[0]], { ...S.env, WXMSG_API_BASE: `http://127.0.0.1:${port}` });
    assert.match(en.stderr, /^✖ not sent: Could not connect to 127\.0\.0\.1:\d+: connection refused \(nothing is listening there\)\. Check wxmsg\.api\.baseUrl \(CLI: --api-base or WXMSG_API_BASE\); if it points at the simulator, start it with "wxmsg simulate"\. Nothing was sent\.$/m);
    // --format json: kind and setting stay the same machine words; the message follows the locale.
    const json = JSON.parse((await zh(['send', WELCOME, '--to', SIM_USERS.ready[0], '--format', 'json'], { WXMSG_API_BASE: `http://127.0.0.1:${port}` })).stdout);
    assert.deepEqual([json.error.kind, json.error.setting], ['refused', 'wxmsg.api.baseUrl (CLI: --api-base or WXMSG_API_BASE)']);
    assert.match(json.error.message, /^无法连接/);

    S.sim.injectFault({ type: 'reset', path: '/cgi-bin/message/custom/send' });
    const dropped = await zh(['send', WELCOME, '--to', SIM_USERS.ready[0]]);
    assert.equal(dropped.code, 2);
    assert.match(dropped.stderr, /^✖ 不确定是否送达：发送时，与 127\.0\.0\.1:\d+ 的连接在应答完整之前断开了。.*消息可能已送达，也可能没有：再次发送前请先向测试用户确认（为避免重复发送，wxmsg 不会重试）。/m);
    assert.deepEqual(englishProse(dropped.stderr, SETTINGS), []);

    S.sim.injectFault({ type: 'http', status: 502, path: '/cgi-bin/message/custom/send' });
    const http = await zh(['send', WELCOME, '--to', SIM_USERS.ready[0]]);
    assert.match(http.stderr, /127\.0\.0\.1:\d+ 返回 HTTP 502（服务器或网关故障；微信自己总是以 200 加 errcode 应答）/);
    assert.deepEqual(englishProse(http.stderr, SETTINGS), []);

    S.sim.injectFault({ type: 'non-json', path: '/cgi-bin/message/custom/send', body: '<html>' });
    const html = await zh(['send', WELCOME, '--to', SIM_USERS.ready[0]]);
    assert.match(html.stderr, /的应答不是 JSON（HTTP 200，/);
    // The content type is the server's own text, quoted as it is.
    assert.deepEqual(englishProse(html.stderr, [...SETTINGS, /（HTTP 200，[^，]+，/]), []);
  });

  test('refusals before a request: the base URL, the proxy variable, the OpenID, a media placeholder', async () => {
    const plain = await zh(['send', WELCOME, '--to', SIM_USERS.ready[0]], { WXMSG_API_BASE: 'http://example.com' });
    assert.equal(plain.code, 2);
    assert.equal(plain.stderr, 'wxmsg: 未发送：拒绝以明文 http 连接 example.com：http 只允许用于本机（127.0.0.1、localhost、[::1]，例如模拟器）；请改用 https，或修改 wxmsg.api.baseUrl（命令行：--api-base 或 WXMSG_API_BASE）\n');
    const plainEn = await sendCli(['send', WELCOME, '--to', SIM_USERS.ready[0]], { ...S.env, WXMSG_API_BASE: 'http://example.com' });
    assert.match(plainEn.stderr, /refusing plain http to example\.com: http is allowed only for this machine/);
    // A near miss: loopback over plain http is allowed (the simulator).
    assert.equal((await zh(['send', WELCOME, '--to', SIM_USERS.ready[0]])).code, 0);

    // An unusable proxy value is refused before any request (the API base is never reached).
    const proxy = await zh(['send', WELCOME, '--to', SIM_USERS.ready[0]], { WXMSG_API_BASE: 'https://api.weixin.qq.com', HTTPS_PROXY: 'ftp://proxy.corp:21' });
    assert.equal(proxy.code, 2);
    assert.match(proxy.stderr, /HTTPS_PROXY 使用了 wxmsg 不支持的代理协议 ftp:\/\//);
    assert.deepEqual(englishProse(proxy.stderr, [/\w+:\/\//g]), []);

    const badTo = await zh(['send', WELCOME, '--to', 'not an id']);
    assert.equal(badTo.code, 2);
    assert.match(badTo.stderr, /^wxmsg: --to: OpenID 只能包含字母、数字、"_" 和 "-"（实际为 28 个字符）\n/);

    fs.writeFileSync(path.join(S.work, 'card.wxmsg.json'), JSON.stringify({ touser: OPENID, msgtype: 'image', image: { media_id: 'MEDIA_ID' } }));
    const card = await zh(['send', 'card.wxmsg.json', '--to', SIM_USERS.ready[0]], {}, S.work);
    assert.equal(card.code, 1);
    assert.match(card.stderr, /media_id 仍是占位符 "MEDIA_ID"：请先上传图片/);
    assert.deepEqual(englishProse(card.stderr.split('\n').filter((l) => l.startsWith('wxmsg:')).join('\n'), SETTINGS), []);
    const cardEn = await sendCli(['send', 'card.wxmsg.json', '--to', SIM_USERS.ready[0]], S.env, S.work);
    assert.match(cardEn.stderr, /media_id is still the placeholder "MEDIA_ID": upload the image first/);
  });

  test('what both shells show comes in both languages from the catalog: token sources, hosts, OpenID shape, network errors', async () => {
    const missing = await runTokenCommand(['wxmsg-no-such-command-xyz'], S.work);
    assert.equal(missing.ok, false);
    if (missing.ok) return;
    assert.match(missing.message.en, /^the token-command \["wxmsg-no-such-command-xyz"\] was not found/);
    assert.match(missing.message.zh, /^找不到 token-command \["wxmsg-no-such-command-xyz"\]（它在 .* 中运行，不经过 shell）$/);
    const host = checkSecretHost('https://gw.example.com', [], { en: 'profile "dev": apiBase', zh: '配置档 "dev" 的 apiBase' });
    assert.equal(host.ok, false);
    if (!host.ok) {
      assert.match(host.message.zh, /^配置档 "dev" 的 apiBase 指向 gw\.example\.com，它既不是微信官方 API 域名/);
      assert.match(host.message.en, /^profile "dev": apiBase points at gw\.example\.com, which is not an official WeChat API host/);
    }
    // A near miss: a host on the user's allow-list passes.
    assert.equal(checkSecretHost('https://gw.example.com', ['gw.example.com'], { en: 'x', zh: 'x' }).ok, true);
    const shape = openIdShapeProblem('short');
    assert.match(shape?.zh ?? '', /看起来不像本小程序的 OpenID/);
    assert.equal(openIdShapeProblem(OPENID), undefined);
    const ctx = { host: 'api.weixin.qq.com', timeoutMs: 1000, phase: 'send' as const };
    const dns = describeNetworkError({ code: 'ENOTFOUND' }, { ...ctx, locale: 'zh-cn' });
    assert.equal(dns.kind, 'dns');
    assert.match(dns.message, /^无法解析主机名 api\.weixin\.qq\.com（DNS 查询失败）/);
    assert.match(describeNetworkError({ code: 'ENOTFOUND' }, ctx).message, /^Could not resolve the host name api\.weixin\.qq\.com \(DNS lookup failed\)/);
    const proxied = describeNetworkError(new TransportError({ code: 'ECONNREFUSED' }, false, { uri: 'http://p:3128', shown: 'http://p:3128', source: 'HTTPS_PROXY', protocol: 'http' }), { ...ctx, locale: 'zh-cn' });
    assert.equal(proxied.message, '无法连接代理 http://p:3128（由 HTTPS_PROXY 设置）：连接被拒绝（该地址上没有服务在监听）。请检查 HTTPS_PROXY。未发送任何内容。');
    assert.equal(proxied.deliveryUnknown, false);
  });
});

describe('wxmsg push in Chinese', () => {
  const receivers: Receiver[] = [];
  after(async () => { await Promise.all(receivers.map((r) => r.close())); });
  const receiver = async (...args: Parameters<typeof scriptedReceiver>) => {
    const r = await scriptedReceiver(...args);
    receivers.push(r);
    return r;
  };
  const ENV = { WXMSG_PUSH_TOKEN: PUSH_TOKEN, WXMSG_PUSH_AES_KEY: PUSH_KEY };
  /** The lines of wxmsg push that are ours: the label column and the verdicts (the bodies are the server's and the message's). */
  const ours = (stdout: string) => stdout.split('\n').filter((l) => /^(校验|推送|回包 |结论|verify|push|answer|verdict)/.test(l) || /^ {9}(URL|json|xml)/.test(l)).join('\n');

  test('accepted in safe mode: labels, the mode, the try and the verdict; English unchanged', async () => {
    const r = await receiver(echoing(() => [200, 'success']));
    const out = await sendCli(['push', 'text', '--url', r.url, '--locale', 'zh-CN'], ENV);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^校验 {5}GET /m);
    assert.match(out.stdout, /^ {9}URL 校验通过：服务器原样返回了 echostr（\d+ ms）$/m);
    assert.match(out.stdout, /^ {9}json, 安全模式, content-type /m);
    assert.match(out.stdout, /^回包 {5}第 1\/1 次：HTTP 200 "success" \(\d+ ms\)$/m);
    assert.match(out.stdout, /^结论 {5}已接受：服务器回复了 "success"$/m);
    assert.deepEqual(englishProse(ours(out.stdout), [/^\S+ +(GET|POST) \S+/gm, /content-type .*/g, /\bechostr\b/g]), []);
    const en = await sendCli(['push', 'text', '--url', r.url], ENV);
    assert.match(en.stdout, /^ {9}json, safe mode, content-type/m);
    assert.match(en.stdout, /^answer {3}try 1\/1: HTTP 200 "success"/m);
    assert.match(en.stdout, /^verdict {2}accepted: the server answered "success"$/m);
  });

  test('refused: a wrong echo, a timeout; usage and configuration errors', async () => {
    const wrong = await receiver((method) => [200, method === 'GET' ? 'nope' : 'success']);
    const bad = await sendCli(['push', 'text', '--url', wrong.url, '--locale', 'zh-CN'], ENV);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^ {9}URL 校验失败：服务器返回 "nope"，而不是 echostr "\w+"$/m);
    assert.match(bad.stdout, /^结论 {5}未推送消息：URL 校验没有通过（微信不会保存这个配置）$/m);
    assert.deepEqual(englishProse(ours(bad.stdout), [/^\S+ +(GET|POST) \S+/gm, /\bechostr\b/g]), []);

    const silent = await receiver(echoing(() => 'hang'));
    const slow = await sendCli(['push', 'text', '--url', silent.url, '--timeout', '300', '--locale', 'zh-CN'], ENV);
    assert.equal(slow.code, 1);
    assert.match(slow.stdout, /^回包 {5}第 1\/1 次：0\.3 秒内没有回包$/m);
    assert.match(slow.stdout, /^结论 {5}未通过：0\.3 秒内没有回包。用户会看到“该小程序客服暂时无法提供服务，请稍后再试”$/m);

    const noToken = await sendCli(['push', 'text', '--url', 'http://127.0.0.1:9/wx', '--locale', 'zh-CN'], {});
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /^wxmsg: 没有设置 WXMSG_PUSH_TOKEN：每次推送都要用消息推送配置中的令牌（Token，3 到 32 位字母或数字）签名\n/);
    const shortKey = await sendCli(['push', 'text', '--url', 'http://127.0.0.1:9/wx', '--locale', 'zh-CN'], { WXMSG_PUSH_TOKEN: PUSH_TOKEN, WXMSG_PUSH_AES_KEY: 'abc' });
    assert.match(shortKey.stderr, /^wxmsg: WXMSG_PUSH_AES_KEY：EncodingAESKey 必须恰好是 43 个 A-Z、a-z、0-9 字符（base64）；它有 3 个\n/);
    assert.doesNotMatch(shortKey.stderr, /abc/);
    const remote = await sendCli(['push', 'text', '--url', 'http://192.168.1.10/wx', '--locale', 'zh-CN'], ENV);
    assert.match(remote.stderr, /^wxmsg: --url 指向 192\.168\.1\.10，不是本机/);
    const kind = await sendCli(['push', 'video', '--url', 'http://127.0.0.1:9/wx', '--locale', 'zh-CN'], ENV);
    assert.equal(kind.code, 2);
    assert.match(kind.stderr, /^wxmsg: 没有 "video" 这种推送：可用 text, image, miniprogrampage, enter\n/);
    // The console's own names stay: 令牌（Token）, EncodingAESKey.
    for (const r of [noToken, shortKey, remote, kind]) assert.deepEqual(englishProse(r.stderr.split('\n')[0], [/（Token，/g, /\bEncodingAESKey\b/g, /\blocalhost\b/g, /可用 [\w, ]+/g]), [], r.stderr);
    // Near miss: the same problems in English.
    const en = await sendCli(['push', 'text', '--url', 'http://127.0.0.1:9/wx'], {});
    assert.match(en.stderr, /^wxmsg: WXMSG_PUSH_TOKEN is not set: every push is signed/);
  });
});

describe('wxmsg demo, wxmsg simulate and wxmsg history in Chinese', () => {
  /** What a command names as it is: users, msgtypes, paths, routes, shell lines. */
  const NAMES = [/https?:\/\/\S+/g, /wxmsg [a-z]+\b/g, /\bexamples\b/g, /\w+\.(?:thumb_media_id|media_id)\b/g, /oWxmsgSim\w+/g, /\b(?:text|image|link|miniprogrampage)\b(?= +→)/g, /examples\/[\w./-]+/g, /(?:GET|POST) \/\S+/g, /custom\/send/g, /\bechostr\b/g, /\bVS Code\b/g, /WXMSG_APPSECRET=\S+/g, /<template>/g, /"[^"]*"/g, /curl .*/g, /(?:\/[\w.-]+)+/g];

  test('demo: the tour in Chinese from start to summary; English unchanged', async () => {
    const zh = await cli(['demo', EXAMPLES, '--locale', 'zh-CN'], process.cwd());
    assert.equal(zh.code, 0, zh.stderr);
    for (const line of [/^wxmsg demo：在本机的微信接口模拟器上走一遍（无需账号，数据不出本机）$/m, /^1\. 模拟器 {5}http:\/\/127\.0\.0\.1:\d+（在本进程中运行，结束时停止）$/m,
      /^ {3}规则：用户发送信息：48小时内可下发 5 条$/m, /^2\. 检查 {7}examples 下共 4 个模板：没有问题$/m, /^3\. 上传 {7}examples\/images\/card-cover\.png → media_id /m,
      /^ {3}✔ examples\/templates\/image\.wxmsg\.json +image +→ oWxmsgSimReadyUser\d+ +errcode 0 请求成功（image\.media_id ← 刚上传的图片）$/m,
      /^ {3}✖ 3\/3  errcode 45047（符合预期），按 wxmsg 的错误码表解读：$/m, /^ {8}原因：/m, /^ {8}处理：/m,
      /^ {3}✔ 文本 "你好" → 已接受：服务器回复了 "success"（\d+ ms，共 1 次）$/m, /^小结：4 个模板检查无错误，上传 1 张图片，下发 7 条消息（模拟器记录 7 条），1 条按设计被拒绝（errcode 45047 客服接口下行条数超过上限）。$/m]) {
      assert.match(zh.stdout, line);
    }
    assert.deepEqual(englishProse(zh.stdout, NAMES), []);
    const en = await cli(['demo', EXAMPLES], process.cwd());
    assert.equal(en.code, 0, en.stderr);
    assert.match(en.stdout, /^1\. Simulator {2}http:\/\/127\.0\.0\.1:\d+ \(in this process, stopped at the end\)$/m);
    assert.match(en.stdout, /^ {3}✖ 3\/3  errcode 45047 \(expected\) — decoded from wxmsg's errcode catalog:$/m);
    assert.match(en.stdout, /^Summary: 4 templates linted without errors, 1 image uploaded, 7 messages delivered \(the simulator recorded 7\), 1 refused as designed \(errcode 45047 /m);
    // Chinese only where it is WeChat's official description or the message itself.
    assert.doesNotMatch(en.stdout, new RegExp(`^(?!.*(?:errcode \\d+|你好|收到|${ERRCODES[45047].zh})).*[\\u3400-\\u9fff]`, 'm'));
    // A near miss: a folder that is not there is a usage error, in the locale.
    const none = await cli(['demo', 'no-such-folder', '--locale', 'zh-CN'], process.cwd());
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^wxmsg: 没有文件夹 no-such-folder\n/);
  });

  test('simulate: the banner and the request log by LANG; usage errors; English unchanged', async () => {
    const run = async (args: string[], env: Record<string, string>) => {
      let stdout = '';
      let stderr = '';
      let stop!: () => void;
      const stopped = new Promise<void>((resolve) => { stop = resolve; });
      let url = '';
      const io = { argv: [], cwd: EXAMPLES, env, stdout: { write: (s: string) => { stdout += s; url ||= /(http:\/\/127\.0\.0\.1:\d+)/.exec(s)?.[1] ?? ''; if (s.includes('/_sim/state')) stop(); return true; } }, stderr: { write: (s: string) => (stderr += s) } };
      const done = runSimulate(['--port', '0', ...args], io, stopped.then(async () => {
        await fetch(`${url}/cgi-bin/token?grant_type=client_credential&appid=${APPID}&secret=${SIM_DEFAULT_SECRET}`);
        // fetch() sets Host itself: a raw request carries another one.
        await new Promise((resolve) => http.get(`${url}/_sim/state`, { headers: { host: 'evil.example' } }, (res) => { res.resume(); res.on('end', resolve); }));
      }));
      return { code: await done, stdout: () => stdout, stderr: () => stderr };
    };
    const zh = await run(['--project', '.'], { LANG: 'zh_CN.UTF-8' });
    assert.equal(zh.code, 0, zh.stderr());
    assert.match(zh.stdout(), /^wxmsg 模拟器正在监听 http:\/\/127\.0\.0\.1:\d+$/m);
    assert.match(zh.stdout(), /^ {2}规则 {5}用户通过客服消息按钮进入会话：1分钟内可下发 2 条；用户发送信息：48小时内可下发 5 条$/m);
    assert.deepEqual(englishProse(zh.stdout(), NAMES), []);
    assert.match(zh.stderr(), /^GET \/cgi-bin\/token → 200$/m);
    assert.match(zh.stderr(), /^GET \/_sim\/state → 403 已拒绝：模拟器只响应 Host 为 localhost:\d+、127\.0\.0\.1 或 \[::1\]（带其端口）的请求，而不是 "evil\.example"$/m);
    const en = await run(['--project', '.'], {});
    assert.match(en.stdout(), /^wxmsg simulator listening on http:\/\/127\.0\.0\.1:\d+$/m);
    assert.match(en.stdout(), /^ {2}app {6}wx1234567890abcdef \(simulator-only AppSecret: wxmsg-simulator-secret\), 3 pages from app\.json$/m);
    assert.match(en.stderr(), /^GET \/_sim\/state → 403 refused: the simulator answers only Host localhost:\d+, 127\.0\.0\.1 or \[::1\] with its port, not "evil\.example"$/m);
    assert.doesNotMatch(en.stdout() + en.stderr(), /[\u3400-\u9fff]/);
    const bad = await runSimulate(['--port', '99999', '--locale', 'zh-CN'], { argv: [], cwd: EXAMPLES, env: {}, stdout: { write: () => true }, stderr: { write: () => true } }, Promise.resolve()).catch((e: Error) => e.message);
    assert.equal(bad, '--port 需要 0 到 65535 之间的数字，而不是 "99999"');
    const window = await runSimulate(['--window-user-message', '48', '--locale', 'zh-CN'], { argv: [], cwd: EXAMPLES, env: {}, stdout: { write: () => true }, stderr: { write: () => true } }, Promise.resolve()).catch((e: Error) => e.message);
    assert.equal(window, '--window-user-message 需要带单位的时长，从 1ms 到 366d（如 60s、48h），而不是 "48"');
  });

  test('history: nothing recorded, the opt-in, a bad --limit; English unchanged', async () => {
    const dir = tmpDir('wxmsg-cli-locale-history-');
    try {
      const none = await cli(['history', '--locale', 'zh-CN'], dir);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /^wxmsg: 在 .* 及其上级目录中没有 wxmsg\.config\.json：只有它设置了 "history": \{"file": "…"\} 时才会记录发送历史\n/);
      fs.writeFileSync(path.join(dir, 'wxmsg.config.json'), '{}');
      const off = await cli(['history'], dir, { LANG: 'zh_CN.UTF-8' });
      assert.match(off.stderr, /没有设置 "history": \{"file": "…"\}：不会记录发送（发送历史需主动开启）/);
      fs.writeFileSync(path.join(dir, 'wxmsg.config.json'), JSON.stringify({ history: { file: 'sends.jsonl' } }));
      const empty = await cli(['history', '--locale', 'zh-CN'], dir);
      assert.equal(empty.code, 0);
      assert.equal(empty.stdout, 'sends.jsonl 中还没有发送记录。\n');
      assert.equal((await cli(['history'], dir)).stdout, 'No sends recorded yet in sends.jsonl.\n');
      const limit = await cli(['history', '--limit', '0', '--locale', 'zh-CN'], dir);
      assert.equal(limit.code, 2);
      assert.match(limit.stderr, /^wxmsg: --limit 需要大于 0 的整数，而不是 "0"\n/);
      for (const r of [none, off, empty, limit]) assert.deepEqual(englishProse(r.stdout + r.stderr.split('\n')[0], [/(?:\/[\w.-]+)+/g, /[\w.-]+\.jsonl\b/g]), [], r.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--help in Chinese', () => {
  const COMMAND_NAMES = ['lint', 'send', 'upload', 'simulate', 'typing', 'media', 'push', 'allow', 'preview', 'history', 'demo'];
  /** A run of four English words: prose, not a name, a flag or a path (those stand alone or in code). */
  const englishRun = (text: string) => text.split('\n').filter((l) => /\b[A-Za-z]+(?:[ ,]+[A-Za-z]+){3,}\b/.test(l.replace(/--?[a-z][\w-]*( <[^>]+>)?|"[^"]*"|https?:\/\/\S+|\$?[A-Z][A-Z0-9_]+|[\w./*-]+\.(?:json|jsonl|html|png)\b|\S*\/\S*/g, ' | ')));

  test('the command list: by --locale and by LANG; English without them', async () => {
    for (const [argv, env] of [[['--help', '--locale', 'zh-CN'], {}], [['help'], { LANG: 'zh_CN.UTF-8' }], [['-h'], { WXMSG_LOCALE: 'zh-CN' }]] as [string[], Record<string, string>][]) {
      const r = await cli(argv, process.cwd(), env);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^wxmsg \S+ — 微信小程序客服消息模板工具\n\n用法：wxmsg <command> \[选项\]\n/);
      assert.match(r.stdout, /^ {2}lint {6}检查 \*\.wxmsg\.json 模板（默认命令）$/m);
      assert.match(r.stdout, /^运行 "wxmsg <command> --help" 查看命令的选项。$/m);
      for (const name of COMMAND_NAMES) assert.match(r.stdout, new RegExp(`^  ${name} +\\S*[\\u3400-\\u9fff]`, 'm'), name);
      assert.deepEqual(englishRun(r.stdout), []);
    }
    // Near misses: an English environment, an unsupported --locale (said in English), --locale en over LANG.
    for (const [argv, env] of [[['--help'], { LANG: 'C.UTF-8' }], [['--help', '--locale', 'fr'], {}], [['--help', '--locale', 'en'], { LANG: 'zh_CN.UTF-8' }]] as [string[], Record<string, string>][]) {
      const r = await cli(argv, process.cwd(), env);
      assert.match(r.stdout, /^wxmsg \S+ — WeChat Mini Program customer-service message templates\n\nUsage: wxmsg <command> \[options\]\n/, JSON.stringify(argv));
      assert.match(r.stdout, /^ {2}lint {6}check \*\.wxmsg\.json templates \(default command\)$/m);
      assert.doesNotMatch(r.stdout, /[\u3400-\u9fff]/);
    }
  });

  test('each command\'s --help in Chinese, and in English without a Chinese locale', async () => {
    for (const name of COMMAND_NAMES) {
      const argv = name === 'media' ? ['media', 'get', '--help'] : [name, '--help'];
      const zh = await cli(argv, process.cwd(), { LANG: 'zh_CN.UTF-8' });
      assert.equal(zh.code, 0, `${name}: ${zh.stderr}`);
      assert.match(zh.stdout, new RegExp(`^用法：wxmsg ${name}\\b`), name);
      const en = await cli(argv, process.cwd(), {});
      assert.match(en.stdout, new RegExp(`^Usage: wxmsg ${name}\\b`), name);
      // The exit codes where the English help has them (simulate runs until stopped).
      assert.equal(/^退出码：/m.test(zh.stdout), /^Exit codes: /m.test(en.stdout), name);
      // The README's section titles are quoted as they are (the README is English).
      assert.deepEqual(englishRun(zh.stdout.replace(/“[^”]*”/g, '')), [], name);
      // The check catches English prose: the English help has it.
      assert.notDeepEqual(englishRun(en.stdout), [], name);
      // Chinese only in the default message of wxmsg push (你好).
      assert.doesNotMatch(en.stdout.replace(/你好/g, ''), /[\u3400-\u9fff]/, name);
    }
    // The flag on the command line wins: --locale zh-CN after --help too.
    assert.match((await cli(['send', '--help', '--locale', 'zh-CN'], process.cwd())).stdout, /^用法：wxmsg send/);
  });
});

describe('the frame\'s last English lines in Chinese: NODE_DEBUG, --token-endpoint token, a mapped --host', () => {
  test('each in Chinese by --locale or LANG, and in English without them', async () => {
    const env = { WXMSG_APPSECRET: SIM_DEFAULT_SECRET, WXMSG_API_BASE: 'http://127.0.0.1:9' };
    const debug = await cli(['send', WELCOME, '--to', SIM_USERS.ready[0], '--locale', 'zh-CN'], path.resolve(EXAMPLES), { ...env, NODE_DEBUG: 'undici' });
    assert.equal(debug.code, 2);
    assert.match(debug.stderr, /^wxmsg: NODE_DEBUG 中含有 undici：Node 会在每个请求中打印 access_token。请取消设置 NODE_DEBUG（或去掉这些名称）后重新运行\n/);
    assert.deepEqual(englishProse(debug.stderr.split('\n')[0], [/\bundici\b/g, /\bNode\b/g]), []);
    const debugEn = await cli(['send', WELCOME, '--to', SIM_USERS.ready[0]], path.resolve(EXAMPLES), { ...env, NODE_DEBUG: 'undici' });
    assert.match(debugEn.stderr, /^wxmsg: NODE_DEBUG names undici: Node would print the access token with every request\. Unset NODE_DEBUG \(or remove it\) and run again\n/);
    // A near miss: NODE_DEBUG naming nothing that prints the token is no refusal.
    assert.doesNotMatch((await cli(['send', WELCOME, '--to', SIM_USERS.ready[0], '--locale', 'zh-CN'], path.resolve(EXAMPLES), { ...env, NODE_DEBUG: 'module' })).stderr, /NODE_DEBUG/);

    const plain = await cli(['send', WELCOME, '--to', SIM_USERS.ready[0], '--token-endpoint', 'token'], path.resolve(EXAMPLES), { ...env, LANG: 'zh_CN.UTF-8' });
    assert.equal(plain.code, 2);
    assert.match(plain.stderr, /^wxmsg: 未发送：--token-endpoint token 在非交互运行时需要 --yes$/m);
    const plainEn = await cli(['send', WELCOME, '--to', SIM_USERS.ready[0], '--token-endpoint', 'token'], path.resolve(EXAMPLES), env);
    assert.match(plainEn.stderr, /^wxmsg: not sent: --token-endpoint token needs --yes when wxmsg does not run in a terminal$/m);

    const io = { argv: [], cwd: EXAMPLES, env: {}, stdout: { write: () => true }, stderr: { write: () => true } };
    const mapped = await runSimulate(['--host', '::ffff:127.0.0.1', '--locale', 'zh-CN'], io, Promise.resolve()).catch((e: Error) => e.message);
    assert.equal(mapped, '--host ::ffff:127.0.0.1 是 IPv4 映射的 IPv6 地址，模拟器不在其上监听：请用 --host 127.0.0.1（IPv6 用 ::1）');
  });
});

describe('vars files, --var and history.file in Chinese', () => {
  test('a bad --var, a vars file that is not an object, a history.file that is not a path; English unchanged', async () => {
    const dir = tmpDir('wxmsg-cli-locale-vars-');
    try {
      fs.writeFileSync(path.join(dir, 'project.config.json'), JSON.stringify({ appid: APPID }));
      fs.writeFileSync(path.join(dir, 'hi.wxmsg.json'), JSON.stringify({ touser: OPENID, msgtype: 'text', text: { content: '你好 {{name}}' } }));
      const env = { WXMSG_APPSECRET: SIM_DEFAULT_SECRET, WXMSG_API_BASE: 'http://127.0.0.1:9' };
      const flag = await cli(['send', 'hi.wxmsg.json', '--to', OPENID, '--var', 'name', '--locale', 'zh-CN'], dir, env);
      assert.equal(flag.code, 2);
      assert.match(flag.stderr, /^wxmsg: --var 需要 name=value 的形式，而不是 "name"\n/);
      const flagEn = await cli(['send', 'hi.wxmsg.json', '--to', OPENID, '--var', 'name'], dir, env);
      assert.match(flagEn.stderr, /^wxmsg: --var needs name=value, not "name"\n/);
      fs.writeFileSync(path.join(dir, 'v.json'), '[1]');
      const file = await cli(['send', 'hi.wxmsg.json', '--to', OPENID, '--vars', 'v.json', '--locale', 'zh-CN'], dir, env);
      assert.equal(file.code, 2);
      assert.match(file.stderr, /^wxmsg: 未发送：--vars v\.json 必须是一个由变量名到取值的 JSON 对象\n/);
      // A near miss: a vars file that is an object is taken (the send goes on to the network, which is closed).
      fs.writeFileSync(path.join(dir, 'v.json'), JSON.stringify({ name: '小明' }));
      assert.doesNotMatch((await cli(['send', 'hi.wxmsg.json', '--to', OPENID, '--vars', 'v.json', '--locale', 'zh-CN'], dir, env)).stderr, /v\.json/);
      fs.writeFileSync(path.join(dir, 'wxmsg.config.json'), JSON.stringify({ history: { file: 3 } }));
      const history = await cli(['history', '--locale', 'zh-CN'], dir);
      assert.equal(history.code, 2);
      assert.match(history.stderr, /^wxmsg: .*wxmsg\.config\.json 中的 "history\.file" 必须是文件路径（字符串）\n/);
      for (const r of [flag, file, history]) assert.deepEqual(englishProse(r.stderr.split('\n')[0], [/(?:\/[\w.-]+)+/g, /name=value/g]), [], r.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
