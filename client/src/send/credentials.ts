import * as vscode from 'vscode';
import { CredentialError } from './sendService.ts';
import { MIN_SECRET_CHARS } from '../../../server/src/wechat/redact.ts';
import { appidFor, contextUri, type SendUi } from './ui.ts';

/**
 * "WeChat (wxmsg): Set AppSecret" / "Set Access Token" / "Clear Credentials": password input boxes into
 * VS Code's SecretStorage, one entry per appid. Arguments (`{ appid, secret }`,
 * `{ appid, token }`, `{ appid }` / `{ all: true }`) skip the dialogs for automation.
 */
export interface SecretArgs { appid?: string; secret?: string; token?: string }
export interface ClearArgs { appid?: string; all?: boolean }

export async function setCredential(ui: SendUi, kind: 'secret' | 'token', args: SecretArgs = {}): Promise<boolean> {
  const appid = await appidFor(ui.server, undefined, args.appid);
  if (!appid) return false;
  const given = kind === 'secret' ? args.secret : args.token;
  const value = given ?? await vscode.window.showInputBox({
    title: kind === 'secret' ? vscode.l10n.t('WeChat (wxmsg): Set AppSecret for {0}', appid) : vscode.l10n.t('WeChat (wxmsg): Set Access Token for {0}', appid),
    prompt: kind === 'secret'
      ? vscode.l10n.t('The AppSecret of mini program {0}. Kept in VS Code\'s secret storage (the OS keychain), never in settings or logs.', appid)
      : vscode.l10n.t('An access token for {0} issued by your team\'s token service. Kept in VS Code\'s secret storage; wxmsg uses it as is and cannot refresh it.', appid),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (!v.trim() || /\s/.test(v.trim()) ? vscode.l10n.t('one word without spaces')
      : v.trim().length < MIN_SECRET_CHARS ? vscode.l10n.t('too short: at least {0} characters (an AppSecret has 32)', MIN_SECRET_CHARS) : undefined),
  });
  if (value === undefined) return false;
  try {
    const msg = kind === 'secret' ? await ui.service.setAppSecret(appid, value) : await ui.service.setAccessToken(appid, value);
    void vscode.window.showInformationMessage(msg);
    return true;
  } catch (e) {
    void ui.showError(e instanceof CredentialError ? e.message : vscode.l10n.t('Could not store the credential: {0}', String((e as Error)?.message ?? e)));
    return false;
  }
}

export async function clearCredentials(ui: SendUi, args: ClearArgs = {}): Promise<string | undefined> {
  let list: string[] | undefined;
  if (args.all) list = undefined;
  else if (args.appid) list = [args.appid];
  else {
    const current = await ui.server.appid(contextUri());
    const ids = [...new Set([...(current ? [current] : []), ...ui.service.knownAppids()])];
    if (ids.length <= 1) list = ids;
    else {
      const all = vscode.l10n.t('All {0} appids', ids.length);
      const pick = await vscode.window.showQuickPick(
        [...ids.map((id) => ({ label: id, description: id === current ? vscode.l10n.t('this project') : '' })), { label: all, description: '' }],
        { title: vscode.l10n.t('WeChat (wxmsg): Clear Credentials'), placeHolder: vscode.l10n.t('Remove the stored AppSecret / access token of…') });
      if (!pick) return undefined;
      list = pick.label === all ? ids : [pick.label];
    }
  }
  const msg = await ui.service.clearCredentials(list);
  void vscode.window.showInformationMessage(msg);
  return msg;
}
