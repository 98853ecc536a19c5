import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  PROJECT_CHANGED_NOTIFICATION, SERVER_STATUS_NOTIFICATION, STATUS_REQUEST, looksLikeAppid, type ServerStatusParams, type StatusParams, type StatusResult,
} from '../../server/src/lsp/protocol.ts';
import { SELECTOR } from './selector.ts';

/**
 * The language status item ({} in the status bar next to the language mode): the appid
 * validation uses for the active template and where it came from, and whether the server is
 * healthy. Clicking it opens the output channel.
 */
export class ServerStatus implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem('wxmsg.status', SELECTOR);
  private readonly disposables: vscode.Disposable[] = [];
  private running = false;
  private degraded: string | undefined;
  private seq = 0;

  /** `onRefresh` counts the refreshes (WeChat (wxmsg): Show Editor Latency reports them). */
  constructor(private readonly client: LanguageClient, private readonly onRefresh?: () => void) {
    this.item.name = 'wxmsg';
    this.item.command = { title: vscode.l10n.t('Show Output'), command: 'wxmsg.showOutput' };
    this.item.text = vscode.l10n.t('wxmsg: starting');
    this.item.busy = true;
    this.disposables.push(
      client.onDidChangeState((e) => {
        this.running = e.newState === State.Running;
        if (e.newState === State.Starting) this.degraded = undefined;
        void this.refresh();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => void this.refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('wxmsg')) void this.refresh(); }),
    );
    for (const glob of ['**/project.config.json', '**/app.json']) {
      const w = vscode.workspace.createFileSystemWatcher(glob);
      this.disposables.push(w, w.onDidChange(() => void this.refresh()), w.onDidCreate(() => void this.refresh()), w.onDidDelete(() => void this.refresh()));
    }
  }

  /** Called once the client runs: the server's own health notifications. */
  listen(): void {
    this.disposables.push(
      this.client.onNotification(SERVER_STATUS_NOTIFICATION, (p: ServerStatusParams) => {
        this.degraded = p.health === 'degraded' ? (p.lastError ?? 'internal error') : undefined;
        void this.refresh();
      }),
      // Settings or project files changed and the server revalidates: ask again, so the item
      // never shows an appid the diagnostics no longer use. Not on every diagnostics change:
      // typing changes diagnostics at each keystroke, and the item with them would be work the
      // user did not ask for.
      this.client.onNotification(PROJECT_CHANGED_NOTIFICATION, () => void this.refresh()),
    );
  }

  async refresh(): Promise<void> {
    const mine = ++this.seq;
    this.onRefresh?.();
    if (!this.running) {
      this.item.busy = this.client.state === State.Starting;
      this.item.text = this.item.busy ? vscode.l10n.t('wxmsg: starting') : `$(error) ${vscode.l10n.t('wxmsg: server stopped')}`;
      this.item.detail = vscode.l10n.t('Run "{0}"', vscode.l10n.t('WeChat (wxmsg): Restart Server'));
      this.item.severity = this.item.busy ? vscode.LanguageStatusSeverity.Information : vscode.LanguageStatusSeverity.Error;
      return;
    }
    const doc = vscode.window.activeTextEditor?.document;
    const params: StatusParams = doc ? { uri: this.client.code2ProtocolConverter.asUri(doc.uri) } : {};
    let s: StatusResult | undefined;
    try {
      s = await this.client.sendRequest<StatusResult | undefined>(STATUS_REQUEST, params);
    } catch {
      s = undefined;
    }
    if (mine !== this.seq) return; // a newer refresh is under way
    this.item.busy = false;
    const health = this.degraded ?? (s?.health === 'degraded' ? s.lastError : undefined);
    if (!s) {
      this.item.text = '$(warning) wxmsg';
      this.item.detail = vscode.l10n.t('The server did not answer {0}', STATUS_REQUEST);
      this.item.severity = vscode.LanguageStatusSeverity.Warning;
      return;
    }
    const where = s.appidSource === 'setting' ? vscode.l10n.t('from wxmsg.appid')
      : s.appidSource === 'project.config.json' ? vscode.l10n.t('from project.config.json')
      : vscode.l10n.t('set wxmsg.appid or add project.config.json');
    this.item.text = s.appid ? vscode.l10n.t('appid {0}', s.appid) : vscode.l10n.t('appid unknown');
    const pages = s.appJson ? vscode.l10n.t('{0} pages', s.pageCount ?? 0) : vscode.l10n.t('no app.json');
    // Kept short: the status hover shows one line. The full story is in the output channel.
    this.item.detail = [where, pages, ...s.problems, health ? vscode.l10n.t('server error: {0}', health) : ''].filter(Boolean).join(' · ');
    this.item.severity = health || !s.appid || s.problems.length || (s.appid && !looksLikeAppid(s.appid))
      ? vscode.LanguageStatusSeverity.Warning
      : vscode.LanguageStatusSeverity.Information;
  }

  dispose(): void {
    this.item.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
