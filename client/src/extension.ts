import * as vscode from 'vscode';
import {
  LanguageClient, RevealOutputChannelOn, TransportKind, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import { CONFIG_SECTION, PROJECT_FILE_NAME, WATCHED_GLOBS, serverExecArgv, type InitializationOptions } from '../../server/src/lsp/protocol.ts';
import { DocumentEncodings } from './encoding.ts';
import { EditLatency } from './editLatency.ts';
import { newMessage } from './newMessage.ts';
import { registerPreview } from './preview/preview.ts';
import { registerSend } from './send/commands.ts';
import { SELECTOR } from './selector.ts';
import { ServerDocuments } from './serverDocuments.ts';
import { readSettings } from './settings.ts';
import { ServerStatus } from './status.ts';

let client: LanguageClient | undefined;

/**
 * A thin client: it starts dist/server.js over node IPC, answers the server's
 * workspace/configuration requests from VS Code settings, forwards project file events, and
 * adds the status item and commands. Everything language-aware lives in the server.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('wxmsg');
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: serverExecArgv(process.allowedNodeEnvironmentFlags) } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const initializationOptions: InitializationOptions = { fileEventsForwarded: true };
  const encodings = new DocumentEncodings(() => client);
  const latency = new EditLatency(output);
  const documents = new ServerDocuments();
  const clientOptions: LanguageClientOptions = {
    // Templates, and the project file of profiles (its diagnostics come from the server too).
    documentSelector: [...SELECTOR, { pattern: `**/${PROJECT_FILE_NAME}` }],
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions,
    synchronize: {
      fileEvents: WATCHED_GLOBS.map((g) => vscode.workspace.createFileSystemWatcher(g)),
    },
    middleware: {
      ...latency.middleware,
      // The server sees only decoded text: it learns the encoding just before the document.
      didOpen: (doc, next) => documents.open(doc, async () => {
        await encodings.report(doc);
        await next(doc);
      }),
      workspace: {
        // Only the client reads settings: one resolved, typed object per requested resource.
        configuration: (params) => params.items.map((item) => {
          if (item.section && item.section !== CONFIG_SECTION) return null;
          return readSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined);
        }),
      },
    },
  };
  const lc = new LanguageClient('wxmsg', 'wxmsg', serverOptions, clientOptions);
  client = lc;
  const status = new ServerStatus(lc, () => latency.count('status'));
  encodings.watch(lc);

  context.subscriptions.push(
    output,
    documents,
    status,
    encodings,
    latency,
    vscode.commands.registerCommand('wxmsg.showEditLatency', () => latency.show()),
    vscode.commands.registerCommand('wxmsg.restartServer', async () => {
      output.appendLine(vscode.l10n.t('Restarting the wxmsg server.'));
      await lc.restart();
    }),
    vscode.commands.registerCommand('wxmsg.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('wxmsg.newMessage', (type?: string) => newMessage(type)),
    { dispose: () => void lc.stop() },
  );
  registerSend(context, output, lc, documents, (work) => latency.count(work));
  // Registered before the server starts: VS Code restores previews (the serializer) during activation.
  registerPreview(context, lc, output);

  try {
    await lc.start();
    status.listen();
  } catch (e) {
    output.appendLine(vscode.l10n.t('wxmsg: the server failed to start: {0}', (e as Error)?.message ?? String(e)));
    const openOutput = vscode.l10n.t('Open Output');
    const open = await vscode.window.showErrorMessage(vscode.l10n.t('wxmsg: the language server failed to start.'), openOutput);
    if (open) output.show(true);
  }
  void status.refresh();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
