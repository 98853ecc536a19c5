// Edit latency in the language server: the BUILT server (node dist/server.js --stdio) driven over
// stdio like an editor that types into a template. Each edit is one incremental didChange; the
// next is sent once the push diagnostics for the previous version have arrived (sequential
// typing latency). Reported: p50/p99/max from sending didChange to receiving the
// publishDiagnostics of that version, against baselines taken in the same run:
//   rtt      — a JSON-RPC round trip on the same connection (a request the server does not
//              handle, answered MethodNotFound): the transport floor of any reply;
//   parse    — jsonc-parser parseTree of the same text, in this process: the parser floor;
//   validate — wxmsg's own parseTemplate + validate of the same text, in this process: the work
//              the server does per edit, without the transport.
// The server runs with the Node flags the extension gives it (SERVER_NODE_FLAGS);
// --server-node-flags="…" replaces them ("" for none: the before/after of that choice).
// --transport=ipc talks to it over node IPC, as the VS Code extension does (default: stdio).
//   node --import tsx bench/lsp.ts [--edits-small=N] [--edits-large=N] [--cpu-prof-dir=DIR] [--server=PATH] [--server-node-flags=FLAGS] [--transport=ipc] [--json=PATH --label=TEXT]
// (--edits-large=0 runs the 10 KB case only; the server must be built first: npm run build.)
// (--cpu-prof-dir profiles the server process: open the .cpuprofile in Chrome DevTools.)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseTree } from 'jsonc-parser';
import {
  IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, createProtocolConnection,
  type ConfigurationParams, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { parseTemplate } from '../server/src/core/parser/document.ts';
import { SERVER_NODE_FLAGS } from '../server/src/lsp/protocol.ts';
import type { ProjectContext } from '../server/src/core/types.ts';
import { validate } from '../server/src/core/services/validate.ts';
import { BENCH_APPID, SERVER, benchProject, isMain, ms, printTable, rng, spread, type Spread } from './shared.ts';

export interface LspCaseResult {
  name: string;
  /** UTF-8 bytes of the template as opened. */
  bytes: number;
  /** Measured edits (after `warmup` unmeasured ones). */
  edits: number;
  warmup: number;
  /** didChange → publishDiagnostics of that version, ms. */
  latency: Spread;
  /** How many of the measured versions were published with at least one diagnostic. */
  withDiagnostics: number;
  /** Baselines, medians in ms. */
  parseMs: number;
  validateMs: number;
  /** Text links in the template as opened. */
  links?: number;
  /**
   * KB allocated per edit by the server's work on it (parseTemplate + validate of each version
   * of the same typing, in this process; median of 100 edits, each after a full GC).
   */
  allocKb?: number;
}

export interface LspBenchResult {
  server: string;
  /** How the client talked to the server (absent in results before it was recorded: stdio). */
  transport?: LspTransport;
  /** The Node flags the server ran with. */
  serverNodeArgs: string[];
  /** JSON-RPC round trip of an unhandled request on the same connection, ms. */
  rtt: Spread;
  cases: LspCaseResult[];
  baselines: { rtt: string; parse: string; validate: string };
  targets: { name: string; p99Ms: number }[];
}

export interface LspBenchOptions {
  /** Default dist/server.js. */
  server?: string;
  smallEdits?: number;
  largeEdits?: number;
  /** Approximate template sizes in bytes. */
  smallBytes?: number;
  largeBytes?: number;
  seed?: number;
  /** Node flags for the server process; default SERVER_NODE_FLAGS, as the extension starts it. */
  serverNodeArgs?: string[];
  /** More flags, e.g. ['--cpu-prof', '--cpu-prof-dir=…'] to profile it. */
  extraNodeArgs?: string[];
  /** Default stdio. */
  transport?: LspTransport;
  log?: (line: string) => void;
}

/** The editing case: a 10 KB text template with 60 text links. */
export const SMALL_LINKS = 60;

const PHRASES = ['您好，您的订单已发货。', '感谢您的咨询，', '优惠券已到账，请点击查看：', 'Your order is on its way. ', '😀 ', '如有问题请回复本消息。'];

/** One text link as it is written inside a JSON string (quotes escaped). */
function link(i: number, page: string): string {
  return `<a href=\\"https://example.com/orders/${i}\\" data-miniprogram-appid=\\"${BENCH_APPID}\\" data-miniprogram-path=\\"${page}?id=${i}\\">订单${i}</a>`;
}

/**
 * A text template of about `bytes` UTF-8 bytes: a comment, then a content string of phrases and
 * text links. Past 2,048 bytes of content wxmsg reports content-too-long: a realistic worst case
 * for a long message being drafted. With `links`, exactly that many links, and phrases between
 * them up to `bytes` (the case: 10 KB with 60 links); without, a phrase and a link
 * alternate until `bytes`.
 */
export function textTemplate(bytes: number, seed = 7, links?: number): string {
  const r = rng(seed);
  const head = '// Sent by the support team after an order ships.\n{\n  "touser": "OPENID",\n  "msgtype": "text",\n  "text": {\n    "content": "';
  const tail = '"\n  }\n}\n';
  const page = () => (r() < 0.5 ? 'pages/order/detail' : `pages/p${Math.floor(r() * 198)}/index`);
  const phrase = () => PHRASES[Math.floor(r() * PHRASES.length)];
  let size = Buffer.byteLength(head + tail);
  if (links !== undefined) {
    const parts = Array.from({ length: links }, (_, i) => link(i, page()) + ' ');
    size += parts.reduce((n, p) => n + Buffer.byteLength(p), 0);
    // Phrases go before the links in turn, as long as the next one still fits.
    for (let i = 0; links > 0; i++) {
      const p = phrase();
      if (size + Buffer.byteLength(p) > bytes) break;
      parts[i % links] = p + parts[i % links];
      size += Buffer.byteLength(p);
    }
    return head + parts.join('') + tail;
  }
  const parts: string[] = [];
  for (let i = 0; size < bytes; i++) {
    const part = phrase() + link(i, page()) + ' ';
    parts.push(part);
    size += Buffer.byteLength(part);
  }
  return head + parts.join('') + tail;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Realistic typing into the content: a session types a snippet character by character at a
 * point after some link, then deletes it again with backspace (so the template keeps its size).
 * Snippets: plain text, an emoji (one edit, two UTF-16 units), a stray `"` (the JSON breaks
 * until it is deleted) and a whole text link typed out (passes through an invalid `\` escape,
 * an unclosed <a> and a link without href before it is complete).
 */
export function* typing(text: string, seed = 11): Generator<Edit> {
  const r = rng(seed);
  const anchors: number[] = [];
  for (let i = text.indexOf('</a>'); i !== -1; i = text.indexOf('</a>', i + 1)) anchors.push(i + 4);
  const snippets = ['请尽快查看物流', '"', '😀', ` ${link(9999, 'pages/index/index')}`, '退款已处理', '😀'];
  for (let s = 0; ; s++) {
    const at = anchors[Math.floor(r() * anchors.length)];
    const units = [...snippets[s % snippets.length]];
    let pos = at;
    for (const u of units) {
      yield { start: pos, end: pos, text: u };
      pos += u.length;
    }
    for (const u of units.reverse()) {
      yield { start: pos - u.length, end: pos, text: '' };
      pos -= u.length;
    }
  }
}

export type LspTransport = 'stdio' | 'ipc';

type Waiter = { version: number; resolve: (p: { at: number; params: PublishDiagnosticsParams }) => void };

/**
 * A bare LSP client, timing on message arrival: over the server's stdio (node <server> --stdio,
 * as most editors run a language server) or over node IPC (node <server> --node-ipc, the
 * transport the VS Code extension uses: vscode-languageclient's TransportKind.ipc).
 */
export class LspSession {
  private waiters: Waiter[] = [];
  private readonly conn;
  private readonly exited: Promise<number | null>;
  readonly proc;

  constructor(server: string, cwd: string, execArgv: string[] = [], transport: LspTransport = 'stdio') {
    const ipc = transport === 'ipc';
    this.proc = spawn(process.execPath, [...execArgv, server, ipc ? '--node-ipc' : '--stdio'], { cwd, stdio: ipc ? ['pipe', 'pipe', 'pipe', 'ipc'] : 'pipe' });
    if (ipc) this.proc.stdout!.resume();
    this.proc.stderr!.resume();
    this.exited = new Promise((res) => this.proc.on('exit', (code) => res(code)));
    this.conn = ipc
      ? createProtocolConnection(new IPCMessageReader(this.proc), new IPCMessageWriter(this.proc))
      : createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const at = performance.now();
      this.waiters = this.waiters.filter((w) => (w.version === params.version ? (w.resolve({ at, params }), false) : true));
    });
    this.conn.onRequest('workspace/configuration', (p: ConfigurationParams) => p.items.map(() => null));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.listen();
  }

  async initialize(rootDir: string): Promise<void> {
    const rootUri = pathToFileURL(rootDir).href;
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'bench' }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
        textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { dynamicRegistration: false, didSave: true } },
      },
    });
    await this.conn.sendNotification('initialized', {});
  }

  diagnostics(version: number, timeoutMs = 60_000): Promise<{ at: number; params: PublishDiagnosticsParams }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for version ${version} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ version, resolve: (p) => { clearTimeout(timer); resolve(p); } });
    });
  }

  open(uri: string, text: string): Promise<void> {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'wxmsg', version: 1, text } });
  }

  change(uri: string, version: number, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): Promise<void> {
    return this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  /** One round trip of a request the server has no handler for (answered MethodNotFound). */
  async ping(): Promise<number> {
    const t0 = performance.now();
    await this.conn.sendRequest('wxmsg/benchPing', {}).catch(() => undefined);
    return performance.now() - t0;
  }

  async stop(): Promise<void> {
    try {
      await this.conn.sendRequest('shutdown');
      await this.conn.sendNotification('exit');
    } catch {
      this.proc.kill();
    }
    await this.exited;
    this.conn.dispose();
  }
}

function inProcessMedian(fn: () => void, budgetMs: number, maxRuns: number): number {
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxRuns && (times.length < 3 || performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return spread(times).p50;
}

async function runCase(s: LspSession, dir: string, name: string, text: string, edits: number, warmup: number, context: ProjectContext, measureAlloc = false): Promise<LspCaseResult> {
  const file = join(dir, `${name.replace(/\W+/g, '-')}.wxmsg.json`);
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const opened = s.diagnostics(1);
  await s.open(uri, text);
  await opened;

  // All edits are on the content's line (a JSON string has no raw newline).
  const line = text.slice(0, text.indexOf('"content"')).split('\n').length - 1;
  const lineStart = text.lastIndexOf('\n', text.indexOf('"content"')) + 1;
  const pos = (offset: number) => ({ line, character: offset - lineStart });

  let version = 1;
  const latencies: number[] = [];
  let withDiagnostics = 0;
  const script = typing(text);
  // The client keeps no copy of the text while it times (that would be its own 10 KB per edit,
  // and its own GC pauses in the figures): the last text is rebuilt from the edits afterwards.
  const done: Edit[] = [];
  for (let i = 0; i < warmup + edits; i++) {
    const e = script.next().value as Edit;
    done.push(e);
    const range = { start: pos(e.start), end: pos(e.end) };
    version++;
    const published = s.diagnostics(version);
    const t0 = performance.now();
    await s.change(uri, version, range, e.text);
    const { at, params } = await published;
    if (i < warmup) continue;
    latencies.push(at - t0);
    if (params.diagnostics.length) withDiagnostics++;
  }
  let current = text;
  for (const e of done) current = current.slice(0, e.start) + e.text + current.slice(e.end);
  const parseMs = inProcessMedian(() => parseTree(current, [], { allowTrailingComma: true }), 300, 200);
  const validateMs = inProcessMedian(() => validate(parseTemplate(current), context, { locale: 'en' }), 300, 200);
  const links = (text.match(/<a /g) ?? []).length;
  return { name, bytes: Buffer.byteLength(text), links, edits, warmup, latency: spread(latencies), withDiagnostics, parseMs, validateMs, ...(measureAlloc ? { allocKb: allocPerEdit(text, context) } : {}) };
}

/**
 * KB allocated per edit by parsing and validating each version of the typing, as the server
 * does (the parsed document is shared, as the editor's is). Each measured edit follows a full
 * GC, so the heap's growth during it is what it allocated. The median of 100, after 200 unmeasured.
 */
export function allocPerEdit(text: string, context: ProjectContext): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const script = typing(text);
  let current = text;
  const step = (): void => {
    const e = script.next().value as Edit;
    current = current.slice(0, e.start) + e.text + current.slice(e.end);
    validate(parseTemplate(current), context, { locale: 'en', emptyFileHint: true, mediaPlaceholderHint: true });
  };
  for (let i = 0; i < 200; i++) step();
  const kb: number[] = [];
  for (let i = 0; i < 100; i++) {
    gc();
    const before = getHeapStatistics().used_heap_size;
    step();
    kb.push((getHeapStatistics().used_heap_size - before) / 1024);
  }
  return spread(kb).p50;
}

export async function benchLsp(opts: LspBenchOptions = {}): Promise<LspBenchResult> {
  const server = opts.server ?? SERVER;
  const log = opts.log ?? (() => undefined);
  const project = benchProject(200);
  const context: ProjectContext = {
    appid: BENCH_APPID,
    appidSource: 'bench',
    pages: ['pages/index/index', 'pages/order/detail', ...Array.from({ length: 198 }, (_, i) => `pages/p${i}/index`)],
    pagesSource: 'bench',
  };
  const serverNodeArgs = opts.serverNodeArgs ?? [...SERVER_NODE_FLAGS];
  const transport = opts.transport ?? 'stdio';
  const s = new LspSession(server, project.dir, [...serverNodeArgs, ...(opts.extraNodeArgs ?? [])], transport);
  try {
    await s.initialize(project.dir);
    const cases: LspCaseResult[] = [];
    const small = opts.smallEdits ?? 1000;
    const large = opts.largeEdits ?? 50;
    log(`lsp: ${small} edits to a ~10 KB template…`);
    cases.push(await runCase(s, project.templates, '10 KB text', textTemplate(opts.smallBytes ?? 10_000, opts.seed, SMALL_LINKS), small, 20, context, true));
    if (large > 0) {
      log(`lsp: ${large} edits to a ~1 MB template…`);
      cases.push(await runCase(s, project.templates, '1 MB text', textTemplate(opts.largeBytes ?? 1_000_000, opts.seed), large, 3, context));
    }
    const rtts: number[] = [];
    for (let i = 0; i < 20; i++) await s.ping();
    for (let i = 0; i < 300; i++) rtts.push(await s.ping());
    return {
      server,
      transport,
      serverNodeArgs,
      rtt: spread(rtts),
      cases,
      baselines: {
        rtt: 'JSON-RPC round trip on the same connection (unhandled request → MethodNotFound)',
        parse: 'jsonc-parser parseTree of the same text, in-process (median)',
        validate: 'wxmsg parseTemplate + validate of the same text, in-process (median)',
      },
      targets: [{ name: '10 KB text', p99Ms: 5 }, { name: '1 MB text', p99Ms: 100 }],
    };
  } finally {
    await s.stop();
    project.cleanup();
  }
}

const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? `${(a / b).toFixed(1)}×` : '—');

export function lspTable(r: LspBenchResult): string[][] {
  const rows = [['edit latency (didChange → diagnostics)', 'edits', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'target p99', 'p50 / rtt', 'parse ms', 'validate ms', 'KB/edit']];
  for (const c of r.cases) {
    const target = r.targets.find((t) => t.name === c.name)?.p99Ms;
    const links = c.links !== undefined ? `, ${c.links} links` : '';
    rows.push([`${c.name} (${(c.bytes / 1024).toFixed(0)} KB${links})`, String(c.edits), ms(c.latency.p50), ms(c.latency.p90), ms(c.latency.p99), ms(c.latency.max), target ? `< ${target}` : '', ratio(c.latency.p50, r.rtt.p50), ms(c.parseMs), ms(c.validateMs), c.allocKb !== undefined ? c.allocKb.toFixed(0) : '']);
  }
  rows.push(['baseline: JSON-RPC round trip', String(r.rtt.n), ms(r.rtt.p50), ms(r.rtt.p90), ms(r.rtt.p99), ms(r.rtt.max), '', '1.0×', '', '', '']);
  return rows;
}

if (isMain(__filename)) {
  const text = (name: string): string | undefined => process.argv.find((x) => x.startsWith(`--${name}=`))?.slice(name.length + 3);
  const arg = (name: string): number | undefined => {
    const a = text(name);
    return a === undefined ? undefined : Number(a);
  };
  const prof = text('cpu-prof-dir');
  const extraNodeArgs = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
  const flags = text('server-node-flags');
  const transport = text('transport') === 'ipc' ? 'ipc' : 'stdio';
  const serverNodeArgs = flags === undefined ? undefined : flags.split(/\s+/).filter(Boolean);
  // --server=PATH: another build (say, of the commit before a change), for before/after runs.
  // --json=PATH: the result, with the date and the load average, appended to a JSON array there.
  // --result=PATH: the result alone, for bench/run.ts (which runs each measurement in a fresh
  // process of its own: see lspRun there).
  const server = text('server');
  const json = text('json');
  const result = text('result');
  const load = loadavg()[0];
  void benchLsp({ server: server && resolve(server), smallEdits: arg('edits-small'), largeEdits: arg('edits-large'), serverNodeArgs, extraNodeArgs, transport, log: (l) => console.error(l) }).then((r) => {
    if (result) {
      writeFileSync(result, `${JSON.stringify(r)}\n`);
      return;
    }
    printTable(lspTable(r));
    if (json) {
      const runs: unknown[] = existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) as unknown[] : [];
      runs.push({ date: new Date().toISOString(), label: text('label'), machine: `${cpus().length} cores, load average ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)}`, ...r });
      writeFileSync(json, `${JSON.stringify(runs, null, 2)}\n`);
    }
  }, (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
