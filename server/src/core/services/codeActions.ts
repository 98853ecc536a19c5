import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { offsetAt, property, propertyValue, rangeOf, type ParsedTemplate } from '../parser/document.ts';
import { BODY_FIELDS, ROOT_FIELDS, isMsgType } from '../rules/fields.ts';
import { nodeAt } from '../parser/jsonCursor.ts';
import { decodeJsonString, escapeJsonStringContent, sourceSpan } from '../parser/jsonString.ts';
import { brTags, escapedLinks, literalNewlines, unescapeHtml, type Span } from '../rules/serializerTraps.ts';
import { insertMembers, removeProperty, type Member, type OffsetEdit } from '../parser/jsonEdits.ts';
import type { CodeAction, TextEdit } from '../languageTypes.ts';
import { syntaxFix } from '../parser/syntaxMessages.ts';
import { bodyFitsType, nearMsgtype, validBodies } from './msgtypeFixes.ts';
import { MSGTYPES, type Diagnostic, type Locale, type MsgType, type ProjectContext } from '../types.ts';

import { en as EN } from '../l10n/en.ts';
import { zhCN as ZH } from '../l10n/zh-cn.ts';

type Args = Record<string, string>;

// Titles from the catalog (server/src/core/l10n/).
const TITLES: Record<Locale, Record<string, (a: Args) => string>> = { en: { ...EN.fix }, 'zh-cn': { ...ZH.fix } };


interface Fix {
  title: string;
  args: Args;
  edits: OffsetEdit[];
  /** One right answer: the fix-all action applies it. */
  preferred?: boolean;
}

/**
 * Quick fixes for wxmsg diagnostics, driven by `diagnostic.code` and `diagnostic.data` (what
 * validate.ts recorded). The tree is re-checked before each edit, so a stale diagnostic from a
 * previous version of the document yields no fix rather than a wrong edit.
 */
export function getCodeActions(doc: ParsedTemplate, diagnostics: Diagnostic[], context: ProjectContext, locale: Locale): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    for (const fix of fixesFor(doc, d, context)) {
      const action: CodeAction = {
        title: TITLES[locale][fix.title](fix.args),
        kind: 'quickfix',
        diagnostics: [d],
        edits: fix.edits.map((e) => toTextEdit(doc, e)),
      };
      if (fix.preferred) action.isPreferred = true;
      actions.push(action);
    }
  }
  return actions;
}

/**
 * The edits of `source.fixAll.wxmsg`: every preferred fix, skipping any that would overlap (or
 * touch) an edit already taken, so the result is one consistent change. Fixes that need a
 * human (placeholders, a choice between two readings) are not preferred and are left out.
 */
export function getFixAllEdits(doc: ParsedTemplate, diagnostics: Diagnostic[], context: ProjectContext): TextEdit[] {
  const taken: OffsetEdit[] = [];
  for (const d of diagnostics) {
    const fix = fixesFor(doc, d, context).find((f) => f.preferred);
    if (!fix) continue;
    const clashes = fix.edits.some((e) => taken.some((t) => e.start <= t.end && t.start <= e.end));
    if (!clashes) taken.push(...fix.edits);
  }
  taken.sort((a, b) => a.start - b.start);
  return taken.map((e) => toTextEdit(doc, e));
}

function toTextEdit(doc: ParsedTemplate, e: OffsetEdit): TextEdit {
  return { range: rangeOf(doc, e.start, e.end), newText: e.text };
}

function fixesFor(doc: ParsedTemplate, d: Diagnostic, context: ProjectContext): Fix[] {
  const root = doc.root;
  if (typeof d.code !== 'string' || !d.code.startsWith('wxmsg/')) return [];
  const data = d.data ?? {};
  const len = doc.text.length;
  const start = offsetAt(doc.lineStarts, d.range.start, len);
  const end = offsetAt(doc.lineStarts, d.range.end, len);
  if (d.code === 'wxmsg/syntax-error') {
    // Syntax fixes work on the text; the tree may be missing or partial.
    const fix = syntaxFix(doc, data.kind, start);
    return fix ? [{ title: `syntax.${fix.title}`, args: {}, edits: [fix.edit], preferred: true }] : [];
  }
  if (!root || root.type !== 'object') return [];
  const replace = (text: string): OffsetEdit[] => [{ start, end, text }];

  switch (d.code.slice('wxmsg/'.length)) {
    case 'foreign-appid': {
      const appid = context.appid ?? data.expected;
      // An empty value is reported as a caret between the quotes: the appid is inserted there.
      // A stale range (the text moved) would not hold a bare attribute value.
      if (!appid || end < start || !isBareAttributeValue(doc.text.slice(start, end))) return [];
      return [{ title: 'appid', args: { value: appid }, edits: replace(escapeJsonStringContent(appid)), preferred: true }];
    }
    case 'misspelled-attribute':
      if (!data.replacement || end <= start || !/^[\w-]+$/.test(doc.text.slice(start, end))) return [];
      return [{ title: 'attribute', args: { value: data.replacement }, edits: replace(data.replacement), preferred: true }];
    case 'invalid-msgtype': {
      const v = propertyValue(root, 'msgtype');
      if (!v || v.offset !== start || v.type !== 'string') return [];
      // A valid body already there says what the message is; else the value's near miss.
      const bodies = validBodies(root);
      if (bodies.length) {
        return bodies.map((t) => ({ title: 'setMsgtype', args: { value: t }, edits: replace(JSON.stringify(t)), preferred: bodies.length === 1 }));
      }
      const near = nearMsgtype(String(v.value)) ?? (isMsgType(data.expected) ? data.expected : undefined);
      if (!near) return [];
      return [{ title: 'msgtype', args: { value: near }, edits: replace(JSON.stringify(near)), preferred: true }];
    }
    case 'use-thumb-url':
    case 'unknown-key': {
      const prop = keyedProperty(root, start, data.key);
      if (!prop) return [];
      const fixes: Fix[] = [];
      const to = data.expected;
      // A root key renamed to a body must make a valid body, or the fix trades one error for another.
      const badBody = prop.parent === root && isMsgType(to) && !bodyFitsType(prop.children?.[1], to);
      if (to && !property(prop.parent, to) && !badBody) {
        // A root key renamed to a body that msgtype does not name would only trade one error for another.
        const msgtype = propertyValue(root, 'msgtype')?.value;
        const clash = prop.parent === root && isMsgType(to) && isMsgType(msgtype) && msgtype !== to;
        fixes.push({ title: 'rename', args: { from: data.key!, to }, edits: renameKey(prop, to), preferred: !clash });
      }
      fixes.push({ title: 'remove', args: { key: data.key! }, edits: removeProperty(doc, prop) });
      return fixes;
    }
    case 'duplicate-key': {
      const prop = keyedProperty(root, start, data.key);
      if (!prop) return [];
      return [{ title: 'removeDuplicate', args: { key: data.key! }, edits: removeProperty(doc, prop) }];
    }
    case 'missing-field': {
      const obj = data.path && findNodeAtLocation(root, data.path);
      const t = data.path?.[0];
      if (!obj || obj.type !== 'object' || !isMsgType(t) || !data.missing?.length) return [];
      const missing = data.missing.filter((k) => !property(obj, k));
      const members = missing.map((k) => placeholderMember(t, k)).filter((m): m is Member => !!m);
      const edits = insertMembers(doc, obj, members);
      if (!edits) return [];
      return [{ title: 'addFields', args: { keys: missing.map((k) => `"${k}"`).join(', '), many: missing.length > 1 ? 'y' : '' }, edits }];
    }
    case 'missing-msgtype': {
      if (property(root, 'msgtype')) return [];
      const bodies = MSGTYPES.filter((t) => property(root, t));
      const choices = bodies.length ? bodies : MSGTYPES;
      return choices.flatMap((t) => {
        const edits = insertMembers(doc, root, [{ key: 'msgtype', value: JSON.stringify(t) }], true);
        return edits ? [{ title: 'addMsgtype', args: { value: t }, edits, preferred: bodies.length === 1 }] : [];
      });
    }
    case 'missing-body': {
      const t = data.expected ?? data.missing?.[0];
      if (!isMsgType(t) || property(root, t)) return [];
      const edits = insertMembers(doc, root, [bodyMember(t)]);
      return edits ? [{ title: 'addBody', args: { value: t }, edits }] : [];
    }
    case 'body-mismatch': {
      const prop = keyedProperty(root, start, data.key);
      const msgtype = propertyValue(root, 'msgtype');
      const key = data.key;
      const expected = data.expected;
      if (!prop || !isMsgType(key) || !isMsgType(expected) || prop.parent !== root) return [];
      const fixes: Fix[] = [];
      if (!property(root, expected) && bodyFitsType(prop.children?.[1], expected)) fixes.push({ title: 'renameBody', args: { from: key, to: expected }, edits: renameKey(prop, expected) });
      if (msgtype?.type === 'string') {
        fixes.push({ title: 'msgtype', args: { value: key }, edits: [{ start: msgtype.offset, end: msgtype.offset + msgtype.length, text: JSON.stringify(key) }] });
      }
      return fixes;
    }
    case 'surrounding-whitespace': {
      // The value is a whole literal (pagepath) or escaped text inside one (a link attribute).
      const source = doc.text.slice(start, end);
      const literal = source.length >= 2 && source.startsWith('"') && source.endsWith('"');
      const decoded = decodeSource(literal ? source : `"${source}"`);
      if (decoded === undefined || !data.expected || decoded.trim() !== data.expected || decoded === data.expected) return [];
      const text = literal ? JSON.stringify(data.expected) : escapeJsonStringContent(data.expected);
      return [{ title: 'trim', args: { value: data.expected }, edits: replace(text), preferred: true }];
    }
    case 'link-missing-appid': {
      const appid = context.appid ?? data.expected;
      if (!appid || doc.text.slice(start, end).toLowerCase() !== 'data-miniprogram-path') return [];
      const text = escapeJsonStringContent(`data-miniprogram-appid="${appid}" `);
      return [{ title: 'addAppid', args: { value: appid }, edits: [{ start, end: start, text }], preferred: true }];
    }
    case 'malformed-link': {
      const name = data.key;
      if (!name || !doc.text.startsWith(escapeJsonStringContent(name), start)) return [];
      if (data.kind === 'glued' && /["']/.test(doc.text[start - 1] ?? '')) {
        return [{ title: 'space', args: {}, edits: [{ start, end: start, text: ' ' }], preferred: true }];
      }
      if (data.kind === 'no-equals') {
        const at = start + escapeJsonStringContent(name).length;
        return [{ title: 'equals', args: {}, edits: [{ start: at, end: at, text: '=' }], preferred: true }];
      }
      return [];
    }
    case 'literal-newline-escape':
      return trapFix(doc, start, literalNewlines, () => '\\n', 'newline', false);
    case 'br-tag':
      return trapFix(doc, start, brTags, () => '\\n', 'br', true);
    case 'escaped-link':
      return trapFix(doc, start, escapedLinks, (s) => escapeJsonStringContent(unescapeHtml(s)), 'unescapeLink', true);
    case 'unknown-page': {
      if (!data.expected || end <= start) return [];
      const replaced = replacePage(doc.text.slice(start, end), data.expected);
      return replaced === undefined ? [] : [{ title: 'page', args: { value: data.expected }, edits: replace(replaced) }];
    }
    default:
      return [];
  }
}

function decodeSource(literal: string): string | undefined {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}

/**
 * One edit per trap in the string literal the diagnostic starts in, each replacing the trap's
 * source span; none when the literal no longer holds a trap where the diagnostic says.
 */
function trapFix(doc: ParsedTemplate, start: number, find: (content: string) => Span[], to: (decoded: string) => string, title: string, preferred: boolean): Fix[] {
  const node = doc.root && nodeAt(doc.root, start);
  if (!node || node.type !== 'string') return [];
  const d = decodeJsonString(doc.text, node.offset, node.length);
  const spans = find(d.value);
  if (!spans.some((sp) => sourceSpan(d, sp.start, sp.end)[0] === start)) return [];
  const edits = spans.map((sp) => {
    const [s, e] = sourceSpan(d, sp.start, sp.end);
    return { start: s, end: e, text: to(d.value.slice(sp.start, sp.end)) };
  });
  return [{ title, args: {}, edits, preferred }];
}

/** Escaped source text that decodes to an unquoted attribute value (no quotes, spaces or tags). */
function isBareAttributeValue(source: string): boolean {
  try {
    return !/["'<>\s]/.test(JSON.parse(`"${source}"`) as string);
  } catch {
    return false;
  }
}

/** The property whose key starts at `offset`, if its key still reads `key`. */
function keyedProperty(root: Node, offset: number, key: string | undefined): Node | undefined {
  if (key === undefined) return undefined;
  const node = nodeAt(root, offset);
  const prop = node?.parent;
  if (!node || node.type !== 'string' || node.offset !== offset || !prop || prop.type !== 'property' || prop.children?.[0] !== node) return undefined;
  return node.value === key ? prop : undefined;
}

function renameKey(prop: Node, to: string): OffsetEdit[] {
  const k = prop.children![0];
  return [{ start: k.offset, end: k.offset + k.length, text: JSON.stringify(to) }];
}

function placeholderMember(t: MsgType | 'root', key: string): Member | undefined {
  const field = (t === 'root' ? ROOT_FIELDS : BODY_FIELDS[t]).find((f) => f.key === key);
  return field ? { key, value: JSON.stringify(field.placeholder) } : undefined;
}

function bodyMember(t: MsgType): Member {
  return { key: t, value: BODY_FIELDS[t].filter((f) => f.required).map((f) => placeholderMember(t, f.key)!) };
}

/**
 * The page part of a path replaced, its query kept. `source` is either a whole JSON string
 * literal (pagepath) or escaped text inside one (a text link's data-miniprogram-path).
 */
function replacePage(source: string, page: string): string | undefined {
  const literal = source.length >= 2 && source.startsWith('"') && source.endsWith('"');
  let decoded: string;
  try {
    decoded = JSON.parse(literal ? source : `"${source}"`) as string;
  } catch {
    return undefined;
  }
  const q = decoded.search(/[?#]/);
  const next = page + (q === -1 ? '' : decoded.slice(q));
  return literal ? JSON.stringify(next) : escapeJsonStringContent(next);
}
