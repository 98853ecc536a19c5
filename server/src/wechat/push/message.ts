import { randomBytes, randomInt } from 'node:crypto';
import { encryptMessage, type PushKey } from './crypto.ts';
import { msgSignature, urlSignature } from './signature.ts';

/**
 * The messages WeChat pushes to the developer's server for customer service
 * (miniprogram/dev/framework/open-ability/customer-message/receive.html), in XML or JSON, in
 * plain, compat or safe mode (server-ability/message-push.html).
 */
export type PushKind = 'text' | 'image' | 'miniprogrampage' | 'enter';
export const PUSH_KINDS: readonly PushKind[] = ['text', 'image', 'miniprogrampage', 'enter'];
export type PushFormat = 'xml' | 'json';
export type PushMode = 'plain' | 'compat' | 'safe';

/** One push's fields in the order the official examples list them; numbers stay numbers in JSON. */
export type PushFields = [name: string, value: string | number][];

export interface PushMessageInput {
  kind: PushKind;
  /** The mini program's original id (gh_…), `ToUserName`. */
  toUserName: string;
  /** The user's OpenID, `FromUserName`. */
  openid: string;
  /** Seconds since the epoch. */
  createTime: number;
  content?: string;
  picUrl?: string;
  mediaId?: string;
  title?: string;
  appid?: string;
  pagePath?: string;
  thumbUrl?: string;
  thumbMediaId?: string;
  sessionFrom?: string;
  /** A 64-bit message id (digits); generated when missing. Events have none. */
  msgId?: string;
}

/** The fields of one customer-service push. */
export function pushFields(m: PushMessageInput): PushFields {
  const f: PushFields = [['ToUserName', m.toUserName], ['FromUserName', m.openid], ['CreateTime', m.createTime]];
  const msgId = (): [string, string | number] => ['MsgId', m.msgId ?? newMsgId()];
  switch (m.kind) {
    case 'text':
      f.push(['MsgType', 'text'], ['Content', m.content ?? ''], msgId());
      break;
    case 'image':
      f.push(['MsgType', 'image'], ['PicUrl', m.picUrl ?? ''], ['MediaId', m.mediaId ?? ''], msgId());
      break;
    case 'miniprogrampage':
      f.push(['MsgType', 'miniprogrampage'], ['MsgId', m.msgId ?? newMsgId()], ['Title', m.title ?? ''], ['AppId', m.appid ?? ''], ['PagePath', m.pagePath ?? ''], ['ThumbUrl', m.thumbUrl ?? ''], ['ThumbMediaId', m.thumbMediaId ?? '']);
      break;
    case 'enter':
      f.push(['MsgType', 'event'], ['Event', 'user_enter_tempsession'], ['SessionFrom', m.sessionFrom ?? '']);
      break;
  }
  return f;
}

/** A 64-bit message id as decimal digits (kept as a string: it does not fit a JS number exactly). */
export function newMsgId(): string {
  return (BigInt(`0x${randomBytes(8).toString('hex')}`) >> 1n).toString();
}

const NUMERIC_FIELDS = new Set(['CreateTime', 'MsgId', 'TimeStamp']);

/** CDATA that survives "]]>" in the value (split into two sections). */
function cdata(v: string): string {
  return `<![CDATA[${v.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** `<xml>` with one element per field: numbers bare, strings in CDATA (as the official examples). */
export function toXml(fields: PushFields): string {
  return `<xml>${fields.map(([k, v]) => `<${k}>${typeof v === 'number' || (NUMERIC_FIELDS.has(k) && /^\d+$/.test(v)) ? v : cdata(v)}</${k}>`).join('')}</xml>`;
}

/** A JSON object; CreateTime and MsgId as numbers (MsgId written digit for digit even past 2^53). */
export function toJson(fields: PushFields): string {
  const parts = fields.map(([k, v]) => {
    const num = typeof v === 'number' ? String(v) : NUMERIC_FIELDS.has(k) && /^\d{1,20}$/.test(v) ? v : undefined;
    return `${JSON.stringify(k)}:${num ?? JSON.stringify(v)}`;
  });
  return `{${parts.join(',')}}`;
}

export function serialize(fields: PushFields, format: PushFormat): string {
  return format === 'xml' ? toXml(fields) : toJson(fields);
}

export interface PushSecrets {
  token: string;
  key?: PushKey;
}

export interface BuiltPush {
  /** Query parameters to append to the push URL. */
  query: Record<string, string>;
  body: string;
  contentType: string;
  /** The message before encryption (what the server should get after decrypting). */
  plaintext: string;
  /** `Encrypt` in compat/safe mode. */
  encrypt?: string;
}

/**
 * Signs (and in compat/safe mode encrypts) one push. Plain: the fields. Compat: the fields plus
 * `Encrypt`. Safe: `ToUserName` and `Encrypt` only. Query: signature, timestamp, nonce, openid,
 * plus encrypt_type=aes and msg_signature when encrypted (as the official safe-mode example).
 */
export function buildPush(fields: PushFields, opts: { format: PushFormat; mode: PushMode; appid: string; secrets: PushSecrets; timestamp?: string; nonce?: string; random?: Buffer }): BuiltPush {
  const timestamp = opts.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? String(randomInt(100_000_000, 2 ** 31 - 1));
  const plaintext = serialize(fields, opts.format);
  const openid = fields.find(([k]) => k === 'FromUserName')?.[1];
  const query: Record<string, string> = { signature: urlSignature(opts.secrets.token, timestamp, nonce), timestamp, nonce };
  if (typeof openid === 'string' && openid) query.openid = openid;
  const contentType = opts.format === 'xml' ? 'text/xml; charset=utf-8' : 'application/json; charset=utf-8';
  if (opts.mode === 'plain') return { query, body: plaintext, contentType, plaintext };
  if (!opts.secrets.key) throw new Error(`${opts.mode} mode needs the EncodingAESKey`);
  const encrypt = encryptMessage(opts.secrets.key, plaintext, opts.appid, opts.random);
  query.encrypt_type = 'aes';
  query.msg_signature = msgSignature(opts.secrets.token, timestamp, nonce, encrypt);
  const toUser = fields.find(([k]) => k === 'ToUserName') ?? ['ToUserName', ''];
  const outer: PushFields = opts.mode === 'safe' ? [toUser, ['Encrypt', encrypt]] : [...fields, ['Encrypt', encrypt]];
  return { query, body: serialize(outer, opts.format), contentType, plaintext, encrypt };
}

/** The URL verification GET's query: signature, timestamp, nonce, echostr. */
export function verificationQuery(token: string, opts: { timestamp?: string; nonce?: string; echostr?: string } = {}): Record<string, string> {
  const timestamp = opts.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? String(randomInt(100_000_000, 2 ** 31 - 1));
  const echostr = opts.echostr ?? BigInt(`0x${randomBytes(8).toString('hex')}`).toString().slice(0, 19);
  return { signature: urlSignature(token, timestamp, nonce), echostr, timestamp, nonce };
}

/**
 * The top-level fields of a flat WeChat XML document (`<xml><A>…</A><B><![CDATA[…]]></B></xml>`),
 * or undefined when the text is not one. Nested elements (e.g. TransInfo) are kept as raw text.
 */
export function parseFlatXml(text: string): Record<string, string> | undefined {
  const m = /^\s*(?:<\?xml[^>]*\?>\s*)?<xml>([\s\S]*)<\/xml>\s*$/.exec(text);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  const re = /<([A-Za-z_][\w.-]*)>([\s\S]*?)<\/\1>/g;
  const inner = m[1];
  let e: RegExpExecArray | null;
  let consumed = 0;
  while ((e = re.exec(inner))) {
    if (inner.slice(consumed, e.index).trim()) return undefined;
    const raw = e[2];
    const parts = [...raw.matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)];
    out[e[1]] = parts.length && raw.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').trim() === '' ? parts.map((p) => p[1]).join('') : unescapeXml(raw.trim());
    consumed = re.lastIndex;
  }
  if (inner.slice(consumed).trim()) return undefined;
  return out;
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (all, n: string) => {
    switch (n) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
      default: {
        const code = n[1] === 'x' ? parseInt(n.slice(2), 16) : parseInt(n.slice(1), 10);
        return code <= 0x10ffff ? String.fromCodePoint(code) : all;
      }
    }
  });
}
