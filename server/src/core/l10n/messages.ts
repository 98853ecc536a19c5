import type { Locale, ProjectProblem } from '../types.ts';
import { en as EN } from './en.ts';
import { zhCN as ZH } from './zh-cn.ts';

type Args = Record<string, string | number>;
type Table = Record<string, (a: Args) => string>;

const en: Table = EN.diag;

const zh: Table = ZH.diag;


export function message(locale: Locale, name: string, args: Args = {}): string {
  if (locale === 'zh-cn') {
    const full: Args = { ...args };
    if (args.expected !== undefined) full.expectedZh = ZH.words.typeName(String(args.expected));
    if (args.encoding !== undefined) full.encodingZh = String(args.encoding).replace(' with a BOM', '（带 BOM）').replace(' without a BOM', '（无 BOM）');
    if (args.actual !== undefined) full.actualZh = ZH.words.typeName(String(args.actual));
    return zh[name](full);
  }
  return en[name](args);
}

export { toLocale } from './locale.ts';


/** Why a project file cannot be used, in the user's language (paths as given). */
export function projectProblem(locale: Locale, p: ProjectProblem): string {
  return (locale === 'zh-cn' ? ZH : EN).project[p.reason]?.(p.file, p.detail ?? '') ?? p.file;
}

export const messageNames = { en: Object.keys(en), zh: Object.keys(zh) };
