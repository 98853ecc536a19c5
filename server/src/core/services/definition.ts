import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { computeLineStarts, positionAt, type ParsedTemplate } from '../parser/document.ts';
import { decodedLinks } from '../parser/jsonCursor.ts';
import { sourceSpan } from '../parser/jsonString.ts';
import { pageOf } from '../rules/pages.ts';
import type { Range } from '../types.ts';

/**
 * Where a template names a page (miniprogrampage.pagepath, a text link's data-miniprogram-path)
 * and where app.json lists it: the pure half of Go to Definition and document links. The
 * language server reads app.json and looks for the page's files (lsp/navigation.ts).
 */
export interface PageSite {
  /** The page as app.json lists it (query and leading `/` dropped). */
  page: string;
  /** Source offsets of the path (inside the quotes). */
  start: number;
  end: number;
}

/** Every page path in the template, in source order. */
export function pageSites(doc: ParsedTemplate): PageSite[] {
  const root = doc.root;
  if (!root || root.type !== 'object') return [];
  const out: PageSite[] = [];
  const pagepath = findNodeAtLocation(root, ['miniprogrampage', 'pagepath']);
  if (pagepath?.type === 'string' && typeof pagepath.value === 'string' && pageOf(pagepath.value)) {
    out.push({ page: pageOf(pagepath.value), start: pagepath.offset + 1, end: pagepath.offset + pagepath.length - 1 });
  }
  const content = findNodeAtLocation(root, ['text', 'content']);
  if (content?.type === 'string') {
    const { d, links } = decodedLinks(doc, content.offset, content.length, String(content.value));
    for (const l of links) {
      for (const a of l.attributes) {
        if (a.name.toLowerCase() !== 'data-miniprogram-path' || a.value === undefined || !pageOf(a.value)) continue;
        const [s, e] = sourceSpan(d, a.valueStart, a.valueEnd);
        out.push({ page: pageOf(a.value), start: s, end: e });
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The page path under the cursor (its ends included). */
export function pageSiteAt(doc: ParsedTemplate, offset: number): PageSite | undefined {
  return pageSites(doc).find((s) => s.start <= offset && offset <= s.end);
}

/**
 * The range of the string in app.json's `pages` (or a subpackage's `pages`) that lists `page`,
 * given app.json's text; undefined when it is not listed or the text does not parse.
 */
export function pageEntryRange(appJson: string, page: string): Range | undefined {
  let root: Node | undefined;
  try {
    root = parseTree(appJson, [], { allowTrailingComma: true });
  } catch {
    return undefined;
  }
  if (!root || root.type !== 'object') return undefined;
  const ls = computeLineStarts(appJson);
  const range = (n: Node): Range => ({ start: positionAt(ls, n.offset, appJson.length), end: positionAt(ls, n.offset + n.length, appJson.length) });
  const inList = (list: Node | undefined, prefix: string): Node | undefined => list?.type === 'array'
    ? list.children?.find((n) => n.type === 'string' && prefix + String(n.value).replace(/^\/+/, '') === page)
    : undefined;
  const hit = inList(findNodeAtLocation(root, ['pages']), '');
  if (hit) return range(hit);
  for (const key of ['subpackages', 'subPackages']) {
    const subs = findNodeAtLocation(root, [key]);
    for (const sub of subs?.type === 'array' ? subs.children ?? [] : []) {
      const r = sub.type === 'object' ? findNodeAtLocation(sub, ['root']) : undefined;
      const subRoot = typeof r?.value === 'string' ? r.value.replace(/^\/+|\/+$/g, '') : '';
      const found = inList(sub.type === 'object' ? findNodeAtLocation(sub, ['pages']) : undefined, subRoot ? `${subRoot}/` : '');
      if (found) return range(found);
    }
  }
  return undefined;
}

/** The media_id (image.media_id, miniprogrampage.thumb_media_id) whose string holds the cursor. */
export function mediaIdAt(doc: ParsedTemplate, offset: number): string | undefined {
  const root = doc.root;
  if (!root || root.type !== 'object') return undefined;
  for (const p of [['image', 'media_id'], ['miniprogrampage', 'thumb_media_id']]) {
    const n = findNodeAtLocation(root, p);
    if (n?.type === 'string' && n.offset < offset && offset < n.offset + n.length) return String(n.value).trim();
  }
  return undefined;
}
