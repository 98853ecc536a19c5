import * as vscode from 'vscode';
import { openIdOf, ridLine, type EditorHistoryEntry, type SendHistory } from './history.ts';

/**
 * "WeChat Sends" in the Explorer: the workspace's send history, newest first. Each entry can be
 * sent again, open its template, be copied as curl (token as ACCESS_TOKEN) or copy its rid.
 * Registered at activation; copying as curl asks the language server to prepare the template,
 * which the send code (loaded on first use) does: `copyCurl`.
 */
export const SENDS_VIEW = 'wxmsg.sends';

export class SendsTree implements vscode.TreeDataProvider<EditorHistoryEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: { dispose(): void };

  constructor(private readonly history: SendHistory) {
    this.sub = history.onDidChange(() => this.changed.fire());
  }

  getChildren(e?: EditorHistoryEntry): EditorHistoryEntry[] {
    return e ? [] : this.history.list();
  }

  getTreeItem(e: EditorHistoryEntry): vscode.TreeItem {
    const ok = e.status === 'sent';
    const time = e.time.slice(11, 19);
    const name = e.template.split('/').pop() ?? e.template;
    const item = new vscode.TreeItem(`${ok ? '✓' : '✗'} ${time} ${name} → ${e.alias ?? e.to}`);
    item.id = e.id;
    item.description = e.errcode !== null ? `errcode ${e.errcode}${e.rid ? ` · rid ${e.rid}` : ''}` : statusText(e.status);
    item.tooltip = new vscode.MarkdownString([
      `**${e.template}**`,
      `${e.time} · ${e.latencyMs} ms`,
      `${vscode.l10n.t('to')} ${e.to}${e.alias ? ` (${e.alias})` : ''} · appid ${e.appid ?? '—'}${e.profile ? ` · ${e.profile}` : ''} · ${e.apiHost}`,
      `errcode ${e.errcode ?? '—'} ${e.errmsg ?? statusText(e.status)}`,
      e.rid ? `rid \`${e.rid}\`` : '',
      e.payloadHash,
    ].filter(Boolean).join('\n\n'));
    item.iconPath = new vscode.ThemeIcon(ok ? 'pass' : 'error');
    item.contextValue = 'wxmsg.send';
    item.command = { command: 'wxmsg.sends.openTemplate', title: vscode.l10n.t('Open Template'), arguments: [e] };
    return item;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}


/** The status of a send WeChat did not answer (sendRecord.ts: no errcode), in the display language. */
const statusText = (s: string): string => (s === 'not-sent' ? vscode.l10n.t('not sent') : s === 'delivery-unknown' ? vscode.l10n.t('delivery unknown') : s);

export function entryOf(history: SendHistory, a: unknown): EditorHistoryEntry | undefined {
  const id = a && typeof a === 'object' && typeof (a as { id?: unknown }).id === 'string' ? (a as { id: string }).id : undefined;
  return id ? history.get(id) : history.list()[0];
}

export function registerSendsView(
  context: vscode.ExtensionContext,
  history: SendHistory,
  recentOpenIds: () => readonly string[],
  copyCurl: (e: EditorHistoryEntry) => Promise<string | undefined>,
): void {
  const tree = new SendsTree(history);
  context.subscriptions.push(
    tree,
    vscode.window.createTreeView(SENDS_VIEW, { treeDataProvider: tree }),
    vscode.commands.registerCommand('wxmsg.sends.resend', async (a?: unknown) => {
      const e = entryOf(history, a);
      if (!e) return undefined;
      // The OpenID is kept masked: the recent OpenIDs tell which one it was, else it is asked.
      return vscode.commands.executeCommand('wxmsg.sendToOpenId', { uri: e.templateUri, openId: openIdOf(e, recentOpenIds()) });
    }),
    vscode.commands.registerCommand('wxmsg.sends.openTemplate', async (a?: unknown) => {
      const e = entryOf(history, a);
      if (e) await vscode.window.showTextDocument(vscode.Uri.parse(e.templateUri));
    }),
    vscode.commands.registerCommand('wxmsg.sends.copyCurl', async (a?: unknown) => {
      const e = entryOf(history, a);
      if (!e) return undefined;
      return copyCurl(e);
    }),
    vscode.commands.registerCommand('wxmsg.sends.copyRid', async (a?: unknown) => {
      const e = entryOf(history, a);
      if (!e) return undefined;
      const line = ridLine(e);
      void Promise.resolve(vscode.env.clipboard.writeText(line)).catch(() => undefined);
      return line;
    }),
    vscode.commands.registerCommand('wxmsg.sends.clear', () => history.clear()),
    vscode.commands.registerCommand('wxmsg.sends.list', () => history.list()),
  );
}
