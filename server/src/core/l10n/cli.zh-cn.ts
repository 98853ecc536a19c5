// The Simplified Chinese catalog of what the CLI, the WeChat API client and the simulator print.
// Each section is typed by the English one (CliCatalog[…]): a key missing here, or one the English
// catalog does not have, fails `npm run typecheck`; a missing section fails it in cliText.ts.
import type { CliCatalog } from './cli.en.ts';

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

/** Every section: one of CliCatalog's missing here fails the typecheck (bundles drop this object). */
export const sections: CliCatalog = { frame, lint, stylish, team, preview };
