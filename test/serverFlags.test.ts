import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SERVER_NODE_FLAGS, serverExecArgv } from '../server/src/lsp/protocol.ts';

const ROOT = join(__dirname, '..');

test('serverExecArgv: a flag goes to the server only when the runtime knows its exact name', () => {
  assert.deepEqual(serverExecArgv(new Set(['--v8-pool-size'])), ['--v8-pool-size=1']);
  // Near misses: a prefix, a longer name, the value in the name, another flag, nothing known.
  for (const allowed of [['--v8-pool'], ['--v8-pool-size-x'], ['--v8-pool-size=1'], ['--max-old-space-size'], []]) {
    assert.deepEqual(serverExecArgv(new Set(allowed)), [], allowed.join(','));
  }
});

test('the Node that runs this knows every server flag and starts with them (the protocol tests run the server so)', () => {
  assert.deepEqual(serverExecArgv(process.allowedNodeEnvironmentFlags), [...SERVER_NODE_FLAGS]);
  const r = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', 'process.stdout.write(process.execArgv.join(" "))'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.split(' ').slice(0, SERVER_NODE_FLAGS.length), [...SERVER_NODE_FLAGS]);
  // A flag Node does not know stops it before any script runs: why serverExecArgv filters.
  assert.notEqual(spawnSync(process.execPath, ['--v8-pool-size-x=1', '-e', '0']).status, 0);
});

test('the extension starts the server with serverExecArgv, and the bench and the protocol tests start it the same way', () => {
  const ext = readFileSync(join(ROOT, 'client/src/extension.ts'), 'utf8');
  assert.match(ext, /run: \{ module, transport: TransportKind\.ipc, options: \{ execArgv: serverExecArgv\(process\.allowedNodeEnvironmentFlags\) \} \}/);
  assert.match(readFileSync(join(ROOT, 'bench/lsp.ts'), 'utf8'), /opts\.serverNodeArgs \?\? \[\.\.\.SERVER_NODE_FLAGS\]/);
  assert.match(readFileSync(join(ROOT, 'test/lspClient.ts'), 'utf8'), /serverExecArgv\(process\.allowedNodeEnvironmentFlags\), SERVER, '--stdio'/);
});
