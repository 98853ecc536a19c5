import { isLoopbackHost } from '../baseUrl.ts';
import { parseEncodingAesKey, PushKeyError } from './crypto.ts';
import type { PushFormat, PushMode, PushSecrets } from './message.ts';
import { pushText, type Locale } from '../../core/l10n/cli/text.ts';

/**
 * The push settings shared by `wxmsg push` and `wxmsg simulate --push-url`. The Token and the
 * EncodingAESKey are secrets: they come only from the environment (WXMSG_PUSH_TOKEN,
 * WXMSG_PUSH_AES_KEY) and no message here ever contains them.
 */
export const PUSH_TOKEN_ENV = 'WXMSG_PUSH_TOKEN';
export const PUSH_AES_KEY_ENV = 'WXMSG_PUSH_AES_KEY';
/** WeChat waits 5 s for an answer and tries up to 3 times (customer-message/receive.html). */
export const PUSH_TIMEOUT_MS = 5000;
export const PUSH_TRIES = 3;
/** The system message WeChat shows the user when a push failed (customer-message/receive.html). */
export const USER_SEES_FAILURE = '该小程序客服暂时无法提供服务，请稍后再试';
/** The mini program's original id the simulator pushes as `ToUserName` (made up: "wxmsg" in hex). */
export const SIM_ORIGINAL_ID = 'gh_7778736d7367';

/** The admin console accepts a Token of 3 to 32 letters and digits. */
const TOKEN = /^[A-Za-z0-9]{3,32}$/;

export class PushConfigError extends Error {
  override name = 'PushConfigError';
}

export interface PushConfig {
  url: URL;
  format: PushFormat;
  mode: PushMode;
  secrets: PushSecrets;
}

export interface PushFlags {
  url: string;
  format?: string;
  mode?: string;
  allowRemote?: boolean;
  /** The flag names to quote in messages (`--url` for wxmsg push, `--push-url` for simulate). */
  urlFlag: string;
  formatFlag: string;
  modeFlag: string;
  allowRemoteFlag: string;
  /** The language of the PushConfigError messages (default English). */
  locale?: Locale;
}

/** Checks the flags and the environment; every problem is a PushConfigError naming what to fix (never a secret's value). */
export function pushConfig(flags: PushFlags, env: Record<string, string | undefined>): PushConfig {
  const t = pushText(flags.locale);
  const url = checkPushUrl(flags.url, flags);
  const format = flags.format ?? 'json';
  if (format !== 'xml' && format !== 'json') throw new PushConfigError(t.format(flags.formatFlag, format));
  const token = env[PUSH_TOKEN_ENV];
  if (token === undefined || token === '') throw new PushConfigError(t.tokenUnset(PUSH_TOKEN_ENV));
  if (!TOKEN.test(token)) throw new PushConfigError(t.tokenShape(PUSH_TOKEN_ENV, token.length, /[^A-Za-z0-9]/.test(token)));
  const rawKey = env[PUSH_AES_KEY_ENV];
  let key;
  if (rawKey !== undefined && rawKey !== '') {
    try {
      key = parseEncodingAesKey(rawKey);
    } catch (e) {
      if (!(e instanceof PushKeyError)) throw e;
      // Said here in the user's language: the length and whether other characters are in it (never the key).
      throw new PushConfigError(t.keyShape(PUSH_AES_KEY_ENV, rawKey.length, /[^A-Za-z0-9+/]/.test(rawKey)));
    }
  }
  const mode = flags.mode ?? (key ? 'safe' : 'plain');
  if (mode !== 'plain' && mode !== 'compat' && mode !== 'safe') throw new PushConfigError(t.mode(flags.modeFlag, mode));
  if (mode !== 'plain' && !key) throw new PushConfigError(t.modeNeedsKey(mode, PUSH_AES_KEY_ENV, flags.modeFlag));
  return { url, format, mode, secrets: { token, ...(key ? { key } : {}) } };
}

export function checkPushUrl(raw: string, flags: Pick<PushFlags, 'urlFlag' | 'allowRemote' | 'allowRemoteFlag' | 'locale'>): URL {
  const t = pushText(flags.locale);
  let url: URL;
  try { url = new URL(raw.trim()); } catch { throw new PushConfigError(t.urlNotUrl(flags.urlFlag, raw.length > 80 ? `${raw.slice(0, 77)}…` : raw)); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PushConfigError(t.urlScheme(flags.urlFlag, url.protocol));
  if (url.username || url.password) throw new PushConfigError(t.urlUserInfo(flags.urlFlag));
  if (url.hash) throw new PushConfigError(t.urlHash(flags.urlFlag));
  if (!isLoopbackHost(url.hostname) && !flags.allowRemote) {
    throw new PushConfigError(t.urlRemote(flags.urlFlag, url.host, flags.allowRemoteFlag));
  }
  return url;
}
