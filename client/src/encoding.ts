import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { DOCUMENT_ENCODING_NOTIFICATION, type DocumentEncodingParams } from '../../server/src/lsp/protocol.ts';
import { SELECTOR } from './selector.ts';

/**
 * The encoding VS Code decoded a document with: `TextDocument.encoding`, in VS Code since the
 * API was finalized (1.100-ish). @types/vscode is older than that, so it is read dynamically;
 * an older VS Code has none, and the server then relies on U+FFFD in the text alone.
 */
export function documentEncoding(doc: vscode.TextDocument): string | undefined {
  const e = (doc as { encoding?: unknown }).encoding;
  return typeof e === 'string' && e ? e : undefined;
}

/**
 * Tells the server the encoding of each template (wxmsg/documentEncoding): before its didOpen
 * (the middleware calls `report` first), and again when VS Code reports a change (Reopen or
 * Save with Encoding fire onDidChangeTextDocument, often with no content change, which the
 * language client does not forward).
 */
export class DocumentEncodings implements vscode.Disposable {
  private readonly sent = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => void this.report(e.document)),
      vscode.workspace.onDidSaveTextDocument((d) => void this.report(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.sent.delete(d.uri.toString())),
    );
  }

  /** Called when the client (re)starts: a new server knows nothing yet. */
  watch(lc: LanguageClient): void {
    this.disposables.push(lc.onDidChangeState((e) => { if (e.newState !== State.Running) this.sent.clear(); }));
  }

  async report(doc: vscode.TextDocument): Promise<void> {
    const lc = this.client();
    const encoding = documentEncoding(doc);
    if (!lc || !encoding || !vscode.languages.match(SELECTOR, doc)) return;
    const key = doc.uri.toString();
    if (this.sent.get(key) === encoding) return;
    this.sent.set(key, encoding);
    const params: DocumentEncodingParams = { uri: lc.code2ProtocolConverter.asUri(doc.uri), encoding };
    try {
      await lc.sendNotification(DOCUMENT_ENCODING_NOTIFICATION, params);
    } catch {
      this.sent.delete(key);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
