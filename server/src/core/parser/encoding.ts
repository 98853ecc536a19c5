import type { Position } from '../types.ts';

/**
 * Strict UTF-8 decoding for templates and project files, and a guess at what a file that is
 * not UTF-8 is instead. WeChat takes the JSON body as UTF-8: a template saved as GBK and read
 * leniently would be linted clean and sent as mojibake, so bytes that are not UTF-8 are refused.
 * Pure (TextDecoder and Uint8Array only), shared by the CLI, the resolver and the language server.
 */

/** What a file that is not UTF-8 most likely is. */
export type EncodingGuess = 'utf-16le' | 'utf-16be' | 'gb18030' | 'latin1';

export interface NotUtf8 {
  guess: EncodingGuess;
  /** A UTF-16 byte order mark opens the file. */
  bom: boolean;
  /** Byte offset of the first byte that is not UTF-8 (0 for UTF-16). */
  offset: number;
  /** Where that byte is, as an editor counts it in the text before it (UTF-16 units). */
  position: Position;
}

export type Decoded = { ok: true; text: string } | { ok: false; notUtf8: NotUtf8 };

// A leading UTF-8 BOM is dropped (ignoreBOM: false), as editors do.
const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

export function decodeUtf8(bytes: Uint8Array): Decoded {
  const utf16 = utf16Guess(bytes);
  if (utf16) return { ok: false, notUtf8: { ...utf16, offset: 0, position: { line: 0, character: 0 } } };
  // NUL bytes outside UTF-16 are binary data (an image saved as .wxmsg.json), not a text
  // encoding: decoded leniently, validation reports them as binary-file at the first NUL.
  if (bytes.indexOf(0) !== -1) return { ok: true, text: lenient.decode(bytes) };
  try {
    return { ok: true, text: strict.decode(bytes) };
  } catch {
    const { offset, position } = firstInvalid(bytes);
    return { ok: false, notUtf8: { guess: legacyGuess(bytes), bom: false, offset, position } };
  }
}

/**
 * UTF-16: a byte order mark, or (without one) the zero bytes that ASCII characters leave in one
 * half of every pair: JSON punctuation and keys are ASCII, so a template has plenty of them.
 * UTF-8 text never holds a NUL, so this runs only when there is one.
 */
function utf16Guess(bytes: Uint8Array): { guess: EncodingGuess; bom: boolean } | undefined {
  if (bytes.length >= 2) {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return { guess: 'utf-16le', bom: true };
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return { guess: 'utf-16be', bom: true };
  }
  if (bytes.indexOf(0) === -1) return undefined;
  const n = Math.min(bytes.length, 4096) & ~1;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const pairs = n / 2;
  if (pairs === 0) return undefined;
  if (zeroOdd >= pairs / 4 && zeroEven * 10 <= zeroOdd) return { guess: 'utf-16le', bom: false };
  if (zeroEven >= pairs / 4 && zeroOdd * 10 <= zeroEven) return { guess: 'utf-16be', bom: false };
  return undefined;
}

/**
 * The first byte that is not UTF-8. The lenient decoder turns each bad sequence into U+FFFD;
 * the first U+FFFD that is not the character itself encoded (EF BF BD) is it.
 */
function firstInvalid(bytes: Uint8Array): { offset: number; position: Position } {
  const text = lenient.decode(bytes);
  let byte = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let from = 0;
  for (let i = text.indexOf('\ufffd'); i !== -1; i = text.indexOf('\ufffd', i + 1)) {
    byte += utf8Length(text, from, i);
    from = i;
    if (bytes[byte] === 0xef && bytes[byte + 1] === 0xbf && bytes[byte + 2] === 0xbd) continue;
    return { offset: byte, position: positionAt(text, i) };
  }
  // Not reached for bytes the strict decoder refused; keep a sane answer all the same.
  return { offset: bytes.length, position: positionAt(text, text.length) };
}

function utf8Length(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

function positionAt(text: string, offset: number): Position {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, character: offset - start };
}

let gb18030: InstanceType<typeof TextDecoder> | null | undefined;

/**
 * GBK/GB18030 or Latin-1. Chinese text in GBK is pairs of bytes that are both 0xA1 or above
 * (the GB2312 rows); accented Latin-1 letters are mostly single high bytes between ASCII
 * letters, which GB18030 either refuses or reads as rare pairs with an ASCII trail byte.
 * So: GBK when GB18030 decodes the whole file and most pairs are GB2312-like.
 */
function legacyGuess(bytes: Uint8Array): EncodingGuess {
  if (gb18030 === undefined) {
    try { gb18030 = new TextDecoder('gb18030', { fatal: true }); } catch { gb18030 = null; }
  }
  let gb2312Pairs = 0;
  let otherPairs = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 0x80) continue;
    const t = bytes[i + 1] ?? 0;
    if (b >= 0xa1 && b <= 0xf7 && t >= 0xa1 && t <= 0xfe) gb2312Pairs++;
    else otherPairs++;
    i += t >= 0x30 && t <= 0x39 ? 3 : 1;
  }
  if (gb2312Pairs === 0 || gb2312Pairs < otherPairs) return 'latin1';
  // A Node without full ICU has no GB18030 decoder: the byte pattern alone decides then.
  if (gb18030 === null) return 'gb18030';
  try {
    gb18030.decode(bytes);
    return 'gb18030';
  } catch {
    return 'latin1';
  }
}

/** How a guess is named to users, and the names iconv and VS Code's encoding picker use. */
export interface EncodingNames { label: string; iconv: string; vscode: string }

export function guessNames(n: Pick<NotUtf8, 'guess' | 'bom'>): EncodingNames {
  const bom = n.bom ? ' with a BOM' : ' without a BOM';
  switch (n.guess) {
    case 'utf-16le': return { label: `UTF-16 LE${bom}`, iconv: 'UTF-16LE', vscode: 'UTF-16 LE' };
    case 'utf-16be': return { label: `UTF-16 BE${bom}`, iconv: 'UTF-16BE', vscode: 'UTF-16 BE' };
    case 'gb18030': return { label: 'GBK/GB18030', iconv: 'GB18030', vscode: 'Simplified Chinese (GB 18030)' };
    case 'latin1': return { label: 'Latin-1 (ISO-8859-1/Windows-1252)', iconv: 'WINDOWS-1252', vscode: 'Western (Windows 1252)' };
  }
}

/**
 * VS Code's encoding ids (`TextDocument.encoding`, `files.encoding`) as names and iconv names.
 * `utf8` and `utf8bom` are UTF-8; anything else is not.
 */
const VSCODE_ENCODINGS: Record<string, [label: string, iconv: string, vscode: string]> = {
  utf16le: ['UTF-16 LE', 'UTF-16LE', 'UTF-16 LE'],
  utf16be: ['UTF-16 BE', 'UTF-16BE', 'UTF-16 BE'],
  gbk: ['GBK', 'GBK', 'Simplified Chinese (GBK)'],
  gb18030: ['GB18030', 'GB18030', 'Simplified Chinese (GB 18030)'],
  gb2312: ['GB2312', 'GB2312', 'Simplified Chinese (GB 2312)'],
  big5hkscs: ['Big5-HKSCS', 'BIG5-HKSCS', 'Traditional Chinese (Big5-HKSCS)'],
  cp950: ['Big5 (CP950)', 'CP950', 'Traditional Chinese (Big5)'],
  windows1252: ['Windows-1252', 'WINDOWS-1252', 'Western (Windows 1252)'],
  iso88591: ['Latin-1 (ISO-8859-1)', 'ISO-8859-1', 'Western (ISO 8859-1)'],
  shiftjis: ['Shift JIS', 'SHIFT_JIS', 'Japanese (Shift JIS)'],
  eucjp: ['EUC-JP', 'EUC-JP', 'Japanese (EUC-JP)'],
  euckr: ['EUC-KR', 'EUC-KR', 'Korean (EUC-KR)'],
};

export function isUtf8EncodingId(id: string): boolean {
  return id === 'utf8' || id === 'utf8bom';
}

export function vscodeEncodingNames(id: string): EncodingNames {
  const known = VSCODE_ENCODINGS[id.toLowerCase()];
  if (known) return { label: known[0], iconv: known[1], vscode: known[2] };
  const safe = id.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32) || 'unknown';
  return { label: safe, iconv: safe.toUpperCase(), vscode: safe };
}
