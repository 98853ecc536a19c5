// Issue 19: the media ledger (.wxmsg/media.json) and media_id placeholders, through the CLI
// against the loopback simulator, and the ledger file module.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appendRecord, isMediaPlaceholder, parseLedger } from '../server/src/core/rules/mediaLedger.ts';
import { findLedgerRoot, recordUpload } from '../server/src/node/mediaLedgerFile.ts';
import { SIM_DEFAULT_SECRET, SIM_USERS, type Simulator } from '../server/src/simulator/simulator.ts';
import { prepareTemplate } from '../server/src/wechat/template.ts';
import { sharedTokenCache } from '../server/src/wechat/tokenCache.ts';
import { APPID, PNG, cli, startSim, tmpDir } from './sendHelpers.ts';

const SEND = '/cgi-bin/message/custom/send';
const USER = SIM_USERS.ready[0];
const DAY = 24 * 3600 * 1000;

let sim: Simulator;
let env: Record<string, string>;
before(async () => { sim = await startSim(); });
after(async () => { await sim.close(); });
beforeEach(() => {
  sim.reset();
  sharedTokenCache.clear();
  env = { WXMSG_APPSECRET: SIM_DEFAULT_SECRET, WXMSG_API_BASE: sim.url };
});

/** A mini program project: project.config.json, app.json, images/cover.png, templates/. */
function project(): { dir: string; image: string; template: (name: string, mediaId: string) => string; ledger: () => string } {
  const dir = tmpDir('wxmsg-ledger-');
  fs.writeFileSync(path.join(dir, 'project.config.json'), JSON.stringify({ appid: APPID }));
  fs.writeFileSync(path.join(dir, 'app.json'), JSON.stringify({ pages: ['pages/index/index'] }));
  fs.mkdirSync(path.join(dir, 'images'));
  fs.mkdirSync(path.join(dir, 'templates'));
  const image = path.join(dir, 'images', 'cover.png');
  fs.writeFileSync(image, PNG);
  return {
    dir,
    image,
    template: (name, mediaId) => {
      const f = path.join(dir, 'templates', name);
      fs.writeFileSync(f, JSON.stringify({ touser: 'OPENID', msgtype: 'image', image: { media_id: mediaId } }, null, 2));
      return path.relative(dir, f);
    },
    ledger: () => fs.readFileSync(path.join(dir, '.wxmsg', 'media.json'), 'utf8'),
  };
}

function writeLedger(dir: string, records: { media_id: string; appid?: string; ageMs: number }[]): void {
  fs.mkdirSync(path.join(dir, '.wxmsg'), { recursive: true });
  const media = records.map((r) => ({ appid: r.appid ?? APPID, media_id: r.media_id, type: 'image', source: 'images/cover.png', sha256: 'x', uploadedAt: new Date(Date.now() - r.ageMs).toISOString() }));
  fs.writeFileSync(path.join(dir, '.wxmsg', 'media.json'), JSON.stringify({ version: 1, media }));
}

describe('wxmsg upload records the upload in the media ledger', () => {
  test('appid, media_id, type, source relative to the project, sha256, time; never a secret or token', async () => {
    const p = project();
    const r = await cli(['upload', 'images/cover.png'], env, p.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /recorded in \.wxmsg[\\/]media\.json \(source images\/cover\.png\)/);
    const text = p.ledger();
    const { media } = parseLedger(text);
    assert.equal(media.length, 1);
    const [rec] = media;
    assert.equal(rec.appid, APPID);
    assert.equal(rec.media_id, r.stdout.trim());
    assert.equal(rec.type, 'image');
    assert.equal(rec.source, 'images/cover.png');
    assert.equal(rec.sha256, createHash('sha256').update(PNG).digest('hex'));
    assert.ok(Math.abs(Date.parse(rec.uploadedAt) - Date.now()) < DAY);
    assert.ok(!text.includes(SIM_DEFAULT_SECRET));
    assert.doesNotMatch(text, /token|secret/i);
    // Uploaded again: a second record; the json format says where it went.
    const j = JSON.parse((await cli(['upload', 'images/cover.png', '--format', 'json'], env, p.dir)).stdout);
    assert.equal(j.ledger.recorded, true);
    assert.deepEqual(parseLedger(p.ledger()).media.map((m) => m.media_id), [rec.media_id, j.media_id]);
  });

  test('a ledger that is not one is never overwritten', () => {
    const dir = tmpDir('wxmsg-ledger-bad-');
    fs.mkdirSync(path.join(dir, '.wxmsg'));
    fs.writeFileSync(path.join(dir, '.wxmsg', 'media.json'), '{ oops');
    fs.writeFileSync(path.join(dir, 'a.png'), PNG);
    assert.throws(() => recordUpload(dir, { appid: APPID, mediaId: 'm', file: path.join(dir, 'a.png') }), /not a media ledger/);
    assert.equal(fs.readFileSync(path.join(dir, '.wxmsg', 'media.json'), 'utf8'), '{ oops');
    assert.equal(findLedgerRoot(path.join(dir, 'sub', 'deeper'), dir), dir);
    assert.throws(() => appendRecord('[]', { appid: 'a', media_id: 'b', type: 'image', source: 's', sha256: 'h', uploadedAt: new Date().toISOString() }));
  });
});

describe('placeholders and the ledger in lint and send', () => {
  test('placeholders are exactly MEDIA_ID, THUMB_MEDIA_ID, thumb_media_id, all-caps identifiers and {{…}}', () => {
    for (const p of ['MEDIA_ID', 'THUMB_MEDIA_ID', 'thumb_media_id', 'A', 'COVER_2X', '{{cover}}', ' {{ thumb }} ']) assert.ok(isMediaPlaceholder(p), p);
    for (const p of ['media_id', 'Media_Id', '_MEDIA', '2MEDIA', 'MEDIA-ID', '{{a}', 'abcDEF123', '']) assert.ok(!isMediaPlaceholder(p), p);
  });

  test('lint: a placeholder is clean; ledger findings only with --media-ledger', async () => {
    const p = project();
    const placeholder = p.template('p.wxmsg.json', 'MEDIA_ID');
    assert.equal((await cli(['lint', placeholder], {}, p.dir)).code, 0);
    assert.equal((await cli(['lint', '--media-ledger', placeholder], {}, p.dir)).code, 0);
    writeLedger(p.dir, [{ media_id: 'old_one', ageMs: 4 * DAY }, { media_id: 'fresh_one', ageMs: DAY }, { media_id: 'foreign_one', appid: 'wx9999999999999999', ageMs: DAY }]);
    const old = p.template('old.wxmsg.json', 'old_one');
    const fresh = p.template('fresh.wxmsg.json', 'fresh_one');
    const foreign = p.template('foreign.wxmsg.json', 'foreign_one');
    const unknown = p.template('unknown.wxmsg.json', 'never_seen');
    for (const t of [old, fresh, foreign, unknown]) {
      const plain = await cli(['lint', t], {}, p.dir);
      assert.equal(plain.code, 0, `${t}: ${plain.stdout}`);
      assert.doesNotMatch(plain.stdout, /media-/);
    }
    const runs = await Promise.all([old, fresh, foreign, unknown].map((t) => cli(['lint', '--media-ledger', '--format', 'json', t], {}, p.dir)));
    const found = runs.map((r) => JSON.parse(r.stdout)[0].diagnostics.map((d: { code: string; severity: string }) => `${d.code}:${d.severity}`));
    assert.deepEqual(found, [['wxmsg/media-expired:warning'], [], ['wxmsg/media-other-appid:error'], ['wxmsg/media-unknown:info']]);
    assert.deepEqual(runs.map((r) => r.code), [0, 0, 1, 0]);
  });

  test('send refuses a placeholder before posting, with a clear message', async () => {
    const p = project();
    for (const id of ['MEDIA_ID', 'THUMB_MEDIA_ID', 'COVER_IMAGE']) {
      const t = p.template('p.wxmsg.json', id);
      const r = await cli(['send', t, '--to', USER], env, p.dir);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`media_id is still the placeholder "${id}": upload the image first .*wxmsg upload <image>`));
      assert.match(r.stderr, /wxmsg\/media-placeholder/);
    }
    // A {{variable}} with no value is refused too (template variables), before posting.
    const v = await cli(['send', p.template('v.wxmsg.json', '{{cover}}'), '--to', USER], env, p.dir);
    assert.notEqual(v.code, 0);
    assert.match(v.stderr, /\{\{cover\}\}/);
    assert.equal(sim.requestCount(SEND), 0);
    assert.equal(sim.requests.length, 0, 'not even a token was asked for');
    // An empty media_id stays an empty-value error.
    const empty = prepareTemplate(JSON.stringify({ msgtype: 'image', image: { media_id: '' } }), USER);
    assert.ok(!empty.ok && empty.reason === 'invalid-template' && empty.errors[0].code === 'wxmsg/empty-value');
  });

  test('send checks the ledger first: another appid refuses, an expired id warns, an uploaded id goes', async () => {
    const p = project();
    writeLedger(p.dir, [{ media_id: 'foreign_one', appid: 'wx9999999999999999', ageMs: DAY }, { media_id: 'old_one', ageMs: 4 * DAY }]);
    const foreign = await cli(['send', p.template('f.wxmsg.json', 'foreign_one'), '--to', USER], env, p.dir);
    assert.equal(foreign.code, 1);
    assert.match(foreign.stderr, /wxmsg\/media-other-appid/);
    assert.equal(sim.requestCount(SEND), 0);
    const up = await cli(['upload', 'images/cover.png'], env, p.dir);
    assert.equal(up.code, 0, up.stderr);
    const ok = await cli(['send', p.template('ok.wxmsg.json', up.stdout.trim()), '--to', USER], env, p.dir);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(sim.requestCount(SEND), 1);
  });
});
