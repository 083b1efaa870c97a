import type { RequestedLine, ReturnableLine } from './return-rules';
import { refundAmount, refuseReturn, returnableLines } from './return-rules';

const DAY = 86_400_000;
const line = (id: string, over: Partial<ReturnableLine> = {}): ReturnableLine => ({
  orderItemId: id,
  category: 'electronics',
  price: 150_000,
  quantity: 2,
  alreadyReturned: 0,
  ...over,
});
const lines = (...ls: ReturnableLine[]) => new Map(ls.map((l) => [l.orderItemId, l]));
const req = (id: string, quantity: number, reason: RequestedLine['reason'] = 'defective') => ({
  orderItemId: id,
  quantity,
  reason,
});
const delivered = new Date('2026-11-20T10:00:00Z');
const now = new Date('2026-11-25T10:00:00Z');

describe('refuseReturn', () => {
  it('allows lines of a delivered fulfillment within the window', () => {
    expect(refuseReturn(lines(line('a')), [req('a', 2)], delivered, now, 14 * DAY)).toBeNull();
  });

  it('refuses a delivered fulfillment of an order whose payment is not captured', () => {
    expect(refuseReturn(lines(line('a')), [req('a', 1)], delivered, now, 14 * DAY, false)).toEqual({
      code: 'RETURN_NOT_ALLOWED',
      why: 'not_paid',
    });
    expect(
      refuseReturn(lines(line('a')), [req('a', 1)], delivered, now, 14 * DAY, true),
    ).toBeNull();
  });

  it('refuses a fulfillment not delivered, or past the window (the last instant still allowed)', () => {
    expect(refuseReturn(lines(line('a')), [req('a', 1)], null, now, 14 * DAY)).toEqual({
      code: 'RETURN_NOT_ALLOWED',
      why: 'not_delivered',
    });
    const edge = new Date(delivered.getTime() + 14 * DAY);
    expect(refuseReturn(lines(line('a')), [req('a', 1)], delivered, edge, 14 * DAY)).toBeNull();
    const late = new Date(edge.getTime() + 1);
    expect(refuseReturn(lines(line('a')), [req('a', 1)], delivered, late, 14 * DAY)).toEqual({
      code: 'RETURN_NOT_ALLOWED',
      why: 'window_passed',
    });
  });

  it('refuses more than bought minus already returned, and allows exactly that', () => {
    const ls = lines(line('a', { quantity: 3, alreadyReturned: 1 }));
    expect(refuseReturn(ls, [req('a', 2)], delivered, now, 14 * DAY)).toBeNull();
    expect(refuseReturn(ls, [req('a', 3)], delivered, now, 14 * DAY)).toEqual({
      code: 'RETURN_QUANTITY_EXCEEDED',
      itemId: 'a',
      requested: 3,
      returnable: 2,
    });
  });

  it('refuses changed_mind for food and beauty only', () => {
    for (const category of ['food', 'beauty'] as const) {
      const ls = lines(line('a', { category }));
      expect(refuseReturn(ls, [req('a', 1, 'changed_mind')], delivered, now, DAY * 14)).toEqual({
        code: 'RETURN_NOT_ALLOWED',
        why: 'category',
        itemId: 'a',
      });
      expect(refuseReturn(ls, [req('a', 1, 'defective')], delivered, now, DAY * 14)).toBeNull();
    }
    const books = lines(line('a', { category: 'books' }));
    expect(refuseReturn(books, [req('a', 1, 'changed_mind')], delivered, now, DAY * 14)).toBeNull();
  });

  it('refuses a line of another fulfillment and the same line twice', () => {
    expect(refuseReturn(lines(line('a')), [req('b', 1)], delivered, now, DAY)).toEqual({
      code: 'BAD_REQUEST',
      why: 'foreign_line',
      itemId: 'b',
    });
    expect(refuseReturn(lines(line('a')), [req('a', 1), req('a', 1)], delivered, now, DAY)).toEqual(
      { code: 'BAD_REQUEST', why: 'duplicate_line', itemId: 'a' },
    );
  });
});

describe('refundAmount', () => {
  const ls = lines(
    line('a', { price: 150_000, quantity: 2 }),
    line('b', { price: 99_950, quantity: 1 }),
  );

  it('is price × quantity of the returned lines when the fulfillment is not all back', () => {
    expect(refundAmount(ls, [req('a', 1)], 150_000)).toEqual({
      items: 150_000,
      delivery: 0,
      total: 150_000,
    });
  });

  it('adds the delivery cost when every line comes back in full for a seller-side reason', () => {
    expect(refundAmount(ls, [req('a', 2), req('b', 1, 'wrong_item')], 150_000)).toEqual({
      items: 399_950,
      delivery: 150_000,
      total: 549_950,
    });
  });

  it('keeps the delivery cost when any returned line is a change of mind', () => {
    expect(refundAmount(ls, [req('a', 2), req('b', 1, 'changed_mind')], 150_000).delivery).toBe(0);
  });

  it('counts earlier returns towards "every line in full"', () => {
    const partly = lines(
      line('a', { quantity: 2, alreadyReturned: 2 }),
      line('b', { price: 99_950, quantity: 1 }),
    );
    expect(refundAmount(partly, [req('b', 1)], 150_000)).toEqual({
      items: 99_950,
      delivery: 150_000,
      total: 249_950,
    });
  });

  it('refuses a line that is not on the fulfillment', () => {
    expect(() => refundAmount(ls, [req('zz', 1)], 0)).toThrow(RangeError);
  });
});

describe('returnableLines', () => {
  it("maps a fulfillment's lines, counting what is held as already returned", () => {
    const f = {
      fulfillmentId: 'f',
      sellerId: 's',
      status: 'delivered',
      deliveredAt: delivered,
      deliveryCost: 0,
      lines: [
        {
          orderItemId: 'a',
          productId: 'p',
          productName: 'n',
          category: 'food' as const,
          price: 5,
          quantity: 3,
        },
        {
          orderItemId: 'b',
          productId: 'q',
          productName: 'm',
          category: 'books' as const,
          price: 7,
          quantity: 1,
        },
      ],
    };
    expect([...returnableLines(f, new Map([['a', 2]])).values()]).toEqual([
      { orderItemId: 'a', category: 'food', price: 5, quantity: 3, alreadyReturned: 2 },
      { orderItemId: 'b', category: 'books', price: 7, quantity: 1, alreadyReturned: 0 },
    ]);
  });
});
