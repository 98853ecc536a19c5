import type { Connection } from 'vscode-languageserver/node';
import { CONFIG_SECTION, normalizeSettings, type WxmsgSettings } from './protocol.ts';

/** How long a `workspace/configuration` request may go unanswered before the defaults are used. */
export const CONFIG_WAIT_MS = 2000;

/**
 * Settings per resource. With a client that answers `workspace/configuration` they are pulled
 * per document (cached until the next didChangeConfiguration); otherwise the last settings
 * pushed with didChangeConfiguration apply to every document.
 *
 * A client that announces the capability but does not answer within CONFIG_WAIT_MS does not
 * hold validation, hover or completion up: the defaults (or pushed settings) apply, this is
 * logged once, and later documents no longer wait for it. Should an answer come after all,
 * the pulled settings apply from then on and `onLateAnswer` revalidates.
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<WxmsgSettings>>();
  private global: WxmsgSettings = normalizeSettings(undefined);
  /** A settings request went unanswered: stop waiting for the client until it answers one. */
  private unanswered = false;
  private logged = false;

  constructor(
    private readonly connection: Connection,
    private readonly canPull: () => boolean,
    private readonly onLateAnswer: () => void = () => undefined,
  ) {}

  get(uri: string): Promise<WxmsgSettings> {
    if (!this.canPull() || this.unanswered) return Promise.resolve(this.global);
    let s = this.cache.get(uri);
    if (!s) {
      s = this.pull(uri);
      this.cache.set(uri, s);
    }
    return s;
  }

  private pull(uri: string): Promise<WxmsgSettings> {
    return new Promise((resolve) => {
      let waiting = true;
      const timer = setTimeout(() => {
        waiting = false;
        this.timedOut();
        resolve(this.global);
      }, CONFIG_WAIT_MS);
      const answered = (settings: WxmsgSettings): void => {
        clearTimeout(timer);
        if (waiting) {
          waiting = false;
          resolve(settings);
        } else if (this.unanswered) {
          // The client answers after all: ask again for every document.
          this.unanswered = false;
          this.cache.clear();
          this.onLateAnswer();
        }
      };
      this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: CONFIG_SECTION })
        .then((raw: unknown) => answered(normalizeSettings(raw)), () => answered(this.global));
    });
  }

  private timedOut(): void {
    this.unanswered = true;
    this.cache.clear();
    if (this.logged) return;
    this.logged = true;
    this.connection.console.warn(`wxmsg: the client did not answer workspace/configuration within ${CONFIG_WAIT_MS / 1000} s; using the default settings (or those sent with didChangeConfiguration)`);
  }

  /** didChangeConfiguration: forget pulled settings; keep pushed ones for clients that push. */
  changed(pushed: unknown): void {
    this.cache.clear();
    if (pushed && typeof pushed === 'object' && CONFIG_SECTION in pushed) {
      this.global = normalizeSettings((pushed as Record<string, unknown>)[CONFIG_SECTION]);
    }
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
