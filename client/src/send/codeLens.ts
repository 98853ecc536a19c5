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
  /** The msgtype of the last text seen per document: VS Code asks again after every edit. */
  private readonly types = new Map<string, { version: number; type: string | undefined }>();

  /** `onProvide` counts the requests (WeChat (wxmsg): Show Editor Latency reports them). */
  constructor(private readonly results: SendResults, private readonly onProvide?: () => void) {
    this.onDidChangeCodeLenses = results.onDidChange;
  }

  private msgtype(doc: vscode.TextDocument): string | undefined {
    const key = doc.uri.toString();
    const known = this.types.get(key);
    if (known && known.version === doc.version) return known.type;
    const type = msgtypeOf(doc.getText());
    this.types.set(key, { version: doc.version, type });
    if (this.types.size > 64) this.types.delete(this.types.keys().next().value!);
    return type;
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!doc.uri.path.toLowerCase().endsWith('.wxmsg.json')) return [];
    this.onProvide?.();
    const range = new vscode.Range(0, 0, 0, 0);
    const arg = { uri: doc.uri.toString() };
    const lenses = [new vscode.CodeLens(range, { title: `$(send) ${vscode.l10n.t('Send to OpenID…')}`, command: 'wxmsg.sendToOpenId', arguments: [arg] })];
    const view = this.results.get(doc.uri);
    if (view) {
      lenses.push(new vscode.CodeLens(range, view.state === 'sending'
        ? { title: view.lens, command: 'wxmsg.cancelSend', arguments: [arg], tooltip: vscode.l10n.t('Cancel the send') }
        : { title: view.lens, command: 'workbench.actions.view.problems', tooltip: vscode.l10n.t('WeChat API result: details in Problems') }));
    }
    const type = this.msgtype(doc);
    if (type && MEDIA_FIELDS[type]) {
      lenses.push(new vscode.CodeLens(range, { title: `$(cloud-upload) ${vscode.l10n.t('Upload Image…')}`, command: 'wxmsg.uploadImage', arguments: [arg], tooltip: vscode.l10n.t('Upload an image and write its media_id into {0}', MEDIA_FIELDS[type].join('.')) }));
    }
    return lenses;
  }
}
