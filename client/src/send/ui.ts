import * as vscode from 'vscode';
import { contextUri, projectContextFor } from './project.ts';
import type { SendResults } from './resultView.ts';
import type { SendService } from './sendService.ts';

/** What the send commands share: the service, the inline results and redacted messages. */
export interface SendUi {
  service: SendService;
  results: SendResults;
  output: vscode.OutputChannel;
  /** One line to the output channel, through the redactor. */
  log(line: string): void;
  /** An error notification, through the redactor. */
  showError(message: string, ...items: string[]): Thenable<string | undefined>;
}

export function createUi(service: SendService, results: SendResults, output: vscode.OutputChannel): SendUi {
  return {
    service, results, output,
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

/** The appid as the linter resolves it for `uri` (or the workspace), else asked for. */
export async function appidFor(uri: vscode.Uri | undefined, given?: string): Promise<string | undefined> {
  const known = given?.trim() || projectContextFor(contextUri(uri)).appid;
  if (known) return known;
  const v = await vscode.window.showInputBox({
    title: vscode.l10n.t('WeChat (wxmsg): appid'),
    prompt: vscode.l10n.t('No appid found (wxmsg.appid setting or project.config.json). The mini program\'s appid:'),
    ignoreFocusOut: true,
    validateInput: (x) => (/^[A-Za-z0-9_-]{1,64}$/.test(x.trim()) ? undefined : vscode.l10n.t('an appid is "wx" followed by 16 hex digits')),
  });
  return v?.trim() || undefined;
}
