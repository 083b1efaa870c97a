import { Injectable } from '@nestjs/common';

import { TableCache } from '../../database/table-cache';
import { FinanceClock } from './finance-clock';
import { HeldTotals, LedgerRepository } from './ledger.repository';

interface Kept extends HeldTotals {
  /** The finance clock when it was read (ms). */
  readAt: number;
}

/** Sellers whose balance is kept at most: more than the sellers of a large marketplace. */
const MAX_SELLERS = 50_000;

/**
 * Sellers' balances (summary row plus money on hold) kept in memory until `seller_balances`
 * changes — every ledger entry moves its seller's summary in the same transaction, so any entry
 * written anywhere invalidates them: through this process at once (the repository reports its SQL
 * writes), another process's commit as TableCache says (SQLite `data_version`; PostgreSQL's
 * notification, migration BalanceCacheNotify). A kept balance also goes stale by itself when money
 * on hold is released: it is read again once the finance clock reaches the first release (or
 * runs backwards past the read).
 * `GET /seller/balance` is read far more often than the ledger is written (issue 15: p99 ≤ 10 ms
 * at 50 connections over 10,000 sellers).
 */
@Injectable()
export class BalanceCache {
  private readonly cache: TableCache<Kept>;

  constructor(ledger: LedgerRepository, clock: FinanceClock) {
    this.cache = new TableCache<Kept>(
      ledger.watchSummaries(),
      async (sellerId) => {
        const readAt = clock.now().getTime();
        const row = await ledger.balanceRow(sellerId, new Date(readAt));
        return row && { ...row, readAt };
      },
      (row) => ({ ...row }),
      {
        maxEntries: MAX_SELLERS,
        fresh: (row) => {
          const now = clock.now().getTime();
          return row.readAt <= now && (row.nextRelease === null || now < row.nextRelease.getTime());
        },
      },
    );
  }

  /** The seller's totals with the money on hold now; null for a seller without entries. */
  get(sellerId: string): Promise<HeldTotals | null> {
    return this.cache.get(sellerId);
  }

  /** The seller's totals if they are in memory and current; undefined when they must be read. */
  peek(sellerId: string): HeldTotals | undefined {
    return this.cache.peek(sellerId);
  }
}
