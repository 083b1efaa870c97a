import type { ReturnsKit } from './testing/returns-test-kit';
import { BUYER, DAY, newReturnsKit, SELLER } from './testing/returns-test-kit';

describe('ReturnSweeper', () => {
  let k: ReturnsKit;
  const request = async () =>
    (
      await k.service.create(BUYER, {
        order_id: 'order-1',
        items: [{ order_item_id: 'a', quantity: 1, reason: 'defective' }],
      })
    ).id;
  beforeEach(() => {
    k = newReturnsKit();
  });

  describe('escalation', () => {
    it('escalates a requested return exactly RETURN_RESPONSE_TIME after it was made, not before', async () => {
      const id = await request();
      k.outbox.mails.length = 0;
      k.clock.advance(3 * DAY - 1);
      expect(await k.sweeper.escalateDue()).toBe(0);
      expect(k.repo.row(id).status).toBe('requested');
      k.clock.advance(1);
      expect(await k.sweeper.escalateDue()).toBe(1);
      const r = await k.service.get(BUYER, id);
      expect(r).toMatchObject({ status: 'escalated', escalated_at: k.clock.now().toISOString() });
      expect(r.history.at(-1)).toMatchObject({ status: 'escalated', by: null });
      expect(k.outbox.kinds()).toEqual([`return.escalated→${BUYER.email}`]);
      // once
      k.clock.advance(DAY);
      expect(await k.sweeper.escalateDue()).toBe(0);
      expect(k.repo.history.filter((h) => h.status === 'escalated')).toHaveLength(1);
    });

    it('follows RETURN_RESPONSE_TIME and leaves decided or cancelled returns alone', async () => {
      k = newReturnsKit({ RETURN_RESPONSE_TIME: '12h' });
      const waiting = await request();
      const approved = await request();
      await k.service.approve(SELLER, approved);
      k.clock.advance(12 * 3_600_000);
      expect(await k.sweeper.escalateDue()).toBe(1);
      expect(k.repo.row(waiting).status).toBe('escalated');
      expect(k.repo.row(approved).status).toBe('approved');
    });

    it('a decision racing the sweep: one of them wins', async () => {
      const id = await request();
      k.clock.advance(3 * DAY);
      const [decided, swept] = await Promise.allSettled([
        k.service.approve(SELLER, id),
        k.sweeper.escalateDue(),
      ]);
      const status = k.repo.row(id).status;
      if (status === 'approved') {
        expect(decided.status).toBe('fulfilled');
        expect(swept).toEqual({ status: 'fulfilled', value: 0 });
      } else {
        expect(status).toBe('escalated');
        expect(decided.status).toBe('rejected');
      }
      expect(k.repo.history.filter((h) => h.returnId === id)).toHaveLength(2);
    });

    it('works through more than one batch', async () => {
      const o = k.orders.orders.get('order-1')!.order;
      o.fulfillments[0].lines[0].quantity = 120;
      for (let i = 0; i < 120; i++) await request();
      k.clock.advance(3 * DAY);
      expect(await k.sweeper.escalateDue()).toBe(120);
      expect([...k.repo.returns.values()].every((r) => r.status === 'escalated')).toBe(true);
    });
  });

  describe('the timer', () => {
    afterEach(() => jest.useRealTimers());

    it('runs a pass every RETURN_SWEEP_MS from module init until the module is destroyed', async () => {
      jest.useFakeTimers();
      k = newReturnsKit({ RETURN_SWEEP_MS: '1000' });
      const sweep = jest.spyOn(k.sweeper, 'escalateDue').mockResolvedValue(0);
      jest.spyOn(k.sweeper, 'retryRefunds').mockResolvedValue(0);
      k.sweeper.onModuleInit();
      await jest.advanceTimersByTimeAsync(999);
      expect(sweep).toHaveBeenCalledTimes(0);
      await jest.advanceTimersByTimeAsync(2001);
      expect(sweep).toHaveBeenCalledTimes(3);
      await k.sweeper.onModuleDestroy();
      await jest.advanceTimersByTimeAsync(10_000);
      expect(sweep).toHaveBeenCalledTimes(3);
    });

    it('runs at least once a minute by default', () => {
      expect(k.config.returns.sweepMs).toBeLessThanOrEqual(60_000);
    });

    it('overlapping passes share one; after shutdown no pass runs', async () => {
      const escalate = jest.spyOn(k.sweeper, 'escalateDue');
      await Promise.all([k.sweeper.sweep(), k.sweeper.sweep()]);
      expect(escalate).toHaveBeenCalledTimes(1);
      await k.sweeper.onModuleDestroy();
      await k.sweeper.sweep();
      expect(escalate).toHaveBeenCalledTimes(1);
    });

    it('a failing pass is logged, not thrown', async () => {
      jest.spyOn(k.repo, 'requestedBefore').mockRejectedValue(new Error('database is locked'));
      const warn = jest.spyOn(k.sweeper['logger'], 'warn').mockImplementation(() => undefined);
      await expect(k.sweeper.sweep()).resolves.toBeUndefined();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('database is locked'));
    });
  });
});
