import * as http from 'node:http';
import * as https from 'node:https';
import { decryptMessage, DecryptError } from './crypto.ts';
import { buildPush, parseFlatXml, verificationQuery, type PushFields, type PushFormat, type PushMode, type PushSecrets } from './message.ts';
import { msgSignature, sameSignature } from './signature.ts';
import { PUSH_TIMEOUT_MS, PUSH_TRIES, USER_SEES_FAILURE } from './config.ts';
import { reasonText } from './pushText.ts';
import type { HttpAnswer, PushAttempt, PushOutcome, PushResult, ReplyProblem, SentRequest, VerifyOutcome, VerifyResult } from './pushTypes.ts';
export type { HttpAnswer, PushAttempt, PushOutcome, PushResult, ReplyProblem, SentRequest, VerifyOutcome, VerifyResult } from './pushTypes.ts';

/**
 * Pushes to the developer's server as WeChat does (server-ability/message-push.html,
 * customer-message/receive.html and trans.html): the URL verification GET, and signed (and
 * encrypted) POSTs with a 5-second timeout and up to 3 tries. Nothing here ever holds or
 * records the Token or the EncodingAESKey in its results.
 */


export { USER_SEES_FAILURE };

/** Answer bodies are kept up to this many characters in results (the push record stays small). */
const MAX_KEPT_BODY = 2000;
/** Read at most this much of an answer. */
const MAX_READ_BODY = 64 * 1024;






const RETRY: ReadonlySet<PushOutcome> = new Set(['timeout', 'http-error', 'unreachable']);
const NET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED', 'EADDRNOTAVAIL']);

function withQuery(url: URL, query: Record<string, string>): URL {
  const u = new URL(url.href);
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  return u;
}

/** One HTTP exchange with a hard deadline (headers and body); never throws. */
export function exchange(url: URL, opts: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; timeoutMs: number }): Promise<HttpAnswer> {
  const started = performance.now();
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let done = false;
    const finish = (a: Omit<HttpAnswer, 'latencyMs'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...a, latencyMs: Math.round(performance.now() - started) });
    };
    const req = lib.request(url, { method: opts.method, headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_READ_BODY) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        finish({ status: res.statusCode, headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (e: NodeJS.ErrnoException) => finish({ status: res.statusCode, error: e.code ?? 'ECONNRESET' }));
      res.on('aborted', () => finish({ status: res.statusCode, error: 'ECONNRESET' }));
    });
    const timer = setTimeout(() => { finish({ error: 'timeout' }); req.destroy(); }, opts.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => finish({ error: e.code ?? e.message }));
    req.end(opts.body);
  });
}

function classifyTransport(a: HttpAnswer): PushOutcome | undefined {
  if (a.error === 'timeout') return 'timeout';
  if (a.error) return 'unreachable';
  if (a.status !== undefined && a.status >= 500) return 'http-error';
  return undefined;
}

/** Whether an error code means "could not connect" (as opposed to a timeout). */
export function isNetworkError(code: string | undefined): boolean {
  return !!code && code !== 'timeout' && (NET_ERRORS.has(code) || /^E[A-Z]+$/.test(code));
}

/** The URL verification: GET url?signature&timestamp&nonce&echostr; the server must answer echostr exactly. */
export async function verifyUrl(url: URL, token: string, opts: { timeoutMs?: number; echostr?: string; timestamp?: string; nonce?: string } = {}): Promise<VerifyResult> {
  const query = verificationQuery(token, opts);
  const target = withQuery(url, query);
  const request: SentRequest = { method: 'GET', url: target.href, headers: {} };
  const a = await exchange(target, { method: 'GET', timeoutMs: opts.timeoutMs ?? PUSH_TIMEOUT_MS });
  const kept = { ...a, ...(a.body !== undefined ? { body: keep(a.body) } : {}) };
  const transport = classifyTransport(a);
  const outcome: VerifyOutcome = transport === 'timeout' || transport === 'http-error' || transport === 'unreachable'
    ? transport
    : a.status === 200 && a.body === query.echostr ? 'echoed' : 'wrong-echo';
  return { ...kept, request, echostr: query.echostr, outcome };
}


interface ReplyVerdict { outcome: 'handled' | 'transfer' | 'wrong-reply'; problem?: ReplyProblem; detail?: string; replyPlaintext?: string }

/**
 * What WeChat makes of a 2xx answer: "success" or an empty body → handled; a reply whose MsgType
 * is transfer_customer_service → transfer (encrypted replies are verified and decrypted; safe
 * mode accepts only those); anything else → the user sees the failure notice.
 */
export function judgeReply(body: string, ctx: { format: PushFormat; mode: PushMode; secrets: PushSecrets; appid: string; isEvent?: boolean }): ReplyVerdict {
  if (body === '' || body === 'success') return { outcome: 'handled' };
  const text = body.trim();
  let fields: Record<string, unknown> | undefined = text.startsWith('<') ? parseFlatXml(text) : undefined;
  if (!fields && text.startsWith('{')) {
    try { const v: unknown = JSON.parse(text); if (v && typeof v === 'object' && !Array.isArray(v)) fields = v as Record<string, unknown>; } catch { /* not JSON */ }
  }
  if (!fields) return { outcome: 'wrong-reply', problem: 'unrecognised' };
  let replyPlaintext: string | undefined;
  if (typeof fields.Encrypt === 'string') {
    if (!ctx.secrets.key) return { outcome: 'wrong-reply', problem: 'no-key' };
    const ts = String(fields.TimeStamp ?? '');
    const nonce = String(fields.Nonce ?? '');
    if (!sameSignature(fields.MsgSignature, msgSignature(ctx.secrets.token, ts, nonce, fields.Encrypt))) return { outcome: 'wrong-reply', problem: 'bad-msg-signature' };
    try {
      const d = decryptMessage(ctx.secrets.key, fields.Encrypt);
      if (d.appid !== ctx.appid) return { outcome: 'wrong-reply', problem: 'wrong-appid', detail: d.appid };
      replyPlaintext = d.message;
    } catch (e) {
      return { outcome: 'wrong-reply', problem: 'undecryptable', detail: e instanceof DecryptError ? e.message : String(e) };
    }
    const inner = replyPlaintext.trim();
    fields = inner.startsWith('<') ? parseFlatXml(inner) : (() => { try { return JSON.parse(inner) as Record<string, unknown>; } catch { return undefined; } })();
    if (!fields) return { outcome: 'wrong-reply', problem: 'unrecognised', replyPlaintext };
  } else if (ctx.mode === 'safe') {
    return { outcome: 'wrong-reply', problem: 'plain-reply-in-safe-mode' };
  }
  if (typeof fields.MsgType !== 'string') return { outcome: 'wrong-reply', problem: 'unrecognised', ...(replyPlaintext !== undefined ? { replyPlaintext } : {}) };
  if (fields.MsgType === 'transfer_customer_service') {
    return { outcome: 'transfer', ...(ctx.isEvent ? { problem: 'transfer-of-event' as const } : {}), ...(replyPlaintext !== undefined ? { replyPlaintext } : {}) };
  }
  return { outcome: 'wrong-reply', problem: 'not-transfer', detail: fields.MsgType, ...(replyPlaintext !== undefined ? { replyPlaintext } : {}) };
}

export function replyReason(problem: ReplyProblem, detail?: string): string {
  return reasonText(problem, detail, 'en');
}

/** Pushes one message: up to `tries` attempts while the server times out, is unreachable or answers 5xx. */
export async function pushMessage(url: URL, fields: PushFields, opts: {
  format: PushFormat; mode: PushMode; secrets: PushSecrets; appid: string;
  timeoutMs?: number; tries?: number; timestamp?: string; nonce?: string;
}): Promise<PushResult> {
  const built = buildPush(fields, { format: opts.format, mode: opts.mode, appid: opts.appid, secrets: opts.secrets, timestamp: opts.timestamp, nonce: opts.nonce });
  const target = withQuery(url, built.query);
  const headers = { 'content-type': built.contentType, 'user-agent': 'Mozilla/4.0 (wxmsg simulator; WeChat message push)' };
  const request: SentRequest = { method: 'POST', url: target.href, headers, body: built.body };
  const isEvent = fields.some(([k, v]) => k === 'MsgType' && v === 'event');
  const attempts: PushAttempt[] = [];
  const tries = Math.max(1, opts.tries ?? PUSH_TRIES);
  let replyPlaintext: string | undefined;
  const started = performance.now();
  for (let i = 1; i <= tries; i++) {
    const a = await exchange(target, { method: 'POST', headers, body: built.body, timeoutMs: opts.timeoutMs ?? PUSH_TIMEOUT_MS });
    const transport = classifyTransport(a);
    let attempt: PushAttempt;
    if (transport) {
      attempt = { ...a, body: a.body === undefined ? undefined : keep(a.body), try: i, outcome: transport };
    } else if (a.status === undefined || a.status < 200 || a.status > 299) {
      attempt = { ...a, body: keep(a.body ?? ''), try: i, outcome: 'wrong-reply', reasonCode: 'http-status', reasonDetail: String(a.status), reason: replyReason('http-status', String(a.status)) };
    } else {
      const v = judgeReply(a.body ?? '', { format: opts.format, mode: opts.mode, secrets: opts.secrets, appid: opts.appid, isEvent });
      if (v.replyPlaintext !== undefined) replyPlaintext = keep(v.replyPlaintext);
      attempt = { ...a, body: keep(a.body ?? ''), try: i, outcome: v.outcome, ...(v.problem ? { reasonCode: v.problem, reason: replyReason(v.problem, v.detail), ...(v.detail !== undefined ? { reasonDetail: v.detail } : {}) } : {}) };
    }
    if (attempt.body === undefined) delete attempt.body;
    attempts.push(attempt);
    if (!RETRY.has(attempt.outcome)) break;
  }
  const last = attempts[attempts.length - 1];
  return {
    request, plaintext: built.plaintext, format: opts.format, mode: opts.mode, attempts, tries: attempts.length, outcome: last.outcome,
    ...(replyPlaintext !== undefined ? { replyPlaintext } : {}),
    accepted: last.outcome === 'handled' || last.outcome === 'transfer',
    latencyMs: Math.round(performance.now() - started),
  };
}

function keep(s: string): string {
  return s.length > MAX_KEPT_BODY ? `${s.slice(0, MAX_KEPT_BODY)}…` : s;
}
