// The Simplified Chinese catalog. Typed as Catalog: a key missing here (or one en.ts does not
// have) fails `npm run typecheck`.
import { EMPTY_FILE } from './keys.ts';
import { LIMITS } from '../rules/codes.ts';
import type { Catalog } from './en.ts';

type Fn = (a: Record<string, string | number>) => string;

const TYPE_NAMES: Record<string, string> = {
  'a string': '字符串', 'an object': '对象', 'a number': '数字', 'an array': '数组',
  'a boolean': '布尔值', 'null': 'null',
};
function typeName(t: string): string {
  return TYPE_NAMES[t] ?? t;
}

const syntaxKinds: Catalog['syntax']['kinds'] = {
  InvalidSymbol: '这里不是合法的 JSON：键和字符串要用英文双引号（"…"）括起来',
  InvalidNumberFormat: '这个数字的写法不符合 JSON',
  PropertyNameExpected: '这里应是一个用双引号括起来的键（前面是否多了一个逗号？）',
  ValueExpected: '这里缺少一个值（双引号字符串、数字、对象……）',
  ColonExpected: '键和值之间缺少冒号',
  CommaExpected: '两个成员之间缺少逗号',
  CloseBraceExpected: '这个对象没有闭合：缺少 }',
  CloseBracketExpected: '这个数组没有闭合：缺少 ]',
  EndOfFileExpected: '消息在此之前已经结束：删除结尾 } 之后的内容',
  InvalidCommentToken: '这个注释写法不正确',
  UnexpectedEndOfComment: '这个注释没有结束：缺少 */',
  UnexpectedEndOfString: '这个值没有结束：字符串缺少结尾的 "',
  UnexpectedEndOfNumber: '这个数字不完整',
  InvalidUnicode: '\\u 转义后面需要 4 位十六进制数字',
  InvalidEscapeCharacter: '这不是合法的 JSON 转义：反斜杠要写成 \\\\（可用的转义有 \\n、\\t、\\"、\\\\ 和 \\uXXXX）',
  InvalidCharacter: '字符串中的换行或制表符要写成 \\n 或 \\t',
};

const syntax: Catalog['syntax'] = {
  kinds: syntaxKinds,
  words: (kind) => (syntaxKinds as Record<string, string>)[kind] ?? `JSON 语法错误（${kind}）`,
  emptyFile: '空文件：输入 wxmsg 选择一个消息片段（wxmsg-text、wxmsg-link……）。',
};

const malformed: Catalog['malformed'] = {
  glued: (a) => `属性 "${a.name}" 与前一个属性连在一起：请在中间加空格。`,
  'glued-value': (a) => `"${a.name}" 的属性名与值连在一起：应写作 ${a.expected}="…"。`,
  'no-equals': (a) => `属性 "${a.name}" 的值前缺少 =。`,
  'no-value': (a) => `属性 "${a.name}" 没有值：缺少 = 和带引号的值。`,
  'open-quote': (a) => `属性 "${a.name}" 的值缺少开头的引号。`,
  'close-quote': (a) => `属性 "${a.name}" 的值缺少结尾的引号。`,
  stray: (a) => `<a> 标签中有多余的文字 ${a.name}：前面是否缺少 = 或引号？`,
};

export const zhCN: Catalog = {
  diag: {
    'syntax-error': (a) => a.detail === EMPTY_FILE ? syntax.emptyFile : `语法错误：${syntax.words(String(a.detail))}。`,
    'root-not-object': () => '消息模板必须是一个 JSON 对象。',
    'duplicate-key': (a) => `重复的键 "${a.key}"：微信只会采用其中一个。`,
    'wrong-type': (a) => `"${a.key}" 必须是${a.expectedZh}，而不是${a.actualZh}。`,
    'file-too-large': (a) => `文件有 ${a.size} 个字符；消息模板通常只有几 KB，因此未做检查（上限 ${a.limit}）。`,
    'binary-file': () => '该文件包含二进制数据（NUL 字符），不是 JSON 消息模板。',
    'unreadable-file': (a) => `无法读取该文件：${a.reason}。`,
    'not-utf8': (a) => {
      const convert = `iconv -f ${a.iconv} -t UTF-8，或在 VS Code 中“通过编码重新打开”（Reopen with Encoding）选择“${a.vscode}”，再“通过编码保存”（Save with Encoding）选择“UTF-8”`;
      if (a.kind === 'editor') return `VS Code 以 ${a.encodingZh} 编码打开了该文件，而不是 UTF-8：wxmsg lint 和 wxmsg send 与微信一样按 UTF-8 读取模板，会拒绝该文件。请保存为 UTF-8：“通过编码保存”（Save with Encoding）选择“UTF-8”（或 iconv -f ${a.iconv} -t UTF-8）。`;
      if (a.kind === 'replacement') return '此处为 U+FFFD（替换字符）：该文件含有非 UTF-8 字节，读取时被替换。请先确认其实际编码（“通过编码重新打开”，例如“Simplified Chinese (GBK)”），再“通过编码保存”选择“UTF-8”。如确需该字符，请写作 \\ufffd。';
      const what = a.bom ? `该文件是 ${a.encodingZh} 编码，不是 UTF-8` : `该文件不是 UTF-8 编码${a.offset !== '' ? `（第一个无效字节位于偏移 ${a.offset}）` : ''}，看起来是 ${a.encodingZh}`;
      return `${what}。wxmsg 与微信一样按 UTF-8 读取模板，因此未做检查，也不能发送。请转换编码：${convert}。`;
    },
    'nesting-too-deep': (a) => `此处对象和数组嵌套超过 ${a.limit} 层；消息模板只有 2 层嵌套，因此未继续检查。`,
    'missing-msgtype': () => '缺少 "msgtype"：应为 "text"、"image"、"link"、"miniprogrampage" 之一。',
    'invalid-msgtype': (a) => `"${a.value}" 不是小程序可发送的消息类型；请使用 "text"、"image"、"link"、"miniprogrampage" 之一。`,
    'missing-body': (a) => `msgtype 为 "${a.key}" 时需要 "${a.key}" 对象，但缺少该对象。`,
    'body-mismatch': (a) => `"${a.key}" 是 msgtype "${a.key}" 的消息体，但 msgtype 为 "${a.msgtype}"。`,
    'missing-field': (a) => `"${a.object}" 缺少必填字段 ${a.fields}。`,
    'empty-value': (a) => `"${a.key}" 不能为空。`,
    'unknown-key': (a) => `未知的键 "${a.key}"${a.suggestion ? `；是否应为 "${a.suggestion}"？` : `（位于 "${a.object}"）。`}`,
    'use-thumb-url': () => '官方参数表中写的是 "picurl"，但图文链接消息体使用 "thumb_url"：请改用 "thumb_url"。',
    'invalid-url': (a) => `"${a.key}" 必须是 http(s) 绝对地址，而不是 "${a.value}"。`,
    'control-character': (a) => a.kind === 'surrogate'
      ? `文本内容含有单独的代理项（${a.char}）：它只是半个字符，无法编码为 UTF-8，用户收到的内容无法确定（常为 U+FFFD）。请删除它或补全代理对。`
      : `文本内容含有控制字符 ${a.char}${a.kind === 'cr' ? '（回车符）：微信用 \\n 换行，请改用 \\n' : '：该字符不可见，微信客户端可能显示为方框或将其丢弃，请删除'}。文本中只应出现 \\n 和 \\t。`,
    'content-too-long': (a) => `文本内容为 ${a.bytes} 字节（UTF-8），超过 ${a.limit}：小程序发送客服消息文档未写明上限，但企业微信文档规定客服文本消息最长 ${a.limit} 字节，超出部分会被截断。`,
    'foreign-appid': (a) => `data-miniprogram-appid "${a.value}" 不是本小程序的 appid "${a.appid}"（来自 ${a.source}）；小程序只能发带本小程序文字链的消息。`,
    'link-missing-path': () => '带 data-miniprogram-appid 的文字链需要 data-miniprogram-path（app.json 中的页面）。',
    'unknown-page': (a) => `页面 "${a.page}" 不在 ${a.source} 中。`,
    'href-not-http': (a) => `href "${a.value}" 应为 http(s) 绝对地址：低于 6.5.16 的客户端会打开它。`,
    'unsafe-href': (a) => `href "${a.value}" 使用了 ${a.scheme} 协议；只允许 http(s) 链接。`,
    'link-missing-href': () => '该小程序文字链没有 href：低于 6.5.16 的客户端将无法点击。',
    'misspelled-attribute': (a) => `未知属性 "${a.name}"；是否应为 "${a.suggestion}"？`,
    'unclosed-link': () => '该 <a> 标签缺少闭合的 </a>。',
    'openid-format': (a) => `"${a.value}" 看起来不像 OpenID（28 个字符，由 A-Z、a-z、0-9、_ 和 - 组成）。`,
    'no-project-context': (a) => {
      const what = a.appid && a.pages ? ' appid 和 app.json 页面' : a.appid ? ' appid' : ' app.json 页面';
      const checks = [a.appid ? '文字链 appid' : '', a.pages ? '页面路径' : ''].filter(Boolean).join('和');
      return a.problems
        ? `未知${what}，因此未检查${checks}：${a.problems}。请修正该文件，或设置 "wxmsg.appid"（或 --appid）。`
        : `未知${what}，因此未检查${checks}。请设置 "wxmsg.appid"（或 --appid），或在小程序项目中添加 project.config.json${a.pages ? ' 和 app.json' : ''}。`;
    },
    'media-id-not-uploaded': (a) => `"${a.key}" 的值 "${a.value}" 看起来是${a.shape === 'url' ? ' URL' : '文件路径'}，不是 media_id：微信会返回 40007（不合法的媒体文件 id）。请先上传图片（VS Code 中的 WeChat: Upload Image…，或 wxmsg upload），再使用返回的 media_id。`,
    'link-missing-appid': () => '有 data-miniprogram-path 但没有 data-miniprogram-appid：只有填写 appid 文字链才会跳转小程序，因此微信会忽略该路径，链接打开 href。',
    'invalid-appid': (a) => `data-miniprogram-appid "${a.value}" 不是 appid 的格式（"wx" 加 16 位十六进制数字）；必须填写本小程序的 appid。`,
    'surrounding-whitespace': (a) => `"${a.key}" ${a.where === 'leading' ? '开头' : a.where === 'trailing' ? '结尾' : '首尾'}有空白字符：微信按原字符串比较，"${a.value}" 不会匹配。`,
    'malformed-link': (a) => (malformed as Record<string, Fn>)[String(a.kind)]?.(a) ?? `<a> 标签格式有误："${a.name}"。`,
    'unknown-attribute': (a) => `<a> 上的未知属性 "${a.name}"：微信文字链只支持 href、data-miniprogram-appid 和 data-miniprogram-path。`,
    'empty-link-label': () => '该链接在 <a …> 和 </a> 之间没有文字：没有可点击的内容。',
    'literal-newline-escape': (a) => `文本中有字面的反斜杠加 n（JSON 中的 \\\\n${Number(a.count) > 1 ? `，共 ${a.count} 处` : ''}）：微信会显示这两个字符，而不是换行。换行在 JSON 中写作 \\n。`,
    'br-tag': (a) => `${a.tag}${Number(a.count) > 1 ? `（共 ${a.count} 处）` : ''} 在微信文本消息中不是换行，会原样显示。请使用换行（JSON 中的 \\n）。`,
    'escaped-link': () => '链接被 HTML 转义了（&lt;a …&gt;）：微信会把标签当作文字显示，而不是链接。请用 < 和 > 书写标签。',
    'config-error': (a) => `wxmsg.config.json：${a.detail ?? '无效'}。`,
    'secret-in-config': (a) => `${a.detail ?? '密钥'}：项目文件会通过 git 共享，绝不能存放密钥。请删除它，改放在环境变量（WXMSG_APPSECRET、WXMSG_ACCESS_TOKEN、token-url 的 "headerEnv" 指定的变量）或 VS Code 的密钥存储中。`,
    'media-placeholder': (a) => `"${a.key}" 是占位符 "${a.value}"：可以提交到仓库，wxmsg lint 也接受，但发送会被拒绝。请上传图片（Upload Image… 或 wxmsg upload）填入 media_id。`,
    'media-other-appid': (a) => `media_id "${a.value}" 是为 appid ${a.other} 上传的（来自 ${a.source}），不是本小程序的 ${a.appid}：微信会返回 40007。请为本 appid 重新上传图片。`,
    'media-expired': (a) => `media_id "${a.value}" 已上传 ${a.age}（来自 ${a.source}）：临时素材 3 天后失效，微信会返回 40007。请重新上传 ${a.source}。`,
    'media-unknown': (a) => `media_id "${a.value}" 不在素材记录（.wxmsg/media.json）中：wxmsg 无法判断它是否仍然有效（临时素材 3 天后失效）或是否属于本 appid。`,
    'malformed-variable': (a) => a.kind === 'unclosed'
      ? '这个 {{ 没有用 }} 闭合。变量写作 {{name}} 或 {{name|默认值}}；如需字面的 {{，请在 JSON 中写 \\{{。'
      : a.kind === 'empty-name'
        ? '该占位符没有变量名：请写作 {{name}} 或 {{name|默认值}}。'
        : `"${a.name}" 不是合法的变量名：变量名由字母、数字、_、. 和 - 组成（不含空格）。如需字面的 {{，请在 JSON 中写 \\{{。`,
    'variable-in-key': (a) => `键 "${a.key}" 中含有 {{：变量只会填入字符串值，不会填入键。`,
    'unfilled-variable': (a) => `{{${a.name}}} 在此没有值（没有默认值、配置档或 *.vars.json 中的值），因此跳过了该字符串的检查；发送时会询问（VS Code），或用 --var ${a.name}=… 提供（wxmsg send）。`,
  },
  malformed,
  syntax,
  fix: {
    'syntax.comma': () => '插入缺少的逗号',
    'syntax.quote': () => '用 " 结束这个字符串',
    appid: (a) => `改为本小程序的 appid "${a.value}"`,
    attribute: (a) => `改为 "${a.value}"`,
    msgtype: (a) => `将 msgtype 改为 "${a.value}"`,
    setMsgtype: (a) => `将 msgtype 设为 "${a.value}"（与现有消息体一致）`,
    rename: (a) => `将 "${a.from}" 重命名为 "${a.to}"`,
    renameBody: (a) => `将 "${a.from}" 重命名为 "${a.to}"，与 msgtype 一致`,
    remove: (a) => `删除 "${a.key}"`,
    removeDuplicate: (a) => `删除重复的 "${a.key}"`,
    addFields: (a) => `添加缺少的字段 ${a.keys}`,
    addMsgtype: (a) => `添加 "msgtype": "${a.value}"`,
    addBody: (a) => `添加 "${a.value}" 对象`,
    page: (a) => `将页面改为 "${a.value}"`,
    trim: (a) => `去掉 "${a.value}" 首尾的空白`,
    addAppid: (a) => `添加 data-miniprogram-appid="${a.value}"`,
    newline: () => '将字面的 \\n 替换为换行',
    br: () => '将 <br> 替换为换行',
    unescapeLink: () => '还原被转义的链接标签（&lt; → <，&gt; → >）',
    space: () => '在两个属性之间插入空格',
    equals: () => '在属性名和值之间插入 =',
  },
  hover: {
    required: '必填', optional: '可选', limit: '限制', bodyOf: (t: string) => `msgtype "${t}" 的消息体`,
    fields: '字段', msgtype: 'msgtype', link: '文字链',
    opensPage: (p: string) => `打开小程序页面 ${p}`,
    query: (q: string) => `（参数 ${q}）`,
    pageFound: (src: string) => `✓ 已在 ${src} 中`,
    pageMissing: (src: string) => `⚠ 不在 ${src} 中`,
    pagesUnknown: '未找到 app.json：未检查该页面',
    appidOwn: (a: string) => `appid ${a}：本小程序`,
    appidForeign: (a: string, own: string) => `⚠ appid ${a} 不是本小程序（${own}）：微信会拒绝该消息`,
    appidUnknown: (a: string) => `appid ${a}（未知本小程序的 appid）`,
    fallback: (u: string) => `低于 6.5.16 的客户端打开 ${u}`,
    noFallback: '没有 href：低于 6.5.16 的客户端将无法点击',
    opensUrl: (u: string) => `打开网页 ${u}`,
    noTarget: '既没有 data-miniprogram-path 也没有 href：点击后无处可去',
    pathIgnored: 'data-miniprogram-path 会被忽略：没有 data-miniprogram-appid，链接不会跳转小程序',
    picurl: '官方参数表中写作 `picurl`，但图文链接消息体使用 `thumb_url`。',
    delivery: '只有在用户有以下行为后才能下发客服消息（否则 errcode 45015，超过条数 45047）：',
    notCumulative: '可发送条数不累加：每次用户行为只把剩余条数提高到该行为的额度，截止时间取两者中较晚的一个。',
  },
  lsp: {
    fixAll: '修复所有可自动修复的 wxmsg 问题',
  },
  tokenUrl: {
    sameToken: (a) => `微信拒绝了 token 服务提供的 access_token（errcode ${a.errcode} ${a.what}），再次请求时 token 服务返回了同一个 token：它持有的 token 已失效或属于其他小程序。请联系 token 服务的维护者刷新；消息未发送`,
    refetchFailed: (a) => `微信拒绝了 token 服务提供的 access_token（errcode ${a.errcode} ${a.what}），重新获取失败：${a.reason}`,
    refusedAgain: (a) => `token 服务重新提供的 access_token 也被微信拒绝（errcode ${a.errcode}）：它可能提供的是其他 appid 的 token，请核对它服务的是哪个小程序`,
    refetched: () => '已从 token 服务重新获取 token',
  } satisfies Record<string, Fn>,
  project: {
    'too-large': (f, d) => `${f} 有 ${d} 字节，超过 ${LIMITS.maxConfigBytes} 字节上限，未读取`,
    'not-utf8': (f, d) => `${f} 不是 UTF-8 编码（看起来是 ${d}），未读取；请另存为 UTF-8`,
    syntax: (f, d) => `${f} 在 ${d} 处有 JSON 语法错误`,
    'not-object': (f) => `${f} 不是 JSON 对象`,
    'appid-type': (f, d) => `${f} 中的 "appid" 是${typeName(d)}，而不是字符串`,
    'no-appid': (f) => `${f} 没有 "appid"`,
    'tourist-appid': (f) => `${f} 的 "appid" 是 "touristappid"（测试号，没有真正的 appid）`,
    'pages-type': (f, d) => (d === 'missing' ? `${f} 没有 "pages" 数组` : `${f} 中的 "pages" 是${typeName(d)}，而不是数组`),
    unreadable: (f, d) => `无法读取 ${f}：${d}`,
  },
  words: {
    typeName,
  },
};
