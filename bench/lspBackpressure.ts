// The language server's memory when its client stops reading stdout (issue 13). Spawns the BUILT
// server over stdio, never reads its stdout, and sends thousands of full-text didChange of a
// large template (500 diagnostics, ~145 KB per publishDiagnostics), one every `interval` ms
// once the server has read the previous one (/proc/<pid>/io rchar), like an editor that is
// typed into while it has stopped reading: the server validates each version (a costly
// document waits as long as its last validation took before it is validated, so changes
// sent back to back would coalesce) while its writes are blocked. Reported:
// VmHWM (peak RSS) and VmRSS from /proc/<pid>/status with everything read and handled, then,
// after the client reads again, how many publishDiagnostics arrived for that document.
//   node --import tsx bench/lspBackpressure.ts [--changes=N] [--keys=N] [--interval=ms] [--server=path/to/server.js]
// Not part of `npm run bench`: run it by hand, e.g. against a build of an older commit.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { StreamMessageReader } from 'vscode-languageserver-protocol/node';
import { SERVER } from './shared.ts';

const arg = (name: string, fallback: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const CHANGES = Number(arg('changes', '3000'));
const KEYS = Number(arg('keys', '600'));
const INTERVAL = Number(arg('interval', '30'));
const server = resolve(arg('server', SERVER));

const proc = (pid: number, file: string, key: string): number => {
  const m = new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
  if (!m) throw new Error(`${key} not in /proc/${pid}/${file}`);
  return Number(m[1]);
};
const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdout.pause(); // never read until the end
  const pid = child.pid!;
  const write = (o: object): Promise<number> => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...o });
    const bytes = `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    return new Promise((res, rej) => child.stdin.write(bytes, (e) => (e ? rej(e) : res(Buffer.byteLength(bytes)))));
  };
  const readAtLeast = async (from: number, n: number): Promise<void> => {
    while (proc(pid, 'io', 'rchar') - from < n) await new Promise((r) => setTimeout(r, 1));
  };
  const uri = 'file:///bench/backpressure.wxmsg.json';
  const doc = (n: number): string =>
    `{\n  "msgtype": "image",\n  "image": {\n    "media_id": "M${n}",\n${Array.from({ length: KEYS }, (_, i) => `    "colour_${i}": "${'r'.repeat(40)}"`).join(',\n')}\n  }\n}\n`;

  // Settings are not pulled (no workspace.configuration): nothing needs an answer from us.
  await write({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } } } });
  await write({ method: 'initialized', params: {} });
  await write({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'wxmsg', version: 1, text: doc(1) } } });
  const started = performance.now();
  for (let v = 2; v <= CHANGES + 1; v++) {
    const before = proc(pid, 'io', 'rchar');
    let n = await write({ method: 'textDocument/didChange', params: { textDocument: { uri, version: v }, contentChanges: [{ text: doc(v) }] } });
    await readAtLeast(before, n);
    await new Promise((r) => setTimeout(r, INTERVAL));
  }
  // A last request: handled after every change (messages are handled in order).
  const before = proc(pid, 'io', 'rchar');
  await readAtLeast(before, await write({ id: 2, method: 'wxmsg/status', params: {} }));
  await new Promise((r) => setTimeout(r, 500)); // let the last validations run
  const hwm = proc(pid, 'status', 'VmHWM');
  const rss = proc(pid, 'status', 'VmRSS');
  const seconds = (performance.now() - started) / 1000;

  // Read again: count what the server had queued for the document.
  let publishes = 0;
  let bytes = 0;
  const last = CHANGES + 1;
  child.stdout.on('data', (d: Buffer) => (bytes += d.length));
  const reader = new StreamMessageReader(child.stdout);
  await new Promise<void>((res) => {
    reader.listen((m) => {
      const msg = m as { method?: string; params?: { uri?: string; version?: number } };
      if (msg.method !== 'textDocument/publishDiagnostics' || msg.params?.uri !== uri) return;
      publishes++;
      if (msg.params.version === last) res();
    });
    child.stdout.resume();
  });
  child.kill();
  const docKb = Buffer.byteLength(doc(last)) / 1024;
  console.log(`server: ${server}`);
  console.log(`${CHANGES} didChange (one per ${INTERVAL} ms) of a ${docKb.toFixed(0)} KB template (${KEYS} unknown keys, 500 diagnostics) in ${seconds.toFixed(1)} s, stdout not read`);
  console.log(`VmHWM ${mb(hwm)}, VmRSS ${mb(rss)} (stdout still not read)`);
  console.log(`then read: ${publishes} publishDiagnostics for the document, ${(bytes / 1024 / 1024).toFixed(1)} MB on stdout up to the last version's`);
}

void main();
