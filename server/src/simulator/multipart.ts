import type * as http from 'node:http';

/**
 * A request body read up to a cap: the bytes, or `over` when the body is longer. Nothing past the
 * cap is kept: a Content-Length above it skips the buffering at once, and a body without one
 * stops being kept at the first chunk that passes the cap. The rest is still read (and dropped)
 * so the client sees the answer instead of a broken pipe.
 */
export async function readCapped(req: http.IncomingMessage, max: number): Promise<{ over: false; bytes: Buffer } | { over: true }> {
  const declared = Number(req.headers['content-length']);
  let over = Number.isFinite(declared) && declared > max;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    if (over) continue;
    size += (c as Buffer).length;
    if (size > max) {
      over = true;
      chunks.length = 0;
    } else {
      chunks.push(c as Buffer);
    }
  }
  return over ? { over: true } : { over: false, bytes: Buffer.concat(chunks) };
}

/**
 * The file in one field of a multipart/form-data body, parsed by the platform's own parser
 * (`Response.formData()`, Node ≥ 18). The body must already be capped (readCapped).
 * `missing`: not multipart/form-data, a body the parser rejects, no such field, or a field that
 * is not a file (no filename): WeChat's 41005 "media data missing" for each of them.
 */
export async function formFile(body: Buffer, contentType: string | undefined, field: string): Promise<{ file: Buffer } | { missing: string }> {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'multipart/form-data') return { missing: `the body is ${type || 'untyped'}, not multipart/form-data` };
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType! } }).formData();
  } catch (e) {
    return { missing: `the multipart body does not parse: ${(e as Error).message}` };
  }
  const value = form.get(field);
  if (value === null) return { missing: `no field "${field}"` };
  if (typeof value === 'string') return { missing: `field "${field}" is text, not a file` };
  return { file: Buffer.from(await value.arrayBuffer()) };
}
