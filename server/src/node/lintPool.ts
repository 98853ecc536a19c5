import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ProjectResolver } from './resolver.ts';
import type { Diagnostic, Locale } from '../core/types.ts';
import type { FileResult } from './templateFiles.ts';
import { lintFile } from './templateFiles.ts';

/**
 * `wxmsg lint` on many files with worker threads. The main thread starts at once; workers join
 * when they have loaded (tens of milliseconds), and everyone takes the next chunk of files from
 * one shared counter, so a slow disk or a folder of large templates never leaves a thread idle
 * while another has a backlog. Results come back per chunk and are put in file order.
 *
 * A worker that fails to start or dies only costs time: the main thread lints whatever it had
 * taken and not reported. A worker that has not joined when the work is done is stopped, not
 * waited for, so small runs never pay for a worker's start-up.
 */

/** Files per chunk: big enough that the shared counter is no contention, small enough to balance. */
const CHUNK = 64;
/**
 * Worker threads are opt-in (`wxmsg lint` defaults to one thread; `--concurrency auto` or a
 * number asks for them). From `npm run bench` on a 2-core machine: while a cold process warms
 * up, V8's compiler and GC threads already keep the second core busy, so a worker there did not
 * pay off: 10,000 files 0.77–0.88× the speed of one thread, 50,000 files 0.88–1.07×. No run on 4
 * or more cores has shown a gain yet. `auto` stays on one thread on two cores; with three or more
 * a core is left for V8 and workers start at 10,000 files (each thread warms up on its own, so
 * small runs stay on one thread).
 */
export const PARALLEL_MIN_FILES = 10_000;
const MAX_THREADS = 8;

export const WORKER_KIND = 'wxmsg-lint-worker';

export interface WorkerInput {
  kind: typeof WORKER_KIND;
  files: string[];
  appid?: string;
  locale: Locale;
  /** Int32 slots: [next chunk, state (0 open, 1 joined, 2 closed) per worker from slot 1]. */
  shared: SharedArrayBuffer;
  slot: number;
}

type WorkerMessage = { chunk: number; diagnostics: Diagnostic[][] } | { done: true };

/** How many threads (main included) lint `fileCount` files: `auto` picks by cores and count. */
export function threadCount(concurrency: number | 'auto', fileCount: number, cores = os.availableParallelism()): number {
  if (concurrency !== 'auto') return Math.max(1, Math.min(concurrency, MAX_THREADS, Math.ceil(fileCount / CHUNK)));
  if (cores >= 3 && fileCount >= PARALLEL_MIN_FILES) return Math.min(cores - 1, MAX_THREADS, Math.ceil(fileCount / 1_000));
  return 1;
}

export interface ParallelOptions {
  appid?: string;
  locale: Locale;
  threads: number;
  /** The script a worker runs: the bundle (dist/server.js), which starts runLintWorker. */
  workerScript?: string;
  /** Node flags for workers (default: this process's, e.g. a --max-old-space-size). */
  execArgv?: string[];
}

export async function lintFilesParallel(files: string[], cwd: string, opts: ParallelOptions): Promise<FileResult[]> {
  const abs = files.map((f) => path.resolve(cwd, f));
  const diagnostics: (Diagnostic[] | undefined)[] = new Array(files.length);
  const chunks = Math.ceil(files.length / CHUNK);
  const workers = opts.workerScript ? Math.min(opts.threads - 1, chunks - 1) : 0;
  const shared = new SharedArrayBuffer(4 * (1 + Math.max(0, workers)));
  const state = new Int32Array(shared);
  const lintOpts = { appid: opts.appid, locale: opts.locale };

  const running: Promise<void>[] = [];
  const threads: { worker: Worker; slot: number }[] = [];
  for (let w = 0; w < workers; w++) {
    const input: WorkerInput = { kind: WORKER_KIND, files: abs, appid: opts.appid, locale: opts.locale, shared, slot: 1 + w };
    let worker: Worker;
    try {
      worker = new Worker(opts.workerScript!, { workerData: input, stdout: false, stderr: true, ...(opts.execArgv ? { execArgv: opts.execArgv } : {}) });
    } catch {
      continue;
    }
    threads.push({ worker, slot: input.slot });
    running.push(new Promise<void>((resolve) => {
      const finish = () => { worker.removeAllListeners(); resolve(); };
      worker.on('message', (m: WorkerMessage) => {
        if ('done' in m) { finish(); return; }
        const first = m.chunk * CHUNK;
        m.diagnostics.forEach((d, i) => { diagnostics[first + i] = d; });
      });
      // Whatever it took and did not report is linted below.
      worker.on('error', finish);
      worker.on('exit', finish);
    }));
  }

  const resolver = new ProjectResolver();
  const lintChunk = (c: number) => {
    for (let i = c * CHUNK; i < Math.min(files.length, (c + 1) * CHUNK); i++) diagnostics[i] = lintFile(abs[i], resolver, lintOpts);
  };
  for (let c = Atomics.add(state, 0, 1); c < chunks; c = Atomics.add(state, 0, 1)) lintChunk(c);

  // Workers that never joined are closed and stopped; the others finish their last chunk.
  for (const { worker, slot } of threads) {
    if (Atomics.compareExchange(state, slot, 0, 2) === 0) void worker.terminate();
  }
  await Promise.all(running);
  for (let c = 0; c < chunks; c++) if (diagnostics[c * CHUNK] === undefined) lintChunk(c);
  return files.map((file, i) => ({ file, diagnostics: diagnostics[i] ?? [] }));
}

/** The worker side: join (unless the main thread already closed), take chunks until none are left. */
export function runLintWorker(input: WorkerInput, post: (m: WorkerMessage) => void): void {
  const state = new Int32Array(input.shared);
  if (Atomics.compareExchange(state, input.slot, 0, 1) !== 0) return;
  const resolver = new ProjectResolver();
  const opts = { appid: input.appid, locale: input.locale };
  const chunks = Math.ceil(input.files.length / CHUNK);
  for (let c = Atomics.add(state, 0, 1); c < chunks; c = Atomics.add(state, 0, 1)) {
    const out: Diagnostic[][] = [];
    for (let i = c * CHUNK; i < Math.min(input.files.length, (c + 1) * CHUNK); i++) out.push(lintFile(input.files[i], resolver, opts));
    post({ chunk: c, diagnostics: out });
  }
  post({ done: true });
}
