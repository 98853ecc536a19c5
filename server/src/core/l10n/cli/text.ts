// The CLI catalog by locale, one accessor per section: a bundle keeps only the sections its code
// reads (esbuild drops the others), and a section missing from zh-cn.ts fails the typecheck here.
import type { CliCatalog } from './en.ts';
import * as en from './en.ts';
import * as zh from './zh-cn.ts';

export type { CliCatalog, ErrcodeWindow } from './en.ts';

/** The languages wxmsg speaks (core/types.ts re-exports it): defined here, at the bottom of the rooms. */
export type Locale = 'en' | 'zh-cn';

const pick = <S extends keyof CliCatalog>(locale: Locale | undefined, english: CliCatalog[S], chinese: CliCatalog[S]): CliCatalog[S] =>
  (locale === 'zh-cn' ? chinese : english);

export const frameText = (l?: Locale) => pick<'frame'>(l, en.frame, zh.frame);
export const lintText = (l?: Locale) => pick<'lint'>(l, en.lint, zh.lint);
export const stylishText = (l?: Locale) => pick<'stylish'>(l, en.stylish, zh.stylish);
export const previewText = (l?: Locale) => pick<'preview'>(l, en.preview, zh.preview);
export const errcodeText = (l?: Locale) => pick<'errcodes'>(l, en.errcodes, zh.errcodes);
export const apiText = (l?: Locale) => pick<'api'>(l, en.api, zh.api);
export const editorText = (l?: Locale) => pick<'editor'>(l, en.editor, zh.editor);
export const teamText = (l?: Locale) => pick<'team'>(l, en.team, zh.team);
export const recipientText = (l?: Locale) => pick<'recipient'>(l, en.recipient, zh.recipient);
export const pushText = (l?: Locale) => pick<'push'>(l, en.push, zh.push);
export const demoText = (l?: Locale) => pick<'demo'>(l, en.demo, zh.demo);
export const simulateText = (l?: Locale) => pick<'simulate'>(l, en.simulate, zh.simulate);
export const simText = (l?: Locale) => pick<'sim'>(l, en.sim, zh.sim);
export const historyText = (l?: Locale) => pick<'history'>(l, en.history, zh.history);
export const helpText = (l?: Locale) => pick<'help'>(l, en.help, zh.help);
export const wechatText = (l?: Locale) => pick<'wechat'>(l, en.wechat, zh.wechat);

/**
 * One sentence of the WeChat layer in both languages (core/types.ts Texts), for what both shells
 * show in their own language (token sources, allowed hosts, OpenID shape, notices).
 */
export const wechatBoth = (say: (t: CliCatalog['wechat']) => string): { en: string; zh: string } => ({ en: say(en.wechat), zh: say(zh.wechat) });
