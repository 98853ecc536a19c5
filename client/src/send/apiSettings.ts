import { checkBaseUrl, DEFAULT_API_BASE, type BaseUrlCheck } from '../../../server/src/wechat/baseUrl.ts';
import { DEFAULT_TIMEOUT_MS } from '../../../server/src/wechat/apiClient.ts';
import { parse, type ParseError } from 'jsonc-parser';
import { ENGLISH, type L10n } from '../l10n.ts';
import type { Locale } from '../../../server/src/core/types.ts';

/**
 * Which API settings a send uses. `wxmsg.api.baseUrl` decides where the AppSecret and tokens
 * go, so only the user's own (machine) value counts: VS Code already drops a machine-scoped
 * value from workspace settings, but a cloned repo must never steer a token, so workspace and
 * folder values are ignored here too and the caller logs that they were.
 */
export interface InspectLike<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

export interface ResolvedBaseUrl {
  /** The raw value used (user setting, else the default). */
  value: string;
  source: 'user settings' | 'default';
  /** Scopes that set a value which was ignored ('workspace', 'workspace folder'). */
  ignored: string[];
  check: BaseUrlCheck;
}

/**
 * `found`: scopes whose settings files set the key (see settingsSetBaseUrl). VS Code drops a
 * machine-scoped value from workspace settings before `inspect()` sees it, so without reading
 * the files the notice would never be logged.
 */
export function resolveBaseUrl(inspected: InspectLike<unknown> | undefined, found: readonly string[] = [], locale?: Locale): ResolvedBaseUrl {
  const ignored: string[] = [];
  if (inspected?.workspaceValue !== undefined || found.includes('workspace')) ignored.push('workspace');
  if (inspected?.workspaceFolderValue !== undefined || found.includes('workspace folder')) ignored.push('workspace folder');
  const user = inspected?.globalValue;
  // A blank user value is refused (checkBaseUrl), never read as "the default": production.
  const useUser = typeof user === 'string';
  const value = useUser ? user.trim() : DEFAULT_API_BASE;
  return { value, source: useUser ? 'user settings' : 'default', ignored, check: checkBaseUrl(value, locale) };
}

/** The notice logged when a workspace tried to set the base URL (value not echoed: it may be hostile). */
export function ignoredBaseUrlNotice(r: ResolvedBaseUrl, l10n: L10n = ENGLISH): string | undefined {
  if (!r.ignored.length) return undefined;
  const where = r.ignored.length > 1 ? l10n.t('the workspace and workspace folder settings') : r.ignored[0] === 'workspace' ? l10n.t('the workspace settings') : l10n.t('the workspace folder settings');
  return r.source === 'default'
    ? l10n.t('wxmsg.api.baseUrl set in {0} was ignored: only your user settings choose where tokens are sent (using the default).', where)
    : l10n.t('wxmsg.api.baseUrl set in {0} was ignored: only your user settings choose where tokens are sent (using your user setting).', where);
}

/**
 * Whether a settings file's text (JSONC: `.vscode/settings.json`, or a `.code-workspace` file's
 * `settings`) sets wxmsg.api.baseUrl, flat (`"wxmsg.api.baseUrl"`) or nested (`"wxmsg": {"api": …}`).
 */
export function settingsSetBaseUrl(text: string, workspaceFile = false): boolean {
  const errors: ParseError[] = [];
  let root = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  if (workspaceFile) root = root && typeof root === 'object' ? (root as Record<string, unknown>).settings : undefined;
  if (!root || typeof root !== 'object' || Array.isArray(root)) return false;
  const r = root as Record<string, unknown>;
  if (r['wxmsg.api.baseUrl'] !== undefined) return true;
  const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : undefined);
  if (obj(r['wxmsg.api'])?.baseUrl !== undefined) return true;
  const w = obj(r.wxmsg);
  return w?.['api.baseUrl'] !== undefined || obj(w?.api)?.baseUrl !== undefined;
}

export const MIN_TIMEOUT_MS = 100;
export const MAX_TIMEOUT_MS = 600_000;

/** `wxmsg.api.timeout` in ms; anything not a sane positive number falls back to the default. */
export function resolveTimeout(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_TIMEOUT_MS;
  return Math.min(MAX_TIMEOUT_MS, Math.max(MIN_TIMEOUT_MS, Math.round(value)));
}
