import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProjectResolver } from '../../node/resolver.ts';
import type { MediaResult, TypingResult } from '../../wechat/client.ts';
import { checkOpenId, maskOpenId } from '../../wechat/template.ts';
import { escapeControl, safeJson } from '../../core/escape.ts';
import { EXIT, UsageError, type CliIO, parseCliArgs } from '../io.ts';
import { decodedLines } from '../../wechat/decodedLines.ts';
import { COMMON_API_OPTIONS, apiSession, block, confirmPlainToken, credentialsFromEnv, parseCommonApiArgs, refuse } from './send.ts';

export const TYPING_HELP = `Usage: wxmsg typing --to <openid> on|off [options]

Shows (on) or hides (off) "typing…" to a user in the customer-service chat: setTyping,
POST /cgi-bin/message/custom/typing with command Typing or CancelTyping. It lasts 15 s or until
a message is sent. WeChat answers 45080 unless a message was exchanged with the user in the
last 30 s, 45081 while already typing, 45072 for a bad command.

Credentials and options as for wxmsg send (WXMSG_APPSECRET or WXMSG_ACCESS_TOKEN; --appid,
--api-base, --timeout, --token-endpoint, --format text|json).

Exit codes: 0 done; 1 a WeChat API error; 2 usage, credential or network errors.
`;

export const MEDIA_HELP = `Usage: wxmsg media get <media_id> [-o <file>] [options]

Downloads temporary media (getTempMedia: GET /cgi-bin/media/get?media_id=…), e.g. the MediaId
of an image a user sent. Without -o the file is written to the current folder under the name
the server gives (else <media_id>.<ext>). An unknown or expired media_id (temporary media live
3 days) is errcode 40007.

Credentials and options as for wxmsg send (WXMSG_APPSECRET or WXMSG_ACCESS_TOKEN; --appid,
--api-base, --timeout, --token-endpoint, --format text|json).

Exit codes: 0 downloaded; 1 a WeChat API error; 2 usage, file, credential or network errors.
`;

function credsFor(io: CliIO, appid: string | undefined) {
  const resolver = new ProjectResolver();
  const here = resolver.contextFor(path.join(io.cwd, 'cli.wxmsg.json'), { appid });
  return credentialsFromEnv(io.env, here.appid, here.problems);
}

function exitOf(r: { status: string }): number {
  if (r.status === 'sent' || r.status === 'downloaded') return EXIT.ok;
  return r.status === 'api-error' ? EXIT.findings : EXIT.usage;
}

export async function runTyping(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCliArgs({ args, allowPositionals: true, options: { ...COMMON_API_OPTIONS, to: { type: 'string' } } });
  const v = parsed.values;
  if (v.help) { io.stdout.write(TYPING_HELP); return EXIT.ok; }
  const common = parseCommonApiArgs(v, io.env);
  if (parsed.positionals.length !== 1 || !['on', 'off'].includes(parsed.positionals[0])) throw new UsageError(`typing takes on or off (got ${parsed.positionals.map((p) => `"${p}"`).join(' ') || 'nothing'})`);
  const to = v.to?.trim();
  if (!to) throw new UsageError('--to <openid> is required');
  const command = parsed.positionals[0] === 'on' ? 'Typing' : 'CancelTyping';
  const { stdout, stderr, connect } = apiSession(io, common);
  const creds = credsFor(io, common.appid);
  if (typeof creds === 'string') return refuse({ stdout, stderr }, common.format, 'typing not set', 'credentials', creds);
  const refused = await confirmPlainToken(common, creds, io, stderr);
  if (refused) return refuse({ stdout, stderr }, common.format, 'typing not set', 'usage', refused);
  const client = connect();
  if (typeof client === 'string') return refuse({ stdout, stderr }, common.format, 'typing not set', 'usage', client);
  const hint = checkOpenId(to);
  if (hint && common.format === 'text') stderr.write(`note: ${escapeControl(hint)}\n`);
  try {
    const r: TypingResult = await client.typing(to, command, creds);
    const e = escapeControl;
    if (common.format === 'json') {
      stdout.write(`${safeJson({ status: r.status, command, to, errcode: r.decoded?.errcode ?? null, errmsg: r.decoded?.errmsg ?? null, message: r.status === 'failed' ? r.failure.message : null, rid: r.decoded?.rid ?? null, api_host: client.host })}\n`);
    } else if (r.status === 'sent') {
      stdout.write(`✔ ${command} → ${maskOpenId(to)} via ${e(client.host)}: errcode 0${command === 'Typing' ? ' (shown for 15 s or until a message is sent)' : ''}\n`);
    } else if (r.status === 'api-error') {
      stderr.write(`✖ ${command} refused: WeChat answered errcode ${r.decoded.errcode} ${e(r.decoded.description)}\n${block(decodedLines(r.decoded, 'cli'))}${r.note ? `  note: ${e(r.note)}\n` : ''}`);
    } else {
      stderr.write(`✖ ${command} not set: ${e(r.failure.message)}\n`);
    }
    return exitOf(r);
  } finally {
    await client.close();
  }
}

export async function runMedia(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCliArgs({ args, allowPositionals: true, options: { ...COMMON_API_OPTIONS, output: { type: 'string', short: 'o' } } });
  const v = parsed.values;
  if (v.help) { io.stdout.write(MEDIA_HELP); return EXIT.ok; }
  const common = parseCommonApiArgs(v, io.env);
  const [sub, id, ...rest] = parsed.positionals;
  if (sub !== 'get') throw new UsageError(`media has one subcommand: get <media_id> (got ${sub === undefined ? 'nothing' : `"${sub}"`})`);
  if (!id || rest.length) throw new UsageError('media get takes exactly one media_id');
  if (v.output !== undefined && !v.output.trim()) throw new UsageError('-o needs a file name');
  const { stdout, stderr, connect } = apiSession(io, common);
  const creds = credsFor(io, common.appid);
  if (typeof creds === 'string') return refuse({ stdout, stderr }, common.format, 'not downloaded', 'credentials', creds);
  const refused = await confirmPlainToken(common, creds, io, stderr);
  if (refused) return refuse({ stdout, stderr }, common.format, 'not downloaded', 'usage', refused);
  const client = connect();
  if (typeof client === 'string') return refuse({ stdout, stderr }, common.format, 'not downloaded', 'usage', client);
  try {
    const r: MediaResult = await client.getMedia(id, creds);
    const e = escapeControl;
    let file: string | undefined;
    let writeError: string | undefined;
    if (r.status === 'downloaded') {
      const ext = ({ 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif' } as Record<string, string>)[r.file.type] ?? 'bin';
      // A name from the server is used only as a plain file name in the current folder.
      const serverName = r.file.filename && /^[\w.-]{1,200}$/.test(r.file.filename) && !r.file.filename.startsWith('.') ? r.file.filename : undefined;
      file = path.resolve(io.cwd, v.output ?? serverName ?? `${id.replace(/[^\w-]/g, '_').slice(0, 100)}.${ext}`);
      try { fs.writeFileSync(file, r.file.data); } catch (err) { writeError = `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`; }
    }
    if (common.format === 'json') {
      stdout.write(`${safeJson({ status: writeError ? 'failed' : r.status, media_id: id, file: writeError ? null : file ?? null, type: r.status === 'downloaded' ? r.file.type : null, size: r.status === 'downloaded' ? r.file.data.length : null, errcode: r.decoded?.errcode ?? null, errmsg: r.decoded?.errmsg ?? null, message: writeError ?? (r.status === 'failed' ? r.failure.message : null), rid: r.decoded?.rid ?? null, api_host: client.host })}\n`);
    } else if (writeError) {
      stderr.write(`✖ downloaded but ${e(writeError)}\n`);
    } else if (r.status === 'downloaded') {
      stdout.write(`${e(file!)}\n`);
      stderr.write(`✔ ${r.file.data.length} bytes (${e(r.file.type)}) from ${e(client.host)}\n`);
    } else if (r.status === 'api-error') {
      stderr.write(`✖ not downloaded: WeChat answered errcode ${r.decoded.errcode} ${e(r.decoded.description)}\n${block(decodedLines(r.decoded, 'cli'))}${r.note ? `  note: ${e(r.note)}\n` : ''}`);
    } else {
      stderr.write(`✖ not downloaded: ${e(r.failure.message)}\n`);
    }
    return writeError ? EXIT.usage : exitOf(r);
  } finally {
    await client.close();
  }
}
