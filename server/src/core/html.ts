// HTML for the preview pages: escaping, and the one document every page is (the webview's, the
// static files of `wxmsg preview`, the extension's notices). Pure and without imports, so the
// extension's preview chunk can take it without the rest of the core.

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** For attribute values we compose ourselves (the CSP): quotes in them stay readable. */
export function escapeAttr(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** What every preview page is made of: the webview's, the static pages and the extension's notices. */
export interface HtmlDocumentParts {
  locale: 'en' | 'zh-cn';
  /** `wx-webview` or `wx-static` (the static page follows the browser's dark mode). */
  htmlClass: string;
  /** The Content-Security-Policy, as built by the caller. */
  csp: string;
  title: string;
  /** The page's one style element. */
  style: string;
  /** The nonce of the style and the script (a webview); without it the page has no script. */
  nonce?: string;
  /** The webview's script (dist/preview.js), with `nonce`. */
  scriptUri?: string;
  /** The document the page shows (the webview's serializer reads it back). */
  documentUri?: string;
  /** HTML inside <main id="wx-root">. */
  main: string;
  footer?: string;
}

/** One preview HTML page: the policy, the title, the style, the root, the footer and the script. */
export function htmlDocument(d: HtmlDocumentParts): string {
  const script = d.nonce && d.scriptUri ? `<script nonce="${d.nonce}" src="${escapeHtml(d.scriptUri)}"></script>\n` : '';
  return `<!DOCTYPE html>
<html lang="${d.locale === 'zh-cn' ? 'zh-CN' : 'en'}" class="${escapeAttr(d.htmlClass)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(d.csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(d.title)}</title>
<style${d.nonce ? ` nonce="${d.nonce}"` : ''}>${d.style}</style>
</head>
<body${d.documentUri ? ` data-uri="${escapeHtml(d.documentUri)}"` : ''}>
<main id="wx-root">${d.main}</main>
${d.footer ? `<footer class="wx-footer">${escapeHtml(d.footer)}</footer>\n` : ''}${script}</body>
</html>
`;
}
