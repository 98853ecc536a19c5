import { ErrorCodes, Message, ResponseError, type Connection, type MessageStrategy, type RequestMessage } from 'vscode-languageserver/node';

/** Method a refused request is renamed to; its handler answers with the error the params carry. */
const REFUSED = 'wxmsg/$refused';

interface Refusal {
  code: number;
  message: string;
}

/**
 * The protocol's lifecycle, enforced before any handler runs (vscode-languageserver leaves it
 * to the server): before `initialize` a request is answered ServerNotInitialized (-32002) and a
 * notification dropped; after `shutdown` a request is answered InvalidRequest (-32600) and a
 * notification dropped. `exit` always goes through; so do responses to the server's requests.
 * A second `initialize` is InvalidRequest too.
 *
 * A message strategy sees each message before it is dispatched, in order, but cannot answer
 * it; a refused request is dispatched as {@link REFUSED} instead, whose handler throws the error.
 */
export class Lifecycle implements MessageStrategy {
  private state: 'new' | 'running' | 'shutdown' = 'new';

  handleMessage(message: Message, next: (message: Message) => void): void {
    // Not a message at all (a JSON null, an array): vscode-jsonrpc reports it as invalid.
    if (!message || typeof message !== 'object' || Message.isResponse(message)) return next(message);
    const method = (message as { method?: unknown }).method;
    if (Message.isNotification(message)) {
      if (method === 'exit' || this.state === 'running') next(message);
      return;
    }
    if (!Message.isRequest(message)) return next(message);
    const refusal = this.refusal(message);
    if (!refusal) return next(message);
    next({ ...message, method: REFUSED, params: refusal } as RequestMessage);
  }

  private refusal(request: RequestMessage): Refusal | undefined {
    const method = request.method;
    if (this.state === 'new') {
      if (method !== 'initialize') return { code: ErrorCodes.ServerNotInitialized, message: `${method}: the server is not initialized yet (send initialize first)` };
      this.state = 'running';
      return undefined;
    }
    if (this.state === 'shutdown') return { code: ErrorCodes.InvalidRequest, message: `${method}: the server is shutting down (only exit is accepted)` };
    if (method === 'initialize') return { code: ErrorCodes.InvalidRequest, message: 'initialize: the server is already initialized' };
    if (method === 'shutdown') this.state = 'shutdown';
    return undefined;
  }

  /** Registers the handler that answers refused requests. */
  listen(connection: Connection): void {
    connection.onRequest(REFUSED, (r: Refusal) => {
      throw new ResponseError(r.code, r.message);
    });
  }
}

