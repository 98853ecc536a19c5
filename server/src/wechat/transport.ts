/**
 * How the WeChat client reaches the network: one HTTP exchange at a time, no redirects followed.
 * Two implementations:
 * - undiciTransport.ts (the CLI): undici's Agent, or its public ProxyAgent / Socks5ProxyAgent
 *   for the proxy the environment names (proxyEnv.ts, curl's rules);
 * - nodeTransport.ts (the extension): node:https / node:http, the modules VS Code's extension
 *   host routes through `http.proxy`, `http.noProxy`, PAC, `http.proxyStrictSSL` and the OS
 *   certificate store.
 * A failed exchange rejects with a TransportError that says whether the request may have left
 * this machine (`requestSent`): false means it never did (no connection, the proxy refused the
 * tunnel, TLS failed), so nothing was delivered and a retry cannot send twice.
 */
import type { ProxyRoute } from './proxyEnv.ts';

export type { ProxyRoute } from './proxyEnv.ts';

export interface TransportRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  signal: AbortSignal;
  /** Connect, answer-headers and between-chunks limit (the client keeps its own deadlines too). */
  timeoutMs: number;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Uint8Array>;
  /** Stops reading and drops the connection. */
  destroy(): void;
}

export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
}

/** Why a proxy would not carry the request: its answer to CONNECT, or the SOCKS5 reply. */
export interface ProxyRefusal {
  /** HTTP status of the CONNECT answer. */
  status?: number;
  /** Plain words: "HTTP 403 Forbidden", "SOCKS5: connection not allowed by ruleset". */
  reason: string;
}

const MARK = Symbol.for('wxmsg.transportError');

export class TransportError extends Error {
  readonly [MARK] = true;
  constructor(
    /** The error the network layer raised (its codes are read through `cause`). */
    override readonly cause: unknown,
    /** false: the request never left this machine (safe to say "nothing was sent"). */
    readonly requestSent: boolean,
    /** The proxy the request went through, when one did. */
    readonly proxy?: ProxyRoute,
    /** Set when the proxy answered but refused to open the tunnel. */
    readonly refusal?: ProxyRefusal,
  ) {
    super((cause as Error)?.message ?? String(cause));
  }

  static is(e: unknown): e is TransportError {
    return typeof e === 'object' && e !== null && (e as { [MARK]?: boolean })[MARK] === true;
  }
}

/** A multipart/form-data body as bytes with its content type (the platform's own encoder). */
export async function encodeForm(form: FormData): Promise<{ body: Uint8Array; contentType: string }> {
  const r = new Response(form);
  return { body: new Uint8Array(await r.arrayBuffer()), contentType: r.headers.get('content-type') ?? 'multipart/form-data' };
}
