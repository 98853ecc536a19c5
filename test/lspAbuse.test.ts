// The language server under abuse (issue 6, item 2): the BUILT server over stdio is fed a 10 MB
// template, binary bytes, 1,000 rapid edits with cancelled requests, a document closed while it
// is being validated and malformed protocol messages. It keeps answering, publishes only the
// latest version's diagnostics and keeps its memory bounded (the peak RSS is printed).
// Every wait is on a message from the server, bounded by `within`; none is a sleep.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  CancellationTokenSource, ErrorCodes, LSPErrorCodes, ResponseError,
  type CompletionItem, type CompletionList, type ConfigurationParams, type Diagnostic, type Hover, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { STATUS_REQUEST, type StatusResult } from '../server/src/lsp/protocol.ts';
import { pathToFileURL } from 'node:url';
import { Projects } from '../server/src/lsp/project.ts';
import { validate } from '../server/src/core/services/validate.ts';
import { LspClient, positionAt, pullCapabilities, serveTempProject } from './lspClient.ts';

const T = { timeout: 60_000 };
const APPID = 'wx1111111111111111';
/** Generous: the 10 MB file is refused unparsed (~100 MB); fully validating the 1.5 MB one below peaks near 320 MB. */
const RSS_BOUND_MB = 600;

const codes = (ds: Diagnostic[]): string[] => ds.map((d) => String(d.code)).sort();

/** Rejects when `p` has not settled within `ms`: a bound on a wait for the server, never a synchronisation. */
function within<R>(p: Promise<R>, ms: number, what: string): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Deterministic bytes (mulberry32): the same "binary file" on every run. */
function seededBytes(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

/** Peak resident set of a process (Linux /proc), in MB. */
function peakRssMb(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(m, 'VmHWM in /proc/<pid>/status');
  return Math.round(Number(m[1]) / 1024);
}

/**
 * Answers workspace/configuration like a client with no wxmsg settings, but can hold the answer
 * for one document: the server is then provably in the middle of validating it.
 */
class ConfigGate {
  private readonly held = new Map<string, { arrived: () => void; answer: Promise<void> }>();

  constructor(client: LspClient) {
    // Replaces LspClient's handler (vscode-jsonrpc keeps one handler per method).
    client.conn.onRequest('workspace/configuration', async (p: ConfigurationParams) => {
      for (const item of p.items) {
        const h = item.scopeUri ? this.held.get(item.scopeUri) : undefined;
        if (!h) continue;
        this.held.delete(item.scopeUri!);
        h.arrived();
        await h.answer;
      }
      return p.items.map(() => null);
    });
  }

  /** The next settings request for `uri` waits for `release()`; `asked` resolves when it arrives. */
  hold(uri: string): { asked: Promise<void>; release: () => void } {
    let arrived!: () => void;
    let release!: () => void;
    const asked = new Promise<void>((res) => (arrived = res));
    const answer = new Promise<void>((res) => (release = res));
    this.held.set(uri, { arrived, answer });
    return { asked, release };
  }
}

type Outcome = { cancelled: boolean; sentAt: number; result?: unknown; error?: number };

/** Sends a request, cancelled right away when `cancel`; resolves with what the server answered. */
async function send(c: LspClient, method: string, params: unknown, cancel: boolean, sentAt: number): Promise<Outcome> {
  const source = new CancellationTokenSource();
  const answer = c.conn.sendRequest(method, params, source.token);
  if (cancel) source.cancel();
  try {
    return { cancelled: cancel, sentAt, result: await answer };
  } catch (e) {
    return { cancelled: cancel, sentAt, error: e instanceof ResponseError ? e.code : -1 };
  } finally {
    source.dispose();
  }
}

const CARD = `{
  "msgtype": "miniprogrampage",
  "miniprogrampage": {
    "title": "Coupon",
    "pagepath": "",
    "thumb_media_id": "cover_3x2_01"
  }
}
`;

/** Typed one character at a time into text.content: escapes, a misspelled attribute, a foreign appid. */
const LINK = '<a herf=\\"https://example.com/a\\" data-miniprogram-appid=\\"wx2222222222222222\\" data-miniprogram-path=\\"pages/nope\\">去看看</a> ';
const TYPED = LINK.repeat(Math.ceil(1000 / LINK.length)).slice(0, 1000);
const EMPTY_TEXT = '{\n  "msgtype": "text",\n  "text": {\n    "content": ""\n  }\n}\n';

describe('language server under abuse', () => {
  /** The push-model server that takes the whole sequence; its peak RSS is the figure reported. */
  let c: LspClient;
  let gate: ConfigGate;
  const p = serveTempProject({ appid: APPID }, (client) => { c = client; gate = new ConfigGate(client); });
  /** What validate() says about `text` as the server sees it: project context, default settings, JSON on the wire. */
  const expected = (name: string, text: string): Diagnostic[] => {
    const projects = new Projects();
    projects.setFolders([pathToFileURL(p.dir).href]);
    const context = projects.contextFor(pathToFileURL(p.file(name)).href, { rules: {} });
    return JSON.parse(JSON.stringify(validate(text, context, { locale: 'en', severities: {} })));
  };
  const publishes = (client: LspClient, uri: string): PublishDiagnosticsParams[] => client.published.filter((x) => x.uri === uri);

  const peaks: { what: string; mb: number }[] = [];

  test('a 10 MB template, opened then edited once: file-too-large, and the server keeps answering', T, async () => {
    const small = p.uri('small.wxmsg.json');
    await c.open(small, CARD);
    assert.deepEqual(await within(c.diagnosticsNow(small), 10_000, 'diagnostics'), expected('small.wxmsg.json', CARD));

    const uri = p.uri('ten-mb.wxmsg.json');
    const line = `${'x'.repeat(1023)}\\n`;
    const huge = `{\n  "msgtype": "text",\n  "text": {\n    "content": "${line.repeat(10 * 1024)}"\n  }\n}\n`;
    assert.ok(huge.length > 10 * 1024 * 1024);
    await c.open(uri, huge);
    const opened = await within(c.diagnosticsNow(uri), 20_000, 'diagnostics for the 10 MB document');
    assert.deepEqual(codes(opened), ['wxmsg/file-too-large']);
    assert.deepEqual(opened, expected('ten-mb.wxmsg.json', huge));

    // One keystroke in the middle, sent incrementally: the report follows the new size.
    const mid = huge.indexOf('x', huge.length >> 1);
    const v = await c.edit(uri, mid, mid, 'yy');
    const edited = await within(c.nextDiagnostics(uri, () => true, v), 20_000, 'diagnostics after the edit');
    assert.deepEqual(edited, expected('ten-mb.wxmsg.json', c.text(uri)));
    assert.notDeepEqual(edited, opened, 'the message names the new size');

    // Right after: the small document is served as usual, the huge one answered empty.
    const key = CARD.indexOf('"title"') + 2;
    const h = await within(c.request<Hover | null>('textDocument/hover', { textDocument: { uri: small }, position: positionAt(CARD, key) }), 10_000, 'hover');
    assert.ok(h && JSON.stringify(h.contents).includes('title'), JSON.stringify(h));
    const value = CARD.indexOf('"pagepath": ""') + '"pagepath": "'.length;
    const r = await within(c.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri: small }, position: positionAt(CARD, value) }), 10_000, 'completion');
    const items = Array.isArray(r) ? r : r.items;
    assert.ok(JSON.stringify(items).includes('pages/order/detail'), JSON.stringify(items));
    const inHuge = positionAt(huge, mid);
    assert.equal(await c.request('textDocument/hover', { textDocument: { uri }, position: inHuge }), null);
    assert.deepEqual(await c.request('textDocument/completion', { textDocument: { uri }, position: inHuge }), []);

    const cleared = c.nextDiagnostics(uri, (d) => d.length === 0);
    await c.close(uri);
    await within(cleared, 10_000, 'cleared diagnostics');
  });

  test('a binary file named .wxmsg.json: one binary-file diagnostic, server alive', T, async () => {
    const bytes = seededBytes(256 * 1024, 6);
    const text = bytes.toString('latin1');
    const nul = text.indexOf('\u0000');
    assert.ok(nul !== -1 && /[\r\n]/.test(text.slice(0, nul)), 'NUL after a line break or two');
    const uri = p.uri('random.wxmsg.json');
    await c.open(uri, text);
    const ds = await within(c.diagnosticsNow(uri), 20_000, 'diagnostics for the binary file');
    assert.deepEqual(codes(ds), ['wxmsg/binary-file']);
    assert.deepEqual(ds[0].range, { start: positionAt(text, nul), end: positionAt(text, nul + 1) });
    assert.deepEqual(ds, expected('random.wxmsg.json', text));

    const s = await within(c.request<StatusResult>(STATUS_REQUEST, { uri }), 10_000, 'status');
    assert.equal(s.appid, APPID);
    assert.equal(c.proc.exitCode, null);
  });

  test('1,000 rapid incremental edits with cancelled completions: only the latest version is published', T, async () => {
    const name = 'typing.wxmsg.json';
    const uri = p.uri(name);
    await c.open(uri, EMPTY_TEXT);
    await within(c.diagnosticsNow(uri), 10_000, 'diagnostics on open');
    const texts: string[] = [];
    texts[1] = EMPTY_TEXT;
    let at = EMPTY_TEXT.indexOf('""') + 1;
    const answers: Promise<Outcome>[] = [];
    for (let i = 0; i < TYPED.length; i++) {
      const v = await c.edit(uri, at, at, TYPED[i]);
      at++;
      texts[v] = c.text(uri);
      if (i % 5 === 0) {
        answers.push(send(c, 'textDocument/completion', { textDocument: { uri }, position: positionAt(texts[v], at) }, i % 10 === 0, v));
      }
    }
    const last = c.version(uri);
    assert.equal(last, TYPED.length + 1);
    const want = expected(name, texts[last]);
    assert.ok(want.length > 0, 'the final text has problems to report');
    assert.deepEqual(await within(c.diagnosticsNow(uri), 20_000, 'diagnostics for the final version'), want);

    // Whatever the server published on the way (a pause in typing may let the debounce fire),
    // versions only go up and each report is validate() of the text at that version.
    const seen = publishes(c, uri).slice(1);
    const versions = seen.map((x) => x.version!);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b));
    assert.equal(new Set(versions).size, versions.length);
    for (const x of seen) assert.deepEqual(x.diagnostics, expected(name, texts[x.version!]), `version ${x.version}`);

    // Every request answered: a result, or RequestCancelled for a cancelled one.
    const outcomes = await within(Promise.all(answers), 20_000, 'answers to the completion requests');
    for (const o of outcomes) {
      if (o.error !== undefined) assert.ok(o.cancelled && o.error === LSPErrorCodes.RequestCancelled, JSON.stringify(o));
      else assert.ok(Array.isArray(o.result) || Array.isArray((o.result as CompletionList).items), JSON.stringify(o));
    }

    // Nothing stale arrives after the final report: the next report is the next edit's.
    const before = publishes(c, uri).length;
    const next = await c.edit(uri, at, at, '!');
    await within(c.nextDiagnostics(uri, () => true, next), 10_000, 'diagnostics after one more edit');
    assert.deepEqual(publishes(c, uri).slice(before).map((x) => x.version), [next]);
  });

  test('pull model: 1,000 rapid edits with diagnostic pulls, half cancelled: every report is of a current version', T, async () => {
    const pc = LspClient.start();
    try {
      const pgate = new ConfigGate(pc);
      await pc.initialize(pullCapabilities(), { rootPath: p.dir });
      const name = 'pulled.wxmsg.json';
      const uri = p.uri(name);
      type Report = { kind: string; resultId?: string; items: Diagnostic[] };

      // A pull whose settings arrive after an edit validated the newer text: its report must not
      // carry the older version's result id (the client would keep it as that version's).
      const broken = EMPTY_TEXT.replace('""', '"<a href=\\"https://e.com\\" data-miniprogram-appid=\\"wx2222222222222222\\">x</a>"');
      await pc.open(uri, broken);
      const held = pgate.hold(uri);
      const first = pc.request<Report>('textDocument/diagnostic', { textDocument: { uri } });
      await within(held.asked, 10_000, 'the settings request');
      await pc.change(uri, EMPTY_TEXT);
      await pc.request(STATUS_REQUEST, {}); // the change has been processed
      held.release();
      const r0 = await within(first, 10_000, 'the first report');
      assert.notDeepEqual(expected(name, broken), expected(name, EMPTY_TEXT));
      assert.deepEqual(r0.items, expected(name, EMPTY_TEXT));
      assert.ok(r0.resultId === undefined || r0.resultId.startsWith(`${pc.version(uri)}:0:`), `result id ${r0.resultId} for version ${pc.version(uri)}`);

      const texts: string[] = [];
      texts[pc.version(uri)] = EMPTY_TEXT;
      let at = EMPTY_TEXT.indexOf('""') + 1;
      const pulls: Promise<Outcome>[] = [];
      const completions: Promise<Outcome>[] = [];
      for (let i = 0; i < TYPED.length; i++) {
        const v = await pc.edit(uri, at, at, TYPED[i]);
        at++;
        texts[v] = pc.text(uri);
        if (i % 5 === 0) {
          pulls.push(send(pc, 'textDocument/diagnostic', { textDocument: { uri } }, i % 10 === 0, v));
          completions.push(send(pc, 'textDocument/completion', { textDocument: { uri }, position: positionAt(texts[v], at) }, i % 10 === 5, v));
        }
      }
      const last = pc.version(uri);
      const outcomes = await within(Promise.all(pulls), 20_000, 'answers to the pulls');
      const checked = { reports: 0, cancelled: 0 };
      for (const o of outcomes) {
        if (o.error !== undefined) {
          assert.ok(o.cancelled && o.error === LSPErrorCodes.RequestCancelled, JSON.stringify(o));
          checked.cancelled++;
          continue;
        }
        // A report (cancelled or not) is validate() of the version its result id names, never
        // older than the request; without a result id, of some version since the request.
        const r = o.result as Report;
        assert.equal(r.kind, 'full');
        if (r.resultId !== undefined) {
          const v = Number(r.resultId.split(':')[0]);
          assert.ok(v >= o.sentAt && v <= last, `${r.resultId} for a request at ${o.sentAt}`);
          assert.deepEqual(r.items, expected(name, texts[v]), `version ${v}`);
        } else {
          assert.ok(texts.some((t, v) => v >= o.sentAt && t !== undefined && JSON.stringify(expected(name, t)) === JSON.stringify(r.items)), `an empty or stale report for a request at ${o.sentAt}: ${JSON.stringify(r.items)}`);
        }
        checked.reports++;
      }
      assert.ok(checked.reports >= 100, JSON.stringify(checked));
      for (const o of await within(Promise.all(completions), 20_000, 'answers to the completions')) {
        if (o.error !== undefined) assert.ok(o.cancelled && o.error === LSPErrorCodes.RequestCancelled, JSON.stringify(o));
      }

      // The last pull reports the final text; asked again with its result id: unchanged.
      const final = await within(pc.request<Report>('textDocument/diagnostic', { textDocument: { uri } }), 10_000, 'the final report');
      assert.ok(final.resultId?.startsWith(`${last}:0:`), final.resultId);
      assert.deepEqual(final.items, expected(name, texts[last]));
      assert.ok(final.items.length > 0);
      const again = await pc.request<Report>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: final.resultId });
      assert.equal(again.kind, 'unchanged');
      assert.equal(pc.published.length, 0, 'a pull client gets nothing pushed');
      peaks.push({ what: 'pull-model server (1,000 edits)', mb: peakRssMb(pc.proc.pid!) });
    } finally {
      await pc.stop();
    }
  });

  test('a document closed mid-validation: diagnostics cleared, nothing published for it afterwards', T, async () => {
    // Closed while the server waits for its settings (validation under way).
    const big = `{\n  "msgtype": "text",\n  "text": {\n    "content": "${'<a href=\\"https://e.com\\" data-miniprogram-appid=\\"wx2222222222222222\\">x</a>'.repeat(20_000)}"\n  }\n}\n`;
    const uri = p.uri('closed.wxmsg.json');
    const held = gate.hold(uri);
    await c.open(uri, big);
    await within(held.asked, 10_000, 'the settings request for the opened document');
    const cleared = c.nextDiagnostics(uri);
    await c.close(uri);
    assert.deepEqual(await within(cleared, 10_000, 'the clearing publish'), []);
    held.release();

    // Closed right after opening, before its (zero-delay) validation could start.
    const quick = p.uri('closed-at-once.wxmsg.json');
    await c.open(quick, big);
    const quickCleared = c.nextDiagnostics(quick, (d) => d.length === 0);
    await c.close(quick);
    await within(quickCleared, 10_000, 'the clearing publish');

    // Another document opened afterwards validates through the same path (a timer, then a
    // settings round trip): once its report is in, any late work for the closed ones would be too.
    const later = p.uri('after-close.wxmsg.json');
    await c.open(later, CARD);
    await within(c.diagnosticsNow(later), 10_000, 'diagnostics of the next document');
    assert.deepEqual(publishes(c, uri).map((x) => x.diagnostics), [[]]);
    assert.deepEqual(publishes(c, quick).at(-1)?.diagnostics, [], 'the last word on the closed document clears it');
  });

  test('malformed protocol messages: the server keeps answering', T, async () => {
    const raw = (bytes: string | Buffer): Promise<void> => new Promise((res, rej) => c.proc.stdin.write(bytes, (e) => (e ? rej(e) : res())));
    const frame = (body: string): string => `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
    const didOpen = (uri: string): string =>
      frame(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'wxmsg', version: 1, text: '{ "msgtype": "image" }' } } }));
    const alive = async (after: string): Promise<void> => {
      const s = await within(c.request<StatusResult>(STATUS_REQUEST, {}), 10_000, `answer after ${after}`);
      assert.equal(typeof s.version, 'string', after);
    };
    const frames: [string, string | Buffer][] = [
      ['a body that is not JSON', frame('{"jsonrpc": "2.0", "id": 9001, "method": ')],
      ['a body that is not UTF-8', Buffer.concat([Buffer.from('Content-Length: 4\r\n\r\n'), Buffer.from([0xff, 0xfe, 0x00, 0x01])])],
      ['a JSON null', frame('null')],
      ['a JSON array', frame('[1, 2, 3]')],
      ['a message without method, result or error', frame('{"jsonrpc": "2.0", "id": "raw-1"}')],
      ['a request whose method is a number', frame('{"jsonrpc": "2.0", "id": "raw-2", "method": 42}')],
      ['a didOpen whose textDocument is a number', frame('{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": 42}}')],
      ['a didChange whose changes are a string', frame(`{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": ${JSON.stringify(p.uri('small.wxmsg.json'))}, "version": 99}, "contentChanges": "x"}}`)],
      ['a response to a request never sent', frame('{"jsonrpc": "2.0", "id": 424242, "result": null}')],
    ];
    for (const [i, [what, bytes]] of frames.entries()) {
      // Sandwiched between two valid frames in one write. (A malformed header is fatal: see
      // lspProtocol.test.ts.)
      const first = p.uri(`raw-${i}-a.wxmsg.json`);
      const second = p.uri(`raw-${i}-b.wxmsg.json`);
      const published = Promise.all([c.nextDiagnostics(first), c.nextDiagnostics(second)]);
      await raw(Buffer.concat([Buffer.from(didOpen(first)), Buffer.from(bytes), Buffer.from(didOpen(second))]));
      const [a, b] = await within(published, 10_000, `diagnostics for the frames around ${what}`);
      assert.deepEqual([codes(a), codes(b)], [['wxmsg/missing-body'], ['wxmsg/missing-body']], what);
      await alive(what);
    }

    // Well-framed requests the server cannot serve: JSON-RPC errors, not silence or a crash.
    const code = (e: unknown): number | undefined => (e instanceof ResponseError ? e.code : undefined);
    await assert.rejects(c.request('wxmsg/noSuchMethod', {}), (e) => code(e) === ErrorCodes.MethodNotFound);
    const small = p.uri('small.wxmsg.json');
    const bad: [string, string, unknown][] = [
      ['hover without a position', 'textDocument/hover', { textDocument: { uri: small } }],
      ['hover with a number as URI', 'textDocument/hover', { textDocument: { uri: 42 }, position: { line: 0, character: 0 } }],
      ['hover with a string position', 'textDocument/hover', { textDocument: { uri: small }, position: '3:4' }],
      ['completion without a textDocument', 'textDocument/completion', { position: { line: 0, character: 0 } }],
      ['completion with a negative line', 'textDocument/completion', { textDocument: { uri: small }, position: { line: -1, character: 0 } }],
      ['formatting without options', 'textDocument/formatting', { textDocument: { uri: small } }],
      ['codeAction without a context', 'textDocument/codeAction', { textDocument: { uri: small }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }],
      ['rangeFormatting without a range', 'textDocument/rangeFormatting', { textDocument: { uri: small }, options: { tabSize: 2, insertSpaces: true } }],
      ['documentSymbol with null params', 'textDocument/documentSymbol', null],
      ['a pull for a number URI', 'textDocument/diagnostic', { textDocument: { uri: 7 } }],
    ];
    for (const [what, method, params] of bad) {
      await assert.rejects(within(c.request(method, params), 10_000, what), (e) => code(e) === ErrorCodes.InvalidParams, what);
    }
    // A client's malformed request is its bug, not ours: no internal error logged, health still ok.
    const s = await c.request<StatusResult>(STATUS_REQUEST, {});
    assert.equal(s.health, 'ok', s.lastError);
    assert.ok(!c.logs.some((m) => m.message.includes('internal error')), JSON.stringify(c.logs.filter((m) => m.message.includes('internal error'))));

    // And a well-formed request is served as before.
    const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: small }, position: positionAt(CARD, CARD.indexOf('"title"') + 2) });
    assert.ok(h);
  });

  test('a frame longer than its bytes swallows what follows; the server still exits promptly when its input closes', T, async () => {
    // JSON-RPC over a stream has no delimiter but Content-Length: after a header that promises
    // more bytes than come, the next messages are read as that frame's body. No server can
    // resynchronise; what matters is that it neither answers garbage nor hangs on exit.
    const s = LspClient.start();
    const closed = new Promise<number | null>((res) => s.proc.on('close', res));
    await s.initialize({});
    await s.request(STATUS_REQUEST, {});
    let answered = 0;
    s.proc.stdout.on('data', (d: Buffer) => (answered += d.length));
    await new Promise<void>((res, rej) => s.proc.stdin.write('Content-Length: 1000000\r\n\r\n{"jsonrpc": "2.0", ', (e) => (e ? rej(e) : res())));
    const swallowed = s.request(STATUS_REQUEST, {}).then(() => 'answered', () => 'not answered');
    await s.conn.sendNotification('$/wxmsg/flush'); // written in order: the request is on its way too
    s.proc.stdin.end();
    // 'close' comes after the server's stdout is drained: whatever it wrote has been counted.
    assert.equal(await within(closed, 10_000, 'the server to exit'), 1, 'exit code 1: no shutdown request was received');
    assert.equal(answered, 0, 'nothing written after the lying frame');
    s.conn.dispose();
    assert.equal(await swallowed, 'not answered');
  });

  test('memory stays bounded over the whole sequence (peak RSS)', T, async () => {
    await c.request(STATUS_REQUEST, {});
    peaks.unshift({ what: 'push-model server (whole sequence)', mb: peakRssMb(c.proc.pid!) });
    for (const x of peaks) console.log(`wxmsg language server peak RSS (VmHWM), ${x.what}: ${x.mb} MB`);
    for (const x of peaks) assert.ok(x.mb < RSS_BOUND_MB, `${x.what}: ${x.mb} MB ≥ ${RSS_BOUND_MB} MB`);
  });
});
