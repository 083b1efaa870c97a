import type { RequestHandler } from 'express';
import express from 'express';

import { IMMUTABLE_CACHE_CONTROL } from './media-storage';

/**
 * Serves LocalMediaStorage's folder: GET/HEAD of a stored key with its type from the extension,
 * cached forever (a key never changes its bytes), `nosniff`, no script may run from it, and
 * readable by pages of other origins (the storefront on its own domain shows the images:
 * helmet's default `Cross-Origin-Resource-Policy: same-origin` would hide them). Anything else
 * (an unknown key, a dot-file, another method) falls through to the API's 404.
 */
export function serveMedia(dir: string): RequestHandler {
  return express.static(dir, {
    index: false,
    dotfiles: 'ignore',
    redirect: false,
    fallthrough: true,
    etag: true,
    lastModified: false,
    cacheControl: false,
    setHeaders: (res) => {
      res.setHeader('Cache-Control', IMMUTABLE_CACHE_CONTROL);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    },
  });
}
