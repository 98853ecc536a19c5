import type { Locale, ProjectProblem } from './types.ts';
import { LIMITS } from './codes.ts';
import { EMPTY_FILE, emptyFileHint, syntaxWords } from './syntaxMessages.ts';

type Args = Record<string, string | number>;
type Table = Record<string, (a: Args) => string>;

const en: Table = {
  'syntax-error': (a) => a.detail === EMPTY_FILE ? emptyFileHint('en') : `Syntax error: ${syntaxWords(String(a.detail), 'en')}.`,
  'root-not-object': () => 'A message template must be a JSON object.',
  'duplicate-key': (a) => `Duplicate key "${a.key}": WeChat would only see one of them.`,
  'wrong-type': (a) => `"${a.key}" must be ${a.expected}, not ${a.actual}.`,
  'file-too-large': (a) => `File is ${a.size} characters; a message template is at most a few KB, so it was not checked (limit ${a.limit}).`,
  'binary-file': () => 'This file holds binary data (NUL characters), not a JSON message template.',
  'unreadable-file': (a) => `Cannot read this file: ${a.reason}.`,
  'not-utf8': (a) => {
    const convert = `iconv -f ${a.iconv} -t UTF-8, or in VS Code "Reopen with Encoding" → "${a.vscode}", then "Save with Encoding" → "UTF-8"`;
    if (a.kind === 'editor') return `VS Code decoded this file as ${a.encoding}, not UTF-8: wxmsg lint and wxmsg send read templates as UTF-8 (as WeChat does) and refuse it. Save it as UTF-8: "Save with Encoding" → "UTF-8" (or iconv -f ${a.iconv} -t UTF-8).`;
    if (a.kind === 'replacement') return 'U+FFFD (the replacement character) here: the file holds bytes that are not UTF-8 and were replaced when it was read. Find its real encoding ("Reopen with Encoding", e.g. "Simplified Chinese (GBK)"), then "Save with Encoding" → "UTF-8". If you mean the character itself, write \\ufffd.';
    const what = a.bom ? `This file is ${a.encoding}, not UTF-8` : `This file is not UTF-8${a.offset !== '' ? ` (first invalid byte at offset ${a.offset})` : ''}; it looks like ${a.encoding}`;
    return `${what}. wxmsg reads templates as UTF-8, as WeChat does, so it was not checked and cannot be sent. Convert it: ${convert}.`;
  },
  'nesting-too-deep': (a) => `Objects and arrays are nested more than ${a.limit} levels deep here; a message template nests 2 levels, so the file was not checked further.`,
  'missing-msgtype': () => 'Missing "msgtype": one of "text", "image", "link", "miniprogrampage".',
  'invalid-msgtype': (a) => `"${a.value}" is not a message type a mini program can send; use one of "text", "image", "link", "miniprogrampage".`,
  'missing-body': (a) => `Missing the "${a.key}" object that msgtype "${a.key}" needs.`,
  'body-mismatch': (a) => `"${a.key}" is the body of msgtype "${a.key}", but msgtype is "${a.msgtype}".`,
  'missing-field': (a) => `Missing required field${String(a.fields).includes(',') ? 's' : ''} ${a.fields} in "${a.object}".`,
  'empty-value': (a) => `"${a.key}" must not be empty.`,
  'unknown-key': (a) => `Unknown key "${a.key}"${a.suggestion ? `; did you mean "${a.suggestion}"?` : ` in "${a.object}".`}`,
  'use-thumb-url': () => '"picurl" is in the official parameter table, but the link payload takes "thumb_url": use "thumb_url".',
  'invalid-url': (a) => `"${a.key}" must be an absolute http(s) URL, not "${a.value}".`,
  'control-character': (a) => a.kind === 'surrogate'
    ? `Text content holds a lone surrogate (${a.char}): it is half of a character and cannot be encoded in UTF-8, so what the user receives is undefined (often U+FFFD). Remove it or complete the pair.`
    : `Text content holds the control character ${a.char}${a.kind === 'cr' ? ' (carriage return): WeChat breaks lines with \\n; use \\n instead' : ': it is invisible, and WeChat clients may show it as a box or drop it; remove it'}. Only \\n and \\t are expected in text.`,
  'content-too-long': (a) => `Text content is ${a.bytes} bytes (UTF-8), over ${a.limit}: the mini program send page documents no limit, but WeCom documents ${a.limit} bytes for customer-service text and truncates longer text.`,
  'foreign-appid': (a) => `data-miniprogram-appid "${a.value}" is not this mini program's appid "${a.appid}" (from ${a.source}); a mini program may only link to itself.`,
  'link-missing-path': () => 'A link with data-miniprogram-appid needs data-miniprogram-path (a page from app.json).',
  'unknown-page': (a) => `Page "${a.page}" is not in ${a.source}.`,
  'href-not-http': (a) => `href "${a.value}" should be an absolute http(s) URL: it is what clients older than 6.5.16 open.`,
  'unsafe-href': (a) => `href "${a.value}" uses the ${a.scheme} scheme; only http(s) links are allowed.`,
  'link-missing-href': () => 'This mini program link has no href: clients older than 6.5.16 show nothing clickable.',
  'misspelled-attribute': (a) => `Unknown attribute "${a.name}"; did you mean "${a.suggestion}"?`,
  'unclosed-link': () => 'This <a> tag is never closed with </a>.',
  'openid-format': (a) => `"${a.value}" does not look like an OpenID (28 characters of A-Z, a-z, 0-9, _ and -).`,
  'no-project-context': (a) => a.problems
    ? `${a.what} not known, so ${a.checks} were not checked: ${a.problems}. Fix that, or set "wxmsg.appid" (or --appid).`
    : `${a.what} not known, so ${a.checks} were not checked. Set "wxmsg.appid" (or --appid) or add project.config.json${a.needPages ? ' and app.json' : ''} to the mini program project.`,
  'media-id-not-uploaded': (a) => `"${a.key}" is "${a.value}", which looks like ${a.shape === 'url' ? 'a URL' : 'a file path'}, not a media_id: WeChat answers 40007 (invalid media_id). Upload the image first (WeChat: Upload Image… in VS Code, or wxmsg upload) and use the media_id it returns.`,
  'link-missing-appid': () => 'data-miniprogram-path without data-miniprogram-appid: only the appid makes a text link open the mini program, so WeChat ignores the path and the link opens href.',
  'invalid-appid': (a) => `data-miniprogram-appid "${a.value}" is not shaped like an appid ("wx" and 16 hex digits); it must be this mini program's own appid.`,
  'surrounding-whitespace': (a) => `"${a.key}" has ${a.where} whitespace: WeChat compares the exact string, so "${a.value}" does not match.`,
  'malformed-link': (a) => MALFORMED_EN[String(a.kind)]?.(a) ?? `Malformed <a> markup at "${a.name}".`,
  'unknown-attribute': (a) => `Unknown attribute "${a.name}" on <a>: WeChat text links take only href, data-miniprogram-appid and data-miniprogram-path.`,
  'empty-link-label': () => 'This link has no text between <a …> and </a>: there is nothing to tap.',
  'literal-newline-escape': (a) => `A literal backslash-n (\\\\n in the JSON${Number(a.count) > 1 ? `, ${a.count} times` : ''}): WeChat shows the two characters, not a line break. A line break is \\n in the JSON.`,
  'br-tag': (a) => `${a.tag}${Number(a.count) > 1 ? ` (${a.count} times)` : ''} is not a line break in a WeChat text message: it is shown as text. Use a line break (\\n in the JSON).`,
  'escaped-link': () => 'An HTML-escaped link (&lt;a …&gt;): WeChat shows the markup as text, not as a link. Write the tag with < and >.',
  'config-error': (a) => `wxmsg.config.json: ${a.detail ?? 'invalid'}.`,
  'secret-in-config': (a) => `${a.detail ?? 'A secret'}: the project file is shared through git and must never hold a secret. Remove it and keep it in the environment (WXMSG_APPSECRET, WXMSG_ACCESS_TOKEN, the variable a token-url's "headerEnv" names) or in VS Code's secret storage.`,
  'media-placeholder': (a) => `"${a.key}" is the placeholder "${a.value}": fine in a committed template and in wxmsg lint, but a send refuses it. Upload the image (Upload Image… or wxmsg upload) to fill in a media_id.`,
  'media-other-appid': (a) => `media_id "${a.value}" was uploaded for appid ${a.other} (from ${a.source}), not this mini program's ${a.appid}: WeChat answers 40007. Upload the image again for this appid.`,
  'media-expired': (a) => `media_id "${a.value}" was uploaded ${a.age} ago (from ${a.source}): temporary media expire after 3 days, so WeChat answers 40007. Upload ${a.source} again.`,
  'media-unknown': (a) => `media_id "${a.value}" is not in the media ledger (.wxmsg/media.json): wxmsg cannot tell whether it is still valid (temporary media expire after 3 days) or from this appid.`,
  'malformed-variable': (a) => a.kind === 'unclosed'
    ? 'This {{ is never closed with }}. A variable is {{name}} or {{name|default}}; write \\{{ in the JSON for a literal {{.'
    : a.kind === 'empty-name'
      ? 'This placeholder has no name: write {{name}} or {{name|default}}.'
      : `"${a.name}" is not a variable name: names are letters, digits, _, . and - (no spaces). Write \\{{ in the JSON for a literal {{.`,
  'variable-in-key': (a) => `The key "${a.key}" holds {{: variables are filled into string values only, never into keys.`,
  'unfilled-variable': (a) => `{{${a.name}}} has no value here (no default, profile or *.vars.json value), so this string's checks were skipped; it is asked at send time (VS Code) or given with --var ${a.name}=… (wxmsg send).`,
};

const MALFORMED_EN: Table = {
  glued: (a) => `Attribute "${a.name}" is glued to the one before it: put a space between them.`,
  'glued-value': (a) => `"${a.name}" runs the attribute name into its value: write ${a.expected}="…".`,
  'no-equals': (a) => `Attribute "${a.name}" is missing = before its value.`,
  'no-value': (a) => `Attribute "${a.name}" has no value: it is missing = and a quoted value.`,
  'open-quote': (a) => `The value of "${a.name}" is missing its opening quote.`,
  'close-quote': (a) => `The value of "${a.name}" is missing its closing quote.`,
  stray: (a) => `Stray text ${a.name} in the <a> tag: a missing = or quote before it?`,
};

const zh: Table = {
  'syntax-error': (a) => a.detail === EMPTY_FILE ? emptyFileHint('zh-cn') : `语法错误：${syntaxWords(String(a.detail), 'zh-cn')}。`,
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
  'no-project-context': (a) => a.problems
    ? `未知${a.whatZh}，因此未检查${a.checksZh}：${a.problems}。请修正该文件，或设置 "wxmsg.appid"（或 --appid）。`
    : `未知${a.whatZh}，因此未检查${a.checksZh}。请设置 "wxmsg.appid"（或 --appid），或在小程序项目中添加 project.config.json${a.needPages ? ' 和 app.json' : ''}。`,
  'media-id-not-uploaded': (a) => `"${a.key}" 的值 "${a.value}" 看起来是${a.shape === 'url' ? ' URL' : '文件路径'}，不是 media_id：微信会返回 40007（不合法的媒体文件 id）。请先上传图片（VS Code 中的 WeChat: Upload Image…，或 wxmsg upload），再使用返回的 media_id。`,
  'link-missing-appid': () => '有 data-miniprogram-path 但没有 data-miniprogram-appid：只有填写 appid 文字链才会跳转小程序，因此微信会忽略该路径，链接打开 href。',
  'invalid-appid': (a) => `data-miniprogram-appid "${a.value}" 不是 appid 的格式（"wx" 加 16 位十六进制数字）；必须填写本小程序的 appid。`,
  'surrounding-whitespace': (a) => `"${a.key}" ${a.where === 'leading' ? '开头' : a.where === 'trailing' ? '结尾' : '首尾'}有空白字符：微信按原字符串比较，"${a.value}" 不会匹配。`,
  'malformed-link': (a) => MALFORMED_ZH[String(a.kind)]?.(a) ?? `<a> 标签格式有误："${a.name}"。`,
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
};

const MALFORMED_ZH: Table = {
  glued: (a) => `属性 "${a.name}" 与前一个属性连在一起：请在中间加空格。`,
  'glued-value': (a) => `"${a.name}" 的属性名与值连在一起：应写作 ${a.expected}="…"。`,
  'no-equals': (a) => `属性 "${a.name}" 的值前缺少 =。`,
  'no-value': (a) => `属性 "${a.name}" 没有值：缺少 = 和带引号的值。`,
  'open-quote': (a) => `属性 "${a.name}" 的值缺少开头的引号。`,
  'close-quote': (a) => `属性 "${a.name}" 的值缺少结尾的引号。`,
  stray: (a) => `<a> 标签中有多余的文字 ${a.name}：前面是否缺少 = 或引号？`,
};

const TYPE_ZH: Record<string, string> = {
  'a string': '字符串', 'an object': '对象', 'a number': '数字', 'an array': '数组',
  'a boolean': '布尔值', 'null': 'null',
};

export function message(locale: Locale, name: string, args: Args = {}): string {
  if (locale === 'zh-cn') {
    const full: Args = { ...args };
    if (args.expected !== undefined) full.expectedZh = TYPE_ZH[String(args.expected)] ?? String(args.expected);
    if (args.encoding !== undefined) full.encodingZh = String(args.encoding).replace(' with a BOM', '（带 BOM）').replace(' without a BOM', '（无 BOM）');
    if (args.actual !== undefined) full.actualZh = TYPE_ZH[String(args.actual)] ?? String(args.actual);
    return zh[name](full);
  }
  return en[name](args);
}

export { toLocale } from './locale.ts';


/** Why a project file cannot be used, in the user's language (paths as given). */
export function projectProblem(locale: Locale, p: ProjectProblem): string {
  const f = p.file;
  const d = p.detail ?? '';
  if (locale === 'zh-cn') {
    switch (p.reason) {
      case 'too-large': return `${f} 有 ${d} 字节，超过 ${LIMITS.maxConfigBytes} 字节上限，未读取`;
      case 'not-utf8': return `${f} 不是 UTF-8 编码（看起来是 ${d}），未读取；请另存为 UTF-8`;
      case 'syntax': return `${f} 在 ${d} 处有 JSON 语法错误`;
      case 'not-object': return `${f} 不是 JSON 对象`;
      case 'appid-type': return `${f} 中的 "appid" 是${TYPE_ZH[d] ?? d}，而不是字符串`;
      case 'no-appid': return `${f} 没有 "appid"`;
      case 'tourist-appid': return `${f} 的 "appid" 是 "touristappid"（测试号，没有真正的 appid）`;
      case 'pages-type': return d === 'missing' ? `${f} 没有 "pages" 数组` : `${f} 中的 "pages" 是${TYPE_ZH[d] ?? d}，而不是数组`;
      case 'unreadable': return `无法读取 ${f}：${d}`;
    }
  }
  switch (p.reason) {
    case 'too-large': return `${f} is ${d} bytes, over the ${LIMITS.maxConfigBytes}-byte limit: not read`;
    case 'not-utf8': return `${f} is not UTF-8 (it looks like ${d}): not read; save it as UTF-8`;
    case 'syntax': return `${f} has a JSON syntax error at ${d}`;
    case 'not-object': return `${f} is not a JSON object`;
    case 'appid-type': return `"appid" in ${f} is ${d}, not a string`;
    case 'no-appid': return `${f} has no "appid"`;
    case 'tourist-appid': return `${f} has "appid": "touristappid" (a test account without a real appid)`;
    case 'pages-type': return d === 'missing' ? `${f} has no "pages" array` : `"pages" in ${f} is ${d}, not an array`;
    case 'unreadable': return `${f} cannot be read: ${d}`;
  }
  return f;
}

export const messageNames = { en: Object.keys(en), zh: Object.keys(zh) };
