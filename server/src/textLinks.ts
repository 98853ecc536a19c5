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
  /** Link text between the tags (empty when unclosed). */
  label: string;
}

export const LINK_ATTRIBUTES = ['href', 'data-miniprogram-appid', 'data-miniprogram-path'] as const;

const OPEN = /<a(?=[\s>\/])/gi;
const CLOSE = /<\/a\s*>/gi;

export function findTextLinks(content: string): TextLink[] {
  const links: TextLink[] = [];
  OPEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = OPEN.exec(content))) {
    const tagStart = m.index;
    const { attributes, end, closed } = parseAttributes(content, tagStart + 2);
    let closeStart = -1;
    let label = '';
    if (closed) {
      CLOSE.lastIndex = end;
      const c = CLOSE.exec(content);
      OPEN.lastIndex = end;
      const nextOpen = OPEN.exec(content);
      if (c && (!nextOpen || nextOpen.index > c.index)) {
        closeStart = c.index;
        label = content.slice(end, c.index);
      }
    }
    links.push({ tagStart, tagEnd: end, attributes, tagClosed: closed, closeStart, label });
    OPEN.lastIndex = Math.max(end, tagStart + 2);
  }
  return links;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
}

function parseAttributes(s: string, i: number): { attributes: LinkAttribute[]; end: number; closed: boolean } {
  const attributes: LinkAttribute[] = [];
  const n = s.length;
  for (;;) {
    while (i < n && (isSpace(s[i]) || s[i] === '/')) i++;
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
    if (s[j] !== '=') {
      attributes.push({ name, nameStart, nameEnd, valueStart: nameEnd, valueEnd: nameEnd });
      continue;
    }
    j++;
    while (j < n && isSpace(s[j])) j++;
    const q = s[j];
    if (q === '"' || q === "'") {
      const close = s.indexOf(q, j + 1);
      const valueEnd = close === -1 ? n : close;
      attributes.push({ name, nameStart, nameEnd, value: s.slice(j + 1, valueEnd), valueStart: j + 1, valueEnd });
      i = close === -1 ? n : close + 1;
    } else {
      const valueStart = j;
      while (j < n && !isSpace(s[j]) && s[j] !== '>' && s[j] !== '<') j++;
      attributes.push({ name, nameStart, nameEnd, value: s.slice(valueStart, j), valueStart, valueEnd: j });
      i = j;
    }
  }
}

export function attribute(link: TextLink, name: string): LinkAttribute | undefined {
  return link.attributes.find((a) => a.name.toLowerCase() === name);
}
