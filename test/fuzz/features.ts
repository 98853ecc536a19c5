import { parseTemplate } from '../../server/src/core/parser/document.ts';
import { CONTEXT } from './check.ts';

/**
 * Checks for the pure language features (completion, hover, code actions, symbols, format) at a
 * few offsets of each input. Loaded when those modules exist, so the fuzzer covers them too.
 */
export function languageFeatureChecks(): Array<(text: string) => unknown> {
  const checks: Array<(text: string) => unknown> = [];
  let mods: Record<string, Record<string, (...a: unknown[]) => unknown>> = {};
  try {
    mods = {
      completion: require('../../server/src/core/services/completion.ts'),
      hover: require('../../server/src/core/services/hover.ts'),
      codeActions: require('../../server/src/core/services/codeActions.ts'),
      symbols: require('../../server/src/core/services/symbols.ts'),
      format: require('../../server/src/core/services/format.ts'),
      validate: require('../../server/src/core/services/validate.ts'),
    };
  } catch {
    return checks;
  }
  checks.push((text) => {
    if (text.length > 100_000) return;
    const doc = parseTemplate(text);
    const offsets = [0, text.length, text.length >> 1, text.indexOf('content') + 12, text.indexOf('<a') + 3, text.indexOf('pagepath') + 12].filter((o) => o >= 0 && o <= text.length);
    for (const o of offsets) {
      mods.completion.doComplete(doc, o, CONTEXT, 'en');
      mods.hover.doHover(doc, o, CONTEXT, 'zh-cn');
    }
    const diags = mods.validate.validate(doc, CONTEXT) as unknown[];
    mods.codeActions.getCodeActions(doc, diags, CONTEXT, 'en');
    mods.codeActions.getFixAllEdits(doc, diags, CONTEXT);
    mods.symbols.documentSymbols(doc);
    mods.format.formatTemplate(text, { tabSize: 2, insertSpaces: true });
  });
  return checks;
}
