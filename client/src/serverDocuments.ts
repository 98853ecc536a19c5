import * as vscode from 'vscode';

/**
 * Documents on their way to the language server. The client's didOpen waits for the encoding
 * report first (encoding.ts), so a request about a document just opened could reach the server
 * before the document does: what asks about one (the CodeLens) waits for its didOpen here, and
 * is told when a document has been sent (again, after a server restart).
 */
export class ServerDocuments implements vscode.Disposable {
  private readonly pending = new Map<string, Promise<void>>();
  private readonly emitter = new vscode.EventEmitter<vscode.TextDocument>();
  /** A document's didOpen has been sent: what the server answers about it is current now. */
  readonly onDidOpen = this.emitter.event;

  /** Runs the client's didOpen (`send`) for `doc`, remembered until it has been sent. */
  async open(doc: vscode.TextDocument, send: () => Promise<void>): Promise<void> {
    const key = doc.uri.toString();
    const sending = send();
    this.pending.set(key, sending);
    try {
      await sending;
    } finally {
      if (this.pending.get(key) === sending) this.pending.delete(key);
      this.emitter.fire(doc);
    }
  }

  /** Resolves once a didOpen of `uri` under way has been sent or failed; at once when none is. */
  sent(uri: vscode.Uri): Promise<void> {
    return (this.pending.get(uri.toString()) ?? Promise.resolve()).catch(() => undefined);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
