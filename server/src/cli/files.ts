import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './io.ts';

export const TEMPLATE_SUFFIX = '.wxmsg.json';
const SKIP_DIRS = new Set(['node_modules', '.git']);

export interface Expansion {
  files: string[];
  /** Arguments that matched nothing (usage errors). */
  unmatched: string[];
}

/** Expands CLI operands: files as given, folders walked for *.wxmsg.json, simple globs. */
export function expandOperands(operands: string[], cwd: string): Expansion {
  const files: string[] = [];
  const unmatched: string[] = [];
  // One operand cannot name a file twice: resolving every path to compare is only needed for more.
  const seen = operands.length > 1 ? new Set<string>() : undefined;
  const add = (f: string) => {
    if (!seen) { files.push(f); return; }
    const key = path.resolve(cwd, f);
    if (!seen.has(key)) { seen.add(key); files.push(f); }
  };
  for (const op of operands.length ? operands : ['.']) {
    const before = files.length;
    if (/[*?[]/.test(op)) {
      for (const f of glob(op, cwd)) add(f);
    } else {
      let st: fs.Stats | undefined;
      try { st = fs.statSync(path.resolve(cwd, op)); } catch { st = undefined; }
      if (st?.isDirectory()) for (const f of walk(op, cwd)) add(f);
      else if (st) add(op);
    }
    if (files.length === before && !(operands.length === 0)) unmatched.push(op);
  }
  return { files, unmatched };
}

function walk(dir: string, cwd: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(path.resolve(cwd, d), { withFileTypes: true }); } catch { continue; }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const e of entries) {
      const rel = d === '.' ? e.name : path.join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) subdirs.push(rel);
      } else if (e.name.endsWith(TEMPLATE_SUFFIX) && (e.isFile() || e.isSymbolicLink())) {
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

function glob(pattern: string, cwd: string): string[] {
  const norm = pattern.split(path.sep).join('/');
  const parts = norm.split('/');
  const baseParts: string[] = [];
  for (const p of parts) {
    if (/[*?[]/.test(p)) break;
    baseParts.push(p);
  }
  const base = baseParts.length ? baseParts.join('/') || '/' : '.';
  const re = globToRegExp(norm.startsWith('./') ? norm.slice(2) : norm);
  const out: string[] = [];
  const stack = [base];
  while (stack.length) {
    const d = stack.pop()!;
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(path.resolve(cwd, d), { withFileTypes: true }); } catch { continue; }
    for (const e of entries) {
      const rel = d === '.' ? e.name : `${d.replace(/\/$/, '')}/${e.name}`;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) stack.push(rel);
      } else if (re.test(rel.startsWith('./') ? rel.slice(2) : rel)) {
        out.push(rel);
      }
    }
  }
  return out.sort();
}
