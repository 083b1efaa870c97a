import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

import { arrivalOf } from '../common/http/front-door';
import type { HttpSeries, Metrics } from './metrics';
import { withRequestId } from './request-context';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

type Observed = Request & { user?: { id: string } };

/** The request's id: its X-Request-Id when sane, else a new UUID (echoed in the answer). */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * The route pattern (`/api/v1/products/:id`), never the raw URL: a bounded metric label.
 * `unmatched` when no route answered (Nest's catch-all 404 is the route `*path`).
 */
export function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') return path.startsWith('*') ? 'unmatched' : path;
  return 'unmatched';
}

/**
 * Every answer counted in the metrics and — with a logger (LOG_REQUESTS) — one request line at
 * `info`, through one of two doors:
 * - `middleware`, the first of the Express app: gives the request its id and, when the answer
 *   is sent (`finish`), counts and logs it;
 * - `route(...).answered(...)`, for answers written in front of Express (the catalog's fast path,
 *   see installFrontDoor): the same series and the same line, without a `finish` hook or
 *   closure per request and with the series kept per status (no label lookup); the duration
 *   runs until the answer is handed to the socket (`res.end`), which for a stored answer is
 *   its last byte unless the client reads slowly.
 */
export class HttpObserver {
  constructor(
    private readonly metrics: Metrics,
    private readonly logger?: Logger,
    /** The client address as Express computes it (`trust proxy`), for requests Express never saw. */
    private readonly ipOf: (req: IncomingMessage) => string | undefined = () => undefined,
  ) {}

  readonly middleware = (req: Observed, res: Response, next: NextFunction): void => {
    const id = requestIdOf(req);
    req.id = id;
    res.setHeader('X-Request-Id', id);
    // from its arrival at the front door, if it waited there for its turn (TurnTaking)
    const start = arrivalOf(req) ?? process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const route = routeOf(req);
      this.metrics.observeRequest(req.method, route, res.statusCode, seconds);
      if (this.logger) {
        this.line(id, req.method, route, res.statusCode, seconds, req.user?.id, req.ip);
      }
    });
    next();
  };

  /** The observer of one route answered in front of Express. */
  route(method: string, route: string): RouteObserver {
    const log = this.logger
      ? (req: IncomingMessage, id: string, status: number, seconds: number, userId?: string) =>
          this.line(id, method, route, status, seconds, userId, this.ipOf(req))
      : undefined;
    return new RouteObserver((status) => this.metrics.httpSeries(method, route, status), log);
  }

  private line(
    id: string,
    method: string,
    route: string,
    status: number,
    seconds: number,
    userId: string | undefined,
    ip: string | undefined,
  ) {
    this.logger?.info(
      {
        request_id: id,
        method,
        route,
        status,
        duration_ms: Math.round(seconds * 1e4) / 10,
        user_id: userId,
        ip,
      },
      'request',
    );
  }
}

/** Counts (and logs, see HttpObserver) the answers of one route written in front of Express. */
export class RouteObserver {
  private readonly byStatus: HttpSeries[] = [];

  constructor(
    private readonly seriesOf: (status: number) => HttpSeries,
    private readonly log?: (
      req: IncomingMessage,
      id: string,
      status: number,
      seconds: number,
      userId?: string,
    ) => void,
  ) {}

  /**
   * An answer with `status` to `req` (id `id`, by `userId` when signed in), ended now; `start`
   * from process.hrtime.bigint().
   */
  answered(req: IncomingMessage, id: string, status: number, start: bigint, userId?: string) {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    (this.byStatus[status] ??= this.seriesOf(status)).observe(seconds);
    this.log?.(req, id, status, seconds, userId);
  }
}

/**
 * Runs the rest of the request in its request context, so every log line it causes carries its
 * `request_id` (ObservabilityModule mounts it for every route: on Node 20 an AsyncLocalStorage
 * in use costs every request about a tenth of its CPU, measured, and a fast-path hit, answered
 * in front of Express, logs nothing but its request line).
 */
export function enterRequestContext(req: Request, _res: Response, next: NextFunction): void {
  withRequestId(req.id === undefined ? undefined : String(req.id), next);
}
