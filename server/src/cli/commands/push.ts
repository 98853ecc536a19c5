import type { Locale } from '../../core/types.ts';
import { randomBytes } from 'node:crypto';
import { SIM_DEFAULT_APPID, SIM_USERS } from '../../simulator/simulator.ts';
import { PUSH_AES_KEY_ENV, PUSH_TIMEOUT_MS, PUSH_TOKEN_ENV, PushConfigError, SIM_ORIGINAL_ID, pushConfig, type PushConfig } from '../../wechat/push/config.ts';
import { PUSH_KINDS, pushFields, type PushKind, type PushMessageInput } from '../../wechat/push/message.ts';
import { isNetworkError, pushMessage, verifyUrl, type PushResult, type VerifyResult } from '../../wechat/push/pushClient.ts';
import { attemptLine, verdictLine, verifyLine } from '../../wechat/push/pushText.ts';
import { EXIT, UsageError, type CliIO, parseCliArgs } from '../io.ts';
import { localeFromEnv } from '../locale.ts';
import { pushText } from '../../core/l10n/cli/text.ts';
import { helpText } from '../../core/l10n/cli/text.ts';
import { frameLocale } from '../locale.ts';

/** The help of wxmsg push in `l` (the catalog's help section). */
export const pushHelp = (l?: Locale): string => helpText(l).push({ tokenEnv: PUSH_TOKEN_ENV, keyEnv: PUSH_AES_KEY_ENV, appid: SIM_DEFAULT_APPID, openid: SIM_USERS.ready[0], originalId: SIM_ORIGINAL_ID, timeoutMs: PUSH_TIMEOUT_MS });
export const PUSH_HELP = pushHelp('en');

const OPTIONS = {
  url: { type: 'string' }, 'push-format': { type: 'string' }, 'push-mode': { type: 'string' }, 'push-allow-remote': { type: 'boolean' },
  appid: { type: 'string' }, openid: { type: 'string' }, 'to-user-name': { type: 'string' },
  content: { type: 'string' }, title: { type: 'string' }, pagepath: { type: 'string' }, 'thumb-url': { type: 'string' }, 'thumb-media-id': { type: 'string' },
  'media-id': { type: 'string' }, 'pic-url': { type: 'string' }, 'session-from': { type: 'string' },
  'skip-verify': { type: 'boolean' }, timeout: { type: 'string' },
  format: { type: 'string', short: 'f' }, locale: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

const APPID = /^wx[0-9a-fA-F]{16}$/;

export async function runPush(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCliArgs({ args, allowPositionals: true, options: OPTIONS });
  const v = parsed.values;
  if (v.help) { io.stdout.write(pushHelp(frameLocale(args, io.env))); return EXIT.ok; }
  const locale: Locale = localeFromEnv(io.env, v.locale);
  const t = pushText(locale);
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(t.unknownFormat(format));
  if (parsed.positionals.length !== 1) throw new UsageError(t.oneKind(PUSH_KINDS.join(', '), parsed.positionals.length));
  const kind = parsed.positionals[0] as PushKind;
  if (!PUSH_KINDS.includes(kind)) throw new UsageError(t.unknownKind(kind, PUSH_KINDS.join(', ')));
  if (v.url === undefined || !v.url.trim()) throw new UsageError(t.urlRequired);
  let timeoutMs = PUSH_TIMEOUT_MS;
  if (v.timeout !== undefined) {
    if (!/^\d{1,6}$/.test(v.timeout) || Number(v.timeout) < 1 || Number(v.timeout) > 600_000) throw new UsageError(t.timeout(v.timeout));
    timeoutMs = Number(v.timeout);
  }
  const appid = (v.appid ?? SIM_DEFAULT_APPID).trim();
  if (!APPID.test(appid)) throw new UsageError(t.appid(v.appid));
  for (const flag of ['openid', 'to-user-name'] as const) {
    if (v[flag] !== undefined && !v[flag]!.trim()) throw new UsageError(t.needsValue(`--${flag}`));
  }
  let config: PushConfig;
  try {
    config = pushConfig({ url: v.url, format: v['push-format'], mode: v['push-mode'], allowRemote: v['push-allow-remote'], urlFlag: '--url', formatFlag: '--push-format', modeFlag: '--push-mode', allowRemoteFlag: '--push-allow-remote', locale }, io.env);
  } catch (e) {
    if (e instanceof PushConfigError) throw new UsageError(e.message);
    throw e;
  }

  const mediaId = v['media-id'] ?? `wxmsg-push-${randomBytes(9).toString('base64url')}`;
  const input: PushMessageInput = {
    kind, toUserName: v['to-user-name']?.trim() ?? SIM_ORIGINAL_ID, openid: v.openid?.trim() ?? SIM_USERS.ready[0], createTime: Math.floor(Date.now() / 1000),
    content: v.content ?? '你好',
    picUrl: v['pic-url'] ?? `http://127.0.0.1/wxmsg-push/${mediaId}.png`, mediaId,
    title: v.title ?? '小程序卡片', appid, pagePath: v.pagepath ?? 'pages/index/index',
    thumbUrl: v['thumb-url'] ?? 'http://127.0.0.1/wxmsg-push/thumb.png', thumbMediaId: v['thumb-media-id'] ?? `wxmsg-thumb-${randomBytes(9).toString('base64url')}`,
    sessionFrom: v['session-from'] ?? v.content ?? '',
  };
  const out: { verify?: VerifyResult; push?: PushResult; accepted: boolean; verdict: string } = { accepted: false, verdict: '' };
  const text = (label: keyof typeof t.labels | '', value: string) => {
    if (format === 'text') io.stdout.write(`${padLabel(label ? t.labels[label] : '')}${value}\n`);
  };
  const finish = (code: number): number => {
    if (format === 'json') io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return code;
  };

  if (!v['skip-verify']) {
    const vr = await verifyUrl(config.url, config.secrets.token, { timeoutMs });
    out.verify = vr;
    text('verify', `GET ${vr.request.url}`);
    text('', verifyLine(vr, timeoutMs, locale));
    if (vr.outcome !== 'echoed') {
      out.verdict = verifyLine(vr, timeoutMs, locale);
      text('verdict', t.noPush);
      return finish(vr.outcome === 'unreachable' && isNetworkError(vr.error) ? EXIT.usage : EXIT.findings);
    }
  }

  const r = await pushMessage(config.url, pushFields(input), { format: config.format, mode: config.mode, secrets: config.secrets, appid, timeoutMs, tries: 1 });
  out.push = r;
  out.accepted = r.accepted;
  out.verdict = verdictLine(r, timeoutMs, locale);
  text('push', `POST ${r.request.url}`);
  text('', `${config.format}, ${t.modes[config.mode]}, content-type ${r.request.headers['content-type']}`);
  text('body', r.request.body ?? '');
  if (config.mode !== 'plain') text('message', r.plaintext);
  for (const a of r.attempts) text('answer', attemptLine(a, r.attempts.length, timeoutMs, locale));
  if (r.replyPlaintext !== undefined) text('reply', r.replyPlaintext);
  text('verdict', out.verdict);
  if (r.accepted) return finish(EXIT.ok);
  return finish(r.outcome === 'unreachable' ? EXIT.usage : EXIT.findings);
}

/** The label column, 9 terminal cells wide (a CJK character takes two). */
function padLabel(label: string): string {
  const width = [...label].reduce((w, c) => w + (c.codePointAt(0)! >= 0x2e80 ? 2 : 1), 0);
  return label + ' '.repeat(Math.max(1, 9 - width));
}
