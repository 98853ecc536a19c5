import * as path from 'node:path';
import { ProjectResolver } from '../../node/resolver.ts';
import { isLoopbackHost } from '../../wechat/baseUrl.ts';
import { describeRules, DELIVERY_RULES, formatWindow, withOverrides, type DeliveryOverrides, type DeliveryTrigger } from '../../core/facts/deliveryRules.ts';
import { DEFAULT_FORCE_REFRESH_PER_DAY, mappedIPv4Refusal, Simulator, SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET, SIM_USERS, type SimulatorOptions } from '../../simulator/simulator.ts';
import { EXIT, UsageError, type CliIO, parseCliArgs } from '../io.ts';
import { PUSH_AES_KEY_ENV, PUSH_TOKEN_ENV, PushConfigError, pushConfig } from '../../wechat/push/config.ts';
import { escapeControl } from '../../core/escape.ts';

export const DEFAULT_SIM_PORT = 8700;
const DEFAULT_TOKEN_TTL = 7200;
const MAX_QUOTA = 1_000_000;
/** A window longer than a year is a typo, not a test. */
const MAX_WINDOW_MS = 366 * 86_400_000;

const rule = (t: DeliveryTrigger) => DELIVERY_RULES.find((r) => r.trigger === t)!;

export const SIMULATE_HELP = `Usage: wxmsg simulate [options]

Runs a local fake of the WeChat API (stable_token, token, custom/send, media/upload) on this
machine only, with fault injection, for trying wxmsg send / upload and for tests. Point
--api-base (or wxmsg.api.baseUrl) at the printed URL. Never give it a real AppSecret.

Defaults: app ${SIM_DEFAULT_APPID} with the test AppSecret "${SIM_DEFAULT_SECRET}";
users ${SIM_USERS.ready.join(', ')} (messaged just now),
${SIM_USERS.entered} (enters through the customer-service button at its first send:
2 messages within 1 minute from then),
${SIM_USERS.stale} (last message 49 h ago) and ${SIM_USERS.silent} (never messaged).
Delivery rules: ${describeRules().join('; ')}.
Only media_ids it issued (media/upload, for 3 days) are valid in image and thumb_media_id.

Options:
  --port <n>                      port (default ${DEFAULT_SIM_PORT}; 0 picks a free one)
  --host <addr>                   loopback address to listen on (default 127.0.0.1; ::1 and localhost allowed;
                                  IPv4-mapped ::ffff:127.0.0.1 is refused: use 127.0.0.1)
  --appid <id>                    the default app's appid (wx + 16 hex digits; default ${SIM_DEFAULT_APPID},
                                  or the --project's)
  --secret <s>                    the default app's AppSecret (default the test secret above); prefer
                                  the WXMSG_SIM_SECRET variable (argv shows in ps); never printed back.
                                  Use a made-up one, never a real AppSecret
  --project <dir>                 take the default app's appid and app.json pages from this mini program
                                  project (enables errcode 40165 for unknown pagepaths)
  --quota-enter-session <n>       messages allowed after the user enters through the button (default ${rule('enter-session').maxMessages})
  --window-enter-session <time>   how long they may be sent (default ${formatWindow(rule('enter-session').windowMs)}: 60s)
  --quota-user-message <n>        messages allowed after the user sends a message (default ${rule('user-message').maxMessages})
  --window-user-message <time>    how long they may be sent (default ${formatWindow(rule('user-message').windowMs)}: 48h)
                                  <time> is a number with a unit: ms, s, m, h or d (90s, 48h)
  --token-ttl <seconds>           lifetime of issued access tokens (default ${DEFAULT_TOKEN_TTL}); then errcode 42001.
                                  stable_token (normal mode) hands out the next token 5 minutes before
                                  expiry (half the lifetime if shorter); both stay valid meanwhile
  --force-refresh-per-day <n>     forced stable_token refreshes allowed per app and day (default
                                  ${DEFAULT_FORCE_REFRESH_PER_DAY}, as WeChat's; Beijing days); then errcode 45009. A second force
                                  within 30 s returns the same token
  --push-url <url>                push user actions to your server as WeChat's message push does
                                  (URL verification at start; needs ${PUSH_TOKEN_ENV} in the environment)
  --push-format <f>               json (default) or xml
  --push-mode <m>                 plain, compat or safe (default safe with ${PUSH_AES_KEY_ENV}, else plain)
  --push-allow-remote             allow a push URL that is not on this machine
  --push-timeout <ms>             per try (default 5000, WeChat's 5 s; 3 tries)
  --quiet                         do not log requests (they go to stderr, without tokens)
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
`;

const SIMULATE_OPTIONS = {
  port: { type: 'string', short: 'p' }, host: { type: 'string' }, project: { type: 'string' },
  appid: { type: 'string' }, secret: { type: 'string' },
  'quota-enter-session': { type: 'string' }, 'quota-user-message': { type: 'string' },
  'window-enter-session': { type: 'string' }, 'window-user-message': { type: 'string' },
  'token-ttl': { type: 'string' }, 'force-refresh-per-day': { type: 'string' },
  'push-url': { type: 'string' }, 'push-format': { type: 'string' }, 'push-mode': { type: 'string' },
  'push-allow-remote': { type: 'boolean' }, 'push-timeout': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' }, help: { type: 'boolean', short: 'h' },
} as const;

const APPID = /^wx[0-9a-fA-F]{16}$/;
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "48h", "1500ms" → milliseconds; a unit is required (a bare number is ambiguous). */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d{1,12})(ms|s|m|h|d)$/.exec(text.trim());
  const ms = m ? Number(m[1]) * UNITS[m[2]] : NaN;
  if (!m || ms < 1 || ms > MAX_WINDOW_MS) throw new UsageError(`${flag} needs a duration with a unit, from 1ms to 366d (e.g. 60s, 48h), not "${text}"`);
  return ms;
}

function parseCount(text: string, flag: string, min: number, max: number, what: string): number {
  if (!/^\d{1,10}$/.test(text.trim()) || Number(text) < min || Number(text) > max) throw new UsageError(`${flag} needs ${what} from ${min} to ${max}, not "${text}"`);
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
}

/** The flags checked and turned into simulator options; every problem is a UsageError (exit 2). */
export function parseSimulateArgs(args: string[], cwd: string, env: Record<string, string | undefined> = {}): SimulateSettings | 'help' {
  const parsed = parseCliArgs({ args, allowPositionals: false, options: SIMULATE_OPTIONS });
  const v = parsed.values;
  if (v.help) return 'help';
  const portText = v.port ?? String(DEFAULT_SIM_PORT);
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new UsageError(`--port needs a number from 0 to 65535, not "${portText}"`);
  const host = v.host ?? '127.0.0.1';
  const mapped = mappedIPv4Refusal(host);
  if (mapped) throw new UsageError(`--host ${mapped}`);
  if (!isLoopbackHost(host)) throw new UsageError(`--host must be a loopback address (127.0.0.1, ::1, localhost): the simulator is never exposed to the network`);

  if (v.appid !== undefined && !APPID.test(v.appid.trim())) throw new UsageError(`--appid needs a mini program appid: "wx" followed by 16 hex digits, not "${v.appid}"`);
  // argv shows in `ps` to every user of the machine: the variable is the recommended way.
  const fromEnv = env.WXMSG_SIM_SECRET;
  if (fromEnv !== undefined && v.secret !== undefined) throw new UsageError('give the simulator\'s AppSecret once: WXMSG_SIM_SECRET (recommended) or --secret, not both');
  const secret = fromEnv ?? v.secret;
  const secretName = fromEnv !== undefined ? 'WXMSG_SIM_SECRET' : '--secret';
  if (secret !== undefined) {
    // The value itself is never echoed: a real AppSecret pasted here must not land in a CI log.
    if (!secret.trim()) throw new UsageError(`${secretName} is empty: give it a value, or leave it unset for the test secret`);
    if (/[\s\x00-\x1f\x7f]/.test(secret) || secret.length > 256) throw new UsageError(`${secretName} must be 1 to 256 printable characters without spaces`);
  }
  const rules: DeliveryOverrides = {};
  for (const trigger of ['enter-session', 'user-message'] as const) {
    const quota = v[`quota-${trigger}`];
    const window = v[`window-${trigger}`];
    if (quota !== undefined || window !== undefined) {
      rules[trigger] = {
        ...(quota !== undefined ? { maxMessages: parseCount(quota, `--quota-${trigger}`, 0, MAX_QUOTA, 'a message count') } : {}),
        ...(window !== undefined ? { windowMs: parseDuration(window, `--window-${trigger}`) } : {}),
      };
    }
  }
  const ttl = v['token-ttl'] === undefined ? undefined : parseCount(v['token-ttl'], '--token-ttl', 1, 31 * 86_400, 'seconds');
  const forcePerDay = v['force-refresh-per-day'] === undefined ? undefined : parseCount(v['force-refresh-per-day'], '--force-refresh-per-day', 0, MAX_QUOTA, 'a count');

  let defaultAppid: string | undefined;
  let defaultPages: string[] | undefined;
  if (v.project) {
    const dir = path.resolve(cwd, v.project);
    const info = new ProjectResolver().projectFor(path.join(dir, 'probe.wxmsg.json'));
    if (!info) throw new UsageError(`no project.config.json in or above ${v.project}`);
    defaultAppid = info.appid;
    defaultPages = info.pages;
  }
  // --appid wins over the project's appid (the pages still come from the project).
  if (v.appid !== undefined) defaultAppid = v.appid.trim();
  // Message push: the Token and the EncodingAESKey only from the environment.
  let push: SimulatorOptions['push'];
  if (v['push-url'] !== undefined) {
    try {
      push = pushConfig({ url: v['push-url'], format: v['push-format'], mode: v['push-mode'], allowRemote: v['push-allow-remote'], urlFlag: '--push-url', formatFlag: '--push-format', modeFlag: '--push-mode', allowRemoteFlag: '--push-allow-remote' }, env);
    } catch (e) {
      throw e instanceof PushConfigError ? new UsageError(e.message) : e;
    }
    if (v['push-timeout'] !== undefined) push.timeoutMs = parseCount(v['push-timeout'], '--push-timeout', 1, 600_000, 'milliseconds');
  } else {
    const stray = (['push-format', 'push-mode', 'push-allow-remote', 'push-timeout'] as const).find((f) => v[f] !== undefined);
    if (stray) throw new UsageError(`--${stray} needs --push-url`);
  }
  return {
    port: Number(portText),
    host,
    quiet: !!v.quiet,
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
    },
  };
}

export async function runSimulate(args: string[], io: CliIO, stop?: Promise<unknown>): Promise<number> {
  const settings = parseSimulateArgs(args, io.cwd, io.env);
  if (settings === 'help') { io.stdout.write(SIMULATE_HELP); return EXIT.ok; }
  const { host, port, options } = settings;
  // A request line is the client's text: escaped before it reaches the terminal.
  const sim = new Simulator({ ...options, ...(settings.quiet ? {} : { log: (l) => io.stderr.write(`${escapeControl(l)}\n`) }) });
  try {
    await sim.listen(port, host.replace(/^\[|\]$/g, ''));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr.write(`wxmsg: cannot listen on ${host}:${port}: ${code === 'EADDRINUSE' ? 'the port is in use (try --port 0)' : code ?? (e as Error).message}\n`);
    return EXIT.usage;
  }
  const url = sim.url;
  // From --appid (checked) or the project's project.config.json (a file: escaped).
  const appid = escapeControl(sim.defaultAppid);
  const fromEnv = settings.secretFrom === 'env';
  const secretNote = settings.customSecret ? `the AppSecret given with ${fromEnv ? 'WXMSG_SIM_SECRET' : '--secret'} (not shown)` : `simulator-only AppSecret: ${SIM_DEFAULT_SECRET}`;
  const secretEnv = settings.customSecret ? (fromEnv ? '"$WXMSG_SIM_SECRET"' : '<your --secret>') : SIM_DEFAULT_SECRET;
  const pages = options.defaultPages;
  // The e2e suite reads this first line to find the port.
  io.stdout.write(`wxmsg simulator listening on ${url}\n`);
  io.stdout.write(`  app      ${appid} (${secretNote})${pages ? `, ${pages.length} pages from app.json` : ''}\n`);
  io.stdout.write(`  users    ${SIM_USERS.ready.join(', ')} (messaged just now)\n`);
  io.stdout.write(`           ${SIM_USERS.entered} (enters via the button at its first send: 2 within 1 min from then), ${SIM_USERS.stale} (45015), ${SIM_USERS.silent} (45015)\n`);
  const changed = options.rules ? ' (changed by flags)' : '';
  io.stdout.write(`  rules    ${describeRules(withOverrides(options.rules)).join('; ')}${changed}\n`);
  if (options.tokenTtlSeconds !== undefined) io.stdout.write(`  tokens   expire after ${options.tokenTtlSeconds} s\n`);
  if (options.forceRefreshPerDay !== undefined) io.stdout.write(`  tokens   ${options.forceRefreshPerDay} forced stable_token refreshes a day, then 45009\n`);
  io.stdout.write(`  try      WXMSG_APPSECRET=${secretEnv} wxmsg send examples/templates/welcome.wxmsg.json --to ${SIM_USERS.ready[0]}${appid !== SIM_DEFAULT_APPID ? ` --appid ${appid}` : ''} --api-base ${url}\n`);
  io.stdout.write(`  control  ${url}/_sim/state\n`);
  if (options.push) {
    const p = options.push;
    io.stdout.write(`  push     ${p.format}, ${p.mode} mode → ${p.url.href} (Token from ${PUSH_TOKEN_ENV}${p.secrets.key ? `, key from ${PUSH_AES_KEY_ENV}` : ''}; not shown)\n`);
    io.stdout.write(`  user     curl -X POST ${url}/_sim/users/${SIM_USERS.ready[0]}/message -d '{"type":"text","content":"你好"}'\n`);
    // The simulator keeps running whatever the verification says.
    const v = await sim.pushes.verify();
    io.stdout.write(`  verify   ${v.message}\n`);
  }

  await (stop ?? new Promise<void>((resolve) => {
    const done = () => { process.off('SIGINT', done); process.off('SIGTERM', done); resolve(); };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  }));
  await sim.close();
  return EXIT.ok;
}
