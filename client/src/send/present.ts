import { parseTree, findNodeAtLocation } from 'jsonc-parser';
import type { MediaResult, SendResult, TypingResult, UploadResult } from '../../../server/src/wechat/apiClient.ts';
import { summarize, type DecodedResult } from '../../../server/src/core/facts/errcodes.ts';
import type { ApiFailure, FailureKind } from '../../../server/src/wechat/netErrors.ts';
import { maskOpenId } from '../../../server/src/wechat/recipient.ts';
import type { Diagnostic } from '../../../server/src/core/types.ts';
import { escapeControl as e } from '../../../server/src/core/escape.ts';
import { decodedLines } from '../../../server/src/wechat/decodedLines.ts';

/**
 * What the editor shows for a send: the CodeLens title, the inline diagnostic and the
 * notification, computed from the send library's result without vscode so it can be tested
 * as data. A view replaces the previous one wholesale: a failed send never leaves a success.
 * Every value from a server (errmsg, rid, a content type in a failure) or a file name is escaped
 * (escapeControl): it cannot add a line of its own, such as a forged "sent", to what is shown.
 */
export type ViewSeverity = 'info' | 'warning' | 'error';

export interface SendView {
  state: 'sending' | 'sent' | 'api-error' | 'failed' | 'delivery-unknown' | 'cancelled' | 'refused';
  /** CodeLens title, e.g. "✓ sent 14:03 to oAb…Xy" or "✗ 45047 客服接口下行条数超过上限". */
  lens: string;
  /** Diagnostic severity; undefined: no diagnostic (sending, cancelled before anything went out). */
  severity?: ViewSeverity;
  /** The diagnostic message (several lines). */
  message: string;
  /** Diagnostic code: the errcode, or the failure kind for failures without one. */
  code?: number | string;
  /** One line for the notification. */
  notify: string;
}

export interface SendContext {
  openId: string;
  /** How the recipient is shown: alias plus a mask that tells the test users apart (profiles). */
  who?: string;
  /** API host (host[:port]) the send went to. */
  host: string;
  appid?: string;
  at: Date;
}

export function hhmm(d: Date): string {
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

const KIND_LABEL: Record<FailureKind, string> = {
  config: 'configuration error',
  credentials: 'credentials problem',
  'invalid-template': 'template has errors',
  'invalid-file': 'invalid file',
  refused: 'connection refused',
  dns: 'host not found',
  'connect-timeout': 'connect timeout',
  tls: 'TLS certificate rejected',
  network: 'network error',
  proxy: 'proxy refused or unreachable',
  timeout: 'no answer (timeout)',
  'connection-dropped': 'connection dropped',
  http: 'HTTP error',
  'bad-response': 'not a WeChat API answer',
  cancelled: 'cancelled',
};

export function failureLabel(f: ApiFailure): string {
  return f.kind === 'http' && f.status ? `HTTP ${f.status}` : KIND_LABEL[f.kind] ?? f.kind;
}

export function sendingView(ctx: Omit<SendContext, 'at'>): SendView {
  return { state: 'sending', lens: `$(sync~spin) sending to ${ctx.who ?? maskOpenId(ctx.openId)}… (cancel)`, message: '', notify: `Sending to ${ctx.who ?? maskOpenId(ctx.openId)} via ${ctx.host}…` };
}

export function viewForSend(result: SendResult, ctx: SendContext): SendView {
  const who = ctx.who ?? maskOpenId(ctx.openId);
  const when = hhmm(ctx.at);
  const via = `via ${ctx.host}${ctx.appid ? `, appid ${e(ctx.appid)}` : ''}`;
  if (result.status === 'sent') {
    return {
      // No severity: a success shows in the CodeLens and the send history, not in Problems.
      state: 'sent', code: 0,
      lens: `✓ sent ${when} to ${who}`,
      message: [`WeChat API: sent to ${who} at ${when} (${via}).`, `errcode 0 ${e(result.decoded.description)} (${e(result.decoded.en)})`, ...retryNote(result)].join('\n'),
      notify: `Sent to ${who} at ${when} (${via}).`,
    };
  }
  if (result.status === 'api-error') {
    const d = result.decoded;
    return {
      state: 'api-error', severity: 'error', code: d.errcode,
      lens: `✗ ${e(summarize(d))}`,
      message: [...decodedLines(d, 'editor'), ...(result.note ? [result.note] : []), `WeChat refused the message to ${who} at ${when} (${via}): nothing was delivered.`].join('\n'),
      notify: `WeChat answered errcode ${d.errcode}: ${d.known ? `${e(d.description)} (${e(d.en)})` : e(d.errmsg) || 'unknown error'}. ${d.action ? `${capitalize(e(d.action))}.` : ''}`.trim(),
    };
  }
  return viewForFailure(result.failure, ctx, result.decoded);
}

function retryNote(r: { tokenRefreshed: boolean; attempts: number }): string[] {
  const out: string[] = [];
  if (r.tokenRefreshed) out.push('The access token had expired or was rejected: wxmsg got a fresh one and sent again.');
  else if (r.attempts > 1) out.push(`WeChat was busy (errcode -1): sent on attempt ${r.attempts}.`);
  return out;
}

export function viewForFailure(failure: ApiFailure, ctx: SendContext, decoded?: DecodedResult): SendView {
  const f = { ...failure, message: e(failure.message) };
  const who = ctx.who ?? maskOpenId(ctx.openId);
  const when = hhmm(ctx.at);
  if (f.kind === 'cancelled' && !f.deliveryUnknown) {
    return { state: 'cancelled', lens: `○ cancelled ${when}: nothing was sent`, message: '', notify: `Send to ${who} cancelled: nothing was sent.` };
  }
  if (f.deliveryUnknown) {
    const what = f.kind === 'cancelled' ? 'cancelled after the request was sent' : failureLabel(f);
    return {
      state: 'delivery-unknown', severity: 'warning', code: f.kind,
      lens: `? delivery unknown ${when} to ${who}: ${what}`,
      message: [`WeChat API: delivery to ${who} is unknown (${what}).`, f.kind === 'cancelled'
        ? 'The request had already been sent when you cancelled: the message may or may not have been delivered. Check with the test user before sending again.'
        : f.message].join('\n'),
      notify: f.kind === 'cancelled' ? `Cancelled after the request was sent: delivery to ${who} is unknown.` : f.message,
    };
  }
  if (decoded && decoded.errcode !== 0) {
    return {
      state: 'failed', severity: 'error', code: decoded.errcode,
      lens: `✗ ${e(summarize(decoded))} (access token)`,
      message: [...decodedLines(decoded, 'editor'), f.message, `Nothing was sent to ${who}.`].join('\n'),
      notify: f.message,
    };
  }
  return {
    state: 'failed', severity: 'error', code: f.kind,
    lens: `✗ not sent: ${failureLabel(f)}`,
    message: [`WeChat API: not sent to ${who} (${failureLabel(f)}).`, f.message].join('\n'),
    notify: f.message,
  };
}

/** The refusal of a template with errors: the errors listed, one per line. */
/**
 * The refusing errors the Problems view does not show: the workspace's (or folder's)
 * `wxmsg.rules` turns their rule off or below an error, while the check before a send takes
 * overrides only from the user's settings. `effective`: the rules as the editor applies them.
 */
export function hiddenByWorkspace(errors: readonly Diagnostic[], effective: Record<string, string | undefined>): Map<Diagnostic, string> {
  const out = new Map<Diagnostic, string>();
  for (const e of errors) {
    const s = effective[e.code];
    if (s !== undefined && s !== 'error') out.set(e, s);
  }
  return out;
}

export function refusalText(errors: readonly Diagnostic[], max = 5, hidden: ReadonlyMap<Diagnostic, string> = new Map()): string {
  const lines = errors.slice(0, max).map((e) => {
    const h = hidden.get(e);
    const note = h === undefined ? '' : ` — not shown in Problems: the workspace's "wxmsg.rules" sets ${e.code} to "${h}", but the check before a send uses only your user settings`;
    return `line ${e.range.start.line + 1}:${e.range.start.character + 1}: ${e.message}${e.code ? ` (${e.code})` : ''}${note}`;
  });
  if (errors.length > max) lines.push(`… and ${errors.length - max} more`);
  return `Not sent: the template has ${errors.length} error${errors.length === 1 ? '' : 's'}. Fix ${errors.length === 1 ? 'it' : 'them'} first:\n${lines.join('\n')}`;
}

/** A translator: vscode.l10n in the extension (sendCommand.ts); English with {0} filled in tests. */
export interface L10n { t(message: string, ...args: (string | number | boolean)[]): string }
export const ENGLISH: L10n = { t: (m, ...args) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? '')) };

export interface ConfirmInfo {
  fileName: string;
  msgtype: string;
  openId: string;
  appid: string;
  appidSource?: string;
  host: string;
  base: string;
  baseSource: string;
  credential: 'AppSecret' | 'access token';
  /** Where the credential comes from: the secret storage (default), the profile's token-command or token service. */
  credentialFrom?: { source: 'stored' } | { source: 'token-command' } | { source: 'token-url'; host: string };
  /** Alias plus mask of the recipient; the active profile (production profiles are marked). */
  who?: string;
  profile?: string;
  production?: boolean;
  /** vscode.env.remoteName: machine settings (wxmsg.send.confirm) count only in the Remote settings there. */
  remote?: string;
}

/** The modal confirmation: which appid, which OpenID (alias and mask), which API host, which profile and credential. */
export function confirmationText(c: ConfirmInfo, l10n: L10n = ENGLISH): { message: string; detail: string } {
  const who = e(c.who ?? maskOpenId(c.openId));
  const file = c.msgtype ? `${e(c.fileName)} (${c.msgtype})` : e(c.fileName);
  const from = c.credentialFrom ?? { source: 'stored' };
  return {
    message: c.production
      ? l10n.t('⚠ PRODUCTION ({0}): send {1} to {2}?', e(c.profile ?? ''), file, who)
      : l10n.t('Send {0} to {1}?', file, who),
    detail: [
      c.appidSource ? l10n.t('appid: {0} (from {1})', e(c.appid), e(c.appidSource)) : l10n.t('appid: {0}', e(c.appid)),
      l10n.t('OpenID: {0}', who),
      ...(c.profile ? [c.production ? l10n.t('Profile: {0} (production)', e(c.profile)) : l10n.t('Profile: {0}', e(c.profile))] : []),
      l10n.t('API host: {0} ({1}, {2})', c.host, c.base, c.baseSource),
      from.source === 'token-command' ? l10n.t('Credential: an access token from the token-command of profile "{0}" (asked for after this confirmation)', e(c.profile ?? ''))
        : from.source === 'token-url' ? l10n.t('Credential: an access token from the token service {0}', e(from.host))
          : l10n.t('Credential: {0} from VS Code\'s secret storage', c.credential),
      // The advice must be one the user can follow: production always asks; in a remote window
      // only the Remote settings count (the user settings' value is inactive there).
      c.production ? l10n.t('Profile "{0}" is marked production: every send to it asks, whatever wxmsg.send.confirm says.', e(c.profile ?? ''))
        : c.remote ? l10n.t('To skip this question (e.g. for the simulator), set wxmsg.send.confirm to false in the Remote settings: in a remote window ({0}) the user settings do not count for it.', e(c.remote))
          : l10n.t('Set wxmsg.send.confirm to false to skip this question (e.g. for the simulator).'),
    ].join('\n'),
  };
}

/** 0-based line of the `msgtype` property (the result's line), else 0. */
export function resultLine(text: string): number {
  let offset: number | undefined;
  try {
    const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
    const node = root ? findNodeAtLocation(root, ['msgtype']) : undefined;
    offset = node?.parent?.offset;
  } catch {
    offset = undefined;
  }
  if (offset === undefined) return 0;
  let line = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) line++;
  }
  return line;
}

export function viewForUpload(result: UploadResult, ctx: { host: string; fileName: string; at: Date }, target?: string): { ok: boolean; mediaId?: string; message: string } {
  if (result.status === 'uploaded') {
    const expires = new Date(result.expiresAt);
    return {
      ok: true, mediaId: result.mediaId,
      message: `Uploaded ${e(ctx.fileName)} via ${ctx.host}${target ? `; media_id written to ${target}` : '; media_id copied to the clipboard'}. Temporary media expire after 3 days (${expires.toISOString().slice(0, 16).replace('T', ' ')} UTC): upload again after that.`,
    };
  }
  if (result.status === 'api-error') {
    return { ok: false, message: `Upload failed: ${decodedLines(result.decoded, 'editor').join(' ')}${result.note ? ` ${result.note}` : ''}` };
  }
  return { ok: false, message: `Upload failed (${failureLabel(result.failure)}): ${e(result.failure.message)}` };
}

/** setTyping's answer in words: shown, hidden, or the decoded errcode (45080, 45081, 45072…). */
export function viewForTyping(result: TypingResult, ctx: { host: string; openId: string; command: 'Typing' | 'CancelTyping' }): { ok: boolean; message: string } {
  const who = maskOpenId(ctx.openId);
  if (result.status === 'sent') {
    return { ok: true, message: ctx.command === 'Typing' ? `"Typing…" shown to ${who} via ${ctx.host}: for 15 s or until a message is sent.` : `"Typing…" hidden for ${who} via ${ctx.host}.` };
  }
  if (result.status === 'api-error') return { ok: false, message: `${ctx.command} refused: ${decodedLines(result.decoded, 'editor').join(' ')}${result.note ? ` ${result.note}` : ''}` };
  return { ok: false, message: `${ctx.command} failed (${failureLabel(result.failure)}): ${e(result.failure.message)}` };
}

/** getTempMedia's answer in words. */
export function viewForMedia(result: MediaResult, ctx: { host: string; mediaId: string }): { ok: boolean; message: string } {
  if (result.status === 'downloaded') return { ok: true, message: `Downloaded media ${e(ctx.mediaId)} (${result.file.data.length} bytes, ${e(result.file.type)}) via ${ctx.host}.` };
  if (result.status === 'api-error') return { ok: false, message: `Download failed: ${decodedLines(result.decoded, 'editor').join(' ')}${result.note ? ` ${result.note}` : ''}` };
  return { ok: false, message: `Download failed (${failureLabel(result.failure)}): ${e(result.failure.message)}` };
}

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
