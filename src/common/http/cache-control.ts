import type { NextFunction, Request, Response } from 'express';

/** Public catalog reads: any cache may keep them, but must ask again (with the ETag) each time. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, must-revalidate';
/** Everything else: personal (or an error); no cache keeps it. */
export const PERSONAL_CACHE_CONTROL = 'private, no-store';

/**
 * Every API answer is personal until a handler says otherwise (the catalog cache sets
 * PUBLIC_CACHE_CONTROL on public reads): set first, so that errors and every new route get it.
 */
export function personalByDefault(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', PERSONAL_CACHE_CONTROL);
  next();
}

/**
 * Whether an `If-None-Match` header matches `etag` (weak comparison, RFC 9110 §13.1.2: `W/` is
 * ignored; `*` matches any current representation).
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const part of header.split(',')) {
    const t = part.trim();
    if ((t.startsWith('W/') ? t.slice(2) : t) === bare) return true;
  }
  return false;
}

/** Adds `Authorization` to the response's Vary (keeping `Origin` set by CORS). */
export function varyOnAuthorization(res: Response): void {
  const v = res.getHeader('Vary');
  res.setHeader('Vary', v ? `${String(v)}, Authorization` : 'Authorization');
}
