import type * as http from 'node:http';
import { errAnswer, knownErrmsg, type Answer } from './answer.ts';
import { SIM_LIMITS, SimLimitError } from './constants.ts';

/**
 * Injected faults (POST /_sim/faults): the next matching API requests get a WeChat error, an
 * HTTP error, a body that is not what a client expects, a delay, a dropped connection or a body
 * that trickles in.
 */
export const FAULT_TYPES = ['errcode', 'http', 'non-json', 'no-errcode', 'text-plain', 'delay', 'reset', 'slow-body'] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

export interface Fault {
  type: FaultType;
  /** Only requests to this path (default: any API path). */
  path?: string;
  /** Matching requests affected; default 1, -1 = until cleared. */
  times?: number;
  /** type errcode: the errcode (default -1) and errmsg. */
  errcode?: number;
  errmsg?: string;
  /** type http: the status (default 500). */
  status?: number;
  /** delay: before the headers; slow-body: between the two halves of the body. */
  ms?: number;
  /** non-json / no-errcode / http: the body to answer with. */
  body?: string;
  /** slow-body: how many pieces the body comes in (default 2). */
  chunks?: number;
  /** reset: drop the connection before the headers or in the middle of the body (default). */
  when?: 'before-headers' | 'mid-response';
}

/** Faults that replace the answer itself (the others change how it is written). */
const ANSWER_FAULTS: ReadonlySet<FaultType> = new Set(['errcode', 'http', 'non-json', 'no-errcode']);

export function isFaultType(v: unknown): v is FaultType {
  return (FAULT_TYPES as readonly unknown[]).includes(v);
}

export class FaultQueue {
  list: (Fault & { left: number })[] = [];

  /** Queues a fault; numbers that make no sense (from the control API) fall back to defaults. */
  inject(fault: Fault): void {
    if (this.list.length >= SIM_LIMITS.faults) throw new SimLimitError(`at most ${SIM_LIMITS.faults} faults wait at a time; DELETE /_sim/faults first`);
    const int = (v: unknown, min: number, max: number): number | undefined =>
      (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined);
    const times = int(fault.times, -1, 1_000_000) ?? 1;
    const clean: Fault = {
      type: fault.type,
      ...(typeof fault.path === 'string' && fault.path ? { path: fault.path } : {}),
      times,
      ...(int(fault.errcode, -1_000_000, 1_000_000) !== undefined ? { errcode: fault.errcode } : {}),
      ...(typeof fault.errmsg === 'string' ? { errmsg: fault.errmsg } : {}),
      ...(int(fault.status, 100, 599) !== undefined ? { status: fault.status } : {}),
      ...(int(fault.ms, 0, 3_600_000) !== undefined ? { ms: fault.ms } : {}),
      ...(int(fault.chunks, 2, 100_000) !== undefined ? { chunks: fault.chunks } : {}),
      ...(typeof fault.body === 'string' ? { body: fault.body } : {}),
      ...(fault.when === 'before-headers' || fault.when === 'mid-response' ? { when: fault.when } : {}),
    };
    this.list.push({ ...clean, left: times === 0 ? 1 : times });
  }

  clear(): void {
    this.list = [];
  }

  /** The first fault for this path, counted down (and gone when used up). */
  take(path: string): Fault | undefined {
    const i = this.list.findIndex((f) => !f.path || f.path === path);
    if (i === -1) return undefined;
    const f = this.list[i];
    if (f.left > 0 && --f.left === 0) this.list.splice(i, 1);
    return f;
  }
}

/** The answer a fault puts in place of the route's, if it is one of that kind. */
export function faultAnswer(f: Fault | undefined): Answer | undefined {
  if (!f || !ANSWER_FAULTS.has(f.type)) return undefined;
  switch (f.type) {
    case 'errcode':
      // The catalog's errmsg for a known code; a code WeChat might add tomorrow gets the caller's text.
      return errAnswer(f.errcode ?? -1, f.errmsg ?? knownErrmsg(f.errcode ?? -1) ?? 'injected error');
    case 'http':
      return { status: f.status ?? 500, body: f.body ?? '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' };
    case 'non-json':
      return { status: 200, body: f.body ?? '<html><body>Welcome to our Wi-Fi</body></html>', contentType: 'text/html' };
    default:
      return { status: 200, body: f.body ?? JSON.stringify({ result: 'unexpected' }), contentType: 'application/json' };
  }
}

/** Timers the simulator started (delays, trickles): all cleared when it closes. */
export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();

  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => { this.pending.delete(t); fn(); }, ms);
    this.pending.add(t);
  }

  clear(): void {
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
  }
}

/** Writes an answer, as the fault (if any) says: late, cut off, or in slow pieces. */
export function writeAnswer(req: http.IncomingMessage, res: http.ServerResponse, a: Answer, fault: Fault | undefined, timers: Timers): void {
  const bytes = a.bytes ?? Buffer.from(a.body, 'utf8');
  const headers = { ...a.headers, 'content-type': a.contentType, 'content-length': String(bytes.length) };
  switch (fault?.type) {
    case 'delay':
      timers.later(fault.ms ?? 60_000, () => { if (!res.destroyed) res.writeHead(a.status, headers).end(bytes); });
      return;
    case 'reset': {
      res.writeHead(a.status, headers);
      res.write(bytes.subarray(0, Math.max(1, bytes.length >> 1)), () => req.socket.destroy());
      return;
    }
    case 'slow-body': {
      // `chunks` pieces (default 2), `ms` apart: one long stall, or a trickle.
      const n = Math.min(Math.max(2, fault.chunks ?? 2), Math.max(2, bytes.length));
      const size = Math.ceil(bytes.length / n);
      res.writeHead(a.status, headers);
      let at = 0;
      const next = () => {
        if (res.destroyed) return;
        const piece = bytes.subarray(at, at + size);
        at += size;
        if (at >= bytes.length) { res.end(piece); return; }
        res.write(piece);
        timers.later(fault.ms ?? 1000, next);
      };
      next();
      return;
    }
    default:
      res.writeHead(a.status, headers).end(bytes);
  }
}
