// Issue 19, the editor side of uploads without VS Code: size limits, where the dialog starts,
// which ledger records an upload, which send results offer the Upload action, and the send
// service refusing a placeholder media_id (against the loopback simulator).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dialogStart, imageSizeVerdict, ledgerRootFor, needsUpload } from '../client/src/send/mediaPolicy.ts';
import { SendService } from '../client/src/send/sendService.ts';
import { SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET, SIM_USERS, Simulator } from '../server/src/simulator/simulator.ts';
import { MapSecrets, MapState } from './sendHelpers.ts';

const MB = 1024 * 1024;

describe('upload rules', () => {
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
  let sim: Simulator;
  before(async () => { sim = await Simulator.start(); });
  after(async () => { await sim.close(); });

  test('is refused before posting, with the placeholder as the error (so the Upload action is offered)', async () => {
    const svc = new SendService(new MapSecrets(), new MapState(), () => {}, { backoffMs: 1, delay: async () => {} });
    await svc.setAppSecret(SIM_DEFAULT_APPID, SIM_DEFAULT_SECRET);
    const before = sim.requests.length;
    const out = await svc.send({
      text: '{ "touser": "OPENID", "msgtype": "image", "image": { "media_id": "MEDIA_ID" } }', fileName: 'pic.wxmsg.json',
      openId: SIM_USERS.ready[0], appid: SIM_DEFAULT_APPID, context: { appid: SIM_DEFAULT_APPID }, api: { base: sim.url, timeoutMs: 2000 },
    });
    assert.equal(out.view.state, 'refused');
    assert.deepEqual(out.errors?.map((d) => d.code), ['wxmsg/media-placeholder']);
    assert.match(out.view.notify, /MEDIA_ID/);
    assert.equal(needsUpload(out), true);
    assert.equal(sim.requests.length, before, 'nothing was posted');
  });
});
