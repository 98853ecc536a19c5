import * as path from 'node:path';
import * as vscode from 'vscode';
import { needsUpload } from './mediaPolicy.ts';
import { checkOpenId } from '../../../server/src/wechat/recipient.ts';
import { PREPARE_SEND_REQUEST, type PrepareSendResult } from '../../../server/src/lsp/protocol.ts';
import { confirmationText, hiddenByWorkspace, refusalText, sendingView, type SendView } from './present.ts';
import { readSettings } from '../settings.ts';
import { readApiSettings } from './apiConfig.ts';
import { sendGateSeverities } from './gate.ts';
import { openIdItems } from './recent.ts';
import type { SendOutcome } from './sendService.ts';
import { isTemplate, targetDocument, type SendUi } from './ui.ts';
import { MACHINE_SEND_SETTINGS, remoteDefaults } from './remoteSettings.ts';
import type { Profiles } from './profiles.ts';
import { maskAmong, openIdShapeProblem, profileApiBase, profileCredentials, resolveRecipient, testUsersFor } from './profileCredentials.ts';
import { describeRecipient } from '../../../server/src/wechat/openid.ts';

/**
 * "WeChat (wxmsg): Send to OpenID…": refuse a template with errors, ask for the OpenID, confirm (appid,
 * masked OpenID, API host), send with a cancellable status bar item, show the result inline.
 * `{ uri, openId, confirm: false }` skips the dialogs for automation.
 */
/** The CodeLens of a template refused for its errors (none listed: it is no JSON object, or a placeholder). */
function refusedLens(errors: number): string {
  return errors === 0 ? vscode.l10n.t('not sent: template error') : errors === 1 ? vscode.l10n.t('not sent: 1 template error') : vscode.l10n.t('not sent: {0} template errors', errors);
}

function hostOf(url: string): string {
  try { return new URL(url).host; } catch { return url; }
}

export interface SendArgs {
  uri?: string;
  openId?: string;
  confirm?: boolean;
  /** Values of template variables (automation); others come from *.vars.json or are asked for. */
  variables?: Record<string, string>;
}

export class SendCommand implements vscode.Disposable {
  private readonly inflight = new Map<string, AbortController>();
  /** Templates whose send command is between its first check and the request (dialogs, lookups). */
  private readonly starting = new Set<string>();
  private readonly status = vscode.window.createStatusBarItem('wxmsg.send', vscode.StatusBarAlignment.Left, 50);

  constructor(private readonly ui: SendUi, private readonly profiles?: Profiles) {
    this.status.name = vscode.l10n.t('WeChat send');
    this.status.command = 'wxmsg.cancelSend';
    this.status.tooltip = vscode.l10n.t('Sending to WeChat: click to cancel');
  }

  async run(args: SendArgs = {}): Promise<SendOutcome | undefined> {
    const { ui } = this;
    const doc = await targetDocument(args.uri);
    if (!isTemplate(doc)) {
      void ui.showError(vscode.l10n.t('Open a *.wxmsg.json template to send it.'));
      return undefined;
    }
    const key = doc.uri.toString();
    if (this.inflight.has(key) || this.starting.has(key)) {
      void vscode.window.showWarningMessage(vscode.l10n.t('This template is being sent already; wait for the result or cancel it.'));
      return undefined;
    }
    // Claimed before the first await: a second invocation meanwhile (a keybinding pressed twice,
    // automation with confirm: false) would otherwise pass the check above and send again.
    this.starting.add(key);
    try {
      return await this.start(doc, key, args);
    } finally {
      this.starting.delete(key);
    }
  }

  private async start(doc: vscode.TextDocument, key: string, args: SendArgs): Promise<SendOutcome | undefined> {
    const { ui } = this;
    // The active profile (wxmsg.config.json): its appid and API base rank over the settings and
    // project.config.json; its test users join wxmsg.testUsers.
    const activeProfile = await this.profiles?.active();
    const profile = activeProfile?.profile;
    const fromSource = profile?.token?.source === 'token-command' || profile?.token?.source === 'token-url';
    // The language server checks the template it has open (its project context, media ledger,
    // *.vars.json and the profile's vars, the encoding VS Code decoded it with) and prepares the
    // body. Rule overrides count only from the user's own settings there (gate.ts). A variable
    // without a value is asked for, and the server asked again with the values.
    const given: Record<string, string> = { ...args.variables };
    const prepare = () => ui.server.prepareSend(doc, {
      severities: sendGateSeverities(vscode.workspace.getConfiguration('wxmsg', doc.uri).inspect('rules')),
      ...(Object.keys(given).length ? { variables: given } : {}),
      ...(profile?.appid ? { appid: { value: profile.appid, source: vscode.l10n.t('profile "{0}"', profile.name) } } : {}),
    });
    let prepared = await prepare();
    if (prepared.kind === 'missing-variables') {
      const asked = await this.askVariables(key, prepared.missing);
      if (!asked) {
        ui.log(vscode.l10n.t('not sent: no value given for {0}', prepared.missing.map((n) => `{{${n}}}`).join(', ')));
        return undefined;
      }
      Object.assign(given, asked);
      prepared = await prepare();
    }
    const ready = await this.checked(doc, prepared);
    if (!ready || 'view' in ready) return ready;
    const ctx = ready.context;
    if (Object.keys(ready.variables).length) await ui.service.history?.rememberVariables(key, ready.variables);
    const appid = ctx.appid;
    if (!appid) {
      // A project.config.json that exists but cannot be used says why, not "add one".
      const why = ctx.problems.join('; ');
      void ui.showError(why ? vscode.l10n.t('Not sent: no appid: {0}. Fix it, or set wxmsg.appid.', why) : vscode.l10n.t('Not sent: no appid. Set wxmsg.appid or add a project.config.json with an appid to the workspace.'));
      return undefined;
    }
    const api = readApiSettings((l) => ui.log(l));
    if (!api.ok) {
      void ui.showError(vscode.l10n.t('Not sent: {0}.', api.why));
      return undefined;
    }
    if (profile?.apiBase) {
      const pb = profileApiBase(profile);
      if (pb.error) {
        void ui.showError(vscode.l10n.t('Not sent: {0}.', pb.error));
        return undefined;
      }
      api.api.base = new URL(pb.base!).href.replace(/\/+$/, '');
      api.host = new URL(pb.base!).host;
      api.baseSource = vscode.l10n.t('profile "{0}"', profile.name);
    }
    // The settings with machine scope this send runs on (a remote window reads them from the
    // Remote settings only): the base URL unless the profile has one, the confirmation unless the
    // caller or a production profile decides it.
    this.noticeRemoteDefaults([...(profile?.apiBase ? [] : ['api.baseUrl' as const]), ...(args.confirm === undefined && !profile?.production ? ['send.confirm' as const] : [])]);
    const tokenDeps = (automation: boolean) => ({
      secrets: this.profiles!.secrets!, global: this.profiles!.global!, maskValue: (v: string) => ui.service.maskValue(v), log: (l: string) => ui.log(l), automation,
      stored: (id: string) => ui.service.storedCredentials(id),
    });
    // The profile's appsecret / access-token source picks that one stored credential (never the
    // other); token-command and token-url are asked for only after the confirmation (consent).
    const stored = profile?.token && !fromSource && activeProfile && this.profiles?.secrets && this.profiles.global
      ? await profileCredentials(activeProfile.config, profile, appid, tokenDeps(true))
      : undefined;
    if (typeof stored === 'string') {
      ui.log(vscode.l10n.t('not sent: {0}', stored));
      const action = profile?.token?.source === 'access-token' ? vscode.l10n.t('Set Access Token') : vscode.l10n.t('Set AppSecret');
      void ui.showError(vscode.l10n.t('Not sent: {0}.', stored), action).then((a) => {
        if (a) void vscode.commands.executeCommand(profile?.token?.source === 'access-token' ? 'wxmsg.setAccessToken' : 'wxmsg.setAppSecret', { appid });
      });
      return undefined;
    }
    const cred = fromSource ? { kind: 'access token' as const } : stored ?? await ui.service.credentialsFor(appid);
    if (!cred) {
      const setSecret = vscode.l10n.t('Set AppSecret');
      const setToken = vscode.l10n.t('Set Access Token');
      void ui.showError(vscode.l10n.t('Not sent: no AppSecret or access token is stored for appid {0}.', appid), setSecret, setToken).then((a) => {
        if (a === setSecret) void vscode.commands.executeCommand('wxmsg.setAppSecret');
        if (a === setToken) void vscode.commands.executeCommand('wxmsg.setAccessToken');
      });
      return undefined;
    }
    const users = testUsersFor(appid, profile);
    const picked = args.openId?.trim() || await this.pickOpenId(users);
    if (!picked) return undefined;
    const { openId, alias } = resolveRecipient(picked, users);
    // One set for every place the recipient is shown (picker, confirmation, CodeLens, notification,
    // log, history): the test users and the recent OpenIDs, so no two of them look the same.
    const known = [...Object.values(users), ...ui.service.recentOpenIds()];
    const shown = describeRecipient(openId, alias, known);
    const bad = checkOpenId(openId, ui.speech.locale);
    if (bad) {
      void ui.showError(vscode.l10n.t('Not sent: {0}.', bad));
      return undefined;
    }
    // The OpenID's shape (28 characters, the prefix this app's test users share): the user may go on.
    const shape = openIdShapeProblem(openId, Object.values(users), known);
    if (shape) {
      const text = ui.speech.locale === 'zh-cn' ? shape.zh : shape.en;
      ui.log(vscode.l10n.t('warning: {0}', text));
      if (args.confirm !== false) {
        const goOn = vscode.l10n.t('Send Anyway');
        if (await vscode.window.showWarningMessage(text, { modal: true }, goOn) !== goOn) {
          ui.log(vscode.l10n.t('send to {0} not confirmed: nothing was sent.', shown));
          return undefined;
        }
      }
    }
    const fileName = path.basename(doc.uri.path);
    // A production profile always asks, whatever wxmsg.send.confirm says; automation that asks
    // not to be asked is refused rather than sent unconfirmed.
    if (profile?.production && args.confirm === false) {
      ui.log(vscode.l10n.t('not sent to {0}: profile "{1}" is production and needs the confirmation dialog', shown, profile.name));
      void ui.showError(vscode.l10n.t('Not sent: profile "{0}" is marked production; every send to it is confirmed in a dialog.', profile.name));
      return undefined;
    }
    const confirm = profile?.production ? true : args.confirm ?? vscode.workspace.getConfiguration('wxmsg').get<boolean>('send.confirm', true);
    if (confirm !== false) {
      const src = profile?.token?.source;
      const c = confirmationText({
        fileName, msgtype: ready.msgtype, openId, appid, appidSource: ctx.appidSource,
        host: api.host, base: api.api.base, baseSource: api.baseSource, credential: cred.kind,
        credentialFrom: src === 'token-command' ? { source: src } : src === 'token-url' && profile?.token?.source === 'token-url' ? { source: src, host: hostOf(profile.token.url) } : { source: 'stored' },
        who: shown, profile: profile?.name, production: profile?.production, remote: vscode.env.remoteName,
      }, vscode.l10n);
      const send = vscode.l10n.t('Send');
      const answer = await vscode.window.showWarningMessage(c.message, { modal: true, detail: c.detail }, send);
      if (answer !== send) {
        ui.log(vscode.l10n.t('send to {0} not confirmed: nothing was sent.', shown));
        return undefined;
      }
    }
    // A token-command or token-url of the profile: asked for (and consented to) only now.
    let credentials: Exclude<Awaited<ReturnType<typeof profileCredentials>>, string> = stored;
    if (fromSource && activeProfile && this.profiles?.secrets && this.profiles.global) {
      const got = await profileCredentials(activeProfile.config, activeProfile.profile, appid, tokenDeps(args.confirm === false));
      if (typeof got === 'string') {
        ui.log(vscode.l10n.t('not sent to {0}: {1}', shown, got));
        void ui.showError(vscode.l10n.t('Not sent: {0}.', got));
        return undefined;
      }
      credentials = got;
    }
    const ac = new AbortController();
    this.inflight.set(key, ac);
    ui.showResult(doc, sendingView({ openId, who: shown, host: api.host, appid }, ui.speech));
    this.status.text = `$(sync~spin) ${vscode.l10n.t('WeChat: sending to {0}…', shown)}`;
    this.status.show();
    this.updateBusy();
    let outcome: SendOutcome;
    let sentVersion = ready.version;
    try {
      // The template as the user confirmed it (unsaved edits included). Edited during the
      // dialogs: checked again, and sent only when it still passes.
      let payload = ready;
      if (doc.version !== ready.version) {
        const again = await this.checked(doc, await prepare());
        // Refused now: checked() said why.
        if (!again || 'view' in again) return again;
        payload = again;
      }
      sentVersion = payload.version;
      outcome = await ui.service.send({ payload: payload.payload, msgtype: payload.msgtype, fileName, templateUri: key, templatePath: vscode.workspace.asRelativePath(doc.uri, false), openId, who: shown, mask: maskAmong(openId, known), profile: profile?.name, alias, appid, ...(credentials ? { credentials } : {}), api: api.api, signal: ac.signal });
    } finally {
      this.inflight.delete(key);
      this.updateBusy();
    }
    // Edited or closed while the request was out: the result describes text that is gone, so it
    // is not shown inline (as an edit after the result clears it); the notification still says it.
    if (doc.isClosed || doc.version !== sentVersion) ui.results.clear(doc.uri);
    else ui.showResult(doc, outcome.view);
    const v = outcome.view;
    if (v.state === 'sent') void vscode.window.showInformationMessage(v.notify);
    else if (v.state === 'cancelled' || v.state === 'delivery-unknown') void vscode.window.showWarningMessage(v.notify);
    else if (needsUpload(outcome)) {
      // 40007 / 46001, or a placeholder media_id refused before posting: the fix is an upload.
      const upload = vscode.l10n.t('Upload Image…');
      void ui.showError(v.notify, upload, vscode.l10n.t('Show Output')).then((a) => {
        if (a === upload) void vscode.commands.executeCommand('wxmsg.uploadImage', { uri: doc.uri.toString() });
        else if (a) ui.output.show(true);
      });
    } else void ui.showError(v.notify, vscode.l10n.t('Show Output')).then((a) => { if (a) ui.output.show(true); });
    return outcome;
  }

  /**
   * The server's answer as the send goes on: the prepared payload, or what the user was told
   * (undefined; an outcome for a template refused, as automation and tests read it).
   */
  private async checked(doc: vscode.TextDocument, r: PrepareSendResult | { kind: 'unavailable'; reason: string }): Promise<Extract<PrepareSendResult, { kind: 'ready' }> | SendOutcome | undefined> {
    const { ui } = this;
    switch (r.kind) {
      case 'ready':
        return r;
      case 'unavailable':
        void ui.showError(vscode.l10n.t('Not sent: {0}.', r.reason));
        return undefined;
      case 'not-open':
      case 'stale':
      case 'server-error':
        ui.log(vscode.l10n.t('not sent: the language server answered {0} with {1}', PREPARE_SEND_REQUEST, r.kind));
        void ui.showError(r.kind === 'server-error'
          ? vscode.l10n.t('Not sent: the wxmsg language server failed to check the template (see the wxmsg output).')
          : vscode.l10n.t('Not sent: the wxmsg language server does not have this version of the template; try again.'), vscode.l10n.t('Show Output')).then((a) => { if (a) ui.output.show(true); });
        return undefined;
      case 'vars-error':
        void ui.showError(vscode.l10n.t('Not sent: {0}.', r.message));
        return undefined;
      case 'missing-variables': {
        // Asked once already: a value is still missing (an empty answer does not count).
        const names = r.missing.map((n) => `{{${n}}}`).join(', ');
        ui.log(vscode.l10n.t('not sent: no value for {0}', names));
        void ui.showError(vscode.l10n.t('Not sent: no value for {0}.', names));
        return undefined;
      }
      case 'refused':
        break;
    }
    const errors = r.errors;
    if (r.reason === 'media-placeholder' || !errors.length) {
      // A placeholder media_id (the fix is an upload), or a template that is no JSON object.
      const notify = errors.length ? refusalText(errors, 5, new Map(), vscode.l10n) : vscode.l10n.t('Not sent: {0}.', r.message);
      const view: SendView = { state: 'refused', lens: `✗ ${refusedLens(errors.length)}`, message: '', notify };
      ui.showResult(doc, view);
      ui.log(notify);
      const outcome: SendOutcome = { view, errors };
      if (needsUpload(outcome)) {
        const upload = vscode.l10n.t('Upload Image…');
        void ui.showError(notify, upload, vscode.l10n.t('Show Output')).then((a) => {
          if (a === upload) void vscode.commands.executeCommand('wxmsg.uploadImage', { uri: doc.uri.toString() });
          else if (a) ui.output.show(true);
        });
      } else void ui.showError(notify);
      return outcome;
    }
    // Errors a workspace rule override keeps out of Problems are named with the rule and where:
    // "Show Problems" is offered only when Problems lists some of them, else "Go to Error".
    const hidden = hiddenByWorkspace(errors, readSettings(doc.uri).rules);
    const view: SendView = { state: 'refused', lens: `✗ ${refusedLens(errors.length)}`, message: '', notify: refusalText(errors, 5, hidden, vscode.l10n) };
    ui.showResult(doc, view);
    ui.log(hidden.size
      ? vscode.l10n.t('not sent: template errors in {0}: {1} ({2} hidden in Problems by the workspace\'s wxmsg.rules)', path.basename(doc.uri.path), errors.length, hidden.size)
      : vscode.l10n.t('not sent: template errors in {0}: {1}', path.basename(doc.uri.path), errors.length));
    const inProblems = errors.some((e) => !hidden.has(e));
    const action = inProblems ? vscode.l10n.t('Show Problems') : vscode.l10n.t('Go to Error');
    void ui.showError(view.notify, action).then(async (a) => {
      if (!a) return;
      if (inProblems) { void vscode.commands.executeCommand('workbench.actions.view.problems'); return; }
      const e = errors[0].range;
      const range = new vscode.Range(e.start.line, e.start.character, e.end.line, e.end.character);
      await vscode.window.showTextDocument(doc, { selection: range });
    });
    return { view, errors, hidden: [...hidden.keys()], action };
  }

  /** Aborts the send of `uri` (or all); returns how many were running. */
  cancel(args: { uri?: string } = {}): number {
    let n = 0;
    for (const [key, ac] of this.inflight) {
      if (args.uri && args.uri !== key) continue;
      ac.abort();
      n++;
    }
    if (n) this.ui.log(vscode.l10n.t('cancel requested for sends: {0}', n));
    return n;
  }

  /** One input box per variable without a value; undefined when one is dismissed. */
  private async askVariables(templateUri: string, names: string[]): Promise<Record<string, string> | undefined> {
    const last = this.ui.service.history?.lastVariables(templateUri) ?? {};
    const out: Record<string, string> = {};
    for (const [i, name] of names.entries()) {
      const v = await vscode.window.showInputBox({
        title: vscode.l10n.t('WeChat (wxmsg): value of {0} ({1}/{2})', `{{${name}}}`, i + 1, names.length),
        prompt: vscode.l10n.t('No value in *.vars.json, the profile or a default. The value to fill in (remembered for this template):'),
        value: last[name] ?? '',
        ignoreFocusOut: true,
      });
      if (v === undefined) return undefined;
      out[name] = v;
    }
    return out;
  }

  /** Test users (alias + distinguishing mask), recent OpenIDs and wxmsg.defaultOpenId, or a new one typed in. */
  private pickOpenId(users: Record<string, string> = {}): Promise<string | undefined> {
    const def = vscode.workspace.getConfiguration('wxmsg').get('defaultOpenId');
    const known = [...Object.values(users), ...this.ui.service.recentOpenIds()];
    const aliasItems = Object.entries(users).map(([alias, id]) => ({ label: alias, description: `${maskAmong(id, known)} · ${vscode.l10n.t('test user')}` }));
    const items = [...aliasItems, ...openIdItems(this.ui.service.recentOpenIds(), def).filter((i) => !Object.values(users).includes(i.openId)).map((i) => ({ label: i.openId, description: `${maskAmong(i.openId, known)} · ${i.description === 'recent' ? vscode.l10n.t('recent') : i.description}` }))];
    const qp = vscode.window.createQuickPick<{ label: string; description: string }>();
    qp.title = vscode.l10n.t('WeChat (wxmsg): Send to OpenID…');
    qp.placeholder = vscode.l10n.t('The test user\'s OpenID (it must belong to this appid): type a new one or pick a recent one');
    qp.items = items;
    qp.ignoreFocusOut = true;
    return new Promise<string | undefined>((resolve) => {
      let done = false;
      const finish = (v: string | undefined) => { if (!done) { done = true; resolve(v); qp.dispose(); } };
      qp.onDidChangeValue((v) => {
        const typed = v.trim();
        const problem = typed ? checkOpenId(typed, this.ui.speech.locale) : undefined;
        const fresh = typed && !items.some((i) => i.label === typed) ? [{ label: typed, description: problem ? `✗ ${problem}` : vscode.l10n.t('new OpenID') }] : [];
        qp.items = [...fresh, ...items];
      });
      qp.onDidAccept(() => {
        const v = qp.selectedItems[0]?.label ?? qp.value.trim();
        const problem = Object.hasOwn(users, v) ? undefined : checkOpenId(v, this.ui.speech.locale);
        if (problem) { qp.title = `${vscode.l10n.t('WeChat (wxmsg): Send to OpenID…')} (${problem})`; return; }
        finish(v);
      });
      qp.onDidHide(() => finish(undefined));
      qp.show();
    });
  }

  private remoteNoticeShown = false;

  /** Once per window: a remote window reads machine settings from the Remote settings only. */
  private noticeRemoteDefaults(used: readonly (typeof MACHINE_SEND_SETTINGS)[number][]): void {
    if (this.remoteNoticeShown) return;
    const c = vscode.workspace.getConfiguration('wxmsg');
    const defaults = remoteDefaults(vscode.env.remoteName, used.map((key) => ({ ...c.inspect(key), key })));
    if (!defaults.length) return;
    this.remoteNoticeShown = true;
    const msg = vscode.l10n.t('This is a remote window ({0}): machine settings such as {1} count only in the Remote settings, so this send uses their defaults. Set them in the Remote settings if your user settings hold other values.', vscode.env.remoteName ?? '', defaults.join(', '));
    this.ui.log(msg);
    const open = vscode.l10n.t('Open Remote Settings');
    void vscode.window.showInformationMessage(msg, open).then((a) => { if (a === open) void vscode.commands.executeCommand('workbench.action.openRemoteSettings'); });
  }

  private updateBusy(): void {
    void vscode.commands.executeCommand('setContext', 'wxmsg.sending', this.inflight.size > 0);
    if (!this.inflight.size) this.status.hide();
  }

  dispose(): void {
    for (const ac of this.inflight.values()) ac.abort();
    this.status.dispose();
  }
}
