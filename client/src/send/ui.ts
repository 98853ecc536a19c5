import * as vscode from 'vscode';
import type { LanguageService } from './languageServer.ts';
import { editorLocale, resultLine, type SendView, type Speech } from './present.ts';
import type { SendResults } from './resultView.ts';
import type { SendService } from './sendService.ts';

/** What the send commands share: the service, the inline results and redacted messages. */
export interface SendUi {
  service: SendService;
  /** The language server: the check before a send and the project context (appid). */
  server: LanguageService;
  results: SendResults;
  /** Shows a send's result inline (CodeLens, and a diagnostic on the `msgtype` line). */
  showResult(doc: vscode.TextDocument, view: SendView): void;
  output: vscode.OutputChannel;
  /** One line to the output channel, through the redactor. */
  log(line: string): void;
  /** An error notification, through the redactor. */
  showError(message: string, ...items: string[]): Thenable<string | undefined>;
  /** The language of the results (the service's, uiSpeech()). */
  speech: Speech;
}

/** VS Code's display language: vscode.l10n for the sentences, the catalog locale for the decoded errcodes. */
export function uiSpeech(): Speech {
  return { l10n: vscode.l10n, locale: editorLocale(vscode.env.language) };
}

export function createUi(service: SendService, server: LanguageService, results: SendResults, output: vscode.OutputChannel, speech: Speech = uiSpeech()): SendUi {
  return {
    service, server, results, output, speech,
    showResult: (doc, view) => results.set(doc, view, resultLine(doc.getText())),
    log: (line) => service.log(line),
    showError: (message, ...items) => vscode.window.showErrorMessage(service.redact(message), ...items),
  };
}

/** The template in focus, or a stand-in path in the first workspace folder (for the appid lookup). */
export function contextUri(uri?: vscode.Uri, folderOnly = false): vscode.Uri | undefined {
  if (uri) return uri;
  const active = folderOnly ? undefined : vscode.window.activeTextEditor?.document.uri;
  if (active && active.scheme === 'file') return active;
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, '.wxmsg-appid-lookup.wxmsg.json') : undefined;
}

export function isTemplate(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return !!doc && doc.uri.path.toLowerCase().endsWith('.wxmsg.json');
}

/** The document a command acts on: `uri` (automation, CodeLens, editor title) or the active editor's. */
export async function targetDocument(uri?: string): Promise<vscode.TextDocument | undefined> {
  if (uri) return vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  return vscode.window.activeTextEditor?.document;
}

/** The appid as the language server resolves it for `uri` (or the workspace), else asked for. */
export async function appidFor(server: LanguageService, uri: vscode.Uri | undefined, given?: string): Promise<string | undefined> {
  const known = given?.trim() || await server.appid(contextUri(uri));
  if (known) return known;
  const v = await vscode.window.showInputBox({
    title: vscode.l10n.t('WeChat (wxmsg): appid'),
    prompt: vscode.l10n.t('No appid found (wxmsg.appid setting or project.config.json). The mini program\'s appid:'),
    ignoreFocusOut: true,
    validateInput: (x) => (/^[A-Za-z0-9_-]{1,64}$/.test(x.trim()) ? undefined : vscode.l10n.t('an appid is "wx" followed by 16 hex digits')),
  });
  return v?.trim() || undefined;
}
