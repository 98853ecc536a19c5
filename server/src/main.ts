#!/usr/bin/env node
/**
 * One bundle, two faces: with --stdio / --node-ipc / --socket it is the language server,
 * otherwise the `wxmsg` CLI.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runCli } from './cli/main.ts';
import { runLintWorker, WORKER_KIND, type WorkerInput } from './node/lintPool.ts';
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** This command again, in a child with `env`, sharing stdio; resolves to its exit code. */
function respawn(env: Record<string, string | undefined>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: env as NodeJS.ProcessEnv });
    // Ctrl+C reaches the child through the terminal; a SIGTERM sent to this process is passed on.
    const forward = (sig: NodeJS.Signals) => () => { child.kill(sig); };
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const done = (code: number) => { process.off('SIGINT', onInt); process.off('SIGTERM', onTerm); resolve(code); };
    child.on('error', (e) => { process.stderr.write(`wxmsg: cannot run again: ${e.message}\n`); done(2); });
    child.on('exit', (code, signal) => done(code ?? 128 + (signal ? constants.signals[signal] ?? 0 : 0)));
  });
}

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
  // `wxmsg lint | head -1`: the reader went away. Nothing more can be shown; the run ends with
  // its own exit code and no stack trace (writes after that are dropped by the closed stream).
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
    });
  }
  void runCli({
    argv: process.argv.slice(2),
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    // Worker threads start this file again; only the built bundle can be started that way.
    ...(__filename.endsWith('.js') ? { workerScript: __filename } : {}),
    respawn,
    // Interactive only when a person can answer: stdin and stderr (where the question goes) are terminals.
    ...(process.stdin.isTTY && process.stderr.isTTY ? { confirm: askOnTerminal } : {}),
  }).then((code) => {
    process.exitCode = code;
  });
}
