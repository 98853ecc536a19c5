import { BASE_URL_SETTING, TIMEOUT_SETTING } from './baseUrl.ts';
import { TransportError } from './transport.ts';

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

const UNKNOWN_NOTE = ' The message may or may not have been delivered: check with the test user before sending again (wxmsg does not retry, to avoid a double send).';

/** Translates a network error; `sent` = the request may have left this machine. */
export function describeNetworkError(err: unknown, ctx: { host: string; timeoutMs: number; totalMs?: number; phase: Phase }): ApiFailure {
  const codes = codesOf(err);
  const has = (...c: string[]) => c.some((x) => codes.includes(x));
  const what = ({ token: 'getting an access token', upload: 'uploading', typing: 'setting the typing status', media: 'downloading media', send: 'sending' } as const)[ctx.phase];
  const host = ctx.host;
  const t = TransportError.is(err) ? err : undefined;
  // The transport knows when the request never went out (no connection, tunnel refused, TLS).
  const notSent = t?.requestSent === false;
  const isTls = codes.some(isTlsCode);
  const beforeConnect = notSent || codes.some((c) => BEFORE_CONNECT.has(c)) || isTls;
  const unknown = ctx.phase === 'send' && !beforeConnect;
  const proxy = t?.proxy;
  const via = proxy ? `the proxy ${proxy.shown} (set by ${proxy.source})` : 'a proxy (from the proxy settings of this machine or VS Code)';
  const note = (unknown ? UNKNOWN_NOTE : '') + (proxy && !notSent ? ` (Through ${via}.)` : '');
  const f = (kind: FailureKind, message: string, setting?: string): ApiFailure =>
    ({ kind, message: message + note, deliveryUnknown: unknown, ...(setting ? { setting } : {}) });

  if (t?.refusal) {
    const auth = t.refusal.status === 407 ? ' (it asks for a user name and password: put them in the proxy URL, http://user:password@host:port)' : '';
    return f('proxy', `${cap(via)} refused to open a tunnel to ${host}: ${t.refusal.reason}${auth}. Check ${proxy?.source ?? 'the proxy settings'}. Nothing was sent.`, proxy?.source);
  }
  if (has('AbortError', 'UND_ERR_ABORTED', 'UND_ERR_ABORT', 'ABORT_ERR')) {
    return f('cancelled', `${what} was cancelled.`);
  }
  if (proxy && notSent) {
    const check = `Check ${proxy.source}. Nothing was sent.`;
    if (has('ECONNREFUSED')) return f('proxy', `Could not connect to ${via}: connection refused (nothing is listening there). ${check}`, proxy.source);
    if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME')) return f('proxy', `Could not resolve the host name of ${via} (DNS lookup failed). ${check}`, proxy.source);
    if (has('EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL')) return f('proxy', `${cap(via)} is unreachable from this machine (no route). ${check}`, proxy.source);
    if (has('UND_ERR_CONNECT_TIMEOUT')) return f('proxy', `No connection to ${host} through ${via} within ${ctx.timeoutMs} ms. ${check}`, proxy.source);
    if (isTls) {
      const code = codes.find(isTlsCode);
      return f('tls', `The TLS certificate of ${host} was not accepted (${code}) on the tunnel through ${via}. A proxy that inspects TLS needs its CA certificate trusted (CLI: NODE_EXTRA_CA_CERTS; VS Code: the system certificate store); wxmsg never turns the check off. Nothing was sent.`, proxy.source);
    }
    const detail = codes.find((c) => /^[A-Z_0-9]+$/.test(c)) ?? (t?.message || 'network error');
    return f('proxy', `Could not open a connection to ${host} through ${via} (${detail}). ${check}`, proxy.source);
  }
  if (has('ECONNREFUSED')) {
    return f('refused', `Could not connect to ${host}: connection refused (nothing is listening there). Check ${BASE_URL_SETTING}; if it points at the simulator, start it with "wxmsg simulate". Nothing was sent.`, BASE_URL_SETTING);
  }
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME')) {
    return f('dns', `Could not resolve the host name ${host} (DNS lookup failed). Check ${BASE_URL_SETTING} and this machine's network/DNS. Nothing was sent.`, BASE_URL_SETTING);
  }
  if (has('UND_ERR_CONNECT_TIMEOUT')) {
    return f('connect-timeout', `Could not connect to ${host} within ${ctx.timeoutMs} ms. Check the network, ${BASE_URL_SETTING} and ${TIMEOUT_SETTING}. Nothing was sent.`, BASE_URL_SETTING);
  }
  if (has('EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL')) {
    return f('network', `${host} is unreachable from this machine (no route). Check the network and ${BASE_URL_SETTING}. Nothing was sent.`, BASE_URL_SETTING);
  }
  if (codes.some(isTlsCode)) {
    return f('tls', `The TLS certificate of ${host} was not accepted (${codes.find(isTlsCode)}). Check ${BASE_URL_SETTING} (a proxy or a wrong host?). Nothing was sent.`, BASE_URL_SETTING);
  }
  if (has(DEADLINE_CODE)) {
    return f('timeout', `The exchange with ${host} took longer than ${ctx.totalMs ?? ctx.timeoutMs * 3} ms in all while ${what} (the answer came too slowly). Raise ${TIMEOUT_SETTING} if the network is slow.`, TIMEOUT_SETTING);
  }
  if (has('UND_ERR_HEADERS_TIMEOUT')) {
    return f('timeout', `No answer from ${host} within ${ctx.timeoutMs} ms while ${what}. Raise ${TIMEOUT_SETTING} if the network is slow.`, TIMEOUT_SETTING);
  }
  if (has('UND_ERR_BODY_TIMEOUT')) {
    return f('timeout', `${host} started answering but stalled for more than ${ctx.timeoutMs} ms while ${what}. Raise ${TIMEOUT_SETTING} if the network is slow.`, TIMEOUT_SETTING);
  }
  if (has('UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') || /terminated|other side closed|socket hang up/i.test(String((err as Error)?.message))) {
    return f('connection-dropped', `The connection to ${host} was dropped before the answer was complete while ${what}. Check the network or proxy, and ${BASE_URL_SETTING}.`, BASE_URL_SETTING);
  }
  const detail = codes.find((c) => /^[A-Z_]+$/.test(c)) ?? 'network error';
  return f('network', `A network error (${detail}) occurred while ${what} with ${host}. Check the network and ${BASE_URL_SETTING}.${notSent ? ' Nothing was sent.' : ''}`, BASE_URL_SETTING);
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
