import { BlockList, isIP } from 'node:net';
import { isLoopbackHost } from './baseUrl.ts';
import { wechatBoth, type CliCatalog } from '../core/l10n/cli/text.ts';

/**
 * The proxy the CLI uses for a URL, chosen from the environment as curl chooses it:
 * - `https_proxy` / `HTTPS_PROXY` for https URLs, `http_proxy` / `HTTP_PROXY` for http URLs,
 *   `all_proxy` / `ALL_PROXY` when the scheme's own variable is unset or empty (the lower-case
 *   name wins when both are set, as in curl);
 * - `no_proxy` / `NO_PROXY`: a comma (or space) separated list; `*` alone matches every host;
 *   a name matches itself and its subdomains (`qq.com` and `.qq.com` match `api.weixin.qq.com`,
 *   not `notqq.com`); `host:port` matches that port only; IPv4/IPv6 addresses match exactly or
 *   by CIDR (`10.0.0.0/8`, `[::1]`, `fe80::/10`); case does not matter;
 * - loopback (127.0.0.0/8, localhost, [::1]) is never proxied, whatever the variables say;
 * - a value without a scheme is an http proxy (`proxy.corp:3128`); http, https, socks5 and
 *   socks5h proxies are supported, anything else is refused before any request is made. Both
 *   socks5 forms pass the host name to the proxy (undici's Socks5ProxyAgent resolves nothing
 *   here), which is curl's socks5h behaviour: no DNS query for the API host leaves this machine.
 * Plain http is allowed only to loopback (baseUrl.ts), so in practice only `HTTPS_PROXY`,
 * `ALL_PROXY` and `NO_PROXY` ever route a request.
 */
export interface ProxyRoute {
  /** What undici connects to: the URL as given (credentials included), normalised. */
  uri: string;
  /** The same URL with any password masked: what messages show. */
  shown: string;
  /** The environment variable (CLI) or setting (extension) that chose it. */
  source: string;
  protocol: 'http' | 'https' | 'socks5';
}

export type Env = Record<string, string | undefined>;

/** An unusable proxy value: `message` in English, `texts` in both languages (the CLI picks by its locale). */
export class ProxyConfigError extends Error {
  readonly texts: { en: string; zh: string };
  constructor(say: (t: CliCatalog['wechat']) => string) {
    const texts = wechatBoth(say);
    super(texts.en);
    this.texts = texts;
  }
}

function pick(env: Env, name: string): { value: string; source: string } | undefined {
  for (const key of [name.toLowerCase(), name.toUpperCase()]) {
    const v = env[key]?.trim();
    if (v) return { value: v, source: key };
  }
  return undefined;
}

/** The proxy for `url`, undefined for a direct connection; throws ProxyConfigError for an unusable value. */
export function proxyForUrl(url: URL, env: Env): ProxyRoute | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopbackHost(host)) return undefined;
  const own = url.protocol === 'https:' ? 'https_proxy' : url.protocol === 'http:' ? 'http_proxy' : undefined;
  if (!own) return undefined;
  const chosen = pick(env, own) ?? pick(env, 'all_proxy');
  if (!chosen) return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const noProxy = pick(env, 'no_proxy');
  if (noProxy && noProxyMatches(noProxy.value, host, port)) return undefined;
  return parseProxy(chosen.value, chosen.source);
}

/** A proxy URL as curl reads it; `source` names where it came from in the error. */
export function parseProxy(value: string, source: string): ProxyRoute {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new ProxyConfigError((t) => t.proxyNotUrl(source, maskPassword(value)));
  }
  const scheme = u.protocol.slice(0, -1).toLowerCase();
  const protocol = scheme === 'http' ? 'http' : scheme === 'https' ? 'https' : scheme === 'socks5' || scheme === 'socks5h' ? 'socks5' : undefined;
  if (!protocol) {
    throw new ProxyConfigError((t) => t.proxyScheme(source, scheme));
  }
  if (!u.hostname) throw new ProxyConfigError((t) => t.proxyNoHost(source, maskPassword(value)));
  if (u.pathname && u.pathname !== '/' || u.search || u.hash) {
    throw new ProxyConfigError((t) => t.proxyPath(source, shownUrl(u)));
  }
  // curl's default proxy ports: 443 for an https proxy, 1080 for the others.
  const port = u.port || (protocol === 'https' ? '443' : '1080');
  const auth = u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : '';
  const uriScheme = protocol === 'socks5' ? 'socks5' : protocol;
  const uri = `${uriScheme}://${auth}${u.host.replace(/:\d+$/, '')}:${port}`;
  const shown = `${uriScheme}://${u.username ? `${u.username}${u.password ? ':***' : ''}@` : ''}${u.host.replace(/:\d+$/, '')}:${port}`;
  return { uri, shown, source, protocol };
}

function shownUrl(u: URL): string {
  const c = new URL(u.href);
  if (c.password) c.password = '***';
  return c.href;
}

function maskPassword(value: string): string {
  return value.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

/** curl's NO_PROXY match for `host` (lower case, no brackets) on `port`. */
export function noProxyMatches(list: string, host: string, port: string): boolean {
  const entries = list.split(/[\s,]+/).filter(Boolean);
  if (entries.length === 1 && entries[0] === '*') return true;
  const hostIsIp = isIP(host) !== 0;
  for (const raw of entries) {
    let entry = raw.toLowerCase();
    let entryPort: string | undefined;
    // [v6]:port, [v6], v4:port, name:port
    const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracket) {
      entry = bracket[1];
      entryPort = bracket[2];
    } else if (isIP(entry.split('/')[0]) !== 6) {
      const m = /^(.*):(\d+)$/.exec(entry);
      if (m) { entry = m[1]; entryPort = m[2]; }
    }
    if (entryPort !== undefined && entryPort !== port) continue;
    if (entry === '*') return true;
    const [net, bits] = entry.split('/');
    if (isIP(net)) {
      if (hostIsIp && ipMatches(host, net, bits)) return true;
      continue;
    }
    if (hostIsIp) continue;
    const name = entry.replace(/^\*?\./, '').replace(/\.$/, '');
    if (!name) continue;
    const h = host.replace(/\.$/, '');
    if (h === name || h.endsWith(`.${name}`)) return true;
  }
  return false;
}

function ipMatches(host: string, net: string, bits: string | undefined): boolean {
  const list = new BlockList();
  const type = isIP(net) === 4 ? 'ipv4' : 'ipv6';
  try {
    if (bits === undefined) list.addAddress(net, type);
    else if (/^\d+$/.test(bits)) list.addSubnet(net, Number(bits), type);
    else return false;
    return list.check(host, isIP(host) === 4 ? 'ipv4' : 'ipv6');
  } catch {
    // A prefix out of range (10.0.0.0/33): the entry matches nothing, as in curl.
    return false;
  }
}
