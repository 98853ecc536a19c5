import * as path from 'node:path';
import { findLedgerRoot, readLedger } from './mediaLedgerFile.ts';
import type { ProjectResolver } from './resolver.ts';
import type { ProjectContext } from '../core/types.ts';

/**
 * Where the CLI keeps the media ledger for a file (a template or an image): the nearest folder
 * with `.wxmsg/` up to the file's mini program project folder (where project.config.json is),
 * or up to the current directory; a first upload creates `.wxmsg/` in that folder.
 */
export function ledgerRootFor(file: string, resolver: ProjectResolver, cwd: string): string {
  const info = resolver.projectFor(file);
  const boundary = info ? path.dirname(info.configPath) : path.resolve(cwd);
  return findLedgerRoot(path.dirname(file), boundary) ?? boundary;
}

/** The project context with the media ledger and the current time (send, lint --media-ledger). */
export function withLedger(context: ProjectContext, file: string, resolver: ProjectResolver, cwd: string, now = Date.now()): ProjectContext {
  const root = ledgerRootFor(file, resolver, cwd);
  return { ...context, mediaLedger: readLedger(root), mediaLedgerRoot: root, now };
}
