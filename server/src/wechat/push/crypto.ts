import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PaddingError, pkcs7Pad, pkcs7Unpad } from './pkcs7.ts';

/**
 * WeChat's message encryption (message-push.html, "消息解密方式为安全模式"):
 *   AESKey  = Base64_Decode(EncodingAESKey + "=")   (32 bytes)
 *   IV      = the AESKey's first 16 bytes
 *   FullStr = random(16 bytes) + msg_len(4 bytes, network order) + msg + appid
 *   Encrypt = Base64(AES-256-CBC(PKCS#7 to 32 bytes(FullStr)))
 */
export interface PushKey {
  readonly key: Buffer;
  readonly iv: Buffer;
}

/** 43 characters of the base64 alphabet (the console offers a-z, A-Z, 0-9). */
const ENCODING_AES_KEY = /^[A-Za-z0-9+/]{43}$/;

/** A problem with the EncodingAESKey; the message never contains the key itself. */
export class PushKeyError extends Error {
  override name = 'PushKeyError';
}

/** Checks and decodes an EncodingAESKey. Throws PushKeyError (without the value) when it is not 43 base64 characters. */
export function parseEncodingAesKey(encodingAesKey: string): PushKey {
  if (typeof encodingAesKey !== 'string' || !ENCODING_AES_KEY.test(encodingAesKey)) {
    const len = typeof encodingAesKey === 'string' ? encodingAesKey.length : 0;
    const bad = typeof encodingAesKey === 'string' && /[^A-Za-z0-9+/]/.test(encodingAesKey);
    throw new PushKeyError(`the EncodingAESKey must be exactly 43 characters of A-Z, a-z, 0-9 (base64)${len !== 43 ? `; it has ${len}` : ''}${bad ? '; it holds other characters' : ''}`);
  }
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  // 43 base64 characters + "=" always decode to 32 bytes; keep the check next to the rule.
  if (key.length !== 32) throw new PushKeyError('the EncodingAESKey does not decode to 32 bytes');
  return { key, iv: key.subarray(0, 16) };
}

/** Encrypts one message for `appid`; `random` (16 bytes) only for tests that replay the official example. */
export function encryptMessage(key: PushKey, message: string, appid: string, random: Buffer = randomBytes(16)): string {
  if (random.length !== 16) throw new RangeError('the random prefix is 16 bytes');
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length, 0);
  const full = pkcs7Pad(Buffer.concat([random, len, msg, Buffer.from(appid, 'utf8')]));
  const cipher = createCipheriv('aes-256-cbc', key.key, key.iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(full), cipher.final()]).toString('base64');
}

export interface Decrypted {
  message: string;
  appid: string;
}

/** A ciphertext that does not decrypt to WeChat's layout (wrong key, truncated, tampered). */
export class DecryptError extends Error {
  override name = 'DecryptError';
}

/** Decrypts an `Encrypt` value. Throws DecryptError with the reason. */
export function decryptMessage(key: PushKey, encrypt: string): Decrypted {
  if (typeof encrypt !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(encrypt)) throw new DecryptError('Encrypt is not base64');
  const data = Buffer.from(encrypt, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) throw new DecryptError(`Encrypt is ${data.length} bytes, not a multiple of the AES block (16)`);
  let full: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key.key, key.iv);
    decipher.setAutoPadding(false);
    full = pkcs7Unpad(Buffer.concat([decipher.update(data), decipher.final()]));
  } catch (e) {
    throw new DecryptError(`bad padding after decryption (wrong EncodingAESKey?): ${e instanceof PaddingError ? e.message : (e as Error).message}`);
  }
  if (full.length < 20) throw new DecryptError(`the plaintext is ${full.length} bytes, shorter than random(16) + length(4)`);
  const len = full.readUInt32BE(16);
  if (20 + len > full.length) throw new DecryptError(`the message length field (${len}) runs past the plaintext (${full.length - 20} bytes)`);
  return { message: full.subarray(20, 20 + len).toString('utf8'), appid: full.subarray(20 + len).toString('utf8') };
}
