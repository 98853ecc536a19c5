/**
 * The language service: the one entry point of the pure core, as vscode-json-languageservice
 * has `getLanguageService()`. The shells (the language server, the CLI, the send path) call
 * these functions and nothing under core/services/ directly (test/architecture.test.ts).
 *
 * A service is made for one locale. Every function takes the document and the project context
 * of that document on each call: a workspace may hold several mini programs, so the context
 * belongs to the document, not to the service. Nothing here reads a disk, a clock or the network;
 * the ledger and the current time come in through the context.
 */
import type { ParsedTemplate } from './parser/document.ts';
import { parseTemplate } from './parser/document.ts';
import type { CodeAction, DocumentSymbol, Hover, TextEdit } from './languageTypes.ts';
import type { VariableValues } from './rules/variables.ts';
import { getCodeActions, getFixAllEdits } from './services/codeActions.ts';
import { doCompleteList, type CompletionResult } from './services/completion.ts';
import { mediaIdAt, pageEntryRange, pageSiteAt, pageSites, type PageSite } from './services/definition.ts';
import { formatTemplate } from './services/format.ts';
import { doHover } from './services/hover.ts';
import { mediaActions, type MediaAction } from './services/mediaActions.ts';
import { buildPreviewModel, type PreviewModel, type PreviewModelOptions } from './services/preview/model.ts';
import { documentSymbols } from './services/symbols.ts';
import { fileDiagnostic, notUtf8Diagnostic, validate } from './services/validate.ts';
import type { NotUtf8 } from './parser/encoding.ts';
import { variableCompletions, variableHover } from './services/variableFeatures.ts';
import type { Diagnostic, Locale, ProjectContext, Range, ValidationOptions } from './types.ts';

export type { ParsedTemplate } from './parser/document.ts';
export type { CompletionResult } from './services/completion.ts';
export type { MediaAction } from './services/mediaActions.ts';
export type { PageSite } from './services/definition.ts';
export type { PreviewModel, PreviewModelOptions } from './services/preview/model.ts';
// The preview's HTML (the editor's webview, `wxmsg preview`): pure functions of a model.
export { PREVIEW_CSS, renderIndexPage, renderPreviewBody, renderPreviewPage, type IndexEntry } from './services/preview/render.ts';
export { PREVIEW_STRINGS } from './services/preview/strings.ts';

/** A template: its text, or the text parsed once by `parseTemplate` (then shared by every call). */
export type TemplateInput = string | ParsedTemplate;

export interface LanguageServiceOptions {
  /** The language of every message, title and hover; English when not given. */
  locale?: Locale;
}

/** Per-call validation settings; the locale is the service's. */
export type ValidateOptions = Omit<ValidationOptions, 'locale'>;

export interface FormatOptions {
  tabSize: number;
  insertSpaces: boolean;
}

export interface LanguageService {
  readonly locale: Locale;
  parseTemplate(text: string): ParsedTemplate;
  doValidation(doc: TemplateInput, context: ProjectContext, options?: ValidateOptions): Diagnostic[];
  /** The one finding for a file that is not validated at all: too large, or unreadable. */
  fileProblem(name: 'file-too-large' | 'unreadable-file', args: Record<string, string | number>, options?: ValidateOptions): Diagnostic[];
  /** The one finding for bytes that are not UTF-8, at the first bad byte, naming the likely encoding. */
  notUtf8(n: NotUtf8, options?: ValidateOptions): Diagnostic[];
  /** Completion at `offset`; variable names inside `{{` come first when `variables` are known. */
  doComplete(doc: ParsedTemplate, offset: number, context: ProjectContext, variables?: VariableValues): CompletionResult;
  doHover(doc: ParsedTemplate, offset: number, context: ProjectContext, variables?: VariableValues): Hover | undefined;
  /** Quick fixes for `diagnostics` (the ones the client sent for a range), edits in this document. */
  getCodeActions(doc: ParsedTemplate, diagnostics: Diagnostic[], context: ProjectContext): CodeAction[];
  /** Upload actions (commands, not edits) for media findings; `uri` is the template's. */
  getMediaActions(uri: string, diagnostics: readonly Diagnostic[], context: ProjectContext): MediaAction[];
  /** Every safe fix of the whole document at once (source.fixAll), validated here. */
  getFixAllEdits(doc: ParsedTemplate, context: ProjectContext, options?: ValidateOptions): TextEdit[];
  findDocumentSymbols(doc: ParsedTemplate): DocumentSymbol[];
  format(text: string, options: FormatOptions, range?: Range): TextEdit[];
  /** The page path or the media id under the cursor, for go to definition. */
  findDefinitionTarget(doc: ParsedTemplate, offset: number): { page: PageSite } | { mediaId: string } | undefined;
  /** Every page path of the template (`pagepath`, `data-miniprogram-path`), for document links. */
  findPageSites(doc: ParsedTemplate): PageSite[];
  /** Where `page` is listed in an app.json text. */
  findPageEntry(appJson: string, page: string): Range | undefined;
  buildPreview(doc: TemplateInput, context: ProjectContext, options?: Omit<PreviewModelOptions, 'locale'>): PreviewModel;
}

export function createLanguageService(options: LanguageServiceOptions = {}): LanguageService {
  const locale: Locale = options.locale ?? 'en';
  return {
    locale,
    parseTemplate,
    doValidation: (doc, context, opts = {}) => validate(doc, context, { ...opts, locale }),
    fileProblem: (name, args, opts = {}) => fileDiagnostic(name, args, { ...opts, locale }),
    notUtf8: (n, opts = {}) => notUtf8Diagnostic(n, { ...opts, locale }),
    doComplete(doc, offset, context, variables) {
      const names = variableCompletions(doc, offset, variables, locale);
      if (names) return { isIncomplete: false, items: names };
      return doCompleteList(doc, offset, context, locale);
    },
    doHover: (doc, offset, context, variables) => variableHover(doc, offset, variables, locale) ?? doHover(doc, offset, context, locale),
    getCodeActions: (doc, diagnostics, context) => getCodeActions(doc, diagnostics, context, locale),
    getMediaActions: (uri, diagnostics, context) => mediaActions(uri, diagnostics, context, locale),
    getFixAllEdits(doc, context, opts = {}) {
      return getFixAllEdits(doc, validate(doc, context, { ...opts, locale }), context);
    },
    findDocumentSymbols: (doc) => documentSymbols(doc),
    format: (text, opts, range) => formatTemplate(text, opts, range),
    findDefinitionTarget(doc, offset) {
      const page = pageSiteAt(doc, offset);
      if (page) return { page };
      const mediaId = mediaIdAt(doc, offset);
      return mediaId ? { mediaId } : undefined;
    },
    findPageSites: (doc) => pageSites(doc),
    findPageEntry: (appJson, page) => pageEntryRange(appJson, page),
    buildPreview: (doc, context, opts = {}) => buildPreviewModel(doc, context, { ...opts, locale }),
  };
}

const byLocale = new Map<Locale, LanguageService>();

/** The shared service of a locale (services hold no state, so one per locale is enough). */
export function getLanguageService(locale: Locale = 'en'): LanguageService {
  let s = byLocale.get(locale);
  if (!s) byLocale.set(locale, (s = createLanguageService({ locale })));
  return s;
}
