import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * WeChat message-push signatures (miniprogram/dev/framework/server-ability/message-push.html):
 * the parts sorted lexicographically (as strings, by UTF-16 code unit like the official
 * examples' sort), joined without a separator, SHA-1, lowercase hex.
 */
export function sha1Signature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join(''), 'utf8').digest('hex');
}

/** `signature` of the URL verification GET and of every push: sha1(sort(Token, timestamp, nonce)). */
export function urlSignature(token: string, timestamp: string, nonce: string): string {
  return sha1Signature(token, timestamp, nonce);
}

/** `msg_signature` of compat/safe pushes (and `MsgSignature` of encrypted replies): sha1(sort(Token, timestamp, nonce, Encrypt)). */
export function msgSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return sha1Signature(token, timestamp, nonce, encrypt);
}

/** Compares two hex signatures in constant time (false for different lengths or non-strings). */
export function sameSignature(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a.toLowerCase()), Buffer.from(b.toLowerCase()));
}
