import { UnitOfWork } from '../../src/database/unit-of-work';
import {
  InMemoryPayoutRecipients,
  PayoutRecipient,
} from '../../src/modules/finance/payout-recipients';
import {
  LedgerEntryInput,
  SellerLedgerService,
} from '../../src/modules/finance/seller-ledger.service';
import { TestApp } from '../create-test-app';
import { Actor } from './users';

/** Bank details that pass the shops module's checks (a valid IIN and IBAN). */
export const BANK = {
  binIin: '880101300123',
  iban: 'KZ86125KZT5004100100',
  bik: 'KCJBKZKX',
  kbe: '19',
};

/** Makes a seller known to payouts (phase 1: the in-memory recipients directory). */
export function registerRecipient(
  t: TestApp,
  seller: Pick<Actor, 'id' | 'email'>,
  over: Partial<PayoutRecipient> = {},
): PayoutRecipient {
  const r: PayoutRecipient = {
    sellerId: seller.id,
    approved: true,
    shopName: `Магазин ${seller.email.slice(0, 12)}`,
    ...BANK,
    email: seller.email,
    firstName: 'Асель',
    ...over,
  };
  t.app.get(InMemoryPayoutRecipients).register(r);
  return r;
}

/** Appends ledger entries as the money hooks will (in a transaction of their own). */
export function record(t: TestApp, entries: LedgerEntryInput[]) {
  const ledger = t.app.get(SellerLedgerService);
  return t.app.get(UnitOfWork).run((tx) => ledger.record(tx, entries));
}

/** A delivered, available sale of `kzt` with its 10 % commission. */
export function availableSale(t: TestApp, sellerId: string, kzt: number, commissionKzt = kzt / 10) {
  const past = new Date(Date.now() - 15 * 86_400_000);
  return record(t, [
    { sellerId, type: 'sale', amount: Math.round(kzt * 100), availableAt: past },
    { sellerId, type: 'commission', amount: -Math.round(commissionKzt * 100), availableAt: past },
  ]);
}

/** Σ of a seller's entries and their summary row, straight from the tables (for invariants). */
export async function ledgerVsSummary(t: TestApp, sellerId: string) {
  const [sum] = await t.ds.query(
    `SELECT COALESCE(SUM(amount), 0) AS s, COUNT(*) AS n FROM seller_ledger_entries WHERE seller_id = ${
      t.db === 'postgres' ? '$1' : '?'
    }`,
    [sellerId],
  );
  const [row] = await t.ds.query(
    `SELECT total, entry_count FROM seller_balances WHERE seller_id = ${
      t.db === 'postgres' ? '$1' : '?'
    }`,
    [sellerId],
  );
  return {
    entries: Number(sum.s),
    count: Number(sum.n),
    summary: row ? Number(row.total) : 0,
    summaryCount: row ? Number(row.entry_count) : 0,
  };
}
