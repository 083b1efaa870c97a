import { Reflector } from '@nestjs/core';

import type { Actor } from '../../common/auth/actor';
import { ROLES } from '../../common/auth/auth.decorators';
import { PRODUCT_DEACTIVATED } from '../../common/events';
import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import { mayKeep } from './catalog-cache/catalog-cacheable';
import type { CatalogTotals } from './catalog-cache/catalog-totals';
import type { Product } from './product.entity';
import type { ProductInventoryService } from './product-inventory.service';
import { ProductsController } from './products.controller';
import type { ProductsRepository } from './products.repository';
import { ProductsService } from './products.service';

const actor = (id: string, role: Actor['role']): Actor => ({
  id,
  role,
  email: `${id}@bibarys.test`,
  firstName: id,
  lastName: 'Test',
});
const owner = actor('seller-1', 'seller');
const other = actor('seller-2', 'seller');
const admin = actor('admin-1', 'admin');
const customer = actor('customer-1', 'customer');

const product = (o: Partial<Product> = {}): Product =>
  ({
    id: 'p1',
    sellerId: owner.id,
    name: 'Домбыра',
    description: 'Казахская',
    price: 100_000,
    quantity: 3,
    category: 'other',
    imageUrls: [],
    isActive: true,
    rating: 0,
    ratingSum: 0,
    reviewCount: 0,
    soldCount: 0,
    nameSearch: 'домбыра',
    searchText: 'домбыра казахская',
    createdAt: new Date('2026-11-01T00:00:00Z'),
    updatedAt: new Date('2026-11-01T00:00:00Z'),
    ...o,
  }) as Product;

/** Sellers hidden by their shop's standing (what SellerStanding would answer). */
class FakeVisibility {
  hidden = new Set<string>();
  sellerFilter = () => ({ kind: 'except' as const, sellerIds: this.hidden });
  canSell = (sellerId: string) => !this.hidden.has(sellerId);
}

/** The service over fakes: a products table of one row, the events it emits, the writes. */
function build(stored: Product | null = product(), sellers = new FakeVisibility()) {
  const uow = new FakeUnitOfWork();
  const writes: string[] = [];
  let row = stored;
  const repo = {
    findById: jest.fn(async () => row),
    detailsById: jest.fn(async () => row),
    reload: jest.fn(async () => row!),
    update: jest.fn(async (_tx: unknown, _id: string, patch: Partial<Product>) => {
      writes.push('update');
      row = { ...row!, ...patch } as Product;
    }),
    allPage: jest.fn(async () => [[product()], 1]),
    lowStock: jest.fn(async () => [product({ quantity: 1 })]),
    countCatalog: jest.fn(async () => 1),
    catalogPage: jest.fn(async () => [product()]),
    activeCountOf: jest.fn(async () => 7),
  };
  const totals = { of: jest.fn((_f: unknown, count: () => Promise<number>) => count()) };
  const inventory = { setQuantity: jest.fn(), recordInitial: jest.fn() };
  const emitted: { name: string; event: { em: unknown; productId: string } }[] = [];
  const events = {
    emitAsync: jest.fn(async (name: string, event: { em: unknown; productId: string }) => {
      emitted.push({ name, event });
      writes.push(`event:${name}`);
      return [];
    }),
  };
  const service = new ProductsService(
    repo as unknown as ProductsRepository,
    uow.asUnitOfWork(),
    inventory as unknown as ProductInventoryService,
    totals as unknown as CatalogTotals,
    events as never,
    sellers,
  );
  return { service, repo, uow, inventory, emitted, writes, sellers };
}

const notFound = expect.objectContaining({ code: 'NOT_FOUND' });

describe('ProductsService', () => {
  describe('who may edit and deactivate', () => {
    it('lets the owning seller and any admin edit', async () => {
      for (const who of [owner, admin]) {
        const { service, repo } = build();
        const res = await service.update(who, 'p1', { price: 1500.5 });
        expect(res.price).toBe(1500.5);
        expect(repo.update.mock.calls[0][2]).toMatchObject({ price: 150_050 });
      }
    });

    it('answers 404, as if unknown, to another seller (and to a customer past the guard), changing nothing', async () => {
      for (const who of [other, customer]) {
        const { service, repo, emitted } = build();
        await expect(service.update(who, 'p1', { price: 1 })).rejects.toEqual(notFound);
        await expect(service.remove(who, 'p1')).rejects.toEqual(notFound);
        await expect(service.stockMovements(who, 'p1', {})).rejects.toEqual(notFound);
        expect(repo.update).not.toHaveBeenCalled();
        expect(emitted).toEqual([]);
      }
    });

    it('answers 404 for an unknown product', async () => {
      const { service } = build(null);
      await expect(service.update(admin, 'p1', { name: 'x' })).rejects.toEqual(notFound);
      await expect(service.remove(admin, 'p1')).rejects.toEqual(notFound);
    });

    it('leaves 403 to the role guard: only sellers and admins reach the writes', () => {
      const roles = (m: keyof ProductsController) =>
        new Reflector().get<string[]>(ROLES, ProductsController.prototype[m]);
      for (const m of ['create', 'update', 'remove'] as const) {
        expect(roles(m)).toEqual(['seller', 'admin']);
      }
    });
  });

  describe('deactivation', () => {
    it('emits PRODUCT_DEACTIVATED with the transaction, after the write, inside it', async () => {
      const { service, uow, emitted, writes } = build();
      await service.remove(owner, 'p1');
      expect(uow.runs).toBe(1);
      expect(emitted).toHaveLength(1);
      expect(emitted[0].name).toBe(PRODUCT_DEACTIVATED);
      expect(emitted[0].event.productId).toBe('p1');
      expect(emitted[0].event.em === uow.tx).toBe(true); // the open transaction's handle
      expect(writes).toEqual(['update', `event:${PRODUCT_DEACTIVATED}`]);
    });

    it('does it for is_active: false on an edit too, but not for an edit of an inactive product', async () => {
      const first = build();
      await first.service.update(admin, 'p1', { is_active: false });
      expect(first.emitted.map((e) => e.event.em === first.uow.tx)).toEqual([true]);

      const again = build(product({ isActive: false }));
      await again.service.update(owner, 'p1', { is_active: false, name: 'Другое' });
      await again.service.remove(owner, 'p1'); // repeating a delete changes nothing
      expect(again.emitted).toEqual([]);
      expect(again.repo.update).toHaveBeenCalledTimes(1);
    });
  });

  describe('edits', () => {
    it('keeps the search columns in step with name and description', async () => {
      const { service, repo } = build();
      await service.update(owner, 'p1', { name: 'КОБЫЗ' });
      expect(repo.update.mock.calls[0][2]).toMatchObject({
        nameSearch: 'кобыз',
        searchText: 'кобыз казахская',
      });
    });

    it('records a new quantity through the stock ledger, in the same transaction', async () => {
      const { service, inventory, uow } = build();
      await service.update(owner, 'p1', { quantity: 9 });
      const [[tx, ...rest]] = inventory.setQuantity.mock.calls as unknown[][];
      expect(tx === uow.tx).toBe(true);
      expect(rest).toEqual(['p1', 9, owner.id]);
    });
  });

  describe('reads', () => {
    it('shows an inactive product only to its seller and admins; only an active one is public', async () => {
      const hidden = build(product({ isActive: false }));
      await expect(hidden.service.get(undefined, 'p1')).rejects.toEqual(notFound);
      await expect(hidden.service.get(other, 'p1')).rejects.toEqual(notFound);
      const own = await hidden.service.get(owner, 'p1');
      expect(own.is_active).toBe(false);
      expect(mayKeep('public', own)).toBe(false);
      expect((await hidden.service.get(admin, 'p1')).id).toBe('p1');

      const active = await build().service.get(undefined, 'p1');
      expect(mayKeep('public', active)).toBe(true);
    });

    it("hides a hidden seller's product like an inactive one: 404 but to its seller and admins, never public", async () => {
      const { service, sellers } = build();
      sellers.hidden.add(owner.id);
      await expect(service.get(undefined, 'p1')).rejects.toEqual(notFound);
      await expect(service.get(customer, 'p1')).rejects.toEqual(notFound);
      await expect(service.getActive('p1')).rejects.toEqual(notFound);
      const own = await service.get(owner, 'p1');
      expect(mayKeep('public', own)).toBe(false);
      expect(mayKeep('public', await service.get(admin, 'p1'))).toBe(false);
      sellers.hidden.delete(owner.id); // reinstated
      expect(mayKeep('public', await service.get(undefined, 'p1'))).toBe(true);
      expect((await service.getActive('p1')).id).toBe('p1');
    });

    it("lists with the sellers' filter read at the time of the request, in the COUNT and the page", async () => {
      const { service, repo, sellers } = build();
      sellers.hidden = new Set([other.id]);
      await service.list({ page: 1, page_size: 20 });
      const filter = { sellers: { kind: 'except', sellerIds: new Set([other.id]) } };
      expect(repo.countCatalog).toHaveBeenCalledWith(expect.objectContaining(filter));
      expect(repo.catalogPage).toHaveBeenCalledWith(
        expect.objectContaining({ filter: expect.objectContaining(filter) }),
      );
    });

    it("answers the shop page's product count from the repository", async () => {
      const { service, repo } = build();
      expect(await service.activeProductCount(owner.id)).toBe(7);
      expect(repo.activeCountOf).toHaveBeenCalledWith(owner.id);
    });

    it("lists a seller's own products for the seller panel, every product for the admin", async () => {
      const { service, repo } = build();
      const page = await service.listForSeller(owner, { page: 3, page_size: 10 });
      expect(repo.allPage).toHaveBeenLastCalledWith(owner.id, 20, 10);
      expect(page).toMatchObject({ total: 1, page: 3, page_size: 10 });
      await service.listForAdmin(admin, { page: 1, page_size: 20 });
      expect(repo.allPage).toHaveBeenLastCalledWith(undefined, 0, 20);
      await service.lowStockForSeller(owner, 5);
      expect(repo.lowStock).toHaveBeenCalledWith(owner.id, 5, 100);
    });
  });
});
