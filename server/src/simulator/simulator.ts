import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import { isIP, type AddressInfo } from 'node:net';
import { hasPage } from '../core/rules/pages.ts';
import { isLoopbackHost } from '../wechat/baseUrl.ts';
import { allowance, DELIVERY_RULES, recordSend, ruleFor, userAction, withOverrides, type DeliveryGrants, type DeliveryOverrides, type DeliveryRules, type DeliveryTrigger } from '../core/facts/deliveryRules.ts';
import { sniffImage, MAX_IMAGE_BYTES, MEDIA_LIFETIME_MS } from '../wechat/image.ts';
import { wechatErrmsg } from '../core/facts/errcodes.ts';
import { SimPush, type SimPushOptions } from './push.ts';
import { SimTyping } from './typing.ts';

/**
 * A local fake of the WeChat API (loopback only) for tests, the e2e suite and trying wxmsg
 * without a real mini program. Never use it with real credentials.
 *
 * It answers only Host 127.0.0.1, localhost or [::1] with its own port (DNS rebinding); the
 * control routes also refuse a foreign Origin and POSTs that are not application/json. Its state
 * is bounded (SIM_LIMITS).
 *
 * WeChat endpoints (errcodes and errmsg texts verbatim from the catalog in errcodes.ts, the one
 * the decoder reads; errmsgs end in " rid: xxxxxxxx-xxxxxxxx-xxxxxxxx" like WeChat's). A wrong
 * method is 43002, an unknown /cgi-bin/ path 40066, both HTTP 200:
 *   POST /cgi-bin/stable_token   {grant_type, appid, secret, force_refresh} → {access_token, expires_in}
 *                                 47001 not JSON, 40002 grant_type, 41002 no appid, 40013 unknown appid,
 *                                 41004 no secret, 40125 wrong secret; normal mode rotates 5 min before
 *                                 expiry (old and new both valid meanwhile); force_refresh: same token
 *                                 within 30 s, 45009 over the daily cap (see stableToken)
 *   GET  /cgi-bin/token?grant_type&appid&secret → same; 40001 wrong secret (as the official
 *                                 getAccessToken page says); issues a new token each call, the
 *                                 previous one answers 40001 five minutes later
 *   POST /cgi-bin/message/custom/send?access_token=
 *        41001 no token, 40001 unknown token, 42001 expired token (TTL: tokenTtlSeconds), 44002 empty body,
 *        47001 bad JSON / missing field, 40003 form-encoded body, 45162 Official-Account-only msgtype,
 *        40008 unknown msgtype, 44004 empty text (no length limit: none is documented), 41006 empty media_id,
 *        40007 media_id not issued here (or older than 3 days), 40165 pagepath not in the app's pages
 *        (when configured), 40003 touser not a known user of the app, 45015 outside the reply
 *        window, 45047 over quota (deliveryRules.ts: allowances do not add up) → {errcode:0, errmsg:"ok"}
 *   POST /cgi-bin/media/upload?access_token=&type=image   multipart field `media`
 *        → {errcode:0, errmsg:"ok", type, media_id (64 characters), created_at}
 *        40004 not type=image / not an image, 44001 empty file, 40009 over 10 MB, 41005 no media field
 *   POST /cgi-bin/message/custom/typing?access_token=   {touser, command} setTyping (simTyping.ts): 45072 bad command,
 *        45080 no message exchanged in the last 30 s, 45081 already typing (15 s, or until a message is sent); GET → 43002
 *   GET  /cgi-bin/media/get?access_token=&media_id=   getTempMedia: the file; 41006 no media_id, 40007 unknown or over 3 days
 *
 * Control API (JSON in and out, on the same port; canonical prefix /_sim/, /__sim/ is an alias):
 *   GET    /_sim/state            apps, users (with remaining, deadline), rules, faults, counts, limits, dropped, clock
 *   POST   /_sim/reset            back to defaults ({"empty": true}: no apps, no users)
 *   POST   /_sim/apps             {appid, secret, pages?: string[], checkMedia?: boolean}
 *   POST   /_sim/users            {appid?, openid | openids: [], action?: "user-message" | "enter-session" | "none", agoMs?}
 *                                  (adds users and records their last action; default action user-message, just now)
 *   POST   /_sim/users/<openid>/message   {appid?, agoMs?} a registered user sends a message (allowances do not add up)
 *   POST   /_sim/users/<openid>/enter     {appid?, agoMs?} a registered user enters through the customer-service button
 *   POST   /_sim/faults           {type, path?, times?, errcode?, errmsg?, status?, ms?, body?, when?}
 *                                  type: errcode | http | non-json | no-errcode | text-plain | delay | reset | slow-body (ms, chunks)
 *                                  path: e.g. "/cgi-bin/message/custom/send" (default: any API path);
 *                                  times: how many matching requests (default 1; -1 = until cleared)
 *   DELETE /_sim/faults           clear faults
 *   POST   /_sim/tokens/expire    {appid?, token?, mode?: "expired" (→ 42001) | "invalid" (→ 40001)} → {count}
 *   GET    /_sim/tokens           issued tokens [{token, appid, kind, state, expiresAt, invalidAt?}]
 *   GET    /_sim/delivered        delivered messages [{id, appid, touser, msgtype, payload, at}]; DELETE clears
 *   GET    /_sim/requests         API requests seen [{method, path, at, forceRefresh?}] (no query: tokens never
 *                                  recorded; forceRefresh on stable_token requests); DELETE clears
 *   GET    /_sim/media            uploaded media [{mediaId, appid, type, size, at}]
 *   POST   /_sim/clock            {advanceMs?, freeze?} moves the simulator's clock (reply windows, token and media
 *                                  expiry); freeze: true stops it (only advanceMs moves it), false restarts it
 *   POST   /_sim/rules            {"user-message": {maxMessages?, windowMs?}, "enter-session": {…}}
 *
 * Message push (options.push, `wxmsg simulate --push-url`; see server/src/simulator/push.ts): the
 * user routes above also push to the developer's server; POST /_sim/push/verify, GET /_sim/pushes.
 */
export const SIM_DEFAULT_APPID = 'wx1234567890abcdef';
/** Documented test secret of the default app. Not a real AppSecret. */
export const SIM_DEFAULT_SECRET = 'wxmsg-simulator-secret';
export const SIM_USERS = {
  /** Messaged just now: 5 sends succeed (user-message rule). */
  ready: ['oWxmsgSimReadyUser0000000001', 'oWxmsgSimReadyUser0000000002', 'oWxmsgSimReadyUser0000000003'],
  /** Entered through the customer-service button just now: 2 sends within 1 minute. */
  entered: 'oWxmsgSimEnteredUser00000001',
  /** Last messaged 49 hours ago: 45015. */
  stale: 'oWxmsgSimStaleUser0000000001',
  /** Known but never messaged: 45015. */
  silent: 'oWxmsgSimSilentUser000000001',
} as const;

export type FaultType = 'errcode' | 'http' | 'non-json' | 'no-errcode' | 'text-plain' | 'delay' | 'reset' | 'slow-body';

export interface Fault {
  type: FaultType;
  /** Only requests to this path (default: any API path). */
  path?: string;
  /** Matching requests affected; default 1, -1 = until cleared. */
  times?: number;
  /** type errcode: the errcode (default -1) and errmsg. */
  errcode?: number;
  errmsg?: string;
  /** type http: the status (default 500). */
  status?: number;
  /** delay: before the headers; slow-body: between the two halves of the body. */
  ms?: number;
  /** non-json / no-errcode / http: the body to answer with. */
  body?: string;
  /** slow-body: how many pieces the body comes in (default 2). */
  chunks?: number;
  /** reset: drop the connection before the headers or in the middle of the body (default). */
  when?: 'before-headers' | 'mid-response';
}

export interface SimApp { appid: string; secret: string; pages?: string[]; checkMedia?: boolean }
/** `grants`: the latest action of each kind and the sends since it (deliveryRules.ts: allowances do not add up). */
export interface SimUser {
  appid: string; openid: string; grants: DeliveryGrants;
  /**
   * The default "entered" user: it enters through the customer-service button when it is first
   * used (a send or setTyping to it), so its 1-minute window starts then, not when the simulator
   * started (README: wxmsg simulate, then wxmsg send … --to it, at any later time).
   */
  enterOnFirstUse?: boolean;
}
export interface SimToken {
  token: string; appid: string; kind: 'stable' | 'token'; state: 'valid' | 'expired' | 'invalid'; expiresAt: number;
  /** A plain cgi-bin/token token superseded by a newer one: 40001 from this time on. */
  invalidAt?: number;
}
export interface Delivered { id: number; appid: string; touser: string; msgtype: string; payload: Record<string, unknown>; at: number }
export interface SimRequest {
  method: string; path: string; at: number;
  /** stable_token requests: whether the body asked for force_refresh (the body is never recorded). */
  forceRefresh?: boolean;
}
export interface SimMedia { mediaId: string; appid: string; type: string; size: number; at: number }

export interface SimulatorOptions {
  host?: string;
  port?: number;
  /** Start with the default app and users (default true). */
  defaults?: boolean;
  /** Default app's pages (e.g. from the example project's app.json), appid and AppSecret. */
  defaultPages?: string[];
  defaultAppid?: string;
  defaultSecret?: string;
  /** The default app accepts only media_ids this simulator issued (default true: as WeChat does). */
  checkMedia?: boolean;
  /** Delivery rules the simulator starts (and resets) with: the shared table with these numbers changed. */
  rules?: DeliveryOverrides;
  /** Lifetime of issued access tokens (default 7200, as WeChat's expires_in). */
  tokenTtlSeconds?: number;
  /** Forced stable_token refreshes allowed per app and day (default 20, as WeChat's); then 45009. */
  forceRefreshPerDay?: number;
  /**
   * Further `Host` values (name or name:port) to answer besides the loopback names with this
   * port, e.g. `api.weixin.qq.com` behind a TLS front in tests. Not a CLI flag: DNS rebinding.
   */
  hosts?: string[];
  /** One line per API request (method, path, errcode): never a token or secret. */
  log?: (line: string) => void;
  /** Push user actions to the developer's server (message push); see server/src/simulator/push.ts. */
  push?: SimPushOptions;
}

/*
 * Token rules, from the official getStableAccessToken page
 * (developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getStableAccessToken.html,
 * 其他说明): "在普通模式调用下，平台会提前5分钟更新access_token … 新旧access_token都可用 …
 * expires_in >= 300"; "强制刷新模式 … 限制每天20次 … 调用时间隔至少为30s，否则不会刷新".
 * The page names no errcode for the daily cap: 45009 "reach max api daily quota limit" is WeChat's
 * daily-quota code, and users report /cgi-bin/stable_token answering it
 * (developers.weixin.qq.com/community/personal/oCJUsw-dwHxcKb6QIOAEFgg8LDP0/answer).
 * Plain getAccessToken: each call issues a new token and the previous one stays usable for 5 more
 * minutes (its page: "公众平台后台会保证在5分钟内，新老 access_token 都可用"), then 40001.
 */
/** Normal mode hands out the next token this long before the current one expires. */
export const STABLE_ROTATE_MS = 5 * 60_000;
/** A second force_refresh sooner than this returns the same token. */
export const FORCE_REFRESH_INTERVAL_MS = 30_000;
export const DEFAULT_FORCE_REFRESH_PER_DAY = 20;
/** A superseded plain cgi-bin/token token answers 40001 this long after the next one was issued. */
export const PLAIN_TOKEN_OVERLAP_MS = 5 * 60_000;
/** WeChat's daily quotas count calendar days in Beijing time (UTC+8). */
const CST_OFFSET_MS = 8 * 3_600_000;

const OA_ONLY_MSGTYPES = new Set(['news', 'mpnews', 'mpnewsarticle', 'voice', 'video', 'music', 'msgmenu', 'wxcard']);

/**
 * Bounds on everything the simulator keeps, so a long run or a flood cannot grow it without limit.
 * Logs (delivered, requests, media) are rings: the oldest entry goes when a new one comes.
 * Registries (apps, users, faults) refuse more with HTTP 400 until /_sim/reset. Issued tokens
 * drop the oldest (it then answers 40001), never an app's current stable token.
 */
export const SIM_LIMITS = Object.freeze({
  delivered: 1000,
  /** Bytes of delivered payloads kept (the ring also drops the oldest beyond this). */
  deliveredBytes: 32 * 1024 * 1024,
  requests: 1000,
  media: 1000,
  /** Bytes of uploaded and user-sent images kept (media/get, PicUrl); the oldest media go beyond this. */
  mediaBytes: 64 * 1024 * 1024,
  tokens: 1000,
  users: 10_000,
  apps: 100,
  faults: 100,
  /** Request bodies: media/upload takes an image up to 10 MB plus the multipart framing. */
  uploadBody: MAX_IMAGE_BYTES + 1024 * 1024,
  /** Every other route (a WeChat message is a few KB). Over it: HTTP 413. */
  body: 1024 * 1024,
  /** A recorded request path is cut to this many characters. */
  path: 256,
});

/** A limit of the simulator was reached: the control API answers 400 with this message. */
export class SimLimitError extends Error {}

interface Answer { status: number; body: string; contentType: string; bytes?: Buffer; headers?: Record<string, string> }

export class Simulator {
  readonly server: http.Server;
  host = '127.0.0.1';
  port = 0;
  private apps = new Map<string, SimApp>();
  private users = new Map<string, SimUser>();
  private tokens = new Map<string, SimToken>();
  private stable = new Map<string, string>();
  /** Per appid: the newest plain cgi-bin/token token. */
  private plain = new Map<string, string>();
  /** Per appid: the last forced stable_token refresh and the count on its (Beijing) day. */
  private forced = new Map<string, { at: number; day: number; count: number }>();
  private faults: (Fault & { left: number })[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private clockOffset = 0;
  /** While frozen, the simulator's time stands still except for advanceClock (exact window edges). */
  private frozenAt: number | undefined;
  rules: DeliveryRules = DELIVERY_RULES;
  delivered: Delivered[] = [];
  requests: SimRequest[] = [];
  media: SimMedia[] = [];
  /** Entries the rings dropped since the last reset (shown in /_sim/state). */
  readonly dropped = { delivered: 0, requests: 0, media: 0, tokens: 0 };
  private deliveredBytes: number[] = [];
  private deliveredTotal = 0;
  private nextId = 1;
  /** 'request' (SimRequest) once an API request is read and recorded, before it is answered. */
  readonly events = new EventEmitter();
  /** Message push: user actions pushed to the developer's server, and their records. */
  readonly pushes: SimPush;
  private userMediaBytes = new Map<string, { data: Buffer; type: string }>();
  private mediaBytesTotal = 0;
  /** custom/typing (setTyping): see simTyping.ts. */
  private typingState = new SimTyping();

  constructor(private readonly options: SimulatorOptions = {}) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });
    const sim = this;
    this.pushes = new SimPush({
      now: () => this.now(), get url() { return sim.url; }, get defaultAppid() { return sim.defaultAppid; },
      addUserMedia: (appid, data, type) => this.addUserMedia(appid, data, type),
      userMedia: (id) => this.userMediaBytes.get(id),
      log: options.log,
    }, options.push);
    this.reset(options.defaults === false);
  }

  /** An image a user "sent" (message push): temporary media of the app, bytes kept for /_sim/media/<id>. */
  addUserMedia(appid: string, data: Buffer, type: string): string {
    const mediaId = mediaIdLike();
    this.addMedia({ mediaId, appid, type, size: data.length, at: this.now() }, data);
    return mediaId;
  }

  /**
   * Into the media ring (SIM_LIMITS.media entries, SIM_LIMITS.mediaBytes of files kept for
   * media/get and PicUrl): the oldest goes first, its bytes with it.
   */
  private addMedia(m: SimMedia, data: Buffer): void {
    this.media.push(m);
    this.userMediaBytes.set(m.mediaId, { data, type: m.type });
    this.mediaBytesTotal += data.length;
    while (this.media.length > 1 && (this.media.length > SIM_LIMITS.media || this.mediaBytesTotal > SIM_LIMITS.mediaBytes)) {
      const old = this.media.shift()!;
      this.mediaBytesTotal -= this.userMediaBytes.get(old.mediaId)?.data.length ?? 0;
      this.userMediaBytes.delete(old.mediaId);
      this.dropped.media++;
    }
  }

  /** Starts listening (loopback only) and resolves with the simulator. */
  static async start(options: SimulatorOptions = {}): Promise<Simulator> {
    const sim = new Simulator(options);
    await sim.listen(options.port ?? 0, options.host ?? '127.0.0.1');
    return sim;
  }

  async listen(port: number, host: string): Promise<void> {
    const mapped = mappedIPv4Refusal(host);
    if (mapped) throw new Error(mapped);
    if (!isLoopbackHost(host)) throw new Error(`the simulator listens on loopback only (127.0.0.1, localhost, ::1), not ${host}`);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => { this.server.off('error', reject); resolve(); });
    });
    const addr = this.server.address() as AddressInfo;
    this.port = addr.port;
    this.host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  now(): number {
    return this.frozenAt ?? Date.now() + this.clockOffset;
  }

  advanceClock(ms: number): void {
    if (!Number.isFinite(ms)) return;
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.clockOffset += ms;
  }

  /** Stops (true) or restarts (false) the simulator's clock; it resumes from where it stood. */
  freezeClock(freeze: boolean): void {
    if (freeze && this.frozenAt === undefined) this.frozenAt = this.now();
    if (!freeze && this.frozenAt !== undefined) {
      this.clockOffset = this.frozenAt - Date.now();
      this.frozenAt = undefined;
    }
  }

  /** Back to the default app and users (or nothing at all). */
  reset(empty = false): void {
    this.apps.clear(); this.users.clear(); this.tokens.clear(); this.stable.clear(); this.plain.clear(); this.forced.clear();
    this.faults = []; this.delivered = []; this.deliveredBytes = []; this.deliveredTotal = 0; this.requests = []; this.media = [];
    for (const k of Object.keys(this.dropped) as (keyof typeof this.dropped)[]) this.dropped[k] = 0;
    this.pushes?.clear(); this.userMediaBytes?.clear(); this.mediaBytesTotal = 0; this.typingState?.clear();
    this.rules = withOverrides(this.options.rules, DELIVERY_RULES); this.clockOffset = 0; this.frozenAt = undefined;
    if (empty) return;
    const appid = this.defaultAppid;
    this.addApp({ appid, secret: this.options.defaultSecret ?? SIM_DEFAULT_SECRET, checkMedia: this.options.checkMedia ?? true, ...(this.options.defaultPages ? { pages: this.options.defaultPages } : {}) });
    for (const u of SIM_USERS.ready) this.addUser(appid, u, 'user-message');
    this.addUser(appid, SIM_USERS.entered, 'none');
    this.users.get(`${appid}\n${SIM_USERS.entered}`)!.enterOnFirstUse = true;
    this.addUser(appid, SIM_USERS.stale, 'user-message', 49 * 3_600_000);
    this.addUser(appid, SIM_USERS.silent, 'none');
  }

  get defaultAppid(): string {
    return this.options.defaultAppid ?? SIM_DEFAULT_APPID;
  }

  /** Adds or replaces an app; throws SimLimitError beyond SIM_LIMITS.apps. */
  addApp(app: SimApp): void {
    if (!this.apps.has(app.appid) && this.apps.size >= SIM_LIMITS.apps) throw new SimLimitError(`the simulator holds at most ${SIM_LIMITS.apps} apps; POST /_sim/reset first`);
    this.apps.set(app.appid, { ...app });
  }

  /**
   * Adds (or replaces) a user whose only action so far was `action`, `agoMs` ago (nothing sent
   * since). Throws SimLimitError beyond SIM_LIMITS.users.
   */
  addUser(appid: string, openid: string, action: DeliveryTrigger | 'none' = 'user-message', agoMs = 0): void {
    this.addUsers(appid, [openid], action, agoMs);
  }

  /** All or nothing: either every user fits under SIM_LIMITS.users or none is added. */
  addUsers(appid: string, openids: string[], action: DeliveryTrigger | 'none' = 'user-message', agoMs = 0): void {
    const fresh = new Set(openids.filter((id) => !this.users.has(`${appid}\n${id}`)));
    if (this.users.size + fresh.size > SIM_LIMITS.users) throw new SimLimitError(`the simulator holds at most ${SIM_LIMITS.users} users (${this.users.size} now); POST /_sim/reset first`);
    for (const openid of openids) {
      const grants = action === 'none' ? {} : userAction({}, action, this.now() - agoMs, this.rules);
      this.users.set(`${appid}\n${openid}`, { appid, openid, grants });
    }
  }

  /**
   * A known user acts (sends a message, or enters through the customer-service button) `agoMs`
   * ago. Allowances do not add up: the user may then send max(what was left, the action's quota)
   * until max(the old deadline, the action's own). Returns false for an unknown user.
   */
  userActs(appid: string, openid: string, trigger: DeliveryTrigger, agoMs = 0): boolean {
    const user = this.users.get(`${appid}\n${openid}`);
    if (!user) return false;
    // An explicit action replaces the deferred entry of the default "entered" user.
    delete user.enterOnFirstUse;
    user.grants = userAction(user.grants, trigger, this.now() - agoMs, this.rules);
    return true;
  }

  /** The default "entered" user enters through the button now, at its first use. */
  private firstUse(user: SimUser): void {
    if (!user.enterOnFirstUse) return;
    delete user.enterOnFirstUse;
    user.grants = userAction(user.grants, 'enter-session', this.now(), this.rules);
  }

  /** What `openid` may still receive now (undefined for an unknown user). */
  userAllowance(appid: string, openid: string): { remaining: number; deadline: number | undefined } | undefined {
    const user = this.users.get(`${appid}\n${openid}`);
    if (!user) return undefined;
    const a = allowance(user.grants, this.now(), this.rules);
    return { remaining: a.remaining, deadline: a.deadline };
  }

  private issuedMedia(appid: string, mediaId: string): boolean {
    // Temporary media live 3 days.
    return this.media.some((m) => m.mediaId === mediaId && m.appid === appid && this.now() - m.at <= MEDIA_LIFETIME_MS);
  }

  /** Queues a fault; numbers that make no sense (from the control API) fall back to defaults. */
  injectFault(fault: Fault): void {
    if (this.faults.length >= SIM_LIMITS.faults) throw new SimLimitError(`at most ${SIM_LIMITS.faults} faults wait at a time; DELETE /_sim/faults first`);
    const int = (v: unknown, min: number, max: number): number | undefined =>
      (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined);
    const times = int(fault.times, -1, 1_000_000) ?? 1;
    const clean: Fault = {
      type: fault.type,
      ...(typeof fault.path === 'string' && fault.path ? { path: fault.path } : {}),
      times,
      ...(int(fault.errcode, -1_000_000, 1_000_000) !== undefined ? { errcode: fault.errcode } : {}),
      ...(typeof fault.errmsg === 'string' ? { errmsg: fault.errmsg } : {}),
      ...(int(fault.status, 100, 599) !== undefined ? { status: fault.status } : {}),
      ...(int(fault.ms, 0, 3_600_000) !== undefined ? { ms: fault.ms } : {}),
      ...(int(fault.chunks, 2, 100_000) !== undefined ? { chunks: fault.chunks } : {}),
      ...(typeof fault.body === 'string' ? { body: fault.body } : {}),
      ...(fault.when === 'before-headers' || fault.when === 'mid-response' ? { when: fault.when } : {}),
    };
    this.faults.push({ ...clean, left: times === 0 ? 1 : times });
  }

  clearFaults(): void {
    this.faults = [];
  }

  setRules(overrides: DeliveryOverrides): void {
    this.rules = withOverrides(overrides, this.rules);
  }

  /** Marks tokens expired (→ 42001) or invalid (→ 40001); returns how many. */
  expireTokens(filter: { appid?: string; token?: string; mode?: 'expired' | 'invalid' } = {}): number {
    let n = 0;
    for (const t of this.tokens.values()) {
      if (filter.token && t.token !== filter.token) continue;
      if (filter.appid && t.appid !== filter.appid) continue;
      if (t.state !== 'valid') continue;
      t.state = filter.mode === 'invalid' ? 'invalid' : 'expired';
      n++;
    }
    return n;
  }

  issuedTokens(): SimToken[] {
    return [...this.tokens.values()].map((t) => ({ ...t }));
  }

  /** How many API requests reached `path` (e.g. "/cgi-bin/message/custom/send"). */
  requestCount(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const control = controlPath(url.pathname);
    const refused = this.refuse(req, control !== undefined);
    if (refused) {
      this.options.log?.(`${req.method} ${url.pathname.slice(0, SIM_LIMITS.path)} → ${refused.status} refused: ${refused.message}`);
      // Answered before the body is read; the connection closes so no unread body lingers.
      const body = JSON.stringify({ error: refused.message });
      res.writeHead(refused.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' }).end(body);
      return;
    }
    const raw = await readBody(req, url.pathname === '/cgi-bin/media/upload' ? SIM_LIMITS.uploadBody : SIM_LIMITS.body);
    if (control) {
      let a: Answer;
      let bytes: Buffer | undefined;
      try {
        if (raw === undefined) {
          a = json({ error: `the body is over ${SIM_LIMITS.body} bytes` }, 413);
        } else {
          // Message push routes first (they wrap the user actions); see server/src/simulator/push.ts.
          const pushed = await this.pushes.control(req.method ?? 'GET', control, raw, () => this.control(req.method ?? 'GET', control, raw));
          a = pushed ?? this.control(req.method ?? 'GET', control, raw);
          bytes = pushed?.bytes;
        }
      } catch (e) {
        if (!(e instanceof SimLimitError)) throw e;
        a = json({ error: e.message }, 400);
      }
      res.writeHead(a.status, { 'content-type': a.contentType }).end(bytes ?? a.body);
      return;
    }
    const seen: SimRequest = { method: req.method ?? 'GET', path: url.pathname.slice(0, SIM_LIMITS.path), at: this.now() };
    if (url.pathname === '/cgi-bin/stable_token') seen.forceRefresh = parseObject(raw ?? '')?.force_refresh === true;
    this.dropped.requests += ring(this.requests, seen, SIM_LIMITS.requests);
    this.events.emit('request', seen);
    const fault = this.takeFault(url.pathname);
    if (fault?.type === 'reset' && fault.when === 'before-headers') {
      // The request was read (and is processed: delivery unknown), the answer never comes.
      if (raw !== undefined) this.route(req.method ?? 'GET', url, raw, req.headers['content-type']);
      req.socket.destroy();
      return;
    }
    let answer: Answer;
    if (fault && ['errcode', 'http', 'non-json', 'no-errcode'].includes(fault.type)) {
      answer = faultAnswer(fault);
    } else if (raw === undefined) {
      answer = { status: 413, body: 'request too large', contentType: 'text/plain' };
    } else {
      answer = this.route(req.method ?? 'GET', url, raw, req.headers['content-type']);
    }
    if (fault?.type === 'text-plain') answer = { ...answer, contentType: 'text/plain' };
    this.options.log?.(`${req.method} ${url.pathname}${seen.forceRefresh ? ' (force_refresh)' : ''} → ${answer.status}${/"errcode":(-?\d+)/.exec(answer.body)?.[1] !== undefined ? ` errcode ${/"errcode":(-?\d+)/.exec(answer.body)![1]}` : ''}${fault ? ` [fault ${fault.type}]` : ''}`);
    this.write(req, res, answer, fault);
  }

  /** The names this server answers to: the loopback names, and its own address, with its own port. */
  private allowedHosts(): Set<string> {
    const names = new Set(['127.0.0.1', 'localhost', '[::1]', this.host.toLowerCase()]);
    const hosts = new Set<string>((this.options.hosts ?? []).map((h) => h.toLowerCase()));
    for (const n of names) {
      hosts.add(`${n}:${this.port}`);
      if (this.port === 80) hosts.add(n);
    }
    return hosts;
  }

  /**
   * Why a request is refused, if it is. DNS rebinding: a web page whose name now points at
   * 127.0.0.1 still sends its own name in Host, so only loopback names with this port pass.
   * Cross-site requests to the control API: a foreign Origin, a browser's Sec-Fetch-Site
   * cross-site, or a POST that is not application/json (the only types an HTML form or a
   * no-preflight fetch can send are text/plain, form-urlencoded and multipart).
   */
  private refuse(req: http.IncomingMessage, control: boolean): { status: number; message: string } | undefined {
    const allowed = this.allowedHosts();
    const host = String(req.headers.host ?? '').toLowerCase();
    if (!allowed.has(host)) {
      return { status: 403, message: `the simulator answers only Host ${this.port === 80 ? 'localhost' : `localhost:${this.port}`}, 127.0.0.1 or [::1] with its port, not ${JSON.stringify(host.slice(0, 100))}` };
    }
    if (!control) return undefined;
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let o: URL | undefined;
      try { o = new URL(origin); } catch { o = undefined; }
      if (!o || o.protocol !== 'http:' || o.origin.toLowerCase() !== origin.toLowerCase() || !allowed.has(o.host.toLowerCase())) {
        return { status: 403, message: 'the control API refuses requests from another origin' };
      }
    }
    if (req.headers['sec-fetch-site'] === 'cross-site') return { status: 403, message: 'the control API refuses cross-site requests' };
    if (req.method === 'POST') {
      const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/json') return { status: 415, message: 'control API POSTs need the header content-type: application/json' };
    }
    return undefined;
  }

  private write(req: http.IncomingMessage, res: http.ServerResponse, a: Answer, fault: Fault | undefined): void {
    const bytes = a.bytes ?? Buffer.from(a.body, 'utf8');
    const headers = { ...a.headers, 'content-type': a.contentType, 'content-length': String(bytes.length) };
    const later = (ms: number, fn: () => void) => {
      const t = setTimeout(() => { this.timers.delete(t); fn(); }, ms);
      this.timers.add(t);
    };
    switch (fault?.type) {
      case 'delay':
        later(fault.ms ?? 60_000, () => { if (!res.destroyed) res.writeHead(a.status, headers).end(bytes); });
        return;
      case 'reset': {
        res.writeHead(a.status, headers);
        res.write(bytes.subarray(0, Math.max(1, bytes.length >> 1)), () => req.socket.destroy());
        return;
      }
      case 'slow-body': {
        // `chunks` pieces (default 2), `ms` apart: one long stall, or a trickle.
        const n = Math.min(Math.max(2, fault.chunks ?? 2), Math.max(2, bytes.length));
        const size = Math.ceil(bytes.length / n);
        res.writeHead(a.status, headers);
        let at = 0;
        const next = () => {
          if (res.destroyed) return;
          const piece = bytes.subarray(at, at + size);
          at += size;
          if (at >= bytes.length) { res.end(piece); return; }
          res.write(piece);
          later(fault.ms ?? 1000, next);
        };
        next();
        return;
      }
      default:
        res.writeHead(a.status, headers).end(bytes);
    }
  }

  private takeFault(path: string): Fault | undefined {
    const i = this.faults.findIndex((f) => !f.path || f.path === path);
    if (i === -1) return undefined;
    const f = this.faults[i];
    if (f.left > 0 && --f.left === 0) this.faults.splice(i, 1);
    return f;
  }

  private route(method: string, url: URL, raw: string, contentType: string | undefined): Answer {
    // Like WeChat, a wrong method on a POST route is HTTP 200 with 43002 "require POST method"
    // (shared/wechat-api-facts.md, "Other codes users of these calls see").
    const postOnly = (answer: () => Answer): Answer => (method === 'POST' ? answer() : err(43002));
    switch (url.pathname) {
      case '/cgi-bin/stable_token':
        return postOnly(() => this.stableToken(raw));
      case '/cgi-bin/token':
        return this.plainToken(url.searchParams);
      case '/cgi-bin/message/custom/send':
        return postOnly(() => this.send(url, raw));
      case '/cgi-bin/media/upload':
        return postOnly(() => this.upload(url, raw, contentType));
      case '/cgi-bin/message/custom/typing':
        return postOnly(() => this.typing(url, raw));
      case '/cgi-bin/media/get':
        return method === 'GET' ? this.getMedia(url) : notFound();
      default:
        // An API path WeChat does not have answers HTTP 200 with 40066 "invalid url", as users
        // report for mistyped /cgi-bin/ paths (wechatpy issues #179 and #289). Outside /cgi-bin/
        // the simulator is a plain web server: 404.
        return url.pathname.startsWith('/cgi-bin/') ? err(40066) : notFound();
    }
  }

  // One `now` per request: a clock that ticks between issuing and answering must not turn a fresh
  // token's 7200 into 7199, nor the current token's last 300 s into 299.
  private issue(appid: string, kind: 'stable' | 'token', now: number): SimToken {
    const ttl = this.options.tokenTtlSeconds ?? 7200;
    const t: SimToken = { token: tokenLike(), appid, kind, state: 'valid', expiresAt: now + ttl * 1000 };
    this.remember(t);
    return t;
  }

  /**
   * Keeps at most SIM_LIMITS.tokens: the oldest goes first (it then answers 40001), never an
   * app's current stable or plain token.
   */
  private remember(t: SimToken): void {
    this.tokens.set(t.token, t);
    if (this.tokens.size <= SIM_LIMITS.tokens) return;
    const current = new Set([...this.stable.values(), ...this.plain.values()]);
    for (const old of this.tokens.keys()) {
      if (current.has(old) || old === t.token) continue;
      this.tokens.delete(old);
      this.dropped.tokens++;
      if (this.tokens.size <= SIM_LIMITS.tokens) return;
    }
  }

  private tokenAnswer(t: SimToken, now: number): Answer {
    return json({ access_token: t.token, expires_in: Math.max(0, Math.floor((t.expiresAt - now) / 1000)) });
  }

  private stableToken(raw: string): Answer {
    const body = parseObject(raw);
    if (!body) return err(47001);
    if (body.grant_type !== 'client_credential') return err(40002);
    if (typeof body.appid !== 'string' || !body.appid) return err(41002);
    const app = this.apps.get(body.appid);
    if (!app) return err(40013);
    if (typeof body.secret !== 'string' || !body.secret) return err(41004);
    if (body.secret !== app.secret) return err(40125);
    const now = this.now();
    const current = this.stable.get(app.appid);
    const cur = current ? this.tokens.get(current) : undefined;
    if (body.force_refresh === true) {
      const last = this.forced.get(app.appid);
      // "否则不会刷新": within 30 s of the last forced refresh, the token stays as it is.
      if (cur && last && now - last.at < FORCE_REFRESH_INTERVAL_MS) return this.tokenAnswer(cur, now);
      const day = Math.floor((now + CST_OFFSET_MS) / 86_400_000);
      const count = last && last.day === day ? last.count : 0;
      if (count >= (this.options.forceRefreshPerDay ?? DEFAULT_FORCE_REFRESH_PER_DAY)) return err(45009);
      // A forced refresh invalidates the previous token at once (the one in its overlap too).
      for (const t of this.tokens.values()) if (t.appid === app.appid && t.kind === 'stable' && t.state === 'valid') t.state = 'invalid';
      this.forced.set(app.appid, { at: now, day, count: count + 1 });
      return this.tokenAnswer(this.issueStable(app.appid, now), now);
    }
    // Normal mode: the current token while more than the rotation margin is left, so expires_in
    // is never below 300 s; then the next one, while the previous stays valid to its own expiry.
    if (cur && this.usable(cur, now) && cur.expiresAt - now >= this.rotateMs()) return this.tokenAnswer(cur, now);
    return this.tokenAnswer(this.issueStable(app.appid, now), now);
  }

  /** 5 minutes; half the lifetime when --token-ttl makes tokens live 10 minutes or less. */
  private rotateMs(): number {
    return Math.min(STABLE_ROTATE_MS, ((this.options.tokenTtlSeconds ?? 7200) * 1000) / 2);
  }

  private usable(t: SimToken, now: number): boolean {
    return t.state === 'valid' && t.expiresAt > now && (t.invalidAt === undefined || now < t.invalidAt);
  }

  private issueStable(appid: string, now: number): SimToken {
    const t = this.issue(appid, 'stable', now);
    this.stable.set(appid, t.token);
    return t;
  }

  private plainToken(q: URLSearchParams): Answer {
    if (q.get('grant_type') !== 'client_credential') return err(40002);
    if (!q.get('appid')) return err(41002);
    const app = this.apps.get(q.get('appid')!);
    if (!app) return err(40013);
    if (!q.get('secret')) return err(41004);
    // The official getAccessToken page: 40001 "AppSecret 错误或者 AppSecret 不属于这个小程序".
    if (q.get('secret') !== app.secret) return err(40001);
    const now = this.now();
    const previous = this.tokens.get(this.plain.get(app.appid) ?? '');
    if (previous && previous.invalidAt === undefined) previous.invalidAt = now + PLAIN_TOKEN_OVERLAP_MS;
    const t = this.issue(app.appid, 'token', now);
    this.plain.set(app.appid, t.token);
    return this.tokenAnswer(t, now);
  }

  private checkToken(url: URL): { appid: string } | Answer {
    const token = url.searchParams.get('access_token');
    if (!token) return err(41001);
    const t = this.tokens.get(token);
    if (!t || t.state === 'invalid' || (t.invalidAt !== undefined && this.now() >= t.invalidAt)) return err(40001);
    if (t.state === 'expired' || t.expiresAt <= this.now()) return err(42001);
    return { appid: t.appid };
  }

  private send(url: URL, raw: string): Answer {
    const auth = this.checkToken(url);
    if ('status' in auth) return auth;
    const app = this.apps.get(auth.appid)!;
    if (!raw.trim()) return err(44002);
    const p = parseObject(raw);
    // WeChat reads the body as JSON whatever its content type (\uXXXX escapes included). A
    // form-encoded body (touser=…&msgtype=…) finds no OpenID: users report 40003 "invalid openid"
    // for it (shared/wechat-api-facts.md, "Behaviour seen by users in the wild").
    if (!p) return err(isFormEncoded(raw) ? 40003 : 47001);
    if (typeof p.touser !== 'string' || !p.touser) return err(47001);
    if (typeof p.msgtype !== 'string') return err(47001);
    const msgtype = p.msgtype;
    if (OA_ONLY_MSGTYPES.has(msgtype)) return err(45162);
    if (!['text', 'image', 'link', 'miniprogrampage'].includes(msgtype)) return err(40008);
    const body = p[msgtype];
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return err(47001);
    const b = body as Record<string, unknown>;
    const str = (k: string) => typeof b[k] === 'string';
    const missing = (keys: string[]) => keys.find((k) => !str(k));
    switch (msgtype) {
      case 'text':
        if (!str('content')) return err(47001);
        // No length check: the mini program page documents no limit (2048 bytes is WeCom's, where
        // longer text is truncated, not rejected); wxmsg lint warns about it instead.
        if (!(b.content as string).length) return err(44004);
        break;
      case 'image':
        if (!str('media_id')) return err(47001);
        if (!(b.media_id as string)) return err(41006);
        if (app.checkMedia && !this.issuedMedia(app.appid, b.media_id as string)) return err(40007);
        break;
      case 'link': {
        const m = missing(['title', 'description', 'url', 'thumb_url']);
        if (m) return err(47001);
        break;
      }
      case 'miniprogrampage': {
        const m = missing(['title', 'pagepath', 'thumb_media_id']);
        if (m) return err(47001);
        if (app.pages && !hasPage(app.pages, b.pagepath as string)) return err(40165);
        if (app.checkMedia && !this.issuedMedia(app.appid, b.thumb_media_id as string)) return err(40007);
        break;
      }
    }
    const user = this.users.get(`${app.appid}\n${p.touser}`);
    if (!user) return err(40003);
    this.firstUse(user);
    // The window includes its last millisecond: "within 1 minute" of the action.
    const allowed = allowance(user.grants, this.now(), this.rules);
    if (!allowed.open) return err(45015);
    if (allowed.remaining <= 0) return err(45047);
    user.grants = recordSend(user.grants);
    this.deliver({ id: this.nextId++, appid: app.appid, touser: p.touser, msgtype, payload: p, at: this.now() }, Buffer.byteLength(raw));
    this.typingState.messageSent(`${app.appid}\n${p.touser}`);
    return json({ errcode: 0, errmsg: 'ok' });
  }

  /** Into the delivered ring, bounded by count and by payload bytes. */
  private deliver(d: Delivered, bytes: number): void {
    this.delivered.push(d);
    this.deliveredBytes.push(bytes);
    this.deliveredTotal += bytes;
    while (this.delivered.length > 1 && (this.delivered.length > SIM_LIMITS.delivered || this.deliveredTotal > SIM_LIMITS.deliveredBytes)) {
      this.delivered.shift();
      this.deliveredTotal -= this.deliveredBytes.shift()!;
      this.dropped.delivered++;
    }
  }

  /** setTyping (simTyping.ts): 44002 empty, 47001 bad JSON or no touser, 40003 unknown user, 45072/45080/45081. */
  private typing(url: URL, raw: string): Answer {
    const auth = this.checkToken(url);
    if ('status' in auth) return auth;
    if (!raw.trim()) return err(44002);
    const p = parseObject(raw);
    if (!p) return err(47001);
    if (typeof p.touser !== 'string' || !p.touser) return err(47001);
    const key = `${auth.appid}\n${p.touser}`;
    const user = this.users.get(key);
    if (!user) return err(40003);
    this.firstUse(user);
    // The last message exchanged: the user's last action, or the last message sent to them.
    const acted = Object.values(user.grants).map((g) => g.at);
    let last = acted.length ? Math.max(...acted) : undefined;
    for (let i = this.delivered.length - 1; i >= 0; i--) {
      const d = this.delivered[i];
      if (d.appid === auth.appid && d.touser === p.touser) { last = Math.max(last ?? d.at, d.at); break; }
    }
    const code = this.typingState.command(key, p.command, this.now(), last);
    return code === 0 ? json({ errcode: 0, errmsg: 'ok' }) : err(code);
  }

  /** getTempMedia: the file, or 41006 without media_id, 40007 for an id not issued to this app or older than 3 days. */
  private getMedia(url: URL): Answer {
    const auth = this.checkToken(url);
    if ('status' in auth) return auth;
    const id = url.searchParams.get('media_id');
    if (!id) return err(41006);
    const m = this.userMediaBytes.get(id);
    if (!m || !this.issuedMedia(auth.appid, id)) return err(40007);
    const ext = m.type === 'image/jpeg' ? 'jpg' : m.type.slice('image/'.length);
    return { status: 200, body: '', bytes: m.data, contentType: m.type, headers: { 'content-disposition': `attachment; filename="${id}.${ext}"` } };
  }

  private upload(url: URL, raw: string, contentType: string | undefined): Answer {
    const auth = this.checkToken(url);
    if ('status' in auth) return auth;
    if (url.searchParams.get('type') !== 'image') return err(40004);
    const part = multipartField(Buffer.from(raw, 'latin1'), contentType, 'media');
    if (!part) return err(41005);
    // 44001 "empty media data" (shared/wechat-api-facts.md, "Other codes users of these calls see").
    if (part.length === 0) return err(44001);
    if (part.length > MAX_IMAGE_BYTES) return err(40009);
    const type = sniffImage(part);
    if (!type) return err(40004);
    const created = Math.floor(this.now() / 1000);
    const mediaId = mediaIdLike();
    this.addMedia({ mediaId, appid: auth.appid, type, size: part.length, at: this.now() }, Buffer.from(part));
    // The newer official upload sample answers errcode 0 / "ok" next to the media fields.
    return json({ errcode: 0, errmsg: 'ok', type: 'image', media_id: mediaId, created_at: created });
  }

  private control(method: string, path: string, raw: string): Answer {
    const body = raw.trim() ? parseObject(raw) : {};
    if (!body) return json({ error: 'body must be a JSON object' }, 400);
    const route = `${method} ${path.replace(/\/+$/, '')}`;
    const s = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    const act = /^POST \/_sim\/users\/([^/]+)\/(message|enter)$/.exec(route);
    if (act) {
      // "The user sent a message" / "the user entered through the button", for a registered user.
      let openid: string;
      try { openid = decodeURIComponent(act[1]); } catch { return json({ error: 'the openid in the path is not valid percent-encoding' }, 400); }
      const appid = s(body.appid) ?? this.defaultAppid;
      const trigger: DeliveryTrigger = act[2] === 'enter' ? 'enter-session' : 'user-message';
      const ago = typeof body.agoMs === 'number' && Number.isFinite(body.agoMs) ? body.agoMs : 0;
      if (!this.userActs(appid, openid, trigger, ago)) return json({ error: `no user ${openid} of app ${appid}: register it with POST /_sim/users first` }, 404);
      const rule = ruleFor(trigger, this.rules);
      const now = this.userAllowance(appid, openid)!;
      // remaining / until: what the user allows now (allowances do not add up; the larger one wins).
      return json({ ok: true, appid, openid, trigger, maxMessages: rule.maxMessages, windowMs: rule.windowMs, remaining: now.remaining, until: now.deadline });
    }
    switch (route) {
      case 'GET /_sim/state':
        return json({
          apps: [...this.apps.values()].map((a) => ({ appid: a.appid, pages: a.pages ?? null, checkMedia: !!a.checkMedia })),
          users: [...this.users.values()].map((u) => ({ ...u, ...this.userAllowance(u.appid, u.openid) })),
          rules: this.rules, faults: this.faults, delivered: this.delivered.length, requests: this.requests.length,
          media: this.media.length, tokens: this.tokens.size, dropped: this.dropped, limits: SIM_LIMITS,
          clockOffsetMs: this.frozenAt !== undefined ? this.frozenAt - Date.now() : this.clockOffset, clockFrozen: this.frozenAt !== undefined, now: this.now(),
        });
      case 'POST /_sim/reset':
        this.reset(body.empty === true);
        return json({ ok: true });
      case 'POST /_sim/apps': {
        if (!s(body.appid) || !s(body.secret)) return json({ error: 'appid and secret are required' }, 400);
        const pages = Array.isArray(body.pages) ? body.pages.filter((x): x is string => typeof x === 'string') : undefined;
        this.addApp({ appid: body.appid as string, secret: body.secret as string, ...(pages ? { pages } : {}), checkMedia: body.checkMedia === true });
        return json({ ok: true });
      }
      case 'POST /_sim/users': {
        const appid = s(body.appid) ?? this.defaultAppid;
        const ids = [...(Array.isArray(body.openids) ? body.openids : []), ...(s(body.openid) ? [body.openid] : [])].filter((x): x is string => typeof x === 'string' && x.length > 0);
        if (!ids.length) return json({ error: 'openid or openids is required' }, 400);
        const action = body.action === undefined ? 'user-message' : body.action;
        if (action !== 'user-message' && action !== 'enter-session' && action !== 'none') return json({ error: 'action is user-message, enter-session or none' }, 400);
        const ago = typeof body.agoMs === 'number' && Number.isFinite(body.agoMs) ? body.agoMs : 0;
        this.addUsers(appid, ids, action, ago);
        return json({ ok: true, count: ids.length });
      }
      case 'POST /_sim/faults': {
        const types: FaultType[] = ['errcode', 'http', 'non-json', 'no-errcode', 'text-plain', 'delay', 'reset', 'slow-body'];
        if (!types.includes(body.type as FaultType)) return json({ error: `type is one of ${types.join(', ')}` }, 400);
        this.injectFault(body as unknown as Fault);
        return json({ ok: true });
      }
      case 'DELETE /_sim/faults':
        this.clearFaults();
        return json({ ok: true });
      case 'POST /_sim/tokens/expire':
        return json({ count: this.expireTokens({ appid: s(body.appid), token: s(body.token), mode: body.mode === 'invalid' ? 'invalid' : 'expired' }) });
      case 'GET /_sim/tokens':
        return json(this.issuedTokens());
      case 'GET /_sim/delivered':
        return json(this.delivered);
      case 'DELETE /_sim/delivered':
        this.delivered = []; this.deliveredBytes = []; this.deliveredTotal = 0;
        return json({ ok: true });
      case 'GET /_sim/requests':
        return json(this.requests);
      case 'DELETE /_sim/requests':
        this.requests = [];
        return json({ ok: true });
      case 'GET /_sim/media':
        return json(this.media);
      case 'POST /_sim/clock': {
        const advance = body.advanceMs;
        const freeze = body.freeze;
        if (advance === undefined && freeze === undefined) return json({ error: 'advanceMs (a number) or freeze (a boolean) is required' }, 400);
        if (advance !== undefined && (typeof advance !== 'number' || !Number.isFinite(advance))) return json({ error: 'advanceMs must be a number' }, 400);
        if (freeze !== undefined && typeof freeze !== 'boolean') return json({ error: 'freeze must be true or false' }, 400);
        if (typeof freeze === 'boolean') this.freezeClock(freeze);
        if (typeof advance === 'number') this.advanceClock(advance);
        return json({ ok: true, now: this.now(), frozen: this.frozenAt !== undefined });
      }
      case 'POST /_sim/rules':
        this.setRules(body as DeliveryOverrides);
        return json({ ok: true, rules: this.rules });
      default:
        return json({ error: `no control route ${route}` }, 404);
    }
  }
}

/**
 * An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is refused: the URL it would print normalizes
 * to `http://[::ffff:7f00:1]:PORT`, a name `wxmsg send` does not take as loopback. The message
 * says what to use instead.
 */
export function mappedIPv4Refusal(host: string): string | undefined {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  // The URL parser writes every spelling (0:0:0:0:0:ffff:…, ::FFFF:7f00:1) as [::ffff:hhhh:hhhh].
  if (isIP(h) !== 6 || !new URL(`http://[${h}]/`).hostname.startsWith('[::ffff:')) return undefined;
  return `${host} is an IPv4-mapped IPv6 address, which the simulator does not listen on: use --host 127.0.0.1 (or ::1 for IPv6)`;
}

/**
 * The control API's path under its canonical prefix `/_sim/`, or undefined for an API path.
 * `/__sim/` (the first spelling) stays accepted as an alias.
 */
export function controlPath(pathname: string): string | undefined {
  if (pathname.startsWith('/_sim/')) return pathname;
  if (pathname.startsWith('/__sim/')) return `/_sim/${pathname.slice('/__sim/'.length)}`;
  return undefined;
}

/** Appends to a ring of at most `max` entries; returns how many old entries were dropped. */
function ring<T>(list: T[], item: T, max: number): number {
  list.push(item);
  const over = Math.max(0, list.length - max);
  if (over) list.splice(0, over);
  return over;
}

function json(value: unknown, status = 200): Answer {
  return { status, body: JSON.stringify(value), contentType: 'application/json; charset=utf-8' };
}

/**
 * As long as real ones, so a caller that stores them in a short column fails here, not in
 * production: media_ids are 64 characters, access tokens about 136 (WeChat reserves up to 512).
 */
export const SIM_MEDIA_ID_LENGTH = 64;
export const SIM_TOKEN_LENGTH = 136;
function mediaIdLike(): string {
  return randomBytes(SIM_MEDIA_ID_LENGTH * 3 / 4).toString('base64url');
}
function tokenLike(): string {
  return randomBytes(SIM_TOKEN_LENGTH * 3 / 4).toString('base64url');
}

function rid(): string {
  return [0, 1, 2].map(() => randomBytes(4).toString('hex')).join('-');
}

/**
 * An error answer: the catalog's verbatim English errmsg (one source with the decoder, never
 * localized, no hints of ours) and " rid: …" as WeChat appends it.
 */
function err(errcode: number): Answer {
  return errAnswer(errcode, wechatErrmsg(errcode));
}

/** `a=1&b=2`: a body posted as a form instead of JSON. */
function isFormEncoded(raw: string): boolean {
  const parts = raw.trim().split('&');
  return parts.every((p) => /^[^=\s{}[\]"]+=[^\s]*$/.test(p));
}

function errAnswer(errcode: number, errmsg: string): Answer {
  return json({ errcode, errmsg: `${errmsg} rid: ${rid()}` });
}

function knownErrmsg(code: number): string | undefined {
  try { return wechatErrmsg(code); } catch { return undefined; }
}

function notFound(): Answer {
  return { status: 404, body: '<html><body>404 Not Found</body></html>', contentType: 'text/html' };
}

function faultAnswer(f: Fault): Answer {
  switch (f.type) {
    case 'errcode':
      // The catalog's errmsg for a known code; a code WeChat might add tomorrow gets the caller's text.
      return errAnswer(f.errcode ?? -1, f.errmsg ?? knownErrmsg(f.errcode ?? -1) ?? 'injected error');
    case 'http':
      return { status: f.status ?? 500, body: f.body ?? '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' };
    case 'non-json':
      return { status: 200, body: f.body ?? '<html><body>Welcome to our Wi-Fi</body></html>', contentType: 'text/html' };
    default:
      return { status: 200, body: f.body ?? JSON.stringify({ result: 'unexpected' }), contentType: 'application/json' };
  }
}

function parseObject(raw: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The body as latin1 (bytes kept 1:1 for multipart), or undefined when over the cap. */
async function readBody(req: http.IncomingMessage, max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > max) over = true;
    else chunks.push(c as Buffer);
  }
  if (over) return undefined;
  const buf = Buffer.concat(chunks);
  const type = String(req.headers['content-type'] ?? '');
  return type.startsWith('multipart/') ? buf.toString('latin1') : buf.toString('utf8');
}

/** The bytes of one multipart/form-data field (enough of RFC 7578 for undici's FormData). */
function multipartField(body: Buffer, contentType: string | undefined, name: string): Buffer | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!m) return undefined;
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      if (new RegExp(`name="${name}"`, 'i').test(headers)) {
        let content = part.subarray(headerEnd + 4);
        if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
        return content;
      }
    }
    pos = next;
  }
  return undefined;
}
