import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { LIMITS } from '../core/rules/codes.ts';
import { computeLineStarts, positionAt } from '../core/parser/document.ts';
import { decodeUtf8 } from '../core/parser/encoding.ts';
import { VARIABLE_NAME, type VariableValue } from '../core/rules/variables.ts';
import { findProjectConfig, loadProjectConfig } from './projectConfigFile.ts';
import { filesText, type Locale } from '../core/l10n/cli/text.ts';

/**
 * Where template variables get their values from files and flags: `*.vars.json` next to a
 * template, `--vars file.json`, `--var name=value`. Values are strings; numbers and booleans
 * are taken as their JSON text. Anything else is refused with the file and the key.
 */

/** `welcome.wxmsg.json` → `welcome.vars.json` in the same folder. */
export function varsFileFor(templatePath: string): string {
  const dir = path.dirname(templatePath);
  const base = path.basename(templatePath).replace(/(\.wxmsg)?\.jsonc?$/i, '');
  return path.join(dir, `${base}.vars.json`);
}

export type VarsRead = { values: Map<string, VariableValue> } | { error: string };

/** Parses a vars object (the text of a file); `label` names the source in hovers and messages. */
export function parseVars(text: string, label: string, locale?: Locale): VarsRead {
  const t = filesText(locale);
  const errors: ParseError[] = [];
  const root: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const e = errors[0];
    const pos = positionAt(computeLineStarts(text), e.offset, text.length);
    return { error: t.varsSyntax(label, `${pos.line + 1}:${pos.character + 1}`, printParseErrorCode(e.error)) };
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return { error: t.varsNotObject(label) };
  return fromObject(root as Record<string, unknown>, label, locale);
}

/** An object of names to values (a vars file, a profile's `vars`). */
export function fromObject(obj: Record<string, unknown>, label: string, locale?: Locale): VarsRead {
  const t = filesText(locale);
  const values = new Map<string, VariableValue>();
  for (const [k, v] of Object.entries(obj)) {
    if (!VARIABLE_NAME.test(k)) return { error: t.varsBadName(label, k) };
    if (typeof v === 'string') values.set(k, { value: v, source: label });
    else if (typeof v === 'number' || typeof v === 'boolean') values.set(k, { value: String(v), source: label });
    else return { error: t.varsBadValue(label, k, v === null ? 'null' : Array.isArray(v) ? 'array' : 'object') };
  }
  return { values };
}

/** Reads a vars file (strict UTF-8, at most LIMITS.maxConfigBytes). `undefined` when it does not exist. */
export function readVarsFile(file: string, label = file, locale?: Locale): VarsRead | undefined {
  const t = filesText(locale);
  let buf: Buffer;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return { error: t.notAFile(label) };
    if (st.size > LIMITS.maxConfigBytes) return { error: t.tooLarge(label, st.size, LIMITS.maxConfigBytes) };
    buf = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    return { error: t.cannotRead(label, code ?? (e as Error).message) };
  }
  const decoded = decodeUtf8(buf);
  if (!decoded.ok) return { error: t.notUtf8(label) };
  return parseVars(decoded.text, label, locale);
}

/** `--var name=value` (repeatable): the first `=` splits; the name must be a variable name. */
export function parseVarFlags(flags: readonly string[], locale?: Locale): VarsRead {
  const t = filesText(locale);
  const values = new Map<string, VariableValue>();
  for (const f of flags) {
    const eq = f.indexOf('=');
    if (eq <= 0) return { error: t.varFlag(f) };
    const name = f.slice(0, eq);
    if (!VARIABLE_NAME.test(name)) return { error: t.varFlagName(name) };
    values.set(name, { value: f.slice(eq + 1), source: '--var' });
  }
  return { values };
}

/** Later maps win: pass them lowest precedence first. */
export function mergeVars(...maps: (ReadonlyMap<string, VariableValue> | undefined)[]): Map<string, VariableValue> {
  const out = new Map<string, VariableValue>();
  for (const m of maps) if (m) for (const [k, v] of m) out.set(k, v);
  return out;
}

/** A profile's `vars` (wxmsg.config.json): the same rules as a vars file, named after the profile. */
export function profileVars(profile: { name: string; vars?: Record<string, unknown> } | undefined): VarsRead {
  if (!profile?.vars) return { values: new Map() };
  return fromObject(profile.vars, `profile "${profile.name}"`);
}

/**
 * The `vars` of a profile in the nearest wxmsg.config.json above `dir` (read with the project
 * file's own loader): the profile named, else its `defaultProfile`. Nothing when there is no
 * project file or no such profile.
 */
export function projectProfileVars(dir: string, name?: string): { values?: Map<string, VariableValue>; profile?: string; error?: string } {
  const file = findProjectConfig(dir);
  if (!file) return {};
  const loaded = loadProjectConfig(file);
  const config = loaded.config;
  const chosen = name ?? config?.defaultProfile;
  if (!config || !chosen || !Object.hasOwn(config.profiles, chosen)) return {};
  const vars = config.profiles[chosen].vars;
  if (!vars || !Object.keys(vars).length) return { profile: chosen };
  const read = fromObject(vars, `profile "${chosen}"`);
  return 'error' in read ? { profile: chosen, error: read.error } : { profile: chosen, values: read.values };
}
