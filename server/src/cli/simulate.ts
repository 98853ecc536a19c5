import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ProjectResolver } from '../resolver.ts';
import { isLoopbackHost } from '../send/baseUrl.ts';
import { describeRules } from '../send/deliveryRules.ts';
import { Simulator, SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET, SIM_USERS } from '../send/simulator.ts';
import { EXIT, UsageError, type CliIO } from './io.ts';

export const DEFAULT_SIM_PORT = 8700;

export const SIMULATE_HELP = `Usage: wxmsg simulate [options]

Runs a local fake of the WeChat API (stable_token, token, custom/send, media/upload) on this
machine only, with fault injection, for trying wxmsg send / upload and for tests. Point
--api-base (or wxmsg.api.baseUrl) at the printed URL. Never give it a real AppSecret.

Defaults: app ${SIM_DEFAULT_APPID} with the test AppSecret "${SIM_DEFAULT_SECRET}";
users ${SIM_USERS.ready.join(', ')} (messaged just now),
${SIM_USERS.entered} (entered through the customer-service button),
${SIM_USERS.stale} (last message 49 h ago) and ${SIM_USERS.silent} (never messaged).
Delivery rules: ${describeRules().join('; ')}.

Options:
  --port <n>        port (default ${DEFAULT_SIM_PORT}; 0 picks a free one)
  --host <addr>     loopback address to listen on (default 127.0.0.1; ::1 and localhost allowed)
  --project <dir>   take the default app's appid and app.json pages from this mini program
                    project (enables errcode 40165 for unknown pagepaths)
  --quiet           do not log requests (they go to stderr, without tokens)
  -h, --help        show this help

Control API: /__sim/state, /__sim/reset, /__sim/apps, /__sim/users, /__sim/faults,
/__sim/tokens/expire, /__sim/tokens, /__sim/delivered, /__sim/requests, /__sim/media,
/__sim/clock, /__sim/rules (see the README, "Sending from the CLI").
Stops on Ctrl+C (SIGINT) or SIGTERM.
`;

export async function runSimulate(args: string[], io: CliIO, stop?: Promise<unknown>): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: false, strict: true, options: {
      port: { type: 'string', short: 'p' }, host: { type: 'string' }, project: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' }, help: { type: 'boolean', short: 'h' },
    } });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) { io.stdout.write(SIMULATE_HELP); return EXIT.ok; }
  const portText = v.port ?? String(DEFAULT_SIM_PORT);
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new UsageError(`--port needs a number from 0 to 65535, not "${portText}"`);
  const host = v.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new UsageError(`--host must be a loopback address (127.0.0.1, ::1, localhost): the simulator is never exposed to the network`);

  let defaultAppid: string | undefined;
  let defaultPages: string[] | undefined;
  if (v.project) {
    const dir = path.resolve(io.cwd, v.project);
    const info = new ProjectResolver().projectFor(path.join(dir, 'probe.wxmsg.json'));
    if (!info) throw new UsageError(`no project.config.json in or above ${v.project}`);
    defaultAppid = info.appid;
    defaultPages = info.pages;
  }
  const sim = new Simulator({ defaultAppid, defaultPages, ...(v.quiet ? {} : { log: (l) => io.stderr.write(`${l}\n`) }) });
  try {
    await sim.listen(Number(portText), host.replace(/^\[|\]$/g, ''));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr.write(`wxmsg: cannot listen on ${host}:${portText}: ${code === 'EADDRINUSE' ? 'the port is in use (try --port 0)' : code ?? (e as Error).message}\n`);
    return EXIT.usage;
  }
  const url = sim.url;
  const appid = defaultAppid ?? SIM_DEFAULT_APPID;
  // The e2e suite reads this first line to find the port.
  io.stdout.write(`wxmsg simulator listening on ${url}\n`);
  io.stdout.write(`  app      ${appid} (simulator-only AppSecret: ${SIM_DEFAULT_SECRET})${defaultPages ? `, ${defaultPages.length} pages from app.json` : ''}\n`);
  io.stdout.write(`  users    ${SIM_USERS.ready.join(', ')} (messaged just now)\n`);
  io.stdout.write(`           ${SIM_USERS.entered} (entered via the button), ${SIM_USERS.stale} (45015), ${SIM_USERS.silent} (45015)\n`);
  io.stdout.write(`  try      WXMSG_APPSECRET=${SIM_DEFAULT_SECRET} wxmsg send examples/templates/welcome.wxmsg.json --to ${SIM_USERS.ready[0]} --api-base ${url}\n`);
  io.stdout.write(`  control  ${url}/__sim/state\n`);

  await (stop ?? new Promise<void>((resolve) => {
    const done = () => { process.off('SIGINT', done); process.off('SIGTERM', done); resolve(); };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  }));
  await sim.close();
  return EXIT.ok;
}
