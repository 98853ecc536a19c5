import { maskOpenIdTail } from './openid.ts';
import { recipientText, type Locale } from '../core/l10n/cli/text.ts';

/**
 * The recipient of a send: whether a string can be an OpenID, and how one is shown. Small and
 * without the language service, so the extension's sending side can use it as it is.
 */

/** OpenIDs are 28 characters of [A-Za-z0-9_-] in practice; we only refuse what cannot be one. */
const OPENID_CHARS = /^[A-Za-z0-9_-]{1,128}$/;

/** Why `openid` cannot be an OpenID (in `locale`, default English), or undefined. */
export function checkOpenId(openid: string, locale?: Locale): string | undefined {
  const id = openid.trim();
  if (!id) return recipientText(locale).openIdEmpty;
  if (!OPENID_CHARS.test(id)) return recipientText(locale).openIdChars;
  return undefined;
}

/**
 * "oWx…0001": the end, as the OpenIDs of one app share their start (openid.ts; use
 * maskAmong() there when a set of test users is in view).
 */
export function maskOpenId(openid: string): string {
  return maskOpenIdTail(openid);
}

/** The body WeChat receives: `touser` first (any `touser` of the template replaced), then the rest. */
export function withRecipient(payload: Record<string, unknown>, openid: string): { payload: Record<string, unknown>; body: string } {
  const { touser: _old, ...rest } = payload;
  const out: Record<string, unknown> = { touser: openid.trim(), ...rest };
  // Serialized here: comments are gone, and JSON.stringify writes non-ASCII as UTF-8, so \uXXXX
  // escapes in a template never reach WeChat (whether custom/send answers 40033 to them is unconfirmed).
  return { payload: out, body: JSON.stringify(out) };
}
