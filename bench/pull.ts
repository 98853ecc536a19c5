// The keystroke → squiggle comparison of test/e2e/editor.test.ts, without the workbench: the
// same two files, the same edit, the same transport as in VS Code (node IPC, pull diagnostics),
// wxmsg's server beside VS Code's own JSON language server (the one code-server 4.139 ships,
// which `npm run test:e2e` installs under .cache/e2e). Each edit is a didChange and the
// textDocument/diagnostic VS Code sends after it; the time is until that answer is back. The
// two servers take turns, edit by edit, with a pause between edits as between keystrokes.
//
//   npm run build && node --import tsx bench/pull.ts [--rounds=N] [--result=FILE]
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { SERVER_NODE_FLAGS } from '../server/src/lsp/protocol.ts';
import { CS_PKG } from '../test/e2e/setup.mjs';
import { JSON_PROBE, ORDER_JSON, ORDER_SCHEMA, TEMPLATE, TEMPLATE_PROBE } from '../test/e2e/latencyFiles.ts';
import { ROOT, SERVER, isMain, printTable, ms, spread, type Spread } from './shared.ts';

/** VS Code's JSON language server, as the code-server of test/e2e/setup.mjs ships it. */
export const JSON_SERVER = join(CS_PKG, 'lib', 'vscode', 'extensions', 'json-language-features', 'server', 'dist', 'node', 'jsonServerMain.js');

const JSON_SETTINGS = { schemas: [{ fileMatch: ['*/order.json'], schema: ORDER_SCHEMA }], validate: { enable: true } };
/** Between edits, as between keystrokes (the e2e pauses longer; this keeps the run short). */
const PAUSE_MS = 20;

export interface PullBenchResult {
  /** Rounds: each adds the character (timed) and removes it again, in each file. */
  rounds: number;
  wxmsg: Spread;
  json: Spread;
  jsonServer: string;
  wxmsgNodeArgs: string[];
}

interface Side {
  name: 'wxmsg' | 'json';
  proc: ChildProcess;
  conn: MessageConnection;
  uri: string;
  version: number;
  line: number;
  character: number;
  times: number[];
}

async function start(name: Side['name'], module: string, execArgv: string[], dir: string, file: string, text: string, probe: string, languageId: string): Promise<Side> {
  const proc = spawn(process.execPath, [...execArgv, module, '--node-ipc'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const conn = createMessageConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
  conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((it) => (it.section === 'json' ? JSON_SETTINGS : it.section === 'wxmsg' ? {} : null)));
  conn.onRequest(() => null);
  conn.onNotification(() => undefined);
  conn.listen();
  const root = pathToFileURL(dir).href;
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: root,
    workspaceFolders: [{ uri: root, name: 'bench' }],
    capabilities: { workspace: { configuration: true, diagnostics: { refreshSupport: true } }, textDocument: { diagnostic: { dynamicRegistration: false } } },
    initializationOptions: { provideFormatter: false, handledSchemaProtocols: ['file'] },
  });
  await conn.sendNotification('initialized', {});
  if (name === 'json') await conn.sendNotification('workspace/didChangeConfiguration', { settings: { json: JSON_SETTINGS } });
  const uri = pathToFileURL(file).href;
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  const at = text.indexOf(probe) + probe.length;
  const line = text.slice(0, at).split('\n').length - 1;
  const character = at - (text.lastIndexOf('\n', at - 1) + 1);
  const side: Side = { name, proc, conn, uri, version: 1, line, character, times: [] };
  const first = await pull(side);
  if (first !== 0) throw new Error(`${name}: the file is not clean before the first edit (${first} diagnostics)`);
  return side;
}

async function pull(s: Side): Promise<number> {
  const r = await s.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: s.uri } }) as { items?: unknown[] };
  return r.items?.length ?? 0;
}

/** Adds (timed) or removes the character, then pulls as VS Code does after a change. */
async function edit(s: Side, add: boolean): Promise<void> {
  const at = { line: s.line, character: s.character };
  const change = add ? { range: { start: at, end: at }, text: 'x' } : { range: { start: at, end: { line: s.line, character: s.character + 1 } }, text: '' };
  const t0 = performance.now();
  await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri: s.uri, version: ++s.version }, contentChanges: [change] });
  const n = await pull(s);
  const t = performance.now() - t0;
  // Each timed answer must be the error the character makes; each removal must clear it.
  if (add ? n === 0 : n !== 0) throw new Error(`${s.name}: ${n} diagnostics after ${add ? 'adding' : 'removing'} the character`);
  if (add) s.times.push(t);
}

export async function benchPull(opts: { rounds?: number; jsonServer?: string } = {}): Promise<PullBenchResult> {
  const jsonServer = opts.jsonServer ?? JSON_SERVER;
  if (!existsSync(jsonServer)) throw new Error(`VS Code's JSON language server is not at ${jsonServer}: \`npm run test:e2e\` installs code-server`);
  const rounds = opts.rounds ?? 200;
  const dir = mkdtempSync(join(tmpdir(), 'wxmsg-bench-pull-'));
  const sides: Side[] = [];
  try {
    cpSync(join(ROOT, 'test', 'e2e', 'fixture'), join(dir, 'wxmsg'), { recursive: true });
    const template = join(dir, 'wxmsg', TEMPLATE);
    const order = join(dir, 'order.json');
    writeFileSync(order, ORDER_JSON);
    sides.push(await start('wxmsg', SERVER, [...SERVER_NODE_FLAGS], join(dir, 'wxmsg'), template, readFileSync(template, 'utf8'), TEMPLATE_PROBE, 'wxmsg'));
    sides.push(await start('json', jsonServer, [], dir, order, ORDER_JSON, JSON_PROBE, 'json'));
    const pause = () => new Promise((r) => setTimeout(r, PAUSE_MS));
    // Two untimed rounds each first (the first validations run cold), then turns, the order alternating.
    for (let i = -2; i < rounds; i++) {
      for (const s of i % 2 === 0 ? sides : [...sides].reverse()) {
        for (const add of [true, false]) {
          await edit(s, add);
          await pause();
        }
        if (i < 0) s.times.length = 0;
      }
    }
    const [wx, js] = sides as [Side, Side];
    return { rounds, wxmsg: spread(wx.times), json: spread(js.times), jsonServer: relative(ROOT, jsonServer), wxmsgNodeArgs: [...SERVER_NODE_FLAGS] };
  } finally {
    for (const s of sides) {
      s.conn.dispose();
      s.proc.kill();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pullTable(r: PullBenchResult): string[][] {
  const row = (name: string, s: Spread) => [name, String(s.n), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max)];
  return [
    ['edit → pulled diagnostics, node IPC', 'edits', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
    row('wxmsg: the e2e template, "text" → "textx"', r.wxmsg),
    row('baseline: VS Code\'s JSON server, "paid" → "paidx"', r.json),
  ];
}

if (isMain(__filename)) {
  const text = (name: string): string | undefined => process.argv.find((x) => x.startsWith(`--${name}=`))?.slice(name.length + 3);
  const rounds = text('rounds');
  const result = text('result');
  void benchPull({ rounds: rounds === undefined ? undefined : Number(rounds) }).then((r) => {
    if (result) writeFileSync(result, `${JSON.stringify(r)}\n`);
    else printTable(pullTable(r));
  }, (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
