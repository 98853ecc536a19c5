import { checkOpenId } from '../../../server/src/wechat/recipient.ts';

/**
 * Recent OpenIDs for the send quick pick. OpenIDs are not secrets (they only identify a user
 * to one mini program), so they live in globalState; at most MAX_RECENT, newest first.
 */
export const MAX_RECENT = 10;
/** Where they are kept (globalState). */
export const RECENT_KEY = 'wxmsg.send.recentOpenIds';

export function recentList(stored: unknown): string[] {
  if (!Array.isArray(stored)) return [];
  const out: string[] = [];
  for (const v of stored) {
    if (typeof v === 'string' && !checkOpenId(v) && !out.includes(v.trim())) out.push(v.trim());
    if (out.length >= MAX_RECENT) break;
  }
  return out;
}

export function rememberOpenId(stored: unknown, openId: string, max = MAX_RECENT): string[] {
  const id = openId.trim();
  const rest = recentList(stored).filter((x) => x !== id);
  return (checkOpenId(id) ? rest : [id, ...rest]).slice(0, max);
}

export interface OpenIdItem {
  openId: string;
  description: string;
}

/** The default OpenID first (when set and valid), then the recent ones, no duplicates. */
export function openIdItems(recent: readonly string[], defaultOpenId: unknown): OpenIdItem[] {
  const items: OpenIdItem[] = [];
  const def = typeof defaultOpenId === 'string' ? defaultOpenId.trim() : '';
  if (def && !checkOpenId(def)) items.push({ openId: def, description: 'wxmsg.defaultOpenId' });
  for (const id of recent) if (id !== def) items.push({ openId: id, description: 'recent' });
  return items;
}
