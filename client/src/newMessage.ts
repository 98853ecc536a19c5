import * as path from 'node:path';
import * as vscode from 'vscode';
import { MSGTYPE_DOCS } from '../../server/src/core/rules/fields.ts';
import { MSGTYPES, type MsgType } from '../../server/src/core/types.ts';
import { LANGUAGE_ID } from './selector.ts';
import { messageSnippet } from './snippets.ts';

/**
 * "WeChat (wxmsg): New Message…": pick a type, get an untitled `<type>.wxmsg.json` editor (saving
 * writes it next to the active file or in the first workspace folder) filled from the snippet.
 * Takes the type as an argument too, for keybindings and tests; returns the new document's URI.
 */
export async function newMessage(type?: string): Promise<vscode.Uri | undefined> {
  let msgtype: MsgType | undefined = (MSGTYPES as readonly string[]).includes(type ?? '') ? (type as MsgType) : undefined;
  if (!msgtype) {
    const picked = await vscode.window.showQuickPick(
      MSGTYPES.map((t) => ({ label: t, description: MSGTYPE_DOCS[t].zh, detail: MSGTYPE_DOCS[t].en, type: t })),
      { title: vscode.l10n.t('WeChat (wxmsg): New Message'), placeHolder: vscode.l10n.t('Message type (msgtype)') },
    );
    if (!picked) return undefined;
    msgtype = picked.type;
  }
  const uri = await freshUri(msgtype);
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.languageId !== LANGUAGE_ID) await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
  const editor = await vscode.window.showTextDocument(doc);
  await editor.insertSnippet(new vscode.SnippetString(messageSnippet(msgtype).body), new vscode.Position(0, 0));
  return doc.uri;
}

/** An untitled URI with a file path that exists neither on disk nor among open documents. */
async function freshUri(type: MsgType): Promise<vscode.Uri> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const dir = active?.scheme === 'file' && vscode.workspace.getWorkspaceFolder(active)
    ? vscode.Uri.file(path.dirname(active.fsPath))
    : vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri;
  if (!dir) return vscode.Uri.parse(`untitled:${type}-${Date.now()}.wxmsg.json`);
  const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.path));
  for (let n = 1; ; n++) {
    const file = vscode.Uri.joinPath(dir, `${type}${n === 1 ? '' : `-${n}`}.wxmsg.json`);
    if (open.has(file.path)) continue;
    try {
      await vscode.workspace.fs.stat(file);
    } catch {
      return file.with({ scheme: 'untitled' });
    }
  }
}
