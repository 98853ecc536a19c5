import { BaseUrlError, WeChatApiClient, type ClientOptions, type Credentials, type MediaFile, type SendResult, type UploadResult } from '../../../server/src/wechat/apiClient.ts';
import { nodeTransport } from '../../../server/src/wechat/nodeTransport.ts';
import type { Transport } from '../../../server/src/wechat/transport.ts';
import { escapeControl, escapeLines } from '../../../server/src/core/escape.ts';
import { MIN_SECRET_CHARS, redact } from '../../../server/src/wechat/redact.ts';
import { checkOpenId, maskOpenId, withRecipient } from '../../../server/src/wechat/recipient.ts';
import { TokenCache } from '../../../server/src/wechat/tokenCache.ts';
import type { Diagnostic, Texts } from '../../../server/src/core/types.ts';
import { ENGLISH_SPEECH, hhmm, viewForFailure, viewForMedia, viewForSend, viewForTyping, viewForUpload, type SendView, type Speech } from './present.ts';
import { RECENT_KEY, rememberOpenId, recentList } from './recent.ts';

export { RECENT_KEY };
import type { SendHistory, StateStore } from './history.ts';
import { historyEntry } from '../../../server/src/wechat/sendRecord.ts';
import { callWithTokenRefetch, staleTokenErrcode, type TokenResult } from '../../../server/src/wechat/tokenSources.ts';
import type { DecodedResult } from '../../../server/src/core/facts/errcodes.ts';

/**
 * The editor's send logic without vscode: credentials in a secret store (VS Code's
 * SecretStorage in the extension, a Map in tests), tokens only in this object's memory cache,
 * recent OpenIDs in a state store (globalState), and one log sink (the output channel) that
 * everything passes through the redactor on its way to. The vscode glue (commands.ts) only
 * asks questions and shows what this returns.
 */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

export type { StateStore } from './history.ts';

export interface ApiConfig {
  /** Checked base URL (see apiSettings.ts). */
  base: string;
  timeoutMs: number;
}

export type CredentialKind = 'AppSecret' | 'access token';

/** appids that have credentials stored (appids are not secret): what "clear all" walks. */
export const APPIDS_KEY = 'wxmsg.send.credentialAppids';
const secretKey = (appid: string) => `wxmsg.appSecret/${appid}`;
const tokenKey = (appid: string) => `wxmsg.accessToken/${appid}`;

export interface SendRequest {
  /**
   * The checked body without its recipient, as the language server prepared it
   * (wxmsg/prepareSend: comments gone, variables filled); `touser` is set here.
   */
  payload: Record<string, unknown>;
  msgtype: string;
  fileName: string;
  /** For the history: the template's URI and its path as the Explorer shows it. */
  templateUri?: string;
  templatePath?: string;
  openId: string;
  /** Alias plus distinguishing mask (profiles.ts); default: the mask alone. */
  who?: string;
  /** The OpenID's distinguishing mask (kept in the history); default maskOpenId(). */
  mask?: string;
  profile?: string;
  alias?: string;
  appid: string;
  /** Credentials from the profile's token source (token-command, token-url) instead of the stored ones. */
  credentials?: { creds: Credentials; kind: CredentialKind; refetch?: TokenRefetch };
  api: ApiConfig;
  signal?: AbortSignal;
}

/**
 * A token-url profile's token service: asked once more when WeChat refuses its token as stale
 * (callWithTokenRefetch in tokenSources.ts, shared with the CLI). The texts come from the vscode
 * layer (profiles.ts), localized.
 */
export interface TokenRefetch {
  fetch(): Promise<TokenResult>;
  texts: {
    /** Log line: a new token was fetched and the message sent again. */
    refetched(errcode: number): string;
    sameTokenLens(): string;
    sameToken(errcode: number, decoded: DecodedResult | undefined): string;
    failedLens(): string;
    failed(errcode: number, decoded: DecodedResult | undefined, reason: Texts): string;
    /** The note of an answer refusing the new token as well. */
    refusedAgain(errcode: number): string;
  };
}

export interface SendOutcome {
  view: SendView;
  /** The library's result when a request was attempted. */
  result?: SendResult;
  /** Template errors when the send was refused for them. */
  errors?: Diagnostic[];
  /** Of those, the ones the workspace's wxmsg.rules keeps out of Problems; and the button offered. */
  hidden?: Diagnostic[];
  action?: string;
}

export interface UploadOutcome {
  ok: boolean;
  message: string;
  mediaId?: string;
  result?: UploadResult;
}

export class SendService {
  readonly tokenCache = new TokenCache();
  /** Every secret read or stored through this service: masked in everything it logs or returns. */
  private readonly seen = new Set<string>();
  private readonly clientOptions: Partial<ClientOptions> & { transport: Transport };

  /** The send history (workspace state); sends are recorded only when there is one. */
  readonly history: SendHistory | undefined;

  constructor(
    private readonly secrets: SecretStore,
    private readonly state: StateStore,
    private readonly out: (line: string) => void,
    clientOptions: Partial<ClientOptions> = {},
    /** The send history (one object with the WeChat Sends view); none: sends are not recorded. */
    history?: SendHistory,
    /** The language of what this returns and logs (vscode.l10n and VS Code's display language). */
    private readonly speech: Speech = ENGLISH_SPEECH,
  ) {
    // node:https unless told otherwise (tests may pass another): never undici in the extension.
    // The decoded errcodes' cause and action in the same language as the rest.
    this.clientOptions = { locale: speech.locale, ...clientOptions, transport: clientOptions.transport ?? nodeTransport({}) };
    this.history = history;
  }

  /** Redacts every known secret (and token/secret URL parameters). */
  redact(text: string): string {
    return redact(text, this.seen);
  }

  /**
   * One entry of the output channel: redacted, then escapeLines() (no control character, no line
   * that starts a workflow command) as a backstop behind the escaping of each value in present.ts.
   */
  log(line: string): void {
    this.out(escapeLines(this.redact(line)));
  }

  async setAppSecret(appid: string, secret: string): Promise<string> {
    const { l10n } = this.speech;
    return this.storeCredential(appid, secret, {
      key: secretKey, other: tokenKey,
      notOneWord: () => l10n.t('An AppSecret is one word without spaces; nothing was stored.'),
      tooShort: (n) => l10n.t('An AppSecret of {0} characters is too short (an AppSecret has 32, an access token 100 or more); nothing was stored.', n),
      stored: (id, removed) => (removed
        ? l10n.t('AppSecret for appid {0} stored in VS Code\'s secret storage (the access token set earlier for it was removed).', id)
        : l10n.t('AppSecret for appid {0} stored in VS Code\'s secret storage.', id)),
    });
  }

  async setAccessToken(appid: string, token: string): Promise<string> {
    const { l10n } = this.speech;
    return this.storeCredential(appid, token, {
      key: tokenKey, other: secretKey,
      notOneWord: () => l10n.t('An access token is one word without spaces; nothing was stored.'),
      tooShort: (n) => l10n.t('An access token of {0} characters is too short (an AppSecret has 32, an access token 100 or more); nothing was stored.', n),
      stored: (id, removed) => (removed
        ? l10n.t('Access token for appid {0} stored in VS Code\'s secret storage; it is used as is and not refreshed (the AppSecret set earlier for it was removed).', id)
        : l10n.t('Access token for appid {0} stored in VS Code\'s secret storage; it is used as is and not refreshed.', id)),
    });
  }

  /** An appid has an AppSecret or a ready access token, never both: storing one removes the other. */
  private async storeCredential(appid: string, raw: string, kind: {
    notOneWord: () => string;
    tooShort: (length: number) => string;
    key: (appid: string) => string;
    other: (appid: string) => string;
    /** `removed`: the other credential existed and was removed (said only then). */
    stored: (appid: string, removed: boolean) => string;
  }): Promise<string> {
    const id = checkAppid(appid, this.speech);
    const value = raw.trim();
    if (!value || /\s/.test(value)) throw new CredentialError(kind.notOneWord());
    // The value is never echoed, only its length (see MIN_SECRET_CHARS).
    if (value.length < MIN_SECRET_CHARS) throw new CredentialError(kind.tooShort(value.length));
    this.seen.add(value);
    await this.secrets.store(kind.key(id), value);
    const removed = (await this.secrets.get(kind.other(id))) !== undefined;
    if (removed) await this.secrets.delete(kind.other(id));
    await this.remember(id);
    this.tokenCache.clear();
    const msg = kind.stored(id, removed);
    this.log(msg);
    return msg;
  }

  /** Removes the stored AppSecret and access token of `appids` (default: every appid known) and forgets cached tokens. */
  async clearCredentials(appids?: readonly string[]): Promise<string> {
    const known = this.knownAppids();
    const list = appids ?? known;
    for (const id of list) {
      await this.secrets.delete(secretKey(id));
      await this.secrets.delete(tokenKey(id));
    }
    await this.state.update(APPIDS_KEY, known.filter((id) => !list.includes(id)));
    this.tokenCache.clear();
    const { l10n } = this.speech;
    const msg = list.length === 1 ? l10n.t('Credentials removed for appid {0}; cached access tokens forgotten.', list[0]!)
      : list.length ? l10n.t('Credentials removed for {0} appids ({1}); cached access tokens forgotten.', list.length, list.join(', '))
        : l10n.t('No stored credentials; cached access tokens forgotten.');
    this.log(msg);
    return msg;
  }

  knownAppids(): string[] {
    const v = this.state.get(APPIDS_KEY);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }

  /** Masks `value` in everything this service logs or returns (a token or header value it did not store). */
  maskValue(value: string): void {
    this.seen.add(value);
  }

  /** Both kinds stored for `appid` (a profile's token source picks one); each is masked from then on. */
  async storedCredentials(appid: string): Promise<{ appSecret?: string; accessToken?: string }> {
    const appSecret = await this.secrets.get(secretKey(appid));
    const accessToken = await this.secrets.get(tokenKey(appid));
    for (const v of [appSecret, accessToken]) if (v) this.seen.add(v);
    return { ...(appSecret ? { appSecret } : {}), ...(accessToken ? { accessToken } : {}) };
  }

  async credentialsFor(appid: string): Promise<{ creds: Credentials; kind: CredentialKind } | undefined> {
    const secret = await this.secrets.get(secretKey(appid));
    if (secret) {
      this.seen.add(secret);
      return { creds: { appid, appSecret: secret }, kind: 'AppSecret' };
    }
    const token = await this.secrets.get(tokenKey(appid));
    if (token) {
      this.seen.add(token);
      return { creds: { appid, accessToken: token }, kind: 'access token' };
    }
    return undefined;
  }

  recentOpenIds(): string[] {
    return recentList(this.state.get(RECENT_KEY));
  }

  async rememberOpenId(openId: string): Promise<void> {
    await this.state.update(RECENT_KEY, rememberOpenId(this.state.get(RECENT_KEY), openId));
  }

  /** Posts the prepared payload to the recipient (touser set here). */
  async send(req: SendRequest): Promise<SendOutcome> {
    const { l10n } = this.speech;
    const at = () => new Date();
    const who = req.who ?? maskOpenId(req.openId);
    const refused = (lens: string, notify: string): SendOutcome => {
      this.log(l10n.t('not sent to {0}: {1}', who, notify));
      return { view: { state: 'refused', lens: l10n.t('✗ not sent: {0}', lens), message: '', notify } };
    };
    const badOpenId = checkOpenId(req.openId, this.speech.locale);
    if (badOpenId) return refused(l10n.t('invalid OpenID'), l10n.t('Not sent: {0}.', badOpenId));
    const prepared = { body: withRecipient(req.payload, req.openId).body, msgtype: req.msgtype };
    const cred = req.credentials ?? await this.credentialsFor(req.appid);
    if (req.credentials && 'accessToken' in req.credentials.creds) this.seen.add(req.credentials.creds.accessToken);
    if (!cred) {
      return refused(l10n.t('no credentials'), l10n.t('Not sent: no AppSecret or access token is stored for appid {0}. Run "{1}" (or "{2}").', req.appid, l10n.t('WeChat (wxmsg): Set AppSecret'), l10n.t('WeChat (wxmsg): Set Access Token')));
    }
    let client: WeChatApiClient;
    try {
      client = new WeChatApiClient({ ...this.clientOptions, baseUrl: req.api.base, timeoutMs: req.api.timeoutMs, tokenCache: this.tokenCache, log: (l) => this.log(l), notice: (n) => this.log(this.speech.locale === 'zh-cn' ? n.zh : n.en) });
    } catch (e) {
      if (e instanceof BaseUrlError) return refused(l10n.t('API base URL refused'), l10n.t('Not sent: {0}.', e.message));
      throw e;
    }
    const ctx = { openId: req.openId, who: req.who, host: client.host, appid: req.appid };
    try {
      await this.rememberOpenId(req.openId);
      if (req.signal?.aborted) {
        const view = viewForFailure({ kind: 'cancelled', message: l10n.t('cancelled before sending'), deliveryUnknown: false }, { ...ctx, at: at() }, undefined, this.speech);
        this.log(l10n.t('send to {0} cancelled before any request: nothing was sent.', who));
        return { view };
      }
      this.log(l10n.t('sending {0} ({1}) to {2}, appid {3}, via {4} with the stored {5}', escapeControl(req.fileName), prepared.msgtype, who, req.appid, client.host, cred.kind));
      const started = Date.now();
      // Masked with every secret the client saw (tokens it obtained) and every one we stored.
      const mask = (s: string) => this.redact(client.redact(s));
      const refetch = req.credentials?.refetch;
      const creds = cred.creds;
      let result: SendResult;
      if (refetch && 'accessToken' in creds) {
        const sent = await callWithTokenRefetch(creds.accessToken, (token) => client.send(prepared.body, { ...creds, accessToken: token }, { signal: req.signal }), () => refetch.fetch());
        if (sent.kind !== 'result') {
          // WeChat refused the token and the token service had no other one (or none at all).
          const decoded = sent.first.status === 'api-error' ? sent.first.decoded : undefined;
          const notify = mask(sent.kind === 'same-token' ? refetch.texts.sameToken(sent.errcode, decoded) : refetch.texts.failed(sent.errcode, decoded, sent.message));
          const lens = mask(`✗ ${sent.errcode} ${sent.kind === 'same-token' ? refetch.texts.sameTokenLens() : refetch.texts.failedLens()}`);
          this.log(l10n.t('not sent to {0}: {1}', who, notify));
          return { view: { state: 'failed', severity: 'error', code: sent.errcode, lens, message: notify, notify }, result: JSON.parse(mask(JSON.stringify(sent.first))) as SendResult };
        }
        result = sent.result;
        if (sent.refetched) {
          this.log(refetch.texts.refetched(sent.errcode!));
          if (result.status === 'api-error' && staleTokenErrcode(result) !== undefined) result = { ...result, note: refetch.texts.refusedAgain(result.decoded.errcode) };
        }
      } else {
        result = await client.send(prepared.body, creds, { signal: req.signal });
      }
      const took = Date.now() - started;
      const safeResult = JSON.parse(mask(JSON.stringify(result))) as SendResult;
      const view = viewForSend(safeResult, { ...ctx, at: at() }, this.speech);
      const timing = result.tokenRequests
        ? l10n.t('({0} ms; requests to custom/send: {1}; token requests: {2})', took, result.attempts, result.tokenRequests)
        : l10n.t('({0} ms; requests to custom/send: {1})', took, result.attempts);
      const message = view.message ? `${view.message}\n${timing}` : '';
      const safe: SendView = { ...view, lens: mask(view.lens), message: mask(message), notify: mask(view.notify) };
      if (this.history) {
        // Field by field from the masked result: no token, no secret, the OpenID masked.
        const entry = historyEntry(safeResult, {
          template: req.templatePath ?? req.fileName, to: req.mask ?? maskOpenId(req.openId), appid: req.appid, apiHost: client.host, body: prepared.body, latencyMs: took,
          profile: req.profile ?? null, alias: req.alias ?? null,
        });
        await this.history.add({ ...entry, id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, templateUri: req.templateUri ?? '', apiBase: req.api.base });
      }
      const tries = result.tokenRefreshed ? l10n.t(' ({0} attempts, token refreshed)', result.attempts) : result.attempts > 1 ? l10n.t(' ({0} attempts)', result.attempts) : '';
      this.log(`${l10n.t('result {0} after {1} ms: {2}', hhmm(at()), took, safe.lens)}${tries}`);
      return { view: safe, result: safeResult };
    } catch (e) {
      // The library returns failures as data; anything thrown is a bug: say so, never as success.
      const message = this.redact(l10n.t('internal error while sending: {0}', (e as Error)?.message ?? String(e)));
      this.log(message);
      return { view: { state: 'failed', severity: 'error', code: 'internal', lens: l10n.t('✗ not sent: {0}', l10n.t('internal error')), message, notify: l10n.t('{0}. Delivery is unknown.', message) } };
    } finally {
      await client.close();
    }
  }

  /** Uploads an image (type and size checked first) and returns the media_id. */
  async upload(file: string | { name: string; data: Uint8Array }, appid: string, api: ApiConfig, signal?: AbortSignal, target?: string): Promise<UploadOutcome> {
    const fileName = typeof file === 'string' ? file.split(/[\\/]/).pop() ?? file : file.name;
    const { l10n } = this.speech;
    const cred = await this.credentialsFor(appid);
    if (!cred) return { ok: false, message: l10n.t('Not uploaded: no AppSecret or access token is stored for appid {0}. Run "{1}" (or "{2}").', appid, l10n.t('WeChat (wxmsg): Set AppSecret'), l10n.t('WeChat (wxmsg): Set Access Token')) };
    let client: WeChatApiClient;
    try {
      client = new WeChatApiClient({ ...this.clientOptions, baseUrl: api.base, timeoutMs: api.timeoutMs, tokenCache: this.tokenCache, log: (l) => this.log(l), notice: (n) => this.log(this.speech.locale === 'zh-cn' ? n.zh : n.en) });
    } catch (e) {
      if (e instanceof BaseUrlError) return { ok: false, message: l10n.t('Not uploaded: {0}.', e.message) };
      throw e;
    }
    try {
      this.log(l10n.t('uploading {0} for appid {1} via {2}', escapeControl(fileName), appid, client.host));
      const result = await client.upload(file, cred.creds, { signal });
      const mask = (s: string) => this.redact(client.redact(s));
      const safeResult = JSON.parse(mask(JSON.stringify(result))) as UploadResult;
      const v = viewForUpload(safeResult, { host: client.host, fileName, at: new Date() }, target, this.speech);
      const message = mask(v.message);
      this.log(message);
      return { ok: v.ok, message, ...(v.mediaId ? { mediaId: v.mediaId } : {}), result: safeResult };
    } finally {
      await client.close();
    }
  }

  /** setTyping ("WeChat: Set Typing…"): Typing or CancelTyping to one user. */
  async typing(openId: string, command: 'Typing' | 'CancelTyping', appid: string, api: ApiConfig, signal?: AbortSignal): Promise<{ ok: boolean; message: string }> {
    const { l10n } = this.speech;
    return this.withClient(appid, api, {
      none: (id) => l10n.t('Not set: no AppSecret or access token is stored for appid {0}. Run "{1}" (or "{2}").', id, l10n.t('WeChat (wxmsg): Set AppSecret'), l10n.t('WeChat (wxmsg): Set Access Token')),
      base: (why) => l10n.t('Not set: {0}.', why),
    }, async (client, creds) => {
      this.log(l10n.t('{0} to {1}, appid {2}, via {3}', command, maskOpenId(openId), appid, client.host));
      const result = await client.typing(openId, command, creds, { signal });
      return viewForTyping(result, { host: client.host, openId, command }, this.speech);
    });
  }

  /** getTempMedia ("WeChat: Download Temp Media…"): the file of a media_id. */
  async getMedia(mediaId: string, appid: string, api: ApiConfig, signal?: AbortSignal): Promise<{ ok: boolean; message: string; file?: MediaFile }> {
    let file: MediaFile | undefined;
    const { l10n } = this.speech;
    const v = await this.withClient(appid, api, {
      none: (id) => l10n.t('Not downloaded: no AppSecret or access token is stored for appid {0}. Run "{1}" (or "{2}").', id, l10n.t('WeChat (wxmsg): Set AppSecret'), l10n.t('WeChat (wxmsg): Set Access Token')),
      base: (why) => l10n.t('Not downloaded: {0}.', why),
    }, async (client, creds) => {
      this.log(l10n.t('downloading media {0} for appid {1} via {2}', escapeControl(mediaId), appid, client.host));
      const result = await client.getMedia(mediaId, creds, { signal });
      if (result.status === 'downloaded') file = result.file;
      return viewForMedia(result, { host: client.host, mediaId }, this.speech);
    });
    return { ...v, ...(file ? { file } : {}) };
  }

  /** A client with the stored credentials of `appid`; messages come back redacted and logged. */
  private async withClient(appid: string, api: ApiConfig, refusal: { none: (appid: string) => string; base: (why: string) => string }, run: (client: WeChatApiClient, creds: Credentials) => Promise<{ ok: boolean; message: string }>): Promise<{ ok: boolean; message: string }> {
    const cred = await this.credentialsFor(appid);
    if (!cred) return { ok: false, message: refusal.none(appid) };
    let client: WeChatApiClient;
    try {
      client = new WeChatApiClient({ ...this.clientOptions, baseUrl: api.base, timeoutMs: api.timeoutMs, tokenCache: this.tokenCache, log: (l) => this.log(l), notice: (n) => this.log(this.speech.locale === 'zh-cn' ? n.zh : n.en) });
    } catch (e) {
      if (e instanceof BaseUrlError) return { ok: false, message: refusal.base(e.message) };
      throw e;
    }
    try {
      const v = await run(client, cred.creds);
      const message = this.redact(client.redact(v.message));
      this.log(message);
      return { ok: v.ok, message };
    } finally {
      await client.close();
    }
  }

  private async remember(appid: string): Promise<void> {
    const known = this.knownAppids();
    if (!known.includes(appid)) await this.state.update(APPIDS_KEY, [...known, appid]);
  }
}

export class CredentialError extends Error {}

function checkAppid(appid: string, { l10n }: Speech): string {
  const id = appid.trim();
  if (!id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new CredentialError(l10n.t('No valid appid: set wxmsg.appid or add project.config.json; nothing was stored.'));
  return id;
}
