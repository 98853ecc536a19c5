import { randomBytes } from 'node:crypto';
import { wechatErrmsg } from '../core/facts/errcodes.ts';
import { SIM_MEDIA_ID_LENGTH, SIM_TOKEN_LENGTH } from './constants.ts';

/** What a route answers: the status, the body (text, or `bytes` for a file) and its headers. */
export interface Answer { status: number; body: string; contentType: string; bytes?: Buffer; headers?: Record<string, string> }

export function json(value: unknown, status = 200): Answer {
  return { status, body: JSON.stringify(value), contentType: 'application/json; charset=utf-8' };
}

/**
 * An error answer: the catalog's verbatim English errmsg (one source with the decoder, never
 * localized, no hints of ours) and " rid: …" as WeChat appends it.
 */
export function err(errcode: number): Answer {
  return errAnswer(errcode, wechatErrmsg(errcode));
}

export function errAnswer(errcode: number, errmsg: string): Answer {
  return json({ errcode, errmsg: `${errmsg} rid: ${rid()}` });
}

/** The catalog's errmsg for a code it has, else undefined. */
export function knownErrmsg(code: number): string | undefined {
  try { return wechatErrmsg(code); } catch { return undefined; }
}

export function notFound(): Answer {
  return { status: 404, body: '<html><body>404 Not Found</body></html>', contentType: 'text/html' };
}

/** A JSON object, or undefined for anything else (bad JSON, an array, a number). */
export function parseObject(raw: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** WeChat's request id as errmsgs end with it: " rid: xxxxxxxx-xxxxxxxx-xxxxxxxx". */
function rid(): string {
  return [0, 1, 2].map(() => randomBytes(4).toString('hex')).join('-');
}

export function mediaIdLike(): string {
  return randomBytes(SIM_MEDIA_ID_LENGTH * 3 / 4).toString('base64url');
}

export function tokenLike(): string {
  return randomBytes(SIM_TOKEN_LENGTH * 3 / 4).toString('base64url');
}
