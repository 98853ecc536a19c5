import * as vscode from 'vscode';
import { isLoopbackHost } from '../../../server/src/wechat/baseUrl.ts';
import { noProxyMatches, parseProxy, proxyForUrl, type ProxyRoute } from '../../../server/src/wechat/proxyEnv.ts';

/**
 * The proxy VS Code will use for `url`, to name it in a failure. VS Code's extension host does
 * the routing itself (nodeTransport.ts sends with node:https); this only reads the same
 * settings: `http.proxy` (else the proxy environment variables), `http.noProxy`, and
 * `http.proxySupport: off`. A PAC or system proxy cannot be read here: a refusal from one is
 * still recognised, only without its address.
 */
export function vscodeProxyFor(url: URL): ProxyRoute | undefined {
  const http = vscode.workspace.getConfiguration('http');
  if (http.get<string>('proxySupport') === 'off') return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopbackHost(host)) return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const noProxy = http.get<string[]>('noProxy') ?? [];
  if (Array.isArray(noProxy) && noProxy.length && noProxyMatches(noProxy.join(','), host, port)) return undefined;
  try {
    const setting = http.get<string>('proxy')?.trim();
    if (setting) return parseProxy(setting, 'http.proxy');
    return proxyForUrl(url, process.env);
  } catch {
    return undefined;
  }
}
