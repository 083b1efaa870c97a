import 'reflect-metadata';

import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoNestLogger } from 'nestjs-pino';

import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config/app-config';
import { GracefulShutdown } from './graceful-shutdown';
import { setupApp } from './setup-app';

async function bootstrap() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  // lines written while the app is built wait for the pino logger (JSON, request ids, redaction)
  const app = await NestFactory.create(AppModule, { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(PinoNestLogger));
  setupApp(app, config);
  const server = await app.listen(config.port);
  server.keepAliveTimeout = 65_000;
  Logger.log(`Bibarys serves on http://localhost:${config.port} (docs at /api/docs)`, 'Main');
  const shutdown = new GracefulShutdown(server);
  // Order matters: first the HTTP server drains (requests already accepted finish, new
  // connections are refused), only then the application closes (workers, outbox, database),
  // so no running request loses what it depends on.
  const stop = async (signal: string) => {
    Logger.log(`${signal}: finishing in-flight requests, then closing`, 'Main');
    setTimeout(() => {
      Logger.error('shutdown took longer than 20 s: exiting anyway', 'Main');
      process.exit(1);
    }, 20_000).unref();
    try {
      await shutdown.drain();
      await app.close();
    } catch (e) {
      Logger.error(`shutdown failed: ${(e as Error).stack ?? String(e)}`, 'Main');
      process.exit(1);
    }
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

void bootstrap();
