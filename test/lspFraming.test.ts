// FrameGuard (server/src/lsp/framing.ts) on its own: however the bytes are split into chunks,
// valid frames pass through unchanged and a bad header block is caught at the same place.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { FrameGuard, FramingError, MAX_HEADER_BYTES, headerLength } from '../server/src/lsp/framing.ts';

const frame = (body: string): string => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** Pipes `bytes`, cut into chunks of `size`, through a FrameGuard: what came out, and the error. */
async function through(bytes: Buffer, size: number): Promise<{ out: Buffer; error?: Error }> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const guard = new FrameGuard();
  const out: Buffer[] = [];
  guard.on('data', (d: Buffer) => out.push(d));
  return new Promise((res) => {
    guard.on('error', (error) => res({ out: Buffer.concat(out), error }));
    guard.on('end', () => res({ out: Buffer.concat(out) }));
    Readable.from(chunks).pipe(guard);
  });
}

describe('FrameGuard', () => {
  // Bodies with CRLF CRLF, "Content-Length" and multi-byte characters inside: only headers are parsed.
  const bodies = ['{}', '{"a":"\\r\\n\\r\\nContent-Length: lots\\r\\n\\r\\n"}', JSON.stringify({ text: '你好 \r\n\r\n Content-Length: -1\r\n\r\n' }), ''];
  const valid = Buffer.from(bodies.map(frame).join(''));

  for (const size of [1, 2, 3, 7, 64, valid.length]) {
    test(`valid frames in chunks of ${size} byte(s) pass through unchanged`, async () => {
      const r = await through(valid, size);
      assert.equal(r.error, undefined);
      assert.ok(r.out.equals(valid));
    });
  }

  for (const size of [1, 5, 4096]) {
    test(`a bad header after valid frames (chunks of ${size}): the frames before it pass, then a FramingError`, async () => {
      const bytes = Buffer.concat([valid, Buffer.from('Content-Length: 1x\r\n\r\n{}'), Buffer.from(frame('{}'))]);
      const r = await through(bytes, size);
      assert.ok(r.error instanceof FramingError, String(r.error));
      assert.match(r.error.message, /not a non-negative integer \("1x"\)/);
      assert.ok(r.out.equals(valid), 'the valid frames came out, nothing of the bad header nor after it');
    });
  }

  test('a header block is measured across chunks: exactly the limit passes, one byte more fails', async () => {
    const body = '{}';
    const head = `Content-Length: ${body.length}\r\nX-Pad: `;
    const fill = (n: number): string => `${head}${'p'.repeat(n - head.length - 4)}\r\n\r\n`;
    assert.equal(fill(MAX_HEADER_BYTES).length, MAX_HEADER_BYTES);
    const ok = Buffer.from(fill(MAX_HEADER_BYTES) + body);
    assert.ok((await through(ok, 100)).out.equals(ok));
    const over = await through(Buffer.from(fill(MAX_HEADER_BYTES + 1) + body), 100);
    assert.match(String(over.error), /more than 4096 bytes/);
  });

  test('headerLength', () => {
    assert.equal(headerLength('Content-Length: 12\r\n\r\n'), 12);
    assert.equal(headerLength('content-length:0\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n'), 0);
    assert.equal(headerLength('Content-Length: 5\r\nContent-Length: 5\r\n\r\n'), 5);
    for (const bad of ['Content-Length: +5', 'Content-Length: 5.0', 'Content-Length: 0x10', 'Content-Length: 1e3', 'Content-Length:', 'Content-Length : 5', 'X: 1', ': 5']) {
      assert.equal(typeof headerLength(`${bad}\r\n\r\n`), 'string', bad);
    }
  });
});
