import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { mayMentionBaseUrl } from './settingsScan.ts';

/**
 * The workspace's settings files as text: each folder's .vscode/settings.json ("workspace
 * folder", or "workspace" for a single folder) and a .code-workspace file (its `settings`).
 * VS Code drops a machine-scoped value (wxmsg.api.baseUrl) from them before `inspect()` sees it,
 * so whether a workspace tried to set one is read from the files (apiConfig.ts).
 */
export interface SettingsText {
  scope: 'workspace' | 'workspace folder';
  text: string;
  /** A .code-workspace file: the settings are under its `settings`. */
  workspaceFile: boolean;
}

const MAX_SETTINGS_BYTES = 1024 * 1024;

function read(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    return st.isFile() && st.size <= MAX_SETTINGS_BYTES ? fs.readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

export function workspaceSettingsTexts(): SettingsText[] {
  const out: SettingsText[] = [];
  const wsFile = vscode.workspace.workspaceFile;
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    if (f.uri.scheme !== 'file') continue;
    const text = read(path.join(f.uri.fsPath, '.vscode', 'settings.json'));
    if (text !== undefined) out.push({ scope: wsFile ? 'workspace folder' : 'workspace', text, workspaceFile: false });
  }
  if (wsFile?.scheme === 'file') {
    const text = read(wsFile.fsPath);
    if (text !== undefined) out.push({ scope: 'workspace', text, workspaceFile: true });
  }
  return out;
}

/**
 * Whether this workspace may set wxmsg.api.baseUrl (a value VS Code reports in a workspace scope,
 * or a settings file that may name it): only then is the exact check, which parses the files
 * with the send code, loaded to tell (the notice at activation and on settings changes).
 */
export function workspaceMaySetBaseUrl(): boolean {
  const i = vscode.workspace.getConfiguration('wxmsg').inspect<string>('api.baseUrl');
  if (i?.workspaceValue !== undefined || i?.workspaceFolderValue !== undefined) return true;
  return workspaceSettingsTexts().some((s) => mayMentionBaseUrl(s.text));
}
