import * as vscode from 'vscode';
import type { LanguageService } from './languageServer.ts';
import { mediaFieldOf } from './mediaPolicy.ts';
import type { SendResults } from './resultView.ts';
import type { ServerDocuments } from '../serverDocuments.ts';

/**
 * CodeLenses on the first line of every template: "Send to OpenID…", the last result
 * ("✓ sent 14:03 to oAb…Xy" / "✗ 45047 …", click: Problems; while sending, click: cancel),
 * and "Upload Image…" for message types that take a media_id. The msgtype comes from the
 * language server's parse (wxmsg/templateInfo), once the server has the document (a didOpen
 * under way is waited for; the lenses are asked again when a restarted server gets it).
 */
export class SendCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subs: vscode.Disposable[];

  constructor(private readonly results: SendResults, private readonly server: Pick<LanguageService, 'templateInfo'>, private readonly documents: ServerDocuments, private readonly onProvide?: () => void) {
    this.subs = [this.changed, results.onDidChange(() => this.changed.fire()), documents.onDidOpen(() => this.changed.fire())];
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
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
    await this.documents.sent(doc.uri);
    const field = mediaFieldOf((await this.server.templateInfo(doc))?.msgtype);
    if (field) {
      lenses.push(new vscode.CodeLens(range, { title: `$(cloud-upload) ${vscode.l10n.t('Upload Image…')}`, command: 'wxmsg.uploadImage', arguments: [arg], tooltip: vscode.l10n.t('Upload an image and write its media_id into {0}', field.join('.')) }));
    }
    return lenses;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
