import * as path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { ProjectResolver } from '../../node/resolver.ts';
import { projectProblem } from '../../core/l10n/messages.ts';
import { Severity, textIn, type Locale, type ProjectProblem } from '../../core/types.ts';
import { checkBaseUrl } from '../../wechat/baseUrl.ts';
import { BaseUrlError, DEFAULT_TIMEOUT_MS, WeChatClient, type ClientOptions, type Credentials, type SendResult } from '../../wechat/client.ts';
import { ProxyConfigError, proxyForUrl, type Env, type ProxyRoute } from '../../wechat/proxyEnv.ts';
import { undiciTransport } from '../../wechat/undiciTransport.ts';
import { MIN_SECRET_CHARS, redact } from '../../wechat/redact.ts';
import { escapeControl, escapeLines, safeJson } from '../../core/escape.ts';
import { decodedLines } from '../../wechat/decodedLines.ts';
import type { DecodedResult } from '../../core/facts/errcodes.ts';
import { FileForceRefreshGuard, wxmsgCacheDir, type Notice } from '../../wechat/forceRefresh.ts';
import { checkOpenId, prepareTemplate } from '../../wechat/template.ts';
import { describeRecipient, maskAmong } from '../../wechat/openid.ts';
import { chooseTeam, obtainToken, shapeWarning, teamCredentials, teamRefusal } from '../team.ts';
import { callWithTokenRefetch, staleTokenErrcode } from '../../wechat/tokenSources.ts';
import { catalog } from '../../core/l10n/catalog.ts';
import { apiText, frameText } from '../../core/l10n/cli/text.ts';
import { formatStylish } from '../formatters.ts';
import { EXIT, UsageError, jsonError, type CliIO, type Output, parseCliArgs } from '../io.ts';
import { localeFromEnv } from '../locale.ts';
import { checkTemplateFile } from '../../node/templateFiles.ts';
import { fromObject, mergeVars, parseVarFlags, readVarsFile, varsFileFor, type VarsRead } from '../../node/varsFile.ts';
import { appendHistory, findProjectFile, historyEntry, historyFileFrom } from '../../node/history.ts';
import { helpText } from '../../core/l10n/cli/text.ts';
import { frameLocale } from '../locale.ts';

/** The help of wxmsg send in `l` (the catalog's help section). */
export const sendHelp = (l?: Locale): string => helpText(l).send();
export const SEND_HELP = sendHelp('en');

export interface CommonApiArgs {
  appid?: string;
  apiBase?: string;
  timeoutMs?: number;
  tokenEndpoint?: 'stable' | 'token';
  format: 'text' | 'json';
  /** --yes: --token-endpoint token confirmed without asking. */
  yes: boolean;
  /** The language of what the command prints (--locale and the environment). */
  locale: Locale;
}

/** The options send and upload share, checked the same way. */
export function parseCommonApiArgs(v: Record<string, string | boolean | string[] | undefined>, env: CliIO['env']): CommonApiArgs {
  const locale = localeFromEnv(env, v.locale as string | undefined);
  const t = apiText(locale);
  const format = (v.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(frameText(locale).unknownFormat(format, 'text, json'));
  let timeoutMs: number | undefined;
  if (v.timeout !== undefined) {
    if (typeof v.timeout !== 'string' || !/^\d+$/.test(v.timeout) || Number(v.timeout) < 1 || Number(v.timeout) > 600_000) {
      throw new UsageError(t.timeout(String(v.timeout)));
    }
    timeoutMs = Number(v.timeout);
  }
  const te = v['token-endpoint'] as string | undefined;
  if (te !== undefined && te !== 'stable' && te !== 'token') throw new UsageError(t.tokenEndpoint(te));
  if (v.appid !== undefined && !String(v.appid).trim()) throw new UsageError(frameText(locale).needsValue('--appid'));
  // `--api-base "$SIM_URL"` with the variable unset must not fall back to the real WeChat API.
  if (v['api-base'] !== undefined && !String(v['api-base']).trim()) throw new UsageError(t.apiBaseEmpty);
  // The same for WXMSG_API_BASE="" (an unset $VAR in CI) when no --api-base overrides it.
  if (v['api-base'] === undefined && env.WXMSG_API_BASE !== undefined && !env.WXMSG_API_BASE.trim()) {
    throw new UsageError(t.apiBaseEnvEmpty);
  }
  const apiBase = (v['api-base'] as string | undefined) ?? env.WXMSG_API_BASE?.trim();
  return { appid: (v.appid as string | undefined)?.trim(), apiBase, timeoutMs, tokenEndpoint: te as CommonApiArgs['tokenEndpoint'], format, yes: v.yes === true, locale };
}


export const COMMON_API_OPTIONS = {
  appid: { type: 'string' },
  'api-base': { type: 'string' },
  timeout: { type: 'string' },
  'token-endpoint': { type: 'string' },
  format: { type: 'string', short: 'f' },
  yes: { type: 'boolean', short: 'y' },
  locale: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Both languages, as the decoded errcodes are shown: the notice matters whatever the locale. */
export function noticeLines(n: Notice): string {
  return `wxmsg: notice: ${n.en}\nwxmsg: 注意：${n.zh}\n`;
}

export const PLAIN_TOKEN_WARNING: Notice = {
  en: '--token-endpoint token gets the access token from cgi-bin/token, which issues a NEW token: the token your team\'s servers hold stops working 5 minutes later (errcode 40001) unless they fetch a new one. The default, stable_token, does not do that.',
  zh: '--token-endpoint token 通过 cgi-bin/token 获取 access_token，会签发新的 token：你们服务器持有的 token 将在 5 分钟后失效（errcode 40001），除非它们重新获取。默认的 stable_token 不会这样。',
};

/**
 * Before a command gets a token from plain cgi-bin/token: the warning, then a confirmation —
 * --yes, or a y at the prompt of an interactive run. Returns why not to go on, or undefined.
 */
export async function confirmPlainToken(args: CommonApiArgs, creds: Credentials, io: CliIO, stderr: Output): Promise<string | undefined> {
  if (args.tokenEndpoint !== 'token' || 'accessToken' in creds) return undefined;
  stderr.write(noticeLines(PLAIN_TOKEN_WARNING));
  if (args.yes) return undefined;
  const t = apiText(args.locale);
  if (!io.confirm) return t.plainNeedsYes;
  return (await io.confirm(t.plainPrompt)) ? undefined : t.plainCancelled;
}

/**
 * Credentials from the environment; a ready token wins over an AppSecret (it is the explicit choice).
 * One shorter than MIN_SECRET_CHARS is refused (a real AppSecret has 32 characters, an access
 * token 100+): it is a placeholder or a typo, and masking so short a string in every line
 * printed would garble the output. The value itself is never echoed, only its length.
 */
export function credentialsFromEnv(env: CliIO['env'], appid: string | undefined, problems: readonly ProjectProblem[] = [], locale: Locale = 'en'): Credentials | string {
  const t = apiText(locale);
  const token = env.WXMSG_ACCESS_TOKEN?.trim();
  const secret = env.WXMSG_APPSECRET?.trim();
  if (token) {
    if (token.length < MIN_SECRET_CHARS) return t.tokenTooShort(token.length);
    return { accessToken: token, ...(appid ? { appid } : {}) };
  }
  if (secret) {
    if (secret.length < MIN_SECRET_CHARS) return t.secretTooShort(secret.length);
    // A project.config.json that exists but cannot be used says why, not "add one".
    if (!appid && problems.length) return t.noAppidBecause(problems.map((p) => projectProblem(locale, p)).join(locale === 'zh-cn' ? '；' : '; '));
    if (!appid) return t.noAppid;
    return { appid, appSecret: secret };
  }
  return t.noCredentials;
}

/**
 * Writes through the redactor (whatever happens, no secret reaches the terminal) and then
 * escapeLines(): no control character and no line starting a GitHub workflow command reach it
 * either, whichever value slipped through unescaped.
 */
export function redactingOutput(out: Output, secrets: () => Iterable<string | undefined>): Output {
  return { write: (chunk: string) => out.write(escapeLines(redact(chunk, secrets()))) };
}

export type ApiCommand = 'send' | 'upload' | 'typing' | 'media';

/**
 * A command refused before it sent anything (credentials, the API base URL): exit 2, the reason
 * on stderr and, with --format json, as a JSON error object on stdout.
 */
export function refuse(out: { stdout: Output; stderr: Output }, args: Pick<CommonApiArgs, 'format' | 'locale'>, what: ApiCommand, kind: 'usage' | 'credentials', message: string): number {
  if (args.format === 'json') out.stdout.write(`${jsonError(kind, message)}\n`);
  const t = apiText(args.locale);
  out.stderr.write(`wxmsg: ${t.refusal(t.refused[what], escapeControl(message))}\n`);
  return EXIT.usage;
}

/**
 * The outputs and the client of one API command (send, upload). Everything written goes
 * through the redactor: the environment's secrets always, and once `connect()` has made the
 * client, the tokens it obtains too.
 */
export function apiSession(io: CliIO, args: CommonApiArgs, extra: SendCommandOptions = {}, moreSecrets: Set<string> = new Set()): {
  stdout: Output;
  stderr: Output;
  /** The client for `args`, or why there is none (a usage error). */
  connect(): WeChatClient | string;
} {
  const envSecrets = [io.env.WXMSG_APPSECRET, io.env.WXMSG_ACCESS_TOKEN];
  let client: WeChatClient | undefined;
  const through = (out: Output): Output => redactingOutput({ write: (s: string) => out.write(client ? client.redact(s) : s) }, () => [...envSecrets, ...moreSecrets]);
  return {
    stdout: through(io.stdout),
    stderr: through(io.stderr),
    connect() {
      const made = createClient(args, {
        forceGuard: new FileForceRefreshGuard(wxmsgCacheDir(io.env)),
        notice: (n) => io.stderr.write(redact(noticeLines(n), envSecrets)),
        ...extra,
      }, io.env);
      if (typeof made !== 'string') client = made;
      return made;
    },
  };
}

export function createClient(args: CommonApiArgs, extra: SendCommandOptions = {}, env: Env = {}): WeChatClient | string {
  const base = checkBaseUrl(args.apiBase, args.locale);
  if (!base.ok) return base.message;
  // The proxy as curl would pick it for the API host (HTTPS_PROXY, ALL_PROXY, NO_PROXY...).
  let proxy: ProxyRoute | undefined;
  try {
    proxy = proxyForUrl(base.url, env);
  } catch (e) {
    if (e instanceof ProxyConfigError) return textIn(e.texts, args.locale);
    throw e;
  }
  const timeoutMs = args.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    const { requestTls, ...options } = extra;
    return new WeChatClient({ baseUrl: base.base, timeoutMs, tokenEndpoint: args.tokenEndpoint, locale: args.locale, transport: undiciTransport({ timeoutMs, proxy, requestTls }), ...options, ownsTransport: true });
  } catch (e) {
    if (e instanceof BaseUrlError) return e.message;
    throw e;
  }
}

/** Options the in-process callers (tests) may pass: an injectable delay, a log sink. */
export type SendCommandOptions = Partial<Pick<ClientOptions, 'delay' | 'backoffMs' | 'log' | 'tokenCache' | 'forceGuard' | 'notice'>> & {
  /** Extra TLS/connect options for the API host (tests: a private CA, a lookup that stays on loopback). */
  requestTls?: ConnectionOptions;
};

export async function runSend(args: string[], io: CliIO, extra: SendCommandOptions = {}): Promise<number> {
  const parsed = parseCliArgs({ args, allowPositionals: true, options: { ...COMMON_API_OPTIONS, to: { type: 'string' }, profile: { type: 'string' }, var: { type: 'string', multiple: true }, vars: { type: 'string' } } });
  const v = parsed.values;
  if (v.help) { io.stdout.write(sendHelp(frameLocale(args, io.env))); return EXIT.ok; }
  const common = parseCommonApiArgs(v, io.env);
  const locale = common.locale;
  const t = apiText(locale);
  if (parsed.positionals.length !== 1) throw new UsageError(t.sendOne(parsed.positionals.length));
  if (v.to === undefined) throw new UsageError(t.toRequired);
  const file = parsed.positionals[0];
  const abs = path.resolve(io.cwd, file);
  const secrets = new Set<string>();
  const { stdout, stderr, connect } = apiSession(io, common, extra, secrets);
  // The profile (wxmsg.config.json): appid, API base, token source, test-user aliases.
  const team = chooseTeam(v, io, abs, locale, stderr);
  if (team.appid) common.appid = team.appid;
  if (team.apiBase) common.apiBase = team.apiBase;
  const badId = checkOpenId(team.to, locale);
  if (badId) throw new UsageError(`--to: ${badId}`);
  const to = team.to;

  // 0. Template variables: --var over --vars over the template's *.vars.json (lintFile reads that one).
  const flags = parseVarFlags(v.var ?? []);
  if ('error' in flags) throw new UsageError(flags.error);
  let fromVarsFlag: VarsRead | undefined;
  if (v.vars !== undefined) {
    fromVarsFlag = readVarsFile(path.resolve(io.cwd, v.vars), `--vars ${v.vars}`) ?? { error: t.noVarsFile(v.vars) };
    if ('error' in fromVarsFlag) return refuse({ stdout, stderr }, common, 'send', 'usage', fromVarsFlag.error);
  }
  // The profile's vars rank under --var/--vars and over the template's *.vars.json.
  let fromProfile: VarsRead | undefined;
  if (team.profile && Object.keys(team.profile.vars).length) {
    fromProfile = fromObject(team.profile.vars, `profile "${team.profile.name}"`);
    if ('error' in fromProfile) return refuse({ stdout, stderr }, common, 'send', 'usage', fromProfile.error);
  }
  const given = mergeVars(fromProfile && 'values' in fromProfile ? fromProfile.values : undefined, fromVarsFlag && 'values' in fromVarsFlag ? fromVarsFlag.values : undefined, flags.values);
  const besideName = path.basename(varsFileFor(abs));
  const beside = readVarsFile(varsFileFor(abs), besideName);
  if (beside && 'error' in beside) return refuse({ stdout, stderr }, common, 'send', 'usage', beside.error);
  const variables = mergeVars(beside?.values, given);
  // History (opt-in): checked before sending, so a broken project file is said before anything goes out.
  const projectFile = findProjectFile(path.dirname(abs));
  const history = projectFile ? historyFileFrom(projectFile) : {};
  if (history.error) return refuse({ stdout, stderr }, common, 'send', 'usage', history.error);

  // 1. Validate: errors refuse the send before any credential or network is touched. One read,
  // one parse and one validation (with the media ledger, against the context the payload is
  // prepared for): the payload below is made from the same text.
  const resolver = new ProjectResolver();
  const lint = checkTemplateFile(abs, resolver, { appid: common.appid, locale, mediaLedger: { cwd: io.cwd }, exactVariables: variables, mediaPlaceholderHint: true });
  const errors = lint.diagnostics.filter((d) => d.severity === Severity.Error);
  // A file that could not be read as a template always has an error (unreadable, too large, not UTF-8).
  if (errors.length || !lint.template) {
    if (common.format === 'json') {
      stdout.write(`${safeJson({ status: 'invalid-template', file, errors: errors.map((d) => ({ code: d.code, message: d.message, line: d.range.start.line + 1, column: d.range.start.character + 1 })) })}\n`);
    } else {
      stderr.write(formatStylish([{ file, diagnostics: errors }], locale));
      stderr.write(`wxmsg: ${t.refusal(t.refused.send, t.templateErrors(escapeControl(file), errors.length))}\n`);
    }
    // A file that cannot be read at all is a usage error, not a template finding.
    return errors.some((d) => d.code === 'wxmsg/unreadable-file') ? EXIT.usage : EXIT.findings;
  }
  const { text, parsed: doc, context } = lint.template;
  const prepared = prepareTemplate(doc ?? text, to, context, { locale, variables }, { diagnostics: lint.diagnostics });
  if (!prepared.ok && prepared.reason === 'missing-variables') {
    return refuse({ stdout, stderr }, common, 'send', 'usage', prepared.message);
  }
  if (!prepared.ok) {
    // Findings only a send makes (a placeholder media_id, the media ledger's errors) with their place.
    if (prepared.errors.length) stderr.write(formatStylish([{ file, diagnostics: prepared.errors }], locale));
    stderr.write(`wxmsg: ${t.refusal(t.refused.send, escapeControl(prepared.message))}\n`);
    return prepared.reason === 'invalid-openid' ? EXIT.usage : EXIT.findings;
  }

  // 2. Credentials and the API host.
  const teamRefused = teamRefusal(team, io, common.yes, locale);
  if (teamRefused) return refuse({ stdout, stderr }, common, 'send', 'usage', teamRefused);
  const shape = shapeWarning(team, locale);
  if (shape) stderr.write(shape);
  const profileCreds = await teamCredentials(team, io, context.appid, common.timeoutMs ?? DEFAULT_TIMEOUT_MS, secrets, locale);
  const creds = profileCreds ?? credentialsFromEnv(io.env, context.appid, context.problems, locale);
  if (typeof creds === 'string') return refuse({ stdout, stderr }, common, 'send', 'credentials', creds);
  if ('accessToken' in creds && io.env.WXMSG_APPSECRET?.trim()) stderr.write(`wxmsg: ${t.bothCredentials}\n`);
  const warnings = lint.diagnostics.filter((d) => d.code !== 'wxmsg/unfilled-variable').length;
  if (warnings && common.format === 'text') stderr.write(`wxmsg: ${t.templateWarnings(escapeControl(file), warnings)}\n`);
  const refused = await confirmPlainToken(common, creds, io, stderr);
  if (refused) return refuse({ stdout, stderr }, common, 'send', 'usage', refused);
  const client = connect();
  if (typeof client === 'string') return refuse({ stdout, stderr }, common, 'send', 'usage', client);

  // 3. Send and report.
  try {
    const started = performance.now();
    // A token-url token WeChat refuses as stale: the token service is asked once more (the same
    // token again is an error, exit 2). Other sources: the client's own policy (tokenSources.ts).
    const tokenUrl = team.profile?.token?.source === 'token-url' && profileCreds && 'accessToken' in creds ? creds : undefined;
    let result: SendResult;
    let refetched = false;
    if (tokenUrl) {
      const t = catalog(locale).tokenUrl;
      const sent = await callWithTokenRefetch(tokenUrl.accessToken, (token) => client.send(prepared.body, { ...tokenUrl, accessToken: token }),
        () => obtainToken(team, io, common.timeoutMs ?? DEFAULT_TIMEOUT_MS, secrets));
      if (sent.kind !== 'result') {
        const decoded = sent.first.status === 'api-error' ? sent.first.decoded : undefined;
        const args = { errcode: sent.errcode, what: decoded ? (locale === 'zh-cn' ? decoded.description : decoded.en) : '' };
        return refuse({ stdout, stderr }, common, 'send', 'credentials', sent.kind === 'same-token' ? t.sameToken(args) : t.refetchFailed({ ...args, reason: textIn(sent.message, locale) }));
      }
      result = sent.result;
      refetched = sent.refetched;
      if (refetched && staleTokenErrcode(result) !== undefined && result.status === 'api-error') result = { ...result, note: t.refusedAgain({ errcode: result.decoded.errcode }) };
    } else {
      result = await client.send(prepared.body, creds);
    }
    const latencyMs = Math.round(performance.now() - started);
    const shownTo = describeRecipient(to, team.alias, team.knownIds);
    if (history.file) {
      const entry = historyEntry(result, {
        template: path.relative(path.dirname(projectFile!), abs).split(path.sep).join('/'),
        to: maskAmong(to, team.knownIds), appid: context.appid ?? null, apiHost: client.host, body: prepared.body, latencyMs,
        profile: team.profile?.name ?? null, alias: team.alias ?? null,
      });
      try {
        appendHistory(history.file, entry);
      } catch (e) {
        stderr.write(`wxmsg: ${t.historyNotRecorded(escapeControl(history.file), escapeControl((e as NodeJS.ErrnoException).code ?? (e as Error).message))}\n`);
      }
    }
    const info = { file, to: shownTo, appid: context.appid ?? null, apiHost: client.host, ...(refetched ? { refetched: catalog(locale).tokenUrl.refetched() } : {}) };
    if (common.format === 'json') stdout.write(`${safeJson(sendJson(result, info))}\n`);
    else if (result.status === 'failed') stderr.write(sendText(result, info, locale));
    else stdout.write(sendText(result, info, locale));
    return exitFor(result);
  } finally {
    await client.close();
  }
}

export function exitFor(result: { status: string; failure?: { kind: string } }): number {
  if (result.status === 'sent' || result.status === 'uploaded') return EXIT.ok;
  if (result.status === 'api-error') return EXIT.findings;
  return result.failure?.kind === 'invalid-template' ? EXIT.findings : EXIT.usage;
}

interface SendInfo {
  file: string; to: string; appid: string | null; apiHost: string;
  /** Set when a token-url token was fetched again after WeChat refused it: how to say so. */
  refetched?: string;
}

/** Lines of the CLI's output, each ended. */
export function block(lines: readonly string[]): string {
  return lines.map((l) => `${l}\n`).join('');
}

/** "WeChat answered errcode N <official Chinese>" and the decoded lines, for every API command. */
export function apiErrorText(d: DecodedResult, locale: Locale, note?: string): string {
  const t = apiText(locale);
  return `${t.apiError(d.errcode, escapeControl(d.description))}${d.known ? '' : t.unknownErrcode(escapeControl(d.errmsg))}\n${block(decodedLines(d, 'cli', locale))}${note ? `  ${t.note(escapeControl(note))}\n` : ''}`;
}

/** The result in words. Every value from the server or a file (errmsg, rid, a content type, the file name) is escaped. */
export function sendText(r: SendResult, info: SendInfo, locale: Locale = 'en'): string {
  const e = escapeControl;
  const t = apiText(locale);
  const where = t.where(info.appid === null ? undefined : e(info.appid), e(info.apiHost));
  if (r.status === 'sent') {
    const second = locale === 'zh-cn' ? `errcode 0 ${e(r.decoded.description)}` : `errcode 0 ${e(r.decoded.description)} — ${e(r.decoded.en)}`;
    return `${t.sent(e(info.file), e(info.to), where)}\n  ${second}${info.refetched ? ` (${e(info.refetched)})` : r.tokenRefreshed ? t.refreshed : ''}\n`;
  }
  if (r.status === 'api-error') {
    let out = `${t.notSent(t.apiError(r.decoded.errcode, e(r.decoded.description)))}${r.decoded.known ? '' : t.unknownErrcode(e(r.decoded.errmsg))}\n`;
    out += block(decodedLines(r.decoded, 'cli', locale));
    out += `  ${t.attempts(e(info.to), where, r.attempts)}\n`;
    if (r.note) out += `  ${t.note(e(r.note))}\n`;
    return out;
  }
  const f = r.failure;
  let out = f.deliveryUnknown ? `${t.deliveryUnknown(e(f.message))}\n` : `${t.notSent(e(f.message))}\n`;
  if (r.decoded) out += block(decodedLines(r.decoded, 'cli', locale));
  return out;
}

export function sendJson(r: SendResult, info: SendInfo): Record<string, unknown> {
  const d = r.decoded;
  return {
    status: r.status,
    errcode: d?.errcode ?? null,
    errmsg: d?.errmsg ?? null,
    description: d?.description ?? null,
    en: d?.en ?? null,
    cause: d?.cause ?? null,
    action: d?.action ?? null,
    rid: d?.rid ?? null,
    known: d?.known ?? null,
    deliveryUnknown: r.status === 'failed' ? r.failure.deliveryUnknown : false,
    error: r.status === 'failed' ? { kind: r.failure.kind, message: r.failure.message, setting: r.failure.setting ?? null, ...(r.failure.status ? { status: r.failure.status } : {}) } : null,
    note: r.status === 'api-error' ? r.note ?? null : null,
    file: info.file,
    to: info.to,
    appid: info.appid,
    apiHost: info.apiHost,
    attempts: r.attempts,
    tokenRefreshed: r.tokenRefreshed,
    tokenRefetched: info.refetched !== undefined,
    tokenForced: r.tokenForced ?? false,
  };
}
