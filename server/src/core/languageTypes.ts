// Results of the language features, shaped like vscode-languageserver-types so the LSP shell can
// return them as they are, while the core stays free of LSP packages. Numeric kinds are LSP's.
import type { Diagnostic, Range } from './types.ts';

export type { Diagnostic, Position, Range } from './types.ts';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface MarkupContent {
  kind: 'markdown' | 'plaintext';
  value: string;
}

export const CompletionItemKind = {
  Text: 1, Method: 2, Function: 3, Constructor: 4, Field: 5, Variable: 6, Class: 7, Interface: 8,
  Module: 9, Property: 10, Unit: 11, Value: 12, Enum: 13, Keyword: 14, Snippet: 15, Color: 16,
  File: 17, Reference: 18, Folder: 19, EnumMember: 20, Constant: 21, Struct: 22, Event: 23,
  Operator: 24, TypeParameter: 25,
} as const;
export type CompletionItemKind = (typeof CompletionItemKind)[keyof typeof CompletionItemKind];

export const InsertTextFormat = { PlainText: 1, Snippet: 2 } as const;
export type InsertTextFormat = (typeof InsertTextFormat)[keyof typeof InsertTextFormat];

export interface Command {
  title: string;
  command: string;
  arguments?: unknown[];
}

export interface CompletionItem {
  label: string;
  kind?: CompletionItemKind;
  detail?: string;
  documentation?: MarkupContent;
  sortText?: string;
  /** Selected first in the list (the msgtype matching the body present). */
  preselect?: boolean;
  /** What the client filters on; the quoted form for JSON values, whose edit range includes the quotes. */
  filterText?: string;
  insertTextFormat?: InsertTextFormat;
  textEdit?: TextEdit;
  additionalTextEdits?: TextEdit[];
  /** E.g. `editor.action.triggerSuggest` after inserting a key whose value has completions. */
  command?: Command;
}

export interface Hover {
  contents: MarkupContent;
  range?: Range;
}

export const CodeActionKind = {
  QuickFix: 'quickfix',
  SourceFixAll: 'source.fixAll',
  /** The kind the server offers for "fix all wxmsg problems" (editor.codeActionsOnSave). */
  SourceFixAllWxmsg: 'source.fixAll.wxmsg',
} as const;

/**
 * A quick fix on the one document it was computed for. LSP's CodeAction carries a WorkspaceEdit
 * keyed by URI, which the core does not know: the LSP shell wraps `edits` as
 * `{ edit: { changes: { [uri]: edits } } }`.
 */
export interface CodeAction {
  title: string;
  kind: 'quickfix';
  diagnostics: Diagnostic[];
  isPreferred?: boolean;
  edits: TextEdit[];
}

export const SymbolKind = {
  File: 1, Module: 2, Namespace: 3, Package: 4, Class: 5, Method: 6, Property: 7, Field: 8,
  Constructor: 9, Enum: 10, Interface: 11, Function: 12, Variable: 13, Constant: 14, String: 15,
  Number: 16, Boolean: 17, Array: 18, Object: 19, Key: 20, Null: 21, EnumMember: 22, Struct: 23,
  Event: 24, Operator: 25, TypeParameter: 26,
} as const;
export type SymbolKind = (typeof SymbolKind)[keyof typeof SymbolKind];

export interface DocumentSymbol {
  name: string;
  detail?: string;
  kind: SymbolKind;
  range: Range;
  selectionRange: Range;
  children?: DocumentSymbol[];
}
