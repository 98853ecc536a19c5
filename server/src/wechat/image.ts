import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ApiFailure } from './netErrors.ts';
import { wechatText, type Locale } from '../core/l10n/cli/text.ts';

/** Image uploads: checked here before any request (type by content, size), shared with the simulator. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Temporary media (uploads) expire after 3 days. */
export const MEDIA_LIFETIME_MS = 3 * 86_400_000;

/** JPEG, PNG or GIF by their first bytes (WeChat's image media types). */
export function sniffImage(data: Uint8Array): 'image/jpeg' | 'image/png' | 'image/gif' | undefined {
  const b = (i: number) => data[i];
  if (data.length >= 3 && b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'image/jpeg';
  if (data.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b(i) === v)) return 'image/png';
  if (data.length >= 6 && Buffer.from(data.subarray(0, 6)).toString('latin1').match(/^GIF8[79]a$/)) return 'image/gif';
  return undefined;
}

type ImageRead = { ok: true; data: Uint8Array; type: string; name: string } | { ok: false; failure: ApiFailure };

/** Reads and checks an image before any request: an image type, at most 10 MB. */
export function readImage(file: string | { name: string; data: Uint8Array }, locale?: Locale): ImageRead {
  const t = wechatText(locale);
  const bad = (message: string): ImageRead => ({ ok: false, failure: { kind: 'invalid-file', message, deliveryUnknown: false } });
  let data: Uint8Array;
  let name: string;
  if (typeof file === 'string') {
    name = path.basename(file);
    let size: number;
    try {
      const st = fs.statSync(file);
      if (!st.isFile()) return bad(t.notAFile(name));
      size = st.size;
    } catch (e) {
      return bad(t.cannotRead(name, (e as NodeJS.ErrnoException).code ?? 'error'));
    }
    if (size > MAX_IMAGE_BYTES) return bad(t.imageTooLarge(name, (size / 1048576).toFixed(1)));
    if (size === 0) return bad(t.imageEmpty(name));
    try {
      data = fs.readFileSync(file);
    } catch (e) {
      return bad(t.cannotRead(name, (e as NodeJS.ErrnoException).code ?? 'error'));
    }
  } else {
    name = file.name;
    data = file.data;
    if (data.length > MAX_IMAGE_BYTES) return bad(t.imageTooLarge(name, (data.length / 1048576).toFixed(1)));
    if (data.length === 0) return bad(t.imageEmpty(name));
  }
  const type = sniffImage(data);
  if (!type) return bad(t.notAnImage(name));
  return { ok: true, data, type, name };
}

