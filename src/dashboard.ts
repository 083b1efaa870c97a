import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { NextFunction, Request, Response } from 'express';
import express from 'express';

/** Where the dashboard is served: the app built by Vite from dashboard/ into dist/dashboard/. */
export const DASHBOARD_PATH = '/dashboard';

/**
 * The policy of the dashboard's pages: its scripts and styles from this server only (Vite emits
 * no inline script), product images from anywhere over https (sellers link them) or /media.
 */
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

/**
 * The built dashboard: `dist/dashboard/` beside the compiled server (a build or release), or the
 * checkout's `dist/dashboard/` when the server runs from its sources (the tests). Null when the
 * dashboard was never built.
 */
export function dashboardDir(): string | null {
  for (const dir of [join(__dirname, 'dashboard'), join(__dirname, '..', 'dist', 'dashboard')]) {
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return null;
}

/**
 * Serves the dashboard at /dashboard/: hashed assets cached for a year (`immutable`), index.html
 * revalidated on every load so a new release is picked up at once. `/dashboard` redirects to the
 * slash form (relative asset URLs need it).
 */
export function mountDashboard(http: express.Express, dir = dashboardDir()): void {
  http.use(DASHBOARD_PATH, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    if (req.originalUrl === DASHBOARD_PATH || req.originalUrl.startsWith(`${DASHBOARD_PATH}?`)) {
      return res.redirect(301, `${DASHBOARD_PATH}/${req.originalUrl.slice(DASHBOARD_PATH.length)}`);
    }
    if (!dir) {
      res.status(503).type('text/plain').send('The dashboard is not built: run `npm run build`.\n');
      return;
    }
    next();
  });
  if (!dir) return;
  http.use(
    DASHBOARD_PATH,
    express.static(dir, {
      index: 'index.html',
      redirect: false,
      fallthrough: true,
      setHeaders(res, path) {
        res.setHeader(
          'Cache-Control',
          path.includes(`${join('dashboard', 'assets')}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        );
      },
    }),
  );
}
