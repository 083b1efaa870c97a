import 'reflect-metadata';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { Client } from 'pg';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';

import { AppModule } from '../src/app.module';
import { loadConfig, loadDatabaseConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { LOG_DESTINATION } from '../src/observability/observability.module';
import { setupApp } from '../src/setup-app';
import { TEST_JWT_SECRET } from './support/jwt';

export const ADMIN = { email: 'admin@bibarys.test', password: 'admin-password-1' };

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  ds: DataSource;
  /** postgres or sqlite */
  db: 'postgres' | 'sqlite';
  /** The DATABASE_URL / DATABASE_PATH this app runs on (for a second process or a restart). */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const isPgRun = () => /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');

/** A throwaway database: a fresh SQLite file, or (when DATABASE_URL is set) a new PostgreSQL database. */
export async function createTestDatabase(): Promise<{
  env: Record<string, string>;
  drop(): Promise<void>;
}> {
  if (isPgRun()) {
    const base = new URL(process.env.DATABASE_URL!);
    const run = (process.env.TEST_DB_RUN ?? String(process.pid)).replace(/\W/g, '');
    const name = `bibarys_test_${run}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new Client({ connectionString: base.toString() });
    await admin.connect();
    try {
      // a run of scripts/test-pg.js (TEST_DB_RUN, whose cleanup drops the template at the end)
      // copies a database migrated once per run instead of migrating each (~0.3 s per app start)
      const template = process.env.TEST_DB_RUN ? await migratedTemplate(admin, base, run) : null;
      await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
    } finally {
      await admin.end();
    }
    const url = new URL(base.toString());
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: url.toString() },
      drop: async () => {
        const c = new Client({ connectionString: base.toString() });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'bibarys-test-'));
  return {
    env: { DATABASE_PATH: join(dir, 'test.sqlite') },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * `bibarys_test_<run>_template`: an empty database with every migration applied (no rows: the
 * admin is seeded by each app's start, as on a fresh database), made on first use in this run.
 * It is built under another name and renamed when complete, so a run killed half-way never
 * leaves a half-migrated template behind; test files run one at a time (`--runInBand`).
 */
async function migratedTemplate(admin: Client, base: URL, run: string): Promise<string> {
  const template = `bibarys_test_${run}_template`;
  const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
  if (found.rowCount) return template;
  const building = `bibarys_test_${run}_building`;
  await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${building}`);
  const url = new URL(base.toString());
  url.pathname = `/${building}`;
  const ds = new DataSource({
    ...dataSourceOptions(loadDatabaseConfig({ DATABASE_URL: url.toString() })),
    migrationsRun: false,
  });
  await ds.initialize();
  try {
    await ds.runMigrations();
  } finally {
    await ds.destroy();
  }
  await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
  return template;
}

/**
 * The real AppModule over real HTTP, on its own fresh database. With `opts.logs` the app logs
 * as main.ts makes it (pino through nestjs-pino) into that stream instead of standard output.
 * (nestjs-pino keeps the first root logger of a process: one such app per test file.)
 */
export async function createTestApp(
  extraEnv: Record<string, string> = {},
  database?: { env: Record<string, string>; drop(): Promise<void> },
  opts: { logs?: { write(line: string): void } } = {},
): Promise<TestApp> {
  const db = database ?? (await createTestDatabase());
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    PAYMENT_WEBHOOK_SECRET: 'test-webhook-secret',
    MAIL_POLL_MS: '200',
    // every suite registers many users from one address: the limits' own tests set them low
    RATE_LIMIT_REGISTER: '100000/1h',
    RATE_LIMIT_PASSWORD_FORGOT: '100000/1h',
    // real bcrypt at its lowest cost: suites make thousands of accounts (cost 10 is ~75 ms of CPU
    // each); the suites about hashing itself set their own (password-hash-queue: 12)
    BCRYPT_ROUNDS: '4',
    // hash threads at the normal policy: at SCHED_IDLE, with both suites side by side keeping
    // every core busy, each of those thousands of hashes would wait for its rescue (250 ms)
    PASSWORD_HASH_IDLE: 'false',
    ...db.env,
    ...extraEnv,
  };
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    let app: INestApplication;
    if (opts.logs) {
      const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
        .overrideProvider(LOG_DESTINATION)
        .useValue(opts.logs)
        .compile();
      app = moduleRef.createNestApplication({ bodyParser: false, bufferLogs: true });
      app.useLogger(app.get(PinoNestLogger));
    } else {
      app = await NestFactory.create(AppModule, { bodyParser: false, logger: ['error', 'warn'] });
    }
    setupApp(app, loadConfig());
    await app.init();
    const ds = app.get(DataSource);
    return {
      app,
      http: request(app.getHttpServer()),
      ds,
      db: isPgRun() ? 'postgres' : 'sqlite',
      env,
      close: async () => {
        await app.close();
        if (!database) await db.drop();
      },
    };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
