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
 * server has the document (a didOpen under way is waited for), and answers at once meanwhile
 * (see ask()). A (re)opened document starts afresh, and the lenses are asked again when a
 * restarted server gets it. A new report makes
 * VS Code ask again only when it changes the lenses (text → textx does not; text → image does).
 */
export class SendCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subs: vscode.Disposable[];
  private readonly infos = new Map<string, Info>();
  /** Templates whose msgtype has been asked for and not answered yet. */
  private readonly asking = new Set<string>();

  constructor(
    private readonly results: SendResults,
    private readonly server: Pick<LanguageService, 'templateInfo' | 'onTemplateInfo'>,
    private readonly documents: ServerDocuments,
    /** Counts each lens request VS Code makes ('codeLens') and each round trip to the server it costs ('templateInfo'). */
    private readonly count?: (work: 'codeLens' | 'templateInfo') => void,
  ) {
    this.subs = [
      this.changed,
      results.onDidChange(() => this.changed.fire()),
      // (Re)opened: what the server said about an earlier copy does not count.
      documents.onDidOpen((doc) => {
        this.infos.delete(doc.uri.toString());
        this.changed.fire();
      }),
      server.onTemplateInfo((uri, info) => {
        const key = uri.toString();
        const before = this.infos.get(key);
        if (before && before.version > info.version) return;
        this.infos.set(key, info);
        // VS Code asks again only when the lenses change (text → textx: no; text → image: yes).
        if (!before || mediaFieldOf(before.msgtype) !== mediaFieldOf(info.msgtype)) this.changed.fire();
      }),
    ];
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!doc.uri.path.toLowerCase().endsWith('.wxmsg.json')) return [];
    this.count?.('codeLens');
    const range = new vscode.Range(0, 0, 0, 0);
    const arg = { uri: doc.uri.toString() };
    const lenses = [new vscode.CodeLens(range, { title: `$(send) ${vscode.l10n.t('Send to OpenID…')}`, command: 'wxmsg.sendToOpenId', arguments: [arg] })];
    const view = this.results.get(doc.uri);
    if (view) {
      lenses.push(new vscode.CodeLens(range, view.state === 'sending'
        ? { title: view.lens, command: 'wxmsg.cancelSend', arguments: [arg], tooltip: vscode.l10n.t('Cancel the send') }
        : { title: view.lens, command: 'workbench.actions.view.problems', tooltip: vscode.l10n.t('WeChat API result: details in Problems') }));
    }
    const info = this.infos.get(doc.uri.toString());
    if (!info) this.ask(doc);
    const field = mediaFieldOf(info?.msgtype);
    if (field) {
      lenses.push(new vscode.CodeLens(range, { title: `$(cloud-upload) ${vscode.l10n.t('Upload Image…')}`, command: 'wxmsg.uploadImage', arguments: [arg], tooltip: vscode.l10n.t('Upload an image and write its media_id into {0}', field.join('.')) }));
    }
    return lenses;
  }

  /**
   * Asks the server for the msgtype of a template it has not reported yet, without holding the
   * lenses up: VS Code times every provideCodeLenses and waits that long (a running average,
   * across documents) after each edit before asking again. One that waited for a starting
   * server took seconds, and VS Code then asked no more while the user typed. The answer, when
   * it brings the Upload lens, makes VS Code ask again.
   */
  private ask(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (this.asking.has(key)) return;
    this.asking.add(key);
    this.count?.('templateInfo');
    void this.documents.sent(doc.uri).then(() => this.server.templateInfo(doc)).then((answer) => {
      // Kept unless a report of a newer version came meanwhile.
      if (answer && !this.infos.has(key)) {
        this.infos.set(key, answer);
        if (mediaFieldOf(answer.msgtype)) this.changed.fire();
      }
    }, () => undefined).finally(() => this.asking.delete(key));
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
