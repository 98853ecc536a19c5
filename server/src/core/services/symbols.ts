import type { Node } from 'jsonc-parser';
import { nodeRange, rangeOf, type ParsedTemplate } from '../parser/document.ts';
import { decodedLinks } from '../parser/jsonCursor.ts';
import { sourceSpan } from '../parser/jsonString.ts';
import { SymbolKind, type DocumentSymbol } from '../languageTypes.ts';
import { attribute } from '../rules/textLinks.ts';
import { isMsgType } from '../rules/fields.ts';

const DETAIL_MAX = 60;

/**
 * The outline: msgtype, touser and the body with its fields, like vscode-json-languageservice's
 * symbols but with the payload's meaning (the body is a struct, msgtype an enum member), and the
 * text links of `text.content` as its children.
 */
export function documentSymbols(doc: ParsedTemplate): DocumentSymbol[] {
  const root = doc.root;
  if (!root || root.type !== 'object') return [];
  return members(doc, root, 0);
}

function members(doc: ParsedTemplate, obj: Node, depth: number): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const p of obj.children ?? []) {
    const k = p.children?.[0];
    const v = p.children?.[1];
    if (!k) continue;
    const key = String(k.value);
    const sym: DocumentSymbol = {
      // Clients reject empty symbol names.
      name: key.trim() ? key : JSON.stringify(key),
      kind: kindOf(key, v, depth),
      range: nodeRange(doc, p),
      selectionRange: nodeRange(doc, k),
    };
    if (v && (v.type === 'string' || v.type === 'number' || v.type === 'boolean')) sym.detail = clip(String(v.value));
    if (v?.type === 'object' && depth < 8) sym.children = members(doc, v, depth + 1);
    if (v?.type === 'string' && key === 'content' && depth === 1) {
      const links = textLinkSymbols(doc, v);
      if (links.length) sym.children = links;
    }
    out.push(sym);
  }
  return out;
}

function kindOf(key: string, v: Node | undefined, depth: number): DocumentSymbol['kind'] {
  if (depth === 0 && key === 'msgtype') return SymbolKind.EnumMember;
  if (depth === 0 && isMsgType(key)) return SymbolKind.Struct;
  switch (v?.type) {
    case 'object': return SymbolKind.Module;
    case 'array': return SymbolKind.Array;
    case 'number': return SymbolKind.Number;
    case 'boolean': return SymbolKind.Boolean;
    case 'null': return SymbolKind.Null;
    default: return depth === 0 ? SymbolKind.Property : SymbolKind.Field;
  }
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > DETAIL_MAX ? `${one.slice(0, DETAIL_MAX - 1)}…` : one;
}

function textLinkSymbols(doc: ParsedTemplate, value: Node): DocumentSymbol[] {
  if (!value.length || !doc.text.slice(value.offset, value.offset + value.length).includes('<')) return [];
  const { d, links } = decodedLinks(doc, value.offset, value.length);
  return links.map((link) => {
    const closeLen = link.closeStart === -1 ? 0 : (/^<\/a\s*>/i.exec(d.value.slice(link.closeStart))?.[0].length ?? 0);
    const end = link.closeStart === -1 ? link.tagEnd : link.closeStart + closeLen;
    const [s, e] = sourceSpan(d, link.tagStart, end);
    const [ts, te] = sourceSpan(d, link.tagStart, link.tagEnd);
    const target = attribute(link, 'data-miniprogram-path')?.value ?? attribute(link, 'href')?.value ?? '';
    const label = link.label.replace(/<[^>]*>/g, '').trim();
    return {
      name: `<a> ${clip(label) || '…'}`,
      detail: clip(target.trim()),
      kind: SymbolKind.Event,
      range: rangeOf(doc, s, e),
      selectionRange: rangeOf(doc, ts, te),
    };
  });
}
