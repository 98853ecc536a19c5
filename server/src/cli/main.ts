import { EXIT, UsageError, jsonError, type CliIO, type Output } from './io.ts';
import { runLint } from './commands/lint.ts';
import { VERSION } from '../core/version.ts';
import { escapeControl, escapeLines } from '../core/escape.ts';
import { redact } from '../wechat/redact.ts';
import { checkNodeDebug, enablesChildProcessDebug, RESPAWNED_ENV } from './nodeDebug.ts';
import { frameText, helpText, type CliCatalog } from '../core/l10n/cli/text.ts';
import type { Locale } from '../core/types.ts';
import { frameLocale } from './locale.ts';

export type Command = (args: string[], io: CliIO) => Promise<number>;

// Sending needs undici (and HTTP/2, TLS…): loaded only by the commands that send, so that
// `wxmsg lint` in CI starts without them.
export const COMMANDS: Record<keyof CliCatalog['help']['summaries'], { run: Command }> = {
  lint: { run: runLint },
  send: { run: async (args, io) => (await import('./commands/send.ts')).runSend(args, io) },
  upload: { run: async (args, io) => (await import('./commands/upload.ts')).runUpload(args, io) },
  simulate: { run: async (args, io) => (await import('./commands/simulate.ts')).runSimulate(args, io) },
  typing: { run: async (args, io) => (await import('./commands/typing.ts')).runTyping(args, io) },
  media: { run: async (args, io) => (await import('./commands/typing.ts')).runMedia(args, io) },
  push: { run: async (args, io) => (await import('./commands/push.ts')).runPush(args, io) },
  allow: { run: async (args, io) => (await import('./commands/allow.ts')).runAllow(args, io) },
  preview: { run: async (args, io) => (await import('./commands/preview.ts')).runPreview(args, io) },
  history: { run: async (args, io) => (await import('./commands/history.ts')).runHistory(args, io) },
  demo: { run: async (args, io) => (await import('./commands/demo.ts')).runDemo(args, io) },
};

/** The command list (wxmsg --help), in `locale`; each command's summary from the catalog's help section. */
export function help(locale?: Locale): string {
  const t = helpText(locale);
  const names = Object.keys(COMMANDS) as (keyof typeof COMMANDS)[];
  const width = Math.max(...names.map((c) => c.length));
  return t.main({ version: VERSION, commands: names.map((name) => `  ${name.padEnd(width)}  ${t.summaries[name]}`).join('\n') });
}

/** The commands that use an AppSecret or access token (NODE_DEBUG is checked for them). */
const SENDS_TOKENS = new Set(['send', 'upload']);

/** The commands that take --format json (lint is also the command when none is named). */
const JSON_CAPABLE = new Set(['lint', 'send', 'upload', 'push']);

/** Whether `args` ask for --format json (read before, or despite, a failed parse). */
export function wantsJson(args: string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (a === '--format=json' || a === '-fjson' || a === '-f=json') return true;
    if ((a === '--format' || a === '-f') && args[i + 1] === 'json') return true;
  }
  return false;
}

/** Secrets a command may read from the environment (send, upload, push). */
const ENV_SECRETS = ['WXMSG_APPSECRET', 'WXMSG_ACCESS_TOKEN', 'WXMSG_PUSH_TOKEN', 'WXMSG_PUSH_AES_KEY'];

function guarded(out: Output, secrets: (string | undefined)[]): Output {
  return { write: (chunk: string) => out.write(escapeLines(redact(chunk, secrets))) };
}

/** The CLI as a function: argv in, exit code out (stdout/stderr passed in). */
export async function runCli(io: CliIO): Promise<number> {
  const [first, ...rest] = io.argv;
  const command = first === undefined || !Object.hasOwn(COMMANDS, first) ? 'lint' : first;
  try {
    if (first === undefined) return await COMMANDS.lint.run([], io);
    if (first === '-h' || first === '--help' || first === 'help') { io.stdout.write(help(frameLocale(io.argv, io.env))); return EXIT.ok; }
    if (first === '-v' || first === '--version') { io.stdout.write(`${VERSION}\n`); return EXIT.ok; }
    // Own keys only: "wxmsg constructor" must be an unknown command, not an internal error.
    const cmd = Object.hasOwn(COMMANDS, first) ? COMMANDS[first as keyof typeof COMMANDS] : undefined;
    if (cmd && SENDS_TOKENS.has(first)) {
      const debug = checkNodeDebug(io.env.NODE_DEBUG);
      if (debug.leaky.length) {
        const names = debug.leaky.map(escapeControl).join(', ');
        const t = frameText(frameLocale(io.argv, io.env));
        if (!io.respawn || io.env[RESPAWNED_ENV] || enablesChildProcessDebug(io.env.NODE_DEBUG)) {
          throw new UsageError(t.nodeDebugRefused(names, debug.leaky.length, enablesChildProcessDebug(io.env.NODE_DEBUG)));
        }
        io.stderr.write(`wxmsg: ${t.nodeDebugRespawn(names, debug.leaky.length)}\n`);
        return await io.respawn({ ...io.env, NODE_DEBUG: debug.kept, [RESPAWNED_ENV]: '1' });
      }
    }
    // Commands that print what servers and files say get a line guard as a backstop behind the
    // escaping of each value: no control character, no line that starts a workflow command.
    // (lint escapes its values itself, and prints too much to pay for a second pass.)
    // The environment's secrets are masked there too (a push Token of 3 characters as a whole
    // word only): a server that echoes one back does not get it printed.
    if (cmd) {
      const secrets = ENV_SECRETS.map((k) => io.env[k]?.trim());
      return await cmd.run(rest, first === 'lint' ? io : { ...io, stdout: guarded(io.stdout, secrets), stderr: guarded(io.stderr, secrets) });
    }
    if (first.startsWith('-') || first.includes('.') || first.includes('/') || first.includes('*')) {
      // `wxmsg examples`, `wxmsg --format json`: lint is the default command.
      return await COMMANDS.lint.run(io.argv, io);
    }
    throw new UsageError(frameText(frameLocale(io.argv, io.env)).unknownCommand(first));
  } catch (e) {
    const t = frameText(frameLocale(io.argv, io.env));
    if (UsageError.is(e)) {
      if (JSON_CAPABLE.has(command) && wantsJson(io.argv)) io.stdout.write(`${jsonError('usage', e.message)}\n`);
      io.stderr.write(`wxmsg: ${escapeControl(e.message)}\n${t.usageHint}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`wxmsg: ${t.internalError((e as Error)?.stack ?? String(e))}\n`);
    return EXIT.usage;
  }
}
