import * as vscode from 'vscode';
import { readApiSettings } from './apiConfig.ts';
import { appidFor, targetDocument, isTemplate, type SendUi } from './ui.ts';

/**
 * "WeChat: Set Typing…" (setTyping) and "WeChat: Download Temp Media…" (getTempMedia), with the
 * same credentials, API base URL and redaction as sending. Arguments skip the dialogs (tests).
 */
export interface TypingArgs { uri?: string; appid?: string; openId?: string; on?: boolean }
export interface MediaArgs { uri?: string; appid?: string; mediaId?: string; file?: string }

export async function setTyping(ui: SendUi, args: TypingArgs = {}): Promise<{ ok: boolean; message: string } | undefined> {
  const doc = await targetDocument(args.uri);
  const appid = await appidFor(ui.server, isTemplate(doc) ? doc.uri : undefined, args.appid);
  if (!appid) return undefined;
  const api = readApiSettings((l) => ui.log(l));
  if (!api.ok) { void ui.showError(vscode.l10n.t('Not set: {0}.', api.why)); return undefined; }
  let openId = args.openId?.trim();
  if (!openId) {
    const recent = ui.service.recentOpenIds();
    openId = (await vscode.window.showInputBox({
      title: vscode.l10n.t('WeChat: Set Typing — OpenID'), prompt: vscode.l10n.t('The user who sees "typing…" (a message must have been exchanged with them in the last 30 s)'),
      value: recent[0] ?? '', ignoreFocusOut: true, validateInput: (x) => (x.trim() ? undefined : vscode.l10n.t('an OpenID')),
    }))?.trim();
  }
  if (!openId) return undefined;
  let on = args.on;
  if (on === undefined) {
    const pick = await vscode.window.showQuickPick([
      { label: 'Typing', description: vscode.l10n.t('show "typing…" (15 s, or until a message is sent)'), on: true },
      { label: 'CancelTyping', description: vscode.l10n.t('hide it'), on: false },
    ], { title: vscode.l10n.t('WeChat: Set Typing') });
    if (!pick) return undefined;
    on = pick.on;
  }
  const r = await ui.service.typing(openId, on ? 'Typing' : 'CancelTyping', appid, api.api);
  if (r.ok) void vscode.window.showInformationMessage(r.message);
  else void ui.showError(r.message);
  return r;
}

export async function downloadMedia(ui: SendUi, args: MediaArgs = {}): Promise<{ ok: boolean; message: string; file?: string } | undefined> {
  const doc = await targetDocument(args.uri);
  const appid = await appidFor(ui.server, isTemplate(doc) ? doc.uri : undefined, args.appid);
  if (!appid) return undefined;
  const api = readApiSettings((l) => ui.log(l));
  if (!api.ok) { void ui.showError(vscode.l10n.t('Not downloaded: {0}.', api.why)); return undefined; }
  const mediaId = args.mediaId?.trim() || (await vscode.window.showInputBox({
    title: vscode.l10n.t('WeChat: Download Temp Media — media_id'), prompt: vscode.l10n.t('The media_id (e.g. the MediaId of an image a user sent; temporary media live 3 days)'),
    ignoreFocusOut: true, validateInput: (x) => (x.trim() ? undefined : vscode.l10n.t('a media_id')),
  }))?.trim();
  if (!mediaId) return undefined;
  const r = await ui.service.getMedia(mediaId, appid, api.api);
  if (!r.ok || !r.file) { void ui.showError(r.message); return { ok: false, message: r.message }; }
  const ext = ({ 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif' } as Record<string, string>)[r.file.type] ?? 'bin';
  const target = args.file
    ? vscode.Uri.file(args.file)
    : await vscode.window.showSaveDialog({ title: vscode.l10n.t('Save the media'), defaultUri: vscode.Uri.file(`${mediaId.replace(/[^\w-]/g, '_').slice(0, 60)}.${ext}`) });
  if (!target) return { ok: false, message: vscode.l10n.t('Not saved.') };
  await vscode.workspace.fs.writeFile(target, r.file.data);
  void vscode.window.showInformationMessage(vscode.l10n.t('{0} Saved to {1}.', r.message, target.fsPath));
  return { ok: true, message: r.message, file: target.fsPath };
}
