// code-server (real VS Code, served over HTTP) for the end-to-end suite: a throwaway profile
// (user data + extensions), the packaged .vsix installed into it, user settings written before
// start, and a server on 127.0.0.1 with a free port.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess, type Started } from './processes.ts';

export interface E2EPaths {
  /** Node 24 binary (code-server needs it). */
  node: string;
  /** code-server's out/node/entry.js. */
  codeServer: string;
  chromium: string;
}

export interface Profile {
  userDataDir: string;
  extensionsDir: string;
  configFile: string;
}

export function makeProfile(base: string): Profile {
  const p = {
    userDataDir: join(base, 'user-data'),
    extensionsDir: join(base, 'extensions'),
    configFile: join(base, 'code-server.yaml'),
  };
  mkdirSync(join(p.userDataDir, 'User'), { recursive: true });
  mkdirSync(p.extensionsDir, { recursive: true });
  // An explicit config file keeps code-server from writing ~/.config/code-server/config.yaml.
  writeFileSync(p.configFile, 'auth: none\ncert: false\n');
  return p;
}

function csArgs(profile: Profile): string[] {
  return [
    '--config', profile.configFile,
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
  ];
}

/**
 * Installs a .vsix the way a user would (`--install-extension`); copying a folder into the
 * extensions dir is not picked up. Returns the installed extension ids.
 */
export function installExtension(paths: E2EPaths, profile: Profile, vsix: string): string[] {
  const run = (args: string[]) => {
    const r = spawnSync(paths.node, [paths.codeServer, ...csArgs(profile), ...args], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`code-server ${args.join(' ')} failed (${r.status ?? r.signal ?? r.error}):\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  run(['--install-extension', vsix]);
  return run(['--list-extensions']).split('\n').map((l) => l.trim()).filter(Boolean);
}

export function writeUserSettings(profile: Profile, settings: Record<string, unknown>): void {
  writeFileSync(join(profile.userDataDir, 'User/settings.json'), JSON.stringify(settings, null, 2));
}

/**
 * Remote (machine) settings. The workbench in the browser is a remote window of code-server, so
 * `machine`-scoped settings (wxmsg.api.baseUrl) count only from here, as they would in VS Code's
 * "Preferences: Open Remote Settings" over SSH / WSL / code-server.
 */
export function writeMachineSettings(profile: Profile, settings: Record<string, unknown>): void {
  mkdirSync(join(profile.userDataDir, 'Machine'), { recursive: true });
  writeFileSync(join(profile.userDataDir, 'Machine/settings.json'), JSON.stringify(settings, null, 2));
}

/** Settings that keep the workbench quiet and predictable (no welcome page, tips, previews). */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'json.schemaDownload.enable': false,
  'git.enabled': false,
  'remote.autoForwardPorts': false,
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
};

export interface CodeServer {
  url: string;
  proc: Started;
}

export async function startCodeServer(paths: E2EPaths, profile: Profile, workspace: string, env: NodeJS.ProcessEnv = process.env, extraArgs: string[] = []): Promise<CodeServer> {
  const { proc, match } = await startProcess(
    'code-server',
    paths.node,
    [
      paths.codeServer,
      ...csArgs(profile),
      '--auth', 'none',
      '--bind-addr', '127.0.0.1:0',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      ...extraArgs,
      workspace,
    ],
    /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/,
    60_000,
    { env },
  );
  return { url: match[1]!, proc };
}
