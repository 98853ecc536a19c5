// Child processes of the end-to-end suite (code-server, the send simulator): started in their
// own process group so that stopping one also stops what it spawned (code-server's extension
// host, the language server), and always stopped, even when a test fails or the run is
// interrupted.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const running = new Set<ChildProcess>();

/** Signals the child's whole process group (its leader may have exited already). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

// Last resort when the test process exits without running its `after` hooks.
process.on('exit', () => {
  for (const c of running) killGroup(c, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const c of running) killGroup(c, 'SIGKILL');
    process.exit(130);
  });
}

export interface Started {
  child: ChildProcess;
  /** Everything the process wrote so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Spawns `cmd` and resolves once a line of its output matches `ready` (returning the match), or
 * rejects when it exits first or `timeoutMs` passes.
 */
export function startProcess(
  name: string,
  cmd: string,
  args: string[],
  ready: RegExp,
  timeoutMs: number,
  options: SpawnOptions = {},
): Promise<{ proc: Started; match: RegExpMatchArray }> {
  const child = spawn(cmd, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  const proc: Started = {
    child,
    output: () => out,
    stop: () => stopProcess(child),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void proc.stop();
      reject(new Error(`${name} did not print ${ready} within ${timeoutMs} ms. Output:\n${out}`));
    }, timeoutMs);
    const onData = (buf: Buffer) => {
      out += buf.toString();
      if (out.length > 200_000) out = out.slice(-100_000);
      const m = out.match(ready);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, match: m });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', (e) => {
      clearTimeout(timer);
      running.delete(child);
      reject(new Error(`${name} could not start: ${e.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready. Output:\n${out}`));
    });
  });
}

/** SIGTERM to the process group, SIGKILL if it is still there after 5 s. */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    killGroup(child, 'SIGKILL');
    running.delete(child);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const hard = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(hard);
      // The group may still hold grandchildren (extension host); make sure they go too.
      killGroup(child, 'SIGKILL');
      running.delete(child);
      resolve();
    });
    killGroup(child, 'SIGTERM');
  });
}
