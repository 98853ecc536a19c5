import snippets from '../../snippets/wxmsg.json';
import type { MsgType } from '../../server/src/core/types.ts';

/**
 * The contributed snippets (snippets/wxmsg.json) as data, so "WeChat (wxmsg): New Message…" inserts
 * exactly what the editor's snippet picker would. No vscode import: tests read it too.
 */
export interface SnippetEntry {
  name: string;
  prefix: string[];
  description: string;
  body: string;
}

export const SNIPPETS: SnippetEntry[] = Object.entries(snippets as Record<string, { prefix: string[]; description: string; body: string[] }>)
  .map(([name, s]) => ({ name, prefix: s.prefix, description: s.description, body: s.body.join('\n') }));

/** The whole-template snippet for a message type (prefix `wxmsg-<type>`). */
export function messageSnippet(type: MsgType): SnippetEntry {
  const s = SNIPPETS.find((e) => e.prefix[0] === `wxmsg-${type}`);
  if (!s) throw new Error(`no snippet for msgtype ${type}`);
  return s;
}

/** The text-link snippet (goes inside a text message's "content" string). */
export function textLinkSnippet(): SnippetEntry {
  return SNIPPETS.find((e) => e.prefix[0] === 'wxmsg-a')!;
}

/**
 * What the snippet inserts when the user fills tab stop N with values[N] and accepts the
 * other placeholders as they are (VS Code snippet syntax subset used by our snippets:
 * `$N`, `${N}`, `${N:default}`, `\\` escapes absent).
 */
export function expandSnippet(body: string, values: Record<number, string> = {}): string {
  return body.replace(/\$\{(\d+)(?::([^}]*))?\}|\$(\d+)/g, (_m, n1: string | undefined, def: string | undefined, n2: string | undefined) => {
    const n = Number(n1 ?? n2);
    return values[n] ?? def ?? '';
  });
}
