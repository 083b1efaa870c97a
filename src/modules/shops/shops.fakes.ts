import { jest } from '@jest/globals';

import type { Actor } from '../../common/auth/actor';
import type { Tx } from '../../database/unit-of-work';
import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import type { Mail } from '../email/mailer';
import type { Shop } from './shop.entity';
import type { NewHistoryRow, ShopPatch } from './shops.repository';

/** For unit specs: an in-memory ShopsRepository of the questions the services ask. */
export class FakeShopsRepository {
  shops: Shop[] = [];
  history: NewHistoryRow[] = [];
  /** Makes the next conditional update lose its race. */
  loseNextRace = false;

  ofSeller = jest.fn(async (sellerId: string) => {
    const s = this.shops.find((x) => x.sellerId === sellerId);
    return s ? { ...s } : null;
  });
  bySlug = jest.fn(async (slug: string) => this.shops.find((x) => x.slug === slug) ?? null);
  createDraftIfMissing = jest.fn(async (_tx: unknown, sellerId: string) => {
    if (!this.shops.some((s) => s.sellerId === sellerId)) this.shops.push(shop({ sellerId }));
  });
  slugTaken = jest.fn(async (_tx: unknown, slug: string, sellerId: string) =>
    this.shops.some((s) => s.slug === slug && s.sellerId !== sellerId),
  );
  slugsLike = jest.fn(async (_tx: unknown, base: string) =>
    this.shops.map((s) => s.slug).filter((s): s is string => !!s && s.startsWith(base)),
  );
  updateIfStatus = jest.fn(async (_tx: unknown, id: string, from: string, patch: ShopPatch) => {
    const s = this.shops.find((x) => x.id === id);
    if (!s || s.status !== from || this.loseNextRace) {
      this.loseNextRace = false;
      return false;
    }
    Object.assign(s, patch);
    return true;
  });
  setHoliday = jest.fn(async (_tx: unknown, id: string, holiday: boolean) => {
    Object.assign(
      this.shops.find((x) => x.id === id)!,
      { holiday },
    );
  });
  addHistory = jest.fn(async (_tx: unknown, row: NewHistoryRow) => {
    this.history.push(row);
  });
  list = jest.fn(async () => [this.shops, this.shops.length] as [Shop[], number]);
}

let n = 0;
/** A shop row with defaults (a draft with nothing filled in). */
export function shop(over: Partial<Shop> = {}): Shop {
  n++;
  return {
    id: `shop-${n}`,
    sellerId: `seller-${n}`,
    name: null,
    nameSearch: null,
    slug: null,
    description: '',
    city: null,
    supportPhone: null,
    legalForm: null,
    binIin: null,
    vatPayer: false,
    iban: null,
    bik: null,
    kbe: null,
    status: 'draft',
    statusReason: null,
    rating: 0,
    ratingSum: 0,
    reviewCount: 0,
    holiday: false,
    approvedAt: null,
    createdAt: new Date('2026-11-30T08:00:00Z'),
    updatedAt: new Date('2026-11-30T08:00:00Z'),
    ...over,
  };
}

/** A complete shop of a TOO (Kaspi Bank's BIN, the registry's IBAN). */
export const complete = (over: Partial<Shop> = {}): Shop =>
  shop({
    name: 'Дала Тойс',
    slug: 'dala-tois',
    legalForm: 'too',
    binIin: '971240001315',
    iban: 'KZ86125KZT5004100100',
    bik: 'CASPKZKA',
    kbe: '17',
    ...over,
  });

export const actor = (id: string, role: Actor['role'] = 'seller'): Actor => ({
  id,
  role,
  email: `${id}@example.kz`,
  firstName: 'Асель',
  lastName: 'Ахметова',
});

/** The collaborators every shops service takes, as fakes. */
export function collaborators() {
  return {
    uow: new FakeUnitOfWork(),
    shops: new FakeShopsRepository(),
    outbox: {
      enqueue: jest.fn(async (_tx: Tx, _mail: Mail, _kind: string) => undefined),
      kick: jest.fn(() => undefined),
    },
    users: {
      activeAdmins: jest.fn(async () => [actor('admin-1', 'admin'), actor('admin-2', 'admin')]),
      findById: jest.fn(async (id: string) => (id.startsWith('seller') ? actor(id) : null)),
    },
    standing: { reload: jest.fn(async () => undefined) },
    catalog: { activeProductCount: jest.fn(async (_sellerId: string) => 4) },
  };
}

/** The domain error code a call ends with ('resolved' when it does not throw). */
export const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'resolved',
    (e: { code?: string }) => e.code ?? 'unknown',
  );
