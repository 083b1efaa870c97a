import type { Actor } from '../../common/auth/actor';
import { loadConfig } from '../../config/app-config';
import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import { SellerLedgerService } from './seller-ledger.service';

/** The last call of `fn` passed the transaction handle `tx` (compared by identity) and then `rest`. */
function expectLastCall(fn: jest.Mock, tx: unknown, ...rest: unknown[]) {
  const call = fn.mock.calls.at(-1) ?? [];
  expect(call[0] === tx).toBe(true);
  expect(call.slice(1)).toEqual(rest);
}

const NOW = new Date('2026-11-28T12:00:00Z');
const seller: Actor = { id: 's1', role: 'seller', email: 's@x.kz', firstName: 'A', lastName: 'B' };
const admin: Actor = { ...seller, id: 'a1', role: 'admin' };

function build() {
  const repo = {
    append: jest.fn(async () => undefined),
    totalsOf: jest.fn(async () => [] as unknown[]),
    page: jest.fn(async () => [[], 0]),
    monthSums: jest.fn(async () => ({ opening: 100, sums: { sale: 1160, commission: -116 } })),
    formatStatement: jest.fn(async () => []),
  };
  const recipients = {
    recipientsOf: jest.fn(async (ids: string[]) =>
      ids.filter((i) => i === 's1').map((sellerId) => ({ sellerId })),
    ),
  };
  const balances = { get: jest.fn(async (): Promise<unknown> => null) };
  const uow = new FakeUnitOfWork();
  const service = new SellerLedgerService(
    repo as any,
    recipients as any,
    uow.asUnitOfWork(),
    { now: () => NOW },
    balances as any,
    loadConfig({ NODE_ENV: 'test' }),
  );
  return { service, repo, recipients, uow, balances };
}

describe('SellerLedgerService', () => {
  it('record appends entries stamped now, available now unless told, through one append', async () => {
    const { service, repo, uow } = build();
    const later = new Date('2026-12-12T12:00:00Z');
    const out = await service.record(uow.tx, [
      { sellerId: 's1', type: 'sale', amount: 1000, orderId: 'o1', availableAt: later },
      { sellerId: 's1', type: 'commission', amount: -100, orderId: 'o1', availableAt: later },
      { sellerId: 's2', type: 'adjustment', amount: 5, note: 'n' },
    ]);
    expect(repo.append).toHaveBeenCalledTimes(1);
    expectLastCall(repo.append, uow.tx, out);
    expect(out.map((e) => [e.type, e.createdAt, e.availableAt])).toEqual([
      ['sale', NOW, later],
      ['commission', NOW, later],
      ['adjustment', NOW, NOW],
    ]);
    expect(new Set(out.map((e) => e.id)).size).toBe(3);
  });

  it.each([[0], [1.5], [NaN]])(
    'record refuses the amount %p and appends nothing',
    async (amount) => {
      const { service, repo, uow } = build();
      await expect(
        service.record(uow.tx, [{ sellerId: 's1', type: 'adjustment', amount }]),
      ).rejects.toThrow();
      expect(repo.append).not.toHaveBeenCalled();
    },
  );

  it('balance is the summary minus what is on hold, zeros without a summary', async () => {
    const { service, balances } = build();
    expect(await service.balance(seller)).toEqual({
      pending: 0,
      available: 0,
      paidOut: 0,
      lifetimeSales: 0,
      lifetimeCommission: 0,
    });
    balances.get.mockResolvedValueOnce({
      sellerId: 's1',
      total: 1000,
      pending: 300,
      paidOut: 50,
      lifetimeSales: 1500,
      lifetimeCommission: 150,
      nextRelease: null,
    });
    expect(await service.balance(seller)).toEqual({
      pending: 300,
      available: 700,
      paidOut: 50,
      lifetimeSales: 1500,
      lifetimeCommission: 150,
    });
    expect(balances.get).toHaveBeenLastCalledWith('s1');
  });

  it('an admin’s read of an unknown seller is a 404', async () => {
    const { service, repo, balances } = build();
    await expect(service.balanceForAdmin('nobody')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.ledgerForAdmin('nobody', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(balances.get).not.toHaveBeenCalled();
    expect(repo.page).not.toHaveBeenCalled();
  });

  it('the ledger page turns date-only bounds into whole UTC days', async () => {
    const { service, repo } = build();
    await service.ledgerOf(seller, {
      from: '2026-11-01',
      to: '2026-11-30',
      type: 'sale',
      page: 2,
      page_size: 10,
    });
    expect(repo.page).toHaveBeenCalledWith({
      sellerId: 's1',
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-12-01T00:00:00Z'),
      type: 'sale',
      skip: 10,
      take: 10,
    });
    await expect(
      service.ledgerOf(seller, { from: '2026-12-01', to: '2026-11-01' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('a statement asks for the month’s local bounds and adds the VAT part', async () => {
    const { service, repo } = build();
    const s = await service.statement(seller, '2024-03');
    expect(repo.monthSums).toHaveBeenCalledWith(
      's1',
      new Date('2024-02-29T19:00:00Z'),
      new Date('2024-03-31T19:00:00Z'),
    );
    expect(s).toMatchObject({
      openingBalance: 100,
      sales: 1160,
      commissionVat: 16,
      closingBalance: 1144,
    });
    await expect(service.statement(seller, '2024-03', 'Nowhere/City')).rejects.toMatchObject({
      code: 'INVALID_TIME_ZONE',
    });
    await expect(service.statementCsv(seller, '2024-3')).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('an adjustment needs a known seller and a real note', async () => {
    const { service, repo, uow } = build();
    await expect(service.adjust(admin, 'nobody', { amount: 1, note: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(service.adjust(admin, 's1', { amount: 1, note: '  ' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(uow.runs).toBe(0);
    const e = await service.adjust(admin, 's1', { amount: -12.5, note: ' fine ' });
    expect(e).toMatchObject({ sellerId: 's1', type: 'adjustment', amount: -1250, note: 'fine' });
    expect(repo.append).toHaveBeenCalledTimes(1);
    expect(uow.runs).toBe(1);
  });
});
