import { parseArgs, type ParseArgsConfig } from 'node:util';
import { safeJson } from '../core/escape.ts';

export interface Output {
  write(chunk: string): unknown;
}

/** Everything a CLI command touches, passed in so tests run it in-process. */
export interface CliIO {
  argv: string[];
  stdout: Output;
  stderr: Output;
  cwd: string;
  env: Record<string, string | undefined>;
  /** The script worker threads run (the bundle itself); without it, lint runs on one thread. */
  workerScript?: string;
  /**
   * Runs this same command again in a child process with `env` (stdio shared) and resolves to its
   * exit code. Only a real process has it (see main.ts); used to drop NODE_DEBUG (nodeDebug.ts).
   */
  respawn?: (env: Record<string, string | undefined>) => Promise<number>;
  /** Asks a yes/no question on the terminal; absent when the run is not interactive. */
  confirm?: (question: string) => Promise<boolean>;
}

/** Exit codes shared by every subcommand: 0 clean, 1 findings/API error, 2 usage or internal error. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

// The sending commands run from their own bundle (dist/send.js) with their own copy of this
// class, so `instanceof` cannot recognise their usage errors: a registered symbol can.
const USAGE = Symbol.for('wxmsg.usageError');

export class UsageError extends Error {
  readonly [USAGE] = true;

  static is(e: unknown): e is UsageError {
    return typeof e === 'object' && e !== null && (e as { [USAGE]?: boolean })[USAGE] === true;
  }
}

/** node:util parseArgs (strict), its complaints about flags turned into usage errors (exit 2). */
export function parseCliArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs<T>({ strict: true, ...config });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * The JSON answer of `--format json` when a command is refused before it does anything (a usage
 * or credential error, exit 2): one object on stdout, as parseable as a result.
 */
export function jsonError(kind: 'usage' | 'credentials', message: string): string {
  return safeJson({ status: 'error', error: { kind, message } });
}
