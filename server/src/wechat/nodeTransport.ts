import * as http from 'node:http';
import * as https from 'node:https';
import { TLSSocket } from 'node:tls';
import type { ProxyRoute } from './proxyEnv.ts';
import { TransportError, type Transport, type TransportRequest, type TransportResponse } from './transport.ts';

/**
 * The extension's transport: node:https (node:http for the loopback simulator) with the default
 * agent and no TLS options of its own, so VS Code's extension host applies `http.proxy`,
 * `http.noProxy`, PAC, `http.proxyStrictSSL` and the OS certificate store exactly as it does
 * for every other extension. Redirects are never followed (node:http does not).
 *
 * "Sent" here means: a TLS session with the target (https) or a TCP connection to it (http)
 * was established. VS Code's proxy agent turns a refused CONNECT into a fake socket that
 * replays the proxy's answer; an https answer that did not come over TLS is therefore the
 * proxy's, and the request never reached the target.
 */
export interface NodeTransportOptions {
  /** The proxy VS Code is configured to use (named in errors); it does the routing itself. */
  proxy?: (url: URL) => ProxyRoute | undefined;
  /** Tests only (to stand in for VS Code's proxy agent); the extension passes none. */
  agent?: http.Agent;
}

export function nodeTransport(o: NodeTransportOptions = {}): Transport {
  const open = new Set<http.ClientRequest>();
  return {
    request(req: TransportRequest): Promise<TransportResponse> {
      const url = new URL(req.url);
      const secure = url.protocol === 'https:';
      const proxy = o.proxy?.(url);
      const body = req.body === undefined ? undefined : typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
      const headers = { ...req.headers, ...(body ? { 'content-length': String(body.byteLength) } : {}) };
      return new Promise<TransportResponse>((resolve, reject) => {
        let connected = false;
        let settled = false;
        const fail = (e: unknown, refusal?: { status?: number; reason: string }) => {
          if (settled) return;
          settled = true;
          reject(new TransportError(e, connected, proxy, refusal));
        };
        const r = (secure ? https : http).request(url, { method: req.method, headers, signal: req.signal, ...(o.agent ? { agent: o.agent } : {}) }, (res) => {
          if (secure && !(res.socket instanceof TLSSocket)) {
            // Not the target: a proxy answered in its place (the tunnel was refused).
            const status = res.statusCode ?? 0;
            res.destroy();
            connected = false;
            fail(Object.assign(new Error(`proxy answered HTTP ${status} ${res.statusMessage ?? ''}`.trim()), { code: 'WXMSG_PROXY_REFUSED' }),
              { status, reason: `it answered the CONNECT request with HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}` });
            return;
          }
          settled = true;
          res.on('close', () => open.delete(r));
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, destroy: () => res.destroy() });
        });
        open.add(r);
        r.on('close', () => { if (!settled) open.delete(r); });
        r.on('socket', (s) => {
          if (secure) {
            if (!(s instanceof TLSSocket)) return;
            const p = s.getProtocol();
            if (p && p !== 'unknown') connected = true;
            else s.once('secureConnect', () => { connected = true; });
          } else if (!s.connecting) {
            connected = true;
          } else {
            s.once('connect', () => { connected = true; });
          }
        });
        r.on('timeout', () => r.destroy(Object.assign(new Error('timeout'), { code: connected ? 'UND_ERR_HEADERS_TIMEOUT' : 'UND_ERR_CONNECT_TIMEOUT' })));
        r.setTimeout(req.timeoutMs);
        r.on('error', (e) => fail(e));
        r.end(body);
      });
    },
    async close(): Promise<void> {
      for (const r of open) r.destroy();
      open.clear();
    },
  };
}
