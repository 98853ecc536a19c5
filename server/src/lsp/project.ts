import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProjectResolver } from '../node/resolver.ts';
import { projectProblem } from '../core/l10n/messages.ts';
import type { Locale, ProjectContext } from '../core/types.ts';
import type { StatusResult, WxmsgSettings } from './protocol.ts';
import type { VariableValue, VariableValues } from '../core/rules/variables.ts';
import { mergeVars, projectProfileVars, readVarsFile, varsFileFor } from '../node/varsFile.ts';

/** `file:` URIs become paths; other schemes (vscode-remote:, a nameless untitled:) have none. */
export function uriToPath(uri: string): string | undefined {
  // VS Code names an untitled document that has a save location `untitled:/that/path`.
  const fileUri = uri.startsWith('untitled:/') ? `file://${uri.slice('untitled:'.length)}` : uri;
  if (!fileUri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(fileUri);
  } catch {
    return undefined;
  }
}

/** Whether a document is a template: its name ends in .wxmsg.json, whatever its languageId. */
export function isTemplateUri(uri: string): boolean {
  const bare = uri.replace(/[?#].*$/, '');
  let name = bare;
  try {
    name = decodeURIComponent(bare);
  } catch { /* keep the raw URI */ }
  return name.toLowerCase().endsWith('.wxmsg.json');
}

/**
 * Project context for open documents: the workspace folders bound the resolver's walk up the
 * tree, so a template only ever reads a project.config.json inside its own folder.
 */
export class Projects {
  readonly resolver = new ProjectResolver();
  private folders: string[] = [];

  /** The workspace folders' paths, in the client's order. */
  get folderPaths(): readonly string[] {
    return this.folders;
  }

  setFolders(uris: readonly string[]): void {
    this.folders = uris.map(uriToPath).filter((p): p is string => !!p).map((p) => path.resolve(p));
  }

  addFolders(added: readonly string[], removed: readonly string[]): void {
    const gone = new Set(removed.map(uriToPath).filter(Boolean).map((p) => path.resolve(p!)));
    const kept = this.folders.filter((f) => !gone.has(f));
    const extra = added.map(uriToPath).filter((p): p is string => !!p).map((p) => path.resolve(p));
    this.folders = [...new Set([...kept, ...extra])];
  }

  /** The innermost workspace folder holding `file`; undefined outside every folder. */
  boundaryFor(file: string): string | undefined {
    let best: string | undefined;
    for (const f of this.folders) {
      const rel = path.relative(f, file);
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      if (!best || f.length > best.length) best = f;
    }
    return best;
  }

  /**
   * Values of template variables known for a template: its `*.vars.json` (inside its workspace
   * folder only), under the profile's `vars` when the project file names an active profile.
   */
  variablesFor(uri: string): VariableValues | undefined {
    const file = uriToPath(uri);
    if (!file) return undefined;
    const varsFile = varsFileFor(file);
    const boundary = this.boundaryFor(file);
    if (boundary === undefined && this.folders.length) return undefined;
    const read = readVarsFile(varsFile, path.basename(varsFile));
    const profile = projectProfileVars(path.dirname(file)).values;
    return mergeVars(read && 'values' in read ? read.values : undefined, profile);
  }

  /**
   * The variables of a send: the template's `*.vars.json` (a `file:` template only), under the
   * profile's `vars`, under `given` (automation, or values entered when asked). `error`: a vars
   * file or the profile's vars exist but cannot be used (the send is refused with it).
   */
  sendVariables(uri: string, given: Record<string, unknown> = {}): { values: Map<string, VariableValue>; error?: string } {
    const file = uri.startsWith('file:') ? uriToPath(uri) : undefined;
    let fromFile: ReadonlyMap<string, VariableValue> | undefined;
    let error: string | undefined;
    if (file) {
      const varsFile = varsFileFor(file);
      const read = readVarsFile(varsFile, path.basename(varsFile));
      if (read && 'error' in read) error = read.error;
      else fromFile = read?.values;
    }
    const profile = file ? projectProfileVars(path.dirname(file)) : {};
    if (profile.error) error ??= profile.error;
    const args = new Map<string, VariableValue>();
    if (given && typeof given === 'object') {
      for (const [k, v] of Object.entries(given)) if (typeof v === 'string') args.set(k, { value: v, source: 'argument' });
    }
    return { values: mergeVars(fromFile, profile.values, args), ...(error ? { error } : {}) };
  }

  contextFor(uri: string, settings: WxmsgSettings): ProjectContext {
    const file = uriToPath(uri) ?? this.untitledStandIn(uri);
    if (!file) return settings.appid ? { appid: settings.appid, appidSource: 'wxmsg.appid' } : {};
    const boundary = this.boundaryFor(file);
    const ctx = this.resolver.contextFor(file, { appid: settings.appid, boundary });
    if (settings.appid) ctx.appidSource = 'wxmsg.appid';
    // Messages and hovers name project files as the Explorer shows them, not by absolute path.
    else if (ctx.appidSource && boundary) ctx.appidSource = path.relative(boundary, ctx.appidSource) || ctx.appidSource;
    if (ctx.pagesSource && boundary) ctx.pagesSource = path.relative(boundary, ctx.pagesSource) || ctx.pagesSource;
    if (ctx.problems && boundary) ctx.problems = ctx.problems.map((p) => ({ ...p, file: path.relative(boundary, p.file) || p.file }));
    return ctx;
  }

  /**
   * A nameless untitled template (`untitled:Untitled-1`) belongs to the first workspace folder:
   * its context, its status item and its sends all use that folder's project.
   */
  untitledStandIn(uri: string): string | undefined {
    return uri.startsWith('untitled:') && this.folders[0] ? path.join(this.folders[0], 'untitled.wxmsg.json') : undefined;
  }

  status(uri: string | undefined, settings: WxmsgSettings, locale: Locale = 'en'): Omit<StatusResult, 'version' | 'health' | 'lastError'> {
    const file = uri ? uriToPath(uri) ?? this.untitledStandIn(uri) : undefined;
    const info = file ? this.resolver.projectFor(file, this.boundaryFor(file)) : undefined;
    const out: Omit<StatusResult, 'version' | 'health' | 'lastError'> = { appidSource: 'none', problems: (info?.problems ?? []).map((p) => projectProblem(locale, p)) };
    if (settings.appid) {
      out.appid = settings.appid;
      out.appidSource = 'setting';
    } else if (info?.appid) {
      out.appid = info.appid;
      out.appidSource = 'project.config.json';
    }
    if (info) out.projectConfig = info.configPath;
    if (info?.appJsonPath) {
      out.appJson = info.appJsonPath;
      out.pageCount = info.pages?.length ?? 0;
    }
    return out;
  }
}
