import { isLoopbackHost } from './baseUrl.ts';
import type { Texts } from '../core/types.ts';
import { wechatBoth, wechatText, type CliCatalog } from '../core/l10n/cli/text.ts';

/**
 * Where an AppSecret or a token may go: the official WeChat API hosts, this machine, or hosts
 * on the user's own allow-list (never a list a repository can set: `WXMSG_ALLOWED_HOSTS` in the
 * environment, `wxmsg.api.allowedHosts` with machine scope in the editor).
 *
 * The official hosts are those of WeChat's "接口域名说明" page (developers.weixin.qq.com, Official
 * Account docs, Basic_Information/Interface_field_description): the general host, its disaster
 * recovery host api2, and the Shanghai, Shenzhen and Hong Kong hosts. SDKs carry the same list
 * (WxJava's WxMpApiUrl domains, co-wechat-api's setEndpoint).
 */
export const OFFICIAL_API_HOSTS = ['api.weixin.qq.com', 'api2.weixin.qq.com', 'sh.api.weixin.qq.com', 'sz.api.weixin.qq.com', 'hk.api.weixin.qq.com'] as const;

/** Where the CLI's user keeps the allow-list (the extension names its own setting). */
export const ALLOWED_HOSTS_SETTING: Texts = wechatBoth((t) => t.allowedHostsSetting);

/** "gw.example.com, token.corp:8443" or an array → lower-case entries (host or host:port, "*.suffix"). */
export function parseAllowedHosts(value: string | readonly string[] | undefined): string[] {
  const items = typeof value === 'string' ? value.split(/[\s,]+/) : [...(value ?? [])];
  return items.map((h) => String(h).trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '')).filter(Boolean);
}

function matches(entry: string, url: URL): boolean {
  const host = url.hostname.toLowerCase();
  const hostPort = url.port ? `${host}:${url.port}` : host;
  if (entry.startsWith('*.')) return host.endsWith(entry.slice(1)) && host.length > entry.length - 1;
  return entry === host || entry === hostPort;
}

export type Destination = 'official' | 'loopback' | 'allow-listed';

/** Why `url` may receive secrets, or undefined when it may not. */
export function secretDestination(url: URL, allowed: readonly string[]): Destination | undefined {
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'https:' && (OFFICIAL_API_HOSTS as readonly string[]).includes(host) && (!url.port || url.port === '443')) return 'official';
  if (isLoopbackHost(host)) return 'loopback';
  if (allowed.some((e) => matches(e, url))) return 'allow-listed';
  return undefined;
}

/**
 * Checks that `raw` (a profile's apiBase or token-url, i.e. something a repository wrote) may
 * receive secrets. `what` names it in the message ("profile "dev": apiBase"), `setting` the
 * allow-list the user can extend.
 */
export function checkSecretHost(raw: string, allowed: readonly string[], what: Texts, setting: Texts = ALLOWED_HOSTS_SETTING): { ok: true; url: URL } | { ok: false; message: Texts } {
  // Each language's sentence with `what` and `setting` in that language.
  const say = (f: (t: CliCatalog['wechat'], what: string, setting: string) => string): Texts =>
    ({ en: f(wechatText('en'), what.en, setting.en), zh: f(wechatText('zh-cn'), what.zh, setting.zh) });
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    const shown = raw.length > 80 ? `${raw.slice(0, 77)}…` : raw;
    return { ok: false, message: say((t, w) => t.hostNotUrl(w, shown)) };
  }
  if (url.username || url.password) return { ok: false, message: say((t, w) => t.hostUserInfo(w)) };
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return { ok: false, message: say((t, w) => t.hostScheme(w, url.protocol, url.host)) };
  }
  if (!secretDestination(url, allowed)) {
    return { ok: false, message: say((t, w, s) => t.hostNotAllowed(w, url.host, OFFICIAL_API_HOSTS, s)) };
  }
  return { ok: true, url };
}
