import type { Node } from 'jsonc-parser';
import { LIMITS } from '../../rules/codes.ts';
import { nodeRange, parseTemplate, property, propertyValue, rangeOf, type ParsedTemplate } from '../../parser/document.ts';
import { isMsgType } from '../../rules/fields.ts';
import { decodedLinks, decodeLinks } from '../../parser/jsonCursor.ts';
import { sourceSpan } from '../../parser/jsonString.ts';
import { attribute, type TextLink } from '../../rules/textLinks.ts';
import { MSGTYPES, Severity, type Diagnostic, type MsgType, type ProjectContext, type Range, type ValidationOptions } from '../../types.ts';
import { validate } from '../validate.ts';

/**
 * What the preview shows, computed once by the core and rendered by render.ts, in the editor
 * (the language server sends it over `wxmsg/previewModel`) and by `wxmsg preview`. Plain JSON:
 * it crosses the LSP connection as it is. Ranges are LSP ranges into the template's source.
 */
export interface PreviewModel {
  /** The message type rendered: `msgtype` when valid, else the one body the template has. */
  msgtype?: MsgType;
  /** `msgtype` as written when it is not a type a mini program can send (or not a string). */
  declaredMsgtype?: string;
  /** The mini program's appid, when known (a mini program card names it). */
  appid?: string;
  text?: { content?: PreviewField; segments: PreviewSegment[] };
  image?: { mediaId?: PreviewField };
  link?: { title?: PreviewField; description?: PreviewField; url?: PreviewField; thumbUrl?: PreviewField };
  miniprogrampage?: { title?: PreviewField; pagepath?: PreviewField; thumbMediaId?: PreviewField };
  /** Every diagnostic of the template, as validation reports it (locale and severities applied). */
  diagnostics: Diagnostic[];
  errorCount: number;
  warningCount: number;
}

export interface PreviewProblem {
  code: string;
  message: string;
  severity: Severity;
}

/** A body field. `value` is absent when the field is not a string (a diagnostic says why). */
export interface PreviewField {
  value?: string;
  range: Range;
  /** Diagnostics inside this field's value. */
  problems: PreviewProblem[];
}

/** A piece of `text.content` as WeChat shows it: plain text, or one `<a>` link. */
export type PreviewSegment = PreviewText | PreviewLink;

export interface PreviewText {
  kind: 'text';
  text: string;
}

export interface PreviewLink {
  kind: 'link';
  /** The link text between `<a …>` and `</a>` (empty when never closed). */
  label: string;
  /** The tag as written, shown as plain text when the link is never closed. */
  source: string;
  closed: boolean;
  href?: string;
  appid?: string;
  path?: string;
  /** From `<a` to after `</a>` (or the end of the tag when unclosed). */
  range: Range;
  /** Diagnostics inside the link (foreign appid, unknown page, missing href…). */
  problems: PreviewProblem[];
}

export interface PreviewModelOptions extends ValidationOptions {
  /** Diagnostics already computed for this text (the editor has them); computed here otherwise. */
  diagnostics?: Diagnostic[];
}

const FIELD_KEYS = {
  image: { mediaId: 'media_id' },
  link: { title: 'title', description: 'description', url: 'url', thumbUrl: 'thumb_url' },
  miniprogrampage: { title: 'title', pagepath: 'pagepath', thumbMediaId: 'thumb_media_id' },
} as const;

/**
 * The preview model of one template. Pure and total: any text gives a model (an invalid
 * template gives what can still be shown, with its diagnostics), never an exception.
 */
export function buildPreviewModel(input: string | ParsedTemplate, context: ProjectContext = {}, options: PreviewModelOptions = {}): PreviewModel {
  const text = typeof input === 'string' ? input : input.text;
  const diagnostics = options.diagnostics ?? validate(input, context, options);
  const model: PreviewModel = {
    diagnostics,
    errorCount: diagnostics.filter((d) => d.severity === Severity.Error).length,
    warningCount: diagnostics.filter((d) => d.severity === Severity.Warning).length,
  };
  if (context.appid) model.appid = context.appid;
  // Not a template at all: only the banner is shown.
  if (text.length > LIMITS.maxFileChars || text.includes('\u0000')) return model;
  const doc = typeof input === 'string' ? parseTemplate(input) : input;
  const root = doc.root;
  if (!root || root.type !== 'object') return model;

  const msgtypeNode = propertyValue(root, 'msgtype');
  const declared = msgtypeNode?.type === 'string' ? String(msgtypeNode.value) : undefined;
  if (declared !== undefined && isMsgType(declared)) model.msgtype = declared;
  else {
    if (msgtypeNode) model.declaredMsgtype = msgtypeNode.type === 'string' ? declared : doc.text.slice(msgtypeNode.offset, msgtypeNode.offset + msgtypeNode.length);
    // Without a usable msgtype, still show a body that is unambiguous.
    const bodies = MSGTYPES.filter((t) => property(root, t));
    if (bodies.length === 1) model.msgtype = bodies[0];
  }
  const type = model.msgtype;
  if (!type) return model;
  const body = propertyValue(root, type);
  const bodyObject = body?.type === 'object' ? body : undefined;
  const field = (key: string): PreviewField | undefined => {
    const node = propertyValue(bodyObject, key);
    if (!node) return undefined;
    const range = nodeRange(doc, node);
    const f: PreviewField = { range, problems: problemsWithin(diagnostics, range) };
    if (node.type === 'string') f.value = String(node.value);
    return f;
  };
  if (type === 'text') {
    const content = field('content');
    model.text = { content, segments: content?.value !== undefined ? segmentsOf(doc, propertyValue(bodyObject, 'content')!, content.value, diagnostics, typeof input !== 'string') : [] };
  } else {
    const keys = FIELD_KEYS[type] as Record<string, string>;
    const out: Record<string, PreviewField | undefined> = {};
    for (const [name, key] of Object.entries(keys)) {
      const f = field(key);
      if (f) out[name] = f;
    }
    (model as unknown as Record<string, unknown>)[type] = out;
  }
  return model;
}

/** Splits decoded content into text and links, with the links' source ranges and problems. */
function segmentsOf(doc: ParsedTemplate, node: Node, content: string, diagnostics: Diagnostic[], shared: boolean): PreviewSegment[] {
  if (!content.includes('<')) return content ? [{ kind: 'text', text: content }] : [];
  const known = doc.errors.length === 0 ? content : undefined;
  // The same decoding and link parsing validation used (cached on a shared document).
  const { d, links } = shared ? decodedLinks(doc, node.offset, node.length, known) : decodeLinks(doc.text, node.offset, node.length, known);
  const value = d.value;
  const out: PreviewSegment[] = [];
  let at = 0;
  for (const link of links.slice(0, LIMITS.maxLinks)) {
    if (link.tagStart > at) out.push({ kind: 'text', text: value.slice(at, link.tagStart) });
    const closed = link.tagClosed && link.closeStart !== -1;
    const end = closed ? closeEnd(value, link) : link.tagEnd;
    const [s, e] = sourceSpan(d, link.tagStart, end);
    const range = rangeOf(doc, s, e);
    const seg: PreviewLink = {
      kind: 'link',
      label: closed ? link.label : '',
      source: value.slice(link.tagStart, link.tagEnd),
      closed,
      range,
      problems: problemsWithin(diagnostics, range),
    };
    const href = attribute(link, 'href')?.value;
    const appid = attribute(link, 'data-miniprogram-appid')?.value;
    const path = attribute(link, 'data-miniprogram-path')?.value;
    if (href !== undefined) seg.href = href;
    if (appid !== undefined) seg.appid = appid;
    if (path !== undefined) seg.path = path;
    out.push(seg);
    at = end;
  }
  if (at < value.length) out.push({ kind: 'text', text: value.slice(at) });
  return out;
}

/** Index after the `</a …>` that closes `link`. */
function closeEnd(content: string, link: TextLink): number {
  const gt = content.indexOf('>', link.closeStart);
  return gt === -1 ? content.length : gt + 1;
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** Diagnostics whose range lies within `range`. */
function problemsWithin(diagnostics: Diagnostic[], range: Range): PreviewProblem[] {
  return diagnostics
    .filter((d) => before(range.start, d.range.start) && before(d.range.end, range.end))
    .map((d) => ({ code: d.code, message: d.message, severity: d.severity }));
}
