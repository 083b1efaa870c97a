import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import type { ProductInventoryService } from '../products/product-inventory.service';
import type { ProductDetails } from '../products/product-shape';
import type { ProductsService } from '../products/products.service';
import type { WishlistRepository } from './wishlist.repository';
import { WishlistService } from './wishlist.service';
import type { WishlistItem } from './wishlist-item.entity';

const alice: Actor = {
  id: 'alice',
  role: 'customer',
  email: 'alice@bibarys.test',
  firstName: 'Alice',
  lastName: 'Test',
};

const product = (id: string, isActive = true): ProductDetails => ({
  id,
  sellerId: 'seller',
  name: `Товар ${id}`,
  description: '',
  price: 12_990_50,
  quantity: 4,
  category: 'home',
  imageUrls: [],
  isActive,
  rating: 0,
  ratingSum: 0,
  reviewCount: 0,
  createdAt: new Date('2026-11-01T00:00:00Z'),
  updatedAt: new Date('2026-11-01T00:00:00Z'),
});

const line = (productId: string, minute: number): WishlistItem => ({
  id: `w-${productId}`,
  userId: alice.id,
  productId,
  addedAt: new Date(`2026-11-28T12:${String(minute).padStart(2, '0')}:00Z`),
});

/** The service over a wishlist of `lines` and a catalog of `catalog`. */
function build(lines: WishlistItem[], catalog: ProductDetails[], hidden = new Set<string>()) {
  const uow = new FakeUnitOfWork();
  const repo = {
    linesOf: jest.fn(async () => lines),
    lineOf: jest.fn(async (_u: string, pid: string) => lines.find((l) => l.productId === pid)),
    insert: jest.fn(async (_tx: unknown, row: { id: string; productId: string }) => ({
      ...row,
      userId: alice.id,
      addedAt: new Date('2026-11-28T13:00:00Z'),
    })),
    remove: jest.fn(async () => false),
    removeProduct: jest.fn(),
  };
  const findByIds = jest.fn(async (ids: string[]) => catalog.filter((p) => ids.includes(p.id)));
  const getActive = jest.fn(async (id: string) => {
    const p = catalog.find((c) => c.id === id && c.isActive);
    if (!p) throw new DomainError('NOT_FOUND', 'Product not found');
    return p;
  });
  const service = new WishlistService(
    repo as unknown as WishlistRepository,
    uow.asUnitOfWork(),
    { getActive } as unknown as ProductsService,
    { findByIds } as unknown as ProductInventoryService,
    { canSell: (sellerId: string) => !hidden.has(sellerId) },
  );
  return { service, repo, findByIds, uow };
}

const notFound = expect.objectContaining({ code: 'NOT_FOUND' });

describe('WishlistService', () => {
  it('lists the lines in their order with their products, read in one call, inactive ones left out', async () => {
    const { service, findByIds } = build(
      [line('b', 3), line('gone', 2), line('a', 1)],
      [product('a'), product('b'), product('gone', false)],
    );
    const res = await service.list(alice);
    expect(findByIds).toHaveBeenCalledTimes(1);
    expect(findByIds).toHaveBeenCalledWith(['b', 'gone', 'a']);
    expect(res.total).toBe(2);
    expect(res.items.map((i) => [i.product_id, i.product.id, i.added_at])).toEqual([
      ['b', 'b', '2026-11-28T12:03:00.000Z'],
      ['a', 'a', '2026-11-28T12:01:00.000Z'],
    ]);
    expect(res.items[0].product).toMatchObject({ price: 12990.5, is_active: true });
  });

  it("shows a hidden seller's product as not active, and active again once reinstated", async () => {
    const hidden = new Set(['seller']);
    const { service } = build([line('a', 1)], [product('a')], hidden);
    expect((await service.list(alice)).items.map((i) => i.product.is_active)).toEqual([false]);
    expect((await service.get(alice, 'a')).product.is_active).toBe(false);
    hidden.clear();
    expect((await service.list(alice)).items[0].product.is_active).toBe(true);
  });

  it('adds a new line (created) or answers with the line already there', async () => {
    const fresh = build([], [product('a')]);
    const added = await fresh.service.add(alice, 'a');
    expect(added.created).toBe(true);
    expect(added.item.product_id).toBe('a');
    expect(fresh.repo.insert).toHaveBeenCalledTimes(1);

    const there = build([line('a', 5)], [product('a')]);
    const again = await there.service.add(alice, 'a');
    expect(again).toMatchObject({ created: false, item: { added_at: '2026-11-28T12:05:00.000Z' } });
    expect(there.repo.insert).not.toHaveBeenCalled();
  });

  it('refuses an unknown or inactive product with 404, adding nothing', async () => {
    const { service, repo } = build([], [product('off', false)]);
    await expect(service.add(alice, 'off')).rejects.toEqual(notFound);
    await expect(service.add(alice, 'unknown')).rejects.toEqual(notFound);
    expect(repo.insert).not.toHaveBeenCalled();
  });

  it('answers a concurrent add that won with its line', async () => {
    const { service, repo } = build([], [product('a')]);
    let first = true;
    repo.lineOf.mockImplementation(async () => (first ? undefined : line('a', 7)));
    repo.insert.mockImplementationOnce(async () => {
      first = false;
      throw Object.assign(new Error('duplicate'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    });
    const res = await service.add(alice, 'a');
    expect(res).toMatchObject({ created: false, item: { added_at: '2026-11-28T12:07:00.000Z' } });
  });

  it('gets a line only while its product is active; else 404', async () => {
    const { service, findByIds } = build(
      [line('a', 1), line('off', 2)],
      [product('a'), product('off', false)],
    );
    expect((await service.get(alice, 'a')).product_id).toBe('a');
    await expect(service.get(alice, 'off')).rejects.toEqual(notFound);
    findByIds.mockClear();
    await expect(service.get(alice, 'not-there')).rejects.toEqual(notFound);
    expect(findByIds).not.toHaveBeenCalled(); // no line: the products are not asked
  });

  it('removing a line that is not there is 404', async () => {
    const { service } = build([], []);
    await expect(service.remove(alice, 'a')).rejects.toEqual(notFound);
  });

  it('drops a deactivated product from every wishlist inside the deactivating transaction', async () => {
    const { service, repo, uow } = build([], []);
    await service.onProductDeactivated({ em: uow.tx, productId: 'a' });
    const [[tx, productId]] = repo.removeProduct.mock.calls as unknown[][];
    expect(tx === uow.tx).toBe(true);
    expect(productId).toBe('a');
  });
});
