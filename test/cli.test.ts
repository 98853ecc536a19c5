import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../server/src/cli/main.ts';

const EXAMPLES = path.resolve(__dirname, '..', 'examples');
const APPID = 'wx1234567890abcdef';

async function cli(argv: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli({ argv, cwd, env, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

let dir: string;
let foreign: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-cli-'));
  fs.cpSync(EXAMPLES, dir, { recursive: true });
  const welcome = fs.readFileSync(path.join(dir, 'templates/welcome.wxmsg.json'), 'utf8');
  foreign = welcome.replace(`data-miniprogram-appid=\\"${APPID}\\"`, 'data-miniprogram-appid=\\"wxffffffffffffffff\\"');
  assert.notEqual(foreign, welcome);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function withForeign(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-cli-f-'));
  fs.cpSync(dir, d, { recursive: true });
  fs.writeFileSync(path.join(d, 'templates/foreign.wxmsg.json'), foreign);
  return d;
}

describe('wxmsg lint', () => {
  test('examples are clean: exit 0', async () => {
    const r = await cli(['lint', '.'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /4 templates checked, no problems/);
  });

  test('default: every *.wxmsg.json under cwd, skipping node_modules and .git', async () => {
    const d = withForeign();
    fs.mkdirSync(path.join(d, 'node_modules/x'), { recursive: true });
    fs.writeFileSync(path.join(d, 'node_modules/x/bad.wxmsg.json'), '{');
    fs.mkdirSync(path.join(d, '.git'));
    fs.writeFileSync(path.join(d, '.git/bad.wxmsg.json'), '{');
    const r = await cli(['lint', '--format', 'json'], d);
    const files = JSON.parse(r.stdout).map((x: { file: string }) => x.file);
    assert.deepEqual(files, ['templates/card.wxmsg.json', 'templates/foreign.wxmsg.json', 'templates/image.wxmsg.json', 'templates/link.wxmsg.json', 'templates/welcome.wxmsg.json']);
    assert.equal(r.code, 1);
  });

  test('foreign appid: exit 1, json range on the appid value', async () => {
    const d = withForeign();
    const r = await cli(['lint', 'templates/foreign.wxmsg.json', '--format', 'json'], d);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.length, 1);
    assert.equal(out[0].file, 'templates/foreign.wxmsg.json');
    const [diag] = out[0].diagnostics;
    assert.equal(diag.code, 'wxmsg/foreign-appid');
    assert.equal(diag.severity, 'error');
    assert.equal(diag.source, 'wxmsg');
    const lines = foreign.split('\n');
    const line = lines.findIndex((l) => l.includes('wxffffffffffffffff'));
    const ch = lines[line].indexOf('wxffffffffffffffff');
    assert.deepEqual(diag.range, { start: { line, character: ch }, end: { line, character: ch + 18 } });
  });

  test('--appid overrides project.config.json', async () => {
    const r = await cli(['lint', 'templates/welcome.wxmsg.json', '--appid', 'wxother', '--format', 'json'], dir);
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.stdout)[0].diagnostics[0].code, 'wxmsg/foreign-appid');
  });

  test('stylish is the default format, 1-based positions', async () => {
    const d = withForeign();
    const r = await cli(['templates/foreign.wxmsg.json'], d);
    assert.equal(r.code, 1);
    const lines = foreign.split('\n');
    const line = lines.findIndex((l) => l.includes('wxffffffffffffffff'));
    const ch = lines[line].indexOf('wxffffffffffffffff');
    assert.match(r.stdout, new RegExp(`^  ${line + 1}:${ch + 1}  error  .*wxmsg/foreign-appid$`, 'm'));
    assert.match(r.stdout, /1 problem \(1 error, 0 warnings\)/);
  });

  test('github format: workflow annotations, 1-based', async () => {
    const d = withForeign();
    const r = await cli(['lint', 'templates/foreign.wxmsg.json', '--format', 'github'], d);
    const lines = foreign.split('\n');
    const line = lines.findIndex((l) => l.includes('wxffffffffffffffff'));
    const ch = lines[line].indexOf('wxffffffffffffffff');
    assert.match(r.stdout, new RegExp(`^::error file=templates/foreign\\.wxmsg\\.json,line=${line + 1},col=${ch + 1},endLine=${line + 1},endColumn=${ch + 19},title=wxmsg/foreign-appid::`, 'm'));
  });

  test('sarif format: 2.1.0, one rule per code, results referencing them', async () => {
    const d = withForeign();
    const r = await cli(['lint', 'templates/foreign.wxmsg.json', '--format', 'sarif'], d);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const rules = sarif.runs[0].tool.driver.rules;
    assert.equal(new Set(rules.map((x: { id: string }) => x.id)).size, rules.length);
    const [res] = sarif.runs[0].results;
    assert.equal(res.ruleId, 'wxmsg/foreign-appid');
    assert.equal(rules[res.ruleIndex].id, 'wxmsg/foreign-appid');
    assert.equal(res.level, 'error');
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'templates/foreign.wxmsg.json');
  });

  test('--quiet drops warnings; --max-warnings turns them into exit 1', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-cli-w-'));
    fs.writeFileSync(path.join(d, 'w.wxmsg.json'), '{"msgtype":"image","image":{"media_id":"M","extra":1}}');
    const plain = await cli(['lint', '--format', 'json'], d);
    assert.equal(plain.code, 0);
    assert.equal(JSON.parse(plain.stdout)[0].diagnostics[0].severity, 'warning');
    const quiet = await cli(['lint', '--format', 'json', '--quiet'], d);
    assert.deepEqual(JSON.parse(quiet.stdout)[0].diagnostics, []);
    const quietStylish = await cli(['lint', '--quiet'], d);
    assert.match(quietStylish.stdout, /no errors \(1 warning hidden by --quiet\)/);
    assert.doesNotMatch(quietStylish.stdout, /no problems/);
    assert.equal((await cli(['lint', '--max-warnings', '0'], d)).code, 1);
    assert.equal((await cli(['lint', '--max-warnings', '1'], d)).code, 0);
  });

  test('globs', async () => {
    const r = await cli(['lint', 'templates/*card*.wxmsg.json', '--format', 'json'], dir);
    assert.deepEqual(JSON.parse(r.stdout).map((x: { file: string }) => x.file), ['templates/card.wxmsg.json']);
    const r2 = await cli(['lint', '**/*.wxmsg.json', '--format', 'json'], dir);
    assert.equal(JSON.parse(r2.stdout).length, 4);
  });

  test('an unreadable or broken file is reported and the run goes on', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-cli-u-'));
    fs.writeFileSync(path.join(d, 'a.wxmsg.json'), '{"msgtype": "image", "image": {');
    fs.mkdirSync(path.join(d, 'dir.wxmsg.json'));
    fs.writeFileSync(path.join(d, 'z.wxmsg.json'), '{"msgtype":"image","image":{"media_id":"M"}}');
    const r = await cli(['lint', 'a.wxmsg.json', 'dir.wxmsg.json/', 'z.wxmsg.json', '--format', 'json'], d);
    // Exit 2 under --format json: one error object on stdout, with what was checked.
    const answer = JSON.parse(r.stdout);
    assert.equal(answer.status, 'error');
    assert.match(answer.error.message, /no \*\.wxmsg\.json files match "dir\.wxmsg\.json\/"/);
    const out = answer.results;
    assert.deepEqual(out.map((x: { file: string }) => x.file), ['a.wxmsg.json', 'z.wxmsg.json']);
    assert.equal(out[0].diagnostics[0].code, 'wxmsg/syntax-error');
    assert.deepEqual(out[1].diagnostics, []);
    // A directory given explicitly with no templates in it is a usage error (exit 2).
    assert.equal(r.code, 2);
    assert.match(r.stderr, /dir\.wxmsg\.json/);
  });

  test('a file that cannot be read gets wxmsg/unreadable-file', async () => {
    // A dangling symlink rather than chmod: CI runs as root, which reads everything.
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-cli-r-'));
    fs.symlinkSync(path.join(d, 'missing-target'), path.join(d, 'dangling.wxmsg.json'));
    const r = await cli(['lint', '--format', 'json'], d);
    const out = JSON.parse(r.stdout);
    assert.equal(out[0].diagnostics[0].code, 'wxmsg/unreadable-file');
    assert.equal(r.code, 1);
  });

  test('binary junk and a UTF-8 BOM', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-cli-b-'));
    fs.writeFileSync(path.join(d, 'bin.wxmsg.json'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    fs.writeFileSync(path.join(d, 'bom.wxmsg.json'), '\ufeff{"msgtype":"image","image":{"media_id":"M"}}');
    const r = await cli(['lint', '--format', 'json'], d);
    const out = JSON.parse(r.stdout);
    assert.equal(out[0].diagnostics[0].code, 'wxmsg/binary-file');
    assert.deepEqual(out[1].diagnostics, []);
  });

  test('usage errors exit 2', async () => {
    for (const argv of [['lint', '--bogus'], ['lint', '--format', 'xml'], ['lint', '--max-warnings', 'x'], ['frobnicate'], ['lint', 'no-such-file.wxmsg.json']]) {
      const r = await cli(argv, dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, /^wxmsg: /);
    }
  });

  test('--help and --version exit 0', async () => {
    assert.match((await cli(['lint', '--help'], dir)).stdout, /--max-warnings/);
    assert.match((await cli(['--version'], dir)).stdout, /^\d+\.\d+\.\d+\n$/);
    assert.match((await cli(['--help'], dir)).stdout, /lint/);
  });

  test('locale from LANG or --locale, codes unchanged', async () => {
    const d = withForeign();
    const zh = await cli(['lint', 'templates/foreign.wxmsg.json', '--format', 'json'], d, { LANG: 'zh_CN.UTF-8' });
    const en = await cli(['lint', 'templates/foreign.wxmsg.json', '--format', 'json', '--locale', 'en'], d, { LANG: 'zh_CN.UTF-8' });
    const z = JSON.parse(zh.stdout)[0].diagnostics[0];
    const e = JSON.parse(en.stdout)[0].diagnostics[0];
    assert.match(z.message, /不是本小程序/);
    assert.doesNotMatch(e.message, /不是本小程序/);
    assert.deepEqual([z.code, z.range], [e.code, e.range]);
  });
});

describe('the built bundle', () => {
  test('dist/server.js lint examples exits 0; a foreign copy exits 1', async () => {
    const { spawnSync } = await import('node:child_process');
    const bin = path.resolve(__dirname, '..', 'dist', 'server.js');
    const ok = spawnSync(process.execPath, [bin, 'lint', EXAMPLES], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    const d = withForeign();
    const bad = spawnSync(process.execPath, [bin, 'lint', d, '--format', 'json'], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.ok(JSON.parse(bad.stdout).length === 5);
  });

  test('a bad flag to any command, including those in dist/send.js, is a usage error (exit 2), not an internal one', async () => {
    const { spawnSync } = await import('node:child_process');
    const bin = path.resolve(__dirname, '..', 'dist', 'server.js');
    for (const args of [['lint', '--bogus'], ['send', '--bogus'], ['upload', '--bogus'], ['simulate', 'extra'], ['demo', '--bogus']]) {
      const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /internal error/, args.join(' '));
      assert.match(r.stderr, /Run "wxmsg --help" for usage/, args.join(' '));
    }
  });
});
