import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import type { ProductInventoryService } from '../products/product-inventory.service';
import type { ProductSnapshot } from '../products/product-shape';
import type { CartRepository } from './cart.repository';
import { CartService } from './cart.service';

const buyer: Actor = { id: 'u1', role: 'customer', email: 'b@x.kz', firstName: 'A', lastName: 'B' };

const product = (over: Partial<ProductSnapshot> = {}): ProductSnapshot => ({
  id: 'p1',
  sellerId: 's1',
  name: 'Чайник',
  price: 500_050,
  quantity: 3,
  category: 'home',
  imageUrls: [],
  isActive: true,
  ...over,
});

describe('CartService', () => {
  let products: Map<string, ProductSnapshot>;
  let inventory: { snapshotsByIds: jest.Mock };
  let items: Record<keyof CartRepository, jest.Mock>;
  let uow: FakeUnitOfWork;
  let cart: CartService;
  /** Sellers whose shop is suspended (hidden), and those on holiday. */
  let hidden: Set<string>;
  let holiday: Set<string>;

  beforeEach(() => {
    products = new Map([['p1', product()]]);
    inventory = {
      snapshotsByIds: jest.fn(async (ids: string[]) =>
        ids.flatMap((id) => (products.has(id) ? [products.get(id)!] : [])),
      ),
    };
    items = {
      linesOf: jest.fn(async () => []),
      lineOf: jest.fn(async () => null),
      addWithinStock: jest.fn(async () => true),
      setQuantity: jest.fn(async () => true),
      removeLine: jest.fn(async () => true),
      clear: jest.fn(async () => undefined),
      removeProduct: jest.fn(async () => undefined),
    };
    uow = new FakeUnitOfWork();
    hidden = new Set();
    holiday = new Set();
    cart = new CartService(
      items as unknown as CartRepository,
      inventory as unknown as ProductInventoryService,
      uow.asUnitOfWork(),
      { canSell: (id: string) => !hidden.has(id), onHoliday: (id: string) => holiday.has(id) },
    );
  });

  /** The arguments of the only call after the transaction handle (checked to be the open one). */
  const afterTx = (fn: jest.Mock) => {
    expect(fn).toHaveBeenCalledTimes(1);
    const [tx, ...rest] = fn.mock.calls[0];
    expect(tx === uow.tx).toBe(true);
    return rest;
  };

  const error = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected a DomainError');
      },
      (e: unknown) => {
        if (!(e instanceof DomainError)) throw e;
        return { code: e.code, details: e.details };
      },
    );

  const line = (productId: string, quantity: number, at: string) => ({
    productId,
    quantity,
    addedAt: new Date(at),
  });

  describe('add', () => {
    it('upserts within the stock read in the same transaction', async () => {
      await cart.add(buyer, { product_id: 'p1', quantity: 2 });
      expect(afterTx(items.addWithinStock)).toEqual(['u1', 'p1', 2, 3]);
      expect(inventory.snapshotsByIds.mock.calls[0][1] === uow.tx).toBe(true);
    });

    it('answers with the cart read in the same transaction; the added product is read once', async () => {
      products.set('p2', product({ id: 'p2', name: 'Чай', price: 10, quantity: 9 }));
      items.linesOf.mockResolvedValue([
        line('p2', 1, '2026-11-01T10:00:00Z'),
        line('p1', 2, '2026-11-01T10:01:00Z'),
      ]);
      const res = await cart.add(buyer, { product_id: 'p1', quantity: 2 });
      expect(items.linesOf.mock.calls[0][1] === uow.tx).toBe(true);
      // p1 for the stock check, then only the other line's product for the answer
      expect(inventory.snapshotsByIds.mock.calls.map((c) => c[0])).toEqual([['p1'], ['p2']]);
      expect(res.items.map((i) => [i.product_id, i.quantity])).toEqual([
        ['p2', 1],
        ['p1', 2],
      ]);
      expect(uow.runs).toBe(1);
    });

    it("refuses a seller's own product (NOT_A_BUYER) and writes nothing", async () => {
      const seller: Actor = { ...buyer, id: 's1', role: 'seller' };
      expect((await error(cart.add(seller, { product_id: 'p1', quantity: 1 }))).code).toBe(
        'NOT_A_BUYER',
      );
      expect(items.addWithinStock).not.toHaveBeenCalled();
    });

    it('answers NOT_FOUND for an inactive or unknown product', async () => {
      products.set('p2', product({ id: 'p2', isActive: false }));
      for (const id of ['p2', 'nope']) {
        expect((await error(cart.add(buyer, { product_id: id, quantity: 1 }))).code).toBe(
          'NOT_FOUND',
        );
      }
      expect(items.addWithinStock).not.toHaveBeenCalled();
    });

    it('names what the line would hold and what is in stock when the upsert refuses', async () => {
      items.addWithinStock.mockResolvedValue(false);
      items.lineOf.mockResolvedValue({ productId: 'p1', quantity: 2 });
      const e = await error(cart.add(buyer, { product_id: 'p1', quantity: 2 }));
      expect(e).toEqual({
        code: 'OUT_OF_STOCK',
        details: {
          products: [
            { product_id: 'p1', name: 'Чайник', requested: 4, available: 3, is_active: true },
          ],
        },
      });
    });

    it('refuses a new line above the stock without trying the upsert', async () => {
      const e = await error(cart.add(buyer, { product_id: 'p1', quantity: 5 }));
      expect(e.code).toBe('OUT_OF_STOCK');
      expect(e.details).toMatchObject({ products: [{ requested: 5, available: 3 }] });
      expect(items.addWithinStock).not.toHaveBeenCalled();
    });
  });

  describe("the seller's shop", () => {
    it("answers NOT_FOUND for a hidden seller's product, as for an inactive one", async () => {
      hidden.add('s1');
      expect((await error(cart.add(buyer, { product_id: 'p1', quantity: 1 }))).code).toBe(
        'NOT_FOUND',
      );
      expect(items.addWithinStock).not.toHaveBeenCalled();
    });

    it('refuses a new line and a larger one of a shop on holiday; a smaller one is fine', async () => {
      holiday.add('s1');
      const refused = await error(cart.add(buyer, { product_id: 'p1', quantity: 1 }));
      expect(refused).toEqual({
        code: 'SHOP_ON_HOLIDAY',
        details: { product_id: 'p1', seller_id: 's1' },
      });
      expect(items.addWithinStock).not.toHaveBeenCalled();
      items.lineOf.mockResolvedValue({ productId: 'p1', quantity: 2 });
      expect((await error(cart.update(buyer, 'p1', { quantity: 3 }))).code).toBe('SHOP_ON_HOLIDAY');
      expect(items.setQuantity).not.toHaveBeenCalled();
      await cart.update(buyer, 'p1', { quantity: 1 });
      expect(afterTx(items.setQuantity)).toEqual(['u1', 'p1', 1]);
    });

    it("keeps a hidden seller's line, shown inactive, and gives it to checkout as inactive", async () => {
      items.linesOf.mockResolvedValue([
        { productId: 'p1', quantity: 2, addedAt: new Date('2026-11-01T10:00:00Z') },
      ]);
      hidden.add('s1');
      expect((await cart.get(buyer)).items[0].product.is_active).toBe(false);
      expect((await cart.linesFor(uow.tx, 'u1'))[0].product.isActive).toBe(false);
      items.lineOf.mockResolvedValue({ productId: 'p1', quantity: 2 });
      const changed = await error(cart.update(buyer, 'p1', { quantity: 1 }));
      expect(changed.code).toBe('PRODUCT_UNAVAILABLE');
      hidden.delete('s1'); // reinstated
      expect((await cart.get(buyer)).items[0].product.is_active).toBe(true);
    });
  });

  describe('update and remove', () => {
    it('sets the quantity when it fits the stock', async () => {
      await cart.update(buyer, 'p1', { quantity: 3 });
      expect(afterTx(items.setQuantity)).toEqual(['u1', 'p1', 3]);
    });

    it('answers NOT_FOUND for a line that is not in the cart', async () => {
      items.setQuantity.mockResolvedValue(false);
      expect((await error(cart.update(buyer, 'p1', { quantity: 1 }))).code).toBe('NOT_FOUND');
      // not in the cart wins over the product's state
      products.set('p1', product({ isActive: false }));
      expect((await error(cart.update(buyer, 'p1', { quantity: 1 }))).code).toBe('NOT_FOUND');
      expect((await error(cart.update(buyer, 'p1', { quantity: 9 }))).code).toBe('NOT_FOUND');
    });

    it('answers PRODUCT_UNAVAILABLE (available 0) for a line whose product went inactive', async () => {
      products.set('p1', product({ isActive: false }));
      items.lineOf.mockResolvedValue({ productId: 'p1', quantity: 1 });
      const e = await error(cart.update(buyer, 'p1', { quantity: 2 }));
      expect(e).toEqual({
        code: 'PRODUCT_UNAVAILABLE',
        details: {
          products: [
            { product_id: 'p1', name: 'Чайник', requested: 2, available: 0, is_active: false },
          ],
        },
      });
      expect(items.setQuantity).not.toHaveBeenCalled();
    });

    it('answers OUT_OF_STOCK above the stock, writing nothing', async () => {
      items.lineOf.mockResolvedValue({ productId: 'p1', quantity: 1 });
      const e = await error(cart.update(buyer, 'p1', { quantity: 4 }));
      expect(e.code).toBe('OUT_OF_STOCK');
      expect(e.details).toMatchObject({ products: [{ requested: 4, available: 3 }] });
      expect(items.setQuantity).not.toHaveBeenCalled();
    });

    it('answers NOT_FOUND when removing a line that is not there', async () => {
      items.removeLine.mockResolvedValue(false);
      expect((await error(cart.remove(buyer, 'p1'))).code).toBe('NOT_FOUND');
    });
  });

  describe('reading', () => {
    it('renders in two calls (lines, then their products at once), exact in KZT', async () => {
      products.set('p2', product({ id: 'p2', name: 'Чай', price: 10, quantity: 9 }));
      items.linesOf.mockResolvedValue([
        line('p1', 2, '2026-11-01T10:00:00Z'),
        line('gone', 1, '2026-11-01T10:01:00Z'),
        line('p2', 3, '2026-11-01T10:02:00Z'),
      ]);
      const res = await cart.get(buyer);
      expect(inventory.snapshotsByIds).toHaveBeenCalledTimes(1);
      expect(inventory.snapshotsByIds.mock.calls[0][0]).toEqual(['p1', 'gone', 'p2']);
      expect(res.items.map((i) => [i.product_id, i.quantity, i.subtotal])).toEqual([
        ['p1', 2, 10001],
        ['p2', 3, 0.3],
      ]);
      expect(res.items[0].added_at).toBe('2026-11-01T10:00:00.000Z');
      expect([res.total_items, res.total_amount]).toEqual([5, 10001.3]);
    });

    it('gives checkout the lines with their products inside its transaction', async () => {
      items.linesOf.mockResolvedValue([line('p1', 2, '2026-11-01T10:00:00Z')]);
      const lines = await cart.linesFor(uow.tx, 'u1');
      expect(lines).toMatchObject([{ productId: 'p1', quantity: 2, product: { name: 'Чайник' } }]);
      expect(items.linesOf.mock.calls[0][1] === uow.tx).toBe(true);
      expect(inventory.snapshotsByIds.mock.calls[0][1] === uow.tx).toBe(true);
    });

    it('asks no products for an empty cart', async () => {
      expect(await cart.get(buyer)).toEqual({ items: [], total_items: 0, total_amount: 0 });
      expect(inventory.snapshotsByIds).not.toHaveBeenCalled();
    });
  });
});
