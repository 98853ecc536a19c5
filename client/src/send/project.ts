import * as fs from 'node:fs';
import * as path from 'node:path';
import { ledgerPath, readLedger } from '../../../server/src/node/mediaLedgerFile.ts';
import { ledgerRootFor } from './mediaPolicy.ts';
import * as vscode from 'vscode';
import { ProjectResolver } from '../../../server/src/node/resolver.ts';
import type { ProjectContext, ValidationOptions } from '../../../server/src/core/types.ts';
import { readSettings } from '../settings.ts';
import { sendGateSeverities } from './gate.ts';
import { resolveBaseUrl, ignoredBaseUrlNotice, resolveTimeout, settingsSetBaseUrl } from './apiSettings.ts';
import type { ApiConfig } from './sendService.ts';

/**
 * The project facts a send needs, resolved the way the linter resolves them: `wxmsg.appid`,
 * else the nearest project.config.json inside the template's workspace folder.
 */
export function projectContextFor(uri: vscode.Uri | undefined): ProjectContext {
  const settings = readSettings(uri);
  // An untitled template resolves as the language server resolves it (and its status item
  // shows): by its save path (`untitled:/dir/x.wxmsg.json`), else in the first workspace folder.
  if (uri?.scheme === 'untitled') uri = uri.path.startsWith('/') ? vscode.Uri.file(uri.path) : contextUri(undefined, true);
  if (!uri || uri.scheme !== 'file') {
    return settings.appid ? { appid: settings.appid, appidSource: 'the wxmsg.appid setting' } : {};
  }
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const ctx = new ProjectResolver().contextFor(uri.fsPath, { appid: settings.appid, boundary: folder?.uri.fsPath });
  if (settings.appid) ctx.appidSource = 'the wxmsg.appid setting';
  else if (ctx.appidSource && folder) ctx.appidSource = path.relative(folder.uri.fsPath, ctx.appidSource) || ctx.appidSource;
  if (ctx.problems && folder) ctx.problems = ctx.problems.map((p) => ({ ...p, file: path.relative(folder.uri.fsPath, p.file) || p.file }));
  return ctx;
}

/**
 * Options for the check that gates a send. Rule overrides count only from the user's own
 * settings (sendGateSeverities, tested in npm test): a cloned repository's
 * `.vscode/settings.json` may quiet the editor, but it cannot switch off the errors that stop a bad send.
 */
export function validationOptionsFor(uri: vscode.Uri | undefined): ValidationOptions {
  return {
    locale: vscode.env.language.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en',
    severities: sendGateSeverities(vscode.workspace.getConfiguration('wxmsg', uri).inspect('rules')),
  };
}

/** The template in focus, or a stand-in path in the first workspace folder (for appid lookup). */
export function contextUri(uri?: vscode.Uri, folderOnly = false): vscode.Uri | undefined {
  if (uri) return uri;
  const active = folderOnly ? undefined : vscode.window.activeTextEditor?.document.uri;
  if (active && active.scheme === 'file') return active;
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, '.wxmsg-appid-lookup.wxmsg.json') : undefined;
}

export type ApiSettings = { ok: true; api: ApiConfig; host: string; baseSource: string } | { ok: false; message: string };

/** Base URL from the user's settings only (see apiSettings.ts), plus the timeout. */
export function readApiSettings(log: (line: string) => void): ApiSettings {
  const c = vscode.workspace.getConfiguration('wxmsg');
  const base = resolveBaseUrl(c.inspect<string>('api.baseUrl'), workspaceBaseUrlScopes());
  const notice = ignoredBaseUrlNotice(base);
  if (notice) log(notice);
  if (!base.check.ok) return { ok: false, message: `Not sent: ${base.check.message}.` };
  return {
    ok: true,
    api: { base: base.check.base, timeoutMs: resolveTimeout(c.get('api.timeout')) },
    host: base.check.url.host,
    baseSource: base.source === 'default' ? 'the default' : 'from your user (or Remote) settings',
  };
}

/**
 * The context with the media ledger of the template's workspace (`.wxmsg/media.json`) and the
 * current time, when the workspace keeps one: a send checks media_ids against it first.
 */
export function withMediaLedger(ctx: ProjectContext, uri: vscode.Uri | undefined): ProjectContext {
  const file = uri?.scheme === 'file' ? uri : uri?.scheme === 'untitled' && uri.path.startsWith('/') ? vscode.Uri.file(uri.path) : undefined;
  const folder = (file && vscode.workspace.getWorkspaceFolder(file)) ?? vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  const root = ledgerRootFor(file?.fsPath, folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined);
  if (!root || !fs.existsSync(ledgerPath(root))) return ctx;
  return { ...ctx, mediaLedger: readLedger(root), mediaLedgerRoot: root, now: Date.now() };
}

/**
 * Which workspace settings files set wxmsg.api.baseUrl: each folder's .vscode/settings.json
 * ("workspace folder", or "workspace" for a single folder) and a .code-workspace file's settings.
 */
export function workspaceBaseUrlScopes(): string[] {
  const found = new Set<string>();
  const read = (file: string): string | undefined => {
    try {
      const st = fs.statSync(file);
      return st.isFile() && st.size <= 1024 * 1024 ? fs.readFileSync(file, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  };
  const folders = vscode.workspace.workspaceFolders ?? [];
  const wsFile = vscode.workspace.workspaceFile;
  for (const f of folders) {
    if (f.uri.scheme !== 'file') continue;
    const text = read(path.join(f.uri.fsPath, '.vscode', 'settings.json'));
    if (text !== undefined && settingsSetBaseUrl(text)) found.add(wsFile ? 'workspace folder' : 'workspace');
  }
  if (wsFile?.scheme === 'file') {
    const text = read(wsFile.fsPath);
    if (text !== undefined && settingsSetBaseUrl(text, true)) found.add('workspace');
  }
  return [...found];
}

/** Logs the notice when a workspace sets wxmsg.api.baseUrl (at start and when settings change). */
export function noticeIgnoredBaseUrl(log: (line: string) => void, none: () => void = () => undefined): void {
  const notice = ignoredBaseUrlNotice(resolveBaseUrl(vscode.workspace.getConfiguration('wxmsg').inspect<string>('api.baseUrl'), workspaceBaseUrlScopes()));
  if (notice) log(notice);
  else none();
}
