import type { Locale } from '../../core/types.ts';
import { USER_SEES_FAILURE } from './config.ts';
import type { PushAttempt, PushResult, ReplyProblem, VerifyResult } from './pushTypes.ts';

/** The user-facing lines of pushes (wxmsg push, wxmsg simulate, the demo) in English and Chinese. */
type Lang = 'en' | 'zh';
const lang = (l: Locale): Lang => (l === 'zh-cn' ? 'zh' : 'en');

const REASONS: Record<Lang, Record<ReplyProblem, (d?: string) => string>> = {
  en: {
    'plain-reply-in-safe-mode': () => 'in safe mode a reply other than "success" or an empty body must be encrypted',
    'bad-msg-signature': () => 'the encrypted reply\'s MsgSignature does not match sha1(sort(Token, TimeStamp, Nonce, Encrypt))',
    undecryptable: (d) => `the encrypted reply does not decrypt (${d})`,
    'wrong-appid': (d) => `the encrypted reply ends with appid "${d}", not this mini program's`,
    'no-key': () => 'the reply is encrypted but no EncodingAESKey is configured',
    'not-transfer': (d) => `a mini program answers a push only with "success", an empty body or transfer_customer_service${d ? `, not MsgType "${d}" (reply through custom/send instead)` : ''}`,
    unrecognised: () => 'the answer is neither "success", an empty body nor a transfer_customer_service reply',
    'http-status': (d) => `HTTP ${d}: WeChat expects 200`,
    'transfer-of-event': () => 'an event was transferred: trans.html says to transfer only user messages, not events such as user_enter_tempsession',
  },
  zh: {
    'plain-reply-in-safe-mode': () => '安全模式下，除 "success" 或空串以外的回包必须加密',
    'bad-msg-signature': () => '加密回包的 MsgSignature 与 sha1(排序后的 Token、TimeStamp、Nonce、Encrypt) 不符',
    undecryptable: (d) => `加密回包无法解密（${d}）`,
    'wrong-appid': (d) => `加密回包末尾的 appid 是 "${d}"，不是本小程序的`,
    'no-key': () => '回包是密文，但没有配置 EncodingAESKey',
    'not-transfer': (d) => `小程序对推送只能回复 "success"、空串或 transfer_customer_service${d ? `，不能回复 MsgType "${d}"（请改用 custom/send 回复用户）` : ''}`,
    unrecognised: () => '回包既不是 "success"、空串，也不是 transfer_customer_service 消息',
    'http-status': (d) => `HTTP ${d}：微信要求 200`,
    'transfer-of-event': () => '转发了事件：trans.html 要求只转发用户消息，不转发 user_enter_tempsession 等事件',
  },
};

export function reasonText(problem: ReplyProblem, detail: string | undefined, locale: Locale): string {
  return REASONS[lang(locale)][problem](detail);
}

const quote = (s: string | undefined, max = 120): string => {
  const t = s ?? '';
  return JSON.stringify(t.length > max ? `${t.slice(0, max)}…` : t);
};

function transport(a: { error?: string; status?: number }, timeoutMs: number, l: Lang): string {
  if (a.error === 'timeout') return l === 'zh' ? `${timeoutMs / 1000} 秒内没有回包` : `no answer within ${timeoutMs / 1000} s`;
  if (a.error) return l === 'zh' ? `无法连接（${a.error}）` : `cannot connect (${a.error})`;
  return `HTTP ${a.status}`;
}

/** One line on a URL verification. */
export function verifyLine(v: VerifyResult, timeoutMs: number, locale: Locale): string {
  const l = lang(locale);
  switch (v.outcome) {
    case 'echoed':
      return l === 'zh' ? `URL 校验通过：服务器原样返回了 echostr（${v.latencyMs} ms）` : `URL verification passed: the server echoed echostr back (${v.latencyMs} ms)`;
    case 'wrong-echo': {
      const trimmedOk = v.status === 200 && v.body?.trim() === v.echostr;
      const what = v.status !== 200 ? `HTTP ${v.status} ${quote(v.body)}` : quote(v.body);
      if (l === 'zh') return `URL 校验失败：服务器返回 ${what}，而不是 echostr ${quote(v.echostr)}${trimmedOk ? '（多了空白字符：必须原样返回）' : ''}`;
      return `URL verification FAILED: the server answered ${what} instead of echostr ${quote(v.echostr)}${trimmedOk ? ' (extra whitespace: it must be echoed exactly)' : ''}`;
    }
    default:
      return l === 'zh' ? `URL 校验失败：${transport(v, timeoutMs, l)}` : `URL verification FAILED: ${transport(v, timeoutMs, l)}`;
  }
}

/** One line on one try of a push. */
export function attemptLine(a: PushAttempt, of: number, timeoutMs: number, locale: Locale): string {
  const l = lang(locale);
  const head = l === 'zh' ? `第 ${a.try}/${of} 次` : `try ${a.try}/${of}`;
  const sep = l === 'zh' ? '：' : ': ';
  if (a.error || a.outcome === 'http-error') return `${head}${sep}${transport(a, timeoutMs, l)}`;
  return `${head}${sep}HTTP ${a.status} ${quote(a.body)} (${a.latencyMs} ms)`;
}

/** The verdict on a push, what the user saw. */
export function verdictLine(r: PushResult, timeoutMs: number, locale: Locale): string {
  const l = lang(locale);
  const last = r.attempts[r.attempts.length - 1];
  const note = last.reasonCode ? reasonText(last.reasonCode, last.reasonDetail, locale) : undefined;
  switch (r.outcome) {
    case 'handled':
      return l === 'zh' ? `已接受：服务器回复了${last.body === '' ? '空串' : ' "success"'}` : `accepted: the server answered ${last.body === '' ? 'with an empty body' : '"success"'}`;
    case 'transfer':
      return l === 'zh'
        ? `已接受：transfer_customer_service，微信把这条消息转给网页版客服工具${note ? `（注意：${note}）` : ''}`
        : `accepted: transfer_customer_service — WeChat hands this message to the web customer-service tool${note ? ` (note: ${note})` : ''}`;
    default: {
      const why = r.outcome === 'wrong-reply' ? note ?? '' : transport(last, timeoutMs, l) + (r.tries > 1 ? (l === 'zh' ? `，共试了 ${r.tries} 次` : `, ${r.tries} tries`) : '');
      return l === 'zh' ? `未通过：${why}。用户会看到“${USER_SEES_FAILURE}”` : `refused: ${why}. The user sees "${USER_SEES_FAILURE}"`;
    }
  }
}
