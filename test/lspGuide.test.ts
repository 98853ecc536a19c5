// Issue 19 over the protocol: completion lists, the empty-file hint, plain-word syntax fixes,
// Go to Definition and document links from page paths (the built server over stdio).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionItem, CompletionList, DocumentLink, Location } from 'vscode-languageserver-protocol';
import { LspClient, applyEdits, rangeOfText, serveTempProject } from './lspClient.ts';

const T = { timeout: 30_000 };
const APPID = 'wx1111111111111111';
const PAGES = ['pages/index/index', 'pages/order/detail', 'pages/me/me'];

const CARD = `{
  "msgtype": "miniprogrampage",
  "miniprogrampage": {
    "title": "Coupon",
    "pagepath": "pages/index/index",
    "thumb_media_id": "cover_3x2_01"
  }
}
`;

describe('language server: guidance (issue 19)', () => {
  let c: LspClient;
  const p = serveTempProject({ appid: APPID, pages: PAGES }, (client) => { c = client; });

  test('completion at the snippet pagepath stop: an incomplete list of every page over the whole string', T, async () => {
    const uri = p.uri('stop.wxmsg.json');
    await c.open(uri, CARD);
    const at = rangeOfText(CARD, '"pages/index/index"');
    const r = await c.request<CompletionList | CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: at.end.line, character: at.end.character - 1 } });
    assert.ok(!Array.isArray(r), 'a CompletionList');
    assert.equal(r.isIncomplete, true);
    assert.deepEqual(r.items.map((i) => i.label), PAGES);
    const typed = CARD.split('\n')[at.start.line].slice(at.start.character, at.end.character - 1);
    for (const i of r.items) {
      assert.ok(i.textEdit && 'range' in i.textEdit);
      assert.deepEqual(i.textEdit.range, at);
      assert.ok(i.filterText?.startsWith(typed), `${i.label} is filtered out by "${typed}"`);
    }
  });

  test('an empty file: message snippets, and one hint instead of an error', T, async () => {
    const uri = p.uri('new.wxmsg.json');
    await c.open(uri, '');
    const ds = await c.diagnosticsNow(uri);
    assert.equal(ds.length, 1);
    assert.equal(ds[0].severity, 4);
    assert.match(ds[0].message, /type `wxmsg` for a message snippet/);
    const r = await c.request<CompletionList | CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 0 } });
    const items = Array.isArray(r) ? r : r.items;
    assert.deepEqual(items.map((i) => i.label), ['wxmsg-text', 'wxmsg-image', 'wxmsg-link', 'wxmsg-miniprogrampage']);
  });

  test('a missing comma: a plain-word error with a quick fix that makes it valid', T, async () => {
    const uri = p.uri('comma.wxmsg.json');
    const text = '{\n  "touser": "OPENID"\n  "msgtype": "text",\n  "text": { "content": "hi" }\n}\n';
    await c.open(uri, text);
    const ds = await c.diagnosticsNow(uri, (d) => d.length > 0);
    const d = ds.find((x) => x.code === 'wxmsg/syntax-error')!;
    assert.equal(d.message, 'Syntax error: a comma is missing between two members.');
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } });
    assert.equal(actions[0].title, 'Insert the missing comma');
    const fixed = applyEdits(text, actions[0].edit!.changes![uri]);
    await c.change(uri, fixed);
    assert.deepEqual(await c.diagnosticsNow(uri), []);
  });

  test('Go to Definition from a page path: its app.json entry and the page .ts file', T, async () => {
    const page = join(dirname(p.appJson), 'pages', 'order', 'detail.ts');
    mkdirSync(dirname(page), { recursive: true });
    writeFileSync(page, 'Page({})\n');
    writeFileSync(p.appJson, `{\n  "pages": [\n${PAGES.map((x) => `    "${x}"`).join(',\n')}\n  ]\n}\n`);
    const uri = p.uri('def.wxmsg.json');
    const text = CARD.replace('pages/index/index', 'pages/order/detail?id=1');
    await c.open(uri, text);
    const at = rangeOfText(text, 'order');
    const locs = await c.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: at.start });
    assert.deepEqual(locs.map((l) => l.uri), [pathToFileURL(p.appJson).href, pathToFileURL(page).href]);
    assert.deepEqual(locs[0].range, { start: { line: 3, character: 4 }, end: { line: 3, character: 24 } });
    // index has no source file: only app.json.
    const other = CARD;
    const uri2 = p.uri('def2.wxmsg.json');
    await c.open(uri2, other);
    const locs2 = await c.request<Location[]>('textDocument/definition', { textDocument: { uri: uri2 }, position: rangeOfText(other, 'index/index').start });
    assert.deepEqual(locs2.map((l) => l.uri), [pathToFileURL(p.appJson).href]);
    // Not on a page path, or a page app.json lacks: nothing.
    assert.deepEqual(await c.request('textDocument/definition', { textDocument: { uri }, position: rangeOfText(text, 'Coupon').start }), []);
    const missing = CARD.replace('pages/index/index', 'pages/gone/gone');
    const uri3 = p.uri('def3.wxmsg.json');
    await c.open(uri3, missing);
    assert.deepEqual(await c.request('textDocument/definition', { textDocument: { uri: uri3 }, position: rangeOfText(missing, 'gone').start }), []);
  });

  test('document links from text-link paths to the app.json line', T, async () => {
    writeFileSync(p.appJson, `{\n  "pages": [\n${PAGES.map((x) => `    "${x}"`).join(',\n')}\n  ]\n}\n`);
    const uri = p.uri('links.wxmsg.json');
    const text = `{ "msgtype": "text", "text": { "content": "<a href=\\"https://a.example/\\" data-miniprogram-appid=\\"${APPID}\\" data-miniprogram-path=\\"pages/me/me\\">me</a>" } }`;
    await c.open(uri, text);
    const links = await c.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } });
    assert.equal(links.length, 1);
    assert.deepEqual(links[0].range, rangeOfText(text, 'pages/me/me'));
    assert.equal(links[0].target, `${pathToFileURL(p.appJson).href}#L5,5`);
  });
});

describe('language server: the media ledger and placeholders (issue 19)', () => {
  let c: LspClient;
  const p = serveTempProject({ appid: APPID, pages: PAGES }, (client) => { c = client; });
  const DAY = 24 * 3600 * 1000;
  const image = (id: string) => `{\n  "touser": "OPENID",\n  "msgtype": "image",\n  "image": { "media_id": "${id}" }\n}\n`;
  const cover = () => join(p.dir, 'images', 'cover.png');
  const setup = () => {
    mkdirSync(join(p.dir, 'images'), { recursive: true });
    writeFileSync(cover(), 'png');
    mkdirSync(join(p.dir, '.wxmsg'), { recursive: true });
    const rec = (media_id: string, appid: string, age: number) => ({ appid, media_id, type: 'image', source: 'images/cover.png', sha256: 'x', uploadedAt: new Date(Date.now() - age).toISOString() });
    writeFileSync(join(p.dir, '.wxmsg', 'media.json'), JSON.stringify({ version: 1, media: [rec('old_id', APPID, 4 * DAY), rec('foreign_id', 'wx9999999999999999', DAY), rec('fresh_id', APPID, DAY)] }));
  };

  test('placeholder → hint with Upload image…; expired → warning, other appid → error, both with Upload again; unknown → info', T, async () => {
    setup();
    const expect: [string, string | undefined, number | undefined][] = [
      ['MEDIA_ID', 'wxmsg/media-placeholder', 4], ['old_id', 'wxmsg/media-expired', 2], ['foreign_id', 'wxmsg/media-other-appid', 1],
      ['never_seen', 'wxmsg/media-unknown', 3], ['fresh_id', undefined, undefined],
    ];
    for (const [id, code, severity] of expect) {
      const uri = p.uri(`m-${id}.wxmsg.json`);
      await c.open(uri, image(id));
      const ds = await c.diagnosticsNow(uri);
      assert.deepEqual(ds.map((d) => [d.code, d.severity]), code ? [[code, severity]] : [], id);
      if (!code) continue;
      const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: ds[0].range, context: { diagnostics: ds, only: ['quickfix'] } });
      const titles = actions.map((a) => a.title);
      if (code === 'wxmsg/media-expired' || code === 'wxmsg/media-other-appid') {
        assert.deepEqual(titles, ['Upload again (images/cover.png)', 'Upload image…'], id);
        assert.deepEqual(actions[0].command, { title: titles[0], command: 'wxmsg.uploadImage', arguments: [{ uri, file: cover() }] });
      } else {
        assert.deepEqual(titles, ['Upload image…'], id);
        assert.deepEqual(actions[0].command?.arguments, [{ uri }]);
      }
    }
  });

  test('Go to Definition from a media_id: the image the ledger recorded', T, async () => {
    setup();
    const uri = p.uri('def-media.wxmsg.json');
    const text = image('fresh_id');
    await c.open(uri, text);
    const locs = await c.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: rangeOfText(text, 'fresh').start });
    assert.deepEqual(locs.map((l) => l.uri), [pathToFileURL(cover()).href]);
    const unknown = p.uri('def-unknown.wxmsg.json');
    await c.open(unknown, image('never_seen'));
    assert.deepEqual(await c.request('textDocument/definition', { textDocument: { uri: unknown }, position: rangeOfText(image('never_seen'), 'never').start }), []);
  });

  test('a nameless untitled template uses the workspace folder project (appid, ledger)', T, async () => {
    setup();
    const uri = 'untitled:Untitled-7';
    const text = `{ "msgtype": "text", "text": { "content": "<a href=\\"https://a.example/\\" data-miniprogram-appid=\\"wx2222222222222222\\" data-miniprogram-path=\\"pages/me/me\\">x</a>" } }`;
    await c.open(uri, text);
    const ds = await c.diagnosticsNow(uri);
    assert.deepEqual(ds.map((d) => d.code), ['wxmsg/foreign-appid']);
    assert.match(ds[0].message, new RegExp(APPID));
    const media = 'untitled:Untitled-8';
    await c.open(media, image('old_id'));
    assert.deepEqual((await c.diagnosticsNow(media)).map((d) => d.code), ['wxmsg/media-expired']);
  });
});
