// The preview: the model the core builds (server/src/core/services/preview/model.ts), the one renderer
// (render.ts) and `wxmsg preview` (cli/preview.ts).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../server/src/cli/main.ts';
import { pagePathFor } from '../server/src/cli/commands/preview.ts';
import { htmlDocument } from '../server/src/core/html.ts';
import { buildPreviewModel, type PreviewLink } from '../server/src/core/services/preview/model.ts';
import { PREVIEW_CSS, contentSecurityPolicy, renderIndexPage, renderPreviewBody, renderPreviewPage } from '../server/src/core/services/preview/render.ts';
import { PREVIEW_STRINGS } from '../server/src/core/services/preview/strings.ts';
import { Severity } from '../server/src/core/types.ts';
import { APPID, CTX, rangeIn } from './helpers.ts';

const FOREIGN = 'wx0000000000000bad';
const EXAMPLES = path.resolve(__dirname, '..', 'examples');

function textTemplate(content: string): string {
  return `{\n  "touser": "OPENID",\n  "msgtype": "text",\n  "text": {\n    "content": ${JSON.stringify(content)}\n  }\n}\n`;
}

const TWO_LINKS = textTemplate(`您好 🎉\n第二行 <a href="https://example.com/orders" data-miniprogram-appid="${APPID}" data-miniprogram-path="pages/order/detail?id=42">查看订单</a> 和 <a href="https://example.com/x" data-miniprogram-appid="${FOREIGN}" data-miniprogram-path="pages/index/index">别人的</a>。`);

const links = (m: ReturnType<typeof buildPreviewModel>): PreviewLink[] => (m.text?.segments ?? []).filter((s): s is PreviewLink => s.kind === 'link');

describe('preview model', () => {
  test('text: decoded content split into text and links, with targets, source ranges and their own problems', () => {
    const m = buildPreviewModel(TWO_LINKS, CTX);
    assert.equal(m.msgtype, 'text');
    const segs = m.text!.segments;
    assert.deepEqual(segs.map((s) => s.kind), ['text', 'link', 'text', 'link', 'text']);
    assert.equal(segs[0].kind === 'text' && segs[0].text, '您好 🎉\n第二行 ', 'the \\n escape is a line break in the text');
    const [a, b] = links(m);
    assert.equal(a.label, '查看订单');
    assert.equal(a.href, 'https://example.com/orders');
    assert.equal(a.appid, APPID);
    assert.equal(a.path, 'pages/order/detail?id=42');
    // In the source the quotes are escaped (\"): the range still runs from <a to after </a>.
    const src = TWO_LINKS;
    const start = rangeIn(src, '<a href=\\"https://example.com/orders').start;
    const end = rangeIn(src, '查看订单</a>').end;
    assert.deepEqual(a.range, { start, end });
    // The foreign appid is a problem of the second link only (the first, with the own appid, has none).
    assert.deepEqual(a.problems, []);
    assert.deepEqual(b.problems.map((p) => p.code), ['wxmsg/foreign-appid']);
    assert.equal(b.problems[0].severity, Severity.Error);
    assert.equal(m.errorCount, 1);
    assert.ok(m.diagnostics.some((d) => d.code === 'wxmsg/foreign-appid'));
  });

  test('an unclosed link keeps its tag as written; text after it stays text', () => {
    const m = buildPreviewModel(textTemplate('a <a href="https://example.com">b'), CTX);
    const [l] = links(m);
    assert.equal(l.closed, false);
    assert.equal(l.source, '<a href="https://example.com">');
    assert.deepEqual(l.problems.map((p) => p.code), ['wxmsg/unclosed-link']);
    assert.deepEqual(m.text!.segments.map((s) => (s.kind === 'text' ? s.text : '[link]')), ['a ', '[link]', 'b']);
  });

  test('card fields with their ranges; a field that is not a string has no value', () => {
    const src = '{"msgtype":"link","link":{"title":"T","description":7,"url":"https://example.com/a","thumb_url":"https://cdn.example.com/t.png"}}';
    const m = buildPreviewModel(src, CTX);
    assert.equal(m.link!.title!.value, 'T');
    assert.deepEqual(m.link!.title!.range, rangeIn(src, '"T"'));
    assert.equal(m.link!.description!.value, undefined);
    assert.deepEqual(m.link!.description!.problems.map((p) => p.code), ['wxmsg/wrong-type']);
    assert.equal(m.link!.thumbUrl!.value, 'https://cdn.example.com/t.png');
  });

  test('an invalid msgtype still shows the one body written; a wrong-type msgtype is named', () => {
    const m = buildPreviewModel('{"msgtype":"texts","text":{"content":"hi"}}', CTX);
    assert.equal(m.msgtype, 'text');
    assert.equal(m.declaredMsgtype, 'texts');
    assert.equal(m.text!.segments[0].kind === 'text' && m.text!.segments[0].text, 'hi');
    const n = buildPreviewModel('{"msgtype":3,"image":{"media_id":"M"}}', CTX);
    assert.equal(n.declaredMsgtype, '3');
    assert.equal(n.image!.mediaId!.value, 'M');
    // Two bodies and no usable msgtype: nothing is guessed.
    assert.equal(buildPreviewModel('{"msgtype":"x","text":{"content":"a"},"image":{"media_id":"M"}}').msgtype, undefined);
  });

  test('not JSON, binary, not an object: a model with the diagnostics and nothing to show, never a throw', () => {
    for (const text of ['', 'hello', '{"msgtype": "text", "text": {"content": "a"', '\u0000\u0001PNG', '[1,2]', '{'.repeat(5000)]) {
      const m = buildPreviewModel(text, CTX);
      assert.ok(m.errorCount > 0, JSON.stringify(text.slice(0, 20)));
      assert.ok(m.diagnostics.length > 0);
    }
    assert.equal(buildPreviewModel('\u0000{"msgtype":"text","text":{"content":"a"}}').msgtype, undefined);
    // A syntax error later in the file does not hide the body before it.
    const m = buildPreviewModel('{"msgtype":"text","text":{"content":"still here"}, }}', CTX);
    assert.equal(m.text!.content!.value, 'still here');
    assert.ok(m.errorCount > 0);
  });
});

describe('preview renderer', () => {
  const en = { locale: 'en' as const };

  test('text: line breaks kept, every piece escaped, links as WeChat link text with where they go', () => {
    const html = renderPreviewBody(buildPreviewModel(TWO_LINKS, CTX), en);
    assert.match(html, /<div class="wx-bubble wx-text"[^>]*>您好 🎉\n第二行 <span class="wx-link"/);
    assert.match(html, /WeChat 6\.5\.16 and later open the mini program page pages\/order\/detail\?id=42 \(appid wx1234567890abcdef\)\./);
    assert.match(html, /Clients older than 6\.5\.16 open https:\/\/example\.com\/orders\./);
    // The link with the problem is marked and named; the clean one is not marked.
    assert.match(html, /<span class="wx-link wx-problem wx-problem-error"[^>]*>别人的<\/span><sup class="wx-mark"/);
    assert.match(html, /<span class="wx-link" [^>]*>查看订单<\/span><span class="wx-tip"/);
    assert.match(html, /wx-notes[\s\S]*Link 2 “别人的”: <span class="wx-code">wxmsg\/foreign-appid<\/span>/);
    // The bubble is not marked for its links' problems.
    assert.doesNotMatch(html, /wx-bubble wx-text wx-problem/);
  });

  test('a link without href says older clients show nothing; an href-only link opens the web page', () => {
    const html = renderPreviewBody(buildPreviewModel(textTemplate(`<a data-miniprogram-appid="${APPID}" data-miniprogram-path="pages/index/index">a</a> <a href="https://example.com/p">b</a>`), CTX), en);
    assert.match(html, /Clients older than 6\.5\.16 show nothing clickable \(no href\)\./);
    assert.match(html, /Opens the web page https:\/\/example\.com\/p \(every client\)\./);
    assert.match(html, /wxmsg\/link-missing-href/);
  });

  test('markup in the template is text, never markup', () => {
    const m = buildPreviewModel(textTemplate('<b>bold</b> & <script>alert(1)</script> <a href="https://e.com/?a=1&b=&quot;2" onclick="x()">"q"</a>'), CTX);
    const html = renderPreviewBody(m, en);
    assert.ok(html.includes('&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;'), html);
    assert.ok(!/<script|<b>|onclick=/.test(html), html);
    assert.ok(html.includes('&quot;q&quot;'));
    const card = renderPreviewBody(buildPreviewModel('{"msgtype":"link","link":{"title":"<img src=x onerror=alert(1)>","description":"d","url":"https://e.com","thumb_url":"https://e.com/\\" onerror=\\"x.png"}}', CTX), { locale: 'en', loadRemoteImages: true });
    assert.ok(!card.includes('<img src=x'), card);
    assert.ok(card.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.match(card, /<img class="wx-thumb" src="https:\/\/e\.com\/&quot; onerror=&quot;x\.png"/);
  });

  test('link card: title, description, and a remote thumbnail as a placeholder naming its host unless remote images are on', () => {
    const src = '{"msgtype":"link","link":{"title":"Happy Day","description":"Is Really A Happy Day","url":"https://example.com/happy","thumb_url":"https://cdn.example.com/t.png"}}';
    const m = buildPreviewModel(src, CTX);
    const off = renderPreviewBody(m, en);
    assert.match(off, /<div class="wx-card-title"[^>]*>Happy Day<\/div>/);
    assert.match(off, /<div class="wx-card-desc"[^>]*>Is Really A Happy Day<\/div>/);
    assert.match(off, /Image from cdn\.example\.com/);
    assert.match(off, /Tapping the card opens https:\/\/example\.com\/happy\./);
    assert.ok(!off.includes('<img'), off);
    const on = renderPreviewBody(m, { locale: 'en', loadRemoteImages: true });
    assert.match(on, /<img class="wx-thumb" src="https:\/\/cdn\.example\.com\/t\.png"/);
    // Not an http(s) URL: never an <img>, even with the setting on.
    const bad = renderPreviewBody(buildPreviewModel(src.replace('https://cdn.example.com/t.png', 'file:///etc/passwd'), CTX), { locale: 'en', loadRemoteImages: true });
    assert.ok(!bad.includes('<img'), bad);
    assert.match(bad, /no thumbnail/);
  });

  test('mini program card: appid, title, a labelled cover placeholder naming thumb_media_id, the page it opens', () => {
    const html = renderPreviewBody(buildPreviewModel('{"msgtype":"miniprogrampage","miniprogrampage":{"title":"领取优惠券","pagepath":"packageA/pages/coupon/coupon?from=kf","thumb_media_id":"THUMB_1"}}', CTX), en);
    assert.match(html, /<div class="wx-card-title"[^>]*>领取优惠券<\/div>/);
    assert.match(html, /Cover 520×416/);
    assert.match(html, /thumb_media_id THUMB_1/);
    assert.match(html, /Tapping the card opens the mini program page packageA\/pages\/coupon\/coupon\?from=kf\./);
    assert.match(html, /wx1234567890abcdef/);
  });

  test('image: a placeholder naming the media_id', () => {
    const html = renderPreviewBody(buildPreviewModel('{"msgtype":"image","image":{"media_id":"MEDIA_42"}}', CTX), en);
    assert.match(html, /<div class="wx-image wx-placeholder"[^>]*><span class="wx-cover-label">Image<\/span><span class="wx-cover-id">media_id MEDIA_42<\/span>/);
  });

  test('an invalid template: a banner listing every error with its position, and what can still be shown', () => {
    const src = '{"msgtype":"text","text":{"content":"still here"}, "x": }';
    const html = renderPreviewBody(buildPreviewModel(src, CTX), en);
    assert.match(html, /<section class="wx-banner wx-banner-error" role="alert"/);
    assert.match(html, /wxmsg\/syntax-error<\/span> Syntax error: a value is expected here [^<]*<span class="wx-at">line 1, column \d+<\/span>/);
    assert.match(html, /still here/);
    const nothing = renderPreviewBody(buildPreviewModel('not json', CTX), en);
    assert.match(nothing, /wx-banner-error/);
    assert.match(nothing, /Nothing to show/);
    // A clean template has no banner.
    assert.doesNotMatch(renderPreviewBody(buildPreviewModel(textTemplate('hi'), CTX), en), /wx-banner/);
  });

  test('zh-CN and en: every string in both, and the page speaks the locale', () => {
    assert.deepEqual(Object.keys(PREVIEW_STRINGS['zh-cn']).sort(), Object.keys(PREVIEW_STRINGS.en).sort());
    assert.deepEqual(Object.keys(PREVIEW_STRINGS['zh-cn'].messageTypes).sort(), Object.keys(PREVIEW_STRINGS.en.messageTypes).sort());
    const html = renderPreviewBody(buildPreviewModel(TWO_LINKS, CTX, { locale: 'zh-cn' }), { locale: 'zh-cn' });
    assert.match(html, /微信 6\.5\.16 及以上版本打开小程序页面 pages\/order\/detail\?id=42/);
    assert.match(html, /低于 6\.5\.16 的客户端打开 https:\/\/example\.com\/orders。/);
    assert.match(html, /文本消息/);
    assert.match(html, /不是本小程序的 appid/, 'the diagnostics come in the same locale');
    assert.doesNotMatch(html, /Clients older|Text message/);
  });

  test('pages: a static page has a CSP with the hash of its only style and no script; the webview page a nonce on each script', () => {
    const m = buildPreviewModel(TWO_LINKS, CTX);
    const hash = createHash('sha256').update(PREVIEW_CSS).digest('base64');
    const page = renderPreviewPage(m, { locale: 'en', security: { kind: 'static', styleHash: hash } });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)![1];
    assert.equal(csp, `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; base-uri 'none'; form-action 'none'`);
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1];
    assert.equal(createHash('sha256').update(style).digest('base64'), hash, 'the CSP hash allows exactly the style in the page');
    assert.doesNotMatch(page, /<script/);
    const web = renderPreviewPage(m, { locale: 'en', security: { kind: 'webview', nonce: 'N0nce', cspSource: 'https://x.vscode-cdn.net', scriptUri: 'https://x.vscode-cdn.net/dist/preview.js' }, documentUri: 'file:///a.wxmsg.json' });
    assert.match(web, /<script nonce="N0nce" src="https:\/\/x\.vscode-cdn\.net\/dist\/preview\.js"><\/script>/);
    assert.match(web, /<style nonce="N0nce">/);
    assert.match(web, /script-src 'nonce-N0nce';/);
    assert.match(web, /img-src https:\/\/x\.vscode-cdn\.net;/, 'no remote images by default');
    assert.match(contentSecurityPolicy({ kind: 'webview', nonce: 'n', cspSource: 'S', scriptUri: '' }, true), /img-src S https: http:;/);
    assert.match(web, /<body data-uri="file:\/\/\/a\.wxmsg\.json">/);
  });
});

async function cli(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli({ argv, cwd, env: { LANG: 'en_US.UTF-8' }, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

/** `src`/`href` attribute values of a page. */
function urlAttributes(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href|srcset|action|poster|data)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi)].map((m) => m[1].replace(/^["']|["']$/g, ''));
}

describe('wxmsg preview', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-preview-'));
    fs.cpSync(EXAMPLES, dir, { recursive: true });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('one page per template at <out>/<path without .wxmsg.json>.html, and an index linking them: exit 0', async () => {
    const r = await cli(['preview', '--out', 'site', 'templates'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const t of ['card', 'image', 'link', 'welcome']) assert.ok(fs.existsSync(path.join(dir, 'site', 'templates', `${t}.html`)), t);
    const index = fs.readFileSync(path.join(dir, 'site', 'index.html'), 'utf8');
    assert.deepEqual(urlAttributes(index), ['templates/card.html', 'templates/image.html', 'templates/link.html', 'templates/welcome.html']);
    assert.match(r.stdout, /templates\/welcome\.wxmsg\.json → site\/templates\/welcome\.html/);
    assert.match(r.stdout, /✔ 4 previews written; open site\/index\.html/);
    // Text, link targets and card titles are real text in the page.
    const welcome = fs.readFileSync(path.join(dir, 'site', 'templates', 'welcome.html'), 'utf8');
    assert.ok(welcome.includes('您好，订单已发货。'));
    assert.ok(welcome.includes('>查看订单</span>'));
    assert.ok(welcome.includes('pages/order/detail?id=42'));
    assert.ok(welcome.includes('https://example.com/orders'));
    assert.ok(fs.readFileSync(path.join(dir, 'site', 'templates', 'card.html'), 'utf8').includes('>领取优惠券</div>'));
    assert.ok(fs.readFileSync(path.join(dir, 'site', 'templates', 'link.html'), 'utf8').includes('>Happy Day</div>'));
  });

  test('the pages load nothing remote: no http(s) URL in any src/href, a CSP in each', async () => {
    const r = await cli(['preview', '-o', 'site2'], dir);
    assert.equal(r.code, 0, r.stderr);
    const pages = fs.readdirSync(path.join(dir, 'site2'), { recursive: true }).map(String).filter((f) => f.endsWith('.html'));
    assert.equal(pages.length, 5);
    let sawUrlText = false;
    for (const p of pages) {
      const html = fs.readFileSync(path.join(dir, 'site2', p), 'utf8');
      for (const u of urlAttributes(html)) assert.doesNotMatch(u, /^\s*(https?:)?\/\//i, `${p} loads ${u}`);
      assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
      assert.doesNotMatch(html, /<script|<img|<link|<iframe|url\(/i);
      if (html.includes('https://example.com/')) sawUrlText = true;
    }
    assert.ok(sawUrlText, 'the URLs are there, as text');
  });

  test('an invalid, a non-JSON and a binary template still get a page with the banner: exit 1', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-preview-bad-'));
    try {
      fs.mkdirSync(path.join(d, 'a', 'b'), { recursive: true });
      fs.writeFileSync(path.join(d, 'a', 'b', 'half.wxmsg.json'), '{"msgtype":"text","text":{"content":"half written"');
      fs.writeFileSync(path.join(d, 'prose.wxmsg.json'), 'Dear user, hello');
      fs.writeFileSync(path.join(d, 'bin.wxmsg.json'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0xfe]));
      fs.writeFileSync(path.join(d, 'ok.wxmsg.json'), textTemplate('fine'));
      const r = await cli(['preview', '--out', 'out', '*.wxmsg.json', 'a/**/*.wxmsg.json'], d);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /3 templates have errors/);
      const half = fs.readFileSync(path.join(d, 'out', 'a', 'b', 'half.html'), 'utf8');
      assert.match(half, /wx-banner-error/);
      assert.match(half, /half written/);
      for (const f of ['prose', 'bin']) assert.match(fs.readFileSync(path.join(d, 'out', `${f}.html`), 'utf8'), /class="wx-banner wx-banner-error"[\s\S]*wxmsg\//, f);
      assert.doesNotMatch(fs.readFileSync(path.join(d, 'out', 'ok.html'), 'utf8'), /class="wx-banner/);
      assert.match(fs.readFileSync(path.join(d, 'out', 'index.html'), 'utf8'), /href="a\/b\/half\.html"/);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  test('usage errors exit 2: no --out, nothing matched, a template outside the current folder', async () => {
    let r = await cli(['preview', 'templates'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs --out <dir>/);
    r = await cli(['preview', '--out', 'x', 'nope/*.wxmsg.json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no \*\.wxmsg\.json files match "nope\/\*\.wxmsg\.json"/);
    assert.equal(fs.existsSync(path.join(dir, 'x')), false, 'nothing written');
    r = await cli(['preview', '--out', 'y', path.join(EXAMPLES, 'templates', 'card.wxmsg.json')], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /outside the current folder/);
    r = await cli(['preview', '--out', 'z', '--bogus'], dir);
    assert.equal(r.code, 2);
  });

  test('page paths: relative to the current folder, without .wxmsg.json; index.wxmsg.json does not replace the index', () => {
    const cwd = path.resolve('/w');
    assert.equal(pagePathFor('templates/a.wxmsg.json', cwd), 'templates/a.html');
    assert.equal(pagePathFor('./x/y/z.wxmsg.json', cwd), 'x/y/z.html');
    assert.equal(pagePathFor(path.join(cwd, 'b.wxmsg.json'), cwd), 'b.html');
    assert.equal(pagePathFor('other.json', cwd), 'other.json.html');
    assert.equal(pagePathFor('index.wxmsg.json', cwd), 'index.wxmsg.html');
    assert.equal(pagePathFor('sub/index.wxmsg.json', cwd), 'sub/index.html');
    assert.throws(() => pagePathFor('../a.wxmsg.json', cwd), /outside the current folder/);
  });

  test('the index lists each template with its type and problems', () => {
    const ok = buildPreviewModel(textTemplate('hi'), CTX);
    const bad = buildPreviewModel('nope', CTX);
    const html = renderIndexPage([{ href: 'a.html', file: 'a.wxmsg.json', model: ok }, { href: 'b.html', file: 'b.wxmsg.json', model: bad }], { locale: 'en', styleHash: 'h' });
    assert.match(html, /<li class="wx-index-clean"><a href="a\.html">a\.wxmsg\.json<\/a> <span class="wx-type">Text message<\/span> <span class="wx-counts">no problems<\/span>/);
    assert.match(html, /<li class="wx-index-error"><a href="b\.html">b\.wxmsg\.json<\/a> <span class="wx-counts">\d+ errors?<\/span>/);
  });
});

describe('htmlDocument: the one page every preview is (webview, static files, the extension\'s notices)', () => {
  const parts = { locale: 'zh-cn' as const, htmlClass: 'wx-webview', csp: "default-src 'none'", title: 'a<b', style: 'p{}', main: '<p>x</p>' };
  test('a script only with a nonce and its URI; the style carries the nonce', () => {
    const none = htmlDocument(parts);
    assert.ok(!none.includes('<script'));
    assert.match(none, /<style>p\{\}<\/style>/);
    // Near miss: a nonce without a script URI is still no script.
    assert.ok(!htmlDocument({ ...parts, nonce: 'N1' }).includes('<script'));
    const page = htmlDocument({ ...parts, nonce: 'N1', scriptUri: 'https://file+.vscode-resource/x"y.js' });
    assert.match(page, /<script nonce="N1" src="https:\/\/file\+\.vscode-resource\/x&quot;y\.js"><\/script>/);
    assert.match(page, /<style nonce="N1">/);
  });
  test('language, escaped title and document URI, the policy readable, the footer', () => {
    const page = htmlDocument({ ...parts, documentUri: 'file:///a"b.wxmsg.json', footer: 'wxmsg <1>' });
    assert.match(page, /<html lang="zh-CN" class="wx-webview">/);
    assert.match(htmlDocument({ ...parts, locale: 'en' }), /<html lang="en"/);
    assert.match(page, /<title>a&lt;b<\/title>/);
    assert.match(page, /<body data-uri="file:\/\/\/a&quot;b\.wxmsg\.json">/);
    assert.match(page, /content="default-src 'none'"/);
    assert.match(page, /<footer class="wx-footer">wxmsg &lt;1&gt;<\/footer>/);
    assert.match(page, /<main id="wx-root"><p>x<\/p><\/main>/);
  });
});
