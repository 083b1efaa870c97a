import { randomUUID } from 'node:crypto';

import { UnitOfWork } from '../../src/database/unit-of-work';
import {
  LedgerEntryInput,
  SellerLedgerService,
} from '../../src/modules/finance/seller-ledger.service';
import { Shop } from '../../src/modules/shops/shop.entity';
import { User } from '../../src/modules/users/user.entity';
import { TestApp } from '../create-test-app';
import { ADMIN } from '../create-test-app';
import { Actor, login } from './users';

/** Bank details that pass the shops module's checks (Kaspi Bank's BIN, the registry's KZ IBAN). */
export const BANK = {
  binIin: '971240001315',
  iban: 'KZ86125KZT5004100100',
  bik: 'CASPKZKA',
  kbe: '17',
};

/**
 * Gives the seller a complete shop through the API (`PUT /seller/shop`, submit) and, unless
 * `approved: false`, has the admin approve it: payouts pay approved shops only.
 */
export async function shopFor(
  t: TestApp,
  seller: Pick<Actor, 'id' | 'email' | 'auth'>,
  o: { approved?: boolean; shopName?: string } = {},
): Promise<{ shopName: string }> {
  // the whole local part: its first 12 characters are the same for sellers made in one instant,
  // and two shops of one name collide on the slug (409 — seen when four were made at once)
  const shopName = o.shopName ?? `Магазин ${seller.email.split('@')[0]}`;
  const put = await t.http.put('/api/v1/seller/shop').set(seller.auth).send({
    name: shopName,
    legal_form: 'too',
    bin_iin: BANK.binIin,
    iban: BANK.iban,
    bik: BANK.bik,
    kbe: BANK.kbe,
  });
  if (put.status !== 200) throw new Error(`shop edit: ${put.status} ${JSON.stringify(put.body)}`);
  if (o.approved === false) return { shopName };
  const submit = await t.http.post('/api/v1/seller/shop/submit').set(seller.auth);
  if (submit.status !== 200) throw new Error(`shop submit: ${submit.status}`);
  const admin = await login(t.http, ADMIN.email, ADMIN.password);
  const ok = await t.http.put(`/api/v1/admin/sellers/${seller.id}/approve`).set(admin.auth);
  if (ok.status !== 200) throw new Error(`shop approve: ${ok.status} ${JSON.stringify(ok.body)}`);
  return { shopName };
}

/** Many sellers with approved shops written straight into the tables (for scale tests). */
export async function insertSellersWithShops(t: TestApp, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  const now = new Date();
  for (let i = 0; i < n; i += 200) {
    const part = ids.slice(i, i + 200);
    await t.ds.getRepository(User).insert(
      part.map((id) => ({
        id,
        email: `${id}@example.kz`,
        passwordHash: 'x',
        firstName: 'Асель',
        lastName: 'Ахметова',
        role: 'seller' as const,
      })),
    );
    await t.ds.getRepository(Shop).insert(
      part.map((id) => ({
        id: randomUUID(),
        sellerId: id,
        name: `Shop ${id.slice(0, 6)}`,
        status: 'approved' as const,
        legalForm: 'too' as const,
        ...BANK,
        approvedAt: now,
      })),
    );
  }
  return ids;
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
