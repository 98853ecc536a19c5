import * as vscode from 'vscode';
import { clearCredentials, setCredential, type ClearArgs, type SecretArgs } from './credentials.ts';
import { copyCurl } from './curl.ts';
import type { EditorHistoryEntry, SendHistory } from './history.ts';
import type { LanguageService } from './languageServer.ts';
import type { Profiles } from './profiles.ts';
import { setTokenServiceHeader } from './profileCredentials.ts';
import { vscodeProxyFor } from './proxySettings.ts';
import type { SendResults } from './resultView.ts';
import { SendCommand, type SendArgs } from './sendCommand.ts';
import { SendService, type SendOutcome, type UploadOutcome } from './sendService.ts';
import { downloadMedia, setTyping, type MediaArgs, type TypingArgs } from './typingMedia.ts';
import { createUi, uiSpeech } from './ui.ts';
import { uploadImage, type UploadArgs } from './upload.ts';
import { ignoredBaseUrlNoticeNow } from './apiConfig.ts';
import { nodeTransport } from '../../../server/src/wechat/nodeTransport.ts';

/**
 * The send code, loaded on first use: dist/clientSend.js, required by dist/client.js when a send,
 * upload, credential, token service header, typing, media or "copy as curl" command first runs,
 * or when a workspace may set wxmsg.api.baseUrl. It holds the WeChat API client, the token
 * sources, the dialogs and what the results look like. What runs from activation (commands.ts:
 * the command entries, the CodeLens, the inline results, the profile status item, the WeChat
 * Sends view) hands it the objects they share. It takes nothing from vscode-languageclient: the
 * language server is reached through `server`.
 */
export interface SendDeps {
  context: vscode.ExtensionContext;
  output: vscode.OutputChannel;
  server: LanguageService;
  results: SendResults;
  history: SendHistory;
  profiles: Profiles;
}

/** The commands the send code answers (the names are the commands' after `wxmsg.`). */
export interface SendCode {
  sendToOpenId(a: SendArgs): Promise<SendOutcome | undefined>;
  cancelSend(a: { uri?: string }): number;
  setAppSecret(a: SecretArgs): Promise<boolean>;
  setAccessToken(a: SecretArgs): Promise<boolean>;
  clearCredentials(a: ClearArgs): Promise<string | undefined>;
  uploadImage(a: UploadArgs): Promise<UploadOutcome | undefined>;
  setTyping(a: TypingArgs): Promise<{ ok: boolean; message: string } | undefined>;
  downloadMedia(a: MediaArgs): Promise<{ ok: boolean; message: string; file?: string } | undefined>;
  setTokenServiceHeader(a: { headerEnv?: string; value?: string }): Promise<boolean>;
  copyCurl(e: EditorHistoryEntry): Promise<string | undefined>;
  /** The notice when the workspace sets wxmsg.api.baseUrl (ignored), else undefined. */
  ignoredBaseUrlNotice(): string | undefined;
  /** One line to the output channel, through the redactor. */
  log(line: string): void;
}

export function startSend(deps: SendDeps): SendCode {
  const { context, output, server, results, history, profiles } = deps;
  // Every line to the output channel goes through the service's redactor.
  // node:https, not the bundled undici: VS Code applies its proxy and certificate settings
  // (http.proxy, http.noProxy, PAC, http.proxyStrictSSL, the OS certificate store) to it only.
  const transport = nodeTransport({ proxy: vscodeProxyFor });
  // One language for what the send code shows: VS Code's display language (vscode.l10n).
  const speech = uiSpeech();
  const service = new SendService(context.secrets, context.globalState, (line) => output.appendLine(`[send] ${line}`), { transport }, history, speech);
  const ui = createUi(service, server, results, output, speech);
  const sender = new SendCommand(ui, profiles);
  context.subscriptions.push(
    sender,
    // Tokens live only in this process's memory: forget them with the extension.
    { dispose: () => service.tokenCache.clear() },
  );
  return {
    sendToOpenId: (a) => sender.run(a),
    cancelSend: (a) => sender.cancel(a),
    setAppSecret: (a) => setCredential(ui, 'secret', a),
    setAccessToken: (a) => setCredential(ui, 'token', a),
    clearCredentials: (a) => clearCredentials(ui, a),
    uploadImage: (a) => uploadImage(ui, a),
    setTyping: (a) => setTyping(ui, a),
    downloadMedia: (a) => downloadMedia(ui, a),
    setTokenServiceHeader: (a) => setTokenServiceHeader(profiles, (l) => ui.log(l), a),
    copyCurl: (e) => copyCurl(ui, e),
    ignoredBaseUrlNotice: () => ignoredBaseUrlNoticeNow(),
    log: (line) => ui.log(line),
  };
}
