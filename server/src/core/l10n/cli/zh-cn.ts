// The Simplified Chinese catalog of what the CLI, the WeChat API client and the simulator print.
// Each section is typed by the English one (CliCatalog[…]): a key missing here, or one the English
// catalog does not have, fails `npm run typecheck`; a missing section fails it in text.ts.
import type { CliCatalog } from './en.ts';

export const frame: CliCatalog['frame'] = {
  usageHint: '运行 "wxmsg --help" 查看用法。',
  internalError: (detail) => `内部错误：${detail}`,
  unknownCommand: (name) => `没有 "${name}" 这个命令`,
  unsupportedLocale: (name, value, supported) => `不支持 ${name} "${value}"；支持的语言：${supported}`,
  unknownFormat: (name, choices) => `没有 "${name}" 这种格式（可用 ${choices}）`,
  needsValue: (flag) => `${flag} 需要一个值`,
};

export const lint: CliCatalog['lint'] = {
  noMatch: (pattern) => `没有与 "${pattern}" 匹配的 *.wxmsg.json 文件`,
  folderUnreadable: (folder, reason) => `无法读取文件夹 ${folder}（${reason}）：其中的模板没有检查；请修复它，或用 --ignore <glob> 有意跳过`,
  noFiles: '没有找到 *.wxmsg.json 文件',
  clean: (files) => `✔ 已检查 ${files} 个模板，没有问题`,
  cleanQuiet: (files, warnings) => `✔ 已检查 ${files} 个模板，没有错误（${warnings} 个警告被 --quiet 隐藏）`,
  tooManyWarnings: (warnings, max) => `${warnings} 个警告，超过了 --max-warnings ${max}`,
  maxWarningsNumber: (value) => `--max-warnings 需要一个整数，而不是 "${value}"`,
  concurrency: (value) => `--concurrency 需要线程数、"auto" 或 "off"，而不是 "${value}"`,
};

export const stylish: CliCatalog['stylish'] = {
  severity: { error: '错误', warning: '警告', info: '信息', hint: '提示' },
  summary: (total, errors, warnings, others) => `✖ ${total} 个问题（${errors} 个错误，${warnings} 个警告${others ? `，${others} 个信息/提示` : ''}）`,
  more: (count) => `……还有 ${count} 条（wxmsg lint 会全部列出）`,
};

export const preview: CliCatalog['preview'] = {
  needsOut: 'wxmsg preview 需要 --out <dir>：写入 HTML 页面的文件夹',
  folderUnreadable: (folder, reason) => `无法读取文件夹 ${folder}（${reason}）：其中的模板没有生成预览`,
  outside: (file) => `${file} 不在当前文件夹内：请在包含它的文件夹中运行 wxmsg preview`,
  page: (file, target, errors, warnings) => {
    const counts = [errors ? `${errors} 个错误` : '', warnings ? `${warnings} 个警告` : ''].filter(Boolean).join('，');
    return `${file} → ${target}${counts ? `（${counts}）` : ''}`;
  },
  written: (count, index) => `✔ 已生成 ${count} 个预览；打开 ${index}`,
  withErrors: (count) => `${count} 个模板有错误（见${count === 1 ? '其' : '各自的'}预览页）`,
  cannotWrite: (file, reason) => `无法写入 ${file}（${reason}）`,
};

export const api: CliCatalog['api'] = {
  refused: { send: '未发送', upload: '未上传', typing: '未设置输入状态', media: '未下载' },
  refusal: (what, why) => `${what}：${why}`,
  timeout: (value) => `--timeout 需要 1 到 600000 之间的毫秒数，而不是 "${value}"`,
  tokenEndpoint: (value) => `--token-endpoint 只能是 stable 或 token，而不是 "${value}"`,
  apiBaseEmpty: '--api-base 需要一个值（留空就意味着真实的微信 API）',
  apiBaseEnvEmpty: 'WXMSG_API_BASE 已设置但为空（留空就意味着真实的微信 API）：请设为一个 URL，或取消设置以使用 https://api.weixin.qq.com',
  tokenTooShort: (length) => `WXMSG_ACCESS_TOKEN 只有 ${length} 个字符：真实的 access_token 有 100 个以上；已拒绝（不显示其值）`,
  secretTooShort: (length) => `WXMSG_APPSECRET 只有 ${length} 个字符：真实的 AppSecret 有 32 个；已拒绝（不显示其值）`,
  noAppidBecause: (problems) => `没有 appid：${problems}；请修复，或使用 --appid`,
  noAppid: '没有 appid：请使用 --appid，或在小程序项目（project.config.json）中运行',
  noCredentials: '没有凭据：请在环境变量中设置 WXMSG_APPSECRET（小程序的 AppSecret）或 WXMSG_ACCESS_TOKEN',
  bothCredentials: '使用 WXMSG_ACCESS_TOKEN（同时设置的 WXMSG_APPSECRET 被忽略）',
  cause: '原因：',
  action: '处理：',
  rid: (rid) => `rid：${rid}（联系微信技术支持时请提供）`,
  errmsg: (errmsg) => `微信原文：${errmsg}`,
  note: (note) => `注意：${note}`,
  apiError: (errcode, description) => `微信返回 errcode ${errcode} ${description}`,
  unknownErrcode: (errmsg) => `（未知的 errcode；errmsg "${errmsg}"）`,
  sendOne: (count) => `send 只接受一个模板文件（收到 ${count} 个）`,
  toRequired: '缺少 --to <alias|openid>',
  noVarsFile: (file) => `--vars ${file}：文件不存在`,
  templateErrors: (file, errors) => `${file} 有 ${errors} 个错误`,
  templateWarnings: (file, count) => `${file} 有 ${count} 个警告或提示（见 wxmsg lint）；仍然发送`,
  historyNotRecorded: (file, reason) => `注意：这次发送没有记录到 ${file}：${reason}`,
  where: (appid, host) => `appid ${appid ?? '（来自 token）'}，经由 ${host}`,
  sent: (file, to, where) => `✔ 已把 ${file} 发送给 ${to}（${where}）`,
  refreshed: '（刷新 access_token 之后）',
  notSent: (why) => `✖ 未发送：${why}`,
  deliveryUnknown: (why) => `✖ 不确定是否送达：${why}`,
  attempts: (to, where, attempts) => `发给 ${to}，${where}，共请求 ${attempts} 次`,
  uploadOne: (count) => `upload 只接受一个图片文件（收到 ${count} 个）`,
  uploaded: (file, host, expires) => `✔ 已上传 ${file}，经由 ${host}；临时素材 3 天后过期（${expires}）`,
  recorded: (ledger, source) => `已记录到 ${ledger}（来源 ${source}）`,
  notRecorded: (reason) => `没有记录到素材台账：${reason}`,
  ledgerNoAppid: '不知道 appid（请使用 --appid）',
  notUploaded: (why) => `✖ 未上传：${why}`,
  typingOnOff: (got) => `typing 需要 on 或 off（收到 ${got || '空'}）`,
  toOpenidRequired: '缺少 --to <openid>',
  hint: (text) => `注意：${text}`,
  typingSet: (command, to, host) => `✔ ${command} → ${to}，经由 ${host}：errcode 0`,
  typingShown: '（显示 15 秒，或直到下发一条消息）',
  typingRefused: (command, why) => `✖ ${command} 被拒绝：${why}`,
  typingFailed: (command, why) => `✖ ${command} 未设置：${why}`,
  mediaSub: (got) => `media 只有一个子命令：get <media_id>（收到 ${got === undefined ? '空' : `"${got}"`}）`,
  mediaOne: 'media get 只接受一个 media_id',
  outputName: '-o 需要一个文件名',
  cannotWrite: (file, reason) => `无法写入 ${file}：${reason}`,
  downloadedButNot: (why) => `✖ 已下载，但${why}`,
  downloaded: (bytes, type, host) => `✔ ${bytes} 字节（${type}），来自 ${host}`,
  notDownloaded: (why) => `✖ 未下载：${why}`,
};

export const errcodes: CliCatalog['errcodes'] = {
  help: (w) => {
    const ipAdmin = {
      cause: '微信要求小程序管理员确认来自本机 IP 地址的调用',
      action: '请管理员在微信中确认该请求，稍后重试',
    };
    const tooLong = (field: string, code: number) => ({ cause: `链接消息的 \`${field}\` 超过了微信的长度限制（errcode ${code}）`, action: `缩短 \`link.${field}\`` });
    return {
      [-1]: { cause: '微信侧的临时故障', action: '几秒后重试（wxmsg 已自动重试两次）' },
      0: { cause: '消息已被接受', action: '无需处理' },
      40001: { cause: 'AppSecret 错误，或 access_token 已过期、属于另一个小程序', action: '检查 AppSecret（微信：设置 AppSecret / WXMSG_APPSECRET），并确认它属于这个 appid' },
      40002: { cause: '获取 token 的请求没有使用 grant_type=client_credential', action: '使用 grant_type=client_credential' },
      40003: { cause: '该 OpenID 属于另一个 appid（每个小程序的 OpenID 都不同），或拼写有误，或请求体不是以 JSON 发送的', action: '使用本小程序用户的 OpenID（appid 见上）' },
      40004: { cause: '上传的文件不是微信接受的图片', action: '上传 JPG 或 PNG 图片' },
      40007: { cause: '该 media_id 不是为这个 appid 签发的，或已过期（临时素材有效期 3 天）', action: '重新上传图片（wxmsg upload），使用新的 media_id' },
      40008: { cause: 'msgtype 不是微信支持的类型', action: '使用 text、image、link 或 miniprogrampage' },
      40009: { cause: '上传的图片超过了微信的大小限制', action: '压缩图片（文档中的限制不一：2 MB 或 10 MB）' },
      40013: { cause: 'appid 拼写有误，或不是小程序的 appid', action: '检查 project.config.json 或 wxmsg.appid / --appid 中的 appid（大小写、多余字符）' },
      40014: { cause: 'access_token 格式不对，或不属于这个小程序', action: '获取新的 token（使用 AppSecret 时 wxmsg 会自动获取一次）' },
      40033: { cause: '请求体中含有 \\uxxxx 转义的文本', action: '发送 UTF-8 文本，不要用 \\u 转义' },
      40066: { cause: '请求发到了微信没有的 API 路径（用户反馈 /cgi-bin/ 路径拼错时会出现）', action: '检查 API 基础地址和路径（wxmsg.api.baseUrl / --api-base）' },
      40101: { cause: '在客服子商户接口 /cgi-bin/message/custom/business/send 上缺少子商户的 `businessid`', action: '在请求体中加上子商户的 `businessid`；没有子商户的小程序应改用 /cgi-bin/message/custom/send' },
      40200: { cause: '该 appid 的账号类型不是这个接口服务的类型（例如在小程序接口上使用了公众号的 appid，或反之）', action: '使用小程序自己的 appid 和 AppSecret（project.config.json 或 wxmsg.appid / --appid）' },
      40125: { cause: 'AppSecret 与 appid 不匹配（可能已被重置）', action: '从小程序管理后台重新复制 AppSecret 并重新设置' },
      40164: { cause: '本机 IP 不在小程序的接口 IP 白名单中', action: '在小程序的开发设置中添加本机 IP' },
      40165: { cause: '`miniprogrampage.pagepath` 不是该小程序的页面', action: '使用 app.json 中列出的页面（wxmsg lint 找到 app.json 时会检查）' },
      40243: { cause: 'AppSecret 已在管理后台被冻结', action: '在小程序管理后台解冻' },
      41001: { cause: '请求没有携带 access_token', action: '设置 AppSecret 或 access_token' },
      41002: { cause: '获取 token 的请求没有携带 appid', action: '提供 appid（--appid 或 project.config.json）' },
      41004: { cause: '获取 token 的请求没有携带 AppSecret', action: '设置 AppSecret（WXMSG_APPSECRET 或 微信：设置 AppSecret）' },
      41005: { cause: '上传请求的 `media` 字段中没有文件', action: '以 multipart 字段 "media" 上传图片（wxmsg upload 就是这样做的）' },
      41006: { cause: 'media_id 字段为空', action: '填入 wxmsg upload 返回的 media_id' },
      42001: { cause: 'access_token 已过期', action: '获取新的 token（使用 AppSecret 时 wxmsg 会自动获取一次）' },
      43002: { cause: '只接受 POST 的接口被用 GET（或其他方法）调用了', action: '以 POST 发送 JSON 请求体（wxmsg send 就是这样做的）' },
      44001: { cause: '上传的文件为空（0 字节）', action: '上传非空的 JPG 或 PNG 图片' },
      44002: { cause: '请求体为空', action: '把模板作为 JSON 请求体发送' },
      44004: { cause: '`text.content` 为空', action: '填写消息文本' },
      45002: { cause: '消息内容太长', action: '缩短文本' },
      45003: tooLong('title', 45003),
      45004: tooLong('description', 45004),
      45005: tooLong('url', 45005),
      45006: tooLong('thumb_url', 45006),
      45009: { cause: '该接口的每日调用次数（包括获取 token）已用完', action: '请等待；获取 token 每天有次数限制（wxmsg 会缓存 token 以节省次数）' },
      45011: { cause: '本分钟内调用次数过多', action: '下一分钟再试' },
      45015: { cause: `用户最近没有发消息：用户最后一次发消息后 ${w.msgWin}内可以回复（通过客服按钮进入会话后 ${w.enterWin}内）。时限不会叠加：新的用户行为把截止时间移到当前截止时间与“现在 + 该行为的时限”中较晚的一个`, action: '请测试用户先给小程序客服发一条消息，然后再发送' },
      45047: { cause: `用户每发一条消息，${w.msgWin}内可下发 ${w.msgMax} 条；通过客服按钮进入会话，${w.enterWin}内可下发 ${w.enterMax} 条。条数不累加：新的用户行为把剩余条数设为剩余条数与该行为额度中较大的一个（用户先发消息再进入会话、且尚未下发时，仍是 ${Math.max(w.msgMax, w.enterMax)} 条，而不是 ${w.msgMax + w.enterMax} 条）`, action: `等待用户再次发消息；这会在 ${w.msgWin}内把剩余条数提高到 ${w.msgMax} 条（若剩余更少）` },
      45072: { cause: '输入状态的 command 既不是 Typing 也不是 CancelTyping', action: '使用 "Typing" 或 "CancelTyping"' },
      45080: { cause: '下发输入状态需要在最近 30 秒内与用户有过消息交互', action: '在用户发消息后立即下发输入状态' },
      45081: { cause: '已经处于输入状态', action: '先下发 CancelTyping' },
      45162: { cause: '该 msgtype 只有公众号可用（例如 news），小程序不支持', action: '使用 text、image、link 或 miniprogrampage' },
      46001: { cause: '该 media_id 不存在或已过期（3 天）', action: '重新上传图片' },
      47001: { cause: '请求体不是合法的 JSON，或缺少必填字段', action: '检查模板（wxmsg lint）后重新发送' },
      48001: { cause: '这个小程序没有开通客服功能', action: '在小程序管理后台开通客服功能' },
      48002: { cause: '用户关闭了接收消息', action: '在这里无法处理；需要用户允许接收消息' },
      48004: { cause: '微信封禁了该账号的这个接口', action: '查看管理后台中的通知' },
      50002: { cause: '该账号受到限制', action: '查看管理后台中的通知' },
      61004: { cause: '本机 IP 没有登记为可调用接口的 IP', action: '把本机 IP 加入白名单' },
      61007: { cause: '第三方平台代小程序调用了这个接口，但小程序没有把该接口所在的权限集授权给它', action: '请小程序管理员重新把权限集授权给第三方平台，或用小程序自己的 token 调用' },
      61016: { cause: '该接口所在的权限集还没有经第三方平台为这个小程序确认', action: '在第三方平台确认该权限集（或用小程序自己的 token 调用）' },
      87014: { cause: '微信的内容安全检查拒绝了这段文本', action: '修改内容' },
      89501: ipAdmin,
      89502: ipAdmin,
      89503: ipAdmin,
      89504: ipAdmin,
      89505: ipAdmin,
      89506: { cause: '管理员两次拒绝了来自这个 IP 的调用', action: '与管理员沟通；24 小时后再试' },
      89507: { cause: '管理员拒绝了来自这个 IP 的一次调用', action: '与管理员沟通；1 小时后再试' },
    };
  },
};

/** Every section: one of CliCatalog's missing here fails the typecheck (bundles drop this object). */
export const sections: CliCatalog = { frame, lint, stylish, preview, api, errcodes };
