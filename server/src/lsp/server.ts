import { writeSync } from 'node:fs';
import { format } from 'node:util';
import {
  DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, ProposedFeatures, TextDocumentSyncKind,
  TextDocuments, createConnection, type Connection, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toLocale } from '../core/l10n/messages.ts';
import type { Locale } from '../core/types.ts';
import { VERSION } from '../core/version.ts';
import { PullDiagnostics, PushDiagnostics } from './diagnostics.ts';
import { wellFormedDocumentEvents } from './documentEvents.ts';
import { Features } from './features.ts';
import { Navigation } from './navigation.ts';
import { LedgerContext } from './ledgerContext.ts';
import { guardFraming, type FramingError } from './framing.ts';
import { Health } from './guard.ts';
import { Lifecycle } from './lifecycle.ts';
import { Projects, isTemplateUri } from './project.ts';
import { previewModelHandler } from './preview.ts';
import { prepareSendHandler } from './prepareSend.ts';
import { TemplateInfoPush, templateInfoOf } from './templateInfo.ts';
import { isProjectFileUri, profilesOf, recordUploadIn } from './workspaceFiles.ts';
import { parseProjectConfig } from '../core/rules/profileConfig.ts';
import { clearTagCache } from '../core/rules/textLinks.ts';
import {
  CONFIG_SECTION, DOCUMENT_ENCODING_NOTIFICATION, FIX_ALL_KIND, PREPARE_SEND_REQUEST, PROJECT_CHANGED_NOTIFICATION, PREVIEW_MODEL_REQUEST, PROFILES_REQUEST, RECORD_UPLOAD_REQUEST, STATUS_REQUEST, TEMPLATE_INFO_NOTIFICATION, TEMPLATE_INFO_REQUEST, TRIGGER_CHARACTERS, WATCHED_GLOBS,
  type DocumentEncodingParams, type InitializationOptions, type ProfilesResult, type RecordUploadParams, type RecordUploadResult, type StatusParams, type StatusResult,
  type TemplateInfoParams, type TemplateInfoResult,
} from './protocol.ts';
import { SettingsStore } from './settings.ts';

/**
 * The language server: wiring only. Features are pure functions of the core (features.ts
 * adapts them); this file decides when to validate and where settings and project facts come
 * from. Transport (--stdio, --node-ipc, --socket=N) is picked from argv by createConnection.
 */
export function startServer(): void {
  const lifecycle = new Lifecycle();
  const connection = openConnection(lifecycle);
  lifecycle.listen(connection);
  const documents = new TextDocuments(TextDocument);
  const health = new Health(connection);
  const projects = new Projects();
  let locale: Locale = 'en';
  let canPullConfig = false;
  let pullDiagnostics = false;
  let canRefreshDiagnostics = false;
  let registerWatchers = false;
  let registerConfigChange = false;
  let followFolders = false;

  const settings = new SettingsStore(connection, () => canPullConfig, () => revalidateAll());
  /** Per document URI, the encoding the client decoded it with (wxmsg/documentEncoding). */
  const encodings = new Map<string, string>();
  const isTemplate = (doc: TextDocument): boolean => isTemplateUri(doc.uri) || doc.languageId === 'wxmsg';
  const ledgers = new LedgerContext(projects, () => projects.folderPaths);
  const features = new Features({
    documents,
    get locale() { return locale; },
    isTemplate,
    settings: (uri) => settings.get(uri),
    context: (uri, s) => ledgers.with(projects.contextFor(uri, s), uri),
    variables: (uri) => projects.variablesFor(uri),
    encoding: (uri) => encodings.get(uri),
  });
  const navigation = new Navigation(features, projects, ledgers);
  // An open project file (wxmsg.config.json) gets its config-error / secret-in-config diagnostics too.
  // After each validation, the msgtype goes to the client if it changed (the CodeLens keeps it):
  // after the diagnostics answer, which the user is waiting for (setImmediate runs once the
  // answer's promise chain has written it), not before it.
  const infos = new TemplateInfoPush((params) => setImmediate(() => void connection.sendNotification(TEMPLATE_INFO_NOTIFICATION, params).catch(() => undefined)));
  const validator = async (doc: TextDocument) => {
    if (isProjectFileUri(doc.uri)) return parseProjectConfig(doc.getText(), locale).diagnostics;
    const diagnostics = await features.validate(doc);
    if (diagnostics) infos.update(doc.uri, templateInfoOf(features.template(doc.uri)));
    return diagnostics;
  };
  const push = new PushDiagnostics(connection, documents, validator, health);
  const pull = new PullDiagnostics(documents, validator);

  /** Settings or project files changed: every open template is validated again. */
  const revalidateAll = (): void => {
    pull.generation++;
    if (!pullDiagnostics) push.revalidateAll();
    else if (canRefreshDiagnostics) connection.languages.diagnostics.refresh();
    void connection.sendNotification(PROJECT_CHANGED_NOTIFICATION).catch(() => undefined);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    locale = toLocale(params.locale);
    canPullConfig = !!caps.workspace?.configuration;
    pullDiagnostics = !!caps.textDocument?.diagnostic;
    canRefreshDiagnostics = !!caps.workspace?.diagnostics?.refreshSupport;
    registerWatchers = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration && !init.fileEventsForwarded;
    registerConfigChange = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    followFolders = !!caps.workspace?.workspaceFolders;
    if (params.workspaceFolders) projects.setFolders(params.workspaceFolders.map((f) => f.uri));
    else if (params.rootUri) projects.setFolders([params.rootUri]);
    const result: InitializeResult = {
      serverInfo: { name: 'wxmsg', version: VERSION },
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: TRIGGER_CHARACTERS, resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND] },
        documentSymbolProvider: true,
        definitionProvider: true,
        documentLinkProvider: { resolveProvider: false },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
    };
    if (pullDiagnostics) {
      // A template's diagnostics depend on project files read from disk (app.json, project
      // configs, variables, the media ledger), never on another open document's unsaved text. A
      // change to those files is announced with workspace/diagnostic/refresh. Only a client
      // that cannot be told so is asked to re-pull the other visible templates itself: with
      // interFileDependencies, vscode-languageclient re-pulls every other visible template 200 ms
      // after each keystroke, editor work per keystroke that the user did not ask for.
      result.capabilities.diagnosticProvider = { identifier: 'wxmsg', interFileDependencies: !canRefreshDiagnostics, workspaceDiagnostics: false };
    }
    return result;
  });

  connection.onInitialized(health.guardVoid('initialized', async () => {
    // Sent together, so a client sees both before anything it asks afterwards is answered.
    const registrations: Promise<unknown>[] = [];
    if (registerConfigChange) {
      registrations.push(connection.client.register(DidChangeConfigurationNotification.type, { section: CONFIG_SECTION }));
    }
    if (registerWatchers) {
      registrations.push(connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })),
      }));
    }
    if (followFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(health.guardVoid('workspaceFolders', (e) => {
        projects.addFolders(e.added.map((f) => f.uri), e.removed.map((f) => f.uri));
        projects.resolver.clear();
        revalidateAll();
      }));
    }
    await Promise.all(registrations);
  }));

  // TextDocuments reports an open as a content change too: validate opened documents at once;
  // later edits wait according to what the document's validation costs (PushDiagnostics).
  const opened = new Set<string>();
  // A re-open (no close in between) is an open: fresh text, validated at once.
  documents.onDidOpen((e) => opened.delete(e.document.uri));
  documents.onDidChangeContent(health.guardVoid('didChange', (e) => {
    const first = !opened.has(e.document.uri);
    opened.add(e.document.uri);
    if (!pullDiagnostics && (isTemplate(e.document) || isProjectFileUri(e.document.uri))) push.schedule(e.document.uri, first ? 0 : undefined);
  }));
  documents.onDidClose(health.guardVoid('didClose', (e) => {
    opened.delete(e.document.uri);
    features.forget(e.document.uri);
    // The opening-tag cache stops growing when full; a closed document lets its working set go.
    clearTagCache();
    settings.forget(e.document.uri);
    pull.forget(e.document.uri);
    infos.forget(e.document.uri);
    encodings.delete(e.document.uri);
    if (!pullDiagnostics) push.clear(e.document.uri);
  }));

  connection.onDidChangeConfiguration(health.guardVoid('didChangeConfiguration', (p) => {
    settings.changed(p.settings);
    revalidateAll();
  }));
  connection.onNotification(DOCUMENT_ENCODING_NOTIFICATION, health.guardVoid('documentEncoding', (p: DocumentEncodingParams) => {
    if (!p || typeof p.uri !== 'string' || typeof p.encoding !== 'string' || p.encoding.length > 64) {
      connection.console.warn(`wxmsg: ignored a malformed ${DOCUMENT_ENCODING_NOTIFICATION} notification`);
      return;
    }
    if (encodings.get(p.uri) === p.encoding) return;
    // Kept for open documents (and the one about to open); a client cannot grow it without end.
    if (!documents.get(p.uri) && !encodings.has(p.uri) && encodings.size >= 10_000) return;
    encodings.set(p.uri, p.encoding);
    // Sent before didOpen, usually: then the open validates with it. A change later (Reopen or
    // Save with Encoding) revalidates.
    if (documents.get(p.uri)) revalidateAll();
  }));
  connection.onDidChangeWatchedFiles(health.guardVoid('didChangeWatchedFiles', () => {
    projects.resolver.clear();
    ledgers.clear();
    revalidateAll();
  }));

  connection.languages.diagnostics.on(health.guard('diagnostics', { kind: 'full' as const, items: [] }, (p, token) => pull.pull(p, token), ['textDocument']));
  connection.onCompletion(health.guard('completion', [], (p) => features.completion(p), ['textDocument', 'position']));
  connection.onHover(health.guard('hover', null, (p) => features.hover(p), ['textDocument', 'position']));
  connection.onCodeAction(health.guard('codeAction', [], (p) => features.codeActions(p), ['textDocument', 'range', 'context']));
  connection.onDefinition(health.guard('definition', [], (p) => navigation.definition(p), ['textDocument', 'position']));
  connection.onDocumentLinks(health.guard('documentLink', [], (p) => navigation.documentLinks(p), ['textDocument']));
  connection.onDocumentSymbol(health.guard('documentSymbol', [], (p) => features.symbols(p), ['textDocument']));
  connection.onDocumentFormatting(health.guard('formatting', [], (p) => features.format(p), ['textDocument', 'options']));
  connection.onDocumentRangeFormatting(health.guard('rangeFormatting', [], (p) => features.format(p), ['textDocument', 'range', 'options']));

  connection.onRequest(STATUS_REQUEST, health.guard('status', undefined, async (p: StatusParams | undefined): Promise<StatusResult> => {
    const uri = typeof p?.uri === 'string' ? p.uri : undefined;
    const s = uri ? await settings.get(uri) : { rules: {} };
    return { version: VERSION, health: health.health, lastError: health.lastError, ...projects.status(uri, s, locale) };
  }));

  connection.onRequest(PREVIEW_MODEL_REQUEST, health.guard('previewModel', null, previewModelHandler({
    documents, features, locale: () => locale, settings: (uri) => settings.get(uri), context: (uri, s) => projects.contextFor(uri, s),
  }), ['textDocument']));

  connection.onRequest(PREPARE_SEND_REQUEST, health.guard('prepareSend', { kind: 'server-error' as const }, prepareSendHandler({
    documents,
    locale: () => locale,
    projects,
    template: (uri) => features.template(uri),
    isTemplate,
    settings: (uri) => settings.get(uri),
    context: (uri, s) => ledgers.with(projects.contextFor(uri, s), uri),
    encoding: (uri) => encodings.get(uri),
  }), ['textDocument']));

  connection.onRequest(TEMPLATE_INFO_REQUEST, health.guard('templateInfo', null, (p: TemplateInfoParams): TemplateInfoResult => {
    const info = templateInfoOf(features.template(p.textDocument.uri));
    infos.answered(p.textDocument.uri, info);
    return info;
  }, ['textDocument']));

  connection.onRequest(PROFILES_REQUEST, health.guard('profiles', { profiles: {}, hasErrors: false }, (): ProfilesResult => profilesOf(projects, locale)));

  connection.onRequest(RECORD_UPLOAD_REQUEST, health.guard('recordUpload', { error: 'internal error' }, (p: RecordUploadParams): RecordUploadResult => {
    const r = recordUploadIn(projects, p ?? {} as RecordUploadParams);
    // The new media_id is known at once (the watched-file event may come later or not at all).
    if ('root' in r) {
      ledgers.clear();
      revalidateAll();
    }
    return r;
  }));

  // A bug anywhere (a timer, a library callback) is logged, never fatal.
  process.on('uncaughtException', (e) => health.fail('server', e));
  process.on('unhandledRejection', (e) => health.fail('server', e));

  documents.listen(wellFormedDocumentEvents(connection));
  connection.listen();
}

/**
 * The connection for the transport named in argv. Over --stdio the input goes through a
 * {@link guardFraming} check first: a malformed header is logged on stderr and the server
 * exits 1, so the client restarts it rather than talking to a server that reads garbage or
 * waits forever. The other transports are set up by vscode-languageserver from argv.
 */
function openConnection(lifecycle: Lifecycle): Connection {
  const options = { messageStrategy: lifecycle };
  if (!process.argv.slice(2).includes('--stdio')) return createConnection(ProposedFeatures.all, options);
  const input = guardFraming(process.stdin, (e: FramingError) => {
    // Synchronously, before the stream's 'close' (on which vscode-languageserver exits 0 after a
    // shutdown): the line is written and the exit code is 1 whatever came before.
    try {
      writeSync(2, `wxmsg language server: ${e.message}; exiting so that the client can restart it\n`);
    } finally {
      process.exit(1);
    }
  });
  const connection = createConnection(ProposedFeatures.all, input, process.stdout, options);
  // Given streams rather than --stdio, vscode-languageserver does not send console output to
  // the client: stdout is the protocol's, so anything printed goes to the client's log instead.
  console.log = console.info = console.debug = (...args: unknown[]) => connection.console.log(format(...args));
  console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
  console.error = (...args: unknown[]) => connection.console.error(format(...args));
  return connection;
}
