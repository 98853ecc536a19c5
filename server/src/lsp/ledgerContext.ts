import * as fs from 'node:fs';
import * as path from 'node:path';
import { findLedgerRoot, ledgerPath, readLedger } from '../node/mediaLedgerFile.ts';
import type { MediaRecord } from '../core/rules/mediaLedger.ts';
import type { ProjectContext } from '../core/types.ts';
import { uriToPath, type Projects } from './project.ts';

/**
 * The media ledger for open templates: found from the template's folder up to its workspace
 * folder (an untitled template uses the first workspace folder, as its status item does), read
 * once and kept until a `.wxmsg/media.json` changes (a watched file). The current time is added
 * here: the core reads no clock.
 */
const NO_LEDGER: MediaRecord[] = [];

export class LedgerContext {
  private readonly byRoot = new Map<string, MediaRecord[]>();
  private readonly rootByDir = new Map<string, string | null>();

  constructor(private readonly projects: Projects, private readonly folders: () => readonly string[]) {}

  clear(): void {
    this.byRoot.clear();
    this.rootByDir.clear();
  }

  rootFor(uri: string): string | undefined {
    const file = uriToPath(uri);
    const dir = file ? path.dirname(file) : this.folders()[0];
    if (!dir) return undefined;
    const cached = this.rootByDir.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    const boundary = file ? this.projects.boundaryFor(file) : dir;
    const root = findLedgerRoot(dir, boundary) ?? boundary;
    this.rootByDir.set(dir, root ?? null);
    return root;
  }

  /**
   * The context with the ledger's records and the time, when the project keeps a ledger (a
   * `.wxmsg/media.json` exists); else with only its future folder, for the Upload quick fixes.
   * Without a ledger no media_id is "unknown": a team that does not use one sees nothing new.
   */
  with(context: ProjectContext, uri: string, now = Date.now()): ProjectContext {
    const root = this.rootFor(uri);
    if (!root) return context;
    let media = this.byRoot.get(root);
    if (!media) this.byRoot.set(root, (media = fs.existsSync(ledgerPath(root)) ? readLedger(root) : NO_LEDGER));
    return media === NO_LEDGER ? { ...context, mediaLedgerRoot: root } : { ...context, mediaLedger: media, mediaLedgerRoot: root, now };
  }
}
