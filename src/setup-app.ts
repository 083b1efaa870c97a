import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';

import { INestApplication, Logger, RequestMethod, ValidationPipe } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import cors from 'cors';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import helmet from 'helmet';
import proxyaddr from 'proxy-addr';

import { sendError } from './common/errors/all-exceptions.filter';
import { validationFailed } from './common/errors/validation-errors';
import { personalByDefault } from './common/http/cache-control';
import { headersSetBy, installFrontDoor } from './common/http/front-door';
import { jsonDepth, JsonTooDeepError, MAX_JSON_DEPTH } from './common/http/json-depth';
import { AppConfig } from './config/app-config';
import { mountDashboard } from './dashboard';
import { authenticatedFastPath } from './modules/auth/authenticated-fast-path';
import { JwtStrategy } from './modules/auth/jwt.strategy';
import { SellerFinanceController } from './modules/finance/seller-finance.controller';
import { CatalogFastPath } from './modules/products/catalog-cache/catalog-fast-path';
import { HttpObserver } from './observability/http-observer';
import { Metrics } from './observability/metrics';
import { metricsEndpoint } from './observability/metrics-endpoint';
import { ROOT_LOGGER } from './observability/observability.module';
import { finishDocument } from './openapi/document';
import { operationIdOf } from './openapi/operation-ids';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT = '1mb';
/** Response headers a browser script may read (CORS hides every other one). */
export const CORS_EXPOSED_HEADERS = [
  'X-Request-Id',
  'Retry-After',
  'Idempotent-Replayed',
  'ETag',
  'RateLimit-Policy',
  'RateLimit',
  'X-Cache',
];
/** How long a browser may reuse a preflight answer, in seconds. */
export const CORS_MAX_AGE_S = 600;

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Bibarys API')
    .setDescription(
      'Multi-vendor marketplace for Kazakhstan. Money is in tenge (KZT) with at most 2 decimals; ' +
        'lists are paginated with `page` and `page_size`; errors are `{statusCode, error, message, code}` ' +
        '(`code` from the ErrorCode list; a 400 for invalid input adds `errors: [{field, code, message}]`). ' +
        'Every answer carries `X-Request-Id`; public catalog reads carry a strong `ETag` (send ' +
        '`If-None-Match` for a 304) and `Cache-Control: public, max-age=0, must-revalidate`, ' +
        'everything else `Cache-Control: private, no-store`.',
    )
    .setVersion('1.0.0')
    .setLicense('Proprietary', 'https://bibarys.kz/terms')
    .addServer('/', 'The server that serves this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return finishDocument(
    SwaggerModule.createDocument(app, config, { operationIdFactory: operationIdOf }),
  );
}

/** Everything main.ts and the tests both need: prefix, parsers, pipes, headers, docs. */
export function setupApp(app: INestApplication, config: AppConfig): void {
  const http = app.getHttpAdapter().getInstance() as express.Express;
  http.disable('x-powered-by');
  http.set('trust proxy', config.trustProxy === false ? false : parseTrust(config.trustProxy));
  http.set('etag', false);
  const metrics = app.get(Metrics);
  const observer = new HttpObserver(
    metrics,
    config.log.requests ? app.get(ROOT_LOGGER) : undefined,
    (req) => proxyaddr(req, http.get('trust proxy fn') as (addr: string, i: number) => boolean),
  );
  const security = helmet();
  const corsAllowed = (origin: string | undefined) =>
    !origin || config.corsOrigins.includes(origin);
  const corsHeaders = cors({
    origin: (origin, cb) => cb(null, corsAllowed(origin)),
    credentials: false,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_S,
  });
  app.use(observer.middleware);
  app.use(security);
  app.use(corsHeaders);
  app.use(personalByDefault);
  app.use(
    express.json({
      limit: BODY_LIMIT,
      verify: (req, _res, buf) => {
        if (jsonDepth(buf) > MAX_JSON_DEPTH) throw new JsonTooDeepError();
        (req as unknown as { rawBody: Buffer }).rawBody = buf;
      },
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT }));
  // for the operator's scraper, outside the API and its document (README: Deploy → Metrics)
  http.get('/metrics', metricsEndpoint(metrics, config.metricsToken));
  // the seller and admin screens (dashboard/, built into dist/dashboard/ by `npm run build`)
  mountDashboard(http);
  const logger = new Logger('Errors');
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    sendError(res, req, err, logger);
  });
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
      exceptionFactory: validationFailed,
    }),
  );
  // stored anonymous catalog reads are answered before Express, with the headers of the
  // middleware above (one list per CORS outcome: an allowed origin each, or none)
  const common = new Map<string, readonly string[]>();
  const commonHeaders = (origin: string | undefined) => {
    const key = corsAllowed(origin) ? (origin ?? '') : '\0';
    let h = common.get(key);
    if (!h) {
      h = headersSetBy([security, corsHeaders], origin === undefined ? {} : { origin });
      common.set(key, h);
    }
    return h;
  };
  const prefix = `/${API_PREFIX}`;
  const catalog = app.get(CatalogFastPath).handler({ prefix, observer, commonHeaders });
  // hot authenticated GETs (bench/money.js m1), through the guard's own strategy and caches
  const authenticated = authenticatedFastPath({
    prefix,
    observer,
    commonHeaders,
    strategy: app.get(JwtStrategy),
    reflector: app.get(Reflector),
    routes: [
      {
        controller: SellerFinanceController,
        handler: 'balance',
        inMemory: 'balanceInMemory',
        instance: app.get(SellerFinanceController),
      },
    ],
  });
  installFrontDoor(
    app.getHttpServer() as Server,
    http,
    (req, res) => catalog(req, res) || authenticated(req, res),
  );
  // built on the first request for it, not at start: scanning every route and DTO is about a
  // quarter of a second of CPU that a server which is never asked for its document does not need
  SwaggerModule.setup('api/docs', app, () => buildOpenApi(app), {
    jsonDocumentUrl: 'api/docs-json',
  });
  http.get('/api/redoc', (_req, res) => {
    res.setHeader('Content-Security-Policy', REDOC_CSP);
    res.type('html').send(REDOC_HTML);
  });
  http.get(REDOC_SCRIPT, (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('application/javascript').sendFile(redocBundle());
  });
}

function parseTrust(v: string): string | number | boolean {
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/** ReDoc's standalone bundle, served by this server from the pinned `redoc` package. */
export const REDOC_SCRIPT = '/api/redoc/redoc.standalone.js';
// styled-components injects styles, ReDoc's search runs in a blob: worker; nothing from elsewhere
const REDOC_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src blob:";
const REDOC_HTML = `<!doctype html><html><head><title>Bibarys API — ReDoc</title><meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<redoc spec-url="/api/docs-json"></redoc>
<script src="${REDOC_SCRIPT}"></script></body></html>`;

/**
 * The bundle's path: `dist/public/` in a build or release (copied there from the pinned `redoc`
 * dev dependency by scripts/copy-assets.js, so a release carries one file instead of ReDoc's
 * React tree), else the installed package (running from the sources, in the tests).
 */
export function redocBundle(): string {
  const built = join(__dirname, 'public', 'redoc.standalone.js');
  return existsSync(built) ? built : require.resolve('redoc/bundles/redoc.standalone.js');
}
