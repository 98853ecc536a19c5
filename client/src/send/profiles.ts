import * as vscode from 'vscode';
import type { Profile } from '../../../server/src/core/rules/profileConfig.ts';
import { PROJECT_FILE_NAME as CONFIG_FILE, type ProfilesResult } from '../../../server/src/lsp/protocol.ts';

/**
 * Profiles from the project file (wxmsg.config.json at a workspace folder's root) in the editor:
 * the active one per workspace (workspaceState), shown in the status bar, switched by
 * "WeChat: Switch Profile…". Test users come from the profile and from `wxmsg.testUsers`
 * (per appid: alias → OpenID). The language server reads and checks the file (wxmsg/profiles;
 * an open one gets its diagnostics from it like a template). This part runs from activation (the
 * status item); what a send does with a profile (test users, apiBase, token sources) is in
 * profileCredentials.ts, loaded with the send code on first use.
 */
export const ACTIVE_KEY = 'wxmsg.profile.active';

export class Profiles implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('wxmsg.profile', vscode.StatusBarAlignment.Left, 49);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: (line: string) => void,
    /** Asks the language server (wxmsg/profiles); undefined when it cannot answer. */
    private readonly fetch: () => Promise<ProfilesResult | undefined>,
    readonly global?: vscode.Memento,
    readonly secrets?: vscode.SecretStorage,
  ) {
    this.item.name = vscode.l10n.t('WeChat profile');
    this.item.command = 'wxmsg.switchProfile';
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE}`);
    this.disposables.push(watcher, watcher.onDidChange(() => void this.refresh()), watcher.onDidCreate(() => void this.refresh()), watcher.onDidDelete(() => void this.refresh()));
    void this.refresh();
  }

  load(): Promise<ProfilesResult | undefined> {
    return this.fetch();
  }

  /** The active profile: the one chosen in this workspace, else the file's defaultProfile. */
  async active(): Promise<{ config: LoadedProfiles; profile: Profile } | undefined> {
    const config = await this.load();
    const profiles = config?.profiles;
    if (!config?.file || !config.root || !profiles) return undefined;
    const chosen = this.state.get<string>(ACTIVE_KEY);
    const name = chosen && Object.hasOwn(profiles, chosen) ? chosen : config.defaultProfile;
    return name && Object.hasOwn(profiles, name) ? { config: { ...config, file: config.file, root: config.root }, profile: profiles[name] } : undefined;
  }

  async refresh(): Promise<void> {
    const a = await this.active();
    if (!a) {
      const config = await this.load();
      if (config && Object.keys(config.profiles).length) {
        this.item.text = `$(account) ${vscode.l10n.t('WeChat: no profile')}`;
        this.item.tooltip = vscode.l10n.t('Choose the profile of wxmsg.config.json to send with');
        this.item.show();
      } else this.item.hide();
      return;
    }
    const p = a.profile;
    this.item.text = `${p.production ? '$(warning)' : '$(account)'} ${vscode.l10n.t('WeChat: {0}', p.name)}`;
    this.item.tooltip = `${vscode.l10n.t('WeChat profile {0}: click to switch', p.name)}${p.appid ? `\n${vscode.l10n.t('appid {0}', p.appid)}` : ''}${p.production ? `\n${vscode.l10n.t('production: every send asks to confirm')}` : ''}`;
    this.item.backgroundColor = p.production ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  /** "WeChat: Switch Profile…" (`{ name }` skips the picker). Returns the active profile's name. */
  async switch(args: { name?: string } = {}): Promise<string | undefined> {
    const config = await this.load();
    const profiles = config?.profiles ?? {};
    const names = Object.keys(profiles);
    if (!config?.file || !names.length) {
      void vscode.window.showWarningMessage(config?.hasErrors
        ? vscode.l10n.t('{0} has errors: fix them (see wxmsg lint) to use its profiles.', CONFIG_FILE)
        : vscode.l10n.t('No profiles: add a {0} with "profiles" at the workspace root (README: Teams).', CONFIG_FILE));
      return undefined;
    }
    let name = args.name;
    if (name === undefined) {
      const current = (await this.active())?.profile.name;
      const pick = await vscode.window.showQuickPick(names.map((n) => ({
        label: n,
        description: [profiles[n].appid, profiles[n].production ? vscode.l10n.t('production') : '', n === current ? vscode.l10n.t('active') : ''].filter(Boolean).join(' · '),
      })), { title: vscode.l10n.t('WeChat (wxmsg): Switch Profile…'), placeHolder: vscode.l10n.t('The profile sends in this workspace use') });
      name = pick?.label;
    }
    if (name === undefined || !Object.hasOwn(profiles, name)) return (await this.active())?.profile.name;
    await this.state.update(ACTIVE_KEY, name);
    this.log(profiles[name].production ? vscode.l10n.t('profile: {0} (production)', name) : vscode.l10n.t('profile: {0}', name));
    await this.refresh();
    return name;
  }

  dispose(): void {
    this.item.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** The project file a profile comes from (token-commands run in its folder and are approved per file). */
export interface LoadedProfiles extends ProfilesResult {
  file: string;
  root: string;
}
