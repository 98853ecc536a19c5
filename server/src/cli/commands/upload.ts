import type { Locale } from '../../core/types.ts';
import * as path from 'node:path';
import { ProjectResolver } from '../../node/resolver.ts';
import { ledgerPath, recordUpload } from '../../node/mediaLedgerFile.ts';
import { ledgerRootFor } from '../../node/ledger.ts';
import type { UploadResult } from '../../wechat/client.ts';
import { MAX_IMAGE_BYTES } from '../../wechat/image.ts';
import { EXIT, UsageError, type CliIO, parseCliArgs } from '../io.ts';
import { COMMON_API_OPTIONS, apiErrorText, apiSession, block, confirmPlainToken, credentialsFromEnv, exitFor, parseCommonApiArgs, refuse, type SendCommandOptions } from './send.ts';
import { apiText } from '../../core/l10n/cli/text.ts';
import { decodedLines } from '../../wechat/decodedLines.ts';
import { escapeControl, safeJson } from '../../core/escape.ts';
import { helpText } from '../../core/l10n/cli/text.ts';
import { frameLocale } from '../locale.ts';

/** The help of wxmsg upload in `l` (the catalog's help section). */
export const uploadHelp = (l?: Locale): string => helpText(l).upload({ maxMb: MAX_IMAGE_BYTES / 1048576 });
export const UPLOAD_HELP = uploadHelp('en');

export async function runUpload(args: string[], io: CliIO, extra: SendCommandOptions = {}): Promise<number> {
  const parsed = parseCliArgs({ args, allowPositionals: true, options: COMMON_API_OPTIONS });
  const v = parsed.values;
  if (v.help) { io.stdout.write(uploadHelp(frameLocale(args, io.env))); return EXIT.ok; }
  const common = parseCommonApiArgs(v, io.env);
  const { locale } = common;
  const t = apiText(locale);
  if (parsed.positionals.length !== 1) throw new UsageError(t.uploadOne(parsed.positionals.length));
  const file = parsed.positionals[0];
  const abs = path.resolve(io.cwd, file);
  const { stdout, stderr, connect } = apiSession(io, common, extra);

  // The appid of the project the image sits in, else of the current folder's project.
  const resolver = new ProjectResolver();
  const near = resolver.contextFor(path.join(path.dirname(abs), 'upload.wxmsg.json'), { appid: common.appid });
  const here = near.appid ? near : resolver.contextFor(path.join(io.cwd, 'upload.wxmsg.json'));
  const creds = credentialsFromEnv(io.env, here.appid, near.problems ?? here.problems, locale);
  if (typeof creds === 'string') return refuse({ stdout, stderr }, common, 'upload', 'credentials', creds);
  const refused = await confirmPlainToken(common, creds, io, stderr);
  if (refused) return refuse({ stdout, stderr }, common, 'upload', 'usage', refused);
  const client = connect();
  if (typeof client === 'string') return refuse({ stdout, stderr }, common, 'upload', 'usage', client);
  try {
    const r = await client.upload(abs, creds);
    // Every value from the server (media_id, errmsg, rid) or a file name is escaped in text.
    const e = escapeControl;
    const ledger = r.status === 'uploaded' ? recordInLedger(abs, r.mediaId, here.appid, resolver, io.cwd, locale) : undefined;
    if (common.format === 'json') stdout.write(`${safeJson({ ...uploadJson(r, file, client.host), ledger: ledger ?? null })}\n`);
    else if (r.status === 'uploaded') {
      stdout.write(`${e(r.mediaId)}\n`);
      stderr.write(`${t.uploaded(e(file), e(client.host), new Date(r.expiresAt).toISOString())}\n`);
      stderr.write(ledger?.recorded ? `  ${t.recorded(e(ledger.file), e(ledger.source ?? ''))}\n` : `  ${t.notRecorded(e(ledger?.reason ?? ''))}\n`);
    } else if (r.status === 'api-error') {
      stderr.write(t.notUploaded(apiErrorText(r.decoded, locale, r.note)));
    } else {
      stderr.write(`${t.notUploaded(e(r.failure.message))}\n${r.decoded ? block(decodedLines(r.decoded, 'cli', locale)) : ''}`);
    }
    return exitFor(r);
  } finally {
    await client.close();
  }
}

/** Appends the upload to the media ledger; an upload is never failed for the ledger's sake. */
function recordInLedger(abs: string, mediaId: string, appid: string | undefined, resolver: ProjectResolver, cwd: string, locale: Locale): { recorded: boolean; file: string; source?: string; reason?: string } {
  const root = ledgerRootFor(abs, resolver, cwd);
  const file = path.relative(cwd, ledgerPath(root)) || ledgerPath(root);
  if (!appid) return { recorded: false, file, reason: apiText(locale).ledgerNoAppid };
  try {
    const rec = recordUpload(root, { appid, mediaId, file: abs });
    return { recorded: true, file, source: rec.source };
  } catch (err) {
    return { recorded: false, file, reason: (err as Error).message };
  }
}

function uploadJson(r: UploadResult, file: string, apiHost: string): Record<string, unknown> {
  const d = r.decoded;
  return {
    status: r.status,
    media_id: r.status === 'uploaded' ? r.mediaId : null,
    expiresAt: r.status === 'uploaded' ? new Date(r.expiresAt).toISOString() : null,
    errcode: d?.errcode ?? null, errmsg: d?.errmsg ?? null, description: d?.description ?? null, en: d?.en ?? null,
    cause: d?.cause ?? null, action: d?.action ?? null, rid: d?.rid ?? null,
    error: r.status === 'failed' ? { kind: r.failure.kind, message: r.failure.message, setting: r.failure.setting ?? null } : null,
    file, apiHost,
  };
}
