import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveBaseUrl, ignoredBaseUrlNotice, resolveTimeout, settingsSetBaseUrl } from './apiSettings.ts';
import type { ApiConfig } from './sendService.ts';

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
