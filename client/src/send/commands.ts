import * as path from 'node:path';
import * as vscode from 'vscode';
import { maskOpenId } from '../../../server/src/send/template.ts';
import { checkOpenId } from '../../../server/src/send/template.ts';
import { SELECTOR } from '../selector.ts';
import { SendCodeLens } from './codeLens.ts';
import { mediaIdEdit, MEDIA_FIELDS, msgtypeOf } from './mediaField.ts';
import { confirmationText, refusalText, sendingView } from './present.ts';
import { contextUri, projectContextFor, readApiSettings, validationOptionsFor } from './project.ts';
import { openIdItems } from './recent.ts';
import { SendResults } from './resultView.ts';
import { CredentialError, SendService, type SendOutcome, type UploadOutcome } from './sendService.ts';

/**
 * The send commands in VS Code. Each accepts optional arguments so tests and the e2e suite can
 * drive it without dialogs (`wxmsg.sendToOpenId` with `{ uri, openId, confirm: false }`,
 * `wxmsg.setAppSecret` with `{ appid, secret }`, …); without them it asks.
 */
export interface SendArgs { uri?: string; openId?: string; confirm?: boolean }
export interface SecretArgs { appid?: string; secret?: string; token?: string }
export interface ClearArgs { appid?: string; all?: boolean }
export interface UploadArgs { uri?: string; file?: string }

export function registerSend(context: vscode.ExtensionContext, output: vscode.OutputChannel): SendService {
  // Every line to the output channel goes through the service's redactor.
  const service = new SendService(context.secrets, context.globalState, (line) => output.appendLine(`[send] ${line}`));
  const log = (line: string) => service.log(line);
  const results = new SendResults();
  const inflight = new Map<string, AbortController>();
  const status = vscode.window.createStatusBarItem('wxmsg.send', vscode.StatusBarAlignment.Left, 50);
  status.name = 'WeChat send';
  status.command = 'wxmsg.cancelSend';
  status.tooltip = 'Sending to WeChat: click to cancel';

  const updateBusy = () => {
    void vscode.commands.executeCommand('setContext', 'wxmsg.sending', inflight.size > 0);
    if (!inflight.size) status.hide();
  };

  const templateDoc = async (uri?: string): Promise<vscode.TextDocument | undefined> => {
    if (uri) return vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    return vscode.window.activeTextEditor?.document;
  };

  const needAppid = async (uri: vscode.Uri | undefined, given?: string): Promise<string | undefined> => {
    const known = given?.trim() || projectContextFor(contextUri(uri)).appid;
    if (known) return known;
    return vscode.window.showInputBox({
      title: 'WeChat: appid', prompt: 'No appid found (wxmsg.appid setting or project.config.json). The mini program\'s appid:',
      ignoreFocusOut: true, validateInput: (v) => (/^[A-Za-z0-9_-]{1,64}$/.test(v.trim()) ? undefined : 'wx followed by 16 hex digits'),
    });
  };

  const showError = (message: string, ...items: string[]) => vscode.window.showErrorMessage(service.redact(message), ...items);

  async function setSecret(kind: 'secret' | 'token', args: SecretArgs = {}): Promise<boolean> {
    const appid = await needAppid(undefined, args.appid);
    if (!appid) return false;
    const given = kind === 'secret' ? args.secret : args.token;
    const value = given ?? await vscode.window.showInputBox({
      title: kind === 'secret' ? `WeChat: Set AppSecret for ${appid}` : `WeChat: Set Access Token for ${appid}`,
      prompt: kind === 'secret'
        ? `The AppSecret of mini program ${appid}. Kept in VS Code's secret storage (the OS keychain), never in settings or logs.`
        : `An access token for ${appid} issued by your team's token service. Kept in VS Code's secret storage; wxmsg uses it as is and cannot refresh it.`,
      password: true, ignoreFocusOut: true,
      validateInput: (v) => (v.trim() && !/\s/.test(v.trim()) ? undefined : 'one word without spaces'),
    });
    if (value === undefined) return false;
    try {
      const msg = kind === 'secret' ? await service.setAppSecret(appid, value) : await service.setAccessToken(appid, value);
      void vscode.window.showInformationMessage(msg);
      return true;
    } catch (e) {
      void showError(e instanceof CredentialError ? e.message : `Could not store the credential: ${(e as Error)?.message ?? e}`);
      return false;
    }
  }

  async function clearCredentials(args: ClearArgs = {}): Promise<string | undefined> {
    let list: string[] | undefined;
    if (args.all) list = undefined;
    else if (args.appid) list = [args.appid];
    else {
      const current = projectContextFor(contextUri()).appid;
      const ids = [...new Set([...(current ? [current] : []), ...service.knownAppids()])];
      if (ids.length <= 1) list = ids;
      else {
        const all = `All ${ids.length} appids`;
        const pick = await vscode.window.showQuickPick([...ids.map((id) => ({ label: id, description: id === current ? 'this project' : '' })), { label: all, description: '' }],
          { title: 'WeChat: Clear Credentials', placeHolder: 'Remove the stored AppSecret / access token of…' });
        if (!pick) return undefined;
        list = pick.label === all ? ids : [pick.label];
      }
    }
    const msg = await service.clearCredentials(list);
    void vscode.window.showInformationMessage(msg);
    return msg;
  }

  async function pickOpenId(): Promise<string | undefined> {
    const def = vscode.workspace.getConfiguration('wxmsg').get('defaultOpenId');
    const items = openIdItems(service.recentOpenIds(), def).map((i) => ({ label: i.openId, description: i.description }));
    const qp = vscode.window.createQuickPick<{ label: string; description: string }>();
    qp.title = 'WeChat: Send to OpenID…';
    qp.placeholder = 'The test user\'s OpenID (it must belong to this appid); type a new one or pick a recent one';
    qp.items = items;
    qp.ignoreFocusOut = true;
    return new Promise<string | undefined>((resolve) => {
      let done = false;
      const finish = (v: string | undefined) => { if (!done) { done = true; resolve(v); qp.dispose(); } };
      qp.onDidChangeValue((v) => {
        const typed = v.trim();
        const fresh = typed && !items.some((i) => i.label === typed)
          ? [{ label: typed, description: checkOpenId(typed) ? `✗ ${checkOpenId(typed)}` : 'new OpenID' }] : [];
        qp.items = [...fresh, ...items];
      });
      qp.onDidAccept(() => {
        const v = qp.selectedItems[0]?.label ?? qp.value.trim();
        const bad = checkOpenId(v);
        if (bad) { qp.title = `WeChat: Send to OpenID… (${bad})`; return; }
        finish(v);
      });
      qp.onDidHide(() => finish(undefined));
      qp.show();
    });
  }

  async function sendToOpenId(args: SendArgs = {}): Promise<SendOutcome | undefined> {
    const doc = await templateDoc(args.uri);
    if (!doc || !doc.uri.path.toLowerCase().endsWith('.wxmsg.json')) {
      void showError('Open a *.wxmsg.json template to send it.');
      return undefined;
    }
    const key = doc.uri.toString();
    if (inflight.has(key)) {
      void vscode.window.showWarningMessage('This template is being sent already; wait for the result or cancel it.');
      return undefined;
    }
    const ctx = projectContextFor(doc.uri);
    const options = validationOptionsFor(doc.uri);
    const errors = service.templateErrors(doc.getText(), ctx, options);
    if (errors.length) {
      const view = { state: 'refused' as const, lens: `✗ not sent: ${errors.length} template error${errors.length === 1 ? '' : 's'}`, message: '', notify: refusalText(errors) };
      results.set(doc, view);
      log(`not sent: ${errors.length} template error(s) in ${path.basename(doc.uri.fsPath)}`);
      void showError(view.notify, 'Show Problems').then((a) => { if (a) void vscode.commands.executeCommand('workbench.actions.view.problems'); });
      return { view, errors };
    }
    const appid = ctx.appid;
    if (!appid) {
      void showError('Not sent: no appid. Set wxmsg.appid or add a project.config.json with an appid to the workspace.');
      return undefined;
    }
    const api = readApiSettings(log);
    if (!api.ok) {
      void showError(api.message);
      return undefined;
    }
    const cred = await service.credentialsFor(appid);
    if (!cred) {
      void showError(`Not sent: no AppSecret or access token is stored for appid ${appid}.`, 'Set AppSecret', 'Set Access Token').then((a) => {
        if (a === 'Set AppSecret') void vscode.commands.executeCommand('wxmsg.setAppSecret');
        if (a === 'Set Access Token') void vscode.commands.executeCommand('wxmsg.setAccessToken');
      });
      return undefined;
    }
    const openId = args.openId?.trim() || await pickOpenId();
    if (!openId) return undefined;
    const bad = checkOpenId(openId);
    if (bad) {
      void showError(`Not sent: ${bad}.`);
      return undefined;
    }
    const fileName = path.basename(doc.uri.path);
    const confirm = args.confirm ?? vscode.workspace.getConfiguration('wxmsg').get<boolean>('send.confirm', true);
    if (confirm !== false) {
      const c = confirmationText({ fileName, msgtype: msgtypeOf(doc.getText()) ?? '', openId, appid, appidSource: ctx.appidSource, host: api.host, base: api.api.base, baseSource: api.baseSource, credential: cred.kind });
      const answer = await vscode.window.showWarningMessage(c.message, { modal: true, detail: c.detail }, 'Send');
      if (answer !== 'Send') {
        log(`send to ${maskOpenId(openId)} not confirmed: nothing was sent.`);
        return undefined;
      }
    }
    const ac = new AbortController();
    inflight.set(key, ac);
    const sending = sendingView({ openId, host: api.host, appid });
    results.set(doc, sending);
    status.text = `$(sync~spin) WeChat: sending to ${maskOpenId(openId)}…`;
    status.show();
    updateBusy();
    let outcome: SendOutcome;
    try {
      outcome = await service.send({ text: doc.getText(), fileName, openId, appid, context: ctx, options, api: api.api, signal: ac.signal });
    } finally {
      inflight.delete(key);
      updateBusy();
    }
    results.set(doc, outcome.view);
    const v = outcome.view;
    if (v.state === 'sent') void vscode.window.showInformationMessage(v.notify);
    else if (v.state === 'cancelled' || v.state === 'delivery-unknown') void vscode.window.showWarningMessage(v.notify);
    else void showError(v.notify, 'Show Output').then((a) => { if (a) output.show(true); });
    return outcome;
  }

  function cancelSend(args: { uri?: string } = {}): number {
    let n = 0;
    for (const [key, ac] of inflight) {
      if (args.uri && args.uri !== key) continue;
      ac.abort();
      n++;
    }
    if (n) log(`cancel requested for ${n} send${n === 1 ? '' : 's'}`);
    return n;
  }

  async function uploadImage(args: UploadArgs = {}): Promise<UploadOutcome | undefined> {
    const doc = await templateDoc(args.uri);
    const template = doc && doc.uri.path.toLowerCase().endsWith('.wxmsg.json') ? doc : undefined;
    const appid = await needAppid(template?.uri);
    if (!appid) return undefined;
    const api = readApiSettings(log);
    if (!api.ok) {
      void showError(api.message.replace(/^Not sent/, 'Not uploaded'));
      return undefined;
    }
    let file = args.file;
    if (!file) {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false, openLabel: 'Upload', title: 'Upload an image to WeChat (temporary media: expires after 3 days)',
        filters: { Images: ['jpg', 'jpeg', 'png', 'gif'] },
      });
      file = picked?.[0]?.fsPath;
    }
    if (!file) return undefined;
    const type = template ? msgtypeOf(template.getText()) : undefined;
    const target = type && MEDIA_FIELDS[type] ? `${MEDIA_FIELDS[type].join('.')} of ${path.basename(template!.uri.path)}` : undefined;
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Uploading ${path.basename(file)} to WeChat…`, cancellable: true },
      (_p, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        return service.upload(file!, appid, api.api, ac.signal, target);
      });
    if (!outcome.ok || !outcome.mediaId) {
      void showError(outcome.message);
      return outcome;
    }
    const edit = template ? mediaIdEdit(template.getText(), outcome.mediaId) : undefined;
    if (template && edit) {
      const we = new vscode.WorkspaceEdit();
      for (const e of edit.edits) {
        we.replace(template.uri, new vscode.Range(template.positionAt(e.offset), template.positionAt(e.offset + e.length)), e.content);
      }
      if (!await vscode.workspace.applyEdit(we)) {
        await vscode.env.clipboard.writeText(outcome.mediaId);
        void showError(`Uploaded, but the template could not be edited; the media_id was copied to the clipboard.`);
        return outcome;
      }
    } else {
      await vscode.env.clipboard.writeText(outcome.mediaId);
    }
    void vscode.window.showInformationMessage(outcome.message);
    return outcome;
  }

  context.subscriptions.push(
    results,
    status,
    vscode.languages.registerCodeLensProvider(SELECTOR, new SendCodeLens(results)),
    vscode.commands.registerCommand('wxmsg.sendToOpenId', (a?: SendArgs) => sendToOpenId(argsOf(a))),
    vscode.commands.registerCommand('wxmsg.cancelSend', (a?: { uri?: string }) => cancelSend(argsOf(a))),
    vscode.commands.registerCommand('wxmsg.setAppSecret', (a?: SecretArgs) => setSecret('secret', argsOf(a))),
    vscode.commands.registerCommand('wxmsg.setAccessToken', (a?: SecretArgs) => setSecret('token', argsOf(a))),
    vscode.commands.registerCommand('wxmsg.clearCredentials', (a?: ClearArgs) => clearCredentials(argsOf(a))),
    vscode.commands.registerCommand('wxmsg.uploadImage', (a?: UploadArgs) => uploadImage(argsOf(a))),
    { dispose: () => { for (const ac of inflight.values()) ac.abort(); service.tokenCache.clear(); } },
  );
  return service;
}

/** Editor-title and palette invocations pass a Uri (or nothing): only plain objects are arguments. */
function argsOf<T extends object>(a: unknown): T {
  if (a instanceof vscode.Uri) return { uri: a.toString() } as T;
  return a && typeof a === 'object' && !Array.isArray(a) ? (a as T) : ({} as T);
}
