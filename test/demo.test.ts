// `wxmsg demo` (what `npm start` runs): the tour on an in-process simulator, in-process and as the built bundle.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findImage } from '../server/src/cli/commands/demo.ts';
import { ERRCODES } from '../server/src/core/facts/errcodes.ts';
import { SIM_USERS } from '../server/src/simulator/simulator.ts';
import { cli, EXAMPLES, PNG, tmpDir } from './sendHelpers.ts';

const ROOT = path.resolve(__dirname, '..');
const TEMPLATES = fs.readdirSync(path.join(EXAMPLES, 'templates')).filter((f) => f.endsWith('.wxmsg.json')).sort();

/** The checks both runs share: each template sent, one 45047 decoded in both languages, the counts. */
function assertTour(stdout: string): void {
  assert.ok(TEMPLATES.length >= 4, 'the examples hold the four message types');
  for (const t of TEMPLATES) {
    assert.match(stdout, new RegExp(`✔ examples/templates/${t.replace(/\./g, '\\.')} +\\w+ +→ ${SIM_USERS.ready[0]}  errcode 0 `), t);
  }
  assert.match(stdout, /2\. Lint {7}4 templates under examples: no problems/);
  assert.match(stdout, /3\. Upload {5}examples\/images\/card-cover\.png → media_id /);
  assert.match(stdout, /image\.media_id ← the uploaded image/);
  assert.match(stdout, /miniprogrampage\.thumb_media_id ← the uploaded image/);
  // The entered user's quota (2 in 1 minute): two sent, the third refused and decoded.
  assert.match(stdout, new RegExp(`3× to ${SIM_USERS.entered}`));
  assert.match(stdout, /✔ 1\/3 .*\n.*✔ 2\/3 .*\n.*✖ 3\/3 {2}errcode 45047 \(expected\)/);
  assert.ok(stdout.includes(ERRCODES[45047].zh) && stdout.includes(ERRCODES[45047].en), 'decoded in Chinese and English from the catalog');
  assert.match(stdout, /rid: {4}[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}/);
  // One push round trip: verified, pushed (signed and encrypted), answered "success", replied through custom/send.
  assert.match(stdout, new RegExp(`6\\. Push {7}a message from ${SIM_USERS.ready[1]} pushed to examples/push-server \\(JSON, safe mode: signed and encrypted\\)\n   ✔ URL verification passed: the server echoed echostr back \\(\\d+ ms\\)\n   ✔ text "你好" → accepted: the server answered "success" \\(\\d+ ms, 1 try\\)\n   ✔ the server replied through custom/send: "收到：你好" errcode 0`));
  assert.match(stdout, /Summary: 4 templates linted without errors, 1 image uploaded, 7 messages delivered \(the simulator recorded 7\), 1 refused as designed \(errcode 45047/);
  assert.doesNotMatch(stdout, /access_token=/);
}

describe('wxmsg demo', () => {
  test('in-process on examples/: exit 0, every template sent, one refusal decoded', async () => {
    const r = await cli(['demo', 'examples'], {}, ROOT);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assertTour(r.stdout);
    assert.equal(r.stderr, '');
    // The README's sample of this output (Quick start) is what it prints, up to each '…'.
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const sample = /```text\n(5\. Quota[\s\S]*?)```/.exec(readme);
    assert.ok(sample, 'the README shows the tour\'s output');
    for (const line of sample[1].split('\n').filter((l) => l.trim() && l.trim() !== '…')) {
      const prefix = line.split('…')[0];
      assert.ok(r.stdout.split('\n').some((l) => l.startsWith(prefix)), `README line not in the output: ${line}`);
    }
  });

  test('as the built bundle (what npm start runs): exit 0 and the same tour', async () => {
    const bin = path.join(ROOT, 'dist', 'server.js');
    const child = spawn(process.execPath, [bin, 'demo', 'examples'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WXMSG_APPSECRET: '', WXMSG_ACCESS_TOKEN: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c) => { stdout += c; });
    child.stderr!.on('data', (c) => { stderr += c; });
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    assert.equal(code, 0, stdout + stderr);
    assertTour(stdout);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts.start, 'node esbuild.mjs && node dist/server.js demo examples', 'npm start builds, then runs this tour');
  });

  test('a template with errors: exit 1, nothing uploaded or sent', async () => {
    const dir = tmpDir('wxmsg-demo-');
    fs.writeFileSync(path.join(dir, 'bad.wxmsg.json'), '{ "touser": "OPENID", "msgtype": "text", "text": {} }\n');
    fs.writeFileSync(path.join(dir, 'cover.png'), PNG);
    const r = await cli(['demo', dir], {}, ROOT);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /1 error/);
    assert.match(r.stdout, /wxmsg\/missing-field/);
    assert.doesNotMatch(r.stdout, /3\. Upload|4\. Send/);
    assert.match(r.stderr, /the templates have errors/);
  });

  test('an unexpected refusal fails the tour: an image template with no image to upload (40007)', async () => {
    const dir = tmpDir('wxmsg-demo-');
    fs.writeFileSync(path.join(dir, 'hello.wxmsg.json'), '{ "touser": "OPENID", "msgtype": "text", "text": { "content": "hi" } }\n');
    fs.writeFileSync(path.join(dir, 'pic.wxmsg.json'), '{ "touser": "OPENID", "msgtype": "image", "image": { "media_id": "MEDIA_ID" } }\n');
    const r = await cli(['demo', dir], {}, ROOT);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /no image under/);
    assert.match(r.stdout, /✖ .*pic\.wxmsg\.json +image .*errcode 40007/);
    assert.match(r.stderr, /did not go as designed:\n {2}- .*pic\.wxmsg\.json: errcode 40007/);
    // The rest of the tour still ran: the text template, and the deliberate 45047.
    assert.match(r.stdout, /errcode 45047 \(expected\)/);
  });

  test('a project of one text template and its own image: exit 0', async () => {
    const dir = tmpDir('wxmsg-demo-');
    fs.writeFileSync(path.join(dir, 'project.config.json'), JSON.stringify({ appid: 'wxaaaaaaaaaaaaaaaa' }));
    fs.mkdirSync(path.join(dir, 'msgs'));
    fs.writeFileSync(path.join(dir, 'msgs', 'hello.wxmsg.json'), '{ "touser": "OPENID", "msgtype": "text", "text": { "content": "hi" } }\n');
    const r = await cli(['demo', dir], {}, ROOT);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /app wxaaaaaaaaaaaaaaaa from /);
    assert.match(r.stdout, /Summary: 1 template linted without errors, 4 messages delivered \(the simulator recorded 4\), 1 refused as designed/);
  });

  test('usage: no templates → 1; a missing folder or two folders → 2', async () => {
    const empty = tmpDir('wxmsg-demo-');
    const none = await cli(['demo', empty], {}, ROOT);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no \*\.wxmsg\.json templates/);
    const missing = await cli(['demo', path.join(empty, 'nope')], {}, ROOT);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no folder/);
    assert.equal((await cli(['demo', 'a', 'b'], {}, ROOT)).code, 2);
    assert.equal((await cli(['demo', '--bogus'], {}, ROOT)).code, 2);
    const help = await cli(['demo', '--help'], {}, ROOT);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: wxmsg demo \[dir\]/);
    assert.match((await cli(['--help'], {}, ROOT)).stdout, /demo +a tour on the simulator/);
  });

  test('findImage: the first real image, breadth first, sorted; skips node_modules and non-images', () => {
    const dir = tmpDir('wxmsg-demo-');
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.writeFileSync(path.join(dir, 'node_modules', 'a.png'), PNG);
    fs.writeFileSync(path.join(dir, 'fake.png'), 'not an image');
    fs.mkdirSync(path.join(dir, 'b'));
    fs.writeFileSync(path.join(dir, 'b', 'z.png'), PNG);
    fs.mkdirSync(path.join(dir, 'a'));
    fs.writeFileSync(path.join(dir, 'a', 'y.png'), PNG);
    assert.equal(findImage(dir), path.join(dir, 'a', 'y.png'));
    fs.writeFileSync(path.join(dir, 'top.gif'), Buffer.from('GIF89a0000000000'));
    assert.equal(findImage(dir), path.join(dir, 'top.gif'));
    assert.equal(findImage(path.join(dir, 'node_modules')), path.join(dir, 'node_modules', 'a.png'), 'only below the folder given');
    assert.equal(findImage(tmpDir('wxmsg-demo-')), undefined);
  });
});
