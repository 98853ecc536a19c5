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
  nodeDebugRefused: (names, _count, childProcess) => `NODE_DEBUG 中含有 ${names}：Node 会在每个请求中打印 access_token${childProcess ? '（wxmsg 无法去掉它们重新运行自己：child_process 会打印其环境中的凭据）' : ''}。请取消设置 NODE_DEBUG（或去掉这些名称）后重新运行`,
  nodeDebugRespawn: (names) => `NODE_DEBUG 中含有 ${names}，会打印 access_token：正在去掉这些名称后重新运行`,
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

export const team: CliCatalog['team'] = {
  warning: () => '警告',
  profileNeedsName: () => '--profile 需要一个配置档名称',
  noConfigFile: (a) => `--profile ${a.name}：在 ${a.dir} 及其上级目录中找不到 ${a.file}`,
  errorsNoProfile: (a) => `${a.file} 有错误（未使用任何配置档）：`,
  errorsForProfile: (a) => `${a.file} 有 ${a.n} 处错误；请先修正，才能使用配置档 "${a.name}"：`,
  noSuchProfile: (a) => `${a.file} 中没有配置档 "${a.name}"（已有：${a.list || '无'}）`,
  appidDiffers: (a) => `--appid ${a.flag} 与配置档 "${a.name}" 的 appid ${a.appid} 不一致：请去掉 --appid，或选择其他 --profile`,
  whatApiBase: (a) => `配置档 "${a.name}" 的 apiBase`,
  whatTokenUrl: (a) => `配置档 "${a.name}" 的 token.url`,
  notTestUser: (a) => `--to "${a.to}" 既不是配置档 "${a.name}" 的测试用户（${a.list || '该配置档没有测试用户'}），也不是 OpenID`,
  productionNeedsYes: (a) => `配置档 "${a.name}" 标记为生产环境：向它发送需要 --yes`,
  commandNotAllowed: (a) => `配置档 "${a.name}" 通过运行 ${a.command}（来自 ${a.file}）获取 token，你尚未允许。请先阅读该命令，再在 ${a.root} 中运行 "wxmsg allow"（命令改变后需要重新 allow），或在 CI 任务中设置 ${a.env}=1`,
  needsAppSecret: (a) => `配置档 "${a.name}" 通过 AppSecret 获取 token：请在环境变量中设置 WXMSG_APPSECRET`,
  needsAccessToken: (a) => `配置档 "${a.name}" 使用现成的 access token：请在环境变量中设置 WXMSG_ACCESS_TOKEN`,
  inProfile: (a) => `配置档 "${a.name}"：${a.message}`,
  headerEnvUnset: (a) => `token 服务需要从环境变量 ${a.env} 读取 ${a.header} 请求头的值，但该变量未设置`,
  allowNoFile: (a) => `在 ${a.dir} 及其上级目录中没有 ${a.file}`,
  allowNotThere: (a) => `${a.path} 不存在`,
  allowNoFileIn: (a) => `${a.path} 中没有 ${a.file}`,
  allowOnePath: (a) => `allow 最多接受一个路径（收到 ${a.n} 个）`,
  allowFixFirst: (a) => `${a.file} 有错误；请先修正：`,
  allowRevoked: (a) => `✔ ${a.file}：已不再允许任何 token-command（记录在 ${a.where}）`,
  allowNothing: (a) => `${a.file} 没有 token-command：无需允许`,
  allowed: (a) => `✔ 已允许配置档 "${a.name}" 的命令：${a.command}`,
  allowRecorded: (a) => `  记录在 ${a.where}；命令改变后需要再次运行 "wxmsg allow"`,
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
  plainNeedsYes: '--token-endpoint token 在非交互运行时需要 --yes',
  plainPrompt: '这会使你们服务器持有的 token 失效，仍要继续吗？[y/N] ',
  plainCancelled: '已取消',
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

export const editor: CliCatalog['editor'] = {
  head: (errcode, description) => `微信 API errcode ${errcode}：${description}`,
  headUnknown: (errcode, errmsg) => `微信 API errcode ${errcode}（不在 wxmsg 的错误码表中）：${errmsg}`,
  noErrmsg: '（没有 errmsg）',
  cause: (cause) => `原因：${cause}。`,
  action: (action) => `处理：${action}。`,
  errmsg: (errmsg) => `微信原文：${errmsg}`,
  rid: (rid) => `rid：${rid}（联系微信技术支持或调用 getRidInfo 时请提供）`,
  summary: (errcode, text) => `${errcode} ${text}`,
  unknownError: '未知错误',
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


const BASE_URL_SETTING = 'wxmsg.api.baseUrl（命令行：--api-base 或 WXMSG_API_BASE）';
const TIMEOUT_SETTING = 'wxmsg.api.timeout（命令行：--timeout）';
const MAYBE_DELIVERED = '消息可能已送达，也可能没有：再次发送前请先向测试用户确认。';
const PHASE: CliCatalog['wechat']['phase'] = { token: '获取 access_token', upload: '上传', typing: '设置“正在输入”状态', media: '下载素材', send: '发送' };

export const wechat: CliCatalog['wechat'] = {
  baseUrlSetting: BASE_URL_SETTING,
  timeoutSetting: TIMEOUT_SETTING,
  phase: PHASE,
  unknownNote: '消息可能已送达，也可能没有：再次发送前请先向测试用户确认（为避免重复发送，wxmsg 不会重试）。',
  throughProxy: (via) => `（经由${via}。）`,
  viaProxy: (shown, source) => `代理 ${shown}（由 ${source} 设置）`,
  viaSomeProxy: '代理（来自本机或 VS Code 的代理设置）',
  proxySettings: '代理设置',
  proxyAuth: '（它要求用户名和密码：请写进代理地址，如 http://user:password@host:port）',
  tunnelRefused: (via, host, reason, auth, source) => `${via}拒绝建立到 ${host} 的隧道：${reason}${auth}。请检查 ${source}。未发送任何内容。`,
  cancelled: (phase) => `已取消${PHASE[phase]}。`,
  proxyRefused: (via, source) => `无法连接${via}：连接被拒绝（该地址上没有服务在监听）。请检查 ${source}。未发送任何内容。`,
  proxyDns: (via, source) => `无法解析${via}的主机名（DNS 查询失败）。请检查 ${source}。未发送任何内容。`,
  proxyUnreachable: (via, source) => `本机无法访问${via}（没有路由）。请检查 ${source}。未发送任何内容。`,
  proxyConnectTimeout: (host, via, ms, source) => `经由${via}在 ${ms} 毫秒内未能连上 ${host}。请检查 ${source}。未发送任何内容。`,
  proxyTls: (host, code, via) => `经由${via}的隧道上，${host} 的 TLS 证书未通过校验（${code}）。会检查 TLS 的代理需要先信任它的 CA 证书（命令行：NODE_EXTRA_CA_CERTS；VS Code：系统证书库）；wxmsg 从不关闭证书校验。未发送任何内容。`,
  proxyOther: (host, via, detail, source) => `无法经由${via}连接 ${host}（${detail}）。请检查 ${source}。未发送任何内容。`,
  networkError: '网络错误',
  refused: (host) => `无法连接 ${host}：连接被拒绝（该地址上没有服务在监听）。请检查 ${BASE_URL_SETTING}；如果它指向模拟器，请用 "wxmsg simulate" 启动模拟器。未发送任何内容。`,
  dns: (host) => `无法解析主机名 ${host}（DNS 查询失败）。请检查 ${BASE_URL_SETTING} 以及本机的网络和 DNS。未发送任何内容。`,
  connectTimeout: (host, ms) => `在 ${ms} 毫秒内未能连上 ${host}。请检查网络、${BASE_URL_SETTING} 和 ${TIMEOUT_SETTING}。未发送任何内容。`,
  unreachable: (host) => `本机无法访问 ${host}（没有路由）。请检查网络和 ${BASE_URL_SETTING}。未发送任何内容。`,
  tls: (host, code) => `${host} 的 TLS 证书未通过校验（${code}）。请检查 ${BASE_URL_SETTING}（是否经过了代理，或主机填错了？）。未发送任何内容。`,
  deadline: (host, ms, phase) => `${PHASE[phase]}时，与 ${host} 的整个交互超过了 ${ms} 毫秒（应答太慢）。网络较慢时请调大 ${TIMEOUT_SETTING}。`,
  headersTimeout: (host, ms, phase) => `${PHASE[phase]}时，${host} 在 ${ms} 毫秒内没有应答。网络较慢时请调大 ${TIMEOUT_SETTING}。`,
  bodyTimeout: (host, ms, phase) => `${PHASE[phase]}时，${host} 开始应答后停顿了超过 ${ms} 毫秒。网络较慢时请调大 ${TIMEOUT_SETTING}。`,
  dropped: (host, phase) => `${PHASE[phase]}时，与 ${host} 的连接在应答完整之前断开了。请检查网络或代理，以及 ${BASE_URL_SETTING}。`,
  otherNetwork: (detail, phase, host, notSent) => `与 ${host} ${PHASE[phase]}时发生网络错误（${detail}）。请检查网络和 ${BASE_URL_SETTING}。${notSent ? '未发送任何内容。' : ''}`,
  tokenEmpty: 'access_token 为空',
  noAppid: '没有 appid：请设置 wxmsg.appid / --appid，或添加 project.config.json',
  secretEmpty: 'AppSecret 为空',
  tokenNotWeChat: (host) => `${host} 返回的 token 应答中既没有 access_token 也没有 errcode：不是微信接口的应答。请检查 ${BASE_URL_SETTING}。`,
  tokenFailed: (appid, errcode, description) => `为 appid ${appid} 获取 access_token 失败：errcode ${errcode} ${description}`,
  cancelledRetry: '在等待重试时取消（微信返回 -1，系统繁忙：没有送达任何内容）。',
  cancelledBefore: (upload) => `在发出请求之前已取消${upload ? '上传：没有上传任何内容' : '发送：没有发送任何内容'}。`,
  noErrcode: (host, upload) => `${host} 的应答是 JSON，但既没有 errcode 也没有${upload ? ' media_id' : '成功标志'}：不是微信接口的应答。请检查 ${BASE_URL_SETTING}。`,
  uploadNoMediaId: (host) => `${host} 的上传应答中没有 media_id：不是微信接口的应答。请检查 ${BASE_URL_SETTING}。`,
  readyTokenInvalid: '你提供的 access_token（WeChat: Set Access Token / WXMSG_ACCESS_TOKEN）无效或已过期；wxmsg 无法刷新不是它获取的 token：请设置新的 token，或改为设置 AppSecret。',
  freshTokenRejected: '微信连新获取的 token 也拒绝了：请检查 AppSecret 是否属于这个 appid。',
  notForced: (agoS, waitS) => `微信拒绝了该 access_token，而 stable_token 仍返回同一个 token。${agoS} 秒前已为此 appid 强制刷新过（由 wxmsg，可能在另一个进程中）：wxmsg 不会在 30 秒内再次强制刷新（那会使你们服务器持有的 token 失效，且微信会忽略）。请 ${waitS} 秒后重试；若仍失败，请检查 AppSecret。`,
  fileTooLarge: (host, max) => `${host} 返回的文件超过 ${max} 字节：不是临时素材。请检查 ${BASE_URL_SETTING}。`,
  answerTooLarge: (host, max) => `${host} 的应答超过 ${max} 字节：不是微信接口的应答。请检查 ${BASE_URL_SETTING}。`,
  http5xx: (host, status, send) => `${host} 返回 HTTP ${status}（服务器或网关故障；微信自己总是以 200 加 errcode 应答）。请稍后重试，或检查 ${BASE_URL_SETTING}。${send ? MAYBE_DELIVERED : ''}`,
  httpOther: (host, status, route) => `${host} 对 ${route} 返回 HTTP ${status}：应答的不是微信接口。请检查 ${BASE_URL_SETTING}。没有送达任何内容。`,
  notJson: (host, status, type, bytes) => `${host} 的应答不是 JSON（HTTP ${status}，${type}，${bytes} 字节）：不是微信接口的应答。请检查 ${BASE_URL_SETTING}。`,
  notObject: (host) => `${host} 的应答是 JSON，但不是对象：不是微信接口的应答。请检查 ${BASE_URL_SETTING}。`,
  maybeDelivered: MAYBE_DELIVERED,
  notAFile: (name) => `${name} 不是文件`,
  cannotRead: (name, code) => `无法读取 ${name}：${code}`,
  imageTooLarge: (name, mb) => `${name} 有 ${mb} MB；发给微信的图片不能超过 10 MB。没有上传任何内容。`,
  imageEmpty: (name) => `${name} 是空文件。没有上传任何内容。`,
  notAnImage: (name) => `${name} 不是 JPEG、PNG 或 GIF 图片。没有上传任何内容。`,
  baseEmpty: (real) => `接口地址为空；请把 ${BASE_URL_SETTING} 设为一个 URL（微信正式接口是 ${real}），或不设置它`,
  baseNotUrl: (text, real) => `接口地址 "${text}" 不是 URL；请把 ${BASE_URL_SETTING} 设为如 ${real} 这样的地址`,
  baseUserInfo: '接口地址不能包含用户名或密码；请检查 wxmsg.api.baseUrl（命令行：--api-base 或 WXMSG_API_BASE）',
  baseQuery: '接口地址不能包含查询参数或片段（? 或 #）；请检查 wxmsg.api.baseUrl（命令行：--api-base 或 WXMSG_API_BASE）',
  basePlainHttp: (host) => `拒绝以明文 http 连接 ${host}：http 只允许用于本机（127.0.0.1、localhost、[::1]，例如模拟器）；请改用 https，或修改 ${BASE_URL_SETTING}`,
  baseScheme: (protocol) => `接口地址必须以 https:// 开头（http:// 仅限本机回环地址），而不是 ${protocol}//；请检查 ${BASE_URL_SETTING}`,
  proxyNotUrl: (source, value) => `${source} 不是代理地址："${value}"（应形如 http://proxy.example.com:3128 或 socks5://127.0.0.1:1080）`,
  proxyScheme: (source, scheme) => `${source} 使用了 wxmsg 不支持的代理协议 ${scheme}://（请用 http://、https://、socks5:// 或 socks5h://）`,
  proxyNoHost: (source, value) => `${source} 没有指定代理主机："${value}"`,
  proxyPath: (source, shown) => `${source} 必须是不带路径和查询参数的代理地址（"${shown}"）`,
  allowedHostsSetting: 'WXMSG_ALLOWED_HOSTS（VS Code 中为机器级设置 wxmsg.api.allowedHosts）',
  hostNotUrl: (what, shown) => `${what} "${shown}" 不是 URL`,
  hostUserInfo: (what) => `${what} 不能包含用户名或密码`,
  hostScheme: (what, protocol, host) => `${what} 必须是 https（明文 http 只允许 127.0.0.1、localhost 和 [::1]），而不是 ${protocol}//${host}`,
  hostNotAllowed: (what, host, official, setting) => `${what} 指向 ${host}，它既不是微信官方 API 域名（${official.join('、')}），也不是本机，也不在你的允许列表中：拒绝向它发送密钥或 token。如果你信任它，请把 ${host} 加入 ${setting}；项目文件无法替你这样做`,
  cmdNotFound: (shown, cwd) => `找不到 token-command ${shown}（它在 ${cwd} 中运行，不经过 shell）`,
  cmdDenied: (shown) => `无法运行 token-command ${shown}（权限不足）`,
  cmdTooMuch: (shown, max) => `token-command ${shown} 输出超过 ${max} 字节：不是 token`,
  cmdTimeout: (shown, s) => `token-command ${shown} 未在 ${s} 秒内结束，已被终止`,
  cmdFailed: (shown, code) => `token-command ${shown} 运行失败（退出码 ${code}）；其输出不予显示`,
  cmdNothing: (shown) => `token-command ${shown} 没有输出：没有 token`,
  cmdWords: (shown) => `token-command ${shown} 输出了不止一个词：请只输出 access_token（输出不予显示）`,
  cmdShort: (shown, length) => `token-command ${shown} 输出了 ${length} 个字符：真正的 access_token 有 100 个以上（输出不予显示）`,
  svcUnreachable: (host, code) => `无法连接 token 服务 ${host}（${code ?? '网络错误'}）`,
  svcTooMuch: (host, max) => `token 服务 ${host} 的应答超过 ${max} 字节：不是 token 应答`,
  svcBroke: (host) => `token 服务 ${host} 的应答中途断开`,
  svcHttp: (host, status, header) => `token 服务 ${host} 应答 HTTP ${status}${header ? `（请检查 ${header} 的取值）` : ''}；应答内容不予显示`,
  svcNotJson: (host, expected) => `token 服务 ${host} 的应答不是 JSON（应为 ${expected}）`,
  svcNoToken: (host, expected) => `token 服务 ${host} 的应答中没有 "access_token"（应为 ${expected}）`,
  svcShort: (host, length) => `token 服务 ${host} 返回的 access_token 只有 ${length} 个字符：真正的有 100 个以上（不予显示）`,
  openIdShape: (shown, length) => `"${shown}" 看起来不像本小程序的 OpenID：OpenID 由 28 个 A-Z、a-z、0-9、_ 和 - 组成（这个有 ${length} 个字符）。`,
  openIdPrefix: (shown, head) => `"${shown}" 看起来不像本小程序的 OpenID：本小程序测试用户的 OpenID 都以 "${head}" 开头（不同 appid 的 OpenID 不同）。`,
  templateErrors: (count) => `模板有 ${count} 个错误；请修正后再发送`,
  missingVariables: (names, _count, flags) => `没有变量 ${names} 的值：请用 ${flags} 提供（或用 --vars、配置档的 vars、模板旁的 *.vars.json，或 {{name|default}} 默认值）`,
  placeholder: (key, value) => `${key} 仍是占位符 ${value}`,
  placeholders: (fields) => `${fields.join('；')}：请先上传图片（在 VS Code 中运行命令“微信: 上传图片…”，或运行 wxmsg upload <image>），再把它输出的 media_id 填进模板`,
  notAnObject: '模板不是 JSON 对象',
  cannotRecord: (dir, why) => `无法在 ${dir} 记录强制刷新 access_token 的时间（${why}）；继续执行，但其他 wxmsg 进程可能在 30 秒内再次强制刷新。请将 WXMSG_CACHE_DIR 设为可写的文件夹。`,
};

export const recipient: CliCatalog['recipient'] = {
  openIdEmpty: 'OpenID 为空',
  openIdChars: 'OpenID 只能包含字母、数字、"_" 和 "-"（实际为 28 个字符）',
};

export const push: CliCatalog['push'] = {
  reasons: {
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
  noAnswer: (seconds) => `${seconds} 秒内没有回包`,
  cannotConnect: (error) => `无法连接（${error}）`,
  verifyPassed: (ms) => `URL 校验通过：服务器原样返回了 echostr（${ms} ms）`,
  verifyWrongEcho: (what, echostr, whitespace) => `URL 校验失败：服务器返回 ${what}，而不是 echostr ${echostr}${whitespace ? '（多了空白字符：必须原样返回）' : ''}`,
  verifyFailed: (why) => `URL 校验失败：${why}`,
  attempt: (n, of, what) => `第 ${n}/${of} 次：${what}`,
  handled: (empty) => `已接受：服务器回复了${empty ? '空串' : ' "success"'}`,
  transfer: (note) => `已接受：transfer_customer_service，微信把这条消息转给网页版客服工具${note ? `（注意：${note}）` : ''}`,
  tries: (count) => `，共试了 ${count} 次`,
  refused: (why, userSees) => `未通过：${why}。用户会看到“${userSees}”`,
  labels: { verify: '校验', push: '推送', body: '包体', message: '明文', answer: '回包', reply: '回包明文', verdict: '结论' },
  modes: { plain: '明文模式', compat: '兼容模式', safe: '安全模式' },
  noPush: '未推送消息：URL 校验没有通过（微信不会保存这个配置）',
  unknownFormat: (format) => `没有 "${format}" 这种格式（可用 text 或 json）`,
  oneKind: (kinds, count) => `push 只接受一种消息类型：${kinds}（收到 ${count} 个）`,
  unknownKind: (kind, kinds) => `没有 "${kind}" 这种推送：可用 ${kinds}`,
  urlRequired: '缺少 --url：你的服务器的消息推送地址（如 http://127.0.0.1:8701/wechat）',
  timeout: (value) => `--timeout 需要 1 到 600000 之间的毫秒数，而不是 "${value}"`,
  appid: (value) => `--appid 需要小程序的 appid："wx" 加 16 位十六进制数字，而不是 "${value}"`,
  needsValue: (flag) => `${flag} 需要一个值`,
  format: (flag, value) => `${flag} 只能是 xml 或 json，而不是 "${value}"`,
  tokenUnset: (env) => `没有设置 ${env}：每次推送都要用消息推送配置中的令牌（Token，3 到 32 位字母或数字）签名`,
  tokenShape: (env, length, other) => `${env} 必须是 3 到 32 位字母或数字，与管理后台的要求一致（它有 ${length} 个字符${other ? '，其中有非字母数字的字符' : ''}）`,
  keyShape: (env, length, other) => `${env}：EncodingAESKey 必须恰好是 43 个 A-Z、a-z、0-9 字符（base64）${length !== 43 ? `；它有 ${length} 个` : ''}${other ? '；其中有其他字符' : ''}`,
  mode: (flag, value) => `${flag} 只能是 plain、compat 或 safe，而不是 "${value}"`,
  modeNeedsKey: (mode, env, flag) => `${mode} 模式会加密每次推送：请把 ${env} 设为 43 位的 EncodingAESKey（或使用 ${flag} plain）`,
  urlNotUrl: (flag, shown) => `${flag} "${shown}" 不是 URL（如 http://127.0.0.1:8701/wechat）`,
  urlScheme: (flag, protocol) => `${flag} 必须以 http:// 或 https:// 开头，而不是 ${protocol}//`,
  urlUserInfo: (flag) => `${flag} 不能包含用户名或密码`,
  urlHash: (flag) => `${flag} 不能包含 #片段`,
  urlRemote: (flag, host, allowFlag) => `${flag} 指向 ${host}，不是本机：推送只发往本机回环地址（127.0.0.1、localhost、[::1]），除非加上 ${allowFlag}`,
};

export const demo: CliCatalog['demo'] = {
  oneFolder: (count) => `demo 最多接受一个文件夹（收到 ${count} 个）`,
  noFolder: (dir) => `没有文件夹 ${dir}`,
  intro: 'wxmsg demo：在本机的微信接口模拟器上走一遍（无需账号，数据不出本机）',
  simulator: (url) => `1. 模拟器     ${url}（在本进程中运行，结束时停止）`,
  app: (appid, from, pages, secret) => `   小程序 ${appid}${from ? `（来自 ${from}）` : ''}${pages !== undefined ? `，app.json 中有 ${pages} 个页面` : ''}，测试用 AppSecret "${secret}"`,
  rule: (line) => `   规则：${line}`,
  folderUnreadable: (folder, reason) => `无法读取文件夹 ${folder}（${reason}）：其中的模板没有检查`,
  lint: (files, dir, errors, others) => `2. 检查       ${dir} 下共 ${files} 个模板：${errors + others ? `${errors} 个错误，${others} 个警告或提示` : '没有问题'}`,
  noTemplates: (dir) => `${dir} 下没有 *.wxmsg.json 模板：没有可发送的内容`,
  hasErrors: (dir) => `模板有错误：请先修正（wxmsg lint ${dir}），再重新运行`,
  uploaded: (image, mediaId) => `3. 上传       ${image} → media_id ${mediaId}…（临时素材：3 天有效）`,
  uploadFailed: (image, why) => `3. 上传       ${image} ✖ ${why}`,
  uploadUnexpected: (image, why) => `上传 ${image}：${why}`,
  noImage: (dir) => `3. 上传       ${dir} 下没有图片：图片和卡片模板保留原来的 media_id（模拟器会返回 40007）`,
  sendHeader: (max, window) => `4. 发送       把每个模板发给一位刚发过消息的用户（${window}内可下发 ${max} 条）`,
  cannotRead: (file) => `${file} 无法作为模板读取`,
  mediaNote: (field) => `（${field} ← 刚上传的图片）`,
  quotaHeader: (file, count, to, max, window) => `5. 条数限制   把 ${file} 向 ${to} 发 ${count} 次，该用户从客服按钮进入会话（${window}内可下发 ${max} 条）：最后一条会被有意拒绝`,
  expected: (k, count, errcode) => `   ✖ ${k}/${count}  errcode ${errcode}（符合预期），按 wxmsg 的错误码表解读：`,
  rid: (rid) => `        rid：${rid}（联系微信技术支持时请提供）`,
  notExpected: (k, count, outcome) => `   ✖ ${k}/${count}  ${outcome}（预期为 errcode 45047）`,
  quotaStep: (k, outcome) => `条数限制第 ${k} 步：${outcome}`,
  quotaStepNot: (k, outcome) => `条数限制第 ${k} 步：${outcome}，预期为 errcode 45047`,
  pushHeader: (to) => `6. 消息推送   把 ${to} 发来的一条消息推送给 examples/push-server（JSON，安全模式：签名并加密）`,
  pushed: (verdict, ms, tries) => `文本 "你好" → ${verdict}（${ms} ms，共 ${tries} 次）`,
  pushProblem: (what) => `消息推送：${what}`,
  noPushRecord: (status) => `消息推送：模拟器返回 ${status}，但没有推送`,
  noReply: (log) => `消息推送：示例服务器没有通过 custom/send 回复（${log}）`,
  replied: (text) => `   ✔ 服务器通过 custom/send 回复了："${text}" errcode 0（GET /_sim/pushes 可查看双方记录）`,
  deliveries: (recorded, seen) => `模拟器记录了 ${recorded} 次下发，客户端看到 ${seen} 次`,
  summary: (files, uploaded, delivered, recorded) => `小结：${files} 个模板检查无错误，${uploaded ? '上传 1 张图片，' : ''}下发 ${delivered} 条消息（模拟器记录 ${recorded} 条）`,
  refusedAsDesigned: (description) => `，1 条按设计被拒绝（errcode 45047 ${description}）。`,
  notRefused: '。',
  notAsDesigned: '演示没有按设计进行：',
  next: (dir) => `下一步：wxmsg simulate --project ${dir} 可让模拟器持续运行；向它发送：`,
  openInVsCode: (dir) => `在装有本扩展的 VS Code 中打开 ${dir}，可看到诊断、悬停提示，并使用命令“微信: 发送到 OpenID…”。`,
  apiError: (errcode, description) => `微信返回 errcode ${errcode} ${description}`,
  sent: '已发送',
};

export const simulate: CliCatalog['simulate'] = {
  duration: (flag, text) => `${flag} 需要带单位的时长，从 1ms 到 366d（如 60s、48h），而不是 "${text}"`,
  count: (flag, what, min, max, text) => `${flag} 需要 ${min} 到 ${max} 之间的${({ count: '次数', messages: '消息条数', seconds: '秒数', ms: '毫秒数' })[what]}，而不是 "${text}"`,
  port: (text) => `--port 需要 0 到 65535 之间的数字，而不是 "${text}"`,
  mapped: (host) => `--host ${host} 是 IPv4 映射的 IPv6 地址，模拟器不在其上监听：请用 --host 127.0.0.1（IPv6 用 ::1）`,
  loopback: '--host 必须是本机回环地址（127.0.0.1、::1、localhost）：模拟器从不对外网开放',
  appid: (value) => `--appid 需要小程序的 appid："wx" 加 16 位十六进制数字，而不是 "${value}"`,
  secretTwice: '模拟器的 AppSecret 只能给一次：用 WXMSG_SIM_SECRET（推荐）或 --secret，不能同时用',
  secretEmpty: (name) => `${name} 为空：请给它一个值，或不设置以使用测试密钥`,
  secretShape: (name) => `${name} 必须是 1 到 256 个不含空格的可打印字符`,
  noProject: (dir) => `在 ${dir} 及其上级目录中没有 project.config.json`,
  needsPushUrl: (flag) => `${flag} 需要与 --push-url 一起使用`,
  cannotListen: (where, why) => `无法在 ${where} 上监听：${why}`,
  portInUse: '端口已被占用（可试试 --port 0）',
  listening: (url) => `wxmsg 模拟器正在监听 ${url}`,
  secretGiven: (name) => `AppSecret 由 ${name} 提供（不显示）`,
  secretTest: (secret) => `模拟器专用 AppSecret：${secret}`,
  app: (appid, secret, pages) => `  小程序   ${appid}（${secret}）${pages !== undefined ? `，app.json 中有 ${pages} 个页面` : ''}`,
  users: (ids) => `  用户     ${ids}（刚发过消息）`,
  moreUsers: (entered, stale, silent) => `           ${entered}（首次发送时从客服按钮进入：此后 1 分钟内可下发 2 条），${stale}（45015），${silent}（45015）`,
  rules: (rules, changed) => `  规则     ${rules}${changed ? '（已由参数修改）' : ''}`,
  ttl: (seconds) => `  令牌     access_token ${seconds} 秒后过期`,
  forcePerDay: (count) => `  令牌     每天可强制刷新 stable_token ${count} 次，之后返回 45009`,
  try: (command) => `  试试     ${command}`,
  control: (url) => `  控制     ${url}`,
  push: (format, mode, url, tokenEnv, keyEnv) => `  推送     ${format}，${({ plain: '明文', compat: '兼容', safe: '安全' } as Record<string, string>)[mode] ?? mode}模式 → ${url}（Token 来自 ${tokenEnv}${keyEnv ? `，密钥来自 ${keyEnv}` : ''}；不显示）`,
  user: (command) => `  用户     ${command}`,
  verify: (line) => `  校验     ${line}`,
  ruleSeparator: '；',
};

export const sim: CliCatalog['sim'] = {
  request: (method, path, force, status, errcode, fault) => `${method} ${path}${force ? '（强制刷新）' : ''} → ${status}${errcode !== undefined ? ` errcode ${errcode}` : ''}${fault ? ` [注入故障 ${fault}]` : ''}`,
  refused: (method, path, status, why) => `${method} ${path} → ${status} 已拒绝：${why}`,
  push: (kind, url, verdict) => `推送 ${kind} → ${url}：${verdict}`,
  wrongHost: (allowed, host) => `模拟器只响应 Host 为 ${allowed}、127.0.0.1 或 [::1]（带其端口）的请求，而不是 ${host}`,
  otherOrigin: '控制接口拒绝来自其他源（origin）的请求',
  crossSite: '控制接口拒绝跨站请求',
  contentType: '控制接口的 POST 请求需要请求头 content-type: application/json',
};

export const history: CliCatalog['history'] = {
  unknownFormat: (format) => `没有 "${format}" 这种格式（可用 text 或 json）`,
  limit: (value) => `--limit 需要大于 0 的整数，而不是 "${value}"`,
  noProjectFile: (file, dir) => `在 ${dir} 及其上级目录中没有 ${file}：只有它设置了 "history": {"file": "…"} 时才会记录发送历史`,
  noHistoryFile: (file) => `${file} 没有设置 "history": {"file": "…"}：不会记录发送（发送历史需主动开启）`,
  cannotRead: (file, why) => `无法读取 ${file}：${why}`,
  nothingIn: (file) => `${file} 中还没有发送记录。`,
  nothing: '还没有发送记录。',
  badLine: (where) => `${where}：不是发送记录（已跳过）`,
  profile: (name) => `配置档 ${name}`,
};

export const help: CliCatalog['help'] = {
  main: (a) => `wxmsg ${a.version} — 微信小程序客服消息模板工具

用法：wxmsg <command> [选项]
      wxmsg --stdio | --node-ipc     启动语言服务器

命令：
${a.commands}

运行 "wxmsg <command> --help" 查看命令的选项。
`,
  summaries: {
    lint: '检查 *.wxmsg.json 模板（默认命令）',
    send: '把模板发给测试用户或 OpenID（使用配置档、WXMSG_APPSECRET 或 WXMSG_ACCESS_TOKEN）',
    upload: '上传图片并输出其 media_id（3 天后过期）',
    simulate: '在本机运行假的微信接口，用于试用 send/upload（--push-url：向你的服务器推送消息）',
    typing: '向用户显示或取消“正在输入”（setTyping：wxmsg typing --to <openid> on|off）',
    media: '下载临时素材（getTempMedia：wxmsg media get <media_id> [-o file]）',
    push: '对你的服务器演练一次微信消息推送（URL 校验 + 签名/加密的 POST）',
    allow: '允许 send 运行本项目 wxmsg.config.json 中的 token-command（类似 direnv allow）',
    preview: '按微信中的显示效果生成模板的静态 HTML 预览（--out <dir>）',
    history: '按从新到旧输出 wxmsg.config.json 的 history.file 中记录的发送，含 rid',
    demo: '在模拟器上走一遍：检查、上传、逐个发送模板、解读一次被拒绝的发送（npm start）',
  },
  lint: (a) => `用法：wxmsg lint [选项] [路径或 glob...]

检查微信小程序客服消息模板（*.wxmsg.json）。
不给路径时，检查当前文件夹下所有 *.wxmsg.json（跳过 node_modules 和 .git）。
最近的 wxmsg.config.json（存放配置档的项目文件）也会检查：包括其中的错误，
以及任何看起来像密钥的值（wxmsg/secret-in-config）。

选项：
  --appid <id>          小程序的 appid（默认取最近的 project.config.json）
  --format <name>       stylish（默认）、json、github、sarif
  --max-warnings <n>    警告超过 n 个时以 1 退出
  --quiet               只报告错误
  --locale <tag>        en 或 zh-CN（默认依次看 WXMSG_LOCALE、LC_ALL、LC_MESSAGES、LANG）
  --concurrency <n>     检查用的线程："off"（默认，单线程）、一个数字，或 "auto"
                        （文件达到 ${a.parallelMin} 个且有 3 个以上 CPU 核心时使用工作线程）
  --ignore <glob>       跳过匹配的文件和文件夹（遍历文件夹或 glob 时生效，可重复）；
                        不含斜杠时匹配任意位置的名称
  --media-ledger        同时按素材台账（.wxmsg/media.json）检查 media_id：
                        属于其他 appid（错误）、超过 3 天（警告）、未知（信息）
  -h, --help            显示本帮助
  -v, --version         显示版本

被检查路径下无法读取的文件夹（权限不足、路径过长、遍历时被删除）是错误，绝不会被
悄悄跳过；无法读取的模板是 wxmsg/unreadable-file 错误。需要有意跳过时请用 --ignore。

退出码：0 没有错误；1 有检查错误（或警告过多）；2 用法或内部错误、路径或 glob 没有匹配
到任何文件，或有文件夹无法读取。使用 --format json 时，用法错误以 JSON 对象输出到 stdout：
{"status":"error","error":{"kind":"usage","message":…}}。
`,
  send: () => `用法：wxmsg send <file> --to <alias|openid> [--profile <name>] [选项]

通过微信客服消息接口（POST /cgi-bin/message/custom/send）把一个 *.wxmsg.json 模板发给
一位用户。先校验模板（有错误则不发送），去掉注释，并用 --to 替换 "touser"。

凭据只从环境变量读取（从不通过参数，以免留在 shell 历史中）：
  WXMSG_APPSECRET       小程序的 AppSecret；wxmsg 通过 cgi-bin/stable_token 获取 access_token
                        （不会使你们服务器持有的 token 失效），并且只保存在内存中
  WXMSG_ACCESS_TOKEN    或统一签发的现成 access_token（原样使用，从不刷新）
  WXMSG_API_BASE        接口地址（同 --api-base）；设置了但为空是错误
  WXMSG_PROFILE         要使用的 wxmsg.config.json 配置档（同 --profile）
  WXMSG_ALLOWED_HOSTS   除微信官方 API 域名和本机外，配置档可以发送密钥的主机
                        （逗号分隔，host、host:port 或 *.suffix）
  WXMSG_ALLOW_TOKEN_COMMAND=1  不经 "wxmsg allow" 直接运行配置档的 token-command（CI）
  WXMSG_CACHE_DIR       每个 appid 上次强制刷新 token 的时间保存在哪里
                        （默认 $XDG_CACHE_HOME/wxmsg，否则为 ~/.cache/wxmsg、~/Library/Caches/wxmsg
                        或 %LOCALAPPDATA%\\wxmsg）；只有时间戳和哈希，从不含 token

代理（选择方式与 curl 相同；127.0.0.1、localhost 和 [::1] 从不走代理）：
  HTTPS_PROXY           https 请求的代理（http://、https://、socks5:// 或 socks5h://host:port）
  ALL_PROXY             未设置 HTTPS_PROXY 时使用
  NO_PROXY              直连的主机：名称（含其子域名）、host:port、IP 地址或 CIDR 网段，
                        逗号分隔；* 表示全部
  小写的变量名同样有效（且优先）。token 和消息经加密隧道传输：代理只能看到主机名。
  总是校验接口的证书（Node 的 CA 列表加上 NODE_EXTRA_CA_CERTS）。

少于 16 个字符的 AppSecret 或 access_token 会被拒绝（真实的分别有 32 个和 100 个以上）。
NODE_DEBUG 中含有 undici、fetch、http、net 或 tls 时 Node 会打印 token：wxmsg 会去掉这些名称
重新运行自己（NODE_DEBUG 中同时含有 child_process 时则拒绝运行）。

配置档（wxmsg.config.json，从模板所在文件夹向上查找；见 README 的“Teams”）：
  参数 > WXMSG_* 环境变量 > 配置档 > project.config.json。WXMSG_ACCESS_TOKEN 优先于配置档的
  token 来源。配置档的 apiBase 和 token-url 必须是微信官方 API 域名（api、api2、sh.api、
  sz.api、hk.api .weixin.qq.com）、本机，或在 WXMSG_ALLOWED_HOSTS 中；token-command 只有在
  "wxmsg allow" 之后才会运行；标记为生产环境的配置档需要 --yes。看起来不像本小程序的
  OpenID（28 个字符、测试用户的共同前缀）会先给出警告再发送。

选项：
  --to <alias|openid>     配置档中的测试用户，或接收者的 OpenID（必须属于这个 appid）
  --profile <name>        wxmsg.config.json 中的配置档（默认为其 defaultProfile）
  --appid <id>            小程序的 appid（默认取最近的 project.config.json）
  --api-base <url>        默认 https://api.weixin.qq.com；明文 http 只允许 127.0.0.1、
                          localhost 和 [::1]（例如模拟器：wxmsg simulate）
  --timeout <ms>          每个请求的超时（等待应答的时间，以及应答分块之间的间隔）；默认 10000
  --token-endpoint <name> stable（默认）或 token（cgi-bin/token：会使其他服务器持有的 token
                          失效；会请你确认，不在终端中运行时需要 --yes）
  -y, --yes               不询问，直接确认 --token-endpoint token；向生产环境配置档发送
                          也需要它
  --format <name>         text（默认）或 json（用法和凭据错误也以 JSON 错误对象输出到 stdout）
  --locale <tag>          en 或 zh-CN（输出的文字、模板错误和错误码解读）
  --var <name=value>      模板变量 {{name}} 的值（可重复）
  --vars <file.json>      从 JSON 对象文件读取变量值（{"name": "value", …}）
  -h, --help              显示本帮助

模板变量（{{name}}、{{name|default}}）依次从 --var、--vars、配置档的 "vars"
（wxmsg.config.json）、模板的 *.vars.json（welcome.wxmsg.json → welcome.vars.json）取值，
最后取默认值。值被填入解析后的字符串（引号和反斜杠都是安全的），填入后所有规则会对消息
再检查一遍。没有值的变量会拒绝发送（退出码 2）并列出其名称。

发送历史：当 wxmsg.config.json（模板向上最近的一个）设置了 "history": {"file": "…"} 时，
每次发送都会在其中追加一行 JSON（时间、appid、脱敏后的 OpenID、模板、消息体哈希、errcode、
errmsg、rid、耗时；从不含 token 或密钥）。用 wxmsg history 查看。

微信返回 errcode -1（系统繁忙）时重试两次；40001/42001/40014 会获取新的 token 并重试一次：
先以普通模式调用 stable_token，只有它返回的仍是被拒绝的 token 时才 force_refresh，且同一
appid 30 秒内不会强制刷新两次（跨 wxmsg 进程和扩展）。超时或连接断开从不重试：此时无法
确定是否送达。

退出码：0 已发送（errcode 0）；1 模板有错误或微信接口返回错误；
        2 用法、凭据或网络错误（包括“不确定是否送达”）。
`,
  upload: (a) => `用法：wxmsg upload <image> [选项]

把图片上传为临时素材（POST /cgi-bin/media/upload?type=image）并输出其 media_id，
用于 "image.media_id" 或 "miniprogrampage.thumb_media_id"。
临时素材 3 天后过期。每次上传都会记录到素材台账 .wxmsg/media.json（appid、media_id、
源文件路径、sha256、时间；从不记录 token），位于从当前位置到小程序项目文件夹之间最近的
含 .wxmsg/ 的文件夹中。支持 JPEG、PNG 或 GIF，最大 ${a.maxMb} MB（发送前即检查）。

凭据：环境变量 WXMSG_APPSECRET 或 WXMSG_ACCESS_TOKEN（见 wxmsg send --help）。

选项：
  --appid <id>            小程序的 appid（默认取最近的 project.config.json）
  --api-base <url>        默认 https://api.weixin.qq.com（或 WXMSG_API_BASE）；明文 http 仅限本机
  --timeout <ms>          每个请求的超时；默认 10000
  --token-endpoint <name> stable（默认）或 token（cgi-bin/token：会使其他服务器持有的 token
                          失效；会请你确认，不在终端中运行时需要 --yes）
  -y, --yes               不询问，直接确认 --token-endpoint token
  --format <name>         text（默认：stdout 只输出 media_id）或 json
  --locale <tag>          en 或 zh-CN
  -h, --help              显示本帮助

退出码：0 已上传；1 微信接口返回错误；2 用法、文件、凭据或网络错误。
`,
  simulate: (a) => `用法：wxmsg simulate [选项]

在本机运行一个假的微信接口（stable_token、token、custom/send、media/upload），只监听本机，
支持注入故障，用于试用 wxmsg send / upload 和测试。把 --api-base（或 wxmsg.api.baseUrl）
指向输出的地址即可。切勿给它真实的 AppSecret。

默认：小程序 ${a.appid}，测试用 AppSecret "${a.secret}"；
用户 ${a.ready}（刚发过消息），
${a.entered}（首次发送时从客服按钮进入会话：
此后 1 分钟内可下发 2 条），
${a.stale}（49 小时前发过最后一条消息）和 ${a.silent}（从未发过消息）。
下发规则：${a.rules}。
图片和 thumb_media_id 只接受它签发的 media_id（media/upload，3 天有效）。

选项：
  --port <n>                      端口（默认 ${a.port}；0 表示任选空闲端口）
  --host <addr>                   监听的本机回环地址（默认 127.0.0.1；也可用 ::1 和 localhost；
                                  拒绝 IPv4 映射地址 ::ffff:127.0.0.1：请用 127.0.0.1）
  --appid <id>                    默认小程序的 appid（wx 加 16 位十六进制数字；默认 ${a.appid}，
                                  或 --project 中的 appid）
  --secret <s>                    默认小程序的 AppSecret（默认为上面的测试密钥）；建议改用
                                  WXMSG_SIM_SECRET 环境变量（argv 会出现在 ps 中）；从不回显。
                                  请用编造的值，切勿使用真实的 AppSecret
  --project <dir>                 从这个小程序项目读取默认小程序的 appid 和 app.json 中的页面
                                  （未知的 pagepath 会返回 errcode 40165）
  --quota-enter-session <n>       用户从客服按钮进入会话后可下发的条数（默认 ${a.enterMax}）
  --window-enter-session <time>   可下发的时长（默认 ${a.enterWindow}：60s）
  --quota-user-message <n>        用户发消息后可下发的条数（默认 ${a.userMax}）
  --window-user-message <time>    可下发的时长（默认 ${a.userWindow}：48h）
                                  <time> 是带单位的数字：ms、s、m、h 或 d（如 90s、48h）
  --token-ttl <seconds>           签发的 access_token 的有效期（默认 ${a.ttl}）；过期后返回 errcode 42001。
                                  stable_token（普通模式）在过期前 5 分钟（有效期更短时为一半）
                                  下发新的 token；其间新旧 token 都有效
  --force-refresh-per-day <n>     每个小程序每天可强制刷新 stable_token 的次数（默认
                                  ${a.forcePerDay}，与微信一致；按北京时间计日）；之后返回 errcode 45009。
                                  30 秒内再次强制刷新返回同一个 token
  --push-url <url>                像微信的消息推送那样，把用户行为推送给你的服务器
                                  （启动时做 URL 校验；需要环境变量 ${a.tokenEnv}）
  --push-format <f>               json（默认）或 xml
  --push-mode <m>                 plain、compat 或 safe（默认：设置了 ${a.keyEnv} 时为 safe，否则为 plain）
  --push-allow-remote             允许不在本机上的推送地址
  --push-timeout <ms>             每次尝试的超时（默认 5000，与微信的 5 秒一致；共 3 次）
  --quiet                         不记录请求日志（日志写到 stderr，不含 token）
  --locale <tag>                  en 或 zh-CN（启动信息和请求日志）
  -h, --help                      显示本帮助

环境变量：
  WXMSG_SIM_SECRET                默认小程序的 AppSecret（比 --secret 更推荐；两者不能同时用）

下发规则的默认值是当前的官方数值，来自 wxmsg 共用的同一张表
（server/src/core/facts/deliveryRules.ts）；上述参数只改变这个模拟器的规则。

控制接口（JSON；/__sim/ 是 /_sim/ 的别名）：/_sim/state、/_sim/reset、/_sim/apps、
/_sim/users、/_sim/users/<openid>/message、/_sim/users/<openid>/enter、/_sim/faults、
/_sim/tokens/expire、/_sim/tokens、/_sim/delivered、/_sim/requests、/_sim/media、/_sim/clock、
/_sim/rules、/_sim/push/verify、/_sim/pushes（见 README 的“The simulator”和
“Test your message handler locally”）。POST 请求需要 content-type: application/json。
它只响应 Host 为 127.0.0.1、localhost 或 [::1]（带其端口）的请求，日志有上限。
按 Ctrl+C（SIGINT）或发送 SIGTERM 停止。
`,
  typing: () => `用法：wxmsg typing --to <openid> on|off [选项]

在客服会话中向用户显示（on）或取消（off）“正在输入”：即 setTyping，
POST /cgi-bin/message/custom/typing，command 为 Typing 或 CancelTyping。状态持续 15 秒，
或直到下发一条消息。除非最近 30 秒内与该用户有过消息往来，否则微信返回 45080；
已在输入状态时返回 45081；command 不正确时返回 45072。

凭据和选项与 wxmsg send 相同（WXMSG_APPSECRET 或 WXMSG_ACCESS_TOKEN；--appid、
--api-base、--timeout、--token-endpoint、--format text|json、--locale）。

退出码：0 完成；1 微信接口返回错误；2 用法、凭据或网络错误。
`,
  media: () => `用法：wxmsg media get <media_id> [-o <file>] [选项]

下载临时素材（getTempMedia：GET /cgi-bin/media/get?media_id=…），例如用户发来的图片的
MediaId。不给 -o 时，文件以服务器给出的文件名写到当前文件夹（没有则为 <media_id>.<ext>）。
未知或已过期的 media_id（临时素材有效期 3 天）返回 errcode 40007。
media_id 可能以 "-" 开头：请把它放在最后、"--" 之后（wxmsg media get -o back.png -- -Ux3…）。

凭据和选项与 wxmsg send 相同（WXMSG_APPSECRET 或 WXMSG_ACCESS_TOKEN；--appid、
--api-base、--timeout、--token-endpoint、--format text|json、--locale）。

退出码：0 已下载；1 微信接口返回错误；2 用法、文件、凭据或网络错误。
`,
  push: (a) => `用法：wxmsg push <text|image|miniprogrampage|enter> --url <url> [选项]

不借助模拟器，对你自己的服务器完整演练一次微信消息推送：先做 URL 校验（带 signature、
timestamp、nonce 和 echostr 的 GET：服务器必须原样返回 echostr），再发送一条签名的（兼容/
安全模式下加密的）POST，内容是一条客服消息或 user_enter_tempsession 事件。输出发送的内容
（从不包含令牌 Token 或密钥）、服务器的回包和结论。适合开发者的 CI。

密钥只从环境变量读取：
  ${a.tokenEnv}      消息推送配置中的令牌（Token）（必填；3 到 32 位字母或数字）
  ${a.keyEnv}    消息加密密钥 EncodingAESKey（43 个字符；兼容和安全模式需要）

选项：
  --url <url>              服务器的消息推送地址（除非加 --push-allow-remote，只能是本机）
  --push-format <f>        json（默认）或 xml，与管理后台中的设置一致
  --push-mode <m>          plain、compat 或 safe（默认：设置了 ${a.keyEnv} 时为 safe，否则为 plain）
  --push-allow-remote      允许不在本机上的地址
  --appid <id>             加密进消息的 appid（默认 ${a.appid}）
  --openid <id>            用户，即 FromUserName（默认 ${a.openid}）
  --to-user-name <gh_id>   小程序的原始 ID，即 ToUserName（默认 ${a.originalId}）
  --content <text>         text：消息内容（默认 你好）；enter：SessionFrom
  --title <t> --pagepath <p> --thumb-url <u> --thumb-media-id <id>   miniprogrampage 的字段
  --media-id <id> --pic-url <u>   image 的字段（默认：编造的值）
  --skip-verify            不先做 URL 校验
  --timeout <ms>           每个请求的超时（默认 ${a.timeoutMs}，与微信的 5 秒一致）
  --format <name>          text（默认）或 json
  --locale <tag>           en 或 zh-CN
  -h, --help               显示本帮助

退出码：0 服务器接受了推送（"success"、空串或 transfer_customer_service）；
        1 echostr 不对、回包错误、超时或 5xx；
        2 用法错误，或地址无法连接。
`,
  allow: (a) => `用法：wxmsg allow [path] [--revoke]

允许 "wxmsg send" 运行项目 ${a.configFile} 中的 token-command（类似 direnv allow）。
请先阅读这些命令：它们会以你的环境在你的机器上运行。wxmsg 把文件路径和每条命令的哈希
记录在你的配置文件夹中（$XDG_CONFIG_HOME/wxmsg，否则为 ~/.config/wxmsg、
~/Library/Application Support/wxmsg 或 %APPDATA%\\wxmsg；可用 WXMSG_CONFIG_DIR 覆盖），
从不记录在项目里。命令改变后需要重新 allow。
也可以设置 ${a.allowEnv}=1，只对这一次运行放行（适用于 CI 任务）。

  path        项目文件或其所在文件夹（默认：向上查找最近的 ${a.configFile}）
  --revoke    撤销对该文件的允许
  -h, --help  显示本帮助

退出码：0 已记录；2 没有项目文件、项目文件无效，或用法错误。
`,
  preview: () => `用法：wxmsg preview [选项] --out <dir> [路径或 glob...]

按微信中的显示效果，把每个模板（*.wxmsg.json）渲染成静态 HTML 页面：每个模板一页，
位于 <dir>/<相对当前文件夹的模板路径，去掉 .wxmsg.json>.html，另有 <dir>/index.html
链接所有页面。不给路径时，处理当前文件夹下所有 *.wxmsg.json（跳过 node_modules 和 .git）。
无效的模板也会生成页面：显示能显示的部分，并在顶部横幅中列出问题。页面不加载任何内容
（没有脚本，没有远程图片：缩略图是标明其主机的占位图）；链接目标以文本显示。

选项：
  -o, --out <dir>       页面写入的文件夹（必填；不存在时自动创建）
  --appid <id>          小程序的 appid（默认取最近的 project.config.json）
  --locale <tag>        en 或 zh-CN（默认依次看 WXMSG_LOCALE、LC_ALL、LC_MESSAGES、LANG）
  --ignore <glob>       跳过匹配的文件和文件夹（可重复），与 wxmsg lint 相同
  -h, --help            显示本帮助

位于 ./index.wxmsg.json 的模板写到 <dir>/index.wxmsg.html（index.html 是列表页）。

退出码：0 页面已生成，没有模板有错误；1 页面已生成，但有模板有错误（其页面中会显示）；
2 用法错误：缺少 --out、路径或 glob 没有匹配到任何文件、模板在当前文件夹之外，
或页面无法写入。
`,
  history: (a) => `用法：wxmsg history [--limit <n>] [--format text|json]

按从新到旧输出 wxmsg send 记录的发送：时间、结果（errcode、errmsg）、联系微信技术支持
时需要的 rid、模板、脱敏后的 OpenID、appid、配置档、耗时和消息体哈希。
只有项目文件（${a.projectFile}，当前文件夹向上最近的一个）设置了
"history": {"file": "<path>"}（相对该文件；JSON lines 格式）时才会记录。其中从不含 token
或密钥，也不会读取 VS Code 扩展的发送历史（保存在 VS Code 中）。

选项：
  --limit <n>       只显示最近 n 次发送
  --format <name>   text（默认）或 json（数组，从新到旧）
  --locale <tag>    en 或 zh-CN
  -h, --help        显示本帮助

退出码：0 已输出（还没有记录时也是 0）；2 没有项目文件、没有 history.file，或文件无法读取。
`,
  demo: () => `用法：wxmsg demo [dir] [选项]

带你走一遍 wxmsg，不需要微信账号，也不会访问本机以外的网络（npm start 会在 examples/ 上
运行它）。它在空闲的本机端口上启动微信接口模拟器，检查 <dir>（默认当前文件夹）下的
*.wxmsg.json 模板，通过真实的上传流程上传 <dir> 下的第一张图片，用与 wxmsg send 相同的
客户端把每个模板发给一位模拟用户（图片和卡片模板使用模拟器签发的 media_id），再向一位
从客服按钮进入会话的用户连续发送直到用完额度，以展示被拒绝的发送（errcode 45047）如何
解读。最后输出小结并停止模拟器。

选项：
  --locale <tag>   en 或 zh-CN（演示的文字、检查结果和错误码解读）
  -h, --help       显示本帮助

退出码：0 演示按设计完成（那一次被拒绝的发送是预期的）；1 有模板有错误，或某次发送的
结果出乎意料；2 用法或内部错误。
`,
};

export const files: CliCatalog['files'] = {
  varsSyntax: (label, at, code) => `${label}：第 ${at} 处有 JSON 语法错误（${code}）`,
  varsNotObject: (label) => `${label} 必须是一个由变量名到取值的 JSON 对象`,
  varsBadName: (label, name) => `${label}："${name}" 不是合法的变量名（字母、数字、_、. 和 -）`,
  varsBadValue: (label, name, kind) => `${label}："${name}" 的值是${({ null: ' null', array: '数组', object: '对象' })[kind]}；变量的值必须是字符串（或数字）`,
  notAFile: (label) => `${label} 不是文件`,
  tooLarge: (label, size, max) => `${label} 有 ${size} 字节，超过了 ${max} 字节的上限`,
  cannotRead: (label, why) => `无法读取 ${label}：${why}`,
  notUtf8: (label) => `${label} 不是 UTF-8 编码`,
  varFlag: (value) => `--var 需要 name=value 的形式，而不是 "${value}"`,
  varFlagName: (name) => `--var："${name}" 不是合法的变量名（字母、数字、_、. 和 -）`,
  profileVars: (name) => `配置档 "${name}"`,
  historyTooLarge: (file, max) => `${file} 超过了 ${max} 字节`,
  historyNotObject: (file) => `${file} 不是 JSON 对象（JSON 语法错误）`,
  historyFile: (file) => `${file} 中的 "history.file" 必须是文件路径（字符串）`,
};

/** Every section: one of CliCatalog's missing here fails the typecheck (bundles drop this object). */
export const sections: CliCatalog = { frame, lint, stylish, team, preview, api, editor, errcodes, wechat, recipient, push, demo, simulate, sim, history, help, files };
