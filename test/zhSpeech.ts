// vscode.l10n as a Chinese VS Code has it, for tests without VS Code: the messages of
// l10n/bundle.l10n.zh-cn.json with {n} filled. A message without an entry fails the test.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { L10n, Speech } from '../client/src/send/present.ts';

export const BUNDLE_ZH = JSON.parse(readFileSync(path.resolve(__dirname, '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

export const CHINESE: L10n = {
  t: (m, ...args) => {
    const zh = BUNDLE_ZH[m];
    assert.ok(typeof zh === 'string', `no zh-cn bundle entry for ${JSON.stringify(m)}`);
    return zh.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));
  },
};

/** What the send code speaks in a VS Code whose display language is zh-cn (ui.ts uiSpeech()). */
export const ZH: Speech = { l10n: CHINESE, locale: 'zh-cn' };
