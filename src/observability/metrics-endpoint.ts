import { timingSafeEqual } from 'node:crypto';

import type { Request, Response } from 'express';

import type { Metrics } from './metrics';

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * GET /metrics: the Prometheus text format. With `token` (METRICS_TOKEN) the scraper must send
 * `Authorization: Bearer <token>`, else 401. Outside the API prefix and the OpenAPI document:
 * it is for the operator's scraper, not for API clients.
 */
export function metricsEndpoint(metrics: Metrics, token: string | undefined) {
  return (req: Request, res: Response): void => {
    if (token && !same(req.headers.authorization ?? '', `Bearer ${token}`)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res.status(401).json({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>',
        code: 'UNAUTHENTICATED',
      });
      return;
    }
    metrics.render().then(
      (text) => {
        res.setHeader('Content-Type', metrics.contentType);
        res.setHeader('Cache-Control', 'no-store');
        res.end(text);
      },
      (e: unknown) => {
        res
          .status(500)
          .type('text/plain')
          .end(`# metrics failed: ${(e as Error).message}\n`);
      },
    );
  };
}
