import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import { ProductInventoryService } from './product-inventory.service';
import type { ProductsRepository } from './products.repository';

/** A products repository of one product's quantity, and its stock ledger. */
function build(quantity: number | null, enough = true) {
  const tx = new FakeUnitOfWork().tx;
  const ledger: { productId: string; delta: number; reason: string }[] = [];
  const repo = {
    takeStock: jest.fn(async (_tx: unknown, productId: string) => enough || productId !== 'short'),
    returnStock: jest.fn(),
    quantityOf: jest.fn(async () => quantity),
    addToQuantity: jest.fn(),
    addMovement: jest.fn(async (_tx: unknown, m: (typeof ledger)[number]) => {
      ledger.push({ productId: m.productId, delta: m.delta, reason: m.reason });
    }),
    addMovements: jest.fn(async (_tx: unknown, ms: (typeof ledger)[number][]) => {
      for (const m of ms) ledger.push({ productId: m.productId, delta: m.delta, reason: m.reason });
    }),
  };
  const inventory = new ProductInventoryService(repo as unknown as ProductsRepository);
  return { inventory, repo, ledger, tx };
}

/** The arguments of each call, the transaction handle (which throws when read) as 'tx'. */
const calls = (m: jest.Mock, tx: unknown) =>
  m.mock.calls.map((args: unknown[]) => args.map((a) => (a === tx ? 'tx' : a)));

describe('ProductInventoryService: every change of a quantity is in the ledger', () => {
  it('a sale records every line in one write, then takes each line in the order given', async () => {
    const ok = build(5);
    const lines = [
      { productId: 'a', quantity: 2, orderId: 'o', actorId: 'u' },
      { productId: 'b', quantity: 1, orderId: 'o', actorId: 'u' },
    ];
    expect(await ok.inventory.takeStockForSale(ok.tx, lines)).toBeNull();
    expect(ok.repo.addMovements).toHaveBeenCalledTimes(1);
    expect(ok.ledger).toEqual([
      { productId: 'a', delta: -2, reason: 'sale' },
      { productId: 'b', delta: -1, reason: 'sale' },
    ]);
    expect(calls(ok.repo.takeStock, ok.tx)).toEqual([
      ['tx', 'a', 2],
      ['tx', 'b', 1],
    ]);
    // the ledger rows come first: the product rows are updated (on PostgreSQL, locked) last
    expect(ok.repo.addMovements.mock.invocationCallOrder[0]).toBeLessThan(
      ok.repo.takeStock.mock.invocationCallOrder[0],
    );
  });

  it('a sale answers the first line it cannot take and tries none after it', async () => {
    const { inventory, repo, tx } = build(1, false);
    const lines = ['a', 'short', 'c'].map((productId) => ({ productId, quantity: 2 }));
    expect(await inventory.takeStockForSale(tx, lines)).toBe(lines[1]);
    expect(calls(repo.takeStock, tx).map((c) => c[1])).toEqual(['a', 'short']);
  });

  it('a cancellation puts stock back and records it', async () => {
    const { inventory, repo, ledger, tx } = build(0);
    await inventory.returnStock(tx, { productId: 'p', quantity: 3, orderId: 'o' });
    expect(calls(repo.returnStock, tx)).toEqual([['tx', 'p', 3]]);
    expect(ledger).toEqual([{ productId: 'p', delta: 3, reason: 'cancellation' }]);
  });

  it("a seller's new quantity is recorded as the difference to what is stored now", async () => {
    const { inventory, repo, ledger, tx } = build(7);
    await inventory.setQuantity(tx, 'p', 4, 'seller');
    expect(calls(repo.addToQuantity, tx)).toEqual([['tx', 'p', -3]]);
    expect(ledger).toEqual([{ productId: 'p', delta: -3, reason: 'adjustment' }]);
  });

  it('the same quantity, or an unknown product, changes nothing', async () => {
    for (const stored of [4, null]) {
      const { inventory, repo, ledger, tx } = build(stored);
      await inventory.setQuantity(tx, 'p', 4, 'seller');
      expect(repo.addToQuantity).not.toHaveBeenCalled();
      expect(ledger).toEqual([]);
    }
  });

  it('an opening quantity of 0 writes no movement', async () => {
    const { inventory, ledger, tx } = build(null);
    await inventory.recordInitial(tx, 'p', 0, 'seller');
    await inventory.recordInitial(tx, 'q', 5, 'seller');
    expect(ledger).toEqual([{ productId: 'q', delta: 5, reason: 'initial' }]);
  });
});
