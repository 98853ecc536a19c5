import type { HistoryEntry } from '../../../server/src/wechat/sendRecord.ts';
import { matchesMask } from '../../../server/src/wechat/openid.ts';

/** Where the extension keeps small state (vscode.Memento: workspaceState / globalState). */
export interface StateStore {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

/**
 * The editor's send history: in the workspace state (never a file of the project), newest first,
 * at most MAX_HISTORY entries. An entry is HistoryEntry (no token, no secret, the OpenID masked)
 * plus where to find the template again and the API base it went to (no query, no token).
 */
export const HISTORY_KEY = 'wxmsg.send.history';
export const MAX_HISTORY = 200;
/** Last values given to a template's variables, per template URI (workspace state). */
export const VARS_KEY = 'wxmsg.send.lastVariables';

export interface EditorHistoryEntry extends HistoryEntry {
  id: string;
  templateUri: string;
  apiBase: string;
}

export class SendHistory {
  private readonly listeners = new Set<() => void>();
  constructor(private readonly state: StateStore) {}

  list(): EditorHistoryEntry[] {
    const v = this.state.get(HISTORY_KEY);
    return Array.isArray(v) ? v.filter((e): e is EditorHistoryEntry => !!e && typeof e === 'object' && typeof (e as EditorHistoryEntry).id === 'string') : [];
  }

  get(id: string): EditorHistoryEntry | undefined {
    return this.list().find((e) => e.id === id);
  }

  async add(e: EditorHistoryEntry): Promise<void> {
    await this.state.update(HISTORY_KEY, [e, ...this.list()].slice(0, MAX_HISTORY));
    for (const l of this.listeners) l();
  }

  async clear(): Promise<void> {
    await this.state.update(HISTORY_KEY, []);
    for (const l of this.listeners) l();
  }

  onDidChange(l: () => void): { dispose(): void } {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  }

  lastVariables(templateUri: string): Record<string, string> {
    const all = this.state.get(VARS_KEY);
    const v = all && typeof all === 'object' ? (all as Record<string, unknown>)[templateUri] : undefined;
    return v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string> : {};
  }

  async rememberVariables(templateUri: string, values: Record<string, string>): Promise<void> {
    const all = this.state.get(VARS_KEY);
    const next = { ...(all && typeof all === 'object' ? all as Record<string, unknown> : {}), [templateUri]: { ...this.lastVariables(templateUri), ...values } };
    await this.state.update(VARS_KEY, next);
  }
}

/** A POSIX shell single-quoted word. */
function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The send as a curl command: the token written as ACCESS_TOKEN (never the real one), the body
 * as sent (comments stripped, variables filled, touser the recipient's OpenID or OPENID).
 */
export function curlFor(apiBase: string, body: string): string {
  const url = `${apiBase.replace(/\/+$/, '')}/cgi-bin/message/custom/send?access_token=ACCESS_TOKEN`;
  return `curl -sS -X POST ${sq(url)} \\\n  -H 'Content-Type: application/json' \\\n  --data-binary ${sq(body)}`;
}

/** What WeChat support asks for: the rid and when. */
export function ridLine(e: Pick<HistoryEntry, 'rid' | 'time' | 'errcode' | 'appid'>): string {
  const when = e.time.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');
  return `rid: ${e.rid ?? '(none)'}  time: ${when}${e.errcode !== null ? `  errcode: ${e.errcode}` : ''}${e.appid ? `  appid: ${e.appid}` : ''}`;
}

/** The full OpenID of an entry (kept masked), when exactly one recent OpenID has its mask. */
export function openIdOf(e: Pick<HistoryEntry, 'to'>, recent: readonly string[]): string | undefined {
  const hits = recent.filter((id) => matchesMask(id, e.to));
  return hits.length === 1 ? hits[0] : undefined;
}
