/**
 * PKCS#7 padding as WeChat's message encryption uses it: to a multiple of 32 bytes (the AES key
 * length), not AES's 16-byte block (message-push.html: "K 为秘钥字节数（采用 32）"). A buffer
 * that already ends on a block boundary gets a whole block of 32 bytes of value 32.
 */
export const WECHAT_BLOCK_SIZE = 32;

export function pkcs7Pad(data: Buffer, blockSize = WECHAT_BLOCK_SIZE): Buffer {
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > 255) throw new RangeError(`PKCS#7 block size must be 1 to 255, not ${blockSize}`);
  const n = blockSize - (data.length % blockSize);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

/** Removes the padding; throws a PaddingError when it is not valid PKCS#7 for this block size. */
export function pkcs7Unpad(data: Buffer, blockSize = WECHAT_BLOCK_SIZE): Buffer {
  if (data.length === 0 || data.length % blockSize !== 0) throw new PaddingError(`the decrypted data is ${data.length} bytes, not a multiple of ${blockSize}`);
  const n = data[data.length - 1];
  if (n < 1 || n > blockSize) throw new PaddingError(`the last byte ${n} is not a padding length from 1 to ${blockSize}`);
  for (let i = data.length - n; i < data.length; i++) {
    if (data[i] !== n) throw new PaddingError(`the last ${n} bytes are not all ${n}`);
  }
  return data.subarray(0, data.length - n);
}

export class PaddingError extends Error {
  override name = 'PaddingError';
}
