/**
 * The simulator's own checks of what a client sends: the message body of custom/send, the page
 * of a miniprogrampage card, the type of an uploaded image. Written here on purpose, not imported
 * from the language service's rules (server/src/core/rules) or the client's upload check
 * (server/src/wechat/image.ts): if a rule there drifts, the simulator still answers as WeChat
 * does, and the tests that send through it notice.
 */

/** Message types of Official Accounts only: a mini program gets 45162 for them. */
const OFFICIAL_ACCOUNT_ONLY = new Set(['news', 'mpnews', 'mpnewsarticle', 'voice', 'video', 'music', 'msgmenu', 'wxcard']);

/** The string fields each mini program message type requires (the seed's send page). */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  text: ['content'],
  image: ['media_id'],
  link: ['title', 'description', 'url', 'thumb_url'],
  miniprogrampage: ['title', 'pagepath', 'thumb_media_id'],
};

export type MessageCheck =
  | { errcode: number }
  | {
    touser: string;
    msgtype: string;
    payload: Record<string, unknown>;
    /** A miniprogrampage's pagepath: checked against the app's pages (40165). */
    pagepath?: string;
    /** media_ids the message names, in order: each must be one the app uploaded (40007). */
    mediaIds: string[];
  };

/**
 * A custom/send body as WeChat checks it before looking at the app or the user: 44002 empty,
 * 47001 not a JSON object or a field missing (40003 for a form-encoded body: no OpenID found),
 * 45162 Official-Account-only type, 40008 unknown type, 44004 empty text, 41006 empty media_id.
 * WeChat reads the body as JSON whatever its content type (\uXXXX escapes included).
 */
export function checkMessage(raw: string): MessageCheck {
  if (!raw.trim()) return { errcode: 44002 };
  let p: unknown;
  try { p = JSON.parse(raw); } catch { p = undefined; }
  if (typeof p !== 'object' || p === null || Array.isArray(p)) {
    // touser=…&msgtype=…: users report 40003 "invalid openid" for it
    // (shared/wechat-api-facts.md, "Behaviour seen by users in the wild").
    return { errcode: isFormEncoded(raw) ? 40003 : 47001 };
  }
  const payload = p as Record<string, unknown>;
  const { touser, msgtype } = payload;
  if (typeof touser !== 'string' || touser === '') return { errcode: 47001 };
  if (typeof msgtype !== 'string') return { errcode: 47001 };
  if (OFFICIAL_ACCOUNT_ONLY.has(msgtype)) return { errcode: 45162 };
  if (!Object.hasOwn(REQUIRED, msgtype)) return { errcode: 40008 };
  const body = payload[msgtype];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { errcode: 47001 };
  const fields = body as Record<string, unknown>;
  if (REQUIRED[msgtype].some((k) => typeof fields[k] !== 'string')) return { errcode: 47001 };
  const field = (k: string) => fields[k] as string;
  switch (msgtype) {
    case 'text':
      // No length check: the mini program page documents no limit (2048 bytes is WeCom's, where
      // longer text is truncated, not rejected); wxmsg lint warns about it instead.
      if (field('content') === '') return { errcode: 44004 };
      return { touser, msgtype, payload, mediaIds: [] };
    case 'image':
      if (field('media_id') === '') return { errcode: 41006 };
      return { touser, msgtype, payload, mediaIds: [field('media_id')] };
    case 'miniprogrampage':
      return { touser, msgtype, payload, pagepath: field('pagepath'), mediaIds: [field('thumb_media_id')] };
    default:
      return { touser, msgtype, payload, mediaIds: [] };
  }
}

/** `a=1&b=2`: a body posted as a form instead of JSON. */
function isFormEncoded(raw: string): boolean {
  return raw.trim().split('&').every((pair) => /^[^=\s{}[\]"]+=[^\s]*$/.test(pair));
}

/**
 * Whether a card's pagepath names one of the app's pages (app.json's pages and every
 * subpackage's root/page). A leading "/" and a query or fragment are allowed ("/pages/a/a?x=1"
 * opens pages/a/a); anything else must match a page exactly: no prefix of a page, no subpackage
 * root alone, no other case, no trailing slash.
 */
export function appHasPage(pages: readonly string[], pagepath: string): boolean {
  let page = pagepath.trim();
  const cut = page.search(/[?#]/);
  if (cut !== -1) page = page.slice(0, cut);
  while (page.startsWith('/')) page = page.slice(1);
  return page !== '' && pages.includes(page);
}

/** WeChat's image media types by their first bytes. */
const IMAGE_SIGNATURES: readonly { type: 'image/jpeg' | 'image/png' | 'image/gif'; magic: readonly number[][] }[] = [
  { type: 'image/jpeg', magic: [[0xff, 0xd8, 0xff]] },
  { type: 'image/png', magic: [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]] },
  // "GIF87a" or "GIF89a"
  { type: 'image/gif', magic: [[0x47, 0x49, 0x46, 0x38, 0x37, 0x61], [0x47, 0x49, 0x46, 0x38, 0x39, 0x61]] },
];

/** The image type of an upload by its content (the file name and declared type do not count). */
export function imageTypeOf(data: Uint8Array): 'image/jpeg' | 'image/png' | 'image/gif' | undefined {
  for (const s of IMAGE_SIGNATURES) {
    if (s.magic.some((m) => data.length >= m.length && m.every((byte, i) => data[i] === byte))) return s.type;
  }
  return undefined;
}
