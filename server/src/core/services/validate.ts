import type { Node } from 'jsonc-parser';
import { CODES, LIMITS, codeHref, type CodeName } from '../rules/codes.ts';
import { EMPTY_FILE } from '../parser/syntaxMessages.ts';
import { formatAge, isMediaPlaceholder, ledgerFinding } from '../rules/mediaLedger.ts';
import { jsonTypeName, nodeRange, offsetAt, parseTemplate, property, rangeOf, syntaxErrorDetail, type ParsedTemplate } from '../parser/document.ts';
import { AIMSGCONTEXT_FIELDS, BODY_FIELDS, ROOT_FIELDS, isMsgType, type FieldInfo } from '../rules/fields.ts';
import { guessNames, isUtf8EncodingId, vscodeEncodingNames, type NotUtf8 } from '../parser/encoding.ts';
import { decodedLinks, decodeLinks } from '../parser/jsonCursor.ts';
import { decodeJsonString, escapeJsonStringContent, sourceSpan } from '../parser/jsonString.ts';
import { message, projectProblem } from '../l10n/messages.ts';
import { hasPage } from '../rules/pages.ts';
import { closest } from '../rules/suggest.ts';
import { brTags, escapedLinks, literalNewlines } from '../rules/serializerTraps.ts';
import { LINK_ATTRIBUTES, type LinkAttribute } from '../rules/textLinks.ts';
import { fillVariables, mayHaveVariables, scanVariables, showValue, type FillResult } from '../rules/variables.ts';
import {
  MSGTYPES, Severity, severityFromName, type Diagnostic, type DiagnosticData, type Locale, type MsgType,
  type ProjectContext, type Range, type ValidationOptions,
} from '../types.ts';

const ROOT_KEYS = [...ROOT_FIELDS.map((f) => f.key), ...MSGTYPES];
const UNSAFE_SCHEMES = /^\s*(javascript|data|vbscript|file):/i;
const NAMED_REFS: Record<string, string> = { colon: ':', tab: '\t', newline: '\n', sol: '/', amp: '&' };

/** HTML character references (`&#106;`, `&#x6A;`, `&colon;`) as a browser decodes them in an attribute. */
function decodeCharRefs(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));?/g, (m, dec: string, hex: string, name: string) => {
    if (name) return NAMED_REFS[name.toLowerCase()] ?? m;
    const cp = dec ? Number(dec) : parseInt(hex, 16);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}
const HTTP_URL = /^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i;
const PLAIN_HTTP = /^https?:\/\//i;
const KNOWN_ATTRIBUTE: ReadonlySet<string> = new Set(LINK_ATTRIBUTES);

class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private skipped: { range: Range; appid: boolean; pages: boolean } | undefined;

  /** `shared`: the parsed document outlives this call (the editor's), so decoded strings are cached on it. */
  constructor(readonly doc: ParsedTemplate, readonly context: ProjectContext, readonly options: ValidationOptions, readonly shared = false) {}

  get locale(): Locale {
    return this.options.locale ?? 'en';
  }

  report(name: CodeName, range: Range, args: Record<string, string | number> = {}, data?: DiagnosticData): void {
    if (this.diagnostics.length >= LIMITS.maxDiagnostics) return;
    const code = `wxmsg/${name}`;
    const setting = this.options.severities?.[code];
    if (setting === 'off') return;
    const d: Diagnostic = {
      range,
      severity: severityFromName(setting ?? CODES[name]),
      code,
      source: 'wxmsg',
      message: message(this.locale, name, args),
      codeDescription: { href: codeHref(code) },
    };
    if (data) d.data = data;
    this.diagnostics.push(d);
  }

  at(start: number, end: number): Range {
    return rangeOf(this.doc, start, end);
  }

  /** Notes that a check needing project context was skipped; reported once at the end. */
  skip(range: Range, what: 'appid' | 'pages'): void {
    if (!this.skipped) this.skipped = { range, appid: false, pages: false };
    this.skipped[what] = true;
  }

  finish(): Diagnostic[] {
    if (this.skipped) {
      const { appid, pages, range } = this.skipped;
      // Which context is missing (1 or ''): the catalog words it, in each language.
      const problems = (this.context.problems ?? []).map((p) => projectProblem(this.locale, p)).join(this.locale === 'zh-cn' ? '；' : '; ');
      this.report('no-project-context', range, { appid: appid ? 1 : '', pages: pages ? 1 : '', problems });
    }
    return this.diagnostics;
  }
}

/** The single diagnostic for a file that is not validated at all (too large, unreadable, not UTF-8). */
export function fileDiagnostic(
  name: 'file-too-large' | 'unreadable-file' | 'not-utf8', args: Record<string, string | number>, options: ValidationOptions = {},
  at: Range['start'] = { line: 0, character: 0 },
): Diagnostic[] {
  const r = new Reporter({ text: '', root: undefined, errors: [], lineStarts: [0], tooDeepAt: -1 }, {}, options);
  r.report(name, { start: at, end: at.line === 0 && at.character === 0 ? at : { line: at.line, character: at.character + 1 } }, args);
  return r.diagnostics;
}

/** A file whose bytes are not UTF-8: one error at the first bad byte, naming the likely encoding. */
export function notUtf8Diagnostic(n: NotUtf8, options: ValidationOptions = {}): Diagnostic[] {
  const names = guessNames(n);
  const utf16 = n.guess === 'utf-16le' || n.guess === 'utf-16be';
  return fileDiagnostic('not-utf8', {
    kind: 'bytes', encoding: names.label, iconv: names.iconv, vscode: names.vscode, bom: n.bom ? 1 : '', offset: utf16 ? '' : n.offset,
  }, options, n.position);
}

/**
 * What the editor says about the text's encoding: the encoding it decoded the file with (when
 * the client reports one that is not UTF-8), and U+FFFD, the mark of bytes that were not UTF-8
 * when read as UTF-8. The language server sees only decoded text; these are its clues.
 */
function checkEncoding(r: Reporter, text: string, encoding: string | undefined): void {
  if (encoding && !isUtf8EncodingId(encoding)) {
    const names = vscodeEncodingNames(encoding);
    r.report('not-utf8', r.at(0, 0), { kind: 'editor', encoding: names.label, iconv: names.iconv, vscode: names.vscode });
  }
  const bad = text.indexOf('\ufffd');
  if (bad !== -1) r.report('not-utf8', r.at(bad, bad + 1), { kind: 'replacement' });
}

/**
 * Validates one template. Pure: text and project context in, LSP-shaped diagnostics out.
 * Never throws on any input (the fuzz test holds it to that).
 */
export function validate(input: string | ParsedTemplate, context: ProjectContext = {}, options: ValidationOptions = {}): Diagnostic[] {
  const base = validateTemplate(input, context, options);
  const text = typeof input === 'string' ? input : input.text;
  // Templates without `{{` (nearly all) stop here: one search.
  if (!mayHaveVariables(text) || text.length > LIMITS.maxFileChars) return base;
  const doc = typeof input === 'string' ? parseTemplate(input) : input;
  if (!doc.root || doc.tooDeepAt !== -1 || text.includes('\u0000')) return base;
  return checkVariables(doc, base, context, options);
}

function validateTemplate(input: string | ParsedTemplate, context: ProjectContext, options: ValidationOptions): Diagnostic[] {
  const text = typeof input === 'string' ? input : input.text;
  if (text.length > LIMITS.maxFileChars) {
    return fileDiagnostic('file-too-large', { size: text.length, limit: LIMITS.maxFileChars }, options);
  }
  const doc = typeof input === 'string' ? parseTemplate(input) : input;
  const r = new Reporter(doc, context, options, typeof input !== 'string');
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    r.report('binary-file', r.at(nul, nul + 1));
    return r.diagnostics;
  }
  checkEncoding(r, text, options.encoding);
  if (doc.tooDeepAt !== -1) {
    r.report('nesting-too-deep', r.at(doc.tooDeepAt, doc.tooDeepAt + 1), { limit: LIMITS.maxDepth });
    return r.diagnostics;
  }
  if (options.emptyFileHint && doc.errors.length && /^[\s\ufeff]*$/.test(text)) {
    // A new file in the editor: one friendly hint, not a red error (lint and send still refuse it).
    r.report('syntax-error', r.at(0, 0), { detail: EMPTY_FILE }, { kind: EMPTY_FILE });
    for (const d of r.diagnostics) if (d.code === 'wxmsg/syntax-error') d.severity = Severity.Hint;
    return r.diagnostics;
  }
  for (let i = 0; i < doc.errors.length && i < LIMITS.maxSyntaxErrors; i++) {
    const e = doc.errors[i];
    const kind = syntaxErrorDetail(e);
    r.report('syntax-error', r.at(e.offset, e.offset + e.length), { detail: kind }, { kind });
  }
  const root = doc.root;
  if (!root) {
    if (doc.errors.length === 0) r.report('root-not-object', r.at(0, Math.min(text.length, 1)));
    return r.finish();
  }
  if (root.type !== 'object') {
    r.report('root-not-object', nodeRange(doc, root));
    return r.finish();
  }
  checkDuplicates(r, root);
  checkRoot(r, root);
  return r.finish();
}

interface Member { key: string; k: Node; value: Node | undefined }

/** Objects up to this many members are checked for repeats by scanning, larger ones with a Set. */
const SMALL_OBJECT = 16;

/**
 * An object's members, first occurrence of each key only (duplicates are reported apart); with
 * `onRepeat`, called for every later occurrence.
 */
function members(obj: Node, onRepeat?: (key: string, k: Node) => void): Member[] {
  const out: Member[] = [];
  const children = obj.children;
  if (!children) return out;
  const seen = children.length > SMALL_OBJECT ? new Set<string>() : undefined;
  for (const p of children) {
    const k = p.children?.[0];
    if (!k) continue;
    const key = String(k.value);
    let repeat = false;
    if (seen) { repeat = seen.has(key); seen.add(key); } else for (const m of out) if (m.key === key) { repeat = true; break; }
    if (repeat) onRepeat?.(key, k);
    else out.push({ key, k, value: p.children?.[1] });
  }
  return out;
}

function checkDuplicates(r: Reporter, node: Node): void {
  const children = node.children;
  if (!children) return;
  if (node.type === 'object') {
    const report = (key: string, k: Node) => r.report('duplicate-key', nodeRange(r.doc, k), { key }, { key });
    if (children.length > SMALL_OBJECT) members(node, report);
    else {
      // The common case, a handful of keys: compare in place, allocating nothing.
      for (let i = 1; i < children.length; i++) {
        const k = children[i].children?.[0];
        if (!k) continue;
        for (let j = 0; j < i; j++) {
          if (children[j].children?.[0]?.value === k.value) { report(String(k.value), k); break; }
        }
      }
    }
  }
  for (const c of children) if (c.children) checkDuplicates(r, c);
}

function keyNode(p: Node): Node {
  return p.children![0];
}

function braceRange(r: Reporter, obj: Node): Range {
  return r.at(obj.offset, obj.offset + 1);
}

/** Where to report members missing from an object: its key in the parent, else its `{`. */
function ownerRange(r: Reporter, obj: Node): Range {
  const parent = obj.parent;
  if (parent?.type === 'property') return nodeRange(r.doc, keyNode(parent));
  return braceRange(r, obj);
}

function checkRoot(r: Reporter, root: Node): void {
  const msgtypeProp = property(root, 'msgtype');
  const msgtypeNode = msgtypeProp?.children?.[1];
  let msgtype: MsgType | undefined;
  if (!msgtypeProp) {
    r.report('missing-msgtype', braceRange(r, root), {}, { path: [], missing: ['msgtype'] });
  } else if (msgtypeNode && msgtypeNode.type !== 'string') {
    r.report('wrong-type', nodeRange(r.doc, msgtypeNode), { key: 'msgtype', expected: 'a string', actual: jsonTypeName(msgtypeNode) });
  } else if (msgtypeNode) {
    const v = String(msgtypeNode.value);
    if (isMsgType(v)) msgtype = v;
    else {
      const suggestion = closest(v, MSGTYPES);
      r.report('invalid-msgtype', nodeRange(r.doc, msgtypeNode), { value: v },
        suggestion ? { replacement: JSON.stringify(suggestion), expected: suggestion } : undefined);
    }
  }

  for (const { key, k, value } of members(root)) {
    if (key === 'msgtype') continue;
    if (key === 'touser') {
      if (value) checkTouser(r, value);
      continue;
    }
    if (key === 'aimsgcontext') {
      if (value) checkAimsgcontext(r, value);
      continue;
    }
    if (isMsgType(key)) {
      if (msgtype && key !== msgtype) {
        r.report('body-mismatch', nodeRange(r.doc, k), { key, msgtype }, { key, expected: msgtype });
      } else if (!msgtype && msgtypeNode?.type === 'string' && value) {
        // msgtype is invalid: still check the body the author wrote.
        checkBody(r, key, value);
      }
      continue;
    }
    const suggestion = closest(key, ROOT_KEYS);
    r.report('unknown-key', nodeRange(r.doc, k), { key, suggestion: suggestion ?? '', object: 'root' },
      { key, ...(suggestion ? { replacement: JSON.stringify(suggestion), expected: suggestion } : {}) });
  }

  if (msgtype) {
    const bodyProp = property(root, msgtype);
    const body = bodyProp?.children?.[1];
    if (!bodyProp) {
      r.report('missing-body', braceRange(r, root), { key: msgtype }, { path: [], missing: [msgtype], expected: msgtype });
    } else if (body) {
      checkBody(r, msgtype, body);
    }
  } else if (!msgtypeProp && root.children?.length) {
    // Without a msgtype, still check a body that is unambiguous.
    const bodies = MSGTYPES.filter((t) => property(root, t));
    if (bodies.length === 1) checkBody(r, bodies[0], property(root, bodies[0])!.children![1]);
  }
}

function checkTouser(r: Reporter, value: Node): void {
  if (value.type !== 'string') {
    r.report('wrong-type', nodeRange(r.doc, value), { key: 'touser', expected: 'a string', actual: jsonTypeName(value) });
    return;
  }
  const v = String(value.value);
  // Placeholders (OPENID, {{openid}}, ${OPENID}) are expected in templates.
  if (/^[A-Z0-9_]*$/.test(v) || /[{}$<>]/.test(v)) return;
  if (!/^[\w-]{28}$/.test(v)) r.report('openid-format', nodeRange(r.doc, value), { value: v });
}

/**
 * `aimsgcontext`: an optional root object `{ "msgid": string }` documented on the current send page
 * (developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/kf-mgnt/kf-message/sendCustomMessage.html).
 */
function checkAimsgcontext(r: Reporter, value: Node): void {
  if (value.type !== 'object') {
    r.report('wrong-type', nodeRange(r.doc, value), { key: 'aimsgcontext', expected: 'an object', actual: jsonTypeName(value) });
    return;
  }
  for (const { key, k, value: v } of members(value)) {
    const field = AIMSGCONTEXT_FIELDS.find((f) => f.key === key);
    if (field) {
      if (v && v.type !== 'string') r.report('wrong-type', nodeRange(r.doc, v), { key, expected: 'a string', actual: jsonTypeName(v) });
      continue;
    }
    const suggestion = closest(key, AIMSGCONTEXT_FIELDS.map((f) => f.key));
    r.report('unknown-key', nodeRange(r.doc, k), { key, suggestion: suggestion ?? '', object: 'aimsgcontext' },
      { key, ...(suggestion ? { replacement: JSON.stringify(suggestion), expected: suggestion } : {}) });
  }
}

function checkBody(r: Reporter, msgtype: MsgType, body: Node | undefined): void {
  if (!body) return;
  if (body.type !== 'object') {
    r.report('wrong-type', nodeRange(r.doc, body), { key: msgtype, expected: 'an object', actual: jsonTypeName(body) });
    return;
  }
  const fields = BODY_FIELDS[msgtype];
  // Bit i: fields[i] is present (a body has at most four fields).
  let present = 0;
  let picurl = false;
  for (const { key, k, value } of members(body)) {
    let field: FieldInfo | undefined;
    for (let i = 0; i < fields.length; i++) if (fields[i].key === key) { field = fields[i]; present |= 1 << i; break; }
    if (key === 'picurl') picurl = true;
    if (field) {
      if (value) checkField(r, field, value);
    } else if (msgtype === 'link' && key === 'picurl' && !property(body, 'thumb_url')) {
      // The official parameter table says picurl, the payload takes thumb_url: picurl *instead of*
      // thumb_url would be sent without a thumbnail. Next to a thumb_url it is only an extra key.
      r.report('use-thumb-url', nodeRange(r.doc, k), {}, { key, replacement: '"thumb_url"', expected: 'thumb_url' });
    } else {
      const suggestion = closest(key, fields.map((f) => f.key));
      r.report('unknown-key', nodeRange(r.doc, k), { key, suggestion: suggestion ?? '', object: msgtype },
        { key, ...(suggestion ? { replacement: JSON.stringify(suggestion), expected: suggestion } : {}) });
    }
  }
  const missing: string[] = [];
  for (let i = 0; i < fields.length; i++) if (fields[i].required && !(present & (1 << i))) missing.push(fields[i].key);
  if (msgtype === 'link' && picurl && missing.includes('thumb_url')) {
    // Reported as use-thumb-url already; the rename fixes both.
    const i = missing.indexOf('thumb_url');
    if (i !== -1) missing.splice(i, 1);
  }
  if (missing.length) {
    r.report('missing-field', ownerRange(r, body), { fields: missing.map((m) => `"${m}"`).join(', '), object: msgtype },
      { path: [msgtype], missing });
  }
}

function checkField(r: Reporter, field: FieldInfo, value: Node): void {
  if (value.type !== 'string') {
    r.report('wrong-type', nodeRange(r.doc, value), { key: field.key, expected: 'a string', actual: jsonTypeName(value) });
    return;
  }
  const v = String(value.value);
  // Ranges (line and character) are worked out only for what is reported.
  const range = () => nodeRange(r.doc, value);
  if (field.required && (v.length === 0 || (v.charCodeAt(0) <= 32 && v.trim() === ''))) {
    r.report('empty-value', range(), { key: field.key });
    return;
  }
  switch (field.kind) {
    case 'url':
      if (!HTTP_URL.test(v.trim())) r.report('invalid-url', range(), { key: field.key, value: v });
      break;
    case 'page':
      checkPage(r, untrimmed(r, field.key, v, range), range);
      break;
    case 'media': {
      if (isMediaPlaceholder(v)) {
        // Fine in a committed template and in lint; the editor hints that a send refuses it.
        if (r.options.mediaPlaceholderHint) r.report('media-placeholder', range(), { key: field.key, value: v }, { key: field.key, kind: 'placeholder' });
        break;
      }
      const shape = mediaShape(v);
      if (shape) r.report('media-id-not-uploaded', range(), { key: field.key, value: v, shape });
      else if (r.context.mediaLedger) checkLedger(r, field.key, v, range);
      break;
    }
    case 'content':
      checkContent(r, value, v);
      break;
  }
}

/** A media_id against the media ledger: uploaded for another appid, expired, or unknown. */
function checkLedger(r: Reporter, key: string, v: string, range: () => Range): void {
  const ctx = r.context;
  const f = ledgerFinding(ctx.mediaLedger!, v, ctx.appid, ctx.now);
  if (!f) return;
  const zh = r.locale === 'zh-cn';
  if (f.code === 'media-unknown') {
    r.report('media-unknown', range(), { key, value: v }, { key, kind: 'unknown' });
    return;
  }
  const source = f.record.source;
  const data = { key, kind: f.code, expected: source };
  if (f.code === 'media-other-appid') r.report('media-other-appid', range(), { key, value: v, other: f.record.appid, appid: ctx.appid ?? '', source }, data);
  else r.report('media-expired', range(), { key, value: v, age: formatAge(f.ageMs, zh), source }, data);
}

/**
 * A URL or file path where a media_id belongs: WeChat answers 40007 (invalid media_id; the global
 * return-code table, shared/wechat-api-facts.md). A media_id is what media/upload returns: letters,
 * digits, `_` and `-`, never a scheme, a leading `/`, or a file extension.
 */
const MEDIA_URL = /^\s*(?:[a-z][a-z0-9+.-]*:\/\/|https?:|data:|file:)/i;
const MEDIA_PATH = /^\s*(?:\/|\.{1,2}[\\/]|~[\\/]|[a-z]:[\\/]|\\\\)|\.(?:png|jpe?g|gif|bmp|webp|heic|svg|tiff?|ico)\s*$/i;

function mediaShape(v: string): 'url' | 'path' | undefined {
  return MEDIA_URL.test(v) ? 'url' : MEDIA_PATH.test(v) ? 'path' : undefined;
}

/**
 * Reports whitespace around a value WeChat compares as an exact string (a page path, an appid)
 * and returns the value without it for the remaining checks. The official text does not say
 * WeChat trims, so wxmsg does not assume it does.
 */
function untrimmed(r: Reporter, key: string, v: string, range: () => Range): string {
  const t = v.trim();
  if (t === v || t === '') return v;
  const lead = v.length - v.trimStart().length > 0;
  const trail = v.length - v.trimEnd().length > 0;
  r.report('surrounding-whitespace', range(), { key, value: v, where: lead && trail ? 'leading and trailing' : lead ? 'leading' : 'trailing' },
    { expected: t });
  return t;
}

function checkPage(r: Reporter, path: string, range: () => Range): void {
  const { pages, pagesSource } = r.context;
  if (!pages) {
    r.skip(range(), 'pages');
    return;
  }
  if (!hasPage(pages, path)) {
    const page = path.replace(/[?#].*$/, '');
    const suggestion = closest(page.replace(/^\/+/, ''), pages);
    r.report('unknown-page', range(), { page, source: pagesSource ?? 'app.json' },
      suggestion ? { expected: suggestion } : undefined);
  }
}

function utf8Length(s: string): number {
  // Node's native count where there is one (same result: a lone surrogate is 3 bytes, U+FFFD).
  if (typeof Buffer !== 'undefined') return Buffer.byteLength(s, 'utf8');
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

/**
 * C0 controls other than \n and \t (\r included: WeChat breaks lines with \n), and surrogates
 * without their other half. U+007F and above are characters WeChat shows.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function checkControlCharacters(r: Reporter, node: Node, content: string): void {
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(content)) return;
  // Ranges are those of the escapes in the source (`\u0000`, `\r`, `\ud800`).
  const d = decodeJsonString(r.doc.text, node.offset, node.length, r.doc.errors.length === 0 ? content : undefined);
  CONTROL.lastIndex = 0;
  for (let m = CONTROL.exec(d.value); m; m = CONTROL.exec(d.value)) {
    const c = m[0].charCodeAt(0);
    const [s, e] = sourceSpan(d, m.index, m.index + 1);
    const kind = c >= 0xd800 ? 'surrogate' : c === 13 ? 'cr' : 'control';
    r.report('control-character', r.at(s, e), { char: `U+${c.toString(16).toUpperCase().padStart(4, '0')}`, kind });
  }
}

function checkContent(r: Reporter, node: Node, content: string): void {
  // A UTF-16 unit is at most 3 UTF-8 bytes: short content cannot be over the limit.
  if (content.length * 3 > LIMITS.contentBytes) {
    const bytes = utf8Length(content);
    if (bytes > LIMITS.contentBytes) r.report('content-too-long', nodeRange(r.doc, node), { bytes, limit: LIMITS.contentBytes });
  }
  checkControlCharacters(r, node, content);
  // Serializer traps need a backslash, `<` or `&`; links need `<`. Plain text stops here.
  if (!content.includes('<') && !content.includes('\\') && !content.includes('&')) return;
  // The same decoded content and links hover and completion use on this parsed document.
  // Without parse errors the parser's value is the decoded content (errors may be in this literal).
  const known = r.doc.errors.length === 0 ? content : undefined;
  const { d, links } = r.shared ? decodedLinks(r.doc, node.offset, node.length, known) : decodeLinks(r.doc.text, node.offset, node.length, known);
  const span = (from: number, to: number): Range => {
    const [s, e] = sourceSpan(d, from, to);
    return r.at(s, e);
  };
  checkSerializerTraps(r, d.value, span);
  for (let l = 0; l < links.length && l < LIMITS.maxLinks; l++) {
    const link = links[l];
    if (!link.tagClosed || link.closeStart === -1) r.report('unclosed-link', span(link.tagStart, link.tagStart + 2));
    else if (!link.label.trim()) r.report('empty-link-label', span(link.tagStart, link.closeEnd));
    // One pass over the attributes: the first of each known name (as attribute() finds it), and
    // misspellings of them.
    let appid: LinkAttribute | undefined;
    let path: LinkAttribute | undefined;
    let href: LinkAttribute | undefined;
    let nearHref: LinkAttribute | undefined;
    // After a value that swallowed the next attribute (a missing closing quote), the rest of that
    // attribute is part of the same mistake: not reported again.
    let swallowed = false;
    // Attributes whose value is broken (not checked further), and names a broken value swallowed
    // (present as far as the other rules go).
    let broken: LinkAttribute | undefined;
    let swallowedNames: Set<string> | undefined;
    for (const a of link.attributes) {
      const lower = KNOWN_ATTRIBUTE.has(a.name) ? a.name : a.name.toLowerCase();
      if (swallowed && a.glued) { swallowed = false; continue; }
      swallowed = false;
      const kind = malformation(a, lower);
      if (kind) {
        const nameOnly = kind === 'glued' || kind === 'glued-value' || kind === 'stray' || kind === 'no-value';
        const end = nameOnly ? a.nameEnd : a.valueEnd + (a.quote && !a.unterminated ? 1 : 0);
        r.report('malformed-link', span(a.nameStart, end), { kind, name: a.name, expected: LINK_ATTRIBUTES.find((k) => lower.startsWith(k)) ?? '' },
          { kind, key: a.name });
        swallowed = kind === 'close-quote';
        if (swallowed) {
          broken = a;
          swallowedNames ??= new Set();
          for (const m of a.value!.matchAll(/\s([\w-]+)\s*=/g)) swallowedNames.add(m[1].toLowerCase());
        }
        if (kind === 'glued-value') (swallowedNames ??= new Set()).add(LINK_ATTRIBUTES.find((k) => lower.startsWith(k))!);
        if (kind === 'glued-value' || kind === 'stray') continue;
      }
      if (lower === 'href') href ??= a;
      else if (lower === 'data-miniprogram-appid') appid ??= a;
      else if (lower === 'data-miniprogram-path') path ??= a;
      else {
        const suggestion = closest(lower, LINK_ATTRIBUTES);
        if (suggestion === 'href') nearHref ??= a;
        if (suggestion) {
          r.report('misspelled-attribute', span(a.nameStart, a.nameEnd), { name: a.name, suggestion },
            { replacement: suggestion, expected: suggestion });
        } else {
          r.report('unknown-attribute', span(a.nameStart, a.nameEnd), { name: a.name });
        }
      }
    }
    href ??= nearHref;
    // An appid without a value is reported as malformed above.
    if (appid && appid.value !== undefined) checkLinkAppid(r, appid.value, () => span(appid.valueStart, appid.valueEnd));
    if (appid && !path && !swallowedNames?.has('data-miniprogram-path')) r.report('link-missing-path', span(appid.nameStart, appid.nameEnd));
    if (path && !appid && !swallowedNames?.has('data-miniprogram-appid')) {
      // Send page, note 1: only data-miniprogram-appid makes the link open the mini program
      // (developers.weixin.qq.com/miniprogram/dev/api/custommsg/conversation.html); without it
      // WeChat ignores the path and the link opens href.
      r.report('link-missing-appid', span(path.nameStart, path.nameEnd), {}, r.context.appid ? { expected: r.context.appid } : undefined);
    }
    if (path && path.value !== undefined) {
      const valueRange = () => span(path.valueStart, path.valueEnd);
      if (!path.value || !path.value.trim()) r.report('empty-value', valueRange(), { key: 'data-miniprogram-path' });
      else checkPage(r, untrimmed(r, 'data-miniprogram-path', path.value, valueRange), valueRange);
    }
    if (href && href === broken) {
      // Reported as malformed: its value holds the next attribute.
    } else if (href && href.value !== undefined) {
      const v = href.value.trim();
      const valueRange = () => span(href!.valueStart, href!.valueEnd);
      // As browsers parse a URL: tabs and newlines anywhere are dropped, C0 controls before it
      // too, so "java\tscript:" and "\u0001javascript:" are javascript: links. A value that
      // starts with http(s):// as written has that scheme: no decoding needed.
      const unsafe = PLAIN_HTTP.test(href.value) ? null
        : UNSAFE_SCHEMES.exec(decodeCharRefs(href.value).replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, ''));
      if (unsafe) r.report('unsafe-href', valueRange(), { value: href.value, scheme: unsafe[1].toLowerCase() + ':' });
      else if (!HTTP_URL.test(v)) r.report('href-not-http', valueRange(), { value: href.value });
    } else if (appid && !href) {
      r.report('link-missing-href', span(link.tagStart, link.tagStart + 2));
    }
  }
}

/** Link markup WeChat's parser may not read as meant; `undefined` when the attribute is well formed. */
// Evaluated once: a regex literal inside a function is a new object on every call.
const GLUED_VALUE = /["'\d:./]/;
const QUOTE = /["']/;
const SWALLOWED_ATTRIBUTE = /\s[\w-]+\s*=/;

function malformation(a: LinkAttribute, lower: string): string | undefined {
  // `data-miniprogram-appid0000…"`: the name ran into its value (a quote, digit, `:` or `/` says
  // so; `hreflang` is only an unknown attribute). A known name exactly is not glued to anything.
  const gluedTo = KNOWN_ATTRIBUTE.has(lower) ? undefined : LINK_ATTRIBUTES.find((k) => lower.startsWith(k) && lower.length > k.length);
  if (gluedTo && GLUED_VALUE.test(lower.slice(gluedTo.length))) return 'glued-value';
  if (QUOTE.test(a.name)) return 'stray';
  if (a.glued) return 'glued';
  if (a.noEquals) return 'no-equals';
  if (a.value === undefined) return KNOWN_ATTRIBUTE.has(lower) || closest(lower, LINK_ATTRIBUTES) ? 'no-value' : undefined;
  if (a.quote && (a.unterminated || SWALLOWED_ATTRIBUTE.test(a.value))) return 'close-quote';
  if (!a.quote && QUOTE.test(a.value)) return 'open-quote';
  return undefined;
}

/**
 * Traps users hit with every SDK, each a hint with a quick fix (codeActions.ts): a literal
 * backslash-n where a line break was meant, `<br>` (WeChat text is not HTML: the tag is shown),
 * and an HTML-escaped link (shown as markup). One diagnostic per kind and content, on the first.
 */
function checkSerializerTraps(r: Reporter, content: string, span: (from: number, to: number) => Range): void {
  const newlines = literalNewlines(content);
  if (newlines.length) r.report('literal-newline-escape', span(newlines[0].start, newlines[0].end), { count: newlines.length });
  const brs = brTags(content);
  if (brs.length) r.report('br-tag', span(brs[0].start, brs[0].end), { tag: content.slice(brs[0].start, brs[0].end), count: brs.length });
  const escaped = escapedLinks(content);
  if (escaped.length) r.report('escaped-link', span(escaped[0].start, escaped[0].end), { count: escaped.length });
}

/** `wx` and 16 hex digits, as the `wxmsg.appid` setting's pattern accepts it. */
const APPID_SHAPE = /^wx[0-9a-fA-F]{16}$/;

/**
 * A text link's appid. Send page, note 4: it must be the sending mini program's own appid
 * (developers.weixin.qq.com/miniprogram/dev/api/custommsg/conversation.html). Without project
 * context a value that cannot be any appid (the page's own example says `appid`) is still an error.
 */
function checkLinkAppid(r: Reporter, value: string, range: () => Range): void {
  const v = untrimmed(r, 'data-miniprogram-appid', value, range);
  const { appid, appidSource } = r.context;
  if (!appid) {
    if (APPID_SHAPE.test(v)) r.skip(range(), 'appid');
    else r.report('invalid-appid', range(), { value });
    return;
  }
  if (v !== appid) {
    r.report('foreign-appid', range(), { value, appid, source: appidSource ?? 'the project' },
      { replacement: escapeJsonStringContent(appid), expected: appid });
  }
}

/**
 * Template variables (variables.ts). Malformed `{{` and placeholders in keys are errors. Every
 * rule then runs on the template filled with the values known (options.variables, defaults):
 * what it reports inside a filled string is mapped back to the template — onto the
 * placeholder(s) it comes from, with the filled value in the message, or onto the template's own
 * text. A string with a placeholder that has no value is not checked (values are asked at send
 * time): one `wxmsg/unfilled-variable` info per such placeholder says so.
 */
function checkVariables(doc: ParsedTemplate, base: Diagnostic[], context: ProjectContext, options: ValidationOptions): Diagnostic[] {
  const scan = scanVariables(doc);
  if (!scan.strings.length && !scan.problems.length) return base;
  const r = new Reporter(doc, context, options);
  for (const p of scan.problems) {
    const range = r.at(p.start, p.end);
    if (p.kind === 'in-key') r.report('variable-in-key', range, { key: p.text });
    else r.report('malformed-variable', range, { kind: p.kind, name: p.text });
  }
  const fill = fillVariables(doc, scan, options.variables);
  // Diagnostics of the unfilled template inside strings with placeholders judge the `{{…}}`
  // text, not a value: they are dropped (the filled run below reports on the values).
  const spans = scan.strings.map((s) => [s.node.offset, s.node.offset + s.node.length] as const);
  const inVariableString = (d: Diagnostic): boolean => {
    const at = offsetAt(doc.lineStarts, d.range.start, doc.text.length);
    return spans.some(([s, e]) => at >= s && at < e);
  };
  const kept = base.filter((d) => d.code === 'wxmsg/no-project-context' || !inVariableString(d));
  for (const u of fill.unfilled) {
    for (const p of u.missing) r.report('unfilled-variable', r.at(p.start, p.end), { name: p.name });
  }
  const hadContextNote = kept.some((d) => d.code === 'wxmsg/no-project-context');
  if (fill.filled.length) {
    for (const d of mapFilled(doc, fill, context, options)) {
      if (d.code === 'wxmsg/no-project-context' && hadContextNote) continue;
      r.diagnostics.push(d);
    }
  }
  const all = [...kept, ...r.diagnostics];
  all.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return all.slice(0, LIMITS.maxDiagnostics);
}

/** Validates the filled template and maps what it reports inside filled strings back. */
function mapFilled(doc: ParsedTemplate, fill: FillResult, context: ProjectContext, options: ValidationOptions): Diagnostic[] {
  const filledDoc = parseTemplate(fill.text);
  const out: Diagnostic[] = [];
  const zh = (options.locale ?? 'en') === 'zh-cn';
  for (const d of validateTemplate(filledDoc, context, options)) {
    const start = offsetAt(filledDoc.lineStarts, d.range.start, fill.text.length);
    const end = offsetAt(filledDoc.lineStarts, d.range.end, fill.text.length);
    const i = fill.at.findIndex((a) => start >= a.offset && start < a.offset + a.length);
    if (i === -1) {
      // Outside every filled string: the same as the template's own diagnostic (kept above),
      // except the project-context note, which a filled string may be the first to need.
      if (d.code === 'wxmsg/no-project-context') out.push(d);
      continue;
    }
    const f = fill.filled[i];
    const lit = fill.at[i];
    const dec = decodeJsonString(fill.text, lit.offset, lit.length, f.value);
    const whole = start <= lit.offset && end >= lit.offset + lit.length;
    const a = whole ? 0 : dec.indexAt(start);
    const b = whole ? f.value.length : Math.max(a, dec.indexAt(end));
    // The placeholders whose filled value the reported span touches.
    const touched: number[] = [];
    f.string.parts.forEach((p, pi) => {
      if (p.kind !== 'placeholder') return;
      const [fa, fb] = f.spans[pi];
      if (whole || (fa < b && fb > a) || (a === b && a >= fa && a <= fb && fb > fa)) touched.push(pi);
    });
    let range: Range;
    let message = d.message;
    let data = d.data;
    if (touched.length) {
      const phs = f.string.placeholders;
      const phIndex = (pi: number) => f.string.parts.slice(0, pi).filter((p) => p.kind === 'placeholder').length;
      const first = phs[phIndex(touched[0])];
      const last = phs[phIndex(touched[touched.length - 1])];
      range = rangeOf(doc, first.start, last.end);
      const shown = touched.map((pi) => {
        const p = f.string.parts[pi] as { name: string };
        const v = f.filled.get(pi)!;
        return `{{${p.name}}} = ${showValue(v.value)} (${sourceName(v.source, zh)})`;
      }).join(zh ? '，' : ', ');
      message += zh ? `（填入变量后：${shown}）` : ` (after filling: ${shown})`;
      // A quick fix would overwrite the placeholder.
      data = undefined;
    } else {
      const ta = templateIndex(f, a);
      const tb = b > a ? templateIndex(f, b - 1) + 1 : ta;
      const [s, e] = sourceSpan(f.string.decoded, ta, tb);
      range = rangeOf(doc, s, e);
    }
    const mapped: Diagnostic = { ...d, range, message };
    if (data) mapped.data = data; else delete mapped.data;
    out.push(mapped);
  }
  return out;
}

/** The template's decoded index of a filled index that lies in literal text (or an escape). */
function templateIndex(f: { string: { parts: FillResult['filled'][number]['string']['parts'] }; spans: [number, number][] }, i: number): number {
  for (let pi = 0; pi < f.string.parts.length; pi++) {
    const [fa, fb] = f.spans[pi];
    const p = f.string.parts[pi];
    if (i >= fa && i < fb) return p.kind === 'text' ? p.from + (i - fa) : p.from;
  }
  const last = f.string.parts[f.string.parts.length - 1];
  return last ? last.to : 0;
}

function sourceName(source: string, zh: boolean): string {
  return source === 'default' ? (zh ? '默认值' : 'default') : source;
}
