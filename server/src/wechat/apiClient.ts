import { BASE_URL_SETTING, checkBaseUrl } from './baseUrl.ts';
import { decodeResult, ERRCODES, type DecodedResult } from '../core/facts/errcodes.ts';
import type { DeliveryRules } from '../core/facts/deliveryRules.ts';
import type { Locale } from '../core/types.ts';
import { wechatText } from '../core/l10n/cli/text.ts';
import { DEADLINE_CODE, describeNetworkError, type ApiFailure, type Phase } from './netErrors.ts';
import { MEDIA_LIFETIME_MS, readImage } from './image.ts';
import { redact } from './redact.ts';
import { sharedTokenCache, TokenCache } from './tokenCache.ts';
import { FileForceRefreshGuard, wxmsgCacheDir, type ForceRefreshGuard, type Notice } from './forceRefresh.ts';
import { encodeForm, TransportError, type Transport, type TransportResponse } from './transport.ts';

/**
 * The WeChat API client wxmsg sends with (CLI and extension): tokens from stable_token (or plain
 * token) cached in memory, custom/send and media/upload, the retry policy, and results that are
 * data, never exceptions. No vscode imports. Secrets (AppSecret, every token) are redacted from
 * every message, log line and result it produces.
 *
 * Retry policy: errcode 40001/42001/40014 → get a fresh token once and retry once (not possible
 * with a ready token); errcode -1 → retry at most twice with backoff; a timeout or a connection
 * dropped after the request went out → never retried, reported as delivery unknown.
 *
 * Refresh policy (a forced stable_token refresh invalidates the token the team's servers hold):
 * after 40001/42001/40014 the cached token is dropped and stable_token is asked in normal mode.
 * Only when normal mode hands back the very token WeChat just rejected does wxmsg force, and
 * never twice for one appid within 30 s, across processes too (forceRefresh.ts).
 */
export const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 1024 * 1024;
/** getTempMedia: images are at most 10 MB; videos more, but the customer-service API only has images. */
const MAX_MEDIA_BYTES = 20 * 1024 * 1024;
const MINUS_ONE_RETRIES = 2;
/** The whole exchange (connect, headers, body) may take this many timeouts at most. */
const TOTAL_TIMEOUT_FACTOR = 3;

export type Credentials =
  | { appid: string; appSecret: string }
  /** A ready token issued centrally: used as is, never refreshed. */
  | { appid?: string; accessToken: string };

export interface ClientOptions {
  /** Default https://api.weixin.qq.com; http only for loopback (see baseUrl.ts). */
  baseUrl?: string;
  /** Per request: time to the answer's headers and between body chunks. Default 10 s. */
  timeoutMs?: number;
  /** `stable` (default) does not invalidate the token other servers of the team hold. */
  tokenEndpoint?: 'stable' | 'token';
  tokenCache?: TokenCache;
  /** Backoff before -1 retries: backoffMs, then 2 × backoffMs. */
  backoffMs?: number;
  /** Injectable for tests. */
  delay?: (ms: number) => Promise<void>;
  /** Receives one redacted line per request. */
  log?: (line: string) => void;
  /**
   * How requests go out (transport.ts): the extension passes node:https (nodeTransport.ts);
   * WeChatClient (client.ts) defaults to undici, direct, and the CLI passes its proxy.
   */
  transport?: Transport;
  /** close() closes `transport` too (it was made for this client). */
  ownsTransport?: boolean;
  /** Delivery rules the decoded 45015/45047 texts quote. */
  rules?: DeliveryRules;
  /** Where the last forced refresh per appid is recorded; default: a file in wxmsgCacheDir(). */
  forceGuard?: ForceRefreshGuard;
  /** Notices in both languages (e.g. the forced refresh could not be recorded). */
  notice?: (notice: Notice) => void;
  /** The language of the decoded cause and action and of the failures in words (default English). */
  locale?: Locale;
}

let defaultGuard: ForceRefreshGuard | undefined;
/** One guard per process for clients that name none (the extension): its in-memory record is shared. */
function processGuard(): ForceRefreshGuard {
  defaultGuard ??= new FileForceRefreshGuard(wxmsgCacheDir());
  return defaultGuard;
}

export interface CallStats {
  /** Requests to the send/upload endpoint. */
  attempts: number;
  /** Token requests this call made (0 when the cache served it). */
  tokenRequests: number;
  tokenRefreshed: boolean;
  /** Whether this call asked stable_token with force_refresh: true. */
  tokenForced?: boolean;
}

export type ApiResult<Ok> =
  | (Ok & CallStats)
  | ({ status: 'api-error'; decoded: DecodedResult; note?: string } & CallStats)
  | ({ status: 'failed'; failure: ApiFailure; decoded?: DecodedResult } & CallStats);

export type SendResult = ApiResult<{ status: 'sent'; decoded: DecodedResult }>;
export type TypingResult = ApiResult<{ status: 'sent'; decoded: DecodedResult }>;
export type MediaResult = ApiResult<{ status: 'downloaded'; file: MediaFile; decoded: DecodedResult }>;
export type UploadResult = ApiResult<{ status: 'uploaded'; mediaId: string; type: string; createdAt?: number; expiresAt: number; decoded: DecodedResult }>;

export interface CallOptions {
  signal?: AbortSignal;
}

export class BaseUrlError extends Error {}

type Init = { body?: string | FormData; headers?: Record<string, string>; binary?: boolean };
/** `media`: a file answer (getTempMedia), with `json` standing in as errcode 0. */
type Answer = { ok: true; json: Record<string, unknown>; media?: MediaFile } | { ok: false; failure: ApiFailure };
export interface MediaFile { data: Buffer; type: string; filename?: string }
type TokenAnswer = { ok: true; token: string } | { ok: false; failure: ApiFailure; decoded?: DecodedResult };

/** From the catalog's `retry` column, so the retry policy and the decoded texts cannot disagree. */
const REFRESH_CODES = new Set(Object.entries(ERRCODES).filter(([, i]) => i.retry === 'refresh-token').map(([c]) => Number(c)));
const BACKOFF_CODES = new Set(Object.entries(ERRCODES).filter(([, i]) => i.retry === 'backoff').map(([c]) => Number(c)));

/**
 * The client over a given transport. Import it from here (not client.ts) where undici must not
 * be loaded: the extension sends with node:https, which VS Code's proxy support covers.
 */
export class WeChatApiClient {
  readonly base: string;
  readonly host: string;
  readonly timeoutMs: number;
  private readonly transport: Transport;
  private readonly ownTransport: boolean;
  private readonly cache: TokenCache;
  /** Every secret this client saw (AppSecrets, tokens): masked wherever text leaves it. */
  private readonly secrets = new Set<string>();

  constructor(private readonly options: ClientOptions & { transport: Transport }) {
    const checked = checkBaseUrl(options.baseUrl, options.locale);
    if (!checked.ok) throw new BaseUrlError(checked.message);
    this.base = checked.base;
    this.host = checked.url.host;
    const t = options.timeoutMs;
    this.timeoutMs = typeof t === 'number' && Number.isFinite(t) && t > 0 ? t : DEFAULT_TIMEOUT_MS;
    this.cache = options.tokenCache ?? sharedTokenCache;
    this.ownTransport = options.ownsTransport === true;
    this.transport = options.transport;
  }

  /** Releases the connection pool (the CLI calls this before exiting). */
  async close(): Promise<void> {
    if (this.ownTransport) await this.transport.close().catch(() => undefined);
  }

  /** Masks every secret this client knows of (plus `extra`) in `text`. */
  redact(text: string, extra: (string | undefined)[] = []): string {
    return redact(text, [...this.secrets, ...extra]);
  }

  /** POST custom/send with `body` (a prepared template, see template.ts). */
  async send(body: string | Record<string, unknown>, creds: Credentials, opts: CallOptions = {}): Promise<SendResult> {
    const json = typeof body === 'string' ? body : JSON.stringify(body);
    return this.withToken(creds, 'send', opts, (token) =>
      this.call('POST', '/cgi-bin/message/custom/send', { access_token: token }, { body: json, headers: { 'content-type': 'application/json; charset=utf-8' } }, 'send', opts),
      (j) => typeof j.errmsg === 'string' && j.errmsg.toLowerCase() === 'ok',
      (_j, decoded) => ({ status: 'sent' as const, decoded }));
  }

  /** setTyping: POST custom/typing {touser, command: "Typing" | "CancelTyping"}. */
  async typing(touser: string, command: 'Typing' | 'CancelTyping', creds: Credentials, opts: CallOptions = {}): Promise<TypingResult> {
    const json = JSON.stringify({ touser, command });
    return this.withToken(creds, 'typing', opts, (token) =>
      this.call('POST', '/cgi-bin/message/custom/typing', { access_token: token }, { body: json, headers: { 'content-type': 'application/json; charset=utf-8' } }, 'typing', opts),
      (j) => typeof j.errmsg === 'string' && j.errmsg.toLowerCase() === 'ok',
      (_j, decoded) => ({ status: 'sent' as const, decoded }));
  }

  /** getTempMedia: GET media/get?media_id=… → the file; an error answer is JSON with errcode. */
  async getMedia(mediaId: string, creds: Credentials, opts: CallOptions = {}): Promise<MediaResult> {
    let file: MediaFile | undefined;
    return this.withToken(creds, 'media', opts, async (token) => {
      const a = await this.call('GET', '/cgi-bin/media/get', { access_token: token, media_id: mediaId }, { binary: true }, 'media', opts);
      if (a.ok) file = a.media;
      return a;
    },
    () => file !== undefined,
    (_j, decoded) => ({ status: 'downloaded' as const, file: file!, decoded }));
  }

  /** POST media/upload?type=image (field `media`); checks type and size before sending anything. */
  async upload(file: string | { name: string; data: Uint8Array }, creds: Credentials, opts: CallOptions = {}): Promise<UploadResult> {
    const image = readImage(file, this.options.locale);
    if (!image.ok) return { status: 'failed', failure: image.failure, attempts: 0, tokenRequests: 0, tokenRefreshed: false };
    return this.withToken(creds, 'upload', opts, (token) => {
      const form = new FormData();
      form.append('media', new Blob([image.data], { type: image.type }), image.name);
      return this.call('POST', '/cgi-bin/media/upload', { access_token: token, type: 'image' }, { body: form }, 'upload', opts);
    },
    (j) => typeof j.media_id === 'string' && j.media_id.length > 0,
    (j, decoded) => {
      const createdAt = typeof j.created_at === 'number' ? j.created_at : undefined;
      return { status: 'uploaded' as const, mediaId: String(j.media_id), type: typeof j.type === 'string' ? j.type : 'image', createdAt,
        expiresAt: (createdAt ? createdAt * 1000 : Date.now()) + MEDIA_LIFETIME_MS, decoded };
    });
  }

  /** A token for `creds` (cached unless `force`); with a ready token, that token. */
  async getToken(creds: Credentials, force = false, opts: CallOptions = {}, stats?: CallStats): Promise<TokenAnswer> {
    if ('accessToken' in creds) {
      this.secrets.add(creds.accessToken);
      const t = this.t;
      return creds.accessToken.trim() ? { ok: true, token: creds.accessToken.trim() } : { ok: false, failure: credentialsFailure(t.tokenEmpty) };
    }
    this.secrets.add(creds.appSecret);
    const t = this.t;
    if (!creds.appid?.trim()) return { ok: false, failure: credentialsFailure(t.noAppid) };
    if (!creds.appSecret) return { ok: false, failure: credentialsFailure(t.secretEmpty) };
    const key = TokenCache.key(this.base, creds.appid, creds.appSecret);
    if (!force) {
      const cached = this.cache.get(key);
      // A token from the shared cache is a secret this client must mask too (errmsg echoes).
      if (cached) { this.secrets.add(cached); return { ok: true, token: cached }; }
    }
    const got = await this.cache.once(`${key}\n${force}`, async (): Promise<TokenAnswer> => {
      if (stats) stats.tokenRequests++;
      const stable = (this.options.tokenEndpoint ?? 'stable') === 'stable';
      const answer = stable
        ? await this.call('POST', '/cgi-bin/stable_token', {}, {
          body: JSON.stringify({ grant_type: 'client_credential', appid: creds.appid, secret: creds.appSecret, force_refresh: force }),
          headers: { 'content-type': 'application/json; charset=utf-8' },
        }, 'token', opts)
        : await this.call('GET', '/cgi-bin/token', { grant_type: 'client_credential', appid: creds.appid, secret: creds.appSecret }, {}, 'token', opts);
      if (!answer.ok) return answer;
      const j = answer.json;
      const token = typeof j.access_token === 'string' ? j.access_token : '';
      const errcode = errcodeOf(j, () => token.length > 0);
      if (errcode === 0 && token) {
        this.secrets.add(token);
        this.cache.set(key, token, typeof j.expires_in === 'number' ? j.expires_in : 7200);
        return { ok: true as const, token };
      }
      if (errcode === undefined || errcode === 0) {
        return { ok: false as const, failure: this.badResponse(t.tokenNotWeChat(this.host), 'token') };
      }
      const decoded = this.decode(errcode, j.errmsg);
      return {
        ok: false as const, decoded,
        failure: credentialsFailure(t.tokenFailed(creds.appid, decoded.errcode, decoded.description)),
      };
    });
    // The request may have been made by another client sharing the cache: mask its token here too.
    if (got.ok) this.secrets.add(got.token);
    return got;
  }

  private decode(errcode: number, errmsg: unknown): DecodedResult {
    return decodeResult(errcode, this.redact(typeof errmsg === 'string' ? errmsg : ''), this.options.rules, this.options.locale);
  }

  private async withToken<Ok extends { status: string }>(
    creds: Credentials, phase: Phase, opts: CallOptions,
    attempt: (token: string) => Promise<Answer>,
    plausibleSuccess: (j: Record<string, unknown>) => boolean,
    success: (j: Record<string, unknown>, decoded: DecodedResult) => Ok,
  ): Promise<ApiResult<Ok>> {
    const stats: CallStats = { attempts: 0, tokenRequests: 0, tokenRefreshed: false };
    const t = this.t;
    const ready = 'accessToken' in creds;
    let tok = await this.getToken(creds, false, opts, stats);
    let minusOne = 0;
    for (;;) {
      if (!tok.ok && tok.decoded && BACKOFF_CODES.has(tok.decoded.errcode) && minusOne < MINUS_ONE_RETRIES) {
        // -1 from the token endpoint: no token was issued and nothing sent; the decoded text
        // says wxmsg retried, so it does, with the same backoff as a send.
        await (this.options.delay ?? sleep)((this.options.backoffMs ?? 1000) * 2 ** minusOne);
        minusOne++;
        if (opts.signal?.aborted) return { status: 'failed', failure: { kind: 'cancelled', message: t.cancelledRetry, deliveryUnknown: false }, ...stats };
        // Normal mode even after a forced refresh: a force is never repeated here (see refreshRejected).
        tok = await this.getToken(creds, false, opts, stats);
        continue;
      }
      if (!tok.ok) return { status: 'failed', failure: tok.failure, ...(tok.decoded ? { decoded: tok.decoded } : {}), ...stats };
      if (opts.signal?.aborted) {
        return { status: 'failed', failure: { kind: 'cancelled', message: t.cancelledBefore(phase === 'upload'), deliveryUnknown: false }, ...stats };
      }
      stats.attempts++;
      const answer = await attempt(tok.token);
      if (!answer.ok) return { status: 'failed', failure: answer.failure, ...stats };
      const j = answer.json;
      const errcode = errcodeOf(j, () => plausibleSuccess(j));
      if (errcode === undefined) {
        return { status: 'failed', failure: this.badResponse(t.noErrcode(this.host, phase === 'upload'), phase), ...stats };
      }
      const decoded = this.decode(errcode, j.errmsg ?? (errcode === 0 ? 'ok' : ''));
      if (errcode === 0) {
        if (phase === 'upload' && !plausibleSuccess(j)) {
          return { status: 'failed', failure: this.badResponse(t.uploadNoMediaId(this.host), phase), ...stats };
        }
        return { ...success(j, decoded), ...stats };
      }
      if (REFRESH_CODES.has(errcode)) {
        if (ready) {
          return { status: 'api-error', decoded, note: t.readyTokenInvalid, ...stats };
        }
        if (!stats.tokenRefreshed) {
          stats.tokenRefreshed = true;
          const fresh = await this.refreshRejected(creds, tok.token, opts, stats);
          if ('held' in fresh) {
            return { status: 'api-error', decoded, note: notForcedNote(fresh.agoMs, this.options.locale), ...stats };
          }
          tok = fresh;
          continue;
        }
        return { status: 'api-error', decoded, note: t.freshTokenRejected, ...stats };
      }
      if (BACKOFF_CODES.has(errcode) && minusOne < MINUS_ONE_RETRIES) {
        const wait = (this.options.backoffMs ?? 1000) * 2 ** minusOne;
        minusOne++;
        await (this.options.delay ?? sleep)(wait);
        if (opts.signal?.aborted) return { status: 'failed', failure: { kind: 'cancelled', message: t.cancelledRetry, deliveryUnknown: false }, ...stats };
        continue;
      }
      return { status: 'api-error', decoded, ...stats };
    }
  }

  /**
   * A token to replace `rejected` (WeChat answered 40001/42001/40014 to it): normal mode first;
   * force only when normal mode hands back `rejected`, and not within 30 s of the last forced
   * refresh of this appid (then normal mode is asked once more: the other force's token).
   */
  private async refreshRejected(creds: { appid: string; appSecret: string }, rejected: string, opts: CallOptions, stats: CallStats): Promise<TokenAnswer | { held: true; agoMs: number }> {
    const key = TokenCache.key(this.base, creds.appid, creds.appSecret);
    const normal = async () => {
      this.cache.forget(key, rejected);
      return this.getToken(creds, false, opts, stats);
    };
    const first = await normal();
    if (!first.ok || first.token !== rejected) return first;
    const decision = await (this.options.forceGuard ?? processGuard()).tryForce(this.base, creds.appid, () => {
      stats.tokenForced = true;
      return this.getToken(creds, true, opts, stats);
    });
    for (const n of decision.notices) this.options.notice?.(n);
    if (decision.forced) return decision.value;
    const again = await normal();
    if (!again.ok || again.token !== rejected) return again;
    // Still the rejected token: the next call asks again rather than reusing it.
    this.cache.forget(key, rejected);
    return { held: true, agoMs: Math.max(0, Date.now() - decision.lastAt) };
  }

  /** One HTTP request; any failure becomes an ApiFailure in plain, redacted words. */
  private async call(method: 'GET' | 'POST', route: string, query: Record<string, string>, init: Init, phase: Phase, opts: CallOptions): Promise<Answer> {
    const qs = new URLSearchParams(query).toString();
    const url = `${this.base}${route}${qs ? `?${qs}` : ''}`;
    // Our own timers, precise where undici's are coarse: no headers within the timeout, or the
    // whole exchange over TOTAL_TIMEOUT_FACTOR timeouts (a server trickling a byte at a time
    // cannot hold a send open for ever). undici's headersTimeout/bodyTimeout stay as a backstop.
    const totalMs = this.timeoutMs * TOTAL_TIMEOUT_FACTOR;
    const deadline = new AbortController();
    let why: 'headers' | 'total' | undefined;
    const expire = (reason: 'headers' | 'total') => () => { why ??= reason; deadline.abort(); };
    const headersTimer = setTimeout(expire('headers'), this.timeoutMs);
    const totalTimer = setTimeout(expire('total'), totalMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, deadline.signal]) : deadline.signal;
    const ctx = { host: this.host, timeoutMs: this.timeoutMs, totalMs, phase, locale: this.options.locale };
    const describe = (e: unknown): ApiFailure => {
      if (!why || opts.signal?.aborted) return describeNetworkError(e, ctx);
      // Our deadline fired before the request went out (a slow connect or proxy): nothing was sent.
      if (TransportError.is(e) && !e.requestSent) return describeNetworkError(new TransportError({ code: 'UND_ERR_CONNECT_TIMEOUT' }, false, e.proxy), ctx);
      return describeNetworkError({ code: why === 'headers' ? 'UND_ERR_HEADERS_TIMEOUT' : DEADLINE_CODE }, ctx);
    };
    try {
      return await this.exchange(method, url, route, init, phase, signal, describe, () => clearTimeout(headersTimer));
    } finally {
      clearTimeout(headersTimer);
      clearTimeout(totalTimer);
    }
  }

  private async exchange(method: 'GET' | 'POST', url: string, route: string, init: Init, phase: Phase, signal: AbortSignal, describe: (e: unknown) => ApiFailure, gotHeaders: () => void): Promise<Answer> {
    const shown = this.redact(url);
    const t = this.t;
    const started = Date.now();
    const fail = (failure: ApiFailure): Answer => {
      this.log(`${method} ${shown} → ${failure.kind}${failure.status ? ` HTTP ${failure.status}` : ''} (${Date.now() - started} ms)`);
      return { ok: false, failure: { ...failure, message: this.redact(failure.message) } };
    };
    let res: TransportResponse;
    try {
      const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
      let body: string | Uint8Array | undefined;
      if (init.body instanceof FormData) {
        const form = await encodeForm(init.body);
        body = form.body;
        headers['content-type'] = form.contentType;
      } else {
        body = init.body;
      }
      res = await this.transport.request({ method, url, body, headers, signal, timeoutMs: this.timeoutMs });
      gotHeaders();
    } catch (e) {
      return fail(describe(e));
    }
    const type = String(res.headers['content-type'] ?? 'no content type');
    if (init.binary && res.status === 200 && !/^(application\/json|text\/)/i.test(type)) {
      // A file (getTempMedia): kept as bytes; WeChat's errors come as JSON (handled below).
      try {
        const data = await readBytes(res, MAX_MEDIA_BYTES);
        const disposition = String(res.headers['content-disposition'] ?? '');
        const filename = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
        this.log(`${method} ${shown} → HTTP 200 ${type} ${data.length} bytes (${Date.now() - started} ms)`);
        return { ok: true, json: { errcode: 0, errmsg: 'ok' }, media: { data, type: type.split(';')[0].trim(), ...(filename ? { filename: filename.replace(/[\\/]/g, '_') } : {}) } };
      } catch (e) {
        if (e instanceof TooLarge) return fail(this.badResponse(t.fileTooLarge(this.host, MAX_MEDIA_BYTES), phase));
        return fail(describe(e));
      }
    }
    let text: string;
    try {
      text = await readCapped(res, MAX_ANSWER_BYTES);
    } catch (e) {
      if (e instanceof TooLarge) return fail(this.badResponse(t.answerTooLarge(this.host, MAX_ANSWER_BYTES), phase));
      return fail(describe(e));
    }
    const status = res.status;
    if (status >= 500) {
      const unknown = phase === 'send';
      return fail({
        kind: 'http', status, deliveryUnknown: unknown, setting: BASE_URL_SETTING,
        message: t.http5xx(this.host, status, unknown),
      });
    }
    if (status !== 200) {
      return fail({
        kind: 'http', status, deliveryUnknown: false, setting: BASE_URL_SETTING,
        message: t.httpOther(this.host, status, route),
      });
    }
    // WeChat sometimes labels JSON as text/plain: parse whatever the content type says.
    let json: unknown;
    try {
      json = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      return fail(this.badResponse(t.notJson(this.host, status, this.redact(type), Buffer.byteLength(text)), phase));
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      return fail(this.badResponse(t.notObject(this.host), phase));
    }
    const obj = json as Record<string, unknown>;
    this.log(`${method} ${shown} → HTTP ${status}${'errcode' in obj ? ` errcode ${String(obj.errcode)}` : ''} (${Date.now() - started} ms)`);
    return { ok: true, json: obj };
  }

  /** The client's words (ClientOptions.locale). */
  private get t() {
    return wechatText(this.options.locale);
  }

  private badResponse(message: string, phase: Phase): ApiFailure {
    const unknown = phase === 'send';
    return { kind: 'bad-response', deliveryUnknown: unknown, setting: BASE_URL_SETTING, message: message + (unknown ? this.t.maybeDelivered : '') };
  }

  private log(line: string): void {
    this.options.log?.(this.redact(line));
  }
}

/** errcode of an answer; missing counts as 0 only when the expected success fields are there. */
function errcodeOf(j: Record<string, unknown>, plausibleSuccess: () => boolean): number | undefined {
  if (!('errcode' in j) || j.errcode === null) return plausibleSuccess() ? 0 : undefined;
  const v = j.errcode;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

/** In the client's locale; a client that names none (the extension) gets both languages, as before. */
function notForcedNote(agoMs: number, locale: Locale | undefined): string {
  const wait = Math.max(1, Math.ceil((30_000 - agoMs) / 1000));
  const ago = Math.round(agoMs / 1000);
  if (locale) return wechatText(locale).notForced(ago, wait);
  return `${wechatText('en').notForced(ago, wait)}\n        ${wechatText('zh-cn').notForced(ago, wait)}`;
}

function credentialsFailure(message: string): ApiFailure {
  return { kind: 'credentials', message, deliveryUnknown: false };
}

class TooLarge extends Error {}

async function readCapped(res: TransportResponse, max: number): Promise<string> {
  return (await readBytes(res, max)).toString('utf8');
}

async function readBytes(res: TransportResponse, max: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += chunk.byteLength;
    if (size > max) {
      res.destroy();
      throw new TooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

