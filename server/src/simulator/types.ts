import type { DeliveryGrants, DeliveryOverrides } from '../core/facts/deliveryRules.ts';
import type { SimPushOptions } from './push.ts';
import type { Locale } from '../core/l10n/cli/text.ts';

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
  /** The language of the `log` lines (default English); the HTTP answers stay English. */
  locale?: Locale;
  /** Push user actions to the developer's server (message push); see server/src/simulator/push.ts. */
  push?: SimPushOptions;
}
