import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import type { CartLine } from '../cart/cart.service';
import { CheckoutService } from './checkout.service';
import type { CreateOrderDto } from './dto/order.dto';
import type { PlacedOrderRows } from './orders.repository';

const buyer: Actor = {
  id: 'u1',
  role: 'customer',
  email: 'u1@x.kz',
  firstName: 'Айгерим',
  lastName: 'Б',
};
const dto: CreateOrderDto = {
  delivery_method: 'standard',
  delivery_address: 'Алматы, Абая 1',
  phone: '+77001234567',
};

const cartLine = (
  productId: string,
  over: { sellerId?: string; price?: number; quantity?: number; stock?: number; active?: boolean },
): CartLine =>
  ({
    productId,
    quantity: over.quantity ?? 1,
    product: {
      id: productId,
      sellerId: over.sellerId ?? 's1',
      name: `Товар ${productId}`,
      price: over.price ?? 1000_00,
      quantity: over.stock ?? 10,
      category: 'other',
      imageUrls: [],
      isActive: over.active ?? true,
    },
  }) as unknown as CartLine;

function make(lines: CartLine[], opts: { requireVerified?: boolean; verified?: boolean } = {}) {
  const uow = new FakeUnitOfWork();
  const verified = { isEmailVerified: jest.fn(async () => opts.verified ?? false) };
  const cart = {
    linesFor: jest.fn().mockResolvedValue(lines),
    clearIn: jest.fn().mockResolvedValue(undefined),
  };
  const taken: string[] = [];
  // takeStockForSale as the products module does it: line by line in the order given, the first
  // line that cannot be supplied is answered (`takeStock` is one line's conditional update)
  const takeStock = jest.fn(async (_tx: unknown, c: { productId: string }) => {
    taken.push(c.productId);
    return true;
  });
  const inventory = {
    takeStock,
    takeStockForSale: jest.fn(async (tx: unknown, cs: { productId: string }[]) => {
      for (const c of cs) if (!(await takeStock(tx, c))) return c;
      return null;
    }),
    snapshotsByIds: jest.fn().mockResolvedValue([]),
  };
  const outbox = { enqueue: jest.fn().mockResolvedValue(undefined), kick: jest.fn() };
  const keys = {
    claimWithin: jest.fn().mockResolvedValue(undefined),
    completeWithin: jest.fn().mockResolvedValue(undefined),
  };
  const repo = { insertPlaced: jest.fn().mockResolvedValue(undefined) };
  // s2 pays 5 %, everyone else 10 % (the rate in basis points, the commission of the subtotal)
  const commission = {
    freeze: jest.fn(async (_tx: unknown, ls: { sellerId: string; subtotal: number }[]) =>
      ls.map((l) => {
        const rate = l.sellerId === 's2' ? 500 : 1000;
        return { commissionRate: rate, commission: Math.round((l.subtotal * rate) / 10_000) };
      }),
    ),
  };
  const svc = new CheckoutService(
    uow.asUnitOfWork(),
    cart as any,
    inventory as any,
    outbox as any,
    { next: () => 'BB-TESTTESTTEST' } as any,
    keys as any,
    repo as any,
    commission as any,
    verified as any,
    { accounts: { checkoutRequiresVerifiedEmail: opts.requireVerified ?? false } } as any,
  );
  const written = () => repo.insertPlaced.mock.calls[0]?.[1] as PlacedOrderRows | undefined;
  return { svc, uow, cart, inventory, outbox, keys, repo, commission, taken, written, verified };
}

const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a DomainError');
};

describe('CheckoutService', () => {
  it('prices the cart: lines at today’s price, one fulfillment per seller, totals in KZT', async () => {
    const t = make([
      cartLine('p1', { sellerId: 's1', price: 1000_00, quantity: 2 }),
      cartLine('p2', { sellerId: 's2', price: 250_50, quantity: 1 }),
      cartLine('p3', { sellerId: 's1', price: 10_00, quantity: 3 }),
    ]);
    const order = await t.svc.checkout(buyer, dto);
    expect(order.items_total).toBe(2000 + 250.5 + 30);
    expect(order.delivery_cost).toBe(2 * 1500);
    expect(order.total_amount).toBe(2280.5 + 3000);
    expect(order.fulfillments.map((f) => [f.seller_id, f.items_total, f.delivery_cost])).toEqual([
      ['s1', 2030, 1500],
      ['s2', 250.5, 1500],
    ]);
    expect(order.status).toBe('pending');
    expect(order.payment_status).toBeNull();
    const rows = t.written()!;
    expect(rows.order.totalAmount).toBe(5280_50);
    expect(rows.items.map((i) => [i.productId, i.subtotal, i.orderId])).toEqual([
      ['p1', 2000_00, rows.order.id],
      ['p2', 250_50, rows.order.id],
      ['p3', 30_00, rows.order.id],
    ]);
    expect(rows.history.map((h) => [h.sellerId, h.status, h.changedBy])).toEqual([
      ['s1', 'pending', 'u1'],
      ['s2', 'pending', 'u1'],
    ]);
  });

  it('freezes each line’s commission in the checkout transaction, asked once for all lines', async () => {
    const t = make([
      cartLine('p1', { sellerId: 's1', price: 1000_00, quantity: 2 }),
      cartLine('p2', { sellerId: 's2', price: 250_50, quantity: 1 }),
    ]);
    const order = await t.svc.checkout(buyer, dto);
    expect(t.commission.freeze).toHaveBeenCalledTimes(1);
    expect(t.commission.freeze.mock.calls[0][1]).toEqual([
      { sellerId: 's1', category: 'other', subtotal: 2000_00 },
      { sellerId: 's2', category: 'other', subtotal: 250_50 },
    ]);
    expect(t.written()!.items.map((i) => [i.productId, i.commissionRate, i.commission])).toEqual([
      ['p1', 1000, 200_00],
      ['p2', 500, 12_53],
    ]);
    // the buyer's answer never shows the platform's commission
    expect(order.items.every((i) => !('commission' in i) && !('commission_rate' in i))).toBe(true);
  });

  it('writes in one transaction: rows, emptied cart, the mail, the idempotent answer; kicks after', async () => {
    const t = make([cartLine('p1', {})]);
    const scope = { userId: 'u1', key: 'k1' };
    const answer = await t.svc.checkout(buyer, dto, scope as any);
    expect(t.uow.runs).toBe(1);
    // PostgreSQL: the writes nothing reads back wait and leave with the stock update
    expect(t.uow.options).toEqual([{ batchWrites: true }]);
    // each call got the transaction's handle (the fake throws if anything else touches it)
    for (const m of [
      t.keys.claimWithin,
      t.repo.insertPlaced,
      t.cart.clearIn,
      t.outbox.enqueue,
      t.keys.completeWithin,
    ]) {
      expect(m.mock.calls[0][0]).toBe(t.uow.tx);
    }
    expect(t.cart.clearIn.mock.calls[0][1]).toBe('u1');
    expect(t.outbox.enqueue.mock.calls[0].slice(1)).toEqual([
      expect.objectContaining({ to: 'u1@x.kz' }),
      'order_confirmation',
    ]);
    expect(t.keys.completeWithin.mock.calls[0].slice(1)).toEqual([scope, 201, answer]);
    // the key is claimed first in the same transaction: a duplicate waits before any work
    expect(t.keys.claimWithin.mock.calls[0][1]).toBe(scope);
    expect(t.keys.claimWithin.mock.invocationCallOrder[0]).toBeLessThan(
      t.repo.insertPlaced.mock.invocationCallOrder[0],
    );
    expect(t.outbox.kick).toHaveBeenCalledTimes(1);
    expect(t.outbox.kick.mock.invocationCallOrder[0]).toBeGreaterThan(
      t.keys.completeWithin.mock.invocationCallOrder[0],
    );
  });

  it('with CHECKOUT_REQUIRES_VERIFIED_EMAIL an unverified buyer → 403 EMAIL_NOT_VERIFIED, nothing opened', async () => {
    const off = make([cartLine('p1', {})]);
    await off.svc.checkout(buyer, dto);
    expect(off.verified.isEmailVerified).not.toHaveBeenCalled();
    const m = make([cartLine('p1', {})], { requireVerified: true });
    await expect(m.svc.checkout(buyer, dto)).rejects.toMatchObject({ code: 'EMAIL_NOT_VERIFIED' });
    expect(m.verified.isEmailVerified).toHaveBeenCalledWith(buyer.id);
    expect([m.uow.runs, m.taken, m.written()]).toEqual([0, [], undefined]);
    const ok = make([cartLine('p1', {})], { requireVerified: true, verified: true });
    await expect(ok.svc.checkout(buyer, dto)).resolves.toMatchObject({ status: 'pending' });
  });

  it('an empty cart → 400 CART_EMPTY, nothing taken or written', async () => {
    const t = make([]);
    expect((await errorOf(t.svc.checkout(buyer, dto))).code).toBe('CART_EMPTY');
    expect(t.inventory.takeStock).not.toHaveBeenCalled();
    expect(t.repo.insertPlaced).not.toHaveBeenCalled();
  });

  it('lines above stock → 409 OUT_OF_STOCK naming each product; nothing taken, cart kept', async () => {
    const t = make([
      cartLine('p1', { quantity: 5, stock: 2 }),
      cartLine('p2', { quantity: 1, stock: 9 }),
      cartLine('p3', { quantity: 4, stock: 3 }),
    ]);
    const e = await errorOf(t.svc.checkout(buyer, dto));
    expect(e.code).toBe('OUT_OF_STOCK');
    expect(e.message).toContain('Товар p1, Товар p3');
    expect(e.details).toEqual({
      products: [
        { product_id: 'p1', name: 'Товар p1', requested: 5, available: 2, is_active: true },
        { product_id: 'p3', name: 'Товар p3', requested: 4, available: 3, is_active: true },
      ],
    });
    expect(t.inventory.takeStock).not.toHaveBeenCalled();
    expect(t.repo.insertPlaced).not.toHaveBeenCalled();
    expect(t.cart.clearIn).not.toHaveBeenCalled();
    expect(t.outbox.kick).not.toHaveBeenCalled();
  });

  it('an inactive product → 409 PRODUCT_UNAVAILABLE with nothing available', async () => {
    const t = make([cartLine('p1', { active: false, stock: 50 }), cartLine('p2', {})]);
    const e = await errorOf(t.svc.checkout(buyer, dto));
    expect(e.code).toBe('PRODUCT_UNAVAILABLE');
    expect(e.details).toEqual({
      products: [
        { product_id: 'p1', name: 'Товар p1', requested: 1, available: 0, is_active: false },
      ],
    });
  });

  it('takes stock in product-id order whatever the cart order (no deadlock between checkouts)', async () => {
    const t = make([cartLine('c', {}), cartLine('a', {}), cartLine('b', {})]);
    await t.svc.checkout(buyer, dto);
    expect(t.taken).toEqual(['a', 'b', 'c']);
    expect(t.inventory.takeStockForSale).toHaveBeenCalledTimes(1);
    const [tx, change] = t.inventory.takeStock.mock.calls[0];
    expect(tx).toBe(t.uow.tx);
    expect(change).toEqual({
      productId: 'a',
      quantity: 1,
      orderId: t.written()!.order.id,
      actorId: 'u1',
    });
  });

  it('takes the stock last, after the order, the cart, the mail and the stored answer', async () => {
    // on PostgreSQL a product row stays locked from its update to the COMMIT: keep that short
    const t = make([cartLine('p1', {})]);
    await t.svc.checkout(buyer, dto);
    const last = (m: jest.Mock) => Math.max(...m.mock.invocationCallOrder);
    const stockAt = t.inventory.takeStockForSale.mock.invocationCallOrder[0];
    for (const m of [
      t.keys.claimWithin,
      t.repo.insertPlaced,
      t.cart.clearIn,
      t.outbox.enqueue,
      t.keys.completeWithin,
    ]) {
      expect(last(m)).toBeLessThan(stockAt);
    }
  });

  it('a lost race → 409 with the fresh availability; the transaction fails, nothing is kicked', async () => {
    const t = make([cartLine('p1', {}), cartLine('p2', { quantity: 3 }), cartLine('p3', {})]);
    t.inventory.takeStock.mockImplementation(async (_tx, c) => c.productId !== 'p2');
    t.inventory.snapshotsByIds.mockResolvedValue([{ id: 'p2', quantity: 1, isActive: true }]);
    const e = await errorOf(t.svc.checkout(buyer, dto));
    expect(e.code).toBe('OUT_OF_STOCK');
    expect(e.details).toEqual({
      products: [
        { product_id: 'p2', name: 'Товар p2', requested: 3, available: 1, is_active: true },
      ],
    });
    expect(t.inventory.snapshotsByIds.mock.calls[0][0]).toEqual(['p2']);
    expect(t.inventory.snapshotsByIds.mock.calls[0][1]).toBe(t.uow.tx);
    // the error leaves the transaction: what it wrote (order, cart, mail, stock of p1) is rolled
    // back with it; nothing after the short line is tried
    expect(t.inventory.takeStock.mock.calls.map(([, c]) => c.productId)).toEqual(['p1', 'p2']);
    expect(t.repo.insertPlaced.mock.calls[0][0]).toBe(t.uow.tx);
    expect(t.outbox.kick).not.toHaveBeenCalled();
  });

  it('a product deactivated meanwhile → 409 with nothing available', async () => {
    const t = make([cartLine('p1', { quantity: 2 })]);
    t.inventory.takeStock.mockResolvedValue(false);
    t.inventory.snapshotsByIds.mockResolvedValue([{ id: 'p1', quantity: 7, isActive: false }]);
    const e = await errorOf(t.svc.checkout(buyer, dto));
    expect((e.details as { products: { available: number }[] }).products[0].available).toBe(0);
  });
});
