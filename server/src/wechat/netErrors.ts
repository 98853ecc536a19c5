import { BASE_URL_SETTING, TIMEOUT_SETTING } from './baseUrl.ts';
import { TransportError } from './transport.ts';
import { wechatText, type Locale } from '../core/l10n/cli/text.ts';

/**
 * Network failures in plain words, each naming the setting to check, and — for a send — whether
 * the message may have reached WeChat. A failure before the connection was made (refused, DNS,
 * connect timeout, TLS) means nothing was sent; anything after the request went out (timeout
 * waiting for the answer, connection dropped) means delivery is unknown and must not be retried.
 */
export type FailureKind =
  | 'config' | 'credentials' | 'invalid-template' | 'invalid-file'
  | 'refused' | 'dns' | 'connect-timeout' | 'tls' | 'network' | 'proxy'
  | 'timeout' | 'connection-dropped' | 'http' | 'bad-response' | 'cancelled';

export interface ApiFailure {
  kind: FailureKind;
  /** Plain words, secrets already redacted. */
  message: string;
  /** The setting to check, when one is to blame. */
  setting?: string;
  /** The request may have been delivered: never retried, and said so. */
  deliveryUnknown: boolean;
  /** HTTP status, when the failure is an HTTP answer. */
  status?: number;
}

export type Phase = 'token' | 'send' | 'upload' | 'typing' | 'media';

function codesOf(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== 'object' || depth > 4) return [];
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown; name?: unknown };
  const out: string[] = [];
  if (typeof e.code === 'string') out.push(e.code);
  if (typeof e.name === 'string') out.push(e.name);
  out.push(...codesOf(e.cause, depth + 1));
  if (Array.isArray(e.errors)) for (const x of e.errors) out.push(...codesOf(x, depth + 1));
  return out;
}

/** Our own code for the whole-exchange deadline (see client.ts). */
export const DEADLINE_CODE = 'WXMSG_DEADLINE';

/** OpenSSL's verification codes (UNABLE_TO_VERIFY_LEAF_SIGNATURE, CERT_HAS_EXPIRED…) and Node's ERR_TLS_* / ERR_SSL_*. */
const isTlsCode = (c: string): boolean => /^ERR_(TLS|SSL)_|CERT|^UNABLE_TO_|SIGNATURE/.test(c);

const BEFORE_CONNECT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** Translates a network error; `sent` = the request may have left this machine. Words in `ctx.locale` (default English). */
export function describeNetworkError(err: unknown, ctx: { host: string; timeoutMs: number; totalMs?: number; phase: Phase; locale?: Locale }): ApiFailure {
  const t = wechatText(ctx.locale);
  const codes = codesOf(err);
  const has = (...c: string[]) => c.some((x) => codes.includes(x));
  const { host, phase } = ctx;
  const ms = ctx.timeoutMs;
  const tr = TransportError.is(err) ? err : undefined;
  // The transport knows when the request never went out (no connection, tunnel refused, TLS).
  const notSent = tr?.requestSent === false;
  const isTls = codes.some(isTlsCode);
  const beforeConnect = notSent || codes.some((c) => BEFORE_CONNECT.has(c)) || isTls;
  const unknown = phase === 'send' && !beforeConnect;
  const proxy = tr?.proxy;
  const via = proxy ? t.viaProxy(proxy.shown, proxy.source) : t.viaSomeProxy;
  const note = (unknown ? t.unknownNote : '') + (proxy && !notSent ? t.throughProxy(via) : '');
  const f = (kind: FailureKind, message: string, setting?: string): ApiFailure =>
    ({ kind, message: message + note, deliveryUnknown: unknown, ...(setting ? { setting } : {}) });

  if (tr?.refusal) {
    return f('proxy', t.tunnelRefused(via, host, tr.refusal.reason, tr.refusal.status === 407 ? t.proxyAuth : '', proxy?.source ?? t.proxySettings), proxy?.source);
  }
  if (has('AbortError', 'UND_ERR_ABORTED', 'UND_ERR_ABORT', 'ABORT_ERR')) {
    return f('cancelled', t.cancelled(phase));
  }
  if (proxy && notSent) {
    const source = proxy.source;
    if (has('ECONNREFUSED')) return f('proxy', t.proxyRefused(via, source), source);
    if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME')) return f('proxy', t.proxyDns(via, source), source);
    if (has('EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL')) return f('proxy', t.proxyUnreachable(via, source), source);
    if (has('UND_ERR_CONNECT_TIMEOUT')) return f('proxy', t.proxyConnectTimeout(host, via, ms, source), source);
    if (isTls) return f('tls', t.proxyTls(host, codes.find(isTlsCode) ?? '', via), source);
    const detail = codes.find((c) => /^[A-Z_0-9]+$/.test(c)) ?? (tr?.message || t.networkError);
    return f('proxy', t.proxyOther(host, via, detail, source), source);
  }
  if (has('ECONNREFUSED')) return f('refused', t.refused(host), BASE_URL_SETTING);
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME')) return f('dns', t.dns(host), BASE_URL_SETTING);
  if (has('UND_ERR_CONNECT_TIMEOUT')) return f('connect-timeout', t.connectTimeout(host, ms), BASE_URL_SETTING);
  if (has('EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL')) return f('network', t.unreachable(host), BASE_URL_SETTING);
  if (isTls) return f('tls', t.tls(host, codes.find(isTlsCode) ?? ''), BASE_URL_SETTING);
  if (has(DEADLINE_CODE)) return f('timeout', t.deadline(host, ctx.totalMs ?? ms * 3, phase), TIMEOUT_SETTING);
  if (has('UND_ERR_HEADERS_TIMEOUT')) return f('timeout', t.headersTimeout(host, ms, phase), TIMEOUT_SETTING);
  if (has('UND_ERR_BODY_TIMEOUT')) return f('timeout', t.bodyTimeout(host, ms, phase), TIMEOUT_SETTING);
  if (has('UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') || /terminated|other side closed|socket hang up/i.test(String((err as Error)?.message))) {
    return f('connection-dropped', t.dropped(host, phase), BASE_URL_SETTING);
  }
  const detail = codes.find((c) => /^[A-Z_]+$/.test(c)) ?? t.networkError;
  return f('network', t.otherNetwork(detail, phase, host, notSent), BASE_URL_SETTING);
}
