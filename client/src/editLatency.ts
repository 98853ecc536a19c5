import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

/** Samples kept: the last edits, enough for a p90 over a typing session. */
const KEEP = 500;

/**
 * Editor work the extension did while the user typed (calls since the last report): CodeLens
 * requests from VS Code, the msgtype asked of the server for them, status item refreshes.
 */
export type WorkKind = 'codeLens' | 'templateInfo' | 'status';

export interface LatencySummary {
  /** didChange sent → diagnostics of that version delivered to VS Code, ms, oldest first. */
  samples: number[];
  p50: number;
  p90: number;
  max: number;
  work: Record<WorkKind, number>;
}

/** Nearest-rank quantile of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * The extension's own share of keystroke → squiggle: from the moment the language client hands
 * a change to the server (its didChange middleware) until the diagnostics of that version come
 * back to VS Code (the textDocument/diagnostic answer VS Code pulls after each change, or a
 * publishDiagnostics in push mode). Everything after that is the workbench's rendering.
 *
 * Per edit it costs a clock read and a map entry. "WeChat (wxmsg): Show Editor Latency"
 * reports the edits since the last report; with `wxmsg.trace.server` on, each edit is also
 * written to the output channel as it happens, next to the protocol trace.
 */
export class EditLatency implements vscode.Disposable {
  private readonly pending = new Map<string, { version: number; at: number }>();
  private samples: number[] = [];
  private work: Record<WorkKind, number> = { codeLens: 0, templateInfo: 0, status: 0 };
  private trace: boolean;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly output: vscode.OutputChannel) {
    this.trace = EditLatency.traceOn();
    this.disposables = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('wxmsg.trace.server')) this.trace = EditLatency.traceOn();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.pending.delete(d.uri.toString())),
    ];
  }

  private static traceOn(): boolean {
    return vscode.workspace.getConfiguration('wxmsg').get<string>('trace.server', 'off') !== 'off';
  }

  /** Language client middleware: stamps each change, and the diagnostics that answer it. */
  readonly middleware: Pick<Middleware, 'didChange' | 'provideDiagnostics' | 'handleDiagnostics'> = {
    didChange: (event, next) => {
      this.pending.set(event.document.uri.toString(), { version: event.document.version, at: performance.now() });
      return next(event);
    },
    provideDiagnostics: async (document, previousResultId, token, next) => {
      // The version this pull is for: VS Code asks for the document as it is now.
      const doc = document instanceof vscode.Uri ? undefined : document;
      const version = doc?.version;
      const report = await next(document, previousResultId, token);
      if (doc && !token.isCancellationRequested && report) this.delivered(doc.uri.toString(), version);
      return report;
    },
    handleDiagnostics: (uri, diagnostics, next) => {
      next(uri, diagnostics);
      this.delivered(uri.toString());
    },
  };

  /** Counts a piece of editor work (a CodeLens request, a status refresh). */
  count(kind: WorkKind): void {
    this.work[kind]++;
  }

  private delivered(uri: string, version?: number): void {
    const p = this.pending.get(uri);
    if (!p || (version !== undefined && version !== p.version)) return;
    this.pending.delete(uri);
    const ms = performance.now() - p.at;
    this.samples.push(ms);
    if (this.samples.length > KEEP) this.samples.splice(0, this.samples.length - KEEP);
    if (this.trace) {
      this.output.appendLine(vscode.l10n.t('[latency] version {0}: didChange → diagnostics delivered in {1} ms', p.version, ms.toFixed(2)));
    }
  }

  /** The edits since the last call, and the editor work done meanwhile; starts a new period. */
  take(): LatencySummary {
    const samples = this.samples;
    const sorted = [...samples].sort((a, b) => a - b);
    const out = { samples, p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), max: sorted.length ? sorted[sorted.length - 1]! : NaN, work: this.work };
    this.samples = [];
    this.work = { codeLens: 0, templateInfo: 0, status: 0 };
    return out;
  }

  /** "WeChat (wxmsg): Show Editor Latency": the report in the output channel and a message. */
  show(): LatencySummary {
    const s = this.take();
    const f = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');
    if (!s.samples.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('wxmsg: no edits to a template since the last report.'));
      return s;
    }
    const line = vscode.l10n.t('wxmsg: {0} edits, didChange → diagnostics: p50 {1} ms, p90 {2} ms, max {3} ms; CodeLens requests {4}, status refreshes {5}',
      s.samples.length, f(s.p50), f(s.p90), f(s.max), s.work.codeLens, s.work.status);
    this.output.appendLine(line);
    this.output.appendLine(vscode.l10n.t('[latency] samples (ms): {0}', s.samples.map((x) => x.toFixed(2)).join(' ')));
    this.output.appendLine(vscode.l10n.t('[latency] msgtype requests for the CodeLens: {0}', s.work.templateInfo));
    void vscode.window.showInformationMessage(line);
    return s;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
