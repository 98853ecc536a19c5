// Language server protocol tests: the built server over stdio, a real JSON-RPC client.
import assert from 'node:assert/strict';
import { fork, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, createProtocolConnection } from 'vscode-languageserver-protocol/node';
import type {
  CodeAction, CompletionItem, CompletionList, Diagnostic, DocumentDiagnosticReport, DocumentSymbol, Hover, InitializeResult, TextEdit,
} from 'vscode-languageserver-protocol';
import { message } from '../server/src/core/l10n/messages.ts';
import { DOCUMENT_ENCODING_NOTIFICATION, FIX_ALL_KIND, SERVER_STATUS_NOTIFICATION, STATUS_REQUEST, type StatusResult } from '../server/src/lsp/protocol.ts';
import { LspClient, SERVER, applyEdits, ensureBuilt, pullCapabilities, pushCapabilities, rangeOfText, serveTempProject, tempProject } from './lspClient.ts';

const T = { timeout: 30_000 };
const APPID = 'wx1111111111111111';
const FOREIGN = 'wx2222222222222222';

const codes = (ds: Diagnostic[]): string[] => ds.map((d) => String(d.code)).sort();

function textTemplate(appid: string, page = 'pages/order/detail'): string {
  const content = `您好 <a href=\\"https://example.com/o\\" data-miniprogram-appid=\\"${appid}\\" data-miniprogram-path=\\"${page}\\">查看</a>`;
  return `{\n  "touser": "OPENID",\n  "msgtype": "text",\n  "text": {\n    "content": "${content}"\n  }\n}\n`;
}

const CARD = `{
  // a card
  "msgtype": "miniprogrampage",
  "miniprogrampage": {
    "title": "Coupon",
    "pagepath": "pages/index/index",
    "thumb_media_id": "cover_3x2_01"
  }
}
`;

describe('language server: initialize', () => {
  test('advertises features; push model without the client diagnostic capability', T, async () => {
    const c = LspClient.start();
    try {
      const r = await c.initialize(pushCapabilities());
      const caps = r.capabilities;
      assert.equal(r.serverInfo?.name, 'wxmsg');
      assert.equal(caps.diagnosticProvider, undefined);
      assert.deepEqual(caps.completionProvider?.triggerCharacters, ['"', '<', ' ', '/', '=', '{']);
      assert.equal(caps.hoverProvider, true);
      assert.deepEqual((caps.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, ['quickfix', FIX_ALL_KIND]);
      assert.equal(caps.documentSymbolProvider, true);
      assert.equal(caps.documentFormattingProvider, true);
      assert.equal(caps.documentRangeFormattingProvider, true);
      // The server asks for project file events and settings changes itself.
      await c.request('wxmsg/status', {}); // round trip: registrations sent after `initialized` have arrived
      const methods = c.registrations.map((x) => x.method).sort();
      assert.deepEqual(methods, ['workspace/didChangeConfiguration', 'workspace/didChangeWatchedFiles']);
      const watchers = (c.registrations.find((x) => x.method === 'workspace/didChangeWatchedFiles')!.registerOptions as { watchers: { globPattern: string }[] }).watchers;
      assert.deepEqual(watchers.map((w) => w.globPattern), ['**/project.config.json', '**/app.json', '**/*.vars.json', '**/.wxmsg/media.json']);
    } finally {
      assert.equal(await c.stop(), 0);
    }
  });

  test('pull model when the client supports textDocument/diagnostic; no watchers when the client forwards file events', T, async () => {
    const c = LspClient.start();
    try {
      const r: InitializeResult = await c.initialize(pullCapabilities(), { initializationOptions: { fileEventsForwarded: true } });
      // The client supports workspace/diagnostic/refresh: no re-pulls of other templates per keystroke.
      assert.deepEqual(r.capabilities.diagnosticProvider, { identifier: 'wxmsg', interFileDependencies: false, workspaceDiagnostics: false });
      await c.request('wxmsg/status', {});
      assert.deepEqual(c.registrations.map((x) => x.method), ['workspace/didChangeConfiguration']);
    } finally {
      await c.stop();
    }
  });

  test('pull model without workspace/diagnostic/refresh: the client is asked to re-pull the other templates (interFileDependencies)', T, async () => {
    const c = LspClient.start();
    try {
      const caps = pullCapabilities();
      delete caps.workspace!.diagnostics;
      const r: InitializeResult = await c.initialize(caps, { initializationOptions: { fileEventsForwarded: true } });
      assert.deepEqual(r.capabilities.diagnosticProvider, { identifier: 'wxmsg', interFileDependencies: true, workspaceDiagnostics: false });
      // Near miss: refresh support declared false is no refresh support.
      const d = LspClient.start();
      try {
        const r2: InitializeResult = await d.initialize(pushCapabilities({ workspace: { diagnostics: { refreshSupport: false } }, textDocument: { diagnostic: { dynamicRegistration: false } } }), { initializationOptions: { fileEventsForwarded: true } });
        assert.equal(r2.capabilities.diagnosticProvider?.interFileDependencies, true);
      } finally {
        await d.stop();
      }
    } finally {
      await c.stop();
    }
  });
});

describe('language server: transports', () => {
  async function handshake(conn: ReturnType<typeof createProtocolConnection>): Promise<void> {
    conn.listen();
    const r = await conn.sendRequest<InitializeResult>('initialize', { processId: null, rootUri: null, capabilities: {} });
    assert.equal(r.serverInfo?.name, 'wxmsg');
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
  }

  test('--node-ipc (what the VS Code client uses)', T, async () => {
    ensureBuilt();
    const child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const exited = new Promise((res) => child.on('exit', res));
    const conn = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    await handshake(conn);
    assert.equal(await exited, 0);
    conn.dispose();
  });

  test('--socket=<port> on 127.0.0.1', T, async () => {
    ensureBuilt();
    const server = createServer();
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as { port: number }).port;
    const connected = new Promise<Socket>((res) => server.once('connection', res));
    const child = spawn(process.execPath, [SERVER, `--socket=${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise((res) => child.on('exit', res));
    const socket = await connected;
    const conn = createProtocolConnection(new StreamMessageReader(socket), new StreamMessageWriter(socket));
    await handshake(conn);
    assert.equal(await exited, 0);
    conn.dispose();
    server.close();
  });
});

describe('language server: push diagnostics', () => {
  let c: LspClient;
  const p = serveTempProject({ appid: APPID }, (client) => { c = client; });

  test('on open, with LSP-shaped code, range, source and href', T, async () => {
    const uri = p.uri('foreign.wxmsg.json');
    const text = textTemplate(FOREIGN);
    await c.open(uri, text);
    const ds = await c.diagnosticsNow(uri);
    assert.deepEqual(codes(ds), ['wxmsg/foreign-appid']);
    assert.deepEqual(ds[0].range, rangeOfText(text, FOREIGN));
    assert.equal(ds[0].source, 'wxmsg');
    assert.equal(ds[0].severity, 1);
    assert.match(ds[0].codeDescription!.href, /^https:\/\//);
  });

  test('a BOM opening the document is read as the CLI reads it: no syntax error at 1:1, ranges where the editor has them', T, async () => {
    const uri = p.uri('bom.wxmsg.json');
    const text = `\ufeff${textTemplate(FOREIGN)}`;
    await c.open(uri, text);
    const ds = await c.diagnosticsNow(uri);
    assert.deepEqual(codes(ds), ['wxmsg/foreign-appid']);
    assert.deepEqual(ds[0].range, rangeOfText(text, FOREIGN));
    // The near miss: a BOM anywhere else is not a BOM, and stays a syntax error.
    const late = p.uri('late-bom.wxmsg.json');
    await c.open(late, `\n\ufeff${CARD}`);
    const lateDs = await c.diagnosticsNow(late);
    assert.ok(lateDs.some((d) => d.code === 'wxmsg/syntax-error' && d.range.start.line === 1 && d.range.start.character === 0), JSON.stringify(lateDs));
  });

  test('after an edit; the latest version wins; cleared on close', T, async () => {
    const uri = p.uri('edit.wxmsg.json');
    await c.open(uri, CARD);
    assert.deepEqual(await c.diagnosticsNow(uri), []);
    const first = await c.change(uri, CARD.replace('pages/index/index', 'pages/nope'));
    const last = await c.change(uri, CARD.replace('pages/index/index', 'pages/nope/nope'));
    const ds = await c.nextDiagnostics(uri, () => true, last);
    assert.deepEqual(codes(ds), ['wxmsg/unknown-page']);
    assert.deepEqual(ds[0].range, rangeOfText(c.text(uri), '"pages/nope/nope"'));
    // The first edit may be validated before the second arrives, but never published after it.
    const versions = c.published.filter((x) => x.uri === uri).map((x) => x.version!);
    assert.equal(versions.at(-1), last);
    assert.ok(versions.every((v, i) => i === 0 || v > versions[i - 1]), `published in version order: ${versions}`);
    assert.ok(versions.every((v) => v === 1 || v === first || v === last), `only versions that existed: ${versions}`);
    const cleared = c.nextDiagnostics(uri, (d) => d.length === 0);
    await c.close(uri);
    assert.deepEqual(await cleared, []);
  });

  test('any *.wxmsg.json whatever its languageId; other JSON files are left alone', T, async () => {
    const other = pathToFileURL(p.file('package.json')).href;
    await c.open(other, '{"msgtype": 1', 'json');
    const uri = p.uri('as-json.wxmsg.json');
    await c.open(uri, '{ "msgtype": "text" }', 'jsonc');
    assert.deepEqual(codes(await c.diagnosticsNow(uri)), ['wxmsg/missing-body']);
    // Opened first with the same (zero) delay: had it been validated it would have come first.
    assert.ok(!c.published.some((x) => x.uri === other));
  });

  test('app.json change → revalidation with the new page', T, async () => {
    const uri = p.uri('newpage.wxmsg.json');
    const text = CARD.replace('pages/index/index', 'pages/new/new');
    await c.open(uri, text);
    assert.deepEqual(codes(await c.diagnosticsNow(uri)), ['wxmsg/unknown-page']);
    writeFileSync(p.appJson, JSON.stringify({ pages: ['pages/index/index', 'pages/order/detail', 'pages/new/new'] }));
    const clean = c.nextDiagnostics(uri, (d) => d.length === 0);
    // The client hears of it too (wxmsg/projectChanged: its status item asks wxmsg/status again).
    const told = c.nextProjectChange();
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(p.appJson).href, type: 2 }] });
    assert.deepEqual(await clean, []);
    await told;
    // Typing is no project change: an edit is validated without one.
    const before = c.projectChanges;
    const edited = c.nextDiagnostics(uri, (d) => d.length === 1);
    await c.change(uri, text.replace('pages/new/new', 'pages/new/newx'));
    assert.deepEqual(codes(await edited), ['wxmsg/unknown-page']);
    assert.equal(c.projectChanges, before);
  });

  test('an untitled document with a save path gets its project context', T, async () => {
    const uri = `untitled:${p.file('unsaved.wxmsg.json')}`;
    await c.open(uri, CARD.replace('pages/index/index', 'pages/unsaved/x'));
    assert.deepEqual(codes(await c.diagnosticsNow(uri)), ['wxmsg/unknown-page']);
  });

  test('wxmsg/status tells which appid is used and where it came from', T, async () => {
    const s = await c.request<StatusResult>(STATUS_REQUEST, { uri: p.uri('foreign.wxmsg.json') });
    assert.equal(s.appid, APPID);
    assert.equal(s.appidSource, 'project.config.json');
    assert.equal(s.projectConfig, `${p.dir}/project.config.json`);
    assert.equal(s.appJson, p.appJson);
    assert.equal(s.health, 'ok');
  });
});

describe('language server: settings', () => {
  const p = tempProject({ appid: APPID });
  after(() => p.cleanup());

  test('pulled per resource (wxmsg.appid overrides project.config.json, a rule set to off), then changed', T, async () => {
    const c = LspClient.start();
    try {
      let settings: unknown = { appid: FOREIGN, rules: { 'wxmsg/link-missing-href': 'off' } };
      c.settings = () => settings;
      await c.initialize(pushCapabilities(), { rootPath: p.dir });
      const uri = p.uri('settings.wxmsg.json');
      // No href: link-missing-href (info) unless the rule is off; appid FOREIGN is "ours" by setting.
      const text = textTemplate(FOREIGN).replace(/href=\\"[^\\]*\\" /, '');
      await c.open(uri, text);
      assert.deepEqual(await c.diagnosticsNow(uri), []);
      assert.deepEqual(c.configRequests[0].items, [{ scopeUri: uri, section: 'wxmsg' }]);
      const status = await c.request<StatusResult>(STATUS_REQUEST, { uri });
      assert.equal(status.appid, FOREIGN);
      assert.equal(status.appidSource, 'setting');

      // Settings change: project.config.json's appid applies again and the rule is back.
      settings = { rules: { 'wxmsg/foreign-appid': 'hint' } };
      const next = c.nextDiagnostics(uri, (d) => d.length > 0);
      await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
      const ds = await next;
      assert.deepEqual(codes(ds), ['wxmsg/foreign-appid', 'wxmsg/link-missing-href']);
      assert.equal(ds.find((d) => d.code === 'wxmsg/foreign-appid')!.severity, 4);
      assert.ok(c.configRequests.length >= 2, 'settings pulled again after the change');
    } finally {
      await c.stop();
    }
  });

  test('clients without workspace/configuration push settings with didChangeConfiguration', T, async () => {
    const c = LspClient.start();
    try {
      await c.initialize({ textDocument: { publishDiagnostics: { versionSupport: true } } }, { rootPath: p.dir });
      const uri = p.uri('pushed.wxmsg.json');
      await c.open(uri, textTemplate(FOREIGN));
      assert.deepEqual(codes(await c.diagnosticsNow(uri)), ['wxmsg/foreign-appid']);
      const clean = c.nextDiagnostics(uri, (d) => d.length === 0);
      await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { wxmsg: { rules: { 'foreign-appid': 'off' } } } });
      assert.deepEqual(await clean, []);
      assert.equal(c.configRequests.length, 0);
    } finally {
      await c.stop();
    }
  });
});

describe('language server: workspace folder bounds the project lookup', () => {
  test('a project.config.json above the workspace folder is not read', T, async () => {
    const p = tempProject({ appid: APPID });
    const c = LspClient.start();
    try {
      await c.initialize(pushCapabilities(), { rootPath: p.file('') });
      const uri = p.uri('outside.wxmsg.json');
      await c.open(uri, textTemplate(FOREIGN));
      assert.deepEqual(codes(await c.diagnosticsNow(uri)), ['wxmsg/no-project-context']);
      const s = await c.request<StatusResult>(STATUS_REQUEST, { uri });
      assert.equal(s.appidSource, 'none');
    } finally {
      await c.stop();
      p.cleanup();
    }
  });
});

describe('language server: a project file that cannot be used', () => {
  let c: LspClient;
  const p = serveTempProject({ appid: APPID }, (client) => { c = client; });

  test('no-project-context and wxmsg/status say why, naming the file as the Explorer does', T, async () => {
    // A GBK project.config.json (its description is 你好), next to a fine app.json.
    writeFileSync(join(p.dir, 'project.config.json'), Buffer.concat([Buffer.from(`{ "appid": "${APPID}", "miniprogramRoot": "miniprogram/", "description": "`), Buffer.from([0xc4, 0xe3, 0xba, 0xc3]), Buffer.from('" }')]));
    const uri = p.uri('ctx.wxmsg.json');
    await c.open(uri, textTemplate(APPID));
    const ds = await c.diagnosticsNow(uri);
    assert.deepEqual(codes(ds), ['wxmsg/no-project-context']);
    assert.match(ds[0].message, /: project\.config\.json is not UTF-8 \(it looks like GBK\/GB18030\): not read; save it as UTF-8\./);
    const s = await c.request<StatusResult>(STATUS_REQUEST, { uri });
    assert.equal(s.appid, undefined);
    assert.deepEqual(s.problems, [`${join(p.dir, 'project.config.json')} is not UTF-8 (it looks like GBK/GB18030): not read; save it as UTF-8`]);
  });
});

describe('language server: the encoding the client decoded a document with', () => {
  let c: LspClient;
  const p = serveTempProject({ appid: APPID }, (client) => { c = client; });
  const notify = (uri: string, encoding: unknown) => c.conn.sendNotification(DOCUMENT_ENCODING_NOTIFICATION, { uri, encoding });
  const CLEAN = textTemplate(APPID);

  test('gbk reported before didOpen: not-utf8 at 1:1 naming GBK; the rest is still validated', T, async () => {
    const uri = p.uri('gbk.wxmsg.json');
    await notify(uri, 'gbk');
    await c.open(uri, CLEAN);
    const ds = await c.diagnosticsNow(uri);
    assert.deepEqual(codes(ds), ['wxmsg/not-utf8']);
    assert.deepEqual(ds[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.match(ds[0].message, /VS Code decoded this file as GBK, not UTF-8/);
  });

  test('near misses: utf8 and utf8bom are clean; a malformed notification is ignored, not fatal', T, async () => {
    for (const [name, enc] of [['u8.wxmsg.json', 'utf8'], ['u8bom.wxmsg.json', 'utf8bom']]) {
      const uri = p.uri(name);
      await notify(uri, enc);
      await c.open(uri, CLEAN);
      assert.deepEqual(await c.diagnosticsNow(uri), []);
    }
    await notify(p.uri('bad.wxmsg.json'), 42);
    await c.nextLog((m) => m.message.includes('malformed wxmsg/documentEncoding'));
  });

  test('a change of encoding after open (Reopen / Save with Encoding) revalidates; back to UTF-8 clears it', T, async () => {
    const uri = p.uri('later.wxmsg.json');
    await notify(uri, 'utf8');
    await c.open(uri, CLEAN);
    assert.deepEqual(await c.diagnosticsNow(uri), []);
    const next = c.nextDiagnostics(uri, (ds) => ds.length > 0);
    await notify(uri, 'utf16le');
    assert.match((await next)[0].message, /VS Code decoded this file as UTF-16 LE/);
    const cleared = c.nextDiagnostics(uri, (ds) => ds.length === 0);
    await notify(uri, 'utf8');
    await cleared;
  });

  test('text holding U+FFFD (decoded as UTF-8 from bytes that were not) is not-utf8 where it stands', T, async () => {
    const uri = p.uri('fffd.wxmsg.json');
    const text = CLEAN.replace('您好', '\ufffd\ufffd');
    await c.open(uri, text);
    const ds = await c.diagnosticsNow(uri);
    assert.deepEqual(codes(ds), ['wxmsg/not-utf8']);
    assert.deepEqual(ds[0].range, rangeOfText(text, '\ufffd'));
  });
});

describe('language server: pull diagnostics', () => {
  test('textDocument/diagnostic reports, unchanged result ids, refresh on project change', T, async () => {
    const p = tempProject({ appid: APPID });
    const c = LspClient.start();
    try {
      await c.initialize(pullCapabilities(), { rootPath: p.dir });
      const uri = p.uri('pull.wxmsg.json');
      const text = CARD.replace('pages/index/index', 'pages/later/later');
      await c.open(uri, text);
      const r1 = await c.request<DocumentDiagnosticReport & { items: Diagnostic[]; resultId: string }>('textDocument/diagnostic', { textDocument: { uri } });
      assert.equal(r1.kind, 'full');
      assert.deepEqual(codes(r1.items), ['wxmsg/unknown-page']);
      const r2 = await c.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: r1.resultId });
      assert.equal(r2.kind, 'unchanged');

      writeFileSync(p.appJson, JSON.stringify({ pages: ['pages/later/later'] }));
      const refreshed = c.nextRefresh();
      await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(p.appJson).href, type: 2 }] });
      await refreshed;
      const r3 = await c.request<DocumentDiagnosticReport & { items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: r1.resultId });
      assert.equal(r3.kind, 'full');
      assert.deepEqual(r3.items, []);

      await c.change(uri, '{ "msgtype": "image" }');
      const r4 = await c.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
      assert.deepEqual(codes(r4.items), ['wxmsg/missing-body']);
      // Pull clients get nothing pushed.
      assert.equal(c.published.length, 0);
    } finally {
      await c.stop();
      p.cleanup();
    }
  });
});

describe('language server: features', () => {
  let c: LspClient;
  const p = serveTempProject({ appid: APPID }, (client) => { c = client; });

  test('completion offers app.json pages inside pagepath and the appid in a text link', T, async () => {
    const uri = p.uri('complete.wxmsg.json');
    const text = CARD.replace('"pages/index/index"', '""');
    await c.open(uri, text);
    const at = rangeOfText(text, '""').start;
    const r = await c.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: at.line, character: at.character + 1 } });
    const items = Array.isArray(r) ? r : r.items;
    const inserted = items.map((i) => (i.textEdit && 'newText' in i.textEdit ? i.textEdit.newText : i.insertText ?? i.label));
    assert.ok(inserted.some((t) => t.includes('pages/order/detail')), JSON.stringify(inserted));
    assert.ok(inserted.some((t) => t.includes('pages/index/index')));

    const link = p.uri('complete-link.wxmsg.json');
    const lt = textTemplate('').replace('data-miniprogram-appid=\\"\\"', 'data-miniprogram-appid=\\"\\"');
    await c.open(link, lt);
    const pos = rangeOfText(lt, 'data-miniprogram-appid=\\"').end;
    const r2 = await c.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri: link }, position: pos });
    const items2 = Array.isArray(r2) ? r2 : r2.items;
    assert.ok(items2.some((i) => JSON.stringify(i).includes(APPID)), JSON.stringify(items2));
  });

  test('hover on a field', T, async () => {
    const uri = p.uri('hover.wxmsg.json');
    await c.open(uri, CARD);
    const key = rangeOfText(CARD, '"pagepath"');
    const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: key.start.line, character: key.start.character + 3 } });
    assert.ok(h, 'hover answered');
    const value = typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : JSON.stringify(h.contents);
    assert.ok(value.includes('app.json'), value);
    assert.deepEqual(h.range, key);
  });

  test('document symbols', T, async () => {
    const uri = p.uri('symbols.wxmsg.json');
    await c.open(uri, CARD);
    const syms = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const names = syms.map((s) => s.name);
    assert.ok(names.includes('msgtype') && names.includes('miniprogrampage'), JSON.stringify(names));
    const body = syms.find((s) => s.name === 'miniprogrampage')!;
    assert.deepEqual(body.children?.map((s) => s.name), ['title', 'pagepath', 'thumb_media_id']);
  });

  test('formatting keeps comments; range formatting touches only the range', T, async () => {
    const uri = p.uri('format.wxmsg.json');
    const ugly = '{ // greeting\n"msgtype":"text",\n      "text":{"content":"hi"}}';
    await c.open(uri, ugly);
    const edits = await c.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    const out = applyEdits(ugly, edits);
    assert.equal(out, '{ // greeting\n  "msgtype": "text",\n  "text": {\n    "content": "hi"\n  }\n}');
    const tabbed = applyEdits(ugly, await c.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 4, insertSpaces: false } }));
    assert.match(tabbed, /\n\t"msgtype": "text",\n/);
    const line2 = rangeOfText(ugly, '      "text":{"content":"hi"}}');
    const ranged = await c.request<TextEdit[]>('textDocument/rangeFormatting', { textDocument: { uri }, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 16 } }, options: { tabSize: 2, insertSpaces: true } });
    for (const e of ranged) assert.ok(e.range.start.line < line2.start.line || (e.range.start.line === line2.start.line && e.range.start.character === 0), JSON.stringify(e));
  });
});

/** Each broken template, the fix expected among the actions, and the code it fixes. */
const BROKEN: { name: string; text: string; code: string; preferred: boolean }[] = [
  { name: 'foreign appid', text: textTemplate(FOREIGN), code: 'wxmsg/foreign-appid', preferred: true },
  { name: 'herf → href', text: textTemplate(APPID).replace('href=', 'herf='), code: 'wxmsg/misspelled-attribute', preferred: true },
  { name: 'picurl → thumb_url', text: '{"msgtype":"link","link":{"title":"t","description":"d","url":"https://e.com/","picurl":"https://e.com/p.png"}}', code: 'wxmsg/use-thumb-url', preferred: true },
  { name: 'missing required fields', text: '{\n  "msgtype": "link",\n  "link": {\n    "title": "t"\n  }\n}', code: 'wxmsg/missing-field', preferred: false },
  { name: 'missing body', text: '{ "msgtype": "image" }', code: 'wxmsg/missing-body', preferred: false },
  { name: 'missing msgtype', text: '{ "image": { "media_id": "m1" } }', code: 'wxmsg/missing-msgtype', preferred: true },
  { name: 'unknown key (did you mean)', text: '{"msgtype":"image","image":{"media_ld":"m1"}}', code: 'wxmsg/unknown-key', preferred: true },
  { name: 'unknown key (remove)', text: '{"msgtype":"image","image":{"media_id":"m1","color":"red"}}', code: 'wxmsg/unknown-key', preferred: false },
  { name: 'body does not match msgtype', text: '{"msgtype":"text","image":{"media_id":"m1"}}', code: 'wxmsg/body-mismatch', preferred: false },
  { name: 'invalid msgtype', text: '{"msgtype":"imgae","image":{"media_id":"m1"}}', code: 'wxmsg/invalid-msgtype', preferred: true },
];

describe('language server: quick fixes applied and revalidated clean', () => {
  let c: LspClient;
  const p = serveTempProject({ appid: APPID }, (client) => { c = client; });

  for (const [i, b] of BROKEN.entries()) {
    test(b.name, T, async () => {
      const uri = p.uri(`fix-${i}.wxmsg.json`);
      await c.open(uri, b.text);
      let ds = (await c.diagnosticsNow(uri)).filter((d) => d.code !== 'wxmsg/media-placeholder');
      assert.ok(ds.some((d) => d.code === b.code), `${b.code} in ${codes(ds)}`);
      // Apply the server's fix for the diagnostic under test, then any follow-ups, until clean.
      for (let round = 0; ds.length && round < 5; round++) {
        const target = ds.find((d) => d.code === b.code) ?? ds[0];
        const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: target.range, context: { diagnostics: [target], only: ['quickfix'] } });
        assert.ok(actions.length, `a fix for ${target.code}`);
        const action = actions.find((a) => a.isPreferred) ?? actions[0];
        if (round === 0) {
          assert.equal(!!action.isPreferred, b.preferred, action.title);
          assert.equal(action.kind, 'quickfix');
          assert.deepEqual(action.diagnostics?.map((d) => d.code), [b.code]);
        }
        const edits = action.edit!.changes![uri];
        const v = await c.change(uri, applyEdits(c.text(uri), edits));
        ds = await c.nextDiagnostics(uri, () => true, v);
        // A placeholder a fix inserted (MEDIA_ID) is a hint whose fix is an upload, not an edit.
        ds = ds.filter((d) => d.code !== 'wxmsg/media-placeholder');
      }
      assert.deepEqual(ds, [], c.text(uri));
    });
  }

  test('source.fixAll.wxmsg fixes every auto-fixable problem at once', T, async () => {
    const uri = p.uri('fixall.wxmsg.json');
    const text = textTemplate(FOREIGN).replace('href=', 'herf=').replace('"touser"', '"tuser"');
    await c.open(uri, text);
    const ds = await c.diagnosticsNow(uri);
    assert.deepEqual(codes(ds), ['wxmsg/foreign-appid', 'wxmsg/misspelled-attribute', 'wxmsg/unknown-key']);
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: [FIX_ALL_KIND] } });
    assert.deepEqual(actions.map((a) => a.kind), [FIX_ALL_KIND]);
    const v = await c.change(uri, applyEdits(text, actions[0].edit!.changes![uri]));
    assert.deepEqual(await c.nextDiagnostics(uri, () => true, v), []);
  });
});

describe('language server: locale', () => {
  test('zh-CN client gets Chinese messages', T, async () => {
    const p = tempProject({ appid: APPID });
    const c = LspClient.start();
    try {
      await c.initialize(pushCapabilities(), { rootPath: p.dir, locale: 'zh-CN' });
      const uri = p.uri('zh.wxmsg.json');
      await c.open(uri, '{ "msgtype": "image" }');
      const ds = await c.diagnosticsNow(uri);
      assert.deepEqual(codes(ds), ['wxmsg/missing-body']);
      assert.equal(ds[0].message, message('zh-cn', 'missing-body', { key: 'image' }));
      assert.notEqual(ds[0].message, message('en', 'missing-body', { key: 'image' }));
    } finally {
      await c.stop();
      p.cleanup();
    }
  });
});

describe('language server: never dies', () => {
  test('binary content, a 3 MB document, malformed requests and a handler error', T, async () => {
    const p = tempProject({ appid: APPID });
    const c = LspClient.start();
    try {
      await c.initialize(pushCapabilities(), { rootPath: p.dir });
      const bin = p.uri('binary.wxmsg.json');
      await c.open(bin, '\u0000\u0001\u0002\uFFFD{"msgtype":');
      assert.deepEqual(codes(await c.diagnosticsNow(bin)), ['wxmsg/binary-file']);

      const big = p.uri('big.wxmsg.json');
      const huge = `{"msgtype":"text","text":{"content":"${'x'.repeat(3 * 1024 * 1024)}"}}`;
      await c.open(big, huge);
      assert.deepEqual(codes(await c.diagnosticsNow(big)), ['wxmsg/file-too-large']);
      const pos = { line: 0, character: 40 };
      assert.deepEqual(await c.request('textDocument/completion', { textDocument: { uri: big }, position: pos }), []);
      assert.equal(await c.request('textDocument/hover', { textDocument: { uri: big }, position: pos }), null);
      assert.deepEqual(await c.request('textDocument/formatting', { textDocument: { uri: big }, options: { tabSize: 2, insertSpaces: true } }), []);

      // Requests about documents the server never saw.
      const ghost = p.uri('ghost.wxmsg.json');
      assert.deepEqual(await c.request('textDocument/documentSymbol', { textDocument: { uri: ghost } }), []);

      // A handler that throws (a null diagnostic): logged, answered empty, health degraded.
      const ok = p.uri('ok.wxmsg.json');
      await c.open(ok, CARD);
      await c.diagnosticsNow(ok);
      const degraded = new Promise<unknown>((res) => c.conn.onNotification(SERVER_STATUS_NOTIFICATION, res));
      const r = await c.request('textDocument/codeAction', { textDocument: { uri: ok }, range: { start: pos, end: pos }, context: { diagnostics: [null] } });
      assert.deepEqual(r, []);
      const log = await c.nextLog((m) => m.message.includes('internal error in codeAction'));
      assert.equal(log.type, 1);
      assert.deepEqual(await degraded, { health: 'degraded', lastError: (await c.request<StatusResult>(STATUS_REQUEST, {})).lastError });

      // Still serving.
      const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: ok }, position: { line: rangeOfText(CARD, '"title"').start.line, character: 6 } });
      assert.ok(h);
      const after = await c.change(ok, '{ "msgtype": "image" }');
      assert.deepEqual(codes(await c.nextDiagnostics(ok, () => true, after)), ['wxmsg/missing-body']);
    } finally {
      assert.equal(await c.stop(), 0);
      p.cleanup();
    }
  });
});
