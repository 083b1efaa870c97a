import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

import { dataSourceOptions } from '../../database/data-source-options';
import type { ColumnOf } from '../../database/sql';
import { Payout, SellerLedgerEntry } from './finance.entities';
import { ENTRY_COLUMNS } from './ledger.repository';
import { PAYOUT_COLUMNS } from './payout.repository';

/**
 * The finance repositories write payouts and ledger entries as fixed SQL (`insertValues`): their
 * column lists must name every column of the entity, each with its own property, or a new column
 * would silently be left to its default.
 */
describe('raw insert columns of the finance tables', () => {
  let dir: string;
  let ds: DataSource;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bibarys-cols-'));
    ds = new DataSource({
      ...dataSourceOptions({
        type: 'sqlite',
        path: join(dir, 'x.sqlite'),
        busyTimeoutMs: 1000,
        cacheMb: 2,
        walMaxMb: 32,
      }),
      migrationsRun: false,
    });
    await ds.initialize();
  });

  afterAll(async () => {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const pairsOf = <T extends ObjectLiteral>(target: EntityTarget<T>) =>
    ds
      .getMetadata(target)
      .columns.map((c) => [c.databaseName, c.propertyName])
      .sort();
  const sorted = <T>(cols: readonly ColumnOf<T>[]) => cols.map(([c, p]) => [c, p]).sort();

  it('payouts: every column of Payout', () => {
    expect(sorted(PAYOUT_COLUMNS)).toEqual(pairsOf(Payout));
  });

  it('seller_ledger_entries: every column of SellerLedgerEntry', () => {
    expect(sorted(ENTRY_COLUMNS)).toEqual(pairsOf(SellerLedgerEntry));
  });
});
