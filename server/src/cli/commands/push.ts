import { randomBytes } from 'node:crypto';
import type { Locale } from '../../core/types.ts';
import { SIM_DEFAULT_APPID, SIM_USERS } from '../../simulator/simulator.ts';
import { PUSH_AES_KEY_ENV, PUSH_TIMEOUT_MS, PUSH_TOKEN_ENV, PushConfigError, SIM_ORIGINAL_ID, pushConfig, type PushConfig } from '../../wechat/push/config.ts';
import { PUSH_KINDS, pushFields, type PushKind, type PushMessageInput } from '../../wechat/push/message.ts';
import { isNetworkError, pushMessage, verifyUrl, type PushResult, type VerifyResult } from '../../wechat/push/pushClient.ts';
import { attemptLine, verdictLine, verifyLine } from '../../wechat/push/pushText.ts';
import { EXIT, UsageError, type CliIO, parseCliArgs } from '../io.ts';
import { localeFromEnv } from '../locale.ts';
import { pushText } from '../../core/l10n/cli/text.ts';

export const PUSH_HELP = `Usage: wxmsg push <text|image|miniprogrampage|enter> --url <url> [options]

Plays WeChat's message push once against your own server, without a simulator: first the URL
verification (GET with signature, timestamp, nonce and echostr: the server must echo echostr),
then one signed (and in compat/safe mode encrypted) POST of a customer-service message or the
user_enter_tempsession event. Prints what was sent (never the Token or the key), the answer and
a verdict. For a developer's CI.

Secrets come from the environment only:
  ${PUSH_TOKEN_ENV}      the Token of the message-push settings (required; 3-32 letters or digits)
  ${PUSH_AES_KEY_ENV}    the EncodingAESKey (43 characters; needed for compat and safe mode)

Options:
  --url <url>              the server's push URL (loopback only unless --push-allow-remote)
  --push-format <f>        json (default) or xml, as in the admin console
  --push-mode <m>          plain, compat or safe (default: safe with ${PUSH_AES_KEY_ENV}, else plain)
  --push-allow-remote      allow a URL that is not on this machine
  --appid <id>             the appid encrypted into the message (default ${SIM_DEFAULT_APPID})
  --openid <id>            the user, FromUserName (default ${SIM_USERS.ready[0]})
  --to-user-name <gh_id>   the mini program's original id, ToUserName (default ${SIM_ORIGINAL_ID})
  --content <text>         text: the message (default 你好); enter: the SessionFrom
  --title <t> --pagepath <p> --thumb-url <u> --thumb-media-id <id>   miniprogrampage fields
  --media-id <id> --pic-url <u>   image fields (default: made-up values)
  --skip-verify            do not run the URL verification first
  --timeout <ms>           per request (default ${PUSH_TIMEOUT_MS}, WeChat's 5 s)
  --format <name>          text (default) or json
  --locale <tag>           en or zh-CN
  -h, --help               show this help

Exit codes: 0 the server accepted the push ("success", an empty body or transfer_customer_service);
            1 a bad echo, a wrong reply, the timeout or a 5xx;
            2 a usage error or a URL that cannot be reached.
`;

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
  if (v.help) { io.stdout.write(PUSH_HELP); return EXIT.ok; }
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
