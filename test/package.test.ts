// The package as users get it: what `npm pack` and `vsce ls` ship, and the packed tarball
// installed into a fresh project (offline: the package has no runtime dependencies), where
// `npx wxmsg lint` and `npx wxmsg --stdio` must work. Uses the bundles `npm test` has just built.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

const ROOT = path.resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const APPID = 'wx1234567890abcdef';

const NPM_TARBALL = [
  'CHANGELOG.md', 'LICENSE', 'README.md', 'package.json',
  'dist/client.js', 'dist/clientPreview.js', 'dist/clientSend.js', 'dist/lsp.js', 'dist/preview.js', 'dist/send.js', 'dist/server.js', 'dist/undici.js',
  'l10n/bundle.l10n.zh-cn.json', 'package.nls.json', 'package.nls.zh-cn.json',
  'language-configuration.json', 'schemas/wxmsg.config.schema.json', 'schemas/wxmsg.schema.json', 'snippets/wxmsg.json', 'syntaxes/wxmsg.tmLanguage.json',
].sort();
// The extension starts dist/server.js (which loads dist/lsp.js), loads dist/clientSend.js and
// dist/clientPreview.js on first use, its preview webview runs dist/preview.js; the send
// commands of the CLI (dist/send.js) are not part of it.
const VSIX = [
  'CHANGELOG.md', 'LICENSE', 'README.md', 'package.json', 'icon.png',
  'dist/client.js', 'dist/clientPreview.js', 'dist/clientSend.js', 'dist/lsp.js', 'dist/preview.js', 'dist/server.js',
  'l10n/bundle.l10n.zh-cn.json', 'package.nls.json', 'package.nls.zh-cn.json',
  'language-configuration.json', 'schemas/wxmsg.config.schema.json', 'schemas/wxmsg.schema.json', 'snippets/wxmsg.json', 'syntaxes/wxmsg.tmLanguage.json',
].sort();

// `npm test` runs this file under npm, whose npm_* variables (prefix, lifecycle) must not leak
// into the npm commands run here.
const NPM_RUN_VARS = /^npm_(config_(user_agent|local_prefix|prefix|global_prefix|node_gyp|npm_version|nodedir|cache)|execpath|node_execpath|lifecycle_.*|package_.*|command)$/i;

describe('the package as users get it', { timeout: 180_000 }, () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  const run = (cmd: string, args: string[], cwd: string, input?: string): SpawnSyncReturns<string> =>
    spawnSync(cmd, args, { cwd, env, encoding: 'utf8', input, timeout: 120_000 });
  const ok = (r: SpawnSyncReturns<string>, what: string) => assert.equal(r.status, 0, `${what} failed (${r.status ?? r.signal ?? r.error}):\n${r.stdout}\n${r.stderr}`);

  before(() => {
    for (const f of ['dist/server.js', 'dist/lsp.js', 'dist/send.js', 'dist/undici.js', 'dist/client.js', 'dist/clientSend.js', 'dist/clientPreview.js', 'dist/preview.js']) {
      assert.ok(existsSync(path.join(ROOT, f)), `${f} is missing: run \`npm test\` (it builds first) or \`npm run build\``);
    }
    tmp = mkdtempSync(path.join(tmpdir(), 'wxmsg-pack-'));
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !NPM_RUN_VARS.test(k)));
    // Its own npm cache: nothing from (or into) the user's.
    env.npm_config_cache = path.join(tmp, 'npm-cache');
    env.npm_config_update_notifier = 'false';
    env.npm_config_fund = 'false';
    env.npm_config_audit = 'false';
  });
  after(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

  test('publishable: not private, no runtime dependencies, no placeholder links', () => {
    assert.equal(pkg.private, undefined);
    assert.equal(pkg.name, 'wxmsg');
    assert.deepEqual(Object.keys(pkg.dependencies ?? {}), [], 'the bundles carry everything: no runtime dependencies');
    assert.equal(pkg.bin.wxmsg, 'dist/server.js');
    assert.equal(pkg.icon, 'icon.png');
    // npm warns about packages with install scripts (prepare counts): the bundles are built by prepack.
    assert.deepEqual(['preinstall', 'install', 'postinstall', 'prepare'].filter((k) => pkg.scripts?.[k]), []);
    assert.match(pkg.scripts.prepack, /esbuild\.mjs --production/);
    const text = ['package.json', 'schemas/wxmsg.schema.json', 'server/src/core/rules/codes.ts', 'server/src/cli/formatters.ts'].map((f) => readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
    assert.doesNotMatch(text, /github\.com\/wxmsg\/wxmsg/, 'a link to a repository that does not exist');
  });

  test('the icon is a 128×128 PNG', () => {
    const png = readFileSync(path.join(ROOT, pkg.icon));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  });

  test('npm pack ships the bundles, schema, snippets, grammar, l10n, README, LICENSE, CHANGELOG: nothing else', () => {
    const r = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT);
    ok(r, 'npm pack --dry-run');
    const files = (JSON.parse(r.stdout)[0].files as { path: string }[]).map((f) => f.path).sort();
    assert.deepEqual(files, NPM_TARBALL);
  });

  test('vsce ls lists only what the extension needs', () => {
    const r = run(process.execPath, [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], ROOT);
    ok(r, 'vsce ls');
    assert.deepEqual(r.stdout.split('\n').map((l) => l.trim()).filter(Boolean).sort(), VSIX);
  });

  test('the tarball installed offline in a fresh project: npx wxmsg lint and npx wxmsg --stdio work', async () => {
    const packDir = path.join(tmp, 'pack');
    mkdirSync(packDir);
    const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], ROOT);
    ok(packed, 'npm pack');
    const tgz = path.join(packDir, JSON.parse(packed.stdout)[0].filename);
    assert.ok(existsSync(tgz), tgz);

    const project = path.join(tmp, 'project');
    mkdirSync(path.join(project, 'templates'), { recursive: true });
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    ok(run('npm', ['install', '--offline', '--save-dev', '--no-audit', '--no-fund', tgz], project), 'npm install --offline <tgz>');
    assert.ok(existsSync(path.join(project, 'node_modules', 'wxmsg', 'dist', 'server.js')));

    writeFileSync(path.join(project, 'project.config.json'), JSON.stringify({ appid: APPID }));
    writeFileSync(path.join(project, 'templates', 'ok.wxmsg.json'), JSON.stringify({ touser: 'oVKOm5Hd7TVUW8GmbHMYHwYg0u3s', msgtype: 'text', text: { content: '您好' } }));
    const clean = run('npx', ['--no', 'wxmsg', 'lint', 'templates'], project);
    ok(clean, 'npx wxmsg lint (clean)');
    writeFileSync(path.join(project, 'templates', 'bad.wxmsg.json'), JSON.stringify({ touser: 'oVKOm5Hd7TVUW8GmbHMYHwYg0u3s', msgtype: 'image' }));
    const bad = run('npx', ['--no', 'wxmsg', 'lint', '--locale', 'zh-CN'], project);
    assert.equal(bad.status, 1, `${bad.stdout}\n${bad.stderr}`);
    assert.match(bad.stdout, /bad\.wxmsg\.json/);
    assert.match(bad.stdout, /wxmsg\/missing-body/);
    assert.match(bad.stdout, /缺少该对象/);
    assert.doesNotMatch(bad.stdout, /ok\.wxmsg\.json/);

    // The language server over stdio, as an editor starts it: initialize, initialized, shutdown, exit.
    // (`--`: without it npx takes --stdio as an npm option and runs `wxmsg` alone.)
    const lsp = spawn('npx', ['--no', '--', 'wxmsg', '--stdio'], { cwd: project, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const send = (msg: unknown) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg as object }), 'utf8');
      lsp.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
    };
    let buf = Buffer.alloc(0);
    let stderr = '';
    lsp.stderr.on('data', (d) => { stderr += d; });
    const responses = new Map<number, { result?: Record<string, unknown>; error?: unknown }>();
    let wake: () => void = () => {};
    lsp.stdout.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const head = buf.indexOf('\r\n\r\n');
        if (head < 0) break;
        const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, head).toString('ascii'))?.[1]);
        if (buf.length < head + 4 + len) break;
        const msg = JSON.parse(buf.subarray(head + 4, head + 4 + len).toString('utf8'));
        buf = buf.subarray(head + 4 + len);
        if (typeof msg.id === 'number' && !msg.method) responses.set(msg.id, msg);
      }
      wake();
    });
    const exited = new Promise<number | null>((resolve) => lsp.on('exit', (code) => resolve(code)));
    const response = (id: number) => new Promise<{ result?: Record<string, unknown>; error?: unknown }>((resolve, reject) => {
      const check = () => { const r = responses.get(id); if (r) resolve(r); };
      wake = check;
      check();
      void exited.then((code) => reject(new Error(`the server exited (${code}) before answering request ${id}:\n${stderr}`)));
    });
    try {
      send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: `file://${project}`, capabilities: {}, locale: 'zh-cn' } });
      const init = await response(1);
      assert.equal(init.error, undefined, JSON.stringify(init.error));
      const result = init.result as { capabilities: Record<string, unknown>; serverInfo?: { name: string; version?: string } };
      assert.equal(result.serverInfo?.name, 'wxmsg');
      assert.equal(result.serverInfo?.version, pkg.version);
      assert.ok(result.capabilities.textDocumentSync, JSON.stringify(result.capabilities));
      assert.ok(result.capabilities.hoverProvider);
      send({ method: 'initialized', params: {} });
      send({ id: 2, method: 'shutdown' });
      assert.equal((await response(2)).error, undefined);
      send({ method: 'exit' });
      assert.equal(await exited, 0, stderr);
    } finally {
      lsp.kill();
    }
  });
});
