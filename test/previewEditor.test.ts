// The editor side of the preview: the wxmsg/previewModel request of the built language server,
// the checks on what the webview sends, the remote-images setting, and the manifest entries.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseFromWebview } from '../client/src/preview/webviewMessages.ts';
import { resolveLoadRemoteImages } from '../client/src/preview/remoteImages.ts';
import { PREVIEW_MODEL_REQUEST, type PreviewModelResult } from '../server/src/lsp/protocol.ts';
import type { PreviewLink } from '../server/src/core/services/preview/model.ts';
import { renderPreviewBody } from '../server/src/core/services/preview/render.ts';
import { LspClient, rangeOfText, serveTempProject } from './lspClient.ts';

const T = { timeout: 30_000 };
const APPID = 'wx1111111111111111';
const FOREIGN = 'wx2222222222222222';

function textTemplate(appid: string): string {
  const content = `您好\\n<a href=\\"https://example.com/o\\" data-miniprogram-appid=\\"${appid}\\" data-miniprogram-path=\\"pages/order/detail?id=1\\">查看</a>`;
  return `{\n  "touser": "OPENID",\n  "msgtype": "text",\n  "text": {\n    "content": "${content}"\n  }\n}\n`;
}

describe('language server: wxmsg/previewModel', () => {
  let c: LspClient;
  const p = serveTempProject({ appid: APPID }, (client) => { c = client; });
  const ask = (uri: string) => c.request<PreviewModelResult>(PREVIEW_MODEL_REQUEST, { textDocument: { uri } });

  test('the model of the open version: links with targets, problems from the project context, the version it was built from', T, async () => {
    const uri = p.uri('a.wxmsg.json');
    const text = textTemplate(FOREIGN);
    await c.open(uri, text);
    const r = await ask(uri);
    assert.ok(r);
    assert.equal(r.uri, uri);
    assert.equal(r.version, 1);
    assert.equal(r.model.msgtype, 'text');
    const link = r.model.text!.segments.find((s): s is PreviewLink => s.kind === 'link')!;
    assert.equal(link.label, '查看');
    assert.equal(link.path, 'pages/order/detail?id=1');
    assert.deepEqual(link.range.start, rangeOfText(text, '<a href').start);
    // The appid of the project (project.config.json) is what makes this link's appid foreign.
    assert.deepEqual(link.problems.map((x) => x.code), ['wxmsg/foreign-appid']);
    assert.equal(r.model.appid, APPID);

    // An edit: the next answer is the new version, fixed.
    const version = await c.change(uri, textTemplate(APPID));
    const r2 = await ask(uri);
    assert.equal(r2!.version, version);
    assert.equal(r2!.model.errorCount, 0);
    assert.deepEqual(r2!.model.text!.segments.filter((s) => s.kind === 'link').flatMap((s) => (s as PreviewLink).problems), []);
  });

  test('the same diagnostics as the Problems view', T, async () => {
    const uri = p.uri('b.wxmsg.json');
    const text = '{"msgtype":"link","link":{"title":"T","description":"D","url":"ftp://x","thumb_url":"https://cdn.example.com/t.png"}}';
    await c.open(uri, text);
    const published = await c.nextDiagnostics(uri, (d) => d.length > 0);
    const r = await ask(uri);
    assert.deepEqual(r!.model.diagnostics.map((d) => [d.code, d.range]), published.map((d) => [d.code, d.range]));
    assert.equal(r!.model.link!.title!.value, 'T');
    assert.match(renderPreviewBody(r!.model, { locale: 'en' }), /Image from cdn\.example\.com/);
  });

  test('not open, or not a template: null; malformed params: InvalidParams, the server stays healthy', T, async () => {
    assert.equal(await ask(p.uri('never-opened.wxmsg.json')), null);
    const other = p.uri('notes.txt');
    await c.open(other, 'hello', 'plaintext');
    assert.equal(await ask(other), null);
    await assert.rejects(c.request(PREVIEW_MODEL_REQUEST, {}), /textDocument is missing or malformed/);
    await assert.rejects(c.request(PREVIEW_MODEL_REQUEST, { textDocument: { uri: 42 } }), /malformed/);
    const status = await c.request<{ health: string }>('wxmsg/status', {});
    assert.equal(status.health, 'ok');
  });

  test('a binary or half-typed document: a model with its diagnostics, never an error', T, async () => {
    const uri = p.uri('c.wxmsg.json');
    await c.open(uri, '{"msgtype":"text","text":{"content":"typing');
    const r = await ask(uri);
    assert.ok(r!.model.errorCount > 0);
    assert.equal(r!.model.msgtype, 'text');
    await c.change(uri, '\u0000\u0001\u0002');
    const r2 = await ask(uri);
    assert.deepEqual(r2!.model.diagnostics.map((d) => d.code), ['wxmsg/binary-file']);
  });
});

describe('preview webview messages', () => {
  test('reveal with a well-formed range; anything else is dropped', () => {
    const range = { start: { line: 3, character: 4 }, end: { line: 3, character: 9 } };
    assert.deepEqual(parseFromWebview({ type: 'reveal', range }), { type: 'reveal', range });
    assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
    // A reversed range is put in order (never a backwards selection).
    assert.deepEqual(parseFromWebview({ type: 'reveal', range: { start: range.end, end: range.start } }), { type: 'reveal', range });
    for (const bad of [
      null, 'reveal', 42, {}, { type: 'reveal' }, { type: 'reveal', range: { start: { line: -1, character: 0 }, end: range.end } },
      { type: 'reveal', range: { start: { line: 1.5, character: 0 }, end: range.end } },
      { type: 'reveal', range: { start: { line: '1', character: 0 }, end: range.end } },
      { type: 'reveal', range: { start: range.start } }, { type: 'open', url: 'https://evil.example' },
      { type: 'reveal', range: { start: { line: 1e12, character: 0 }, end: range.end } },
    ]) assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad));
  });
});

describe('wxmsg.preview.loadRemoteImages', () => {
  test('only the user value true turns it on; workspace and folder values are ignored', () => {
    assert.equal(resolveLoadRemoteImages(undefined), false);
    assert.equal(resolveLoadRemoteImages({}), false);
    assert.equal(resolveLoadRemoteImages({ globalValue: true }), true);
    assert.equal(resolveLoadRemoteImages({ globalValue: 'true' }), false);
    assert.equal(resolveLoadRemoteImages({ globalValue: 1 }), false);
    assert.equal(resolveLoadRemoteImages({ workspaceValue: true }), false);
    assert.equal(resolveLoadRemoteImages({ workspaceFolderValue: true }), false);
    assert.equal(resolveLoadRemoteImages({ globalValue: false, workspaceValue: true }), false);
  });

  test('manifest: machine-scoped, off by default, restricted in untrusted workspaces; the command, its button and the serializer activation', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8'));
    const s = pkg.contributes.configuration.properties['wxmsg.preview.loadRemoteImages'];
    assert.equal(s.scope, 'machine');
    assert.equal(s.default, false);
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('wxmsg.preview.loadRemoteImages'));
    const nls = (lang: string) => JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', `package.nls${lang}.json`), 'utf8')) as Record<string, string>;
    const cmd = pkg.contributes.commands.find((x: { command: string }) => x.command === 'wxmsg.openPreview');
    const title = (t: Record<string, string>) => `${t[cmd.category.slice(1, -1)]}: ${t[cmd.title.slice(1, -1)]}`;
    assert.equal(title(nls('')), 'WeChat (wxmsg): Open Preview to the Side');
    assert.equal(title(nls('.zh-cn')), '微信: 在侧边打开预览');
    assert.match(nls('')[s.markdownDescription.slice(1, -1)], /no network request/);
    const button = pkg.contributes.menus['editor/title'].find((x: { command: string }) => x.command === 'wxmsg.openPreview');
    assert.equal(button.group, 'navigation');
    assert.match(button.when, /resourceFilename =~ \/\\\.wxmsg\\\.json\$\//);
    assert.ok(pkg.activationEvents.includes('onWebviewPanel:wxmsg.preview'));
    // The webview script ships in the .vsix (test/package.test.ts checks `vsce ls` as a whole).
    assert.match(fs.readFileSync(path.resolve(__dirname, '..', '.vscodeignore'), 'utf8'), /^!dist\/preview\.js$/m);
  });
});

describe('README: the preview', () => {
  test('documents the command, the setting, the network note, the CI snippet, and shows the screenshots it names', () => {
    const root = path.resolve(__dirname, '..');
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    assert.match(readme, /\*\*WeChat \(wxmsg\): Open Preview to the Side\*\*/);
    assert.match(readme, /\| `wxmsg\.preview\.loadRemoteImages` \| `false` \|/);
    assert.match(readme, /\*\*Previews make no network request\.\*\*/);
    assert.match(readme, /- run: npx wxmsg preview --out wxmsg-preview\n- uses: actions\/upload-artifact@v4\n {2}if: always\(\)/);
    const shots = [...readme.matchAll(/!\[[^\]]*\]\((docs\/preview-[^)]+\.png)\)/g)].map((m) => m[1]!);
    assert.ok(shots.includes('docs/preview-light.png') && shots.includes('docs/preview-dark.png'), JSON.stringify(shots));
    for (const s of shots) assert.ok(fs.statSync(path.join(root, s)).size > 10_000, s);
  });
});
