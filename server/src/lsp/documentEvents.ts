import type { Connection } from 'vscode-languageserver/node';
import { isObject, isRange } from './guard.ts';

/**
 * TextDocuments trusts the shape of the notifications it syncs from: a didOpen without a URI
 * registers a document keyed `undefined` (every later revalidation then fails on it) and a
 * malformed change can be half applied. This view of the connection drops such notifications
 * before TextDocuments sees them; a notification cannot be answered, so a warning says why.
 */
export function wellFormedDocumentEvents(connection: Connection): Connection {
  const checked = <P>(method: string, ok: (p: P) => boolean, register: (h: (p: P) => void) => unknown) =>
    (handler: (p: P) => void) => register((p: P) => {
      if (ok(p)) handler(p);
      else connection.console.warn(`wxmsg: ignored a malformed ${method} notification`);
    });
  const doc = (p: unknown): Record<string, unknown> | undefined => (isObject(p) && isObject(p.textDocument) && typeof p.textDocument.uri === 'string' ? p.textDocument : undefined);
  const hasUri = (p: unknown): boolean => !!doc(p);
  const isOpen = (p: unknown): boolean => {
    const d = doc(p);
    return !!d && typeof d.languageId === 'string' && Number.isInteger(d.version) && typeof d.text === 'string';
  };
  const isChange = (p: unknown): boolean => {
    const d = doc(p);
    const changes = isObject(p) ? p.contentChanges : undefined;
    return !!d && Number.isInteger(d.version) && Array.isArray(changes)
      && changes.every((c: unknown) => isObject(c) && typeof c.text === 'string' && (c.range === undefined ? c.rangeLength === undefined : isRange(c.range)));
  };
  const c = connection;
  const overrides: Partial<Connection> = {
    onDidOpenTextDocument: checked('textDocument/didOpen', isOpen, (h) => c.onDidOpenTextDocument(h)),
    onDidChangeTextDocument: checked('textDocument/didChange', isChange, (h) => c.onDidChangeTextDocument(h)),
    onDidCloseTextDocument: checked('textDocument/didClose', hasUri, (h) => c.onDidCloseTextDocument(h)),
    onWillSaveTextDocument: checked('textDocument/willSave', hasUri, (h) => c.onWillSaveTextDocument(h)),
    onDidSaveTextDocument: checked('textDocument/didSave', hasUri, (h) => c.onDidSaveTextDocument(h)),
  } as Partial<Connection>;
  // Everything else (TextDocuments also sets __textDocumentSync) goes to the real connection.
  return new Proxy(connection, {
    get: (target, prop, receiver) => (prop in overrides ? overrides[prop as keyof Connection] : Reflect.get(target, prop, receiver)),
  });
}
