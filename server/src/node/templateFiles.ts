import * as fs from 'node:fs';
import * as path from 'node:path';
import { getLanguageService, type ParsedTemplate } from '../core/languageService.ts';
import { decodeUtf8, type NotUtf8 } from '../core/parser/encoding.ts';
import { LIMITS } from '../core/rules/codes.ts';
import { mayHaveVariables, type VariableValue, type VariableValues } from '../core/rules/variables.ts';
import type { Diagnostic, Locale, ProjectContext } from '../core/types.ts';
import { withLedger } from './ledger.ts';
import { ProjectResolver } from './resolver.ts';
import { mergeVars, projectProfileVars, readVarsFile, varsFileFor } from './varsFile.ts';

/**
 * Templates on disk for the core: read (bounded, strict UTF-8), find the project, validate —
 * one read, one parse and one validation per template, for `wxmsg lint`, its worker threads,
 * `wxmsg preview` and `wxmsg send`.
 */

/** A template's findings, keyed by the path as given on the command line or found under a folder. */
export interface FileResult {
  /** The path as given on the command line or as found under a given folder. */
  file: string;
  diagnostics: Diagnostic[];
}

// Opening a FIFO or a terminal for reading would wait for a writer: with O_NONBLOCK the open
// returns at once and the read ends (no writer) or fails (EAGAIN); both are reported unreadable.
// (Windows has no such flag, and no FIFOs in a working tree.)
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);
/** Bytes read before giving up on a file (it is reported as too large, not checked). */
const MAX_TEMPLATE_BYTES = LIMITS.maxFileChars * 4;
let readBuffer = Buffer.allocUnsafe(64 * 1024);

/**
 * Reads a template as text: strict UTF-8 (BOM dropped; anything else is `notUtf8`), at most MAX_TEMPLATE_BYTES read, so a huge
 * file or an endless device (a symlink to /dev/zero) costs a bounded read, never a hang.
 * Open, read into a reused buffer, close: no stat, as lint reads thousands of these.
 */
export function readTemplate(file: string): { text: string } | { tooLarge: number } | { notUtf8: NotUtf8 } {
  const fd = fs.openSync(file, OPEN_FLAGS);
  try {
    let buf = readBuffer;
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (n > MAX_TEMPLATE_BYTES) {
          const size = fs.fstatSync(fd).size;
          return { tooLarge: Math.max(size, n) };
        }
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, MAX_TEMPLATE_BYTES + 1));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    // Nothing read: an empty file, or a FIFO / device with no writer (reads as end of file).
    if (n === 0 && !fs.fstatSync(fd).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
    const decoded = decodeUtf8(buf.subarray(0, n));
    return decoded.ok ? { text: decoded.text } : { notUtf8: decoded.notUtf8 };
  } finally {
    fs.closeSync(fd);
  }
}

export interface LintOptions {
  appid?: string;
  locale: Locale;
  resolver?: ProjectResolver;
  /** Check media_ids against the media ledger (.wxmsg/media.json) as of now; `cwd` bounds the search. */
  mediaLedger?: { cwd: string };
  /** Template variables given on the command line (and the profile's), over each template's *.vars.json. */
  variables?: ReadonlyMap<string, VariableValue>;
  /** The profile's vars; default: the defaultProfile of the nearest wxmsg.config.json. */
  profileVariables?: ReadonlyMap<string, VariableValue>;
}

export function lintFiles(files: string[], cwd: string, opts: LintOptions): FileResult[] {
  const resolver = opts.resolver ?? new ProjectResolver();
  return files.map((file) => ({ file, diagnostics: lintFile(path.resolve(cwd, file), resolver, opts) }));
}

/** A template checked once: its findings and, when it could be read, what they were computed from. */
export interface CheckedTemplate {
  diagnostics: Diagnostic[];
  /** Absent when the file could not be read as a template (unreadable, too large, not UTF-8). */
  template?: { text: string; parsed: ParsedTemplate | undefined; context: ProjectContext; variables: VariableValues | undefined };
}

export interface CheckOptions extends LintOptions {
  /** `wxmsg send`: the variables are exactly these (the caller merged *.vars.json, profile and flags). */
  exactVariables?: VariableValues;
  /** `wxmsg send`: a placeholder media_id gets its hint (the send then refuses it). */
  mediaPlaceholderHint?: boolean;
}

/** One template on disk: read, find its project, validate. Never throws for a bad file. */
export function lintFile(abs: string, resolver: ProjectResolver, opts: LintOptions): Diagnostic[] {
  return checkTemplateFile(abs, resolver, opts).diagnostics;
}

/**
 * {@link lintFile} that also hands back the text, its parse and the context it was checked
 * against, so a send prepares its payload from the same read and the same validation.
 */
export function checkTemplateFile(abs: string, resolver: ProjectResolver, opts: CheckOptions): CheckedTemplate {
  const service = getLanguageService(opts.locale);
  let read: ReturnType<typeof readTemplate>;
  try {
    read = readTemplate(abs);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return { diagnostics: service.fileProblem('unreadable-file', { reason }) };
  }
  if ('tooLarge' in read) return { diagnostics: service.fileProblem('file-too-large', { size: read.tooLarge, limit: LIMITS.maxFileChars }) };
  if ('notUtf8' in read) return { diagnostics: service.notUtf8(read.notUtf8) };
  const text = read.text;
  const base = resolver.contextFor(abs, { appid: opts.appid });
  const context = opts.mediaLedger ? withLedger(base, abs, resolver, opts.mediaLedger.cwd) : base;
  let variables = opts.exactVariables;
  if (!variables && mayHaveVariables(text)) {
    // A template with placeholders: values from its *.vars.json, under the ones given.
    const file = readVarsFile(varsFileFor(abs), path.basename(varsFileFor(abs)));
    const fromFile = file && 'values' in file ? file.values : undefined;
    const profile = opts.profileVariables ?? projectProfileVars(path.dirname(abs)).values;
    variables = mergeVars(fromFile, profile, opts.variables);
  }
  // Oversized text is not parsed: doValidation answers with file-too-large from its length alone.
  const parsed = text.length > LIMITS.maxFileChars ? undefined : service.parseTemplate(text);
  const diagnostics = service.doValidation(parsed ?? text, context, { variables, mediaPlaceholderHint: opts.mediaPlaceholderHint });
  return { diagnostics, template: { text, parsed, context, variables } };
}
