#!/usr/bin/env node
/**
 * One bundle, two faces: with --stdio / --node-ipc / --socket it is the language server,
 * otherwise the `wxmsg` CLI.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runCli } from './cli/main.ts';
import { runLintWorker, WORKER_KIND, type WorkerInput } from './cli/lintParallel.ts';

async function askOnTerminal(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^\s*y(es)?\s*$/i.test(await rl.question(question));
  } finally {
    rl.close();
  }
}

const LSP_FLAGS = /^--(stdio|node-ipc|socket|pipe|clientProcessId)/;

if (!isMainThread && (workerData as WorkerInput | undefined)?.kind === WORKER_KIND) {
  // A `wxmsg lint` worker thread (this same bundle, started by lintParallel.ts).
  runLintWorker(workerData as WorkerInput, (m) => parentPort!.postMessage(m));
} else if (process.argv.slice(2).some((a) => LSP_FLAGS.test(a))) {
  // Loaded lazily so the CLI does not pay for the LSP runtime.
  void import('./lsp/server.ts').then((m) => m.startServer());
} else {
  void runCli({
    argv: process.argv.slice(2),
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    // Worker threads start this file again; only the built bundle can be started that way.
    ...(__filename.endsWith('.js') ? { workerScript: __filename } : {}),
    // Interactive only when a person can answer: stdin and stderr (where the question goes) are terminals.
    ...(process.stdin.isTTY && process.stderr.isTTY ? { confirm: askOnTerminal } : {}),
  }).then((code) => {
    process.exitCode = code;
  });
}
