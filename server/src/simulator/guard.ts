import type * as http from 'node:http';
import { isIP } from 'node:net';
import { simText, type CliCatalog } from '../core/l10n/cli/text.ts';

/**
 * Who may talk to the simulator. It answers only Host 127.0.0.1, localhost or [::1] with its own
 * port (DNS rebinding: a web page whose name now points at 127.0.0.1 still sends its own name in
 * Host). The control routes also refuse cross-site requests: a foreign Origin, a browser's
 * Sec-Fetch-Site cross-site, or a POST that is not application/json (the only types an HTML form
 * or a no-preflight fetch can send are text/plain, form-urlencoded and multipart).
 */

/**
 * An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is refused: the URL it would print normalizes
 * to `http://[::ffff:7f00:1]:PORT`, a name `wxmsg send` does not take as loopback. The message
 * says what to use instead.
 */
export function mappedIPv4Refusal(host: string): string | undefined {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  // The URL parser writes every spelling (0:0:0:0:0:ffff:…, ::FFFF:7f00:1) as [::ffff:hhhh:hhhh].
  if (isIP(h) !== 6 || !new URL(`http://[${h}]/`).hostname.startsWith('[::ffff:')) return undefined;
  return `${host} is an IPv4-mapped IPv6 address, which the simulator does not listen on: use --host 127.0.0.1 (or ::1 for IPv6)`;
}

/**
 * The control API's path under its canonical prefix `/_sim/`, or undefined for an API path.
 * `/__sim/` (the first spelling) stays accepted as an alias.
 */
export function controlPath(pathname: string): string | undefined {
  if (pathname.startsWith('/_sim/')) return pathname;
  if (pathname.startsWith('/__sim/')) return `/_sim/${pathname.slice('/__sim/'.length)}`;
  return undefined;
}

/** The names a server at host:port answers to: the loopback names and its own address with its port, and `extra` as given. */
export function allowedHosts(host: string, port: number, extra: readonly string[] = []): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]', host.toLowerCase()]);
  const hosts = new Set<string>(extra.map((h) => h.toLowerCase()));
  for (const n of names) {
    hosts.add(`${n}:${port}`);
    if (port === 80) hosts.add(n);
  }
  return hosts;
}

/** A refusal: the status, the English words the HTTP answer carries, and the words for the console in any locale. */
export interface Refusal { status: number; message: string; say: (t: CliCatalog['sim']) => string }

const refused = (status: number, say: (t: CliCatalog['sim']) => string): Refusal => ({ status, message: say(simText('en')), say });

/** Why a request is refused, if it is (see above). */
export function refusal(req: http.IncomingMessage, control: boolean, allowed: Set<string>, port: number): Refusal | undefined {
  const host = String(req.headers.host ?? '').toLowerCase();
  if (!allowed.has(host)) {
    return refused(403, (t) => t.wrongHost(port === 80 ? 'localhost' : `localhost:${port}`, JSON.stringify(host.slice(0, 100))));
  }
  if (!control) return undefined;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let o: URL | undefined;
    try { o = new URL(origin); } catch { o = undefined; }
    if (!o || o.protocol !== 'http:' || o.origin.toLowerCase() !== origin.toLowerCase() || !allowed.has(o.host.toLowerCase())) {
      return refused(403, (t) => t.otherOrigin);
    }
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') return refused(403, (t) => t.crossSite);
  if (req.method === 'POST') {
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') return refused(415, (t) => t.contentType);
  }
  return undefined;
}
