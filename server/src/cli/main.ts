import { EXIT, UsageError, type CliIO } from './io.ts';
import { runLint } from './lint.ts';
import { VERSION } from '../version.ts';

export type Command = (args: string[], io: CliIO) => Promise<number>;

// Sending needs undici (and HTTP/2, TLS…): loaded only by the commands that send, so that
// `wxmsg lint` in CI starts without them.
export const COMMANDS: Record<string, { run: Command; summary: string }> = {
  lint: { run: runLint, summary: 'check *.wxmsg.json templates (default command)' },
  send: { run: async (args, io) => (await import('./send.ts')).runSend(args, io), summary: 'send a template to an OpenID (WXMSG_APPSECRET or WXMSG_ACCESS_TOKEN)' },
  upload: { run: async (args, io) => (await import('./upload.ts')).runUpload(args, io), summary: 'upload an image, print its media_id (expires after 3 days)' },
  simulate: { run: async (args, io) => (await import('./simulate.ts')).runSimulate(args, io), summary: 'run a local fake of the WeChat API for trying send/upload' },
  push: { run: async (args, io) => (await import('./push.ts')).runPush(args, io), summary: 'play one WeChat message push (verification + signed/encrypted POST) against your server' },
  demo: { run: async (args, io) => (await import('./demo.ts')).runDemo(args, io), summary: 'a tour on the simulator: lint, upload, send each template, one decoded refusal (npm start)' },
};

export function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return `wxmsg ${VERSION} — WeChat Mini Program customer-service message templates

Usage: wxmsg <command> [options]
       wxmsg --stdio | --node-ipc     start the language server

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "wxmsg <command> --help" for a command's options.
`;
}

/** The CLI as a function: argv in, exit code out (stdout/stderr passed in). */
export async function runCli(io: CliIO): Promise<number> {
  const [first, ...rest] = io.argv;
  try {
    if (first === undefined) return await COMMANDS.lint.run([], io);
    if (first === '-h' || first === '--help' || first === 'help') { io.stdout.write(help()); return EXIT.ok; }
    if (first === '-v' || first === '--version') { io.stdout.write(`${VERSION}\n`); return EXIT.ok; }
    // Own keys only: "wxmsg constructor" must be an unknown command, not an internal error.
    const cmd = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
    if (cmd) return await cmd.run(rest, io);
    if (first.startsWith('-') || first.includes('.') || first.includes('/') || first.includes('*')) {
      // `wxmsg examples`, `wxmsg --format json`: lint is the default command.
      return await COMMANDS.lint.run(io.argv, io);
    }
    throw new UsageError(`unknown command "${first}"`);
  } catch (e) {
    if (UsageError.is(e)) {
      io.stderr.write(`wxmsg: ${e.message}\nRun "wxmsg --help" for usage.\n`);
      return EXIT.usage;
    }
    io.stderr.write(`wxmsg: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.usage;
  }
}
