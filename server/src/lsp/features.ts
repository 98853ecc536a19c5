import {
  CodeActionKind, type CodeAction as LspCodeAction, type CodeActionParams, type CompletionItem as LspCompletionItem,
  type CompletionParams, type DocumentFormattingParams, type DocumentRangeFormattingParams, type DocumentSymbol as LspDocumentSymbol,
  type DocumentSymbolParams, type Hover as LspHover, type HoverParams, type TextDocuments, type TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { catalog } from '../core/l10n/catalog.ts';
import type { CodeAction, TextEdit } from '../core/languageTypes.ts';
import { getLanguageService, type LanguageService, type ParsedTemplate } from '../core/languageService.ts';
import { LIMITS } from '../core/rules/codes.ts';
import { mayHaveVariables, type VariableValues } from '../core/rules/variables.ts';
import type { Diagnostic, Locale, ProjectContext } from '../core/types.ts';
import { FIX_ALL_KIND, type WxmsgSettings } from './protocol.ts';

/** What the feature handlers need from the server: documents, settings and project context. */
export interface FeatureHost {
  documents: TextDocuments<TextDocument>;
  locale: Locale;
  isTemplate(doc: TextDocument): boolean;
  settings(uri: string): Promise<WxmsgSettings>;
  context(uri: string, settings: WxmsgSettings): ProjectContext;
  /** Values of template variables known for a document (its *.vars.json, the profile). */
  variables?(uri: string): VariableValues | undefined;
  /** The encoding the client decoded the document with, when it reported one. */
  encoding(uri: string): string | undefined;
}

/**
 * The LSP handlers: each one is a thin adapter from protocol params to a pure core function
 * (completion.ts, hover.ts, …) over the document parsed once per text.
 */
export class Features {
  /**
   * The last parse of each document, keyed on its text, not its version: a client may re-open
   * a document, or send a change, under a version it used before, and a parse of other text
   * would put hovers, symbols and quick-fix edits on the wrong characters.
   */
  private readonly parsed = new Map<string, { text: string; parsed: ParsedTemplate }>();

  constructor(private readonly host: FeatureHost) {}

  /** The language service of the client's locale (known after `initialize`, so looked up per call). */
  get service(): LanguageService {
    return getLanguageService(this.host.locale);
  }

  /** The open template at `uri`, parsed; undefined for non-templates and oversized files. */
  template(uri: string): { doc: TextDocument; parsed: ParsedTemplate } | undefined {
    const doc = this.host.documents.get(uri);
    if (!doc || !this.host.isTemplate(doc)) return undefined;
    const parsed = this.parse(doc);
    return parsed && { doc, parsed };
  }

  /** `doc`'s current text, parsed once per distinct text (comparing a text with itself is O(1)). */
  private parse(doc: TextDocument): ParsedTemplate | undefined {
    const text = doc.getText();
    const cached = this.parsed.get(doc.uri);
    if (cached && cached.text === text) return cached.parsed;
    if (text.length > LIMITS.maxFileChars) return undefined;
    const parsed = this.service.parseTemplate(text);
    this.parsed.set(doc.uri, { text, parsed });
    return parsed;
  }

  forget(uri: string): void {
    this.parsed.delete(uri);
  }

  async validate(doc: TextDocument): Promise<Diagnostic[] | undefined> {
    if (!this.host.isTemplate(doc)) return undefined;
    const settings = await this.host.settings(doc.uri);
    const context = this.host.context(doc.uri, settings);
    const options = { severities: settings.rules, encoding: this.host.encoding(doc.uri), emptyFileHint: true, mediaPlaceholderHint: true, variables: this.variables(doc) };
    // The text as it is now (the settings may have taken a while); oversized text is not
    // parsed: doValidation() answers with file-too-large from the length alone.
    return this.service.doValidation(this.parse(doc) ?? doc.getText(), context, options);
  }

  /** Variables only matter to a template with `{{`: nothing is read for the others. */
  private variables(doc: TextDocument): VariableValues | undefined {
    return mayHaveVariables(doc.getText()) ? this.host.variables?.(doc.uri) : undefined;
  }

  async completion(params: CompletionParams): Promise<LspCompletionItem[] | { isIncomplete: boolean; items: LspCompletionItem[] }> {
    const t = this.template(params.textDocument.uri);
    if (!t) return [];
    const offset = t.doc.offsetAt(params.position);
    const context = this.host.context(t.doc.uri, await this.host.settings(t.doc.uri));
    const r = this.service.doComplete(t.parsed, offset, context, this.host.variables?.(t.doc.uri));
    // A plain array unless the client must ask again as the user types.
    return r.isIncomplete ? { isIncomplete: true, items: r.items as LspCompletionItem[] } : r.items as LspCompletionItem[];
  }

  async hover(params: HoverParams): Promise<LspHover | null> {
    const t = this.template(params.textDocument.uri);
    if (!t) return null;
    const offset = t.doc.offsetAt(params.position);
    const context = this.host.context(t.doc.uri, await this.host.settings(t.doc.uri));
    return (this.service.doHover(t.parsed, offset, context, this.variables(t.doc)) as LspHover | undefined) ?? null;
  }

  async codeActions(params: CodeActionParams): Promise<LspCodeAction[]> {
    const t = this.template(params.textDocument.uri);
    if (!t) return [];
    const uri = t.doc.uri;
    const settings = await this.host.settings(uri);
    const context = this.host.context(uri, settings);
    const only = params.context.only;
    const wants = (kind: string): boolean => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
    const ours = (params.context.diagnostics as unknown as Diagnostic[]).filter((d) => d.source === 'wxmsg');
    const out: LspCodeAction[] = [];
    if (wants(CodeActionKind.QuickFix) && ours.length) {
      for (const a of this.service.getCodeActions(t.parsed, ours, context)) out.push(toLsp(uri, a));
      for (const a of this.service.getMediaActions(uri, ours, context)) out.push(a as unknown as LspCodeAction);
    }
    if (wants(FIX_ALL_KIND)) {
      // Fix-all looks at the whole document, not the client's diagnostics for a range.
      const edits = this.service.getFixAllEdits(t.parsed, context, { severities: settings.rules, variables: this.variables(t.doc) });
      if (edits.length) {
        out.push({
          title: catalog(this.host.locale).lsp.fixAll,
          kind: FIX_ALL_KIND,
          edit: { changes: { [uri]: edits as LspTextEdit[] } },
        });
      }
    }
    return out.filter((a) => !a.kind || wants(a.kind));
  }

  symbols(params: DocumentSymbolParams): LspDocumentSymbol[] {
    const t = this.template(params.textDocument.uri);
    return t ? (this.service.findDocumentSymbols(t.parsed) as LspDocumentSymbol[]) : [];
  }

  format(params: DocumentFormattingParams | DocumentRangeFormattingParams): LspTextEdit[] {
    const t = this.template(params.textDocument.uri);
    if (!t) return [];
    const range = 'range' in params ? params.range : undefined;
    return this.service.format(t.doc.getText(), { tabSize: params.options.tabSize, insertSpaces: params.options.insertSpaces }, range) as LspTextEdit[];
  }
}

/** The core's code actions carry edits for "this document"; LSP wants a WorkspaceEdit. */
function toLsp(uri: string, a: CodeAction): LspCodeAction {
  const { edits, ...rest } = a as CodeAction & { edits?: TextEdit[] };
  const out = rest as unknown as LspCodeAction;
  if (edits) out.edit = { changes: { [uri]: edits as LspTextEdit[] } };
  return out;
}
