import { loadConfig } from '../../config/app-config';
import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import { CommissionService } from './commission.service';
import type { CommissionRule } from './finance.entities';

/** The last call of `fn` passed the transaction handle `tx` (compared by identity) and then `rest`. */
function expectLastCall(fn: jest.Mock, tx: unknown, ...rest: unknown[]) {
  const call = fn.mock.calls.at(-1) ?? [];
  expect(call[0] === tx).toBe(true);
  expect(call.slice(1)).toEqual(rest);
}

const NOW = new Date('2026-11-28T12:00:00Z');

const rule = (over: Partial<CommissionRule>): CommissionRule => ({
  id: 'r-' + Math.random().toString(36).slice(2),
  scope: 'global',
  category: null,
  sellerId: null,
  rateBp: 1000,
  minFee: null,
  maxFee: null,
  createdAt: NOW,
  updatedAt: null,
  ...over,
});

function build(rules: CommissionRule[] = [rule({ id: 'g' })], env = {}) {
  // the table's version: a test moves it (a write) or nulls it (a write not committed yet)
  const version = { v: '1' as string | null, snapshot: () => version.v };
  const repo = {
    all: jest.fn(async () => rules),
    byId: jest.fn(async (id: string) => rules.find((r) => r.id === id) ?? null),
    watchTable: () => version,
    insert: jest.fn(async () => true),
    update: jest.fn(async () => undefined),
    remove: jest.fn(async () => undefined),
    followEnvDefault: jest.fn(async () => true),
  };
  const uow = new FakeUnitOfWork();
  const service = new CommissionService(
    repo as any,
    uow.asUnitOfWork(),
    { now: () => NOW },
    loadConfig({ NODE_ENV: 'test', ...env }),
  );
  return { service, repo, uow, version };
}

describe('CommissionService', () => {
  it('freeze reads the rules once for all lines and prices each by the most specific one', async () => {
    const { service, repo, uow } = build([
      rule({ id: 'g', rateBp: 1000 }),
      rule({ scope: 'category', category: 'books', rateBp: 500, minFee: 300 }),
      rule({ scope: 'seller', sellerId: 's1', rateBp: 150, maxFee: 100 }),
    ]);
    const out = await service.freeze(uow.tx, [
      { sellerId: 's2', category: 'toys', subtotal: 10_005 },
      { sellerId: 's2', category: 'books', subtotal: 1000 },
      { sellerId: 's1', category: 'books', subtotal: 1_000_000 },
      { sellerId: 's1', category: 'toys', subtotal: 1000 },
    ]);
    expect(out).toEqual([
      { commissionRate: 1000, commission: 1001 },
      { commissionRate: 500, commission: 300 },
      { commissionRate: 150, commission: 100 },
      { commissionRate: 150, commission: 15 },
    ]);
    expect(repo.all).toHaveBeenCalledTimes(1);
    expectLastCall(repo.all, uow.tx);
    expect(await service.freeze(uow.tx, [])).toEqual([]);
    expect(repo.all).toHaveBeenCalledTimes(1);
  });

  it('keeps the rules in memory while the table is unchanged, reads again after any write', async () => {
    const rules = [rule({ id: 'g', rateBp: 1000 })];
    const { service, repo, uow, version } = build(rules);
    const line = { sellerId: 's1', category: 'toys', subtotal: 1000 };
    await service.freeze(uow.tx, [line]);
    expect(await service.freeze(uow.tx, [line])).toEqual([
      { commissionRate: 1000, commission: 100 },
    ]);
    expect(repo.all).toHaveBeenCalledTimes(1);
    // a rule changed: the version moved, the next checkout reads (and sees) the new rate
    rules[0] = rule({ id: 'g', rateBp: 700 });
    version.v = '2';
    expect(await service.freeze(uow.tx, [line])).toEqual([{ commissionRate: 700, commission: 70 }]);
    expect(repo.all).toHaveBeenCalledTimes(2);
    // a write not committed yet: read every time, keep nothing
    version.v = null;
    await service.freeze(uow.tx, [line]);
    await service.freeze(uow.tx, [line]);
    expect(repo.all).toHaveBeenCalledTimes(4);
    // a write landing while the rules are read: that read is not kept
    version.v = '3';
    repo.all.mockImplementationOnce(async () => {
      version.v = '4';
      return rules;
    });
    await service.freeze(uow.tx, [line]);
    await service.freeze(uow.tx, [line]);
    expect(repo.all).toHaveBeenCalledTimes(6);
    await service.freeze(uow.tx, [line]);
    expect(repo.all).toHaveBeenCalledTimes(6);
  });

  it('creates a rule in tiyn and basis points', async () => {
    const { service, repo, uow } = build();
    const r = await service.create({
      scope: 'category',
      category: 'toys',
      rate_percent: 12.34,
      min_fee: 10.5,
      max_fee: 99.99,
    });
    expect(r).toMatchObject({ rateBp: 1234, minFee: 1050, maxFee: 9999, category: 'toys' });
    expectLastCall(repo.insert, uow.tx, r);
  });

  it('a duplicate target → COMMISSION_RULE_EXISTS', async () => {
    const { service, repo } = build();
    repo.insert.mockResolvedValueOnce(false);
    await expect(
      service.create({ scope: 'seller', seller_id: 'x', rate_percent: 1 }),
    ).rejects.toMatchObject({ code: 'COMMISSION_RULE_EXISTS' });
  });

  it.each([
    [{ scope: 'category', rate_percent: 1 }, 'category'],
    [{ scope: 'global', category: 'toys', rate_percent: 1 }, 'category'],
    [{ scope: 'seller', rate_percent: 1 }, 'seller_id'],
    [{ scope: 'category', category: 'toys', rate_percent: 1, min_fee: 2, max_fee: 1 }, 'min_fee'],
    [{ scope: 'category', category: 'toys', rate_percent: 1.005 }, 'rate_percent'],
  ])('refuses %j naming %s, writing nothing', async (dto, field) => {
    const { service, repo } = build();
    await expect(service.create(dto as any)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      details: { errors: [expect.objectContaining({ field })] },
    });
    expect(repo.insert).not.toHaveBeenCalled();
  });

  it('update checks the merged fees and stamps updated_at', async () => {
    const r = rule({ id: 'c', scope: 'category', category: 'toys', maxFee: 500 });
    const { service, repo, uow } = build([r]);
    await expect(service.update('c', { min_fee: 6 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(repo.update).not.toHaveBeenCalled();
    const out = await service.update('c', { min_fee: 5, max_fee: null, rate_percent: 2 });
    expect(out).toMatchObject({ minFee: 500, maxFee: null, rateBp: 200, updatedAt: NOW });
    expectLastCall(repo.update, uow.tx, 'c', { minFee: 500, maxFee: null, rateBp: 200 }, NOW);
    await expect(service.update('nope', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('the global rule is not deletable; others are', async () => {
    const { service, repo, uow } = build([
      rule({ id: 'g' }),
      rule({ id: 'c', scope: 'category', category: 'x' }),
    ]);
    await expect(service.remove('g')).rejects.toMatchObject({ code: 'GLOBAL_RULE_REQUIRED' });
    await service.remove('c');
    expectLastCall(repo.remove, uow.tx, 'c');
    await expect(service.remove('zzz')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('at boot the global rule follows COMMISSION_RATE_PERCENT', async () => {
    const { service, repo, uow } = build(undefined, { COMMISSION_RATE_PERCENT: '7.5' });
    await service.onApplicationBootstrap();
    expectLastCall(repo.followEnvDefault, uow.tx, 750);
  });
});
