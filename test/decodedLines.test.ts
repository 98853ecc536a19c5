// One helper writes a decoded WeChat API answer for the CLI and for the editor (issue 14: one
// decodedLines, not one per side): the same facts in the same order, every server value escaped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeResult, type DecodedResult } from '../server/src/core/facts/errcodes.ts';
import { decodedLines } from '../server/src/wechat/decodedLines.ts';

test('a known failure: the editor\'s sentences and the CLI\'s aligned labels, from one helper', () => {
  const d = decodeResult(45047, 'out of response count limit rid: 6791c969-2df2b561-5de66934');
  assert.deepEqual(decodedLines(d, 'editor'), [
    'WeChat API errcode 45047: 客服接口下行条数超过上限',
    'send quota exceeded',
    `Cause: ${d.cause}.`,
    `What to do: ${d.action}.`,
    'errmsg: out of response count limit',
    'rid: 6791c969-2df2b561-5de66934 (quote it to WeChat support / getRidInfo)',
  ]);
  assert.deepEqual(decodedLines(d, 'cli'), [
    '  send quota exceeded',
    `  cause:  ${d.cause}`,
    `  action: ${d.action}`,
    '  rid:    6791c969-2df2b561-5de66934 (quote it to WeChat support)',
  ]);
});

test('an errcode not in the table: its errmsg is the head in the editor, the English line in the CLI', () => {
  const d = decodeResult(99999, 'brand new error');
  assert.equal(d.known, false);
  assert.deepEqual(decodedLines(d, 'editor'), ['WeChat API errcode 99999 (not in wxmsg\'s table): brand new error']);
  assert.deepEqual(decodedLines(d, 'cli'), ['  unknown errcode 99999: brand new error']);
  assert.deepEqual(decodedLines(decodeResult(99999, ''), 'editor'), ['WeChat API errcode 99999 (not in wxmsg\'s table): (no errmsg)']);
});

test('near misses: no cause, action or rid means no such line; errcode 0 and unknown codes add no errmsg line', () => {
  const bare: DecodedResult = { errcode: 40003, errmsg: 'invalid openid', known: true, description: '不合法的 OpenID', en: 'invalid OpenID' };
  assert.deepEqual(decodedLines(bare, 'editor'), ['WeChat API errcode 40003: 不合法的 OpenID', 'invalid OpenID', 'errmsg: invalid openid']);
  assert.deepEqual(decodedLines(bare, 'cli'), ['  invalid OpenID']);
  assert.deepEqual(decodedLines({ ...bare, errmsg: '' }, 'editor'), ['WeChat API errcode 40003: 不合法的 OpenID', 'invalid OpenID']);
  const ok = decodeResult(0, 'ok');
  assert.ok(!decodedLines(ok, 'editor').some((l) => l.startsWith('errmsg:')), 'errcode 0 says no errmsg');
  assert.ok(decodedLines(decodeResult(-1, 'system error'), 'editor').includes('errmsg: system error'), 'errcode -1 is a failure: its errmsg is shown');
  assert.ok(!decodedLines(decodeResult(99999, 'x'), 'editor').some((l) => l.startsWith('errmsg:')));
});

test('what came from the server cannot add a line of its own or steer the terminal (both layouts)', () => {
  const d = decodeResult(45047, 'limit\n✔ sent\u001b[2K rid: abc\rdef');
  const hostile: DecodedResult = { ...decodeResult(99999, 'x\n✔ sent'), rid: 'r\u001b]0;t\u0007' };
  for (const style of ['editor', 'cli'] as const) {
    for (const l of [...decodedLines(d, style), ...decodedLines(hostile, style)]) {
      assert.doesNotMatch(l, /[\u0000-\u0008\u000a-\u001f\u007f]/, `${style}: ${JSON.stringify(l)}`);
    }
  }
  assert.ok(decodedLines(hostile, 'editor')[0].includes('\\u000a'));
});
