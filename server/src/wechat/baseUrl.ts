import { isIP } from 'node:net';
import { wechatText, type Locale } from '../core/l10n/cli/text.ts';

/**
 * The API base URL policy: https anywhere, plain http only to this machine (the simulator), so a
 * token is never sent in clear over a network and a typo cannot point it at a foreign host
 * unencrypted. Checked before any request is made.
 */
export const DEFAULT_API_BASE = 'https://api.weixin.qq.com';

/** Where a user changes the base URL, named in every message about it (ApiFailure.setting: English). */
export const BASE_URL_SETTING = wechatText('en').baseUrlSetting;
export const TIMEOUT_SETTING = wechatText('en').timeoutSetting;

export type BaseUrlCheck = { ok: true; url: URL; base: string } | { ok: false; message: string };

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  // Only the name itself: "*.localhost" may go to a DNS server that answers anything.
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.split('.')[0] === '127';
  // WHATWG URLs write an IPv4-mapped address in hex: [::ffff:127.0.0.1] is [::ffff:7f00:1].
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:(127\.|7f[0-9a-f]{2}:)/.test(h);
  return false;
}

/**
 * Only an absent value means the default (production). An empty or blank one (an unset `$VAR` in
 * CI, a cleared setting) is refused: it must never send a token to the real API by surprise.
 */
export function checkBaseUrl(raw: string | undefined, locale?: Locale): BaseUrlCheck {
  const t = wechatText(locale);
  if (raw !== undefined && !raw.trim()) {
    return { ok: false, message: t.baseEmpty(DEFAULT_API_BASE) };
  }
  const text = (raw ?? DEFAULT_API_BASE).trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: t.baseNotUrl(shorten(text), DEFAULT_API_BASE) };
  }
  if (url.username || url.password) {
    return { ok: false, message: t.baseUserInfo };
  }
  if (url.search || url.hash) {
    return { ok: false, message: t.baseQuery };
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) {
      return { ok: false, message: t.basePlainHttp(url.host) };
    }
  } else if (url.protocol !== 'https:') {
    return { ok: false, message: t.baseScheme(url.protocol) };
  }
  const base = url.href.replace(/\/+$/, '');
  return { ok: true, url, base };
}

function shorten(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}
