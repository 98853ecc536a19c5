import type { Connection } from 'vscode-languageserver/node';
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

  /** Wraps a request handler: an exception or rejection becomes `empty`. */
  guard<P, R, E, T>(what: string, empty: E, fn: (params: P, token: T) => R | Promise<R>): (params: P, token: T) => Promise<R | E> {
    return async (params, token) => {
      try {
        return await fn(params, token);
      } catch (e) {
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
