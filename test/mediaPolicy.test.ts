// Issue 19, the editor side of uploads without VS Code: size limits, where the dialog starts,
// which ledger records an upload, which send results offer the Upload action, and a placeholder
// media_id refused before posting (the server's preparation; test/lspPrepareSend.test.ts asks it).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dialogStart, imageSizeVerdict, mediaFieldOf, needsUpload } from '../client/src/send/mediaPolicy.ts';
import { ledgerRootFor } from '../server/src/node/mediaLedgerFile.ts';
import { SIM_DEFAULT_APPID } from '../server/src/simulator/simulator.ts';
import { preparePayload } from '../server/src/wechat/template.ts';

const MB = 1024 * 1024;

describe('upload rules', () => {
  test('the media field of a msgtype as written: image and the mini program card only (near misses: none)', () => {
    assert.deepEqual(mediaFieldOf('image'), ['image', 'media_id']);
    assert.deepEqual(mediaFieldOf('miniprogrampage'), ['miniprogrampage', 'thumb_media_id']);
    for (const t of [undefined, '', 'Image', 'images', 'image ', 'miniprogram', 'text', 'link', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      assert.equal(mediaFieldOf(t), undefined, String(t));
    }
  });

  test('over 10 MB refused, over 2 MB a warning, at the limits fine', () => {
    assert.deepEqual(imageSizeVerdict(10 * MB), { ok: true, warn: true, mb: '10.0' });
    assert.equal(imageSizeVerdict(10 * MB + 1).ok, false);
    assert.deepEqual(imageSizeVerdict(2 * MB), { ok: true, warn: false, mb: '2.0' });
    assert.deepEqual(imageSizeVerdict(2 * MB + 1), { ok: true, warn: true, mb: '2.0' });
    assert.deepEqual(imageSizeVerdict(1000), { ok: true, warn: false, mb: '0.0' });
  });

  test('the dialog starts in the last image folder, else the workspace root (never templates/)', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-ws-'));
    const images = path.join(ws, 'assets');
    fs.mkdirSync(images);
    const exists = (d: string) => fs.existsSync(d);
    assert.equal(dialogStart(images, exists, ws), images);
    assert.equal(dialogStart(path.join(ws, 'gone'), exists, ws), ws);
    assert.equal(dialogStart(undefined, exists, ws), ws);
  });

  test('an upload is recorded in the nearest .wxmsg/ within the workspace folder, else at its root', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-ws-'));
    const mp = path.join(ws, 'mp');
    fs.mkdirSync(path.join(mp, 'templates'), { recursive: true });
    assert.equal(ledgerRootFor(path.join(mp, 'templates', 'a.wxmsg.json'), ws), ws);
    fs.mkdirSync(path.join(mp, '.wxmsg'));
    assert.equal(ledgerRootFor(path.join(mp, 'templates', 'a.wxmsg.json'), ws), mp);
    assert.equal(ledgerRootFor(undefined, ws), ws);
    assert.equal(ledgerRootFor(path.join(mp, 'x.png'), undefined), undefined);
  });

  test('40007 and 46001 results and placeholder refusals offer the Upload action; others do not', () => {
    assert.equal(needsUpload({ view: { code: 40007 } }), true);
    assert.equal(needsUpload({ view: { code: 46001 } }), true);
    for (const code of [0, 40001, 40004, 45047, 'network']) assert.equal(needsUpload({ view: { code } }), false, String(code));
    assert.equal(needsUpload({ view: {}, errors: [{ code: 'wxmsg/media-placeholder' }] }), true);
    assert.equal(needsUpload({ view: {}, errors: [{ code: 'wxmsg/empty-value' }] }), false);
  });
});


describe('a send from the editor with a placeholder media_id', () => {
  test('is refused before posting, with the placeholder as the error (so the Upload action is offered)', () => {
    // The language server's preparation (wxmsg/prepareSend); the send command turns it into this outcome.
    const p = preparePayload('{ "touser": "OPENID", "msgtype": "image", "image": { "media_id": "MEDIA_ID" } }', { appid: SIM_DEFAULT_APPID });
    assert.equal(p.ok, false);
    assert.ok(!p.ok && p.reason === 'media-placeholder');
    assert.deepEqual(p.errors.map((d) => d.code), ['wxmsg/media-placeholder']);
    assert.match(p.message, /MEDIA_ID/);
    assert.equal(needsUpload({ view: {}, errors: p.errors }), true);
  });

});
