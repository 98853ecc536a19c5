import { createHash } from 'node:crypto';

/**
 * Access tokens in memory only (never on disk), by API host + appid + a hash of the AppSecret
 * (a token got with one secret is not handed to a caller holding another). A token is used until
 * shortly before it expires — 5 minutes, or half its life when that is shorter.
 */
export const REFRESH_MARGIN_MS = 5 * 60_000;

interface Entry { token: string; refreshAt: number }

export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(private readonly now: () => number = Date.now) {}

  static key(base: string, appid: string, secret: string): string {
    return `${base}\n${appid}\n${createHash('sha256').update(secret).digest('hex')}`;
  }

  get(key: string): string | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.now() >= e.refreshAt) { this.entries.delete(key); return undefined; }
    return e.token;
  }

  set(key: string, token: string, expiresInSeconds: number): void {
    const life = Math.max(0, Number.isFinite(expiresInSeconds) ? expiresInSeconds : 7200) * 1000;
    const margin = Math.min(REFRESH_MARGIN_MS, life / 2);
    this.entries.set(key, { token, refreshAt: this.now() + life - margin });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets the entry of `key` if it still holds `token` (a newer one, from a parallel refresh, stays). */
  forget(key: string, token: string): void {
    if (this.entries.get(key)?.token === token) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** One token request per key at a time: parallel sends share it. */
  async once<T>(key: string, fetch: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key) as Promise<T> | undefined;
    if (running) return running;
    const p = fetch().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }
}

/** The process-wide cache the CLI and the extension share. */
export const sharedTokenCache = new TokenCache();
