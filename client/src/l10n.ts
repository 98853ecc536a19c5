import type { Locale } from '../../server/src/core/types.ts';

/**
 * A translator: vscode.l10n in the extension (its messages in l10n/bundle.l10n.zh-cn.json), and
 * ENGLISH, the messages with {0} filled, where code runs without vscode (the tests). Code that
 * shows text takes one, so it can be tested in both languages; test/l10n.test.ts checks that
 * every `l10n.t` message has its zh-cn entry. Here, not in present.ts, so what activation loads
 * (dist/client.js) can take it without the send code.
 */
export interface L10n { t(message: string, ...args: (string | number | boolean)[]): string }

export const ENGLISH: L10n = { t: (m, ...args) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? '')) };

/**
 * VS Code's display language (vscode.env.language) → the catalog's locale. Only zh-cn has a
 * bundle (l10n/bundle.l10n.zh-cn.json, which VS Code loads for that language only): Traditional
 * Chinese and every other language get the English sentences, so the decoded words are English
 * there too and one message never mixes the two.
 */
export function editorLocale(language: string | undefined): Locale {
  return language?.trim().toLowerCase() === 'zh-cn' ? 'zh-cn' : 'en';
}
