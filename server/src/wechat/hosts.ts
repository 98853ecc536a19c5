import { isLoopbackHost } from './baseUrl.ts';
import type { Texts } from '../core/types.ts';

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
export const ALLOWED_HOSTS_SETTING: Texts = {
  en: 'WXMSG_ALLOWED_HOSTS (VS Code: wxmsg.api.allowedHosts, a machine setting)',
  zh: 'WXMSG_ALLOWED_HOSTS（VS Code 中为机器级设置 wxmsg.api.allowedHosts）',
};

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
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    const shown = raw.length > 80 ? `${raw.slice(0, 77)}…` : raw;
    return { ok: false, message: { en: `${what.en} "${shown}" is not a URL`, zh: `${what.zh} "${shown}" 不是 URL` } };
  }
  if (url.username || url.password) return { ok: false, message: { en: `${what.en} must not carry a user name or password`, zh: `${what.zh} 不能包含用户名或密码` } };
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return {
      ok: false,
      message: {
        en: `${what.en} must be https (plain http only for 127.0.0.1, localhost and [::1]), not ${url.protocol}//${url.host}`,
        zh: `${what.zh} 必须是 https（明文 http 只允许 127.0.0.1、localhost 和 [::1]），而不是 ${url.protocol}//${url.host}`,
      },
    };
  }
  if (!secretDestination(url, allowed)) {
    return {
      ok: false,
      message: {
        en: `${what.en} points at ${url.host}, which is not an official WeChat API host (${OFFICIAL_API_HOSTS.join(', ')}), this machine, or on your allow-list: refusing to send it a secret or token. If you trust it, add ${url.host} to ${setting.en}; a project file cannot do that for you`,
        zh: `${what.zh} 指向 ${url.host}，它既不是微信官方 API 域名（${OFFICIAL_API_HOSTS.join('、')}），也不是本机，也不在你的允许列表中：拒绝向它发送密钥或 token。如果你信任它，请把 ${url.host} 加入 ${setting.zh}；项目文件无法替你这样做`,
      },
    };
  }
  return { ok: true, url };
}
