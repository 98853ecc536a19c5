import { findNodeAtLocation } from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ParsedTemplate } from '../core/parser/document.ts';
import type { TemplateInfoChangedParams, TemplateInfoResult } from './protocol.ts';

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

/**
 * What the client was last told about each open template's msgtype (an answer to
 * `wxmsg/templateInfo` or a `wxmsg/templateInfoChanged`), so a new one is sent only when the
 * msgtype changes: typing inside a template sends nothing.
 */
export class TemplateInfoPush {
  private readonly told = new Map<string, string | undefined>();

  constructor(private readonly send: (params: TemplateInfoChangedParams) => void) {}

  /** After a validation of `uri`: sends the msgtype if the client's copy is missing or differs. */
  update(uri: string, info: TemplateInfoResult): void {
    if (!info) return;
    if (this.told.has(uri) && this.told.get(uri) === info.msgtype) return;
    this.told.set(uri, info.msgtype);
    this.send({ uri, version: info.version, ...(info.msgtype !== undefined ? { msgtype: info.msgtype } : {}) });
  }

  /** The client asked (wxmsg/templateInfo) and got `info`. */
  answered(uri: string, info: TemplateInfoResult): void {
    if (info) this.told.set(uri, info.msgtype);
  }

  /** Closed: the next open starts afresh. */
  forget(uri: string): void {
    this.told.delete(uri);
  }
}
