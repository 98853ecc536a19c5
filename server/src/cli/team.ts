import * as path from 'node:path';
import { escapeControl } from '../core/escape.ts';
import { CONFIG_FILE, configErrors, type LoadedConfig, type Profile } from '../core/rules/profileConfig.ts';
import { findProjectConfig, loadProjectConfig } from '../node/projectConfigFile.ts';
import { checkSecretHost, parseAllowedHosts } from '../wechat/hosts.ts';
import { aliasOf, openIdShapeProblem } from '../wechat/openid.ts';
import { ALLOW_ENV, isCommandAllowed } from '../node/consent.ts';
import { checkOpenId } from '../wechat/template.ts';
import { textIn, type Locale, type Texts } from '../core/types.ts';
import { teamText } from '../core/l10n/cli/text.ts';
import type { Credentials } from '../wechat/client.ts';
import { ProxyConfigError, proxyForUrl } from '../wechat/proxyEnv.ts';
import { undiciTransport } from '../wechat/undiciTransport.ts';
import { fetchTokenUrl, runTokenCommand, type TokenResult } from '../wechat/tokenSources.ts';
import { UsageError, type CliIO, type Output } from './io.ts';
import { located } from './formatters.ts';

/**
 * The team part of `wxmsg send`: the project file, the profile, test-user aliases and the checks
 * a repository cannot talk its way around (allowed hosts, consent for token-commands, --yes for
 * production). Precedence: flags > WXMSG_* environment > the profile > project.config.json.
 */
export interface TeamChoice {
  config?: LoadedConfig;
  profile?: Profile;
  /** The recipient's OpenID and its alias, if it has one. */
  to: string;
  alias?: string;
  /** The test users of the profile (what the mask must tell apart). */
  knownIds: string[];
  appid?: string;
  apiBase?: string;
}

/** A catalog text of the team section in both languages (what wechat/ helpers take). */
/** `--to` values shorter than this are taken for aliases, never OpenIDs (real ones have 28 characters). */
export const ALIAS_TYPO_BELOW = 20;

function both(key: 'whatApiBase' | 'whatTokenUrl' | 'headerEnvUnset', a: Record<string, string | number>): Texts {
  return { en: teamText('en')[key](a), zh: teamText('zh-cn')[key](a) };
}

export function chooseTeam(
  v: { profile?: string; to?: string; appid?: string; 'api-base'?: string },
  io: CliIO,
  templateFile: string,
  locale: Locale,
  stderr: Output,
): TeamChoice {
  const t = teamText(locale);
  const cfgFile = findProjectConfig(path.dirname(templateFile)) ?? findProjectConfig(io.cwd);
  const profileName = v.profile ?? (io.env.WXMSG_PROFILE?.trim() || undefined);
  if (v.profile !== undefined && !v.profile.trim()) throw new UsageError(t.profileNeedsName());
  if (!cfgFile) {
    if (profileName) throw new UsageError(t.noConfigFile({ name: profileName, file: CONFIG_FILE, dir: path.dirname(templateFile) }));
    return { to: (v.to ?? '').trim(), knownIds: [] };
  }
  const config = loadProjectConfig(cfgFile, locale);
  for (const d of config.diagnostics.filter((x) => x.code === 'wxmsg/secret-in-config')) {
    stderr.write(`wxmsg: ${t.warning()}: ${located(config, [d], io.cwd, locale)}\n`);
  }
  const name = profileName ?? config.config?.defaultProfile;
  const errors = configErrors(config);
  if (!name) {
    if (errors.length) stderr.write(`wxmsg: ${t.warning()}: ${t.errorsNoProfile({ file: CONFIG_FILE })}\n  ${located(config, errors, io.cwd, locale)}\n`);
    return { config, to: (v.to ?? '').trim(), knownIds: [] };
  }
  if (errors.length) throw new UsageError(`${t.errorsForProfile({ file: CONFIG_FILE, n: errors.length, name })}\n  ${located(config, errors, io.cwd, locale)}`);
  const profiles = config.config?.profiles ?? {};
  const profile = Object.hasOwn(profiles, name) ? profiles[name] : undefined;
  if (!profile) throw new UsageError(t.noSuchProfile({ name, file: path.relative(io.cwd, cfgFile) || cfgFile, list: Object.keys(profiles).join(', ') }));

  // appid: --appid must agree with the profile (two appids on one command line is a mistake).
  const flagAppid = v.appid?.trim();
  if (flagAppid && profile.appid && flagAppid !== profile.appid) {
    throw new UsageError(t.appidDiffers({ flag: flagAppid, name, appid: profile.appid }));
  }

  // The API base: the user's own --api-base / WXMSG_API_BASE win and count as allowed; the
  // profile's (the repository's) must be an official host, loopback or on the user's allow-list.
  const allowed = parseAllowedHosts(io.env.WXMSG_ALLOWED_HOSTS);
  let apiBase: string | undefined;
  if (v['api-base'] === undefined && io.env.WXMSG_API_BASE === undefined && profile.apiBase) {
    const ok = checkSecretHost(profile.apiBase, allowed, both('whatApiBase', { name }));
    if (!ok.ok) throw new UsageError(textIn(ok.message, locale));
    apiBase = profile.apiBase;
  }
  if (profile.token?.source === 'token-url') {
    const ok = checkSecretHost(profile.token.url, allowed, both('whatTokenUrl', { name }));
    if (!ok.ok) throw new UsageError(textIn(ok.message, locale));
  }

  // The recipient: an alias of the profile's test users, or an OpenID.
  const raw = (v.to ?? '').trim();
  let to = raw;
  let alias: string | undefined;
  if (Object.hasOwn(profile.testUsers, raw)) {
    alias = raw;
    to = profile.testUsers[raw];
  } else {
    alias = aliasOf(raw, profile.testUsers);
    // A value far shorter than an OpenID (28 characters in practice) is a mistyped alias when the
    // profile has test users ("qb" for "qa"): a usage error naming them, not a send that WeChat
    // answers with 40003.
    const aliasTypo = !alias && raw.length < ALIAS_TYPO_BELOW && Object.keys(profile.testUsers).length > 0;
    if (checkOpenId(raw) || aliasTypo) {
      const aliases = Object.keys(profile.testUsers);
      throw new UsageError(t.notTestUser({ to: raw, name, list: aliases.join(', ') }));
    }
  }
  return { config, profile, to, alias, knownIds: Object.values(profile.testUsers), appid: flagAppid ?? profile.appid, apiBase };
}

/** Why this run may not go on (production without --yes, an unallowed token-command), or undefined. */
export function teamRefusal(team: TeamChoice, io: CliIO, yes: boolean, locale: Locale = 'en'): string | undefined {
  const p = team.profile;
  if (!p) return undefined;
  const t = teamText(locale);
  if (p.production && !yes) return t.productionNeedsYes({ name: p.name });
  if (p.token?.source === 'token-command' && !io.env.WXMSG_ACCESS_TOKEN?.trim() && !isCommandAllowed(io.env, team.config!.file, p.token.command)) {
    return t.commandNotAllowed({ name: p.name, command: escapeControl(JSON.stringify(p.token.command)), file: team.config!.file, root: team.config!.root, env: ALLOW_ENV });
  }
  return undefined;
}

/** The shape warning in the user's language (sending goes on: not an official rule). */
export function shapeWarning(team: TeamChoice, locale: Locale = 'en'): string | undefined {
  const p = openIdShapeProblem(team.to, team.knownIds);
  if (!p) return undefined;
  return locale === 'zh-cn' ? `wxmsg: 警告：${p.zh}\n` : `wxmsg: warning: ${p.en}\n`;
}

/**
 * The credentials a profile's token source gives, or undefined when the environment decides
 * (source appsecret, no profile, or WXMSG_ACCESS_TOKEN set: the environment wins over the
 * profile). Every secret obtained is added to `secrets` (redacted from all output).
 */
export async function teamCredentials(team: TeamChoice, io: CliIO, appid: string | undefined, timeoutMs: number, secrets: Set<string>, locale: Locale = 'en'): Promise<Credentials | string | undefined> {
  const p = team.profile;
  const src = p?.token;
  if (!p || !src || io.env.WXMSG_ACCESS_TOKEN?.trim()) return undefined;
  const t = teamText(locale);
  if (src.source === 'appsecret') return io.env.WXMSG_APPSECRET?.trim() ? undefined : t.needsAppSecret({ name: p.name });
  if (src.source === 'access-token') return t.needsAccessToken({ name: p.name });
  const got = await obtainToken(team, io, timeoutMs, secrets);
  if (!got.ok) return t.inProfile({ name: p.name, message: textIn(got.message, locale) });
  return { accessToken: got.token, ...(appid ? { appid } : {}) };
}

/** A token from the profile's token-command or token-url; every secret seen goes into `secrets`. */
export async function obtainToken(team: TeamChoice, io: CliIO, timeoutMs: number, secrets: Set<string>): Promise<TokenResult> {
  const src = team.profile!.token!;
  if (src.source === 'token-command') {
    const r = await runTokenCommand(src.command, team.config!.root, { env: { ...io.env } as NodeJS.ProcessEnv });
    if (r.ok) secrets.add(r.token);
    return r;
  }
  if (src.source !== 'token-url') return { ok: false, message: { en: 'no token source', zh: '没有 token 来源' } };
  const value = io.env[src.headerEnv];
  if (!value?.trim()) return { ok: false, message: both('headerEnvUnset', { header: src.header, env: src.headerEnv }) };
  secrets.add(value);
  let proxy;
  try {
    proxy = proxyForUrl(new URL(src.url), io.env);
  } catch (e) {
    if (e instanceof ProxyConfigError) return { ok: false, message: e.texts };
    throw e;
  }
  const transport = undiciTransport({ timeoutMs, proxy });
  try {
    const r = await fetchTokenUrl(src.url, src.header, value, transport, timeoutMs);
    if (r.ok) secrets.add(r.token);
    return r;
  } finally {
    await transport.close().catch(() => undefined);
  }
}

