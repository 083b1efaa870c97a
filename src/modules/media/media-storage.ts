/**
 * Where uploaded images are kept and where browsers fetch them. The port is the injection token;
 * `media-storage.factory.ts` picks the adapter from validated config (`MEDIA_STORAGE=local|s3`).
 *
 * Contract:
 * - Keys are content-addressed (`ab/<sha256 of the bytes>.<ext>`): a key always names the same
 *   bytes, so `put` of a key already stored may do nothing, and what `url` points at may be
 *   cached forever (`Cache-Control: public, max-age=31536000, immutable`).
 * - `put` resolves once the object is durably stored and readable at `url(key)`; it throws only
 *   when the storage itself fails (disk full, network, credentials): the caller answers 503.
 * - `url` is either absolute (`https://cdn.example.kz/ab/….jpg`) or a path on this server
 *   (`/media/ab/….jpg`, which the caller makes absolute on the server's public address).
 * - Nothing is written for a refused upload: the caller calls `put` only after the image passed.
 */
export abstract class MediaStorage {
  abstract put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  abstract url(key: string): string;
}

/** The cache lifetime of stored media: a key never changes its bytes. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** What a key may look like: `ab/<hex>.<ext>` segments, no `..`, nothing to escape. */
export const MEDIA_KEY = /^[a-z0-9]{2}\/[a-f0-9]{64}\.(jpg|png|webp)$/;

/** The key itself, or an error when it is not one (a bug: keys come from the service). */
export function checkedKey(key: string): string {
  if (!MEDIA_KEY.test(key)) throw new Error(`not a media key: ${key}`);
  return key;
}
