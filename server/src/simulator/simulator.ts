/**
 * A local fake of the WeChat API (loopback only) for tests, the e2e suite and trying wxmsg
 * without a real mini program. Never use it with real credentials.
 *
 * It answers only Host 127.0.0.1, localhost or [::1] with its own port (DNS rebinding); the
 * control routes also refuse a foreign Origin and POSTs that are not application/json (guard.ts).
 * Its state is bounded (SIM_LIMITS in constants.ts).
 *
 * The parts: state.ts (apps, users, tokens, logs), clock.ts, api/ (the WeChat endpoints, a
 * table by path in api/routes.ts), payload.ts (its own checks of messages, pages and images:
 * never the language service's rules), multipart.ts (capped bodies, uploads parsed by the
 * platform's Response.formData()), faults.ts, control.ts (the control routes, a table), push.ts
 * and typing.ts. This file puts them behind one class and one HTTP server.
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
 *        40004 not type=image / not an image, 44001 empty file, 40009 over 10 MB, 41005 no file in field
 *        `media` (also for a body that is not multipart/form-data or does not parse); a body over
 *        SIM_LIMITS.uploadBody: HTTP 413
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
import { simText } from '../core/l10n/cli/text.ts';
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackHost } from '../wechat/baseUrl.ts';
import type { DeliveryOverrides, DeliveryRules, DeliveryTrigger } from '../core/facts/deliveryRules.ts';
import { json, parseObject, type Answer } from './answer.ts';
import { routeApi } from './api/routes.ts';
import { SimClock } from './clock.ts';
import { SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET, SIM_LIMITS, SIM_USERS, SimLimitError } from './constants.ts';
import { control } from './control.ts';
import { FaultQueue, faultAnswer, Timers, writeAnswer, type Fault } from './faults.ts';
import { allowedHosts, controlPath, mappedIPv4Refusal, refusal } from './guard.ts';
import { readCapped } from './multipart.ts';
import { SimPush } from './push.ts';
import { SimState, userKey } from './state.ts';
import type { Delivered, SimApp, SimMedia, SimRequest, SimToken, SimulatorOptions } from './types.ts';

export {
  CST_OFFSET_MS, DEFAULT_FORCE_REFRESH_PER_DAY, FORCE_REFRESH_INTERVAL_MS, PLAIN_TOKEN_OVERLAP_MS, SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET,
  SIM_LIMITS, SIM_MAX_IMAGE_BYTES, SIM_MEDIA_ID_LENGTH, SIM_MEDIA_LIFETIME_MS, SIM_TOKEN_LENGTH, SIM_USERS, SimLimitError, STABLE_ROTATE_MS,
} from './constants.ts';
export type { Fault, FaultType } from './faults.ts';
export { controlPath, mappedIPv4Refusal } from './guard.ts';
export type { Delivered, SimApp, SimMedia, SimRequest, SimToken, SimUser, SimulatorOptions } from './types.ts';

export class Simulator {
  readonly server: http.Server;
  host = '127.0.0.1';
  port = 0;
  readonly clock = new SimClock();
  /** The parts read the time through now(), so a test may replace it. */
  private readonly time = { now: () => this.now() };
  readonly state = new SimState(this.time);
  readonly faults = new FaultQueue();
  /** 'request' (SimRequest) once an API request is read and recorded, before it is answered. */
  readonly events = new EventEmitter();
  /** Message push: user actions pushed to the developer's server, and their records. */
  readonly pushes: SimPush;
  private readonly timers = new Timers();

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
      userMedia: (id) => this.state.mediaFile(id),
      log: options.log,
      locale: options.locale,
    }, options.push);
    this.reset(options.defaults === false);
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
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  // The state, read through (the logs are replaced on reset, so never keep them across one).
  get rules(): DeliveryRules { return this.state.rules; }
  set rules(rules: DeliveryRules) { this.state.rules = rules; }
  get delivered(): Delivered[] { return this.state.delivered; }
  get requests(): SimRequest[] { return this.state.requests; }
  get media(): SimMedia[] { return this.state.media; }
  /** Entries the rings dropped since the last reset (shown in /_sim/state). */
  get dropped(): SimState['dropped'] { return this.state.dropped; }

  now(): number {
    return this.clock.now();
  }

  advanceClock(ms: number): void {
    this.clock.advance(ms);
  }

  /** Stops (true) or restarts (false) the simulator's clock; it resumes from where it stood. */
  freezeClock(freeze: boolean): void {
    this.clock.freeze(freeze);
  }

  /** Back to the default app and users (or nothing at all). */
  reset(empty = false): void {
    this.state.clear(this.options.rules);
    this.faults.clear();
    this.pushes?.clear();
    this.clock.reset();
    if (empty) return;
    const appid = this.defaultAppid;
    this.addApp({ appid, secret: this.options.defaultSecret ?? SIM_DEFAULT_SECRET, checkMedia: this.options.checkMedia ?? true, ...(this.options.defaultPages ? { pages: this.options.defaultPages } : {}) });
    for (const u of SIM_USERS.ready) this.addUser(appid, u, 'user-message');
    this.addUser(appid, SIM_USERS.entered, 'none');
    this.state.users.get(userKey(appid, SIM_USERS.entered))!.enterOnFirstUse = true;
    this.addUser(appid, SIM_USERS.stale, 'user-message', 49 * 3_600_000);
    this.addUser(appid, SIM_USERS.silent, 'none');
  }

  get defaultAppid(): string {
    return this.options.defaultAppid ?? SIM_DEFAULT_APPID;
  }

  /** Adds or replaces an app; throws SimLimitError beyond SIM_LIMITS.apps. */
  addApp(app: SimApp): void {
    this.state.addApp(app);
  }

  /**
   * Adds (or replaces) a user whose only action so far was `action`, `agoMs` ago (nothing sent
   * since). Throws SimLimitError beyond SIM_LIMITS.users.
   */
  addUser(appid: string, openid: string, action: DeliveryTrigger | 'none' = 'user-message', agoMs = 0): void {
    this.state.addUsers(appid, [openid], action, agoMs);
  }

  /** All or nothing: either every user fits under SIM_LIMITS.users or none is added. */
  addUsers(appid: string, openids: string[], action: DeliveryTrigger | 'none' = 'user-message', agoMs = 0): void {
    this.state.addUsers(appid, openids, action, agoMs);
  }

  /**
   * A known user acts (sends a message, or enters through the customer-service button) `agoMs`
   * ago. Allowances do not add up: the user may then send max(what was left, the action's quota)
   * until max(the old deadline, the action's own). Returns false for an unknown user.
   */
  userActs(appid: string, openid: string, trigger: DeliveryTrigger, agoMs = 0): boolean {
    return this.state.userActs(appid, openid, trigger, agoMs);
  }

  /** What `openid` may still receive now (undefined for an unknown user). */
  userAllowance(appid: string, openid: string): { remaining: number; deadline: number | undefined } | undefined {
    return this.state.userAllowance(appid, openid);
  }

  /** An image a user "sent" (message push): temporary media of the app, bytes kept for /_sim/media/<id>. */
  addUserMedia(appid: string, data: Buffer, type: string): string {
    return this.state.addMedia(appid, data, type);
  }

  /** Queues a fault; numbers that make no sense (from the control API) fall back to defaults. */
  injectFault(fault: Fault): void {
    this.faults.inject(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setRules(overrides: DeliveryOverrides): void {
    this.state.setRules(overrides);
  }

  /** Marks tokens expired (→ 42001) or invalid (→ 40001); returns how many. */
  expireTokens(filter: { appid?: string; token?: string; mode?: 'expired' | 'invalid' } = {}): number {
    return this.state.expireTokens(filter);
  }

  issuedTokens(): SimToken[] {
    return this.state.issuedTokens();
  }

  /** How many API requests reached `path` (e.g. "/cgi-bin/message/custom/send"). */
  requestCount(path: string): number {
    return this.state.requests.filter((r) => r.path === path).length;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://simulator');
    const ctl = controlPath(url.pathname);
    const refused = refusal(req, ctl !== undefined, allowedHosts(this.host, this.port, this.options.hosts), this.port);
    if (refused) {
      this.options.log?.(simText(this.options.locale).refused(method, url.pathname.slice(0, SIM_LIMITS.path), refused.status, refused.say(simText(this.options.locale))));
      // Answered before the body is read; the connection closes so no unread body lingers.
      const body = JSON.stringify({ error: refused.message });
      res.writeHead(refused.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' }).end(body);
      return;
    }
    // The cap first: nothing past it is buffered (multipart.ts).
    const read = await readCapped(req, url.pathname === '/cgi-bin/media/upload' ? SIM_LIMITS.uploadBody : SIM_LIMITS.body);
    const raw = read.over ? undefined : read.bytes.toString('utf8');
    if (ctl) {
      let a: Answer;
      try {
        if (raw === undefined) {
          a = json({ error: `the body is over ${SIM_LIMITS.body} bytes` }, 413);
        } else {
          // Message push routes first (they wrap the user actions); see push.ts.
          const pushed = await this.pushes.control(method, ctl, raw, () => control(this, method, ctl, raw));
          a = pushed ?? control(this, method, ctl, raw);
        }
      } catch (e) {
        if (!(e instanceof SimLimitError)) throw e;
        a = json({ error: e.message }, 400);
      }
      res.writeHead(a.status, { 'content-type': a.contentType }).end(a.bytes ?? a.body);
      return;
    }
    const seen: SimRequest = { method, path: url.pathname.slice(0, SIM_LIMITS.path), at: this.now() };
    if (url.pathname === '/cgi-bin/stable_token') seen.forceRefresh = parseObject(raw ?? '')?.force_refresh === true;
    this.state.recordRequest(seen);
    this.events.emit('request', seen);
    const fault = this.faults.take(url.pathname);
    const apiRequest = () => routeApi({ state: this.state, clock: this.time, options: this.options }, { method, url, text: raw!, bytes: read.over ? Buffer.alloc(0) : read.bytes, contentType: req.headers['content-type'] });
    if (fault?.type === 'reset' && fault.when === 'before-headers') {
      // The request was read (and is processed: delivery unknown), the answer never comes.
      if (raw !== undefined) await apiRequest();
      req.socket.destroy();
      return;
    }
    let answer = faultAnswer(fault)
      ?? (raw === undefined ? { status: 413, body: 'request too large', contentType: 'text/plain' } : await apiRequest());
    if (fault?.type === 'text-plain') answer = { ...answer, contentType: 'text/plain' };
    const errcode = /"errcode":(-?\d+)/.exec(answer.body)?.[1];
    this.options.log?.(simText(this.options.locale).request(String(req.method), url.pathname, !!seen.forceRefresh, answer.status, errcode, fault?.type));
    writeAnswer(req, res, answer, fault, this.timers);
  }
}
