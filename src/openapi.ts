import 'reflect-metadata';

import { writeFileSync } from 'node:fs';

import { NestFactory } from '@nestjs/core';

import { AppModule } from './app.module';
import { loadConfig } from './config/app-config';
import { buildOpenApi, setupApp } from './setup-app';

/** Writes the OpenAPI document (npm run openapi) from a throwaway in-memory database. */
async function main() {
  process.env.DATABASE_PATH = ':memory:';
  delete process.env.DATABASE_URL;
  process.env.NODE_ENV = 'test';
  const app = await NestFactory.create(AppModule, { bodyParser: false, logger: false });
  setupApp(app, loadConfig());
  await app.init();
  const out = process.argv[2] ?? 'openapi.json';
  writeFileSync(out, JSON.stringify(buildOpenApi(app), null, 2));
  await app.close();
  console.log(`wrote ${out}`);
}

void main();
