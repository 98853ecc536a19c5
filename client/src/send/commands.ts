import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { escapeLines } from '../../../server/src/core/escape.ts';
import { redact } from '../../../server/src/wechat/redact.ts';
import { OnDemand } from '../onDemand.ts';
import { SELECTOR } from '../selector.ts';
import type { ServerDocuments } from '../serverDocuments.ts';
import { SendCodeLens } from './codeLens.ts';
import { SendHistory } from './history.ts';
import { registerSendsView } from './historyView.ts';
import { languageService } from './languageServer.ts';
import type { ClearArgs, SecretArgs } from './credentials.ts';
import type { SendCode } from './lazy.ts';
import type { SendArgs } from './sendCommand.ts';
import type { MediaArgs, TypingArgs } from './typingMedia.ts';
import type { UploadArgs } from './upload.ts';
import { Profiles } from './profiles.ts';
import { RECENT_KEY, recentList } from './recent.ts';
import { SendResults } from './resultView.ts';
import { UploadActions } from './uploadActions.ts';
import { workspaceMaySetBaseUrl } from './workspaceSettings.ts';

/**
 * Wires the editor side of sending into the extension (one call from activate()). What shows
 * from the start is set up here: the CodeLens, the inline results, the upload action, the
 * profile status item and the WeChat Sends view. The commands are registered here too, but the
 * code behind the sending ones (the WeChat API client, token sources, dialogs: lazy.ts) is
 * bundled apart, in dist/clientSend.js, and loaded when one of them first runs, as VS Code's own
 * extensions require heavy modules on first use: activation loads only dist/client.js.
 * Every command takes optional arguments so tests and the e2e suite can drive it without
 * dialogs; without them it asks.
 */
export function registerSend(context: vscode.ExtensionContext, output: vscode.OutputChannel, client: LanguageClient, documents: ServerDocuments, countLensWork?: (work: 'codeLens' | 'templateInfo') => void): void {
  const server = languageService(client);
  const results = new SendResults();
  const history = new SendHistory(context.workspaceState);
  const profiles: Profiles = new Profiles(context.workspaceState, (line) => log(line), () => server.profiles(), context.globalState, context.secrets);
  // esbuild turns this import into require('./clientSend.js') (esbuild.mjs).
  const sendCode: OnDemand<SendCode> = new OnDemand('dist/clientSend.js', () => import('./lazy.ts').then((m) => m.startSend({ context, output, server, results, history, profiles })), output);
  // Before the send code is loaded no secret has passed through it: the redactor masks URL
  // token parameters only, as the send code's own does then.
  const log = (line: string) => {
    const code = sendCode.loaded;
    if (code) code.log(line);
    else output.appendLine(`[send] ${escapeLines(redact(line))}`);
  };
  const withCode = async <R>(run: (code: SendCode) => R | Promise<R>): Promise<R | undefined> => {
    const code = await sendCode.get();
    return code && run(code);
  };
  const lenses = new SendCodeLens(results, server, documents, countLensWork);
  // A server that (re)starts may see another project file: ask it again.
  context.subscriptions.push(client.onDidChangeState((e) => { if (e.newState === State.Running) void profiles.refresh(); }));
  context.subscriptions.push(
    results,
    profiles,
    vscode.commands.registerCommand('wxmsg.switchProfile', (a?: { name?: string }) => profiles.switch(argsOf(a))),
    vscode.commands.registerCommand('wxmsg.setTokenServiceHeader', (a?: { headerEnv?: string; value?: string }) => withCode((c) => c.setTokenServiceHeader(argsOf(a)))),
    lenses,
    vscode.languages.registerCodeLensProvider(SELECTOR, lenses),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new UploadActions(), { providedCodeActionKinds: UploadActions.kinds }),
    vscode.commands.registerCommand('wxmsg.sendToOpenId', (a?: SendArgs) => withCode((c) => c.sendToOpenId(argsOf(a)))),
    // Nothing is being sent before the send code is loaded: nothing to cancel.
    vscode.commands.registerCommand('wxmsg.cancelSend', (a?: { uri?: string }) => sendCode.loaded?.cancelSend(argsOf(a)) ?? 0),
    vscode.commands.registerCommand('wxmsg.setAppSecret', (a?: SecretArgs) => withCode((c) => c.setAppSecret(argsOf(a)))),
    vscode.commands.registerCommand('wxmsg.setAccessToken', (a?: SecretArgs) => withCode((c) => c.setAccessToken(argsOf(a)))),
    vscode.commands.registerCommand('wxmsg.clearCredentials', (a?: ClearArgs) => withCode((c) => c.clearCredentials(argsOf(a)))),
    vscode.commands.registerCommand('wxmsg.uploadImage', (a?: UploadArgs) => withCode((c) => c.uploadImage(argsOf(a)))),
    vscode.commands.registerCommand('wxmsg.setTyping', (a?: TypingArgs) => withCode((c) => c.setTyping(argsOf(a)))),
    vscode.commands.registerCommand('wxmsg.downloadMedia', (a?: MediaArgs) => withCode((c) => c.downloadMedia(argsOf(a)))),
  );
  registerSendsView(context, history, () => recentList(context.globalState.get(RECENT_KEY)), (e) => withCode((c) => c.copyCurl(e)));
  // The README promises a notice when a workspace sets wxmsg.api.baseUrl: at start, and when
  // the settings change (the value itself is never echoed). Only a workspace that may set it
  // loads the send code to tell.
  let last: string | undefined;
  const notice = async () => {
    const line = workspaceMaySetBaseUrl() ? await withCode((c) => c.ignoredBaseUrlNotice()) : undefined;
    if (line === undefined) { last = undefined; return; }
    if (line !== last) log(line);
    last = line;
  };
  void notice();
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('wxmsg')) void notice(); }));
}

/** Editor-title and palette invocations pass a Uri (or nothing): only plain objects are arguments. */
function argsOf<T extends object>(a: unknown): T {
  if (a instanceof vscode.Uri) return { uri: a.toString() } as T;
  return a && typeof a === 'object' && !Array.isArray(a) ? (a as T) : ({} as T);
}
