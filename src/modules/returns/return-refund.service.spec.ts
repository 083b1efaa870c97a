import { DomainError } from '../../common/errors/domain-error';
import type { CreateReturnDto } from './dto/return.dto';
import type { ReturnRefundOutcome } from './ports/return-refunds';
import { refundBackoffMs } from './return-refund.service';
import type { ReturnsKit } from './testing/returns-test-kit';
import {
  ADMIN,
  BUYER,
  newReturnsKit,
  OTHER_SELLER,
  sampleOrder,
  SELLER,
  until,
} from './testing/returns-test-kit';

type Line = CreateReturnDto['items'][number];
const line = (order_item_id: string, quantity: number, reason: Line['reason'] = 'defective') => ({
  order_item_id,
  quantity,
  reason,
});
const never = () => new Promise<ReturnRefundOutcome>(() => undefined);
const failed = (): ReturnRefundOutcome => ({ status: 'failed', failureReason: 'acquirer said no' });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return 'OK';
}

describe('ReturnRefundService', () => {
  let k: ReturnsKit;
  /** A return of `items` of order-1, approved by its seller. */
  const approved = async (...items: Line[]) => {
    const r = await k.service.create(BUYER, { order_id: 'order-1', items });
    await k.service.approve(SELLER, r.id);
    return r.id;
  };
  beforeEach(() => {
    k = newReturnsKit();
  });

  describe('receive', () => {
    it('restocks, refunds through the provider, books the ledger and the order, mails the buyer', async () => {
      const id = await approved(line('a', 1));
      k.outbox.mails.length = 0;
      const r = await k.refundService.receive(SELLER, id);
      expect(r).toMatchObject({
        status: 'refunded',
        refund_status: 'completed',
        refund_amount: 1500,
      });
      expect(r.history.map((h) => [h.status, h.by])).toEqual([
        ['requested', BUYER.id],
        ['approved', SELLER.id],
        ['received', SELLER.id],
        ['refunded', null],
      ]);
      expect(k.stock.calls).toEqual([
        {
          orderId: 'order-1',
          returnId: id,
          actorId: SELLER.id,
          lines: [{ productId: 'p-a', quantity: 1 }],
        },
      ]);
      expect(k.refunds.calls).toEqual([
        { orderId: 'order-1', amount: 150_000, reference: id, fulfillmentId: 'f-1' },
      ]);
      expect(k.ledger.entries).toEqual([
        {
          sellerId: SELLER.id,
          orderId: 'order-1',
          fulfillmentId: 'f-1',
          returnId: id,
          amount: 150_000,
          delivery: 0,
          lines: [{ orderItemId: 'a', quantity: 1, returnedBefore: 0 }],
        },
      ]);
      expect(k.refunds.marked).toEqual([{ orderId: 'order-1', amount: 150_000, reference: id }]);
      expect(k.outbox.kinds()).toEqual([
        `return.received→${BUYER.email}`,
        `return.refunded→${BUYER.email}`,
      ]);
      // two transactions around the provider call, which is made outside both
      expect(k.repo.row(id).refundAttempts).toBe(1);
    });

    it('an admin may receive; another seller → 404; the buyer → 403; not approved → 409', async () => {
      const id = await approved(line('a', 1));
      expect(await codeOf(k.refundService.receive(OTHER_SELLER, id))).toBe('NOT_FOUND');
      expect(await codeOf(k.refundService.receive(BUYER, id))).toBe('FORBIDDEN');
      const requested = (
        await k.service.create(BUYER, { order_id: 'order-1', items: [line('a', 1)] })
      ).id;
      expect(await codeOf(k.refundService.receive(SELLER, requested))).toBe('INVALID_TRANSITION');
      expect(k.stock.calls).toHaveLength(0);
      await expect(k.refundService.receive(ADMIN, id)).resolves.toMatchObject({
        status: 'refunded',
      });
      expect(await codeOf(k.refundService.receive(ADMIN, id))).toBe('INVALID_TRANSITION');
    });

    it('two receive calls at once: one wins, the other is 409; restocked once, paid once, booked once', async () => {
      const id = await approved(line('a', 2));
      const results = await Promise.allSettled([
        k.refundService.receive(SELLER, id),
        k.refundService.receive(ADMIN, id),
        k.refundService.receive(SELLER, id),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected', 'rejected']);
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'INVALID_TRANSITION' });
      }
      expect(k.stock.calls).toHaveLength(1);
      expect(k.refunds.calls).toHaveLength(1);
      expect(k.refunds.paid).toEqual(new Map([[id, 300_000]]));
      expect(k.ledger.entries).toHaveLength(1);
      expect(k.repo.history.filter((h) => h.status === 'received')).toHaveLength(1);
    });
  });

  describe('a failing provider', () => {
    it('leaves the return received with refund_status failed; the sweep retries it when due', async () => {
      const id = await approved(line('a', 1));
      k.refunds.next = [failed];
      const r = await k.refundService.receive(SELLER, id);
      expect(r).toMatchObject({ status: 'received', refund_status: 'failed' });
      expect(k.repo.row(id)).toMatchObject({
        refundFailure: 'acquirer said no',
        refundAttempts: 1,
      });
      expect(k.ledger.entries).toHaveLength(0);
      expect(k.refunds.marked).toHaveLength(0);

      // not due yet: nothing is tried
      await k.sweeper.sweep();
      expect(k.refunds.calls).toHaveLength(1);
      k.clock.advance(refundBackoffMs(1));
      await k.sweeper.sweep();
      expect(k.refunds.calls.map((c) => c.reference)).toEqual([id, id]);
      expect(k.repo.row(id)).toMatchObject({
        status: 'refunded',
        refundStatus: 'completed',
        refundAttempts: 2,
      });
      expect(k.ledger.entries).toHaveLength(1);
      expect(k.refunds.paid.size).toBe(1);
    });

    it('an exception from the provider counts as a failure; the backoff grows per attempt', async () => {
      const id = await approved(line('a', 1));
      k.refunds.next = [() => Promise.reject(new Error('ECONNRESET')), failed, failed];
      await expect(k.refundService.receive(SELLER, id)).resolves.toMatchObject({
        refund_status: 'failed',
      });
      expect(k.repo.row(id).refundFailure).toBe('ECONNRESET');
      for (const attempt of [1, 2]) {
        k.clock.advance(refundBackoffMs(attempt) - 1);
        await k.sweeper.sweep();
        expect(k.refunds.calls).toHaveLength(attempt);
        k.clock.advance(1);
        await k.sweeper.sweep();
        expect(k.refunds.calls).toHaveLength(attempt + 1);
      }
      expect(refundBackoffMs(3)).toBe(4000);
      expect(refundBackoffMs(30)).toBe(5 * 60_000);
    });

    it('two sweeps at once retry a failed refund once', async () => {
      const id = await approved(line('a', 1));
      k.refunds.next = [failed];
      await k.refundService.receive(SELLER, id);
      k.clock.advance(refundBackoffMs(1));
      const due = await k.repo.refundsDue(k.clock.now(), k.clock.now(), 10);
      await Promise.all([k.refundService.retry(due[0]), k.refundService.retry(due[0])]);
      expect(k.refunds.calls).toHaveLength(2);
      expect(k.ledger.entries).toHaveLength(1);
    });
  });

  describe('a crash never pays twice', () => {
    it('between the claim and the provider call: the sweep takes the stale claim over', async () => {
      const id = await approved(line('a', 1));
      k.refunds.next = [never];
      void k.refundService.receive(SELLER, id); // the process "dies" waiting for the provider
      await until(() => k.refunds.calls.length === 1);
      expect(k.repo.row(id)).toMatchObject({ status: 'received', refundStatus: 'pending' });
      expect(k.stock.calls).toHaveLength(1);

      // a claim younger than any provider call could take is left alone
      await k.sweeper.sweep();
      expect(k.refunds.calls).toHaveLength(1);
      k.clock.advance(k.config.payments.timeoutMs + 2001);
      await k.sweeper.sweep();
      expect(k.repo.row(id)).toMatchObject({ status: 'refunded', refundStatus: 'completed' });
      expect(k.refunds.calls.map((c) => c.reference)).toEqual([id, id]);
      expect(k.ledger.entries).toHaveLength(1);
      expect(k.stock.calls).toHaveLength(1);
    });

    it('after the provider paid but before the booking: asked again by reference, it pays nothing more', async () => {
      const id = await approved(line('a', 2));
      let release!: (o: ReturnRefundOutcome) => void;
      k.refunds.next = [
        () => {
          k.refunds.paid.set(id, 300_000); // the money left ...
          return new Promise<ReturnRefundOutcome>((r) => (release = r)); // ... and we never heard
        },
      ];
      const first = k.refundService.receive(SELLER, id);
      await until(() => !!release);
      k.clock.advance(k.config.payments.timeoutMs + 2001);
      await k.sweeper.sweep();
      expect(k.repo.row(id).status).toBe('refunded');
      // the first request finally hears back: its claim was taken over, it books nothing
      release({ status: 'completed' });
      await expect(first).resolves.toMatchObject({ status: 'refunded' });
      expect(k.refunds.paid).toEqual(new Map([[id, 300_000]]));
      expect(k.ledger.entries).toHaveLength(1);
      expect(k.refunds.marked).toHaveLength(1);
      expect(k.repo.history.filter((h) => h.status === 'refunded')).toHaveLength(1);
    });

    it('a late answer to a claim the sweep has taken over books nothing; the sweep books once', async () => {
      const id = await approved(line('a', 1));
      const answers: ((o: ReturnRefundOutcome) => void)[] = [];
      const wait = () => new Promise<ReturnRefundOutcome>((r) => answers.push(r));
      k.refunds.next = [wait, wait];
      const first = k.refundService.receive(SELLER, id);
      await until(() => answers.length === 1);
      k.clock.advance(k.config.payments.timeoutMs + 2001);
      const sweep = k.sweeper.sweep();
      await until(() => answers.length === 2);
      expect(k.repo.row(id)).toMatchObject({ refundStatus: 'pending', refundAttempts: 2 });
      answers[0]({ status: 'completed' }); // the first request hears back while the sweep waits
      await first;
      expect(k.repo.row(id).status).toBe('received');
      expect(k.ledger.entries).toHaveLength(0);
      answers[1]({ status: 'completed' });
      await sweep;
      expect(k.repo.row(id).status).toBe('refunded');
      expect(k.ledger.entries).toHaveLength(1);
      expect(k.refunds.paid.size).toBe(1);
    });
  });

  describe('cash on delivery: a manual refund', () => {
    beforeEach(() => {
      k.orders.orders.set('order-1', {
        ownerId: BUYER.id,
        order: sampleOrder({ paymentMethod: 'cash_on_delivery' }),
      });
      k.refunds.next = [() => ({ status: 'manual' })];
    });

    it('stays received with refund_status manual until an admin marks it paid', async () => {
      const id = await approved(line('a', 1));
      const r = await k.refundService.receive(SELLER, id);
      expect(r).toMatchObject({ status: 'received', refund_status: 'manual' });
      expect(k.outbox.kinds()).toContain(`return.refund_manual→${BUYER.email}`);
      expect(k.ledger.entries).toHaveLength(0);
      // the sweep leaves a manual refund alone, however late
      k.clock.advance(86_400_000);
      await k.sweeper.sweep();
      expect(k.refunds.calls).toHaveLength(1);

      const paid = await k.refundService.markPaid(ADMIN, id);
      expect(paid).toMatchObject({ status: 'refunded', refund_status: 'completed' });
      expect(paid.history.at(-1)).toMatchObject({ status: 'refunded', by: ADMIN.id });
      expect(k.ledger.entries).toMatchObject([{ returnId: id, amount: 150_000 }]);
      expect(k.refunds.marked).toEqual([{ orderId: 'order-1', amount: 150_000, reference: id }]);
      expect(await codeOf(k.refundService.markPaid(ADMIN, id))).toBe('INVALID_TRANSITION');
      expect(k.ledger.entries).toHaveLength(1);
    });

    it('refund-paid of a return that is not a received manual one → 409', async () => {
      const id = await approved(line('a', 1));
      expect(await codeOf(k.refundService.markPaid(ADMIN, id))).toBe('INVALID_TRANSITION');
      k.refunds.next = [failed];
      await k.refundService.receive(SELLER, id);
      expect(await codeOf(k.refundService.markPaid(ADMIN, id))).toBe('INVALID_TRANSITION');
      expect(k.ledger.entries).toHaveLength(0);
    });
  });

  describe('the delivery cost rule, fixed at receipt', () => {
    it('the return that brings the last line back in full refunds the delivery, once', async () => {
      const first = await approved(line('a', 2));
      const second = await approved(line('b', 1));
      const r1 = await k.refundService.receive(SELLER, first);
      expect(r1.refund_amount).toBe(3000);
      const r2 = await k.refundService.receive(SELLER, second);
      expect(r2.refund_amount).toBe(999.5 + 1500);
      expect(k.ledger.entries.map((e) => [e.amount, e.delivery])).toEqual([
        [300_000, 0],
        [99_950 + 150_000, 150_000],
      ]);
    });

    it('a rejected return does not count as come back; only a change of mind keeps the delivery', async () => {
      const other = await k.service.create(BUYER, { order_id: 'order-1', items: [line('a', 2)] });
      const id = await approved(line('b', 1));
      // while `other` holds line a, the estimate expects the whole parcel back
      expect((await k.service.get(BUYER, id)).refund_amount).toBe(999.5 + 1500);
      await k.service.reject(SELLER, other.id, 'used');
      expect((await k.refundService.receive(SELLER, id)).refund_amount).toBe(999.5);

      const k2 = newReturnsKit();
      k = k2;
      await k.refundService.receive(SELLER, await approved(line('a', 2)));
      const mind = await approved(line('b', 1, 'wrong_item'));
      expect((await k.refundService.receive(SELLER, mind)).refund_amount).toBe(999.5 + 1500);
      const k3 = newReturnsKit();
      k = k3;
      await k.refundService.receive(SELLER, await approved(line('b', 1)));
      const last = await approved(line('a', 2, 'changed_mind'));
      expect((await k.refundService.receive(SELLER, last)).refund_amount).toBe(3000);
    });
  });
});
