/**
 * Keeps the AppSecret and access tokens out of every message, log line and result. Everything
 * the send path prints goes through redact(): URLs lose their token/secret parameters and every
 * known secret value is masked wherever it appears (an errmsg, a stack, a JSON echo).
 */
const SECRET_PARAMS = /([?&](?:access_token|secret|appsecret)=)[^&#\s"']*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1***');
}

export function redact(text: string, secrets: Iterable<string | undefined> = []): string {
  let out = redactUrl(String(text));
  // Longest first so a secret that contains another is masked whole.
  const list = [...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 4).sort((a, b) => b.length - a.length);
  for (const s of list) out = out.split(s).join('***');
  return out;
}
