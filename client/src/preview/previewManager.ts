import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { editorLocale } from '../l10n.ts';
import { escapeHtml, htmlDocument } from '../../../server/src/core/html.ts';
import { PREVIEW_MODEL_REQUEST, type PreviewModelParams, type PreviewModelResult } from '../../../server/src/lsp/protocol.ts';
import { LOAD_REMOTE_IMAGES, resolveLoadRemoteImages } from './remoteImages.ts';
import { PREVIEW_DEBOUNCE_MS, PREVIEW_VIEW_TYPE, parseFromWebview, type ToWebview } from './webviewMessages.ts';

/** The language server as the preview uses it (preview.ts wraps the LanguageClient: this bundle takes nothing from vscode-languageclient). */
export interface PreviewServer {
  state(): 'starting' | 'running' | 'stopped';
  /** Fires each time the server is running again (after a start or restart). */
  onRunning(listener: () => void): vscode.Disposable;
  asUri(uri: vscode.Uri): string;
  previewModel(params: PreviewModelParams): Promise<PreviewModelResult>;
}

interface SavedState {
  uri?: unknown;
}

const isTemplate = (doc: vscode.TextDocument): boolean => doc.languageId === 'wxmsg' || doc.uri.path.endsWith('.wxmsg.json');

/** The texts the extension shows itself (the rendered preview comes from the server). */
const strings = {
  pageTitle: (file: string) => vscode.l10n.t('Preview: {0}', file),
  loading: () => vscode.l10n.t('Rendering…'),
  serverUnavailable: () => vscode.l10n.t('The wxmsg language server did not answer, so the preview cannot be shown. Run "WeChat: Restart Server" or open the wxmsg output.'),
  notATemplate: () => vscode.l10n.t('This document is not a message template (*.wxmsg.json).'),
  noTemplate: () => vscode.l10n.t('Open a message template (*.wxmsg.json) to preview it.'),
  cannotOpen: (reason: string) => vscode.l10n.t('The template cannot be opened: {0}', reason),
};

/** A line in place of the preview (loading, the server not answering), in the markup the server's renderer uses. */
export function noticeHtml(text: string, fileName?: string): string {
  const head = fileName ? `<header class="wx-head"><span class="wx-file">${escapeHtml(fileName)}</span></header>` : '';
  return `${head}<p class="wx-nothing">${escapeHtml(text)}</p>`;
}

/**
 * One preview per document (as VS Code's markdown preview keeps them), beside the editor. The
 * language server renders it (`wxmsg/previewModel` with `render`: the renderer `wxmsg preview`
 * uses): first the whole page, then the content as the document changes. Until the server's
 * first page, and when it does not answer, a plain page of the extension's own says why.
 * Loaded on first use (dist/clientPreview.js): preview.ts registers the command and the
 * serializer at activation and hands them here.
 */
export class PreviewManager implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly previews = new Map<string, Preview>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extensionUri: vscode.Uri, readonly server: PreviewServer, readonly output: vscode.OutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.previews.get(e.document.uri.toString())?.changed()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        for (const u of e.uris) this.previews.get(u.toString())?.changed();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.previews.get(e.textEditor.document.uri.toString())?.cursor(e.selections[0].active)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`wxmsg.${LOAD_REMOTE_IMAGES}`)) for (const p of this.previews.values()) p.reload();
      }),
      server.onRunning(() => {
        for (const p of this.previews.values()) p.changed();
      }),
    );
  }

  get strings() {
    return strings;
  }

  loadRemoteImages(): boolean {
    return resolveLoadRemoteImages(vscode.workspace.getConfiguration('wxmsg').inspect(LOAD_REMOTE_IMAGES));
  }

  /** The command: the given template, else the active editor's, else the active preview's. */
  async open(arg?: vscode.Uri): Promise<void> {
    let uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri) uri = [...this.previews.values()].find((p) => p.panel.active)?.uri;
    if (!uri) {
      void vscode.window.showInformationMessage(this.strings.noTemplate());
      return;
    }
    const existing = this.previews.get(uri.toString());
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
      return;
    }
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(uri);
    } catch (e) {
      void vscode.window.showErrorMessage(this.strings.cannotOpen((e as Error)?.message ?? String(e)));
      return;
    }
    if (!isTemplate(doc)) {
      void vscode.window.showInformationMessage(this.strings.notATemplate());
      return;
    }
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, this.title(uri), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
    this.attach(panel, uri);
  }

  /** After a window reload: the panels VS Code kept, with the state the webview saved. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: SavedState | undefined): Promise<void> {
    panel.webview.options = this.webviewOptions();
    let uri: vscode.Uri | undefined;
    try {
      uri = typeof state?.uri === 'string' ? vscode.Uri.parse(state.uri, true) : undefined;
    } catch {
      uri = undefined;
    }
    if (!uri || this.previews.has(uri.toString())) {
      panel.dispose();
      return;
    }
    try {
      // Opening it makes the client send it to the server (didOpen), which the model needs.
      await vscode.workspace.openTextDocument(uri);
    } catch (e) {
      panel.webview.html = this.shell(panel.webview, uri, noticeHtml(this.strings.cannotOpen((e as Error)?.message ?? String(e))));
      return;
    }
    this.attach(panel, uri);
  }

  private attach(panel: vscode.WebviewPanel, uri: vscode.Uri): void {
    const key = uri.toString();
    const preview = new Preview(this, panel, uri);
    this.previews.set(key, preview);
    panel.onDidDispose(() => {
      if (this.previews.get(key) === preview) this.previews.delete(key);
      preview.dispose();
    });
  }

  webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    // Scripts: only dist/preview.js, by nonce. Local files: only dist/. No command URIs, no forms.
    return { enableScripts: true, enableCommandUris: false, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')], retainContextWhenHidden: false };
  }

  title(uri: vscode.Uri): string {
    return this.strings.pageTitle(uri.path.slice(uri.path.lastIndexOf('/') + 1));
  }

  /** What the server needs to render the whole page for this webview (a fresh nonce each time). */
  pageParams(webview: vscode.Webview, uri: vscode.Uri): { nonce: string; cspSource: string; scriptUri: string; documentUri: string } {
    return {
      nonce: randomBytes(16).toString('base64'),
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'preview.js')).toString(),
      documentUri: uri.toString(),
    };
  }

  /**
   * The extension's own plain page around `body` (a notice), with the script (the serializer
   * needs the document's URI) and the same policy as the server's page: nothing loads but dist/preview.js.
   */
  shell(webview: vscode.Webview, uri: vscode.Uri, body: string): string {
    const p = this.pageParams(webview, uri);
    return htmlDocument({
      locale: editorLocale(vscode.env.language),
      htmlClass: 'wx-webview',
      csp: `default-src 'none'; style-src ${p.cspSource} 'nonce-${p.nonce}'; script-src 'nonce-${p.nonce}'; img-src 'none'; base-uri 'none'; form-action 'none'`,
      title: this.title(uri),
      style: 'body{font-family:var(--vscode-font-family);color:var(--vscode-foreground);padding:0 16px}.wx-file{opacity:.8}',
      nonce: p.nonce,
      scriptUri: p.scriptUri,
      documentUri: p.documentUri,
      main: body,
    });
  }

  /** The model of the document's current version, or why there is none. */
  async model(uri: vscode.Uri, webview?: vscode.Webview): Promise<PreviewModelResult | 'starting' | 'unavailable'> {
    // Still starting: the preview waits (onDidChangeState asks again once it runs).
    const state = this.server.state();
    if (state === 'starting') return 'starting';
    if (state !== 'running') return 'unavailable';
    const params: PreviewModelParams = {
      textDocument: { uri: this.server.asUri(uri) },
      render: {
        fileName: vscode.workspace.asRelativePath(uri),
        loadRemoteImages: this.loadRemoteImages(),
        ...(webview ? { page: this.pageParams(webview, uri) } : {}),
      },
    };
    try {
      return await this.server.previewModel(params);
    } catch (e) {
      this.output.appendLine(vscode.l10n.t('wxmsg: the preview\'s {0} request failed: {1}', PREVIEW_MODEL_REQUEST, (e as Error)?.message ?? String(e)));
      return 'unavailable';
    }
  }

  dispose(): void {
    for (const p of this.previews.values()) p.panel.dispose();
    this.previews.clear();
    for (const d of this.disposables) d.dispose();
  }
}

class Preview {
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  private ready = false;
  /** The last body shown, sent again when the webview (re)starts its script. */
  private body: string | undefined;
  /** What the webview shows: nothing yet, the extension's plain page, or the server's page. */
  private page: 'none' | 'shell' | 'server' = 'none';
  private lastCursor: vscode.Position | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly manager: PreviewManager, readonly panel: vscode.WebviewPanel, readonly uri: vscode.Uri) {
    panel.title = manager.title(uri);
    this.disposables.push(panel.webview.onDidReceiveMessage((m: unknown) => this.received(m)));
    this.show(noticeHtml(manager.strings.loading(), vscode.workspace.asRelativePath(uri)));
    this.lastCursor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString())?.selection.active;
    void this.update();
  }

  /** The document or its diagnostics changed: update once the typing pauses. */
  changed(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, PREVIEW_DEBOUNCE_MS);
  }

  /** A setting that shapes the page (its CSP) changed: render the whole page again. */
  reload(): void {
    this.page = 'none';
    this.ready = false;
    void this.update();
  }

  cursor(position: vscode.Position): void {
    this.lastCursor = position;
    if (this.ready) this.post({ type: 'cursor', position: { line: position.line, character: position.character } });
  }

  private async update(): Promise<void> {
    const mine = ++this.seq;
    // The whole page until the server's is shown; then only its content.
    const webview = this.page === 'server' ? undefined : this.panel.webview;
    let result = await this.manager.model(this.uri, webview);
    if (result === null && !vscode.workspace.textDocuments.some((d) => d.uri.toString() === this.uri.toString())) {
      // Its editor was closed and VS Code let the document go (the server forgot it too): open
      // it again, which sends it to the server, and ask once more.
      try {
        await vscode.workspace.openTextDocument(this.uri);
        result = await this.manager.model(this.uri, webview);
      } catch (e) {
        if (mine === this.seq && !this.disposed) this.show(noticeHtml(this.manager.strings.cannotOpen((e as Error)?.message ?? String(e)), vscode.workspace.asRelativePath(this.uri)));
        return;
      }
    }
    if (mine !== this.seq || this.disposed || result === 'starting') return;
    const t = this.manager.strings;
    const fileName = vscode.workspace.asRelativePath(this.uri);
    if (result === 'unavailable') this.show(noticeHtml(t.serverUnavailable(), fileName));
    else if (!result) this.show(noticeHtml(t.notATemplate(), fileName));
    else if (result.body === undefined) this.show(noticeHtml(t.serverUnavailable(), fileName));
    else {
      this.show(result.body, result.page);
      // The server answered for an older version (an edit crossed the request): ask again.
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri.toString());
      if (doc && doc.version > result.version) this.changed();
    }
  }

  /** Shows `body`: in the server's `page` when one came, else in the page shown (the plain one at first). */
  private show(body: string, page?: string): void {
    this.body = body;
    if (page !== undefined && this.page !== 'server') {
      this.page = 'server';
      this.ready = false;
      this.panel.webview.html = page;
    } else if (this.page === 'none') {
      this.page = 'shell';
      this.ready = false;
      this.panel.webview.html = this.manager.shell(this.panel.webview, this.uri, body);
    } else if (this.ready) {
      this.post({ type: 'update', html: body });
    }
  }

  private received(raw: unknown): void {
    const m = parseFromWebview(raw);
    if (!m) return;
    if (m.type === 'ready') {
      this.ready = true;
      // Whatever changed while the page loaded.
      if (this.body !== undefined) this.post({ type: 'update', html: this.body });
      if (this.lastCursor) this.cursor(this.lastCursor);
      return;
    }
    void this.reveal(new vscode.Range(m.range.start.line, m.range.start.character, m.range.end.line, m.range.end.character));
  }

  /** Selecting something in the preview selects its source in the editor. */
  private async reveal(range: vscode.Range): Promise<void> {
    const key = this.uri.toString();
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === key);
    const column = visible?.viewColumn ?? (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    const doc = visible?.document ?? await vscode.workspace.openTextDocument(this.uri);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, selection: range, preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private post(m: ToWebview): void {
    void this.panel.webview.postMessage(m);
  }

  private disposed = false;

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
