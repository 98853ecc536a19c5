import * as fs from 'node:fs';
import * as path from 'node:path';
import { configErrors } from '../core/rules/profileConfig.ts';
import { loadProjectConfig } from '../node/projectConfigFile.ts';
import type { Locale } from '../core/types.ts';
import { ledgerRootFor, recordUpload } from '../node/mediaLedgerFile.ts';
import type { Projects } from './project.ts';
import { PROJECT_FILE_NAME, type ProfilesResult, type RecordUploadParams, type RecordUploadResult } from './protocol.ts';

/** The project files the extension's sending side needs, read and written by the server (node/). */

/** Whether a document is a project file of profiles (checked in the editor like a template). */
export function isProjectFileUri(uri: string): boolean {
  const bare = uri.replace(/[?#].*$/, '');
  return bare.endsWith(`/${PROJECT_FILE_NAME}`);
}

/** `wxmsg/profiles`: the project file at the root of the first workspace folder that has one. */
export function profilesOf(projects: Projects, locale: Locale): ProfilesResult {
  for (const folder of projects.folderPaths) {
    const file = path.join(folder, PROJECT_FILE_NAME);
    if (!fs.existsSync(file)) continue;
    const loaded = loadProjectConfig(file, locale);
    return {
      file,
      root: loaded.root,
      profiles: loaded.config?.profiles ?? {},
      ...(loaded.config?.defaultProfile ? { defaultProfile: loaded.config.defaultProfile } : {}),
      hasErrors: configErrors(loaded).length > 0,
    };
  }
  return { profiles: {}, hasErrors: false };
}

/** `wxmsg/recordUpload`: one upload into the media ledger of `near`'s workspace folder (else the first folder). */
export function recordUploadIn(projects: Projects, p: RecordUploadParams): RecordUploadResult {
  if (![p.near, p.appid, p.mediaId, p.file].every((v) => typeof v === 'string' && v.length > 0 && v.length <= 4096)) return { error: 'malformed upload record' };
  const near = path.resolve(p.near);
  const folder = projects.boundaryFor(near) ?? projects.folderPaths[0];
  const root = ledgerRootFor(near, folder);
  if (!root) return { error: 'no workspace folder to keep the media ledger in' };
  try {
    recordUpload(root, { appid: p.appid, mediaId: p.mediaId, file: p.file });
    return { root };
  } catch (e) {
    return { error: (e as Error)?.message ?? String(e) };
  }
}
