import * as vscode from 'vscode';
import type { LanguageService } from './languageServer.ts';
import { mediaFieldOf } from './mediaPolicy.ts';
import type { SendResults } from './resultView.ts';
import type { ServerDocuments } from '../serverDocuments.ts';

/** A template's msgtype as the language server last reported it. */
interface Info {
  version: number;
  msgtype?: string;
}

/**
 * CodeLenses on the first line of every template: "Send to OpenID…", the last result
 * ("✓ sent 14:03 to oAb…Xy" / "✗ 45047 …", click: Problems; while sending, click: cancel),
 * and "Upload Image…" for message types that take a media_id.
 *
 * The msgtype comes from the language server's parse. The server reports it after a validation
 * whenever it changed (wxmsg/templateInfoChanged), and the lens keeps the last report per
 * document: VS Code asks for the lenses again after every pause in typing, and that costs no
 * round trip. Only a lens asked before any report asks the server (wxmsg/templateInfo), once the
 * server has the document (a didOpen under way is waited for). A (re)opened document starts
 * afresh, and the lenses are asked again when a restarted server gets it. A new report makes
 * VS Code ask again only when it changes the lenses (text → textx does not; text → image does).
 */
export class SendCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subs: vscode.Disposable[];
  private readonly infos = new Map<string, Info>();

  constructor(
    private readonly results: SendResults,
    private readonly server: Pick<LanguageService, 'templateInfo' | 'onTemplateInfo'>,
    private readonly documents: ServerDocuments,
    /** Called per lens request VS Code makes, and per round trip to the server it costs. */
    private readonly count?: { provide?: () => void; ask?: () => void },
  ) {
    this.subs = [
      this.changed,
      results.onDidChange(() => this.changed.fire()),
      documents.onDidOpen((doc) => {
        this.infos.delete(doc.uri.toString());
        this.changed.fire();
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.infos.delete(doc.uri.toString())),
      server.onTemplateInfo((uri, info) => this.learn(uri.toString(), info, true)),
    ];
  }

  /** Keeps `info` unless a newer version is known; with `refresh`, re-asks VS Code if the lenses change. */
  private learn(key: string, info: Info, refresh: boolean): void {
    const before = this.infos.get(key);
    if (before && before.version > info.version) return;
    this.infos.set(key, info);
    if (refresh && (!before || mediaFieldOf(before.msgtype) !== mediaFieldOf(info.msgtype))) this.changed.fire();
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!doc.uri.path.toLowerCase().endsWith('.wxmsg.json')) return [];
    this.count?.provide?.();
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
    const key = doc.uri.toString();
    let info: Info | null | undefined = this.infos.get(key);
    if (!info) {
      this.count?.ask?.();
      info = await this.server.templateInfo(doc);
      if (info) this.learn(key, info, false);
    }
    const field = mediaFieldOf(info?.msgtype);
    if (field) {
      lenses.push(new vscode.CodeLens(range, { title: `$(cloud-upload) ${vscode.l10n.t('Upload Image…')}`, command: 'wxmsg.uploadImage', arguments: [arg], tooltip: vscode.l10n.t('Upload an image and write its media_id into {0}', field.join('.')) }));
    }
    return lenses;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
