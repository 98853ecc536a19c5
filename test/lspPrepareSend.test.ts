// wxmsg/prepareSend: the one request the extension makes before a send (the check, the project
// context, the payload), and wxmsg/previewModel's rendering, against the built language server.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  PREPARE_SEND_REQUEST, PREVIEW_MODEL_REQUEST, PROFILES_REQUEST, RECORD_UPLOAD_REQUEST, STATUS_REQUEST, TEMPLATE_INFO_REQUEST,
  type PrepareSendParams, type PrepareSendResult, type PreviewModelResult, type ProfilesResult, type RecordUploadResult, type StatusResult, type TemplateInfoResult,
} from '../server/src/lsp/protocol.ts';
import { LspClient, serveTempProject } from './lspClient.ts';

const T = { timeout: 30_000 };
const APPID = 'wx1111111111111111';
const OTHER = 'wx2222222222222222';

const link = (appid: string, pagePath = 'pages/index/index') =>
  `{\n  "touser": "OPENID",\n  "msgtype": "text",\n  // a comment\n  "text": { "content": "<a href=\\"https://a.example/\\" data-miniprogram-appid=\\"${appid}\\" data-miniprogram-path=\\"${pagePath}\\">x</a>" },\n}\n`;
const TEXT = '{ "touser": "OPENID", "msgtype": "text", "text": { "content": "héllo" } }';

type Ready = Extract<PrepareSendResult, { kind: 'ready' }>;
type Refused = Extract<PrepareSendResult, { kind: 'refused' }>;

describe('language server: wxmsg/prepareSend', () => {
  let c: LspClient;
  /** What the client answers to workspace/configuration (the workspace's settings, as VS Code merges them). */
  let settings: unknown = null;
  const p = serveTempProject({ appid: APPID }, (client) => {
    c = client;
    c.settings = () => settings;
  });
  const prepare = (uri: string, over: Omit<PrepareSendParams, 'textDocument'> & { version?: number } = {}) => {
    const { version, ...rest } = over;
    return c.request<PrepareSendResult>(PREPARE_SEND_REQUEST, { textDocument: { uri, ...(version !== undefined ? { version } : { version: c.version(uri) }) }, ...rest });
  };

  test('a template with an error is refused with the diagnostic the editor shows', T, async () => {
    const uri = p.uri('foreign.wxmsg.json');
    const text = link(OTHER);
    await c.open(uri, text);
    const published = (await c.diagnosticsNow(uri, (d) => d.length > 0)).filter((d) => d.severity === 1);
    const r = await prepare(uri) as Refused;
    assert.equal(r.kind, 'refused');
    assert.equal(r.reason, 'invalid-template');
    assert.equal(r.version, 1);
    assert.deepEqual(r.errors.map((d) => [d.code, d.range]), published.map((d) => [d.code, d.range]));
    assert.deepEqual(r.errors.map((d) => d.code), ['wxmsg/foreign-appid']);
    assert.match(r.errors[0].message, new RegExp(APPID));
    // The context the send would have used, as the status item shows it.
    assert.equal(r.context.appid, APPID);
    assert.equal(r.context.appidSource, 'project.config.json');
    assert.equal(r.context.pageCount, 2);
    assert.deepEqual(r.context.problems, []);
  });

  test('a clean template: its payload without touser (comments and trailing commas gone), the msgtype, the context', T, async () => {
    const uri = p.uri('clean.wxmsg.json');
    await c.open(uri, link(APPID));
    const r = await prepare(uri) as Ready;
    assert.equal(r.kind, 'ready', JSON.stringify(r));
    assert.equal(r.msgtype, 'text');
    assert.deepEqual(Object.keys(r.payload), ['msgtype', 'text']);
    assert.match((r.payload.text as { content: string }).content, /data-miniprogram-appid="wx1111111111111111"/);
    assert.equal(r.context.appid, APPID);
    assert.equal(r.context.projectConfig, path.join(p.dir, 'project.config.json'));
    assert.equal(r.context.mediaLedger, false);
  });

  test('the open text is what is checked and sent: the file on disk is not read (it differs, or does not exist)', T, async () => {
    const file = p.file('disk.wxmsg.json');
    // On disk: an error and another message. Open in the editor: an unsaved, clean text.
    fs.writeFileSync(file, link(OTHER));
    const uri = pathToFileURL(file).href;
    await c.open(uri, TEXT);
    const r = await prepare(uri) as Ready;
    assert.equal(r.kind, 'ready', JSON.stringify(r));
    assert.deepEqual(r.payload, { msgtype: 'text', text: { content: 'héllo' } });
    // A template that was never saved has no file at all.
    const ghost = p.uri('never-saved.wxmsg.json');
    assert.equal(fs.existsSync(p.file('never-saved.wxmsg.json')), false);
    await c.open(ghost, TEXT);
    assert.equal((await prepare(ghost)).kind, 'ready');
    // An edit is seen at once: the new version, refused now.
    const v = await c.change(uri, link(OTHER));
    const again = await prepare(uri) as Refused;
    assert.equal(again.kind, 'refused');
    assert.equal(again.version, v);
  });

  test('an untitled template uses the workspace folder\'s context, exactly as wxmsg/status shows it', T, async () => {
    const uri = 'untitled:Untitled-3';
    await c.open(uri, link(OTHER));
    const status = await c.request<StatusResult>(STATUS_REQUEST, { uri });
    assert.equal(status.appid, APPID);
    const r = await prepare(uri) as Refused;
    assert.equal(r.kind, 'refused');
    assert.equal(r.context.appid, status.appid);
    assert.equal(r.context.projectConfig, status.projectConfig);
    assert.equal(r.context.pageCount, status.pageCount);
    assert.deepEqual(r.errors.map((d) => d.code), ['wxmsg/foreign-appid']);
    await c.change(uri, link(APPID));
    assert.equal((await prepare(uri)).kind, 'ready');
  });

  test('rule overrides: only those the request carries (the user\'s own) count, not the workspace\'s settings', T, async () => {
    const uri = p.uri('unsafe.wxmsg.json');
    const text = '{ "msgtype": "text", "text": { "content": "<a href=\\"javascript:alert(1)\\">x</a>" } }';
    settings = { rules: { 'unsafe-href': 'off' } };
    try {
      await c.open(uri, text);
      // The editor is quiet about it (the workspace said so)…
      assert.deepEqual((await c.diagnosticsNow(uri)).filter((d) => d.code === 'wxmsg/unsafe-href'), []);
      // …but the send is refused all the same.
      const r = await prepare(uri) as Refused;
      assert.equal(r.kind, 'refused');
      assert.ok(r.errors.some((d) => d.code === 'wxmsg/unsafe-href'));
      // The user's own override (sent by the client) does count; near misses do not.
      assert.equal((await prepare(uri, { severities: { 'wxmsg/unsafe-href': 'warning' } })).kind, 'ready');
      assert.equal((await prepare(uri, { severities: { 'unsafe-href': 'off' } })).kind, 'ready');
      assert.equal((await prepare(uri, { severities: { 'wxmsg/unsafe-hre': 'off' } })).kind, 'refused');
      assert.equal((await prepare(uri, { severities: { 'wxmsg/unsafe-href': 'bogus' } as never })).kind, 'refused');
    } finally {
      settings = null;
    }
  });

  test('the active profile\'s appid ranks over project.config.json', T, async () => {
    const uri = p.uri('profile.wxmsg.json');
    await c.open(uri, link(OTHER));
    assert.equal((await prepare(uri)).kind, 'refused');
    const r = await prepare(uri, { appid: { value: OTHER, source: 'profile "staging"' } }) as Ready;
    assert.equal(r.kind, 'ready', JSON.stringify(r));
    assert.equal(r.context.appid, OTHER);
    assert.equal(r.context.appidSource, 'profile "staging"');
    // One letter off is another app: refused.
    assert.equal((await prepare(uri, { appid: { value: 'wx2222222222222223', source: 'profile "x"' } })).kind, 'refused');
  });

  test('variables: the missing ones first; *.vars.json under the values given; a broken vars file refuses', T, async () => {
    const uri = p.uri('vars.wxmsg.json');
    await c.open(uri, '{ "msgtype": "text", "text": { "content": "Hi {{name}}, {{order|N/A}} {{city}}" } }');
    const missing = await prepare(uri);
    assert.deepEqual(missing, { kind: 'missing-variables', missing: ['name', 'city'], context: (missing as { context: unknown }).context });
    fs.writeFileSync(p.file('vars.vars.json'), JSON.stringify({ name: 'file', city: 'Shenzhen' }));
    const r = await prepare(uri, { variables: { name: 'O\'Brien "x"' } }) as Ready;
    assert.equal(r.kind, 'ready', JSON.stringify(r));
    assert.deepEqual(r.payload.text, { content: 'Hi O\'Brien "x", N/A Shenzhen' });
    assert.deepEqual(r.variables, { name: 'O\'Brien "x"', city: 'Shenzhen' });
    fs.writeFileSync(p.file('vars.vars.json'), '{ "name": ');
    const broken = await prepare(uri, { variables: { name: 'x' } });
    assert.equal(broken.kind, 'vars-error');
    assert.match((broken as { message: string }).message, /vars\.vars\.json: JSON syntax error at 1:/);
  });

  test('a placeholder media_id is refused as such (the fix is an upload)', T, async () => {
    const uri = p.uri('pic.wxmsg.json');
    await c.open(uri, '{ "msgtype": "image", "image": { "media_id": "MEDIA_ID" } }');
    const r = await prepare(uri) as Refused;
    assert.equal(r.kind, 'refused');
    assert.equal(r.reason, 'media-placeholder');
    assert.deepEqual(r.errors.map((d) => [d.code, d.severity]), [['wxmsg/media-placeholder', 1]]);
    assert.match(r.message, /MEDIA_ID/);
  });

  test('a template too large to parse is refused as the editor reports it (file-too-large), not as not open', T, async () => {
    const uri = p.uri('huge.wxmsg.json');
    await c.open(uri, `{ "msgtype": "text", "text": { "content": "${'x'.repeat(2_000_001)}" } }`);
    const r = await prepare(uri) as Refused;
    assert.equal(r.kind, 'refused');
    assert.deepEqual(r.errors.map((d) => d.code), ['wxmsg/file-too-large']);
    await c.close(uri);
  });

  test('another version, not open, not a template, malformed params', T, async () => {
    const uri = p.uri('versions.wxmsg.json');
    await c.open(uri, TEXT);
    const v = await c.change(uri, TEXT.replace('héllo', 'hi'));
    assert.deepEqual(await prepare(uri, { version: v - 1 }), { kind: 'stale', version: v });
    assert.equal((await prepare(uri, { version: v })).kind, 'ready');
    assert.deepEqual(await prepare(p.uri('closed.wxmsg.json'), { version: 1 }), { kind: 'not-open' });
    const notes = p.uri('notes.txt');
    await c.open(notes, TEXT, 'plaintext');
    assert.deepEqual(await prepare(notes), { kind: 'not-open' });
    await assert.rejects(c.request(PREPARE_SEND_REQUEST, {}), /textDocument is missing or malformed/);
    await assert.rejects(c.request(PREPARE_SEND_REQUEST, { textDocument: { uri: 1 } }), /malformed/);
    // Junk in the optional members is ignored, not a crash.
    const junk = await c.request<PrepareSendResult>(PREPARE_SEND_REQUEST, { textDocument: { uri }, severities: 'x', variables: [1, 2], appid: { value: 5 } });
    assert.equal(junk.kind, 'ready');
    const status = await c.request<StatusResult>(STATUS_REQUEST, {});
    assert.equal(status.health, 'ok');
  });
});

describe('language server: wxmsg/templateInfo (the msgtype the CodeLens needs)', () => {
  let c: LspClient;
  const p = serveTempProject({ appid: APPID }, (client) => { c = client; });
  const info = (uri: string) => c.request<TemplateInfoResult>(TEMPLATE_INFO_REQUEST, { textDocument: { uri } });

  test('the top-level msgtype as written, from the open text (comments, trailing commas, escapes), with its version', T, async () => {
    const uri = p.uri('card.wxmsg.json');
    await c.open(uri, '{\n  // a card\n  "touser": "OPENID",\n  "msgtype": "miniprogrampage",\n  "miniprogrampage": { "title": "t" },\n}\n');
    assert.deepEqual(await info(uri), { version: 1, msgtype: 'miniprogrampage' });
    const v = await c.change(uri, '{ "msgtype": "im\\u0061ge", "image": { "media_id": "m" } }');
    assert.deepEqual(await info(uri), { version: v, msgtype: 'image' });
    await c.close(uri);
  });

  test('near misses: a nested msgtype, a msgtype that is no string, none; not open, not a template, too large, malformed', T, async () => {
    const cases: [string, TemplateInfoResult][] = [
      ['{ "text": { "msgtype": "image" } }', { version: 1 }],
      ['{ "msgtype": ["image"] }', { version: 1 }],
      ['{ "msgtype": null, "image": {} }', { version: 1 }],
      ['{ "msgtype": "Image" }', { version: 1, msgtype: 'Image' }],
      ['{ "msgtype": "text", "msgtype": "image" }', { version: 1, msgtype: 'text' }],
      ['[]', { version: 1 }],
      ['', { version: 1 }],
    ];
    for (const [i, [text, want]] of cases.entries()) {
      const uri = p.uri(`case${i}.wxmsg.json`);
      await c.open(uri, text);
      assert.deepEqual(await info(uri), want, text);
      await c.close(uri);
    }
    assert.equal(await info(p.uri('closed.wxmsg.json')), null);
    const notes = p.uri('notes.txt');
    await c.open(notes, '{ "msgtype": "image" }', 'plaintext');
    assert.equal(await info(notes), null);
    const huge = p.uri('huge.wxmsg.json');
    await c.open(huge, `{ "msgtype": "image", "image": { "media_id": "${'x'.repeat(2_000_001)}" } }`);
    assert.equal(await info(huge), null, 'too large to parse: the server does not parse it for this either');
    await c.close(huge);
    await assert.rejects(c.request(TEMPLATE_INFO_REQUEST, {}), /textDocument is missing or malformed/);
    assert.equal((await c.request<StatusResult>(STATUS_REQUEST, {})).health, 'ok');
  });
});

describe('language server: wxmsg/templateInfoChanged (the msgtype pushed, so typing costs the CodeLens no round trip)', () => {
  let c: LspClient;
  const p = serveTempProject({ appid: APPID }, (client) => { c = client; });
  const pushed = (uri: string) => c.templateInfos.filter((i) => i.uri === uri);
  /** Edits `uri`, then waits for that version's diagnostics: any report for it came before them. */
  const typeAndWait = async (uri: string, start: number, end: number, text: string) => {
    const v = await c.edit(uri, start, end, text);
    await c.nextDiagnostics(uri, () => true, v);
    return v;
  };

  test('sent after the first validation, then only when the top-level msgtype changes', T, async () => {
    const uri = p.uri('pushed.wxmsg.json');
    const text = '{\n  // a card\n  "touser": "OPENID",\n  "msgtype": "miniprogrampage",\n  "miniprogrampage": { "title": "t" }\n}\n';
    const first = c.nextDiagnostics(uri, () => true, 1);
    await c.open(uri, text);
    await first;
    // Sent after the diagnostics, which the user is waiting for.
    await c.templateInfo(uri, 1);
    assert.deepEqual(pushed(uri), [{ uri, version: 1, msgtype: 'miniprogrampage' }]);
    // Typing in the title, a stray quote that breaks the JSON, a nested msgtype: the top-level one is the same.
    const title = text.indexOf('"t"') + 2;
    await typeAndWait(uri, title, title, '订单');
    await typeAndWait(uri, title, title + 2, '');
    const at = c.text(uri).indexOf('"title"');
    await typeAndWait(uri, at, at, '"msgtype": "image", ');
    // A request answered after those edits: a report of any of them would have come before it.
    await c.request<StatusResult>(STATUS_REQUEST, {});
    assert.deepEqual(pushed(uri).length, 1, JSON.stringify(pushed(uri)));
    // The msgtype itself: one character more is another msgtype (text → textx changes what a send does).
    const mt = c.text(uri).indexOf('miniprogrampage');
    const v1 = await typeAndWait(uri, mt, mt + 'miniprogrampage'.length, 'image');
    assert.deepEqual(await c.templateInfo(uri, v1), { uri, version: v1, msgtype: 'image' });
    const v2 = await typeAndWait(uri, mt + 'image'.length, mt + 'image'.length, 's');
    assert.deepEqual(await c.templateInfo(uri, v2), { uri, version: v2, msgtype: 'images' });
    // No string msgtype: a report without one.
    const v3 = await typeAndWait(uri, mt - 1, mt + 'images'.length + 1, 'null');
    assert.deepEqual(await c.templateInfo(uri, v3), { uri, version: v3 });
    await c.request<StatusResult>(STATUS_REQUEST, {});
    assert.equal(pushed(uri).length, 4);
    // Closed and opened again: reported afresh.
    await c.close(uri);
    // A request answered after the close was handled (its empty publish is out of the way).
    await c.request<StatusResult>(STATUS_REQUEST, {});
    const again = c.nextDiagnostics(uri, () => true, 1);
    const n = pushed(uri).length;
    await c.open(uri, text);
    await again;
    await c.request<StatusResult>(STATUS_REQUEST, {});
    assert.equal(pushed(uri).length, n + 1);
    assert.deepEqual(pushed(uri).at(-1), { uri, version: 1, msgtype: 'miniprogrampage' });
  });

  test('a msgtype the client asked for is not sent again; a document that is no template gets none', T, async () => {
    const uri = p.uri('asked.wxmsg.json');
    const text = '{ "touser": "OPENID", "msgtype": "text", "text": { "content": "hi" } }';
    const first = c.nextDiagnostics(uri, () => true, 1);
    await c.open(uri, text);
    await first;
    assert.deepEqual(await c.request<TemplateInfoResult>(TEMPLATE_INFO_REQUEST, { textDocument: { uri } }), { version: 1, msgtype: 'text' });
    const n = pushed(uri).length;
    await typeAndWait(uri, text.indexOf('hi'), text.indexOf('hi'), 'x');
    await c.request<StatusResult>(STATUS_REQUEST, {});
    assert.equal(pushed(uri).length, n, 'the same msgtype as answered');
    const notes = p.uri('notes.txt');
    await c.open(notes, '{ "msgtype": "image" }', 'plaintext');
    assert.equal((await c.request<StatusResult>(STATUS_REQUEST, {})).health, 'ok');
    assert.deepEqual(pushed(notes), []);
  });
});

describe('language server: wxmsg/previewModel renders when asked', () => {
  let c: LspClient;
  const p = serveTempProject({ appid: APPID }, (client) => { c = client; });

  test('the body, and the whole page with the webview\'s nonce and script', T, async () => {
    const uri = p.uri('a.wxmsg.json');
    await c.open(uri, TEXT);
    const plain = await c.request<PreviewModelResult>(PREVIEW_MODEL_REQUEST, { textDocument: { uri } });
    assert.equal(plain!.body, undefined);
    const page = { nonce: 'bm9uY2Vub25jZQ==', cspSource: 'https://x.vscode-resource', scriptUri: 'https://x.vscode-resource/dist/preview.js', documentUri: uri };
    const r = await c.request<PreviewModelResult>(PREVIEW_MODEL_REQUEST, { textDocument: { uri }, render: { fileName: 'templates/a.wxmsg.json', page } });
    assert.match(r!.body!, /<span class="wx-file">templates\/a\.wxmsg\.json<\/span>/);
    assert.match(r!.body!, /héllo/);
    assert.ok(r!.page!.includes(r!.body!));
    assert.match(r!.page!, /<script nonce="bm9uY2Vub25jZQ==" src="https:\/\/x\.vscode-resource\/dist\/preview\.js">/);
    assert.match(r!.page!, /script-src 'nonce-bm9uY2Vub25jZQ=='/);
    // A nonce that is not one: no page (the body only).
    const bad = await c.request<PreviewModelResult>(PREVIEW_MODEL_REQUEST, { textDocument: { uri }, render: { page: { ...page, nonce: '"><script>' } } });
    assert.equal(bad!.page, undefined);
    assert.ok(bad!.body);
  });
});

describe('language server: the project file and the media ledger for the extension', () => {
  let c: LspClient;
  const p = serveTempProject({ appid: APPID }, (client) => { c = client; });

  test('wxmsg/profiles: none without a project file; its profiles (and whether it has errors) with one', T, async () => {
    assert.deepEqual(await c.request<ProfilesResult>(PROFILES_REQUEST, {}), { profiles: {}, hasErrors: false });
    const file = path.join(p.dir, 'wxmsg.config.json');
    fs.writeFileSync(file, `// team\n{ "defaultProfile": "dev", "profiles": { "dev": { "appid": "${APPID}", "testUsers": { "qa": "oWx_________________________1" } }, "prod": { "appid": "${OTHER}", "production": true } } }`);
    const r = await c.request<ProfilesResult>(PROFILES_REQUEST, {});
    assert.equal(r.file, file);
    assert.equal(r.root, p.dir);
    assert.equal(r.defaultProfile, 'dev');
    assert.deepEqual(Object.keys(r.profiles), ['dev', 'prod']);
    assert.equal(r.profiles.prod.production, true);
    assert.equal(r.profiles.dev.testUsers.qa, 'oWx_________________________1');
    assert.equal(r.hasErrors, false);
    fs.writeFileSync(file, '{ "profiles": { "dev": { "appid": 5 } } }');
    assert.equal((await c.request<ProfilesResult>(PROFILES_REQUEST, {})).hasErrors, true);
    fs.rmSync(file);
  });

  test('an open wxmsg.config.json gets its diagnostics (secret-in-config), the value never quoted', T, async () => {
    const uri = pathToFileURL(path.join(p.dir, 'wxmsg.config.json')).href;
    const secret = '0123456789abcdef0123456789abcdef';
    await c.open(uri, `{ "profiles": { "dev": { "appid": "${APPID}", "appsecret": "${secret}" } } }`, 'json');
    const ds = await c.diagnosticsNow(uri, (d) => d.length > 0);
    assert.ok(ds.some((d) => d.code === 'wxmsg/secret-in-config'), JSON.stringify(ds));
    assert.ok(!JSON.stringify(ds).includes(secret));
    // Not a template: no payload to prepare, no completions.
    assert.deepEqual(await c.request(PREPARE_SEND_REQUEST, { textDocument: { uri } }), { kind: 'not-open' });
    await c.close(uri);
    // A near miss of the name is not the project file.
    const other = pathToFileURL(path.join(p.dir, 'my-wxmsg.config.json.bak')).href;
    await c.open(other, `{ "appsecret": "${secret}" }`, 'json');
    const statusAfter = await c.request<StatusResult>(STATUS_REQUEST, {});
    assert.equal(statusAfter.health, 'ok');
    assert.deepEqual(c.published.filter((x) => x.uri === other).flatMap((x) => x.diagnostics), []);
  });

  test('wxmsg/recordUpload: the upload goes into the ledger, and a template using its media_id is clean at once', T, async () => {
    const image = path.join(p.dir, 'cover.png');
    fs.writeFileSync(image, Buffer.from('89504e470d0a1a0a', 'hex'));
    fs.mkdirSync(path.join(p.dir, '.wxmsg'), { recursive: true });
    fs.writeFileSync(path.join(p.dir, '.wxmsg', 'media.json'), '{ "media": [] }');
    const uri = p.uri('img.wxmsg.json');
    await c.open(uri, '{ "msgtype": "image", "image": { "media_id": "fresh_media_1" } }');
    assert.ok((await c.diagnosticsNow(uri)).some((d) => d.code === 'wxmsg/media-unknown'));
    const r = await c.request<RecordUploadResult>(RECORD_UPLOAD_REQUEST, { near: p.file('img.wxmsg.json'), appid: APPID, mediaId: 'fresh_media_1', file: image });
    assert.deepEqual(r, { root: p.dir });
    const ledger = (JSON.parse(fs.readFileSync(path.join(p.dir, '.wxmsg', 'media.json'), 'utf8')) as { media: { media_id: string; source: string }[] }).media;
    assert.deepEqual(ledger.map((x) => [x.media_id, x.source]), [['fresh_media_1', 'cover.png']]);
    await c.nextDiagnostics(uri, (d) => !d.some((x) => x.code === 'wxmsg/media-unknown'));
    assert.deepEqual(await c.request(RECORD_UPLOAD_REQUEST, { near: 5, appid: APPID, mediaId: 'x', file: image }), { error: 'malformed upload record' });
  });
});
