import * as vscode from 'vscode';
import { CONFIG_SECTION, normalizeSettings, type WxmsgSettings } from '../../server/src/lsp/protocol.ts';

/** The one place the extension reads VS Code settings: the typed object the server gets. */
export function readSettings(scope: vscode.Uri | undefined): WxmsgSettings {
  const c = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  return normalizeSettings({ appid: c.get<string>('appid'), rules: c.get<Record<string, string>>('rules') });
}
