import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../cli/io.ts';

export const TEMPLATE_SUFFIX = '.wxmsg.json';
const SKIP_DIRS = new Set(['node_modules', '.git']);

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

export interface ExpandOptions {
  /** `--ignore` globs: files and folders found while walking a folder or a glob that match one are skipped. */
  ignore?: string[];
  /** For tests: the directory listing (default fs.readdirSync with file types). */
  readdir?: (dir: string) => fs.Dirent[];
}

/** Expands CLI operands: files as given, folders walked for *.wxmsg.json, simple globs. */
export function expandOperands(operands: string[], cwd: string, options: ExpandOptions = {}): Expansion {
  const files: string[] = [];
  const unmatched: string[] = [];
  const errors: WalkError[] = [];
  const ignored = ignoreMatcher(options.ignore ?? [], cwd);
  const readdir = options.readdir ?? ((d: string) => fs.readdirSync(d, { withFileTypes: true }));
  const list = (d: string): fs.Dirent[] | undefined => {
    try {
      return readdir(path.resolve(cwd, d));
    } catch (e) {
      errors.push({ path: d, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
      return undefined;
    }
  };
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
    if (/[*?[]/.test(op)) {
      for (const f of glob(op, cwd, list, ignored)) add(f);
    } else {
      let st: fs.Stats | undefined;
      try { st = fs.statSync(path.resolve(cwd, op)); } catch { st = undefined; }
      if (st?.isDirectory()) for (const f of walk(op, list, ignored)) add(f);
      else if (st) add(op);
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
    if (!norm) throw new UsageError('--ignore needs a glob');
    return { byName: !norm.includes('/'), re: globToRegExp(norm) };
  });
  if (!rules.length) return () => false;
  return (found) => {
    const rel = path.relative(cwd, path.resolve(cwd, found)).split(path.sep).join('/');
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    return rules.some((r) => (r.byName ? r.re.test(name) : r.re.test(rel) || r.re.test(`${rel}/`)));
  };
}

/**
 * Every *.wxmsg.json under `dir`: regular files and symlinks, and also FIFOs, sockets and devices
 * with that name (lint then reports them unreadable rather than passing over them). Folders are
 * entered except node_modules, .git and the --ignore'd ones; a folder that cannot be listed is an
 * error (see `list`).
 */
function walk(dir: string, list: (d: string) => fs.Dirent[] | undefined, ignored: (rel: string) => boolean): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    const entries = list(d);
    if (!entries) continue;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const e of entries) {
      const rel = d === '.' ? e.name : path.join(d, e.name);
      if (ignored(rel)) continue;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) subdirs.push(rel);
      } else if (e.name.endsWith(TEMPLATE_SUFFIX)) {
        out.push(rel);
      }
    }
    for (const s of subdirs.reverse()) stack.push(s);
  }
  return out.sort();
}

/** `*` within a segment, `**` across segments, `?` one character, `[…]` a class. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') { i++; re += '(?:.*/)?'; } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i);
      if (close === -1) re += '\\[';
      // `[!…]` is the glob spelling of a negated class (as in sh), `[^…]` the regex one.
      else { re += '[' + pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']'; i = close; }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    // A class such as [z-a]: the user's pattern, not our bug.
    throw new UsageError(`invalid glob "${pattern}"`);
  }
}

function glob(pattern: string, cwd: string, list: (d: string) => fs.Dirent[] | undefined, ignored: (rel: string) => boolean): string[] {
  const norm = pattern.split(path.sep).join('/');
  const parts = norm.split('/');
  const baseParts: string[] = [];
  for (const p of parts) {
    if (/[*?[]/.test(p)) break;
    baseParts.push(p);
  }
  const base = baseParts.length ? baseParts.join('/') || '/' : '.';
  const re = globToRegExp(norm.startsWith('./') ? norm.slice(2) : norm);
  // A base folder that does not exist: the glob matches nothing (a usage error), not a read error.
  if (!fs.statSync(path.resolve(cwd, base), { throwIfNoEntry: false })?.isDirectory()) return [];
  // Without `**` a match is at most this many levels below the base: deeper folders are not
  // entered (nor reported when they cannot be read).
  const maxDepth = norm.includes('**') ? Infinity : parts.length - baseParts.length;
  const out: string[] = [];
  const stack: [string, number][] = [[base, 0]];
  while (stack.length) {
    const [d, depth] = stack.pop()!;
    const entries = list(d);
    if (!entries) continue;
    for (const e of entries) {
      const rel = d === '.' ? e.name : `${d.replace(/\/$/, '')}/${e.name}`;
      if (ignored(rel)) continue;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && depth + 1 < maxDepth) stack.push([rel, depth + 1]);
      } else if (re.test(rel.startsWith('./') ? rel.slice(2) : rel)) {
        out.push(rel);
      }
    }
  }
  return out.sort();
}
