import { createHmac } from 'node:crypto';

/** The JWT_SECRET createTestApp gives the app. */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** A hand-made HMAC JWT (any header, claims, secret and hash), for forging tokens in tests. */
export function signJwt(
  header: object,
  payload: object,
  secret = TEST_JWT_SECRET,
  hash = 'sha256',
) {
  const data = `${b64url(header)}.${b64url(payload)}`;
  return `${data}.${createHmac(hash, secret).update(data).digest('base64url')}`;
}
