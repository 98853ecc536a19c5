import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_FILE, configErrors, loadProjectConfig, type LoadedConfig, type Profile } from '../../../server/src/profiles/config.ts';
import { checkSecretHost, parseAllowedHosts } from '../../../server/src/profiles/hosts.ts';
import { describeRecipient, maskAmong, openIdShapeProblem } from '../../../server/src/profiles/openid.ts';

/**
 * Profiles from the project file (wxmsg.config.json at a workspace folder's root) in the editor:
 * the active one per workspace (workspaceState), shown in the status bar, switched by
 * "WeChat: Switch Profile…". Test users come from the profile and from `wxmsg.testUsers`
 * (per appid: alias → OpenID).
 */
export const ACTIVE_KEY = 'wxmsg.profile.active';

export function configFileOfWorkspace(): string | undefined {
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    if (f.uri.scheme !== 'file') continue;
    const p = path.join(f.uri.fsPath, CONFIG_FILE);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

/** `wxmsg.testUsers` for one appid (aliases → OpenIDs; anything else dropped). */
export function settingsTestUsers(appid: string | undefined): Record<string, string> {
  const all = vscode.workspace.getConfiguration('wxmsg').get<unknown>('testUsers');
  const of = appid && all && typeof all === 'object' ? (all as Record<string, unknown>)[appid] : undefined;
  const out: Record<string, string> = {};
  if (of && typeof of === 'object') for (const [k, v] of Object.entries(of)) if (typeof v === 'string' && v.trim()) out[k] = v.trim();
  return out;
}

export class Profiles implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('wxmsg.profile', vscode.StatusBarAlignment.Left, 49);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly state: vscode.Memento, private readonly log: (line: string) => void) {
    this.item.name = vscode.l10n.t('WeChat profile');
    this.item.command = 'wxmsg.switchProfile';
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE}`);
    this.disposables.push(watcher, watcher.onDidChange(() => this.refresh()), watcher.onDidCreate(() => this.refresh()), watcher.onDidDelete(() => this.refresh()));
    this.refresh();
  }

  load(): LoadedConfig | undefined {
    const file = configFileOfWorkspace();
    return file ? loadProjectConfig(file) : undefined;
  }

  /** The active profile: the one chosen in this workspace, else the file's defaultProfile. */
  active(): { config: LoadedConfig; profile: Profile } | undefined {
    const config = this.load();
    const profiles = config?.config?.profiles;
    if (!config || !profiles) return undefined;
    const chosen = this.state.get<string>(ACTIVE_KEY);
    const name = chosen && Object.hasOwn(profiles, chosen) ? chosen : config.config?.defaultProfile;
    return name && Object.hasOwn(profiles, name) ? { config, profile: profiles[name] } : undefined;
  }

  refresh(): void {
    const a = this.active();
    if (!a) {
      const config = this.load();
      if (config && Object.keys(config.config?.profiles ?? {}).length) {
        this.item.text = `$(account) ${vscode.l10n.t('WeChat: no profile')}`;
        this.item.tooltip = vscode.l10n.t('Choose the profile of wxmsg.config.json to send with');
        this.item.show();
      } else this.item.hide();
      return;
    }
    const p = a.profile;
    this.item.text = `${p.production ? '$(warning)' : '$(account)'} ${vscode.l10n.t('WeChat: {0}', p.name)}`;
    this.item.tooltip = `${vscode.l10n.t('WeChat profile {0}: click to switch', p.name)}${p.appid ? `\nappid ${p.appid}` : ''}${p.production ? `\n${vscode.l10n.t('production: every send asks to confirm')}` : ''}`;
    this.item.backgroundColor = p.production ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  /** "WeChat: Switch Profile…" (`{ name }` skips the picker). Returns the active profile's name. */
  async switch(args: { name?: string } = {}): Promise<string | undefined> {
    const config = this.load();
    const profiles = config?.config?.profiles ?? {};
    const names = Object.keys(profiles);
    if (!config || !names.length) {
      void vscode.window.showWarningMessage(config && configErrors(config).length
        ? vscode.l10n.t('{0} has errors: fix them (see wxmsg lint) to use its profiles.', CONFIG_FILE)
        : vscode.l10n.t('No profiles: add a {0} with "profiles" at the workspace root (README: Teams).', CONFIG_FILE));
      return undefined;
    }
    let name = args.name;
    if (name === undefined) {
      const current = this.active()?.profile.name;
      const pick = await vscode.window.showQuickPick(names.map((n) => ({
        label: n,
        description: [profiles[n].appid, profiles[n].production ? vscode.l10n.t('production') : '', n === current ? vscode.l10n.t('active') : ''].filter(Boolean).join(' · '),
      })), { title: vscode.l10n.t('WeChat (wxmsg): Switch Profile…'), placeHolder: vscode.l10n.t('The profile sends in this workspace use') });
      name = pick?.label;
    }
    if (name === undefined || !Object.hasOwn(profiles, name)) return this.active()?.profile.name;
    await this.state.update(ACTIVE_KEY, name);
    this.log(`profile: ${name}${profiles[name].production ? ' (production)' : ''}`);
    this.refresh();
    return name;
  }

  dispose(): void {
    this.item.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** The test users of a send: the profile's over `wxmsg.testUsers[appid]`. */
export function testUsersFor(appid: string | undefined, profile: Profile | undefined): Record<string, string> {
  return { ...settingsTestUsers(appid), ...(profile && (!profile.appid || profile.appid === appid) ? profile.testUsers : {}) };
}

/** An alias (exact) → its OpenID; otherwise the input itself. */
export function resolveRecipient(input: string, users: Record<string, string>): { openId: string; alias?: string } {
  const t = input.trim();
  if (Object.hasOwn(users, t)) return { openId: users[t], alias: t };
  const alias = Object.entries(users).find(([, id]) => id === t)?.[0];
  return { openId: t, alias };
}

export function who(openId: string, alias: string | undefined, users: Record<string, string>): string {
  return describeRecipient(openId, alias, Object.values(users));
}

export { maskAmong, openIdShapeProblem };

/** A profile's apiBase when it may receive secrets (official, loopback, `wxmsg.api.allowedHosts`), else why not. */
export function profileApiBase(profile: Profile): { base?: string; error?: string } {
  if (!profile.apiBase) return {};
  const allowed = parseAllowedHosts(vscode.workspace.getConfiguration('wxmsg').inspect<string[]>('api.allowedHosts')?.globalValue ?? []);
  const ok = checkSecretHost(profile.apiBase, allowed, vscode.l10n.t('profile "{0}": apiBase', profile.name));
  return ok.ok ? { base: profile.apiBase } : { error: ok.message.replace('WXMSG_ALLOWED_HOSTS (VS Code: wxmsg.api.allowedHosts, a machine setting)', 'wxmsg.api.allowedHosts (user settings)') };
}
