// Drives the VS Code workbench (code-server in Chromium) the way a user does: keyboard, palette,
// Quick Open, Problems view. Every wait is on DOM state with a bound, never a fixed sleep.
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const TIMEOUT = 20_000;

/** Chromium from Debian, headless, with nothing that would reach the network on its own. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Chromium on code-server's workbench with `folder` open, as every suite starts it (1280×800).
 * `locale` is the page's (e.g. zh-CN); `onPage` sees the page before the workbench loads.
 */
export async function openWorkbench(chromiumPath: string, serverUrl: string, folder: string, opts: { locale?: string; onPage?: (page: Page) => unknown } = {}): Promise<{ browser: Browser; wb: Workbench }> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, timeout: 60_000 });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, ...(opts.locale ? { locale: opts.locale } : {}) });
  page.setDefaultTimeout(TIMEOUT);
  await opts.onPage?.(page);
  const wb = new Workbench(page);
  await wb.open(serverUrl, folder);
  return { browser, wb };
}

/** Ends a suite: the browser, then each process it started, then its folder (kept with WXMSG_E2E_KEEP). */
export async function tearDown(browser: Browser | undefined, processes: ({ stop(): Promise<void> } | undefined)[], base: string | undefined): Promise<void> {
  await browser?.close().catch(() => {});
  for (const p of processes) await p?.stop();
  if (base && !process.env.WXMSG_E2E_KEEP) rmSync(base, { recursive: true, force: true });
}

/**
 * `scenario(name, fn)`: a node:test test whose failure leaves a screenshot of the workbench,
 * `<outDir>/failed-<prefix>-<number>.png` (the number is the name's part before the first dot).
 */
export function scenarios(outDir: string, prefix: string, workbench: () => Workbench | undefined): (name: string, fn: () => Promise<void>) => void {
  return (name, fn) => {
    test(name, async () => {
      try {
        await fn();
      } catch (e) {
        await workbench()?.screenshot(path.join(outDir, `failed-${prefix}-${name.split('.')[0]}.png`)).catch(() => {});
        throw e;
      }
    });
  };
}

export interface Problem {
  /** File name as the Problems view shows it (e.g. `foreign-appid.wxmsg.json`). */
  file: string;
  severity: 'error' | 'warning' | 'info' | 'unknown';
  message: string;
  source: string;
  code: string;
  /** 1-based, as shown (`[Ln 6, Col 90]`). */
  line: number;
  col: number;
}

/** Polls `probe` until `done` holds or `timeoutMs` passes; the error names what was awaited. */
export async function waitFor<T>(what: string, probe: () => Promise<T>, done: (v: T) => boolean, timeoutMs = TIMEOUT): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      if (done(last)) return last;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)}${lastError ? ` (${String(lastError)})` : ''}`);
    }
    // A poll interval, not synchronisation: the loop ends on the observed state.
    await new Promise((r) => setTimeout(r, 150));
  }
}

// Runs in the page. Built from a string, not written as a function: tsx would wrap its nested
// functions in a helper (`__name`) that does not exist in the browser.
// eslint-disable-next-line no-new-func
const SCRAPE_PROBLEMS = new Function('root', `
  const out = [];
  let file = '';
  const rows = [...root.querySelectorAll('.monaco-list-row')].sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
  for (const row of rows) {
    const text = (sel) => (row.querySelector(sel)?.textContent ?? '').trim();
    if (row.getAttribute('aria-level') === '1') {
      file = text('.label-name');
      continue;
    }
    const icon = row.querySelector('.marker-icon');
    const severity = ['error', 'warning', 'info'].find((s) => icon?.classList.contains(s)) ?? 'unknown';
    const m = /Ln (\\d+), Col (\\d+)/.exec(text('.marker-line'));
    const message = [...row.querySelectorAll('.marker-message')].map((m) => m.textContent.trim()).join('\\n');
    out.push({ file, severity, message, source: text('.marker-source'), code: text('.marker-code'), line: m ? Number(m[1]) : 0, col: m ? Number(m[2]) : 0 });
  }
  return out;
`) as (root: unknown) => Problem[];

// eslint-disable-next-line no-new-func
const VIEW_LINE_OF = new Function('editor', 'selector', `
  const el = editor.querySelector(selector);
  if (!el) return '';
  const r = el.getBoundingClientRect();
  const mid = r.top + r.height / 2;
  for (const line of editor.querySelectorAll('.view-lines .view-line')) {
    const b = line.getBoundingClientRect();
    if (mid >= b.top && mid <= b.bottom) return line.textContent;
  }
  return '';
`) as (editor: unknown, selector: string) => string;

export class Workbench {
  constructor(readonly page: Page) {}

  /** Opens the workbench on `folder` and waits until the explorer lists it. */
  async open(url: string, folder: string): Promise<void> {
    await this.page.goto(`${url}/?folder=${encodeURIComponent(folder)}`, { timeout: 60_000 });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  }

  get activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  activeTab(name?: string): Locator {
    return this.page.locator(name ? `.tabs-container .tab.active[data-resource-name="${name}"]` : '.tabs-container .tab.active');
  }

  private async quickInput(prefix: string, text: string, rowText: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: TIMEOUT });
    await input.fill(prefix + text);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: rowText }).first();
    await row.waitFor({ timeout: TIMEOUT });
    await row.click();
    // Gone, or replaced by the next input the command opens (an input box, a quick pick).
    await waitFor(`"${prefix}${text}" to be accepted`,
      async () => (await input.isVisible()) && (await input.inputValue()) === prefix + text,
      (stillThere) => !stillThere);
  }

  /** Quick Open (Ctrl+P) a workspace file by its relative path; waits for its editor tab. */
  async openFile(relPath: string): Promise<void> {
    const name = relPath.split('/').pop()!;
    await this.page.keyboard.press('Control+P');
    await this.quickInput('', relPath, name);
    await this.activeTab(name).waitFor({ timeout: TIMEOUT });
    await this.editorFocused();
  }

  /** Runs a command from the palette by its title (as a user types it). */
  async command(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.quickInput('>', title, title);
  }

  /** Waits until the active editor has keyboard focus. */
  async editorFocused(): Promise<void> {
    await this.page.locator('.editor-group-container.active .monaco-editor.focused').first().waitFor({ timeout: TIMEOUT });
  }

  /** Ctrl+S and wait until the active tab is no longer dirty. */
  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: TIMEOUT });
  }

  async closeAllEditors(): Promise<void> {
    await this.command('View: Close All Editors');
    await this.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: TIMEOUT });
  }

  /** Opens (or focuses) the Problems view. */
  async showProblems(): Promise<void> {
    if (await this.page.locator('.markers-panel').isVisible()) return;
    await this.command('View: Focus Problems (Errors, Warnings, Infos)');
    await this.page.locator('.markers-panel').waitFor({ state: 'visible', timeout: TIMEOUT });
  }

  /** A consistent snapshot of what the Problems view lists. */
  async problems(): Promise<Problem[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) return [];
    return panel.evaluate(SCRAPE_PROBLEMS) as Promise<Problem[]>;
  }

  /** Waits until the Problems view's entries for `file` satisfy `done`. */
  async waitForProblems(file: string, what: string, done: (ps: Problem[]) => boolean, timeoutMs = TIMEOUT): Promise<Problem[]> {
    await this.showProblems();
    return waitFor(`${what} (Problems view, ${file})`, async () => (await this.problems()).filter((p) => p.file === file), done, timeoutMs);
  }

  /** The marker row of a problem in the Problems view. */
  problemRow(message: string): Locator {
    return this.page.locator('.markers-panel .monaco-list-row[aria-level="2"]', { hasText: message }).first();
  }

  /**
   * Text of the editor line (view line) at the vertical middle of the first element matching
   * `selector` in the active editor. One snapshot in the page, so a layout change (a CodeLens
   * appearing) cannot fall between measuring the element and the lines.
   */
  async viewLineOf(selector: string): Promise<string> {
    return this.activeEditor.evaluate(VIEW_LINE_OF, selector) as Promise<string>;
  }

  /** Ctrl+G to `line:col` (1-based); waits until the status bar shows the cursor there. */
  async goTo(line: number, col: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    await this.answerQuickInput(`:${line}:${col}`);
    await this.editorFocused();
    await this.page.locator('[id="status.editor.selection"]', { hasText: `Ln ${line}, Col ${col}` }).waitFor({ timeout: TIMEOUT });
  }

  /** Triggers completion (Ctrl+Space); returns the suggest widget's row labels once `expectAny` holds. */
  async suggestions(expectAny: (labels: string[]) => boolean): Promise<string[]> {
    await this.page.keyboard.press('Control+Space');
    const widget = this.activeEditor.locator('.suggest-widget');
    await widget.waitFor({ state: 'visible', timeout: TIMEOUT });
    return waitFor('suggestions', () => this.suggestLabels(), expectAny);
  }

  async suggestLabels(): Promise<string[]> {
    const rows = this.activeEditor.locator('.suggest-widget .monaco-list-row');
    const labels: string[] = [];
    for (const row of await rows.all()) labels.push((await row.locator('.label-name').first().innerText()).trim());
    return labels;
  }

  /** Waits for a notification toast whose text matches. */
  async notification(text: string | RegExp): Promise<Locator> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout: TIMEOUT });
    return toast;
  }

  /** Types into the open quick input (palette, input box, quick pick) and accepts with Enter. */
  async answerQuickInput(value: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: TIMEOUT });
    await input.fill(value);
    await input.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: TIMEOUT });
  }

  /** A CodeLens of the active editor whose text matches. */
  codeLens(text: string | RegExp): Locator {
    return this.activeEditor.locator('.codelens-decoration', { hasText: text }).first();
  }

  /** Accepts the suggestion with this label (a click, as a user picks it from the list). */
  async acceptSuggestion(label: string): Promise<void> {
    const widget = this.activeEditor.locator('.suggest-widget');
    const rows = widget.locator('.monaco-list-row');
    const labels = await waitFor(`suggestion "${label}"`, () => this.suggestLabels(), (ls) => ls.includes(label));
    await rows.nth(labels.indexOf(label)).click();
    await widget.waitFor({ state: 'hidden', timeout: TIMEOUT });
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path });
  }
}
