/**
 * Text that a serializer (an SDK, a template engine, an HTML-escaping view layer) turned into
 * something WeChat shows literally. Found in the decoded `text.content`; offsets are indices into
 * it, mapped back to the source with jsonString.ts. Validation reports them and quick fixes
 * rewrite exactly these spans, so both read the same finders.
 */
export interface Span { start: number; end: number }

/** A backslash and `n` (`\\n` in the JSON source), optionally after `\r`, that is not itself escaped. */
const LITERAL_NEWLINE = /(?<!\\)(?:\\r)?\\n/g;
/** `<br>`, `<br/>`, `<br />`, `</br>`, any case. */
const BR = /<\/?br\s*\/?>/gi;
const ESCAPED_OPEN = /&lt;a(?=\s|&gt;)/gi;
const ESCAPED_CLOSE = /&lt;\/a\s*&gt;/i;

function all(re: RegExp, s: string): Span[] {
  const out: Span[] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

export function literalNewlines(content: string): Span[] {
  return content.includes('\\') ? all(LITERAL_NEWLINE, content) : [];
}

export function brTags(content: string): Span[] {
  return content.includes('<') ? all(BR, content) : [];
}

/**
 * `&lt;a …&gt;label&lt;/a&gt;`: from the escaped opening tag to the end of its escaped closing tag
 * (before the next escaped link), else to the end of the escaped opening tag.
 */
export function escapedLinks(content: string): Span[] {
  if (!content.includes('&lt;')) return [];
  const opens = all(ESCAPED_OPEN, content);
  return opens.map((o, i) => {
    const limit = i + 1 < opens.length ? opens[i + 1].start : content.length;
    const rest = content.slice(o.end, limit);
    const close = ESCAPED_CLOSE.exec(rest);
    if (close) return { start: o.start, end: o.end + close.index + close[0].length };
    const gt = rest.indexOf('&gt;');
    return { start: o.start, end: gt === -1 ? o.end : o.end + gt + 4 };
  });
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#34;': '"', '&#39;': "'", '&apos;': "'", '&amp;': '&' };

/** The markup an HTML-escaping serializer produced, unescaped (one pass: `&amp;lt;` becomes `&lt;`). */
export function unescapeHtml(s: string): string {
  return s.replace(/&(?:lt|gt|quot|#34|#39|apos|amp);/g, (m) => ENTITIES[m]);
}
