/**
 * Whether a settings file's text may set wxmsg.api.baseUrl, without parsing it (pure: tested in
 * npm test). True for every text in which settingsSetBaseUrl() (apiSettings.ts, a JSONC parse
 * loaded with the send code) finds the key, so false rules it out at activation: a key reads
 * "baseUrl" only when written so, or with a \u escape (JSON's other escapes stand for no letter).
 */
export function mayMentionBaseUrl(text: string): boolean {
  return text.includes('baseUrl') || text.includes('\\u');
}
