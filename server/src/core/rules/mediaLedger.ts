/**
 * The media ledger: what was uploaded, by whom (which appid), from which file, and when. Every
 * upload (the extension's Upload Image…, `wxmsg upload`) appends a record to
 * `.wxmsg/media.json`; the core reads it as data from the project context (it reads no disk and
 * no clock: `context.now` is the current time). No token or secret is ever part of a record.
 */

/** Temporary media expire 3 days after upload (media/upload, shared/wechat-api-facts.md). */
export const MEDIA_TTL_MS = 3 * 24 * 60 * 60 * 1000;

export const LEDGER_DIR = '.wxmsg';
export const LEDGER_FILE = 'media.json';

export interface MediaRecord {
  appid: string;
  media_id: string;
  /** The media/upload type; wxmsg uploads images. */
  type: string;
  /** The uploaded file, relative to the ledger's folder (the one holding `.wxmsg/`), with `/`. */
  source: string;
  /** sha256 of the file's bytes, hex. */
  sha256: string;
  /** ISO 8601 time of the upload. */
  uploadedAt: string;
}

export interface MediaLedgerFile {
  version: 1;
  media: MediaRecord[];
}

/**
 * Placeholders a template may keep in a media_id (as `touser` keeps `OPENID`): MEDIA_ID,
 * THUMB_MEDIA_ID, thumb_media_id, any all-caps identifier, and `{{…}}` variables. A send refuses
 * them; lint accepts them; the editor shows a hint.
 */
export function isMediaPlaceholder(value: string): boolean {
  const v = value.trim();
  return v === 'thumb_media_id' || /^[A-Z][A-Z0-9_]*$/.test(v) || /^\{\{[^{}]*\}\}$/.test(v);
}

const RECORD_KEYS: (keyof MediaRecord)[] = ['appid', 'media_id', 'type', 'source', 'sha256', 'uploadedAt'];

/** The records of a ledger file's text; entries that are not well-formed records are skipped. */
export function parseLedger(text: string): { media: MediaRecord[]; error?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { media: [], error: (e as Error).message };
  }
  const list = raw && typeof raw === 'object' && Array.isArray((raw as MediaLedgerFile).media) ? (raw as MediaLedgerFile).media : undefined;
  if (!list) return { media: [], error: 'no "media" array' };
  const media = list.filter((r): r is MediaRecord => !!r && typeof r === 'object'
    && RECORD_KEYS.every((k) => typeof (r as unknown as Record<string, unknown>)[k] === 'string')
    && !Number.isNaN(Date.parse(r.uploadedAt)));
  return { media };
}

/** The ledger text with one more record (the newest record of a media_id wins when reading). */
export function appendRecord(text: string | undefined, record: MediaRecord): string {
  const parsed = text === undefined ? { media: [] } : parseLedger(text);
  // A ledger that does not parse is left for a human to look at, never overwritten.
  if ('error' in parsed && parsed.error) throw new Error(`${LEDGER_DIR}/${LEDGER_FILE} is not a media ledger (${parsed.error}); fix or remove it`);
  const media = parsed.media;
  const kept = media.filter((r) => !(r.media_id === record.media_id && r.appid === record.appid));
  const file: MediaLedgerFile = { version: 1, media: [...kept, record] };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The newest record of a media_id. */
export function findRecord(media: readonly MediaRecord[], mediaId: string): MediaRecord | undefined {
  let best: MediaRecord | undefined;
  for (const r of media) {
    if (r.media_id === mediaId && (!best || Date.parse(r.uploadedAt) >= Date.parse(best.uploadedAt))) best = r;
  }
  return best;
}

/** The newest record of a source file (for "re-upload this file"). */
export function latestForSource(media: readonly MediaRecord[], source: string, appid?: string): MediaRecord | undefined {
  let best: MediaRecord | undefined;
  for (const r of media) {
    if (r.source === source && (!appid || r.appid === appid) && (!best || Date.parse(r.uploadedAt) >= Date.parse(best.uploadedAt))) best = r;
  }
  return best;
}

export type LedgerFinding =
  | { code: 'media-other-appid'; record: MediaRecord }
  | { code: 'media-expired'; record: MediaRecord; ageMs: number }
  | { code: 'media-unknown' };

/** What the ledger says about a media_id used by a template of `appid`, at time `now`. */
export function ledgerFinding(media: readonly MediaRecord[], mediaId: string, appid: string | undefined, now: number | undefined): LedgerFinding | undefined {
  const record = findRecord(media, mediaId.trim());
  if (!record) return { code: 'media-unknown' };
  if (appid && record.appid !== appid) return { code: 'media-other-appid', record };
  const age = now === undefined ? 0 : now - Date.parse(record.uploadedAt);
  if (age > MEDIA_TTL_MS) return { code: 'media-expired', record, ageMs: age };
  return undefined;
}

/** "3 days 4 hours" / "3 天 4 小时" for the expired message. */
export function formatAge(ms: number, zh: boolean): string {
  const h = Math.floor(ms / 3_600_000);
  const d = Math.floor(h / 24);
  const rest = h % 24;
  if (zh) return d ? `${d} 天${rest ? ` ${rest} 小时` : ''}` : `${h} 小时`;
  return d ? `${d} day${d === 1 ? '' : 's'}${rest ? ` ${rest} hour${rest === 1 ? '' : 's'}` : ''}` : `${h} hour${h === 1 ? '' : 's'}`;
}
