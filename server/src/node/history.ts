import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, type ParseError } from 'jsonc-parser';
import { LIMITS } from '../core/rules/codes.ts';
import { decodeUtf8 } from '../core/parser/encoding.ts';
import { CONFIG_FILE } from '../core/rules/profileConfig.ts';
import { findProjectConfig } from './projectConfigFile.ts';

export { historyEntry, payloadHash, type HistoryEntry } from '../wechat/sendRecord.ts';
import type { HistoryEntry } from '../wechat/sendRecord.ts';
import { filesText, type Locale } from '../core/l10n/cli/text.ts';

export const PROJECT_FILE = CONFIG_FILE;

/** The nearest wxmsg.config.json at or above `dir`, if any (the project file's own lookup). */
export function findProjectFile(dir: string): string | undefined {
  return findProjectConfig(dir);
}

/**
 * `history.file` of a project file, resolved against its folder: `{ file }`, `{}` when not set
 * (history is opt-in), or why it cannot be used.
 */
export function historyFileFrom(projectFile: string, locale?: Locale): { file?: string; error?: string } {
  const t = filesText(locale);
  let text: string;
  try {
    const buf = fs.readFileSync(projectFile);
    if (buf.length > LIMITS.maxConfigBytes) return { error: t.historyTooLarge(projectFile, LIMITS.maxConfigBytes) };
    const d = decodeUtf8(buf);
    if (!d.ok) return { error: t.notUtf8(projectFile) };
    text = d.text;
  } catch (e) {
    return { error: t.cannotRead(projectFile, (e as NodeJS.ErrnoException).code ?? (e as Error).message) };
  }
  const errors: ParseError[] = [];
  const root = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  if (errors.length || typeof root !== 'object' || root === null) return { error: t.historyNotObject(projectFile) };
  const h = (root as Record<string, unknown>).history;
  if (h === undefined) return {};
  const file = typeof h === 'object' && h !== null ? (h as Record<string, unknown>).file : undefined;
  if (file === undefined) return {};
  if (typeof file !== 'string' || !file.trim()) return { error: t.historyFile(projectFile) };
  return { file: path.resolve(path.dirname(projectFile), file) };
}

/** Appends one entry as a JSON line (one write: lines of parallel sends do not interleave). */
export function appendHistory(file: string, entry: HistoryEntry): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${JSON.stringify(entry)}\n`, { encoding: 'utf8', mode: 0o600 });
}

/** Reads a history file: entries in file order and the lines that are not entries (1-based). */
export function readHistory(file: string): { entries: HistoryEntry[]; bad: number[] } {
  const text = fs.readFileSync(file, 'utf8');
  const entries: HistoryEntry[] = [];
  const bad: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const e = JSON.parse(line) as HistoryEntry;
      if (typeof e === 'object' && e !== null && typeof e.time === 'string') entries.push(e);
      else bad.push(i + 1);
    } catch {
      bad.push(i + 1);
    }
  });
  return { entries, bad };
}


