import * as path from 'node:path';
import { ProjectResolver } from '../../node/resolver.ts';
import { isLoopbackHost } from '../../wechat/baseUrl.ts';
import { describeRules, DELIVERY_RULES, formatWindow, withOverrides, type DeliveryOverrides, type DeliveryTrigger } from '../../core/facts/deliveryRules.ts';
import { DEFAULT_FORCE_REFRESH_PER_DAY, mappedIPv4Refusal, Simulator, SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET, SIM_USERS, type SimulatorOptions } from '../../simulator/simulator.ts';
import { EXIT, UsageError, type CliIO, parseCliArgs } from '../io.ts';
import { PUSH_AES_KEY_ENV, PUSH_TOKEN_ENV, PushConfigError, pushConfig } from '../../wechat/push/config.ts';
import { escapeControl } from '../../core/escape.ts';
import { localeFromEnv } from '../locale.ts';
import { simulateText, type CliCatalog, type Locale } from '../../core/l10n/cli/text.ts';
import { helpText } from '../../core/l10n/cli/text.ts';
import { frameLocale } from '../locale.ts';

export const DEFAULT_SIM_PORT = 8700;
const DEFAULT_TOKEN_TTL = 7200;
const MAX_QUOTA = 1_000_000;
/** A window longer than a year is a typo, not a test. */
const MAX_WINDOW_MS = 366 * 86_400_000;

const rule = (t: DeliveryTrigger) => DELIVERY_RULES.find((r) => r.trigger === t)!;

/** The help of wxmsg simulate in `l` (the catalog's help section). */
export const simulateHelp = (l?: Locale): string => helpText(l).simulate({
  appid: SIM_DEFAULT_APPID, secret: SIM_DEFAULT_SECRET, ready: SIM_USERS.ready.join(', '), entered: SIM_USERS.entered, stale: SIM_USERS.stale, silent: SIM_USERS.silent,
  rules: describeRules(undefined, l).join(simulateText(l).ruleSeparator), port: DEFAULT_SIM_PORT,
  enterMax: rule('enter-session').maxMessages, enterWindow: formatWindow(rule('enter-session').windowMs, l),
  userMax: rule('user-message').maxMessages, userWindow: formatWindow(rule('user-message').windowMs, l),
  ttl: DEFAULT_TOKEN_TTL, forcePerDay: DEFAULT_FORCE_REFRESH_PER_DAY, tokenEnv: PUSH_TOKEN_ENV, keyEnv: PUSH_AES_KEY_ENV,
});
export const SIMULATE_HELP = simulateHelp('en');

const SIMULATE_OPTIONS = {
  port: { type: 'string', short: 'p' }, host: { type: 'string' }, project: { type: 'string' },
  appid: { type: 'string' }, secret: { type: 'string' },
  'quota-enter-session': { type: 'string' }, 'quota-user-message': { type: 'string' },
  'window-enter-session': { type: 'string' }, 'window-user-message': { type: 'string' },
  'token-ttl': { type: 'string' }, 'force-refresh-per-day': { type: 'string' },
  'push-url': { type: 'string' }, 'push-format': { type: 'string' }, 'push-mode': { type: 'string' },
  'push-allow-remote': { type: 'boolean' }, 'push-timeout': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' }, locale: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

const APPID = /^wx[0-9a-fA-F]{16}$/;
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "48h", "1500ms" → milliseconds; a unit is required (a bare number is ambiguous). */
export function parseDuration(text: string, flag: string, locale?: Locale): number {
  const m = /^(\d{1,12})(ms|s|m|h|d)$/.exec(text.trim());
  const ms = m ? Number(m[1]) * UNITS[m[2]] : NaN;
  if (!m || ms < 1 || ms > MAX_WINDOW_MS) throw new UsageError(simulateText(locale).duration(flag, text));
  return ms;
}

type CountKind = Parameters<CliCatalog['simulate']['count']>[1];

function parseCount(text: string, flag: string, min: number, max: number, what: CountKind, locale: Locale): number {
  if (!/^\d{1,10}$/.test(text.trim()) || Number(text) < min || Number(text) > max) throw new UsageError(simulateText(locale).count(flag, what, min, max, text));
  return Number(text);
}

export interface SimulateSettings {
  port: number;
  host: string;
  quiet: boolean;
  /** For the banner: whether the secret is the documented test one (only that one is shown). */
  customSecret: boolean;
  /** Where a custom secret came from, for the banner. */
  secretFrom: 'env' | 'flag';
  options: SimulatorOptions;
  /** The language of the banner and the request log (--locale and the environment). */
  locale: Locale;
}

/** The flags checked and turned into simulator options; every problem is a UsageError (exit 2). */
export function parseSimulateArgs(args: string[], cwd: string, env: Record<string, string | undefined> = {}): SimulateSettings | 'help' {
  const parsed = parseCliArgs({ args, allowPositionals: false, options: SIMULATE_OPTIONS });
  const v = parsed.values;
  if (v.help) return 'help';
  const locale = localeFromEnv(env, v.locale);
  const t = simulateText(locale);
  const portText = v.port ?? String(DEFAULT_SIM_PORT);
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new UsageError(t.port(portText));
  const host = v.host ?? '127.0.0.1';
  const mapped = mappedIPv4Refusal(host);
  if (mapped) throw new UsageError(t.mapped(host));
  if (!isLoopbackHost(host)) throw new UsageError(t.loopback);

  if (v.appid !== undefined && !APPID.test(v.appid.trim())) throw new UsageError(t.appid(v.appid));
  // argv shows in `ps` to every user of the machine: the variable is the recommended way.
  const fromEnv = env.WXMSG_SIM_SECRET;
  if (fromEnv !== undefined && v.secret !== undefined) throw new UsageError(t.secretTwice);
  const secret = fromEnv ?? v.secret;
  const secretName = fromEnv !== undefined ? 'WXMSG_SIM_SECRET' : '--secret';
  if (secret !== undefined) {
    // The value itself is never echoed: a real AppSecret pasted here must not land in a CI log.
    if (!secret.trim()) throw new UsageError(t.secretEmpty(secretName));
    if (/[\s\x00-\x1f\x7f]/.test(secret) || secret.length > 256) throw new UsageError(t.secretShape(secretName));
  }
  const rules: DeliveryOverrides = {};
  for (const trigger of ['enter-session', 'user-message'] as const) {
    const quota = v[`quota-${trigger}`];
    const window = v[`window-${trigger}`];
    if (quota !== undefined || window !== undefined) {
      rules[trigger] = {
        ...(quota !== undefined ? { maxMessages: parseCount(quota, `--quota-${trigger}`, 0, MAX_QUOTA, 'messages', locale) } : {}),
        ...(window !== undefined ? { windowMs: parseDuration(window, `--window-${trigger}`, locale) } : {}),
      };
    }
  }
  const ttl = v['token-ttl'] === undefined ? undefined : parseCount(v['token-ttl'], '--token-ttl', 1, 31 * 86_400, 'seconds', locale);
  const forcePerDay = v['force-refresh-per-day'] === undefined ? undefined : parseCount(v['force-refresh-per-day'], '--force-refresh-per-day', 0, MAX_QUOTA, 'count', locale);

  let defaultAppid: string | undefined;
  let defaultPages: string[] | undefined;
  if (v.project) {
    const dir = path.resolve(cwd, v.project);
    const info = new ProjectResolver().projectFor(path.join(dir, 'probe.wxmsg.json'));
    if (!info) throw new UsageError(t.noProject(v.project));
    defaultAppid = info.appid;
    defaultPages = info.pages;
  }
  // --appid wins over the project's appid (the pages still come from the project).
  if (v.appid !== undefined) defaultAppid = v.appid.trim();
  // Message push: the Token and the EncodingAESKey only from the environment.
  let push: SimulatorOptions['push'];
  if (v['push-url'] !== undefined) {
    try {
      push = pushConfig({ url: v['push-url'], format: v['push-format'], mode: v['push-mode'], allowRemote: v['push-allow-remote'], urlFlag: '--push-url', formatFlag: '--push-format', modeFlag: '--push-mode', allowRemoteFlag: '--push-allow-remote', locale }, env);
    } catch (e) {
      throw e instanceof PushConfigError ? new UsageError(e.message) : e;
    }
    if (v['push-timeout'] !== undefined) push.timeoutMs = parseCount(v['push-timeout'], '--push-timeout', 1, 600_000, 'ms', locale);
  } else {
    const stray = (['push-format', 'push-mode', 'push-allow-remote', 'push-timeout'] as const).find((f) => v[f] !== undefined);
    if (stray) throw new UsageError(t.needsPushUrl(`--${stray}`));
  }
  return {
    port: Number(portText),
    host,
    quiet: !!v.quiet,
    locale,
    customSecret: secret !== undefined && secret !== SIM_DEFAULT_SECRET,
    secretFrom: fromEnv !== undefined ? 'env' : 'flag',
    options: {
      ...(defaultAppid ? { defaultAppid } : {}),
      ...(defaultPages ? { defaultPages } : {}),
      ...(secret !== undefined ? { defaultSecret: secret } : {}),
      ...(Object.keys(rules).length ? { rules } : {}),
      ...(ttl !== undefined ? { tokenTtlSeconds: ttl } : {}),
      ...(forcePerDay !== undefined ? { forceRefreshPerDay: forcePerDay } : {}),
      ...(push ? { push } : {}),
      locale,
    },
  };
}

export async function runSimulate(args: string[], io: CliIO, stop?: Promise<unknown>): Promise<number> {
  const settings = parseSimulateArgs(args, io.cwd, io.env);
  if (settings === 'help') { io.stdout.write(simulateHelp(frameLocale(args, io.env))); return EXIT.ok; }
  const { host, port, options, locale } = settings;
  const t = simulateText(locale);
  // A request line is the client's text: escaped before it reaches the terminal.
  const sim = new Simulator({ ...options, ...(settings.quiet ? {} : { log: (l) => io.stderr.write(`${escapeControl(l)}\n`) }) });
  try {
    await sim.listen(port, host.replace(/^\[|\]$/g, ''));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr.write(`wxmsg: ${t.cannotListen(`${host}:${port}`, code === 'EADDRINUSE' ? t.portInUse : code ?? (e as Error).message)}\n`);
    return EXIT.usage;
  }
  const url = sim.url;
  // From --appid (checked) or the project's project.config.json (a file: escaped).
  const appid = escapeControl(sim.defaultAppid);
  const fromEnv = settings.secretFrom === 'env';
  const secretNote = settings.customSecret ? t.secretGiven(fromEnv ? 'WXMSG_SIM_SECRET' : '--secret') : t.secretTest(SIM_DEFAULT_SECRET);
  const secretEnv = settings.customSecret ? (fromEnv ? '"$WXMSG_SIM_SECRET"' : '<your --secret>') : SIM_DEFAULT_SECRET;
  const pages = options.defaultPages;
  // The e2e suite reads this first line to find the port.
  io.stdout.write(`${t.listening(url)}\n`);
  io.stdout.write(`${t.app(appid, secretNote, pages?.length)}\n`);
  io.stdout.write(`${t.users(SIM_USERS.ready.join(', '))}\n`);
  io.stdout.write(`${t.moreUsers(SIM_USERS.entered, SIM_USERS.stale, SIM_USERS.silent)}\n`);
  io.stdout.write(`${t.rules(describeRules(withOverrides(options.rules), locale).join(t.ruleSeparator), !!options.rules)}\n`);
  if (options.tokenTtlSeconds !== undefined) io.stdout.write(`${t.ttl(options.tokenTtlSeconds)}\n`);
  if (options.forceRefreshPerDay !== undefined) io.stdout.write(`${t.forcePerDay(options.forceRefreshPerDay)}\n`);
  io.stdout.write(`${t.try(`WXMSG_APPSECRET=${secretEnv} wxmsg send examples/templates/welcome.wxmsg.json --to ${SIM_USERS.ready[0]}${appid !== SIM_DEFAULT_APPID ? ` --appid ${appid}` : ''} --api-base ${url}`)}\n`);
  io.stdout.write(`${t.control(`${url}/_sim/state`)}\n`);
  if (options.push) {
    const p = options.push;
    io.stdout.write(`${t.push(p.format, p.mode, p.url.href, PUSH_TOKEN_ENV, p.secrets.key ? PUSH_AES_KEY_ENV : undefined)}\n`);
    io.stdout.write(`${t.user(`curl -X POST ${url}/_sim/users/${SIM_USERS.ready[0]}/message -d '{"type":"text","content":"你好"}'`)}\n`);
    // The simulator keeps running whatever the verification says.
    const v = await sim.pushes.verify();
    io.stdout.write(`${t.verify(locale === 'zh-cn' ? v.messageZh : v.message)}\n`);
  }

  await (stop ?? new Promise<void>((resolve) => {
    const done = () => { process.off('SIGINT', done); process.off('SIGTERM', done); resolve(); };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  }));
  await sim.close();
  return EXIT.ok;
}
