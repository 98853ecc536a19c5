import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import { SERVER_STATUS_NOTIFICATION, type ServerStatusParams } from './protocol.ts';

/**
 * The server never dies on bad input: every handler runs inside {@link Health.guard}, which logs
 * an internal error to the client's output and answers that one request with an empty result.
 * The first failure flips the server's health to 'degraded' (the VS Code status item shows it).
 */
export class Health {
  health: 'ok' | 'degraded' = 'ok';
  lastError: string | undefined;

  constructor(private readonly connection: Connection) {}

  fail(what: string, e: unknown): void {
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    // Log only our own stack and message: no request payloads (a template may hold an openid).
    this.connection.console.error(`wxmsg: internal error in ${what}: ${detail}`);
    const first = this.health === 'ok';
    this.health = 'degraded';
    this.lastError = `${what}: ${e instanceof Error ? e.message : String(e)}`;
    if (first) {
      const params: ServerStatusParams = { health: this.health, lastError: this.lastError };
      void this.connection.sendNotification(SERVER_STATUS_NOTIFICATION, params).catch(() => undefined);
    }
  }

  /**
   * Wraps a request handler: an exception or rejection becomes `empty`. Params without the
   * shape `needs` names are the client's bug: answered InvalidParams, not counted as ours.
   * A ResponseError thrown on purpose (RequestCancelled) goes to the client as is.
   */
  guard<P, R, E, T>(what: string, empty: E, fn: (params: P, token: T) => R | Promise<R>, needs: Needs = []): (params: P, token: T) => Promise<R | E> {
    return async (params, token) => {
      const problem = paramsProblem(params, needs);
      if (problem) throw new ResponseError(ErrorCodes.InvalidParams, `${what}: ${problem}`);
      try {
        return await fn(params, token);
      } catch (e) {
        if (e instanceof ResponseError) throw e;
        this.fail(what, e);
        return empty;
      }
    };
  }

  /** Wraps a notification handler. */
  guardVoid<P>(what: string, fn: (params: P) => void | Promise<void>): (params: P) => void {
    return (params) => {
      try {
        const r = fn(params);
        if (r) r.catch((e: unknown) => this.fail(what, e));
      } catch (e) {
        this.fail(what, e);
      }
    };
  }
}

/** Members a text document request must carry, with the protocol's types. */
export type Needs = readonly ('textDocument' | 'position' | 'range' | 'context' | 'options')[];

export const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object';
const isUinteger = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
const isPosition = (v: unknown): boolean => isObject(v) && isUinteger(v.line) && isUinteger(v.character);
export const isRange = (v: unknown): boolean => isObject(v) && isPosition(v.start) && isPosition(v.end);

/** What is wrong with `params` for a request that `needs` these members; undefined when nothing is. */
export function paramsProblem(params: unknown, needs: Needs): string | undefined {
  if (!needs.length) return undefined;
  if (!isObject(params)) return 'params must be an object';
  for (const need of needs) {
    const v = params[need];
    const ok = need === 'textDocument' ? isObject(v) && typeof v.uri === 'string'
      : need === 'position' ? isPosition(v)
      : need === 'range' ? isRange(v)
      : need === 'context' ? isObject(v) && Array.isArray(v.diagnostics)
      : isObject(v);
    if (!ok) return `${need} is missing or malformed`;
  }
  return undefined;
}
