import * as path from 'node:path';
import { ProjectResolver } from '../../node/resolver.ts';
import { ledgerPath, recordUpload } from '../../node/mediaLedgerFile.ts';
import { ledgerRootFor } from '../../node/ledger.ts';
import type { UploadResult } from '../../wechat/client.ts';
import { MAX_IMAGE_BYTES } from '../../wechat/image.ts';
import { EXIT, UsageError, type CliIO, parseCliArgs } from '../io.ts';
import { decodedLines } from '../../wechat/decodedLines.ts';
import { COMMON_API_OPTIONS, apiSession, block, confirmPlainToken, credentialsFromEnv, exitFor, parseCommonApiArgs, refuse, type SendCommandOptions } from './send.ts';
import { escapeControl, safeJson } from '../../core/escape.ts';

export const UPLOAD_HELP = `Usage: wxmsg upload <image> [options]

Uploads an image as temporary media (POST /cgi-bin/media/upload?type=image) and prints its
media_id, for "image.media_id" or "miniprogrampage.thumb_media_id".
Temporary media expire after 3 days. Each upload is recorded in the media ledger,
.wxmsg/media.json (appid, media_id, source path, sha256, time; never a token), in the nearest
folder with .wxmsg/ up to the mini program project folder. JPEG, PNG or GIF, at most ${MAX_IMAGE_BYTES / 1048576} MB
(checked before anything is sent).

Credentials: WXMSG_APPSECRET or WXMSG_ACCESS_TOKEN in the environment (see wxmsg send --help).

Options:
  --appid <id>            the mini program's appid (default: nearest project.config.json)
  --api-base <url>        default https://api.weixin.qq.com (or WXMSG_API_BASE); plain http only for loopback
  --timeout <ms>          per request; default 10000
  --token-endpoint <name> stable (default) or token (cgi-bin/token: invalidates other servers' token;
                          asks to confirm, or needs --yes when not run in a terminal)
  -y, --yes               confirm --token-endpoint token without asking
  --format <name>         text (default: the media_id alone on stdout) or json
  -h, --help              show this help

Exit codes: 0 uploaded; 1 a WeChat API error; 2 usage, file, credential or network errors.
`;

export async function runUpload(args: string[], io: CliIO, extra: SendCommandOptions = {}): Promise<number> {
  const parsed = parseCliArgs({ args, allowPositionals: true, options: COMMON_API_OPTIONS });
  const v = parsed.values;
  if (v.help) { io.stdout.write(UPLOAD_HELP); return EXIT.ok; }
  const common = parseCommonApiArgs(v, io.env);
  if (parsed.positionals.length !== 1) throw new UsageError(`upload takes exactly one image file (got ${parsed.positionals.length})`);
  const file = parsed.positionals[0];
  const abs = path.resolve(io.cwd, file);
  const { stdout, stderr, connect } = apiSession(io, common, extra);

  // The appid of the project the image sits in, else of the current folder's project.
  const resolver = new ProjectResolver();
  const near = resolver.contextFor(path.join(path.dirname(abs), 'upload.wxmsg.json'), { appid: common.appid });
  const here = near.appid ? near : resolver.contextFor(path.join(io.cwd, 'upload.wxmsg.json'));
  const creds = credentialsFromEnv(io.env, here.appid, near.problems ?? here.problems);
  if (typeof creds === 'string') return refuse({ stdout, stderr }, common.format, 'not uploaded', 'credentials', creds);
  const refused = await confirmPlainToken(common, creds, io, stderr);
  if (refused) return refuse({ stdout, stderr }, common.format, 'not uploaded', 'usage', refused);
  const client = connect();
  if (typeof client === 'string') return refuse({ stdout, stderr }, common.format, 'not uploaded', 'usage', client);
  try {
    const r = await client.upload(abs, creds);
    // Every value from the server (media_id, errmsg, rid) or a file name is escaped in text.
    const e = escapeControl;
    const ledger = r.status === 'uploaded' ? recordInLedger(abs, r.mediaId, here.appid, resolver, io.cwd) : undefined;
    if (common.format === 'json') stdout.write(`${safeJson({ ...uploadJson(r, file, client.host), ledger: ledger ?? null })}\n`);
    else if (r.status === 'uploaded') {
      stdout.write(`${e(r.mediaId)}\n`);
      stderr.write(`✔ uploaded ${e(file)} via ${e(client.host)}; temporary media expire after 3 days (${new Date(r.expiresAt).toISOString()})\n`);
      stderr.write(ledger?.recorded ? `  recorded in ${e(ledger.file)} (source ${e(ledger.source ?? '')})\n` : `  not recorded in the media ledger: ${e(ledger?.reason ?? 'unknown')}\n`);
    } else if (r.status === 'api-error') {
      stderr.write(`✖ not uploaded: WeChat answered errcode ${r.decoded.errcode} ${e(r.decoded.description)}\n${block(decodedLines(r.decoded, 'cli'))}${r.note ? `  note: ${e(r.note)}\n` : ''}`);
    } else {
      stderr.write(`✖ not uploaded: ${e(r.failure.message)}\n${r.decoded ? block(decodedLines(r.decoded, 'cli')) : ''}`);
    }
    return exitFor(r);
  } finally {
    await client.close();
  }
}

/** Appends the upload to the media ledger; an upload is never failed for the ledger's sake. */
function recordInLedger(abs: string, mediaId: string, appid: string | undefined, resolver: ProjectResolver, cwd: string): { recorded: boolean; file: string; source?: string; reason?: string } {
  const root = ledgerRootFor(abs, resolver, cwd);
  const file = path.relative(cwd, ledgerPath(root)) || ledgerPath(root);
  if (!appid) return { recorded: false, file, reason: 'the appid is not known (pass --appid)' };
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
