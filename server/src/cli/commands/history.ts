import * as path from 'node:path';
import { escapeControl, safeJson } from '../../core/escape.ts';
import { findProjectFile, historyFileFrom, readHistory, PROJECT_FILE, type HistoryEntry } from '../../node/history.ts';
import { EXIT, UsageError, type CliIO, parseCliArgs } from '../io.ts';
import { localeFromEnv } from '../locale.ts';
import { historyText, type Locale } from '../../core/l10n/cli/text.ts';
import { helpText } from '../../core/l10n/cli/text.ts';
import { frameLocale } from '../locale.ts';

/** The help of wxmsg history in `l` (the catalog's help section). */
export const historyHelp = (l?: Locale): string => helpText(l).history({ projectFile: PROJECT_FILE });
export const HISTORY_HELP = historyHelp('en');

export async function runHistory(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCliArgs({ args, allowPositionals: false, options: { limit: { type: 'string' }, format: { type: 'string', short: 'f' }, locale: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  const v = parsed.values;
  if (v.help) { io.stdout.write(historyHelp(frameLocale(args, io.env))); return EXIT.ok; }
  const locale = localeFromEnv(io.env, v.locale);
  const t = historyText(locale);
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(t.unknownFormat(format));
  let limit = Infinity;
  if (v.limit !== undefined) {
    if (!/^[1-9]\d*$/.test(v.limit)) throw new UsageError(t.limit(v.limit));
    limit = Number(v.limit);
  }
  const projectFile = findProjectFile(io.cwd);
  if (!projectFile) throw new UsageError(t.noProjectFile(PROJECT_FILE, io.cwd));
  const h = historyFileFrom(projectFile);
  if (h.error) throw new UsageError(h.error);
  if (!h.file) throw new UsageError(t.noHistoryFile(projectFile));
  let read: { entries: HistoryEntry[]; bad: number[] };
  try {
    read = readHistory(h.file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      if (format === 'json') io.stdout.write('[]\n');
      else io.stdout.write(`${t.nothingIn(escapeControl(path.relative(io.cwd, h.file) || h.file))}\n`);
      return EXIT.ok;
    }
    throw new UsageError(t.cannotRead(h.file, code ?? (e as Error).message));
  }
  for (const line of read.bad) io.stderr.write(`wxmsg: ${t.badLine(`${escapeControl(h.file)}:${line}`)}\n`);
  const newest = read.entries.slice().reverse().slice(0, limit);
  if (format === 'json') { io.stdout.write(`${safeJson(newest)}\n`); return EXIT.ok; }
  if (!newest.length) { io.stdout.write(`${t.nothing}\n`); return EXIT.ok; }
  for (const e of newest) io.stdout.write(historyLine(e, locale));
  return EXIT.ok;
}

/** One send in two lines; every value comes from a file and is escaped. */
export function historyLine(e: HistoryEntry, locale?: Locale): string {
  const x = (s: unknown) => escapeControl(String(s ?? ''));
  const ok = e.status === 'sent';
  const result = e.errcode !== null && e.errcode !== undefined ? `errcode ${x(e.errcode)}${e.errmsg ? ` ${x(e.errmsg)}` : ''}` : x(e.status);
  const who = [e.alias ? `${x(e.alias)} ${x(e.to)}` : x(e.to), e.appid ? `appid ${x(e.appid)}` : '', e.profile ? historyText(locale).profile(x(e.profile)) : ''].filter(Boolean).join(', ');
  return `${x(e.time)}  ${ok ? '✔' : '✖'} ${result}${e.rid ? `  rid ${x(e.rid)}` : ''}\n  ${x(e.template)} → ${who}  ${x(e.latencyMs)} ms  ${x(e.payloadHash)}\n`;
}
