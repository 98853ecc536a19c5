import type { Locale } from '../types.ts';

/** The locales wxmsg speaks, as a user writes them (`--locale`, `WXMSG_LOCALE`). */
export const LOCALE_TAGS = ['en', 'zh-CN'] as const;

/**
 * A tag someone chose (`--locale`, `WXMSG_LOCALE`) → the locale, or undefined when wxmsg does not
 * speak it. Case, `_` for `-`, a charset (`.UTF-8`) and a modifier (`@euro`) do not matter:
 * `en`, `en-US`, `en_GB.UTF-8` → en; `zh`, `zh-CN`, `zh_CN.UTF-8`, `zh-Hans`, `zh-Hans-CN`,
 * `zh-SG` → zh-cn. Traditional Chinese (`zh-TW`, `zh-HK`, `zh-Hant`) and anything else: undefined.
 */
export function parseLocale(tag: string): Locale | undefined {
  const t = tag.trim().replace(/[.@].*$/, '').replace(/_/g, '-').toLowerCase();
  if (/^en(-[a-z0-9]+)*$/.test(t)) return 'en';
  if (/^zh(-(cn|sg|hans(-(cn|sg))?))?$/.test(t)) return 'zh-cn';
  return undefined;
}

/**
 * What the environment asks for: `WXMSG_LOCALE`, then POSIX's `LC_ALL`, `LC_MESSAGES`, `LANG`
 * (the first one set and not empty). A locale variable of the system that names a language
 * wxmsg does not speak means English; Chinese of any region means Simplified Chinese.
 * Returns the variable's name with the result so a caller can say where a bad value came from.
 */
export function envLocaleTag(env: Record<string, string | undefined>): { name: string; value: string } | undefined {
  for (const name of ['WXMSG_LOCALE', 'LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/** A system locale (LC_ALL, LANG, an LSP client's `locale`): any Chinese → zh-cn, else en. */
export function toLocale(tag: string | undefined): Locale {
  return tag && /^zh/i.test(tag.trim()) ? 'zh-cn' : 'en';
}
