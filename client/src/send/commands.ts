import * as vscode from 'vscode';
import { SELECTOR } from '../selector.ts';
import { SendCodeLens } from './codeLens.ts';
import { UploadActions } from './uploadActions.ts';
import { clearCredentials, setCredential, type ClearArgs, type SecretArgs } from './credentials.ts';
import { SendResults } from './resultView.ts';
import { SendCommand, type SendArgs } from './sendCommand.ts';
import { nodeTransport } from '../../../server/src/wechat/nodeTransport.ts';
import { vscodeProxyFor } from './proxySettings.ts';
import { SendService } from './sendService.ts';
import { Profiles } from './profiles.ts';
import { createUi } from './ui.ts';
import { registerSendsView } from './historyView.ts';
import { noticeIgnoredBaseUrl } from './apiConfig.ts';
import { languageService } from './languageServer.ts';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { uploadImage, type UploadArgs } from './upload.ts';
import { downloadMedia, setTyping, type MediaArgs, type TypingArgs } from './typingMedia.ts';

/**
 * Wires the editor side of sending into the extension (one call from activate()): the commands,
 * the CodeLens and the inline results. Every command takes optional arguments so tests and the
 * e2e suite can drive it without dialogs; without them it asks.
 */
export function registerSend(context: vscode.ExtensionContext, output: vscode.OutputChannel, client: LanguageClient, onCodeLens?: () => void): SendService {
  // Every line to the output channel goes through the service's redactor.
  // node:https, not the bundled undici: VS Code applies its proxy and certificate settings
  // (http.proxy, http.noProxy, PAC, http.proxyStrictSSL, the OS certificate store) to it only.
  const transport = nodeTransport({ proxy: vscodeProxyFor });
  const service = new SendService(context.secrets, context.globalState, (line) => output.appendLine(`[send] ${line}`), { transport }, context.workspaceState);
  const results = new SendResults();
  const server = languageService(client);
  const ui = createUi(service, server, results, output);
  const profiles = new Profiles(context.workspaceState, (l) => ui.log(l), () => server.profiles(), context.globalState, context.secrets);
  // A server that (re)starts may see another project file: ask it again.
  context.subscriptions.push(client.onDidChangeState((e) => { if (e.newState === State.Running) void profiles.refresh(); }));
  const sender = new SendCommand(ui, profiles);
  context.subscriptions.push(
    results,
    profiles,
    sender,
    vscode.commands.registerCommand('wxmsg.switchProfile', (a?: { name?: string }) => profiles.switch(argsOf(a))),
    vscode.commands.registerCommand('wxmsg.setTokenServiceHeader', (a?: { headerEnv?: string; value?: string }) => profiles.setTokenServiceHeader(argsOf(a))),
    vscode.languages.registerCodeLensProvider(SELECTOR, new SendCodeLens(results, onCodeLens)),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new UploadActions(), { providedCodeActionKinds: UploadActions.kinds }),
    vscode.commands.registerCommand('wxmsg.sendToOpenId', (a?: SendArgs) => sender.run(argsOf(a))),
    vscode.commands.registerCommand('wxmsg.cancelSend', (a?: { uri?: string }) => sender.cancel(argsOf(a))),
    vscode.commands.registerCommand('wxmsg.setAppSecret', (a?: SecretArgs) => setCredential(ui, 'secret', argsOf(a))),
    vscode.commands.registerCommand('wxmsg.setAccessToken', (a?: SecretArgs) => setCredential(ui, 'token', argsOf(a))),
    vscode.commands.registerCommand('wxmsg.clearCredentials', (a?: ClearArgs) => clearCredentials(ui, argsOf(a))),
    vscode.commands.registerCommand('wxmsg.uploadImage', (a?: UploadArgs) => uploadImage(ui, argsOf(a))),
    vscode.commands.registerCommand('wxmsg.setTyping', (a?: TypingArgs) => setTyping(ui, argsOf(a))),
    vscode.commands.registerCommand('wxmsg.downloadMedia', (a?: MediaArgs) => downloadMedia(ui, argsOf(a))),
    // Tokens live only in this process's memory: forget them with the extension.
    { dispose: () => service.tokenCache.clear() },
  );
  registerSendsView(context, ui);
  // The README promises a notice when a workspace sets wxmsg.api.baseUrl: at start, and when
  // the settings change (the value itself is never echoed).
  let last: string | undefined;
  const notice = () => noticeIgnoredBaseUrl((l) => { if (l !== last) ui.log(l); last = l; }, () => { last = undefined; });
  notice();
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('wxmsg')) notice(); }));
  return service;
}

/** Editor-title and palette invocations pass a Uri (or nothing): only plain objects are arguments. */
function argsOf<T extends object>(a: unknown): T {
  if (a instanceof vscode.Uri) return { uri: a.toString() } as T;
  return a && typeof a === 'object' && !Array.isArray(a) ? (a as T) : ({} as T);
}
