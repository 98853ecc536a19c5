import {
  CancellationTokenSource, DocumentDiagnosticReportKind, LSPErrorCodes, ResponseError, type CancellationToken, type Connection,
  type DocumentDiagnosticParams, type DocumentDiagnosticReport, type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../types.ts';
import type { Health } from './guard.ts';

/** Diagnostics for one document version; `undefined` when the document is not a template. */
export type Validator = (doc: TextDocument) => Promise<Diagnostic[] | undefined>;

/** Typing pauses shorter than this do not revalidate (push model). */
export const DEBOUNCE_MS = 200;

/**
 * Push model (clients without textDocument/diagnostic): each change restarts a per-document
 * timer; when it fires, the document is validated and published only if it is still at the
 * version that was validated (latest version wins) and no newer change cancelled the run.
 */
export class PushDiagnostics {
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; cancel: CancellationTokenSource }>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly validator: Validator,
    private readonly health: Health,
  ) {}

  schedule(uri: string, delay = DEBOUNCE_MS): void {
    this.cancel(uri);
    const cancel = new CancellationTokenSource();
    const timer = setTimeout(() => {
      this.pending.delete(uri);
      this.run(uri, cancel.token).catch((e: unknown) => this.health.fail('diagnostics', e));
    }, delay);
    this.pending.set(uri, { timer, cancel });
  }

  cancel(uri: string): void {
    const p = this.pending.get(uri);
    if (!p) return;
    clearTimeout(p.timer);
    p.cancel.cancel();
    p.cancel.dispose();
    this.pending.delete(uri);
  }

  /** Document closed: stop pending work and clear what was published. */
  clear(uri: string): void {
    this.cancel(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  revalidateAll(): void {
    for (const doc of this.documents.all()) this.schedule(doc.uri, 0);
  }

  private async run(uri: string, token: CancellationToken): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const diagnostics = await this.validator(doc);
    if (!diagnostics || token.isCancellationRequested) return;
    if (this.documents.get(uri)?.version !== version) return;
    await this.connection.sendDiagnostics({ uri, version, diagnostics });
  }
}

/**
 * Pull model (textDocument/diagnostic). The client decides when to ask and cancels stale
 * requests itself; a result id of version + settings generation lets it skip unchanged reports.
 * A cancelled pull answers RequestCancelled: an empty report would claim the document is clean.
 */
export class PullDiagnostics {
  /** Bumped when settings or project files change: every previous result id is stale. */
  generation = 0;

  constructor(private readonly documents: TextDocuments<TextDocument>, private readonly validator: Validator) {}

  async pull(params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    const doc = this.documents.get(params.textDocument.uri);
    if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    // TextDocuments updates `doc` in place: keep the version this report was asked for.
    const version = doc.version;
    const resultId = `${version}:${this.generation}`;
    if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    if (token.isCancellationRequested) throw cancelled();
    const items = await this.validator(doc);
    if (token.isCancellationRequested) throw cancelled();
    // A change that arrived while settings were fetched was validated, not `version`: no result
    // id, so the client's next pull (which the change triggers) is answered in full.
    if (this.documents.get(doc.uri) !== doc || doc.version !== version) return { kind: DocumentDiagnosticReportKind.Full, items: items ?? [] };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: items ?? [] };
  }
}

const cancelled = (): ResponseError<void> => new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
