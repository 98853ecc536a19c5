import * as path from 'node:path';
import { Severity, type Locale } from '../../core/types.ts';
import { frameText, lintText } from '../../core/l10n/cli/text.ts';
import { localeFromEnv } from '../locale.ts';
import { lintFiles } from '../../node/templateFiles.ts';
import { templateOperands } from '../operands.ts';
import { lintFilesParallel, PARALLEL_MIN_FILES, threadCount } from '../../node/lintPool.ts';
import { FORMATS, format, formatJson, type Format } from '../formatters.ts';
import { escapeControl, safeJson } from '../../core/escape.ts';
import { EXIT, UsageError, type CliIO, parseCliArgs } from '../io.ts';
import { VERSION } from '../../core/version.ts';
import { findProjectConfig, loadProjectConfig } from '../../node/projectConfigFile.ts';
import { helpText } from '../../core/l10n/cli/text.ts';
import { frameLocale } from '../locale.ts';

export { localeFromEnv } from '../locale.ts';

/** The help of wxmsg lint in `l` (the catalog's help section). */
export const lintHelp = (l?: Locale): string => helpText(l).lint({ parallelMin: PARALLEL_MIN_FILES });
export const LINT_HELP = lintHelp('en');

/**
 * `--concurrency`: off unless asked for. Worker threads did not pay off on the 2-core machine
 * `npm run bench` ran on (see lintPool.ts); until a run on 4 or more cores shows a gain they are opt-in.
 */
export function concurrencyOption(value: string | undefined, locale: Locale = 'en'): number | 'auto' {
  if (value === undefined || value === 'off') return 1;
  if (value === 'auto') return 'auto';
  if (/^[1-9]\d{0,2}$/.test(value)) return Number(value);
  throw new UsageError(lintText(locale).concurrency(value));
}

export async function runLint(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCliArgs({
    args,
    allowPositionals: true,
    options: {
      appid: { type: 'string' },
      format: { type: 'string', short: 'f' },
      'max-warnings': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      locale: { type: 'string' },
      concurrency: { type: 'string' },
      ignore: { type: 'string', multiple: true },
      'media-ledger': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  const v = parsed.values;
  if (v.help) { io.stdout.write(lintHelp(frameLocale(args, io.env))); return EXIT.ok; }
  if (v.version) { io.stdout.write(`${VERSION}\n`); return EXIT.ok; }
  const locale = localeFromEnv(io.env, v.locale);
  const t = lintText(locale);
  const fmt = (v.format ?? 'stylish') as Format;
  if (!FORMATS.includes(fmt)) throw new UsageError(frameText(locale).unknownFormat(String(v.format), FORMATS.join(', ')));
  let maxWarnings = -1;
  if (v['max-warnings'] !== undefined) {
    if (!/^\d+$/.test(v['max-warnings'])) throw new UsageError(t.maxWarningsNumber(v['max-warnings']));
    maxWarnings = Number(v['max-warnings']);
  }
  if (v.appid !== undefined && !v.appid.trim()) throw new UsageError(frameText(locale).needsValue('--appid'));
  const concurrency = concurrencyOption(v.concurrency, locale);

  const { files, unmatched, errors: unread } = templateOperands(parsed.positionals, io.cwd, { ignore: v.ignore });
  // Not everything asked for was checked: say so, and never next to a "✔ checked" line.
  const problems = [
    ...unmatched.map((u) => t.noMatch(escapeControl(u))),
    ...unread.map((e) => t.folderUnreadable(escapeControl(e.path), escapeControl(e.reason))),
  ];
  for (const p of problems) io.stderr.write(`wxmsg: ${p}\n`);

  // The ledger check reads the clock, so it is asked for (a CI run must not turn red on day 4).
  const mediaLedger = v['media-ledger'] ? { cwd: io.cwd } : undefined;
  const threads = io.workerScript && !mediaLedger ? threadCount(concurrency, files.length) : 1;
  let results = threads > 1
    ? await lintFilesParallel(files, io.cwd, { appid: v.appid?.trim(), locale, threads, workerScript: io.workerScript })
    : lintFiles(files, io.cwd, { appid: v.appid?.trim(), locale, mediaLedger });
  // The project file (profiles, test users) is checked too when there is one: its errors, and
  // any value in it shaped like a secret (wxmsg/secret-in-config).
  const projectFile = findProjectConfig(io.cwd);
  if (projectFile) results = [...results, { file: path.relative(io.cwd, projectFile) || projectFile, diagnostics: loadProjectConfig(projectFile, locale).diagnostics }];
  const errors = results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === Severity.Error).length, 0);
  const warnings = results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === Severity.Warning).length, 0);
  if (v.quiet) results = results.map((r) => ({ ...r, diagnostics: r.diagnostics.filter((d) => d.severity === Severity.Error) }));
  if (problems.length && fmt === 'json') {
    // Exit 2: the one answer on stdout is an error object (with what was checked).
    io.stdout.write(`${safeJson({ status: 'error', error: { kind: 'usage', message: problems.join('; ') }, results: JSON.parse(formatJson(results)) })}\n`);
    return EXIT.usage;
  }
  io.stdout.write(format(fmt, results, VERSION, locale));
  if (problems.length) return EXIT.usage;
  if (fmt === 'stylish' && files.length === 0) io.stderr.write(`wxmsg: ${t.noFiles}\n`);
  else if (fmt === 'stylish' && results.every((r) => r.diagnostics.length === 0)) {
    // Under --quiet the warnings are hidden, not gone: say only what is true.
    io.stdout.write(`${v.quiet && warnings > 0 ? t.cleanQuiet(files.length, warnings) : t.clean(files.length)}\n`);
  }

  if (errors > 0) return EXIT.findings;
  if (maxWarnings >= 0 && warnings > maxWarnings) {
    io.stderr.write(`wxmsg: ${t.tooManyWarnings(warnings, maxWarnings)}\n`);
    return EXIT.findings;
  }
  return EXIT.ok;
}
