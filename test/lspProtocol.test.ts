// The language server as a protocol peer (issue 13): the BUILT server over stdio, driven by a
// client that re-opens documents under a version it used before, never answers
// workspace/configuration, talks out of turn in the lifecycle, sends malformed headers, or
// stops reading the server's output. Every wait is on the server (a message, its exit, its
// /proc counters), bounded by `within`; none is a sleep.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  ErrorCodes, ResponseError,
  type CodeAction, type CompletionItem, type CompletionList, type ConfigurationParams, type Diagnostic, type DocumentSymbol, type Hover,
} from 'vscode-languageserver-protocol/node';
import { MAX_CONTENT_LENGTH, MAX_HEADER_BYTES } from '../server/src/lsp/framing.ts';
import { Projects } from '../server/src/lsp/project.ts';
import { STATUS_REQUEST, type StatusResult } from '../server/src/lsp/protocol.ts';
import { validate } from '../server/src/core/services/validate.ts';
import { LspClient, ROOT, SERVER, applyEdits, ensureBuilt, positionAt, pullCapabilities, pushCapabilities, rangeOfText, serveTempProject, tempProject } from './lspClient.ts';

const T = { timeout: 60_000 };
const APPID = 'wx1111111111111111';

/** Rejects when `p` has not settled within `ms`: a bound on a wait for the server, never a synchronisation. */
function within<R>(p: Promise<R>, ms: number, what: string): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

const errorCode = (e: unknown): number | undefined => (e instanceof ResponseError ? e.code : undefined);

/** Same start offset for "colour", a longer value in B: a removal computed on A cuts B in the wrong place. */
const A = '{\n  "msgtype": "image",\n  "image": { "media_id": "m1" },\n  "colour": "red"\n}\n';
const B = '{\n  "msgtype": "image",\n  "image": { "media_id": "m1" },\n  "colour": "a much longer shade of red",\n  "flavour": "x"\n}\n';
const B_FIXED = { msgtype: 'image', image: { media_id: 'm1' }, flavour: 'x' };

describe('language server: every per-document cache is keyed on the text', () => {
  let c: LspClient;
  const p = serveTempProject({ appid: APPID }, (client) => { c = client; });
  const expected = (name: string, text: string): Diagnostic[] => {
    const projects = new Projects();
    projects.setFolders([pathToFileURL(p.dir).href]);
    const context = projects.contextFor(pathToFileURL(p.file(name)).href, { rules: {} });
    return JSON.parse(JSON.stringify(validate(text, context, { locale: 'en', severities: {} })));
  };

  /** The quick fix for B's "colour" diagnostic, the symbols and the published diagnostics must all be B's. */
  async function assertServes(uri: string, name: string, text: string, published: Diagnostic[]): Promise<void> {
    // The client asks for fixes of the diagnostic it has for B (computed here, so that this
    // holds even if what the server published were stale): the edits must cut B, not A.
    const colour = expected(name, text).find((d) => d.code === 'wxmsg/unknown-key' && (d.data as { key?: string }).key === 'colour');
    assert.ok(colour);
    assert.deepEqual(colour.range, rangeOfText(text, '"colour"'));
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: colour.range, context: { diagnostics: [colour], only: ['quickfix'] } });
    const remove = actions.find((a) => a.title === 'Remove "colour"');
    assert.ok(remove, JSON.stringify(actions.map((a) => a.title)));
    const fixed = applyEdits(text, remove.edit!.changes![uri]);
    const parsed = (() => {
      try {
        return JSON.parse(fixed) as unknown;
      } catch {
        return assert.fail(`the fix edited the wrong characters:\n${fixed}`);
      }
    })();
    assert.deepEqual(parsed, B_FIXED, `the fix must edit B's characters:\n${fixed}`);
    const symbols = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols.map((s) => s.name), ['msgtype', 'image', 'colour', 'flavour']);
    assert.deepEqual(published, expected(name, text));
  }

  test('a re-didOpen under the same version: fresh diagnostics, symbols and quick fixes', T, async () => {
    const name = 'reopen.wxmsg.json';
    const uri = p.uri(name);
    await c.open(uri, A);
    assert.deepEqual(await within(c.diagnosticsNow(uri), 10_000, 'diagnostics for A'), expected(name, A));
    // The symbols and fixes of A are computed (and cached) before B arrives.
    const symbolsA = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbolsA.map((s) => s.name), ['msgtype', 'image', 'colour']);

    const next = c.nextDiagnostics(uri);
    await c.open(uri, B); // version 1 again, no didClose in between
    await assertServes(uri, name, B, await within(next, 10_000, 'diagnostics for B'));
  });

  test('a didChange that reuses the version: fresh diagnostics, symbols and quick fixes', T, async () => {
    const name = 'same-version.wxmsg.json';
    const uri = p.uri(name);
    await c.open(uri, A);
    await within(c.diagnosticsNow(uri), 10_000, 'diagnostics for A');
    await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const next = c.nextDiagnostics(uri);
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 1 }, contentChanges: [{ text: B }] });
    await assertServes(uri, name, B, await within(next, 10_000, 'diagnostics for B'));
  });

  test('pull model: a re-opened document is never reported unchanged against the old text', T, async () => {
    const pc = LspClient.start();
    try {
      await pc.initialize(pullCapabilities(), { rootPath: p.dir });
      const name = 'pulled-reopen.wxmsg.json';
      const uri = p.uri(name);
      type Report = { kind: string; resultId?: string; items?: Diagnostic[] };
      await pc.open(uri, A);
      const first = await pc.request<Report>('textDocument/diagnostic', { textDocument: { uri } });
      assert.equal(first.kind, 'full');
      assert.ok(first.resultId);
      // Near miss: the same text re-opened is unchanged.
      await pc.open(uri, A);
      assert.equal((await pc.request<Report>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId })).kind, 'unchanged');
      await pc.open(uri, B);
      const second = await pc.request<Report>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
      assert.equal(second.kind, 'full');
      assert.deepEqual(second.items, expected(name, B));
      assert.notEqual(second.resultId, first.resultId);
    } finally {
      await pc.stop();
    }
  });
});

describe('language server: a client that never answers workspace/configuration', () => {
  test('defaults after a short wait, logged once; diagnostics, hover and completion keep coming; a late answer applies', T, async () => {
    const p = tempProject({ appid: APPID });
    const c = LspClient.start();
    try {
      // Requests are recorded and never answered (until `answer` is called for the first one).
      const asked: { p: ConfigurationParams; answer: (v: unknown) => void }[] = [];
      c.conn.onRequest('workspace/configuration', (params: ConfigurationParams) => new Promise((res) => asked.push({ p: params, answer: res })));
      await c.initialize(pushCapabilities(), { rootPath: p.dir });
      const text = '{\n  "msgtype": "miniprogrampage",\n  "miniprogrampage": {\n    "title": "Coupon",\n    "pagepath": "",\n    "thumb_media_id": "cover_3x2_01",\n    "colour": "red"\n  }\n}\n';
      const first = p.uri('first.wxmsg.json');
      await c.open(first, text);
      const ds = await within(c.diagnosticsNow(first), 20_000, 'diagnostics without settings');
      assert.ok(ds.some((d) => d.code === 'wxmsg/unknown-key'), JSON.stringify(ds));
      const log = await within(c.nextLog((m) => m.message.includes('workspace/configuration')), 10_000, 'the log line');
      assert.match(log.message, /did not answer workspace\/configuration/);

      // Later documents are not held up either; hover and completion answer.
      const second = p.uri('second.wxmsg.json');
      await c.open(second, text);
      assert.deepEqual(await within(c.diagnosticsNow(second), 20_000, 'diagnostics for a second document'), ds);
      const hover = await within(c.request<Hover | null>('textDocument/hover', { textDocument: { uri: second }, position: positionAt(text, text.indexOf('"title"') + 2) }), 10_000, 'hover');
      assert.ok(hover && JSON.stringify(hover.contents).includes('title'), JSON.stringify(hover));
      const at = text.indexOf('"pagepath": ""') + '"pagepath": "'.length;
      const r = await within(c.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri: second }, position: positionAt(text, at) }), 10_000, 'completion');
      assert.ok(JSON.stringify(Array.isArray(r) ? r : r.items).includes('pages/order/detail'));
      assert.equal(c.logs.filter((m) => m.message.includes('workspace/configuration')).length, 1, 'logged once');

      // The client answers the first request after all: its settings apply from then on.
      assert.ok(asked.length >= 1);
      const revalidated = c.nextDiagnostics(first, (d) => !d.some((x) => x.code === 'wxmsg/unknown-key'));
      c.conn.onRequest('workspace/configuration', (params: ConfigurationParams) => params.items.map(() => ({ rules: { 'unknown-key': 'off' } })));
      asked[0].answer(asked[0].p.items.map(() => ({ rules: { 'unknown-key': 'off' } })));
      await within(revalidated, 10_000, 'revalidation with the late settings');
    } finally {
      await c.stop();
      p.cleanup();
    }
  });
});

describe('language server: lifecycle', () => {
  const hover = { textDocument: { uri: 'file:///x.wxmsg.json' }, position: { line: 0, character: 0 } };

  test('requests before initialize: ServerNotInitialized; notifications dropped; then initialize works', T, async () => {
    const c = LspClient.start();
    try {
      for (const [method, params] of [['textDocument/hover', hover], [STATUS_REQUEST, {}], ['shutdown', undefined], ['wxmsg/noSuchMethod', {}]] as const) {
        await assert.rejects(within(c.request(method, params), 10_000, method), (e) => errorCode(e) === ErrorCodes.ServerNotInitialized, method);
      }
      // A didOpen before initialize is dropped: the document is unknown afterwards.
      await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: hover.textDocument.uri, languageId: 'wxmsg', version: 1, text: '{ "msgtype": "image" }' } });
      const r = await c.initialize(pushCapabilities());
      assert.equal(r.serverInfo?.name, 'wxmsg');
      assert.deepEqual(await c.request('textDocument/documentSymbol', { textDocument: hover.textDocument }), []);
      assert.equal(c.published.length, 0);
      assert.equal(typeof (await c.request<StatusResult>(STATUS_REQUEST, {})).version, 'string');
      // A second initialize is refused.
      await assert.rejects(c.request('initialize', { processId: null, rootUri: null, capabilities: {} }), (e) => errorCode(e) === ErrorCodes.InvalidRequest);
    } finally {
      assert.equal(await c.stop(), 0);
    }
  });

  test('requests after shutdown: InvalidRequest; exit still exits 0', T, async () => {
    const c = LspClient.start();
    const exited = new Promise<number | null>((res) => c.proc.on('exit', res));
    await c.initialize(pushCapabilities());
    assert.equal(await c.request('shutdown', undefined), null);
    for (const [method, params] of [['textDocument/hover', hover], [STATUS_REQUEST, {}], ['shutdown', undefined], ['initialize', { processId: null, rootUri: null, capabilities: {} }]] as const) {
      await assert.rejects(within(c.request(method, params), 10_000, method), (e) => errorCode(e) === ErrorCodes.InvalidRequest, method);
    }
    await c.conn.sendNotification('exit');
    assert.equal(await within(exited, 10_000, 'exit'), 0);
    c.conn.dispose();
  });
});

describe('language server: malformed headers over stdio', () => {
  /** Starts the server, initializes it over a raw pipe, writes `bytes`; resolves with its exit code and stderr. */
  async function feed(bytes: string | Buffer, opts: { end?: boolean; endAfterAnswer?: boolean } = {}): Promise<{ code: number | null; stderr: string; answered: boolean }> {
    ensureBuilt();
    const proc = spawn(process.execPath, [SERVER, '--stdio'], { cwd: ROOT, stdio: 'pipe' });
    let stderr = '';
    let stdout = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (opts.endAfterAnswer && stdout.includes('"id":2')) proc.stdin.end();
    });
    const exited = new Promise<number | null>((res) => proc.on('close', (code) => res(code)));
    const frame = (o: unknown): string => {
      const body = JSON.stringify(o);
      return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    };
    proc.stdin.on('error', () => undefined); // the server may exit before our last bytes
    proc.stdin.write(frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
    proc.stdin.write(bytes);
    if (opts.end) proc.stdin.end();
    try {
      const code = await within(exited, 10_000, 'the server to exit');
      return { code, stderr, answered: stdout.includes('"id":2') };
    } finally {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill();
    }
  }

  const bad: [string, string | Buffer][] = [
    ['a non-numeric Content-Length', 'Content-Length: lots\r\n\r\n'],
    ['digits followed by junk', 'Content-Length: 12abc\r\n\r\n{}'],
    ['a negative Content-Length', 'Content-Length: -1\r\n\r\n'],
    ['a Content-Length one byte over the limit', `Content-Length: ${MAX_CONTENT_LENGTH + 1}\r\n\r\n`],
    ['an absurd Content-Length', 'Content-Length: 99999999999999999999999\r\n\r\n'],
    ['a header block without Content-Length', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n'],
    ['a header line without a colon', 'hello server\r\n\r\n'],
    ['a Content-Length name with a leading space (vscode-jsonrpc would not find it)', ' Content-Length: 2\r\n\r\n{}'],
    ['two different Content-Length headers', 'Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}'],
    ['a header block one byte over the limit without CRLF CRLF', `X-Pad: ${'a'.repeat(MAX_HEADER_BYTES - 'X-Pad: '.length + 1)}`],
    ['an endless header line', Buffer.alloc(1024 * 1024, 'a')],
  ];
  for (const [what, bytes] of bad) {
    test(`${what}: logged on stderr, the server exits non-zero`, T, async () => {
      // stdin stays open: without the check the server would wait (or carry on) forever.
      const r = await feed(bytes);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /malformed message header/, what);
    });
  }

  test('a malformed header after shutdown: still exit 1 (not the 0 of an orderly exit)', T, async () => {
    const shutdown = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'shutdown' });
    const r = await feed(`Content-Length: ${shutdown.length}\r\n\r\n${shutdown}Content-Length: lots\r\n\r\n`);
    assert.match(r.stderr, /malformed message header/);
    assert.equal(r.code, 1);
  });

  test('near misses are accepted: a header block of exactly the limit, lower-case names, leading zeros', T, async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 2, method: STATUS_REQUEST, params: {} });
    const head = `content-length: 000${Buffer.byteLength(body)}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n`;
    const pad = `X-Pad: ${'a'.repeat(MAX_HEADER_BYTES - head.length - 'X-Pad: '.length - 4)}\r\n\r\n`;
    assert.equal(head.length + pad.length, MAX_HEADER_BYTES);
    const r = await feed(`${head}${pad}${body}`, { endAfterAnswer: true });
    assert.ok(r.answered, 'the status request was answered');
    assert.doesNotMatch(r.stderr, /malformed/);
    assert.equal(r.code, 1, 'input closed without shutdown: 1');
  });

  test(`a Content-Length of exactly ${MAX_CONTENT_LENGTH} is a frame (its body never comes: exit when the input closes)`, T, async () => {
    const r = await feed(`Content-Length: ${MAX_CONTENT_LENGTH}\r\n\r\n{"jsonrpc":`, { end: true });
    assert.doesNotMatch(r.stderr, /malformed/);
    assert.equal(r.code, 1);
  });
});

/** A number from /proc/sys (0 when unreadable). */
function sysctl(name: string): number {
  try {
    return Number(readFileSync(`/proc/sys/${name}`, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

/** Bytes the process has read (all read(2) calls: here, its stdin). */
function readBytes(pid: number): number {
  const m = /^rchar:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
  assert.ok(m, 'rchar in /proc/<pid>/io');
  return Number(m[1]);
}

/** Resolves once `pid` has read `n` more bytes than `from`: polls /proc (a wait on the server, not a timing). */
async function readAtLeast(pid: number, from: number, n: number): Promise<void> {
  while (readBytes(pid) - from < n) await new Promise((res) => setTimeout(res, 1));
}

describe('language server: a client that stops reading stdout', () => {
  test('diagnostics for superseded versions are dropped, not queued', T, async () => {
    const p = tempProject({ appid: APPID });
    const c = LspClient.start();
    try {
      await c.initialize({ textDocument: { publishDiagnostics: { versionSupport: true } } }); // settings are not pulled
      const uri = p.uri('flood.wxmsg.json');
      // 40 unknown keys: 40 diagnostics, ~12 KB per publish, cheap enough to be validated as soon
      // as the server has handled what it has read (a costly one would wait on a timer).
      const KEYS = 40;
      const VERSIONS = 300;
      const doc = (n: number): string => `{\n  "msgtype": "image",\n  "image": {\n    "media_id": "m${n}",\n${Array.from({ length: KEYS }, (_, i) => `    "colour_${i}": "red"`).join(',\n')}\n  }\n}\n`;
      await c.open(uri, doc(0));
      const opened = await within(c.diagnosticsNow(uri), 20_000, 'diagnostics on open');
      assert.equal(opened.length, KEYS);
      const publishBytes = JSON.stringify(c.published.at(-1)).length;

      // Stop reading; send VERSIONS versions, each followed by a few no-op notifications, and wait
      // for the server to read each before sending the next: it then validates (and tries to
      // publish) every version before it reads the next one. Each comes as a re-open: an open is
      // validated at once whatever the last validation cost (a change to a document that once
      // took 10 ms waits on a timer that the next change would cancel).
      c.proc.stdout.pause();
      const pid = c.proc.pid!;
      const write = (o: object): Promise<number> => {
        const body = JSON.stringify({ jsonrpc: '2.0', ...o });
        const bytes = `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
        return new Promise((res, rej) => c.proc.stdin.write(bytes, (e) => (e ? rej(e) : res(Buffer.byteLength(bytes)))));
      };
      const first = c.version(uri) + 1;
      const last = first + VERSIONS - 1;
      for (let v = first; v <= last; v++) {
        const before = readBytes(pid);
        let written = await write({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'wxmsg', version: v, text: doc(v) } } });
        for (let k = 0; k < 4; k++) written += await write({ method: '$/wxmsg/tick' });
        await within(readAtLeast(pid, before, written), 10_000, `the server to read version ${v}`);
      }

      const ask = c.nextDiagnostics(uri, () => true, last);
      c.proc.stdout.resume();
      const final = await within(ask, 30_000, 'diagnostics of the last version');
      assert.deepEqual(final, opened, 'the same problems');
      const during = c.published.filter((x) => x.uri === uri && x.version !== undefined && x.version >= first);
      // What fit in the channel before the server's writes blocked (the child's stdout is a Unix
      // socket pair: up to the socket's send buffer, then one read of up to 64 KiB and the
      // high-water mark on the client's side), the publish being written then, and the latest
      // (perhaps handled after the client read again): a few, never one per version.
      const buffered = Math.max(sysctl('net/core/wmem_default'), 64 * 1024) + 64 * 1024 + c.proc.stdout.readableHighWaterMark;
      const bound = Math.ceil(buffered / publishBytes) + 2;
      assert.ok(during.length <= bound, `${during.length} publishes for ${last - first + 1} versions (bound ${bound})`);
      assert.equal(during.at(-1)!.version, last);
      assert.ok(bound < VERSIONS / 4, `bound ${bound}: far below one publish per version`);
      const versions = during.map((x) => x.version!);
      assert.deepEqual(versions, [...versions].sort((a, b) => a - b));
    } finally {
      await c.stop();
      p.cleanup();
    }
  });
});
