import { isIP } from 'node:net';

/**
 * The API base URL policy: https anywhere, plain http only to this machine (the simulator), so a
 * token is never sent in clear over a network and a typo cannot point it at a foreign host
 * unencrypted. Checked before any request is made.
 */
export const DEFAULT_API_BASE = 'https://api.weixin.qq.com';

/** Where a user changes the base URL, named in every message about it. */
export const BASE_URL_SETTING = 'wxmsg.api.baseUrl (CLI: --api-base or WXMSG_API_BASE)';
export const TIMEOUT_SETTING = 'wxmsg.api.timeout (CLI: --timeout)';

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
export function checkBaseUrl(raw: string | undefined): BaseUrlCheck {
  if (raw !== undefined && !raw.trim()) {
    return { ok: false, message: `the API base URL is empty; set ${BASE_URL_SETTING} to a URL (the real WeChat API is ${DEFAULT_API_BASE}) or leave it unset` };
  }
  const text = (raw ?? DEFAULT_API_BASE).trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `the API base URL "${shorten(text)}" is not a URL; set ${BASE_URL_SETTING} to e.g. ${DEFAULT_API_BASE}` };
  }
  if (url.username || url.password) {
    return { ok: false, message: `the API base URL must not carry a user name or password; check ${BASE_URL_SETTING}` };
  }
  if (url.search || url.hash) {
    return { ok: false, message: `the API base URL must not carry a query or fragment; check ${BASE_URL_SETTING}` };
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) {
      return { ok: false, message: `refusing plain http to ${url.host}: http is allowed only for this machine (127.0.0.1, localhost, [::1], e.g. the simulator); use https or fix ${BASE_URL_SETTING}` };
    }
  } else if (url.protocol !== 'https:') {
    return { ok: false, message: `the API base URL must start with https:// (http:// only for loopback), not ${url.protocol}//; check ${BASE_URL_SETTING}` };
  }
  const base = url.href.replace(/\/+$/, '');
  return { ok: true, url, base };
}

function shorten(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}
