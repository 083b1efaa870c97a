import { Global, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config';
import { enterRequestContext } from './http-observer';
import { createRootLogger } from './logger';
import { Metrics } from './metrics';

/** Where the root logger writes; null: standard output. Tests override it to read the lines. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');
/** The process's pino logger (the request lines; Nest's `Logger` writes through it too). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

@Module({
  providers: [
    { provide: LOG_DESTINATION, useValue: null },
    {
      provide: ROOT_LOGGER,
      inject: [APP_CONFIG, LOG_DESTINATION],
      useFactory: (c: AppConfig, dest: Parameters<typeof createRootLogger>[1]) =>
        createRootLogger(c.log, dest),
    },
  ],
  exports: [ROOT_LOGGER],
})
class RootLoggerModule {}

/**
 * Logs and metrics. nestjs-pino's `Logger` (installed by main.ts with `app.useLogger`) sends every
 * `new Logger(context)` line of the code through the root pino logger. Its own pino-http
 * middleware is not mounted (`forRoutes: []`): the request line and the request id come from
 * `HttpObserver` (setupApp), which also counts and logs the catalog's fast path, answered in front
 * of Express. The request context (request ids on service lines) starts with the module
 * middleware, for every request that reaches the router.
 */
@Global()
@Module({
  imports: [
    RootLoggerModule,
    LoggerModule.forRootAsync({
      imports: [RootLoggerModule],
      inject: [ROOT_LOGGER],
      useFactory: (logger: Logger) => ({ pinoHttp: { logger }, forRoutes: [] }),
    }),
  ],
  providers: [{ provide: Metrics, useFactory: () => new Metrics(true) }],
  exports: [RootLoggerModule, Metrics],
})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // `{/*splat}` (no leading slash) also matches the prefix itself once the prefix is applied
    consumer.apply(enterRequestContext).forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
  }
}
