import { Transform, type Readable, type TransformCallback } from 'node:stream';

/** A header block (up to and including CRLF CRLF) longer than this is not a client's. */
export const MAX_HEADER_BYTES = 4096;
/**
 * The largest Content-Length accepted: 256 MiB. Templates are refused above 2,000,000
 * characters (12 MB on the wire at worst); above this the body could not even be decoded into
 * one string, so the header is a broken or hostile peer's.
 */
export const MAX_CONTENT_LENGTH = 256 * 1024 * 1024;

export class FramingError extends Error {}

/**
 * Checks the framing of a JSON-RPC byte stream (`Content-Length: N` CRLF … CRLF CRLF, then N
 * bytes) before vscode-jsonrpc's StreamMessageReader sees it. That reader would report a
 * non-numeric length and carry on mid-stream, take a negative one as a length, wait forever for
 * an absurd one, and buffer a header block that never ends without limit. Here any of those is
 * a FramingError: after it nothing in the stream can be trusted to be a message boundary, so
 * the server should exit and let the client restart it.
 *
 * Bytes pass through unchanged; a header block is held back until it is complete and valid, so
 * nothing of a bad one, nor anything after it, is passed on.
 */
export class FrameGuard extends Transform {
  /** Body bytes still to pass before the next header block. */
  private bodyLeft = 0;
  /** The header block read so far (ASCII), while between messages. */
  private header = '';
  private failed = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.failed) return done();
    // What may go on: body bytes as they come, a header block once it is complete and valid.
    const pass: Buffer[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.bodyLeft > 0) {
        const n = Math.min(this.bodyLeft, chunk.length - i);
        pass.push(chunk.subarray(i, i + n));
        this.bodyLeft -= n;
        i += n;
        continue;
      }
      // Between messages: read header bytes up to CRLF CRLF, at most MAX_HEADER_BYTES of them.
      while (i < chunk.length && this.header.length < MAX_HEADER_BYTES && !this.header.endsWith('\r\n\r\n')) {
        this.header += String.fromCharCode(chunk[i++]);
      }
      if (this.header.endsWith('\r\n\r\n')) {
        const length = headerLength(this.header);
        if (typeof length === 'string') return this.fail(pass, length, done);
        pass.push(Buffer.from(this.header, 'latin1'));
        this.bodyLeft = length;
        this.header = '';
      } else if (this.header.length >= MAX_HEADER_BYTES) {
        return this.fail(pass, `a header block of more than ${MAX_HEADER_BYTES} bytes without CRLF CRLF`, done);
      }
    }
    if (pass.length) this.push(pass.length === 1 ? pass[0] : Buffer.concat(pass));
    done();
  }

  /** Passes the messages before the bad header block, then stops with a FramingError. */
  private fail(pass: Buffer[], problem: string, done: TransformCallback): void {
    this.failed = true;
    if (pass.length) this.push(Buffer.concat(pass));
    done(new FramingError(`malformed message header: ${problem}`));
  }
}

/** The body length a header block (ending in CRLF CRLF) announces, or what is wrong with it. */
export function headerLength(block: string): number | string {
  const lines = block.slice(0, -4).split('\r\n');
  let length: number | undefined;
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return `a header line without "name: value" (${JSON.stringify(clip(line))})`;
    // The name as vscode-jsonrpc reads it: case-insensitive, not trimmed.
    if (line.slice(0, colon).toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d+$/.test(value)) return `Content-Length is not a non-negative integer (${JSON.stringify(clip(value))})`;
    const n = Number(value);
    if (n > MAX_CONTENT_LENGTH) return `Content-Length ${clip(value)} is more than ${MAX_CONTENT_LENGTH} bytes`;
    if (length !== undefined && length !== n) return 'two different Content-Length headers';
    length = n;
  }
  if (length === undefined) return 'no Content-Length header';
  return length;
}

const clip = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** `input` through a {@link FrameGuard}; `onError` gets a framing error once. */
export function guardFraming(input: Readable, onError: (e: FramingError) => void): FrameGuard {
  const guard = new FrameGuard();
  guard.once('error', (e) => onError(e instanceof FramingError ? e : new FramingError(String(e))));
  input.pipe(guard);
  return guard;
}
