import * as vscode from 'vscode';

/**
 * A part of the extension bundled apart (dist/clientSend.js, dist/clientPreview.js) and loaded
 * the first time it is needed, as VS Code's own extensions require heavy modules on first use:
 * activation parses only dist/client.js. A failure to load is said (output and a notification)
 * and not kept: the next use tries again.
 */
export class OnDemand<T> {
  private value: T | undefined;
  private loading: Promise<T> | undefined;

  constructor(private readonly file: string, private readonly load: () => Promise<T>, private readonly output: vscode.OutputChannel) {}

  /** The part when it is loaded already, else undefined (nothing is loaded). */
  get loaded(): T | undefined {
    return this.value;
  }

  /** Loads the part if needed; undefined when it failed to load (already said). */
  async get(): Promise<T | undefined> {
    this.loading ??= this.load().then((v) => (this.value = v));
    try {
      return await this.loading;
    } catch (e) {
      this.loading = undefined;
      const why = (e as Error)?.message ?? String(e);
      this.output.appendLine(vscode.l10n.t('wxmsg: {0} failed to load: {1}', this.file, why));
      void vscode.window.showErrorMessage(vscode.l10n.t('wxmsg: part of the extension ({0}) failed to load: {1}. Reinstall the extension.', this.file, why));
      return undefined;
    }
  }
}
