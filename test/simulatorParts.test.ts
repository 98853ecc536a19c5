// The simulator's parts on their own (issue 14): its own page and message checks (never the
// language service's rules), the capped body read and the multipart upload parsed by
// Response.formData(), the control routes as a table. All on 127.0.0.1.
import { test, before, after, beforeEach, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import * as esbuild from 'esbuild';
import { Simulator, SIM_DEFAULT_SECRET, SIM_LIMITS, SIM_MAX_IMAGE_BYTES, SIM_USERS } from '../server/src/simulator/simulator.ts';
import { appHasPage, checkMessage, imageTypeOf } from '../server/src/simulator/payload.ts';
import { formFile, readCapped } from '../server/src/simulator/multipart.ts';
import { CONTROL_ROUTES, findControlRoute } from '../server/src/simulator/control.ts';
import { APPID, PNG, control } from './sendHelpers.ts';

const ROOT = path.resolve(__dirname, '..');
const USER = SIM_USERS.ready[0];

let sim: Simulator;
before(async () => { sim = await Simulator.start(); });
after(async () => { await sim.close(); });
beforeEach(() => sim.reset());

/** One request with exactly these headers and body bytes (chunked when no content-length is given). */
function raw(method: string, route: string, headers: Record<string, string>, body?: Buffer | string, chunked = false): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: sim.port, method, path: route, headers: { host: `127.0.0.1:${sim.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body === undefined) { req.end(); return; }
    const bytes = Buffer.from(body);
    if (chunked) {
      // Two chunks without a content-length: the cap must hold on the streamed path too.
      req.write(bytes.subarray(0, bytes.length >> 1));
      req.end(bytes.subarray(bytes.length >> 1));
    } else {
      req.setHeader('content-length', String(bytes.length));
      req.end(bytes);
    }
  });
}

async function token(): Promise<string> {
  const r = await raw('POST', '/cgi-bin/stable_token', { 'content-type': 'application/json' }, JSON.stringify({ grant_type: 'client_credential', appid: APPID, secret: SIM_DEFAULT_SECRET }));
  return JSON.parse(r.text).access_token;
}

const BOUNDARY = 'wxmsgTestBoundary7f3a';
const HEAD = (field: string, filename: string | null) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"${filename === null ? '' : `; filename="${filename}"`}\r\nContent-Type: image/png\r\n\r\n`;
const TAIL = `\r\n--${BOUNDARY}--\r\n`;
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

/** A multipart body with one file: `file`, or a PNG padded so the whole body is `total` bytes. */
function multipart(opts: { file?: Buffer; total?: number; field?: string; filename?: string | null } = {}): Buffer {
  const head = Buffer.from(HEAD(opts.field ?? 'media', opts.filename === undefined ? 'a.png' : opts.filename));
  const tail = Buffer.from(TAIL);
  let file = opts.file ?? PNG;
  if (opts.total !== undefined) {
    file = Buffer.alloc(opts.total - head.length - tail.length);
    PNG.copy(file);
  }
  return Buffer.concat([head, file, tail]);
}

async function upload(body: Buffer | string, contentType = MULTIPART, chunked = false): Promise<{ status: number; json?: any; text: string }> {
  const t = await token();
  const r = await raw('POST', `/cgi-bin/media/upload?access_token=${t}&type=image`, { 'content-type': contentType }, body, chunked);
  let json: any;
  try { json = JSON.parse(r.text); } catch { json = undefined; }
  return { ...r, json };
}

describe("the simulator's own page check", () => {
  const pages = ['pages/index/index', 'pages/logs/logs', 'packageA/pages/cat/cat'];

  test('a page as app.json lists it, with a leading slash, a query or a fragment', () => {
    for (const p of ['pages/index/index', '/pages/index/index', 'pages/index/index?from=card', 'packageA/pages/cat/cat', '/packageA/pages/cat/cat#top', ' pages/logs/logs ']) {
      assert.equal(appHasPage(pages, p), true, p);
    }
  });

  test('near misses are not pages: a prefix, a subpackage root alone, a page under another subpackage, case, a trailing slash', () => {
    for (const p of [
      'pages/index', 'pages/index/inde', 'pages/index/indexx', 'pages/index/index/', 'pages/index/index.html',
      'packageA', 'packageA/', '/packageA', 'packageA/pages/cat', 'packageB/pages/cat/cat', 'pages/cat/cat',
      'Pages/Index/Index', 'PACKAGEA/pages/cat/cat', '', '/', '?x=1', '#top',
    ]) {
      assert.equal(appHasPage(pages, p), false, JSON.stringify(p));
    }
    assert.equal(appHasPage([], 'pages/index/index'), false, 'no pages: nothing is a page');
  });

  test('over HTTP: 40165 for each near miss, the real page passes (an app that does not check media)', async () => {
    await control(sim, 'POST', '/_sim/apps', { appid: 'wxpages0000000000', secret: 'pages-secret', pages });
    await control(sim, 'POST', '/_sim/users', { appid: 'wxpages0000000000', openid: USER });
    const t = JSON.parse((await raw('POST', '/cgi-bin/stable_token', { 'content-type': 'application/json' }, JSON.stringify({ grant_type: 'client_credential', appid: 'wxpages0000000000', secret: 'pages-secret' }))).text).access_token;
    const card = async (pagepath: string) => JSON.parse((await raw('POST', `/cgi-bin/message/custom/send?access_token=${t}`, {}, JSON.stringify({
      touser: USER, msgtype: 'miniprogrampage', miniprogrampage: { title: 't', pagepath, thumb_media_id: 'any' },
    }))).text).errcode;
    for (const near of ['pages/index', 'packageA', 'packageB/pages/cat/cat', 'Pages/Index/Index']) assert.equal(await card(near), 40165, near);
    assert.equal(await card('packageA/pages/cat/cat?x=1'), 0);
    assert.equal(sim.delivered.length, 1);
  });
});

describe("the simulator's own message check", () => {
  const ok = (payload: unknown) => checkMessage(JSON.stringify(payload));
  const code = (payload: unknown) => { const r = ok(payload); return 'errcode' in r ? r.errcode : 0; };

  test('each field at its edge: present but empty, missing, of another type', () => {
    assert.equal(code({ touser: USER, msgtype: 'text', text: { content: 'x' } }), 0);
    assert.equal(code({ touser: USER, msgtype: 'text', text: { content: '' } }), 44004);
    assert.equal(code({ touser: USER, msgtype: 'text', text: { content: 1 } }), 47001);
    assert.equal(code({ touser: USER, msgtype: 'text', text: {} }), 47001);
    assert.equal(code({ touser: USER, msgtype: 'text', text: [] }), 47001);
    assert.equal(code({ touser: '', msgtype: 'text', text: { content: 'x' } }), 47001);
    assert.equal(code({ msgtype: 'text', text: { content: 'x' } }), 47001);
    assert.equal(code({ touser: USER, msgtype: 'image', image: { media_id: '' } }), 41006);
    assert.equal(code({ touser: USER, msgtype: 'image', image: { media_id: 'm' } }), 0);
    assert.equal(code({ touser: USER, msgtype: 'link', link: { title: 't', description: 'd', url: 'https://a', thumb_url: 'https://a/t.png' } }), 0);
    assert.equal(code({ touser: USER, msgtype: 'link', link: { title: 't', description: 'd', url: 'https://a' } }), 47001, 'one field short');
    assert.equal(code({ touser: USER, msgtype: 'miniprogrampage', miniprogrampage: { title: 't', pagepath: 'p', thumb_media_id: 'm' } }), 0);
    assert.equal(code({ touser: USER, msgtype: 'miniprogrampage', miniprogrampage: { title: 't', pagepath: 'p' } }), 47001);
  });

  test('message types: Official Account only 45162, unknown 40008 (near misses of real names too)', () => {
    for (const t of ['news', 'mpnews', 'voice', 'video', 'music', 'msgmenu', 'wxcard']) assert.equal(code({ touser: USER, msgtype: t, [t]: {} }), 45162, t);
    for (const t of ['Text', 'texts', 'miniprogram', 'mini_program_page', '__proto__', 'constructor', '']) assert.equal(code({ touser: USER, msgtype: t, [t]: { content: 'x' } }), 40008, t);
  });

  test('bodies: empty 44002, not a JSON object 47001, form-encoded 40003', () => {
    assert.deepEqual(checkMessage(''), { errcode: 44002 });
    assert.deepEqual(checkMessage('  \n'), { errcode: 44002 });
    assert.deepEqual(checkMessage('[]'), { errcode: 47001 });
    assert.deepEqual(checkMessage('{"touser":'), { errcode: 47001 });
    assert.deepEqual(checkMessage('touser=o1&msgtype=text'), { errcode: 40003 });
    assert.deepEqual(checkMessage('touser=o1&{"msgtype":"text"}'), { errcode: 47001 }, 'one part without "=": not a form');
    assert.deepEqual(checkMessage('touser = o1'), { errcode: 47001 }, 'spaces around "=": not a form');
  });

  test('what it hands on: the card page and the media_ids to check against the app', () => {
    const r = ok({ touser: USER, msgtype: 'miniprogrampage', miniprogrampage: { title: 't', pagepath: 'pages/a/a', thumb_media_id: 'm1' } });
    assert.ok(!('errcode' in r));
    assert.equal(r.pagepath, 'pages/a/a');
    assert.deepEqual(r.mediaIds, ['m1']);
  });

  test('image types by content: each signature, and one byte short or off is not an image', () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
    const gif = Buffer.from('GIF89a....', 'latin1');
    assert.equal(imageTypeOf(PNG), 'image/png');
    assert.equal(imageTypeOf(jpeg), 'image/jpeg');
    assert.equal(imageTypeOf(gif), 'image/gif');
    assert.equal(imageTypeOf(Buffer.from('GIF87a', 'latin1')), 'image/gif');
    assert.equal(imageTypeOf(PNG.subarray(0, 7)), undefined, 'a PNG signature one byte short');
    assert.equal(imageTypeOf(jpeg.subarray(0, 2)), undefined);
    assert.equal(imageTypeOf(Buffer.from('GIF88a', 'latin1')), undefined);
    assert.equal(imageTypeOf(Buffer.from([0xff, 0xd8, 0xfe])), undefined);
    assert.equal(imageTypeOf(Buffer.alloc(0)), undefined);
  });
});

describe('the upload body: capped first, parsed by Response.formData(), a parse error is 41005', () => {
  test('an image of exactly 10 MB is taken; one byte more is 40009', async () => {
    const at = Buffer.alloc(SIM_MAX_IMAGE_BYTES);
    PNG.copy(at);
    const ok = await upload(multipart({ file: at }));
    assert.equal(ok.json.errcode, 0);
    assert.equal((await control(sim, 'GET', '/_sim/media')).json[0].size, SIM_MAX_IMAGE_BYTES);
    const over = Buffer.alloc(SIM_MAX_IMAGE_BYTES + 1);
    PNG.copy(over);
    assert.equal((await upload(multipart({ file: over }))).json.errcode, 40009);
  });

  test('a body of exactly SIM_LIMITS.uploadBody is read and parsed; one byte over is HTTP 413 (with a length and chunked)', async () => {
    for (const chunked of [false, true]) {
      const at = await upload(multipart({ total: SIM_LIMITS.uploadBody }), MULTIPART, chunked);
      assert.equal(at.status, 200, `chunked ${chunked}`);
      assert.equal(at.json.errcode, 40009, 'read and parsed: the file in it is over 10 MB');
      const over = await upload(multipart({ total: SIM_LIMITS.uploadBody + 1 }), MULTIPART, chunked);
      assert.equal(over.status, 413, `chunked ${chunked}`);
      assert.equal(over.json, undefined);
    }
    assert.equal((await control(sim, 'GET', '/_sim/media')).json.length, 0);
  });

  test('bodies the parser rejects or that carry no file in "media": 41005, nothing stored', async () => {
    const good = multipart();
    const cases: [string, Buffer | string, string][] = [
      ['no closing boundary', good.subarray(0, good.length - TAIL.length + 2), MULTIPART],
      ['cut in the headers', good.subarray(0, 30), MULTIPART],
      ['another boundary in the header', good, 'multipart/form-data; boundary=wxmsgTestBoundary7f3b'],
      ['no boundary', good, 'multipart/form-data'],
      ['not multipart', good, 'application/octet-stream'],
      ['form-urlencoded', 'media=iVBORw0KGgo', 'application/x-www-form-urlencoded'],
      ['JSON', JSON.stringify({ media: 'x' }), 'application/json'],
      ['a text field, no filename', multipart({ filename: null }), MULTIPART],
      ['the field named Media', multipart({ field: 'Media' }), MULTIPART],
      ['the field named media_', multipart({ field: 'media_' }), MULTIPART],
      ['an empty body', '', MULTIPART],
    ];
    for (const [what, body, type] of cases) {
      const r = await upload(body, type);
      assert.equal(r.status, 200, what);
      assert.equal(r.json.errcode, 41005, what);
      assert.match(r.json.errmsg, /^media data missing rid: /, what);
    }
    assert.equal((await upload(multipart({ file: Buffer.alloc(0) }))).json.errcode, 44001, 'a file of 0 bytes is there, but empty');
    assert.equal((await upload(multipart({ file: PNG }), `multipart/form-data; boundary="${BOUNDARY}"`)).json.errcode, 0, 'a quoted boundary is fine');
    assert.equal((await control(sim, 'GET', '/_sim/media')).json.length, 1);
  });

  test('readCapped: at the cap the bytes, one over nothing; a declared length over the cap is not buffered', async () => {
    const req = (chunks: Buffer[], headers: Record<string, string> = {}) => Object.assign(Readable.from(chunks), { headers }) as unknown as http.IncomingMessage;
    const ten = [Buffer.alloc(4, 1), Buffer.alloc(6, 2)];
    const at = await readCapped(req(ten), 10);
    assert.equal(at.over, false);
    assert.deepEqual(!at.over && [...at.bytes], [1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
    assert.deepEqual(await readCapped(req(ten), 9), { over: true });
    // The header says 11: over at once, even though only 10 bytes come.
    assert.deepEqual(await readCapped(req(ten, { 'content-length': '11' }), 10), { over: true });
    assert.equal((await readCapped(req(ten, { 'content-length': '10' }), 10)).over, false);
  });

  test('formFile: the file bytes exactly, CRLFs inside the file kept', async () => {
    const data = Buffer.concat([PNG, Buffer.from('\r\n--not-the-boundary\r\n\r\n')]);
    const r = await formFile(multipart({ file: data }), MULTIPART, 'media');
    assert.ok('file' in r);
    assert.deepEqual(r.file, data);
    assert.ok('missing' in (await formFile(multipart({ file: data }), MULTIPART, 'file')));
  });
});

describe('the control routes are a table', () => {
  test('every row answers through HTTP (never "no control route")', async () => {
    for (const route of CONTROL_ROUTES) {
      const p = typeof route.path === 'string' ? route.path : `/_sim/users/${USER}/message`;
      const body = p === '/_sim/faults' && route.method === 'POST' ? { type: 'delay', ms: 0 }
        : p === '/_sim/apps' ? { appid: 'wxrow000000000000', secret: 's' }
          : p === '/_sim/users' ? { openid: 'oRow' }
            : p === '/_sim/clock' ? { advanceMs: 0 }
              : {};
      const r = await control(sim, route.method, p, route.method === 'POST' ? body : undefined);
      assert.equal(r.status ?? 200, 200, `${route.method} ${p}: ${JSON.stringify(r)}`);
      assert.ok(!/no control route/.test(JSON.stringify(r)), `${route.method} ${p}`);
    }
  });

  test('near misses of a route are 404: another method, a path one letter or one segment off', async () => {
    const misses: [string, string][] = [
      ['GET', '/_sim/reset'], ['DELETE', '/_sim/state'], ['POST', '/_sim/stat'], ['POST', '/_sim/user'],
      ['POST', `/_sim/users/${USER}/messages`], ['POST', `/_sim/users/${USER}/message/again`], ['POST', '/_sim/users//message'],
      ['GET', `/_sim/users/${USER}/message`], ['POST', '/_sim/tokens/expired'], ['GET', '/_sim/deliver'],
    ];
    for (const [method, p] of misses) {
      assert.equal(findControlRoute(method, p), undefined, `${method} ${p}`);
      const r = await raw(method, p, { 'content-type': 'application/json' }, method === 'GET' ? undefined : '{}');
      assert.equal(r.status, 404, `${method} ${p}`);
      assert.match(JSON.parse(r.text).error, /^no control route /);
    }
    // A trailing slash and the /__sim/ alias reach the same row.
    assert.equal((await raw('GET', '/_sim/state/', {})).status, 200);
    assert.equal((await raw('GET', '/__sim/state', {})).status, 200);
    assert.deepEqual(findControlRoute('POST', `/_sim/users/${USER}/enter/`)?.params, [USER, 'enter']);
  });

  test('a body that is not a JSON object is 400 before the route is looked up', async () => {
    for (const body of ['[1]', '"x"', '{"a":', 'null']) {
      const r = await raw('POST', '/_sim/users', { 'content-type': 'application/json' }, body);
      assert.equal(r.status, 400, body);
      assert.match(JSON.parse(r.text).error, /body must be a JSON object/);
    }
  });
});

describe('what the simulator imports', () => {
  /** Inputs of the simulator's module graph it must not reach: core rules and services, the client's upload check. */
  function forbidden(inputs: readonly string[]): string[] {
    return inputs.filter((i) => {
      const p = i.replace(/\\/g, '/');
      if (p.startsWith('server/src/core/')) return !p.startsWith('server/src/core/facts/');
      return p === 'server/src/wechat/image.ts' || p.startsWith('server/src/node/') || p.startsWith('server/src/lsp/') || p.startsWith('client/');
    });
  }

  test('the facts tables, never the core rules (hasPage, limits) nor the client-side upload check', async () => {
    const r = await esbuild.build({
      absWorkingDir: ROOT, entryPoints: ['server/src/simulator/simulator.ts'], bundle: true, platform: 'node', format: 'cjs',
      mainFields: ['module', 'main'], write: false, metafile: true, logLevel: 'silent',
    });
    const inputs = Object.keys(r.metafile.inputs);
    assert.ok(inputs.includes('server/src/core/facts/errcodes.ts'), 'it reads the errcode catalog');
    assert.ok(inputs.includes('server/src/simulator/payload.ts'));
    assert.deepEqual(forbidden(inputs), []);
  });

  test('the check catches what it is for (near misses pass)', () => {
    assert.equal(forbidden(['server/src/core/rules/pages.ts', 'server/src/core/rules/codes.ts', 'server/src/core/services/validate.ts', 'server/src/core/factsheet.ts', 'server/src/wechat/image.ts', 'server/src/node/resolver.ts']).length, 6);
    assert.deepEqual(forbidden(['server/src/core/facts/errcodes.ts', 'server/src/core/facts/deliveryRules.ts', 'server/src/wechat/baseUrl.ts', 'server/src/wechat/push/crypto.ts', 'server/src/simulator/payload.ts']), []);
  });
});
