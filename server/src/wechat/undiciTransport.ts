import type { ConnectionOptions } from 'node:tls';
import type { ProxyRoute } from './proxyEnv.ts';
import { TransportError, type ProxyRefusal, type Transport, type TransportRequest, type TransportResponse } from './transport.ts';
// undici's public API only (its index): never a module under undici/lib/, whose layout any minor
// release may change (test/undiciPublic.test.ts checks this).
import type { Dispatcher } from 'undici';

type Undici = typeof import('undici');
let undici: Promise<Undici> | undefined;
/**
 * undici is loaded at the first request, not when the command starts: its index also builds
 * fetch, WebSocket and the caches, which `--help`, a refusal before sending and the simulator
 * never need.
 */
function loadUndici(): Promise<Undici> {
  return (undici ??= import('undici'));
}

/**
 * The CLI's transport: undici, direct or through the proxy proxyEnv.ts chose (undici's public
 * ProxyAgent for http/https proxies — an HTTP CONNECT tunnel, so the proxy never sees the token
 * or the message — and Socks5ProxyAgent for socks5 proxies). The target's certificate is checked
 * as on a direct connection (Node's CA store plus NODE_EXTRA_CA_CERTS); there is no option to
 * turn the check off. Redirects are never followed: a 3xx is returned as it is.
 */
export interface UndiciTransportOptions {
  timeoutMs: number;
  /** The proxy for the API host (proxyForUrl), none for a direct connection. */
  proxy?: ProxyRoute;
  /** A dispatcher to use as is (tests); it is not closed by close(). */
  dispatcher?: Dispatcher;
  /** Extra TLS options for the connection to the API host (tests: a private CA). */
  requestTls?: ConnectionOptions;
}

export function undiciTransport(o: UndiciTransportOptions): Transport & { readonly proxy?: ProxyRoute } {
  const own = !o.dispatcher;
  let made: Promise<Dispatcher> | undefined = o.dispatcher ? Promise.resolve(o.dispatcher) : undefined;
  return {
    proxy: o.proxy,
    async request(req: TransportRequest): Promise<TransportResponse> {
      let request: Undici['request'];
      let dispatcher: Dispatcher;
      try {
        const u = await loadUndici();
        request = u.request;
        dispatcher = await (made ??= Promise.resolve().then(() => makeDispatcher(u, o)));
      } catch (e) {
        throw new TransportError(e, false, o.proxy);
      }
      // The request may have left this machine once undici starts writing it on a connected
      // socket (the handler's onRequestStart): any failure before that sent nothing.
      const state = { started: false };
      const watched = dispatcher.compose((dispatch) => (opts, handler) => dispatch(opts, watch(handler, state)));
      const pending = request(req.url, {
        method: req.method,
        body: req.body,
        headers: req.headers,
        dispatcher: watched,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
        signal: req.signal,
      });
      // undici applies an abort only once the request has a connection; a proxy that never
      // answers CONNECT would hold it for minutes. Before the request started, an abort (the
      // user's, or the client's deadline) ends the wait at once: nothing was sent.
      let stop = () => {};
      const aborted = new Promise<never>((_resolve, reject) => {
        const onAbort = () => { if (!state.started) reject(new TransportError(req.signal.reason, false, o.proxy)); };
        if (req.signal.aborted) onAbort();
        req.signal.addEventListener('abort', onAbort, { once: true });
        stop = () => req.signal.removeEventListener('abort', onAbort);
      });
      pending.catch(() => undefined);
      try {
        const res = await Promise.race([pending, aborted]);
        return { status: res.statusCode, headers: res.headers, body: res.body, destroy: () => res.body.destroy() };
      } catch (e) {
        if (TransportError.is(e)) throw e;
        throw new TransportError(e, state.started, o.proxy, o.proxy ? refusalOf(e) : undefined);
      } finally {
        stop();
      }
    },
    async close(): Promise<void> {
      // destroy, not close: every exchange of the client is over by now, and close() would wait
      // for a CONNECT still pending at a proxy that never answers (undici's proxy client has no
      // deadline of ours), keeping the CLI alive for minutes after it printed the result.
      if (own && made) await (await made.catch(() => undefined))?.destroy().catch(() => undefined);
    },
  };
}

function makeDispatcher({ Agent, ProxyAgent, Socks5ProxyAgent }: Undici, o: UndiciTransportOptions): Dispatcher {
  const t = o.timeoutMs;
  const requestTls = { timeout: t, ...o.requestTls };
  if (!o.proxy) return new Agent({ connect: requestTls, headersTimeout: t, bodyTimeout: t });
  if (o.proxy.protocol === 'socks5') {
    return quietly(() => new Socks5ProxyAgent(o.proxy!.uri, { headersTimeout: t, bodyTimeout: t, requestTls } as ConstructorParameters<typeof Socks5ProxyAgent>[1]));
  }
  return new ProxyAgent({ uri: o.proxy.uri, proxyTls: { timeout: t }, requestTls, headersTimeout: t, bodyTimeout: t });
}

/**
 * undici marks its SOCKS5 agent experimental with a process warning on first use; a CLI user
 * cannot act on it, so it is not printed (every other warning is).
 */
function quietly<T>(make: () => T): T {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning?.message;
    if (/SOCKS5 proxy support is experimental/.test(String(text))) return;
    (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return make();
  } finally {
    process.emitWarning = emit;
  }
}

type Handler = Dispatcher.DispatchHandler;

/** Passes every event on; notes when the request starts going out on a connected socket. */
function watch(handler: Handler, state: { started: boolean }): Handler {
  return {
    onRequestStart(controller, context) {
      state.started = true;
      handler.onRequestStart?.(controller, context);
    },
    onRequestUpgrade: (...a) => handler.onRequestUpgrade?.(...a),
    onResponseStart: (...a) => handler.onResponseStart?.(...a),
    onResponseData: (...a) => handler.onResponseData?.(...a),
    onResponseEnd: (...a) => handler.onResponseEnd?.(...a),
    onResponseError: (...a) => handler.onResponseError?.(...a),
  };
}

/** The proxy's refusal in undici's errors: a CONNECT answer other than 200, or a SOCKS5 reply. */
function refusalOf(e: unknown): ProxyRefusal | undefined {
  for (let err = e as { message?: unknown; code?: unknown; cause?: unknown } | undefined, depth = 0; err && depth < 5; err = err.cause as typeof err, depth++) {
    const message = String(err.message ?? '');
    const status = /Proxy response \((\d{3})\) !== 200/.exec(message) ?? /Proxy Authentication Required \((407)\)/.exec(message);
    if (status) return { status: Number(status[1]), reason: `it answered the CONNECT request with HTTP ${status[1]}` };
    if (typeof err.code === 'string' && err.code.startsWith('UND_ERR_SOCKS5')) {
      return { reason: `SOCKS5: ${message.replace(/^SOCKS5 connection failed: /, '')}` };
    }
  }
  return undefined;
}
