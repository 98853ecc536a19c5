/**
 * The `<a …>` text links WeChat supports inside `text.content`. Offsets here are indices into
 * the decoded content string; validate.ts maps them back to the source with jsonString.ts.
 */
export interface LinkAttribute {
  name: string;
  nameStart: number;
  nameEnd: number;
  /** Undefined for a bare attribute (`<a disabled>`). */
  value?: string;
  /** Span of the value without quotes (a caret after `=` for an empty value). */
  valueStart: number;
  valueEnd: number;
  /** The quote around the value; undefined for an unquoted or bare attribute. */
  quote?: '"' | "'";
  /** A quoted value whose closing quote never comes (it runs to the end of the content). */
  unterminated?: boolean;
  /** Starts right after the previous attribute's closing quote, with no space between. */
  glued?: boolean;
  /** A quoted value after the name with no `=` between (`href "https://…"`). */
  noEquals?: boolean;
}

export interface TextLink {
  /** `<a` … `>` of the opening tag (tagEnd is after `>`, or the end of the content if unterminated). */
  tagStart: number;
  tagEnd: number;
  attributes: LinkAttribute[];
  /** Whether the opening tag is terminated by `>`. */
  tagClosed: boolean;
  /** Index of the matching `</a>`, or -1. */
  closeStart: number;
  /** Just after the matching `</a>` (which may have spaces before its `>`), or -1. */
  closeEnd: number;
  /** Link text between the tags (empty when unclosed). */
  label: string;
}

export const LINK_ATTRIBUTES = ['href', 'data-miniprogram-appid', 'data-miniprogram-path'] as const;

const OPEN = /<a(?=[\s>\/])/gi;
const CLOSE = /<\/a\s*>/gi;

/**
 * All `<a …>` tags of `content`, each matched with the first `</a>` after it that comes before
 * the next `<a`. Linear in the content: one pass for the tags, one for the closes.
 * At most `max` links are returned (a template has a handful; this bounds hostile input).
 */
export function findTextLinks(content: string, max = Infinity): TextLink[] {
  const links: TextLink[] = [];
  // test() and lastIndex, not exec(): no match array per tag (this runs on every keystroke).
  OPEN.lastIndex = 0;
  while (links.length < max && OPEN.test(content)) {
    const tagStart = OPEN.lastIndex - 2;
    links.push(openingTag(content, tagStart));
    OPEN.lastIndex = Math.max(links[links.length - 1].tagEnd, tagStart + 2);
  }
  if (!links.length) return links;
  CLOSE.lastIndex = 0;
  let close = CLOSE.test(content) ? content.lastIndexOf('<', CLOSE.lastIndex - 1) : -1;
  for (let i = 0; i < links.length; i++) {
    const link = links[i];
    if (!link.tagClosed) continue;
    // Closes are taken in order: the first one at or after the tag's end.
    while (close !== -1 && close < link.tagEnd) close = CLOSE.test(content) ? content.lastIndexOf('<', CLOSE.lastIndex - 1) : -1;
    const nextOpen = i + 1 < links.length ? links[i + 1].tagStart : Infinity;
    if (close !== -1 && close < nextOpen) {
      link.closeStart = close;
      link.closeEnd = CLOSE.lastIndex;
      link.label = content.slice(link.tagEnd, close);
    }
  }
  return links;
}

/**
 * Opening tags already read, by their text (`<a` through the first `>`), with offsets from the
 * `<`. Typing in a long content re-reads every link on each keystroke; the links not touched are
 * the same text at another offset. Only a tag that ends at its first `>` is kept: reading it
 * looked at no character after that `>`, so the same text reads the same anywhere. Bounded: when
 * full, new tags are read but not kept (emptying it then made a document with more distinct tags
 * than the bound re-fill it on every edit: the 1 MB bench case got 35 ms slower per edit). The
 * language server empties it when a document closes, so the working set can move.
 */
const tagCache = new Map<string, { attributes: LinkAttribute[]; end: number }>();
export const TAG_CACHE_MAX = 2048;
/** Longer tags are read every time (a key is a copy of the tag). */
const TAG_KEY_MAX = 1024;

function openingTag(content: string, tagStart: number): TextLink {
  const gt = content.indexOf('>', tagStart + 2);
  if (gt === -1 || gt + 1 - tagStart > TAG_KEY_MAX) return makeLink(tagStart, parseAttributes(content, tagStart + 2));
  const key = content.slice(tagStart, gt + 1);
  const hit = tagCache.get(key);
  if (hit) {
    const attributes: LinkAttribute[] = new Array(hit.attributes.length);
    for (let k = 0; k < attributes.length; k++) attributes[k] = shifted(hit.attributes[k], tagStart);
    return { tagStart, tagEnd: tagStart + hit.end, attributes, tagClosed: true, closeStart: -1, closeEnd: -1, label: '' };
  }
  const parsed = parseAttributes(content, tagStart + 2);
  if (parsed.closed && parsed.end === gt + 1 && tagCache.size < TAG_CACHE_MAX) {
    // Read again from a copy of the tag alone, so the cache holds no slice of the whole content.
    const own = copyString(key);
    tagCache.set(own, { attributes: parseAttributes(own, 2).attributes, end: own.length });
  }
  return makeLink(tagStart, parsed);
}

function makeLink(tagStart: number, tag: { attributes: LinkAttribute[]; end: number; closed: boolean }): TextLink {
  return { tagStart, tagEnd: tag.end, attributes: tag.attributes, tagClosed: tag.closed, closeStart: -1, closeEnd: -1, label: '' };
}

/** Empties the cache of opening tags (tests compare a cold read with a cached one). */
export function clearTagCache(): void {
  tagCache.clear();
}

export function tagCacheSize(): number {
  return tagCache.size;
}

function shifted(a: LinkAttribute, by: number): LinkAttribute {
  const out: LinkAttribute = { ...a };
  out.nameStart += by;
  out.nameEnd += by;
  out.valueStart += by;
  out.valueEnd += by;
  return out;
}

/** A string with its own characters (a slice may keep the whole string it was cut from alive). */
function copyString(s: string): string {
  return (JSON.parse(JSON.stringify(s)) as string);
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
}

function parseAttributes(s: string, i: number): { attributes: LinkAttribute[]; end: number; closed: boolean } {
  const attributes: LinkAttribute[] = [];
  const n = s.length;
  for (;;) {
    const before = i;
    while (i < n && (isSpace(s[i]) || s[i] === '/')) i++;
    const glued = i === before && attributes.length > 0 && attributes[attributes.length - 1].quote !== undefined;
    if (i >= n) return { attributes, end: n, closed: false };
    if (s[i] === '>') return { attributes, end: i + 1, closed: true };
    if (s[i] === '<') return { attributes, end: i, closed: false };
    const nameStart = i;
    while (i < n && !isSpace(s[i]) && s[i] !== '=' && s[i] !== '>' && s[i] !== '<' && s[i] !== '/') i++;
    const nameEnd = i;
    if (nameEnd === nameStart) { i++; continue; }
    const name = s.slice(nameStart, nameEnd);
    let j = i;
    while (j < n && isSpace(s[j])) j++;
    const noEquals = s[j] !== '=';
    // `name "value"`: a value that lost its `=`, taken as the value (and reported as malformed).
    if (noEquals && !(j > nameEnd && (s[j] === '"' || s[j] === "'"))) {
      attributes.push({ name, nameStart, nameEnd, valueStart: nameEnd, valueEnd: nameEnd, ...(glued ? { glued } : {}) });
      continue;
    }
    if (!noEquals) j++;
    while (j < n && isSpace(s[j])) j++;
    const q = s[j];
    if (q === '"' || q === "'") {
      const close = s.indexOf(q, j + 1);
      const valueEnd = close === -1 ? n : close;
      attributes.push({ name, nameStart, nameEnd, value: s.slice(j + 1, valueEnd), valueStart: j + 1, valueEnd, quote: q,
        ...(close === -1 ? { unterminated: true } : {}), ...(glued ? { glued } : {}), ...(noEquals ? { noEquals } : {}) });
      i = close === -1 ? n : close + 1;
    } else {
      const valueStart = j;
      while (j < n && !isSpace(s[j]) && s[j] !== '>' && s[j] !== '<') j++;
      attributes.push({ name, nameStart, nameEnd, value: s.slice(valueStart, j), valueStart, valueEnd: j, ...(glued ? { glued } : {}) });
      i = j;
    }
  }
}

export function attribute(link: TextLink, name: string): LinkAttribute | undefined {
  return link.attributes.find((a) => a.name.toLowerCase() === name);
}
