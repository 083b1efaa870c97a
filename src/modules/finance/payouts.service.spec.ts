import type { Actor } from '../../common/auth/actor';
import { loadConfig } from '../../config/app-config';
import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import type { Payout } from './finance.entities';
import { DemoPayoutProvider, ManualPayoutProvider } from './payout-adapters';
import type { PayoutProvider } from './payout-provider';
import type { PayoutRecipient } from './payout-recipients';
import { PayoutsService } from './payouts.service';

const NOW = new Date('2026-11-28T12:00:00Z');
const admin: Actor = { id: 'a1', role: 'admin', email: 'a@x.kz', firstName: 'A', lastName: 'B' };

const recipient = (sellerId: string, over: Partial<PayoutRecipient> = {}): PayoutRecipient => ({
  sellerId,
  approved: true,
  shopName: `Shop ${sellerId}`,
  binIin: '880101300123',
  iban: 'KZ86125KZT5004100100',
  bik: 'KCJBKZKX',
  kbe: '19',
  email: `${sellerId}@x.kz`,
  firstName: 'Асель',
  ...over,
});

const totals = (sellerId: string, total: number, pending = 0) => ({
  sellerId,
  total,
  pending,
  paidOut: 0,
  lifetimeSales: total,
  lifetimeCommission: 0,
});

function build(provider: PayoutProvider = new ManualPayoutProvider()) {
  const events: string[] = [];
  const stored = new Map<string, Payout>();
  const ledgerRows = {
    lockSellers: jest.fn(async (_tx: unknown, ids?: string[]) => {
      events.push('lock');
      return ids ?? ['s1', 's2', 's3', 's4'];
    }),
    totalsOf: jest.fn(async (ids: string[]) =>
      [
        totals('s1', 500_000),
        totals('s2', 50_000),
        totals('s3', 900_000),
        totals('s4', 300_000, 300_000),
      ].filter((t) => ids.includes(t.sellerId)),
    ),
  };
  const payouts = {
    insertBatch: jest.fn(async (_tx: unknown, _b: unknown, rows: Payout[]) => {
      for (const p of rows) stored.set(p.id, { ...p });
    }),
    lastPaidOut: jest.fn(async () => new Map()),
    settle: jest.fn(async (_tx: unknown, id: string, to: { status: 'paid' | 'failed' }) => {
      const p = stored.get(id);
      if (!p || p.status !== 'pending') return false;
      p.status = to.status;
      Object.assign(p, to);
      return true;
    }),
    byId: jest.fn(async (id: string) => stored.get(id) ?? null),
  };
  const ledger = { record: jest.fn(async (..._args: unknown[]) => []) };
  const recipients = {
    recipientsOf: jest.fn(async (ids: string[]) =>
      ids.map((id) => recipient(id, id === 's3' ? { approved: false } : {})),
    ),
  };
  const outbox = { enqueue: jest.fn(async () => undefined), kick: jest.fn() };
  const uow = new FakeUnitOfWork();
  const service = new PayoutsService(
    payouts as any,
    ledgerRows as any,
    ledger as any,
    recipients as any,
    provider,
    outbox as any,
    uow.asUnitOfWork(),
    {
      now: () => {
        events.push('clock');
        return NOW;
      },
    },
    loadConfig({ NODE_ENV: 'test' }),
  );
  return { service, payouts, ledger, outbox, events, stored };
}

describe('PayoutsService', () => {
  it('pays the available balance of approved shops above the minimum and says why not otherwise', async () => {
    const { service, ledger, events } = build();
    const out = await service.createBatch(admin, {});
    expect(out.payouts.map((p) => [p.sellerId, p.amount, p.status])).toEqual([
      ['s1', 500_000, 'pending'],
    ]);
    expect(out.skipped).toEqual([
      { sellerId: 's2', reason: 'BELOW_MINIMUM' },
      { sellerId: 's3', reason: 'SHOP_NOT_APPROVED' },
      { sellerId: 's4', reason: 'NOTHING_AVAILABLE' },
    ]);
    expect(out.payouts[0]).toMatchObject({
      batchId: out.batchId,
      iban: 'KZ86125KZT5004100100',
      purpose: 'Выплата по договору оферты с Shop s1 за период по 28.11.2026',
    });
    expect(ledger.record.mock.calls[0][1]).toEqual([
      { sellerId: 's1', type: 'payout', amount: -500_000, payoutId: out.payouts[0].id },
    ]);
    // the clock is read only once the sellers' rows are locked
    expect(events.slice(0, 2)).toEqual(['lock', 'clock']);
  });

  it('requested sellers without a balance are skipped as NOTHING_AVAILABLE', async () => {
    const { service } = build();
    const out = await service.createBatch(admin, {
      seller_ids: ['s1', 'ghost', 's1'],
      min_amount: 10,
    });
    expect(out.skipped).toEqual([{ sellerId: 'ghost', reason: 'NOTHING_AVAILABLE' }]);
    expect(out.payouts.map((p) => p.sellerId)).toEqual(['s1']);
  });

  it('an approved shop without bank details is not paid', async () => {
    const { service } = build();
    const r = (service as any).recipients;
    r.recipientsOf.mockResolvedValueOnce([recipient('s1', { iban: null })]);
    const out = await service.createBatch(admin, { seller_ids: ['s1'] });
    expect(out.payouts).toEqual([]);
    expect(out.skipped).toContainEqual({ sellerId: 's1', reason: 'SHOP_NOT_APPROVED' });
  });

  it('the demo provider pays at once and the seller is mailed', async () => {
    const { service, outbox } = build(new DemoPayoutProvider());
    const out = await service.createBatch(admin, {});
    expect(out.payouts[0]).toMatchObject({
      status: 'paid',
      bankReference: expect.stringMatching(/^DEMO-/),
    });
    expect(outbox.enqueue).toHaveBeenCalledTimes(1);
    expect((outbox.enqueue.mock.calls[0] as unknown[])[1]).toMatchObject({ to: 's1@x.kz' });
    expect(outbox.kick).toHaveBeenCalled();
  });

  it('a provider that throws leaves the payouts pending', async () => {
    const failing = new ManualPayoutProvider();
    jest.spyOn(failing, 'send').mockRejectedValue(new Error('bank down'));
    const { service, stored } = build(failing);
    jest.spyOn((service as any).logger, 'error').mockImplementation(() => undefined);
    const out = await service.createBatch(admin, {});
    expect(stored.get(out.payouts[0].id)?.status).toBe('pending');
  });

  it('failed returns the money with a payout_reversal; a settled payout → 409; unknown → 404', async () => {
    const { service, ledger } = build();
    const [p] = (await service.createBatch(admin, {})).payouts;
    const failed = await service.markFailed(admin, p.id, ' IBAN closed ');
    expect(failed).toMatchObject({ status: 'failed', failureReason: 'IBAN closed' });
    expect(ledger.record.mock.calls[1][1]).toEqual([
      {
        sellerId: 's1',
        type: 'payout_reversal',
        amount: 500_000,
        payoutId: p.id,
        note: 'IBAN closed',
      },
    ]);
    await expect(service.markPaid(admin, p.id, 'X')).rejects.toMatchObject({
      code: 'PAYOUT_NOT_PENDING',
    });
    await expect(service.markFailed(admin, p.id, 'X')).rejects.toMatchObject({
      code: 'PAYOUT_NOT_PENDING',
    });
    await expect(service.markPaid(admin, 'nope', 'X')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
