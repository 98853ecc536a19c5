// Receiving servers on 127.0.0.1 for the push tests: the example server, and broken ones.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPushServer } from '../examples/push-server/server.mjs';
import { encryptMessage, parseEncodingAesKey } from '../server/src/wechat/push/crypto.ts';
import { msgSignature } from '../server/src/wechat/push/signature.ts';

export const PUSH_TOKEN = 'wxmsgTestToken42';
export const PUSH_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

export interface Receiver { url: string; requests: { method: string; url: string; body: string }[]; close(): Promise<void>; log: string[] }

async function listen(server: http.Server, path = '/wechat', port = 0): Promise<string> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
}

function closer(server: http.Server): () => Promise<void> {
  return () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
}

/** The example receiving server (examples/push-server), replying through the given API base. */
export async function exampleReceiver(opts: { apiBase: string; aesKey?: string; appid?: string; secret?: string; port?: number; token?: string }): Promise<Receiver> {
  const log: string[] = [];
  const server = createPushServer({ token: opts.token ?? PUSH_TOKEN, aesKey: opts.aesKey, appid: opts.appid ?? 'wx1234567890abcdef', apiBase: opts.apiBase, secret: opts.secret ?? 'wxmsg-simulator-secret', log: (l) => log.push(l) });
  const requests: Receiver['requests'] = [];
  server.prependListener('request', (req: http.IncomingMessage) => requests.push({ method: req.method ?? '', url: req.url ?? '', body: '' }));
  return { url: await listen(server, '/wechat', opts.port), requests, close: closer(server), log };
}

/**
 * A scripted server: `answer(method, body, query)` returns [status, body], or 'hang' (never
 * answers), or 'reset' (drops the connection).
 */
export async function scriptedReceiver(answer: (method: string, body: string, q: URLSearchParams) => [number, string] | 'hang' | 'reset'): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    requests.push({ method: req.method ?? '', url: req.url ?? '', body });
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    const a = answer(req.method ?? '', body, q);
    if (a === 'hang') return;
    if (a === 'reset') { req.socket.destroy(); return; }
    res.writeHead(a[0], { 'content-type': 'text/plain' }).end(a[1]);
  });
  return { url: await listen(server), requests, close: closer(server), log: [] };
}

/** Echoes echostr on GET; answers POSTs with `post`. */
export function echoing(post: (body: string, q: URLSearchParams) => [number, string] | 'hang' | 'reset'): (method: string, body: string, q: URLSearchParams) => [number, string] | 'hang' | 'reset' {
  return (method, body, q) => (method === 'GET' ? [200, q.get('echostr') ?? ''] : post(body, q));
}

export const TRANSFER_XML = '<xml><ToUserName><![CDATA[oUser]]></ToUserName><FromUserName><![CDATA[gh_7778736d7367]]></FromUserName><CreateTime>1399197672</CreateTime><MsgType><![CDATA[transfer_customer_service]]></MsgType></xml>';

/** An encrypted reply (safe mode) as message-push.html describes: Encrypt, MsgSignature, TimeStamp, Nonce. */
export function encryptedReply(plain: string, opts: { appid?: string; token?: string; xml?: boolean; badSignature?: boolean } = {}): string {
  const key = parseEncodingAesKey(PUSH_KEY);
  const encrypt = encryptMessage(key, plain, opts.appid ?? 'wx1234567890abcdef');
  const ts = '1713424427';
  const nonce = '415670741';
  let sig = msgSignature(opts.token ?? PUSH_TOKEN, ts, nonce, encrypt);
  if (opts.badSignature) sig = sig.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  return opts.xml
    ? `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt><MsgSignature><![CDATA[${sig}]]></MsgSignature><TimeStamp>${ts}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`
    : JSON.stringify({ Encrypt: encrypt, MsgSignature: sig, TimeStamp: Number(ts), Nonce: nonce });
}
