import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import { ProductInventoryService } from './product-inventory.service';
import type { ProductsRepository } from './products.repository';

/** A products repository of one product's quantity, and its stock ledger. */
function build(quantity: number | null, enough = true) {
  const tx = new FakeUnitOfWork().tx;
  const ledger: { productId: string; delta: number; reason: string }[] = [];
  const repo = {
    takeStock: jest.fn(async () => enough),
    returnStock: jest.fn(),
    quantityOf: jest.fn(async () => quantity),
    addToQuantity: jest.fn(),
    addMovement: jest.fn(async (_tx: unknown, m: (typeof ledger)[number]) => {
      ledger.push({ productId: m.productId, delta: m.delta, reason: m.reason });
    }),
  };
  const inventory = new ProductInventoryService(repo as unknown as ProductsRepository);
  return { inventory, repo, ledger, tx };
}

/** The arguments of each call, the transaction handle (which throws when read) as 'tx'. */
const calls = (m: jest.Mock, tx: unknown) =>
  m.mock.calls.map((args: unknown[]) => args.map((a) => (a === tx ? 'tx' : a)));

describe('ProductInventoryService: every change of a quantity is in the ledger', () => {
  it('a sale takes stock and records it; a refused take records nothing', async () => {
    const ok = build(5);
    expect(await ok.inventory.takeStock(ok.tx, { productId: 'p', quantity: 2 })).toBe(true);
    expect(calls(ok.repo.takeStock, ok.tx)).toEqual([['tx', 'p', 2]]);
    expect(ok.ledger).toEqual([{ productId: 'p', delta: -2, reason: 'sale' }]);

    const short = build(1, false);
    expect(await short.inventory.takeStock(short.tx, { productId: 'p', quantity: 2 })).toBe(false);
    expect(short.ledger).toEqual([]);
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
