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

/** Every section: one of CliCatalog's missing here fails the typecheck (bundles drop this object). */
export const sections: CliCatalog = { frame, lint, stylish, preview };
