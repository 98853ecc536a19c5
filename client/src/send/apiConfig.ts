import * as vscode from 'vscode';
import { editorLocale } from '../l10n.ts';
import { resolveBaseUrl, ignoredBaseUrlNotice, resolveTimeout, settingsSetBaseUrl } from './apiSettings.ts';
import type { ApiConfig } from './sendService.ts';
import { workspaceSettingsTexts } from './workspaceSettings.ts';

/** `why`: the base URL refused, for the caller's "Not sent: {0}." (or not uploaded, set, downloaded). */
export type ApiSettings = { ok: true; api: ApiConfig; host: string; baseSource: string } | { ok: false; why: string };

/** Base URL from the user's settings only (see apiSettings.ts), plus the timeout. */
export function readApiSettings(log: (line: string) => void): ApiSettings {
  const c = vscode.workspace.getConfiguration('wxmsg');
  const base = resolveBaseUrl(c.inspect<string>('api.baseUrl'), workspaceBaseUrlScopes(), editorLocale(vscode.env.language));
  const notice = ignoredBaseUrlNotice(base, vscode.l10n);
  if (notice) log(notice);
  if (!base.check.ok) return { ok: false, why: base.check.message };
  return {
    ok: true,
    api: { base: base.check.base, timeoutMs: resolveTimeout(c.get('api.timeout')) },
    host: base.check.url.host,
    baseSource: base.source === 'default' ? vscode.l10n.t('the default') : vscode.l10n.t('from your user (or Remote) settings'),
  };
}

/** Which workspace settings scopes set wxmsg.api.baseUrl in their files ('workspace', 'workspace folder'). */
export function workspaceBaseUrlScopes(): string[] {
  return [...new Set(workspaceSettingsTexts().filter((s) => settingsSetBaseUrl(s.text, s.workspaceFile)).map((s) => s.scope))];
}

/** The notice logged when a workspace sets wxmsg.api.baseUrl (at start and when settings change), else undefined. */
export function ignoredBaseUrlNoticeNow(): string | undefined {
  return ignoredBaseUrlNotice(resolveBaseUrl(vscode.workspace.getConfiguration('wxmsg').inspect<string>('api.baseUrl'), workspaceBaseUrlScopes()), vscode.l10n);
}
