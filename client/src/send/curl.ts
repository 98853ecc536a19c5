import * as vscode from 'vscode';
import { payloadHash } from '../../../server/src/wechat/sendRecord.ts';
import { withRecipient } from '../../../server/src/wechat/recipient.ts';
import { curlFor, openIdOf, type EditorHistoryEntry } from './history.ts';
import { sendGateSeverities } from './gate.ts';
import type { SendUi } from './ui.ts';

/** The curl command for an entry: the template as it is now, filled with the values last used. */
export async function curlOf(ui: SendUi, e: EditorHistoryEntry): Promise<string | { error: string }> {
  const { service } = ui;
  const uri = vscode.Uri.parse(e.templateUri);
  // Opened, the document goes to the language server, which checks and prepares it as for a send.
  const doc = await vscode.workspace.openTextDocument(uri);
  const openId = openIdOf(e, service.recentOpenIds()) ?? 'OPENID';
  const r = await ui.server.prepareSend(doc, {
    severities: sendGateSeverities(vscode.workspace.getConfiguration('wxmsg', uri).inspect('rules')),
    variables: service.history?.lastVariables(e.templateUri) ?? {},
  });
  if (r.kind !== 'ready') {
    const error = r.kind === 'unavailable' ? r.reason
      : r.kind === 'refused' || r.kind === 'vars-error' ? r.message
      : r.kind === 'missing-variables' ? vscode.l10n.t('no value for {0}', r.missing.map((n) => `{{${n}}}`).join(', '))
      : vscode.l10n.t('the wxmsg language server could not check the template ({0})', r.kind);
    return { error };
  }
  const prepared = withRecipient(r.payload, openId);
  const changed = payloadHash(prepared.body) !== e.payloadHash;
  const note = changed ? `# ${vscode.l10n.t('The template or its values changed since this send: this is the message as it would be sent now.')}\n` : '';
  // The body through the redactor (a secret it knows never reaches the clipboard); the URL's
  // token is the literal ACCESS_TOKEN.
  return `${note}${curlFor(e.apiBase, service.redact(prepared.body))}\n`;
}

/** "Copy as curl" of the WeChat Sends view: the command to the clipboard, or why not (an error message). */
export async function copyCurl(ui: SendUi, e: EditorHistoryEntry): Promise<string | undefined> {
  const curl = await curlOf(ui, e);
  if (typeof curl !== 'string') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot copy as curl: {0}.', ui.service.redact(curl.error)));
    return undefined;
  }
  // Never a real token: the URL says ACCESS_TOKEN, and the body went through the redactor.
  // Not awaited: a browser host (code-server) may hold the clipboard write until the page has focus.
  void Promise.resolve(vscode.env.clipboard.writeText(curl)).catch(() => undefined);
  return curl;
}
