import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DataSource } from 'typeorm';

import { dataSourceOptions } from './data-source-options';

describe('dataSourceOptions on SQLite (a real file)', () => {
  let dir: string;
  let ds: DataSource | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bibarys-dso-'));
  });

  afterEach(async () => {
    await ds?.destroy();
    ds = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function pragmas(cacheMb: number) {
    ds = new DataSource({
      ...dataSourceOptions({
        type: 'sqlite',
        path: join(dir, 'x.sqlite'),
        busyTimeoutMs: 1234,
        cacheMb,
        walMaxMb: 32,
      }),
      migrationsRun: false,
    });
    await ds.initialize();
    const one = async (name: string) =>
      Object.values(((await ds!.query(`PRAGMA ${name}`)) as Record<string, unknown>[])[0])[0];
    return {
      cacheSize: await one('cache_size'),
      foreignKeys: await one('foreign_keys'),
      synchronous: await one('synchronous'),
      busyTimeout: await one('busy_timeout'),
      journalMode: await one('journal_mode'),
      journalSizeLimit: await one('journal_size_limit'),
    };
  }

  it('sets the page cache to SQLITE_CACHE_MB (in KiB, negative) and keeps the other pragmas', async () => {
    expect(await pragmas(2)).toEqual({
      cacheSize: -2048,
      foreignKeys: 1,
      synchronous: 1, // NORMAL
      busyTimeout: 1234,
      journalMode: 'wal',
      journalSizeLimit: 32 * 1024 * 1024, // SQLITE_WAL_MAX_MB
    });
  });

  it('takes a larger cache when told', async () => {
    expect((await pragmas(64)).cacheSize).toBe(-65536);
  });
});
