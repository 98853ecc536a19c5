/**
 * `wxmsg.preview.loadRemoteImages` as the preview uses it. Showing a remote thumbnail tells its
 * server who opened the template and when (a tracking pixel), so only the user's own value
 * counts: the setting is machine-scoped and restricted in untrusted workspaces, and a value in
 * workspace or folder settings is ignored here too. Anything but `true` is off.
 */
export interface InspectedBoolean {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export const LOAD_REMOTE_IMAGES = 'preview.loadRemoteImages';

export function resolveLoadRemoteImages(inspected: InspectedBoolean | undefined): boolean {
  return inspected?.globalValue === true;
}
