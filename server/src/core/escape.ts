/**
 * Text from outside (a server's errmsg, rid or Content-Type, a media_id, a file name, a template)
 * made safe to print on one line of a terminal, a CI log or the output channel:
 * - control characters (C0 including newline and CR, DEL, C1 such as the 8-bit CSI) and the
 *   Unicode line separators become `\uXXXX`, so such text cannot move the cursor, clear the
 *   screen, overwrite a line (\r, \b) or start a line of its own (a forged "✔ sent");
 * - bidirectional overrides and isolates become `\uXXXX` too, so the text shows in the order it
 *   is stored (no "Trojan source" reordering of what a line says);
 * - a value that starts with `::` (after blanks) gets its first colon escaped: GitHub Actions
 *   reads a line that starts with `::` as a workflow command (`::error`, `::add-mask`…), and such
 *   a value may be printed at the start of a line.
 * Tabs stay: they move the cursor only forward.
 */
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** UNSAFE minus C0: JSON.stringify escapes those inside strings, and its own line breaks must stay. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function hex(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** One value, escaped to print safely inside or at the start of a line. */
export function escapeControl(value: string): string {
  return String(value).replace(UNSAFE, hex).replace(/^(\s*):(?=:)/, '$1\\u003a');
}

/**
 * A whole block of output the program composed itself, line by line: every line keeps its line
 * break but loses any other control character, and no line may start a GitHub workflow command.
 * A backstop behind escapeControl() of each value (which is what stops a value's own newline).
 */
export function escapeLines(text: string): string {
  return String(text).split('\n').map(escapeControl).join('\n');
}

/**
 * JSON text for stdout: JSON.stringify already escapes C0 controls inside strings, not DEL, C1,
 * the line separators or bidi controls; they are escaped here too (still valid JSON, same value).
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, hex);
}
