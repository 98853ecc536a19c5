import { envLocaleTag, LOCALE_TAGS, parseLocale, toLocale } from '../core/l10n/locale.ts';
import { frameText } from '../core/l10n/cliText.ts';
import type { Locale } from '../core/types.ts';
import { UsageError } from './io.ts';

/**
 * The CLI's language: `--locale`, else `WXMSG_LOCALE`, else `LC_ALL`, `LC_MESSAGES`, `LANG` (the
 * first set and not empty), else English. A tag the user chose for wxmsg (`--locale`,
 * `WXMSG_LOCALE`) that it does not speak is a usage error listing the supported ones; a system
 * locale in another language just means English.
 */
export function localeFromEnv(env: Record<string, string | undefined>, flag?: string): Locale {
  const chosen = flag !== undefined ? { name: '--locale', value: flag } : envLocaleTag(env);
  if (!chosen) return 'en';
  if (chosen.name !== '--locale' && chosen.name !== 'WXMSG_LOCALE') return toLocale(chosen.value);
  const locale = parseLocale(chosen.value);
  if (!locale) throw new UsageError(frameText('en').unsupportedLocale(chosen.name, chosen.value, LOCALE_TAGS.join(', ')));
  return locale;
}

/**
 * The language of what is said before (or instead of) a command's own output — a usage error, an
 * internal error — read from argv as the command would (`--locale X`, `--locale=X`, before `--`);
 * English when the tag is one wxmsg does not speak (that usage error is then said in English).
 */
export function frameLocale(argv: readonly string[], env: Record<string, string | undefined>): Locale {
  let flag: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === '--locale' && i + 1 < argv.length) flag = argv[++i];
    else if (a.startsWith('--locale=')) flag = a.slice('--locale='.length);
  }
  try {
    return localeFromEnv(env, flag);
  } catch {
    return 'en';
  }
}
