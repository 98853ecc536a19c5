import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';

/**
 * Finding files for the CLI: one folder walker (`walkTree`) and picomatch for every glob a user
 * types (operands and `--ignore`: `*`, `**`, `?`, `[…]`, `[!…]`, `{a,b}`, `{1..3}`, `@(…)`, `!(…)`).
 */

export const TEMPLATE_SUFFIX = '.wxmsg.json';
const SKIP_DIRS = new Set(['node_modules', '.git']);

/** A glob the user typed that is not one (an inverted class such as `[z-a]`, an empty --ignore). */
export class PatternError extends Error {}

/** A folder under a linted path that could not be listed: its templates were not checked. */
export interface WalkError {
  /** The folder, as the user would write it (relative to the working folder when given so). */
  path: string;
  /** The fs error code (EACCES, ENAMETOOLONG, ENOENT, ELOOP…) or message. */
  reason: string;
}

export interface Expansion {
  files: string[];
  /** Arguments that matched nothing (usage errors). */
  unmatched: string[];
  /** Folders that could not be read: never skipped in silence (lint fails, see runLint). */
  errors: WalkError[];
}

export type ListDir = (dir: string) => fs.Dirent[];

export interface WalkOptions {
  /** The directory listing (default fs.readdirSync with file types); tests pass their own. */
  readdir?: ListDir;
  /** Levels below `root` to enter (the root's own entries are level 1); default no limit. */
  maxDepth?: number;
  /** Whether to enter a folder (`rel` is its path as `root` is written); default: not node_modules or .git. */
  enter?: (rel: string, name: string) => boolean;
  /** A folder that cannot be listed; default: skipped. */
  onError?: (rel: string, reason: string) => void;
}

/**
 * The one folder walker: breadth first, entries in code-unit order, so every caller sees files in
 * the same stable order. Yields every entry that is not a folder (files, symlinks, FIFOs,
 * sockets, devices: lint reports the odd ones unreadable rather than passing over them).
 */
export function* walkTree(root: string, options: WalkOptions = {}): Generator<{ rel: string; entry: fs.Dirent }> {
  const readdir = options.readdir ?? ((d: string) => fs.readdirSync(d, { withFileTypes: true }));
  const enter = options.enter ?? ((_rel: string, name: string) => !SKIP_DIRS.has(name));
  const maxDepth = options.maxDepth ?? Infinity;
  let level = [root];
  for (let depth = 1; depth <= maxDepth && level.length; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      let entries: fs.Dirent[];
      try {
        entries = readdir(dir);
      } catch (e) {
        options.onError?.(dir, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const rel = dir === '.' ? entry.name : `${dir.replace(/[\\/]$/, '')}/${entry.name}`;
        if (entry.isDirectory()) {
          if (enter(rel, entry.name)) next.push(rel);
        } else {
          yield { rel, entry };
        }
      }
    }
    level = next;
  }
}

export interface ExpandOptions {
  /** `--ignore` globs: files and folders found while walking a folder or a glob that match one are skipped. */
  ignore?: string[];
  /** For tests: the directory listing (default fs.readdirSync with file types). */
  readdir?: ListDir;
}

const PICO = { dot: true, posix: true, debug: true } as const;

/** A picomatch matcher, or a PatternError naming the glob the user typed. */
function matcher(glob: string, shown = glob): (s: string) => boolean {
  try {
    return picomatch(glob, PICO);
  } catch (e) {
    // "Invalid regular expression: /…/: Range out of order in character class": keep the reason.
    const reason = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    throw new PatternError(`invalid glob "${shown}": ${reason}`);
  }
}

/** Expands CLI operands: files as given, folders walked for *.wxmsg.json, globs matched with picomatch. */
export function expandOperands(operands: string[], cwd: string, options: ExpandOptions = {}): Expansion {
  const files: string[] = [];
  const unmatched: string[] = [];
  const errors: WalkError[] = [];
  const ignored = ignoreMatcher(options.ignore ?? [], cwd);
  const readdir: ListDir = options.readdir ?? ((d) => fs.readdirSync(d, { withFileTypes: true }));
  const walkOptions = (maxDepth?: number): WalkOptions => ({
    readdir: (d) => readdir(path.resolve(cwd, d)),
    maxDepth,
    enter: (rel, name) => !SKIP_DIRS.has(name) && !ignored(rel),
    onError: (rel, reason) => errors.push({ path: rel, reason }),
  });
  // One operand cannot name a file twice: resolving every path to compare is only needed for more.
  const seen = operands.length > 1 ? new Set<string>() : undefined;
  const add = (f: string) => {
    if (!seen) { files.push(f); return; }
    const key = path.resolve(cwd, f);
    if (!seen.has(key)) { seen.add(key); files.push(f); }
  };
  for (const op of operands.length ? operands : ['.']) {
    const before = files.length;
    const errorsBefore = errors.length;
    let st: fs.Stats | undefined;
    try { st = fs.statSync(path.resolve(cwd, op)); } catch { st = undefined; }
    // A path that exists is that path, even with glob characters in its name.
    if (!st && picomatch.scan(op).isGlob) {
      for (const f of glob(op, cwd, walkOptions, ignored)) add(f);
    } else if (st?.isDirectory()) {
      const found: string[] = [];
      for (const { rel } of walkTree(op, walkOptions())) if (rel.endsWith(TEMPLATE_SUFFIX) && !ignored(rel)) found.push(rel.split('/').join(path.sep));
      for (const f of found.sort()) add(f);
    } else if (st) {
      add(op);
    }
    // An operand whose folders could not be read is reported as such, not as matching nothing.
    if (files.length === before && errors.length === errorsBefore && !(operands.length === 0)) unmatched.push(op);
  }
  return { files, unmatched, errors };
}

/**
 * `--ignore` globs → whether a found file or folder is skipped. A glob without a slash matches a
 * name anywhere (`--ignore fixtures`, `--ignore '*.draft.wxmsg.json'`); one with a slash matches
 * the path from the working folder (`--ignore 'test/**'`, which also skips the folder test itself).
 */
export function ignoreMatcher(globs: string[], cwd: string): (found: string) => boolean {
  const rules = globs.map((g) => {
    const norm = g.split(path.sep).join('/').replace(/^\.\//, '').replace(/\/+$/, '');
    if (!norm) throw new PatternError('--ignore needs a glob');
    return { byName: !norm.includes('/'), test: matcher(norm, g) };
  });
  if (!rules.length) return () => false;
  return (found) => {
    const rel = path.relative(cwd, path.resolve(cwd, found)).split(path.sep).join('/');
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    return rules.some((r) => (r.byName ? r.test(name) : r.test(rel) || r.test(`${rel}/`)));
  };
}

function glob(pattern: string, cwd: string, walkOptions: (maxDepth?: number) => WalkOptions, ignored: (rel: string) => boolean): string[] {
  const norm = pattern.split(path.sep).join('/').replace(/^\.\//, '');
  const scan = picomatch.scan(norm);
  const base = scan.base || '.';
  const test = matcher(norm, pattern);
  // A base folder that does not exist: the glob matches nothing (a usage error), not a read error.
  if (!fs.statSync(path.resolve(cwd, base), { throwIfNoEntry: false })?.isDirectory()) return [];
  // Without `**` (or a brace that may hold a slash) a match is at most this many levels below the
  // base: deeper folders are not entered (nor reported when they cannot be read).
  const rest = scan.glob;
  const maxDepth = rest.includes('**') || /\{[^}]*\/[^}]*\}/.test(rest) ? undefined : rest.split('/').length;
  const out: string[] = [];
  for (const { rel } of walkTree(base, walkOptions(maxDepth))) {
    if (!ignored(rel) && test(rel)) out.push(rel);
  }
  return out.sort();
}
