import { DomainError } from '../../common/errors/domain-error';
import type { CreateReturnDto } from './dto/return.dto';
import type { ReturnsKit } from './testing/returns-test-kit';
import {
  ADMIN,
  BUYER,
  DAY,
  newReturnsKit,
  OTHER_SELLER,
  sampleOrder,
  SELLER,
  STRANGER,
} from './testing/returns-test-kit';

const line = (order_item_id: string, quantity = 1, reason: string = 'defective') =>
  ({ order_item_id, quantity, reason }) as CreateReturnDto['items'][number];
const dto = (...items: CreateReturnDto['items']): CreateReturnDto => ({
  order_id: 'order-1',
  items,
});

/** The error a call fails with (code, status and body details), or a failure when it succeeds. */
async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { code: e.code, status: e.status, ...e.details };
  }
  throw new Error('expected the call to fail');
}

describe('ReturnsService', () => {
  let k: ReturnsKit;
  beforeEach(() => {
    k = newReturnsKit();
  });
  const create = (...items: CreateReturnDto['items']) => k.service.create(BUYER, dto(...items));

  describe('create', () => {
    it('writes a requested return of the lines, with the estimate in KZT, and mails buyer and seller', async () => {
      const r = await create({ ...line('a', 1), comment: 'Не включается' });
      expect(r).toMatchObject({
        order_id: 'order-1',
        seller_id: SELLER.id,
        status: 'requested',
        items: [
          {
            order_item_id: 'a',
            product_id: 'p-a',
            product_name: 'Чайник',
            quantity: 1,
            reason: 'defective',
            comment: 'Не включается',
          },
        ],
        refund_amount: 1500,
        refund_status: null,
        decided_by: null,
        decision_note: null,
        escalated_at: null,
        history: [{ status: 'requested', by: BUYER.id, note: null }],
      });
      expect(Object.keys(r).sort()).toEqual(
        [
          'id',
          'order_id',
          'seller_id',
          'status',
          'items',
          'refund_amount',
          'refund_status',
          'decided_by',
          'decision_note',
          'escalated_at',
          'created_at',
          'updated_at',
          'history',
        ].sort(),
      );
      expect(k.repo.row(r.id)).toMatchObject({
        buyerId: BUYER.id,
        fulfillmentId: 'f-1',
        orderRef: 'BB-TEST000001',
      });
      expect(k.outbox.kinds()).toEqual([
        `return.requested→${BUYER.email}`,
        `return.new_for_seller→${SELLER.email}`,
      ]);
      expect(k.outbox.mails[1].mail.text).toContain('Чайник × 1');
      // mails are queued in the return's transaction and sent after it
      expect(k.outbox.mails.every((m) => m.tx === k.uow.tx)).toBe(true);
      expect(k.outbox.kicks).toBe(1);
      expect(k.uow.runs).toBe(1);
    });

    it('counts the delivery cost in the estimate only when the whole parcel comes back for a seller-side reason', async () => {
      expect((await create(line('a', 1))).refund_amount).toBe(1500);
      const k2 = newReturnsKit();
      const whole = await k2.service.create(BUYER, dto(line('a', 2), line('b', 1)));
      expect(whole.refund_amount).toBe(3000 + 999.5 + 1500);
      const k3 = newReturnsKit();
      const mind = await k3.service.create(
        BUYER,
        dto(line('a', 2, 'changed_mind'), line('b', 1, 'wrong_item')),
      );
      expect(mind.refund_amount).toBe(3000 + 999.5);
    });

    it('answers the lines in the order they were asked for, then and later', async () => {
      const r = await create(line('b', 1, 'wrong_item'), line('a', 2));
      expect(r.items.map((i) => i.order_item_id)).toEqual(['b', 'a']);
      expect((await k.service.get(BUYER, r.id)).items.map((i) => i.order_item_id)).toEqual([
        'b',
        'a',
      ]);
    });

    it("another user's order, or an unknown one, is 404 and writes nothing", async () => {
      for (const who of [STRANGER, SELLER, ADMIN]) {
        expect(await refusal(k.service.create(who, dto(line('a'))))).toMatchObject({ status: 404 });
      }
      expect(
        await refusal(k.service.create(BUYER, { order_id: 'nope', items: [line('a')] })),
      ).toMatchObject({ status: 404 });
      expect(k.repo.returns.size).toBe(0);
      expect(k.outbox.mails).toHaveLength(0);
    });

    it("lines of two sellers' fulfillments in one request → 400 naming the line", async () => {
      expect(await refusal(create(line('a'), line('c')))).toMatchObject({
        code: 'BAD_REQUEST',
        status: 400,
        errors: [{ field: 'items.1.order_item_id', code: 'other_fulfillment' }],
      });
      expect(k.repo.returns.size).toBe(0);
    });

    it('a line that is not on the order, or the same line twice → 400', async () => {
      expect(await refusal(create(line('zz')))).toMatchObject({
        status: 400,
        errors: [{ field: 'items.0.order_item_id', code: 'foreign_line' }],
      });
      expect(await refusal(create(line('a'), line('zz')))).toMatchObject({
        status: 400,
        errors: [{ field: 'items.1.order_item_id', code: 'foreign_line' }],
      });
      expect(await refusal(create(line('a'), line('a')))).toMatchObject({
        status: 400,
        errors: [{ field: 'items.1.order_item_id', code: 'duplicate_line' }],
      });
    });

    it('a fulfillment not delivered → 409 RETURN_NOT_ALLOWED', async () => {
      const o = sampleOrder();
      o.fulfillments[0].status = 'shipped';
      o.fulfillments[0].deliveredAt = null;
      k.orders.orders.set('order-1', { ownerId: BUYER.id, order: o });
      expect(await refusal(create(line('a')))).toMatchObject({
        code: 'RETURN_NOT_ALLOWED',
        status: 409,
        rule: 'not_delivered',
      });
    });

    it('a delivered fulfillment moved on to refunded is no longer returnable', async () => {
      const o = sampleOrder();
      o.fulfillments[0].status = 'refunded';
      k.orders.orders.set('order-1', { ownerId: BUYER.id, order: o });
      expect(await refusal(create(line('a')))).toMatchObject({ rule: 'not_delivered' });
    });

    it('the window is RETURN_WINDOW after delivery: its last instant is allowed, the next refused', async () => {
      // delivered one day before the clock; a 14-day window ends 13 days from now
      k.clock.advance(13 * DAY);
      await expect(create(line('a'))).resolves.toMatchObject({ status: 'requested' });
      k.clock.advance(1);
      expect(await refusal(create(line('a')))).toMatchObject({
        code: 'RETURN_NOT_ALLOWED',
        rule: 'window_passed',
      });
      const short = newReturnsKit({ RETURN_WINDOW: '12h' });
      expect(await refusal(short.service.create(BUYER, dto(line('a'))))).toMatchObject({
        rule: 'window_passed',
      });
    });

    it('changed_mind for food → 409 RETURN_NOT_ALLOWED naming the line; other reasons pass', async () => {
      expect(await refusal(create(line('b', 1, 'changed_mind')))).toMatchObject({
        code: 'RETURN_NOT_ALLOWED',
        rule: 'category',
        order_item_id: 'b',
      });
      await expect(create(line('b', 1, 'wrong_item'))).resolves.toMatchObject({
        status: 'requested',
      });
    });

    it('counts what other returns hold: more than bought minus held → 409 RETURN_QUANTITY_EXCEEDED', async () => {
      await create(line('a', 1));
      expect(await refusal(create(line('a', 2)))).toMatchObject({
        code: 'RETURN_QUANTITY_EXCEEDED',
        status: 409,
        order_item_id: 'a',
        requested: 2,
        returnable: 1,
      });
      await expect(create(line('a', 1))).resolves.toMatchObject({ status: 'requested' });
      expect(await refusal(create(line('a', 1)))).toMatchObject({ returnable: 0 });
    });

    it('a rejected or cancelled return gives its quantities back', async () => {
      const first = await create(line('a', 2));
      await k.service.cancel(BUYER, first.id);
      const second = await create(line('a', 2));
      await k.service.reject(SELLER, second.id, 'used');
      await expect(create(line('a', 2))).resolves.toMatchObject({ status: 'requested' });
    });
  });

  describe('list and get: one visibility rule', () => {
    let mine: string;
    let theirs: string;
    beforeEach(async () => {
      mine = (await create(line('a'))).id;
      theirs = (await create(line('c'))).id;
      k.clock.advance(1000);
    });

    it('the buyer sees both, each seller the return of their own fulfillment, an admin all', async () => {
      const ids = async (who: typeof BUYER) =>
        (await k.service.list(who, { page: 1, page_size: 20 })).items.map((r) => r.id).sort();
      expect(await ids(BUYER)).toEqual([mine, theirs].sort());
      expect(await ids(SELLER)).toEqual([mine]);
      expect(await ids(OTHER_SELLER)).toEqual([theirs]);
      expect(await ids(ADMIN)).toEqual([mine, theirs].sort());
      expect(await ids(STRANGER)).toEqual([]);
    });

    it('pages and filters by status', async () => {
      await k.service.approve(SELLER, mine);
      const page = await k.service.list(BUYER, { page: 1, page_size: 1, status: 'approved' });
      expect(page).toMatchObject({ total: 1, page: 1, page_size: 1, pages: 1 });
      expect(page.items.map((r) => r.id)).toEqual([mine]);
      expect((await k.service.list(BUYER, { page: 2, page_size: 1 })).items).toHaveLength(1);
    });

    it('get: the buyer, the seller and admins; another seller or user → 404', async () => {
      for (const who of [BUYER, SELLER, ADMIN]) {
        await expect(k.service.get(who, mine)).resolves.toMatchObject({ id: mine });
      }
      for (const who of [OTHER_SELLER, STRANGER]) {
        expect(await refusal(k.service.get(who, mine))).toMatchObject({ code: 'NOT_FOUND' });
      }
      expect(await refusal(k.service.get(ADMIN, 'unknown'))).toMatchObject({ status: 404 });
    });
  });

  describe('approve, reject, cancel', () => {
    let id: string;
    beforeEach(async () => {
      id = (await create(line('a'))).id;
      k.outbox.mails.length = 0;
    });

    it('the seller approves while requested: decided_by, history, and the buyer is mailed', async () => {
      const r = await k.service.approve(SELLER, id, 'Отправьте курьером');
      expect(r).toMatchObject({
        status: 'approved',
        decided_by: SELLER.id,
        decision_note: 'Отправьте курьером',
      });
      expect(r.history.map((h) => [h.status, h.by])).toEqual([
        ['requested', BUYER.id],
        ['approved', SELLER.id],
      ]);
      expect(k.outbox.kinds()).toEqual([`return.approved→${BUYER.email}`]);
    });

    it('the seller rejects with a note; the buyer is mailed the note', async () => {
      const r = await k.service.reject(SELLER, id, 'Следы использования');
      expect(r).toMatchObject({ status: 'rejected', decision_note: 'Следы использования' });
      expect(r.history[1]).toMatchObject({ status: 'rejected', note: 'Следы использования' });
      expect(k.outbox.mails[0].mail.text).toContain('Следы использования');
    });

    it('another seller → 404; the buyer may not decide (403); nothing changes', async () => {
      expect(await refusal(k.service.approve(OTHER_SELLER, id))).toMatchObject({ status: 404 });
      expect(await refusal(k.service.approve(BUYER, id))).toMatchObject({ code: 'FORBIDDEN' });
      expect(await refusal(k.service.reject(BUYER, id, 'x'))).toMatchObject({ status: 403 });
      expect(k.repo.row(id).status).toBe('requested');
      expect(k.repo.history).toHaveLength(1);
    });

    it('a decided return cannot be decided again (409) nor cancelled (409)', async () => {
      await k.service.approve(SELLER, id);
      for (const p of [
        k.service.approve(SELLER, id),
        k.service.reject(ADMIN, id, 'late'),
        k.service.cancel(BUYER, id),
      ]) {
        expect(await refusal(p)).toMatchObject({ code: 'INVALID_TRANSITION', status: 409 });
      }
    });

    it('an escalated return: the seller may no longer decide (409), an admin may', async () => {
      k.clock.advance(3 * DAY);
      await k.sweeper.escalateDue();
      expect(await refusal(k.service.approve(SELLER, id))).toMatchObject({
        code: 'INVALID_TRANSITION',
      });
      expect(await refusal(k.service.cancel(BUYER, id))).toMatchObject({ status: 409 });
      await expect(k.service.reject(ADMIN, id, 'Не подлежит возврату')).resolves.toMatchObject({
        status: 'rejected',
        decided_by: ADMIN.id,
      });
    });

    it('an admin approves a requested return too', async () => {
      await expect(k.service.approve(ADMIN, id)).resolves.toMatchObject({
        status: 'approved',
        decided_by: ADMIN.id,
      });
    });

    it('the buyer cancels while requested; the seller cannot cancel (403)', async () => {
      expect(await refusal(k.service.cancel(SELLER, id))).toMatchObject({ status: 403 });
      const r = await k.service.cancel(BUYER, id);
      expect(r).toMatchObject({ status: 'cancelled' });
      expect(k.outbox.kinds()).toEqual([`return.cancelled→${BUYER.email}`]);
    });

    it('racing decisions: one wins, the other is 409, one history row', async () => {
      const results = await Promise.allSettled([
        k.service.approve(SELLER, id),
        k.service.reject(ADMIN, id, 'no'),
        k.service.cancel(BUYER, id),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((x) => x.status === 'rejected')) {
        expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'INVALID_TRANSITION' });
      }
      expect(k.repo.history.filter((h) => h.returnId === id)).toHaveLength(2);
      expect(k.outbox.mails).toHaveLength(1);
    });
  });
});
