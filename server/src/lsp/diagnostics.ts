import {
  CancellationTokenSource, DocumentDiagnosticReportKind, LSPErrorCodes, ResponseError, type CancellationToken, type Connection,
  type DocumentDiagnosticParams, type DocumentDiagnosticReport, type PublishDiagnosticsParams, type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../core/types.ts';
import type { Health } from './guard.ts';

/** Diagnostics for one document version; `undefined` when the document is not a template. */
export type Validator = (doc: TextDocument) => Promise<Diagnostic[] | undefined>;

/** A document whose validation takes less than this is validated after every change. */
export const CHEAP_MS = 10;
/** The longest a change to an expensive document waits before it is validated. */
export const MAX_DELAY_MS = 200;
/** Validations remembered per document: its cost is the cheapest of them. */
export const COST_WINDOW = 4;

/**
 * What validating a document costs, from its last few validations: the cheapest of them. One
 * slow run (a GC pause, the process preempted on a busy machine) says nothing about the
 * document and must not make the next keystroke wait; a document that is expensive is
 * expensive every time.
 */
export function typicalCost(recent: readonly number[]): number {
  return recent.length ? Math.min(...recent) : 0;
}

/**
 * Push model (clients without textDocument/diagnostic): each change reschedules the document's
 * validation; when it runs, the result is published only if the document is still at the
 * version that was validated (latest version wins) and no newer change cancelled the run.
 *
 * When it runs depends on what the document's validation typically costs (typicalCost). A
 * template of a few KB validates in well under a millisecond: it is validated as soon as the
 * server has handled the messages already queued (a burst of changes is validated once, for
 * the last one), so its diagnostics follow each keystroke at once. A huge one (tens of ms)
 * waits as long as its validation takes (at most MAX_DELAY_MS): changes typed meanwhile
 * coalesce, the server
 * validates it at most about half the time, and requests in between are not kept waiting
 * behind back-to-back validations.
 *
 * Publishing is flow-controlled per document: while one publishDiagnostics for a document is
 * still being written (a client that stops reading stdout leaves it there), a newer report
 * waits in a single slot and replaces any report already waiting. Reports for superseded
 * versions are dropped, not queued, so the server's memory stays bounded.
 */
export class PushDiagnostics {
  private readonly pending = new Map<string, { stop: () => void; cancel: CancellationTokenSource }>();
  /** How long the last validations of each document took, ms (at most COST_WINDOW). */
  private readonly cost = new Map<string, number[]>();
  /** Documents with a publish being written, and the newest report waiting behind it. */
  private readonly outgoing = new Map<string, { next?: Outgoing }>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly validator: Validator,
    private readonly health: Health,
    /** The clock validations are timed with (a test passes its own). */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Validates `uri` after `delay` ms; 0: once the messages queued now are handled (see above). */
  schedule(uri: string, delay = this.delayFor(uri)): void {
    this.cancel(uri);
    const cancel = new CancellationTokenSource();
    const fire = (): void => {
      this.pending.delete(uri);
      this.run(uri, cancel.token).catch((e: unknown) => this.health.fail('diagnostics', e));
    };
    if (delay > 0) {
      const timer = setTimeout(fire, delay);
      this.pending.set(uri, { stop: () => clearTimeout(timer), cancel });
      return;
    }
    // vscode-jsonrpc handles one queued message per setImmediate turn: the first hop lets the
    // next queued message run (its change cancels this run), the second validates.
    let hop = setImmediate(() => {
      hop = setImmediate(fire);
    });
    this.pending.set(uri, { stop: () => clearImmediate(hop), cancel });
  }

  /** How long a change to `uri` waits before it is validated, ms (0: at once). */
  delayFor(uri: string): number {
    const cost = typicalCost(this.cost.get(uri) ?? []);
    return cost < CHEAP_MS ? 0 : Math.min(MAX_DELAY_MS, Math.round(cost));
  }

  cancel(uri: string): void {
    const p = this.pending.get(uri);
    if (!p) return;
    p.stop();
    p.cancel.cancel();
    p.cancel.dispose();
    this.pending.delete(uri);
  }

  /** Document closed: stop pending work and clear what was published. */
  clear(uri: string): void {
    this.cancel(uri);
    this.cost.delete(uri);
    this.publish({ params: { uri, diagnostics: [] }, current: () => true });
  }

  revalidateAll(): void {
    for (const doc of this.documents.all()) this.schedule(doc.uri, 0);
  }

  private async run(uri: string, token: CancellationToken): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const text = doc.getText();
    const started = this.now();
    const diagnostics = await this.validator(doc);
    const recent = this.cost.get(uri) ?? [];
    recent.push(this.now() - started);
    if (recent.length > COST_WINDOW) recent.shift();
    this.cost.set(uri, recent);
    if (!diagnostics || token.isCancellationRequested) return;
    // Still the same text? A re-open or a change may reuse the version number.
    const current = (): boolean => {
      const now = this.documents.get(uri);
      return now === doc && now.version === version && now.getText() === text;
    };
    if (current()) this.publish({ params: { uri, version, diagnostics }, current });
  }

  /** Sends `out` now, or when the publish being written for its document is done (see above). */
  private publish(out: Outgoing): void {
    const uri = out.params.uri;
    const busy = this.outgoing.get(uri);
    if (busy) {
      busy.next = out;
      return;
    }
    const slot: { next?: Outgoing } = {};
    this.outgoing.set(uri, slot);
    const written = (): void => {
      const next = slot.next;
      slot.next = undefined;
      if (next?.current()) {
        void this.connection.sendDiagnostics(next.params).then(written, written);
        return;
      }
      this.outgoing.delete(uri);
    };
    void this.connection.sendDiagnostics(out.params).then(written, written);
  }
}

/** A report to publish, and whether it still describes the document when its turn comes. */
interface Outgoing {
  params: PublishDiagnosticsParams;
  current: () => boolean;
}

/**
 * Pull model (textDocument/diagnostic). The client decides when to ask and cancels stale
 * requests itself; a result id of version, settings generation and text lets it skip unchanged
 * reports. The text is part of it because a re-open, or a change, may reuse a version number.
 * A cancelled pull answers RequestCancelled: an empty report would claim the document is clean.
 */
export class PullDiagnostics {
  /** Bumped when settings or project files change: every previous result id is stale. */
  generation = 0;
  private readonly texts = new TextIds();

  constructor(private readonly documents: TextDocuments<TextDocument>, private readonly validator: Validator) {}

  async pull(params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    const doc = this.documents.get(params.textDocument.uri);
    if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    // TextDocuments updates `doc` in place: keep the version and text this report was asked for.
    const version = doc.version;
    const text = doc.getText();
    const resultId = `${version}:${this.generation}:${this.texts.id(doc.uri, text)}`;
    if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    if (token.isCancellationRequested) throw cancelled();
    const items = await this.validator(doc);
    if (token.isCancellationRequested) throw cancelled();
    // A change that arrived while settings were fetched was validated, not `version`: no result
    // id, so the client's next pull (which the change triggers) is answered in full.
    if (this.documents.get(doc.uri) !== doc || doc.version !== version || doc.getText() !== text) return { kind: DocumentDiagnosticReportKind.Full, items: items ?? [] };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: items ?? [] };
  }

  /** Document closed. */
  forget(uri: string): void {
    this.texts.forget(uri);
  }
}

/**
 * A number per document that changes whenever its text does. It holds the document's own text
 * string (no copy); comparing a string with itself is O(1), so an unchanged text costs nothing.
 */
export class TextIds {
  private last = 0;
  private readonly ids = new Map<string, { text: string; id: number }>();

  id(uri: string, text: string): number {
    const known = this.ids.get(uri);
    if (known && known.text === text) return known.id;
    const id = ++this.last;
    this.ids.set(uri, { text, id });
    return id;
  }

  forget(uri: string): void {
    this.ids.delete(uri);
  }
}

const cancelled = (): ResponseError<void> => new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
