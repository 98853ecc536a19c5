import { DELIVERY_RULES, formatWindow, ruleFor, type DeliveryRules } from './deliveryRules.ts';
import { errcodeText, type ErrcodeWindow, type Locale } from '../l10n/cli/text.ts';

/**
 * The errcode catalog for the calls wxmsg makes (custom/send, stable_token/token, media/upload,
 * custom/typing): one table, code → official Chinese text, an English line, the likely cause and
 * what to do. Sources (see shared/wechat-api-facts.md): `seed` = the official send page,
 * `sdk` = WxJava's mini program table, `global` = WeChat's global error code table as SDKs carry
 * it, `observed` = reported by users / seen on related endpoints (no official Chinese text; ours).
 */
export type ErrcodeSource = 'seed' | 'sdk' | 'global' | 'observed';

export interface ErrcodeInfo {
  /** 官方说明 (or our wording when source is `observed`). */
  zh: string;
  en: string;
  cause: string;
  action: string;
  source: ErrcodeSource;
  /** How the client reacts: refresh the token and retry once, or back off and retry. */
  retry?: 'refresh-token' | 'backoff';
  /** The errmsg WeChat answers with (English, before " rid: …"), where known: the simulator answers with it. */
  errmsg?: string;
}

/**
 * WeChat's own errmsg texts (as its answers and SDK issue reports show them) for the codes the
 * simulator returns. Merged into the table below, so the simulator and the decoder read one catalog.
 */
const WECHAT_ERRMSG: Readonly<Record<number, string>> = {
  [-1]: 'system error',
  0: 'ok',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40004: 'invalid media type',
  40007: 'invalid media_id',
  40008: 'invalid message type',
  40009: 'invalid image size',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40066: 'invalid url',
  40125: 'invalid appsecret',
  40164: 'invalid ip, not in whitelist',
  40165: 'invalid weapp pagepath',
  40200: 'invalid account type',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41005: 'media data missing',
  41006: 'media_id missing',
  42001: 'access_token expired',
  43002: 'require POST method',
  44001: 'empty media data',
  44002: 'empty post data',
  44004: 'empty content',
  45002: 'content size out of limit',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit',
  45015: 'response out of time limit or subscription is canceled',
  45047: 'out of response count limit',
  // setTyping: the official page lists only these (Chinese) descriptions; the simulator answers with them.
  45072: 'command字段取值不对',
  45080: '下发输入状态，需要之前30秒内跟用户有过消息交互',
  45081: '已经在输入状态，不可重复下发',
  45162: 'invalid type',
  47001: 'data format error',
  48001: 'api unauthorized',
  61004: 'access clientip is not registered',
  61007: 'api is unauthorized to component',
  61016: 'function category of API need be confirmed by component',
};

/** The numbers and windows the 45015 / 45047 texts quote, in the locale's words. */
const window = (rules: DeliveryRules, locale: Locale): ErrcodeWindow => {
  const msg = ruleFor('user-message', rules);
  const enter = ruleFor('enter-session', rules);
  return { msgMax: msg.maxMessages, msgWin: formatWindow(msg.windowMs, locale), enterMax: enter.maxMessages, enterWin: formatWindow(enter.windowMs, locale) };
};

/** An errcode's facts; its cause and action are words of the catalog (core/l10n/cli.*.ts, section errcodes). */
type Facts = Omit<ErrcodeInfo, 'cause' | 'action'>;

/**
 * Builds the table; 45015 / 45047 read the delivery-rules table so their texts follow its numbers.
 * `locale` is the language of the cause and action (the official Chinese and the English line are both always there).
 */
export function errcodeTable(rules: DeliveryRules = DELIVERY_RULES, locale: Locale = 'en'): Readonly<Record<number, ErrcodeInfo>> {
  const help = errcodeText(locale).help(window(rules, locale));
  const ipAdmin = (zh: string): Facts => ({ zh, en: 'a new caller IP awaits the administrator\'s approval', source: 'global' });
  const tooLong = (field: string, zh: string): Facts => ({ zh, en: `${field} too long`, source: 'global' });
  // The same codes as the catalog's: one missing on either side, or only on one, fails the typecheck.
  const facts: Record<keyof typeof help, Facts> = {
    [-1]: { zh: '系统繁忙，此时请开发者稍候再试', en: 'system busy', source: 'seed', retry: 'backoff' },
    0: { zh: '请求成功', en: 'ok', source: 'seed' },
    40001: { zh: '获取 access_token 时 AppSecret 错误，或者 access_token 无效。请开发者认真比对 AppSecret 的正确性，或查看是否正在为恰当的小程序调用接口',
      en: 'AppSecret wrong or access_token invalid', source: 'seed', retry: 'refresh-token' },
    40002: { zh: '不合法的凭证类型', en: 'invalid grant/credential type', source: 'seed' },
    40003: { zh: '不合法的 OpenID，请开发者确认 OpenID 否是其他小程序的 OpenID', en: 'invalid OpenID', source: 'seed' },
    40004: { zh: '不合法的媒体文件类型', en: 'invalid media type', source: 'sdk' },
    40007: { zh: '不合法的媒体文件 id', en: 'invalid media_id', source: 'sdk' },
    40008: { zh: '不合法的消息类型', en: 'invalid msgtype', source: 'global' },
    40009: { zh: '不合法的图片文件大小', en: 'image too large', source: 'sdk' },
    40013: { zh: '不合法的 AppID，请开发者检查 AppID 的正确性，避免异常字符，注意大小写', en: 'invalid appid', source: 'global' },
    40014: { zh: '不合法的 access_token ，请开发者认真比对 access_token 的有效性（如是否过期），或查看是否正在为恰当的公众号调用接口',
      en: 'invalid access_token', source: 'global', retry: 'refresh-token' },
    40033: { zh: '不合法的字符串，请检查是否含有 \\uxxxx 格式的字符', en: 'invalid characters', source: 'global' },
    40066: { zh: '不合法的 URL', en: 'invalid url', source: 'global' },
    // /cgi-bin/message/custom/business/send is the customer-service sub-merchant (客服子商户)
    // endpoint, not a doc mistake; 40101 there means its `businessid` is missing
    // (shared/wechat-api-facts.md; developers.weixin.qq.com … kf-mgnt/kf-message/sendCustomMessage).
    40101: { zh: '缺少参数', en: 'missing parameter', source: 'global' },
    40200: { zh: '不合法的账户类型', en: 'invalid account type', source: 'global' },
    40125: { zh: '无效的 appsecret', en: 'invalid AppSecret', source: 'global' },
    40164: { zh: '调用接口的 IP 地址不在白名单中，请在接口 IP 白名单中进行设置', en: 'caller IP not in the IP allowlist', source: 'global' },
    40165: { zh: '不合法的小程序页面路径 pagepath', en: 'invalid weapp pagepath', source: 'observed' },
    40243: { zh: 'AppSecret 已被冻结，请登录小程序平台解冻后再次调用', en: 'AppSecret frozen', source: 'global' },
    41001: { zh: '缺少 access_token 参数', en: 'access_token missing', source: 'global' },
    41002: { zh: '缺少 appid 参数', en: 'appid missing', source: 'global' },
    41004: { zh: '缺少 secret 参数', en: 'AppSecret missing', source: 'global' },
    41005: { zh: '缺少多媒体文件数据', en: 'media data missing', source: 'global' },
    41006: { zh: '缺少 media_id 参数', en: 'media_id empty', source: 'sdk' },
    42001: { zh: 'access_token 超时，请检查 access_token 的有效期', en: 'access_token expired', source: 'sdk', retry: 'refresh-token' },
    43002: { zh: '需要 POST 请求', en: 'require POST method', source: 'global' },
    44001: { zh: '多媒体文件为空', en: 'empty media data', source: 'global' },
    44002: { zh: 'POST 的数据包为空', en: 'empty POST body', source: 'sdk' },
    44004: { zh: '文本消息内容为空', en: 'empty text content', source: 'global' },
    45002: { zh: '消息内容超过限制', en: 'content size out of limit', source: 'global' },
    45003: tooLong('title', '标题字段超过限制'),
    45004: tooLong('description', '描述字段超过限制'),
    45005: tooLong('url', '链接字段超过限制'),
    45006: tooLong('thumb_url', '图片链接字段超过限制'),
    45009: { zh: '接口调用超过限制', en: 'API call quota exceeded', source: 'sdk' },
    45011: { zh: 'API 调用太频繁，请稍候再试', en: 'minute quota reached', source: 'global' },
    // Allowances do not add up (miniprogram/introduction/custom.html: 可发送客服消息条数不累加):
    // on each user action remaining := max(remaining, quota), deadline := max(deadline, now + window).
    45015: { zh: '回复时间超过限制', en: 'reply window passed', source: 'seed' },
    45047: { zh: '客服接口下行条数超过上限', en: 'send quota exceeded', source: 'seed' },
    45072: { zh: 'command 字段取值不对', en: 'invalid typing command', source: 'observed' },
    45080: { zh: '下发输入状态，需要之前 30 秒内跟用户有过消息交互', en: 'no interaction in the last 30 s', source: 'observed' },
    45081: { zh: '已经在输入状态，不可重复下发', en: 'already typing', source: 'observed' },
    45162: { zh: '不合法的消息类型（小程序不支持该类型）', en: 'invalid type for a mini program', source: 'observed' },
    46001: { zh: '不存在媒体数据', en: 'media_id does not exist', source: 'sdk' },
    47001: { zh: '解析 JSON/XML 内容错误', en: 'malformed body or missing parameter', source: 'sdk' },
    48001: { zh: 'api 功能未授权，请确认小程序已获得该接口', en: 'API not authorized for this mini program', source: 'seed' },
    48002: { zh: '粉丝拒收消息（粉丝在公众号选项中，关闭了 “ 接收消息 ” ）', en: 'user blocks messages', source: 'global' },
    48004: { zh: 'api 接口被封禁，请登录 mp.weixin.qq.com 查看详情', en: 'API banned for irregularities', source: 'global' },
    50002: { zh: '用户受限，可能是违规后接口被封禁', en: 'user limited', source: 'global' },
    61004: { zh: '当前客户端 IP 未注册', en: 'client IP not registered', source: 'observed' },
    61007: { zh: '公众号/小程序未授权该 API 给第三方平台', en: 'third-party platform not authorized for this API', source: 'global' },
    61016: { zh: '接口权限集需要第三方平台确认', en: 'API function category must be confirmed by the third-party platform', source: 'global' },
    87014: { zh: '内容含有违法违规内容', en: 'content rejected as non-compliant', source: 'global' },
    89501: ipAdmin('此 IP 正在等待管理员确认，请联系管理员'),
    89502: ipAdmin('此 IP 调用需要管理员确认，请联系管理员'),
    89503: ipAdmin('此次调用需要管理员确认，请耐心等候'),
    89504: ipAdmin('正在等管理员确认，请耐心等待'),
    89505: ipAdmin('正在等管理员确认，请稍后重试'),
    89506: { zh: '该 IP 调用请求已被管理员拒绝，请 24 小时后再试，建议调用前与管理员沟通确认', en: 'IP refused by the administrator (retry after 24 h)', source: 'global' },
    89507: { zh: '该 IP 调用请求已被管理员拒绝，请 1 小时后再试，建议调用前与管理员沟通确认', en: 'IP refused by the administrator (retry after 1 h)', source: 'global' },
  };
  const table: Record<number, ErrcodeInfo> = {};
  for (const code of Object.keys(facts) as unknown as (keyof typeof help)[]) table[code] = { ...facts[code], ...help[code] };
  for (const [code, errmsg] of Object.entries(WECHAT_ERRMSG)) table[Number(code)] = { ...table[Number(code)], errmsg };
  return Object.freeze(table);
}

/** The catalog with the default (current official) delivery rules. */
export const ERRCODES = errcodeTable();

export interface DecodedResult {
  errcode: number;
  /** errmsg without the request id. */
  errmsg: string;
  /** The request id WeChat support and getRidInfo ask for (`rid: …` in errmsg). */
  rid?: string;
  known: boolean;
  /** 官方说明; for unknown codes the raw errmsg. */
  description: string;
  /** English line; for unknown codes "unknown errcode N: errmsg". */
  en: string;
  cause?: string;
  action?: string;
  source?: ErrcodeSource;
}

/**
 * The request id in its three spellings: `rid: 6791c969-2df2b561-5de66934` (current answers), and
 * in older answers `hint: [IVHYVA0391ge31]` and `hints: [ req_id: 6EkbY7aLRa-se8T9 ]`
 * (shared/wechat-api-facts.md). A bracket holding words (`hint: [touser missing]`) is no id.
 */
const RID_FORMATS = [
  /[\s,;]*\brid:\s*([0-9a-zA-Z]+(?:-[0-9a-zA-Z]+)*)/,
  /[\s,;]*\bhints?:\s*\[\s*(?:req_id:\s*)?([\w.-]+)\s*\]/,
];

/** Splits `invalid openid rid: 6791c969-2df2b561-5de66934` (or an older `hint: […]`) into message and rid. */
export function splitRid(errmsg: string): { message: string; rid?: string } {
  let message = errmsg;
  let rid: string | undefined;
  for (const re of RID_FORMATS) {
    const m = re.exec(message);
    if (!m) continue;
    message = message.slice(0, m.index) + message.slice(m.index + m[0].length);
    rid ??= m[1];
  }
  return rid === undefined ? { message: errmsg.trim() } : { message: message.trim(), rid };
}

/** `locale`: the language of cause and action (description is WeChat's Chinese, en the English line, errmsg verbatim). */
export function decodeResult(errcode: number, errmsg: string = '', rules?: DeliveryRules, locale: Locale = 'en'): DecodedResult {
  const { message, rid } = splitRid(String(errmsg ?? ''));
  const table = rules || locale !== 'en' ? errcodeTable(rules, locale) : ERRCODES;
  const info = Object.hasOwn(table, errcode) ? table[errcode] : undefined;
  if (!info) {
    return { errcode, errmsg: message, ...(rid ? { rid } : {}), known: false, description: message || `errcode ${errcode}`, en: `unknown errcode ${errcode}${message ? `: ${message}` : ''}` };
  }
  return { errcode, errmsg: message, ...(rid ? { rid } : {}), known: true, description: info.zh, en: info.en, cause: info.cause, action: info.action, source: info.source };
}

/**
 * The errmsg WeChat answers a code with (the simulator's answers). Throws for a code outside the
 * catalog or without a known errmsg: the simulator must not invent texts the decoder does not know.
 */
export function wechatErrmsg(errcode: number): string {
  const msg = Object.hasOwn(ERRCODES, errcode) ? ERRCODES[errcode].errmsg : undefined;
  if (msg === undefined) throw new Error(`errcode ${errcode} has no errmsg in the catalog`);
  return msg;
}

/** "45047 客服接口下行条数超过上限" — the short form for a CodeLens or status line. */
export function summarize(d: DecodedResult): string {
  return `${d.errcode} ${d.known ? d.description : d.errmsg || 'unknown error'}`;
}
