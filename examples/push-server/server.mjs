// A minimal receiver of WeChat message pushes (customer service), no framework: node:http and
// node:crypto only. It verifies the URL (GET: echo echostr), checks the signature of each push,
// decrypts it in compat/safe mode, answers "success" at once (WeChat waits 5 s at most), then
// replies to the user through custom/send — on the wxmsg simulator by default.
//
//   WXMSG_PUSH_TOKEN=… [WXMSG_PUSH_AES_KEY=…] node examples/push-server/server.mjs
//
// Environment: WXMSG_PUSH_TOKEN (required), WXMSG_PUSH_AES_KEY (43 characters; for compat/safe
// mode), WXMSG_APPID (default wx1234567890abcdef), WXMSG_API_BASE (default the simulator,
// http://127.0.0.1:8700), WXMSG_APPSECRET (default the simulator's test secret), PORT (8701).
// The Token, the key and the AppSecret are never logged.
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import { pathToFileURL } from 'node:url';

const sha1 = (...parts) => createHash('sha1').update(parts.sort().join('')).digest('hex');
const same = (a, b) => typeof a === 'string' && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The top-level fields of a flat WeChat XML document (CDATA or text). */
function parseXml(text) {
  const out = {};
  for (const m of text.matchAll(/<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) out[m[1]] = m[2] ?? m[3];
  return out;
}

function parseBody(text) {
  const t = text.trim();
  if (t.startsWith('{')) return JSON.parse(t);
  if (t.startsWith('<')) return parseXml(t);
  throw new Error('the body is neither JSON nor XML');
}

/** AES-256-CBC, key = base64(EncodingAESKey + "="), IV = its first 16 bytes, PKCS#7 to 32 bytes; random(16) + length(4) + message + appid. */
function decrypt(aesKey, encrypt) {
  const key = Buffer.from(`${aesKey}=`, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const full = Buffer.concat([decipher.update(encrypt, 'base64'), decipher.final()]);
  const pad = full[full.length - 1];
  if (pad < 1 || pad > 32) throw new Error('bad padding');
  const plain = full.subarray(0, full.length - pad);
  const len = plain.readUInt32BE(16);
  return { message: plain.subarray(20, 20 + len).toString('utf8'), appid: plain.subarray(20 + len).toString('utf8') };
}

/**
 * Creates (does not start) the receiving server.
 * options: { token, aesKey?, appid, apiBase, secret, log?(line) }
 */
export function createPushServer(options) {
  const { token, aesKey, appid, apiBase, secret } = options;
  const log = options.log ?? ((line) => console.log(line));
  let accessToken;

  async function getToken(force = false) {
    if (accessToken && !force) return accessToken;
    const res = await fetch(`${apiBase}/cgi-bin/stable_token`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid, secret, force_refresh: false }),
    });
    const json = await res.json();
    if (!json.access_token) throw new Error(`stable_token: errcode ${json.errcode} ${json.errmsg}`);
    accessToken = json.access_token;
    return accessToken;
  }

  /** Replies through the customer-service API (custom/send), after the push was answered. */
  async function reply(openid, content) {
    for (const retry of [false, true]) {
      const t = await getToken(retry);
      const res = await fetch(`${apiBase}/cgi-bin/message/custom/send?access_token=${encodeURIComponent(t)}`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ touser: openid, msgtype: 'text', text: { content } }),
      });
      const json = await res.json();
      if ((json.errcode === 40001 || json.errcode === 42001) && !retry) continue;
      log(`custom/send to ${openid}: errcode ${json.errcode ?? 0}${json.errcode ? ` ${json.errmsg}` : ''}`);
      return json;
    }
    return undefined;
  }

  function answerFor(msg) {
    switch (msg.MsgType) {
      case 'text': return `收到：${msg.Content}`;
      case 'image': return `收到一张图片（MediaId ${msg.MediaId}）`;
      case 'miniprogrampage': return `收到小程序卡片「${msg.Title}」`;
      case 'event': return msg.Event === 'user_enter_tempsession' ? `欢迎！有什么可以帮您？${msg.SessionFrom ? `（来自 ${msg.SessionFrom}）` : ''}` : undefined;
      default: return undefined;
    }
  }

  const server = http.createServer(async (req, res) => {
    const q = new URL(req.url, 'http://localhost').searchParams;
    const send = (status, body) => { res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body); };
    // Every request from WeChat carries signature = sha1(sort(Token, timestamp, nonce)).
    if (!same(q.get('signature') ?? '', sha1(token, q.get('timestamp') ?? '', q.get('nonce') ?? ''))) {
      log(`${req.method} refused: bad signature`);
      return send(403, 'bad signature');
    }
    if (req.method === 'GET') {
      log('URL verification: echoing echostr');
      return send(200, q.get('echostr') ?? '');
    }
    if (req.method !== 'POST') return send(405, 'method not allowed');
    const chunks = [];
    for await (const c of req) chunks.push(c);
    let msg;
    try {
      const body = parseBody(Buffer.concat(chunks).toString('utf8'));
      if (q.get('encrypt_type') === 'aes') {
        // Compat and safe mode: check msg_signature over the Encrypt field, then decrypt.
        if (!aesKey) throw new Error('encrypted push but WXMSG_PUSH_AES_KEY is not set');
        if (!same(q.get('msg_signature') ?? '', sha1(token, q.get('timestamp'), q.get('nonce'), body.Encrypt))) throw new Error('bad msg_signature');
        const d = decrypt(aesKey, body.Encrypt);
        if (d.appid !== appid) throw new Error(`encrypted for appid ${d.appid}, not ${appid}`);
        msg = parseBody(d.message);
      } else {
        msg = body;
      }
    } catch (e) {
      log(`push refused: ${e.message}`);
      return send(400, 'bad request');
    }
    log(`push: ${msg.MsgType}${msg.Event ? `/${msg.Event}` : ''} from ${msg.FromUserName}${msg.Content !== undefined ? `: ${msg.Content}` : ''}`);
    // Answer first ("success": handled, no passive reply), then reply through custom/send.
    send(200, 'success');
    const content = answerFor(msg);
    if (content) reply(msg.FromUserName, content).catch((e) => log(`custom/send failed: ${e.message}`));
  });
  return server;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const token = process.env.WXMSG_PUSH_TOKEN;
  if (!token) {
    console.error('Set WXMSG_PUSH_TOKEN (the Token of the message-push settings; the same for `wxmsg simulate --push-url`).');
    process.exit(2);
  }
  const port = Number(process.env.PORT ?? 8701);
  const server = createPushServer({
    token,
    aesKey: process.env.WXMSG_PUSH_AES_KEY || undefined,
    appid: process.env.WXMSG_APPID ?? 'wx1234567890abcdef',
    apiBase: (process.env.WXMSG_API_BASE ?? 'http://127.0.0.1:8700').replace(/\/+$/, ''),
    secret: process.env.WXMSG_APPSECRET ?? 'wxmsg-simulator-secret',
  });
  server.listen(port, '127.0.0.1', () => console.log(`push server listening on http://127.0.0.1:${port}/wechat`));
}
