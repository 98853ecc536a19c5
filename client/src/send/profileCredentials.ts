import * as vscode from 'vscode';
import { editorLocale } from '../l10n.ts';
import type { Profile } from '../../../server/src/core/rules/profileConfig.ts';
import { checkSecretHost, parseAllowedHosts } from '../../../server/src/wechat/hosts.ts';
import { describeRecipient, maskAmong, openIdShapeProblem } from '../../../server/src/wechat/openid.ts';
import { APPROVED_KEY, consentToTokenCommand, shownCommand } from './tokenConsent.ts';
import type { Texts } from '../../../server/src/core/types.ts';
import { fetchTokenUrl, runTokenCommand, type TokenResult } from '../../../server/src/wechat/tokenSources.ts';
import { nodeTransport } from '../../../server/src/wechat/nodeTransport.ts';
import type { DecodedResult } from '../../../server/src/core/facts/errcodes.ts';
import type { TokenRefetch } from './sendService.ts';
import type { LoadedProfiles, Profiles } from './profiles.ts';

/**
 * What a send takes from the active profile (profiles.ts): its test users, its apiBase when it
 * may receive secrets, and credentials from its token-command or token-url. Loaded with the send
 * code on first use (dist/clientSend.js).
 */

/** `wxmsg.testUsers` for one appid (aliases → OpenIDs; anything else dropped). */
export function settingsTestUsers(appid: string | undefined): Record<string, string> {
  const all = vscode.workspace.getConfiguration('wxmsg').get<unknown>('testUsers');
  const of = appid && all && typeof all === 'object' ? (all as Record<string, unknown>)[appid] : undefined;
  const out: Record<string, string> = {};
  if (of && typeof of === 'object') for (const [k, v] of Object.entries(of)) if (typeof v === 'string' && v.trim()) out[k] = v.trim();
  return out;
}

/** The test users of a send: the profile's over `wxmsg.testUsers[appid]`. */
export function testUsersFor(appid: string | undefined, profile: Profile | undefined): Record<string, string> {
  return { ...settingsTestUsers(appid), ...(profile && (!profile.appid || profile.appid === appid) ? profile.testUsers : {}) };
}

/** An alias (exact) → its OpenID; otherwise the input itself. */
export function resolveRecipient(input: string, users: Record<string, string>): { openId: string; alias?: string } {
  const t = input.trim();
  if (Object.hasOwn(users, t)) return { openId: users[t], alias: t };
  const alias = Object.entries(users).find(([, id]) => id === t)?.[0];
  return { openId: t, alias };
}

export function who(openId: string, alias: string | undefined, users: Record<string, string>): string {
  return describeRecipient(openId, alias, Object.values(users));
}

export { maskAmong, openIdShapeProblem };

/** A text of the shared layers (wechat/: token sources, allowed hosts) in VS Code's display language. */
export function inUiLanguage(t: Texts): string {
  return editorLocale(vscode.env.language) === 'zh-cn' ? t.zh : t.en;
}

/** The allow-list the user keeps (machine scope: a workspace cannot set it; inspect()'s global value only). */
function allowedHosts(): string[] {
  return parseAllowedHosts(vscode.workspace.getConfiguration('wxmsg').inspect<string[]>('api.allowedHosts')?.globalValue ?? []);
}

const SETTING: Texts = { en: 'wxmsg.api.allowedHosts (user settings; Remote settings in a remote window)', zh: 'wxmsg.api.allowedHosts（用户设置；远程窗口中为远程设置）' };

/** Where a profile sends secrets (its apiBase, its token-url): official, loopback or `wxmsg.api.allowedHosts`; else why not. */
function checkHost(raw: string, what: string): { ok: true; url: URL } | { ok: false; message: string } {
  const r = checkSecretHost(raw, allowedHosts(), { en: what, zh: what }, SETTING);
  return r.ok ? r : { ok: false, message: inUiLanguage(r.message) };
}

/** A profile's apiBase when it may receive secrets (official, loopback, `wxmsg.api.allowedHosts`), else why not. */
export function profileApiBase(profile: Profile): { base?: string; error?: string } {
  if (!profile.apiBase) return {};
  const ok = checkHost(profile.apiBase, vscode.l10n.t('profile "{0}": apiBase', profile.name));
  return ok.ok ? { base: profile.apiBase } : { error: ok.message };
}

export { APPROVED_KEY };
/** The secret storage key of a token service's header value (per environment variable name, as the CLI reads it). */
const headerKey = (env: string): string => `wxmsg.tokenServiceHeader/${env}`;

export interface TokenDeps {
  secrets: vscode.SecretStorage;
  global: vscode.Memento;
  maskValue(value: string): void;
  log(line: string): void;
  /** Automation (`confirm: false`): never ask, refuse what needs asking. */
  automation: boolean;
  /** What the secret storage holds for the appid (SendService.storedCredentials). */
  stored(appid: string): Promise<StoredCredentials>;
}

/**
 * The modal that asks to run a token-command: the exact command (escaped: what runs, in order),
 * where it runs and from which file; said so when the command changed since it was approved.
 */
async function askToRun(q: { profile: string; shown: string; root: string; changed: boolean }, file: string): Promise<boolean> {
  const run = vscode.l10n.t('Run It');
  const message = q.changed
    ? vscode.l10n.t('The token-command of profile "{0}" has changed since you approved it. Run the new command?', q.profile)
    : vscode.l10n.t('Profile "{0}" gets its access token by running a command from this repository. Run it?', q.profile);
  const answer = await vscode.window.showWarningMessage(message, {
    modal: true,
    detail: [q.shown, vscode.l10n.t('in {0} (no shell; from {1}; asked again when the command changes)', q.root, file)].join('\n'),
  }, run);
  return answer === run;
}

/**
 * Credentials from a profile's token source, or a string saying why there are none:
 * - token-command: only in a trusted workspace, after a confirmation that shows the exact command,
 *   asked again when it changes (tokenConsent.ts); its output is never shown;
 * - token-url: the host must be allowed like an apiBase; its header value from the secret storage
 *   (asked once, stored there);
 * - appsecret / access-token: the one kind stored in VS Code's secret storage for the appid that
 *   the source names (never the other one).
 * Undefined for a profile without a token source: whichever is stored, as without profiles.
 */
export async function profileCredentials(loaded: LoadedProfiles, profile: Profile, appid: string, deps: TokenDeps): Promise<ProfileCredentials | string | undefined> {
  const src = profile.token;
  if (!src) return undefined;
  if (src.source === 'appsecret' || src.source === 'access-token') {
    const stored = await deps.stored(appid);
    if (src.source === 'appsecret') {
      return stored.appSecret ? { creds: { appid, appSecret: stored.appSecret }, kind: 'AppSecret', origin: 'stored' }
        : vscode.l10n.t('profile "{0}" takes its token from the AppSecret, and none is stored for appid {1}: run "WeChat (wxmsg): Set AppSecret"', profile.name, appid);
    }
    return stored.accessToken ? { creds: { appid, accessToken: stored.accessToken }, kind: 'access token', origin: 'stored' }
      : vscode.l10n.t('profile "{0}" uses a ready access token, and none is stored for appid {1}: run "WeChat (wxmsg): Set Access Token"', profile.name, appid);
  }
  if (src.source === 'token-command') {
    const consent = await consentToTokenCommand(loaded.file, loaded.root, profile.name, src.command, {
      trusted: vscode.workspace.isTrusted,
      automation: deps.automation,
      approved: deps.global.get<Record<string, string>>(APPROVED_KEY) ?? {},
      save: (next) => deps.global.update(APPROVED_KEY, next),
      ask: (q) => askToRun(q, loaded.file),
    });
    if (!consent.ok) {
      if (consent.reason === 'untrusted') return vscode.l10n.t('profile "{0}" gets its token from a command, which runs only in a trusted workspace: trust this workspace first', profile.name);
      if (consent.reason === 'not-approved') return vscode.l10n.t('profile "{0}" runs {1} for its token, which you have not approved: send from the editor once to see the command and approve it', profile.name, consent.shown);
      deps.log(vscode.l10n.t('token-command of profile "{0}" not approved: {1}', profile.name, consent.shown));
      return vscode.l10n.t('the token-command of profile "{0}" was not approved', profile.name);
    }
    if (consent.asked) deps.log(vscode.l10n.t('token-command of profile "{0}" approved: {1}', profile.name, shownCommand(src.command)));
    const r = await runTokenCommand(src.command, loaded.root);
    if (!r.ok) return vscode.l10n.t('profile "{0}": {1}', profile.name, inUiLanguage(r.message));
    deps.maskValue(r.token);
    return { creds: { appid, accessToken: r.token }, kind: 'access token', origin: 'token-command' };
  }
  const ok = checkHost(src.url, vscode.l10n.t('profile "{0}": token.url', profile.name));
  if (!ok.ok) return ok.message;
  let value = await deps.secrets.get(headerKey(src.headerEnv));
  if (!value) {
    if (deps.automation) return vscode.l10n.t('no value for the {0} header of the token service is stored ({1}): run "WeChat (wxmsg): Set Token Service Header…"', src.header, src.headerEnv);
    value = await vscode.window.showInputBox({ title: vscode.l10n.t('WeChat (wxmsg): {0} header for {1}', src.header, ok.url.host), prompt: vscode.l10n.t('The value of the {0} header the token service expects (used verbatim). Kept in VS Code\'s secret storage.', src.header), password: true, ignoreFocusOut: true });
    if (!value) return vscode.l10n.t('no value for the {0} header of the token service', src.header);
    await deps.secrets.store(headerKey(src.headerEnv), value);
  }
  deps.maskValue(value);
  const header = value;
  // One transport per request: the send may refetch minutes later (after WeChat refused the token).
  const fetchToken = async (): Promise<TokenResult> => {
    const transport = nodeTransport({});
    try {
      const r = await fetchTokenUrl(src.url, src.header, header, transport, 10_000);
      if (r.ok) deps.maskValue(r.token);
      return r;
    } finally {
      await transport.close().catch(() => undefined);
    }
  };
  const r = await fetchToken();
  if (!r.ok) return vscode.l10n.t('profile "{0}": {1}', profile.name, inUiLanguage(r.message));
  return { creds: { appid, accessToken: r.token }, kind: 'access token', origin: 'token-url', host: ok.url.host, refetch: { fetch: fetchToken, texts: refetchTexts() } };
}

/** What VS Code's secret storage holds for an appid (SendService.storedCredentials). */
export interface StoredCredentials { appSecret?: string; accessToken?: string }

export interface ProfileCredentials {
  creds: { appid: string; appSecret: string } | { appid: string; accessToken: string };
  kind: 'AppSecret' | 'access token';
  /** Where it came from, as the confirmation says it. */
  origin: 'stored' | 'token-command' | 'token-url';
  host?: string;
  /** token-url: its token service, asked once more when WeChat refuses the token as stale. */
  refetch?: TokenRefetch;
}

/** The token-url refetch in the user's language (sendService.ts is without vscode). */
export function refetchTexts(): TokenRefetch['texts'] {
  const what = (d: Pick<DecodedResult, 'description' | 'en'> | undefined) => (d ? (editorLocale(vscode.env.language) === 'zh-cn' ? d.description : d.en) : '');
  return {
    refetched: (errcode) => vscode.l10n.t('WeChat refused the token service\'s token (errcode {0}): fetched a new one from the token service and sent again.', errcode),
    sameTokenLens: () => vscode.l10n.t('not sent: the token service handed back the refused token'),
    sameToken: (errcode, d) => vscode.l10n.t('Not sent: WeChat refused the token service\'s token (errcode {0} {1}), and asked once more the token service handed back the same token: it holds a stale token or another app\'s. Ask its owners to refresh it.', errcode, what(d)),
    failedLens: () => vscode.l10n.t('not sent: fetching a new token failed'),
    failed: (errcode, d, reason) => vscode.l10n.t('Not sent: WeChat refused the token service\'s token (errcode {0} {1}), and fetching a new one failed: {2}.', errcode, what(d), inUiLanguage(reason)),
    refusedAgain: (errcode) => vscode.l10n.t('WeChat refused the new token from the token service too (errcode {0}): the service may hand out tokens of another appid; check which app it serves.', errcode),
  };
}

/**
 * "WeChat (wxmsg): Set Token Service Header…": the value of the active profile's token-url
 * header (the CLI reads it from the environment variable `headerEnv`) into VS Code's secret
 * storage, replacing the stored one. `{ value }` (and `{ headerEnv }` for another profile's)
 * skip the dialogs for automation; the value is never logged or shown.
 */
export async function setTokenServiceHeader(profiles: Profiles, log: (line: string) => void, args: { headerEnv?: string; value?: string } = {}): Promise<boolean> {
  if (!profiles.secrets) return false;
  const src = (await profiles.active())?.profile.token;
  const own = src?.source === 'token-url' ? src : undefined;
  const headerEnv = args.headerEnv ?? own?.headerEnv;
  if (!headerEnv) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The active profile does not get its token from a token-url: switch to one that does (WeChat: Switch Profile…).'));
    return false;
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(headerEnv)) {
    void vscode.window.showErrorMessage(vscode.l10n.t('"{0}" is not the name of an environment variable (letters, digits, _): nothing was stored.', headerEnv));
    return false;
  }
  const header = own && own.headerEnv === headerEnv ? own.header : 'Authorization';
  const value = args.value ?? await vscode.window.showInputBox({
    title: vscode.l10n.t('WeChat (wxmsg): Set Token Service Header ({0})', headerEnv),
    prompt: vscode.l10n.t('The value of the {0} header the token service expects (used verbatim). Kept in VS Code\'s secret storage.', header),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('the value is empty')),
  });
  if (value === undefined) return false;
  if (!value.trim()) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The header value is empty: nothing was stored.'));
    return false;
  }
  await profiles.secrets.store(headerKey(headerEnv), value);
  log(vscode.l10n.t('token service header value ({0}) stored in the secret storage', headerEnv));
  void vscode.window.showInformationMessage(vscode.l10n.t('The token service header value ({0}) is stored in VS Code\'s secret storage.', headerEnv));
  return true;
}
