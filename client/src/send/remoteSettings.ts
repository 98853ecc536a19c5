/**
 * In a remote window (`vscode.env.remoteName` set: SSH, WSL, containers, code-server), settings
 * with `machine` scope count only in the Remote settings: a value in the local user settings is
 * silently inactive there. When a send runs on a machine setting's default, say so once and
 * offer to open the Remote settings. Pure (no vscode import): the glue is in sendCommand.ts.
 */
export const MACHINE_SEND_SETTINGS = ['api.baseUrl', 'send.confirm', 'api.allowedHosts'] as const;

export interface Inspected {
  key: string;
  /** What inspect() says: a value anywhere other than the default. */
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** The settings (wxmsg.*) a send in a remote window uses with their default value, or [] when none / not remote. */
export function remoteDefaults(remoteName: string | undefined, inspected: readonly Inspected[]): string[] {
  if (!remoteName) return [];
  return inspected.filter((i) => i.globalValue === undefined).map((i) => `wxmsg.${i.key}`);
}
