// End-to-end, where the user feels it (issue 19): the editor defaults wxmsg contributes for its
// language, and keystroke → squiggle latency in the real workbench, next to VS Code's own JSON
// validation in the same run.
//
// Latency: a character that makes an error is typed into a template (`"msgtype": "text"` →
// `"textx"`, wxmsg/invalid-msgtype) and into a JSON file validated by a schema (`"status":
// "paid"` → `"paidx"`, not in the schema's enum), 30 times each, the files taking turns in
// blocks of keystrokes (see keystrokes()).
// Each is timed in the page from the keydown event's timeStamp until a squiggle is in the
// editor's DOM (a MutationObserver, not polling); Backspace then clears it before the next
// round. A control run first puts the template's own text, as a JSON file with a schema, in the
// template's place (the same keystroke, validated by VS Code's JSON): what the method makes of
// two JSON files is the resolution of the comparison. Each keystroke is also split into its
// parts: a tap on the page's connection to the extension host (TAP_WIRE) and an observer
// extension in the extension host (writeObserver) time both languages alike. The extension's
// own share (the language client's didChange → the diagnostics of that version delivered to VS
// Code) and the editor work it did meanwhile (CodeLens requests, status refreshes) come from
// "WeChat (wxmsg): Show Editor Latency". Figures only, no timed assertion: the test fails when a
// squiggle never comes, or when typing makes the extension refresh its status item. Written
// to test-output/e2e/latency.json and latency.md (the README quotes them). The template is on
// the left and the JSON file on the right; WXMSG_E2E_SWAP=1 swaps them, to tell the editor's
// position from wxmsg's own cost.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser } from 'playwright-core';
import { installExtension, makeProfile, QUIET_SETTINGS, startCodeServer, writeUserSettings, type CodeServer, type E2EPaths, type Profile } from './codeServer.ts';
import { CONTROL, CONTROL_SCHEMA, JSON_PROBE, ORDER_JSON, ORDER_SCHEMA, TEMPLATE, TEMPLATE_PROBE } from './latencyFiles.ts';
import { openWorkbench, scenarios, tearDown, TIMEOUT, waitFor, Workbench } from './workbench.ts';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(__dirname, 'fixture');
const OUT = path.join(ROOT, 'test-output', 'e2e');
/** Keystrokes timed per file. */
const ROUNDS = 30;
/**
 * A keystroke every this many ms at most: a user typing one character and looking at the
 * squiggle. The pause lets VS Code's debounced requests after an edit (CodeLens after 250 ms,
 * symbols, links) run as they do for a user, so the editor work per keystroke is counted, and
 * each keystroke is timed on an idle editor. Pacing, not synchronisation: every wait for a
 * state is on the DOM.
 */
const PACE_MS = 600;
/**
 * Timed keystrokes in a row in one editor before the other file's turn (WXMSG_E2E_BLOCK; 1 is
 * the keystroke-by-keystroke interleaving of the runs before 2026-12-02's afternoon). A user types
 * into one editor; a focus change before every keystroke is not typing, and VS Code does work
 * on focus for some editors and not others (it asks an editor's CodeLens providers again).
 */
const BLOCK = blockSize();
/**
 * After each switch of editor: what VS Code does when an editor gets focus (its CodeLens request
 * 250 ms later at the earliest, the breadcrumbs, the language status) is over before the
 * block's untimed first round.
 */
const SETTLE_MS = 1000;
/** A squiggle that has not come after this long never will: the test fails. */
const SQUIGGLE_TIMEOUT_MS = 15_000;
const PAGES = ['pages/index/index', 'pages/order/detail', 'pages/user/profile', 'packageA/pages/coupon/coupon'];

/** WXMSG_E2E_BLOCK: timed rounds per block, a divisor of ROUNDS (default 5), or a clear error. */
function blockSize(): number {
  const raw = process.env.WXMSG_E2E_BLOCK;
  if (raw === undefined || raw === '') return 5;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || ROUNDS % n !== 0) throw new Error(`WXMSG_E2E_BLOCK must be a whole number that divides ${ROUNDS}, not ${JSON.stringify(raw)}`);
  return n;
}

/** WXMSG_E2E_EXTRA_SETTINGS: more user settings (a JSON object), or a clear error. */
function extraSettings(): Record<string, unknown> {
  const raw = process.env.WXMSG_E2E_EXTRA_SETTINGS;
  if (!raw) return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (e) {
    throw new Error(`WXMSG_E2E_EXTRA_SETTINGS is not JSON: ${(e as Error).message}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('WXMSG_E2E_EXTRA_SETTINGS must be a JSON object of settings');
  return v as Record<string, unknown>;
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this suite through \`npm run test:e2e\` (test/e2e/run.mjs)`);
  return v;
}

function lineColOf(text: string, needle: string): { line: number; col: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `fixture does not contain ${needle}`);
  const before = text.slice(0, at);
  return { line: before.split('\n').length, col: at - before.lastIndexOf('\n') };
}

export interface Spread { n: number; p50: number; p90: number; max: number }

/** A timed keystroke: keydown → squiggle, and when the wire tap saw the change go out and the diagnostics come back. */
interface Timing { ms: number; out: number | null; back: number | null; lens?: number; lensAgo?: number | null }

/**
 * keydown → squiggle in three parts, from the wire tap (TAP_WIRE): the renderer until the change
 * goes out to the extension host; out → diagnostics back (the extension host, the language
 * client and server); back → squiggle in the DOM (the renderer draws). Keystrokes where the tap
 * missed a message are left out, and counted.
 */
export interface WireSplit { renderer: Spread; roundTrip: Spread; draw: Spread; missed: number; lensBefore?: number }

/** The observer's figures: the extension host's change event → diagnostics set, per side. */
export interface HostSplit { wxmsg: Spread; json: Spread; control: { first: Spread; json: Spread } }

function wireOf(ts: readonly Timing[]): WireSplit {
  const seen = ts.filter((t): t is { ms: number; out: number; back: number } => t.out !== null && t.back !== null && t.back >= t.out);
  return {
    renderer: spreadOf(seen.map((t) => t.out)),
    roundTrip: spreadOf(seen.map((t) => t.back - t.out)),
    draw: spreadOf(seen.map((t) => t.ms - t.back)),
    missed: ts.length - seen.length,
    // Keystrokes during which a CodeLens was re-rendered before the squiggle came.
    lensBefore: ts.filter((t) => (t.lens ?? 0) > 0).length,
  };
}

/** Nearest-rank quantiles, as the extension's own report computes them. */
export function spreadOf(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return { n: s.length, p50: q(0.5), p90: q(0.9), max: s[s.length - 1]! };
}

// Runs in the page (built from strings: tsx would wrap nested functions in a helper the page
// does not have). Arms a watch on the active editor: on the next keydown of `key`, its
// timeStamp starts the clock; a MutationObserver stops it when the editor's DOM first has a
// squiggle (`want: 'squiggle'`), or none any more (`want: 'clean'`). Resolves with the ms, and
// when the wire tap saw `file`'s change go out and its diagnostics come back (ms after keydown).
// eslint-disable-next-line no-new-func
const ARM = new Function('args', `
  const { key, want, timeoutMs, file } = args;
  const editor = document.querySelector('.editor-group-container.active .monaco-editor');
  if (!editor) throw new Error('no active editor');
  const SQUIGGLE = '.view-overlays .squiggly-error, .view-overlays .squiggly-warning';
  const reached = () => (editor.querySelector(SQUIGGLE) ? 'squiggle' : 'clean') === want;
  if (reached()) throw new Error('the editor is already ' + want + ' before the keystroke');
  const p = new Promise((resolve, reject) => {
    let t0;
    const mo = new MutationObserver(() => check());
    const onKey = (e) => {
      if (t0 === undefined && e.key === key) { t0 = e.timeStamp; check(); }
    };
    const finish = (f) => {
      mo.disconnect();
      clearTimeout(timer);
      window.removeEventListener('keydown', onKey, true);
      f();
    };
    const check = () => {
      if (t0 === undefined || !reached()) return;
      const at = performance.now();
      // The wire (TAP_WIRE): this file's change going out, and its diagnostics coming back.
      const first = (kind) => (window.__wxmsgWire ?? []).find((w) => w.at >= t0 && w.kind === kind && w.files.includes(file));
      finish(() => (window.__wxmsgWireRead ? window.__wxmsgWireRead() : Promise.resolve()).then(() => {
        const out = first('change');
        const back = first('diagnostics');
        const lensAt = window.__wxmsgLensAt ?? [];
        const lens = lensAt.filter((x) => x >= t0 && x <= at).length;
        const earlier = lensAt.filter((x) => x < t0);
        const lensAgo = earlier.length ? t0 - earlier[earlier.length - 1] : null;
        resolve({ ms: at - t0, out: out ? out.at - t0 : null, back: back && back.at <= at ? back.at - t0 : null, lens, lensAgo });
      }));
    };
    const timer = setTimeout(() => finish(() => reject(new Error(
      (t0 === undefined ? 'the keystroke ' + key + ' never arrived' : 'the editor was not ' + want + ' ' + timeoutMs + ' ms after the keystroke')))), timeoutMs);
    window.addEventListener('keydown', onKey, true);
    mo.observe(editor, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
  });
  p.catch(() => {});
  window.__wxmsgArmed = p;
`) as (args: { key: string; want: string; timeoutMs: number; file: string }) => void;

// Runs in the page before the workbench loads: taps the page's WebSocket to the extension host
// (code-server's renderer talks to it over one). It notes when the renderer sends a document's
// change to the extension host (the `$acceptModelChanged` call) and when a diagnostics change
// for a document comes back (`$changeMany`), with the file names of the latency runs found in
// each message. That splits keydown → squiggle into the renderer before the change goes out,
// the round trip through the extension host and the language server (wxmsg's or VS Code's JSON
// server), and the rendering after the diagnostics arrive: measured alike for both files, by
// the page, and without touching either extension. The tap is a listener added before the
// workbench's own and a byte search per message.
// eslint-disable-next-line no-new-func
const TAP_WIRE = new Function('names', `
  const enc = new TextEncoder();
  const CHANGE = enc.encode('$acceptModelChanged');
  const DIAGNOSTICS = enc.encode('$changeMany');
  const files = names.map((n) => [n, enc.encode('/' + n + '"')]);
  const has = (u8, pat) => {
    for (let i = u8.indexOf(pat[0]); i !== -1 && i <= u8.length - pat.length; i = u8.indexOf(pat[0], i + 1)) {
      let k = 1;
      while (k < pat.length && u8[i + k] === pat[k]) k++;
      if (k === pat.length) return true;
    }
    return false;
  };
  const wire = (window.__wxmsgWire = []);
  const look = (u8, at, pat, kind) => {
    if (!has(u8, pat)) return;
    const found = files.filter(([, f]) => has(u8, f)).map(([n]) => n);
    if (!found.length) return;
    wire.push({ at, kind, files: found });
    if (wire.length > 4000) wire.splice(0, 2000);
  };
  // Messages from the server come as Blobs, read asynchronously (as the workbench reads them):
  // the time is the message event's, the look comes when the bytes are there.
  let reading = Promise.resolve();
  window.__wxmsgWireRead = () => reading;
  const note = (data, pat, kind) => {
    const at = performance.now();
    if (data instanceof Blob) {
      reading = reading.then(() => data.arrayBuffer()).then((b) => look(new Uint8Array(b), at, pat, kind), () => undefined);
    } else if (data instanceof ArrayBuffer) look(new Uint8Array(data), at, pat, kind);
    else if (ArrayBuffer.isView(data)) look(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at, pat, kind);
  };
  const Native = window.WebSocket;
  class Tapped extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => note(e.data, DIAGNOSTICS, 'diagnostics'));
    }
    send(data) {
      note(data, CHANGE, 'change');
      return super.send(data);
    }
  }
  window.WebSocket = Tapped;
`) as (names: string[]) => void;

// Counts re-renders of the CodeLens in every editor (VS Code rebuilds a lens's DOM each time it
// applies a provider's answer), per editor group. Both editors are watched alike: an observer
// is work for the page, and it must not weigh on one side of the comparison only.
// eslint-disable-next-line no-new-func
const WATCH_LENSES = new Function(`
  for (const w of window.__wxmsgLensWatch ?? []) w.disconnect();
  window.__wxmsgLensWatch = [];
  window.__wxmsgLensRenders = {};
  window.__wxmsgLensAt = [];
  document.querySelectorAll('.editor-group-container').forEach((container, group) => {
    const editor = container.querySelector('.monaco-editor');
    if (!editor) return;
    window.__wxmsgLensRenders[group + 1] = 0;
    const mo = new MutationObserver((ms) => {
      for (const m of ms) {
        if (m.type === 'childList' && m.target.classList && m.target.classList.contains('codelens-decoration')) {
          window.__wxmsgLensRenders[group + 1]++;
          window.__wxmsgLensAt.push(performance.now());
        }
      }
    });
    mo.observe(editor, { subtree: true, childList: true });
    window.__wxmsgLensWatch.push(mo);
  });
`) as () => void;

/**
 * A neutral observer in the extension host, installed beside wxmsg for this suite only: for each
 * edit of a document it times the extension host's change event until some extension hands
 * diagnostics for that document to VS Code (DiagnosticCollection.set, which both language
 * clients call with a pulled report). The same clock for wxmsg and for VS Code's JSON
 * extension, touching neither: DiagnosticCollection is one class in the extension host, and
 * the observer wraps its `set`. "wxmsg e2e: write the observer's samples" writes what it saw
 * since the last write to WXMSG_E2E_OBSERVER (a JSON file) and starts afresh.
 */
function writeObserver(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'wxmsg-e2e-observer', publisher: 'wxmsgtest', version: '0.0.0', license: 'MIT',
    engines: { vscode: '^1.90.0' }, activationEvents: ['onStartupFinished'], main: './extension.js',
    contributes: { commands: [{ command: 'wxmsgE2eObserver.write', title: 'wxmsg e2e: write the observer\'s samples' }] },
  }));
  writeFileSync(path.join(dir, 'README.md'), 'Times edits until diagnostics in the extension host; installed only into the wxmsg e2e profile.\n');
  writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
  writeFileSync(path.join(dir, 'extension.js'), `
const vscode = require('vscode');
const fs = require('fs');
const { performance } = require('perf_hooks');
exports.activate = function (context) {
  const out = process.env.WXMSG_E2E_OBSERVER;
  const probe = vscode.languages.createDiagnosticCollection('wxmsg-e2e-observer');
  let proto = Object.getPrototypeOf(probe);
  while (proto && !Object.prototype.hasOwnProperty.call(proto, 'set')) proto = Object.getPrototypeOf(proto);
  probe.dispose();
  const changed = new Map();
  let samples = [];
  context.subscriptions.push(vscode.workspace.onDidChangeTextDocument((e) => {
    if (!e.contentChanges.length) return;
    const text = e.contentChanges.map((c) => c.text).join('');
    changed.set(e.document.uri.toString(), { at: performance.now(), edit: text === '' ? 'delete' : text });
  }));
  if (proto) {
    const set = proto.set;
    proto.set = function (first) {
      const at = performance.now();
      if (first && typeof first === 'object' && typeof first.scheme === 'string' && typeof first.path === 'string') {
        const key = first.toString();
        const c = changed.get(key);
        if (c) {
          changed.delete(key);
          samples.push({ file: first.path.split('/').pop(), edit: c.edit, ms: at - c.at });
        }
      }
      return set.apply(this, arguments);
    };
  }
  context.subscriptions.push(vscode.commands.registerCommand('wxmsgE2eObserver.write', () => {
    fs.writeFileSync(out, JSON.stringify({ patched: !!proto, samples }));
    samples = [];
  }));
};
exports.deactivate = function () {};
`);
}

/** One edit as the observer saw it: ms from the change event to the diagnostics set. */
interface Observed { file: string; edit: string; ms: number }

/** The extension's report ("WeChat (wxmsg): Show Editor Latency") as the output channel has it. */
interface ExtensionReport { edits: number; codeLens: number; templateInfo: number; status: number; samples: number[] }

/** Every report in the wxmsg output channel's log file, oldest first. */
function extensionReports(userDataDir: string): ExtensionReport[] {
  const logs: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/-wxmsg\.log$/.test(e.name)) logs.push(p);
    }
  };
  walk(path.join(userDataDir, 'logs'));
  const text = logs.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs).map((f) => readFileSync(f, 'utf8')).join('\n');
  const out: ExtensionReport[] = [];
  const re = /wxmsg: (\d+) edits, didChange → diagnostics: .*?; CodeLens requests (\d+), status refreshes (\d+)\s*\n.*?\[latency\] samples \(ms\): ([\d. ]+)\n.*?\[latency\] msgtype requests for the CodeLens: (\d+)/g;
  for (const m of text.matchAll(re)) {
    out.push({ edits: Number(m[1]), codeLens: Number(m[2]), status: Number(m[3]), samples: m[4]!.trim().split(/\s+/).map(Number), templateInfo: Number(m[5]) });
  }
  return out;
}

describe('wxmsg in the editor: defaults and keystroke latency (code-server + Chromium)', { timeout: 8 * 60_000 }, () => {
  let base: string;
  let workspace: string;
  let profile: Profile;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let wb: Workbench;
  let observerFile: string;
  const ws = (rel: string) => path.join(workspace, rel);

  before(async () => {
    const paths: E2EPaths = { node: env('WXMSG_E2E_NODE'), codeServer: env('WXMSG_E2E_CODE_SERVER'), chromium: env('WXMSG_E2E_CHROMIUM') };
    mkdirSync(OUT, { recursive: true });
    base = mkdtempSync(path.join(tmpdir(), 'wxmsg-e2e-editor-'));
    workspace = path.join(base, 'miniprogram-project');
    cpSync(FIXTURE, workspace, { recursive: true });
    mkdirSync(ws('latency'));
    writeFileSync(ws('latency/order.json'), ORDER_JSON);
    // One line far wider than the editor: wrapped, it takes several view lines.
    writeFileSync(ws('templates/long.wxmsg.json'), JSON.stringify({ touser: 'OPENID', msgtype: 'text', text: { content: '您好，您的订单已发货，请留意物流信息。'.repeat(12) } }, null, 2));
    profile = makeProfile(base);
    const installed = installExtension(paths, profile, env('WXMSG_E2E_VSIX'));
    assert.ok(installed.some((id) => id.toLowerCase() === 'wxmsg.wxmsg'), `the .vsix did not install: ${installed.join(', ')}`);
    writeObserver(path.join(base, 'observer'));
    const vsce = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--allow-missing-repository', '-o', path.join(base, 'observer.vsix')], { cwd: path.join(base, 'observer'), encoding: 'utf8' });
    assert.equal(vsce.status, 0, `packaging the observer failed:\n${vsce.stdout}\n${vsce.stderr}`);
    assert.ok(installExtension(paths, profile, path.join(base, 'observer.vsix')).includes('wxmsgtest.wxmsg-e2e-observer'), 'the observer did not install');
    writeUserSettings(profile, {
      ...QUIET_SETTINGS,
      'json.schemas': [{ fileMatch: ['**/latency/order.json'], schema: ORDER_SCHEMA }, { fileMatch: [`**/${CONTROL}`], schema: CONTROL_SCHEMA }],
      // For ablations by hand, e.g. WXMSG_E2E_EXTRA_SETTINGS='{"editor.codeLens": false}'.
      ...extraSettings(),
    });
    observerFile = path.join(base, 'observed.json');
    server = await startCodeServer(paths, profile, workspace, { ...process.env, WXMSG_E2E_OBSERVER: observerFile });
    ({ browser, wb } = await openWorkbench(paths.chromium, server.url, workspace, {
      onPage: (page) => page.addInitScript(TAP_WIRE, [path.basename(TEMPLATE), 'order.json', path.basename(CONTROL)]),
    }));
  });

  after(() => tearDown(browser, [server?.proc], base));

  /** A scenario: on failure, a screenshot of the workbench goes next to the report. */
  const scenario = scenarios(OUT, 'editor', () => wb);

  scenario('1. editor defaults for templates: tab size 2, word wrap, quick suggestions in strings, no word-based ones', async () => {
    // Word wrap: the long content line takes more view lines than the file has lines.
    await wb.openFile('templates/long.wxmsg.json');
    const lines = readFileSync(ws('templates/long.wxmsg.json'), 'utf8').split('\n').length;
    const viewLines = await waitFor('the long line to be wrapped',
      () => wb.activeEditor.locator('.view-lines .view-line').count(), (n) => n > lines);
    assert.ok(viewLines > lines, `${viewLines} view lines for ${lines} lines`);
    await wb.page.locator('[id="status.editor.indentation"]', { hasText: 'Spaces: 2' }).waitFor({ timeout: TIMEOUT });

    // Quick suggestions inside a string, with nothing but the server's items: typing a letter
    // into the empty pagepath opens the list by itself (a letter is no trigger character).
    const rel = 'templates/coupon.wxmsg.json';
    const at = lineColOf(readFileSync(ws(rel), 'utf8'), '"pagepath": ""');
    await wb.openFile(rel);
    await wb.goTo(at.line, at.col + '"pagepath": "'.length);
    await wb.page.keyboard.type('p');
    const widget = wb.activeEditor.locator('.suggest-widget');
    await widget.waitFor({ state: 'visible', timeout: TIMEOUT });
    const labels = await waitFor('page suggestions', () => wb.suggestLabels(), (ls) => ls.length > 0 && ls.every((l) => PAGES.includes(l)));
    // Word-based suggestions would add words of the file (touser, OPENID, miniprogrampage…).
    assert.ok(labels.every((l) => PAGES.includes(l)), `only pages are offered: ${JSON.stringify(labels)}`);
    await wb.page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: TIMEOUT });
    await wb.command('File: Revert File');
    await wb.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: TIMEOUT });
    await wb.closeAllEditors();
  });

  /**
   * Keystroke rounds: `x` typed (timed until the squiggle) and removed, ROUNDS times each in a
   * file in the first slot (the template; its text as a JSON file for the control) and in
   * order.json beside it. In blocks of BLOCK rounds in one editor, the files taking turns in
   * the order first, JSON, JSON, first, … (so neither always goes first). Each block starts with
   * a switch of editor, a settling pause (SETTLE_MS) and one untimed round, as the first
   * squiggle after a switch is drawn cold. The first slot is on the left and order.json on the
   * right; WXMSG_E2E_SWAP=1 swaps them.
   */
  const keystrokes = async (first: { file: string; probe: string }, report: boolean) => {
    const SWAP = process.env.WXMSG_E2E_SWAP === '1';
    const name = path.basename(first.file);
    const openFirst = async () => {
      await wb.openFile(first.file);
      await wb.page.locator('.view-overlays .squiggly-error').first().waitFor({ state: 'detached', timeout: TIMEOUT });
      const at = lineColOf(readFileSync(ws(first.file), 'utf8'), first.probe);
      await wb.goTo(at.line, at.col + first.probe.length);
    };
    const openJs = async () => {
      await wb.openFile('latency/order.json');
      const at = lineColOf(ORDER_JSON, JSON_PROBE);
      await wb.goTo(at.line, at.col + JSON_PROBE.length);
    };
    await (SWAP ? openJs : openFirst)();
    await wb.command('View: Split Editor Right');
    await (SWAP ? openFirst : openJs)();

    const focus = async (group: 1 | 2, tab: string) => {
      await wb.page.keyboard.press(`Control+${group}`);
      await wb.activeTab(tab).waitFor({ timeout: TIMEOUT });
      await wb.editorFocused();
    };
    const pause = (since: number) => new Promise((r) => setTimeout(r, Math.max(0, since + PACE_MS - Date.now())));
    /** One round: type `x` (timed until the squiggle), Backspace (until it is gone). */
    const round = async (file: string): Promise<Timing> => {
      await wb.page.evaluate(ARM, { key: 'x', want: 'squiggle', timeoutMs: SQUIGGLE_TIMEOUT_MS, file });
      let typed = Date.now();
      await wb.page.keyboard.press('x');
      const timing = await wb.page.evaluate('window.__wxmsgArmed') as Timing;
      await pause(typed);
      await wb.page.evaluate(ARM, { key: 'Backspace', want: 'clean', timeoutMs: SQUIGGLE_TIMEOUT_MS, file });
      typed = Date.now();
      await wb.page.keyboard.press('Backspace');
      await wb.page.evaluate('window.__wxmsgArmed');
      await pause(typed);
      return timing;
    };
    /** "Show Editor Latency"; resolves with the report it wrote (waits for the log file). */
    const showLatency = async (): Promise<ExtensionReport | undefined> => {
      const n = extensionReports(profile.userDataDir).length;
      await wb.command('WeChat (wxmsg): Show Editor Latency');
      const toast = await wb.notification(/^wxmsg: /);
      const hadEdits = !/no edits/.test(await toast.innerText());
      await wb.command('Notifications: Clear All Notifications');
      if (!hadEdits) return undefined;
      return (await waitFor('the report in the wxmsg output log', async () => extensionReports(profile.userDataDir), (rs) => rs.length > n)).at(-1);
    };

    const samples = { first: [] as number[], json: [] as number[] };
    const wire = { first: [] as Timing[], json: [] as Timing[] };
    // Each switch of the active editor refreshes the status item (it shows the template's
    // appid); typing must not. Counted from the first timed round on.
    let switches = 0;
    let active: 'first' | 'json' = 'json';
    const to = async (side: 'first' | 'json') => {
      if (side !== active) switches++;
      active = side;
      await (side === 'first' ? focus(SWAP ? 2 : 1, name) : focus(SWAP ? 1 : 2, 'order.json'));
    };
    /** The observer's samples since its last write (and a fresh period). */
    const observed = async (): Promise<Observed[]> => {
      rmSync(observerFile, { force: true });
      await wb.command('wxmsg e2e: write the observer\'s samples');
      const got = await waitFor('the observer\'s samples', async () => (existsSync(observerFile) ? JSON.parse(readFileSync(observerFile, 'utf8')) as { patched: boolean; samples: Observed[] } : undefined), (r) => r !== undefined);
      assert.ok(got!.patched, 'the observer could not wrap DiagnosticCollection.set');
      return got!.samples;
    };
    await to('first');
    // A fresh period for the extension's report and the observer: only these rounds' edits count.
    if (report) await showLatency();
    await observed();
    await to('first');
    switches = 0;
    await wb.editorFocused();
    await wb.page.evaluate(WATCH_LENSES);
    // Per side, each round in order: untimed (the first of its block) or timed.
    const untimed = { first: [] as boolean[], json: [] as boolean[] };
    const ORDER = ['first', 'json', 'json', 'first'] as const;
    for (let b = 0; b < 2 * (ROUNDS / BLOCK); b++) {
      const side = ORDER[b % 4]!;
      await to(side);
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      for (let i = -1; i < BLOCK; i++) {
        const t = await round(side === 'first' ? name : 'order.json');
        untimed[side].push(i < 0);
        if (i >= 0) {
          samples[side].push(t.ms);
          wire[side].push(t);
        }
      }
    }
    const lensRenders = (await wb.page.evaluate('window.__wxmsgLensRenders') as Record<string, number>)[SWAP ? 2 : 1] ?? NaN;
    // The extension host's part of each typed `x`, as the observer saw it (untimed rounds left out).
    const seen = await observed();
    const host = (file: string, side: 'first' | 'json') => {
      const typed = seen.filter((o) => o.file === file && o.edit === 'x');
      assert.equal(typed.length, untimed[side].length, `the observer saw every \`x\` typed into ${file}`);
      return spreadOf(typed.filter((_, k) => !untimed[side][k]).map((o) => o.ms));
    };
    const hostSplit = { first: host(name, 'first'), json: host('order.json', 'json') };
    let extension: ExtensionReport | undefined;
    if (report) {
      await to('first');
      extension = await showLatency();
      assert.ok(extension, 'the extension reported the rounds');
    }
    const timedSwitches = switches;
    // Typed and removed again, both files are still dirty: revert them, then close.
    for (const side of ['first', 'json'] as const) {
      await to(side);
      await wb.command('File: Revert File');
    }
    await wb.page.locator('.tabs-container .tab.dirty').first().waitFor({ state: 'detached', timeout: TIMEOUT });
    await wb.closeAllEditors();
    return { swap: SWAP, samples, untimed: untimed.first, timings: wire, wire: { first: wireOf(wire.first), json: wireOf(wire.json) }, host: hostSplit, switches: timedSwitches, lensRenders, extension };
  };

  // What the method makes of two JSON files: the template's text as a JSON file with a schema, in
  // the template's place. Its gap to order.json is the resolution of the comparison below, and
  // its figures are VS Code's JSON validation of the very text and keystroke wxmsg gets.
  let control: { first: Spread; json: Spread; wire: { first: WireSplit; json: WireSplit }; host: { first: Spread; json: Spread }; samples: { first: number[]; json: number[] }; timings: { first: Timing[]; json: Timing[] } } | undefined;
  // Other work on the machine shows in every figure: say how busy it was.
  let loadBefore = 0;
  scenario('2. keystroke → squiggle, the control: the template\'s text as a JSON file beside order.json, 30 each', async () => {
    loadBefore = loadavg()[0]!;
    writeFileSync(ws(CONTROL), readFileSync(ws(TEMPLATE), 'utf8'));
    const r = await keystrokes({ file: CONTROL, probe: TEMPLATE_PROBE }, false);
    control = { first: spreadOf(r.samples.first), json: spreadOf(r.samples.json), wire: r.wire, host: r.host, samples: r.samples, timings: r.timings };
  });

  scenario('3. keystroke → squiggle: wxmsg beside VS Code\'s JSON validation, 30 each', async () => {
    assert.ok(control, 'the control ran first (scenario 2)');
    const r = await keystrokes({ file: TEMPLATE, probe: TEMPLATE_PROBE }, true);
    const { switches, lensRenders, swap: SWAP } = r;
    const wxmsg = r.samples.first;
    const json = r.samples.json;
    const { codeLens, status, templateInfo } = r.extension!;
    // The extension timed the untimed rounds' edits too (two per round, in order): left out.
    const timed = r.extension!.samples;
    // Every edit (typed and deleted) got its diagnostics back: each round waited for them.
    assert.equal(timed.length, 2 * r.untimed.length, `the extension timed every edit: ${r.extension!.edits}`);
    const own = timed.filter((_, k) => !r.untimed[Math.floor(k / 2)]);
    // The tap on the page's connection saw every timed keystroke's change and diagnostics (a
    // VS Code that changed its wire would leave the split empty, not quietly wrong).
    for (const [side, split] of [['wxmsg', r.wire.first], ['JSON', r.wire.json], ['control', control.wire.first], ['control JSON', control.wire.json]] as const) {
      assert.equal(split.missed, 0, `the wire tap missed ${split.missed} of the ${side} keystrokes`);
    }
    // Typing must not make the extension refresh its status item (a request and a status bar
    // update per keystroke nobody asked for): at most one refresh per switch of the editor.
    assert.ok(status <= switches, `${status} status refreshes for ${switches} editor switches and ${timed.length} edits`);
    // The msgtype the lenses need comes with the server's reports: typing must not cost a round
    // trip when VS Code asks for the lenses. How often VS Code asks is its own choice (it waits
    // after an edit about as long as earlier lens requests took, so it may not ask at all in a
    // run); the report gives the count. That the lenses asked after every edit cost no round trip
    // is asserted where the requests can be made on purpose: test/vscode/suite/send.test.ts.
    assert.equal(templateInfo, 0, `msgtype requests for the CodeLens while typing (VS Code asked for the lenses ${codeLens} times)`);

    const result = {
      date: new Date().toISOString().slice(0, 10),
      machine: `${cpus().length} cores (load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}), Chromium ${browser!.version()}, code-server (VS Code ${codeServerVsCode()})`,
      keystrokes: ROUNDS,
      block: BLOCK,
      layout: SWAP ? 'JSON left, wxmsg right' : 'wxmsg left, JSON right',
      squiggle: { wxmsg: spreadOf(wxmsg), json: spreadOf(json) },
      // The same method with the template's text as a JSON file in the template's place, just before.
      control: { first: control.first, json: control.json },
      // Where each side's time goes, from the page's tap on the wire to the extension host.
      wire: { wxmsg: r.wire.first, json: r.wire.json, control: control.wire },
      // The extension host's part, from the observer: change event → diagnostics set.
      host: { wxmsg: r.host.first, json: r.host.json, control: control.host },
      extensionShare: spreadOf(own),
      // Per edit: a round is two (the character, then Backspace), each followed by a pause.
      perEdit: { codeLensRequests: codeLens / timed.length, codeLensRenders: lensRenders / timed.length, templateInfoRequests: templateInfo / timed.length, statusRefreshes: status / timed.length, edits: timed.length },
      samples: { wxmsg, json, extension: own, control: control.samples },
      // Each keystroke's parts (ms after keydown): change sent, diagnostics back, CodeLens re-renders.
      timings: { wxmsg: r.timings.first, json: r.timings.json, control: control.timings },
    };
    writeFileSync(path.join(OUT, 'latency.json'), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(path.join(OUT, 'latency.md'), latencyTable(result));
    console.log(latencyTable(result));
    await wb.screenshot(path.join(OUT, 'latency.png'));
  });
});

function codeServerVsCode(): string {
  try {
    const pkg = path.join(path.dirname(env('WXMSG_E2E_CODE_SERVER')), '..', '..', 'lib', 'vscode', 'package.json');
    return JSON.parse(readFileSync(pkg, 'utf8')).version as string;
  } catch {
    return 'unknown';
  }
}

const signed = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;

/** The Markdown table the README quotes. */
export function latencyTable(r: { date: string; machine: string; keystrokes: number; block?: number; squiggle: { wxmsg: Spread; json: Spread }; control?: { first: Spread; json: Spread }; wire?: { wxmsg: WireSplit; json: WireSplit; control: { first: WireSplit; json: WireSplit } }; host?: HostSplit; extensionShare: Spread; perEdit: { codeLensRequests: number; codeLensRenders: number; templateInfoRequests?: number; statusRefreshes: number } }): string {
  const f = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1));
  const row = (name: string, s: Spread) => `| ${name} | ${s.n} | ${f(s.p50)} ms | ${f(s.p90)} ms | ${f(s.max)} ms |`;
  return [
    `Keystroke → squiggle in VS Code (code-server + Chromium, \`npm run test:e2e\`), ${r.date}, ${r.machine}` +
      (r.block ? `; the files take turns every ${r.block} keystroke${r.block > 1 ? 's' : ''}:` : ':'),
    '',
    '| | samples | p50 | p90 | max |',
    '|---|---:|---:|---:|---:|',
    row('wxmsg: keydown → squiggle in the DOM', r.squiggle.wxmsg),
    row('baseline: VS Code\'s JSON validation (schema error), same run', r.squiggle.json),
    row('wxmsg\'s own share: didChange → diagnostics delivered', r.extensionShare),
    ...(r.control ? [
      row('control: the template\'s text as a JSON file (VS Code\'s JSON validation), in the template\'s place', r.control.first),
      row('control: order.json beside it', r.control.json),
    ] : []),
    '',
    ...(r.control ? [
      `Gap at p50: wxmsg − JSON ${signed(r.squiggle.wxmsg.p50 - r.squiggle.json.p50)} ms; the control, two JSON files measured the same way, ${signed(r.control.first.p50 - r.control.json.p50)} ms.`,
      '',
    ] : []),
    ...(r.wire && r.host ? wireTable(r.wire, r.host) : []),
    `Per edit of the template (a keystroke, then a ${PACE_MS} ms pause): ${r.perEdit.codeLensRequests.toFixed(2)} CodeLens requests ` +
      `(VS Code asks after each pause in typing; the lenses carry their commands, so nothing is resolved), ` +
      `${r.perEdit.codeLensRenders.toFixed(2)} CodeLens re-renders, ` +
      (r.perEdit.templateInfoRequests !== undefined ? `${r.perEdit.templateInfoRequests.toFixed(2)} msgtype requests to the server for the lenses, ` : '') +
      `${r.perEdit.statusRefreshes.toFixed(2)} status refreshes.`,
    '',
  ].join('\n');
}

/** Where the time goes, per side, at p50 (p90): the split of keydown → squiggle the wire tap gives. */
function wireTable(w: { wxmsg: WireSplit; json: WireSplit; control: { first: WireSplit; json: WireSplit } }, h: HostSplit): string[] {
  const f = (s: Spread) => (s.n ? `${s.p50.toFixed(1)} (${s.p90.toFixed(1)}) ms` : '—');
  const row = (name: string, x: WireSplit, host: Spread) => `| ${name} | ${f(x.renderer)} | ${f(x.roundTrip)} | ${f(host)} | ${f(x.draw)} | ${x.missed} |`;
  return [
    'Where the time goes, p50 (p90): the page\'s tap on its connection to the extension host, and an observer in the extension host:',
    '',
    '| | keydown → change sent | → diagnostics back | of which: extension host, change event → diagnostics set | → squiggle drawn | missed |',
    '|---|---:|---:|---:|---:|---:|',
    row('wxmsg', w.wxmsg, h.wxmsg),
    row('VS Code\'s JSON validation, same run', w.json, h.json),
    row('control: the template\'s text as a JSON file', w.control.first, h.control.first),
    row('control: order.json beside it', w.control.json, h.control.json),
    '',
  ];
}
