import { checkBaseUrl, DEFAULT_API_BASE, type BaseUrlCheck } from '../../../server/src/send/baseUrl.ts';
import { DEFAULT_TIMEOUT_MS } from '../../../server/src/send/client.ts';

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

export function resolveBaseUrl(inspected: InspectLike<unknown> | undefined): ResolvedBaseUrl {
  const ignored: string[] = [];
  if (inspected?.workspaceValue !== undefined) ignored.push('workspace');
  if (inspected?.workspaceFolderValue !== undefined) ignored.push('workspace folder');
  const user = inspected?.globalValue;
  // A blank user value is refused (checkBaseUrl), never read as "the default": production.
  const useUser = typeof user === 'string';
  const value = useUser ? user.trim() : DEFAULT_API_BASE;
  return { value, source: useUser ? 'user settings' : 'default', ignored, check: checkBaseUrl(value) };
}

/** The notice logged when a workspace tried to set the base URL (value not echoed: it may be hostile). */
export function ignoredBaseUrlNotice(r: ResolvedBaseUrl): string | undefined {
  if (!r.ignored.length) return undefined;
  return `wxmsg.api.baseUrl set in the ${r.ignored.join(' and ')} settings was ignored: only your user settings choose where tokens are sent (using ${r.source === 'default' ? 'the default' : 'your user setting'}).`;
}

export const MIN_TIMEOUT_MS = 100;
export const MAX_TIMEOUT_MS = 600_000;

/** `wxmsg.api.timeout` in ms; anything not a sane positive number falls back to the default. */
export function resolveTimeout(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_TIMEOUT_MS;
  return Math.min(MAX_TIMEOUT_MS, Math.max(MIN_TIMEOUT_MS, Math.round(value)));
}
