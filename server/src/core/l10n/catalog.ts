import type { Locale } from '../types.ts';
import { en, type Catalog } from './en.ts';
import { zhCN } from './zh-cn.ts';

export type { Catalog } from './en.ts';

/** One catalog per locale (en.ts, zh-cn.ts). */
export const CATALOGS: Readonly<Record<Locale, Catalog>> = { en, 'zh-cn': zhCN };

export function catalog(locale: Locale): Catalog {
  return CATALOGS[locale] ?? en;
}
