import * as fs from 'node:fs';
import * as path from 'node:path';
import { validate } from '../../server/src/core/services/validate.ts';
import { computeLineStarts } from '../../server/src/core/parser/document.ts';
import type { Diagnostic, ProjectContext, Range } from '../../server/src/core/types.ts';

export const CONTEXT: ProjectContext = {
  appid: 'wx1234567890abcdef',
  appidSource: 'project.config.json',
  pages: ['pages/index/index', 'pages/order/detail', 'packageA/pages/coupon/coupon'],
  pagesSource: 'app.json',
};

const ROOT = path.resolve(__dirname, '..', '..');

/** The valid examples (and fixtures) the fuzzer mutates. */
export function seedTemplates(): string[] {
  const dirs = ['examples/templates', 'test/fixtures/templates'];
  return dirs.flatMap((d) => fs.readdirSync(path.join(ROOT, d)).filter((f) => f.endsWith('.wxmsg.json')).map((f) => fs.readFileSync(path.join(ROOT, d, f), 'utf8')));
}

function inside(range: Range, lineStarts: number[], text: string): boolean {
  const lineLen = (line: number) => {
    const start = lineStarts[line];
    let end = line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length;
    while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
    return end - start;
  };
  for (const p of [range.start, range.end]) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character)) return false;
    if (p.line < 0 || p.line >= lineStarts.length || p.character < 0 || p.character > lineLen(p.line) + 1) return false;
  }
  const { start, end } = range;
  return start.line < end.line || (start.line === end.line && start.character <= end.character);
}

/** Runs the core on one input and returns a problem description, or undefined when all holds. */
export function checkOne(text: string, extra: Array<(t: string) => unknown> = []): string | undefined {
  let first: Diagnostic[];
  try {
    first = validate(text, CONTEXT);
  } catch (e) {
    return `validate threw: ${(e as Error).stack}`;
  }
  if (!Array.isArray(first)) return 'validate returned no array';
  const ls = computeLineStarts(text);
  for (const d of first) {
    if (!inside(d.range, ls, text)) return `range outside the document: ${JSON.stringify(d)}`;
    if (!d.code?.startsWith('wxmsg/') || typeof d.message !== 'string' || !d.message) return `malformed diagnostic ${JSON.stringify(d)}`;
  }
  const again = validate(text, CONTEXT);
  if (JSON.stringify(again) !== JSON.stringify(first)) return 'same input gave different output';
  for (const f of extra) {
    try {
      f(text);
    } catch (e) {
      return `language feature threw: ${(e as Error).stack}`;
    }
  }
  return undefined;
}

export const REGRESSIONS = path.join(ROOT, 'test/fixtures/fuzz-regressions');

export function saveRegression(text: string, why: string): string {
  fs.mkdirSync(REGRESSIONS, { recursive: true });
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  const file = path.join(REGRESSIONS, `crash-${(h >>> 0).toString(16)}.json`);
  fs.writeFileSync(file, JSON.stringify({ why: why.split('\n')[0], text }, null, 1));
  return file;
}
