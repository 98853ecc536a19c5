import { findNodeAtLocation } from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ParsedTemplate } from '../core/parser/document.ts';
import type { TemplateInfoResult } from './protocol.ts';

/**
 * `wxmsg/templateInfo`: the top-level `msgtype` of an open template, from the parse the other
 * features share (no parse of its own). Found as jsonc-parser's findNodeAtLocation finds it (the
 * first `msgtype` property with a value), which is how the extension found it before.
 */
export function templateInfoOf(t: { doc: TextDocument; parsed: ParsedTemplate } | undefined): TemplateInfoResult {
  if (!t) return null;
  const node = t.parsed.root ? findNodeAtLocation(t.parsed.root, ['msgtype']) : undefined;
  return { version: t.doc.version, ...(node?.type === 'string' && typeof node.value === 'string' ? { msgtype: node.value } : {}) };
}
