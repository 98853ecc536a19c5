import snippets from '../../../../snippets/wxmsg.json';
import { MSGTYPE_DOCS } from '../rules/fields.ts';
import { escapeJsonStringContent } from '../parser/jsonString.ts';
import { MSGTYPES, type Locale, type MsgType, type ProjectContext } from '../types.ts';

/**
 * The snippets of snippets/wxmsg.json served by the language server where they fit, instead of
 * VS Code's static snippets (which it offers at every position): whole messages only at the
 * root of an empty or near-empty file, the `<a` text link only inside a text's "content",
 * filled with the project's appid and a choice of its app.json pages.
 */
type SnippetJson = Record<string, { prefix: string[]; description: string; body: string[] }>;
const SNIPPETS = snippets as SnippetJson;

export interface MessageSnippet {
  type: MsgType;
  /** What the user types: `wxmsg-text`, … */
  prefix: string;
  description: string;
  /** LSP/VS Code snippet syntax; `\t` and `\n` are re-indented by the client. */
  body: string;
}

export const MESSAGE_SNIPPETS: MessageSnippet[] = MSGTYPES.map((type) => {
  const entry = Object.values(SNIPPETS).find((s) => s.prefix[0] === `wxmsg-${type}`);
  if (!entry) throw new Error(`snippets/wxmsg.json has no wxmsg-${type}`);
  return { type, prefix: entry.prefix[0], description: entry.description, body: entry.body.join('\n') };
});

export function messageSnippetDetail(type: MsgType, locale: Locale): string {
  return locale === 'zh-cn' ? `客服消息：${MSGTYPE_DOCS[type].zh}` : `${MSGTYPE_DOCS[type].en.split(/[(]/)[0].trim()} (whole message)`;
}

/**
 * Whether the text is "near-empty": nothing but whitespace and at most one pair of braces once
 * the word being typed (`[start, end)`) is taken out. Returns the offsets of those braces (they
 * are removed when a whole-message snippet is inserted), or undefined when the file has content.
 */
export function nearEmptyBraces(text: string, start: number, end: number): number[] | undefined {
  const braces: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (i >= start && i < end) continue;
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) continue;
    if ((c === 123 && braces.length === 0) || (c === 125 && braces.length === 1)) {
      braces.push(i);
      continue;
    }
    return undefined;
  }
  return braces.length === 1 ? undefined : braces;
}

/** Escapes literal text for a snippet choice (`${1|a,b|}`): `\`, `,`, `|`, `$` and `}`. */
function choiceText(s: string): string {
  return s.replace(/[\\,|$}]/g, '\\$&');
}

/** Escapes literal text for a snippet (outside choices). */
function literal(s: string): string {
  return s.replace(/[\\$}]/g, '\\$&');
}

/**
 * The `<a …>…</a>` snippet as it goes inside a JSON string (quotes escaped): the project's
 * appid filled in when known, the page a choice of the app.json pages (or a placeholder).
 */
export function textLinkSnippet(context: ProjectContext): string {
  const q = literal(escapeJsonStringContent('"'));
  const appid = context.appid ? literal(escapeJsonStringContent(context.appid)) : '${2:APPID}';
  const pages = (context.pages ?? []).slice(0, 200);
  const stops = context.appid ? [2, 3] : [3, 4];
  const page = pages.length
    ? `\${${stops[0]}|${pages.map((p) => choiceText(escapeJsonStringContent(p))).join(',')}|}`
    : `\${${stops[0]}:pages/index/index}`;
  return `<a href=${q}\${1:https://example.com/}${q} data-miniprogram-appid=${q}${appid}${q} data-miniprogram-path=${q}${page}${q}>\${${stops[1]}:link text}</a>$0`;
}
