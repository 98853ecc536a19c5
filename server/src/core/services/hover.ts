import type { Node } from 'jsonc-parser';
import { en as EN } from '../l10n/en.ts';
import { zhCN as ZH } from '../l10n/zh-cn.ts';
import { nodeRange, rangeOf, type ParsedTemplate } from '../parser/document.ts';
import { AIMSGCONTEXT_FIELDS, BODY_FIELDS, LINK_ATTRIBUTE_DOCS, MSGTYPE_DOCS, ROOT_FIELDS, isMsgType, type FieldInfo, type ObjectName } from '../rules/fields.ts';
import { decodedIndexAt, decodedLinks, nodeAt } from '../parser/jsonCursor.ts';
import { sourceSpan } from '../parser/jsonString.ts';
import type { Hover, MarkupContent } from '../languageTypes.ts';
import { hasPage, pageOf } from '../rules/pages.ts';
import { attribute, type LinkAttribute, type TextLink } from '../rules/textLinks.ts';
import type { Locale, MsgType, ProjectContext } from '../types.ts';
import { describeRules } from '../facts/deliveryRules.ts';

const WORDS = { en: EN.hover, 'zh-cn': ZH.hover };

/** Escapes text for markdown (the docs quote `<a>` tags, which clients would treat as HTML). */
export function md(s: string): string {
  return s.replace(/[\\`*_[\]<>#|]/g, '\\$&');
}

/** A code span that survives backticks in user text. */
export function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${s}${pad}${ticks}`;
}

function markdown(lines: string[]): MarkupContent {
  return { kind: 'markdown', value: lines.filter((l) => l !== '').join('\n\n') };
}

/** The 说明 of a field (Chinese, as in the official table) with its English line and limit. */
export function fieldDoc(field: FieldInfo, object: ObjectName, locale: Locale): MarkupContent {
  const w = WORDS[locale];
  const where = object === 'root' ? '' : ` · ${object}`;
  const members = field.kind === 'object' && object === 'root' ? fieldsOf(field.key as ObjectName) : [];
  return markdown([
    `**${md(field.key)}**${md(where)} · ${field.required ? w.required : w.optional}`,
    md(field.zh),
    md(field.en),
    members.length ? `${w.fields}: ${members.map((f) => code(f.key)).join(', ')}` : '',
    field.limit ? `${w.limit}: ${md(field.limit)}` : '',
  ]);
}

export function msgtypeDoc(t: MsgType, locale: Locale, asBody: boolean): MarkupContent {
  const w = WORDS[locale];
  const doc = MSGTYPE_DOCS[t];
  const fields = BODY_FIELDS[t].map((f) => code(f.key)).join(', ');
  return markdown([
    asBody ? `**${md(t)}** · ${md(w.bodyOf(t))}` : `**${w.msgtype}: ${md(t)}**`,
    md(doc.zh),
    md(doc.en),
    `${w.fields}: ${fields}`,
  ]);
}

export function attributeDoc(name: string): string[] {
  const doc = LINK_ATTRIBUTE_DOCS[name];
  return doc ? [`**${md(name)}**`, md(doc.zh), md(doc.en)] : [];
}

/** Which fields an object at this JSON path takes; undefined for objects the payload does not have. */
export function objectAt(path: (string | number)[]): ObjectName | undefined {
  if (path.length === 0) return 'root';
  if (path.length === 1 && (isMsgType(path[0]) || path[0] === 'aimsgcontext')) return path[0];
  return undefined;
}

/** Like objectAt, for an object node: the root, or a body (or `aimsgcontext`) directly under it. */
function objectOf(obj: Node): ObjectName | undefined {
  if (obj.type !== 'object') return undefined;
  if (!obj.parent) return 'root';
  const p = obj.parent;
  const key = p.children?.[0]?.value;
  const named = isMsgType(key) || key === 'aimsgcontext';
  return p.type === 'property' && !p.parent?.parent && p.children?.[1] === obj && named ? key : undefined;
}

export function fieldsOf(object: ObjectName): FieldInfo[] {
  return object === 'root' ? ROOT_FIELDS : object === 'aimsgcontext' ? AIMSGCONTEXT_FIELDS : BODY_FIELDS[object];
}

export function doHover(doc: ParsedTemplate, offset: number, context: ProjectContext, locale: Locale): Hover | undefined {
  const root = doc.root;
  if (!root || root.type !== 'object') return undefined;
  const node = nodeAt(root, offset);
  // Objects, arrays, and a property's colon and spaces have no hover of their own.
  if (!node || node.type === 'object' || node.type === 'array' || node.type === 'property') return undefined;
  const prop = node.parent;
  if (!prop || prop.type !== 'property') return undefined;
  const keyNode = prop.children?.[0];
  const valueNode = prop.children?.[1];
  if (!keyNode || !prop.parent) return undefined;
  const key = String(keyNode.value);
  const object = objectOf(prop.parent);
  if (!object) return undefined;
  const onValue = node === valueNode;
  const range = nodeRange(doc, node);

  if (object === 'root') {
    if (isMsgType(key)) return { contents: msgtypeDoc(key, locale, true), range };
    if (key === 'msgtype' && onValue && isMsgType(valueNode?.value)) {
      return { contents: msgtypeDoc(valueNode.value, locale, false), range };
    }
  }
  if (object === 'text' && key === 'content' && onValue && valueNode?.type === 'string') {
    const link = linkHover(doc, valueNode, offset, context, locale);
    if (link) return link;
  }
  if (object === 'link' && key === 'picurl') {
    const thumb = BODY_FIELDS.link.find((f) => f.key === 'thumb_url')!;
    const doc2 = fieldDoc(thumb, 'link', locale);
    return { contents: { kind: 'markdown', value: `${WORDS[locale].picurl}\n\n${doc2.value}` }, range };
  }
  const field = fieldsOf(object).find((f) => f.key === key);
  if (!field) return undefined;
  const contents = fieldDoc(field, object, locale);
  if (object === 'root' && field.key === 'touser') {
    // The one delivery-rules table the simulator and the decoded 45015 / 45047 texts read.
    // Allowances do not add up (miniprogram/introduction/custom.html: 可发送客服消息条数不累加).
    contents.value += `\n\n${WORDS[locale].delivery}\n${describeRules(undefined, locale).map((l) => `- ${md(l)}`).join('\n')}\n\n${WORDS[locale].notCumulative}`;
  }
  if (field.kind === 'page' && onValue && valueNode?.type === 'string' && String(valueNode.value).trim()) {
    contents.value += `\n\n${pageStatus(String(valueNode.value), context, locale)}`;
  }
  return { contents, range };
}

/** Whether a page path is one of app.json's pages, in words. */
function pageStatus(path: string, context: ProjectContext, locale: Locale): string {
  const w = WORDS[locale];
  if (!context.pages) return w.pagesUnknown;
  const src = code(context.pagesSource ?? 'app.json');
  return `${code(pageOf(path))}: ${hasPage(context.pages, path) ? w.pageFound(src) : w.pageMissing(src)}`;
}

/** End (exclusive) of the whole link in the decoded content: after `</a>`, else after the tag. */
function linkEnd(content: string, link: TextLink): number {
  if (link.closeStart === -1) return link.tagEnd;
  const m = /^<\/a\s*>/i.exec(content.slice(link.closeStart));
  return link.closeStart + (m ? m[0].length : 0);
}

function linkHover(doc: ParsedTemplate, value: Node, offset: number, context: ProjectContext, locale: Locale): Hover | undefined {
  const { d, links } = decodedLinks(doc, value.offset, value.length);
  if (offset < d.contentStart || offset >= d.contentEnd) return undefined;
  const idx = decodedIndexAt(d, offset);
  const link = links.find((l) => l.tagStart <= idx && idx < linkEnd(d.value, l));
  if (!link) return undefined;
  const onAttr = link.attributes.find((a) => a.nameStart <= idx && idx < attrEnd(d.value, a));
  const lines = [...(onAttr ? attributeDoc(onAttr.name.toLowerCase()) : []), ...destination(link, context, locale)];
  // The attribute, else the opening tag, else (on the label or `</a>`) the whole link.
  const [s, e] = onAttr ? sourceSpan(d, onAttr.nameStart, attrEnd(d.value, onAttr))
    : idx < link.tagEnd ? sourceSpan(d, link.tagStart, link.tagEnd)
    : sourceSpan(d, link.tagStart, linkEnd(d.value, link));
  return { contents: markdown(lines), range: rangeOf(doc, s, e) };
}

/** End (exclusive, decoded) of `name="value"`, including a closing quote. */
export function attrEnd(content: string, a: LinkAttribute): number {
  if (a.value === undefined) return a.nameEnd;
  const q = content[a.valueStart - 1];
  const closed = (q === '"' || q === "'") && content[a.valueEnd] === q;
  return a.valueEnd + (closed ? 1 : 0);
}

/** Where a text link goes, in words: the page (checked against app.json) and the appid, or the URL. */
export function destination(link: TextLink, context: ProjectContext, locale: Locale): string[] {
  const w = WORDS[locale];
  const path = attribute(link, 'data-miniprogram-path')?.value;
  const appid = attribute(link, 'data-miniprogram-appid')?.value;
  const href = attribute(link, 'href')?.value;
  const lines: string[] = [];
  if (path !== undefined && path.trim() && appid === undefined) {
    // Only the appid makes a text link open the mini program (send page, note 1).
    lines.push(`**${w.link}** — ${href !== undefined && href.trim() ? w.opensUrl(code(href.trim())) : w.noTarget}`, w.pathIgnored);
  } else if (path !== undefined && path.trim()) {
    const page = pageOf(path);
    const q = path.trim().slice(path.trim().search(/[?#]|$/) + 1);
    lines.push(`**${w.link}** — ${w.opensPage(code(page))}${q ? w.query(code(q)) : ''}`);
    if (!context.pages) lines.push(w.pagesUnknown);
    else lines.push(hasPage(context.pages, path) ? w.pageFound(code(context.pagesSource ?? 'app.json')) : w.pageMissing(code(context.pagesSource ?? 'app.json')));
    if (appid !== undefined) {
      // WeChat compares the exact string: a padded appid is not this mini program's (validate reports the whitespace).
      const a = appid;
      if (!context.appid) lines.push(w.appidUnknown(code(a)));
      else lines.push(a === context.appid ? w.appidOwn(code(a)) : w.appidForeign(code(a), code(context.appid)));
    }
    lines.push(href !== undefined && href.trim() ? w.fallback(code(href.trim())) : w.noFallback);
  } else if (href !== undefined && href.trim()) {
    lines.push(`**${w.link}** — ${w.opensUrl(code(href.trim()))}`);
  } else {
    lines.push(`**${w.link}** — ${w.noTarget}`);
  }
  return lines;
}
