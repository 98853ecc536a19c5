import { createHash } from 'node:crypto';
import { wechatBoth } from '../core/l10n/cli/text.ts';

/**
 * How an OpenID is shown (CLI, extension: picker, confirm, CodeLens, notifications, log) and
 * whether it looks like one of this app's.
 *
 * The OpenIDs of one app share a prefix ("oWx…"), so the start says nothing: the mask shows the
 * end. Four characters by default; more when two ids of the set in view share those four, so two
 * configured test users never look the same.
 */
export const OPENID_SHAPE = /^[A-Za-z0-9_-]{28}$/;
const HEAD = 3;
const MIN_TAIL = 4;

export function maskOpenIdTail(openid: string, tail = MIN_TAIL): string {
  const id = openid.trim();
  if (id.length <= HEAD + tail) return id.length <= 6 ? `${id.slice(0, 1)}…` : `${id.slice(0, HEAD)}…${id.slice(-Math.min(tail, id.length - HEAD - 1))}`;
  return `${id.slice(0, HEAD)}…${id.slice(-tail)}`;
}

/**
 * The shortest tail (at least 4 characters) that tells `openid` apart from every other id of
 * `among`; when even the whole id minus its head would not (ids that differ only at the start),
 * a short stable hash is added instead.
 */
export function maskAmong(openid: string, among: Iterable<string> = []): string {
  const id = openid.trim();
  const others = [...new Set([...among].map((o) => o.trim()))].filter((o) => o && o !== id);
  for (let tail = MIN_TAIL; tail <= Math.max(MIN_TAIL, id.length - HEAD - 1); tail++) {
    const mine = maskOpenIdTail(id, tail);
    if (!others.some((o) => maskOpenIdTail(o, tail) === mine)) return mine;
  }
  return `${maskOpenIdTail(id)}#${shortHash(id)}`;
}

export function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 6);
}

/** Whether `openid` is one that maskAmong() / maskOpenIdTail() could have shown as `mask` ("oWx…0001", "oWx…0001#3fa2c1"). */
export function matchesMask(openid: string, mask: string): boolean {
  const id = openid.trim();
  const [shown, hash] = mask.split('#');
  if (hash !== undefined && shortHash(id) !== hash) return false;
  const at = shown.indexOf('…');
  if (at < 0) return false;
  const head = shown.slice(0, at);
  const tail = shown.slice(at + 1);
  if (!tail) return id.length <= 6 && id.startsWith(head);
  return id.length > head.length + tail.length && id.startsWith(head) && id.endsWith(tail);
}

/** "qa (oWx…0001)", or the mask alone when the id has no alias. */
export function describeRecipient(openid: string, alias: string | undefined, among: Iterable<string> = []): string {
  const mask = maskAmong(openid, among);
  return alias ? `${alias} (${mask})` : mask;
}

/** The alias an OpenID has in `users` (alias → OpenID), if any. */
export function aliasOf(openid: string, users: Record<string, string> | undefined): string | undefined {
  if (!users) return undefined;
  const id = openid.trim();
  for (const [alias, o] of Object.entries(users)) if (typeof o === 'string' && o.trim() === id) return alias;
  return undefined;
}

export interface ShapeProblem {
  en: string;
  zh: string;
}

/** The longest prefix every id of `ids` shares (empty for fewer than 2 ids). */
function commonPrefix(ids: string[]): string {
  if (ids.length < 2) return '';
  let p = ids[0];
  for (const id of ids) while (!id.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/**
 * Whether `openid` looks like an OpenID of this app: 28 characters of [A-Za-z0-9_-] (what
 * WeChat hands out in practice; not an official rule, so the user can still go on), and the
 * prefix the app's known OpenIDs (its test users) share, when they share 3 or more characters.
 */
export function openIdShapeProblem(openid: string, knownOfApp: Iterable<string> = [], among?: Iterable<string>): ShapeProblem | undefined {
  const id = openid.trim();
  const knownIds = [...knownOfApp];
  // Shown as everywhere else: a mask that tells it apart from the ids in view (`among`, default the known ones).
  const shown = maskAmong(id, among ?? knownIds);
  if (!OPENID_SHAPE.test(id)) {
    return wechatBoth((t) => t.openIdShape(shown, id.length));
  }
  const known = [...new Set(knownIds.map((k) => k.trim()))].filter((k) => OPENID_SHAPE.test(k));
  const prefix = commonPrefix(known);
  const head = prefix.slice(0, 5);
  if (head.length >= 3 && !id.startsWith(head)) {
    return wechatBoth((t) => t.openIdPrefix(shown, head));
  }
  return undefined;
}
