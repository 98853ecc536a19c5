import * as vscode from 'vscode';
import { MEDIA_FIELDS, msgtypeOf } from './mediaField.ts';
import type { SendResults } from './resultView.ts';

/**
 * CodeLenses on the first line of every template: "Send to OpenID…", the last result
 * ("✓ sent 14:03 to oAb…Xy" / "✗ 45047 …", click: Problems; while sending, click: cancel),
 * and "Upload Image…" for message types that take a media_id.
 */
export class SendCodeLens implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly results: SendResults) {
    this.onDidChangeCodeLenses = results.onDidChange;
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!doc.uri.path.toLowerCase().endsWith('.wxmsg.json')) return [];
    const range = new vscode.Range(0, 0, 0, 0);
    const arg = { uri: doc.uri.toString() };
    const lenses = [new vscode.CodeLens(range, { title: `$(send) ${vscode.l10n.t('Send to OpenID…')}`, command: 'wxmsg.sendToOpenId', arguments: [arg] })];
    const view = this.results.get(doc.uri);
    if (view) {
      lenses.push(new vscode.CodeLens(range, view.state === 'sending'
        ? { title: view.lens, command: 'wxmsg.cancelSend', arguments: [arg], tooltip: vscode.l10n.t('Cancel the send') }
        : { title: view.lens, command: 'workbench.actions.view.problems', tooltip: vscode.l10n.t('WeChat API result: details in Problems') }));
    }
    const type = msgtypeOf(doc.getText());
    if (type && MEDIA_FIELDS[type]) {
      lenses.push(new vscode.CodeLens(range, { title: `$(cloud-upload) ${vscode.l10n.t('Upload Image…')}`, command: 'wxmsg.uploadImage', arguments: [arg], tooltip: vscode.l10n.t('Upload an image and write its media_id into {0}', MEDIA_FIELDS[type].join('.')) }));
    }
    return lenses;
  }
}
