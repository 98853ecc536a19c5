import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { PREVIEW_MODEL_REQUEST, type PreviewModelParams, type PreviewModelResult } from '../../../server/src/lsp/protocol.ts';
import { toLocale } from '../../../server/src/core/l10n/messages.ts';
import type { PreviewModel } from '../../../server/src/core/services/preview/model.ts';
import { renderNotice, renderPreviewBody, renderPreviewPage } from '../../../server/src/core/services/preview/render.ts';
import { PREVIEW_STRINGS } from '../../../server/src/core/services/preview/strings.ts';
import type { Locale } from '../../../server/src/core/types.ts';
import { LOAD_REMOTE_IMAGES, resolveLoadRemoteImages } from './remoteImages.ts';
import { PREVIEW_DEBOUNCE_MS, parseFromWebview, type ToWebview } from './webviewMessages.ts';

export const PREVIEW_VIEW_TYPE = 'wxmsg.preview';
export const OPEN_PREVIEW_COMMAND = 'wxmsg.openPreview';

interface SavedState {
  uri?: unknown;
}

const isTemplate = (doc: vscode.TextDocument): boolean => doc.languageId === 'wxmsg' || doc.uri.path.endsWith('.wxmsg.json');

/**
 * One preview per document (as VS Code's markdown preview keeps them), beside the editor. The
 * model comes from the language server (`wxmsg/previewModel`); the page is rendered here by the
 * same renderer `wxmsg preview` uses, and updated as the document changes.
 */
export class PreviewManager implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly previews = new Map<string, Preview>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly locale: Locale = toLocale(vscode.env.language);

  constructor(readonly extensionUri: vscode.Uri, readonly client: LanguageClient, readonly output: vscode.OutputChannel) {
    this.disposables.push(
      vscode.commands.registerCommand(OPEN_PREVIEW_COMMAND, (uri?: vscode.Uri) => this.open(uri)),
      vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, this),
      vscode.workspace.onDidChangeTextDocument((e) => this.previews.get(e.document.uri.toString())?.changed()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        for (const u of e.uris) this.previews.get(u.toString())?.changed();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.previews.get(e.textEditor.document.uri.toString())?.cursor(e.selections[0].active)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`wxmsg.${LOAD_REMOTE_IMAGES}`)) for (const p of this.previews.values()) p.reload();
      }),
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) for (const p of this.previews.values()) p.changed();
      }),
    );
  }

  get strings() {
    return PREVIEW_STRINGS[this.locale];
  }

  loadRemoteImages(): boolean {
    return resolveLoadRemoteImages(vscode.workspace.getConfiguration('wxmsg').inspect(LOAD_REMOTE_IMAGES));
  }

  /** The command: the given template, else the active editor's, else the active preview's. */
  async open(arg?: vscode.Uri): Promise<void> {
    let uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri) uri = [...this.previews.values()].find((p) => p.panel.active)?.uri;
    if (!uri) {
      void vscode.window.showInformationMessage(this.strings.noTemplate);
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
      void vscode.window.showInformationMessage(this.strings.notATemplate);
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
      panel.webview.html = this.page(panel.webview, uri, undefined, renderNotice(this.strings.cannotOpen((e as Error)?.message ?? String(e)), { locale: this.locale }));
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

  page(webview: vscode.Webview, uri: vscode.Uri, model: PreviewModel | undefined, body?: string): string {
    const nonce = randomBytes(16).toString('base64');
    const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'preview.js')).toString();
    return renderPreviewPage(model, {
      locale: this.locale,
      fileName: vscode.workspace.asRelativePath(uri),
      loadRemoteImages: this.loadRemoteImages(),
      security: { kind: 'webview', nonce, cspSource: webview.cspSource, scriptUri },
      documentUri: uri.toString(),
      body,
    });
  }

  /** The model of the document's current version, or why there is none. */
  async model(uri: vscode.Uri): Promise<PreviewModelResult | 'starting' | 'unavailable'> {
    // Still starting: the preview waits (onDidChangeState asks again once it runs).
    if (this.client.state === State.Starting) return 'starting';
    if (this.client.state !== State.Running) return 'unavailable';
    const params: PreviewModelParams = { textDocument: { uri: this.client.code2ProtocolConverter.asUri(uri) } };
    try {
      return await this.client.sendRequest<PreviewModelResult>(PREVIEW_MODEL_REQUEST, params);
    } catch (e) {
      this.output.appendLine(`wxmsg: the preview's ${PREVIEW_MODEL_REQUEST} request failed: ${(e as Error)?.message ?? String(e)}`);
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
  private pageShown = false;
  private lastCursor: vscode.Position | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly manager: PreviewManager, readonly panel: vscode.WebviewPanel, readonly uri: vscode.Uri) {
    panel.title = manager.title(uri);
    this.disposables.push(panel.webview.onDidReceiveMessage((m: unknown) => this.received(m)));
    panel.webview.html = manager.page(panel.webview, uri, undefined, renderNotice(manager.strings.loading, { locale: manager.locale }));
    this.pageShown = true;
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
    this.pageShown = false;
    this.ready = false;
    void this.update();
  }

  cursor(position: vscode.Position): void {
    this.lastCursor = position;
    if (this.ready) this.post({ type: 'cursor', position: { line: position.line, character: position.character } });
  }

  private async update(): Promise<void> {
    const mine = ++this.seq;
    let result = await this.manager.model(this.uri);
    if (result === null && !vscode.workspace.textDocuments.some((d) => d.uri.toString() === this.uri.toString())) {
      // Its editor was closed and VS Code let the document go (the server forgot it too): open
      // it again, which sends it to the server, and ask once more.
      try {
        await vscode.workspace.openTextDocument(this.uri);
        result = await this.manager.model(this.uri);
      } catch (e) {
        if (mine === this.seq && !this.disposed) this.show(renderNotice(this.manager.strings.cannotOpen((e as Error)?.message ?? String(e)), { locale: this.manager.locale }));
        return;
      }
    }
    if (mine !== this.seq || this.disposed || result === 'starting') return;
    const t = this.manager.strings;
    const opts = { locale: this.manager.locale, fileName: vscode.workspace.asRelativePath(this.uri), loadRemoteImages: this.manager.loadRemoteImages() };
    let body: string;
    if (result === 'unavailable') body = renderNotice(t.serverUnavailable, opts);
    else if (!result) body = renderNotice(t.notATemplate, opts);
    else {
      body = renderPreviewBody(result.model, opts);
      // The server answered for an older version (an edit crossed the request): ask again.
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri.toString());
      if (doc && doc.version > result.version) this.changed();
    }
    this.show(body);
  }

  private show(body: string): void {
    this.body = body;
    if (!this.pageShown) {
      this.pageShown = true;
      this.ready = false;
      this.panel.webview.html = this.manager.page(this.panel.webview, this.uri, undefined, body);
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
