import { printParseErrorCode, type ParseErrorCode } from 'jsonc-parser';
import type { ParsedTemplate } from './document.ts';
import type { OffsetEdit } from './jsonEdits.ts';
import { Tok, tokensAround } from './jsonCursor.ts';
import type { Locale } from './types.ts';

/**
 * JSON syntax errors in plain words (jsonc-parser names them `CommaExpected`, `ValueExpected`…),
 * and the fixes that are safe: a missing comma and an unclosed string on its line.
 */
const WORDS: Record<string, { en: string; zh: string }> = {
  InvalidSymbol: { en: 'this is not JSON: keys and strings are written in straight double quotes ("…")', zh: '这里不是合法的 JSON：键和字符串要用英文双引号（"…"）括起来' },
  InvalidNumberFormat: { en: 'this number is not written the JSON way', zh: '这个数字的写法不符合 JSON' },
  PropertyNameExpected: { en: 'a key in double quotes is expected here (is there a comma too many before it?)', zh: '这里应是一个用双引号括起来的键（前面是否多了一个逗号？）' },
  ValueExpected: { en: 'a value is expected here (a string in double quotes, a number, an object…)', zh: '这里缺少一个值（双引号字符串、数字、对象……）' },
  ColonExpected: { en: 'a colon is missing between the key and its value', zh: '键和值之间缺少冒号' },
  CommaExpected: { en: 'a comma is missing between two members', zh: '两个成员之间缺少逗号' },
  CloseBraceExpected: { en: 'this object is not closed: a } is missing', zh: '这个对象没有闭合：缺少 }' },
  CloseBracketExpected: { en: 'this list is not closed: a ] is missing', zh: '这个数组没有闭合：缺少 ]' },
  EndOfFileExpected: { en: 'the message already ended: remove what follows its closing }', zh: '消息在此之前已经结束：删除结尾 } 之后的内容' },
  InvalidCommentToken: { en: 'this comment is not valid', zh: '这个注释写法不正确' },
  UnexpectedEndOfComment: { en: 'this comment is not closed: a */ is missing', zh: '这个注释没有结束：缺少 */' },
  UnexpectedEndOfString: { en: 'this value is not closed: the string is missing its closing "', zh: '这个值没有结束：字符串缺少结尾的 "' },
  UnexpectedEndOfNumber: { en: 'this number is cut off', zh: '这个数字不完整' },
  InvalidUnicode: { en: 'a \\u escape needs four hex digits', zh: '\\u 转义后面需要 4 位十六进制数字' },
  InvalidEscapeCharacter: { en: 'this is not a JSON escape: a backslash is written \\\\ (escapes are \\n, \\t, \\", \\\\ and \\uXXXX)', zh: '这不是合法的 JSON 转义：反斜杠要写成 \\\\（可用的转义有 \\n、\\t、\\"、\\\\ 和 \\uXXXX）' },
  InvalidCharacter: { en: 'a line break or tab inside a string must be written \\n or \\t', zh: '字符串中的换行或制表符要写成 \\n 或 \\t' },
};

/** jsonc-parser's name of a parse error (`CommaExpected`), kept in the diagnostic's data. */
export function syntaxErrorKind(code: ParseErrorCode): string {
  return printParseErrorCode(code);
}

/** The editor's one hint on a blank file (lint and send report it as a syntax error). */
export const EMPTY_FILE = 'EmptyFile';

export function emptyFileHint(locale: Locale): string {
  return locale === 'zh-cn' ? '空文件：输入 wxmsg 选择一个消息片段（wxmsg-text、wxmsg-link……）。' : 'Empty file: type `wxmsg` for a message snippet (wxmsg-text, wxmsg-link, …).';
}

/** The plain-words sentence, without the "Syntax error" lead. */
export function syntaxWords(kind: string, locale: Locale): string {
  const w = WORDS[kind];
  if (w) return locale === 'zh-cn' ? w.zh : w.en;
  return locale === 'zh-cn' ? `JSON 语法错误（${kind}）` : `JSON syntax error (${kind})`;
}

export const SYNTAX_FIX_TITLES: Record<Locale, Record<string, string>> = {
  en: { comma: 'Insert the missing comma', quote: 'Close the string with "' },
  'zh-cn': { comma: '插入缺少的逗号', quote: '用 " 结束这个字符串' },
};

/**
 * The safe fix for a syntax error of `kind` starting at `start`, or undefined. Each one checks
 * the text is still as the diagnostic saw it, so a stale diagnostic gets no fix.
 */
export function syntaxFix(doc: ParsedTemplate, kind: string | undefined, start: number): { title: string; edit: OffsetEdit } | undefined {
  const text = doc.text;
  if (kind === 'CommaExpected') {
    // After the value that ends before the next member (skipping whitespace and comments).
    const { before } = tokensAround(text, start);
    // After an unclosed string the comma would land inside it: the quote fix comes first.
    if (before?.kind === Tok.String && before.unterminated) return undefined;
    if (!before || before.kind === Tok.Comma || before.kind === Tok.OpenBrace || before.kind === Tok.OpenBracket || before.kind === Tok.Colon) return undefined;
    const at = before.offset + before.length;
    return { title: 'comma', edit: { start: at, end: at, text: ',' } };
  }
  if (kind === 'UnexpectedEndOfString') {
    if (text[start] !== '"') return undefined;
    // A JSON string cannot span lines: it is closed at the end of its line (before a comma
    // that ends the line, which then separates it from the next member).
    let eol = start + 1;
    while (eol < text.length && text[eol] !== '\n' && text[eol] !== '\r') eol++;
    let end = eol;
    while (end > start + 1 && /\s/.test(text[end - 1])) end--;
    if (text[end - 1] === ',' && end - 1 > start + 1) end--;
    if (text[end - 1] === '\\') return undefined;
    return { title: 'quote', edit: { start: end, end, text: '"' } };
  }
  return undefined;
}
