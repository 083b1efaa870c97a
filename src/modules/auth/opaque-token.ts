import { createHash, randomBytes } from 'node:crypto';

/** An opaque token: 32 random bytes, base64url (43 characters). */
const SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A new random token and the SHA-256 (hex) under which it is stored. */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

export const hashOpaqueToken = (token: string): string =>
  createHash('sha256').update(token).digest('hex');

/** Whether a string can be one of our tokens at all (a truncated or padded one cannot). */
export const isOpaqueTokenShape = (token: string): boolean => SHAPE.test(token);
