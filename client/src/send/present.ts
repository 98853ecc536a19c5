import { parseTree, findNodeAtLocation } from 'jsonc-parser';
import { ENGLISH, type L10n } from '../l10n.ts';
import type { MediaResult, SendResult, TypingResult, UploadResult } from '../../../server/src/wechat/apiClient.ts';
import type { DecodedResult } from '../../../server/src/core/facts/errcodes.ts';
import { editorText } from '../../../server/src/core/l10n/cli/text.ts';
import type { Locale } from '../../../server/src/core/types.ts';
import type { ApiFailure } from '../../../server/src/wechat/netErrors.ts';
import { maskOpenId } from '../../../server/src/wechat/recipient.ts';
import type { Diagnostic } from '../../../server/src/core/types.ts';
import { escapeControl as e } from '../../../server/src/core/escape.ts';
import { decodedLines, decodedSummary } from '../../../server/src/wechat/decodedLines.ts';

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

export { editorLocale, ENGLISH, type L10n } from '../l10n.ts';

/**
 * How the results speak: `l10n` for the extension's own sentences (vscode.l10n.t with
 * l10n/bundle.l10n.zh-cn.json), `locale` for the decoded errcode's words, which the CLI shares
 * (the typed catalog, core/l10n/cli/). Both follow VS Code's display language (editorLocale()).
 * WeChat's errmsg is never translated: it is shown verbatim next to them.
 */
export interface Speech { l10n: L10n; locale: Locale }
export const ENGLISH_SPEECH: Speech = { l10n: ENGLISH, locale: 'en' };

/** A failure's kind in words (the CodeLens, the diagnostic). */
export function failureLabel(f: ApiFailure, l10n: L10n = ENGLISH): string {
  if (f.kind === 'http' && f.status) return `HTTP ${f.status}`;
  switch (f.kind) {
    case 'config': return l10n.t('configuration error');
    case 'credentials': return l10n.t('credentials problem');
    case 'invalid-template': return l10n.t('template has errors');
    case 'invalid-file': return l10n.t('invalid file');
    case 'refused': return l10n.t('connection refused');
    case 'dns': return l10n.t('host not found');
    case 'connect-timeout': return l10n.t('connect timeout');
    case 'tls': return l10n.t('TLS certificate rejected');
    case 'network': return l10n.t('network error');
    case 'proxy': return l10n.t('proxy refused or unreachable');
    case 'timeout': return l10n.t('no answer (timeout)');
    case 'connection-dropped': return l10n.t('connection dropped');
    case 'http': return l10n.t('HTTP error');
    case 'bad-response': return l10n.t('not a WeChat API answer');
    case 'cancelled': return l10n.t('cancelled');
    default: return String((f as { kind: unknown }).kind);
  }
}

export function sendingView(ctx: Omit<SendContext, 'at'>, { l10n }: Speech = ENGLISH_SPEECH): SendView {
  const who = ctx.who ?? maskOpenId(ctx.openId);
  return { state: 'sending', lens: `$(sync~spin) ${l10n.t('sending to {0}… (cancel)', who)}`, message: '', notify: l10n.t('Sending to {0} via {1}…', who, ctx.host) };
}

/** WeChat's answer in one notification line: the decoded text (or an unknown code's errmsg), what to do, the errmsg. */
export function answerLine(d: DecodedResult, { l10n, locale }: Speech = ENGLISH_SPEECH): string {
  const t = editorText(locale);
  const what = d.known ? (locale === 'zh-cn' ? e(d.description) : `${e(d.description)} (${e(d.en)})`) : e(d.errmsg) || t.unknownError;
  return [
    l10n.t('WeChat answered errcode {0}: {1}.', d.errcode, what),
    ...(d.action ? [t.action(e(d.action))] : []),
    ...(d.known && d.errmsg ? [t.errmsg(e(d.errmsg))] : []),
  ].join(' ');
}

export function viewForSend(result: SendResult, ctx: SendContext, speech: Speech = ENGLISH_SPEECH): SendView {
  const { l10n, locale } = speech;
  const who = ctx.who ?? maskOpenId(ctx.openId);
  const when = hhmm(ctx.at);
  const via = ctx.appid ? l10n.t('via {0}, appid {1}', ctx.host, e(ctx.appid)) : l10n.t('via {0}', ctx.host);
  if (result.status === 'sent') {
    const d = result.decoded;
    return {
      // No severity: a success shows in the CodeLens and the send history, not in Problems.
      state: 'sent', code: 0,
      lens: l10n.t('✓ sent {0} to {1}', when, who),
      message: [l10n.t('WeChat API: sent to {0} at {1} ({2}).', who, when, via), locale === 'zh-cn' ? `errcode 0 ${e(d.description)}` : `errcode 0 ${e(d.description)} (${e(d.en)})`, ...retryNote(result, l10n)].join('\n'),
      notify: l10n.t('Sent to {0} at {1} ({2}).', who, when, via),
    };
  }
  if (result.status === 'api-error') {
    const d = result.decoded;
    return {
      state: 'api-error', severity: 'error', code: d.errcode,
      lens: `✗ ${decodedSummary(d, locale)}`,
      message: [...decodedLines(d, 'editor', locale), ...(result.note ? [result.note] : []), l10n.t('WeChat refused the message to {0} at {1} ({2}): nothing was delivered.', who, when, via)].join('\n'),
      notify: answerLine(d, speech),
    };
  }
  return viewForFailure(result.failure, ctx, result.decoded, speech);
}

function retryNote(r: { tokenRefreshed: boolean; attempts: number }, l10n: L10n): string[] {
  const out: string[] = [];
  if (r.tokenRefreshed) out.push(l10n.t('The access token had expired or was rejected: wxmsg got a fresh one and sent again.'));
  else if (r.attempts > 1) out.push(l10n.t('WeChat was busy (errcode -1): sent on attempt {0}.', r.attempts));
  return out;
}

export function viewForFailure(failure: ApiFailure, ctx: SendContext, decoded?: DecodedResult, speech: Speech = ENGLISH_SPEECH): SendView {
  const { l10n, locale } = speech;
  const f = { ...failure, message: e(failure.message) };
  const who = ctx.who ?? maskOpenId(ctx.openId);
  const when = hhmm(ctx.at);
  if (f.kind === 'cancelled' && !f.deliveryUnknown) {
    return { state: 'cancelled', lens: l10n.t('○ cancelled {0}: nothing was sent', when), message: '', notify: l10n.t('Send to {0} cancelled: nothing was sent.', who) };
  }
  if (f.deliveryUnknown) {
    const what = f.kind === 'cancelled' ? l10n.t('cancelled after the request was sent') : failureLabel(f, l10n);
    return {
      state: 'delivery-unknown', severity: 'warning', code: f.kind,
      lens: l10n.t('? delivery unknown {0} to {1}: {2}', when, who, what),
      message: [l10n.t('WeChat API: delivery to {0} is unknown ({1}).', who, what), f.kind === 'cancelled'
        ? l10n.t('The request had already been sent when you cancelled: the message may or may not have been delivered. Check with the test user before sending again.')
        : f.message].join('\n'),
      notify: f.kind === 'cancelled' ? l10n.t('Cancelled after the request was sent: delivery to {0} is unknown.', who) : f.message,
    };
  }
  if (decoded && decoded.errcode !== 0) {
    return {
      state: 'failed', severity: 'error', code: decoded.errcode,
      lens: `✗ ${decodedSummary(decoded, locale)} ${l10n.t('(access token)')}`,
      message: [...decodedLines(decoded, 'editor', locale), f.message, l10n.t('Nothing was sent to {0}.', who)].join('\n'),
      notify: `${answerLine(decoded, speech)} ${f.message}`,
    };
  }
  const label = failureLabel(f, l10n);
  return {
    state: 'failed', severity: 'error', code: f.kind,
    lens: l10n.t('✗ not sent: {0}', label),
    message: [l10n.t('WeChat API: not sent to {0} ({1}).', who, label), f.message].join('\n'),
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

export function refusalText(errors: readonly Diagnostic[], max = 5, hidden: ReadonlyMap<Diagnostic, string> = new Map(), l10n: L10n = ENGLISH): string {
  const lines = errors.slice(0, max).map((e) => {
    const h = hidden.get(e);
    const note = h === undefined ? '' : l10n.t(' — not shown in Problems: the workspace\'s "wxmsg.rules" sets {0} to "{1}", but the check before a send uses only your user settings', e.code, h);
    return `${l10n.t('line {0}:{1}: {2}', e.range.start.line + 1, e.range.start.character + 1, e.message)}${e.code ? ` (${e.code})` : ''}${note}`;
  });
  if (errors.length > max) lines.push(l10n.t('… and {0} more', errors.length - max));
  const head = errors.length === 1 ? l10n.t('Not sent: the template has 1 error. Fix it first:') : l10n.t('Not sent: the template has {0} errors. Fix them first:', errors.length);
  return `${head}\n${lines.join('\n')}`;
}

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

export function viewForUpload(result: UploadResult, ctx: { host: string; fileName: string; at: Date }, target?: string, speech: Speech = ENGLISH_SPEECH): { ok: boolean; mediaId?: string; message: string } {
  const { l10n, locale } = speech;
  if (result.status === 'uploaded') {
    const expires = `${new Date(result.expiresAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    return {
      ok: true, mediaId: result.mediaId,
      message: target
        ? l10n.t('Uploaded {0} via {1}; media_id written to {2}. Temporary media expire after 3 days ({3}): upload again after that.', e(ctx.fileName), ctx.host, target, expires)
        : l10n.t('Uploaded {0} via {1}; media_id copied to the clipboard. Temporary media expire after 3 days ({2}): upload again after that.', e(ctx.fileName), ctx.host, expires),
    };
  }
  if (result.status === 'api-error') return { ok: false, message: l10n.t('Upload failed: {0}', decodedText(result, locale)) };
  return { ok: false, message: l10n.t('Upload failed ({0}): {1}', failureLabel(result.failure, l10n), e(result.failure.message)) };
}

/** setTyping's answer in words: shown, hidden, or the decoded errcode (45080, 45081, 45072…). */
export function viewForTyping(result: TypingResult, ctx: { host: string; openId: string; command: 'Typing' | 'CancelTyping' }, speech: Speech = ENGLISH_SPEECH): { ok: boolean; message: string } {
  const { l10n, locale } = speech;
  const who = maskOpenId(ctx.openId);
  if (result.status === 'sent') {
    return { ok: true, message: ctx.command === 'Typing' ? l10n.t('"Typing…" shown to {0} via {1}: for 15 s or until a message is sent.', who, ctx.host) : l10n.t('"Typing…" hidden for {0} via {1}.', who, ctx.host) };
  }
  if (result.status === 'api-error') return { ok: false, message: l10n.t('{0} refused: {1}', ctx.command, decodedText(result, locale)) };
  return { ok: false, message: l10n.t('{0} failed ({1}): {2}', ctx.command, failureLabel(result.failure, l10n), e(result.failure.message)) };
}

/** getTempMedia's answer in words. */
export function viewForMedia(result: MediaResult, ctx: { host: string; mediaId: string }, speech: Speech = ENGLISH_SPEECH): { ok: boolean; message: string } {
  const { l10n, locale } = speech;
  if (result.status === 'downloaded') return { ok: true, message: l10n.t('Downloaded media {0} ({1} bytes, {2}) via {3}.', e(ctx.mediaId), result.file.data.length, e(result.file.type), ctx.host) };
  if (result.status === 'api-error') return { ok: false, message: l10n.t('Download failed: {0}', decodedText(result, locale)) };
  return { ok: false, message: l10n.t('Download failed ({0}): {1}', failureLabel(result.failure, l10n), e(result.failure.message)) };
}

/** A decoded refusal on one line (a notification), with the API client's note. */
function decodedText(r: { decoded: DecodedResult; note?: string }, locale: Locale): string {
  return `${decodedLines(r.decoded, 'editor', locale).join(' ')}${r.note ? ` ${r.note}` : ''}`;
}
