// Types for the undici modules undici.ts loads directly (undici only types its index).
declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici';
  export default Agent;
}
declare module 'undici/lib/dispatcher/proxy-agent.js' {
  import { ProxyAgent } from 'undici';
  export default ProxyAgent;
}
declare module 'undici/lib/dispatcher/socks5-proxy-agent.js' {
  import { Socks5ProxyAgent } from 'undici';
  export default Socks5ProxyAgent;
}
declare module 'undici/lib/dispatcher/dispatcher.js' {
  import { Dispatcher } from 'undici';
  export default Dispatcher;
}
declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici';
  const request: (this: Dispatcher, opts: Record<string, unknown>) => Promise<Dispatcher.ResponseData>;
  export default request;
}
declare module 'undici/lib/api/index.js' {
  /** request, stream, pipeline, upgrade, connect: methods of a Dispatcher. */
  const api: Record<string, unknown>;
  export default api;
}
declare module 'undici/lib/core/errors.js' {
  export const InvalidArgumentError: typeof import('undici').errors.InvalidArgumentError;
}
declare module 'undici/lib/core/util.js' {
  export function parseOrigin(url: string | URL): URL;
  export function parseURL(url: string | URL): URL;
}
declare module 'undici/lib/web/fetch/formdata.js' {
  export { FormData } from 'undici';
}
declare module 'undici/lib/global.js' {
  export { getGlobalDispatcher } from 'undici';
}
