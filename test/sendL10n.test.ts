// The editor's send results in both languages (issue 15): present.ts through a translator made
// from l10n/bundle.l10n.zh-cn.json (what vscode.l10n does with it in a Chinese VS Code) and the
// decoded errcode words from the typed catalog. WeChat's errmsg is never translated: an unknown
// errcode shows it verbatim as the only description, a known one shows the decoded Chinese and
// then the errmsg. SendService, in Chinese, against the simulator on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  editorLocale, ENGLISH_SPEECH, failureLabel, refusalText, sendingView, viewForFailure, viewForMedia, viewForSend, viewForTyping, viewForUpload,
} from '../client/src/send/present.ts';
import { SendService } from '../client/src/send/sendService.ts';
import { decodeResult } from '../server/src/core/facts/errcodes.ts';
import type { Diagnostic } from '../server/src/core/types.ts';
import { decodedLines } from '../server/src/wechat/decodedLines.ts';
import type { SendResult } from '../server/src/wechat/apiClient.ts';
import { SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET, SIM_USERS, Simulator } from '../server/src/simulator/simulator.ts';
import { englishProse } from './prose.ts';
import { MapSecrets, MapState, prepared } from './sendHelpers.ts';
import { CHINESE, ZH } from './zhSpeech.ts';

const USER = SIM_USERS.ready[0];
const AT = new Date(2026, 10, 26, 14, 3, 0);
const stats = { attempts: 1, tokenRequests: 1, tokenRefreshed: false };
const ctx = { openId: USER, host: '127.0.0.1:9', appid: SIM_DEFAULT_APPID, at: AT };
/** WeChat's own words for 45015, as the simulator answers them (verbatim, never translated). */
const ERRMSG_45015 = 'response out of time limit or subscription is canceled';
const RID = '6791c969-2df2b561-5de66934';
const CJK = /[\u4e00-\u9fff]/;
/** What may stay Latin in Chinese text: WeChat's errmsg (verbatim), the host and masked OpenID. */
const VERBATIM = [new RegExp(ERRMSG_45015), /something new happened/g, /oWx…0001/g, /\b127\.0\.0\.1:\d+/g,
  // Names that are not translated: the API, UTC, WeChat's getRidInfo, setTyping's commands, the credential.
  /\bAPI\b/g, /\bUTC\b/g, /getRidInfo/g, /\b(Cancel)?Typing\b/g, /\baccess token\b/g];

describe('send results in Chinese (present.ts with the zh-cn bundle)', () => {
  test('a known errcode: the decoded Chinese (official text, cause, action) plus WeChat\'s errmsg verbatim', () => {
    const d = decodeResult(45015, `${ERRMSG_45015} rid: ${RID}`, undefined, 'zh-cn');
    const v = viewForSend({ status: 'api-error', decoded: d, ...stats }, ctx, ZH);
    assert.equal(v.lens, `✗ 45015 ${d.description}`);
    assert.match(v.lens, CJK);
    const lines = v.message.split('\n');
    assert.equal(lines[0], `微信 API errcode 45015：${d.description}`);
    assert.match(d.cause!, CJK, 'the catalog\'s Chinese cause');
    assert.ok(lines.includes(`原因：${d.cause}。`), v.message);
    assert.ok(lines.includes(`处理：${d.action}。`), v.message);
    assert.ok(lines.includes(`微信原文：${ERRMSG_45015}`), 'the errmsg, verbatim');
    assert.ok(lines.includes(`rid：${RID}（联系微信技术支持或调用 getRidInfo 时请提供）`), v.message);
    assert.ok(!v.message.includes(d.en), 'no English line in Chinese');
    assert.deepEqual(englishProse(v.message, VERBATIM), []);
    assert.equal(v.notify, `微信返回 errcode 45015：${d.description}。 处理：${d.action}。 微信原文：${ERRMSG_45015}`);
  });

  test('near miss: an unknown errcode shows WeChat\'s errmsg verbatim as its only description, no cause made up', () => {
    const d = decodeResult(99999, 'something new happened', undefined, 'zh-cn');
    const v = viewForSend({ status: 'api-error', decoded: d, ...stats }, ctx, ZH);
    assert.equal(v.lens, '✗ 99999 something new happened');
    assert.equal(v.message.split('\n')[0], '微信 API errcode 99999（不在 wxmsg 的错误码表中）：something new happened');
    assert.doesNotMatch(v.message, /原因|处理|微信原文/);
    assert.equal(v.notify, '微信返回 errcode 99999：something new happened。');
    // Without an errmsg at all: said so, in Chinese.
    const bare = viewForSend({ status: 'api-error', decoded: decodeResult(99998, '', undefined, 'zh-cn'), ...stats }, ctx, ZH);
    assert.equal(bare.lens, '✗ 99998 未知错误');
    assert.match(bare.message, /：（没有 errmsg）/);
    assert.equal(bare.notify, '微信返回 errcode 99998：未知错误。');
  });

  test('the same answers in English keep the English line and say "What to do" and "errmsg"', () => {
    const d = decodeResult(45015, ERRMSG_45015);
    const v = viewForSend({ status: 'api-error', decoded: d, ...stats }, ctx);
    assert.equal(v.message.split('\n')[0], `WeChat API errcode 45015: ${d.description}`);
    assert.ok(v.message.includes(`\n${d.en}\n`));
    assert.ok(v.message.includes(`Cause: ${d.cause}.`) && v.message.includes(`What to do: ${d.action}.`) && v.message.includes(`errmsg: ${ERRMSG_45015}`));
    assert.equal(v.notify, `WeChat answered errcode 45015: ${d.description} (${d.en}). What to do: ${d.action}. errmsg: ${ERRMSG_45015}`);
    assert.doesNotMatch(v.message.replace(d.description, ''), CJK);
    const unknown = viewForSend({ status: 'api-error', decoded: decodeResult(99999, 'something new happened'), ...stats }, ctx);
    assert.equal(unknown.notify, 'WeChat answered errcode 99999: something new happened.');
  });

  test('success, cancel, delivery unknown, a failure, the sending lens: all Chinese', () => {
    const sent = viewForSend({ status: 'sent', decoded: decodeResult(0, 'ok', undefined, 'zh-cn'), ...stats, tokenRefreshed: true }, ctx, ZH);
    assert.equal(sent.lens, '✓ 14:03 已发送给 oWx…0001');
    assert.equal(sent.notify, `已于 14:03 发送给 oWx…0001（经由 127.0.0.1:9，appid ${SIM_DEFAULT_APPID}）。`);
    assert.match(sent.message, /access token 已过期或被拒绝/);
    const cancelled = viewForFailure({ kind: 'cancelled', message: 'x', deliveryUnknown: false }, ctx, undefined, ZH);
    assert.equal(cancelled.lens, '○ 14:03 已取消：没有发送任何内容');
    const late = viewForFailure({ kind: 'cancelled', message: 'x', deliveryUnknown: true }, ctx, undefined, ZH);
    assert.equal(late.lens, '? 14:03 发给 oWx…0001 的消息送达情况未知：请求发出后才取消');
    assert.equal(late.notify, '请求发出后才取消：发给 oWx…0001 的消息是否送达未知。');
    const refused = viewForFailure({ kind: 'refused', message: 'connect ECONNREFUSED', deliveryUnknown: false }, ctx, undefined, ZH);
    assert.equal(refused.lens, '✗ 未发送：连接被拒绝');
    assert.equal(failureLabel({ kind: 'http', status: 502, message: '', deliveryUnknown: false }, CHINESE), 'HTTP 502');
    assert.equal(sendingView(ctx, ZH).lens, '$(sync~spin) 正在发送给 oWx…0001…（取消）');
    for (const v of [sent, cancelled, late]) assert.deepEqual(englishProse(`${v.lens}\n${v.message}\n${v.notify}`, VERBATIM), [], v.lens);
  });

  test('a token refused with an errcode: the decoded Chinese in the lens and the notification', () => {
    const d = decodeResult(40125, 'invalid appsecret', undefined, 'zh-cn');
    const v = viewForFailure({ kind: 'credentials', message: 'the token request was refused', deliveryUnknown: false }, ctx, d, ZH);
    assert.equal(v.lens, `✗ 40125 ${d.description} （access token）`);
    assert.ok(v.notify.startsWith(`微信返回 errcode 40125：${d.description}。 处理：`), v.notify);
    assert.ok(v.notify.includes('微信原文：invalid appsecret'));
  });

  test('the refusal of a template with errors, upload, typing and media results', () => {
    const diag = (line: number, message: string): Diagnostic => ({ range: { start: { line, character: 2 }, end: { line, character: 5 } }, severity: 1, code: 'wxmsg/missing-body', source: 'wxmsg', message });
    const one = refusalText([diag(3, '缺少 text')], 5, new Map(), CHINESE);
    assert.equal(one, '未发送：模板有 1 个错误。请先修正：\n第 4 行第 3 列：缺少 text (wxmsg/missing-body)');
    const many = refusalText([diag(1, 'a'), diag(2, 'b'), diag(3, 'c')], 2, new Map(), CHINESE);
    assert.match(many, /^未发送：模板有 3 个错误。请先修正：\n/);
    assert.match(many, /… 还有 1 个$/);
    const expiresAt = Date.UTC(2026, 10, 29, 6, 3);
    const up = viewForUpload({ status: 'uploaded', mediaId: 'MEDIA', type: 'image', expiresAt, decoded: decodeResult(0), ...stats }, { host: 'h:1', fileName: 'a.png', at: AT }, undefined, ZH);
    assert.equal(up.message, '已通过 h:1 上传 a.png；media_id 已复制到剪贴板。临时素材 3 天后过期（2026-11-29 06:03 UTC）：过期后请重新上传。');
    const typing = viewForTyping({ status: 'api-error', decoded: decodeResult(45081, 'already typing', undefined, 'zh-cn'), ...stats }, { host: 'h:1', openId: USER, command: 'Typing' }, ZH);
    assert.match(typing.message, /^Typing 被拒绝：微信 API errcode 45081：.* 原因：.* 处理：.* 微信原文：already typing$/);
    const media = viewForMedia({ status: 'api-error', decoded: decodeResult(40007, 'invalid media_id', undefined, 'zh-cn'), ...stats }, { host: 'h:1', mediaId: 'M' }, ZH);
    assert.match(media.message, /^下载失败：微信 API errcode 40007：/);
    assert.deepEqual(englishProse([one, up.message, typing.message, media.message].join('\n'), [...VERBATIM, /already typing|invalid media_id|缺少 text|h:1|wxmsg upload/g]), []);
  });

  test('the display language picks the catalog words: zh-cn only (the one bundle there is)', () => {
    assert.equal(editorLocale('zh-cn'), 'zh-cn');
    assert.equal(editorLocale('zh-CN'), 'zh-cn');
    for (const other of ['zh-tw', 'en', 'en-us', 'de', '', undefined]) assert.equal(editorLocale(other), 'en', String(other));
    // The two sides agree: in English the decoded lines are the catalog's English ones.
    const d = decodeResult(40003, 'invalid openid');
    assert.deepEqual(viewForSend({ status: 'api-error', decoded: d, ...stats }, ctx, ENGLISH_SPEECH).message.split('\n').slice(0, 5), decodedLines(d, 'editor', 'en'));
  });
});

describe('SendService in Chinese (the simulator on 127.0.0.1)', () => {
  let sim: Simulator;
  before(async () => { sim = await Simulator.start(); });
  after(async () => { await sim.close(); });

  const TEMPLATE = '{ "touser": "OPENID", "msgtype": "text", "text": { "content": "你好" } }';

  test('a 45015 from WeChat is decoded in Chinese end to end; the errmsg stays as WeChat wrote it', async () => {
    sim.reset();
    const lines: string[] = [];
    const svc = new SendService(new MapSecrets(), new MapState(), (l) => lines.push(l), { backoffMs: 1, delay: async () => {} }, undefined, ZH);
    const stored = await svc.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET);
    assert.equal(stored, `appid ${SIM_DEFAULT_APPID} 的 AppSecret 已保存到 VS Code 的机密存储中。`);
    const out = await svc.send({ ...prepared(TEMPLATE), fileName: 'hi.wxmsg.json', openId: SIM_USERS.stale, appid: SIM_DEFAULT_APPID, api: { base: sim.url, timeoutMs: 2000 } });
    assert.equal(out.view.state, 'api-error', out.view.message);
    assert.equal(out.view.code, 45015);
    const d = (out.result as Extract<SendResult, { status: 'api-error' }>).decoded;
    assert.match(d.cause!, CJK, 'the client decoded the cause in Chinese');
    assert.match(out.view.notify, /^微信返回 errcode 45015：.*。 处理：.*。 微信原文：/);
    assert.ok(out.view.notify.endsWith(`微信原文：${d.errmsg}`) && !CJK.test(d.errmsg), 'WeChat\'s errmsg, verbatim');
    assert.match(out.view.message, /（\d+ 毫秒；custom\/send 请求：1 次；token 请求：1 次）$/);
    assert.ok(lines.some((l) => l.startsWith('正在发送 hi.wxmsg.json（text）')), lines.join('\n'));
    // Near miss: the same service in English (the default) says it in English.
    const en = new SendService(new MapSecrets(), new MapState(), () => {}, { backoffMs: 1, delay: async () => {} });
    await en.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET);
    const enOut = await en.send({ ...prepared(TEMPLATE), fileName: 'hi.wxmsg.json', openId: SIM_USERS.stale, appid: SIM_DEFAULT_APPID, api: { base: sim.url, timeoutMs: 2000 } });
    assert.match(enOut.view.notify, /^WeChat answered errcode 45015: .*\(.*\)\. What to do: /);
    assert.doesNotMatch(enOut.view.message.replace(/^.*\n/, ''), CJK);
  });

  test('refusals and credential errors in Chinese', async () => {
    const svc = new SendService(new MapSecrets(), new MapState(), () => {}, {}, undefined, ZH);
    const none = await svc.send({ ...prepared(TEMPLATE), fileName: 'hi.wxmsg.json', openId: USER, appid: SIM_DEFAULT_APPID, api: { base: sim.url, timeoutMs: 2000 } });
    assert.equal(none.view.lens, '✗ 未发送：没有凭据');
    assert.equal(none.view.notify, `未发送：没有为 appid ${SIM_DEFAULT_APPID} 保存 AppSecret 或 access token。请运行“微信: 设置 AppSecret”（或“微信: 设置 Access Token”）。`);
    await assert.rejects(svc.setAppSecret(SIM_DEFAULT_APPID, 'fifteen-chars-x'), (e: Error) => e.message.startsWith('15 个字符的 AppSecret 太短') && !e.message.includes('fifteen-chars-x'));
    assert.equal(await svc.clearCredentials(), '没有保存的凭据；缓存的 access token 已清除。');
  });
});
