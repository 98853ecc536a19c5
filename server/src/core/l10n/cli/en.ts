// The English catalog of what the CLI, the WeChat API client and the simulator print (en.ts has
// the language service's strings). One export per section, so a bundle keeps only the sections
// its commands use. zh-cn.ts (beside it) has the same sections, each typed by the one here
// (CliCatalog[…]): a key missing there, or one only there, fails `npm run typecheck`.
// WeChat's own errmsg strings are never in here: they are printed verbatim next to these.
// Machine-readable output (--format json/sarif/github) takes none of these strings as keys.

/** "1 template", "2 templates". */
const n = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

type Args = Record<string, string | number>;

/** The frame around every command (server/src/cli/main.ts). */
export const frame = {
  usageHint: 'Run "wxmsg --help" for usage.',
  internalError: (detail: string) => `internal error: ${detail}`,
  unknownCommand: (name: string) => `unknown command "${name}"`,
  /** --locale / WXMSG_LOCALE naming a language wxmsg does not speak. */
  unsupportedLocale: (name: string, value: string, supported: string) => `${name} "${value}" is not supported; supported locales: ${supported}`,
  unknownFormat: (name: string, choices: string) => `unknown format "${name}" (use ${choices})`,
  needsValue: (flag: string) => `${flag} needs a value`,
  /** NODE_DEBUG naming modules that would print the access token (cli/main.ts, cli/nodeDebug.ts). */
  nodeDebugRefused: (names: string, count: number, childProcess: boolean) => `NODE_DEBUG names ${names}: Node would print the access token with every request${childProcess ? ' (wxmsg cannot run itself again without them: child_process would print the credentials in its environment)' : ''}. Unset NODE_DEBUG (or remove ${count === 1 ? 'it' : 'them'}) and run again`,
  nodeDebugRespawn: (names: string, count: number) => `NODE_DEBUG names ${names}, which would print the access token: running again without ${count === 1 ? 'it' : 'them'}`,
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

/** send, upload, typing and media get (cli/commands/send.ts, upload.ts, typing.ts). */
export const api = {
  /** What did not happen, before ": <why>". */
  refused: { send: 'not sent', upload: 'not uploaded', typing: 'typing not set', media: 'not downloaded' } as Record<'send' | 'upload' | 'typing' | 'media', string>,
  /** "not sent: <why>". */
  refusal: (what: string, why: string) => `${what}: ${why}`,
  timeout: (value: string) => `--timeout needs milliseconds between 1 and 600000, not "${value}"`,
  tokenEndpoint: (value: string) => `--token-endpoint is stable or token, not "${value}"`,
  /** --token-endpoint token: confirmed with --yes or at the prompt. */
  plainNeedsYes: '--token-endpoint token needs --yes when wxmsg does not run in a terminal',
  plainPrompt: 'Invalidate the token your servers hold and go on? [y/N] ',
  plainCancelled: 'cancelled',
  apiBaseEmpty: '--api-base needs a value (empty would mean the real WeChat API)',
  apiBaseEnvEmpty: 'WXMSG_API_BASE is set but empty (empty would mean the real WeChat API): set it to a URL, or unset it to use https://api.weixin.qq.com',
  tokenTooShort: (length: number) => `WXMSG_ACCESS_TOKEN is ${n(length, 'character')} long: a real access token has 100 or more; refusing it (the value is not shown)`,
  secretTooShort: (length: number) => `WXMSG_APPSECRET is ${n(length, 'character')} long: a real AppSecret has 32; refusing it (the value is not shown)`,
  noAppidBecause: (problems: string) => `no appid: ${problems}; fix it or pass --appid`,
  noAppid: 'no appid: pass --appid or run inside a mini program project (project.config.json)',
  noCredentials: 'no credentials: set WXMSG_APPSECRET (the mini program\'s AppSecret) or WXMSG_ACCESS_TOKEN in the environment',
  bothCredentials: 'using WXMSG_ACCESS_TOKEN (WXMSG_APPSECRET is also set and is ignored)',
  /** The decoded answer's lines (after the official Chinese and the English line). */
  cause: 'cause:  ',
  action: 'action: ',
  rid: (rid: string) => `rid:    ${rid} (quote it to WeChat support)`,
  /** WeChat's own errmsg, verbatim; English output shows it only for a code wxmsg does not know. */
  errmsg: (errmsg: string) => `errmsg: ${errmsg}`,
  note: (note: string) => `note: ${note}`,
  apiError: (errcode: number, description: string) => `WeChat answered errcode ${errcode} ${description}`,
  unknownErrcode: (errmsg: string) => ` (unknown errcode; errmsg "${errmsg}")`,
  // send
  sendOne: (count: number) => `send takes exactly one template file (got ${count})`,
  toRequired: '--to <alias|openid> is required',
  noVarsFile: (file: string) => `--vars ${file}: no such file`,
  templateErrors: (file: string, errors: number) => `${file} has ${n(errors, 'error')}`,
  templateWarnings: (file: string, count: number) => `${file} has ${count} warning${count === 1 ? '' : 's'} or hint${count === 1 ? '' : 's'} (see wxmsg lint); sending anyway`,
  historyNotRecorded: (file: string, reason: string) => `notice: the send was not recorded in ${file}: ${reason}`,
  where: (appid: string | undefined, host: string) => `appid ${appid ?? '(from the token)'} via ${host}`,
  sent: (file: string, to: string, where: string) => `✔ sent ${file} to ${to} (${where})`,
  refreshed: ' (after refreshing the access token)',
  notSent: (why: string) => `✖ not sent: ${why}`,
  deliveryUnknown: (why: string) => `✖ delivery unknown: ${why}`,
  attempts: (to: string, where: string, attempts: number) => `to ${to}, ${where}, ${n(attempts, 'attempt')}`,
  // upload
  uploadOne: (count: number) => `upload takes exactly one image file (got ${count})`,
  uploaded: (file: string, host: string, expires: string) => `✔ uploaded ${file} via ${host}; temporary media expire after 3 days (${expires})`,
  recorded: (ledger: string, source: string) => `recorded in ${ledger} (source ${source})`,
  notRecorded: (reason: string) => `not recorded in the media ledger: ${reason}`,
  ledgerNoAppid: 'the appid is not known (pass --appid)',
  notUploaded: (why: string) => `✖ not uploaded: ${why}`,
  // typing
  typingOnOff: (got: string) => `typing takes on or off (got ${got || 'nothing'})`,
  toOpenidRequired: '--to <openid> is required',
  hint: (text: string) => `note: ${text}`,
  typingSet: (command: string, to: string, host: string) => `✔ ${command} → ${to} via ${host}: errcode 0`,
  typingShown: ' (shown for 15 s or until a message is sent)',
  typingRefused: (command: string, why: string) => `✖ ${command} refused: ${why}`,
  typingFailed: (command: string, why: string) => `✖ ${command} not set: ${why}`,
  // media get
  mediaSub: (got: string | undefined) => `media has one subcommand: get <media_id> (got ${got === undefined ? 'nothing' : `"${got}"`})`,
  mediaOne: 'media get takes exactly one media_id',
  outputName: '-o needs a file name',
  cannotWrite: (file: string, reason: string) => `cannot write ${file}: ${reason}`,
  downloadedButNot: (why: string) => `✖ downloaded but ${why}`,
  downloaded: (bytes: number, type: string, host: string) => `✔ ${bytes} bytes (${type}) from ${host}`,
  notDownloaded: (why: string) => `✖ not downloaded: ${why}`,
};

/**
 * A decoded WeChat answer as the extension shows it (wechat/decodedLines.ts, style 'editor': the
 * send result's diagnostic, the upload / typing / media notifications). The cause and action
 * come from the errcodes section; WeChat's errmsg is put in verbatim.
 */
export const editor = {
  head: (errcode: number, description: string) => `WeChat API errcode ${errcode}: ${description}`,
  headUnknown: (errcode: number, errmsg: string) => `WeChat API errcode ${errcode} (not in wxmsg's table): ${errmsg}`,
  noErrmsg: '(no errmsg)',
  cause: (cause: string) => `Cause: ${cause}.`,
  action: (action: string) => `What to do: ${action}.`,
  errmsg: (errmsg: string) => `errmsg: ${errmsg}`,
  rid: (rid: string) => `rid: ${rid} (quote it to WeChat support / getRidInfo)`,
  /** The short form for a CodeLens: "45047 客服接口下行条数超过上限", an unknown code's errmsg. */
  summary: (errcode: number, text: string) => `${errcode} ${text}`,
  unknownError: 'unknown error',
};

/** The delivery rules as the 45015 / 45047 texts quote them (windows already in words). */
export interface ErrcodeWindow { msgMax: number; msgWin: string; enterMax: number; enterWin: string }

/**
 * What wxmsg makes of an errcode (core/facts/errcodes.ts has the codes, WeChat's own words and the
 * retry policy): the likely cause and what to do. The codes here and there are the same set.
 */
export const errcodes = {
  help: (w: ErrcodeWindow) => {
    const ipAdmin = {
      cause: 'WeChat asks the mini program\'s administrator to approve calls from this machine\'s IP address',
      action: 'ask the administrator to approve the request in WeChat, then retry later',
    };
    const tooLong = (field: string, code: number) => ({ cause: `the link message's \`${field}\` exceeds WeChat's limit (errcode ${code})`, action: `shorten \`link.${field}\`` });
    return {
      [-1]: { cause: 'a temporary failure on WeChat\'s side', action: 'retry in a few seconds (wxmsg already retried twice)' },
      0: { cause: 'the message was accepted', action: 'nothing to do' },
      40001: { cause: 'the AppSecret is wrong, or the access token is stale or belongs to another mini program', action: 'check the AppSecret (WeChat: Set AppSecret / WXMSG_APPSECRET) and that it belongs to this appid' },
      40002: { cause: 'the token request did not use grant_type=client_credential', action: 'use grant_type=client_credential' },
      40003: { cause: 'the OpenID belongs to another appid (OpenIDs differ per mini program), is mistyped, or the body was not sent as JSON', action: 'use an OpenID of a user of this mini program (appid shown above)' },
      40004: { cause: 'the uploaded file is not an image WeChat accepts', action: 'upload a JPG or PNG image' },
      40007: { cause: 'the media_id was never issued to this appid or has expired (temporary media live 3 days)', action: 'upload the image again (wxmsg upload) and use the new media_id' },
      40008: { cause: 'msgtype is not one WeChat knows', action: 'use text, image, link or miniprogrampage' },
      40009: { cause: 'the uploaded image exceeds WeChat\'s size limit', action: 'shrink the image (documented limits vary: 2 MB or 10 MB)' },
      40013: { cause: 'the appid is mistyped or not a mini program\'s', action: 'check the appid (case, stray characters) in project.config.json or wxmsg.appid / --appid' },
      40014: { cause: 'the access token is malformed or not this mini program\'s', action: 'get a new token (wxmsg does this once automatically with an AppSecret)' },
      40033: { cause: 'the body holds \\uxxxx-escaped text', action: 'send UTF-8 text, not \\u escapes' },
      40066: { cause: 'the request went to an API path WeChat does not have (users report it for mistyped /cgi-bin/ paths)', action: 'check the API base URL and path (wxmsg.api.baseUrl / --api-base)' },
      40101: { cause: 'on /cgi-bin/message/custom/business/send, the customer-service sub-merchant (客服子商户) endpoint, the `businessid` of the sub-merchant is missing', action: 'add the sub-merchant\'s `businessid` to the body; a mini program without sub-merchants posts to /cgi-bin/message/custom/send instead' },
      40200: { cause: 'the appid is not of an account type this API serves (e.g. an Official Account appid on a mini program API, or the reverse)', action: 'use the mini program\'s own appid and AppSecret (project.config.json or wxmsg.appid / --appid)' },
      40125: { cause: 'the AppSecret does not match the appid (it may have been reset)', action: 'copy the AppSecret again from the mini program admin console and set it anew' },
      40164: { cause: 'this machine\'s IP is not in the mini program\'s API IP allowlist', action: 'add this machine\'s IP in the mini program\'s development settings' },
      40165: { cause: '`miniprogrampage.pagepath` is not a page of the mini program', action: 'use a page listed in app.json (wxmsg lint checks this when it finds app.json)' },
      40243: { cause: 'the AppSecret was frozen in the admin console', action: 'unfreeze it in the mini program admin console' },
      41001: { cause: 'the request carried no access_token', action: 'set an AppSecret or an access token' },
      41002: { cause: 'the token request carried no appid', action: 'pass the appid (--appid or project.config.json)' },
      41004: { cause: 'the token request carried no AppSecret', action: 'set the AppSecret (WXMSG_APPSECRET or WeChat: Set AppSecret)' },
      41005: { cause: 'the upload carried no file in the `media` field', action: 'upload the image as multipart field "media" (wxmsg upload does)' },
      41006: { cause: 'the media_id field is empty', action: 'fill in the media_id from wxmsg upload' },
      42001: { cause: 'the access token expired', action: 'get a new token (wxmsg does this once automatically with an AppSecret)' },
      43002: { cause: 'the API was called with GET (or another method) where it only takes POST', action: 'send the request as POST with a JSON body (wxmsg send does)' },
      44001: { cause: 'the uploaded file is empty (0 bytes)', action: 'upload a non-empty JPG or PNG image' },
      44002: { cause: 'the request body was empty', action: 'send the template as the JSON body' },
      44004: { cause: '`text.content` is empty', action: 'write the message text' },
      45002: { cause: 'the message content is too long', action: 'shorten the text' },
      45003: tooLong('title', 45003),
      45004: tooLong('description', 45004),
      45005: tooLong('url', 45005),
      45006: tooLong('thumb_url', 45006),
      45009: { cause: 'the daily quota for this API (token calls included) is used up', action: 'wait; token calls are limited per day (wxmsg caches tokens to spare them)' },
      45011: { cause: 'too many calls this minute', action: 'retry next minute' },
      45015: { cause: `the user has not messaged recently: replies are allowed within ${w.msgWin} after the user's last message (${w.enterWin} after entering through the customer-service button). Windows do not add up: a new action moves the deadline to the later of the current one and now + its window`, action: 'ask the test user to send a message to the mini program\'s customer service first, then send again' },
      45047: { cause: `each user message allows ${w.msgMax} messages within ${w.msgWin}; entering through the customer-service button allows ${w.enterMax} within ${w.enterWin}. Allowances do not add up: a new action sets the messages left to the larger of what is left and its own quota (a user who messaged and then enters, with nothing sent yet, still has ${Math.max(w.msgMax, w.enterMax)}, not ${w.msgMax + w.enterMax})`, action: `wait for the user to message again; that raises the messages left to ${w.msgMax} (if fewer are left) within ${w.msgWin}` },
      45072: { cause: 'the typing command is neither Typing nor CancelTyping', action: 'use "Typing" or "CancelTyping"' },
      45080: { cause: 'typing status needs an exchange with the user in the last 30 seconds', action: 'send typing right after the user messages' },
      45081: { cause: 'a typing status is already shown', action: 'send CancelTyping first' },
      45162: { cause: 'the msgtype exists for Official Accounts (e.g. news) but not for mini programs', action: 'use text, image, link or miniprogrampage' },
      46001: { cause: 'the media_id is unknown or expired (3 days)', action: 'upload the image again' },
      47001: { cause: 'the body is not valid JSON or lacks a required field', action: 'validate the template (wxmsg lint) and send again' },
      48001: { cause: 'customer service is not enabled for this mini program', action: 'enable customer service in the mini program admin console' },
      48002: { cause: 'the user turned off receiving messages', action: 'nothing to do from here; the user must allow messages' },
      48004: { cause: 'WeChat banned this API for the account', action: 'see the notice in the admin console' },
      50002: { cause: 'the account is restricted', action: 'see the notice in the admin console' },
      61004: { cause: 'this machine\'s IP is not registered for API calls', action: 'add this machine\'s IP to the allowlist' },
      61007: { cause: 'a third-party platform called this API for the mini program, but the mini program has not authorized this API\'s permission set to it', action: 'have the mini program\'s administrator authorize the permission set to the third-party platform again, or call with the mini program\'s own token' },
      61016: { cause: 'the permission set that holds this API has not been confirmed by the third-party platform for this mini program', action: 'confirm the permission set on the third-party platform (or call with the mini program\'s own token)' },
      87014: { cause: 'WeChat\'s content check rejected the text', action: 'change the content' },
      89501: ipAdmin,
      89502: ipAdmin,
      89503: ipAdmin,
      89504: ipAdmin,
      89505: ipAdmin,
      89506: { cause: 'the administrator refused calls from this IP twice', action: 'talk to the administrator; retry after 24 hours' },
      89507: { cause: 'the administrator refused a call from this IP', action: 'talk to the administrator; retry after 1 hour' },
    };
  },
};

type Phase = 'token' | 'send' | 'upload' | 'typing' | 'media';
const PHASE: Record<Phase, string> = { token: 'getting an access token', upload: 'uploading', typing: 'setting the typing status', media: 'downloading media', send: 'sending' };
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const BASE_URL_SETTING = 'wxmsg.api.baseUrl (CLI: --api-base or WXMSG_API_BASE)';
const TIMEOUT_SETTING = 'wxmsg.api.timeout (CLI: --timeout)';
const MAYBE_DELIVERED = ' The message may or may not have been delivered: check with the test user before sending again.';

/**
 * The WeChat layer's failures in words (server/src/wechat/: netErrors.ts, apiClient.ts, baseUrl.ts,
 * proxyEnv.ts, hosts.ts, tokenSources.ts, recipient.ts, openid.ts, template.ts, image.ts,
 * forceRefresh.ts). The API client says them in its ClientOptions.locale; what both shells show
 * (hosts, token sources, OpenID shape, notices) is built in both languages (cli/text.ts wechatBoth).
 * A plain entry is a literal without ${…} (in zh-cn.ts too): esbuild keeps an object holding a
 * template with substitutions, and the extension's activation bundle would carry the whole section.
 */
export const wechat = {
  /** Where a user changes the base URL / the timeout, named in every message about it. */
  baseUrlSetting: BASE_URL_SETTING,
  timeoutSetting: TIMEOUT_SETTING,
  // netErrors.ts
  phase: PHASE,
  unknownNote: ' The message may or may not have been delivered: check with the test user before sending again (wxmsg does not retry, to avoid a double send).',
  throughProxy: (via: string) => ` (Through ${via}.)`,
  viaProxy: (shown: string, source: string) => `the proxy ${shown} (set by ${source})`,
  viaSomeProxy: 'a proxy (from the proxy settings of this machine or VS Code)',
  proxySettings: 'the proxy settings',
  proxyAuth: ' (it asks for a user name and password: put them in the proxy URL, http://user:password@host:port)',
  tunnelRefused: (via: string, host: string, reason: string, auth: string, source: string) => `${cap(via)} refused to open a tunnel to ${host}: ${reason}${auth}. Check ${source}. Nothing was sent.`,
  cancelled: (phase: Phase) => `${PHASE[phase]} was cancelled.`,
  proxyRefused: (via: string, source: string) => `Could not connect to ${via}: connection refused (nothing is listening there). Check ${source}. Nothing was sent.`,
  proxyDns: (via: string, source: string) => `Could not resolve the host name of ${via} (DNS lookup failed). Check ${source}. Nothing was sent.`,
  proxyUnreachable: (via: string, source: string) => `${cap(via)} is unreachable from this machine (no route). Check ${source}. Nothing was sent.`,
  proxyConnectTimeout: (host: string, via: string, ms: number, source: string) => `No connection to ${host} through ${via} within ${ms} ms. Check ${source}. Nothing was sent.`,
  proxyTls: (host: string, code: string, via: string) => `The TLS certificate of ${host} was not accepted (${code}) on the tunnel through ${via}. A proxy that inspects TLS needs its CA certificate trusted (CLI: NODE_EXTRA_CA_CERTS; VS Code: the system certificate store); wxmsg never turns the check off. Nothing was sent.`,
  proxyOther: (host: string, via: string, detail: string, source: string) => `Could not open a connection to ${host} through ${via} (${detail}). Check ${source}. Nothing was sent.`,
  networkError: 'network error',
  refused: (host: string) => `Could not connect to ${host}: connection refused (nothing is listening there). Check ${BASE_URL_SETTING}; if it points at the simulator, start it with "wxmsg simulate". Nothing was sent.`,
  dns: (host: string) => `Could not resolve the host name ${host} (DNS lookup failed). Check ${BASE_URL_SETTING} and this machine's network/DNS. Nothing was sent.`,
  connectTimeout: (host: string, ms: number) => `Could not connect to ${host} within ${ms} ms. Check the network, ${BASE_URL_SETTING} and ${TIMEOUT_SETTING}. Nothing was sent.`,
  unreachable: (host: string) => `${host} is unreachable from this machine (no route). Check the network and ${BASE_URL_SETTING}. Nothing was sent.`,
  tls: (host: string, code: string) => `The TLS certificate of ${host} was not accepted (${code}). Check ${BASE_URL_SETTING} (a proxy or a wrong host?). Nothing was sent.`,
  deadline: (host: string, ms: number, phase: Phase) => `The exchange with ${host} took longer than ${ms} ms in all while ${PHASE[phase]} (the answer came too slowly). Raise ${TIMEOUT_SETTING} if the network is slow.`,
  headersTimeout: (host: string, ms: number, phase: Phase) => `No answer from ${host} within ${ms} ms while ${PHASE[phase]}. Raise ${TIMEOUT_SETTING} if the network is slow.`,
  bodyTimeout: (host: string, ms: number, phase: Phase) => `${host} started answering but stalled for more than ${ms} ms while ${PHASE[phase]}. Raise ${TIMEOUT_SETTING} if the network is slow.`,
  dropped: (host: string, phase: Phase) => `The connection to ${host} was dropped before the answer was complete while ${PHASE[phase]}. Check the network or proxy, and ${BASE_URL_SETTING}.`,
  otherNetwork: (detail: string, phase: Phase, host: string, notSent: boolean) => `A network error (${detail}) occurred while ${PHASE[phase]} with ${host}. Check the network and ${BASE_URL_SETTING}.${notSent ? ' Nothing was sent.' : ''}`,
  // apiClient.ts
  tokenEmpty: 'the access token is empty',
  noAppid: 'no appid: set wxmsg.appid / --appid or add project.config.json',
  secretEmpty: 'the AppSecret is empty',
  tokenNotWeChat: (host: string) => `the token answer from ${host} holds neither an access_token nor an errcode: not a WeChat API answer. Check ${BASE_URL_SETTING}.`,
  tokenFailed: (appid: string, errcode: number, description: string) => `getting an access token for appid ${appid} failed: errcode ${errcode} ${description}`,
  cancelledRetry: 'cancelled while waiting to retry (WeChat answered -1, system busy: nothing was delivered).',
  cancelledBefore: (upload: boolean) => `${upload ? 'Upload' : 'Send'} cancelled before the request was made: nothing was ${upload ? 'uploaded' : 'sent'}.`,
  noErrcode: (host: string, upload: boolean) => `the answer from ${host} is JSON but holds no errcode and no ${upload ? 'media_id' : 'success marker'}: not a WeChat API answer. Check ${BASE_URL_SETTING}.`,
  uploadNoMediaId: (host: string) => `the upload answer from ${host} has no media_id: not a WeChat API answer. Check ${BASE_URL_SETTING}.`,
  readyTokenInvalid: 'The access token you provided (WeChat: Set Access Token / WXMSG_ACCESS_TOKEN) is invalid or expired; wxmsg cannot refresh a token it did not obtain: set a new one, or set the AppSecret instead.',
  freshTokenRejected: 'WeChat rejected a freshly issued token too: check that the AppSecret belongs to this appid.',
  notForced: (agoS: number, waitS: number) => `WeChat rejected the access token, and stable_token still hands out that same token. A forced refresh for this appid was made ${agoS} s ago (by wxmsg, maybe in another process): wxmsg does not force twice within 30 s (it would invalidate the token your servers hold, and WeChat ignores it). Retry in ${waitS} s; if it persists, check the AppSecret.`,
  fileTooLarge: (host: string, max: number) => `the file from ${host} is larger than ${max} bytes: not a temporary media file. Check ${BASE_URL_SETTING}.`,
  answerTooLarge: (host: string, max: number) => `the answer from ${host} is larger than ${max} bytes: not a WeChat API answer. Check ${BASE_URL_SETTING}.`,
  http5xx: (host: string, status: number, send: boolean) => `${host} answered HTTP ${status} (a server or gateway failure; WeChat itself answers 200 with an errcode). Retry later or check ${BASE_URL_SETTING}.${send ? MAYBE_DELIVERED : ''}`,
  httpOther: (host: string, status: number, route: string) => `${host} answered HTTP ${status} for ${route}: this is not the WeChat API answering. Check ${BASE_URL_SETTING}. Nothing was delivered.`,
  notJson: (host: string, status: number, type: string, bytes: number) => `the answer from ${host} is not JSON (HTTP ${status}, ${type}, ${bytes} bytes): not a WeChat API answer. Check ${BASE_URL_SETTING}.`,
  notObject: (host: string) => `the answer from ${host} is JSON but not an object: not a WeChat API answer. Check ${BASE_URL_SETTING}.`,
  maybeDelivered: MAYBE_DELIVERED,
  // image.ts
  notAFile: (name: string) => `${name} is not a file`,
  cannotRead: (name: string, code: string) => `cannot read ${name}: ${code}`,
  imageTooLarge: (name: string, mb: string) => `${name} is ${mb} MB; images for WeChat must be at most 10 MB. Nothing was uploaded.`,
  imageEmpty: (name: string) => `${name} is empty. Nothing was uploaded.`,
  notAnImage: (name: string) => `${name} is not a JPEG, PNG or GIF image. Nothing was uploaded.`,
  // baseUrl.ts
  baseEmpty: (real: string) => `the API base URL is empty; set ${BASE_URL_SETTING} to a URL (the real WeChat API is ${real}) or leave it unset`,
  baseNotUrl: (text: string, real: string) => `the API base URL "${text}" is not a URL; set ${BASE_URL_SETTING} to e.g. ${real}`,
  baseUserInfo: 'the API base URL must not carry a user name or password; check wxmsg.api.baseUrl (CLI: --api-base or WXMSG_API_BASE)',
  baseQuery: 'the API base URL must not carry a query or fragment; check wxmsg.api.baseUrl (CLI: --api-base or WXMSG_API_BASE)',
  basePlainHttp: (host: string) => `refusing plain http to ${host}: http is allowed only for this machine (127.0.0.1, localhost, [::1], e.g. the simulator); use https or fix ${BASE_URL_SETTING}`,
  baseScheme: (protocol: string) => `the API base URL must start with https:// (http:// only for loopback), not ${protocol}//; check ${BASE_URL_SETTING}`,
  // proxyEnv.ts
  proxyNotUrl: (source: string, value: string) => `${source} is not a proxy URL: "${value}" (expected e.g. http://proxy.example.com:3128 or socks5://127.0.0.1:1080)`,
  proxyScheme: (source: string, scheme: string) => `${source} uses the proxy scheme ${scheme}://, which wxmsg does not support (use http://, https://, socks5:// or socks5h://)`,
  proxyNoHost: (source: string, value: string) => `${source} names no proxy host: "${value}"`,
  proxyPath: (source: string, shown: string) => `${source} must be a proxy address without a path or query ("${shown}")`,
  // hosts.ts
  allowedHostsSetting: 'WXMSG_ALLOWED_HOSTS (VS Code: wxmsg.api.allowedHosts, a machine setting)',
  hostNotUrl: (what: string, shown: string) => `${what} "${shown}" is not a URL`,
  hostUserInfo: (what: string) => `${what} must not carry a user name or password`,
  hostScheme: (what: string, protocol: string, host: string) => `${what} must be https (plain http only for 127.0.0.1, localhost and [::1]), not ${protocol}//${host}`,
  hostNotAllowed: (what: string, host: string, official: readonly string[], setting: string) => `${what} points at ${host}, which is not an official WeChat API host (${official.join(', ')}), this machine, or on your allow-list: refusing to send it a secret or token. If you trust it, add ${host} to ${setting}; a project file cannot do that for you`,
  // tokenSources.ts
  cmdNotFound: (shown: string, cwd: string) => `the token-command ${shown} was not found (it runs from ${cwd}, without a shell)`,
  cmdDenied: (shown: string) => `the token-command ${shown} cannot be run (permission denied)`,
  cmdTooMuch: (shown: string, max: number) => `the token-command ${shown} printed more than ${max} bytes: not a token`,
  cmdTimeout: (shown: string, s: number) => `the token-command ${shown} did not finish within ${s} s and was stopped`,
  cmdFailed: (shown: string, code: string) => `the token-command ${shown} failed (exit code ${code}); its output is not shown`,
  cmdNothing: (shown: string) => `the token-command ${shown} printed nothing: no token`,
  cmdWords: (shown: string) => `the token-command ${shown} printed more than one word: print only the access token (the output is not shown)`,
  cmdShort: (shown: string, length: number) => `the token-command ${shown} printed ${length} characters: a real access token has 100 or more (the output is not shown)`,
  svcUnreachable: (host: string, code: string | undefined) => `the token service ${host} could not be reached (${code ?? 'network error'})`,
  svcTooMuch: (host: string, max: number) => `the token service ${host} answered more than ${max} bytes: not a token answer`,
  svcBroke: (host: string) => `the token service ${host} broke off its answer`,
  svcHttp: (host: string, status: number, header: string | undefined) => `the token service ${host} answered HTTP ${status}${header ? ` (check the ${header} value)` : ''}; the body is not shown`,
  svcNotJson: (host: string, expected: string) => `the token service ${host} did not answer JSON (expected ${expected})`,
  svcNoToken: (host: string, expected: string) => `the token service ${host} answered without "access_token" (expected ${expected})`,
  svcShort: (host: string, length: number) => `the token service ${host} answered an access_token of ${length} characters: a real one has 100 or more (not shown)`,
  // openid.ts
  openIdShape: (shown: string, length: number) => `"${shown}" does not look like an OpenID of this app: OpenIDs have 28 characters of A-Z, a-z, 0-9, _ and - (this one has ${length}).`,
  openIdPrefix: (shown: string, head: string) => `"${shown}" does not look like an OpenID of this app: this app's test users' OpenIDs all start with "${head}" (OpenIDs differ per appid).`,
  // template.ts
  templateErrors: (count: number) => `the template has ${count} error${count === 1 ? '' : 's'}; fix ${count === 1 ? 'it' : 'them'} before sending`,
  missingVariables: (names: string, count: number, flags: string) => `no value for ${names}: give ${count === 1 ? 'it' : 'them'} with ${flags} (or --vars, the profile's vars, a *.vars.json next to the template, or a {{name|default}})`,
  placeholder: (key: string, value: string) => `${key} is still the placeholder ${value}`,
  placeholders: (fields: string[]) => `${fields.join('; ')}: upload the image first (WeChat: Upload Image… in VS Code, or wxmsg upload <image>) and put the media_id it prints in the template`,
  notAnObject: 'the template is not a JSON object',
  // forceRefresh.ts
  cannotRecord: (dir: string, why: string) => `cannot record the forced token refresh in ${dir} (${why}); going on, but another wxmsg process could force again within 30 s. Set WXMSG_CACHE_DIR to a writable folder.`,
};

/** wechat/recipient.ts, apart so that what the extension loads at activation (checkOpenId) stays small. */
export const recipient = {
  openIdEmpty: 'the OpenID is empty',
  openIdChars: 'an OpenID holds only letters, digits, "_" and "-" (28 characters in practice)',
};

type ReplyProblem = 'plain-reply-in-safe-mode' | 'bad-msg-signature' | 'undecryptable' | 'wrong-appid' | 'no-key' | 'not-transfer' | 'unrecognised' | 'http-status' | 'transfer-of-event';

/** Message pushes (wechat/push/: pushText.ts, config.ts; cli/commands/push.ts; the simulator's push lines). */
export const push = {
  /** Why a server's answer to a push is wrong (`d`: the detail). */
  reasons: {
    'plain-reply-in-safe-mode': () => 'in safe mode a reply other than "success" or an empty body must be encrypted',
    'bad-msg-signature': () => 'the encrypted reply\'s MsgSignature does not match sha1(sort(Token, TimeStamp, Nonce, Encrypt))',
    undecryptable: (d?: string) => `the encrypted reply does not decrypt (${d})`,
    'wrong-appid': (d?: string) => `the encrypted reply ends with appid "${d}", not this mini program's`,
    'no-key': () => 'the reply is encrypted but no EncodingAESKey is configured',
    'not-transfer': (d?: string) => `a mini program answers a push only with "success", an empty body or transfer_customer_service${d ? `, not MsgType "${d}" (reply through custom/send instead)` : ''}`,
    unrecognised: () => 'the answer is neither "success", an empty body nor a transfer_customer_service reply',
    'http-status': (d?: string) => `HTTP ${d}: WeChat expects 200`,
    'transfer-of-event': () => 'an event was transferred: trans.html says to transfer only user messages, not events such as user_enter_tempsession',
  } as Record<ReplyProblem, (d?: string) => string>,
  noAnswer: (seconds: number) => `no answer within ${seconds} s`,
  cannotConnect: (error: string) => `cannot connect (${error})`,
  verifyPassed: (ms: number) => `URL verification passed: the server echoed echostr back (${ms} ms)`,
  verifyWrongEcho: (what: string, echostr: string, whitespace: boolean) => `URL verification FAILED: the server answered ${what} instead of echostr ${echostr}${whitespace ? ' (extra whitespace: it must be echoed exactly)' : ''}`,
  verifyFailed: (why: string) => `URL verification FAILED: ${why}`,
  attempt: (n: number, of: number, what: string) => `try ${n}/${of}: ${what}`,
  handled: (empty: boolean) => `accepted: the server answered ${empty ? 'with an empty body' : '"success"'}`,
  transfer: (note: string | undefined) => `accepted: transfer_customer_service — WeChat hands this message to the web customer-service tool${note ? ` (note: ${note})` : ''}`,
  tries: (count: number) => `, ${count} tries`,
  refused: (why: string, userSees: string) => `refused: ${why}. The user sees "${userSees}"`,
  // wxmsg push
  labels: { verify: 'verify', push: 'push', body: 'body', message: 'message', answer: 'answer', reply: 'reply', verdict: 'verdict' } as Record<'verify' | 'push' | 'body' | 'message' | 'answer' | 'reply' | 'verdict', string>,
  modes: { plain: 'plain mode', compat: 'compat mode', safe: 'safe mode' } as Record<'plain' | 'compat' | 'safe', string>,
  noPush: 'no message pushed: the URL verification failed (WeChat would not save this configuration)',
  unknownFormat: (format: string) => `unknown format "${format}" (use text or json)`,
  oneKind: (kinds: string, count: number) => `push takes one message kind: ${kinds} (got ${count})`,
  unknownKind: (kind: string, kinds: string) => `unknown push "${kind}": use ${kinds}`,
  urlRequired: '--url is required: the push URL of your server (e.g. http://127.0.0.1:8701/wechat)',
  timeout: (value: string) => `--timeout needs milliseconds between 1 and 600000, not "${value}"`,
  appid: (value: string | undefined) => `--appid needs a mini program appid: "wx" followed by 16 hex digits, not "${value}"`,
  needsValue: (flag: string) => `${flag} needs a value`,
  // config.ts
  format: (flag: string, value: string) => `${flag} is xml or json, not "${value}"`,
  tokenUnset: (env: string) => `${env} is not set: every push is signed with the Token from the message-push settings (3 to 32 letters or digits)`,
  tokenShape: (env: string, length: number, other: boolean) => `${env} must be 3 to 32 letters or digits, as the admin console requires (it has ${length} characters${other ? ', some of them not letters or digits' : ''})`,
  keyShape: (env: string, length: number, other: boolean) => `${env}: the EncodingAESKey must be exactly 43 characters of A-Z, a-z, 0-9 (base64)${length !== 43 ? `; it has ${length}` : ''}${other ? '; it holds other characters' : ''}`,
  mode: (flag: string, value: string) => `${flag} is plain, compat or safe, not "${value}"`,
  modeNeedsKey: (mode: string, env: string, flag: string) => `${mode} mode encrypts every push: set ${env} to the 43-character EncodingAESKey (or use ${flag} plain)`,
  urlNotUrl: (flag: string, shown: string) => `${flag} "${shown}" is not a URL (e.g. http://127.0.0.1:8701/wechat)`,
  urlScheme: (flag: string, protocol: string) => `${flag} must start with http:// or https://, not ${protocol}//`,
  urlUserInfo: (flag: string) => `${flag} must not carry a user name or password`,
  urlHash: (flag: string) => `${flag} must not carry a #fragment`,
  urlRemote: (flag: string, host: string, allowFlag: string) => `${flag} points at ${host}, not this machine: pushes go to loopback (127.0.0.1, localhost, [::1]) unless you add ${allowFlag}`,
};

/** wxmsg demo (cli/commands/demo.ts): the tour. */
export const demo = {
  oneFolder: (count: number) => `demo takes at most one folder (got ${count})`,
  noFolder: (dir: string) => `no folder ${dir}`,
  intro: 'wxmsg demo: a tour on the local WeChat API simulator (no account, nothing leaves this machine)',
  simulator: (url: string) => `1. Simulator  ${url} (in this process, stopped at the end)`,
  app: (appid: string, from: string | undefined, pages: number | undefined, secret: string) => `   app ${appid}${from ? ` from ${from}` : ''}${pages !== undefined ? `, ${pages} pages from app.json` : ''}, test AppSecret "${secret}"`,
  rule: (line: string) => `   rule: ${line}`,
  folderUnreadable: (folder: string, reason: string) => `cannot read the folder ${folder} (${reason}): its templates were not checked`,
  lint: (files: number, dir: string, errors: number, others: number) => `2. Lint       ${n(files, 'template')} under ${dir}: ${errors + others ? `${n(errors, 'error')}, ${others} warning${others === 1 ? '' : 's'} or hint${others === 1 ? '' : 's'}` : 'no problems'}`,
  noTemplates: (dir: string) => `no *.wxmsg.json templates under ${dir}: nothing to send`,
  hasErrors: (dir: string) => `the templates have errors: fix them (wxmsg lint ${dir}), then run the tour again`,
  uploaded: (image: string, mediaId: string) => `3. Upload     ${image} → media_id ${mediaId}… (temporary media: 3 days)`,
  uploadFailed: (image: string, why: string) => `3. Upload     ${image} ✖ ${why}`,
  uploadUnexpected: (image: string, why: string) => `upload of ${image}: ${why}`,
  noImage: (dir: string) => `3. Upload     no image under ${dir}: image and card templates keep their media_id (the simulator will answer 40007)`,
  sendHeader: (max: number, window: string) => `4. Send       each template to a user who just sent a message (${n(max, 'message')} within ${window} allowed)`,
  cannotRead: (file: string) => `${file} cannot be read as a template`,
  mediaNote: (field: string) => ` (${field} ← the uploaded image)`,
  quotaHeader: (file: string, count: number, to: string, max: number, window: string) => `5. Quota      ${file} ${count}× to ${to}, who entered through the customer-service button (${n(max, 'message')} within ${window} allowed): the last one is refused on purpose`,
  expected: (k: number, count: number, errcode: number) => `   ✖ ${k}/${count}  errcode ${errcode} (expected) — decoded from wxmsg's errcode catalog:`,
  rid: (rid: string) => `        rid:    ${rid} (the request id WeChat support asks for)`,
  notExpected: (k: number, count: number, outcome: string) => `   ✖ ${k}/${count}  ${outcome} (expected errcode 45047)`,
  quotaStep: (k: number, outcome: string) => `quota step ${k}: ${outcome}`,
  quotaStepNot: (k: number, outcome: string) => `quota step ${k}: ${outcome}, expected errcode 45047`,
  pushHeader: (to: string) => `6. Push       a message from ${to} pushed to examples/push-server (JSON, safe mode: signed and encrypted)`,
  pushed: (verdict: string, ms: number, tries: number) => `text "你好" → ${verdict} (${ms} ms, ${tries} ${tries === 1 ? 'try' : 'tries'})`,
  pushProblem: (what: string) => `push: ${what}`,
  noPushRecord: (status: number) => `push: the simulator answered ${status} without a push`,
  noReply: (log: string) => `push: the example server did not reply through custom/send (${log})`,
  replied: (text: string) => `   ✔ the server replied through custom/send: "${text}" errcode 0 (GET /_sim/pushes shows both sides)`,
  deliveries: (recorded: number, seen: number) => `the simulator recorded ${recorded} deliveries, the client saw ${seen}`,
  summary: (files: number, uploaded: boolean, delivered: number, recorded: number) => `Summary: ${n(files, 'template')} linted without errors, ${uploaded ? '1 image uploaded, ' : ''}${n(delivered, 'message')} delivered (the simulator recorded ${recorded})`,
  refusedAsDesigned: (description: string, english: string) => `, 1 refused as designed (errcode 45047 ${description} / ${english}).`,
  notRefused: '.',
  notAsDesigned: 'the tour did not go as designed:',
  next: (dir: string) => `Next: wxmsg simulate --project ${dir} keeps a simulator running; send to it with`,
  openInVsCode: (dir: string) => `Open ${dir} in VS Code with the extension for diagnostics, hovers and WeChat (wxmsg): Send to OpenID….`,
  /** A send's outcome on one line: WeChat's official words (and the English ones in English). */
  apiError: (errcode: number, description: string, english: string) => `errcode ${errcode} ${description} — ${english}`,
  sent: 'sent',
};

/** wxmsg simulate (cli/commands/simulate.ts): the banner and the flag checks. */
export const simulate = {
  duration: (flag: string, text: string) => `${flag} needs a duration with a unit, from 1ms to 366d (e.g. 60s, 48h), not "${text}"`,
  count: (flag: string, what: 'count' | 'messages' | 'seconds' | 'ms', min: number, max: number, text: string) => `${flag} needs ${({ count: 'a count', messages: 'a message count', seconds: 'seconds', ms: 'milliseconds' })[what]} from ${min} to ${max}, not "${text}"`,
  port: (text: string) => `--port needs a number from 0 to 65535, not "${text}"`,
  mapped: (host: string) => `--host ${host} is an IPv4-mapped IPv6 address, which the simulator does not listen on: use --host 127.0.0.1 (or ::1 for IPv6)`,
  loopback: '--host must be a loopback address (127.0.0.1, ::1, localhost): the simulator is never exposed to the network',
  appid: (value: string) => `--appid needs a mini program appid: "wx" followed by 16 hex digits, not "${value}"`,
  secretTwice: 'give the simulator\'s AppSecret once: WXMSG_SIM_SECRET (recommended) or --secret, not both',
  secretEmpty: (name: string) => `${name} is empty: give it a value, or leave it unset for the test secret`,
  secretShape: (name: string) => `${name} must be 1 to 256 printable characters without spaces`,
  noProject: (dir: string) => `no project.config.json in or above ${dir}`,
  needsPushUrl: (flag: string) => `${flag} needs --push-url`,
  cannotListen: (where: string, why: string) => `cannot listen on ${where}: ${why}`,
  portInUse: 'the port is in use (try --port 0)',
  listening: (url: string) => `wxmsg simulator listening on ${url}`,
  secretGiven: (name: string) => `the AppSecret given with ${name} (not shown)`,
  secretTest: (secret: string) => `simulator-only AppSecret: ${secret}`,
  app: (appid: string, secret: string, pages: number | undefined) => `  app      ${appid} (${secret})${pages !== undefined ? `, ${pages} pages from app.json` : ''}`,
  users: (ids: string) => `  users    ${ids} (messaged just now)`,
  moreUsers: (entered: string, stale: string, silent: string) => `           ${entered} (enters via the button at its first send: 2 within 1 min from then), ${stale} (45015), ${silent} (45015)`,
  rules: (rules: string, changed: boolean) => `  rules    ${rules}${changed ? ' (changed by flags)' : ''}`,
  ttl: (seconds: number) => `  tokens   expire after ${seconds} s`,
  forcePerDay: (count: number) => `  tokens   ${count} forced stable_token refreshes a day, then 45009`,
  try: (command: string) => `  try      ${command}`,
  control: (url: string) => `  control  ${url}`,
  push: (format: string, mode: string, url: string, tokenEnv: string, keyEnv: string | undefined) => `  push     ${format}, ${mode} mode → ${url} (Token from ${tokenEnv}${keyEnv ? `, key from ${keyEnv}` : ''}; not shown)`,
  user: (command: string) => `  user     ${command}`,
  verify: (line: string) => `  verify   ${line}`,
  /** The rules joined on one line. */
  ruleSeparator: '; ',
};

/** The simulator's console lines (server/src/simulator/: one per request, push and refusal). */
export const sim = {
  request: (method: string, path: string, force: boolean, status: number, errcode: string | undefined, fault: string | undefined) => `${method} ${path}${force ? ' (force_refresh)' : ''} → ${status}${errcode !== undefined ? ` errcode ${errcode}` : ''}${fault ? ` [fault ${fault}]` : ''}`,
  refused: (method: string, path: string, status: number, why: string) => `${method} ${path} → ${status} refused: ${why}`,
  push: (kind: string, url: string, verdict: string) => `push ${kind} → ${url}: ${verdict}`,
  /** Why a request was refused (simulator/guard.ts); the HTTP answer carries the English one. */
  wrongHost: (allowed: string, host: string) => `the simulator answers only Host ${allowed}, 127.0.0.1 or [::1] with its port, not ${host}`,
  otherOrigin: 'the control API refuses requests from another origin',
  crossSite: 'the control API refuses cross-site requests',
  contentType: 'control API POSTs need the header content-type: application/json',
};

/** wxmsg history (cli/commands/history.ts). */
export const history = {
  unknownFormat: (format: string) => `unknown format "${format}" (use text or json)`,
  limit: (value: string) => `--limit needs a whole number above 0, not "${value}"`,
  noProjectFile: (file: string, dir: string) => `no ${file} in ${dir} or above: the send history is kept only when it sets "history": {"file": "…"}`,
  noHistoryFile: (file: string) => `${file} sets no "history": {"file": "…"}: sends are not recorded (the history is opt-in)`,
  cannotRead: (file: string, why: string) => `cannot read ${file}: ${why}`,
  nothingIn: (file: string) => `No sends recorded yet in ${file}.`,
  nothing: 'No sends recorded yet.',
  badLine: (where: string) => `${where}: not a history entry (skipped)`,
  profile: (name: string) => `profile ${name}`,
};

/** --help: the command list and each command's help (cli/main.ts, cli/commands/*.ts). */
export const help = {
  main: (a: { version: string; commands: string }) => `wxmsg ${a.version} — WeChat Mini Program customer-service message templates

Usage: wxmsg <command> [options]
       wxmsg --stdio | --node-ipc     start the language server

Commands:
${a.commands}

Run "wxmsg <command> --help" for a command's options.
`,
  summaries: {
    lint: 'check *.wxmsg.json templates (default command)',
    send: 'send a template to a test user or OpenID (a profile, WXMSG_APPSECRET or WXMSG_ACCESS_TOKEN)',
    upload: 'upload an image, print its media_id (expires after 3 days)',
    simulate: 'run a local fake of the WeChat API for trying send/upload (--push-url: message push to your server)',
    typing: 'show or hide "typing…" to a user (setTyping: wxmsg typing --to <openid> on|off)',
    media: 'download temporary media (getTempMedia: wxmsg media get <media_id> [-o file])',
    push: 'play one WeChat message push (verification + signed/encrypted POST) against your server',
    allow: 'let send run the token-commands of this project\'s wxmsg.config.json (like direnv allow)',
    preview: 'write static HTML previews of templates, as WeChat shows them (--out <dir>)',
    history: 'print the sends recorded in history.file of wxmsg.config.json, newest first, with the rid',
    demo: 'a tour on the simulator: lint, upload, send each template, one decoded refusal (npm start)',
  } as Record<'lint' | 'send' | 'upload' | 'simulate' | 'typing' | 'media' | 'push' | 'allow' | 'preview' | 'history' | 'demo', string>,
  lint: (a: { parallelMin: string | number }) => `Usage: wxmsg lint [options] [paths or globs...]

Checks WeChat Mini Program customer-service message templates (*.wxmsg.json).
Without paths, every *.wxmsg.json under the current folder (skipping node_modules and .git).
The nearest wxmsg.config.json (the project file with the profiles) is checked too: its errors,
and any value in it that looks like a secret (wxmsg/secret-in-config).

Options:
  --appid <id>          the mini program's appid (default: nearest project.config.json)
  --format <name>       stylish (default), json, github, sarif
  --max-warnings <n>    exit 1 when there are more than n warnings
  --quiet               report errors only
  --locale <tag>        en or zh-CN (default: WXMSG_LOCALE, LC_ALL, LC_MESSAGES, LANG)
  --concurrency <n>     threads to lint with: "off" (default, one thread), a number, or "auto"
                        (worker threads for ${a.parallelMin}+ files when there are 3+ cores)
  --ignore <glob>       skip files and folders that match, found while walking a folder or a
                        glob (repeatable); without a slash it matches a name anywhere
  --media-ledger        also check media_ids against the media ledger (.wxmsg/media.json):
                        another appid's (error), older than 3 days (warning), unknown (info)
  -h, --help            show this help
  -v, --version         show the version

A folder under a linted path that cannot be read (permissions, a path too long, removed while
walking) is an error, never skipped in silence; a template that cannot be read is a
wxmsg/unreadable-file error. Skip either on purpose with --ignore.

Exit codes: 0 no errors, 1 lint errors (or too many warnings), 2 usage or internal error, a path
or glob that matches nothing, or a folder that cannot be read. With --format json, a usage error
is a JSON object on stdout: {"status":"error","error":{"kind":"usage","message":…}}.
`,
  send: () => `Usage: wxmsg send <file> --to <alias|openid> [--profile <name>] [options]

Sends one *.wxmsg.json template to one user through WeChat's customer-service API
(POST /cgi-bin/message/custom/send). The template is validated first (errors: nothing is sent),
comments are stripped and "touser" is replaced by --to.

Credentials come from the environment only (never flags, so they stay out of shell history):
  WXMSG_APPSECRET       the mini program's AppSecret; wxmsg gets an access token from
                        cgi-bin/stable_token (which does not invalidate the token your servers
                        hold) and keeps it in memory only
  WXMSG_ACCESS_TOKEN    or a ready access token issued centrally (used as is, never refreshed)
  WXMSG_API_BASE        the API base URL (like --api-base); set but empty is an error
  WXMSG_PROFILE         the profile of wxmsg.config.json to use (like --profile)
  WXMSG_ALLOWED_HOSTS   hosts (comma-separated, host, host:port or *.suffix) besides the official
                        WeChat API hosts and loopback that a profile may send secrets to
  WXMSG_ALLOW_TOKEN_COMMAND=1  run a profile's token-command without "wxmsg allow" (CI)
  WXMSG_CACHE_DIR       where the time of the last forced token refresh per appid is kept
                        (default $XDG_CACHE_HOME/wxmsg, else ~/.cache/wxmsg, ~/Library/Caches/wxmsg
                        or %LOCALAPPDATA%\\wxmsg); a timestamp and a hash, never a token

Proxy (chosen as curl chooses it; never for 127.0.0.1, localhost or [::1]):
  HTTPS_PROXY           proxy for https (http://, https://, socks5:// or socks5h://host:port)
  ALL_PROXY             used when HTTPS_PROXY is unset
  NO_PROXY              hosts to reach directly: names (and their subdomains), host:port,
                        IP addresses or CIDR ranges, comma-separated; * for all
  Lower-case names work too (and win). The token and the message go through an encrypted
  tunnel: the proxy sees only the host name. The API's certificate is always checked (Node's
  CA list plus NODE_EXTRA_CA_CERTS).

An AppSecret or access token under 16 characters is refused (real ones have 32 and 100+).
NODE_DEBUG naming undici, fetch, http, net or tls would print the token: wxmsg then runs again
without those names (refused when NODE_DEBUG also names child_process).

Profiles (wxmsg.config.json, found from the template's folder upwards; see README "Teams"):
  flags > WXMSG_* environment > the profile > project.config.json. WXMSG_ACCESS_TOKEN wins over
  the profile's token source. A profile's apiBase and token-url must be an official WeChat API
  host (api, api2, sh.api, sz.api, hk.api .weixin.qq.com), loopback or in WXMSG_ALLOWED_HOSTS;
  a token-command runs only after "wxmsg allow"; a production profile needs --yes. An OpenID
  that does not look like one of this app's (28 characters, the test users' common prefix) is
  sent after a warning.

Options:
  --to <alias|openid>     a test user of the profile, or the recipient's OpenID (it must belong
                          to this appid)
  --profile <name>        the profile of wxmsg.config.json (default: its defaultProfile)
  --appid <id>            the mini program's appid (default: nearest project.config.json)
  --api-base <url>        default https://api.weixin.qq.com; plain http only for 127.0.0.1,
                          localhost and [::1] (e.g. the simulator: wxmsg simulate)
  --timeout <ms>          per request (time to the answer, and between its chunks); default 10000
  --token-endpoint <name> stable (default) or token (cgi-bin/token: invalidates other servers' token;
                          asks to confirm, or needs --yes when not run in a terminal)
  -y, --yes               confirm --token-endpoint token without asking; needed for a
                          production profile
  --format <name>         text (default) or json (usage and credential errors too: a JSON
                          error object on stdout)
  --locale <tag>          en or zh-CN (what it prints, template errors, decoded errcodes)
  --var <name=value>      a value for the template variable {{name}} (repeatable)
  --vars <file.json>      values from a JSON object file ({"name": "value", …})
  -h, --help              show this help

Template variables ({{name}}, {{name|default}}) take their value from --var, then --vars, then
the profile's "vars" (wxmsg.config.json), then the template's *.vars.json (welcome.wxmsg.json → welcome.vars.json), then the default. Values
are filled into the parsed strings (quotes and backslashes are safe) and every rule runs again
on the filled message. A variable with no value refuses the send (exit 2) and is named.

History: when wxmsg.config.json (nearest above the template) sets "history": {"file": "…"},
each send appends one JSON line there (time, appid, masked OpenID, template, payload hash,
errcode, errmsg, rid, latency; never a token or secret). wxmsg history prints it.

WeChat answers errcode -1 (busy) are retried twice; 40001/42001/40014 get a fresh token and one
retry: stable_token in normal mode first, force_refresh only if that hands back the rejected
token, and never twice for one appid within 30 s (across wxmsg processes and the extension).
A timeout or a dropped connection is never retried: delivery is then unknown.

Exit codes: 0 sent (errcode 0); 1 template errors or a WeChat API error;
            2 usage, credential or network errors (including "delivery unknown").
`,
  upload: (a: { maxMb: string | number }) => `Usage: wxmsg upload <image> [options]

Uploads an image as temporary media (POST /cgi-bin/media/upload?type=image) and prints its
media_id, for "image.media_id" or "miniprogrampage.thumb_media_id".
Temporary media expire after 3 days. Each upload is recorded in the media ledger,
.wxmsg/media.json (appid, media_id, source path, sha256, time; never a token), in the nearest
folder with .wxmsg/ up to the mini program project folder. JPEG, PNG or GIF, at most ${a.maxMb} MB
(checked before anything is sent).

Credentials: WXMSG_APPSECRET or WXMSG_ACCESS_TOKEN in the environment (see wxmsg send --help).

Options:
  --appid <id>            the mini program's appid (default: nearest project.config.json)
  --api-base <url>        default https://api.weixin.qq.com (or WXMSG_API_BASE); plain http only for loopback
  --timeout <ms>          per request; default 10000
  --token-endpoint <name> stable (default) or token (cgi-bin/token: invalidates other servers' token;
                          asks to confirm, or needs --yes when not run in a terminal)
  -y, --yes               confirm --token-endpoint token without asking
  --format <name>         text (default: the media_id alone on stdout) or json
  --locale <tag>          en or zh-CN
  -h, --help              show this help

Exit codes: 0 uploaded; 1 a WeChat API error; 2 usage, file, credential or network errors.
`,
  simulate: (a: { appid: string | number; secret: string | number; ready: string | number; entered: string | number; stale: string | number; silent: string | number; rules: string | number; port: string | number; enterMax: string | number; enterWindow: string | number; userMax: string | number; userWindow: string | number; ttl: string | number; forcePerDay: string | number; tokenEnv: string | number; keyEnv: string | number }) => `Usage: wxmsg simulate [options]

Runs a local fake of the WeChat API (stable_token, token, custom/send, media/upload) on this
machine only, with fault injection, for trying wxmsg send / upload and for tests. Point
--api-base (or wxmsg.api.baseUrl) at the printed URL. Never give it a real AppSecret.

Defaults: app ${a.appid} with the test AppSecret "${a.secret}";
users ${a.ready} (messaged just now),
${a.entered} (enters through the customer-service button at its first send:
2 messages within 1 minute from then),
${a.stale} (last message 49 h ago) and ${a.silent} (never messaged).
Delivery rules: ${a.rules}.
Only media_ids it issued (media/upload, for 3 days) are valid in image and thumb_media_id.

Options:
  --port <n>                      port (default ${a.port}; 0 picks a free one)
  --host <addr>                   loopback address to listen on (default 127.0.0.1; ::1 and localhost allowed;
                                  IPv4-mapped ::ffff:127.0.0.1 is refused: use 127.0.0.1)
  --appid <id>                    the default app's appid (wx + 16 hex digits; default ${a.appid},
                                  or the --project's)
  --secret <s>                    the default app's AppSecret (default the test secret above); prefer
                                  the WXMSG_SIM_SECRET variable (argv shows in ps); never printed back.
                                  Use a made-up one, never a real AppSecret
  --project <dir>                 take the default app's appid and app.json pages from this mini program
                                  project (enables errcode 40165 for unknown pagepaths)
  --quota-enter-session <n>       messages allowed after the user enters through the button (default ${a.enterMax})
  --window-enter-session <time>   how long they may be sent (default ${a.enterWindow}: 60s)
  --quota-user-message <n>        messages allowed after the user sends a message (default ${a.userMax})
  --window-user-message <time>    how long they may be sent (default ${a.userWindow}: 48h)
                                  <time> is a number with a unit: ms, s, m, h or d (90s, 48h)
  --token-ttl <seconds>           lifetime of issued access tokens (default ${a.ttl}); then errcode 42001.
                                  stable_token (normal mode) hands out the next token 5 minutes before
                                  expiry (half the lifetime if shorter); both stay valid meanwhile
  --force-refresh-per-day <n>     forced stable_token refreshes allowed per app and day (default
                                  ${a.forcePerDay}, as WeChat's; Beijing days); then errcode 45009. A second force
                                  within 30 s returns the same token
  --push-url <url>                push user actions to your server as WeChat's message push does
                                  (URL verification at start; needs ${a.tokenEnv} in the environment)
  --push-format <f>               json (default) or xml
  --push-mode <m>                 plain, compat or safe (default safe with ${a.keyEnv}, else plain)
  --push-allow-remote             allow a push URL that is not on this machine
  --push-timeout <ms>             per try (default 5000, WeChat's 5 s; 3 tries)
  --quiet                         do not log requests (they go to stderr, without tokens)
  --locale <tag>                  en or zh-CN for the banner and the request log
  -h, --help                      show this help

Environment:
  WXMSG_SIM_SECRET                the default app's AppSecret (recommended over --secret; not both)

The delivery-rule defaults are the current official values, from the one table wxmsg shares
(server/src/core/facts/deliveryRules.ts); the flags change them for this simulator only.

Control API (JSON; /__sim/ is accepted as an alias of /_sim/): /_sim/state, /_sim/reset,
/_sim/apps, /_sim/users, /_sim/users/<openid>/message, /_sim/users/<openid>/enter, /_sim/faults,
/_sim/tokens/expire, /_sim/tokens, /_sim/delivered, /_sim/requests, /_sim/media, /_sim/clock,
/_sim/rules, /_sim/push/verify, /_sim/pushes (see the README, "The simulator" and
"Test your message handler locally"). POSTs need content-type: application/json.
It answers only Host 127.0.0.1, localhost or [::1] with its port, and keeps bounded logs.
Stops on Ctrl+C (SIGINT) or SIGTERM.
`,
  typing: () => `Usage: wxmsg typing --to <openid> on|off [options]

Shows (on) or hides (off) "typing…" to a user in the customer-service chat: setTyping,
POST /cgi-bin/message/custom/typing with command Typing or CancelTyping. It lasts 15 s or until
a message is sent. WeChat answers 45080 unless a message was exchanged with the user in the
last 30 s, 45081 while already typing, 45072 for a bad command.

Credentials and options as for wxmsg send (WXMSG_APPSECRET or WXMSG_ACCESS_TOKEN; --appid,
--api-base, --timeout, --token-endpoint, --format text|json, --locale).

Exit codes: 0 done; 1 a WeChat API error; 2 usage, credential or network errors.
`,
  media: () => `Usage: wxmsg media get <media_id> [-o <file>] [options]

Downloads temporary media (getTempMedia: GET /cgi-bin/media/get?media_id=…), e.g. the MediaId
of an image a user sent. Without -o the file is written to the current folder under the name
the server gives (else <media_id>.<ext>). An unknown or expired media_id (temporary media live
3 days) is errcode 40007. A media_id may start with "-": put it last, after "--"
(wxmsg media get -o back.png -- -Ux3…).

Credentials and options as for wxmsg send (WXMSG_APPSECRET or WXMSG_ACCESS_TOKEN; --appid,
--api-base, --timeout, --token-endpoint, --format text|json, --locale).

Exit codes: 0 downloaded; 1 a WeChat API error; 2 usage, file, credential or network errors.
`,
  push: (a: { tokenEnv: string | number; keyEnv: string | number; appid: string | number; openid: string | number; originalId: string | number; timeoutMs: string | number }) => `Usage: wxmsg push <text|image|miniprogrampage|enter> --url <url> [options]

Plays WeChat's message push once against your own server, without a simulator: first the URL
verification (GET with signature, timestamp, nonce and echostr: the server must echo echostr),
then one signed (and in compat/safe mode encrypted) POST of a customer-service message or the
user_enter_tempsession event. Prints what was sent (never the Token or the key), the answer and
a verdict. For a developer's CI.

Secrets come from the environment only:
  ${a.tokenEnv}      the Token of the message-push settings (required; 3-32 letters or digits)
  ${a.keyEnv}    the EncodingAESKey (43 characters; needed for compat and safe mode)

Options:
  --url <url>              the server's push URL (loopback only unless --push-allow-remote)
  --push-format <f>        json (default) or xml, as in the admin console
  --push-mode <m>          plain, compat or safe (default: safe with ${a.keyEnv}, else plain)
  --push-allow-remote      allow a URL that is not on this machine
  --appid <id>             the appid encrypted into the message (default ${a.appid})
  --openid <id>            the user, FromUserName (default ${a.openid})
  --to-user-name <gh_id>   the mini program's original id, ToUserName (default ${a.originalId})
  --content <text>         text: the message (default 你好); enter: the SessionFrom
  --title <t> --pagepath <p> --thumb-url <u> --thumb-media-id <id>   miniprogrampage fields
  --media-id <id> --pic-url <u>   image fields (default: made-up values)
  --skip-verify            do not run the URL verification first
  --timeout <ms>           per request (default ${a.timeoutMs}, WeChat's 5 s)
  --format <name>          text (default) or json
  --locale <tag>           en or zh-CN
  -h, --help               show this help

Exit codes: 0 the server accepted the push ("success", an empty body or transfer_customer_service);
            1 a bad echo, a wrong reply, the timeout or a 5xx;
            2 a usage error or a URL that cannot be reached.
`,
  allow: (a: { configFile: string | number; allowEnv: string | number }) => `Usage: wxmsg allow [path] [--revoke]

Lets "wxmsg send" run the token-commands of a project's ${a.configFile} (as direnv's allow does).
Read the commands first: they run on your machine with your environment. wxmsg records the
file's path and a hash of each command in your config folder ($XDG_CONFIG_HOME/wxmsg, else
~/.config/wxmsg, ~/Library/Application Support/wxmsg or %APPDATA%\\wxmsg; WXMSG_CONFIG_DIR
overrides it), never in the project. A changed command needs a new allow.
${a.allowEnv}=1 allows them for one run instead (a CI job).

  path        the project file or its folder (default: the nearest ${a.configFile} upwards)
  --revoke    forget what was allowed for this file
  -h, --help  show this help

Exit codes: 0 recorded; 2 no project file, an invalid one, or a usage error.
`,
  preview: () => `Usage: wxmsg preview [options] --out <dir> [paths or globs...]

Renders each template (*.wxmsg.json) as WeChat shows it, into static HTML pages: one page per
template at <dir>/<template path relative to the current folder, without .wxmsg.json>.html,
plus <dir>/index.html linking them all. Without paths, every *.wxmsg.json under the current
folder (skipping node_modules and .git). An invalid template still gets its page: what can be
shown, under a banner listing the problems. The pages load nothing (no scripts, no remote
images: a thumbnail is a placeholder naming its host); link targets are shown as text.

Options:
  -o, --out <dir>       folder to write the pages to (required; created if missing)
  --appid <id>          the mini program's appid (default: nearest project.config.json)
  --locale <tag>        en or zh-CN (default: WXMSG_LOCALE, LC_ALL, LC_MESSAGES, LANG)
  --ignore <glob>       skip files and folders that match (repeatable), as wxmsg lint does
  -h, --help            show this help

A template at ./index.wxmsg.json is written to <dir>/index.wxmsg.html (index.html is the list).

Exit codes: 0 pages written, no template has errors; 1 pages written, some template has errors
(its page shows them); 2 usage error: no --out, a path or glob that matches nothing, a template
outside the current folder, or a page that cannot be written.
`,
  history: (a: { projectFile: string | number }) => `Usage: wxmsg history [--limit <n>] [--format text|json]

Prints the sends wxmsg send recorded, newest first: time, result (errcode, errmsg), the rid
WeChat support asks for, template, masked OpenID, appid, profile, latency and payload hash.
Sends are recorded only when the project file (${a.projectFile}, the nearest above the current
folder) sets "history": {"file": "<path>"} (relative to that file; JSON lines). It never holds a
token or secret, and never reads the VS Code extension's history (kept in VS Code).

Options:
  --limit <n>       the newest n sends only
  --format <name>   text (default) or json (an array, newest first)
  --locale <tag>    en or zh-CN
  -h, --help        show this help

Exit codes: 0 printed (also when nothing was recorded yet); 2 no project file, no history.file,
or a file that cannot be read.
`,
  demo: () => `Usage: wxmsg demo [dir] [options]

A tour of wxmsg that needs no WeChat account and no network beyond this machine (npm start
runs it on examples/). It starts the local WeChat API simulator on a free loopback port, lints
the *.wxmsg.json templates under <dir> (default: the current folder), uploads the first image
under <dir> through the real upload path, sends every template to a simulated user through the
same client as wxmsg send (image and card templates get the media_id the simulator issued), then
sends to a user who entered through the customer-service button until the quota is used up, to
show how a refused send (errcode 45047) is decoded. It prints a summary and stops the simulator.

Options:
  --locale <tag>   en or zh-CN (the tour, lint messages and decoded errcodes)
  -h, --help       show this help

Exit codes: 0 the tour went as designed (the one refused send is expected); 1 a template has
errors or a send had an unexpected result; 2 usage or internal error.
`,
};

/** The node layer's file problems that reach the user: vars files, --var, history.file (server/src/node/). */
export const files = {
  varsSyntax: (label: string, at: string, code: string) => `${label}: JSON syntax error at ${at} (${code})`,
  varsNotObject: (label: string) => `${label} must hold one JSON object of variable names to values`,
  varsBadName: (label: string, name: string) => `${label}: "${name}" is not a variable name (letters, digits, _, . and -)`,
  varsBadValue: (label: string, name: string, kind: 'null' | 'array' | 'object') => `${label}: the value of "${name}" is ${({ null: 'null', array: 'an array', object: 'an object' })[kind]}; a variable's value is a string (or a number)`,
  notAFile: (label: string) => `${label} is not a file`,
  tooLarge: (label: string, size: number, max: number) => `${label} is ${size} bytes, over the ${max}-byte limit`,
  cannotRead: (label: string, why: string) => `${label} cannot be read: ${why}`,
  notUtf8: (label: string) => `${label} is not UTF-8`,
  varFlag: (value: string) => `--var needs name=value, not "${value}"`,
  varFlagName: (name: string) => `--var: "${name}" is not a variable name (letters, digits, _, . and -)`,
  profileVars: (name: string) => `profile "${name}"`,
  historyTooLarge: (file: string, max: number) => `${file} is over ${max} bytes`,
  historyNotObject: (file: string) => `${file} is not a JSON object (JSON syntax error)`,
  historyFile: (file: string) => `"history.file" in ${file} must be a file path (a string)`,
};

/** Every section (CliCatalog is made from it; bundles drop this object). */
export const sections = { frame, lint, stylish, team, preview, api, editor, errcodes, wechat, recipient, push, demo, simulate, sim, history, help, files };

/** What every other locale provides: the same sections and keys, each value of the same kind. */
export type CliCatalog = { readonly [S in keyof typeof sections]: { readonly [K in keyof (typeof sections)[S]]: (typeof sections)[S][K] } };
