import { findNodeAtLocation } from 'jsonc-parser';
import { propertyValue, rangeOf, type ParsedTemplate } from '../parser/document.ts';
import { AIMSGCONTEXT_FIELDS, BODY_FIELDS, LINK_ATTRIBUTE_DOCS, MSGTYPE_DOCS, isMsgType, type FieldInfo, type ObjectName } from '../rules/fields.ts';
import { attributeDoc, fieldDoc, fieldsOf, msgtypeDoc, objectAt } from './hover.ts';
import { Tok, decodedIndexAt, decodedLinks, tokensAround, type Token } from '../parser/jsonCursor.ts';
import { escapeJsonStringContent, sourceSpan, type DecodedString } from '../parser/jsonString.ts';
import {
  CompletionItemKind, InsertTextFormat, type CompletionItem, type MarkupContent, type TextEdit,
} from '../languageTypes.ts';
import { MESSAGE_SNIPPETS, messageSnippetDetail, nearEmptyBraces, textLinkSnippet } from './contextSnippets.ts';
import { LINK_ATTRIBUTES, type TextLink } from '../rules/textLinks.ts';
import { MSGTYPES, type Locale, type MsgType, type ProjectContext } from '../types.ts';

const TRIGGER_SUGGEST = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

/** Escapes literal text for an LSP snippet. */
function snippetText(s: string): string {
  return s.replace(/[\\$}]/g, '\\$&');
}

function isValueEnd(kind: number): boolean {
  return kind === Tok.String || kind === Tok.Number || kind === Tok.True || kind === Tok.False || kind === Tok.Null
    || kind === Tok.CloseBrace || kind === Tok.CloseBracket;
}

interface Site {
  doc: ParsedTemplate;
  offset: number;
  /** The span a completion replaces: the string or bare word under the cursor, else the cursor. */
  start: number;
  end: number;
  at?: Token;
  before?: Token;
  after?: Token;
  context: ProjectContext;
  locale: Locale;
  /** Set when the list must be asked for again as the user types (see pageItems). */
  incomplete: boolean;
}

export interface CompletionResult {
  isIncomplete: boolean;
  items: CompletionItem[];
}

/**
 * Completion at a cursor, on complete or half-typed templates. Keys and values are told apart
 * by the token before the cursor (`{`/`,` → key, `:` → value, a value → key after a missing
 * comma, which an additional edit inserts); the JSON path comes from the same token scan.
 */
export function doComplete(doc: ParsedTemplate, offset: number, context: ProjectContext, locale: Locale): CompletionItem[] {
  return doCompleteList(doc, offset, context, locale).items;
}

/** {@link doComplete} with LSP's `isIncomplete` flag (set where the client must ask again per keystroke). */
export function doCompleteList(doc: ParsedTemplate, offset: number, context: ProjectContext, locale: Locale): CompletionResult {
  offset = Math.max(0, Math.min(offset, doc.text.length));
  const site: Partial<Site> = {};
  const items = complete(doc, offset, context, locale, site);
  return { isIncomplete: !!site.incomplete, items };
}

function complete(doc: ParsedTemplate, offset: number, context: ProjectContext, locale: Locale, out: Partial<Site>): CompletionItem[] {
  const text = doc.text;
  const { at, before, after, path, keyPending } = tokensAround(text, offset);
  const site: Site = Object.assign(out, {
    doc, offset, at, before, after, context, locale, incomplete: false,
    start: at ? at.offset : offset,
    end: at ? at.offset + at.length : offset,
  });
  // An empty or near-empty file (`{}`, a word being typed): whole-message snippets.
  const messages = messageSnippets(site);
  if (messages) return before?.kind === Tok.OpenBrace && path.length === 1 ? [...messages, ...keyCompletions(site, 'root', [])] : messages;
  // Right after a key that has no colon yet there is nothing to complete.
  if (!before || keyPending) return [];
  const last = path[path.length - 1];
  if (typeof last !== 'string') return [];
  const object = objectAt(path.slice(0, -1));
  if (!object) return [];
  if (before.kind === Tok.Colon) return valueCompletions(site, object, last);
  if (before.kind === Tok.OpenBrace || before.kind === Tok.Comma || isValueEnd(before.kind)) {
    return keyCompletions(site, object, path.slice(0, -1));
  }
  return [];
}

function edit(site: Site, start: number, end: number, newText: string): TextEdit {
  return { range: rangeOf(site.doc, start, end), newText };
}

// ---- whole messages -------------------------------------------------------------------------

/**
 * The whole-message snippets, offered only when the file holds nothing but the word being typed
 * (and at most an empty `{}`, which the snippet replaces). The edit replaces that word (a
 * completion edit stays on the cursor's line); the braces go in additional edits.
 */
function messageSnippets(site: Site): CompletionItem[] | undefined {
  const { doc, offset } = site;
  const text = doc.text;
  let start = offset;
  let end = offset;
  while (start > 0 && /[\w-]/.test(text[start - 1])) start--;
  while (end < text.length && /[\w-]/.test(text[end])) end++;
  const braces = nearEmptyBraces(text, start, end);
  if (!braces) return undefined;
  const additional = braces.map((b) => edit(site, b, b + 1, ''));
  return MESSAGE_SNIPPETS.map((s, i) => {
    const item: CompletionItem = {
      label: s.prefix,
      kind: CompletionItemKind.Snippet,
      detail: messageSnippetDetail(s.type, site.locale),
      documentation: { kind: 'markdown', value: s.description },
      sortText: `!${i}`,
      filterText: s.prefix,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: edit(site, start, end, s.body),
    };
    if (additional.length) item.additionalTextEdits = additional;
    return item;
  });
}

// ---- keys ---------------------------------------------------------------------------------

function keyCompletions(site: Site, object: ObjectName, objectPath: (string | number)[]): CompletionItem[] {
  const { doc, at, before, after, locale } = site;
  const obj = objectPath.length === 0 ? doc.root : doc.root && findNodeAtLocation(doc.root, objectPath);
  const present = new Set<string>();
  if (obj?.type === 'object') {
    for (const p of obj.children ?? []) {
      const k = p.children?.[0];
      // The key being typed (the token under the cursor) is not "present".
      if (k && !(at && k.offset === at.offset)) present.add(String(k.value));
    }
  }
  // A key typed after a value with no comma between: insert the comma too.
  const additional = before && isValueEnd(before.kind)
    ? [edit(site, before.offset + before.length, before.offset + before.length, ',')]
    : undefined;
  const keyOnly = after?.kind === Tok.Colon;
  const needsComma = !keyOnly && after !== undefined && (after.kind === Tok.String || after.kind === Tok.OpenBrace || after.kind === Tok.Unknown);

  const items: CompletionItem[] = [];
  const add = (key: string, value: string, documentation: MarkupContent, detail: string, kind: CompletionItem['kind'], suggestAfter: boolean): void => {
    if (present.has(key)) return;
    const quoted = JSON.stringify(key);
    const newText = keyOnly ? quoted : `${snippetText(quoted)}: ${value}${needsComma ? ',' : ''}`;
    const item: CompletionItem = {
      label: key,
      kind,
      detail,
      documentation,
      sortText: String(items.length).padStart(2, '0'),
      filterText: at?.kind === Tok.String ? quoted : key,
      insertTextFormat: keyOnly ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
      textEdit: edit(site, site.start, site.end, newText),
    };
    if (additional) item.additionalTextEdits = additional;
    if (suggestAfter && !keyOnly) item.command = TRIGGER_SUGGEST;
    items.push(item);
  };

  const fields = fieldsOf(object);
  for (const f of fields) {
    if (f.kind === 'object') continue;
    const suggestAfter = f.key === 'msgtype' || (f.kind === 'page' && !!site.context.pages?.length);
    add(f.key, valueSnippet(f, suggestAfter), fieldDoc(f, object, locale), detailOf(f, locale), CompletionItemKind.Property, suggestAfter);
  }
  if (object === 'root') {
    const m = doc.root?.type === 'object' ? propertyValue(doc.root, 'msgtype')?.value : undefined;
    const bodies = isMsgType(m) ? [m] : MSGTYPES;
    for (const t of bodies) add(t, bodySnippet(t), msgtypeDoc(t, locale, true), detailOf(MSGTYPE_DOCS[t], locale), CompletionItemKind.Module, false);
  }
  // Optional objects (aimsgcontext) come after the bodies: most templates do without them.
  for (const f of fields) {
    if (f.kind === 'object') add(f.key, objectSnippet(AIMSGCONTEXT_FIELDS), fieldDoc(f, object, locale), detailOf(f, locale), CompletionItemKind.Module, false);
  }
  return items;
}

/** The one-line detail: the Chinese 说明, or the first clause of the English doc. */
function detailOf(doc: { zh: string; en: string }, locale: Locale): string {
  return locale === 'zh-cn' ? doc.zh : doc.en.split(/[.;:](?:\s|$)/)[0];
}

function valueSnippet(f: FieldInfo, empty: boolean): string {
  return empty ? '"$1"' : `"\${1:${snippetText(escapeJsonStringContent(f.placeholder))}}"`;
}

/** `{ …required fields with placeholders… }`; `\t` and `\n` are re-indented by the client. */
function bodySnippet(t: MsgType): string {
  return objectSnippet(BODY_FIELDS[t].filter((f) => f.required));
}

/** `{ "key": "placeholder", … }` with a tab stop per member (a body, `aimsgcontext`). */
function objectSnippet(fields: FieldInfo[]): string {
  const lines = fields.map((f, i) =>
    `\t${snippetText(JSON.stringify(f.key))}: "\${${i + 1}:${snippetText(escapeJsonStringContent(f.placeholder))}}"`);
  return `{\n${lines.join(',\n')}\n\\}`;
}

// ---- values -------------------------------------------------------------------------------

function valueCompletions(site: Site, object: ObjectName, key: string): CompletionItem[] {
  const { at, context, locale } = site;
  if (at && at.kind !== Tok.String && at.kind !== Tok.Unknown) return [];
  // A property follows without a comma: close the value with one.
  const comma = site.after?.kind === Tok.String ? ',' : '';
  if (object === 'root' && key === 'msgtype') {
    // The type whose body is already there comes first, preselected.
    const root = site.doc.root?.type === 'object' ? site.doc.root : undefined;
    const bodies = MSGTYPES.filter((t) => root && propertyValue(root, t)?.type === 'object');
    const order = [...bodies, ...MSGTYPES.filter((t) => !bodies.includes(t))];
    return order.map((t, i) => {
      const item = valueItem(site, t, i, CompletionItemKind.EnumMember, detailOf(MSGTYPE_DOCS[t], locale), msgtypeDoc(t, locale, false), comma);
      if (bodies.length === 1 && t === bodies[0]) item.preselect = true;
      return item;
    });
  }
  if (object === 'root' && isMsgType(key) && (!at || at.kind === Tok.Unknown)) {
    // The body's value: an object with the type's required fields.
    return [{
      label: `{ ${BODY_FIELDS[key].filter((f) => f.required).map((f) => f.key).join(', ')} }`,
      kind: CompletionItemKind.Struct,
      detail: detailOf(MSGTYPE_DOCS[key], locale),
      documentation: msgtypeDoc(key, locale, true),
      filterText: '{',
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: edit(site, site.start, site.end, bodySnippet(key) + comma),
    }];
  }
  if (object === 'root' && key === 'aimsgcontext' && (!at || at.kind === Tok.Unknown)) {
    const field = fieldsOf('root').find((f) => f.key === key)!;
    return [{
      label: `{ ${AIMSGCONTEXT_FIELDS.map((f) => f.key).join(', ')} }`,
      kind: CompletionItemKind.Struct,
      detail: detailOf(field, locale),
      documentation: fieldDoc(field, 'root', locale),
      filterText: '{',
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: edit(site, site.start, site.end, objectSnippet(AIMSGCONTEXT_FIELDS) + comma),
    }];
  }
  if (object === 'miniprogrampage' && key === 'pagepath') {
    const items = (context.pages ?? []).map((p, i) => valueItem(site, p, i, CompletionItemKind.File, context.pagesSource ?? 'app.json', undefined, comma));
    if (at?.kind === Tok.String) showAllPages(site, items, site.doc.text.slice(at.offset, site.offset), String(site.doc.text.slice(at.offset + 1, at.offset + at.length - (at.unterminated ? 0 : 1))));
    return items;
  }
  if (object === 'text' && key === 'content' && at?.kind === Tok.String) return contentCompletions(site, at);
  return [];
}

/**
 * A page path still holding a whole page or the snippet's placeholder (the tab stop selects it)
 * is to be replaced, not extended: every page is offered, whatever the text before the cursor.
 * The client filters by the text from the edit's start to the cursor, so each item's filterText
 * is exactly that text; the list is incomplete, so typing asks again and filters normally.
 */
function showAllPages(site: Site, items: CompletionItem[], typed: string, current: string): void {
  const page = current.replace(/[?#].*$/, '');
  if (!(site.context.pages ?? []).includes(page) && page !== 'pages/index/index') return;
  for (const item of items) item.filterText = typed;
  site.incomplete = true;
}

function valueItem(site: Site, value: string, i: number, kind: CompletionItem['kind'], detail: string, documentation: MarkupContent | undefined, comma: string): CompletionItem {
  const quoted = JSON.stringify(value);
  const item: CompletionItem = {
    label: value,
    kind,
    detail,
    sortText: String(i).padStart(3, '0'),
    filterText: quoted,
    insertTextFormat: InsertTextFormat.PlainText,
    textEdit: edit(site, site.start, site.end, quoted + comma),
  };
  if (documentation) item.documentation = documentation;
  return item;
}

// ---- inside text.content: the <a …> text links ----------------------------------------------

function contentCompletions(site: Site, tok: Token): CompletionItem[] {
  const { d, links } = decodedLinks(site.doc, tok.offset, tok.length);
  const idx = decodedIndexAt(d, site.offset);
  // Inside an escape sequence (between `\` and `"`) there is no sensible edit.
  if (idx < d.length && d.startOf(idx) < site.offset) return [];
  const content = d.value;
  const link = links.find((l) => l.tagStart + 2 <= idx && idx <= (l.tagClosed ? l.tagEnd - 1 : l.tagEnd));
  // `<` or `<a` just typed (no attribute yet): the text-link snippet. Elsewhere in plain text
  // nothing, so typing words in a message does not pop up a list.
  const lt = content.lastIndexOf('<', idx - 1);
  const opening = lt !== -1 && /^<a?$/i.test(content.slice(lt, idx)) && (!link || (link.tagStart === lt && !link.tagClosed && link.attributes.length === 0));
  if (opening) {
    const [s, e] = sourceSpan(d, lt, idx);
    return [{
      label: '<a',
      kind: CompletionItemKind.Snippet,
      detail: site.locale === 'zh-cn' ? '文字链：跳转本小程序的页面' : 'Text link to a page of this mini program',
      documentation: { kind: 'markdown', value: site.locale === 'zh-cn'
        ? `\`<a href data-miniprogram-appid data-miniprogram-path>\`${site.context.appid ? `，appid ${site.context.appid}` : ''}`
        : `\`<a href data-miniprogram-appid data-miniprogram-path>\`${site.context.appid ? ` with appid ${site.context.appid}` : ''}` },
      filterText: '<a',
      sortText: '!',
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: edit(site, s, e, textLinkSnippet(site.context)),
    }];
  }
  if (!link) return [];
  for (const a of link.attributes) {
    if (a.value !== undefined && a.valueStart <= idx && idx <= a.valueEnd && a.valueStart > a.nameEnd) {
      const q = content[a.valueStart - 1];
      const quoted = q === '"' || q === "'";
      // An unterminated quote runs to the end of the content: replace only what was typed.
      const end = quoted && content[a.valueEnd] !== q ? idx : a.valueEnd;
      // Right after `=` (a trigger character) there is no quote yet: the value brings its own.
      return attributeValueCompletions(site, d, a.name.toLowerCase(), a.valueStart, end, !quoted);
    }
    if (a.nameStart <= idx && idx <= a.nameEnd) return attributeNameCompletions(site, d, link, a.nameStart, a.nameEnd, a.value === undefined);
  }
  return attributeNameCompletions(site, d, link, idx, idx, true);
}

function attributeValueCompletions(site: Site, d: DecodedString, name: string, from: number, to: number, addQuotes: boolean): CompletionItem[] {
  const [s, e] = sourceSpan(d, from, to);
  const item = (value: string, i: number, kind: CompletionItem['kind'], detail: string): CompletionItem => {
    const escaped = escapeJsonStringContent(addQuotes ? `"${value}"` : value);
    return {
      label: value,
      kind,
      detail,
      sortText: String(i).padStart(3, '0'),
      filterText: escapeJsonStringContent(value),
      insertTextFormat: InsertTextFormat.PlainText,
      textEdit: edit(site, s, e, escaped),
    };
  };
  const { context } = site;
  if (name === 'data-miniprogram-path') {
    const items = (context.pages ?? []).map((p, i) => item(p, i, CompletionItemKind.File, context.pagesSource ?? 'app.json'));
    const typed = site.doc.text.slice(s, site.offset);
    if (!addQuotes) showAllPages(site, items, typed, d.value.slice(from, to));
    return items;
  }
  if (name === 'data-miniprogram-appid' && context.appid) {
    return [item(context.appid, 0, CompletionItemKind.Constant, context.appidSource ?? 'appid')];
  }
  return [];
}

function attributeNameCompletions(site: Site, d: DecodedString, link: TextLink, from: number, to: number, withValue: boolean): CompletionItem[] {
  const content = d.value;
  const present = new Set(link.attributes.filter((a) => a.nameStart !== from).map((a) => a.name.toLowerCase()));
  const [s, e] = sourceSpan(d, from, to);
  const lead = /\s/.test(content[from - 1] ?? '') ? '' : ' ';
  const next = content[to];
  const trail = withValue && next !== undefined && !/[\s>/]/.test(next) ? ' ' : '';
  return LINK_ATTRIBUTES.filter((n) => !present.has(n)).map((name, i) => {
    const newText = withValue
      ? snippetText(escapeJsonStringContent(`${lead}${name}="`)) + '$1' + snippetText(escapeJsonStringContent(`"${trail}`))
      : snippetText(escapeJsonStringContent(lead + name));
    const item: CompletionItem = {
      label: name,
      kind: CompletionItemKind.Property,
      detail: detailOf(LINK_ATTRIBUTE_DOCS[name], site.locale),
      documentation: { kind: 'markdown', value: attributeDoc(name).join('\n\n') },
      sortText: String(i).padStart(2, '0'),
      filterText: name,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: edit(site, s, e, newText),
    };
    if (withValue && name !== 'href' && (name === 'data-miniprogram-appid' ? !!site.context.appid : !!site.context.pages?.length)) {
      item.command = TRIGGER_SUGGEST;
    }
    return item;
  });
}
