/**
 * Keeps the AppSecret, access tokens and the message-push Token out of every message, log line
 * and result. Everything the send path prints goes through redact(): URLs lose their
 * token/secret parameters and every known secret value is masked wherever it appears (an errmsg,
 * a stack, a JSON echo).
 *
 * A secret of MIN_MASK_ANYWHERE characters or more is masked wherever it appears. A shorter one
 * (the push Token may have 3 characters) is masked only as a whole word: masking "abc" inside
 * every word would garble each line. Short secrets must therefore never be echoed in the first
 * place (the CLI refuses an AppSecret or access token under 16 characters, and a push Token is
 * never printed at all); this is the backstop.
 */
const SECRET_PARAMS = /([?&](?:access_token|secret|appsecret|token|encodingaeskey)=)[^&#\s"']*/gi;

export const MIN_MASK_ANYWHERE = 16;
/**
 * The shortest AppSecret or access token the CLI and the extension accept (real ones have 32 and
 * 100+ characters): anything shorter is a placeholder or a typo, and could not be masked safely.
 */
export const MIN_SECRET_CHARS = MIN_MASK_ANYWHERE;
/** Shorter than this, a value is not a secret worth masking (and would match everywhere). */
const MIN_MASK_WORD = 3;

export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1***');
}

export function redact(text: string, secrets: Iterable<string | undefined> = []): string {
  let out = redactUrl(String(text));
  // Longest first so a secret that contains another is masked whole.
  const list = [...new Set(secrets)].filter((s): s is string => typeof s === 'string' && s.length >= MIN_MASK_WORD).sort((a, b) => b.length - a.length);
  for (const s of list) {
    if (s.length >= MIN_MASK_ANYWHERE) out = out.split(s).join('***');
    else out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}_-])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}_-])`, 'gu'), '***');
  }
  return out;
}
