import { escapeControl as e } from '../core/escape.ts';
import type { DecodedResult } from '../core/facts/errcodes.ts';
import { apiText, editorText } from '../core/l10n/cli/text.ts';
import type { Locale } from '../core/types.ts';

/**
 * A decoded WeChat API answer (decodeResult in core/facts/errcodes.ts) in lines, one helper for
 * the CLI (send, upload, typing, media) and the editor (the send result's diagnostic and
 * notifications). Both give the same facts in the same order, in `locale` (the catalog's words,
 * core/l10n/cli/): the English line, the cause, what to do and the rid; every value from the
 * server (errmsg, rid) is escaped, so none can add a line of its own. In Chinese WeChat's own
 * errmsg, verbatim, takes the English line's place (the head line has the official Chinese).
 * They differ in layout only:
 * - `editor` starts with a head line (the errcode and its official Chinese description, or the
 *   errmsg of an errcode not in the table, whose English line then says nothing more), writes
 *   sentences ("Cause: …."), and adds the errmsg of a known failure;
 * - `cli` goes under the command's own head line: indented, with aligned labels.
 */
export type DecodedStyle = 'editor' | 'cli';

export function decodedLines(d: DecodedResult, style: DecodedStyle, locale: Locale = 'en'): string[] {
  const lines: string[] = [];
  if (style === 'editor') {
    const t = editorText(locale);
    lines.push(d.known ? t.head(d.errcode, e(d.description)) : t.headUnknown(d.errcode, e(d.errmsg) || t.noErrmsg));
    if (d.known && locale !== 'zh-cn') lines.push(e(d.en));
    if (d.cause) lines.push(t.cause(e(d.cause)));
    if (d.action) lines.push(t.action(e(d.action)));
    if (d.known && d.errmsg && d.errcode !== 0) lines.push(t.errmsg(e(d.errmsg)));
    if (d.rid) lines.push(t.rid(e(d.rid)));
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

/** The short form for a CodeLens or a status line: "45047 客服接口下行条数超过上限", or an unknown code's errmsg. */
export function decodedSummary(d: DecodedResult, locale: Locale = 'en'): string {
  const t = editorText(locale);
  return t.summary(d.errcode, e(d.known ? d.description : d.errmsg || t.unknownError));
}
