import { escapeHtml, htmlDocument } from '../../html.ts';
import { Severity, type Diagnostic, type Locale, type Range } from '../../types.ts';
import type { PreviewField, PreviewLink, PreviewModel, PreviewProblem } from './model.ts';
import { PREVIEW_STRINGS, type PreviewStrings } from './strings.ts';

/**
 * The one renderer of a preview model, used by the editor's webview and by `wxmsg preview`.
 * Pure: model in, HTML text out. Everything from the template is escaped; nothing in the body
 * loads a resource unless `loadRemoteImages` is on (the webview's setting), and nothing links
 * anywhere: link targets are shown as text, in tooltips.
 */
export interface RenderOptions {
  locale: Locale;
  /** Shown in the header (the template's path). */
  fileName?: string;
  /** `<img>` for remote http(s) thumbnails; off: a placeholder naming the host. */
  loadRemoteImages?: boolean;
}

/** How the page is secured: the webview's nonce and its script, or a static page's style hash. */
export type PageSecurity =
  | { kind: 'webview'; nonce: string; cspSource: string; scriptUri: string }
  | { kind: 'static'; styleHash: string };

export interface PageOptions extends RenderOptions {
  security: PageSecurity;
  /** The page's content when there is no model to render (see renderNotice). */
  body?: string;
  /** Stored in the page for the webview to restore after a reload (the document's URI). */
  documentUri?: string;
  /** Text under the preview (the CLI names the version that made the file). */
  footer?: string;
}

const rangeAttr = (r: Range): string => ` data-range="${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}"`;

/** The host of an absolute http(s) URL, or undefined. */
export function httpHost(url: string): string | undefined {
  const v = url.trim();
  if (!/^https?:\/\//i.test(v)) return undefined;
  try {
    return new URL(v).host || undefined;
  } catch {
    return undefined;
  }
}

function severityClass(s: Severity): string {
  return s === Severity.Error ? 'error' : s === Severity.Warning ? 'warning' : 'info';
}

function counts(t: PreviewStrings, m: PreviewModel): string {
  const infos = m.diagnostics.length - m.errorCount - m.warningCount;
  return [m.errorCount ? t.errors(m.errorCount) : '', m.warningCount ? t.warnings(m.warningCount) : '', infos ? t.infos(infos) : '']
    .filter(Boolean).join(locJoin(t));
}

function locJoin(t: PreviewStrings): string {
  return t === PREVIEW_STRINGS['zh-cn'] ? '，' : ', ';
}

function banner(t: PreviewStrings, m: PreviewModel): string {
  if (!m.diagnostics.length) return '';
  const sorted = [...m.diagnostics].sort((a, b) => a.severity - b.severity || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const kind = m.errorCount ? 'error' : m.warningCount ? 'warning' : 'info';
  const items = sorted.map((d: Diagnostic) => `<li class="wx-sev-${severityClass(d.severity)}" tabindex="0"${rangeAttr(d.range)}>`
    + `<span class="wx-code">${escapeHtml(d.code)}</span> ${escapeHtml(d.message)} `
    + `<span class="wx-at">${escapeHtml(t.at(d.range.start.line + 1, d.range.start.character + 1))}</span></li>`).join('');
  return `<section class="wx-banner wx-banner-${kind}" role="${m.errorCount ? 'alert' : 'status'}" aria-label="${escapeHtml(counts(t, m))}">`
    + `<p class="wx-banner-title"><strong>${escapeHtml(counts(t, m))}</strong> ${escapeHtml(m.errorCount ? t.bannerError : t.bannerWarning)}</p>`
    + `<ul>${items}</ul></section>`;
}

function problemClass(f: { problems: PreviewProblem[] } | undefined): string {
  if (!f?.problems.length) return '';
  return f.problems.some((p) => p.severity === Severity.Error) ? ' wx-problem wx-problem-error' : ' wx-problem';
}

function fieldText(t: PreviewStrings, f: PreviewField | undefined, key: string): string {
  return f?.value !== undefined && f.value.trim() ? escapeHtml(f.value) : `<span class="wx-missing">${escapeHtml(t.missing(key))}</span>`;
}

function tip(id: string, lines: string[]): string {
  return `<span class="wx-tip" role="tooltip" id="${id}">${lines.map((l) => `<span class="wx-tip-line">${l}</span>`).join('')}</span>`;
}

function problemLines(problems: PreviewProblem[]): string[] {
  return problems.map((p) => `<span class="wx-sev-${severityClass(p.severity)}">⚠ <span class="wx-code">${escapeHtml(p.code)}</span> ${escapeHtml(p.message)}</span>`);
}

/** What a link does, line by line (the tooltip and the notes under the bubble). */
export function linkTargets(t: PreviewStrings, link: PreviewLink): string[] {
  const lines: string[] = [];
  const path = link.path?.trim();
  const href = link.href?.trim();
  if (link.appid !== undefined || path) {
    if (path) lines.push(t.opensPage(path, link.appid?.trim() ?? ''));
    lines.push(href ? t.olderOpen(href) : t.olderNothing);
  } else if (href) {
    lines.push(t.opensUrl(href));
  } else {
    lines.push(t.noTarget);
  }
  if (!link.closed) lines.push(t.unclosed);
  return lines;
}

function textBubble(t: PreviewStrings, m: PreviewModel, notes: string[]): string {
  const text = m.text!;
  const content = text.content;
  if (!content || content.value === undefined) return '';
  let n = 0;
  const parts = text.segments.map((s) => {
    if (s.kind === 'text') return escapeHtml(s.text);
    n++;
    const id = `wx-tip-${n}`;
    const cls = `wx-link${problemClass(s)}`;
    const mark = s.problems.length ? `<sup class="wx-mark" aria-hidden="true">⚠${n}</sup>` : '';
    if (s.problems.length) {
      notes.push(`<li${rangeAttr(s.range)} tabindex="0"><span class="wx-mark">⚠${n}</span> ${escapeHtml(t.linkNumber(n))} “${escapeHtml(s.label || s.source)}”: `
        + s.problems.map((p) => `<span class="wx-code">${escapeHtml(p.code)}</span> ${escapeHtml(p.message)}`).join(' ') + '</li>');
    }
    const label = s.closed ? escapeHtml(s.label) : escapeHtml(s.source);
    const attrs = `class="${cls}" tabindex="0" role="link" aria-describedby="${id}"${rangeAttr(s.range)}`
      + (s.href !== undefined ? ` data-href="${escapeHtml(s.href)}"` : '') + (s.path !== undefined ? ` data-path="${escapeHtml(s.path)}"` : '');
    return `<span ${attrs}>${label}</span>${mark}${tip(id, [...linkTargets(t, s).map(escapeHtml), ...problemLines(s.problems)])}`;
  }).join('');
  const body = content.value === '' ? `<span class="wx-missing">${escapeHtml(t.emptyContent)}</span>` : parts;
  // The bubble is marked for problems of the text itself (too long…), not for those of its links.
  const inLinks = new Set(text.segments.flatMap((s) => (s.kind === 'link' ? s.problems.map((p) => `${p.code}\0${p.message}`) : [])));
  const own = { problems: content.problems.filter((p) => !inLinks.has(`${p.code}\0${p.message}`)) };
  return `<div class="wx-bubble wx-text${problemClass(own)}"${rangeAttr(content.range)}>${body}</div>`;
}

function thumbnail(t: PreviewStrings, f: PreviewField | undefined, opts: RenderOptions, cls: string): string {
  const url = f?.value;
  const host = url ? httpHost(url) : undefined;
  if (!url || !host) return `<div class="${cls} wx-placeholder"><span>${escapeHtml(t.noThumb)}</span></div>`;
  if (opts.loadRemoteImages) return `<img class="${cls}" src="${escapeHtml(url.trim())}" alt="${escapeHtml(t.remoteImage(host))}" referrerpolicy="no-referrer">`;
  return `<div class="${cls} wx-placeholder" title="${escapeHtml(t.remoteImageNotLoaded)}"><span>${escapeHtml(t.remoteImage(host))}</span></div>`;
}

function linkCard(t: PreviewStrings, m: PreviewModel, opts: RenderOptions): string {
  const c = m.link!;
  const url = c.url?.value?.trim();
  const lines = [url ? escapeHtml(t.opensCard(url)) : escapeHtml(t.missing('url')), ...problemLines(c.url?.problems ?? [])];
  return `<div class="wx-card wx-card-link" tabindex="0" aria-describedby="wx-tip-card"${c.title ? rangeAttr(c.title.range) : ''}>`
    + `<div class="wx-card-title${problemClass(c.title)}"${c.title ? rangeAttr(c.title.range) : ''}>${fieldText(t, c.title, 'title')}</div>`
    + `<div class="wx-card-row"><div class="wx-card-desc${problemClass(c.description)}"${c.description ? rangeAttr(c.description.range) : ''}>${fieldText(t, c.description, 'description')}</div>`
    + `<div class="wx-thumb-box${problemClass(c.thumbUrl)}"${c.thumbUrl ? rangeAttr(c.thumbUrl.range) : ''}>${thumbnail(t, c.thumbUrl, opts, 'wx-thumb')}</div></div>`
    + `</div>${tip('wx-tip-card', lines)}`;
}

function miniProgramCard(t: PreviewStrings, m: PreviewModel): string {
  const c = m.miniprogrampage!;
  const path = c.pagepath?.value?.trim();
  const id = c.thumbMediaId?.value?.trim();
  const lines = [path ? escapeHtml(t.cardOpensPage(path)) : escapeHtml(t.missing('pagepath')), ...problemLines(c.pagepath?.problems ?? [])];
  const cover = `<div class="wx-cover wx-placeholder${problemClass(c.thumbMediaId)}"${c.thumbMediaId ? rangeAttr(c.thumbMediaId.range) : ''}>`
    + `<span class="wx-cover-label">${escapeHtml(t.cover)} 520×416</span>`
    + `<span class="wx-cover-id">${id ? escapeHtml(t.coverPending(id)) : escapeHtml(t.missing('thumb_media_id'))}</span></div>`;
  return `<div class="wx-card wx-card-mp" tabindex="0" aria-describedby="wx-tip-card"${c.pagepath ? rangeAttr(c.pagepath.range) : ''}>`
    + `<div class="wx-mp-head"><span class="wx-mp-icon" aria-hidden="true"></span><span>${escapeHtml(m.appid ?? t.miniProgram)}</span></div>`
    + `<div class="wx-card-title${problemClass(c.title)}"${c.title ? rangeAttr(c.title.range) : ''}>${fieldText(t, c.title, 'title')}</div>`
    + cover
    + `<div class="wx-mp-foot${problemClass(c.pagepath)}"><span class="wx-mp-icon" aria-hidden="true"></span>${escapeHtml(t.miniProgram)}</div>`
    + `</div>${tip('wx-tip-card', lines)}`;
}

function imageMessage(t: PreviewStrings, m: PreviewModel): string {
  const f = m.image!.mediaId;
  const id = f?.value?.trim();
  return `<div class="wx-image wx-placeholder${problemClass(f)}"${f ? rangeAttr(f.range) : ''}>`
    + `<span class="wx-cover-label">${escapeHtml(t.image)}</span>`
    + `<span class="wx-cover-id">${id ? escapeHtml(t.imagePending(id)) : escapeHtml(t.missing('media_id'))}</span></div>`;
}

/** The preview itself (what the webview replaces on each update). */
export function renderPreviewBody(model: PreviewModel, opts: RenderOptions): string {
  const t = PREVIEW_STRINGS[opts.locale];
  const notes: string[] = [];
  let message = '';
  if (model.msgtype === 'text' && model.text) message = textBubble(t, model, notes);
  else if (model.msgtype === 'link' && model.link) message = linkCard(t, model, opts);
  else if (model.msgtype === 'miniprogrampage' && model.miniprogrampage) message = miniProgramCard(t, model);
  else if (model.msgtype === 'image' && model.image) message = imageMessage(t, model);
  const type = model.msgtype ? t.messageTypes[model.msgtype] : model.declaredMsgtype !== undefined ? t.unknownType(model.declaredMsgtype) : '';
  const head = `<header class="wx-head">${opts.fileName ? `<span class="wx-file">${escapeHtml(opts.fileName)}</span>` : ''}`
    + `${type ? `<span class="wx-type">${escapeHtml(type)}</span>` : ''}`
    + `<span class="wx-counts">${escapeHtml(counts(t, model) || t.clean)}</span></header>`;
  const chat = message
    ? `<div class="wx-row"><div class="wx-avatar" aria-hidden="true"></div><div class="wx-message">${message}</div></div>`
    : `<p class="wx-nothing">${escapeHtml(t.nothingToShow)}</p>`;
  const linkNotes = notes.length ? `<section class="wx-notes"><p>${escapeHtml(t.linkProblems)}</p><ul>${notes.join('')}</ul></section>` : '';
  return `${head}${banner(t, model)}<div class="wx-chat">${chat}</div>${linkNotes}`;
}

/** A line in place of the preview (loading, the server not answering); same page, same style. */
export function renderNotice(text: string, opts: RenderOptions): string {
  const head = opts.fileName ? `<header class="wx-head"><span class="wx-file">${escapeHtml(opts.fileName)}</span></header>` : '';
  return `${head}<p class="wx-nothing">${escapeHtml(text)}</p>`;
}

export function contentSecurityPolicy(security: PageSecurity, loadRemoteImages = false): string {
  if (security.kind === 'static') {
    return `default-src 'none'; style-src 'sha256-${security.styleHash}'; img-src 'none'; base-uri 'none'; form-action 'none'`;
  }
  const img = [security.cspSource, ...(loadRemoteImages ? ['https:', 'http:'] : [])].join(' ');
  return `default-src 'none'; style-src ${security.cspSource} 'nonce-${security.nonce}'; script-src 'nonce-${security.nonce}'; img-src ${img}; font-src ${security.cspSource}; base-uri 'none'; form-action 'none'`;
}

/** A whole page: the webview's document, or one static file of `wxmsg preview`. */
export function renderPreviewPage(model: PreviewModel | undefined, opts: PageOptions): string {
  const t = PREVIEW_STRINGS[opts.locale];
  const s = opts.security;
  const isStatic = s.kind === 'static';
  const remote = !isStatic && !!opts.loadRemoteImages;
  const body = opts.body ?? (model ? renderPreviewBody(model, { ...opts, loadRemoteImages: remote }) : '');
  return htmlDocument({
    locale: opts.locale,
    htmlClass: isStatic ? 'wx-static' : 'wx-webview',
    csp: contentSecurityPolicy(s, remote),
    title: t.pageTitle(opts.fileName ?? ''),
    style: PREVIEW_CSS,
    ...(isStatic ? {} : { nonce: s.nonce, scriptUri: s.scriptUri }),
    ...(opts.documentUri ? { documentUri: opts.documentUri } : {}),
    main: body,
    ...(opts.footer ? { footer: opts.footer } : {}),
  });
}

export interface IndexEntry {
  /** Relative link to the template's page (forward slashes). */
  href: string;
  /** The template's path as the user gave it. */
  file: string;
  model: PreviewModel;
}

/** `index.html` of `wxmsg preview`: every template with its type and problem counts. */
export function renderIndexPage(entries: IndexEntry[], opts: { locale: Locale; styleHash: string; footer?: string }): string {
  const t = PREVIEW_STRINGS[opts.locale];
  const rows = entries.map((e) => {
    const type = e.model.msgtype ? t.messageTypes[e.model.msgtype] : '';
    const cls = e.model.errorCount ? 'error' : e.model.warningCount ? 'warning' : 'clean';
    return `<li class="wx-index-${cls}"><a href="${escapeHtml(e.href)}">${escapeHtml(e.file)}</a>`
      + `${type ? ` <span class="wx-type">${escapeHtml(type)}</span>` : ''} <span class="wx-counts">${escapeHtml(counts(t, e.model) || t.clean)}</span></li>`;
  }).join('\n');
  return htmlDocument({
    locale: opts.locale,
    htmlClass: 'wx-static',
    csp: contentSecurityPolicy({ kind: 'static', styleHash: opts.styleHash }),
    title: t.index,
    style: PREVIEW_CSS,
    main: `<h1>${escapeHtml(t.index)}</h1><p>${escapeHtml(t.indexIntro(entries.length))}</p>\n<ul class="wx-index">\n${rows}\n</ul>`,
    ...(opts.footer ? { footer: opts.footer } : {}),
  });
}

/**
 * The preview's style. Colours come from VS Code's `--vscode-*` variables in the webview (light,
 * dark and high-contrast themes alike) and fall back to WeChat's own palette in a static page,
 * dark when the browser prefers it.
 */
export const PREVIEW_CSS = `
:root{--wx-bg:var(--vscode-editor-background,#f7f7f7);--wx-fg:var(--vscode-editor-foreground,#191919);
--wx-bubble:var(--vscode-editor-background,#fff);--wx-chat:var(--vscode-sideBar-background,#ededed);--wx-bubble-border:var(--vscode-panel-border,transparent);--wx-bubble-fg:var(--vscode-editorWidget-foreground,#191919);
--wx-border:var(--vscode-widget-border,var(--vscode-editorWidget-border,#dedede));--wx-link:var(--vscode-textLink-foreground,#576b95);
--wx-muted:var(--vscode-descriptionForeground,#7f7f7f);--wx-error:var(--vscode-editorError-foreground,#e5484d);
--wx-warning:var(--vscode-editorWarning-foreground,#b7791f);--wx-info:var(--vscode-editorInfo-foreground,#3b82f6);
--wx-error-bg:var(--vscode-inputValidation-errorBackground,#fdecea);--wx-warning-bg:var(--vscode-inputValidation-warningBackground,#fff7e0);
--wx-focus:var(--vscode-focusBorder,#07c160);--wx-tip-bg:var(--vscode-editorHoverWidget-background,#fff);
--wx-tip-fg:var(--vscode-editorHoverWidget-foreground,#191919);--wx-tip-border:var(--vscode-editorHoverWidget-border,#c8c8c8);
--wx-place:var(--vscode-editor-inactiveSelectionBackground,#e1e1e1);--wx-current:var(--vscode-editor-findMatchHighlightBackground,rgba(255,200,0,.35));
--wx-font:var(--vscode-font-family,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Segoe UI",sans-serif)}
@media (prefers-color-scheme:dark){html.wx-static{--wx-bg:#191919;--wx-chat:#111;--wx-fg:#d5d5d5;--wx-bubble:#2c2c2c;--wx-bubble-fg:#d5d5d5;--wx-border:#3a3a3a;
--wx-link:#7d90a9;--wx-muted:#8a8a8a;--wx-error-bg:#3b1d1d;--wx-warning-bg:#3a3020;--wx-tip-bg:#252526;--wx-tip-fg:#ccc;--wx-tip-border:#454545;--wx-place:#3a3a3a}}
html,body{margin:0;padding:0;background:var(--wx-bg);color:var(--wx-fg);font-family:var(--wx-font);font-size:15px;line-height:1.5}
#wx-root{max-width:560px;margin:0 auto;padding:12px 16px 48px}
.wx-head{display:flex;flex-wrap:wrap;gap:8px;align-items:baseline;font-size:12px;color:var(--wx-muted);margin-bottom:12px}
.wx-file{font-weight:600;color:var(--wx-fg);word-break:break-all}
.wx-type{border:1px solid var(--wx-border);border-radius:10px;padding:0 8px}
.wx-banner{border-left:4px solid var(--wx-error);background:var(--wx-error-bg);padding:8px 12px;margin:0 0 16px;border-radius:4px;font-size:13px}
.wx-banner-warning{border-left-color:var(--wx-warning);background:var(--wx-warning-bg)}
.wx-banner-info{border-left-color:var(--wx-info);background:transparent}
.wx-banner-title{margin:0 0 4px}
.wx-banner ul,.wx-notes ul{margin:0;padding-left:18px}
.wx-banner li,.wx-notes li{margin:2px 0;cursor:pointer;word-break:break-word}
.wx-code{font-family:var(--vscode-editor-font-family,ui-monospace,monospace);font-size:12px;opacity:.85}
.wx-at{color:var(--wx-muted);font-size:12px;white-space:nowrap}
.wx-sev-error::marker,.wx-sev-error .wx-code{color:var(--wx-error)}
.wx-sev-warning::marker,.wx-sev-warning .wx-code{color:var(--wx-warning)}
.wx-chat{padding:16px 12px;background:var(--wx-chat);border-radius:6px}
.wx-row{display:flex;gap:10px;align-items:flex-start}
.wx-avatar{flex:0 0 40px;height:40px;border-radius:4px;background:#07c160}
.wx-message{position:relative;min-width:0;max-width:calc(100% - 90px)}
.wx-bubble{position:relative;border:1px solid var(--wx-bubble-border);background:var(--wx-bubble);color:var(--wx-bubble-fg);border-radius:4px;padding:9px 12px;white-space:pre-wrap;word-break:break-word;overflow-wrap:anywhere}
.wx-bubble::before{content:"";position:absolute;left:-7px;top:14px;border:6px solid transparent;border-left:0;border-right-color:var(--wx-bubble)}
.wx-link{color:var(--wx-link);cursor:pointer;border-radius:2px}
.wx-link:focus,.wx-card:focus,.wx-banner li:focus,.wx-notes li:focus{outline:1px solid var(--wx-focus);outline-offset:1px}
.wx-problem{text-decoration:underline wavy var(--wx-warning);text-underline-offset:3px}
.wx-problem-error{text-decoration-color:var(--wx-error)}
.wx-bubble.wx-problem,.wx-card .wx-problem,.wx-placeholder.wx-problem{outline:1px dashed var(--wx-error);text-decoration:none}
.wx-mark{color:var(--wx-error);font-size:11px;margin-left:1px}
.wx-tip{display:none;position:absolute;left:0;top:calc(100% + 6px);z-index:10;min-width:260px;max-width:420px;background:var(--wx-tip-bg);color:var(--wx-tip-fg);
border:1px solid var(--wx-tip-border);border-radius:4px;padding:6px 10px;font-size:12px;line-height:1.45;white-space:normal;box-shadow:0 2px 8px rgba(0,0,0,.2)}
.wx-tip-line{display:block;overflow-wrap:anywhere}
.wx-link:hover+.wx-mark+.wx-tip,.wx-link:focus+.wx-mark+.wx-tip,.wx-link:hover+.wx-tip,.wx-link:focus+.wx-tip,.wx-card:hover+.wx-tip,.wx-card:focus+.wx-tip{display:block}
.wx-missing{color:var(--wx-muted);font-style:italic}
.wx-card{border:1px solid var(--wx-bubble-border);background:var(--wx-bubble);color:var(--wx-bubble-fg);border-radius:4px;width:300px;max-width:100%;padding:12px 14px;box-sizing:border-box;cursor:pointer}
.wx-card-title{font-size:16px;line-height:1.4;margin-bottom:6px;word-break:break-word}
.wx-card-row{display:flex;gap:10px;align-items:flex-start}
.wx-card-desc{flex:1;font-size:13px;color:var(--wx-muted);display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden;word-break:break-word}
.wx-thumb-box{flex:0 0 56px}
.wx-thumb{width:56px;height:56px;object-fit:cover;display:flex;border-radius:2px}
.wx-placeholder{background:var(--wx-place);color:var(--wx-muted);font-size:11px;line-height:1.3;text-align:center;align-items:center;justify-content:center;overflow:hidden;overflow-wrap:anywhere}
.wx-thumb.wx-placeholder span{padding:2px}
.wx-card-mp{padding:10px 12px 6px}
.wx-mp-head,.wx-mp-foot{display:flex;align-items:center;gap:6px;font-size:12px;color:var(--wx-muted)}
.wx-mp-foot{border-top:1px solid var(--wx-border);margin-top:8px;padding-top:5px}
.wx-mp-icon{width:14px;height:14px;border-radius:50%;border:2px solid #6467f0;box-sizing:border-box;display:inline-block}
.wx-card-mp .wx-card-title{font-size:14px;margin:6px 0}
.wx-cover{display:flex;flex-direction:column;gap:4px;aspect-ratio:5/4;width:100%;padding:8px;box-sizing:border-box}
.wx-cover-label{font-size:13px;font-weight:600}
.wx-image{display:flex;flex-direction:column;gap:4px;width:200px;height:160px;padding:8px;box-sizing:border-box;border-radius:4px}
.wx-nothing{color:var(--wx-muted);font-style:italic;border:1px dashed var(--wx-border);padding:16px;border-radius:4px}
.wx-notes{font-size:12px;margin-top:16px;color:var(--wx-fg)}
.wx-notes p{margin:0 0 4px;font-weight:600}
.wx-current{background:var(--wx-current)}
.wx-footer{max-width:560px;margin:0 auto;padding:0 16px 24px;font-size:11px;color:var(--wx-muted)}
.wx-index{padding-left:18px}.wx-index li{margin:4px 0}.wx-index a{color:var(--wx-link)}
.wx-index-error .wx-counts{color:var(--wx-error)}.wx-index-warning .wx-counts{color:var(--wx-warning)}.wx-index .wx-counts{font-size:12px}
`;
