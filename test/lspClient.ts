/**
 * A small LSP client for the protocol tests: spawns the BUILT server (`node dist/server.js
 * --stdio`) and speaks JSON-RPC to it through vscode-languageserver-protocol. Every wait is on
 * a message from the server (publishDiagnostics, a request it sends), never on a timer.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { pathToFileURL } from 'node:url';
import { serverExecArgv } from '../server/src/lsp/protocol.ts';
import {
  StreamMessageReader, StreamMessageWriter, createProtocolConnection,
  type ClientCapabilities, type ConfigurationParams, type Diagnostic, type InitializeResult,
  type LogMessageParams, type ProtocolConnection, type PublishDiagnosticsParams, type Registration,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';

export const ROOT = resolve(__dirname, '..');
export const SERVER = join(ROOT, 'dist', 'server.js');

/** `npm test` builds first; a lone `node test/run.mjs lsp` builds when dist/ is missing. */
export function ensureBuilt(): void {
  if (existsSync(SERVER)) return;
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

/** Capabilities of a client that pushes nothing itself: push diagnostics, pulled settings. */
export function pushCapabilities(extra: ClientCapabilities = {}): ClientCapabilities {
  return {
    ...extra,
    workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true, ...extra.workspace },
    textDocument: { publishDiagnostics: { versionSupport: true }, ...extra.textDocument },
  };
}

export function pullCapabilities(): ClientCapabilities {
  return pushCapabilities({
    workspace: { diagnostics: { refreshSupport: true } },
    textDocument: { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } },
  });
}

type Waiter<T> = { test: (v: T) => boolean; resolve: (v: T) => void };

export class LspClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly configRequests: ConfigurationParams[] = [];
  readonly registrations: Registration[] = [];
  refreshes = 0;
  /** wxmsg/projectChanged notifications received (settings or project files changed). */
  projectChanges = 0;
  /** wxmsg/templateInfoChanged notifications received, in order. */
  readonly templateInfos: { uri: string; version: number; msgtype?: string }[] = [];
  private projectWaiters: (() => void)[] = [];
  /** What the client answers to workspace/configuration, per scope URI. */
  settings: (scopeUri: string | undefined) => unknown = () => null;
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  private diagWaiters: Waiter<PublishDiagnosticsParams>[] = [];
  private refreshWaiters: (() => void)[] = [];
  private logWaiters: Waiter<LogMessageParams>[] = [];
  private infoWaiters: Waiter<{ uri: string; version: number; msgtype?: string }>[] = [];
  private exited: Promise<number | null>;

  private constructor(readonly proc: ChildProcessWithoutNullStreams, readonly conn: ProtocolConnection) {
    this.exited = new Promise((res) => proc.on('exit', (code) => res(code)));
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      this.diagWaiters = this.diagWaiters.filter((w) => (w.test(p) ? (w.resolve(p), false) : true));
    });
    conn.onNotification('window/logMessage', (p: LogMessageParams) => {
      this.logs.push(p);
      this.logWaiters = this.logWaiters.filter((w) => (w.test(p) ? (w.resolve(p), false) : true));
    });
    conn.onRequest('workspace/configuration', (p: ConfigurationParams) => {
      this.configRequests.push(p);
      return p.items.map((i) => this.settings(i.scopeUri));
    });
    conn.onRequest('client/registerCapability', (p: { registrations: Registration[] }) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    conn.onNotification('wxmsg/projectChanged', () => {
      this.projectChanges++;
      for (const r of this.projectWaiters.splice(0)) r();
    });
    conn.onNotification('wxmsg/templateInfoChanged', (p: { uri: string; version: number; msgtype?: string }) => {
      this.templateInfos.push(p);
      this.infoWaiters = this.infoWaiters.filter((w) => (w.test(p) ? (w.resolve(p), false) : true));
    });
    conn.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      const w = this.refreshWaiters;
      this.refreshWaiters = [];
      for (const r of w) r();
      return null;
    });
    conn.listen();
  }

  /** The wxmsg/templateInfoChanged for `uri` at `version` (already received, or the next one). */
  templateInfo(uri: string, version: number): Promise<{ uri: string; version: number; msgtype?: string }> {
    const test = (p: { uri: string; version: number }) => p.uri === uri && p.version === version;
    const seen = this.templateInfos.find(test);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => this.infoWaiters.push({ test, resolve }));
  }

  /** Resolves at the next wxmsg/projectChanged notification. */
  nextProjectChange(): Promise<void> {
    return new Promise((r) => this.projectWaiters.push(r));
  }

  static start(): LspClient {
    ensureBuilt();
    // With the Node flags the extension starts it with: the server under test is the one users run.
    const proc = spawn(process.execPath, [...serverExecArgv(process.allowedNodeEnvironmentFlags), SERVER, '--stdio'], { cwd: ROOT, stdio: 'pipe' });
    proc.stderr.resume();
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    return new LspClient(proc, conn);
  }

  async initialize(capabilities: ClientCapabilities, opts: { rootPath?: string; locale?: string; initializationOptions?: unknown } = {}): Promise<InitializeResult> {
    const rootUri = opts.rootPath ? pathToFileURL(opts.rootPath).href : null;
    const r = await this.conn.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'test' }] : null,
      capabilities,
      locale: opts.locale,
      initializationOptions: opts.initializationOptions,
    });
    await this.conn.sendNotification('initialized', {});
    return r;
  }

  /** Opens a document; resolves once the notification is written. */
  async open(uri: string, text: string, languageId = 'wxmsg'): Promise<void> {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text; returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** Replaces text[start, end) (UTF-16 offsets) with `newText` as one incremental change; returns the new version. */
  async edit(uri: string, start: number, end: number, newText: string): Promise<number> {
    const text = this.text(uri);
    const version = this.version(uri) + 1;
    const range = { start: positionAt(text, start), end: positionAt(text, end) };
    this.versions.set(uri, version);
    this.texts.set(uri, text.slice(0, start) + newText + text.slice(end));
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: newText }] });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  text(uri: string): string {
    return this.texts.get(uri) ?? '';
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  /** The next publishDiagnostics for `uri` (at least `minVersion`) that satisfies `test`. */
  nextDiagnostics(uri: string, test: (d: Diagnostic[]) => boolean = () => true, minVersion = 0): Promise<Diagnostic[]> {
    const ok = (p: PublishDiagnosticsParams): boolean => p.uri === uri && (p.version ?? Infinity) >= minVersion && test(p.diagnostics);
    return new Promise((res) => this.diagWaiters.push({ test: ok, resolve: (p) => res(p.diagnostics) }));
  }

  /** Diagnostics for the document's current version (push model). */
  diagnosticsNow(uri: string, test?: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const v = this.version(uri);
    const hit = [...this.published].reverse().find((p) => p.uri === uri);
    if (hit && hit.version === v && (!test || test(hit.diagnostics))) return Promise.resolve(hit.diagnostics);
    return this.nextDiagnostics(uri, test, v);
  }

  nextRefresh(): Promise<void> {
    return new Promise((res) => this.refreshWaiters.push(res));
  }

  nextLog(test: (m: LogMessageParams) => boolean): Promise<LogMessageParams> {
    const hit = this.logs.find(test);
    if (hit) return Promise.resolve(hit);
    return new Promise((res) => this.logWaiters.push({ test, resolve: res }));
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest<R>(method, params);
  }

  async stop(): Promise<number | null> {
    try {
      await this.conn.sendRequest('shutdown');
      await this.conn.sendNotification('exit');
    } catch {
      this.proc.kill();
    }
    const code = await this.exited;
    this.conn.dispose();
    return code;
  }
}

/** The LSP position of a UTF-16 offset; a line ends at \r\n, \r or \n, as in TextDocument. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const ch = text.charCodeAt(i);
    if (ch !== 10 && ch !== 13) continue;
    if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
    line++;
    lineStart = i + 1;
  }
  return { line, character: Math.max(0, offset - lineStart) };
}

/** Applies LSP text edits (non-overlapping, any order) to a text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: { line: number; character: number }): number =>
    p.line >= starts.length ? text.length : Math.min(starts[p.line] + p.character, p.line + 1 < starts.length ? starts[p.line + 1] : text.length);
  const sorted = edits
    .map((e) => ({ s: offset(e.range.start), e: offset(e.range.end), t: e.newText }))
    .sort((a, b) => b.s - a.s || b.e - a.e);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.s) + e.t + out.slice(e.e);
  return out;
}

/** A temp mini program project: project.config.json (+ miniprogramRoot) and app.json. */
export function tempProject(opts: { appid?: string; pages?: string[] } = {}): { dir: string; appJson: string; uri: (name: string) => string; file: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wxmsg-lsp-'));
  writeFileSync(join(dir, 'project.config.json'), JSON.stringify({ appid: opts.appid ?? 'wx1111111111111111', miniprogramRoot: 'miniprogram/' }));
  const appJson = join(dir, 'miniprogram', 'app.json');
  mkdirSync(dirname(appJson), { recursive: true });
  writeFileSync(appJson, JSON.stringify({ pages: opts.pages ?? ['pages/index/index', 'pages/order/detail'] }));
  mkdirSync(join(dir, 'templates'));
  const file = (name: string): string => join(dir, 'templates', name);
  return {
    dir,
    appJson,
    file,
    uri: (name) => pathToFileURL(file(name)).href,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type TempProject = ReturnType<typeof tempProject>;

/**
 * For the tests of the enclosing `describe`: a temp project (see tempProject) and one push-model
 * server rooted at it, started before the tests and stopped, the project removed, after them.
 * `onStart` gets the client before `initialize`, to keep it or to hook its handlers.
 */
export function serveTempProject(opts: { appid?: string; pages?: string[] }, onStart: (c: LspClient) => void): TempProject {
  const p = tempProject(opts);
  let c: LspClient;
  before(async () => {
    c = LspClient.start();
    onStart(c);
    await c.initialize(pushCapabilities(), { rootPath: p.dir });
  });
  after(async () => {
    await c.stop();
    p.cleanup();
  });
  return p;
}

/** Range of the `n`th occurrence of `needle` in a single-line-agnostic text. */
export function rangeOfText(text: string, needle: string, from = 0): { start: { line: number; character: number }; end: { line: number; character: number } } {
  const i = text.indexOf(needle, from);
  if (i === -1) throw new Error(`"${needle}" not in text`);
  const pos = (o: number) => {
    const before = text.slice(0, o);
    const line = before.split('\n').length - 1;
    return { line, character: o - (before.lastIndexOf('\n') + 1) };
  };
  return { start: pos(i), end: pos(i + needle.length) };
}
