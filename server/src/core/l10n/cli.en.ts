// The English catalog of what the CLI, the WeChat API client and the simulator print (en.ts has
// the language service's strings). One export per section, so a bundle keeps only the sections
// its commands use. cli.zh-cn.ts has the same sections, each typed by the one here
// (CliCatalog[…]): a key missing there, or one only there, fails `npm run typecheck`.
// WeChat's own errmsg strings are never in here: they are printed verbatim next to these.
// Machine-readable output (--format json/sarif/github) takes none of these strings as keys.

/** "1 template", "2 templates". */
const n = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

/** The frame around every command (server/src/cli/main.ts). */
export const frame = {
  usageHint: 'Run "wxmsg --help" for usage.',
  internalError: (detail: string) => `internal error: ${detail}`,
  unknownCommand: (name: string) => `unknown command "${name}"`,
  /** --locale / WXMSG_LOCALE naming a language wxmsg does not speak. */
  unsupportedLocale: (name: string, value: string, supported: string) => `${name} "${value}" is not supported; supported locales: ${supported}`,
  unknownFormat: (name: string, choices: string) => `unknown format "${name}" (use ${choices})`,
  needsValue: (flag: string) => `${flag} needs a value`,
};

/** wxmsg lint (cli/commands/lint.ts). */
export const lint = {
  noMatch: (pattern: string) => `no *.wxmsg.json files match "${pattern}"`,
  folderUnreadable: (folder: string, reason: string) => `cannot read the folder ${folder} (${reason}): its templates were not checked; fix it, or skip it on purpose with --ignore <glob>`,
  noFiles: 'no *.wxmsg.json files found',
  clean: (files: number) => `✔ ${n(files, 'template')} checked, no problems`,
  cleanQuiet: (files: number, warnings: number) => `✔ ${n(files, 'template')} checked, no errors (${n(warnings, 'warning')} hidden by --quiet)`,
  tooManyWarnings: (warnings: number, max: number) => `${n(warnings, 'warning')}, more than --max-warnings ${max}`,
  maxWarningsNumber: (value: string) => `--max-warnings needs a whole number, not "${value}"`,
  concurrency: (value: string) => `--concurrency needs a number of threads, "auto" or "off", not "${value}"`,
};

/** The stylish formatter's words (cli/formatters.ts): severities and the closing count. */
export const stylish = {
  severity: { error: 'error', warning: 'warning', info: 'info', hint: 'hint' } as Record<'error' | 'warning' | 'info' | 'hint', string>,
  summary: (total: number, errors: number, warnings: number, others: number) =>
    `✖ ${n(total, 'problem')} (${n(errors, 'error')}, ${n(warnings, 'warning')}${others ? `, ${others} info/hint` : ''})`,
  /** A project file's diagnostics cut short (formatters.ts located()). */
  more: (count: number) => `… and ${count} more (wxmsg lint shows all)`,
};

/** wxmsg preview (cli/commands/preview.ts). */
export const preview = {
  needsOut: 'wxmsg preview needs --out <dir>, the folder to write the HTML pages to',
  folderUnreadable: (folder: string, reason: string) => `cannot read the folder ${folder} (${reason}): its templates were not rendered`,
  outside: (file: string) => `${file} is outside the current folder: run wxmsg preview from a folder that contains it`,
  page: (file: string, target: string, errors: number, warnings: number) => {
    const counts = [errors ? n(errors, 'error') : '', warnings ? n(warnings, 'warning') : ''].filter(Boolean).join(', ');
    return `${file} → ${target}${counts ? ` (${counts})` : ''}`;
  },
  written: (count: number, index: string) => `✔ ${n(count, 'preview')} written; open ${index}`,
  withErrors: (count: number) => `${count} template${count === 1 ? ' has' : 's have'} errors (shown in ${count === 1 ? 'its page' : 'their pages'})`,
  cannotWrite: (file: string, reason: string) => `cannot write ${file} (${reason})`,
};

type Args = Record<string, string | number>;

/** wxmsg send / allow with the profiles of wxmsg.config.json (cli/team.ts, cli/commands/allow.ts). */
export const team = {
  warning: () => 'warning',
  profileNeedsName: () => '--profile needs a name',
  noConfigFile: (a: Args) => `--profile ${a.name}: no ${a.file} found in ${a.dir} or above`,
  errorsNoProfile: (a: Args) => `${a.file} has errors (no profile is used):`,
  errorsForProfile: (a: Args) => `${a.file} has ${a.n} error${a.n === 1 ? '' : 's'}; fix ${a.n === 1 ? 'it' : 'them'} to use profile "${a.name}":`,
  noSuchProfile: (a: Args) => `no profile "${a.name}" in ${a.file} (profiles: ${a.list || 'none'})`,
  appidDiffers: (a: Args) => `--appid ${a.flag} differs from profile "${a.name}"'s appid ${a.appid}: drop --appid, or choose another --profile`,
  whatApiBase: (a: Args) => `profile "${a.name}": apiBase`,
  whatTokenUrl: (a: Args) => `profile "${a.name}": token.url`,
  notTestUser: (a: Args) => `--to "${a.to}" is neither a test user of profile "${a.name}" (${a.list || 'it has none'}) nor an OpenID`,
  productionNeedsYes: (a: Args) => `profile "${a.name}" is marked production: sending to it needs --yes`,
  commandNotAllowed: (a: Args) => `profile "${a.name}" gets its token by running ${a.command} (from ${a.file}), which you have not allowed. Read the command, then run "wxmsg allow" in ${a.root} (a changed command needs a new allow), or set ${a.env}=1 for a CI job`,
  needsAppSecret: (a: Args) => `profile "${a.name}" takes its token from the AppSecret: set WXMSG_APPSECRET in the environment`,
  needsAccessToken: (a: Args) => `profile "${a.name}" uses a ready access token: set WXMSG_ACCESS_TOKEN in the environment`,
  inProfile: (a: Args) => `profile "${a.name}": ${a.message}`,
  headerEnvUnset: (a: Args) => `the token service needs its ${a.header} header from the environment variable ${a.env}, which is not set`,
  allowNoFile: (a: Args) => `no ${a.file} in ${a.dir} or above`,
  allowNotThere: (a: Args) => `${a.path} does not exist`,
  allowNoFileIn: (a: Args) => `no ${a.file} in ${a.path}`,
  allowOnePath: (a: Args) => `allow takes at most one path (got ${a.n})`,
  allowFixFirst: (a: Args) => `${a.file} has errors; fix them first:`,
  allowRevoked: (a: Args) => `✔ ${a.file}: no token-command allowed any more (recorded in ${a.where})`,
  allowNothing: (a: Args) => `${a.file} has no token-command: nothing to allow`,
  allowed: (a: Args) => `✔ allowed for profile "${a.name}": ${a.command}`,
  allowRecorded: (a: Args) => `  recorded in ${a.where}; a changed command needs "wxmsg allow" again`,
};

/** Every section (CliCatalog is made from it; bundles drop this object). */
export const sections = { frame, lint, stylish, team, preview };

/** What every other locale provides: the same sections and keys, each value of the same kind. */
export type CliCatalog = { readonly [S in keyof typeof sections]: { readonly [K in keyof (typeof sections)[S]]: (typeof sections)[S][K] } };
