import type { Connection } from 'vscode-languageserver/node';
import { CONFIG_SECTION, normalizeSettings, type WxmsgSettings } from './protocol.ts';

/**
 * Settings per resource. With a client that answers `workspace/configuration` they are pulled
 * per document (cached until the next didChangeConfiguration); otherwise the last settings
 * pushed with didChangeConfiguration apply to every document.
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<WxmsgSettings>>();
  private global: WxmsgSettings = normalizeSettings(undefined);

  constructor(private readonly connection: Connection, private readonly canPull: () => boolean) {}

  get(uri: string): Promise<WxmsgSettings> {
    if (!this.canPull()) return Promise.resolve(this.global);
    let s = this.cache.get(uri);
    if (!s) {
      s = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: CONFIG_SECTION })
        .then((raw: unknown) => normalizeSettings(raw), () => this.global);
      this.cache.set(uri, s);
    }
    return s;
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
