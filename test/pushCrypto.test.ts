import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { createRequire } from 'node:module';
import { msgSignature, sameSignature, sha1Signature, urlSignature } from '../server/src/wechat/push/signature.ts';
import { PaddingError, pkcs7Pad, pkcs7Unpad } from '../server/src/wechat/push/pkcs7.ts';
import { DecryptError, decryptMessage, encryptMessage, parseEncodingAesKey, PushKeyError } from '../server/src/wechat/push/crypto.ts';
import { buildPush, parseFlatXml, pushFields, toJson, toXml, verificationQuery, type PushFormat, type PushMode } from '../server/src/wechat/push/message.ts';

// wechat-crypto (node-webot, used by co-wechat): an independent implementation to check against.
const WXBizMsgCrypt = createRequire(__filename)('wechat-crypto') as new (token: string, key: string, id: string) => {
  getSignature(timestamp: string, nonce: string, encrypt: string): string;
  encrypt(text: string): string;
  decrypt(text: string): { message: string; id: string };
};

// The worked example of miniprogram/dev/framework/server-ability/message-push.html.
const OFFICIAL = {
  token: 'AAAAA',
  aesKey: 'A'.repeat(43),
  appid: 'wxba5fad812f8e6fb9',
  verify: { timestamp: '1714036504', nonce: '1514711492', signature: 'f464b24fc39322e44b38aa78f5edd27bd1441696' },
  plain: { timestamp: '1714037059', nonce: '486452656', signature: '899cf89e464efb63f54ddac96b0a0a235f53aa78' },
  safe: {
    timestamp: '1714112445', nonce: '415670741',
    signature: '6c5c811b55cc85e0e1b54100749188c20beb3f5d', msgSignature: '046e02f8204d34f8ba5fa3b1db94908f3df2e9b3',
    encrypt: '+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=',
    random: 'a8eedb185eb2fecf',
    message: '{"ToUserName":"gh_97417a04a28d","FromUserName":"o9AgO5Kd5ggOC-bXrbNODIiE3bGY","CreateTime":1714112445,"MsgType":"event","Event":"debug_demo","debug_str":"hello world"}',
  },
  reply: {
    random: '707722b803182950', message: '{"demo_resp":"good luck"}', timestamp: '1713424427', nonce: '415670741',
    encrypt: 'ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==',
    msgSignature: '1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1',
  },
};

test('signatures match the official worked example (URL verification, plain push, safe push, encrypted reply)', () => {
  const { token } = OFFICIAL;
  assert.equal(urlSignature(token, OFFICIAL.verify.timestamp, OFFICIAL.verify.nonce), OFFICIAL.verify.signature);
  assert.equal(urlSignature(token, OFFICIAL.plain.timestamp, OFFICIAL.plain.nonce), OFFICIAL.plain.signature);
  assert.equal(urlSignature(token, OFFICIAL.safe.timestamp, OFFICIAL.safe.nonce), OFFICIAL.safe.signature);
  assert.equal(msgSignature(token, OFFICIAL.safe.timestamp, OFFICIAL.safe.nonce, OFFICIAL.safe.encrypt), OFFICIAL.safe.msgSignature);
  assert.equal(msgSignature(token, OFFICIAL.reply.timestamp, OFFICIAL.reply.nonce, OFFICIAL.reply.encrypt), OFFICIAL.reply.msgSignature);
  // Sorted, not in the given order: the same parts in another order sign the same.
  assert.equal(sha1Signature(OFFICIAL.verify.nonce, token, OFFICIAL.verify.timestamp), OFFICIAL.verify.signature);
  // Near misses: one character of the token, timestamp or nonce changes the signature.
  assert.notEqual(urlSignature('AAAAB', OFFICIAL.verify.timestamp, OFFICIAL.verify.nonce), OFFICIAL.verify.signature);
  assert.notEqual(urlSignature(token, '1714036505', OFFICIAL.verify.nonce), OFFICIAL.verify.signature);
  assert.equal(sameSignature(OFFICIAL.verify.signature.toUpperCase(), OFFICIAL.verify.signature), true);
  assert.equal(sameSignature(OFFICIAL.verify.signature.slice(1), OFFICIAL.verify.signature), false);
  assert.equal(sameSignature(undefined, OFFICIAL.verify.signature), false);
});

test('decrypting the official safe-mode push gives its message and appid; encrypting with its random gives its Encrypt', () => {
  const key = parseEncodingAesKey(OFFICIAL.aesKey);
  assert.deepEqual(decryptMessage(key, OFFICIAL.safe.encrypt), { message: OFFICIAL.safe.message, appid: OFFICIAL.appid });
  assert.equal(Buffer.from(OFFICIAL.safe.encrypt, 'base64').length, 224);
  assert.equal(encryptMessage(key, OFFICIAL.safe.message, OFFICIAL.appid, Buffer.from(OFFICIAL.safe.random)), OFFICIAL.safe.encrypt);
  assert.equal(encryptMessage(key, OFFICIAL.reply.message, OFFICIAL.appid, Buffer.from(OFFICIAL.reply.random)), OFFICIAL.reply.encrypt);
  // The official safe push, rebuilt: same query, same body.
  const built = buildPush([['ToUserName', 'gh_97417a04a28d'], ['FromUserName', 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY'], ['CreateTime', 1714112445], ['MsgType', 'event'], ['Event', 'debug_demo'], ['debug_str', 'hello world']], {
    format: 'json', mode: 'safe', appid: OFFICIAL.appid, secrets: { token: OFFICIAL.token, key },
    timestamp: OFFICIAL.safe.timestamp, nonce: OFFICIAL.safe.nonce, random: Buffer.from(OFFICIAL.safe.random),
  });
  assert.equal(built.plaintext, OFFICIAL.safe.message);
  assert.deepEqual(built.query, { signature: OFFICIAL.safe.signature, timestamp: OFFICIAL.safe.timestamp, nonce: OFFICIAL.safe.nonce, openid: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY', encrypt_type: 'aes', msg_signature: OFFICIAL.safe.msgSignature });
  assert.deepEqual(JSON.parse(built.body), { ToUserName: 'gh_97417a04a28d', Encrypt: OFFICIAL.safe.encrypt });
});

test('PKCS#7 pads to 32-byte blocks (a full block when already aligned) and rejects bad padding', () => {
  for (const [n, padded] of [[0, 32], [1, 32], [31, 32], [32, 64], [33, 64], [63, 64], [64, 96]]) {
    const out = pkcs7Pad(Buffer.alloc(n, 7));
    assert.equal(out.length, padded, `length ${n}`);
    assert.ok(out.subarray(n).every((b) => b === padded - n));
    assert.deepEqual(pkcs7Unpad(out), Buffer.alloc(n, 7));
  }
  // AES's own 16-byte padding would give 16 here: WeChat's is 32.
  assert.equal(pkcs7Pad(Buffer.alloc(16)).length, 32);
  const block = (last: number, fill = last) => Buffer.concat([Buffer.alloc(32 - Math.min(fill, 32), 0xaa), Buffer.alloc(Math.min(fill, 32), last)]);
  assert.throws(() => pkcs7Unpad(block(0, 1)), PaddingError);
  assert.throws(() => pkcs7Unpad(block(33, 32)), PaddingError);
  assert.deepEqual(pkcs7Unpad(block(32)).length, 0);
  const uneven = block(4); uneven[29] = 3;
  assert.throws(() => pkcs7Unpad(uneven), PaddingError);
  assert.throws(() => pkcs7Unpad(Buffer.alloc(31, 1)), PaddingError);
  assert.throws(() => pkcs7Unpad(Buffer.alloc(0)), PaddingError);
});

test('an EncodingAESKey must be 43 base64 characters; the error never contains the key', () => {
  assert.equal(parseEncodingAesKey('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG').key.length, 32);
  assert.deepEqual(parseEncodingAesKey(OFFICIAL.aesKey).iv, parseEncodingAesKey(OFFICIAL.aesKey).key.subarray(0, 16));
  for (const bad of ['A'.repeat(42), 'A'.repeat(44), `${'A'.repeat(42)}=`, `${'A'.repeat(42)}-`, `${'A'.repeat(42)} `, '']) {
    assert.throws(() => parseEncodingAesKey(bad), (e: Error) => e instanceof PushKeyError && /43 characters/.test(e.message) && (bad === '' || !e.message.includes(bad)), JSON.stringify(bad));
  }
});

test('decryption refuses a wrong key, a truncated or non-base64 Encrypt, and a lying length field', () => {
  const key = parseEncodingAesKey(OFFICIAL.aesKey);
  // (The last of the 43 characters carries only 4 bits: ...AB decodes to the same key as ...AA.)
  assert.deepEqual(parseEncodingAesKey(`${'A'.repeat(42)}B`).key, key.key);
  const other = parseEncodingAesKey(`${'A'.repeat(42)}Q`);
  assert.throws(() => decryptMessage(other, OFFICIAL.safe.encrypt), DecryptError);
  assert.throws(() => decryptMessage(key, OFFICIAL.safe.encrypt.slice(0, 40)), DecryptError);
  assert.throws(() => decryptMessage(key, 'not base64!'), DecryptError);
  assert.deepEqual(decryptMessage(key, encryptMessage(key, 'hi', 'wx')), { message: 'hi', appid: 'wx' });
  // random(16) + a length of 1000 + "hi": the length runs past the plaintext.
  const lying = Buffer.concat([Buffer.alloc(16, 1), Buffer.from([0, 0, 3, 232]), Buffer.from('hi')]);
  const cipher = createCipheriv('aes-256-cbc', key.key, key.iv);
  cipher.setAutoPadding(false);
  const liar = Buffer.concat([cipher.update(pkcs7Pad(lying)), cipher.final()]).toString('base64');
  assert.throws(() => decryptMessage(key, liar), /runs past/);
});

const FORMATS: PushFormat[] = ['xml', 'json'];
const MODES: PushMode[] = ['compat', 'safe'];

for (const format of FORMATS) {
  for (const mode of MODES) {
    test(`wechat-crypto verifies and decrypts our ${format} push in ${mode} mode, and we decrypt its ciphertext`, () => {
      const token = 'wxmsgPushToken1';
      const aesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
      const appid = 'wx1234567890abcdef';
      const fields = pushFields({ kind: 'text', toUserName: 'gh_7778736d7367', openid: 'oWxmsgSimReadyUser0000000001', createTime: 1714112445, content: '你好 <b>]]> & "world"', msgId: '23456789012345678' });
      const built = buildPush(fields, { format, mode, appid, secrets: { token, key: parseEncodingAesKey(aesKey) } });
      const theirs = new WXBizMsgCrypt(token, aesKey, appid);
      // The Encrypt field as the receiving server reads it from the body.
      const body = format === 'json' ? JSON.parse(built.body) : parseFlatXml(built.body)!;
      assert.equal(body.Encrypt, built.encrypt);
      assert.equal(theirs.getSignature(built.query.timestamp, built.query.nonce, body.Encrypt), built.query.msg_signature);
      assert.equal(urlSignature(token, built.query.timestamp, built.query.nonce), built.query.signature);
      assert.equal(built.query.encrypt_type, 'aes');
      const { message, id } = theirs.decrypt(body.Encrypt);
      assert.equal(id, appid);
      assert.equal(message, built.plaintext);
      const inner = format === 'json' ? JSON.parse(message) : parseFlatXml(message)!;
      assert.equal(inner.Content, '你好 <b>]]> & "world"');
      // MsgId is 64-bit: written digit for digit (JSON.parse would round it).
      assert.ok(message.includes(format === 'json' ? '"MsgId":23456789012345678' : '<MsgId>23456789012345678</MsgId>'));
      assert.equal(inner.MsgType, 'text');
      // Safe mode: only ToUserName and Encrypt; compat: the plain fields as well.
      if (mode === 'safe') assert.deepEqual(Object.keys(body).sort(), ['Encrypt', 'ToUserName']);
      else assert.equal(body.Content, '你好 <b>]]> & "world"');
      // The other way round: their ciphertext, our decryption.
      assert.deepEqual(decryptMessage(parseEncodingAesKey(aesKey), theirs.encrypt(built.plaintext)), { message: built.plaintext, appid });
    });
  }
}

test('push bodies follow the receive page: XML with CDATA, JSON with numeric CreateTime and MsgId', () => {
  const base = { toUserName: 'gh_7778736d7367', openid: 'oU', createTime: 1482048670 };
  assert.equal(toXml(pushFields({ ...base, kind: 'text', content: 'this is a test', msgId: '1234567890123456' })),
    '<xml><ToUserName><![CDATA[gh_7778736d7367]]></ToUserName><FromUserName><![CDATA[oU]]></FromUserName><CreateTime>1482048670</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[this is a test]]></Content><MsgId>1234567890123456</MsgId></xml>');
  assert.equal(toJson(pushFields({ ...base, kind: 'image', picUrl: 'http://x/y', mediaId: 'm1', msgId: '18446744073709551615' })),
    '{"ToUserName":"gh_7778736d7367","FromUserName":"oU","CreateTime":1482048670,"MsgType":"image","PicUrl":"http://x/y","MediaId":"m1","MsgId":18446744073709551615}');
  assert.deepEqual(JSON.parse(toJson(pushFields({ ...base, kind: 'enter', sessionFrom: 'order-42' }))),
    { ToUserName: 'gh_7778736d7367', FromUserName: 'oU', CreateTime: 1482048670, MsgType: 'event', Event: 'user_enter_tempsession', SessionFrom: 'order-42' });
  const card = parseFlatXml(toXml(pushFields({ ...base, kind: 'miniprogrampage', title: 'T', appid: 'wx1', pagePath: 'pages/a/a?x=1', thumbUrl: 'u', thumbMediaId: 't' })))!;
  assert.deepEqual([card.MsgType, card.Title, card.AppId, card.PagePath, card.ThumbUrl, card.ThumbMediaId], ['miniprogrampage', 'T', 'wx1', 'pages/a/a?x=1', 'u', 't']);
  assert.match(card.MsgId, /^\d+$/);
});

test('parseFlatXml reads CDATA and escaped text, and refuses what is not a flat <xml> document', () => {
  assert.deepEqual(parseFlatXml('<xml><A><![CDATA[x]]]]><![CDATA[>y]]></A><B> 1&lt;2 </B></xml>'), { A: 'x]]>y', B: '1<2' });
  assert.deepEqual(parseFlatXml('<?xml version="1.0"?>\n<xml>\n <MsgType><![CDATA[transfer_customer_service]]></MsgType>\n</xml>\n'), { MsgType: 'transfer_customer_service' });
  assert.equal(parseFlatXml('success'), undefined);
  assert.equal(parseFlatXml('<xml><A>1</A>junk</xml>'), undefined);
  assert.equal(parseFlatXml('<xml><A>1</B></xml>'), undefined);
});

test('the URL verification query is signed with the Token and carries echostr', () => {
  const q = verificationQuery(OFFICIAL.token, { timestamp: OFFICIAL.verify.timestamp, nonce: OFFICIAL.verify.nonce, echostr: '4375120948345356249' });
  assert.deepEqual(q, { signature: OFFICIAL.verify.signature, echostr: '4375120948345356249', timestamp: OFFICIAL.verify.timestamp, nonce: OFFICIAL.verify.nonce });
  assert.match(verificationQuery('tok').echostr, /^\d{1,19}$/);
});
