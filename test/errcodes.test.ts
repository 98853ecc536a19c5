import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeResult, ERRCODES, errcodeTable, splitRid, summarize } from '../server/src/core/facts/errcodes.ts';
import { ERRCODE_FACTS } from './fixtures/errcodeFacts.ts';
import { DELIVERY_RULES, describeRules, formatWindow, ruleFor, withOverrides } from '../server/src/core/facts/deliveryRules.ts';

/**
 * The catalog against the documented codes (test/fixtures/errcodeFacts.ts, each group with its
 * source), so the test runs on every clone.
 */
test('the catalog holds every documented errcode, each with zh, en, cause and action', () => {
  const codes = ERRCODE_FACTS.flatMap((g) => g.codes);
  assert.equal(new Set(codes).size, codes.length, 'each code is listed once');
  assert.ok(codes.length >= 50, `${codes.length} codes`);
  for (const g of ERRCODE_FACTS) if (g.url) assert.match(g.url, /^https:\/\//, g.source);
  for (const c of codes) {
    const info = ERRCODES[c];
    assert.ok(info, `errcode ${c} is in the catalog`);
    for (const k of ['zh', 'en', 'cause', 'action'] as const) assert.ok(info[k].trim().length > 0, `${c}.${k}`);
    assert.match(info.zh, /[\u4e00-\u9fff]/, `${c} has a Chinese description`);
  }
  // The send page's own codes are marked as such (their Chinese text is the page's).
  const seed = ERRCODE_FACTS.find((g) => g.url?.endsWith('/custommsg/conversation.html'))!;
  for (const c of seed.codes) assert.equal(ERRCODES[c].source, 'seed', `${c}`);
});

test('the seed codes carry the official Chinese text', () => {
  assert.equal(ERRCODES[45047].zh, '客服接口下行条数超过上限');
  assert.equal(ERRCODES[45015].zh, '回复时间超过限制');
  assert.equal(ERRCODES[-1].zh, '系统繁忙，此时请开发者稍候再试');
  for (const c of [-1, 0, 40001, 40002, 40003, 45015, 45047, 48001]) assert.equal(ERRCODES[c].source, 'seed');
});

test('decodeResult splits the request id out of errmsg', () => {
  const d = decodeResult(40003, 'invalid openid rid: 6791c969-2df2b561-5de66934');
  assert.equal(d.rid, '6791c969-2df2b561-5de66934');
  assert.equal(d.errmsg, 'invalid openid');
  assert.equal(d.known, true);
  assert.equal(d.description, ERRCODES[40003].zh);
  assert.equal(d.en, 'invalid OpenID');
  assert.equal(summarize(d), `40003 ${ERRCODES[40003].zh}`);
  assert.deepEqual(splitRid('ok'), { message: 'ok' });
  assert.deepEqual(splitRid('a, rid: 1-2-3 tail'), { message: 'a tail', rid: '1-2-3' });
});

test('unknown codes keep the raw errcode and errmsg', () => {
  const d = decodeResult(99999, 'something odd rid: abc-def');
  assert.equal(d.known, false);
  assert.equal(d.errcode, 99999);
  assert.equal(d.errmsg, 'something odd');
  assert.equal(d.rid, 'abc-def');
  assert.equal(d.description, 'something odd');
  assert.match(d.en, /99999/);
  assert.equal(d.cause, undefined);
  assert.equal(summarize(d), '99999 something odd');
  // Object prototype names are not codes.
  assert.equal(decodeResult(Number('constructor') as number, 'x').known, false);
});

test('delivery rules: current official values, one table, overridable', () => {
  assert.equal(ruleFor('enter-session').maxMessages, 2);
  assert.equal(ruleFor('enter-session').windowMs, 60_000);
  assert.equal(ruleFor('user-message').maxMessages, 5);
  assert.equal(ruleFor('user-message').windowMs, 48 * 3_600_000);
  assert.equal(formatWindow(48 * 3_600_000), '48 hours');
  assert.equal(formatWindow(60_000), '1 minute');
  assert.equal(formatWindow(60_000, 'zh-cn'), '1分钟');
  const custom = withOverrides({ 'user-message': { maxMessages: 3 }, 'enter-session': { maxMessages: -1 } });
  assert.equal(ruleFor('user-message', custom).maxMessages, 3);
  assert.equal(ruleFor('enter-session', custom).maxMessages, 2, 'a negative override is ignored');
  assert.equal(DELIVERY_RULES.length, 2);
  assert.deepEqual(describeRules(), [
    'the user enters the chat through the customer-service button → 2 messages within 1 minute',
    'the user sends a message → 5 messages within 48 hours',
  ]);
});

test('45015 / 45047 texts read the delivery-rules table', () => {
  assert.match(ERRCODES[45047].cause, /5 messages within 48 hours/);
  assert.match(ERRCODES[45047].cause, /2 within 1 minute/);
  assert.match(ERRCODES[45015].cause, /48 hours/);
  const rules = withOverrides({ 'user-message': { maxMessages: 3, windowMs: 24 * 3_600_000 } });
  assert.match(errcodeTable(rules)[45047].cause, /3 messages within 24 hours/);
  assert.match(decodeResult(45047, 'out of response count limit', rules).cause!, /3 messages within 24 hours/);
  assert.match(decodeResult(45015, 'x', rules).cause!, /24 hours/);
});

test('40101 is the sub-merchant endpoint\'s missing businessid, not a wrong URL', () => {
  const info = ERRCODES[40101];
  assert.match(info.cause, /custom\/business\/send/);
  assert.match(info.cause, /sub-merchant/);
  assert.match(info.cause, /businessid/);
  assert.match(info.action, /businessid/);
  assert.doesNotMatch(`${info.cause} ${info.action}`, /wrong URL|doc mistake/i);
  assert.equal(info.zh, '缺少参数');
});

test('the codes users of this API see carry zh, en, cause, action and WeChat\'s errmsg', () => {
  const expected: Record<number, string> = {
    61016: 'function category of API need be confirmed by component',
    61007: 'api is unauthorized to component',
    43002: 'require POST method',
    44001: 'empty media data',
    40200: 'invalid account type',
    40164: 'invalid ip, not in whitelist',
    61004: 'access clientip is not registered',
  };
  for (const [code, errmsg] of Object.entries(expected)) {
    const info = ERRCODES[Number(code)];
    assert.ok(info, `errcode ${code} is in the catalog`);
    for (const k of ['zh', 'en', 'cause', 'action'] as const) assert.ok(info[k].trim().length > 0, `${code}.${k}`);
    assert.match(info.zh, /[\u4e00-\u9fff]/, `${code} has a Chinese description`);
    assert.equal(info.errmsg, errmsg, `${code} errmsg`);
    const d = decodeResult(Number(code), `${errmsg} rid: 1a2b-3c4d`);
    assert.equal(d.known, true);
    assert.equal(d.errmsg, errmsg);
    assert.equal(d.rid, '1a2b-3c4d');
  }
  assert.match(ERRCODES[61016].en, /third-party platform/);
  assert.match(ERRCODES[61007].en, /third-party platform/);
  assert.match(ERRCODES[43002].cause, /POST/);
  assert.match(ERRCODES[44001].cause, /empty/);
});

test('the request id is found in the older hint formats too', () => {
  assert.deepEqual(splitRid('invalid credential, access_token is invalid or not latest hint: [IVHYVA0391ge31]'),
    { message: 'invalid credential, access_token is invalid or not latest', rid: 'IVHYVA0391ge31' });
  assert.deepEqual(splitRid('invalid code, hints: [ req_id: 6EkbY7aLRa-se8T9 ]'), { message: 'invalid code', rid: '6EkbY7aLRa-se8T9' });
  assert.deepEqual(splitRid('code been used, hints: [ req_id: uHgEgP.Ce-H8C1Va ]'), { message: 'code been used', rid: 'uHgEgP.Ce-H8C1Va' });
  assert.deepEqual(splitRid('access_token missing, hints: [ req_id: 7_5aDa0305th56 ]'), { message: 'access_token missing', rid: '7_5aDa0305th56' });
  assert.deepEqual(splitRid('invalid openid rid: 6791c969-2df2b561-5de66934'), { message: 'invalid openid', rid: '6791c969-2df2b561-5de66934' });
  // Both spellings in one answer: the rid wins, both are taken out of the message.
  assert.deepEqual(splitRid('invalid media_id hint: [abc123] rid: 6791c969-2df2b561'), { message: 'invalid media_id', rid: '6791c969-2df2b561' });
  // Near misses: words in brackets, an unclosed bracket, "hint" without a colon are no request id.
  assert.deepEqual(splitRid('data format error hint: [touser missing]'), { message: 'data format error hint: [touser missing]' });
  assert.deepEqual(splitRid('invalid code, hints: [ req_id: abc'), { message: 'invalid code, hints: [ req_id: abc' });
  assert.deepEqual(splitRid('hint [IVHYVA0391ge31]'), { message: 'hint [IVHYVA0391ge31]' });
  assert.deepEqual(splitRid('chint: [IVHYVA0391ge31]'), { message: 'chint: [IVHYVA0391ge31]' });
  const d = decodeResult(40001, 'invalid credential, access_token is invalid or not latest hint: [IVHYVA0391ge31]');
  assert.equal(d.rid, 'IVHYVA0391ge31');
  assert.equal(d.errmsg, 'invalid credential, access_token is invalid or not latest');
});

test('45015 / 45047 state that allowances do not add up', () => {
  assert.match(ERRCODES[45047].cause, /do not add up/);
  // A user who messaged (5) and then entered (2) has 5 left, not 7.
  assert.match(ERRCODES[45047].cause, /still has 5, not 7/);
  assert.match(ERRCODES[45047].action, /raises the messages left to 5/);
  assert.doesNotMatch(ERRCODES[45047].action, /resets/);
  assert.match(ERRCODES[45015].cause, /do not add up/);
  assert.match(ERRCODES[45015].cause, /later of the current one and now \+ its window/);
  const rules = withOverrides({ 'enter-session': { maxMessages: 7 } });
  assert.match(errcodeTable(rules)[45047].cause, /still has 7, not 12/);
});
