import { INestApplication, Logger, RequestMethod, ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import helmet from 'helmet';

import { sendError } from './common/errors/all-exceptions.filter';
import { validationFailed } from './common/errors/validation-errors';
import { jsonDepth, JsonTooDeepError, MAX_JSON_DEPTH } from './common/http/json-depth';
import { requestContext } from './common/http/request-context.middleware';
import { AppConfig } from './config/app-config';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT = '1mb';

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Bibarys API')
    .setDescription(
      'Multi-vendor marketplace for Kazakhstan. Money is in tenge (KZT) with at most 2 decimals; ' +
        'lists are paginated with `page` and `page_size`; errors are `{statusCode, error, message}`.',
    )
    .setVersion('1.0.0')
    .setLicense('Proprietary', 'https://bibarys.kz/terms')
    .addServer('/', 'The server that serves this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
}

/** Everything main.ts and the tests both need: prefix, parsers, pipes, headers, docs. */
export function setupApp(app: INestApplication, config: AppConfig): void {
  const http = app.getHttpAdapter().getInstance() as express.Express;
  http.disable('x-powered-by');
  http.set('trust proxy', config.trustProxy === false ? false : parseTrust(config.trustProxy));
  http.set('etag', false);
  app.use(requestContext(config.logRequests));
  app.use(helmet());
  app.enableCors({
    origin: (origin: string | undefined, cb: (e: Error | null, ok?: boolean) => void) =>
      cb(null, !origin || config.corsOrigins.includes(origin)),
    credentials: false,
    // a browser client may read the limits it is under
    exposedHeaders: ['Retry-After', 'RateLimit', 'RateLimit-Policy'],
  });
  // the headers above are on every answer, also the catalog's fast path (ProductsModule mounts
  // it in front of the router: CatalogFastPath)
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
  const doc = buildOpenApi(app);
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs-json' });
  http.get('/api/redoc', (_req, res) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self' https://cdn.redoc.ly 'unsafe-inline'; style-src 'self' 'unsafe-inline' https://fonts.googleapis.com; font-src https://fonts.gstatic.com; img-src 'self' data: https:; worker-src blob:",
    );
    res.type('html').send(REDOC_HTML);
  });
}

function parseTrust(v: string): string | number | boolean {
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

const REDOC_HTML = `<!doctype html><html><head><title>Bibarys API — ReDoc</title><meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<redoc spec-url="/api/docs-json"></redoc>
<script src="https://cdn.redoc.ly/redoc/latest/bundles/redoc.standalone.js"></script></body></html>`;
