import { escapeControl as e } from '../core/escape.ts';
import type { DecodedResult } from '../core/facts/errcodes.ts';

/**
 * A decoded WeChat API answer (decodeResult in core/facts/errcodes.ts) in lines, one helper for
 * the CLI (send, upload, typing, media) and the editor (the send result's diagnostic and
 * notifications). Both give the same facts in the same order: the English line, the cause,
 * what to do and the rid; every value from the server (errmsg, rid) is escaped, so none can add
 * a line of its own. They differ in layout only:
 * - `editor` starts with a head line (the errcode and its Chinese description, or the errmsg of
 *   an errcode not in the table, whose English line then says nothing more), writes sentences
 *   ("Cause: …."), and adds the errmsg of a known failure;
 * - `cli` goes under the command's own head line: indented, with aligned labels.
 */
export type DecodedStyle = 'editor' | 'cli';

const STYLES: Record<DecodedStyle, { indent: string; cause: string; causeEnd: string; action: string; rid: string; ridNote: string }> = {
  editor: { indent: '', cause: 'Cause: ', causeEnd: '.', action: 'What to do: ', rid: 'rid: ', ridNote: 'quote it to WeChat support / getRidInfo' },
  cli: { indent: '  ', cause: 'cause:  ', causeEnd: '', action: 'action: ', rid: 'rid:    ', ridNote: 'quote it to WeChat support' },
};

export function decodedLines(d: DecodedResult, style: DecodedStyle): string[] {
  const s = STYLES[style];
  const lines: string[] = [];
  if (style === 'editor') {
    lines.push(d.known ? `WeChat API errcode ${d.errcode}: ${e(d.description)}` : `WeChat API errcode ${d.errcode} (not in wxmsg's table): ${e(d.errmsg) || '(no errmsg)'}`);
    if (d.known) lines.push(e(d.en));
  } else {
    lines.push(e(d.en));
  }
  if (d.cause) lines.push(`${s.cause}${e(d.cause)}${s.causeEnd}`);
  if (d.action) lines.push(`${s.action}${e(d.action)}${s.causeEnd}`);
  if (style === 'editor' && d.known && d.errmsg && d.errcode !== 0) lines.push(`errmsg: ${e(d.errmsg)}`);
  if (d.rid) lines.push(`${s.rid}${e(d.rid)} (${s.ridNote})`);
  return lines.map((l) => s.indent + l);
}
