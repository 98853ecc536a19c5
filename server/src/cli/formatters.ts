import * as path from 'node:path';
import { ALL_CODES, codeHref } from '../core/rules/codes.ts';
import { escapeControl, safeJson } from '../core/escape.ts';
import { severityName, type Diagnostic, type Locale } from '../core/types.ts';
import { stylishText } from '../core/l10n/cliText.ts';

export type { FileResult } from '../node/templateFiles.ts';
import type { FileResult } from '../node/templateFiles.ts';

export type Format = 'stylish' | 'json' | 'github' | 'sarif';
export const FORMATS: readonly Format[] = ['stylish', 'json', 'github', 'sarif'];

export function format(name: Format, results: FileResult[], version: string, locale: Locale = 'en'): string {
  switch (name) {
    case 'json': return formatJson(results);
    case 'github': return formatGithub(results);
    case 'sarif': return formatSarif(results, version);
    default: return formatStylish(results, locale);
  }
}

/** eslint's stylish layout: 1-based line:column, grouped by file, a summary line (words in `locale`). */
export function formatStylish(results: FileResult[], locale: Locale = 'en'): string {
  const t = stylishText(locale);
  let out = '';
  let errors = 0;
  let warnings = 0;
  let others = 0;
  for (const r of results) {
    if (!r.diagnostics.length) continue;
    out += `\n${escapeControl(r.file)}\n`;
    const rows = r.diagnostics.map((d) => {
      const sev = severityName(d.severity);
      if (sev === 'error') errors++;
      else if (sev === 'warning') warnings++;
      else others++;
      return [`${d.range.start.line + 1}:${d.range.start.character + 1}`, t.severity[sev], escapeControl(d.message.replace(/\r?\n/g, ' ')), d.code];
    });
    const w0 = Math.max(...rows.map((x) => x[0].length));
    const w1 = Math.max(...rows.map((x) => x[1].length));
    for (const [pos, sev, msg, code] of rows) out += `  ${pos.padEnd(w0)}  ${sev.padEnd(w1)}  ${msg}  ${code}\n`;
  }
  const total = errors + warnings + others;
  if (total === 0) return '';
  out += `\n${t.summary(total, errors, warnings, others)}\n`;
  return out;
}


export function formatJson(results: FileResult[]): string {
  return safeJson(results.map((r) => ({
    file: r.file,
    diagnostics: r.diagnostics.map((d) => ({
      range: d.range,
      severity: severityName(d.severity),
      code: d.code,
      message: d.message,
      source: d.source,
    })),
  }))) + '\n';
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands; lines and columns are 1-based there. */
export function formatGithub(results: FileResult[]): string {
  let out = '';
  for (const r of results) {
    for (const d of r.diagnostics) {
      const sev = severityName(d.severity);
      const cmd = sev === 'error' ? 'error' : sev === 'warning' ? 'warning' : 'notice';
      const { start, end } = d.range;
      out += `::${cmd} file=${escapeProperty(r.file)},line=${start.line + 1},col=${start.character + 1},endLine=${end.line + 1},endColumn=${end.character + 1},title=${escapeProperty(d.code)}::${escapeData(d.message)}\n`;
    }
  }
  return out;
}

/** SARIF 2.1.0, one rule per wxmsg code; regions are 1-based UTF-16 columns (SARIF's default). */
export function formatSarif(results: FileResult[], version: string): string {
  const rules = ALL_CODES.map((c) => ({ id: c, helpUri: codeHref(c), shortDescription: { text: c } }));
  const index = new Map<string, number>(ALL_CODES.map((c, i) => [c, i]));
  const level = (d: Diagnostic) => {
    const s = severityName(d.severity);
    return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
  };
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'wxmsg', version, informationUri: 'https://www.npmjs.com/package/wxmsg', rules } },
      results: results.flatMap((r) => r.diagnostics.map((d) => ({
        ruleId: d.code,
        ruleIndex: index.get(d.code) ?? -1,
        level: level(d),
        message: { text: d.message },
        locations: [{
          physicalLocation: {
            // A URI reference: spaces, '%', '#' and '?' in a file name are percent-encoded.
            artifactLocation: { uri: encodeURI(r.file.split('\\').join('/')).replace(/[?#]/g, encodeURIComponent) },
            region: {
              startLine: d.range.start.line + 1,
              startColumn: d.range.start.character + 1,
              endLine: d.range.end.line + 1,
              endColumn: d.range.end.character + 1,
            },
          },
        }],
      }))),
    }],
  };
  return safeJson(sarif) + '\n';
}

/** Up to five diagnostics of a project file as `file:line:col: message` lines (relative to cwd). */
export function located(config: { file: string }, ds: Diagnostic[], cwd: string, locale: Locale = 'en'): string {
  const rel = path.relative(cwd, config.file) || config.file;
  return ds.slice(0, 5).map((d) => `${rel}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`).join('\n  ')
    + (ds.length > 5 ? `\n  ${stylishText(locale).more(ds.length - 5)}` : '');
}
