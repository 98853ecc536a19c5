import { rangeOf, type ParsedTemplate } from '../parser/document.ts';
import { nodeAt } from '../parser/jsonCursor.ts';
import { CompletionItemKind, type CompletionItem, type Hover } from '../languageTypes.ts';
import type { Locale } from '../types.ts';
import { placeholderAt, showValue, valueFor, variableNames, VARIABLE_NAME, type VariableValues } from '../rules/variables.ts';
import { md } from './hover.ts';

/** Where a value comes from, in Chinese: `profile "dev"` → `配置档 "dev"`, `argument` → 发送时给出的值; file names and flags as they are. */
export function sourceZh(source: string): string {
  const profile = /^profile "(.*)"$/.exec(source);
  if (profile) return `配置档 "${profile[1]}"`;
  return source === 'argument' ? '发送时给出的值' : source;
}

/** Hover on a `{{name}}`: its value and where it comes from, or that it is asked at send time. */
export function variableHover(doc: ParsedTemplate, offset: number, values: VariableValues | undefined, locale: Locale): Hover | undefined {
  const p = placeholderAt(doc, offset);
  if (!p) return undefined;
  const zh = locale === 'zh-cn';
  const v = valueFor(p, values);
  const lines = [`**${zh ? '模板变量' : 'Template variable'}** \`{{${p.name}}}\``];
  if (v) {
    const from = v.source === 'default' ? (zh ? '默认值' : 'the default') : zh ? sourceZh(v.source) : v.source;
    lines.push(`${zh ? '值' : 'Value'}: \`${md(showValue(v.value, 200))}\` (${zh ? '来自' : 'from'} ${md(from)})`);
  } else {
    lines.push(zh
      ? '没有已知的值（--var、配置档 vars、*.vars.json 或默认值）：发送时询问，wxmsg send 需要 --var。'
      : 'No known value (--var, the profile\'s vars, *.vars.json or a default): asked at send time; wxmsg send needs --var.');
  }
  if (p.default !== undefined && v?.source !== 'default') lines.push(`${zh ? '默认值' : 'Default'}: \`${md(showValue(p.default, 200))}\``);
  return { contents: { kind: 'markdown', value: lines.join('\n\n') }, range: rangeOf(doc, p.start, p.end) };
}

/**
 * After `{{` (and a partly typed name) inside a string: the names known (values given, the
 * other placeholders of the template). `undefined` when the cursor is not there.
 */
export function variableCompletions(doc: ParsedTemplate, offset: number, values: VariableValues | undefined, locale: Locale): CompletionItem[] | undefined {
  const node = doc.root && nodeAt(doc.root, offset);
  if (!node || node.type !== 'string' || offset <= node.offset || offset > node.offset + node.length) return undefined;
  const before = doc.text.slice(node.offset + 1, offset);
  const m = /(?<!\\)\{\{([\p{L}\p{N}_.-]*)$/u.exec(before);
  if (!m) return undefined;
  const start = offset - m[1].length;
  // Replace the rest of a name already there (and keep a closing }} if one follows).
  const after = /^[\p{L}\p{N}_.-]*/u.exec(doc.text.slice(offset, node.offset + node.length))![0];
  const closed = doc.text.startsWith('}}', offset + after.length);
  const names = new Map<string, string | undefined>();
  for (const [k, v] of values ?? []) names.set(k, `${showValue(v.value, 60)} (${v.source})`);
  for (const n of variableNames(doc)) if (!names.has(n)) names.set(n, undefined);
  const zh = locale === 'zh-cn';
  return [...names].filter(([n]) => VARIABLE_NAME.test(n)).map(([name, detail]) => ({
    label: name,
    kind: CompletionItemKind.Variable,
    detail: detail ?? (zh ? '模板中的变量（无已知值）' : 'used in this template (no known value)'),
    textEdit: { range: rangeOf(doc, start, offset + after.length), newText: closed ? name : `${name}}}` },
  }));
}
