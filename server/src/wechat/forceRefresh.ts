import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { wechatBoth } from '../core/l10n/cli/text.ts';

/**
 * When wxmsg may ask stable_token with `force_refresh: true`. A forced refresh invalidates the
 * token every server of the team holds (facts file, "Tokens"), and WeChat ignores a second one
 * within 30 s ("强制刷新模式 … 调用时间隔至少为30s，否则不会刷新", getStableAccessToken). So
 * wxmsg never forces twice for one appid within 30 s, across its processes too: the CLI and the
 * extension record the time of the last forced refresh in one small file per appid (and API
 * host) in the cache folder, under a lock held while the forced request runs. The file holds a
 * timestamp and a hash, never a token or a secret; it is replaced atomically (write-file-atomic:
 * temp file + rename). When the folder cannot be written wxmsg goes on (a send must not fail for
 * it) and says so in both languages.
 */
export const FORCE_REFRESH_MIN_INTERVAL_MS = 30_000;

export interface Notice { en: string; zh: string }

/** `$WXMSG_CACHE_DIR`, else `$XDG_CACHE_HOME/wxmsg`, else the platform's cache folder. */
export function wxmsgCacheDir(env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform, home?: string): string {
  const own = env.WXMSG_CACHE_DIR?.trim();
  if (own) return path.resolve(own);
  const xdg = env.XDG_CACHE_HOME?.trim();
  // The XDG spec: a relative XDG_CACHE_HOME is invalid and ignored.
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'wxmsg');
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA?.trim();
    return local ? path.win32.join(local, 'wxmsg') : path.win32.join(home ?? os.homedir(), 'AppData', 'Local', 'wxmsg');
  }
  if (platform === 'darwin') return path.join(home ?? os.homedir(), 'Library', 'Caches', 'wxmsg');
  return path.join(home ?? os.homedir(), '.cache', 'wxmsg');
}

export type ForceDecision<T> =
  | { forced: true; value: T; notices: Notice[] }
  /** Not forced: a forced refresh for this appid was recorded `lastAt` (ms), less than 30 s ago, or one is running elsewhere. */
  | { forced: false; lastAt: number; notices: Notice[] };

export interface ForceRefreshGuard {
  /** Runs `force` unless a forced refresh of `appid` on `base` happened less than 30 s ago. */
  tryForce<T>(base: string, appid: string, force: () => Promise<T>): Promise<ForceDecision<T>>;
}

/** The hash the file is named after and holds: the API base and the appid (the simulator's forces are not WeChat's). */
export function appidHash(base: string, appid: string): string {
  return createHash('sha256').update(`${base}\n${appid}`).digest('hex');
}

export interface FileGuardOptions {
  now?: () => number;
  /** How long to wait for another process's forced refresh to finish (default 40 s: above a send's 30 s worst case). */
  lockWaitMs?: number;
}

export class FileForceRefreshGuard implements ForceRefreshGuard {
  private readonly now: () => number;
  private readonly lockWaitMs: number;
  /** Forced refreshes of this process, by hash: the rule holds when the folder cannot be written. */
  private readonly inMemory = new Map<string, number>();

  constructor(readonly dir: string, options: FileGuardOptions = {}) {
    this.now = options.now ?? Date.now;
    this.lockWaitMs = options.lockWaitMs ?? 40_000;
  }

  fileFor(base: string, appid: string): string {
    return path.join(this.dir, `force-refresh-${appidHash(base, appid).slice(0, 32)}.json`);
  }

  async tryForce<T>(base: string, appid: string, force: () => Promise<T>): Promise<ForceDecision<T>> {
    const hash = appidHash(base, appid);
    const file = this.fileFor(base, appid);
    const notices: Notice[] = [];
    let release: (() => Promise<void>) | undefined;
    try {
      await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
      release = await lockfile.lock(file, {
        realpath: false,
        stale: 10_000,
        retries: { retries: Math.ceil(this.lockWaitMs / 100), minTimeout: 20, maxTimeout: 100, factor: 1.5 },
        // A lock that could not be kept fresh is only a weaker guard, never a crash of the host.
        onCompromised: () => undefined,
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // Another process held the lock all along: it is forcing right now. Do not force too.
      if (code === 'ELOCKED') return { forced: false, lastAt: this.now(), notices };
      notices.push(cannotRecord(this.dir, code ?? String(e)));
    }
    try {
      const now = this.now();
      const last = Math.max(release ? readForcedAt(file, hash) ?? -Infinity : -Infinity, this.inMemory.get(hash) ?? -Infinity);
      // A time in the future (the clock was set back) does not block for ever.
      if (now - last >= 0 && now - last < FORCE_REFRESH_MIN_INTERVAL_MS) return { forced: false, lastAt: last, notices };
      this.inMemory.set(hash, now);
      if (release) {
        try {
          await writeFileAtomic(file, `${JSON.stringify({ appidHash: hash, forcedAt: now })}\n`, { mode: 0o600 });
        } catch (e) {
          notices.push(cannotRecord(this.dir, (e as NodeJS.ErrnoException).code ?? String(e)));
        }
      }
      return { forced: true, value: await force(), notices };
    } finally {
      await release?.().catch(() => undefined);
    }
  }
}

/** forcedAt from the file, if it is ours and well formed; anything else counts as no record. */
function readForcedAt(file: string, hash: string): number | undefined {
  try {
    const j = JSON.parse(fs.readFileSync(file, 'utf8')) as { appidHash?: unknown; forcedAt?: unknown };
    return j.appidHash === hash && typeof j.forcedAt === 'number' && Number.isFinite(j.forcedAt) ? j.forcedAt : undefined;
  } catch {
    return undefined;
  }
}

function cannotRecord(dir: string, why: string): Notice {
  return wechatBoth((t) => t.cannotRecord(dir, why));
}
