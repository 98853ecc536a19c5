/**
 * The part of undici wxmsg sends with — Agent, ProxyAgent, Socks5ProxyAgent, FormData and request — loaded from undici's own
 * modules. `import … from 'undici'` would load its index.js, which also builds fetch, WebSocket,
 * EventSource, the caches, cookies and the mock agents: about 230 KB of each minified bundle
 * (the extension's was over 1 MB with them), all parsed when the extension activates.
 * `request` is index.js's (makeDispatcher(api.request)); Dispatcher.prototype gets the API
 * methods as index.js gives them.
 */
import type * as Undici from 'undici';
import AgentImpl from 'undici/lib/dispatcher/agent.js';
import ProxyAgentImpl from 'undici/lib/dispatcher/proxy-agent.js';
import Socks5ProxyAgentImpl from 'undici/lib/dispatcher/socks5-proxy-agent.js';
import DispatcherImpl from 'undici/lib/dispatcher/dispatcher.js';
import apiRequest from 'undici/lib/api/api-request.js';
import api from 'undici/lib/api/index.js';
import { InvalidArgumentError } from 'undici/lib/core/errors.js';
import { parseOrigin, parseURL } from 'undici/lib/core/util.js';
import { FormData as FormDataImpl } from 'undici/lib/web/fetch/formdata.js';
import { getGlobalDispatcher } from 'undici/lib/global.js';

Object.assign(DispatcherImpl.prototype, api);

export const Agent = AgentImpl;
export type Agent = Undici.Agent;
export const FormData = FormDataImpl;
/** undici's public ProxyAgent (HTTP CONNECT tunnels) and Socks5ProxyAgent, the same classes index.js exports. */
export const ProxyAgent = ProxyAgentImpl;
export type ProxyAgent = Undici.ProxyAgent;
export const Socks5ProxyAgent = Socks5ProxyAgentImpl;
export type Socks5ProxyAgent = Undici.Socks5ProxyAgent;
export type FormData = Undici.FormData;
export type { Dispatcher } from 'undici';

/** undici's `request(url, options)`: on `options.dispatcher`, else on the global dispatcher. */
export const request = ((url: string | URL, opts?: Record<string, unknown> | null) => {
  if (!url || (typeof url !== 'string' && typeof url !== 'object')) throw new InvalidArgumentError('invalid url');
  if (opts != null && typeof opts !== 'object') throw new InvalidArgumentError('invalid opts');
  let target: URL;
  if (opts && opts.path != null) {
    if (typeof opts.path !== 'string') throw new InvalidArgumentError('invalid opts.path');
    target = new URL(parseOrigin(url).origin + (opts.path.startsWith('/') ? opts.path : `/${opts.path}`));
  } else {
    if (!opts) opts = typeof url === 'object' ? (url as unknown as Record<string, unknown>) : {};
    target = parseURL(url);
  }
  const { agent, dispatcher = getGlobalDispatcher() } = opts as { agent?: unknown; dispatcher?: Undici.Dispatcher };
  if (agent) throw new InvalidArgumentError('unsupported opts.agent. Did you mean opts.client?');
  return apiRequest.call(dispatcher, {
    ...opts,
    origin: target.origin,
    path: target.search ? `${target.pathname}${target.search}` : target.pathname,
    method: (opts.method as string | undefined) || (opts.body ? 'PUT' : 'GET'),
  });
}) as typeof Undici.request;
