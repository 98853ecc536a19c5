import type { Locale } from '../../core/types.ts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProjectResolver } from '../../node/resolver.ts';
import type { MediaResult, TypingResult } from '../../wechat/client.ts';
import { checkOpenId, maskOpenId } from '../../wechat/template.ts';
import { escapeControl, safeJson } from '../../core/escape.ts';
import { EXIT, UsageError, type CliIO, parseCliArgs } from '../io.ts';
import { COMMON_API_OPTIONS, apiErrorText, apiSession, confirmPlainToken, credentialsFromEnv, parseCommonApiArgs, refuse } from './send.ts';
import { apiText } from '../../core/l10n/cli/text.ts';
import { helpText } from '../../core/l10n/cli/text.ts';
import { frameLocale } from '../locale.ts';

/** The help of wxmsg typing in `l` (the catalog's help section). */
export const typingHelp = (l?: Locale): string => helpText(l).typing();
export const TYPING_HELP = typingHelp('en');

/** The help of wxmsg media in `l` (the catalog's help section). */
export const mediaHelp = (l?: Locale): string => helpText(l).media();
export const MEDIA_HELP = mediaHelp('en');

function credsFor(io: CliIO, appid: string | undefined, locale: Locale) {
  const resolver = new ProjectResolver();
  const here = resolver.contextFor(path.join(io.cwd, 'cli.wxmsg.json'), { appid });
  return credentialsFromEnv(io.env, here.appid, here.problems, locale);
}

function exitOf(r: { status: string }): number {
  if (r.status === 'sent' || r.status === 'downloaded') return EXIT.ok;
  return r.status === 'api-error' ? EXIT.findings : EXIT.usage;
}

export async function runTyping(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCliArgs({ args, allowPositionals: true, options: { ...COMMON_API_OPTIONS, to: { type: 'string' } } });
  const v = parsed.values;
  if (v.help) { io.stdout.write(typingHelp(frameLocale(args, io.env))); return EXIT.ok; }
  const common = parseCommonApiArgs(v, io.env);
  const { locale } = common;
  const t = apiText(locale);
  if (parsed.positionals.length !== 1 || !['on', 'off'].includes(parsed.positionals[0])) throw new UsageError(t.typingOnOff(parsed.positionals.map((p) => `"${p}"`).join(' ')));
  const to = v.to?.trim();
  if (!to) throw new UsageError(t.toOpenidRequired);
  const command = parsed.positionals[0] === 'on' ? 'Typing' : 'CancelTyping';
  const { stdout, stderr, connect } = apiSession(io, common);
  const creds = credsFor(io, common.appid, locale);
  if (typeof creds === 'string') return refuse({ stdout, stderr }, common, 'typing', 'credentials', creds);
  const refused = await confirmPlainToken(common, creds, io, stderr);
  if (refused) return refuse({ stdout, stderr }, common, 'typing', 'usage', refused);
  const client = connect();
  if (typeof client === 'string') return refuse({ stdout, stderr }, common, 'typing', 'usage', client);
  const hint = checkOpenId(to, locale);
  if (hint && common.format === 'text') stderr.write(`${t.hint(escapeControl(hint))}\n`);
  try {
    const r: TypingResult = await client.typing(to, command, creds);
    const e = escapeControl;
    if (common.format === 'json') {
      stdout.write(`${safeJson({ status: r.status, command, to, errcode: r.decoded?.errcode ?? null, errmsg: r.decoded?.errmsg ?? null, message: r.status === 'failed' ? r.failure.message : null, rid: r.decoded?.rid ?? null, api_host: client.host })}\n`);
    } else if (r.status === 'sent') {
      stdout.write(`${t.typingSet(command, maskOpenId(to), e(client.host))}${command === 'Typing' ? t.typingShown : ''}\n`);
    } else if (r.status === 'api-error') {
      stderr.write(t.typingRefused(command, apiErrorText(r.decoded, locale, r.note)));
    } else {
      stderr.write(`${t.typingFailed(command, e(r.failure.message))}\n`);
    }
    return exitOf(r);
  } finally {
    await client.close();
  }
}

export async function runMedia(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCliArgs({ args, allowPositionals: true, options: { ...COMMON_API_OPTIONS, output: { type: 'string', short: 'o' } } });
  const v = parsed.values;
  if (v.help) { io.stdout.write(mediaHelp(frameLocale(args, io.env))); return EXIT.ok; }
  const common = parseCommonApiArgs(v, io.env);
  const { locale } = common;
  const t = apiText(locale);
  const [sub, id, ...rest] = parsed.positionals;
  if (sub !== 'get') throw new UsageError(t.mediaSub(sub));
  if (!id || rest.length) throw new UsageError(t.mediaOne);
  if (v.output !== undefined && !v.output.trim()) throw new UsageError(t.outputName);
  const { stdout, stderr, connect } = apiSession(io, common);
  const creds = credsFor(io, common.appid, locale);
  if (typeof creds === 'string') return refuse({ stdout, stderr }, common, 'media', 'credentials', creds);
  const refused = await confirmPlainToken(common, creds, io, stderr);
  if (refused) return refuse({ stdout, stderr }, common, 'media', 'usage', refused);
  const client = connect();
  if (typeof client === 'string') return refuse({ stdout, stderr }, common, 'media', 'usage', client);
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
      try { fs.writeFileSync(file, r.file.data); } catch (err) { writeError = t.cannotWrite(file, (err as NodeJS.ErrnoException).code ?? (err as Error).message); }
    }
    if (common.format === 'json') {
      stdout.write(`${safeJson({ status: writeError ? 'failed' : r.status, media_id: id, file: writeError ? null : file ?? null, type: r.status === 'downloaded' ? r.file.type : null, size: r.status === 'downloaded' ? r.file.data.length : null, errcode: r.decoded?.errcode ?? null, errmsg: r.decoded?.errmsg ?? null, message: writeError ?? (r.status === 'failed' ? r.failure.message : null), rid: r.decoded?.rid ?? null, api_host: client.host })}\n`);
    } else if (writeError) {
      stderr.write(`${t.downloadedButNot(e(writeError))}\n`);
    } else if (r.status === 'downloaded') {
      stdout.write(`${e(file!)}\n`);
      stderr.write(`${t.downloaded(r.file.data.length, e(r.file.type), e(client.host))}\n`);
    } else if (r.status === 'api-error') {
      stderr.write(t.notDownloaded(apiErrorText(r.decoded, locale, r.note)));
    } else {
      stderr.write(`${t.notDownloaded(e(r.failure.message))}\n`);
    }
    return writeError ? EXIT.usage : exitOf(r);
  } finally {
    await client.close();
  }
}
