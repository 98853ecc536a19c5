// Local stand-ins for a corporate network, all on 127.0.0.1: a recording HTTP CONNECT proxy, a
// recording SOCKS5 server, a TLS front for the simulator with a throwaway CA, and a DNS lookup
// that sends every name to 127.0.0.1 so that no test can reach another machine even if the
// proxy choice were wrong.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tmpDir } from './sendHelpers.ts';

export interface RecordingProxy {
  url: string;
  port: number;
  /** "CONNECT host:port" for tunnels, "GET http://…" for plain proxy requests. */
  lines: string[];
  /** Every request head the proxy received (to check that no secret reached it). */
  heads: string[];
  close(): Promise<void>;
}

/** An HTTP proxy on 127.0.0.1 that records every CONNECT; `refuse` answers it with `status`, else it tunnels to `tunnelTo` on 127.0.0.1 whatever host was asked for. */
export async function startConnectProxy(o: { refuse: true; status?: number } | { refuse: false; tunnelTo: number }): Promise<RecordingProxy> {
  const lines: string[] = [];
  const heads: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    lines.push(`${req.method} ${req.url}`);
    heads.push(JSON.stringify({ url: req.url, headers: req.headers }));
    res.writeHead(400).end();
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    lines.push(`CONNECT ${req.url}`);
    heads.push(JSON.stringify({ url: req.url, headers: req.headers }));
    socket.on('error', () => undefined);
    if (o.refuse) {
      const status = o.status ?? 403;
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
      return;
    }
    const upstream = net.connect(o.tunnelTo, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => { sockets.delete(upstream); socket.destroy(); });
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`, port, lines, heads,
    close: () => new Promise<void>((res) => { for (const s of sockets) s.destroy(); server.close(() => res()); }),
  };
}

/** A SOCKS5 server on 127.0.0.1 (no authentication) that records each CONNECT target and answers it with `reply` (2 = not allowed by ruleset). */
export async function startSocks5(reply = 2): Promise<RecordingProxy> {
  const lines: string[] = [];
  const heads: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let greeted = false;
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (!greeted) {
        if (buf.length < 2 || buf.length < 2 + buf[1]) return;
        buf = buf.subarray(2 + buf[1]);
        greeted = true;
        s.write(Buffer.from([5, 0]));
      }
      if (buf.length < 5) return;
      const atyp = buf[3];
      const len = atyp === 1 ? 4 : atyp === 4 ? 16 : 1 + buf[4];
      if (buf.length < 4 + len + 2) return;
      const addr = atyp === 3 ? buf.subarray(5, 5 + buf[4]).toString('latin1') : atyp === 1 ? [...buf.subarray(4, 8)].join('.') : buf.subarray(4, 20).toString('hex');
      const port = buf.readUInt16BE(4 + len);
      lines.push(`CONNECT ${addr}:${port}${atyp === 3 ? '' : ` (address type ${atyp})`}`);
      s.end(Buffer.from([5, reply, 0, 1, 0, 0, 0, 0, 0, 0]));
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `socks5://127.0.0.1:${port}`, port, lines, heads,
    close: () => new Promise<void>((res) => { for (const s of sockets) s.destroy(); server.close(() => res()); }),
  };
}

/** A DNS lookup that answers 127.0.0.1 for every name: a direct connection can never leave this machine. */
export const toLoopback = ((_host: string, options: unknown, cb: (...a: unknown[]) => void) => {
  const callback = typeof options === 'function' ? (options as typeof cb) : cb;
  const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
  if (all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}) as unknown as net.LookupFunction;

export interface TestPki { ca: string; key: string; cert: string; caFile: string }

/** A throwaway CA and a certificate for api.weixin.qq.com signed by it (openssl, EC keys). */
export function makePki(): TestPki {
  const dir = tmpDir('wxmsg-pki-');
  const f = (n: string) => path.join(dir, n);
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=wxmsg test CA');
  run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=api.weixin.qq.com');
  fs.writeFileSync(f('ext.cnf'), 'subjectAltName=DNS:api.weixin.qq.com\nextendedKeyUsage=serverAuth\n');
  run('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '2', '-extfile', f('ext.cnf'));
  return { ca: fs.readFileSync(f('ca.pem'), 'utf8'), key: fs.readFileSync(f('server.key'), 'utf8'), cert: fs.readFileSync(f('server.pem'), 'utf8'), caFile: f('ca.pem') };
}

/** A TLS server on 127.0.0.1 presenting `pki`'s certificate that forwards the clear bytes to `port`. */
export async function startTlsFront(pki: TestPki, port: number): Promise<{ port: number; handshakes: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const state = { handshakes: 0 };
  const server = tls.createServer({ key: pki.key, cert: pki.cert }, (s) => {
    state.handshakes++;
    const up = net.connect(port, '127.0.0.1');
    sockets.add(s); sockets.add(up);
    s.pipe(up); up.pipe(s);
    const end = () => { s.destroy(); up.destroy(); sockets.delete(s); sockets.delete(up); };
    s.on('close', end); up.on('close', end); s.on('error', end); up.on('error', end);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  return {
    port: (server.address() as AddressInfo).port,
    get handshakes() { return state.handshakes; },
    close: () => new Promise<void>((res) => { for (const s of sockets) s.destroy(); server.close(() => res()); }),
  };
}
