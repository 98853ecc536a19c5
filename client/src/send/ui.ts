import * as vscode from 'vscode';
import { contextUri, type LanguageService } from './languageServer.ts';
import type { SendResults } from './resultView.ts';
import type { SendService } from './sendService.ts';

/** What the send commands share: the service, the inline results and redacted messages. */
export interface SendUi {
  service: SendService;
  /** The language server: the check before a send and the project context (appid). */
  server: LanguageService;
  results: SendResults;
  output: vscode.OutputChannel;
  /** One line to the output channel, through the redactor. */
  log(line: string): void;
  /** An error notification, through the redactor. */
  showError(message: string, ...items: string[]): Thenable<string | undefined>;
}

export function createUi(service: SendService, server: LanguageService, results: SendResults, output: vscode.OutputChannel): SendUi {
  return {
    service, server, results, output,
    log: (line) => service.log(line),
    showError: (message, ...items) => vscode.window.showErrorMessage(service.redact(message), ...items),
  };
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
