import * as path from 'node:path';
import * as vscode from 'vscode';
import { mediaIdEdit, MEDIA_FIELDS, msgtypeOf } from './mediaField.ts';
import { readApiSettings } from './project.ts';
import type { UploadOutcome } from './sendService.ts';
import { appidFor, isTemplate, targetDocument, type SendUi } from './ui.ts';

/**
 * "WeChat (wxmsg): Upload Image…": picks an image, uploads it as temporary media (3 days) and writes the
 * media_id into the open template's `image.media_id` / `miniprogrampage.thumb_media_id` with a
 * WorkspaceEdit (undoable); without such a template the media_id goes to the clipboard.
 * `{ uri, file }` skips the dialogs.
 */
export interface UploadArgs { uri?: string; file?: string }

export async function uploadImage(ui: SendUi, args: UploadArgs = {}): Promise<UploadOutcome | undefined> {
  const doc = await targetDocument(args.uri);
  const template = isTemplate(doc) ? doc : undefined;
  const appid = await appidFor(template?.uri);
  if (!appid) return undefined;
  const api = readApiSettings((l) => ui.log(l));
  if (!api.ok) {
    void ui.showError(api.message.replace(/^Not sent/, 'Not uploaded'));
    return undefined;
  }
  let file = args.file;
  if (!file) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false, openLabel: vscode.l10n.t('Upload'), title: vscode.l10n.t('Upload an image to WeChat (temporary media: expires after 3 days)'),
      filters: { [vscode.l10n.t('Images')]: ['jpg', 'jpeg', 'png', 'gif'] },
    });
    file = picked?.[0]?.fsPath;
  }
  if (!file) return undefined;
  const image = file;
  const type = template ? msgtypeOf(template.getText()) : undefined;
  const target = template && type && MEDIA_FIELDS[type] ? `${MEDIA_FIELDS[type].join('.')} of ${path.basename(template.uri.path)}` : undefined;
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Uploading {0} to WeChat…', path.basename(image)), cancellable: true },
    (_p, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      return ui.service.upload(image, appid, api.api, ac.signal, target);
    });
  if (!outcome.ok || !outcome.mediaId) {
    void ui.showError(outcome.message);
    return outcome;
  }
  const edit = template ? mediaIdEdit(template.getText(), outcome.mediaId) : undefined;
  if (template && edit) {
    const we = new vscode.WorkspaceEdit();
    for (const e of edit.edits) {
      we.replace(template.uri, new vscode.Range(template.positionAt(e.offset), template.positionAt(e.offset + e.length)), e.content);
    }
    if (!await vscode.workspace.applyEdit(we)) {
      await vscode.env.clipboard.writeText(outcome.mediaId);
      void ui.showError(vscode.l10n.t('Uploaded, but the template could not be edited; the media_id was copied to the clipboard.'));
      return outcome;
    }
  } else {
    await vscode.env.clipboard.writeText(outcome.mediaId);
  }
  void vscode.window.showInformationMessage(outcome.message);
  return outcome;
}
