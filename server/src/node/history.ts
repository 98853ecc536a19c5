import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, type ParseError } from 'jsonc-parser';
import { LIMITS } from '../core/rules/codes.ts';
import { decodeUtf8 } from '../core/parser/encoding.ts';
import { CONFIG_FILE, findProjectConfig } from '../core/rules/profileConfig.ts';
import type { SendResult } from '../wechat/client.ts';

/**
 * The send history: one JSON object per send. The extension keeps it in its workspace state;
 * the CLI appends it as JSON lines to `history.file` of the project file (wxmsg.config.json),
 * only when that is set. An entry never holds a token, an AppSecret or a whole OpenID: the
 * fields below are all there is (entries are built field by field, never by spreading a result).
 */
export interface HistoryEntry {
  /** ISO 8601, UTC. */
  time: string;
  profile: string | null;
  appid: string | null;
  /** The recipient's alias (a test user's name), when it was chosen by one. */
  alias: string | null;
  /** The OpenID masked (`oWx…0001`). */
  to: string;
  /** The template, relative to the project file's folder (or as given). */
  template: string;
  /** `sha256:` of the body sent (the filled payload), so two sends of the same message match. */
  payloadHash: string;
  status: string;
  errcode: number | null;
  errmsg: string | null;
  rid: string | null;
  latencyMs: number;
  apiHost: string;
}

export function payloadHash(body: string): string {
  return `sha256:${createHash('sha256').update(body, 'utf8').digest('hex')}`;
}

export const PROJECT_FILE = CONFIG_FILE;

/** The nearest wxmsg.config.json at or above `dir`, if any (the project file's own lookup). */
export function findProjectFile(dir: string): string | undefined {
  return findProjectConfig(dir);
}

/**
 * `history.file` of a project file, resolved against its folder: `{ file }`, `{}` when not set
 * (history is opt-in), or why it cannot be used.
 */
export function historyFileFrom(projectFile: string): { file?: string; error?: string } {
  let text: string;
  try {
    const buf = fs.readFileSync(projectFile);
    if (buf.length > LIMITS.maxConfigBytes) return { error: `${projectFile} is over ${LIMITS.maxConfigBytes} bytes` };
    const d = decodeUtf8(buf);
    if (!d.ok) return { error: `${projectFile} is not UTF-8` };
    text = d.text;
  } catch (e) {
    return { error: `${projectFile} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  const errors: ParseError[] = [];
  const root = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  if (errors.length || typeof root !== 'object' || root === null) return { error: `${projectFile} is not a JSON object (JSON syntax error)` };
  const h = (root as Record<string, unknown>).history;
  if (h === undefined) return {};
  const file = typeof h === 'object' && h !== null ? (h as Record<string, unknown>).file : undefined;
  if (file === undefined) return {};
  if (typeof file !== 'string' || !file.trim()) return { error: `"history.file" in ${projectFile} must be a file path (a string)` };
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

/** A history entry, field by field from the result: nothing else (no token, no whole OpenID) can slip in. */
export function historyEntry(r: SendResult, o: { template: string; to: string; appid: string | null; apiHost: string; body: string; latencyMs: number; profile?: string | null; alias?: string | null }): HistoryEntry {
  return {
    time: new Date().toISOString(),
    profile: o.profile ?? null,
    appid: o.appid,
    alias: o.alias ?? null,
    to: o.to,
    template: o.template,
    payloadHash: payloadHash(o.body),
    status: r.status === 'failed' ? (r.failure.deliveryUnknown ? 'delivery-unknown' : 'not-sent') : r.status,
    errcode: r.decoded?.errcode ?? null,
    errmsg: r.decoded?.errmsg ?? null,
    rid: r.decoded?.rid ?? null,
    latencyMs: o.latencyMs,
    apiHost: o.apiHost,
  };
}

