#!/usr/bin/env node
/**
 * One bundle, two faces: with --stdio / --node-ipc / --socket it is the language server,
 * otherwise the `wxmsg` CLI.
 */
import { runCli } from './cli/main.ts';

const LSP_FLAGS = /^--(stdio|node-ipc|socket|pipe|clientProcessId)/;

if (process.argv.slice(2).some((a) => LSP_FLAGS.test(a))) {
  // Loaded lazily so the CLI does not pay for the LSP runtime.
  void import('./lsp/server.ts').then((m) => m.startServer());
} else {
  void runCli({
    argv: process.argv.slice(2),
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
