import * as vscode from 'vscode';
import { UPLOAD_AGAIN_ERRCODES } from './mediaPolicy.ts';
import { SEND_DIAGNOSTIC_SOURCE } from './resultView.ts';

/**
 * The Upload action on a send result that means "this media_id is no good" (40007 invalid
 * media_id, 46001 media_id does not exist): Ctrl+. on the result offers "Upload Image…" (which
 * writes the new media_id into the template and the media ledger), not a CLI command.
 */
export class UploadActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return context.diagnostics
      .filter((d) => d.source === SEND_DIAGNOSTIC_SOURCE && d.code !== undefined && UPLOAD_AGAIN_ERRCODES.has(typeof d.code === 'object' ? d.code.value : d.code))
      .map((d) => {
        const a = new vscode.CodeAction(vscode.l10n.t('Upload Image…'), vscode.CodeActionKind.QuickFix);
        a.diagnostics = [d];
        a.isPreferred = true;
        a.command = { title: a.title, command: 'wxmsg.uploadImage', arguments: [{ uri: doc.uri.toString() }] };
        return a;
      });
  }
}
