import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { LIMITS } from '../core/rules/codes.ts';
import { computeLineStarts, positionAt } from '../core/parser/document.ts';
import { decodeUtf8, guessNames } from '../core/parser/encoding.ts';
import type { ProjectContext, ProjectProblem } from '../core/types.ts';

/**
 * Finds a template's project context on disk: the nearest project.config.json walking up from
 * the template (its appid, its miniprogramRoot) and the pages of that project's app.json.
 * The one place in server/src/ core that touches the file system; the CLI and the language
 * server share it, cached per project root.
 */
export interface ProjectInfo {
  root: string;
  configPath: string;
  appid?: string;
  appJsonPath?: string;
  pages?: string[];
  /** Why the project could not be read fully (language status, no-project-context, send). */
  problems: ProjectProblem[];
}

/** Config files larger than this are not read (a hostile 50 MB app.json must not stall us). */
export const MAX_CONFIG_BYTES = LIMITS.maxConfigBytes;

export interface ResolveOptions {
  /** Explicit appid (--appid, wxmsg.appid); wins over project.config.json. */
  appid?: string;
  /** Do not look above this folder, and ignore config files whose real path is outside it. */
  boundary?: string;
}

export class ProjectResolver {
  private readonly byDir = new Map<string, ProjectInfo | null>();

  /** Forget everything (a project.config.json or app.json changed). */
  clear(): void {
    this.byDir.clear();
  }

  contextFor(templatePath: string, options: ResolveOptions = {}): ProjectContext {
    const info = this.projectFor(templatePath, options.boundary);
    const ctx: ProjectContext = {};
    if (options.appid) {
      ctx.appid = options.appid;
      ctx.appidSource = 'the configured appid';
    } else if (info?.appid) {
      ctx.appid = info.appid;
      ctx.appidSource = info.configPath;
    }
    if (info?.pages) {
      ctx.pages = info.pages;
      ctx.pagesSource = info.appJsonPath;
    }
    if (info?.problems.length) ctx.problems = info.problems;
    return ctx;
  }

  projectFor(templatePath: string, boundary?: string): ProjectInfo | undefined {
    let dir = path.dirname(path.resolve(templatePath));
    const stop = boundary ? path.resolve(boundary) : undefined;
    const visited: string[] = [];
    let found: ProjectInfo | null | undefined;
    for (;;) {
      const cached = this.byDir.get(dir);
      if (cached !== undefined) { found = cached; break; }
      visited.push(dir);
      const candidate = path.join(dir, 'project.config.json');
      if (isFile(candidate) && within(candidate, stop)) { found = readProject(dir, candidate, stop); break; }
      const parent = path.dirname(dir);
      if (parent === dir || (stop && !isInside(parent, stop))) { found = null; break; }
      dir = parent;
    }
    for (const d of visited) this.byDir.set(d, found ?? null);
    return found ?? undefined;
  }
}

function isFile(p: string): boolean {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}

function isInside(p: string, root: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A config file counts only if its real path (after symlinks) stays inside the boundary. */
function within(p: string, boundary: string | undefined): boolean {
  if (!boundary) return true;
  try {
    return isInside(fs.realpathSync(p), fs.realpathSync(boundary));
  } catch {
    return false;
  }
}

/** Strict UTF-8 JSON(C) within MAX_CONFIG_BYTES; what is wrong goes to `problems`. */
function readJson(p: string, problems: ProjectProblem[]): unknown {
  let bytes: Buffer;
  try {
    const size = fs.statSync(p).size;
    if (size > MAX_CONFIG_BYTES) {
      problems.push({ file: p, reason: 'too-large', detail: String(size) });
      return undefined;
    }
    bytes = fs.readFileSync(p);
  } catch (e) {
    problems.push({ file: p, reason: 'unreadable', detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
    return undefined;
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    problems.push({ file: p, reason: 'not-utf8', detail: guessNames(decoded.notUtf8).label });
    return undefined;
  }
  const errors: ParseError[] = [];
  const v = parse(decoded.text, errors, { allowTrailingComma: true });
  if (errors.length) {
    const at = positionAt(computeLineStarts(decoded.text), errors[0].offset, decoded.text.length);
    problems.push({ file: p, reason: 'syntax', detail: `${at.line + 1}:${at.character + 1} (${printParseErrorCode(errors[0].error)})` });
  }
  if (v === undefined || v === null || typeof v !== 'object' || Array.isArray(v)) {
    if (!errors.length) problems.push({ file: p, reason: 'not-object' });
    return undefined;
  }
  return v;
}

function jsonType(v: unknown): string {
  return v === undefined ? 'missing' : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function readProject(root: string, configPath: string, boundary: string | undefined): ProjectInfo {
  const problems: ProjectProblem[] = [];
  const info: ProjectInfo = { root, configPath, problems };
  const config = readJson(configPath, problems) as Record<string, unknown> | undefined;
  if (config) {
    const appid = config.appid;
    if (typeof appid === 'string' && appid.trim() && appid !== 'touristappid') info.appid = appid.trim();
    else if (appid === 'touristappid') problems.push({ file: configPath, reason: 'tourist-appid' });
    else if (appid === undefined || (typeof appid === 'string' && !appid.trim())) problems.push({ file: configPath, reason: 'no-appid' });
    else problems.push({ file: configPath, reason: 'appid-type', detail: jsonType(appid) });
    const mpRoot = typeof config.miniprogramRoot === 'string' ? config.miniprogramRoot : '';
    const appJsonPath = path.join(root, mpRoot, 'app.json');
    if (isFile(appJsonPath) && within(appJsonPath, boundary ?? root)) {
      info.appJsonPath = appJsonPath;
      const appJson = readJson(appJsonPath, problems);
      const pages = pagesOf(appJson);
      if (pages) info.pages = pages;
      else if (appJson) problems.push({ file: appJsonPath, reason: 'pages-type', detail: jsonType((appJson as Record<string, unknown>).pages) });
    }
  }
  return info;
}

/** `pages` plus every subpackage's `root` + its pages (both spellings app.json accepts). */
export function pagesOf(appJson: unknown): string[] | undefined {
  if (!appJson || typeof appJson !== 'object') return undefined;
  const a = appJson as Record<string, unknown>;
  if (!Array.isArray(a.pages)) return undefined;
  const pages = a.pages.filter((p): p is string => typeof p === 'string').map((p) => p.replace(/^\/+/, ''));
  for (const key of ['subPackages', 'subpackages']) {
    const subs = a[key];
    if (!Array.isArray(subs)) continue;
    for (const s of subs) {
      if (!s || typeof s !== 'object') continue;
      const sub = s as Record<string, unknown>;
      const subRoot = typeof sub.root === 'string' ? sub.root.replace(/^\/+|\/+$/g, '') : '';
      if (!Array.isArray(sub.pages)) continue;
      for (const p of sub.pages) if (typeof p === 'string') pages.push(subRoot ? `${subRoot}/${p.replace(/^\/+/, '')}` : p);
    }
  }
  return pages;
}
