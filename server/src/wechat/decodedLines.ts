import { escapeControl as e } from '../core/escape.ts';
import type { DecodedResult } from '../core/facts/errcodes.ts';
import { apiText } from '../core/l10n/cli/text.ts';
import type { Locale } from '../core/types.ts';

/**
 * A decoded WeChat API answer (decodeResult in core/facts/errcodes.ts) in lines, one helper for
 * the CLI (send, upload, typing, media) and the editor (the send result's diagnostic and
 * notifications). Both give the same facts in the same order: the English line, the cause,
 * what to do and the rid; every value from the server (errmsg, rid) is escaped, so none can add
 * a line of its own. They differ in layout only:
 * - `editor` starts with a head line (the errcode and its Chinese description, or the errmsg of
 *   an errcode not in the table, whose English line then says nothing more), writes sentences
 *   ("Cause: …."), and adds the errmsg of a known failure;
 * - `cli` goes under the command's own head line: indented, with aligned labels, in `locale`
 *   (the catalog's words, core/l10n/cli.*.ts). In Chinese WeChat's own errmsg, verbatim, takes the
 *   English line's place (the head line has the official Chinese).
 */
export type DecodedStyle = 'editor' | 'cli';

const EDITOR = { cause: 'Cause: ', action: 'What to do: ', end: '.', rid: (rid: string) => `rid: ${rid} (quote it to WeChat support / getRidInfo)` };

export function decodedLines(d: DecodedResult, style: DecodedStyle, locale: Locale = 'en'): string[] {
  const lines: string[] = [];
  if (style === 'editor') {
    lines.push(d.known ? `WeChat API errcode ${d.errcode}: ${e(d.description)}` : `WeChat API errcode ${d.errcode} (not in wxmsg's table): ${e(d.errmsg) || '(no errmsg)'}`);
    if (d.known) lines.push(e(d.en));
    if (d.cause) lines.push(`${EDITOR.cause}${e(d.cause)}${EDITOR.end}`);
    if (d.action) lines.push(`${EDITOR.action}${e(d.action)}${EDITOR.end}`);
    if (d.known && d.errmsg && d.errcode !== 0) lines.push(`errmsg: ${e(d.errmsg)}`);
    if (d.rid) lines.push(EDITOR.rid(e(d.rid)));
    return lines;
  }
  const t = apiText(locale);
  if (locale !== 'zh-cn') lines.push(e(d.en));
  else if (d.known && d.errmsg) lines.push(t.errmsg(e(d.errmsg)));
  if (d.cause) lines.push(`${t.cause}${e(d.cause)}`);
  if (d.action) lines.push(`${t.action}${e(d.action)}`);
  if (d.rid) lines.push(t.rid(e(d.rid)));
  return lines.map((l) => `  ${l}`);
}
