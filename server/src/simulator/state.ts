import { allowance, DELIVERY_RULES, userAction, withOverrides, type DeliveryOverrides, type DeliveryRules, type DeliveryTrigger } from '../core/facts/deliveryRules.ts';
import { mediaIdLike } from './answer.ts';
import type { Now } from './clock.ts';
import { SIM_LIMITS, SIM_MEDIA_LIFETIME_MS, SimLimitError } from './constants.ts';
import { SimTyping } from './typing.ts';
import type { Delivered, SimApp, SimMedia, SimRequest, SimToken, SimUser } from './types.ts';

/**
 * Everything the simulator knows: apps, users and their delivery grants, issued tokens, the
 * delivered / requests / media logs, and the typing indicators. Every collection is bounded
 * (SIM_LIMITS): logs are rings, registries refuse more with SimLimitError.
 */
export class SimState {
  readonly apps = new Map<string, SimApp>();
  /** Keyed `appid\nopenid` (userKey). */
  readonly users = new Map<string, SimUser>();
  readonly tokens = new Map<string, SimToken>();
  /** Per appid: the current stable_token token. */
  readonly stable = new Map<string, string>();
  /** Per appid: the newest plain cgi-bin/token token. */
  readonly plain = new Map<string, string>();
  /** Per appid: the last forced stable_token refresh and the count on its (Beijing) day. */
  readonly forced = new Map<string, { at: number; day: number; count: number }>();
  rules: DeliveryRules = DELIVERY_RULES;
  delivered: Delivered[] = [];
  requests: SimRequest[] = [];
  media: SimMedia[] = [];
  /** Entries the rings dropped since the last reset (shown in /_sim/state). */
  readonly dropped = { delivered: 0, requests: 0, media: 0, tokens: 0 };
  /** custom/typing (setTyping): see typing.ts. */
  readonly typing = new SimTyping();
  private deliveredBytes: number[] = [];
  private deliveredTotal = 0;
  private nextId = 1;
  private mediaBytes = new Map<string, { data: Buffer; type: string }>();
  private mediaBytesTotal = 0;

  constructor(private readonly clock: Now) {}

  /** Empties everything and starts over with these delivery rules. */
  clear(rules: DeliveryOverrides | undefined): void {
    this.apps.clear(); this.users.clear(); this.tokens.clear(); this.stable.clear(); this.plain.clear(); this.forced.clear();
    this.clearDelivered(); this.requests = []; this.media = [];
    for (const k of Object.keys(this.dropped) as (keyof typeof this.dropped)[]) this.dropped[k] = 0;
    this.mediaBytes.clear(); this.mediaBytesTotal = 0; this.typing.clear();
    this.rules = withOverrides(rules, DELIVERY_RULES);
  }

  setRules(overrides: DeliveryOverrides): void {
    this.rules = withOverrides(overrides, this.rules);
  }

  /** Adds or replaces an app; throws SimLimitError beyond SIM_LIMITS.apps. */
  addApp(app: SimApp): void {
    if (!this.apps.has(app.appid) && this.apps.size >= SIM_LIMITS.apps) throw new SimLimitError(`the simulator holds at most ${SIM_LIMITS.apps} apps; POST /_sim/reset first`);
    this.apps.set(app.appid, { ...app });
  }

  user(appid: string, openid: string): SimUser | undefined {
    return this.users.get(userKey(appid, openid));
  }

  /** All or nothing: either every user fits under SIM_LIMITS.users or none is added. */
  addUsers(appid: string, openids: string[], action: DeliveryTrigger | 'none', agoMs: number): void {
    const fresh = new Set(openids.filter((id) => !this.users.has(userKey(appid, id))));
    if (this.users.size + fresh.size > SIM_LIMITS.users) throw new SimLimitError(`the simulator holds at most ${SIM_LIMITS.users} users (${this.users.size} now); POST /_sim/reset first`);
    for (const openid of openids) {
      const grants = action === 'none' ? {} : userAction({}, action, this.clock.now() - agoMs, this.rules);
      this.users.set(userKey(appid, openid), { appid, openid, grants });
    }
  }

  /** A known user acts `agoMs` ago; false for an unknown user (allowances do not add up). */
  userActs(appid: string, openid: string, trigger: DeliveryTrigger, agoMs: number): boolean {
    const user = this.user(appid, openid);
    if (!user) return false;
    // An explicit action replaces the deferred entry of the default "entered" user.
    delete user.enterOnFirstUse;
    user.grants = userAction(user.grants, trigger, this.clock.now() - agoMs, this.rules);
    return true;
  }

  /** The default "entered" user enters through the button now, at its first use. */
  firstUse(user: SimUser): void {
    if (!user.enterOnFirstUse) return;
    delete user.enterOnFirstUse;
    user.grants = userAction(user.grants, 'enter-session', this.clock.now(), this.rules);
  }

  /** What `openid` may still receive now (undefined for an unknown user). */
  userAllowance(appid: string, openid: string): { remaining: number; deadline: number | undefined } | undefined {
    const user = this.user(appid, openid);
    if (!user) return undefined;
    const a = allowance(user.grants, this.clock.now(), this.rules);
    return { remaining: a.remaining, deadline: a.deadline };
  }

  /** The last message exchanged with a user: their last action, or the last message sent to them. */
  lastExchange(user: SimUser): number | undefined {
    const acted = Object.values(user.grants).map((g) => g.at);
    let last = acted.length ? Math.max(...acted) : undefined;
    for (let i = this.delivered.length - 1; i >= 0; i--) {
      const d = this.delivered[i];
      if (d.appid === user.appid && d.touser === user.openid) { last = Math.max(last ?? d.at, d.at); break; }
    }
    return last;
  }

  /** Into the delivered ring, bounded by count and by payload bytes. */
  deliver(d: Omit<Delivered, 'id'>, bytes: number): void {
    this.delivered.push({ id: this.nextId++, ...d });
    this.deliveredBytes.push(bytes);
    this.deliveredTotal += bytes;
    while (this.delivered.length > 1 && (this.delivered.length > SIM_LIMITS.delivered || this.deliveredTotal > SIM_LIMITS.deliveredBytes)) {
      this.delivered.shift();
      this.deliveredTotal -= this.deliveredBytes.shift()!;
      this.dropped.delivered++;
    }
  }

  clearDelivered(): void {
    this.delivered = []; this.deliveredBytes = []; this.deliveredTotal = 0;
  }

  /** Into the requests ring. */
  recordRequest(seen: SimRequest): void {
    this.requests.push(seen);
    const over = Math.max(0, this.requests.length - SIM_LIMITS.requests);
    if (over) this.requests.splice(0, over);
    this.dropped.requests += over;
  }

  /** An image of the app (uploaded, or "sent" by a user): temporary media, bytes kept for media/get. */
  addMedia(appid: string, data: Buffer, type: string): string {
    const mediaId = mediaIdLike();
    this.media.push({ mediaId, appid, type, size: data.length, at: this.clock.now() });
    this.mediaBytes.set(mediaId, { data, type });
    this.mediaBytesTotal += data.length;
    // The oldest goes first, its bytes with it (SIM_LIMITS.media entries, SIM_LIMITS.mediaBytes).
    while (this.media.length > 1 && (this.media.length > SIM_LIMITS.media || this.mediaBytesTotal > SIM_LIMITS.mediaBytes)) {
      const old = this.media.shift()!;
      this.mediaBytesTotal -= this.mediaBytes.get(old.mediaId)?.data.length ?? 0;
      this.mediaBytes.delete(old.mediaId);
      this.dropped.media++;
    }
    return mediaId;
  }

  mediaFile(mediaId: string): { data: Buffer; type: string } | undefined {
    return this.mediaBytes.get(mediaId);
  }

  /** Issued to this app and younger than 3 days. */
  issuedMedia(appid: string, mediaId: string): boolean {
    return this.media.some((m) => m.mediaId === mediaId && m.appid === appid && this.clock.now() - m.at <= SIM_MEDIA_LIFETIME_MS);
  }

  /**
   * Keeps at most SIM_LIMITS.tokens: the oldest goes first (it then answers 40001), never an
   * app's current stable or plain token.
   */
  rememberToken(t: SimToken): void {
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

  /** Marks tokens expired (→ 42001) or invalid (→ 40001); returns how many. */
  expireTokens(filter: { appid?: string; token?: string; mode?: 'expired' | 'invalid' }): number {
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
}

export function userKey(appid: string, openid: string): string {
  return `${appid}\n${openid}`;
}
