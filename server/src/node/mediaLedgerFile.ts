import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { LIMITS } from '../core/rules/codes.ts';
import { LEDGER_DIR, LEDGER_FILE, appendRecord, parseLedger, type MediaRecord } from '../core/rules/mediaLedger.ts';

/**
 * The media ledger on disk: `.wxmsg/media.json` in the nearest folder above a template or image
 * that has a `.wxmsg/` folder; a first upload creates it in the mini program project's folder
 * (where project.config.json is), else in the workspace folder / current directory.
 */

/** The nearest folder at or above `dir` (not above `boundary`) holding `.wxmsg/`. */
export function findLedgerRoot(dir: string, boundary?: string): string | undefined {
  let d = path.resolve(dir);
  const stop = boundary ? path.resolve(boundary) : undefined;
  for (;;) {
    try {
      if (fs.statSync(path.join(d, LEDGER_DIR)).isDirectory()) return d;
    } catch { /* not here */ }
    const parent = path.dirname(d);
    if (parent === d || d === stop) return undefined;
    if (stop && path.relative(stop, parent).startsWith('..')) return undefined;
    d = parent;
  }
}

export function ledgerPath(root: string): string {
  return path.join(root, LEDGER_DIR, LEDGER_FILE);
}

/** The records of the ledger in `root` ([] when there is none or it cannot be read). */
export function readLedger(root: string): MediaRecord[] {
  try {
    const p = ledgerPath(root);
    if (fs.statSync(p).size > LIMITS.maxConfigBytes) return [];
    return parseLedger(fs.readFileSync(p, 'utf8')).media;
  } catch {
    return [];
  }
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** `file` relative to the ledger's folder, with `/` on every platform. */
export function sourceOf(root: string, file: string): string {
  return path.relative(root, path.resolve(file)).split(path.sep).join('/');
}

/**
 * Records an upload (appid, media_id, type, source, content hash, time; never a token) and
 * returns the record. Written atomically: a crash leaves the old ledger, not half a file.
 */
/**
 * The folder whose `.wxmsg/media.json` records an upload: the nearest one with `.wxmsg/` above
 * `near` (the template, or the image without a template) within its workspace folder, else that
 * workspace folder.
 */
export function ledgerRootFor(near: string | undefined, workspaceFolder: string | undefined): string | undefined {
  if (!workspaceFolder) return undefined;
  return (near ? findLedgerRoot(path.dirname(near), workspaceFolder) : undefined) ?? workspaceFolder;
}

export function recordUpload(root: string, upload: { appid: string; mediaId: string; file: string; type?: string; now?: Date }): MediaRecord {
  const record: MediaRecord = {
    appid: upload.appid,
    media_id: upload.mediaId,
    type: upload.type ?? 'image',
    source: sourceOf(root, upload.file),
    sha256: sha256File(upload.file),
    uploadedAt: (upload.now ?? new Date()).toISOString(),
  };
  const p = ledgerPath(root);
  let old: string | undefined;
  try {
    old = fs.readFileSync(p, 'utf8');
  } catch { /* a first upload */ }
  fs.mkdirSync(path.dirname(p), { recursive: true });
  writeFileAtomic.sync(p, appendRecord(old, record));
  return record;
}
