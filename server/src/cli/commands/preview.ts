import type { Locale } from '../../core/types.ts';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { escapeControl } from '../../core/escape.ts';
import { getLanguageService, PREVIEW_CSS, PREVIEW_STRINGS, renderIndexPage, renderPreviewPage, type IndexEntry, type PreviewModel } from '../../core/languageService.ts';
import { ProjectResolver } from '../../node/resolver.ts';
import { checkTemplateFile } from '../../node/templateFiles.ts';
import { VERSION } from '../../core/version.ts';
import { TEMPLATE_SUFFIX } from '../../node/files.ts';
import { templateOperands } from '../operands.ts';
import { EXIT, UsageError, parseCliArgs, type CliIO } from '../io.ts';
import { localeFromEnv } from '../locale.ts';
import { frameText, lintText, previewText } from '../../core/l10n/cli/text.ts';
import { helpText } from '../../core/l10n/cli/text.ts';
import { frameLocale } from '../locale.ts';

/** The help of wxmsg preview in `l` (the catalog's help section). */
export const previewHelp = (l?: Locale): string => helpText(l).preview();
export const PREVIEW_HELP = previewHelp('en');

/** The page of a template, relative to the output folder (forward slashes). */
export function pagePathFor(file: string, cwd: string, locale: Locale = 'en'): string {
  const rel = path.relative(cwd, path.resolve(cwd, file));
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new UsageError(previewText(locale).outside(escapeControl(file)));
  }
  const posix = rel.split(path.sep).join('/');
  const stem = posix.endsWith(TEMPLATE_SUFFIX) ? posix.slice(0, -TEMPLATE_SUFFIX.length) : posix;
  // index.html is the list of pages.
  return stem === 'index' ? 'index.wxmsg.html' : `${stem}.html`;
}

export function styleHash(): string {
  return createHash('sha256').update(PREVIEW_CSS).digest('base64');
}

/** One template read from disk, checked and modelled (one read, one validation); never throws for a bad file. */
export function previewFile(abs: string, resolver: ProjectResolver, opts: { appid?: string; locale: Locale }): PreviewModel {
  const service = getLanguageService(opts.locale);
  const { diagnostics, template } = checkTemplateFile(abs, resolver, opts);
  if (!template) return service.buildPreview('', {}, { diagnostics });
  return service.buildPreview(template.parsed ?? template.text, template.context, { diagnostics, variables: template.variables });
}

/** A path as the user can find it: relative to the working folder when inside it. */
function shown(p: string, cwd: string): string {
  const rel = path.relative(cwd, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

export async function runPreview(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCliArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      appid: { type: 'string' },
      locale: { type: 'string' },
      ignore: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const v = parsed.values;
  if (v.help) { io.stdout.write(previewHelp(frameLocale(args, io.env))); return EXIT.ok; }
  const locale = localeFromEnv(io.env, v.locale);
  const t = previewText(locale);
  if (v.out === undefined || !v.out.trim()) throw new UsageError(t.needsOut);
  if (v.appid !== undefined && !v.appid.trim()) throw new UsageError(frameText(locale).needsValue('--appid'));
  const outDir = path.resolve(io.cwd, v.out);

  const { files, unmatched, errors: unread } = templateOperands(parsed.positionals, io.cwd, { ignore: v.ignore });
  const problems = [
    ...unmatched.map((u) => lintText(locale).noMatch(escapeControl(u))),
    ...unread.map((e) => t.folderUnreadable(escapeControl(e.path), escapeControl(e.reason))),
  ];
  if (!problems.length && files.length === 0) problems.push(lintText(locale).noFiles);
  if (problems.length) {
    for (const p of problems) io.stderr.write(`wxmsg: ${p}\n`);
    return EXIT.usage;
  }
  // Every page's place is known before anything is written.
  const pages = files.map((file) => ({ file, page: pagePathFor(file, io.cwd, locale) }));

  const resolver = new ProjectResolver();
  const hash = styleHash();
  const footer = PREVIEW_STRINGS[locale].generatedBy(VERSION);
  const entries: IndexEntry[] = [];
  let withErrors = 0;
  for (const { file, page } of pages) {
    const model = previewFile(path.resolve(io.cwd, file), resolver, { appid: v.appid?.trim(), locale });
    const html = renderPreviewPage(model, { locale, fileName: file.split(path.sep).join('/'), security: { kind: 'static', styleHash: hash }, footer });
    const target = path.join(outDir, ...page.split('/'));
    write(target, html, locale);
    entries.push({ href: page, file: file.split(path.sep).join('/'), model });
    if (model.errorCount) withErrors++;
    io.stdout.write(`${t.page(escapeControl(file), escapeControl(shown(target, io.cwd)), model.errorCount, model.warningCount)}\n`);
  }
  const index = path.join(outDir, 'index.html');
  write(index, renderIndexPage(entries, { locale, styleHash: hash, footer }), locale);
  io.stdout.write(`${t.written(entries.length, escapeControl(shown(index, io.cwd)))}\n`);
  if (withErrors) {
    io.stderr.write(`wxmsg: ${t.withErrors(withErrors)}\n`);
    return EXIT.findings;
  }
  return EXIT.ok;
}

function write(file: string, text: string, locale: Locale): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new UsageError(previewText(locale).cannotWrite(escapeControl(file), escapeControl(reason)));
  }
}
