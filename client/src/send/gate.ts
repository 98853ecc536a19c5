import { normalizeSettings } from '../../../server/src/lsp/protocol.ts';
import type { SeveritySetting } from '../../../server/src/core/types.ts';

/** What `getConfiguration('wxmsg').inspect('rules')` says, by scope. */
export interface InspectedRules {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The rule severities for the check that gates a send. Overrides count only from the user's
 * own settings (`globalValue`; in a remote window, the Remote settings): a cloned repository's
 * `.vscode/settings.json` or folder settings may quiet the editor, but they cannot switch off
 * the errors (unsafe-href, foreign-appid, duplicate-key, …) that stop a bad send.
 */
export function sendGateSeverities(inspected: InspectedRules | undefined): Record<string, SeveritySetting> {
  return normalizeSettings({ rules: inspected?.globalValue }).rules;
}
