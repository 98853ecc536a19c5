import { BaseUrlError, DEFAULT_TIMEOUT_MS, WeChatApiClient, type ClientOptions } from './apiClient.ts';
import { checkBaseUrl } from './baseUrl.ts';
import { undiciTransport } from './undiciTransport.ts';

export * from './apiClient.ts';

/**
 * The WeChat API client of the CLI and the simulator's tests (apiClient.ts), with undici as its
 * default transport (direct; `wxmsg send` passes its proxy). The extension uses WeChatApiClient
 * with node:https instead, so it never loads undici.
 */
export class WeChatClient extends WeChatApiClient {
  constructor(options: ClientOptions = {}) {
    // Refused before a transport exists (the superclass checks again).
    const checked = checkBaseUrl(options.baseUrl);
    if (!checked.ok) throw new BaseUrlError(checked.message);
    const t = options.timeoutMs;
    const timeoutMs = typeof t === 'number' && Number.isFinite(t) && t > 0 ? t : DEFAULT_TIMEOUT_MS;
    super({
      ...options,
      transport: options.transport ?? undiciTransport({ timeoutMs }),
      ownsTransport: !options.transport || options.ownsTransport === true,
    });
  }
}
