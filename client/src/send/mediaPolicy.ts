import { MAX_IMAGE_BYTES } from '../../../server/src/wechat/image.ts';

/**
 * The editor's upload rules, without vscode (tested in npm test): which send results offer the
 * Upload action, the size limits told before an upload and where the file dialog starts (which
 * ledger an upload is recorded in: ledgerRootFor in server/src/node/mediaLedgerFile.ts).
 */

/**
 * Where an uploaded image's media_id goes in the open template: `image.media_id` for an image
 * message, `miniprogrampage.thumb_media_id` (the card cover) for a mini program card. Other
 * message types have no media field.
 */
export const MEDIA_FIELDS: Readonly<Record<string, readonly [string, string]>> = {
  image: ['image', 'media_id'],
  miniprogrampage: ['miniprogrampage', 'thumb_media_id'],
};

/** The media field of a message type (`msgtype` as written), or undefined. */
export function mediaFieldOf(msgtype: string | undefined): readonly [string, string] | undefined {
  return msgtype !== undefined && Object.hasOwn(MEDIA_FIELDS, msgtype) ? MEDIA_FIELDS[msgtype] : undefined;
}

/** Results that mean "this media_id is no good": 40007 invalid media_id, 46001 media_id does not exist. */
export const UPLOAD_AGAIN_ERRCODES: ReadonlySet<number | string> = new Set([40007, 46001]);

/** A send whose fix is an upload: errcode 40007/46001, or a placeholder media_id refused before posting. */
export function needsUpload(outcome: { view: { code?: number | string }; errors?: readonly { code: unknown }[] }): boolean {
  return (outcome.view.code !== undefined && UPLOAD_AGAIN_ERRCODES.has(outcome.view.code))
    || !!outcome.errors?.some((d) => d.code === 'wxmsg/media-placeholder');
}

/** The official pages give both figures: media/upload takes at most 10 MB, images for messages 2 MB. */
export const WARN_IMAGE_BYTES = 2 * 1024 * 1024;

export type SizeVerdict = { ok: true; warn: boolean; mb: string } | { ok: false; mb: string };

/** Over 10 MB: refused before uploading; over 2 MB: a warning to confirm. */
export function imageSizeVerdict(bytes: number): SizeVerdict {
  const mb = (bytes / 1048576).toFixed(1);
  if (bytes > MAX_IMAGE_BYTES) return { ok: false, mb };
  return { ok: true, warn: bytes > WARN_IMAGE_BYTES, mb };
}

/** Where Upload Image…'s dialog opens: the last folder an image came from, else the workspace root. */
export function dialogStart(lastFolder: string | undefined, exists: (dir: string) => boolean, workspaceRoot: string | undefined): string | undefined {
  return lastFolder && exists(lastFolder) ? lastFolder : workspaceRoot;
}
