import * as vscode from 'vscode';
import type { SendView } from './present.ts';

/**
 * The send result inline: one diagnostic (source "WeChat API", collection 'wxmsg-send') on the
 * `msgtype` line, plus the view the CodeLens shows. Setting a view replaces the previous one,
 * so a failed send never leaves an old success behind; editing the document clears a finished
 * result (it described text that no longer exists). Created at activation (the CodeLens reads
 * it), so it parses nothing itself: the send code, loaded on first use, gives the line.
 */
export const SEND_DIAGNOSTIC_SOURCE = 'WeChat API';

const SEVERITY: Record<NonNullable<SendView['severity']>, vscode.DiagnosticSeverity> = {
  info: vscode.DiagnosticSeverity.Information,
  warning: vscode.DiagnosticSeverity.Warning,
  error: vscode.DiagnosticSeverity.Error,
};

export class SendResults implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('wxmsg-send');
  private readonly views = new Map<string, SendView>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      this.diagnostics,
      this.changed,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!e.contentChanges.length) return;
        const view = this.views.get(e.document.uri.toString());
        if (view && view.state !== 'sending') this.clear(e.document.uri);
      }),
      // A closed file may change on disk before it is opened again: its result would be stale.
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (this.views.get(doc.uri.toString())?.state !== 'sending') this.clear(doc.uri);
      }),
    ];
  }

  get(uri: vscode.Uri): SendView | undefined {
    return this.views.get(uri.toString());
  }

  /** `line`: the 0-based line of the diagnostic (the `msgtype` line, resultLine() in present.ts). */
  set(doc: vscode.TextDocument, view: SendView, line: number): void {
    this.views.set(doc.uri.toString(), view);
    if (view.severity && view.message) {
      const at = Math.min(Math.max(0, line), Math.max(0, doc.lineCount - 1));
      const d = new vscode.Diagnostic(doc.lineAt(at).range, view.message, SEVERITY[view.severity]);
      d.source = SEND_DIAGNOSTIC_SOURCE;
      if (view.code !== undefined) d.code = view.code;
      this.diagnostics.set(doc.uri, [d]);
    } else {
      this.diagnostics.delete(doc.uri);
    }
    this.changed.fire();
  }

  clear(uri: vscode.Uri): void {
    const had = this.views.delete(uri.toString());
    this.diagnostics.delete(uri);
    if (had) this.changed.fire();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
