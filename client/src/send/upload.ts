import * as fs from 'node:fs';
import * as path from 'node:path';
import { dialogStart, imageSizeVerdict, mediaFieldOf } from './mediaPolicy.ts';
import * as vscode from 'vscode';
import { mediaIdEdit, msgtypeOf } from './mediaField.ts';
import { readApiSettings } from './apiConfig.ts';
import type { UploadOutcome } from './sendService.ts';
import { appidFor, isTemplate, targetDocument, type SendUi } from './ui.ts';

/**
 * "WeChat (wxmsg): Upload Image…": picks an image, uploads it as temporary media (3 days) and writes the
 * media_id into the open template's `image.media_id` / `miniprogrampage.thumb_media_id` with a
 * WorkspaceEdit (undoable); without such a template the media_id goes to the clipboard.
 * `{ uri, file }` skips the dialogs.
 */
export interface UploadArgs { uri?: string; file?: string }

/** The folder the last uploaded image came from, this session (the dialog opens there). */
let lastImageFolder: string | undefined;

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** The template's workspace folder, else the first one (an untitled template, no template). */
function workspaceFolderFor(uri: vscode.Uri | undefined): string | undefined {
  const f = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.find((w) => w.uri.scheme === 'file');
  return f?.uri.scheme === 'file' ? f.uri.fsPath : undefined;
}

export async function uploadImage(ui: SendUi, args: UploadArgs = {}): Promise<UploadOutcome | undefined> {
  const doc = await targetDocument(args.uri);
  const template = isTemplate(doc) ? doc : undefined;
  const appid = await appidFor(ui.server, template?.uri);
  if (!appid) return undefined;
  const api = readApiSettings((l) => ui.log(l));
  if (!api.ok) {
    void ui.showError(vscode.l10n.t('Not uploaded: {0}.', api.why));
    return undefined;
  }
  let file = args.file;
  const folder = workspaceFolderFor(template?.uri);
  if (!file) {
    const start = dialogStart(lastImageFolder, isDirectory, folder);
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false, openLabel: vscode.l10n.t('Upload'), title: vscode.l10n.t('Upload an image to WeChat (temporary media: expires after 3 days)'),
      filters: { [vscode.l10n.t('Images')]: ['jpg', 'jpeg', 'png', 'gif'] },
      ...(start ? { defaultUri: vscode.Uri.file(start) } : {}),
    });
    file = picked?.[0]?.fsPath;
  }
  if (!file) return undefined;
  const image = file;
  // Sizes told before anything is sent: over 10 MB refused, over 2 MB a warning to confirm.
  let size = 0;
  try {
    size = fs.statSync(image).size;
  } catch { /* readImage reports it */ }
  const verdict = imageSizeVerdict(size);
  if (!verdict.ok) {
    void ui.showError(vscode.l10n.t('{0} is {1} MB: WeChat takes images of at most 10 MB. Nothing was uploaded.', path.basename(image), verdict.mb));
    return undefined;
  }
  if (verdict.warn) {
    const go = vscode.l10n.t('Upload Anyway');
    const warn = vscode.l10n.t('{0} is {1} MB: over 2 MB, the limit WeChat gives for images in messages; the upload may be refused (40009).', path.basename(image), verdict.mb);
    if (await vscode.window.showWarningMessage(warn, { modal: true }, go) !== go) return undefined;
  }
  lastImageFolder = path.dirname(image);
  const field = template ? mediaFieldOf(msgtypeOf(template.getText())) : undefined;
  const target = template && field ? vscode.l10n.t('{0} of {1}', field.join('.'), path.basename(template.uri.path)) : undefined;
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
  // The media ledger: appid, media_id, source, hash and time (never a token), next to the template.
  // Written by the language server, which then checks media_ids against it at once.
  if (folder) {
    const recorded = await ui.server.recordUpload({ near: template?.uri.scheme === 'file' ? template.uri.fsPath : image, appid, mediaId: outcome.mediaId, file: image });
    if ('error' in recorded) ui.log(vscode.l10n.t('the upload was not recorded in the media ledger: {0}', recorded.error));
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
