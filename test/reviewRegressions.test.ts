// Regressions for bugs found in review: each test fails without its fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format, formatStylish } from '../server/src/cli/formatters.ts';
import { runCli } from '../server/src/cli/main.ts';
import { formatTemplate, MAX_TAB_SIZE } from '../server/src/core/services/format.ts';
import { WeChatClient } from '../server/src/wechat/client.ts';
import { SIM_DEFAULT_SECRET, SIM_USERS, Simulator } from '../server/src/simulator/simulator.ts';
import { TokenCache } from '../server/src/wechat/tokenCache.ts';
import { validate } from '../server/src/core/services/validate.ts';
import { CTX, rangeAt } from './helpers.ts';

const ROOT = path.resolve(__dirname, '..');

test('lint: a template symlinked to a FIFO is reported unreadable, not read for ever', () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-review-fifo-'));
  try {
    const fifo = path.join(d, 'pipe');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    fs.symlinkSync(fifo, path.join(d, 'evil.wxmsg.json'));
    // A child process, so that a blocking read cannot stall this test runner; the timeout is a
    // failsafe for the bug, not an assertion on speed.
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/src/main.ts'), 'lint', '--format', 'json', d],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.signal, null, 'wxmsg lint hung on the FIFO');
    assert.equal(r.status, 1, r.stderr);
    const out = JSON.parse(r.stdout) as { file: string; diagnostics: { code: string }[] }[];
    assert.deepEqual(out.map((f) => [f.file, f.diagnostics.map((x) => x.code)]), [[path.join(d, 'evil.wxmsg.json'), ['wxmsg/unreadable-file']]]);
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});

test('unsafe-href: tabs, newlines and leading controls do not hide a javascript: scheme', () => {
  // JSON escapes in the source: the decoded href holds a real tab / newline / U+0001.
  for (const href of ['java\\tscript:alert(1)', 'javascript\\n:alert(1)', '\\u0001javascript:alert(1)', 'da\\r\\nta:text/html,x']) {
    const t = `{"msgtype":"text","text":{"content":"<a href=\\"${href}\\">go</a>"}}`;
    const at = t.indexOf(href);
    const found = validate(t, CTX).filter((d) => d.code === 'wxmsg/unsafe-href');
    assert.equal(found.length, 1, href);
    assert.deepEqual(found[0].range, rangeAt(t, at, at + href.length), href);
    assert.equal(found[0].severity, 1);
  }
});

async function cli(argv: string[], cwd = os.tmpdir()) {
  let stdout = '';
  let stderr = '';
  const code = await runCli({ argv, cwd, env: {}, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

test('CLI: a command named like an Object.prototype member is an unknown command (exit 2), not an internal error', async () => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const r = await cli([name]);
    assert.equal(r.code, 2, name);
    assert.match(r.stderr, /unknown command/, name);
    assert.doesNotMatch(r.stderr, /internal error/, name);
  }
});

test('lint: an invalid glob class is a usage error (exit 2) naming the pattern, not an internal error', async () => {
  const r = await cli(['lint', '[z-a].wxmsg.json']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /invalid glob "\[z-a\]\.wxmsg\.json"/);
  assert.doesNotMatch(r.stderr, /internal error/);
});

test('send: errcode -1 from the token endpoint is retried with backoff, as the decoded text promises', async () => {
  const sim = await Simulator.start({ host: '127.0.0.1', port: 0 });
  const delays: number[] = [];
  const make = () => new WeChatClient({ baseUrl: sim.url, tokenCache: new TokenCache(), backoffMs: 100, delay: async (ms) => { delays.push(ms); } });
  const creds = { appid: 'wx1234567890abcdef', appSecret: SIM_DEFAULT_SECRET };
  const body = JSON.stringify({ touser: SIM_USERS.ready[0], msgtype: 'text', text: { content: 'hi' } });
  const clients: WeChatClient[] = [];
  try {
    sim.injectFault({ type: 'errcode', errcode: -1, path: '/cgi-bin/stable_token', times: 2 });
    const c1 = make(); clients.push(c1);
    const ok = await c1.send(body, creds);
    assert.equal(ok.status, 'sent', JSON.stringify(ok));
    assert.equal(ok.tokenRequests, 3);
    assert.deepEqual(delays, [100, 200]);
    assert.equal(sim.delivered.length, 1);

    sim.reset();
    delays.length = 0;
    sim.injectFault({ type: 'errcode', errcode: -1, path: '/cgi-bin/stable_token', times: 3 });
    const c2 = make(); clients.push(c2);
    const busy = await c2.send(body, creds);
    assert.equal(busy.status, 'failed');
    assert.equal(busy.status === 'failed' ? busy.decoded?.errcode : undefined, -1);
    assert.equal(busy.tokenRequests, 3, 'at most two retries');
    assert.equal(busy.attempts, 0);
    assert.equal(sim.delivered.length, 0);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await sim.close();
  }
});

test('format: a huge client tabSize is capped, not turned into megabytes of indent per line', () => {
  const text = '{"msgtype":"text","text":{"content":"hi"}}';
  const capped = formatTemplate(text, { tabSize: MAX_TAB_SIZE, insertSpaces: true });
  assert.ok(capped.length > 0);
  assert.deepEqual(formatTemplate(text, { tabSize: 1_000_000, insertSpaces: true }), capped);
  // Ordinary sizes are untouched.
  assert.ok(formatTemplate(text, { tabSize: 4, insertSpaces: true }).some((e) => e.newText.endsWith('\n    ')));
});

test('stylish: control characters from a template (ESC, lone CR) are shown escaped, not sent to the terminal', () => {
  const t = '{"msgtype":"text","text":{"content":"hi"},"\\u001b[8m\\rall good":1}';
  const out = formatStylish([{ file: 'evil\u001b[2K.wxmsg.json', diagnostics: validate(t, CTX) }]);
  assert.match(out, /wxmsg\/unknown-key/);
  assert.doesNotMatch(out, /[\u001b\r]/);
  assert.ok(out.includes('\\u001b[8m\\u000dall good'), out);
  assert.ok(out.includes('evil\\u001b[2K.wxmsg.json'), out);
});

test('send: cancelled while backing off from a token -1: reported as cancelled, not as a credentials failure', async () => {
  const sim = await Simulator.start({ host: '127.0.0.1', port: 0 });
  const ac = new AbortController();
  const c = new WeChatClient({ baseUrl: sim.url, tokenCache: new TokenCache(), backoffMs: 100, delay: async () => { ac.abort(); } });
  try {
    sim.injectFault({ type: 'errcode', errcode: -1, path: '/cgi-bin/stable_token', times: 1 });
    const r = await c.send(JSON.stringify({ touser: SIM_USERS.ready[0], msgtype: 'text', text: { content: 'hi' } }),
      { appid: 'wx1234567890abcdef', appSecret: SIM_DEFAULT_SECRET }, { signal: ac.signal });
    assert.equal(r.status, 'failed');
    assert.equal(r.status === 'failed' ? r.failure.kind : undefined, 'cancelled');
    assert.equal(r.tokenRequests, 1);
    assert.equal(sim.delivered.length, 0);
  } finally {
    await c.close();
    await sim.close();
  }
});

test('manifest: the settings README says are machine-scoped and restricted in untrusted workspaces are', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  assert.match(readme, /`wxmsg\.api\.baseUrl` and `wxmsg\.send\.confirm` are\s+`machine`-scoped and restricted in untrusted workspaces/);
  for (const key of ['wxmsg.api.baseUrl', 'wxmsg.send.confirm']) {
    assert.equal(pkg.contributes.configuration.properties[key].scope, 'machine', key);
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key), key);
  }
});

test('send/upload: an empty --api-base is a usage error, not a silent fallback to the real WeChat API', async () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-review-base-'));
  try {
    // An invalid template: without the check, send stops at lint (exit 1) before any request.
    fs.writeFileSync(path.join(d, 'bad.wxmsg.json'), '{"msgtype":"text","text":{}}');
    for (const argv of [['send', 'bad.wxmsg.json', '--to', SIM_USERS.ready[0], '--api-base', ''], ['upload', 'missing.png', '--api-base', ' ']]) {
      const r = await cli(argv, d);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, /--api-base needs a value/, argv.join(' '));
    }
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});

test('sarif: artifact URIs are percent-encoded URI references (spaces, %, #, ?)', () => {
  const t = '{"msgtype":"text","text":{}}';
  const file = 'my templates/100% #1?.wxmsg.json';
  const sarif = JSON.parse(format('sarif', [{ file, diagnostics: validate(t, CTX) }], '0.0.0'));
  const uri: string = sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
  assert.equal(uri, 'my%20templates/100%25%20%231%3F.wxmsg.json');
  assert.equal(decodeURIComponent(uri), file);
});

test('lint: a [!…] glob class is negated, as in sh', async () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wxmsg-review-glob-'));
  try {
    for (const n of ['a', 'b', '!']) fs.writeFileSync(path.join(d, `${n}.wxmsg.json`), '{"msgtype":"text","text":{"content":"hi"}}');
    const r = await cli(['lint', '--format', 'json', '--appid', 'wx1234567890abcdef', '[!a].wxmsg.json'], d);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { file: string }[]).map((f) => f.file), ['!.wxmsg.json', 'b.wxmsg.json']);
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});
